//! Tokens shared through a store by every client, process and machine that uses it.
//!
//! The store keeps one record per credential (namespace `tokens`, the key naming the API and
//! the credential): the access token with its refresh and expiry times on the wall clock, what
//! the source needs for the next fetch (a refresh token, an account id), and a *generation*
//! that grows by one with every new token set.
//!
//! - **One refresh in flight.** A client whose token is due reads the record first: a newer
//!   token there is used as it is. Otherwise it takes the store's lock for the key (a lease of
//!   [`LEASE`], renewed every [`RENEW_EVERY`] while the fetch runs, so a holder that crashed
//!   blocks the others for one lease at most), reads again (the previous holder may just have
//!   written), fetches, writes the record, and releases the lock. The others wait on the lock
//!   and then find the new record.
//! - **A rotated refresh token is stored before the new access token is used**, and only then
//!   handed to the source's [`commit`](super::TokenSource::commit) (`on_token`).
//! - **The newest wins.** A client that finds a record of a higher generation than its own takes
//!   its refresh token too (never refreshing with a spent one); a client whose own generation
//!   is higher than the store's (the store lost data) writes its own back.
//! - **The store fails.** Unreachable: a warning in the log (at most every [`WARN_EVERY`]), and
//!   the client carries on with what it holds: a token still valid is used. Without one, a
//!   client that would spend a rotating refresh token the others hold too waits up to
//!   [`OUTAGE_WAIT`] for the store, then refreshes alone (an EQP session is fetched at once); the record is written back as soon as the store
//!   answers again (retried every [`RETRY_EVERY`] in the background), so a rotated refresh token
//!   is never lost. Malformed: the call fails with `store-malformed` naming the store and key.
//! - **The store lost everything** (a Redis restarted without persistence). Every client that is
//!   making calls compares its generation with the store's every [`SYNC_EVERY`] and writes its
//!   own back when the store has none or an older one; a client that needs a token does so at
//!   once. A client about to refresh from a record written back less than [`SETTLE`] ago waits
//!   until then (using its token while it is still valid), so that the newest holder's record is
//!   there before anyone spends a refresh token.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::token_manager::{Token, TokenManager};
use crate::error::Result;
use crate::secret::Secret;
use crate::store::{malformed, now_ms, Store, LOCK_POLL, MALFORMED};

/// The namespace of token records.
pub const NAMESPACE: &str = "tokens";
/// How long the store's lock is held without renewal.
pub const LEASE: Duration = Duration::from_secs(10);
/// How often a refreshing holder renews its lease.
pub const RENEW_EVERY: Duration = Duration::from_secs(3);
/// How often a client making calls compares its record with the store's.
pub const SYNC_EVERY: Duration = Duration::from_secs(1);
/// How long a record written back after a loss settles before a refresh relies on it.
pub const SETTLE: Duration = Duration::from_secs(2);
/// How long a client without a valid token waits for a store that cannot be reached before it
/// refreshes alone.
pub const OUTAGE_WAIT: Duration = Duration::from_secs(5);
/// How often a record the store could not take is offered to it again.
pub const RETRY_EVERY: Duration = Duration::from_millis(250);
/// Least time between two warnings about the same store and key.
pub const WARN_EVERY: Duration = Duration::from_secs(10);

/// One credential's share of a store.
pub(crate) struct Shared {
    store: Arc<dyn Store>,
    key: String,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Generation of the token and source state this client holds (0: none from a store yet).
    generation: u64,
    /// When this client last saw the store's record (or wrote its own).
    synced_at: Option<Instant>,
    /// A record the store did not take yet, and whether a task is retrying it.
    pending: Option<Value>,
    retrying: bool,
    /// A token the server refused: never taken from the store again.
    refused: Option<Secret>,
    warned_at: Option<Instant>,
}

/// A record as read.
struct Record {
    generation: u64,
    token: Option<Token>,
    state: Map<String, Value>,
    restored_at_ms: Option<u64>,
}

