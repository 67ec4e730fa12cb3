//! Lists: lazy paging to X-Total-Count, filters, sort on the wire (`+` as `%2B`), limits.

mod common;

use common::{client, package, sim};
use futures_util::StreamExt;
use sellkit::catalogue::EQP;
use sellkit::eqp::{ListOptions, PackageFilter, SortKey};
use serde_json::json;

const LIST: &str = "GET /rest/v1/products/packages";

async fn seed(c: &sellkit::eqp::Client) {
    let names = ["Gamma Checkout", "alpha theme", "Beta Checkout", "delta", "Epsilon", "zeta", "Eta Checkout"];
    let items = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let t = if i == 1 { "theme" } else { "extension" };
            package(json!({"name": n, "type": t, "platform": "M2", "item_id": format!("l-{i}"), "version": format!("1.0.{i}"), "sku": format!("acme/p{}", i % 3),
                           "prices": [{"edition": "CE", "currency_code": "USD", "price": 10.1}]}))
        })
        .collect();
    assert!(c.packages().create(items).await.unwrap().all_ok());
}

#[tokio::test]
async fn pages_are_fetched_lazily_until_the_total() {
    let sim = sim();
    let c = client(&sim);
    seed(&c).await;
    sim.reset_counters();
    let mut stream = Box::pin(c.packages().list(&PackageFilter::new(), ListOptions { page_size: Some(3), limit: None }));
    assert_eq!(sim.request_count(LIST), 0, "nothing fetched before the stream is read");
    let first = stream.next().await.unwrap().unwrap();
    assert!(first.submission_id.is_some());
    assert_eq!(sim.request_count(LIST), 1);
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(rest.len(), 6);
    assert_eq!(sim.request_count(LIST), 3, "pages of 3, 3 and 1; the total stops it");
    let offsets: Vec<String> = sim.requests(LIST);
    assert!(offsets[2].contains("offset=6") && offsets[2].contains("limit=3"), "{offsets:?}");

    // A limit stops early and asks only for what it needs.
    sim.reset_counters();
    let some: Vec<_> = c.packages().list(&PackageFilter::new(), ListOptions { page_size: Some(3), limit: Some(4) }).collect().await;
    assert_eq!(some.len(), 4);
    assert_eq!(sim.request_count(LIST), 2);
    assert!(sim.requests(LIST)[1].contains("limit=1"), "{:?}", sim.requests(LIST));

    // Files page the same way.
    let files: Vec<_> = c.files().list(ListOptions { page_size: Some(2), limit: None }).collect().await;
    assert!(files.is_empty());
}

#[tokio::test]
async fn filters_and_sort_reach_the_server_encoded() {
    let sim = sim();
    let c = client(&sim);
    seed(&c).await;
    let names = |f: PackageFilter| {
        let c = c.clone();
        async move {
            c.packages()
                .list(&f, ListOptions::default())
                .map(|p| p.unwrap().name.unwrap())
                .collect::<Vec<_>>()
                .await
        }
    };
    assert_eq!(names(PackageFilter::new().with("type", "theme")).await, ["alpha theme"]);
    assert_eq!(names(PackageFilter::new().with("type", "them")).await, Vec::<String>::new(), "type is exact");
    let mut checkout = names(PackageFilter::new().with("name", "checkout").sort_by(SortKey::asc("name"))).await;
    assert_eq!(checkout, ["Beta Checkout", "Eta Checkout", "Gamma Checkout"], "name is a substring filter");
    checkout = names(PackageFilter::new().with("name", "Checkout").sort_by(SortKey::desc("name"))).await;
    assert_eq!(checkout, ["Gamma Checkout", "Eta Checkout", "Beta Checkout"]);
    let raw = sim.requests(LIST);
    assert!(raw.iter().any(|q| q.contains("sort=%2Bname")), "the + goes out as %2B: {raw:?}");
    assert!(raw.iter().any(|q| q.contains("sort=-name")), "{raw:?}");
    // Sent raw, the + would arrive as a space: the simulator refuses it like an unknown field.
    let e = c.request("GET", "/rest/v1/products/packages?sort=+name", None).await.unwrap_err();
    assert_eq!(e.status(), Some(400));

    // Two sort keys.
    let two = names(PackageFilter::new().sort_by(SortKey::desc("type")).sort_by(SortKey::asc("version"))).await;
    assert_eq!(two[0], "alpha theme");

    // The by-sku list and its version filter.
    let by_sku: Vec<_> = c.packages().by_sku("acme/p0", None, ListOptions::default()).map(|p| p.unwrap().version.unwrap()).collect().await;
    assert_eq!(by_sku, ["1.0.0", "1.0.3", "1.0.6"]);
    let one: Vec<_> = c.packages().by_sku("acme/p0", Some("1.0.3"), ListOptions::default()).collect().await;
    assert_eq!(one.len(), 1);
    assert!(sim.requests("GET /rest/v1/products/packages/skus/{sku}")[0].contains("acme%2Fp0"));
    let items: Vec<_> = c.packages().items(ListOptions::default()).collect().await;
    assert_eq!(items.len(), 7);
    let skus: Vec<_> = c.packages().skus(ListOptions { limit: Some(2), ..Default::default() }).collect().await;
    assert_eq!(skus.len(), 2);
}

#[tokio::test]
async fn the_bindings_list_gives_prices_as_strings() {
    let sim = sim();
    let c = client(&sim);
    seed(&c).await;
    let mut pages = EQP.list_json(&c, "packages.list", json!({"type": "extension", "sort": "-name", "limit": 2, "page_size": 1})).unwrap();
    let all = {
        let mut v = Vec::new();
        while let Some(item) = pages.next_item().await.unwrap() {
            v.push(item);
        }
        v
    };
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["name"], "zeta");
    assert_eq!(all[0]["prices"][0]["price"], "10.10");
    let by_sku = EQP.list_json(&c, "packages.by_sku", json!({"sku": "acme/p1"})).unwrap().collect_all().await.unwrap();
    assert_eq!(by_sku.len(), 2);
    assert!(EQP.list_json(&c, "files.list", json!({})).unwrap().collect_all().await.unwrap().is_empty());
}
