//! `redis://host:port/db` and `rediss://` (TLS): a store many machines share, through the
//! `redis` crate on tokio.
//!
//! - An entry is a hash `sellkit:{ns}:{key}` with fields `v` (the version) and `d` (the JSON
//!   text); writes are Lua scripts, so a version check and its write are one step.
//! - A lock is `SET sellkit:lock:{ns}:{name} <token> NX PX <lease>`; renewing and releasing
//!   compare the token first (a script), so a holder whose lease ran out cannot release or
//!   extend the next holder's lock.
//! - One multiplexed connection per store, made on first use. After a failure it is dropped
//!   and made again by a later operation, at most every [`RECONNECT_PAUSE`]: a stopped Redis
//!   costs each operation a quick error, not a connect timeout. A connection is tied to the
//!   runtime and the process it was made in: in a child process after `fork()` a new one is made; one whose runtime ended fails
//!   once and is made again.

use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Script};
use serde_json::Value;

use super::{lock_token, malformed, unavailable, Entry, Lease, Store, StoreFuture};
use crate::error::{Error, Result};

/// Least time between two connection attempts after a failure.
const RECONNECT_PAUSE: Duration = Duration::from_millis(100);
/// Time to connect, and to wait for one answer: a store slower than this is as good as down.
const TIMEOUT: Duration = Duration::from_secs(1);

/// A store in Redis (see the module docs).
pub struct RedisStore {
    client: redis::Client,
    describe: String,
    conn: tokio::sync::Mutex<Option<Connected>>,
    last_failure: Mutex<Option<(Instant, String)>>,
}

struct Connected {
    conn: MultiplexedConnection,
    pid: u32,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore").field("url", &self.describe).finish()
    }
}

impl RedisStore {
    /// A store at `url` (checked now, connected on first use).
    ///
    /// # Errors
    ///
    /// Invalid input for `field` when the `redis` crate refuses the URL.
    pub fn new(field: &str, url: &str) -> Result<RedisStore> {
        let client = redis::Client::open(url).map_err(|e| Error::invalid_input(field, format!("not a usable Redis URL ({})", e.category())))?;
        let mut shown = url::Url::parse(url).map_err(|e| Error::invalid_input(field, format!("not a URL ({e})")))?;
        if shown.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        Ok(RedisStore { client, describe: shown.into(), conn: tokio::sync::Mutex::new(None), last_failure: Mutex::new(None) })
    }

    async fn connection(&self) -> Result<MultiplexedConnection> {
        let mut slot = self.conn.lock().await;
        if let Some(c) = slot.as_ref().filter(|c| c.pid == std::process::id()) {
            return Ok(c.conn.clone());
        }
        if let Some((at, why)) = self.last_failure.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            if at.elapsed() < RECONNECT_PAUSE {
                return Err(unavailable(&self.describe, why));
            }
        }
        let config = AsyncConnectionConfig::new().set_connection_timeout(Some(TIMEOUT)).set_response_timeout(Some(TIMEOUT));
        match self.client.get_multiplexed_async_connection_with_config(&config).await {
            Ok(conn) => {
                *slot = Some(Connected { conn: conn.clone(), pid: std::process::id() });
                *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) = None;
                Ok(conn)
            }
            Err(e) => {
                let why = describe_error(&e);
                *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), why.clone()));
                Err(unavailable(&self.describe, why))
            }
        }
    }

    /// Map a failed operation to its error; a broken connection is dropped for the next one.
    async fn failed(&self, e: redis::RedisError, ns: &str, key: &str) -> Error {
        if e.code() == Some("WRONGTYPE") {
            return malformed(&self.describe, ns, key, "the key holds another kind of Redis value than sellkit writes");
        }
        let why = describe_error(&e);
        *self.conn.lock().await = None;
        *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), why.clone()));
        unavailable(&self.describe, why)
    }

    fn key(ns: &str, key: &str) -> String {
        format!("sellkit:{ns}:{key}")
    }
    fn lock_key(ns: &str, name: &str) -> String {
        format!("sellkit:lock:{ns}:{name}")
    }
}

/// The error's category and kind of failure; never the values of a command.
fn describe_error(e: &redis::RedisError) -> String {
    if e.is_connection_refusal() {
        "connection refused".into()
    } else if e.is_timeout() {
        "timed out".into()
    } else if e.is_io_error() || e.is_connection_dropped() {
        format!("connection failed ({})", e.category())
    } else {
        match e.code() {
            Some(code) => format!("Redis answered {code}"),
            None => e.category().to_owned(),
        }
    }
}

fn ttl_ms(ttl: Option<Duration>) -> String {
    ttl.map(|t| t.as_millis().max(1).to_string()).unwrap_or_default()
}

/// PUT: bump the version, store the JSON, set or clear the expiry. Returns the new version.
const PUT: &str = r"
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'd', ARGV[1])
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('PERSIST', KEYS[1]) end
return v";