impl Shared {
    pub fn new(store: Arc<dyn Store>, key: String) -> Shared {
        Shared { store, key, state: Mutex::new(State::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub fn refused(&self, value: &Secret) {
        self.lock().refused = Some(value.clone());
    }

    fn is_refused(&self, value: &Secret) -> bool {
        self.lock().refused.as_ref() == Some(value)
    }

    fn warn(&self, e: &crate::Error) {
        let mut s = self.lock();
        if s.warned_at.is_none_or(|t| t.elapsed() >= WARN_EVERY) {
            s.warned_at = Some(Instant::now());
            drop(s);
            tracing::warn!(store = self.store.describe(), key = %self.key, error = %e, "sellkit: the token store failed; carrying on with the tokens in memory");
        } else {
            tracing::debug!(store = self.store.describe(), key = %self.key, error = %e, "sellkit: the token store failed");
        }
    }

    /// The record under the key, with its version.
    async fn read(&self) -> Result<Option<(u64, Record)>> {
        let Some(entry) = self.store.get(NAMESPACE, &self.key).await? else { return Ok(None) };
        let record = self.parse(&entry.value)?;
        Ok(Some((entry.version, record)))
    }

    fn parse(&self, v: &Value) -> Result<Record> {
        let bad = |why: &str| malformed(self.store.describe(), NAMESPACE, &self.key, why);
        let generation = v.get("generation").and_then(Value::as_u64).ok_or_else(|| bad("a token record has a generation"))?;
        let state = match v.get("state") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err(bad("the state of a token record is an object")),
        };
        let token = match v.get("token") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => {
                let expires = v.get("expires_at_ms").and_then(Value::as_u64).ok_or_else(|| bad("a token has an expires_at_ms"))?;
                let refresh = v.get("refresh_at_ms").and_then(Value::as_u64).unwrap_or(expires);
                Some(token_at(Secret::new(t.clone()), refresh, expires))
            }
            Some(_) => return Err(bad("the token of a token record is a string")),
        };
        Ok(Record { generation, token, state, restored_at_ms: v.get("restored_at_ms").and_then(Value::as_u64) })
    }

    /// This client's token and source state as a record of `generation`.
    fn record_of(&self, m: &TokenManager, token: Option<&Token>, generation: u64, restored: bool) -> Value {
        let now = Instant::now();
        let at = |i: Instant| now_ms() + i.saturating_duration_since(now).as_millis() as u64;
        let mut r = json!({
            "sellkit_tokens": 1,
            "generation": generation,
            "token": token.map(|t| t.value.expose()),
            "state": m.source.shared_state(),
            "written_at_ms": now_ms(),
        });
        if let Some(t) = token {
            r["refresh_at_ms"] = at(t.refresh_at).into();
            r["expires_at_ms"] = at(t.expires_at).into();
        }
        if restored {
            r["restored_at_ms"] = now_ms().into();
        }
        r
    }

    /// Take `rec` when it is at least as new as what this client holds; its token when that is
    /// fresh and not refused.
    fn take(&self, m: &TokenManager, rec: Option<&Record>) -> Result<Option<Arc<Token>>> {
        let Some(rec) = rec else { return Ok(None) };
        if rec.generation < self.generation() {
            return Ok(None);
        }
        m.source
            .adopt_state(&rec.state)
            .map_err(|_| malformed(self.store.describe(), NAMESPACE, &self.key, "the state is not what this client writes"))?;
        {
            let mut s = self.lock();
            s.generation = rec.generation;
            s.synced_at = Some(Instant::now());
            if s.pending.as_ref().and_then(|p| p.get("generation")).and_then(Value::as_u64).is_some_and(|g| g <= rec.generation) {
                s.pending = None;
            }
        }
        let now = Instant::now();
        match &rec.token {
            Some(t) if t.fresh(now) && !self.is_refused(&t.value) => {
                // The token held already: keep it as it is (its `Arc` is what a 401 hands back).
                if let Some(held) = m.cached().filter(|h| h.value == t.value) {
                    return Ok(Some(held));
                }
                let t = Arc::new(Token { value: t.value.clone(), expires_at: t.expires_at, refresh_at: t.refresh_at });
                m.store_local(Some(t.clone()));
                Ok(Some(t))
            }
            _ => Ok(None),
        }
    }

    /// A fresh token, fetching one if no client sharing the store has: see the module docs.
    /// Called with the manager's refresh lock held.
    pub async fn get(self: &Arc<Self>, m: &TokenManager) -> Result<Arc<Token>> {
        let started = Instant::now();
        loop {
            let rec = match self.read().await {
                Ok(r) => r,
                Err(e) if e.code() == MALFORMED => return Err(e),
                Err(e) => {
                    self.warn(&e);
                    match self.outage(m, started).await {
                        Some(t) => return t,
                        None => continue,
                    }
                }
            };
            if let Some(t) = self.take(m, rec.as_ref().map(|(_, r)| r))? {
                return Ok(t);
            }
            let restored_at = match &rec {
                // The store lost the record this client holds: write it back first, so that a
                // client with a newer one sees it is missing too and overwrites it.
                None if self.generation() > 0 => {
                    let record = self.record_of(m, m.cached().as_deref(), self.generation(), true);
                    if let Err(e) = self.store.compare_and_set(NAMESPACE, &self.key, None, &record, None).await {
                        self.warn(&e);
                    }
                    continue;
                }
                None => None,
                Some((_, r)) => r.restored_at_ms,
            };
            if restored_at.is_some_and(|at| now_ms().saturating_sub(at) < SETTLE.as_millis() as u64) {
                if let Some(t) = self.usable(m) {
                    return Ok(t);
                }
                tokio::time::sleep(LOCK_POLL * 4).await;
                continue;
            }
            let lease = match self.store.try_lock(NAMESPACE, &self.key, LEASE).await {
                Ok(Some(l)) => l,
                Ok(None) if started.elapsed() < LEASE + SETTLE => {
                    // Another client is refreshing: its record will be there when it lets go.
                    tokio::time::sleep(LOCK_POLL).await;
                    continue;
                }
                Ok(None) => {
                    self.warn(&crate::store::unavailable(self.store.describe(), "its lock was not released within the lease"));
                    return self.alone(m).await;
                }
                Err(e) => {
                    self.warn(&e);
                    match self.outage(m, started).await {
                        Some(t) => return t,
                        None => continue,
                    }
                }
            };
            let result = self.refresh_locked(m, &lease).await;
            if let Err(e) = self.store.unlock(&lease).await {
                // The lease ends by itself.
                self.warn(&e);
            }
            return result;
        }
    }

    /// The store cannot be reached. A token the server still takes is used. Without one, a
    /// source whose fetch spends a refresh token the other clients hold too waits up to
    /// [`OUTAGE_WAIT`] for the store to come back (`None`: look again); then, or at once for
    /// any other source (an EQP session), this client fetches alone.
    async fn outage(self: &Arc<Self>, m: &TokenManager, started: Instant) -> Option<Result<Arc<Token>>> {
        if let Some(t) = self.usable(m) {
            return Some(Ok(t));
        }
        if m.source.spends_shared_state() && started.elapsed() < OUTAGE_WAIT {
            tokio::time::sleep(LOCK_POLL * 4).await;
            return None;
        }
        Some(self.alone(m).await)
    }

    /// The token held, while the server still takes it.
    fn usable(&self, m: &TokenManager) -> Option<Arc<Token>> {
        m.cached().filter(|t| t.valid(Instant::now()) && !self.is_refused(&t.value))
    }

    async fn refresh_locked(self: &Arc<Self>, m: &TokenManager, lease: &crate::store::Lease) -> Result<Arc<Token>> {
        // The previous holder may have written between the first read and the lock.
        let stored_generation = match self.read().await {
            Ok(rec) => {
                if let Some(t) = self.take(m, rec.as_ref().map(|(_, r)| r))? {
                    return Ok(t);
                }
                rec.map_or(0, |(_, r)| r.generation)
            }
            Err(e) if e.code() == MALFORMED => return Err(e),
            Err(e) => {
                self.warn(&e);
                0
            }
        };
        m.count_fetch();
        let token = self.fetch_holding(m, lease).await?;
        let generation = self.generation().max(stored_generation) + 1;
        let record = self.record_of(m, Some(&token), generation, false);
        {
            let mut s = self.lock();
            s.generation = generation;
            s.refused = None;
        }
        self.write(record).await;
        tracing::debug!(key = %self.key, generation, "sellkit token fetched and shared");
        m.source.commit()?;
        let token = Arc::new(token);
        m.store_local(Some(token.clone()));
        Ok(token)
    }

    /// The source's fetch, renewing the lease while it runs.
    async fn fetch_holding(&self, m: &TokenManager, lease: &crate::store::Lease) -> Result<Token> {
        let fetch = m.source.fetch();
        tokio::pin!(fetch);
        let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + RENEW_EVERY, RENEW_EVERY);
        loop {
            tokio::select! {
                token = &mut fetch => return token,
                _ = renew.tick() => {
                    if let Err(e) = self.store.renew(lease, LEASE).await {
                        self.warn(&e);
                    }
                }
            }
        }
    }

