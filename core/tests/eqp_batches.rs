//! Package batches against the simulator: order, per-item failures without rollback, chunking
//! with bounded concurrency, whole-request errors, and recovery of a create lost in transit.

mod common;

use std::time::Duration;

use common::{client, complete, package, sim};
use sellkit::eqp::{BatchOptions, Package};
use sellkit::ErrorKind;
use sellkit_simulator::Fault;
use serde_json::json;

const POST: &str = "POST /rest/v1/products/packages";
const LOOKUP: &str = "GET /rest/v1/products/packages/items/{item_id}";

#[tokio::test]
async fn per_item_results_in_order_without_rollback() {
    let sim = sim();
    let c = client(&sim);
    let items = vec![
        package(json!({"name": "No tech info", "action": {"technical": "submit"}})),
        package(json!({"name": "Bad sku", "sku": "Not A Sku"})),
        package(json!({"name": "Fine draft", "item_id": "fine-1", "prices": [{"edition": "CE", "price": 15.5}]})),
    ];
    let r = c.packages().create(items).await.unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r.items.iter().map(|i| i.code).collect::<Vec<_>>(), vec![1208, 1210, 200]);
    assert_eq!(r.items.iter().map(|i| i.index).collect::<Vec<_>>(), vec![0, 1, 2]);
    assert!(r.items[0].message.contains("Insufficient information for Technical Submission"));
    assert!(!r.all_ok());
    assert_eq!(r.failed_indices(), vec![0, 1]);
    let ok = r.items[2].data.as_ref().unwrap();
    assert!(ok.submission_id.is_some());
    assert_eq!(ok.item_id.as_deref(), Some("fine-1"));
    assert_eq!(sim.eqp_package_count(), 1, "the good item is committed although others failed");
    let e = r.raise_for_failures().unwrap_err();
    assert!(e.message().contains("#0") && e.message().contains("#1") && !e.message().contains("#2"), "{e}");
    assert_eq!(r.clone().into_result().unwrap_err().code(), "batch-items-failed");

    // The stored price kept its exact value.
    let got = c.packages().get(ok.submission_id.as_deref().unwrap()).await.unwrap();
    assert_eq!(got.prices.unwrap()[0].price.unwrap().to_string(), "15.50");

    // A duplicate item_id is refused per item.
    let r = c.packages().create(vec![package(json!({"name": "again", "item_id": "fine-1"})), package(json!({"name": "new", "item_id": "new-1"}))]).await.unwrap();
    assert_eq!(r.items[0].code, 1215);
    assert!(r.items[1].ok);
}

#[tokio::test]
async fn large_inputs_are_chunked_with_bounded_concurrency_and_kept_in_order() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    sim.set_latency(Duration::from_millis(80));
    let items: Vec<Package> = (0..23).map(|i| package(json!({"name": format!("p{i}"), "item_id": format!("item-{i}")}))).collect();
    let r = c.packages().create_with(items, BatchOptions { chunk_size: 5, concurrency: 3 }).await.unwrap();
    sim.set_latency(Duration::ZERO);
    assert!(r.all_ok(), "{:?}", r.failed());
    assert_eq!(r.len(), 23);
    for (i, item) in r.iter().enumerate() {
        assert_eq!(item.index, i);
        assert_eq!(item.data.as_ref().unwrap().item_id.as_deref(), Some(format!("item-{i}").as_str()));
    }
    assert_eq!(sim.request_count(POST), 5);
    let max = sim.max_in_flight(POST);
    assert!((2..=3).contains(&max), "in flight at once: {max}");
    assert_eq!(sim.eqp_package_count(), 23);
}

