//! Runs the cross-language scenarios in `tests/scenarios/eqp_foundation.json` through the Rust
//! API. The Python and Node suites run the same file.

use std::time::Duration;

use sellkit::eqp::Client;
use sellkit_simulator::Simulator;
use serde_json::{json, Value};

async fn call(client: &Client, op: &str, args: Value) -> sellkit::Result<Value> {
    Ok(sellkit::catalogue::EQP.call_json(client, op, args).await?.into_json().unwrap_or(Value::Null))
}

fn client_for(sim: &Simulator, settings: &Value) -> Client {
    let mut b = Client::builder()
        .app_id(settings.get("app_id").and_then(Value::as_str).unwrap_or(sim.eqp_app_id()))
        .app_secret(settings.get("app_secret").and_then(Value::as_str).unwrap_or(sim.eqp_app_secret()))
        .base_url(sim.eqp_url());
    if let Some(n) = settings.get("max_retries").and_then(Value::as_u64) {
        b = b.max_retries(n as u32);
    }
    b.build().expect("client")
}

/// Every field of `expected` appears in `actual` with the same value (objects recursively).
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e.iter().all(|(k, v)| a.get(k).is_some_and(|av| contains(av, v))),
        _ => actual == expected,
    }
}

fn error_fields(e: &sellkit::Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "code": e.code(),
        "status": e.status(),
        "field": e.field(),
        "retry_after": e.retry_after().map(|d| d.as_secs()),
        "api_code": e.api_code().map(|c| match c {
            sellkit::ApiCode::Int(i) => json!(i),
            sellkit::ApiCode::Str(s) => json!(s),
        }),
    })
}

#[tokio::test]
async fn eqp_foundation_scenarios() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/scenarios/eqp_foundation.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let sim = Simulator::start(Default::default()).unwrap();
        let client = client_for(&sim, &case["client"]);
        for step in case["setup"].as_array().into_iter().flatten() {
            call(&client, step["op"].as_str().unwrap(), step["args"].clone()).await.unwrap();
        }
        sim.reset_counters();
        for f in case["faults"].as_array().into_iter().flatten() {
            sim.fail_next(
                f["route"].as_str().unwrap(),
                f["count"].as_u64().unwrap() as u32,
                f["status"].as_u64().unwrap() as u16,
                f["retry_after"].as_str(),
            ).unwrap();
        }
        let started = std::time::Instant::now();
        let outcome = call(&client, case["call"]["op"].as_str().unwrap(), case["call"]["args"].clone()).await;
        let expect = &case["expect"];
        match (&outcome, expect.get("error")) {
            (Ok(v), None) => {
                if let Some(r) = expect.get("result") {
                    if !contains(v, r) {
                        failures.push(format!("{name}: result {v} lacks {r}"));
                    }
                }
            }
            (Err(e), Some(want)) => {
                if !contains(&error_fields(e), want) {
                    failures.push(format!("{name}: error {} does not match {want}", error_fields(e)));
                }
            }
            (Ok(v), Some(_)) => failures.push(format!("{name}: expected an error, got {v}")),
            (Err(e), None) => failures.push(format!("{name}: unexpected error {e}")),
        }
        for (route, want) in expect["counts"].as_object().into_iter().flatten() {
            let got = sim.request_count(route);
            if got != want.as_u64().unwrap() {
                failures.push(format!("{name}: {route} was called {got} times, expected {want}"));
            }
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{name} took too long");
    }
    assert!(failures.is_empty(), "{} scenario failure(s):\n{}", failures.len(), failures.join("\n"));
}
