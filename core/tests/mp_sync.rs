//! `ads.sync` against the simulator over HTTP: the plan and its counts, a price change as one
//! patch, removal with `delete_missing`, an invalid item refused locally, a dry run that only
//! reads, a create whose answer is lost, a run killed mid-way and run again, and the state in a
//! file and in Redis.

mod mp_common;
mod redis_server;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use mp_common::*;
use redis_server::RedisServer;
use sellkit::marktplaats::sync::{catalogue_from_csv, Catalogue, SyncAction, SyncOptions, SyncResult};
use sellkit::marktplaats::Client;
use sellkit::store::{MemoryStore, Store};
use sellkit_simulator::{Fault, FaultAction, Simulator};
use serde_json::{json, Value};

const CREATE: &str = "POST /v1/advertisements";
const PATCH: &str = "PATCH /v1/advertisements/{itemId}";
const DELETE: &str = "DELETE /v1/advertisements/{itemId}";
const IMAGES: &str = "POST /v1/advertisements/{itemId}/images";

fn product(title: &str, cents: i64) -> Value {
    let mut ad = cd_player(title);
    ad["priceModel"]["askingPrice"] = json!(cents);
    ad
}

fn catalogue(n: usize) -> Catalogue {
    let mut c = Catalogue::new();
    for i in 1..=n {
        c.insert(format!("sku-{i}"), product(&format!("Cd player {i}"), 1000 + i as i64));
    }
    c
}

fn actions(r: &SyncResult) -> Vec<(String, String)> {
    r.entries().iter().map(|i| (i.key.clone().unwrap(), i.action.as_ref().unwrap().as_str().to_owned())).collect()
}

fn counts(r: &SyncResult) -> [u64; 6] {
    let c = r.counts.as_ref().unwrap();
    [c.created, c.updated, c.unchanged, c.deleted, c.invalid, c.failed].map(|n| n.unwrap())
}

/// The simulator's ads of the demo user, by title: every title must appear once.
fn ads_by_title(sim: &Simulator) -> BTreeMap<String, Vec<Value>> {
    let mut by: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for ad in sim.mp_ads("marktplaats") {
        by.entry(ad["title"].as_str().unwrap().to_owned()).or_default().push(ad);
    }
    by
}

fn assert_one_ad_per_key(sim: &Simulator, catalogue: &Catalogue) {
    let by = ads_by_title(sim);
    for (key, ad) in catalogue.entries() {
        let title = ad["title"].as_str().unwrap();
        assert_eq!(by.get(title).map(Vec::len), Some(1), "{key}: one ad titled {title:?}: {by:#?}");
    }
}

async fn setup() -> (Simulator, Client) {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    (sim, client)
}

fn memory() -> Arc<dyn Store> {
    Arc::new(MemoryStore::new())
}

