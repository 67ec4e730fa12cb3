//! The simulator's EQP data: files, packages, keys, test runs, callback deliveries, and the
//! settings of the simulated reviews and scans.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use crate::Shared;

/// The verdict of a simulated malware scan or review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
}

/// A callback POST the simulator made (or tried to make).
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackDelivery {
    pub url: String,
    pub body: Value,
    /// The receiver's HTTP status, or `None` when the POST failed.
    pub status: Option<u16>,
    pub error: Option<String>,
}

pub(crate) struct FileEntry {
    pub record: Map<String, Value>,
    /// The MD5, shown as `file_hash` once the scan passed.
    pub md5: String,
}

pub(crate) struct TestRun {
    pub tool_run_id: String,
    pub name: String,
    pub status: String,
    pub date: String,
    pub detail: Value,
}

pub(crate) struct Store {
    pub files: Vec<FileEntry>,
    pub packages: Vec<Map<String, Value>>,
    pub keys: Vec<Map<String, Value>>,
    pub legacy_keys: Vec<Value>,
    pub runs: HashMap<String, Vec<TestRun>>,
    pub deliveries: Vec<CallbackDelivery>,
    pub next_run_id: u64,
    pub scan_delay: Duration,
    pub scan_verdict: Verdict,
    pub review_delay: Option<Duration>,
    pub review_verdict: Verdict,
}

impl Store {
    pub fn new() -> Store {
        let keys: Value = json!([
            {"label": "main_key", "user_key": "d41d8cd98f00b204e9800998ecf8427e", "password_key": "12cbdcd3332eb8f166f62ee1a9bd33d0", "is_enabled": true, "uid": crate::EQP_MAGE_ID},
            {"label": "key_for_bob", "user_key": "4b335b25f8eb3449e7e222e8f9e052b0", "password_key": "9ca8abe7376f451bde40513474c13c3c", "is_enabled": false, "uid": crate::EQP_MAGE_ID},
            {"label": "Key for My Organization", "user_key": "784d67a640d0cc0e6381c7a24dc4132c", "password_key": "ae6569fd0e64a72b7f9f8e0396c372f0", "is_enabled": true, "uid": "000CBA111DCB222@AdobeOrg"}
        ]);
        Store {
            files: Vec::new(),
            packages: Vec::new(),
            keys: keys.as_array().into_iter().flatten().filter_map(|k| k.as_object().cloned()).collect(),
            legacy_keys: vec![json!({"product_name": "acme/one-click-checkout-1.0.0", "product_key": "https://connect20.magentocommerce.com/e8c258702e443c509b42fc44a49b83b0/acme+one-click-checkout-1.0.0"})],
            runs: HashMap::new(),
            deliveries: Vec::new(),
            next_run_id: 5,
            scan_delay: Duration::from_millis(200),
            scan_verdict: Verdict::Pass,
            review_delay: Some(Duration::from_millis(500)),
            review_verdict: Verdict::Pass,
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` UTC, now.
pub(crate) fn now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", rem / 3600, (rem % 3600) / 60, rem % 60)
}

pub(crate) fn random_alnum(n: usize) -> String {
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..n).map(|_| A[fastrand::usize(..A.len())] as char).collect()
}

pub(crate) fn random_hex(n: usize) -> String {
    const A: &[u8] = b"0123456789abcdef";
    (0..n).map(|_| A[fastrand::usize(..A.len())] as char).collect()
}

/// Run `f` on the store after `delay`, on the simulator's runtime; deliver the events it returns.
pub(crate) fn schedule(shared: &Arc<Shared>, delay: Duration, f: impl FnOnce(&mut Store) -> Vec<Value> + Send + 'static) {
    let Some(handle) = shared.runtime.get().cloned() else { return };
    let shared = shared.clone();
    handle.spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let events = f(&mut shared.eqp.store());
        super::callbacks::deliver(&shared, events);
    });
}

/// A page of `items` per `offset`/`limit` (`limit=-1` = all), with the total for `X-Total-Count`.
pub(crate) fn page<T>(items: Vec<T>, query: &HashMap<String, String>) -> Result<(Vec<T>, usize), String> {
    let total = items.len();
    let offset: usize = match query.get("offset") {
        None => 0,
        Some(v) => v.parse().map_err(|_| format!("offset must be a non-negative integer, got {v:?}"))?,
    };
    let limit: Option<usize> = match query.get("limit").map(String::as_str) {
        None => Some(20),
        Some("-1") => None,
        Some(v) => Some(v.parse().map_err(|_| format!("limit must be a non-negative integer or -1, got {v:?}"))?),
    };
    let page: Vec<T> = items.into_iter().skip(offset).take(limit.unwrap_or(usize::MAX)).collect();
    Ok((page, total))
}

/// A JSON array answer with `X-Total-Count`.
pub(crate) fn paged_response(items: Vec<Value>, total: usize) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut resp = axum::Json(Value::Array(items)).into_response();
    resp.headers_mut().insert("x-total-count", total.into());
    resp
}
