//! Operations by name, for the Python and Node bindings.
//!
//! A binding converts its arguments to one JSON object and calls [`call`] (or [`list`] for the
//! paged lists, [`upload`] for uploads, [`parse_callback_json`] for callbacks) with the
//! operation's name; the result comes back as JSON. Every argument check happens here or in
//! the resource methods, in one place, with the argument's name (or path, `items[2].prices[0].price`)
//! as the error's field. An argument the operation does not know is refused (`field` = its name).
//!
//! In results, prices are strings with two decimals (`"15.50"`), so that Python and Node never
//! see money as a binary float; in arguments, prices may be numbers or numeric strings.
//! Batch results have the shape
//! `{"items": [{"index", "ok", "code", "message", "data", "recovered", "error"?}], "all_ok": bool, "failed": [indices]}`.
//!
//! ## `call(client, op, args)`
//!
//! | op | args | result |
//! |---|---|---|
//! | `authenticate` | – | `{"mage_id": str}` |
//! | `users.get` | `style?: "full" \| "summary"` | profile |
//! | `users.update` | `fields: object` (may hold `action`: `submit`/`draft`) | profile |
//! | `users.keys.list` | `type?: "m1"\|"m2"\|"all"`, `label?`, `uid?` | `{"m2": [key], "m1": [key]}` |
//! | `users.keys.create` | `keys: [{label, uid?}]` | batch result of keys |
//! | `users.keys.enable` / `users.keys.disable` | `label`, `uid?` | `{"m2": [key]}` |
//! | `users.keys.delete` | `label`, `uid?` | `null` (204) |
//! | `users.reports` | `kind: "pageviews"\|"totals"\|"sales"\|"refunds"` | JSON as sent |
//! | `callbacks.register` | `callbacks: [{name?, url, username, password}]` | profile |
//! | `files.get` | `file_upload_id` | file record |
//! | `files.wait_for_scan` | `ids: [str]`, `timeout?: seconds` (300), `interval?: seconds` (2) | `{"passed": [record], "failed": [record], "timed_out": [id], "all_passed": bool}` |
//! | `packages.create` | `items: [package]`, `chunk_size?` (50), `concurrency?` (4) | batch result of packages |
//! | `packages.update` | `items: [package with submission_id]`, `chunk_size?`, `concurrency?` | batch result of packages |
//! | `packages.update_one` | `submission_id`, `fields: package` | package or `null` |
//! | `packages.get` | `submission_id` | package |
//! | `packages.by_item_id` | `item_id` | package |
//! | `packages.submit` / `packages.recall` | `submission_id`, `technical?: bool`, `marketing?: bool` (both when neither is given) | package or `null` |
//! | `packages.remove` / `packages.cancel` | `submission_id` | package or `null` |
//! | `test_results.summary` | exactly one of `submission_id`, `sku`, `item_id` | `[tool run]` |
//! | `test_results.detail` | `submission_id`, `tool`, `run_id` | detail (`reports` as sent: array or object) |
//! | `reports.metrics` | `name?` | JSON as sent |
//! | `request` | `method`, `path`, `json?` | decoded body or `null` |
//!
//! ## `list(client, op, args)` → [`Paginator`] of JSON items
//!
//! | op | args |
//! |---|---|
//! | `files.list` | `limit?`, `page_size?` (50) |
//! | `packages.list` | any filter of [`super::packages::is_filter`] (`type`, `platform`, `license_type`, `is_patch`, `sku`, `name`, ...: string values), `sort?: "-platform,+name"` or `["-platform", "+name"]`, `limit?`, `page_size?` |
//! | `packages.by_sku` | `sku`, `version?`, `limit?`, `page_size?` |
//! | `packages.skus` / `packages.items` | `limit?`, `page_size?` |
//!
//! ## Others
//! - [`upload`]`(client, sources, progress)` → `[file record]`, one per source, in order.
//! - [`parse_callback_json`]`(body, authorization, username, password)` → the envelope.
//!
//! A panic inside an operation is caught and returned as an [`crate::ErrorKind::Internal`]
//! error, so it never unwinds into a Python or Node host.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde_json::{json, Map, Value};

