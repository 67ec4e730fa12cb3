//! Users, own advertisements with offset/limit pagination, profile, reviews, categories,
//! locations, orders; and the same operations through the bindings' dispatch entry.

mod mp_common;

use futures_util::StreamExt;
use mp_common::*;
use sellkit::marktplaats::users::ProfileImageKind;
use sellkit::ErrorKind;
use sellkit_simulator::Simulator;
use serde_json::json;

const USER_ADS: &str = "GET /v1/users/{userId}/advertisements";

#[tokio::test]
async fn me_follows_the_redirect_and_users_are_read() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let me = client.users().me().await.unwrap();
    assert_eq!(me.user_id, Some(sim.mp_user_id()));
    assert_eq!(sim.request_count("GET /v1/me"), 1);
    assert_eq!(sim.request_count("GET /v1/users/{userId}"), 1);
    assert!(me.email.is_some(), "the user sees their own e-mail");
    let other = client.users().get(sellkit_simulator::MP_OTHER_USER_ID).await.unwrap();
    assert_eq!((other.name.as_deref(), other.email), (Some("Sam"), None));
    assert!(client.users().collection().await.unwrap().link("item").is_some());
    let result = client.users().change_email(me.user_id.unwrap(), "new@example.com").await.unwrap();
    assert!(result.message.unwrap().contains("robin@example.com"));
    let e = client.users().change_email(me.user_id.unwrap(), "sam@example.com").await.unwrap_err();
    assert_eq!(e.details()[0].code.as_deref(), Some("email-in-use"));
    let e = client.users().create(&json!({"email": "x@y.nl", "phoneNumber": "0906292818"})).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("phoneNumber")));
}

#[tokio::test]
async fn own_ads_page_by_offset_multiple_of_limit() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    for i in 0..7 {
        client.ads().create_value(cd_player(&format!("Player number {i}"))).await.unwrap();
    }
    sim.mp_seed_ads("marktplaats", 5, "Not mine").unwrap();
    let me = sim.mp_user_id();
    sim.reset_counters();
    let all = client.users().ads(Some(me), None, Some(3)).unwrap().collect_all().await.unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(sim.request_count(USER_ADS), 3, "pages at offsets 0, 3 and 6");
    let titles: Vec<_> = all.iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles[0], "Player number 0");
    assert_eq!(titles[6], "Player number 6");

    // The current user by default, a cap, and a stream.
    sim.reset_counters();
    let first: Vec<_> = client.users().ads(None, Some(4), Some(2)).unwrap().into_stream().collect().await;
    assert_eq!(first.len(), 4);
    assert_eq!(sim.request_count(USER_ADS), 2);

    let page = client.users().ads_page(me, 3, 3).await.unwrap();
    assert_eq!((page.offset, page.limit, page.total_count), (Some(3), Some(3), Some(7)));
    let e = client.users().ads_page(me, 2, 3).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.field()), (ErrorKind::InvalidInput, "pagination-invalid", Some("offset")));
    let e = client.request("GET", &format!("/v1/users/{me}/advertisements?offset=5&limit=6"), None).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(400), "pagination-invalid"));
    let e = client.users().ads_page(sellkit_simulator::MP_OTHER_USER_ID, 0, 10).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(401), "unauthorized"));
}

#[tokio::test]
async fn profile_reviews_features_and_legal_status() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let me = sim.mp_user_id();
    let profile = client.users().replace_profile(me, &json!({"title": "Super shop", "description": "Better than all the rest", "videoUrl": "some"})).await.unwrap();
    assert_eq!(profile["title"], "Super shop");
    let patched = client.users().patch_profile(me, &json!([{"op": "replace", "path": "/title", "value": "Mega shop"}])).await.unwrap();
    assert_eq!(patched["title"], "Mega shop");
    let e = client.users().replace_profile(me, &json!({"title": "x".repeat(151)})).await.unwrap_err();
    assert_eq!(e.field(), Some("title"));
    client.users().set_profile_image(me, ProfileImageKind::Backdrop, "http://remote.host/images/image1.jpg").await.unwrap();
    assert_eq!(client.users().profile_image(me, ProfileImageKind::Backdrop).await.unwrap()["url"], "http://remote.host/images/image1.jpg");
    let typed = client.users().profile(me).await.unwrap();
    assert_eq!(typed.title.as_deref(), Some("Mega shop"));
    assert!(typed.embedded.unwrap().contains_key("mp:backdrop-image"));
    client.users().delete_profile_image(me, ProfileImageKind::Backdrop).await.unwrap();
    assert_eq!(client.users().profile_image(me, ProfileImageKind::Backdrop).await.unwrap_err().status(), Some(404));

    let settings = client.users().replace_review_settings(me, &json!({"reviewsPlatform": "tevreden", "reviewsUser": "handyHarry"})).await.unwrap();
    assert_eq!(settings["reviewsUser"], "handyHarry");
    let patched = client.users().patch_review_settings(me, &json!([{"op": "replace", "path": "/reviewsUser", "value": "harry"}])).await.unwrap();
    assert_eq!(patched["reviewsUser"], "harry");
    assert_eq!(client.users().review_settings(me).await.unwrap().reviews_platform.as_deref(), Some("tevreden"));
    let reviews = client.users().reviews(me).await.unwrap();
    assert_eq!(reviews.number_of_reviews, Some(1));
    assert_eq!(client.users().brands(me).await.unwrap().brands.unwrap().len(), 2);
    assert_eq!(client.users().legal_status(me).await.unwrap().dsa_approved, Some(true));
    let order = client.users().buy_feature(me, "bedrijfsprofilering", None).await.unwrap();
    let oid = order.order_id.unwrap();
    assert_eq!(client.orders().products(oid).await.unwrap().items(None).len(), 1);
    assert_eq!(client.orders().product(oid, 1).await.unwrap().description.as_deref(), Some("bedrijfsprofilering"));
    let features = client.users().features(me).await.unwrap();
    let active: Vec<_> = features.items(None).into_iter().filter(|f| f["active"] == true).collect();
    assert_eq!(active.len(), 1);
    assert!(client.users().statistics(me).await.unwrap().get("numberOfAdvertisements").is_some());
}

