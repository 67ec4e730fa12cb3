//! Ads checked against their category before they are sent (leaf category, required members,
//! mandatory attributes, allowed values, types, ranges, lengths, writable/updateable), the
//! per-client category cache, the `validate` switch, and the field flags: members the server
//! manages never sent by create nor diffed by update_from, members set on create only never
//! changed by patch, replace or update_from.

mod mp_common;

use std::time::Duration;

use mp_common::*;
use sellkit::marktplaats::models::Advertisement;
use sellkit::{Error, ErrorKind};
use sellkit_simulator::Simulator;
use serde_json::{json, Value};

const CREATE: &str = "POST /v1/advertisements";
const PUT: &str = "PUT /v1/advertisements/{itemId}";
const PATCH: &str = "PATCH /v1/advertisements/{itemId}";
const TREE: &str = "GET /v1/categories";
const ATTRIBUTES: &str = "GET /v1/categories/{l1}/{l2}/attributes";

fn car(title: &str) -> Value {
    json!({"categoryId": 92, "title": title, "description": "Netjes onderhouden",
           "priceModel": {"modelType": "fixed", "askingPrice": 1_450_000}, "location": {"postcode": "1097DN"},
           "constructionYear": 2019, "mileage": 64000, "fuel": "Benzine"})
}

fn with(mut ad: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            ad.as_object_mut().unwrap().shift_remove(k);
        } else {
            ad[k] = v.clone();
        }
    }
    ad
}

/// `(field, code)` of every detail of an invalid-input error.
fn problems(e: &Error) -> Vec<(String, String)> {
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e:?}");
    e.details().iter().map(|d| (d.field.clone().unwrap(), d.code.clone().unwrap_or_default())).collect()
}

fn pair(f: &str, c: &str) -> (String, String) {
    (f.to_owned(), c.to_owned())
}

