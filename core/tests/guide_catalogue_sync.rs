//! The Rust program of docs/guides/catalogue-sync.md (examples/guides/catalogue-sync/sync.rs),
//! run against the simulator: the CSV goes live, then a price change, then a removal.

mod mp_common;

#[allow(dead_code)]
#[path = "../../examples/guides/catalogue-sync/sync.rs"]
mod program;

use mp_common::*;
use sellkit_simulator::Simulator;

fn csv(name: &str) -> String {
    format!("{}/../examples/guides/catalogue-sync/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn the_guide_program_lists_changes_and_removes() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let dir = tempfile::tempdir().unwrap();
    let state = format!("file://{}", dir.path().join("sync-state.json").display());

    let plan = program::run(&client, &csv("products.csv"), &state, &["--dry-run"]).await.unwrap();
    assert_eq!(plan.last().unwrap(), "created=3 updated=0 unchanged=0 deleted=0 invalid=0 failed=0", "{plan:#?}");
    assert!(sim.mp_ads("marktplaats").is_empty(), "a dry run places nothing");

    let live = program::run(&client, &csv("products.csv"), &state, &[]).await.unwrap();
    assert_eq!(live.last().unwrap(), "created=3 updated=0 unchanged=0 deleted=0 invalid=0 failed=0", "{live:#?}");
    let prices: Vec<i64> = sim.mp_ads("marktplaats").iter().map(|a| a["priceModel"]["askingPrice"].as_i64().unwrap()).collect();
    assert_eq!(prices, vec![3250, 4500, 5995], "euros in the CSV became exact cents");

    let priced = program::run(&client, &csv("products-price-change.csv"), &state, &[]).await.unwrap();
    assert_eq!(priced.last().unwrap(), "created=0 updated=1 unchanged=2 deleted=0 invalid=0 failed=0", "{priced:#?}");
    assert!(priced[0].starts_with("cd-100   updated"), "{priced:#?}");

    let removed = program::run(&client, &csv("products-removal.csv"), &state, &["--delete-missing"]).await.unwrap();
    assert_eq!(removed.last().unwrap(), "created=0 updated=0 unchanged=2 deleted=1 invalid=0 failed=0", "{removed:#?}");
    assert!(removed[2].starts_with("cd-200   deleted"), "{removed:#?}");
    assert_eq!(sim.mp_ads("marktplaats").len(), 2);
}