    /// The store could not be used for [`OUTAGE_WAIT`]: a token still valid is kept, otherwise
    /// this client fetches one alone and offers the record to the store until it takes it.
    async fn alone(self: &Arc<Self>, m: &TokenManager) -> Result<Arc<Token>> {
        if let Some(t) = self.usable(m) {
            return Ok(t);
        }
        m.count_fetch();
        let token = m.source.fetch().await?;
        let generation = self.generation() + 1;
        let record = self.record_of(m, Some(&token), generation, false);
        {
            let mut s = self.lock();
            s.generation = generation;
            s.refused = None;
        }
        self.write(record).await;
        m.source.commit()?;
        let token = Arc::new(token);
        m.store_local(Some(token.clone()));
        Ok(token)
    }

    /// Write `record` over whatever is there; on failure keep it and retry in the background.
    async fn write(self: &Arc<Self>, record: Value) {
        match self.store.put(NAMESPACE, &self.key, &record, None).await {
            Ok(_) => {
                let mut s = self.lock();
                s.synced_at = Some(Instant::now());
                s.pending = None;
            }
            Err(e) => {
                self.warn(&e);
                self.keep_pending(record);
            }
        }
    }

    /// Offer `record` to the store every [`RETRY_EVERY`] until it takes it, or holds a newer
    /// one. One task per credential at most.
    fn keep_pending(self: &Arc<Self>, record: Value) {
        let mut s = self.lock();
        s.pending = Some(record);
        if s.retrying {
            return;
        }
        s.retrying = true;
        drop(s);
        let me = self.clone();
        let retry = async move {
            loop {
                tokio::time::sleep(RETRY_EVERY).await;
                let Some(record) = me.lock().pending.clone() else { break };
                if me.offer(&record).await {
                    let mut s = me.lock();
                    if s.pending.as_ref() == Some(&record) {
                        s.pending = None;
                        s.synced_at = Some(Instant::now());
                    }
                    if s.pending.is_none() {
                        break;
                    }
                }
            }
            me.lock().retrying = false;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(h) => {
                h.spawn(retry);
            }
            // No runtime (never in practice: writes happen in async calls): the next sync retries.
            Err(_) => self.lock().retrying = false,
        }
    }

