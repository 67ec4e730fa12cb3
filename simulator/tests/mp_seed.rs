//! Ads seeded for the demo user are "my ads"; ads seeded for another seller are not. Control
//! methods fail with typed errors.

mod common;

use common::*;
use sellkit_simulator::{SimError, Simulator, MP_OTHER_USER_ID, MP_USER_ID};
use serde_json::{json, Value};

async fn my_ads(sim: &Simulator, token: &str, platform: &str) -> Value {
    let resp = reqwest::Client::new()
        .get(format!("{}/v1/users/{MP_USER_ID}/advertisements", sim.marktplaats_url(platform)))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

#[tokio::test]
async fn own_ads_show_under_my_ads_and_can_be_changed() {
    let sim = Simulator::start(Default::default()).unwrap();
    let token = mp_user_token(&sim, "marktplaats").await;
    assert_eq!(my_ads(&sim, &token, "marktplaats").await["totalCount"], 0, "the default seed has no ads");

    let mine = sim.mp_seed_own_ads("marktplaats", 3, "My bike").unwrap();
    let others = sim.mp_seed_ads("marktplaats", 4, "Their bike").unwrap();
    assert_eq!((mine.len(), others.len()), (3, 4));
    let given = sim
        .mp_seed_own_ad(
            "marktplaats",
            json!({"categoryId": 35, "title": "Given lamp", "description": "As a client would post it",
                   "priceModel": {"modelType": "fixed", "askingPrice": 2500}, "location": {"postcode": "1097DN"},
                   "itemId": "m999999"}),
        )
        .unwrap();
    assert_ne!(given, "m999999", "server-set members are ignored");

    let page = my_ads(&sim, &token, "marktplaats").await;
    assert_eq!(page["totalCount"], 4);
    let titles: Vec<&str> = page["_embedded"]["mp:advertisement"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["My bike 1", "My bike 2", "My bike 3", "Given lamp"]);
    assert_eq!(page["_embedded"]["mp:advertisement"][0]["seller"]["sellerId"], MP_USER_ID);
    assert_eq!(sim.mp_ad("marktplaats", &others[0]).unwrap()["seller"]["sellerId"], MP_OTHER_USER_ID);

    // The demo user's token reaches a seeded ad; another platform keeps its own data.
    let http = reqwest::Client::new();
    let ad_url = format!("{}/v1/advertisements/{}", sim.marktplaats_url("marktplaats"), mine[0]);
    assert_eq!(http.delete(&ad_url).bearer_auth(&token).send().await.unwrap().status(), 204);
    let other_ad = format!("{}/v1/advertisements/{}", sim.marktplaats_url("marktplaats"), others[0]);
    assert_eq!(http.get(&other_ad).bearer_auth(&token).send().await.unwrap().status(), 404);
    let token_2dh = mp_user_token(&sim, "2dehands").await;
    assert_eq!(my_ads(&sim, &token_2dh, "2dehands").await["totalCount"], 0);
}

#[test]
fn seeding_and_bids_fail_with_typed_errors() {
    let sim = Simulator::start(Default::default()).unwrap();
    let err = sim.mp_seed_own_ads("marktplaatz", 1, "x").unwrap_err();
    assert_eq!(err, SimError::UnknownPlatform { name: "marktplaatz".into() });
    assert!(err.to_string().contains("2dehands"));
    assert!(matches!(sim.mp_seed_ads("nope", 1, "x"), Err(SimError::UnknownPlatform { .. })));

    let err = sim.mp_seed_own_ad("2dehands", json!({"categoryId": 35, "title": "ab", "priceModel": {"modelType": "fixed"}})).unwrap_err();
    let SimError::InvalidAd { details } = &err else { panic!("{err:?}") };
    let fields: Vec<&str> = details.iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"title") && fields.contains(&"priceModel.askingPrice") && fields.contains(&"location.postcode"), "{fields:?}");
    assert!(err.to_string().contains("title input-too-short"), "{err}");
    assert!(sim.mp_ads("2dehands").is_empty(), "nothing placed");

    let err = sim.mp_place_bid("marktplaats", "m424242", 100, "Joe").unwrap_err();
    assert_eq!(err, SimError::NoSuchAd { platform: "marktplaats".into(), item_id: "m424242".into() });
    let id = sim.mp_seed_own_ads("marktplaats", 1, "Bid on me").unwrap().remove(0);
    assert!(sim.mp_place_bid("marktplaats", &id, 100, "Joe").unwrap() > 0);

    let err = sim.mp_approve("http://127.0.0.1:1/accounts/oauth/authorize?response_type=code").unwrap_err();
    assert!(matches!(&err, SimError::Authorization { reason } if reason.contains("listeners")), "{err}");
    let url = format!("{}?response_type=code&client_id=wrong&redirect_uri=http://x/cb", sim.mp_authorize_url("marktplaats"));
    assert_eq!(sim.mp_approve(&url).unwrap_err(), SimError::Authorization { reason: "unknown client_id".into() });
}
