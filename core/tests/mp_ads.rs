//! Advertisements against the simulator: CRUD, JSON Patch and update_from, retries of PATCH
//! and POST, client-side checks, images, features, renewal, bids, transactions.

mod mp_common;

use std::time::Duration;

use mp_common::*;
use sellkit::marktplaats::models::{Advertisement, ModelType, PriceModel};
use sellkit::ErrorKind;
use sellkit_simulator::{Fault, FaultAction, Simulator};
use serde_json::{json, Value};

const CREATE: &str = "POST /v1/advertisements";
const AD: &str = "GET /v1/advertisements/{itemId}";
const PATCH: &str = "PATCH /v1/advertisements/{itemId}";

#[tokio::test]
async fn create_get_replace_delete() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let ad = Advertisement::new(35, "Test cd player", "This is an awesome cd-player", PriceModel::fixed(3241), "1097DN")
        .with_attribute("condition", "Nieuw")
        .with_attribute("properties", json!(["Draagbaar", "Met radio"]));
    sim.reset_counters();
    let created = client.ads().create(&ad).await.unwrap();
    let id = created.item_id.clone().expect("item id from Location");
    assert!(id.starts_with('m'));
    assert_eq!((sim.request_count(CREATE), sim.request_count(AD)), (1, 1), "201 without body: read back once");
    assert_eq!(created.title.as_deref(), Some("Test cd player"));
    assert_eq!(created.price_model.as_ref().unwrap().asking_price, Some(3241));
    assert_eq!(created.attribute("properties"), Some(&json!(["Draagbaar", "Met radio"])));
    assert_eq!(created.location.as_ref().unwrap().city_name.as_deref(), Some("Amsterdam"));
    assert!(created.links.as_ref().unwrap().contains_key("self"), "HAL links kept");
    assert_eq!(created.locale, None, "no locale field on marktplaats");

    let mut changed = created.clone();
    changed.title = Some("Updated title".into());
    changed.price_model = Some(PriceModel::bidding(Some(1000), None));
    let replaced = client.ads().replace(&id, &changed).await.unwrap();
    assert_eq!(replaced.title.as_deref(), Some("Updated title"));
    assert_eq!(replaced.price_model.unwrap().model_type, Some(ModelType::Bidding));
    assert_eq!(sim.mp_ad("marktplaats", &id).unwrap()["title"], "Updated title");

    client.ads().delete(&id).await.unwrap();
    let e = client.ads().get(&id).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.code()), (ErrorKind::NotFound, Some(404), "advertisement-not-found"));
}

#[tokio::test]
async fn patch_and_update_from() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let id = client.ads().create_value(cd_player("Patch me")).await.unwrap()["itemId"].as_str().unwrap().to_owned();

    let patched = client.ads().patch_value(&id, &json!([{"op": "replace", "path": "/title", "value": "the new title"}])).await.unwrap();
    assert_eq!(patched["title"], "the new title");

    sim.reset_counters();
    for op in ["move", "copy", "test"] {
        let ops = json!([{"op": op, "from": "/title", "path": "/description", "value": "x"}]);
        let e = client.ads().patch_value(&id, &ops).await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::InvalidInput, "invalid-patch-operation"), "{op}");
    }
    assert_eq!(sim.request_count(PATCH), 0, "refused before sending");

    let e = client.ads().patch_value(&id, &json!([{"op": "replace", "path": "/nothing/here", "value": 1}])).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.code()), (ErrorKind::Conflict, Some(409), "conflicting-state"));

    let e = client.ads().patch_value(&id, &json!([{"op": "replace", "path": "/priceModel/askingPrice", "value": 19.99}])).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("priceModel.askingPrice")));

    // update_from: the server ends up exactly at `new`.
    let old = client.ads().get_value(&id).await.unwrap();
    let mut new = old.clone();
    new["title"] = json!("A better title");
    new["priceModel"] = json!({"modelType": "bidding", "minimalBid": 500});
    new.as_object_mut().unwrap().remove("delivery");
    new["brand"] = json!("Philips");
    new["color"] = json!("black");
    sim.reset_counters();
    let result = client.ads().update_from_value(&id, &old, &new).await.unwrap();
    assert_eq!(sim.request_count(PATCH), 1);
    assert_eq!(result, new);
    assert_eq!(sim.mp_ad("marktplaats", &id).unwrap(), new);
    // No difference: nothing is patched.
    client.ads().update_from_value(&id, &new, &new).await.unwrap();
    assert_eq!(sim.request_count(PATCH), 1);

    // The raw escape hatch sends PATCH bodies as application/json-patch+json too.
    let v = client.request("PATCH", &format!("/v1/advertisements/{id}"), Some(&json!([{"op": "replace", "path": "/title", "value": "Raw title"}]))).await.unwrap();
    assert_eq!(v["title"], "Raw title");
}

