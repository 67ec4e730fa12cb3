//! The short sync soak of the test command: a catalogue synced 9 times with edits between runs,
//! under random faults plus queued lost answers on creates and patches, a stalled create and
//! token expiries in mid-run; nothing lost, nothing duplicated, the state store as the server.
//! `scripts/soak --sync` runs the long one.

use sellkit_soak::{run_sync, SyncConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_sync_soak_loses_nothing_duplicates_nothing_and_the_state_agrees() {
    let cfg = SyncConfig { runs: 9, products: 40, ..SyncConfig::default() };
    let report = run_sync(&cfg).await.unwrap();
    println!("{report}");
    assert_eq!(report.runs, 9);
    for kind in ["drop-after", "drop-before", "stall", "status 503"] {
        assert!(report.faults.get(kind).copied().unwrap_or(0) > 0, "no {kind} fault was injected: {:?}", report.faults);
    }
    assert!(report.token_expiries >= 3);
    assert!(report.actions.get("failed").copied().unwrap_or(0) > 0, "the faults never failed an item: {report}");
    assert!(report.edits > 0 && report.actions.get("updated").copied().unwrap_or(0) > 0 && report.actions.get("deleted").copied().unwrap_or(0) > 0);
    assert_eq!(report.lost, 0, "{report}");
    assert_eq!(report.duplicated, 0, "{report}");
    assert_eq!(report.state_disagreements, 0, "{report}");
    assert_eq!(report.ads, report.keys, "{report}");
}
