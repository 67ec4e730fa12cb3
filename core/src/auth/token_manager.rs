//! One token manager per credential.
//!
//! - Expiry is kept on the monotonic clock (`Instant`), never the wall clock.
//! - A token is refreshed ahead of expiry, `min(60 s, ttl / 2)` before it lapses.
//! - However many calls wait, exactly one refresh is in flight: the refreshing call holds an
//!   async mutex while it fetches. A call that finds a fresh token never touches that mutex: it
//!   reads the cached token under a plain lock held only for an `Arc` clone, so concurrent calls
//!   do not queue behind each other (an async mutex wakes its waiters one by one).
//! - On a 401 the caller hands back the token that failed; only that token is dropped, so fifty
//!   calls failing with the same stale token cause one refresh, not fifty.
//! - With a shared store ([`TokenManager::with_store`]) the same holds across every client,
//!   process and machine that shares it: see [`super::shared`].

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use std::sync::Mutex as SyncMutex;
use tokio::sync::Mutex;

use super::shared::Shared;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::Store;
use crate::transport::{Request, Response, Transport};

/// An access token and when to stop using it.
#[derive(Debug)]
pub struct Token {
    /// The token itself, as sent after `Bearer ` (or as EQP's session token).
    pub value: Secret,
    /// When the server stops accepting it.
    pub expires_at: Instant,
    /// When to fetch a new one (ahead of `expires_at`).
    pub refresh_at: Instant,
}

impl Token {
    /// A token the server granted for `ttl`, fetched at `issued_at`.
    pub fn new(value: Secret, issued_at: Instant, ttl: Duration) -> Token {
        let margin = (ttl / 2).min(Duration::from_secs(60));
        Token { value, expires_at: issued_at + ttl, refresh_at: issued_at + ttl - margin }
    }

    pub(crate) fn fresh(&self, now: Instant) -> bool {
        now < self.refresh_at
    }

    pub(crate) fn valid(&self, now: Instant) -> bool {
        now < self.expires_at
    }
}

/// Where tokens come from (an EQP session call, an OAuth2 refresh...).
///
/// A source that keeps more than the access token (a refresh token that rotates, an account
/// id) tells a shared token store about it through [`shared_state`](Self::shared_state) and
/// [`adopt_state`](Self::adopt_state), so that another process can carry on where it stopped.
pub trait TokenSource: Send + Sync + 'static {
    /// Fetches a new token. Called by [`TokenManager`] with its refresh lock held (and, with a
    /// shared store, the store's lock), so at most one fetch per credential is in flight.
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<Token>> + Send + '_>>;

    /// What a store must keep besides the access token for the next fetch (a refresh token,
    /// an account id), as JSON. Holds secrets: only ever written to the store.
    fn shared_state(&self) -> Map<String, Value> {
        Map::new()
    }

    /// Take the state a store holds (another process's newer refresh token, say) in place of
    /// this source's own.
    ///
    /// # Errors
    ///
    /// A decode error when the state is not what [`shared_state`](Self::shared_state) writes.
    fn adopt_state(&self, _state: &Map<String, Value>) -> Result<()> {
        Ok(())
    }

    /// Whether the next fetch spends something other clients sharing the store hold too (a
    /// refresh token a rotating server retires): such a source is not fetched from alone while
    /// the store is away, for a while (see [`super::shared::OUTAGE_WAIT`]).
    fn spends_shared_state(&self) -> bool {
        false
    }

    /// The token of the last [`fetch`](Self::fetch) is kept (written to the store, when there
    /// is one): tell whoever must know (a Marktplaats client's `on_token`). An error fails the
    /// call that needed the token, which is then not used.
    ///
    /// # Errors
    ///
    /// The callback's error.
    fn commit(&self) -> Result<()> {
        Ok(())
    }
}