#[tokio::test]
async fn patch_is_retried_only_when_safe_and_post_never() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let id = client.ads().create_value(cd_player("Retry me")).await.unwrap()["itemId"].as_str().unwrap().to_owned();

    sim.reset_counters();
    sim.fail_next(PATCH, 1, 503, Some("0")).unwrap();
    let ok = client.ads().patch_value(&id, &json!([{"op": "replace", "path": "/title", "value": "Safe to repeat"}])).await.unwrap();
    assert_eq!(ok["title"], "Safe to repeat");
    assert_eq!(sim.request_count(PATCH), 2, "a replace-only patch is retried");

    sim.reset_counters();
    sim.fail_next(PATCH, 1, 503, Some("0")).unwrap();
    let e = client.ads().patch_value(&id, &json!([{"op": "remove", "path": "/delivery"}])).await.unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(sim.request_count(PATCH), 1, "a patch with remove is not repeated");
    assert!(sim.mp_ad("marktplaats", &id).unwrap().get("delivery").is_some());

    sim.reset_counters();
    sim.fail_next(CREATE, 1, 503, Some("0")).unwrap();
    let e = client.ads().create_value(cd_player("Never twice")).await.unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(sim.request_count(CREATE), 1, "POST is not repeated once it reached the server");

    // PUT and GET are.
    sim.reset_counters();
    sim.fail_next(AD, 2, 502, Some("0")).unwrap();
    client.ads().get_value(&id).await.unwrap();
    assert_eq!(sim.request_count(AD), 3);
}

#[tokio::test]
async fn failures_say_whether_the_server_may_have_acted() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let count = |title: &str| sim.mp_ads("marktplaats").iter().filter(|a| a["title"] == title).count();

    sim.fail_next(CREATE, 1, 503, None).unwrap();
    let e = client.ads().create_value(cd_player("Answered")).await.unwrap_err();
    assert!(!e.outcome_unknown(), "an answered failure changed nothing: {e:?}");
    assert_eq!(count("Answered"), 0);

    for (action, title, made) in [
        (FaultAction::DropBeforeProcessing, "Dropped unread", 0),
        (FaultAction::DropAfterProcessing, "Dropped answer", 1),
        (FaultAction::Truncate, "Truncated answer", 1),
    ] {
        sim.reset_counters();
        sim.inject(CREATE, Fault { count: 1, action }).unwrap();
        let e = client.ads().create_value(cd_player(title)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
        assert!(e.outcome_unknown(), "{title}: {e:?}");
        assert_eq!(sim.request_count(CREATE), 1, "{title}: never sent twice");
        assert_eq!(count(title), made, "{title}");
    }

    let quick = client.with_options(sellkit::marktplaats::CallOptions { timeout: Some(Duration::from_millis(300)), max_retries: None }).unwrap();
    sim.inject(CREATE, Fault { count: 1, action: FaultAction::Stall(Duration::from_millis(900)) }).unwrap();
    let e = quick.ads().create_value(cd_player("Stalled answer")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.outcome_unknown());
    assert_eq!(count("Stalled answer"), 1);

    // A body cut off after the status line is no answer either.
    let once = client.with_options(sellkit::marktplaats::CallOptions { timeout: None, max_retries: Some(0) }).unwrap();
    let id = once.ads().create_value(cd_player("Cut off")).await.unwrap()["itemId"].as_str().unwrap().to_owned();
    sim.inject(AD, Fault { count: 1, action: FaultAction::Truncate }).unwrap();
    let e = once.ads().get_value(&id).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Connection, None), "{e}");
    assert!(e.outcome_unknown() && e.message().contains("HTTP 200"), "{e}");

    // A GET whose answer is cut off is simply asked again.
    let id = client.ads().create_value(cd_player("Read me")).await.unwrap()["itemId"].as_str().unwrap().to_owned();
    sim.reset_counters();
    sim.inject(AD, Fault { count: 1, action: FaultAction::Truncate }).unwrap();
    assert_eq!(client.ads().get_value(&id).await.unwrap()["title"], "Read me");
    assert_eq!(sim.request_count(AD), 2);

    // A write that succeeded stays a success when reading the resource back fails.
    sim.fail_next(AD, 3, 503, Some("0")).unwrap();
    let created = client.ads().create_value(cd_player("Unreadable")).await.unwrap();
    assert_eq!((created["title"].as_str(), created["itemId"].is_string()), (Some("Unreadable"), true), "{created}");
    assert_eq!(count("Unreadable"), 1);
    let unreadable = created["itemId"].as_str().unwrap().to_owned();
    sim.fail_next(AD, 3, 503, Some("0")).unwrap();
    let patched = client.ads().patch_value(&unreadable, &json!([{"op": "replace", "path": "/title", "value": "Patched unread"}])).await.unwrap();
    assert_eq!(patched["itemId"], unreadable.as_str());
    assert_eq!(sim.mp_ad("marktplaats", &unreadable).unwrap()["title"], "Patched unread");

    // An attempt whose answer was lost, then a 401, a refresh and a replay that fails plainly:
    // the first attempt may have been applied, so the call's outcome stays unknown.
    sim.inject(PATCH, Fault::drop_after(1)).unwrap();
    sim.fail_next(PATCH, 1, 401, None).unwrap();
    sim.fail_next(PATCH, 1, 404, None).unwrap();
    let e = client.ads().patch_value(&unreadable, &json!([{"op": "replace", "path": "/title", "value": "Applied once"}])).await.unwrap_err();
    assert_eq!(e.status(), Some(404), "{e}");
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(sim.mp_ad("marktplaats", &unreadable).unwrap()["title"], "Applied once");

    // Nothing listening: the request never left, so nothing can have happened.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nowhere = builder(&sim, "marktplaats").base_url(format!("http://127.0.0.1:{port}")).access_token("t").max_retries(0).build().unwrap();
    let e = nowhere.ads().get_value(&id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(!e.outcome_unknown());
}

