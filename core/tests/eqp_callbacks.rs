//! Callbacks: registered through the profile, delivered by the simulator with Basic auth to a
//! local receiver, parsed and verified; wrong credentials are refused.

mod common;

use std::time::Duration;

use common::{call, client, complete, eventually, package, sim, Receiver};
use sellkit::eqp::model::{CallbackEvent, TechnicalStatus};
use sellkit::eqp::{parse_callback, ApiCallback, Tracks, UploadSource};
use sellkit::{ErrorKind, Secret};
use serde_json::json;

#[tokio::test]
async fn delivered_parsed_and_verified() {
    let sim = sim();
    let c = client(&sim);
    let receiver = Receiver::start().await;
    let cb = ApiCallback {
        name: Some("test hook".into()),
        url: Some(receiver.url.clone()),
        username: Some("key".into()),
        password: Some(Secret::new("s3cret-value")),
        ..Default::default()
    };
    assert!(!format!("{cb:?}").contains("s3cret-value"), "the password never shows in Debug");
    let profile = c.callbacks().register(&[cb]).await.unwrap();
    let registered = profile.api_callbacks.unwrap();
    assert_eq!(registered[0].url.as_deref(), Some(receiver.url.as_str()));
    assert!(registered[0].password.is_none(), "write-only");

    // A scan completes: malware_scan_complete.
    let files = c.files().upload(vec![UploadSource::bytes("a.zip", vec![1u8])], None).await.unwrap();
    let (auth, body) = eventually(Duration::from_secs(5), || receiver.events().into_iter().next()).await;
    let env = parse_callback(&body, auth.as_deref(), "key", "s3cret-value").unwrap();
    assert_eq!(env.event(), CallbackEvent::MalwareScanComplete);
    let info = env.info();
    assert_eq!(info.file_upload_id, files[0].file_upload_id);
    assert!(info.tool_result.unwrap().is_passed());
    assert!(info.modified_at.is_some());

    // Wrong password, wrong user, no header: refused.
    for (user, pass, header) in [("key", "wrong", auth.as_deref()), ("other", "s3cret-value", auth.as_deref()), ("key", "s3cret-value", None)] {
        let e = parse_callback(&body, header, user, pass).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        assert_eq!(e.code(), "invalid-callback-credentials");
    }

    // A status change: eqp_status_update.
    let r = c.packages().create(vec![package(complete("Hooked", "cb-1"))]).await.unwrap();
    let id = r.items[0].data.as_ref().unwrap().submission_id.clone().unwrap();
    c.packages().submit(&id, Tracks::TECHNICAL).await.unwrap();
    let (auth, body) = eventually(Duration::from_secs(5), || receiver.events().into_iter().nth(1)).await;
    let env = parse_callback(&body, auth.as_deref(), "key", "s3cret-value").unwrap();
    assert_eq!(env.event(), CallbackEvent::EqpStatusUpdate);
    let info = env.info();
    assert_eq!(info.submission_id.as_deref(), Some(id.as_str()));
    assert_eq!(info.item_id.as_deref(), Some("cb-1"));
    assert_eq!(info.eqp_flow.as_deref(), Some("technical"));
    assert_eq!(info.current_status.as_deref(), Some("in_automation"));
    assert_eq!(info.eqp_status.unwrap().technical, Some(TechnicalStatus::InAutomation));

    // The simulator kept a log of what it delivered.
    let deliveries = eventually(Duration::from_secs(5), || Some(sim.callback_deliveries()).filter(|d| d.len() >= 2)).await;
    assert!(deliveries.iter().all(|d| d.status == Some(200)), "{deliveries:?}");

    // The bindings' view, with the headers as a mapping.
    let v = sellkit::catalogue::EQP
        .function_json("parse_callback", json!({"body": String::from_utf8(body.clone()).unwrap(), "headers": {"AUTHORIZATION": auth}, "username": "key", "password": "s3cret-value"}))
        .unwrap()
        .into_json()
        .unwrap();
    assert_eq!(v["callback_event"], "eqp_status_update");
}

#[tokio::test]
async fn registration_through_dispatch_checks_its_arguments() {
    let sim = sim();
    let c = client(&sim);
    let v = call(
        &c,
        "callbacks.register",
        json!({"callbacks": [{"name": "n", "url": "https://hooks.example.com/eqp", "username": "u", "password": "p"}]}),
    )
    .await
    .unwrap();
    assert_eq!(v["api_callbacks"][0]["url"], "https://hooks.example.com/eqp");
    assert!(v["api_callbacks"][0].get("password").is_none());
    let e = call(&c, "callbacks.register", json!({"callbacks": [{"url": "ftp://x", "username": "u", "password": "p"}]})).await.unwrap_err();
    assert_eq!(e.field(), Some("callbacks[0].url"));
}