use super::client::Client;
use super::files::{Progress, ScanWait, UploadSource};
use super::keys::KeyFilter;
use super::model::{ApiCallback, Model, NewKey, Package, Profile};
use super::packages::{binding_package, is_filter, PackageFilter, Packages, SortKey, Tracks};
use super::paging::{ListOptions, OffsetPages};
use super::test_results::TestTarget;
use super::users::{ProfileStyle, UserReport};
use crate::batch::{BatchOptions, BatchResult};
use crate::error::{Error, Result};
use crate::pagination::{PageSource, Paginator};

/// Run operation `op` with `args` (a JSON object) on `client`. See the module docs for the table.
pub async fn call(client: &Client, op: &str, args: Value) -> Result<Value> {
    crate::panic_guard::catch(run(client, op, args)).await
}

fn package_json(p: &Package) -> Value {
    p.to_binding_json()
}

fn optional_package(p: Option<Package>) -> Value {
    p.as_ref().map(package_json).unwrap_or(Value::Null)
}

fn batch_json<T: Model>(r: &BatchResult<T>) -> Value {
    r.to_json_with(|d| d.to_binding_json())
}

async fn run(client: &Client, op: &str, args: Value) -> Result<Value> {
    let args = Args::new(args)?;
    match op {
        "authenticate" => {
            args.only(&[])?;
            Ok(json!({ "mage_id": client.authenticate().await? }))
        }
        "users.get" => {
            args.only(&["style"])?;
            let style = args.opt_str("style")?.as_deref().map(ProfileStyle::parse).transpose()?;
            Profile::binding_json_of(client.users().get_json(style).await?)
        }
        "users.update" => {
            args.only(&["fields"])?;
            let fields = args.object("fields")?;
            Ok(client.users().update(fields).await?.to_binding_json())
        }
        "users.keys.list" => {
            args.only(&["type", "label", "uid"])?;
            let filter = KeyFilter { key_type: args.opt_str("type")?, label: args.opt_str("label")?, uid: args.opt_str("uid")? };
            Ok(client.users().keys().list(&filter).await?.to_binding_json())
        }
        "users.keys.create" => {
            args.only(&["keys"])?;
            let keys = args.array("keys")?;
            let keys: Vec<NewKey> =
                keys.iter().enumerate().map(|(i, k)| NewKey::from_input(k, &format!("keys[{i}]"))).collect::<Result<_>>()?;
            Ok(batch_json(&client.users().keys().create(&keys).await?))
        }
        "users.keys.enable" | "users.keys.disable" => {
            args.only(&["label", "uid"])?;
            let label = args.str("label")?;
            let uid = args.opt_str("uid")?;
            let keys = client.users().keys().set_enabled(&label, op.ends_with("enable"), uid.as_deref()).await?;
            Ok(json!({ "m2": keys.iter().map(Model::to_binding_json).collect::<Vec<_>>() }))
        }
        "users.keys.delete" => {
            args.only(&["label", "uid"])?;
            client.users().keys().delete(&args.str("label")?, args.opt_str("uid")?.as_deref()).await?;
            Ok(Value::Null)
        }
        "users.reports" => {
            args.only(&["kind"])?;
            client.users().reports(UserReport::parse(&args.str("kind")?)?).await
        }
        "callbacks.register" => {
            args.only(&["callbacks"])?;
            let list = args.array("callbacks")?;
            let callbacks: Vec<ApiCallback> = list
                .iter()
                .enumerate()
                .map(|(i, c)| ApiCallback::from_input(c, &format!("callbacks[{i}]")))
                .collect::<Result<_>>()?;
            Ok(client.callbacks().register(&callbacks).await?.to_binding_json())
        }
        "files.get" => {
            args.only(&["file_upload_id"])?;
            Ok(client.files().get(&args.str("file_upload_id")?).await?.to_binding_json())
        }
        "files.wait_for_scan" => {
            args.only(&["ids", "timeout", "interval"])?;
            let ids = args.array("ids")?;
            let ids: Vec<String> = ids
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str().map(str::to_owned).ok_or_else(|| {
                        Error::invalid_input(format!("ids[{i}]"), format!("expected a string, got {}", json_type(v)))
                    })
                })
                .collect::<Result<_>>()?;
            let mut wait = ScanWait::default();
            if let Some(t) = args.opt_seconds("timeout")? {
                wait.timeout = t;
            }
            if let Some(i) = args.opt_seconds("interval")? {
                wait.interval = i;
            }
            let report = client.files().wait_for_scan(&ids, wait).await?;
            Ok(json!({
                "passed": report.passed.iter().map(Model::to_binding_json).collect::<Vec<_>>(),
                "failed": report.failed.iter().map(Model::to_binding_json).collect::<Vec<_>>(),
                "timed_out": report.timed_out,
                "all_passed": report.all_passed(),
            }))
        }
        "packages.create" | "packages.update" => {
            args.only(&["items", "chunk_size", "concurrency"])?;
            let items = args.packages("items")?;
            let mut options = BatchOptions::default();
            if let Some(n) = args.opt_u64("chunk_size")? {
                options.chunk_size = n.min(usize::MAX as u64) as usize;
            }
            if let Some(n) = args.opt_u64("concurrency")? {
                options.concurrency = n.min(usize::MAX as u64) as usize;
            }
            options.validate()?;
            let result = if op == "packages.create" {
                client.packages().create_as(items, options, binding_package).await?
            } else {
                client.packages().update_as(items, options, binding_package).await?
            };
            Ok(result.into_json())
        }
        "packages.update_one" => {
            args.only(&["submission_id", "fields"])?;
            let id = args.str("submission_id")?;
            let fields = Package::from_input(&Value::Object(args.object("fields")?), "fields")?;
            Ok(optional_package(client.packages().update_one(&id, &fields).await?))
        }
        "packages.get" => {
            args.only(&["submission_id"])?;
            Ok(package_json(&client.packages().get(&args.str("submission_id")?).await?))
        }
        "packages.by_item_id" => {
            args.only(&["item_id"])?;
            Ok(package_json(&client.packages().by_item_id(&args.str("item_id")?).await?))
        }
        "packages.submit" | "packages.recall" => {
            args.only(&["submission_id", "technical", "marketing"])?;
            let id = args.str("submission_id")?;
            let tracks = match (args.opt_bool("technical")?, args.opt_bool("marketing")?) {
                (None, None) => Tracks::BOTH,
                (t, m) => Tracks { technical: t.unwrap_or(false), marketing: m.unwrap_or(false) },
            };
            if !tracks.technical && !tracks.marketing {
                return Err(Error::invalid_input("technical", "choose technical, marketing or both"));
            }
            let p = if op == "packages.submit" {
                client.packages().submit(&id, tracks).await?
            } else {
                client.packages().recall(&id, tracks).await?
            };
            Ok(optional_package(p))
        }
        "packages.remove" | "packages.cancel" => {
            args.only(&["submission_id"])?;
            let id = args.str("submission_id")?;
            let p = if op == "packages.remove" { client.packages().remove(&id).await? } else { client.packages().cancel(&id).await? };
            Ok(optional_package(p))
        }
        "test_results.summary" => {
            args.only(&["submission_id", "sku", "item_id"])?;
            let given: Vec<(&str, String)> = ["submission_id", "sku", "item_id"]
                .into_iter()
                .filter_map(|k| args.opt_str(k).transpose().map(|v| v.map(|v| (k, v))))
                .collect::<Result<_>>()?;
            let target = match given.as_slice() {
                [("submission_id", v)] => TestTarget::SubmissionId(v.clone()),
                [("sku", v)] => TestTarget::Sku(v.clone()),
                [("item_id", v)] => TestTarget::ItemId(v.clone()),
                [] => return Err(Error::invalid_input("submission_id", "give exactly one of submission_id, sku or item_id")),
                [_, (second, _), ..] => {
                    return Err(Error::invalid_input(*second, "give exactly one of submission_id, sku or item_id"))
                }
                _ => unreachable!(),
            };
            let runs = client.test_results().summary(&target).await?;
            Ok(Value::Array(runs.iter().map(Model::to_binding_json).collect()))
        }
        "test_results.detail" => {
            args.only(&["submission_id", "tool", "run_id"])?;
            let d = client.test_results().detail(&args.str("submission_id")?, &args.str("tool")?, &args.id_str("run_id")?).await?;
            Ok(d.to_binding_json())
        }
        "reports.metrics" => {
            args.only(&["name"])?;
            client.reports().metrics(args.opt_str("name")?.as_deref()).await
        }
        "request" => {
            args.only(&["method", "path", "json"])?;
            let method = args.str("method")?;
            let path = args.str("path")?;
            let body = args.0.get("json").filter(|v| !v.is_null());
            client.request(&method, &path, body).await
        }
        other => Err(Error::invalid_input("op", format!("unknown EQP operation {other:?}"))),
    }
}

