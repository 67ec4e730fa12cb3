//! Platforms, locales and headers: resolution and refusal, per-host defaults, platform
//! separation, the Accept header and the 406 explanation, Accept-Language.

mod mp_common;

use mp_common::*;
use sellkit::locale::{resolve, Locale};
use sellkit::ErrorKind;
use sellkit_simulator::Simulator;
use serde_json::json;

#[test]
fn resolution_follows_entity_then_user_then_host() {
    assert_eq!(resolve("marktplaats", None, None).unwrap(), Locale::NlNl);
    assert_eq!(resolve("2dehands", None, None).unwrap(), Locale::NlBe);
    assert_eq!(resolve("2ememain", None, None).unwrap(), Locale::FrBe);
    assert_eq!(resolve("2dehands", None, Some("fr-BE")).unwrap(), Locale::FrBe);
    assert_eq!(resolve("2ememain", Some("nl-BE"), Some("fr-BE")).unwrap(), Locale::NlBe);
    let e = resolve("marktplaats", Some("fr-BE"), None).unwrap_err();
    assert_eq!((e.kind(), e.code(), e.field()), (ErrorKind::InvalidInput, "invalid-locale", Some("entity_locale")));
    assert!(e.message().contains("allowed: nl-NL"), "{e}");
    let e = resolve("2dehands", None, Some("nl-NL")).unwrap_err();
    assert!(e.message().contains("nl-BE, fr-BE"), "{e}");
}

#[tokio::test]
async fn ads_get_their_locale_by_the_precedence_rule() {
    let sim = Simulator::start(Default::default()).unwrap();
    // 2ememain: host default fr-BE.
    let fr = user_client(&sim, "2ememain").await;
    let ad = fr.ads().create_value(cd_player("Lecteur cd")).await.unwrap();
    assert_eq!(ad["locale"], "fr-BE");
    // The entity's own locale wins.
    let mut own = cd_player("Cd-speler");
    own["locale"] = json!("nl-BE");
    assert_eq!(fr.ads().create_value(own).await.unwrap()["locale"], "nl-BE");
    // 2dehands with the user's preference given to the client: sent along.
    let nl = user_client_with(builder(&sim, "2dehands").locale("fr-BE")).await;
    assert_eq!(nl.resolve_locale(None).unwrap(), Locale::FrBe);
    assert_eq!(nl.ads().create_value(cd_player("Lecteur")).await.unwrap()["locale"], "fr-BE");
    // Marktplaats: no locale member at all, and a foreign one is refused before sending.
    let mp = user_client(&sim, "marktplaats").await;
    assert!(mp.ads().create_value(cd_player("Speler")).await.unwrap().get("locale").is_none());
    sim.reset_counters();
    let mut foreign = cd_player("Speler");
    foreign["locale"] = json!("fr-BE");
    let e = mp.ads().create_value(foreign.clone()).await.unwrap_err();
    assert_eq!((e.code(), e.field()), ("invalid-locale", Some("locale")));
    assert!(e.message().contains("nl-NL"));
    let e = mp.ads().patch_value("m1", &json!([{"op": "add", "path": "/locale", "value": "nl-BE"}])).await.unwrap_err();
    assert_eq!(e.code(), "invalid-locale");
    assert_eq!(sim.request_count("POST /v1/advertisements"), 0);
    // The server refuses it as well, with field details.
    let e = mp.request("POST", "/v1/advertisements", Some(&foreign)).await.unwrap_err();
    assert_eq!(e.code(), "validation-failure");
    assert_eq!(e.details()[0].field.as_deref(), Some("locale"));
    // A client whose preference the platform does not allow is refused when built.
    let e = builder(&sim, "marktplaats").locale("nl-BE").build().unwrap_err();
    assert_eq!((e.code(), e.field()), ("invalid-locale", Some("locale")));
}

#[tokio::test]
async fn each_platform_is_its_own_host() {
    let sim = Simulator::start(Default::default()).unwrap();
    let urls: Vec<_> = ["marktplaats", "2dehands", "2ememain"].iter().map(|p| sim.marktplaats_url(p)).collect();
    assert!(urls[0] != urls[1] && urls[1] != urls[2] && urls[0] != sim.eqp_url());
    let be = user_client(&sim, "2dehands").await;
    let rec = Recorder::default();
    let nl = user_client_with(builder(&sim, "marktplaats").on_token(rec.callback())).await;
    let id = be.ads().create_value(cd_player("Alleen in België")).await.unwrap()["itemId"].as_str().unwrap().to_owned();
    assert_eq!(nl.ads().get_value(&id).await.unwrap_err().code(), "advertisement-not-found");
    assert!(be.ads().get_value(&id).await.is_ok());
    // A token of one platform is not valid on another.
    let token = rec.sets()[0]["access_token"].as_str().unwrap().to_owned();
    let elsewhere = sellkit::marktplaats::Client::builder().platform_name("2dehands").base_url(sim.marktplaats_url("2dehands")).access_token(token).build().unwrap();
    let e = elsewhere.users().me().await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Authentication, Some(401)));
}

#[tokio::test]
async fn accept_header_and_the_406_explanation() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    assert!(client.request("GET", "/v1/categories", None).await.is_ok(), "the default Accept is accepted");
    let e = client.request_with_accept("GET", "/v1/categories", None, Some("application/hal+json")).await.unwrap_err();
    assert_eq!(e.status(), Some(406));
    assert!(e.message().contains("application/json") && e.message().contains("expired token"), "{e}");
    // Even an expired token shows as 406 without application/json, and as 401 (then refreshed) with it.
    sim.expire_all_tokens();
    let e = client.request_with_accept("GET", "/v1/me", None, Some("application/hal+json")).await.unwrap_err();
    assert_eq!(e.status(), Some(406));
    client.users().me().await.unwrap();

    // What goes on the wire: Accept, Accept-Language, PATCH media type.
    let cap = Capture::start().await;
    let c = sellkit::marktplaats::Client::builder().base_url(&cap.url).access_token("t").accept_language("en").build().unwrap();
    c.ads().get_value("m1").await.unwrap();
    c.ads().patch_value("m1", &json!([{"op": "replace", "path": "/title", "value": "New title"}])).await.unwrap();
    let seen = cap.take();
    assert_eq!(seen[0].headers["accept"], "application/hal+json, application/json");
    assert_eq!(seen[0].headers["accept-language"], "en");
    assert_eq!(seen[0].headers["authorization"], "Bearer t");
    assert_eq!(seen[1].method, "PATCH");
    assert_eq!(seen[1].headers["content-type"], "application/json-patch+json");
    assert!(seen[1].headers["accept"].contains("application/json"));
}