#[tokio::test]
async fn ads_are_checked_against_their_category_and_nothing_is_sent() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    sim.reset_counters();

    let bad = with(car("Alfa Romeo Giulia"), json!({"fuel": null, "transmission": "automaat", "constructionYear": 1850, "model": "x".repeat(41)}));
    let e = client.ads().create_value(bad.clone()).await.unwrap_err();
    assert_eq!(
        problems(&e),
        [
            pair("constructionYear", "input-invalid"),
            pair("transmission", "input-invalid"),
            pair("model", "input-too-long"),
            pair("fuel", "missing-required-field"),
        ]
    );
    assert_eq!(e.field(), Some("constructionYear"), "the first problem is the error's field");
    assert!(e.details()[1].message.as_deref().unwrap().contains("did you mean \"Automaat\""), "{e}");
    assert!(e.message().contains("and 3 more"), "{e}");
    assert_eq!(sim.request_count(CREATE), 0, "nothing sent");
    // ads.validate finds the same, and so does the catalogue entry the bindings call.
    assert_eq!(problems(&client.ads().validate_value(&bad).await.unwrap_err()), problems(&e));
    let through_catalogue = sellkit::catalogue::MARKTPLAATS.call_json(&client, "ads.validate", json!({"ad": bad})).await.unwrap_err();
    assert_eq!(problems(&through_catalogue), problems(&e));

    // Given as an `attributes` array, a problem is named by its index.
    let array = with(car("Alfa Romeo Giulia"), json!({"fuel": null, "attributes": [{"key": "fuel", "value": "Benzine"}, {"key": "numberOfDoors", "value": 3}, {"key": "transmission", "value": "Tiptronic"}]}));
    let e = client.ads().validate_value(&array).await.unwrap_err();
    assert_eq!(problems(&e), [pair("attributes[2].value", "input-invalid")]);

    // A main category, an unknown one, a value the server sets.
    let e = client.ads().create_value(with(car("In a main category"), json!({"categoryId": 91}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("categoryId", "input-invalid")]);
    assert!(e.message().contains("92 (Alfa Romeo)"), "the leaves are named: {e}");
    let e = client.ads().create_value(with(car("Nowhere"), json!({"categoryId": 4242}))).await.unwrap_err();
    assert_eq!(e.field(), Some("categoryId"));
    let e = client.ads().create_value(with(car("Priced by us"), json!({"priceIndicator": "Lage prijs"}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("priceIndicator", "not-writable")]);
    // Required members are checked before anything is read.
    sim.reset_counters();
    let e = client.ads().create_value(with(car("No postcode"), json!({"location": {}}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("location.postcode", "missing-required-field")]);
    assert!(sim.request_counts().is_empty(), "{:?}", sim.request_counts());

    // A good ad is placed; the category was read once for all of the above.
    let placed = client.ads().create_value(car("Alfa Romeo Giulia")).await.unwrap();
    assert!(placed["itemId"].as_str().unwrap().starts_with('m'));
    assert_eq!((sim.request_count(CREATE), sim.request_count(TREE), sim.request_count(ATTRIBUTES)), (1, 0, 0), "served from the cache");
}

#[tokio::test]
async fn the_category_cache_is_per_client_has_a_ttl_and_one_read_in_flight() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    sim.reset_counters();
    let ads: Vec<Value> = (0..8).map(|i| car(&format!("Auto {i}"))).collect();
    let results = futures_util::future::join_all(ads.iter().map(|ad| {
        let c = client.clone();
        async move { c.ads().validate_value(ad).await }
    }))
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!((sim.request_count(TREE), sim.request_count(ATTRIBUTES)), (1, 1), "concurrent checks wait for one read");
    // A clone shares the cache; categories.attributes reads through it.
    let attrs = client.clone().categories().attributes(91, 92).await.unwrap();
    assert!(attrs.iter().any(|a| a.key.as_deref() == Some("constructionYear") && a.mandatory == Some(true)));
    assert_eq!(sim.request_count(ATTRIBUTES), 1);

    // Another leaf is another entry.
    client.ads().validate_value(&json!({"categoryId": 35, "title": "Cd-speler", "description": "Werkt", "condition": "Nieuw",
        "priceModel": {"modelType": "see description"}, "location": {"postcode": "1097DN"}})).await.unwrap();
    assert_eq!((sim.request_count(TREE), sim.request_count(ATTRIBUTES)), (1, 2));

    // With a short time to live, the data is read again once it is up.
    let short = user_client_with(builder(&sim, "marktplaats").category_cache_ttl(Duration::from_millis(200))).await;
    sim.reset_counters();
    short.ads().validate_value(&car("Auto")).await.unwrap();
    short.ads().validate_value(&car("Auto")).await.unwrap();
    assert_eq!(sim.request_count(ATTRIBUTES), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    short.ads().validate_value(&car("Auto")).await.unwrap();
    assert_eq!((sim.request_count(TREE), sim.request_count(ATTRIBUTES)), (2, 2));

    // A failed read is an error of the call, not kept.
    let fresh = user_client_with(builder(&sim, "marktplaats").max_retries(0)).await;
    sim.fail_next(ATTRIBUTES, 1, 503, None).unwrap();
    let e = fresh.ads().create_value(car("Auto")).await.unwrap_err();
    assert_eq!((e.status(), e.message().contains("to validate the ad")), (Some(503), true), "{e}");
    fresh.ads().create_value(car("Auto")).await.unwrap();
}

#[tokio::test]
async fn validation_can_be_switched_off_per_client_and_per_call() {
    let sim = Simulator::start(Default::default()).unwrap();
    let bad = with(car("Zonder brandstof"), json!({"fuel": null}));

    let unchecked = user_client_with(builder(&sim, "marktplaats").validate(false)).await;
    assert!(!unchecked.validates());
    sim.reset_counters();
    let e = unchecked.ads().create_value(bad.clone()).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.status()), (ErrorKind::Validation, "validation-failure", Some(400)), "the server's refusal");
    assert_eq!(e.details()[0].field.as_deref(), Some("fuel"));
    assert_eq!((sim.request_count(CREATE), sim.request_count(ATTRIBUTES)), (1, 0));
    // ... and on for one call.
    let e = unchecked.ads().with_validation(true).create_value(bad.clone()).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("fuel")));
    assert_eq!(sim.request_count(CREATE), 1);

    let client = user_client(&sim, "marktplaats").await;
    sim.reset_counters();
    let e = client.ads().with_validation(false).create_value(bad.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let e = sellkit::catalogue::MARKTPLAATS.call_json(&client, "ads.create", json!({"ad": bad, "validate": false})).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!((sim.request_count(CREATE), sim.request_count(ATTRIBUTES)), (2, 0));
}

#[tokio::test]
async fn update_from_leaves_server_members_out_of_its_diff() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let ad = client.ads().create_value(cd_player("Server members")).await.unwrap();
    let id = ad["itemId"].as_str().unwrap().to_owned();
    sim.reset_counters();

    // The call that used to send `replace /itemId` and be refused by the server.
    let mut new = ad.clone();
    new["itemId"] = json!("x");
    new["seller"] = json!({"sellerId": 99});
    new["startDate"] = json!("2030-01-01T00:00:00Z");
    new["renewalPossible"] = json!(true);
    new["_links"] = json!({});
    new["location"]["cityName"] = json!("Elders");
    let result = client.ads().update_from_value(&id, &ad, &new).await.unwrap();
    assert_eq!(sim.request_count(PATCH), 0, "nothing to change");
    assert_eq!(result["itemId"], id.as_str());
    assert_eq!(result["startDate"], ad["startDate"]);

    // With a real change beside them, only that change is sent.
    new["title"] = json!("A new title");
    let result = client.ads().update_from_value(&id, &ad, &new).await.unwrap();
    assert_eq!((sim.request_count(PATCH), result["title"].as_str()), (1, Some("A new title")));
    assert_eq!(result["itemId"], id.as_str());

    // The typed form too.
    let old: Advertisement = serde_json::from_value(result.clone()).unwrap();
    let mut changed = old.clone();
    changed.item_id = Some("m0".into());
    changed.close_date = Some("2000-01-01T00:00:00Z".into());
    changed.price_model.as_mut().unwrap().asking_price = Some(2999);
    let updated = client.ads().update_from(&id, &old, &changed).await.unwrap();
    assert_eq!((updated.item_id.as_deref(), updated.price_model.unwrap().asking_price), (Some(id.as_str()), Some(2999)));
}

