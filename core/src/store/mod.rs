//! Stores shared by clients, processes and machines: tokens, rate-limit back-offs, and any other
//! small state that several workers of one account must agree on.
//!
//! A store is chosen by URL ([`open`]):
//!
//! | URL | store | for |
//! |---|---|---|
//! | `memory:` | [`MemoryStore`], private to the value that opened it | one client (the default) |
//! | `file:///absolute/path.json` | [`FileStore`]: one JSON file, an OS lock around every change, mode 0600, replaced atomically | processes on one machine (the command line, cron) |
//! | `redis://host:port/db`, `rediss://...` | `RedisStore` (feature `redis`) | processes on many machines |
//!
//! Every store offers the same operations, namespaced (`tokens`, `backoff`, ...) and keyed by
//! text: [`Store::get`], [`Store::put`], [`Store::compare_and_set`] on a version the store keeps
//! per entry, [`Store::delete`], and locks with a lease ([`Store::try_lock`], [`Store::renew`],
//! [`Store::unlock`]) so that a holder that crashed blocks the others for the lease at most.
//! Values are JSON.
//!
//! Errors: a store that cannot be reached is a connection error with the code
//! `store-unavailable`; data that is not what sellkit wrote is a decode error with the code
//! `store-malformed` naming the store and the key. Neither ever holds a value read or written:
//! token records carry secrets.

mod file;
mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

pub use file::FileStore;
pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use self::redis::RedisStore;

/// The future a store operation returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// Code of the error of a store that cannot be reached.
pub const UNAVAILABLE: &str = "store-unavailable";
/// Code of the error of a store entry that is not what sellkit wrote.
pub const MALFORMED: &str = "store-malformed";

/// The environment variable that names a token store for clients given none in code.
pub const ENV_TOKEN_STORE: &str = "SELLKIT_TOKEN_STORE";

/// One stored value and its version. The version grows by one with every write of the entry;
/// [`Store::compare_and_set`] writes only over the version the caller read.
#[derive(Clone, PartialEq)]
pub struct Entry {
    /// The value, as written.
    pub value: Value,
    /// 1 for the first write, then one more with each.
    pub version: u64,
}

impl std::fmt::Debug for Entry {
    // The value may be a token record: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry").field("version", &self.version).finish_non_exhaustive()
    }
}

/// A lock held until its lease ends, unless renewed or released first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The namespace of the locked name.
    pub namespace: String,
    /// The locked name (often the key of the entry it guards).
    pub name: String,
    /// What tells this holder from a later one: only the holder's token releases or renews it.
    pub(crate) token: String,
}

/// A store shared by everything that opens the same URL. See the [module docs](self).
pub trait Store: Send + Sync + 'static {
    /// The store's URL without credentials, for logs and errors (`redis://127.0.0.1:6379/0`).
    fn describe(&self) -> &str;

    /// The entry under `key`, or `None`.
    ///
    /// # Errors
    ///
    /// `store-unavailable` when the store cannot be reached; `store-malformed` when the entry
    /// (or a file store's file) is not what sellkit writes.
    fn get<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, Option<Entry>>;

    /// Write `value` whatever is there; returns the new version. With `ttl` the entry is gone
    /// after it.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    fn put<'a>(&'a self, namespace: &'a str, key: &'a str, value: &'a Value, ttl: Option<Duration>) -> StoreFuture<'a, u64>;

    /// Write `value` only if the entry's version is still `expected` (`None`: only if there is
    /// no entry). Returns the new version, or `None` when another write came first.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    fn compare_and_set<'a>(
        &'a self,
        namespace: &'a str,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl: Option<Duration>,
    ) -> StoreFuture<'a, Option<u64>>;

    /// Remove the entry (nothing happens when there is none).
    ///
    /// # Errors
    ///
    /// `store-unavailable` when the store cannot be reached.
    fn delete<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, ()>;

    /// Take the lock `name` for `lease`, unless another holder has it: `None` then.
    ///
    /// # Errors
    ///
    /// `store-unavailable` when the store cannot be reached.
    fn try_lock<'a>(&'a self, namespace: &'a str, name: &'a str, lease: Duration) -> StoreFuture<'a, Option<Lease>>;

    /// Extend a lock still held to `lease` from now; `false` when it was lost (its lease ended
    /// and someone else may hold it).
    ///
    /// # Errors
    ///
    /// `store-unavailable` when the store cannot be reached.
    fn renew<'a>(&'a self, lease: &'a Lease, duration: Duration) -> StoreFuture<'a, bool>;

    /// Release a lock, if this holder still has it.
    ///
    /// # Errors
    ///
    /// `store-unavailable` when the store cannot be reached.
    fn unlock<'a>(&'a self, lease: &'a Lease) -> StoreFuture<'a, ()>;
}