#[tokio::test]
async fn whole_request_failures() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    // One request: a 4xx is an error, nothing processed.
    sim.fail_next(POST, 1, 403, None).unwrap();
    let e = c.packages().create(vec![package(json!({"name": "x"}))]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    assert_eq!(e.status(), Some(403));
    assert_eq!(sim.eqp_package_count(), 0);

    // Several chunks, one fails whole: its items say so, the others keep their results.
    sim.fail_next(POST, 1, 400, None).unwrap();
    let items: Vec<Package> = (0..6).map(|i| package(json!({"name": format!("c{i}")}))).collect();
    let r = c.packages().create_with(items, BatchOptions { chunk_size: 2, concurrency: 1 }).await.unwrap();
    assert_eq!(r.failed_indices(), vec![0, 1]);
    assert_eq!(r.items[0].code, 400);
    assert!(r.items[0].error.is_some());
    assert_eq!(r.chunk_errors().len(), 1);
    assert!(r.items[2..].iter().all(|i| i.ok));
    assert_eq!(sim.eqp_package_count(), 4);

    // Every chunk fails: the error, as for one request.
    let items: Vec<Package> = (0..4).map(|i| package(json!({"name": format!("d{i}")}))).collect();
    sim.fail_next(POST, 10, 422, None).unwrap();
    let e = c.packages().create_with(items, BatchOptions { chunk_size: 2, concurrency: 2 }).await.unwrap_err();
    assert_eq!(e.status(), Some(422));
    assert_eq!(sim.request_count(POST), 1 + 3 + 2);
    sim.clear_faults();

    // An update without submission_id is refused before sending.
    let e = c.packages().update(vec![package(json!({"name": "x"}))]).await.unwrap_err();
    assert_eq!(e.field(), Some("items[0].submission_id"));
}

#[tokio::test]
async fn a_create_lost_after_processing_is_recovered_not_duplicated() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    sim.inject(POST, Fault::drop_after(1)).unwrap();
    let items = vec![package(json!({"name": "a", "item_id": "r-a"})), package(json!({"name": "b", "item_id": "r-b"}))];
    let r = c.packages().create(items).await.unwrap();
    assert!(r.all_ok(), "{:?}", r.failed());
    assert!(r.iter().all(|i| i.recovered));
    assert_eq!(r.items[1].data.as_ref().unwrap().item_id.as_deref(), Some("r-b"));
    assert!(r.items[0].data.as_ref().unwrap().submission_id.is_some());
    assert_eq!(sim.request_count(POST), 1, "never sent again");
    assert_eq!(sim.request_count(LOOKUP), 2);
    assert_eq!(sim.eqp_package_count(), 2, "no duplicates");
}

#[tokio::test]
async fn a_create_lost_before_processing_is_sent_again_once() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    sim.inject(POST, Fault::drop_before(1)).unwrap();
    let items = vec![package(json!({"name": "a", "item_id": "s-a"})), package(json!({"name": "b", "item_id": "s-b"}))];
    let r = c.packages().create(items).await.unwrap();
    assert!(r.all_ok(), "{:?}", r.failed());
    assert!(r.iter().all(|i| !i.recovered));
    assert_eq!(sim.request_count(POST), 2);
    assert_eq!(sim.eqp_package_count(), 2);
}

#[tokio::test]
async fn items_without_item_id_are_never_blindly_resent() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    sim.inject(POST, Fault::drop_after(1)).unwrap();
    let r = c.packages().create(vec![package(json!({"name": "no id"})), package(json!({"name": "with id", "item_id": "w-1"}))]).await.unwrap();
    assert!(!r.items[0].ok);
    assert!(r.items[0].message.contains("no item_id"), "{}", r.items[0].message);
    assert_eq!(r.items[0].error.as_ref().unwrap().kind(), ErrorKind::Connection);
    assert!(r.items[1].ok && r.items[1].recovered);
    assert_eq!(sim.request_count(POST), 1);
    assert_eq!(sim.eqp_package_count(), 2, "both were created by the one request that reached the server");
}

#[tokio::test]
async fn the_connection_drop_is_a_transport_error_not_a_status() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    sim.inject("GET /rest/v1/reports/metrics", Fault::drop_before(3)).unwrap();
    let e = c.reports().metrics(None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert_eq!(e.status(), None);
    assert_eq!(sim.request_count("GET /rest/v1/reports/metrics"), 3, "a GET is retried twice");
    let _ = complete("x", "y");
}
