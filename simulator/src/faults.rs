//! Fault injection and request counters, settable while the simulator runs.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// A fault queued on a route; it applies to the next `count` requests there.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub count: u32,
    pub action: FaultAction,
}

/// What a faulted request gets instead of its normal answer.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultAction {
    /// This status with the API's error body, and `Retry-After` when set.
    Status { status: u16, retry_after: Option<String> },
}

impl Fault {
    pub fn status(count: u32, status: u16, retry_after: Option<&str>) -> Fault {
        Fault { count, action: FaultAction::Status { status, retry_after: retry_after.map(str::to_owned) } }
    }
}

pub(crate) struct Faults {
    inner: Mutex<Inner>,
}

struct Inner {
    queued: HashMap<String, VecDeque<Fault>>,
    counts: BTreeMap<String, u64>,
    latency: Duration,
}

impl Faults {
    pub fn new(latency: Duration) -> Faults {
        Faults { inner: Mutex::new(Inner { queued: HashMap::new(), counts: BTreeMap::new(), latency }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn record(&self, route: &str) {
        *self.lock().counts.entry(route.to_owned()).or_default() += 1;
    }
    pub fn count(&self, route: &str) -> u64 {
        self.lock().counts.get(route).copied().unwrap_or(0)
    }
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.lock().counts.clone()
    }
    pub fn reset_counts(&self) {
        self.lock().counts.clear();
    }

    pub fn push(&self, route: &str, fault: Fault) {
        if fault.count > 0 {
            self.lock().queued.entry(route.to_owned()).or_default().push_back(fault);
        }
    }
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.queued.clear();
        inner.latency = Duration::ZERO;
    }
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }
    pub fn latency(&self) -> Duration {
        self.lock().latency
    }

    /// The fault for this request, if one is queued for its route or for `*`.
    pub fn take(&self, route: &str) -> Option<FaultAction> {
        let mut inner = self.lock();
        for key in [route, "*"] {
            if let Some(queue) = inner.queued.get_mut(key) {
                if let Some(front) = queue.front_mut() {
                    let action = front.action.clone();
                    front.count -= 1;
                    if front.count == 0 {
                        queue.pop_front();
                    }
                    return Some(action);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_n_times_in_order() {
        let f = Faults::new(Duration::ZERO);
        f.push("GET /a", Fault::status(2, 503, Some("1")));
        f.push("GET /a", Fault::status(1, 429, None));
        let statuses: Vec<_> = (0..4)
            .map(|_| f.take("GET /a").map(|FaultAction::Status { status, .. }| status))
            .collect();
        assert_eq!(statuses, vec![Some(503), Some(503), Some(429), None]);
    }

    #[test]
    fn wildcard_applies_to_any_route() {
        let f = Faults::new(Duration::ZERO);
        f.push("*", Fault::status(1, 500, None));
        assert!(f.take("GET /x").is_some());
        assert!(f.take("GET /x").is_none());
    }
}
