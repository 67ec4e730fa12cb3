//! Fault injection and request counters, settable while the simulator runs.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::SimError;

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
    /// Close the connection without answering, before the request is processed (the client
    /// sees a broken connection; nothing changed on the server).
    DropBeforeProcessing,
    /// Process the request normally, then close the connection without answering (the client
    /// sees a broken connection although the server did the work).
    DropAfterProcessing,
    /// Process the request, then hold the answer this long before sending it (set it past the
    /// client's timeout: the client gives up although the server did the work).
    Stall(Duration),
    /// Process the request, then send the status, the headers (with the full `Content-Length`)
    /// and only the first half of the body before closing the connection.
    Truncate,
}

/// Faults drawn at random: each request that has no queued fault gets one with probability
/// `rate`, picked from `actions` in proportion to their weights. Seeded, so a run repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomFaults {
    pub rate: f64,
    pub actions: Vec<(FaultAction, u32)>,
    pub seed: u64,
    /// Routes never faulted at random (the browser's authorization step, say).
    pub exempt: Vec<String>,
}

struct RandomState {
    spec: RandomFaults,
    rng: fastrand::Rng,
    total_weight: u64,
}

impl Fault {
    pub fn status(count: u32, status: u16, retry_after: Option<&str>) -> Fault {
        Fault { count, action: FaultAction::Status { status, retry_after: retry_after.map(str::to_owned) } }
    }
    /// Drop the next `count` connections before processing.
    pub fn drop_before(count: u32) -> Fault {
        Fault { count, action: FaultAction::DropBeforeProcessing }
    }
    /// Process the next `count` requests, then drop their connections without an answer.
    pub fn drop_after(count: u32) -> Fault {
        Fault { count, action: FaultAction::DropAfterProcessing }
    }
}

pub(crate) struct Faults {
    inner: Mutex<Inner>,
}

struct Inner {
    queued: HashMap<String, VecDeque<Fault>>,
    counts: BTreeMap<String, u64>,
    latency: Duration,
    in_flight: HashMap<String, u64>,
    max_in_flight: BTreeMap<String, u64>,
    /// Raw `path?query` of recent requests per route.
    log: HashMap<String, VecDeque<String>>,
    random: Option<RandomState>,
    /// Faults handed out so far, by kind (`status 503`, `drop-before`, ...).
    injected: BTreeMap<String, u64>,
    /// host → (when the back-off was announced, until when it holds).
    backoffs: HashMap<String, (Instant, Instant)>,
    /// Requests that arrived during a back-off (after the grace).
    during_backoff: u64,
}

/// Requests that arrive this soon after a 429 or 503 with `Retry-After` were already on their
/// way (or left before anyone could know): they are not counted as sent during the back-off.
pub const BACKOFF_GRACE: Duration = Duration::from_millis(100);

/// Most requests kept in the log per route.
const LOG_LIMIT: usize = 1000;

/// Counts a request in flight on a route until dropped.
pub(crate) struct InFlight<'a> {
    faults: &'a Faults,
    route: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(n) = self.faults.lock().in_flight.get_mut(&self.route) {
            *n = n.saturating_sub(1);
        }
    }
}

impl Faults {
    pub fn new(latency: Duration) -> Faults {
        Faults {
            inner: Mutex::new(Inner {
                queued: HashMap::new(),
                counts: BTreeMap::new(),
                latency,
                in_flight: HashMap::new(),
                max_in_flight: BTreeMap::new(),
                log: HashMap::new(),
                random: None,
                injected: BTreeMap::new(),
                backoffs: HashMap::new(),
                during_backoff: 0,
            }),
        }
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
        let mut inner = self.lock();
        inner.counts.clear();
        inner.during_backoff = 0;
        inner.max_in_flight.clear();
        inner.log.clear();
    }

