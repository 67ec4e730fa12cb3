//! `file:///absolute/path.json`: one JSON file shared by the processes of one machine.
//!
//! - Every change is a read-modify-write under an exclusive OS lock (`flock` on Unix,
//!   `LockFileEx` on Windows, through `fs4`) on a sibling file `<path>.lock`, so processes and
//!   the tasks of one process take turns. The lock is released when its file is closed, so a
//!   process that dies mid-change releases it too.
//! - The new content is written to a temporary file in the same folder (mode 0600), flushed to
//!   disk, and renamed over the old one: a reader sees the old file or the new one, never half
//!   of one, and a crash mid-write leaves the old file whole.
//! - Reads need no lock for that reason.
//!
//! The file: `{"sellkit_store": 1, "entries": {ns: {key: {"version", "value", "expires_at_ms"?}}},
//! "locks": {"ns/name": {"token", "until_ms"}}}`. It holds refresh tokens: keep it private
//! (the store creates it 0600 and never widens it).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Map, Value};

use super::{lock_token, malformed, now_ms, unavailable, Entry, Lease, Store, StoreFuture};
use crate::error::{Error, ErrorKind, Result};

/// A store in one JSON file (see the module docs).
pub struct FileStore {
    path: PathBuf,
    lock_path: PathBuf,
    describe: String,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore").field("path", &self.path).finish()
    }
}

