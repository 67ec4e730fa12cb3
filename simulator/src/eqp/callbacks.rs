//! Callback delivery: events POSTed with Basic auth to every registered URL.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

use super::store::CallbackDelivery;
use crate::Shared;

fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build().expect("callback HTTP client")
    })
}

/// A `malware_scan_complete` event.
pub(crate) fn scan_event(file_upload_id: &str, passed: bool, modified_at: &str) -> Value {
    json!({
        "callback_event": "malware_scan_complete",
        "update_info": {
            "file_upload_id": file_upload_id,
            // The docs' callback example says `passed` where file records say `pass`.
            "tool_result": if passed { "passed" } else { "failed" },
            "modified_at": modified_at,
        }
    })
}

/// An `eqp_status_update` event for one track of a package.
pub(crate) fn status_event(package: &serde_json::Map<String, Value>, flow: &str) -> Value {
    let status = package.get("eqp_status").cloned().unwrap_or(Value::Null);
    json!({
        "callback_event": "eqp_status_update",
        "update_info": {
            "submission_id": package.get("submission_id").cloned().unwrap_or(Value::Null),
            "item_id": package.get("item_id").cloned().unwrap_or(Value::Null),
            "eqp_flow": flow,
            "current_status": status.get(flow).cloned().unwrap_or(Value::Null),
            "eqp_status": status,
            "modified_at": package.get("modified_at").cloned().unwrap_or(Value::Null),
        }
    })
}

/// POST each event to each registered callback (in the background), recording the outcome.
pub(crate) fn deliver(shared: &Arc<Shared>, events: Vec<Value>) {
    if events.is_empty() {
        return;
    }
    let targets = shared.eqp.callback_targets();
    if targets.is_empty() {
        return;
    }
    let Some(handle) = shared.runtime.get().cloned() else { return };
    let shared = shared.clone();
    handle.spawn(async move {
        // In order, one event after the other, as a receiver would expect.
        for event in events {
            for (url, user, password) in &targets {
                let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                let result = http().post(url).header("authorization", format!("Basic {basic}")).json(&event).send().await;
                let delivery = match result {
                    Ok(resp) => CallbackDelivery { url: url.clone(), body: event.clone(), status: Some(resp.status().as_u16()), error: None },
                    Err(e) => CallbackDelivery { url: url.clone(), body: event.clone(), status: None, error: Some(e.to_string()) },
                };
                shared.eqp.store().deliveries.push(delivery);
            }
        }
    });
}