/// Start a paged list by name (see the module docs); the paginator yields JSON items with
/// prices as strings. Nothing is fetched until the first page is asked for.
pub fn list(client: &Client, op: &str, args: Value) -> Result<Paginator> {
    let args = Args::new(args)?;
    let mut options = ListOptions { limit: args.opt_u64("limit")?, page_size: args.opt_u64("page_size")? };
    let (path, query, packages) = match op {
        "files.list" => {
            args.only(&["limit", "page_size"])?;
            (super::files::UPLOADS_PATH.to_owned(), Vec::new(), false)
        }
        "packages.list" => {
            let mut filter = PackageFilter::new();
            for (k, v) in &args.0 {
                match k.as_str() {
                    "limit" | "page_size" => {}
                    "sort" => {
                        let keys: Vec<String> = match v {
                            Value::Null => Vec::new(),
                            Value::String(s) => s.split(',').map(str::to_owned).filter(|s| !s.trim().is_empty()).collect(),
                            Value::Array(a) => a
                                .iter()
                                .enumerate()
                                .map(|(i, x)| {
                                    x.as_str().map(str::to_owned).ok_or_else(|| {
                                        Error::invalid_input(format!("sort[{i}]"), format!("expected a string, got {}", json_type(x)))
                                    })
                                })
                                .collect::<Result<_>>()?,
                            other => return Err(Error::invalid_input("sort", format!("expected a string or a list of strings, got {}", json_type(other)))),
                        };
                        for key in keys {
                            filter.sort.push(SortKey::parse(&key)?);
                        }
                    }
                    name if is_filter(name) => match v {
                        Value::Null => {}
                        Value::String(s) => filter.filters.push((name.to_owned(), s.clone())),
                        Value::Bool(b) => filter.filters.push((name.to_owned(), b.to_string())),
                        Value::Number(n) => filter.filters.push((name.to_owned(), n.to_string())),
                        other => return Err(Error::invalid_input(name, format!("expected a string, got {}", json_type(other)))),
                    },
                    unknown => return Err(Error::invalid_input(unknown, "is not a filter of packages.list")),
                }
            }
            (super::packages::PACKAGES_PATH.to_owned(), filter.query()?, true)
        }
        "packages.by_sku" => {
            args.only(&["sku", "version", "limit", "page_size"])?;
            let sku = args.str("sku")?;
            super::files::check_id("sku", &sku)?;
            let mut q = Vec::new();
            if let Some(v) = args.opt_str("version")? {
                super::files::check_id("version", &v)?;
                q.push(("version".to_owned(), v));
            }
            (format!("{}/skus/{}", super::packages::PACKAGES_PATH, super::users::encode_segment(&sku)), q, true)
        }
        "packages.skus" | "packages.items" => {
            args.only(&["limit", "page_size"])?;
            let tail = if op == "packages.skus" { "skus" } else { "items" };
            (format!("{}/{tail}", super::packages::PACKAGES_PATH), Vec::new(), true)
        }
        other => return Err(Error::invalid_input("op", format!("unknown EQP list {other:?}"))),
    };
    options.validate()?;
    let limit = options.limit.take();
    let source = OffsetPages::new(client, path, query, ListOptions { limit, ..options })?;
    let convert: fn(Value) -> Result<Value> = if packages {
        Package::binding_json_of
    } else {
        super::model::FileRecord::binding_json_of
    };
    Ok(Paginator::new(Converted { inner: source, convert }, limit))
}