impl FileStore {
    /// The store in `path` (created on first write, with its folder).
    pub fn new(path: PathBuf) -> FileStore {
        let mut lock_path = path.clone().into_os_string();
        lock_path.push(".lock");
        let describe = url::Url::from_file_path(&path).map(String::from).unwrap_or_else(|()| path.display().to_string());
        FileStore { path, lock_path: lock_path.into(), describe }
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` on a blocking thread (file locks block).
    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce(&Files) -> Result<T> + Send + 'static) -> Result<T> {
        let files = Files { path: self.path.clone(), lock_path: self.lock_path.clone(), describe: self.describe.clone() };
        tokio::task::spawn_blocking(move || f(&files))
            .await
            .map_err(|e| Error::new(ErrorKind::Internal, format!("a file store operation did not finish: {e}")))?
    }
}

/// What a blocking operation needs (owned, to move onto the blocking thread).
struct Files {
    path: PathBuf,
    lock_path: PathBuf,
    describe: String,
}

impl Files {
    fn unavailable(&self, doing: &str, e: std::io::Error) -> Error {
        unavailable(&self.describe, format!("{doing}: {e}"))
    }

    /// The whole file as JSON (an empty store when it does not exist yet).
    fn read(&self, ns: &str, key: &str) -> Result<Value> {
        let mut text = String::new();
        match File::open(&self.path) {
            Ok(mut f) => {
                f.read_to_string(&mut text).map_err(|e| self.unavailable("reading the file", e))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(empty()),
            Err(e) => return Err(self.unavailable("opening the file", e)),
        }
        if text.trim().is_empty() {
            return Ok(empty());
        }
        // Only the position of a syntax error: serde_json's messages can quote the data.
        let doc: Value = serde_json::from_str(&text).map_err(|e| {
            malformed(&self.describe, ns, key, &format!("the file is not JSON (line {}, column {})", e.line(), e.column()))
        })?;
        match &doc {
            Value::Object(m) if m.get("entries").is_none_or(Value::is_object) && m.get("locks").is_none_or(Value::is_object) => Ok(doc),
            _ => Err(malformed(&self.describe, ns, key, "the file is not a sellkit store (no \"entries\" object)")),
        }
    }

    /// Hold the exclusive lock, read, let `change` edit the document, write it back if it says
    /// so. The lock goes with its file handle when this returns (or the process dies).
    fn change<T>(&self, ns: &str, key: &str, change: impl FnOnce(&mut Value) -> Result<(T, bool)>) -> Result<T> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.unavailable("creating its folder", e))?;
        }
        let lock = private_options().read(true).write(true).create(true).truncate(false).open(&self.lock_path).map_err(|e| self.unavailable("opening the lock file", e))?;
        fs4::FileExt::lock(&lock).map_err(|e| self.unavailable("locking the file", e))?;
        let mut doc = self.read(ns, key)?;
        let (out, write) = change(&mut doc)?;
        if write {
            self.write(&doc)?;
        }
        drop(lock);
        Ok(out)
    }

    /// Replace the file atomically: a temporary file beside it, flushed, renamed over it.
    fn write(&self, doc: &Value) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        // tempfile creates the file 0600 on Unix.
        let mut tmp = tempfile::Builder::new()
            .prefix(".sellkit-store-")
            .tempfile_in(dir)
            .map_err(|e| self.unavailable("creating a temporary file", e))?;
        let text = serde_json::to_vec_pretty(doc).map_err(|e| Error::new(ErrorKind::Internal, format!("could not serialize the store: {e}")))?;
        tmp.write_all(&text).and_then(|()| tmp.as_file().sync_all()).map_err(|e| self.unavailable("writing", e))?;
        tmp.persist(&self.path).map_err(|e| self.unavailable("replacing the file", e.error))?;
        // The rename itself is durable only once the folder is flushed.
        #[cfg(unix)]
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

fn private_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

fn empty() -> Value {
    json!({"sellkit_store": 1, "entries": {}, "locks": {}})
}

/// The live entry under `ns`/`key` in `doc` (an expired one counts as absent).
fn entry(describe: &str, doc: &Value, ns: &str, key: &str) -> Result<Option<Entry>> {
    let Some(raw) = doc.get("entries").and_then(|e| e.get(ns)).and_then(|n| n.get(key)) else {
        return Ok(None);
    };
    let bad = || malformed(describe, ns, key, "an entry is {\"version\": n, \"value\": ...}");
    let version = raw.get("version").and_then(Value::as_u64).ok_or_else(bad)?;
    let value = raw.get("value").cloned().ok_or_else(bad)?;
    if raw.get("expires_at_ms").and_then(Value::as_u64).is_some_and(|exp| exp <= now_ms()) {
        return Ok(None);
    }
    Ok(Some(Entry { value, version }))
}

/// The namespace's object in `doc`, created when missing.
fn namespace<'d>(describe: &str, doc: &'d mut Value, ns: &str, key: &str) -> Result<&'d mut Map<String, Value>> {
    let entries = doc.as_object_mut().and_then(|m| {
        m.entry("entries").or_insert_with(|| json!({}));
        m.get_mut("entries")?.as_object_mut()
    });
    let entries = entries.ok_or_else(|| malformed(describe, ns, key, "no \"entries\" object"))?;
    // Expired entries of this namespace go whenever it is written.
    let now = now_ms();
    let space = entries.entry(ns.to_owned()).or_insert_with(|| json!({}));
    let space = space.as_object_mut().ok_or_else(|| malformed(describe, ns, key, "the namespace is not an object"))?;
    space.retain(|_, e| e.get("expires_at_ms").and_then(Value::as_u64).is_none_or(|exp| exp > now));
    Ok(space)
}

fn set(describe: &str, doc: &mut Value, ns: &str, key: &str, value: &Value, version: u64, ttl: Option<Duration>) -> Result<()> {
    let mut e = json!({"version": version, "value": value});
    if let Some(t) = ttl {
        e["expires_at_ms"] = (now_ms() + t.as_millis() as u64).into();
    }
    namespace(describe, doc, ns, key)?.insert(key.to_owned(), e);
    Ok(())
}

fn locks<'d>(describe: &str, doc: &'d mut Value, ns: &str, name: &str) -> Result<&'d mut Map<String, Value>> {
    let m = doc.as_object_mut().ok_or_else(|| malformed(describe, ns, name, "not an object"))?;
    m.entry("locks").or_insert_with(|| json!({})).as_object_mut().ok_or_else(|| malformed(describe, ns, name, "\"locks\" is not an object"))
}

impl Store for FileStore {
    fn describe(&self) -> &str {
        &self.describe
    }

    fn get<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, Option<Entry>> {
        let (ns, k) = (namespace.to_owned(), key.to_owned());
        Box::pin(self.blocking(move |f| {
            let doc = f.read(&ns, &k)?;
            entry(&f.describe, &doc, &ns, &k)
        }))
    }

    fn put<'a>(&'a self, namespace: &'a str, key: &'a str, value: &'a Value, ttl: Option<Duration>) -> StoreFuture<'a, u64> {
        let (ns, k, v) = (namespace.to_owned(), key.to_owned(), value.clone());
        Box::pin(self.blocking(move |f| {
            f.change(&ns, &k, |doc| {
                let version = match entry(&f.describe, doc, &ns, &k) {
                    Ok(e) => e.map_or(0, |e| e.version) + 1,
                    // A malformed entry is replaced by an unconditional write.
                    Err(e) if e.code() == super::MALFORMED => 1,
                    Err(e) => return Err(e),
                };
                set(&f.describe, doc, &ns, &k, &v, version, ttl)?;
                Ok((version, true))
            })
        }))
    }

    fn compare_and_set<'a>(
        &'a self,
        namespace: &'a str,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl: Option<Duration>,
    ) -> StoreFuture<'a, Option<u64>> {
        let (ns, k, v) = (namespace.to_owned(), key.to_owned(), value.clone());
        Box::pin(self.blocking(move |f| {
            f.change(&ns, &k, |doc| {
                let current = entry(&f.describe, doc, &ns, &k)?.map(|e| e.version);
                if current != expected {
                    return Ok((None, false));
                }
                let version = current.unwrap_or(0) + 1;
                set(&f.describe, doc, &ns, &k, &v, version, ttl)?;
                Ok((Some(version), true))
            })
        }))
    }

    fn delete<'a>(&'a self, namespace: &'a str, key: &'a str) -> StoreFuture<'a, ()> {
        let (ns, k) = (namespace.to_owned(), key.to_owned());
        Box::pin(self.blocking(move |f| {
            f.change(&ns, &k, |doc| {
                let removed = doc.get_mut("entries").and_then(|e| e.get_mut(&ns)).and_then(Value::as_object_mut).and_then(|m| m.remove(&k));
                Ok(((), removed.is_some()))
            })
        }))
    }

    fn try_lock<'a>(&'a self, namespace: &'a str, name: &'a str, lease: Duration) -> StoreFuture<'a, Option<Lease>> {
        let (ns, n) = (namespace.to_owned(), name.to_owned());
        Box::pin(self.blocking(move |f| {
            f.change(&ns, &n, |doc| {
                let now = now_ms();
                let id = format!("{ns}/{n}");
                let locks = locks(&f.describe, doc, &ns, &n)?;
                locks.retain(|_, l| l.get("until_ms").and_then(Value::as_u64).is_some_and(|u| u > now));
                if locks.contains_key(&id) {
                    return Ok((None, false));
                }
                let token = lock_token();
                locks.insert(id, json!({"token": token, "until_ms": now + lease.as_millis() as u64}));
                Ok((Some(Lease { namespace: ns.clone(), name: n.clone(), token }), true))
            })
        }))
    }

    fn renew<'a>(&'a self, lease: &'a Lease, duration: Duration) -> StoreFuture<'a, bool> {
        let lease = lease.clone();
        Box::pin(self.blocking(move |f| {
            f.change(&lease.namespace, &lease.name, |doc| {
                let now = now_ms();
                let id = format!("{}/{}", lease.namespace, lease.name);
                let locks = locks(&f.describe, doc, &lease.namespace, &lease.name)?;
                match locks.get_mut(&id) {
                    Some(l) if l.get("token").and_then(Value::as_str) == Some(lease.token.as_str())
                        && l.get("until_ms").and_then(Value::as_u64).is_some_and(|u| u > now) =>
                    {
                        l["until_ms"] = (now + duration.as_millis() as u64).into();
                        Ok((true, true))
                    }
                    _ => Ok((false, false)),
                }
            })
        }))
    }

    fn unlock<'a>(&'a self, lease: &'a Lease) -> StoreFuture<'a, ()> {
        let lease = lease.clone();
        Box::pin(self.blocking(move |f| {
            f.change(&lease.namespace, &lease.name, |doc| {
                let id = format!("{}/{}", lease.namespace, lease.name);
                let locks = locks(&f.describe, doc, &lease.namespace, &lease.name)?;
                let mine = locks.get(&id).and_then(|l| l.get("token")).and_then(Value::as_str) == Some(lease.token.as_str());
                if mine {
                    locks.remove(&id);
                }
                Ok(((), mine))
            })
        }))
    }
}