/// Open the store a URL names (see the [module docs](self)). Nothing is read or connected
/// yet: a Redis store connects on first use, and again after a failure.
///
/// # Errors
///
/// Invalid input for `field` when the URL is not one of the forms above: another scheme, a
/// relative file path, a Redis URL the `redis` crate refuses, or `redis://` in a build
/// without the `redis` feature.
///
/// ```
/// let store = sellkit::store::open("token_store", "memory:")?;
/// assert_eq!(store.describe(), "memory:");
/// let e = sellkit::store::open("token_store", "file://relative.json").err().unwrap();
/// assert_eq!(e.field(), Some("token_store"));
/// # Ok::<(), sellkit::Error>(())
/// ```
pub fn open(field: &str, url: &str) -> Result<Arc<dyn Store>> {
    match StoreUrl::parse(field, url)? {
        StoreUrl::Memory => Ok(Arc::new(MemoryStore::new())),
        StoreUrl::File(path) => Ok(Arc::new(FileStore::new(path))),
        #[cfg(feature = "redis")]
        StoreUrl::Redis(url) => Ok(Arc::new(RedisStore::new(field, &url)?)),
    }
}

/// Whether a store URL names the default private memory store (`memory:`).
///
/// # Errors
///
/// As [`open`].
pub fn is_memory(field: &str, url: &str) -> Result<bool> {
    Ok(matches!(StoreUrl::parse(field, url)?, StoreUrl::Memory))
}

/// A checked store URL.
enum StoreUrl {
    Memory,
    File(std::path::PathBuf),
    #[cfg(feature = "redis")]
    Redis(String),
}

impl StoreUrl {
    fn parse(field: &str, raw: &str) -> Result<StoreUrl> {
        let raw = raw.trim();
        if raw == "memory:" || raw == "memory://" {
            return Ok(StoreUrl::Memory);
        }
        let url = url::Url::parse(raw).map_err(|e| {
            Error::invalid_input(field, format!("not a store URL ({e}); use memory:, file:///absolute/path.json or redis://host:port/db"))
        })?;
        match url.scheme() {
            "file" => {
                if url.host_str().is_some_and(|h| !h.is_empty() && h != "localhost") {
                    return Err(Error::invalid_input(
                        field,
                        "a file store URL is file:///absolute/path.json (three slashes, no host)",
                    ));
                }
                let path = url.to_file_path().map_err(|()| Error::invalid_input(field, "a file store needs an absolute path"))?;
                if path.file_name().is_none() {
                    return Err(Error::invalid_input(field, "a file store URL must name a file, not a folder"));
                }
                Ok(StoreUrl::File(path))
            }
            "redis" | "rediss" => {
                #[cfg(feature = "redis")]
                {
                    Ok(StoreUrl::Redis(raw.to_owned()))
                }
                #[cfg(not(feature = "redis"))]
                {
                    Err(Error::invalid_input(field, "this build of sellkit has no Redis support (the `redis` feature)"))
                }
            }
            other => Err(Error::invalid_input(
                field,
                format!("unsupported store scheme {other:?}; use memory:, file:///absolute/path.json, redis:// or rediss://"),
            )),
        }
    }
}

/// The error of a store that cannot be reached; `why` must hold no value read or written.
pub(crate) fn unavailable(store: &str, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Connection, format!("the store {store} is unavailable: {why}")).with_code(UNAVAILABLE)
}

/// The error of an entry that is not what sellkit wrote; names the store and the key only.
pub(crate) fn malformed(store: &str, namespace: &str, key: &str, why: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("the store {store} holds malformed data under {namespace}/{key}: {why}"))
        .with_code(MALFORMED)
}

/// Milliseconds since the Unix epoch: the clock that processes on several machines share.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// A random lock token: 128 bits as hex.
pub(crate) fn lock_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // Never seen; a token only has to differ from other holders' for the lease.
        bytes = fastrand::u128(..).to_le_bytes();
    }
    hex::encode(bytes)
}

/// Take `name`, waiting up to `wait` for its holder (polling every 25 ms). `None` when the wait
/// ran out; the holder's lease bounds how long a crashed holder keeps it.
///
/// # Errors
///
/// The store's errors.
pub async fn lock(store: &dyn Store, namespace: &str, name: &str, lease: Duration, wait: Duration) -> Result<Option<Lease>> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(l) = store.try_lock(namespace, name, lease).await? {
            return Ok(Some(l));
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(LOCK_POLL).await;
    }
}

/// How often a waiter looks at a lock (or at what its holder will write).
pub(crate) const LOCK_POLL: Duration = Duration::from_millis(25);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_naming_the_setting() {
        assert!(matches!(StoreUrl::parse("s", "memory:").unwrap(), StoreUrl::Memory));
        assert!(matches!(StoreUrl::parse("s", "file:///tmp/t.json").unwrap(), StoreUrl::File(_)));
        for bad in ["", "nonsense", "file://relative.json", "file:///", "http://x", "postgres://db"] {
            let e = StoreUrl::parse("token_store", bad).err().unwrap_or_else(|| panic!("{bad} accepted"));
            assert_eq!(e.field(), Some("token_store"), "{bad}: {e}");
        }
    }
}