#[tokio::test]
async fn categories_and_locations() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let tree = client.categories().list(None).await.unwrap();
    let l1: Vec<sellkit::marktplaats::models::Category> =
        sellkit::marktplaats::models::embedded_items(tree.embedded.as_ref(), Some("mp:category")).into_iter().map(|v| serde_json::from_value(v).unwrap()).collect();
    assert!(l1.iter().any(|c| c.category_id == Some(31) && c.children().iter().any(|k| k.category_id == Some(35))));
    assert_eq!(client.categories().list(Some(35)).await.unwrap().category_id, Some(35));
    assert_eq!(client.categories().get(31, Some(35)).await.unwrap().name.as_deref(), Some("Cd-spelers"));
    assert_eq!(client.categories().get(1, Some(35)).await.unwrap_err().code(), "category-not-found");
    let attrs = client.categories().attributes(31, 35).await.unwrap();
    let props = attrs.iter().find(|a| a.key.as_deref() == Some("properties")).unwrap();
    assert_eq!(props.attribute_type, Some(sellkit::marktplaats::models::AttributeType::List));
    let fees = client.categories().fees(91, 93).await.unwrap();
    assert_eq!(fees.running_subscriptions.unwrap().len(), 3);
    let loc = client.locations().by_postcode("8301 AA").await.unwrap();
    assert_eq!(loc.city.as_deref(), Some("Emmeloord"));
    assert_eq!(client.locations().by_postcode("9999ZZ").await.unwrap_err().code(), "location-not-found");
    assert!(client.root().await.unwrap().link("mp:categories").is_some());
}

#[tokio::test]
async fn the_dispatch_entry_reaches_the_same_operations() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = builder(&sim, "2dehands").build().unwrap();
    let url = call(&client, "authorization_url", json!({"redirect_uri": REDIRECT})).await.unwrap();
    let (code, _) = authorize(url[0].as_str().unwrap()).await;
    let set = call(&client, "exchange_code", json!({"code": code, "redirect_uri": REDIRECT})).await.unwrap();
    assert!(set["refresh_token"].is_string());
    let ad = call(&client, "ads.create", json!({"ad": cd_player("Via dispatch")})).await.unwrap();
    let id = ad["itemId"].as_str().unwrap().to_owned();
    assert_eq!(ad["locale"], "nl-BE");
    let old = call(&client, "ads.get", json!({"item_id": id})).await.unwrap();
    let mut new = old.clone();
    new["title"] = json!("Via dispatch, updated");
    let updated = call(&client, "ads.update_from", json!({"item_id": id, "old_ad": old, "new_ad": new})).await.unwrap();
    assert_eq!(updated, new);
    let placeholders = call(&client, "images.add", json!({"item_id": id, "urls": ["http://x.nl/a.jpg"], "replace_all": true})).await.unwrap();
    let media = placeholders["_embedded"]["mp:advertisement-image"][0]["mediaId"].as_str().unwrap().to_owned();
    let image = call(&client, "images.wait_until_available", json!({"media_id": media, "timeout": 5, "interval": 0.05})).await.unwrap();
    assert_eq!(image["status"], "available");
    assert_eq!(call(&client, "resolve_locale", json!({})).await.unwrap(), "nl-BE");
    let ads = list(&client, "users.ads", json!({"page_size": 1})).unwrap().collect_all().await.unwrap();
    assert_eq!(ads.len(), 1);
    let e = call(&client, "ads.patch", json!({"item_id": id, "ops": [{"op": "copy", "from": "/title", "path": "/x"}]})).await.unwrap_err();
    assert_eq!(e.code(), "invalid-patch-operation");
    assert_eq!(call(&client, "ads.delete", json!({"item_id": id})).await.unwrap(), serde_json::Value::Null);
    let raw = call(&client, "request", json!({"method": "GET", "path": "/v1/categories?categoryId=35"})).await.unwrap();
    assert_eq!(raw["categoryId"], 35);
}
