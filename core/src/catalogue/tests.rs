use serde_json::json;

use super::*;
use crate::ErrorKind;

fn eqp() -> crate::eqp::Client {
    crate::eqp::Client::builder().app_id("id").app_secret("s").base_url("http://127.0.0.1:9").build().unwrap()
}

fn mp() -> crate::marktplaats::Client {
    crate::marktplaats::Client::builder().base_url("http://127.0.0.1:9").build().unwrap()
}

#[tokio::test]
async fn eqp_arguments_are_checked_before_anything_is_sent() {
    let c = eqp();
    let cases = [
        ("packages.get", json!({}), "submission_id"),
        ("packages.get", json!({"submission_id": "x", "extra": 1}), "extra"),
        ("packages.create", json!({"items": []}), "items"),
        ("packages.create", json!({"items": [{"prices": [{"price": "1.234"}]}]}), "items[0].prices[0].price"),
        ("packages.create", json!({"items": [{"prices": [{"price": -1}]}]}), "items[0].prices[0].price"),
        ("packages.create", json!({"items": [{"name": "a"}], "chunk_size": 0}), "chunk_size"),
        ("packages.update", json!({"items": [{"name": "a"}]}), "items[0].submission_id"),
        ("packages.submit", json!({"submission_id": "x", "technical": false, "marketing": false}), "technical"),
        ("test_results.summary", json!({}), "submission_id"),
        ("test_results.summary", json!({"sku": "a/b", "item_id": "c"}), "item_id"),
        ("users.keys.create", json!({"keys": [{"label": 5}]}), "keys[0].label"),
        ("users.keys.create", json!({"keys": [{"label": "a"}, {"label": "a"}]}), "keys[1].label"),
        ("users.reports", json!({"kind": "weekly"}), "kind"),
        ("users.get", json!({"style": "brief"}), "style"),
        ("files.wait_for_scan", json!({"ids": ["a"], "timeout": -1}), "timeout"),
        ("callbacks.register", json!({"callbacks": [{"url": "http://example.com/cb", "username": "u", "password": "p"}]}), "callbacks[0].url"),
        ("callbacks.register", json!({"callbacks": [{"url": "https://example.com/cb", "username": "u"}]}), "callbacks[0].password"),
        ("nope", json!({}), "op"),
    ];
    for (op, args, field) in cases {
        let e = EQP.call_json(&c, op, args.clone()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{op} {args}: {e}");
        assert_eq!(e.field(), Some(field), "{op} {args}: {e}");
    }
    for (op, args, field) in [
        ("packages.list", json!({"colour": "red"}), "colour"),
        ("packages.list", json!({"sort": "+bogus"}), "sort"),
        ("packages.list", json!({"filters": {"colour": "red"}}), "colour"),
        ("packages.list", json!({"page_size": 0}), "page_size"),
        ("packages.by_sku", json!({}), "sku"),
        ("files.list", json!({"sku": "x"}), "sku"),
        ("users.get", json!({}), "op"),
    ] {
        let e = EQP.list_json(&c, op, args.clone()).unwrap_err();
        assert_eq!(e.field(), Some(field), "{op} {args}: {e}");
    }
}

#[tokio::test]
async fn marktplaats_arguments_are_checked_naming_them() {
    let c = mp();
    let fail = |op: &'static str, args: serde_json::Value| {
        let c = c.clone();
        async move { MARKTPLAATS.call_json(&c, op, args).await.unwrap_err() }
    };
    assert_eq!(fail("ads.nope", json!({})).await.field(), Some("op"));
    assert_eq!(fail("ads.get", json!({})).await.field(), Some("item_id"));
    assert_eq!(fail("ads.get", json!({"item_id": 5})).await.field(), Some("item_id"));
    assert_eq!(fail("ads.renew", json!({"item_id": "m1", "orderID": 5})).await.field(), Some("orderID"));
    assert_eq!(fail("ads.create", json!({"ad": {"title": "ab"}})).await.field(), Some("title"));
    assert_eq!(fail("users.profile_image", json!({"user_id": 1, "kind": "avatar"})).await.field(), Some("kind"));
    assert_eq!(MARKTPLAATS.list_json(&c, "users.ads", json!({"page_size": 101})).unwrap_err().field(), Some("page_size"));
    assert_eq!(MARKTPLAATS.list_json(&c, "search", json!({})).unwrap_err().field(), Some("query"));
}