#[tokio::test]
async fn client_side_checks_name_the_field_and_send_nothing() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    sim.reset_counters();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"modelType": "fixed", "askingPrice": 15.5}), "priceModel.askingPrice"),
        (json!({"modelType": "fixed", "askingPrice": 1550.0}), "priceModel.askingPrice"),
        (json!({"modelType": "fixed", "askingPrice": -100}), "priceModel.askingPrice"),
        (json!({"modelType": "bidding", "minimalBid": -1}), "priceModel.minimalBid"),
        (json!({"modelType": "fixed", "askingPrice": 100, "minimalBid": 50}), "priceModel.minimalBid"),
        (json!({"askingPrice": 100}), "priceModel.modelType"),
    ];
    for (pm, field) in cases {
        let mut ad = cd_player("Valid title");
        ad["priceModel"] = pm.clone();
        let e = client.ads().create_value(ad).await.unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some(field)), "{pm}");
        assert!(e.message().contains(field), "{e}");
    }
    for title in ["ab", &"x".repeat(61)] {
        let e = client.ads().create_value(cd_player(title)).await.unwrap_err();
        assert_eq!(e.field(), Some("title"));
    }
    assert_eq!(sim.request_count(CREATE), 0);

    // The server's own validation comes back with details per field.
    let mut bad = cd_player("ab");
    bad.as_object_mut().unwrap().remove("location");
    let e = client.request("POST", "/v1/advertisements", Some(&bad)).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Validation, "validation-failure"));
    let fields: Vec<_> = e.details().iter().filter_map(|d| d.field.as_deref()).collect();
    assert_eq!(fields, vec!["title", "location.postcode"]);
    assert_eq!(e.details()[0].code.as_deref(), Some("input-too-short"));
    assert_eq!(e.details()[0].value, Some(json!("3")));
    assert!(e.request_id().is_some_and(|r| r.starts_with("sim-")), "logref kept");
    // The message names each field with the server's reason, the first three, then a count.
    assert_eq!(
        e.message(),
        "HTTP 400 Bad Request: Validation failed: title: Minimum of 3 characters; location.postcode: This field is required"
    );
    bad["categoryId"] = json!(31);
    bad.as_object_mut().unwrap().remove("description");
    bad.as_object_mut().unwrap().remove("priceModel");
    let e = client.request("POST", "/v1/advertisements", Some(&bad)).await.unwrap_err();
    assert_eq!(e.details().len(), 5, "{e}");
    assert_eq!(
        e.message(),
        "HTTP 400 Bad Request: Validation failed: categoryId: Must be the id of a leaf (L2) category; \
         title: Minimum of 3 characters; description: This field is required and 2 more"
    );
}