/// CAS: write only over the expected version ('' = no entry). Returns the new version, or -1.
const CAS: &str = r"
local v = redis.call('HGET', KEYS[1], 'v')
if ARGV[1] == '' then
  if v then return -1 end
elseif v ~= ARGV[1] then
  return -1
end
local n = (tonumber(v) or 0) + 1
redis.call('HSET', KEYS[1], 'v', n, 'd', ARGV[2])
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
return n";

/// Extend the lock if the token is still the holder's.
const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0";

/// Release the lock if the token is still the holder's.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0";

// Each script is hashed once; `invoke_async` sends its hash and loads it again after a Redis
// restart (NOSCRIPT).
static PUT_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(PUT));
static CAS_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(CAS));
static RENEW_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(RENEW));
static UNLOCK_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(UNLOCK));

impl Store for RedisStore {
    fn describe(&self) -> &str {
        &self.describe
    }

    fn get<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, Option<Entry>> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            let got: redis::RedisResult<(Option<String>, Option<String>)> =
                redis::cmd("HMGET").arg(Self::key(namespace, key)).arg("v").arg("d").query_async(&mut conn).await;
            let (v, d) = match got {
                Ok(x) => x,
                Err(e) => return Err(self.failed(e, namespace, key).await),
            };
            let (v, d) = match (v, d) {
                (None, None) => return Ok(None),
                (Some(v), Some(d)) => (v, d),
                _ => return Err(malformed(&self.describe, namespace, key, "the hash lacks its version or its data")),
            };
            let version = v.parse().map_err(|_| malformed(&self.describe, namespace, key, "the version is not a number"))?;
            // Only the position: serde_json's messages can quote the data.
            let value = serde_json::from_str(&d).map_err(|e| {
                malformed(&self.describe, namespace, key, &format!("the data is not JSON (line {}, column {})", e.line(), e.column()))
            })?;
            Ok(Some(Entry { value, version }))
        })
    }

    fn put<'a>(&'a self, namespace: &'a str, key: &'a str, value: &'a Value, ttl: Option<Duration>) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            let r: redis::RedisResult<u64> = PUT_SCRIPT
                .key(Self::key(namespace, key))
                .arg(value.to_string())
                .arg(ttl_ms(ttl))
                .invoke_async(&mut conn)
                .await;
            match r {
                Ok(v) => Ok(v),
                Err(e) => Err(self.failed(e, namespace, key).await),
            }
        })
    }

    fn compare_and_set<'a>(
        &'a self,
        namespace: &'a str,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl: Option<Duration>,
    ) -> StoreFuture<'a, Option<u64>> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            let r: redis::RedisResult<i64> = CAS_SCRIPT
                .key(Self::key(namespace, key))
                .arg(expected.map(|v| v.to_string()).unwrap_or_default())
                .arg(value.to_string())
                .arg(ttl_ms(ttl))
                .invoke_async(&mut conn)
                .await;
            match r {
                Ok(n) if n >= 0 => Ok(Some(n as u64)),
                Ok(_) => Ok(None),
                Err(e) => Err(self.failed(e, namespace, key).await),
            }
        })
    }

    fn delete<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            let r: redis::RedisResult<i64> = redis::cmd("DEL").arg(Self::key(namespace, key)).query_async(&mut conn).await;
            match r {
                Ok(_) => Ok(()),
                Err(e) => Err(self.failed(e, namespace, key).await),
            }
        })
    }

    fn try_lock<'a>(&'a self, namespace: &'a str, name: &'a str, lease: Duration) -> StoreFuture<'a, Option<Lease>> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            let token = lock_token();
            let r: redis::RedisResult<Option<String>> = redis::cmd("SET")
                .arg(Self::lock_key(namespace, name))
                .arg(&token)
                .arg("NX")
                .arg("PX")
                .arg(lease.as_millis().max(1) as u64)
                .query_async(&mut conn)
                .await;
            match r {
                Ok(Some(_)) => Ok(Some(Lease { namespace: namespace.to_owned(), name: name.to_owned(), token })),
                Ok(None) => Ok(None),
                Err(e) => Err(self.failed(e, namespace, name).await),
            }
        })
    }

    fn renew<'a>(&'a self, lease: &'a Lease, duration: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            let r: redis::RedisResult<i64> = RENEW_SCRIPT
                .key(Self::lock_key(&lease.namespace, &lease.name))
                .arg(&lease.token)
                .arg(duration.as_millis().max(1) as u64)
                .invoke_async(&mut conn)
                .await;
            match r {
                Ok(n) => Ok(n == 1),
                Err(e) => Err(self.failed(e, &lease.namespace, &lease.name).await),
            }
        })
    }

    fn unlock<'a>(&'a self, lease: &'a Lease) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            let r: redis::RedisResult<i64> =
                UNLOCK_SCRIPT.key(Self::lock_key(&lease.namespace, &lease.name)).arg(&lease.token).invoke_async(&mut conn).await;
            match r {
                Ok(_) => Ok(()),
                Err(e) => Err(self.failed(e, &lease.namespace, &lease.name).await),
            }
        })
    }
}