#[tokio::test]
async fn plan_counts_price_change_removal_and_order() {
    let (sim, client) = setup().await;
    let state = memory();
    let mut cat = catalogue(3);
    cat.get_mut("sku-2").unwrap()["images"] = json!(["https://img.example/2a.jpg"]);

    let first = client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    assert_eq!(actions(&first), vec![("sku-1".into(), "created".into()), ("sku-2".into(), "created".into()), ("sku-3".into(), "created".into())]);
    assert_eq!(counts(&first), [3, 0, 0, 0, 0, 0]);
    assert_eq!(sim.request_count(CREATE), 3);
    assert_eq!(sim.request_count(IMAGES), 1, "images only where the catalogue has some");
    let id2 = first.item("sku-2").unwrap().item_id.clone().unwrap();
    assert_eq!(sim.mp_ad_image_urls("marktplaats", &id2).unwrap(), vec!["https://img.example/2a.jpg".to_owned()]);
    assert_one_ad_per_key(&sim, &cat);

    // Nothing changed: nothing is written.
    sim.reset_counters();
    let again = client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    assert_eq!(counts(&again), [0, 0, 3, 0, 0, 0]);
    assert_eq!(sim.request_count(CREATE) + sim.request_count(PATCH) + sim.request_count(DELETE), 0);

    // A price change is one patch of one operation.
    cat.get_mut("sku-1").unwrap()["priceModel"]["askingPrice"] = json!(1999);
    sim.reset_counters();
    let priced = client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    assert_eq!(counts(&priced), [0, 1, 2, 0, 0, 0]);
    assert_eq!(sim.request_count(PATCH), 1);
    let id1 = priced.item("sku-1").unwrap().item_id.clone().unwrap();
    assert_eq!(sim.mp_ad("marktplaats", &id1).unwrap()["priceModel"]["askingPrice"], 1999, "exact cents");

    // New images replace the old ones.
    cat.get_mut("sku-2").unwrap()["images"] = json!(["https://img.example/2b.jpg", "https://img.example/2c.jpg"]);
    sim.reset_counters();
    let imaged = client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    assert_eq!(counts(&imaged), [0, 1, 2, 0, 0, 0]);
    assert_eq!((sim.request_count(PATCH), sim.request_count(IMAGES)), (0, 1), "only the images changed");
    assert_eq!(sim.mp_ad_image_urls("marktplaats", &id2).unwrap().len(), 2);

    // A key that leaves the catalogue stays without delete_missing, goes with it.
    cat.remove("sku-3");
    let kept = client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    assert_eq!(counts(&kept), [0, 0, 2, 0, 0, 0]);
    assert_eq!(sim.mp_ads("marktplaats").len(), 3);
    let opts = SyncOptions { delete_missing: true, ..SyncOptions::new(state.clone()) };
    let removed = client.ads().sync(&cat, &opts).await.unwrap();
    assert_eq!(actions(&removed).last().unwrap(), &("sku-3".to_owned(), "deleted".to_owned()), "deleted keys come last");
    assert_eq!(counts(&removed), [0, 0, 2, 1, 0, 0]);
    assert_eq!(sim.mp_ads("marktplaats").len(), 2);
    let after = client.ads().sync(&cat, &opts).await.unwrap();
    assert_eq!(counts(&after), [0, 0, 2, 0, 0, 0], "the deleted key is forgotten");
}

#[tokio::test]
async fn an_invalid_item_is_refused_locally_with_its_field_and_the_others_are_applied() {
    let (sim, client) = setup().await;
    let mut cat = catalogue(3);
    cat.get_mut("sku-2").unwrap()["condition"] = json!("Kapot");
    cat.get_mut("sku-3").unwrap()["priceModel"]["askingPrice"] = json!(12.5);
    let r = client.ads().sync(&cat, &SyncOptions::new(memory())).await.unwrap();
    assert_eq!(counts(&r), [1, 0, 0, 0, 2, 0]);
    let e2 = r.item("sku-2").unwrap().error.clone().unwrap();
    assert_eq!((e2.kind.as_deref(), e2.field.as_deref()), (Some("invalid_input"), Some("condition")), "{e2:?}");
    let e3 = r.item("sku-3").unwrap().error.clone().unwrap();
    assert_eq!(e3.field.as_deref(), Some("priceModel.askingPrice"), "{e3:?}");
    assert_eq!(sim.request_count(CREATE), 1, "the invalid ones are never sent");
}