/// Pages whose items pass through `convert` (JSON for the bindings: prices as strings).
struct Converted<S> {
    inner: S,
    convert: fn(Value) -> Result<Value>,
}

impl<S: PageSource> PageSource for Converted<S> {
    fn next_page(&mut self) -> Pin<Box<dyn Future<Output = Result<Option<Vec<Value>>>> + Send + '_>> {
        Box::pin(async move {
            match self.inner.next_page().await? {
                Some(items) => Ok(Some(items.into_iter().map(self.convert).collect::<Result<_>>()?)),
                None => Ok(None),
            }
        })
    }
}

/// Upload files (see [`super::Files::upload`]); the records come back in source order.
pub async fn upload(client: &Client, sources: Vec<UploadSource>, progress: Option<Progress>) -> Result<Value> {
    crate::panic_guard::catch(async move {
        let records = client.files().upload(sources, progress).await?;
        Ok(Value::Array(records.iter().map(Model::to_binding_json).collect()))
    })
    .await
}

/// [`super::parse_callback`] with the envelope as JSON (for the bindings).
pub fn parse_callback_json(body: &[u8], authorization: Option<&str>, username: &str, password: &str) -> Result<Value> {
    Ok(super::callbacks::parse_callback(body, authorization, username, password)?.to_binding_json())
}

