//! `memory:`: a store in this process's memory, shared only by the holders of one value.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

use super::{lock_token, now_ms, Entry, Lease, Store, StoreFuture};

/// A store in memory. Clones of the `Arc` that holds it share it; nothing else does.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// (namespace, key) → (entry, expiry in Unix ms)
    entries: HashMap<(String, String), (Entry, Option<u64>)>,
    /// (namespace, name) → (token, lease end in Unix ms)
    locks: HashMap<(String, String), (String, u64)>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryStore")
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Inner {
    fn live(&mut self, ns: &str, key: &str) -> Option<&Entry> {
        let k = (ns.to_owned(), key.to_owned());
        if self.entries.get(&k).is_some_and(|(_, exp)| exp.is_some_and(|e| e <= now_ms())) {
            self.entries.remove(&k);
        }
        self.entries.get(&k).map(|(e, _)| e)
    }

    fn write(&mut self, ns: &str, key: &str, value: &Value, ttl: Option<Duration>) -> u64 {
        let version = self.live(ns, key).map_or(0, |e| e.version) + 1;
        let expiry = ttl.map(|t| now_ms() + t.as_millis() as u64);
        self.entries.insert((ns.to_owned(), key.to_owned()), (Entry { value: value.clone(), version }, expiry));
        version
    }
}

impl Store for MemoryStore {
    fn describe(&self) -> &str {
        "memory:"
    }

    fn get<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, Option<Entry>> {
        let found = self.lock().live(namespace, key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(&'a self, namespace: &'a str, key: &'a str, value: &'a Value, ttl: Option<Duration>) -> StoreFuture<'a, u64> {
        let version = self.lock().write(namespace, key, value, ttl);
        Box::pin(async move { Ok(version) })
    }

    fn compare_and_set<'a>(
        &'a self,
        namespace: &'a str,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl: Option<Duration>,
    ) -> StoreFuture<'a, Option<u64>> {
        let mut inner = self.lock();
        let current = inner.live(namespace, key).map(|e| e.version);
        let written = (current == expected).then(|| inner.write(namespace, key, value, ttl));
        drop(inner);
        Box::pin(async move { Ok(written) })
    }

    fn delete<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, ()> {
        self.lock().entries.remove(&(namespace.to_owned(), key.to_owned()));
        Box::pin(async { Ok(()) })
    }

    fn try_lock<'a>(&'a self, namespace: &'a str, name: &'a str, lease: Duration) -> StoreFuture<'a, Option<Lease>> {
        let now = now_ms();
        let mut inner = self.lock();
        let k = (namespace.to_owned(), name.to_owned());
        let taken = inner.locks.get(&k).is_some_and(|(_, until)| *until > now);
        let result = (!taken).then(|| {
            let token = lock_token();
            inner.locks.insert(k, (token.clone(), now + lease.as_millis() as u64));
            Lease { namespace: namespace.to_owned(), name: name.to_owned(), token }
        });
        drop(inner);
        Box::pin(async move { Ok(result) })
    }

    fn renew<'a>(&'a self, lease: &'a Lease, duration: Duration) -> StoreFuture<'a, bool> {
        let now = now_ms();
        let mut inner = self.lock();
        let held = match inner.locks.get_mut(&(lease.namespace.clone(), lease.name.clone())) {
            Some((token, until)) if *token == lease.token && *until > now => {
                *until = now + duration.as_millis() as u64;
                true
            }
            _ => false,
        };
        drop(inner);
        Box::pin(async move { Ok(held) })
    }

    fn unlock<'a>(&'a self, lease: &'a Lease) -> StoreFuture<'a, ()> {
        let mut inner = self.lock();
        let k = (lease.namespace.clone(), lease.name.clone());
        if inner.locks.get(&k).is_some_and(|(token, _)| *token == lease.token) {
            inner.locks.remove(&k);
        }
        Box::pin(async { Ok(()) })
    }
}