/// Caches one token and refreshes it as described in the module docs.
pub struct TokenManager {
    pub(crate) source: Box<dyn TokenSource>,
    /// The cached token. Written only by a holder of `refresh`.
    current: SyncMutex<Option<Arc<Token>>>,
    /// Held by the one call that fetches (or drops) a token.
    pub(crate) refresh: Mutex<()>,
    fetches: AtomicU64,
    /// The store shared with other clients, when there is one.
    shared: SyncMutex<Option<Arc<Shared>>>,
}

impl std::fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenManager").field("fetches", &self.fetches.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

impl TokenManager {
    /// A manager with no token yet, fetching from `source` on first use.
    pub fn new(source: impl TokenSource) -> Self {
        TokenManager {
            source: Box::new(source),
            current: SyncMutex::new(None),
            refresh: Mutex::new(()),
            fetches: AtomicU64::new(0),
            shared: SyncMutex::new(None),
        }
    }

    /// A manager whose tokens are shared through `store` under `key` with every client that
    /// uses the same store and key (see [`super::shared`]).
    pub fn with_store(source: impl TokenSource, store: Arc<dyn Store>, key: String) -> Self {
        let m = TokenManager::new(source);
        *m.shared.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(Shared::new(store, key)));
        m
    }

    /// Stop sharing: from now on this manager's tokens are its own (a Marktplaats client that
    /// switched to its own client-credentials token must not hand it to the user's workers).
    pub fn detach_store(&self) {
        *self.shared.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub(crate) fn shared(&self) -> Option<Arc<Shared>> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn cached(&self) -> Option<Arc<Token>> {
        self.current.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn store_local(&self, token: Option<Arc<Token>>) {
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = token;
    }

    fn fresh_token(&self) -> Option<Arc<Token>> {
        self.cached().filter(|t| t.fresh(Instant::now()))
    }

    pub(crate) fn count_fetch(&self) {
        self.fetches.fetch_add(1, Ordering::Relaxed);
    }

    /// A token that is valid now, fetching one if needed.
    ///
    /// # Errors
    ///
    /// The source's error when a fetch fails (nothing is cached then); with a shared store,
    /// `store-malformed` when the store holds something else than a token record under the key.
    pub async fn get(&self) -> Result<Arc<Token>> {
        if let Some(token) = self.fresh_token() {
            if let Some(shared) = self.shared() {
                shared.sync_if_due(self).await;
            }
            return Ok(token);
        }
        let _refreshing = self.refresh.lock().await;
        // Another call may have fetched one while this one waited.
        if let Some(token) = self.fresh_token() {
            return Ok(token);
        }
        if let Some(shared) = self.shared() {
            return shared.get(self).await;
        }
        self.count_fetch();
        let token = match self.source.fetch().await {
            Ok(token) => Arc::new(token),
            Err(e) => {
                tracing::debug!(target: crate::logging::AUTH, code = e.code(), status = e.status(), "token fetch failed");
                return Err(e);
            }
        };
        self.source.commit()?;
        tracing::debug!(
            target: crate::logging::AUTH,
            ttl_s = token.expires_at.saturating_duration_since(Instant::now()).as_secs(),
            "token fetched"
        );
        self.store_local(Some(token.clone()));
        Ok(token)
    }

    /// The server refused `failed`: forget it, unless a newer token already replaced it.
    pub async fn invalidate(&self, failed: &Arc<Token>) {
        let _refreshing = self.refresh.lock().await;
        if let Some(shared) = self.shared() {
            // The store may still hold it: it must not be taken from there again.
            shared.refused(&failed.value);
        }
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        // By value: a token read again from a shared store is the same token in a new `Arc`.
        if current.as_ref().is_some_and(|t| Arc::ptr_eq(t, failed) || t.value == failed.value) {
            *current = None;
        }
    }

    /// Use `token` from now on: one obtained outside the source (an OAuth2 code exchange, say).
    pub async fn set(&self, token: Token) -> Arc<Token> {
        let token = Arc::new(token);
        let _refreshing = self.refresh.lock().await;
        self.store_local(Some(token.clone()));
        token
    }

    /// Use `token` from now on, once it is in the shared store (when there is one) and
    /// `notify` accepted it; if `notify` fails, its error is returned and the token not used.
    ///
    /// # Errors
    ///
    /// `notify`'s error.
    pub async fn install(&self, token: Token, notify: impl FnOnce() -> Result<()>) -> Result<Arc<Token>> {
        let token = Arc::new(token);
        let _refreshing = self.refresh.lock().await;
        if let Some(shared) = self.shared() {
            shared.write_new(self, &token).await;
        }
        notify()?;
        self.store_local(Some(token.clone()));
        Ok(token)
    }

    /// Forget any cached token.
    pub async fn clear(&self) {
        let _refreshing = self.refresh.lock().await;
        self.store_local(None);
    }

    /// How many times a token was fetched from the source (by this manager: tokens another
    /// process fetched and this one read from a shared store are not counted).
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }
}