/// Named arguments of an operation.
pub(crate) struct Args(Map<String, Value>);

impl Args {
    pub fn new(v: Value) -> Result<Args> {
        match v {
            Value::Object(m) => Ok(Args(m)),
            Value::Null => Ok(Args(Map::new())),
            other => Err(Error::invalid_input("args", format!("expected an object, got {}", json_type(&other)))),
        }
    }
    /// Refuse arguments the operation does not take (`null` counts as absent).
    pub fn only(&self, allowed: &[&str]) -> Result<()> {
        match self.0.iter().find(|(k, v)| !v.is_null() && !allowed.contains(&k.as_str())) {
            Some((k, _)) => Err(Error::invalid_input(k.clone(), format!("unknown argument; expected one of: {}", allowed.join(", ")))),
            None => Ok(()),
        }
    }
    pub fn opt_str(&self, name: &str) -> Result<Option<String>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::invalid_input(name, format!("expected a string, got {}", json_type(other)))),
        }
    }
    pub fn str(&self, name: &str) -> Result<String> {
        self.opt_str(name)?.ok_or_else(|| Error::invalid_input(name, "is required"))
    }
    /// A string id that callers may also pass as an integer (`run_id: 5`).
    pub fn id_str(&self, name: &str) -> Result<String> {
        match self.0.get(name) {
            Some(Value::Number(n)) if n.is_u64() => Ok(n.to_string()),
            _ => self.str(name),
        }
    }
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(Error::invalid_input(name, format!("expected a boolean, got {}", json_type(other)))),
        }
    }
    pub fn opt_u64(&self, name: &str) -> Result<Option<u64>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| Error::invalid_input(name, format!("expected a non-negative integer, got {n}"))),
            Some(other) => Err(Error::invalid_input(name, format!("expected a non-negative integer, got {}", json_type(other)))),
        }
    }
    /// A positive number of seconds (integer or fraction).
    pub fn opt_seconds(&self, name: &str) -> Result<Option<Duration>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(Some(Duration::from_secs_f64(s))),
                _ => Err(Error::invalid_input(name, format!("expected a number of seconds between 0 and 86400, got {n}"))),
            },
            Some(other) => Err(Error::invalid_input(name, format!("expected a number of seconds, got {}", json_type(other)))),
        }
    }
    pub fn object(&self, name: &str) -> Result<Map<String, Value>> {
        match self.0.get(name) {
            Some(Value::Object(m)) => Ok(m.clone()),
            None | Some(Value::Null) => Err(Error::invalid_input(name, "is required")),
            Some(other) => Err(Error::invalid_input(name, format!("expected an object, got {}", json_type(other)))),
        }
    }
    pub fn array(&self, name: &str) -> Result<Vec<Value>> {
        match self.0.get(name) {
            Some(Value::Array(a)) => Ok(a.clone()),
            None | Some(Value::Null) => Err(Error::invalid_input(name, "is required")),
            Some(other) => Err(Error::invalid_input(name, format!("expected an array, got {}", json_type(other)))),
        }
    }
    /// A list of packages, each checked strictly (`items[2].prices[0].price`).
    pub fn packages(&self, name: &str) -> Result<Vec<Package>> {
        let list = self.array(name)?;
        if list.is_empty() {
            return Err(Error::invalid_input(name, "at least one item is needed"));
        }
        list.iter().enumerate().map(|(i, v)| Package::from_input(v, &format!("{name}[{i}]"))).collect()
    }
}