#[test]
fn functions_need_no_client() {
    let f = |name: &str, args: serde_json::Value| MARKTPLAATS.function_json(name, args);
    let v = f("authorization_url", json!({"client_id": "x", "redirect_uri": "https://a.b/cb", "platform": "2dehands"})).unwrap();
    let v = v.into_json().unwrap();
    assert!(v[0].as_str().unwrap().starts_with("https://auth.2dehands.be/accounts/oauth/authorize?"));
    assert_eq!(v[1].as_str().unwrap().len(), 32);
    let body = r#"{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}"#;
    let sig = "c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97";
    let mut args = Args::new();
    args.set("body", Arg::Bytes(bytes::Bytes::from(body)));
    args.set("signature", Arg::Json(json!(sig)));
    args.set("secret", Arg::Json(json!("s3cr3t")));
    assert_eq!(function(MARKTPLAATS.find_function("verify_webhook").unwrap(), args).unwrap().into_json(), Some(json!(true)));
    // A missing signature is `false`, not an error.
    let missing = f("verify_webhook", json!({"body": body, "signature": null, "secret": "s3cr3t"})).unwrap();
    assert_eq!(missing.into_json(), Some(json!(false)));
    let parsed = f("parse_webhook", json!({"body": body, "signature": sig, "secret": "s3cr3t"})).unwrap();
    assert_eq!(parsed.into_json().unwrap()["eventType"], "EventType");
    let unsigned = f("parse_webhook", json!({"body": body, "signature": null, "secret": "s3cr3t"})).unwrap_err();
    assert_eq!(unsigned.code(), "invalid-signature");
}

#[test]
fn every_operation_is_described() {
    for (ops, reg) in [EQP.describe(), ] {
        assert!(ops.len() > 30);
        assert!(reg.contains("Package"));
        for (op, params, _) in &ops {
            assert_eq!(params.len(), op.params.len(), "{}", op.name);
            for (def, spec) in params.iter().zip(op.params) {
                assert_eq!(def.name, spec.name);
                assert_eq!(def.required, spec.required);
            }
            assert!(!op.doc.trim().is_empty(), "{} has no doc line", op.name);
        }
    }
    let (ops, reg) = MARKTPLAATS.describe();
    assert!(ops.len() > 60);
    assert!(reg.contains("Advertisement") && reg.contains("PatchOperation") && reg.contains("TokenSet"));
    let names: std::collections::HashSet<_> = ops.iter().map(|(op, _, _)| (op.kind == Kind::Function, op.name)).collect();
    assert_eq!(names.len(), ops.len(), "operation names are unique among the client's and among the functions");
    assert!(MARKTPLAATS.find("authorization_url").is_ok() && MARKTPLAATS.find_function("authorization_url").is_ok());
}

#[test]
fn clients_are_made_from_named_settings() {
    let c = EQP.client.build_json(json!({"app_id": "id", "app_secret": "s", "base_url": "http://127.0.0.1:9", "timeout": 5})).unwrap();
    assert_eq!(c.app_id(), "id");
    for (settings, field) in [
        (json!({"app_secret": "s"}), "app_id"),
        (json!({"app_id": "id", "app_secret": "s", "max_retries": 1.5}), "max_retries"),
        (json!({"app_id": "id", "app_secret": "s", "timeout": "5"}), "timeout"),
        (json!({"app_id": "id", "app_secret": "s", "colour": "red"}), "colour"),
    ] {
        assert_eq!(EQP.client.build_json(settings.clone()).unwrap_err().field(), Some(field), "{settings}");
    }
    let mp = MARKTPLAATS.client.build_json(json!({"platform": "2ememain"})).unwrap();
    assert_eq!(mp.platform().as_str(), "2ememain");
    assert_eq!(MARKTPLAATS.client.build_json(json!({"platform": "ebay"})).unwrap_err().field(), Some("platform"));
    assert_eq!(CALL_OPTIONS.build_json(json!({"max_retries": 11})).unwrap_err().field(), Some("max_retries"));
}
