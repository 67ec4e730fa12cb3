//! `api_version`: a `v2` client sends every endpoint the v2 docs list to its `/v2` path (the
//! simulator serves both and counts each), keeps the few others on `/v1`, and has the same typed
//! surface; a `v1` client (the default) never touches `/v2` but for the endpoints only v2 has.

mod mp_common;

use mp_common::*;
use sellkit::marktplaats::ApiVersion;
use sellkit::ErrorKind;
use sellkit_simulator::Simulator;
use serde_json::json;

/// The routes counted under `version` (`v1`/`v2`), without the token endpoint.
fn under(sim: &Simulator, version: &str) -> Vec<String> {
    let prefix = format!("/{version}");
    sim.request_counts().into_keys().filter(|k| k.split(' ').nth(1).is_some_and(|p| p == prefix || p.starts_with(&format!("{prefix}/")))).collect()
}

#[tokio::test]
async fn a_v2_client_calls_the_v2_paths_with_the_same_surface() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client_with(builder(&sim, "marktplaats").api_version(ApiVersion::V2)).await;
    assert_eq!(client.api_version(), ApiVersion::V2);
    sim.reset_counters();

    // Validation reads the category through /v2; the ad goes to /v2 and comes back typed.
    let e = client.ads().create_value(json!({"categoryId": 35, "title": "Cd-speler", "description": "Werkt", "condition": "Kapot",
        "priceModel": {"modelType": "see description"}, "location": {"postcode": "1097DN"}})).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("condition")), "{e}");
    let ad = client.ads().create(&serde_json::from_value(cd_player("Versie twee")).unwrap()).await.unwrap();
    let id = ad.item_id.clone().unwrap();
    let got = client.ads().get(&id).await.unwrap();
    assert_eq!(got.title.as_deref(), Some("Versie twee"));
    let patched = client.ads().patch(&id, &json!([{"op": "replace", "path": "/title", "value": "Versie 2"}])).await.unwrap();
    assert_eq!(patched.title.as_deref(), Some("Versie 2"));
    client.users().me().await.unwrap();
    assert_eq!(sim.request_count("GET /v2/categories/{l1}/{l2}/attributes"), 1);
    assert_eq!(sim.request_count("POST /v2/advertisements"), 1, "the refused ad was not sent: {:?}", sim.request_counts());
    assert!(sim.request_count("GET /v2/advertisements/{itemId}") >= 1);
    assert_eq!(sim.request_count("PATCH /v2/advertisements/{itemId}"), 1);
    assert!(under(&sim, "v1").is_empty(), "nothing under /v1: {:?}", sim.request_counts());

    // An endpoint the v2 docs do not list stays on /v1 (answered for the same token).
    let fees = client.categories().fees_value(91, 92).await.unwrap();
    assert!(fees.is_object(), "{fees}");
    assert_eq!(under(&sim, "v1"), ["GET /v1/categories/{l1}/{l2}/fees"]);
    client.ads().delete(&id).await.unwrap();
    assert_eq!(sim.request_count("DELETE /v2/advertisements/{itemId}"), 1);
}

#[tokio::test]
async fn v1_is_the_default_and_the_name_is_checked() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    assert_eq!(client.api_version(), ApiVersion::V1);
    sim.reset_counters();
    let ad = client.ads().create_value(cd_player("Versie een")).await.unwrap();
    client.ads().get_value(ad["itemId"].as_str().unwrap()).await.unwrap();
    assert!(under(&sim, "v2").is_empty(), "{:?}", sim.request_counts());
    assert_eq!(sim.request_count("POST /v1/advertisements"), 1);

    // By name, as the bindings and the environment give it.
    let v2 = user_client_with(builder(&sim, "marktplaats").api_version_name("V2")).await;
    assert_eq!(v2.api_version(), ApiVersion::V2);
    let e = builder(&sim, "marktplaats").api_version_name("v3").build().unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("api_version")));
}