/// The JSON type name of a value, for error messages.
pub(crate) fn json_type(v: &Value) -> &'static str {
    super::model::json_type(v)
}

/// Used by the docs: the bodies a batch would send, without sending.
#[doc(hidden)]
pub fn _create_body(items: &[Package]) -> Result<Value> {
    Packages::create_body(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::builder().app_id("id").app_secret("s").base_url("http://127.0.0.1:9").build().unwrap()
    }

    #[tokio::test]
    async fn arguments_are_checked_before_anything_is_sent() {
        let c = client();
        let cases = [
            ("packages.get", json!({}), "submission_id"),
            ("packages.get", json!({"submission_id": "x", "extra": 1}), "extra"),
            ("packages.create", json!({"items": []}), "items"),
            ("packages.create", json!({"items": [{"prices": [{"price": "1.234"}]}]}), "items[0].prices[0].price"),
            ("packages.create", json!({"items": [{"prices": [{"price": -1}]}]}), "items[0].prices[0].price"),
            ("packages.create", json!({"items": [{"name": "a"}], "chunk_size": 0}), "chunk_size"),
            ("packages.update", json!({"items": [{"name": "a"}]}), "items[0].submission_id"),
            ("packages.submit", json!({"submission_id": "x", "technical": false, "marketing": false}), "technical"),
            ("test_results.summary", json!({}), "submission_id"),
            ("test_results.summary", json!({"sku": "a/b", "item_id": "c"}), "item_id"),
            ("users.keys.create", json!({"keys": [{"label": 5}]}), "keys[0].label"),
            ("users.keys.create", json!({"keys": [{"label": "a"}, {"label": "a"}]}), "keys[1].label"),
            ("users.reports", json!({"kind": "weekly"}), "kind"),
            ("files.wait_for_scan", json!({"ids": ["a"], "timeout": -1}), "timeout"),
            ("callbacks.register", json!({"callbacks": [{"url": "http://example.com/cb", "username": "u", "password": "p"}]}), "callbacks[0].url"),
            ("callbacks.register", json!({"callbacks": [{"url": "https://example.com/cb", "username": "u"}]}), "callbacks[0].password"),
            ("nope", json!({}), "op"),
        ];
        for (op, args, field) in cases {
            let e = call(&c, op, args.clone()).await.unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput, "{op} {args}: {e}");
            assert_eq!(e.field(), Some(field), "{op} {args}: {e}");
        }
        for (op, args, field) in [
            ("packages.list", json!({"colour": "red"}), "colour"),
            ("packages.list", json!({"sort": "+bogus"}), "sort"),
            ("packages.list", json!({"page_size": 0}), "page_size"),
            ("packages.by_sku", json!({}), "sku"),
            ("files.list", json!({"sku": "x"}), "sku"),
        ] {
            let e = list(&c, op, args.clone()).unwrap_err();
            assert_eq!(e.field(), Some(field), "{op} {args}: {e}");
        }
    }
}
