//! Back-offs shared through a store: a `Retry-After` on a 429 or 503 holds back every client
//! that shares the store, not only the one that received it.
//!
//! The back-off of a host is an entry `backoff/<host:port>` holding the wall-clock time
//! (`until_ms`) before which no client sends to that host; it expires with the back-off. Before
//! every attempt a client reads it (one small read; a client also remembers its own); after a
//! 429 or 503 with `Retry-After` it writes it, unless a later one is there. A wait longer than
//! the client's `max_retry_after` fails the call at once with `rate-limited`, as a `Retry-After`
//! of its own would. When the store cannot be reached the client keeps to the back-offs it knows
//! (a warning is logged at most every 10 s).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::store::{now_ms, Store};

/// The namespace of back-off entries.
pub const NAMESPACE: &str = "backoff";
/// Least time between two warnings about the store.
const WARN_EVERY: Duration = Duration::from_secs(10);
/// After a failure, the store is not asked again for this long (each request would wait for it).
const QUIET_AFTER_FAILURE: Duration = Duration::from_millis(250);

/// Back-offs per host, shared through a store.
pub struct SharedBackoff {
    store: Arc<dyn Store>,
    /// host → Unix ms until which this client itself holds back.
    local: Mutex<HashMap<String, u64>>,
    failed_at: Mutex<Option<Instant>>,
    warned_at: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for SharedBackoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBackoff").field("store", &self.store.describe()).finish_non_exhaustive()
    }
}

impl SharedBackoff {
    /// Back-offs kept in `store`.
    pub fn new(store: Arc<dyn Store>) -> SharedBackoff {
        SharedBackoff { store, local: Mutex::new(HashMap::new()), failed_at: Mutex::new(None), warned_at: Mutex::new(None) }
    }

    fn store_quiet(&self) -> bool {
        self.failed_at.lock().unwrap_or_else(|p| p.into_inner()).is_some_and(|t| t.elapsed() < QUIET_AFTER_FAILURE)
    }

    fn failed(&self, e: &Error) {
        *self.failed_at.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        let mut warned = self.warned_at.lock().unwrap_or_else(|p| p.into_inner());
        if warned.is_none_or(|t| t.elapsed() >= WARN_EVERY) {
            *warned = Some(Instant::now());
            tracing::warn!(store = self.store.describe(), error = %e, "sellkit: the store of shared back-offs failed; keeping to this client's own");
        }
    }

    /// Until when (Unix ms) sending to `host` is held back, as far as this client knows.
    async fn until(&self, host: &str) -> u64 {
        let local = self.local.lock().unwrap_or_else(|p| p.into_inner()).get(host).copied().unwrap_or(0);
        if self.store_quiet() {
            return local;
        }
        match self.store.get(NAMESPACE, host).await {
            Ok(Some(e)) => local.max(e.value.get("until_ms").and_then(Value::as_u64).unwrap_or(0)),
            Ok(None) => local,
            Err(e) => {
                self.failed(&e);
                local
            }
        }
    }

    /// Wait until `host` may be sent to.
    ///
    /// Every client held back by one back-off would be let go at the same moment, and the first
    /// of them may meet a new 429: so each waits a little longer at random (up to a tenth of
    /// the wait, at most 250 ms) and looks at the store again before sending, where the new
    /// back-off is by then.
    ///
    /// # Errors
    ///
    /// `rate-limited` (with `retry_after`) when the wait, with what was waited already, is
    /// longer than `cap`.
    pub async fn wait(&self, host: &str, cap: Duration) -> Result<()> {
        let mut waited = Duration::ZERO;
        loop {
            let until = self.until(host).await;
            let now = now_ms();
            if until <= now {
                return Ok(());
            }
            // A few milliseconds more: the clocks are read in whole milliseconds.
            let wait = Duration::from_millis(until - now + 5);
            if waited + wait > cap {
                let total = waited + wait;
                return Err(Error::new(
                    ErrorKind::RateLimited,
                    format!(
                        "{host} asked the clients sharing this store to wait {}s, longer than the {}s this client waits",
                        total.as_secs_f64().ceil() as u64,
                        cap.as_secs()
                    ),
                )
                .with_code("rate-limited")
                .with_retry_after(Some(wait)));
            }
            let spread = Duration::from_millis(fastrand::u64(0..=(wait.as_millis() as u64 / 10).min(250)));
            tracing::info!(host, wait_ms = (wait + spread).as_millis() as u64, "sellkit: waiting for a back-off shared through the store");
            tokio::time::sleep(wait + spread).await;
            waited += wait + spread;
        }
    }

    /// `host` answered 429 or 503 with `Retry-After: after`: hold every client back until then.
    pub async fn record(&self, host: &str, after: Duration) {
        let until = now_ms() + after.as_millis() as u64;
        {
            let mut local = self.local.lock().unwrap_or_else(|p| p.into_inner());
            let e = local.entry(host.to_owned()).or_default();
            *e = (*e).max(until);
            local.retain(|_, u| *u > now_ms());
        }
        if self.store_quiet() {
            return;
        }
        // A compare-and-set, so that a shorter back-off never replaces a longer one.
        for _ in 0..3 {
            let current = match self.store.get(NAMESPACE, host).await {
                Ok(c) => c,
                Err(e) => return self.failed(&e),
            };
            if current.as_ref().and_then(|c| c.value.get("until_ms")).and_then(Value::as_u64).is_some_and(|u| u >= until) {
                return;
            }
            let value = json!({"until_ms": until});
            // Kept a little past its end, for clocks that differ slightly between machines.
            let ttl = after + Duration::from_secs(1);
            match self.store.compare_and_set(NAMESPACE, host, current.map(|c| c.version), &value, Some(ttl)).await {
                Ok(Some(_)) => return,
                Ok(None) => continue,
                Err(e) => return self.failed(&e),
            }
        }
    }
}

/// The key of a URL's host: `host:port`.
pub(crate) fn host_key(url: &url::Url) -> String {
    format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}