/// Send `req` with a valid token from `tokens`. On a 401, only that token is dropped, another is
/// fetched once and the request replayed once. `explain` turns the error of fetching the second
/// token (given the 401 that caused it) into the call's error. An earlier attempt whose answer
/// was lost keeps the call's outcome unknown through the replay.
pub(crate) async fn send_authorized(
    transport: &Transport,
    tokens: &TokenManager,
    mut req: Request,
    explain: fn(&Error, Error) -> Error,
) -> Result<Response> {
    let token = tokens.get().await?;
    req.authorization = Some(token.value.clone());
    match transport.execute(&req).await {
        Err(e) if e.status() == Some(401) => {
            tracing::debug!(
                target: crate::logging::AUTH,
                path = crate::logging::without_query(&req.path),
                "token refused; fetching another once"
            );
            let earlier = e.outcome_unknown();
            tokens.invalidate(&token).await;
            let token = tokens.get().await.map_err(|refresh| explain(&e, refresh).unknown_if(earlier))?;
            req.authorization = Some(token.value.clone());
            transport.execute(&req).await.map_err(|r| r.unknown_if(earlier))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    struct Counting {
        calls: Arc<AtomicUsize>,
        ttl: Duration,
    }

    impl TokenSource for Counting {
        fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<Token>> + Send + '_>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(Token::new(Secret::new(format!("t{n}")), Instant::now(), self.ttl))
            })
        }
    }

    fn manager(ttl: Duration) -> (Arc<TokenManager>, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        (Arc::new(TokenManager::new(Counting { calls: calls.clone(), ttl })), calls)
    }

    #[tokio::test]
    async fn one_fetch_for_many_concurrent_callers() {
        let (m, calls) = manager(Duration::from_secs(3600));
        let tasks: Vec<_> = (0..50).map(|_| { let m = m.clone(); tokio::spawn(async move { m.get().await.unwrap() }) }).collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().value.expose(), "t0");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn invalidating_a_stale_token_refreshes_once() {
        let (m, calls) = manager(Duration::from_secs(3600));
        let stale = m.get().await.unwrap();
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (m, stale) = (m.clone(), stale.clone());
                tokio::spawn(async move {
                    m.invalidate(&stale).await;
                    m.get().await.unwrap()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().value.expose(), "t1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn refreshes_ahead_of_expiry() {
        // ttl 100 ms → margin 50 ms: after 60 ms the token is still valid but due for refresh.
        let (m, calls) = manager(Duration::from_millis(100));
        let first = m.get().await.unwrap();
        assert_eq!(first.refresh_at - (first.expires_at - Duration::from_millis(100)), Duration::from_millis(50));
        tokio::time::sleep(Duration::from_millis(60)).await;
        let second = m.get().await.unwrap();
        assert_eq!(second.value.expose(), "t1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn refresh_margin_is_capped_at_a_minute() {
        let now = Instant::now();
        let t = Token::new(Secret::new("x"), now, Duration::from_secs(7200));
        assert_eq!(t.expires_at - t.refresh_at, Duration::from_secs(60));
    }
}
