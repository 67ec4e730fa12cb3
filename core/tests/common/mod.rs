//! Shared helpers of the EQP integration tests.
#![allow(dead_code)]

use std::time::Duration;

use sellkit::eqp::{Client, Model, Package};
use sellkit_simulator::{Simulator, SimulatorConfig};
use serde_json::{json, Value};

pub fn sim() -> Simulator {
    Simulator::start(SimulatorConfig { eqp_review_delay: None, eqp_scan_delay: Duration::from_millis(50), ..Default::default() }).unwrap()
}

pub fn client(sim: &Simulator) -> Client {
    Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build().unwrap()
}

pub fn package(v: Value) -> Package {
    Package::from_input(&v, "test").unwrap()
}

/// A package with everything both reviews require.
pub fn complete(name: &str, item_id: &str) -> Value {
    json!({
        "item_id": item_id,
        "type": "extension", "platform": "M2",
        "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
        "name": name, "long_description": "Long", "release_notes": "Notes", "version": "1.0.0",
        "artifact": {"file_upload_id": "zip.1"},
        "documentation_artifacts": {"user": {"file_upload_id": "pdf.1"}},
        "media_artifacts": {"icon_image": {"file_upload_id": "png.1"}},
        "categories": ["//Extensions//Payments & Security//Checkout Enhancements"],
        "license_type": "mit",
        "launch_on_approval": true,
        "prices": [{"edition": "CE", "currency_code": "USD", "price": "15.50"}]
    })
}

/// Poll `f` until it returns `Some`, for at most `timeout`.
pub async fn eventually<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < timeout, "condition not met within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn to_json<T: Model>(m: &T) -> Value {
    m.to_json()
}