#[tokio::test]
async fn a_dry_run_only_reads_and_writes_no_state() {
    let (sim, client) = setup().await;
    let state = memory();
    let mut cat = catalogue(2);
    client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    cat.get_mut("sku-1").unwrap()["title"] = json!("Cd player one, renamed");
    cat.insert("sku-9", product("Cd player 9", 900));
    cat.remove("sku-2");
    sim.reset_counters();
    let opts = SyncOptions { dry_run: true, delete_missing: true, ..SyncOptions::new(state.clone()) };
    let plan = client.ads().sync(&cat, &opts).await.unwrap();
    assert_eq!(actions(&plan), vec![("sku-1".into(), "updated".into()), ("sku-9".into(), "created".into()), ("sku-2".into(), "deleted".into())]);
    for (route, n) in sim.request_counts() {
        assert!(route.starts_with("GET ") || n == 0, "a dry run sent {n} × {route}");
    }
    assert_eq!(state.get("sync", "marktplaats/item/sku-9").await.unwrap(), None, "no state written");
    // The same plan again: nothing changed.
    let plan2 = client.ads().sync(&cat, &opts).await.unwrap();
    assert_eq!(actions(&plan), actions(&plan2));
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_found_not_sent_again() {
    let (sim, client) = setup().await;
    let state = memory();
    let cat = catalogue(3);
    sim.inject(CREATE, Fault::drop_after(1)).unwrap();
    let r = client.ads().sync(&cat, &SyncOptions { concurrency: 1, ..SyncOptions::new(state.clone()) }).await.unwrap();
    assert_eq!(counts(&r), [3, 0, 0, 0, 0, 0], "{:?}", r);
    assert_eq!(sim.request_count(CREATE), 3, "the lost create was not sent again");
    assert_one_ad_per_key(&sim, &cat);
    let again = client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    assert_eq!(counts(&again), [0, 0, 3, 0, 0, 0]);
}

#[tokio::test]
async fn a_run_killed_mid_way_is_finished_by_the_next_without_a_duplicate() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client_with(builder(&sim, "marktplaats").timeout(Duration::from_secs(5))).await;
    let state = memory();
    let cat = catalogue(6);
    // The first create is processed and its answer held: the run is killed while it waits.
    sim.inject(CREATE, Fault { count: 1, action: FaultAction::Stall(Duration::from_secs(30)) }).unwrap();
    let run = {
        let (client, cat, state) = (client.clone(), cat.clone(), state.clone());
        tokio::spawn(async move { client.ads().sync(&cat, &SyncOptions { concurrency: 1, ..SyncOptions::new(state) }).await })
    };
    let start = std::time::Instant::now();
    while sim.mp_ads("marktplaats").is_empty() {
        assert!(start.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    run.abort();
    let _ = run.await;
    let placed = sim.mp_ads("marktplaats").len();
    assert!((1..6).contains(&placed), "killed mid-way: {placed} placed");
    let intent = state.get("sync", "marktplaats/item/sku-1").await.unwrap();
    assert!(intent.is_some(), "the first key's record is in the state");

    let r = client.ads().sync(&cat, &SyncOptions::new(state.clone())).await.unwrap();
    assert_eq!(r.count(SyncAction::Failed), 0, "{r:?}");
    assert_eq!(r.count(SyncAction::Created) + r.count(SyncAction::Unchanged), 6);
    assert_one_ad_per_key(&sim, &cat);
    assert_eq!(sim.mp_ads("marktplaats").len(), 6);
}

#[tokio::test]
async fn state_in_a_file_and_in_redis_survives_the_client() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file_url = format!("file://{}", dir.path().join("sync.json").display());
    for url in [file_url, redis.url()] {
        let (sim, client) = setup().await;
        let cat = catalogue(2);
        let first = client.ads().sync_url(&cat, &url, SyncOptions::new(memory())).await.unwrap();
        assert_eq!(counts(&first), [2, 0, 0, 0, 0, 0], "{url}");
        drop(client);
        // Another client, another process as far as the store knows.
        let other = user_client(&sim, "marktplaats").await;
        let second = other.ads().sync(&cat, &SyncOptions::from_url(&url).unwrap()).await.unwrap();
        assert_eq!(counts(&second), [0, 0, 2, 0, 0, 0], "{url}");
        assert_one_ad_per_key(&sim, &cat);
    }
}

#[tokio::test]
async fn a_csv_catalogue_goes_live_in_exact_cents() {
    let (sim, client) = setup().await;
    let csv = "key,title,description,category_id,price,postcode,attr.condition,attr.brand,attr.properties,attr.delivery\n\
               sku-1,Sony cd player,Plays every cd,35,\"32,41\",1097DN,Nieuw,Sony,Draagbaar,Ophalen\n\
               sku-2,Philips radio,Plays the radio,35,0.29,1097DN,Gebruikt,Philips,Draagbaar,Ophalen\n";
    let cat = catalogue_from_csv(csv).unwrap();
    let r = client.ads().sync(&cat, &SyncOptions::new(memory())).await.unwrap();
    assert_eq!(counts(&r), [2, 0, 0, 0, 0, 0], "{r:?}");
    let prices: Vec<Value> = sim.mp_ads("marktplaats").iter().map(|a| a["priceModel"]["askingPrice"].clone()).collect();
    assert_eq!(prices, vec![json!(3241), json!(29)]);
}

#[tokio::test]
async fn memory_state_named_by_url_lives_with_the_client() {
    let (_sim, client) = setup().await;
    let cat = catalogue(1);
    let first = client.ads().sync_url(&cat, "memory:", SyncOptions::new(memory())).await.unwrap();
    assert_eq!(counts(&first), [1, 0, 0, 0, 0, 0]);
    let second = client.clone().ads().sync_url(&cat, "memory:", SyncOptions::new(memory())).await.unwrap();
    assert_eq!(counts(&second), [0, 0, 1, 0, 0, 0]);
    let e = client.ads().sync(&cat, &SyncOptions { concurrency: 0, ..SyncOptions::new(memory()) }).await.unwrap_err();
    assert_eq!(e.field(), Some("concurrency"));
}
