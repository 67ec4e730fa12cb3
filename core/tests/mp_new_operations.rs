//! The operations added with the catalogue: a search with a JSON body (price range, category
//! attributes), a profile image uploaded as a file, and an image's bytes; through the typed
//! client and through the catalogue the Python and Node packages use.

mod mp_common;

use mp_common::*;
use sellkit::marktplaats::search::SearchQuery;
use sellkit::marktplaats::users::ProfileImageKind;
use sellkit::upload::UploadSource;
use sellkit::ErrorKind;
use sellkit_simulator::{Simulator, MP_USER_ID};
use serde_json::{json, Value};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const GIF: &[u8] = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";

fn lamp(title: &str, cents: i64, condition: &str) -> Value {
    json!({"categoryId": 35, "title": title, "description": "A lamp for the desk", "condition": condition,
           "priceModel": {"modelType": "fixed", "askingPrice": cents}, "location": {"postcode": "1097DN"}})
}

fn titles(items: &[Value]) -> Vec<String> {
    items.iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_search_on_price_and_attributes_posts_a_body_and_pages_by_offset() {
    let sim = Simulator::start(Default::default()).unwrap();
    for (title, cents, condition) in [("Lamp one", 500, "Nieuw"), ("Lamp two", 2500, "Gebruikt"), ("Lamp three", 3000, "Nieuw")] {
        sim.mp_seed_own_ad("marktplaats", lamp(title, cents, condition)).unwrap();
    }
    for i in 0..7 {
        sim.mp_seed_own_ad("marktplaats", lamp(&format!("Cheap lamp {i}"), 100 + i, "Nieuw")).unwrap();
    }
    let client = user_client(&sim, "marktplaats").await;

    let q = SearchQuery { price_from: Some(1000), price_to: Some(3000), ..SearchQuery::text("lamp") };
    let found = client.search(&q, None).unwrap().collect_all().await.unwrap();
    assert_eq!(titles(&found), ["Lamp two", "Lamp three"]);
    assert_eq!(sim.request_count("POST /v1/search"), 1);
    assert_eq!(sim.request_count("GET /v1/search"), 0);

    // Several pages: the same body again with the next offset (a body cannot be followed as a link).
    sim.reset_counters();
    let q = SearchQuery { page_size: Some(3), attributes: Some(json!({"condition": "Nieuw"}).as_object().unwrap().clone()), ..SearchQuery::text("lamp") };
    let found = client.search(&q, None).unwrap().collect_all().await.unwrap();
    assert_eq!(found.len(), 9);
    assert_eq!(sim.request_count("POST /v1/search"), 3);

    // Through the catalogue, as Python and Node call it.
    let page = call(&client, "search_page", json!({"query": "lamp", "price_to": 600, "attributes": {"condition": ["Nieuw", "Gebruikt"]}})).await.unwrap();
    assert_eq!(page["totalCount"], 8);

    // Checked before anything is sent.
    sim.reset_counters();
    for (args, field) in [
        (json!({"query": "lamp", "price_from": -1}), "price_from"),
        (json!({"query": "lamp", "price_from": 10.5}), "price_from"),
        (json!({"query": "lamp", "price_from": 500, "price_to": 100}), "price_to"),
        (json!({"query": "lamp", "attributes": {"condition": {"deep": 1}}}), "attributes.condition"),
        (json!({"query": "lamp", "attributes": {"condition": []}}), "attributes.condition"),
        (json!({"query": "lamp", "attributes": ["condition"]}), "attributes"),
    ] {
        let e = list(&client, "search", args.clone()).err().unwrap_or_else(|| panic!("{args} was accepted"));
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some(field)), "{args}: {e}");
    }
    assert_eq!(sim.request_count("POST /v1/search"), 0);
}

#[tokio::test]
async fn a_profile_image_is_uploaded_as_a_file_and_its_bytes_read_back() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let users = client.users();

    let image = users.upload_profile_image(MP_USER_ID, ProfileImageKind::Logo, UploadSource::bytes("logo.png", PNG.to_vec())).await.unwrap();
    assert_eq!(image["status"], "available");
    let media = image["mediaId"].as_str().unwrap().to_owned();
    let shown = users.profile_image(MP_USER_ID, ProfileImageKind::Logo).await.unwrap();
    assert_eq!(shown["mediaId"], media.as_str());
    let (bytes, content_type) = client.images().blob(&media, "large").await.unwrap();
    assert_eq!(&bytes[..], PNG);
    assert_eq!(content_type.as_deref(), Some("image/png"));

    // From disk, through the catalogue; the image blob comes back as bytes.
    let dir = std::env::temp_dir().join(format!("sellkit-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("backdrop.png");
    std::fs::write(&path, PNG).unwrap();
    let op = sellkit::catalogue::MARKTPLAATS.find("users.upload_profile_image").unwrap();
    let mut args = sellkit::catalogue::Args::new();
    args.set("user_id", sellkit::catalogue::Arg::Json(json!(MP_USER_ID)));
    args.set("kind", sellkit::catalogue::Arg::Json(json!("backdrop")));
    args.set("file", sellkit::catalogue::Arg::Files(vec![UploadSource::path(&path)]));
    let out = sellkit::catalogue::call(op, client.clone(), args).await.unwrap().into_json().unwrap();
    let media = out["mediaId"].as_str().unwrap().to_owned();
    let blob = sellkit::catalogue::MARKTPLAATS.call_json(&client, "images.blob", json!({"media_id": media, "size": "large"})).await.unwrap();
    assert!(matches!(blob, sellkit::catalogue::Out::Bytes(ref b) if &b[..] == PNG), "{blob:?}");
    std::fs::remove_dir_all(&dir).unwrap();

    // The server's checks: a GIF is refused, naming the file.
    let e = users.upload_profile_image(MP_USER_ID, ProfileImageKind::Profile, UploadSource::bytes("x.gif", GIF.to_vec())).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    assert_eq!(e.field(), Some("file"));
    // A file that is not there is refused before sending, naming `file`.
    sim.reset_counters();
    let e = users.upload_profile_image(MP_USER_ID, ProfileImageKind::Profile, UploadSource::path("/nonexistent/x.png")).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("file")));
    assert_eq!(sim.request_count("POST /v1/users/{userId}/profile/profile-image"), 0);
}