    /// Count a request in flight (and keep its raw URI) until the guard is dropped.
    pub fn enter(&self, route: &str, uri: &str) -> InFlight<'_> {
        let mut inner = self.lock();
        let n = inner.in_flight.entry(route.to_owned()).or_default();
        *n += 1;
        let now = *n;
        let max = inner.max_in_flight.entry(route.to_owned()).or_default();
        *max = (*max).max(now);
        let log = inner.log.entry(route.to_owned()).or_default();
        if log.len() == LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(uri.to_owned());
        InFlight { faults: self, route: route.to_owned() }
    }
    pub fn max_in_flight(&self, route: &str) -> u64 {
        self.lock().max_in_flight.get(route).copied().unwrap_or(0)
    }
    pub fn requests(&self, route: &str) -> Vec<String> {
        self.lock().log.get(route).map(|l| l.iter().cloned().collect()).unwrap_or_default()
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
        inner.random = None;
    }
    /// Fault requests at random from now on (`None` stops it).
    pub fn set_random(&self, spec: Option<RandomFaults>) {
        self.lock().random = spec.map(|spec| RandomState {
            rng: fastrand::Rng::with_seed(spec.seed),
            total_weight: spec.actions.iter().map(|(_, w)| u64::from(*w)).sum(),
            spec,
        });
    }
    /// A request arrived at `host`: count it when a back-off announced there holds.
    pub fn arrive(&self, host: &str) {
        let mut inner = self.lock();
        let now = Instant::now();
        if inner.backoffs.get(host).is_some_and(|(announced, until)| now > *announced + BACKOFF_GRACE && now < *until) {
            inner.during_backoff += 1;
        }
    }
    /// `host` answered 429 or 503 with `Retry-After: retry_after` (seconds).
    pub fn announce_backoff(&self, host: &str, retry_after: &str) {
        let Ok(secs) = retry_after.trim().parse::<f64>() else { return };
        if !(secs.is_finite() && secs > 0.0) {
            return;
        }
        let now = Instant::now();
        let until = now + Duration::from_secs_f64(secs.min(3600.0));
        let mut inner = self.lock();
        let entry = inner.backoffs.entry(host.to_owned()).or_insert((now, until));
        if entry.1 <= now {
            // The last one ended: a new back-off starts now.
            *entry = (now, until);
        } else {
            entry.1 = entry.1.max(until);
        }
    }
    pub fn during_backoff(&self) -> u64 {
        self.lock().during_backoff
    }
    /// How many faults were handed out, by kind.
    pub fn injected(&self) -> BTreeMap<String, u64> {
        self.lock().injected.clone()
    }
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }
    pub fn latency(&self) -> Duration {
        self.lock().latency
    }

    /// The fault for this request: one queued for its route or for `*`, else a random one.
    pub fn take(&self, route: &str) -> Option<FaultAction> {
        let mut inner = self.lock();
        let action = inner.take_queued(route).or_else(|| inner.take_random(route))?;
        *inner.injected.entry(action.label()).or_default() += 1;
        Some(action)
    }
}

impl Inner {
    fn take_queued(&mut self, route: &str) -> Option<FaultAction> {
        for key in [route, "*"] {
            if let Some(queue) = self.queued.get_mut(key) {
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

    fn take_random(&mut self, route: &str) -> Option<FaultAction> {
        let r = self.random.as_mut()?;
        if r.total_weight == 0 || r.spec.exempt.iter().any(|e| e == route) || r.rng.f64() >= r.spec.rate {
            return None;
        }
        let mut pick = r.rng.u64(0..r.total_weight);
        for (action, weight) in &r.spec.actions {
            let w = u64::from(*weight);
            if pick < w {
                return Some(action.clone());
            }
            pick -= w;
        }
        None
    }
}

impl FaultAction {
    /// A connection-level fault by name: `drop-before`, `drop-after`, `stall` (held for
    /// `stall`), `truncate`.
    ///
    /// # Errors
    /// [`SimError::UnknownFault`] for any other name.
    pub fn parse(name: &str, stall: Duration) -> Result<FaultAction, SimError> {
        match name {
            "drop-before" => Ok(FaultAction::DropBeforeProcessing),
            "drop-after" => Ok(FaultAction::DropAfterProcessing),
            "stall" => Ok(FaultAction::Stall(stall)),
            "truncate" => Ok(FaultAction::Truncate),
            other => Err(SimError::UnknownFault { name: other.to_owned() }),
        }
    }
    /// A short name for counting: `status 503`, `drop-before`, `stall`, ...
    pub fn label(&self) -> String {
        match self {
            FaultAction::Status { status, .. } => format!("status {status}"),
            FaultAction::DropBeforeProcessing => "drop-before".into(),
            FaultAction::DropAfterProcessing => "drop-after".into(),
            FaultAction::Stall(_) => "stall".into(),
            FaultAction::Truncate => "truncate".into(),
        }
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
            .map(|_| {
                f.take("GET /a").map(|a| match a {
                    FaultAction::Status { status, .. } => status,
                    _ => 0,
                })
            })
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

    #[test]
    fn random_faults_follow_the_rate_and_weights_and_spare_exempt_routes() {
        let f = Faults::new(Duration::ZERO);
        f.set_random(Some(RandomFaults {
            rate: 0.25,
            actions: vec![(FaultAction::DropBeforeProcessing, 1), (FaultAction::Truncate, 3)],
            seed: 7,
            exempt: vec!["GET /spared".into()],
        }));
        let n = 20_000;
        let faulted = (0..n).filter(|_| f.take("GET /a").is_some()).count();
        assert!((4_500..5_500).contains(&faulted), "{faulted} of {n}");
        let by_kind = f.injected();
        let truncates = by_kind["truncate"] as f64 / faulted as f64;
        assert!((0.70..0.80).contains(&truncates), "{truncates}");
        assert!((0..1000).all(|_| f.take("GET /spared").is_none()));
        f.clear();
        assert!((0..1000).all(|_| f.take("GET /a").is_none()));
    }
}