#[tokio::test]
async fn members_that_may_not_change_are_refused_before_sending() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let ad = client.ads().create_value(car("Alfa Romeo Giulia")).await.unwrap();
    let id = ad["itemId"].as_str().unwrap().to_owned();
    sim.reset_counters();

    // patch: server members, create-only members, required members; no request at all.
    for (ops, field) in [
        (json!([{"op": "replace", "path": "/itemId", "value": "m1"}]), "itemId"),
        (json!([{"op": "replace", "path": "/seller/sellerName", "value": "Kim"}]), "seller"),
        (json!([{"op": "add", "path": "/location/cityName", "value": "Utrecht"}]), "location.cityName"),
        (json!([{"op": "replace", "path": "/categoryId", "value": 93}]), "categoryId"),
        (json!([{"op": "remove", "path": "/priceModel"}]), "priceModel"),
    ] {
        let e = client.ads().patch_value(&id, &ops).await.unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some(field)), "{ops}");
    }
    assert!(sim.request_counts().is_empty(), "{:?}", sim.request_counts());

    // update_from: a change of category; an attribute that is not updateable.
    let e = client.ads().update_from_value(&id, &ad, &with(ad.clone(), json!({"categoryId": 93}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("categoryId", "not-updateable")]);
    assert!(sim.request_counts().is_empty(), "refused without a request");
    let e = client.ads().update_from_value(&id, &ad, &with(ad.clone(), json!({"constructionYear": 2020}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("constructionYear", "not-updateable")]);
    // The same year as text is no change; the mileage may change.
    let ok = client.ads().update_from_value(&id, &ad, &with(ad.clone(), json!({"mileage": 70000}))).await.unwrap();
    assert_eq!(ok["mileage"], 70000);

    // patch of an attribute: the ad is read, the result checked.
    sim.reset_counters();
    let e = client.ads().patch_value(&id, &json!([{"op": "replace", "path": "/constructionYear", "value": 2021}])).await.unwrap_err();
    assert_eq!(problems(&e), [pair("constructionYear", "not-updateable")]);
    let e = client.ads().patch_value(&id, &json!([{"op": "replace", "path": "/fuel", "value": "Steam"}])).await.unwrap_err();
    assert_eq!(problems(&e), [pair("fuel", "input-invalid")]);
    assert_eq!(sim.request_count(PATCH), 0);
    client.ads().patch_value(&id, &json!([{"op": "replace", "path": "/fuel", "value": "Diesel"}])).await.unwrap();
    assert_eq!(sim.request_count(PATCH), 1);
    // Without validation the server judges (and refuses the same).
    let e = client.ads().with_validation(false).patch_value(&id, &json!([{"op": "replace", "path": "/constructionYear", "value": 2021}])).await.unwrap_err();
    assert_eq!((e.kind(), e.details()[0].field.as_deref()), (ErrorKind::Validation, Some("constructionYear")));

    // replace: the ad on the server is read and compared; another itemId is refused outright.
    sim.reset_counters();
    let current = client.ads().get_value(&id).await.unwrap();
    let e = client.ads().replace_value(&id, with(current.clone(), json!({"constructionYear": 2010}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("constructionYear", "not-updateable")]);
    let e = client.ads().replace_value(&id, with(current.clone(), json!({"categoryId": 157}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("categoryId", "not-updateable")]);
    let e = client.ads().with_validation(false).replace_value(&id, with(current.clone(), json!({"itemId": "m1"}))).await.unwrap_err();
    assert_eq!(problems(&e), [pair("itemId", "not-updateable")]);
    assert_eq!(sim.request_count(PUT), 0);
    let replaced = client.ads().replace_value(&id, with(current, json!({"title": "Alfa Romeo Giulia Veloce"}))).await.unwrap();
    assert_eq!((replaced["title"].as_str(), sim.request_count(PUT)), (Some("Alfa Romeo Giulia Veloce"), 1));
}

#[tokio::test]
async fn create_never_sends_what_the_server_sets() {
    let cap = Capture::start().await;
    cap.set_reply(201, &json!({"itemId": "m7"}));
    let client = sellkit::marktplaats::Client::builder().base_url(&cap.url).access_token("t").validate(false).build().unwrap();
    let mut ad = cd_player("Copied ad");
    ad["itemId"] = json!("m1");
    ad["seller"] = json!({"sellerId": 1, "sellerName": "Robin"});
    ad["startDate"] = json!("2014-12-23T16:59:39Z");
    ad["closeDate"] = json!("2015-01-23T16:59:39Z");
    ad["renewalPossible"] = json!(false);
    ad["_links"] = json!({"self": {"href": "/v1/advertisements/m1"}});
    ad["_embedded"] = json!({"mp:advertisement-images": []});
    ad["location"]["cityName"] = json!("Amsterdam");
    client.ads().create_value(ad).await.unwrap();
    let sent = cap.take();
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].json(), cd_player("Copied ad"), "exactly the writable members");
}