#[tokio::test]
async fn images_become_available() {
    let sim = Simulator::start(Default::default()).unwrap();
    sim.set_mp_image_delay(Duration::from_millis(300));
    let client = user_client(&sim, "marktplaats").await;
    let id = client.ads().create_value(cd_player("With images")).await.unwrap()["itemId"].as_str().unwrap().to_owned();
    let urls = vec!["http://www.marktplaats.nl/i/a.png".to_owned(), "http://www.marktplaats.nl/i/b.jpg".to_owned()];
    let added = client.images().add(&id, &urls, true).await.unwrap();
    let images: Vec<sellkit::marktplaats::models::Image> = added.items_as(Some("mp:advertisement-image")).unwrap();
    assert_eq!(images.len(), 2);
    assert!(images.iter().all(|i| !i.is_available()));
    let media = images[0].media_id.clone().unwrap();
    let started = std::time::Instant::now();
    let ready = client.images().wait_until_available(&media, Some(Duration::from_secs(5)), Some(Duration::from_millis(50))).await.unwrap();
    assert!(ready.is_available());
    assert!(started.elapsed() >= Duration::from_millis(200), "it waited");

    // replaceAll: the new list replaces the old one.
    let third = vec!["http://www.marktplaats.nl/i/c.jpg".to_owned()];
    client.images().add(&id, &third, true).await.unwrap();
    assert_eq!(client.images().list(&id).await.unwrap().items(None).len(), 1);
    client.images().add(&id, &urls, false).await.unwrap();
    assert_eq!(client.images().list(&id).await.unwrap().items(None).len(), 3);

    sim.set_mp_image_delay(Duration::from_secs(30));
    let slow = client.images().add(&id, &["http://www.marktplaats.nl/i/slow.jpg".to_owned()], false).await.unwrap();
    let media = slow.items_as::<sellkit::marktplaats::models::Image>(None).unwrap()[0].media_id.clone().unwrap();
    let e = client.images().wait_until_available(&media, Some(Duration::from_millis(200)), Some(Duration::from_millis(50))).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Timeout, "image-not-available"));
    let e = client.images().add(&id, &["ftp://x/y.jpg".to_owned()], false).await.unwrap_err();
    assert_eq!(e.field(), Some("urls[0]"));
}

#[tokio::test]
async fn features_orders_and_renewal() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let id = client.ads().create_value(cd_player("Featured")).await.unwrap()["itemId"].as_str().unwrap().to_owned();
    let features = client.features().list(&id).await.unwrap();
    assert!(features.items(Some("mp:advertisement-feature")).len() >= 6);
    let order = client.features().buy(&id, "dagtopper", None).await.unwrap();
    assert_eq!(order.status.as_deref(), Some("paid"));
    let products = order.products();
    assert_eq!(products[0].description.as_deref(), Some("dagtopper"));
    assert_eq!(products[0].price.as_ref().and_then(|p| p.as_i64()), Some(151));
    let again = client.orders().get(order.order_id.unwrap()).await.unwrap();
    assert_eq!(again.order_id, order.order_id);
    assert!(client.features().get(&id, "dagtopper").await.unwrap().active.unwrap());
    let e = client.features().buy(&id, "dagtopper", None).await.unwrap_err();
    assert_eq!(e.code(), "feature-not-allowed");
    let e = client.features().buy(&id, "gouden-rand", None).await.unwrap_err();
    assert_eq!(e.code(), "invalid-feature-type");
    assert_eq!(client.features().purchased(&id).await.unwrap().items(None).len(), 1);

    let e = client.ads().renew(&id, None).await.unwrap_err();
    assert_eq!(e.code(), "invalid-expiration");
    assert!(sim.mp_set_ad_expiry("marktplaats", &id, 3));
    assert_eq!(client.ads().get(&id).await.unwrap().renewal_possible, Some(true));
    let order = client.ads().renew(&id, None).await.unwrap();
    assert!(order.order_id.is_some());
    assert_eq!(client.ads().get(&id).await.unwrap().renewal_possible, Some(false));
}