    /// Write `record` unless the store holds one at least as new; `true` when the store now
    /// holds it or a newer one.
    async fn offer(&self, record: &Value) -> bool {
        let generation = record.get("generation").and_then(Value::as_u64).unwrap_or(0);
        let current = match self.store.get(NAMESPACE, &self.key).await {
            Ok(e) => e,
            Err(e) => {
                tracing::debug!(store = self.store.describe(), key = %self.key, error = %e, "sellkit: the token store still fails");
                return false;
            }
        };
        let stored = current.as_ref().and_then(|e| e.value.get("generation")).and_then(Value::as_u64);
        if stored.is_some_and(|g| g >= generation) {
            return true;
        }
        match self.store.compare_and_set(NAMESPACE, &self.key, current.map(|e| e.version), record, None).await {
            Ok(Some(_)) => {
                tracing::info!(store = self.store.describe(), key = %self.key, generation, "sellkit: the token store took the tokens held in memory");
                true
            }
            Ok(None) => false,
            Err(_) => false,
        }
    }

    /// Compare with the store every [`SYNC_EVERY`]: write this client's record back when the
    /// store lost it (or holds an older one), take a newer one. Skipped while a refresh runs.
    pub async fn sync_if_due(self: &Arc<Self>, m: &TokenManager) {
        {
            let s = self.lock();
            if s.synced_at.is_some_and(|t| t.elapsed() < SYNC_EVERY) || s.generation == 0 {
                return;
            }
        }
        let Ok(_refreshing) = m.refresh.try_lock() else { return };
        self.lock().synced_at = Some(Instant::now());
        let rec = match self.read().await {
            Ok(r) => r,
            Err(e) => {
                self.warn(&e);
                return;
            }
        };
        match rec {
            Some((_, r)) if r.generation >= self.generation() => {
                if let Err(e) = self.take(m, Some(&r)) {
                    self.warn(&e);
                }
            }
            other => {
                // The store has no record, or an older one: it lost what this client holds.
                let generation = self.generation();
                let record = self.record_of(m, m.cached().as_deref(), generation, true);
                let expected = other.map(|(v, _)| v);
                match self.store.compare_and_set(NAMESPACE, &self.key, expected, &record, None).await {
                    Ok(Some(_)) => {
                        tracing::info!(store = self.store.describe(), key = %self.key, generation, "sellkit: wrote the tokens held in memory back to the token store");
                    }
                    Ok(None) => {}
                    Err(e) => self.warn(&e),
                }
            }
        }
    }

    /// A token obtained outside the source (a code exchange): the record of a new generation.
    pub async fn write_new(self: &Arc<Self>, m: &TokenManager, token: &Token) {
        let stored = match self.read().await {
            Ok(r) => r.map_or(0, |(_, r)| r.generation),
            Err(e) => {
                self.warn(&e);
                0
            }
        };
        let generation = self.generation().max(stored) + 1;
        let record = self.record_of(m, Some(token), generation, false);
        {
            let mut s = self.lock();
            s.generation = generation;
            s.refused = None;
        }
        self.write(record).await;
    }
}

/// A token whose refresh and expiry times are wall-clock milliseconds, on this process's
/// monotonic clock.
fn token_at(value: Secret, refresh_at_ms: u64, expires_at_ms: u64) -> Token {
    let now = Instant::now();
    let now_ms = now_ms();
    let at = |ms: u64| now + Duration::from_millis(ms.saturating_sub(now_ms));
    Token { value, refresh_at: at(refresh_at_ms.min(expires_at_ms)), expires_at: at(expires_at_ms) }
}
