//! Search: `next` links followed page by page, never beyond the 5000 results the API serves.

mod mp_common;

use mp_common::*;
use sellkit::marktplaats::search::SearchQuery;
use sellkit::marktplaats::verify_webhook;
use sellkit_simulator::Simulator;
use serde_json::json;

const SEARCH: &str = "GET /v1/search";

#[tokio::test]
async fn search_pages_by_next_links_and_stops_at_5000() {
    let sim = Simulator::start(Default::default()).unwrap();
    sim.mp_seed_ads("marktplaats", 5100, "Vintage lamp").unwrap();
    sim.mp_seed_ads("marktplaats", 10, "Modern chair").unwrap();
    let client = user_client(&sim, "marktplaats").await;

    let q = SearchQuery { page_size: Some(200), ..SearchQuery::text("vintage") };
    let page = client.search_page(&q).await.unwrap();
    assert_eq!(page.total_count, Some(5100));
    assert!(page.link("next").unwrap().contains("offset=200"));

    sim.reset_counters();
    let all = client.search(&q, None).unwrap().collect_all().await.unwrap();
    assert_eq!(all.len(), 5000, "the API serves at most 5000 results");
    assert_eq!(sim.request_count(SEARCH), 25);
    assert!(all.iter().all(|a| a["title"].as_str().unwrap().starts_with("Vintage lamp")));

    // With a page size that does not divide 5000, the last page is cut to fit.
    sim.reset_counters();
    let q = SearchQuery { page_size: Some(150), ..SearchQuery::text("vintage") };
    assert_eq!(client.search(&q, None).unwrap().collect_all().await.unwrap().len(), 5000);
    assert_eq!(sim.request_count(SEARCH), 34);

    sim.reset_counters();
    let some = list(&client, "search", json!({"query": "vintage", "page_size": 200, "limit": 450})).unwrap().collect_all().await.unwrap();
    assert_eq!(some.len(), 450);
    assert_eq!(sim.request_count(SEARCH), 3);

    let few = client.search(&SearchQuery::text("chair"), None).unwrap().collect_all().await.unwrap();
    assert_eq!(few.len(), 10);
    let none = client.search(&SearchQuery::text("vintage -lamp"), None).unwrap().collect_all().await.unwrap();
    assert!(none.is_empty());

    for (bad, field) in [
        (SearchQuery::default(), "query"),
        (SearchQuery { page_size: Some(201), ..SearchQuery::text("x") }, "page_size"),
        (SearchQuery { offset: Some(4900), page_size: Some(200), ..SearchQuery::text("x") }, "offset"),
        (SearchQuery { sort_by: Some("date".into()), ..SearchQuery::text("x") }, "sort_by"),
    ] {
        assert_eq!(client.search(&bad, None).unwrap_err().field(), Some(field));
    }
}

#[test]
fn webhook_signature_of_the_docs() {
    let body = br#"{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}"#;
    let sig = "c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97";
    assert!(verify_webhook(body, sig, "s3cr3t"));
    assert!(!verify_webhook(body, sig, "s3cr3T"));
    let mut tampered = body.to_vec();
    tampered[8] = b'X';
    assert!(!verify_webhook(&tampered, sig, "s3cr3t"));
    let event = sellkit::marktplaats::parse_webhook(body, Some(sig), "s3cr3t").unwrap();
    assert_eq!(sellkit::marktplaats::parse_webhook(body, None, "s3cr3t").unwrap_err().code(), "invalid-signature");
    assert_eq!((event.id.as_deref(), event.created.as_deref()), (Some("id"), Some("2015-01-01T11:00:00.000Z")));
    assert_eq!(event.event_data, Some(json!({"property": "value"})));
}