#[tokio::test]
async fn bids_transactions_statistics_and_webhooks() {
    let sim = Simulator::start(Default::default()).unwrap();
    let hook = Capture::start().await;
    sim.set_mp_webhook(Some(&format!("{}/hooks/mp", hook.url)), "s3cr3t");
    let client = user_client(&sim, "2dehands").await;
    let id = client.ads().create_value(cd_player("Bid on me")).await.unwrap()["itemId"].as_str().unwrap().to_owned();

    let bid_id = sim.mp_place_bid("2dehands", &id, 1100, "Joe").unwrap();
    let got = hook.wait_for(1).await;
    assert_eq!(got.len(), 1, "one delivery");
    let delivery = &got[0];
    assert_eq!((delivery.method.as_str(), delivery.path.as_str()), ("POST", "/hooks/mp"));
    let signature = &delivery.headers["x-ecg-signature"];
    assert!(sellkit::marktplaats::verify_webhook(&delivery.body, signature, "s3cr3t"));
    assert!(!sellkit::marktplaats::verify_webhook(&delivery.body, signature, "wrong"));
    let event = sellkit::marktplaats::parse_webhook(&delivery.body, Some(signature), "s3cr3t").unwrap();
    assert_eq!(event.event_type, Some(sellkit::marktplaats::models::EventType::BidPlaced));
    assert_eq!(event.event_data.unwrap()["bidId"], bid_id);

    let bid = client.bids().get(&id, bid_id).await.unwrap();
    assert_eq!((bid.bid_id(), bid.amount), (Some(bid_id), Some(1100)));
    assert_eq!(bid.bidder.unwrap().nick_name.as_deref(), Some("Joe"));
    assert_eq!(client.bids().list(&id).await.unwrap().items(None).len(), 1);
    client.bids().ask_bidder_question(&id, bid_id, "Hi, you can purchase this item for the offered price", "0113293823").await.unwrap();
    sim.reset_counters();
    let e = client.bids().ask_bidder_question(&id, bid_id, "Hi", "0900998877").await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("phone_number")));
    assert_eq!(sim.request_count("POST /v1/advertisements/{itemId}/bids/{bidId}/actions/ask-bidder-question"), 0);
    let stats = client.ads().statistics(&id).await.unwrap();
    assert_eq!((stats.number_of_bids, stats.number_of_asqs), (Some(1), Some(1)));
    client.bids().delete(&id, bid_id).await.unwrap();
    assert_eq!(client.bids().get(&id, bid_id).await.unwrap_err().code(), "bid-not-found");

    let t = client.transactions().create(&id, 6789, 1200, 100).await.unwrap();
    assert_eq!(t.status.as_deref(), Some("CREATED"));
    let tid = t.transaction_id.unwrap();
    assert_eq!(client.transactions().get(&id, tid).await.unwrap().amount, Some(1200));
    assert_eq!(client.transactions().list(&id).await.unwrap().items(None).len(), 1);
    let got = hook.wait_for(2).await;
    assert_eq!(sellkit::marktplaats::decode_webhook(&got[1].body).unwrap().event_type.unwrap().as_str(), "transactionStatusChanged");
    let e = client.transactions().create_value(&id, json!({"buyerId": 1, "amount": 12.5, "shippingCosts": 0})).await.unwrap_err();
    assert_eq!(e.field(), Some("amount"));

    // Upcall confirmations need a client-credentials token (fetched by the client).
    let confirmation = json!({"callerPhoneNumber": "0615420879", "calleePhoneNumber": "0113293823",
                              "startTime": "2014-12-02T09:34:21+00:00", "endTime": "2014-12-02T09:34:23+00:00"});
    client.upcalls().confirm(&id, &confirmation).await.unwrap();
    let e = client.request("POST", &format!("/v1/advertisements/{id}/upcall-confirmations"), Some(&confirmation)).await.unwrap_err();
    assert_eq!(e.status(), Some(403), "a user token is refused there");
}
