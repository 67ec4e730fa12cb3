//! Composer keys, user reports and marketplace metrics.

mod common;

use common::{call, client, sim};
use sellkit::eqp::model::NewKey;
use sellkit::eqp::{KeyFilter, UserReport};
use sellkit::ErrorKind;
use serde_json::json;

#[tokio::test]
async fn composer_keys_list_create_enable_delete() {
    let sim = sim();
    let c = client(&sim);
    let keys = c.users().keys();
    let all = keys.list(&KeyFilter::default()).await.unwrap();
    assert_eq!(all.m2.as_ref().unwrap().len(), 3);
    assert_eq!(all.m1.as_ref().unwrap().len(), 1);
    assert!(!format!("{all:?}").contains("12cbdcd3332eb8f166f62ee1a9bd33d0"), "password keys stay out of Debug");
    let m2 = keys.list(&KeyFilter { key_type: Some("m2".into()), ..Default::default() }).await.unwrap();
    assert!(m2.m1.is_none());
    let org = keys.list(&KeyFilter { uid: Some("000CBA111DCB222@AdobeOrg".into()), ..Default::default() }).await.unwrap();
    assert_eq!(org.m2.unwrap().len(), 1);

    let new = [
        NewKey { label: Some("key_for_alice".into()), ..Default::default() },
        NewKey { label: Some("main_key".into()), ..Default::default() },
        NewKey { label: Some("key_for_org".into()), uid: Some("000CBA111DCB222@AdobeOrg".into()), ..Default::default() },
    ];
    let r = keys.create(&new).await.unwrap();
    assert_eq!(r.items.iter().map(|i| i.code).collect::<Vec<_>>(), vec![200, 1302, 200]);
    let alice = r.items[0].data.as_ref().unwrap();
    assert_eq!(alice.user_key.as_ref().unwrap().len(), 32);
    assert_eq!(alice.uid.as_deref(), Some("MAG123456789"));
    assert_eq!(r.items[2].data.as_ref().unwrap().uid.as_deref(), Some("000CBA111DCB222@AdobeOrg"));

    let changed = keys.disable("key_for_alice", None).await.unwrap();
    assert_eq!(changed[0].is_enabled, Some(false));
    let changed = keys.enable("key_for_alice", Some("MAG123456789")).await.unwrap();
    assert_eq!(changed[0].is_enabled, Some(true));
    keys.delete("key_for_alice", Some("MAG123456789")).await.unwrap();
    assert_eq!(sim.request_count("DELETE /rest/v1/users/{mage_id}/keys/{label}"), 1);
    let e = keys.delete("key_for_alice", None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // Labels with spaces travel percent-encoded in the path.
    let changed = keys.disable("Key for My Organization", None).await.unwrap();
    assert_eq!(changed[0].label.as_deref(), Some("Key for My Organization"));

    let v = call(&c, "users.keys.create", json!({"keys": [{"label": "via_dispatch"}]})).await.unwrap();
    assert_eq!(v["all_ok"], true);
    assert_eq!(v["items"][0]["data"]["label"], "via_dispatch");
    let v = call(&c, "users.keys.list", json!({"type": "m2", "label": "via_dispatch"})).await.unwrap();
    assert_eq!(v["m2"].as_array().unwrap().len(), 1);
    assert_eq!(call(&c, "users.keys.delete", json!({"label": "via_dispatch"})).await.unwrap(), json!(null));
}

#[tokio::test]
async fn reports_answer_empty_data() {
    let sim = sim();
    let c = client(&sim);
    for kind in UserReport::ALL {
        assert_eq!(c.users().reports(kind).await.unwrap(), json!([]));
        assert_eq!(sim.request_count("GET /rest/v1/users/{mage_id}/reports/{kind}") as usize, UserReport::ALL.iter().position(|k| *k == kind).unwrap() + 1);
    }
    assert_eq!(c.reports().metrics(None).await.unwrap(), json!([]));
    assert_eq!(c.reports().metrics(Some("pageviews")).await.unwrap(), json!([]));
    assert_eq!(call(&c, "users.reports", json!({"kind": "sales"})).await.unwrap(), json!([]));
    assert_eq!(call(&c, "reports.metrics", json!({"name": "x"})).await.unwrap(), json!([]));
}
