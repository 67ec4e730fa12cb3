//! `client.ads().sync(catalogue, options)`: keep a seller's catalogue (their own key, a SKU, →
//! the desired ad) listed on Marktplaats, 2dehands or 2ememain.
//!
//! A run plans one action per key, in catalogue order:
//!
//! | action | when | what is sent |
//! |---|---|---|
//! | `created` | the key has no ad yet | `POST /v1/advertisements`, then the images |
//! | `updated` | the desired ad differs from the one last synced | a read of the ad, one JSON Patch of what changed (`update_from`), the images when they changed |
//! | `unchanged` | same fingerprint as last synced | nothing |
//! | `deleted` | a key no longer in the catalogue, with `delete_missing` | `DELETE` |
//! | `invalid` | refused locally (the documented rules, the category's attributes), naming the field | nothing |
//! | `failed` | an error (the item's `error`); the next run finishes the job | |
//!
//! **The state store** (a store URL: `memory:`, `file:///...`, `redis://...`, see
//! [`crate::store`]) keeps, per platform and key, the ad's item id, the ad as last synced and
//! its fingerprint (the SHA-256 of the ad's canonical JSON, images included). Entries live in the
//! namespace `sync` under `<platform>/item/<key>`, with the list of keys under `<platform>/index`;
//! a run holds the leased lock `<platform>/run` so two runs never interleave.
//!
//! **Never two ads for one key.** Before a create, an intent (the ad about to be sent) is written
//! to the state store. A create whose outcome is unknown (the connection broke after the request
//! left, see [`crate::Error::outcome_unknown`]), and an intent found at the start of a run (a run
//! that was killed), are resolved by looking among the seller's own ads for one that carries every
//! member of the ad sent (the list gives title and category; each candidate is read whole, as the
//! list leaves category attributes out); ads the state gives to other keys are never taken. Only
//! when none is found is the ad sent again, and only in a later run: an intent still unresolved
//! at the end of a run stays in the store, and until it is resolved its key is `failed` with the
//! code `sync-outcome-unknown` (nothing is sent for it, not even a delete).
//!
//! Amounts are integer euro cents throughout; [`catalogue_from_csv`] turns euros into cents by
//! decimal text arithmetic, never through a float.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::ads::Ads;
use super::flags::strip_server_managed;
use super::validate::{against_category, check_ad, members, AdUse};
use super::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{model, open_enum};
use crate::store::{self, Lease, Store};

/// The namespace of sync state in a store.
pub const NAMESPACE: &str = "sync";
/// Ads applied at once unless [`SyncOptions::concurrency`] says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The most ads applied at once.
pub const MAX_CONCURRENCY: usize = 32;
/// How long a run's lock holds without renewal (a killed run blocks the next for this at most).
const LOCK_LEASE: Duration = Duration::from_secs(10);
/// How long a run waits for another run's lock.
const LOCK_WAIT: Duration = Duration::from_secs(15);

/// The desired ads, in the order results are reported: the seller's key → the ad as JSON (the
/// wire form of [`crate::marktplaats::models::Advertisement`]), optionally with `images`, a list
/// of image URLs that sync reconciles through `POST .../images` (never sent in the ad itself).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    entries: Vec<(String, Value)>,
}

impl Catalogue {
    /// An empty catalogue.
    pub fn new() -> Catalogue {
        Catalogue::default()
    }
    /// Add or replace the ad of `key` (a replaced key keeps its place).
    pub fn insert(&mut self, key: impl Into<String>, ad: Value) {
        let key = key.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = ad,
            None => self.entries.push((key, ad)),
        }
    }
    /// Remove the ad of `key`; whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|(k, _)| k != key);
        self.entries.len() != before
    }
    /// The ad of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// A mutable reference to the ad of `key`.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// The keys and ads, in order.
    pub fn entries(&self) -> &[(String, Value)] {
        &self.entries
    }
    /// How many keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// The keys and ads as a JSON object, in order.
    pub fn into_map(self) -> Map<String, Value> {
        self.entries.into_iter().collect()
    }
}

impl From<Map<String, Value>> for Catalogue {
    fn from(m: Map<String, Value>) -> Catalogue {
        Catalogue { entries: m.into_iter().collect() }
    }
}

/// A catalogue from JSON: an object mapping each key to its ad (members in the API's spelling,
/// amounts in euro cents), kept in the file's order.
///
/// # Errors
///
/// Invalid input for `catalogue` when the text is not JSON or not an object.
pub fn catalogue_from_json(text: &str) -> Result<Catalogue> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m.into()),
        Ok(_) => Err(Error::invalid_input("catalogue", "must be a JSON object mapping each key to its ad")),
        Err(e) => Err(Error::invalid_input("catalogue", format!("is not JSON: {e}"))),
    }
}

/// A catalogue from CSV with a header row (UTF-8, comma-separated, quoted as RFC 4180). The
/// columns, in any order; empty cells are left out of the ad:
///
/// | column | becomes |
/// |---|---|
/// | `key` (required) | the seller's key (a SKU); unique |
/// | `title`, `description`, `locale`, `status` | the members of that name |
/// | `category_id` | `categoryId` (a whole number) |
/// | `postcode` | `location.postcode` |
/// | `price` | euros (`12`, `12.5`, `12.50` or `12,50`) → `priceModel.askingPrice` in cents |
/// | `price_model` | `priceModel.modelType` (`fixed` when empty and a price is given) |
/// | `minimal_bid` | euros → `priceModel.minimalBid` in cents (bidding) |
/// | `images` | image URLs separated by spaces or `\|` |
/// | `attr.<name>` | the category attribute `<name>` as text (`attr.condition`) |
/// | `attr.<name>:number` | the attribute `<name>` as a JSON number (`attr.mileage:number`) |
///
/// ```
/// let csv = "key,title,description,category_id,price,postcode,attr.condition\n\
///            sku-1,Sony cd player,Plays cds,35,\"32,41\",1097DN,Nieuw\n";
/// let catalogue = sellkit::marktplaats::sync::catalogue_from_csv(csv)?;
/// assert_eq!(catalogue.get("sku-1").unwrap()["priceModel"]["askingPrice"], 3241);
/// # Ok::<(), sellkit::Error>(())
/// ```
///
/// # Errors
///
/// Invalid input naming the line and column (`line 3: price`): no `key` column, an unknown
/// column, a repeated or empty key, an amount that is not euros with at most two decimals, a
/// `category_id` that is not a whole number, a malformed row.
pub fn catalogue_from_csv(text: &str) -> Result<Catalogue> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| Error::invalid_input("catalogue", format!("unreadable CSV header: {e}")))?.clone();
    let columns: Vec<Column> = headers.iter().map(Column::parse).collect::<Result<_>>()?;
    if !columns.iter().any(|c| matches!(c, Column::Key)) {
        return Err(Error::invalid_input("catalogue", "the CSV has no `key` column"));
    }
    let mut catalogue = Catalogue::new();
    for (i, row) in reader.records().enumerate() {
        // Line numbers as a spreadsheet shows them: the header is line 1.
        let line = i + 2;
        let row = row.map_err(|e| Error::invalid_input(format!("line {line}"), format!("malformed CSV row: {e}")))?;
        let (key, ad) = csv_row(line, &columns, &row)?;
        if catalogue.get(&key).is_some() {
            return Err(Error::invalid_input(format!("line {line}: key"), format!("the key {key:?} is given twice")));
        }
        catalogue.insert(key, ad);
    }
    Ok(catalogue)
}

/// One CSV column (see [`catalogue_from_csv`]).
enum Column {
    Key,
    Member(&'static str),
    CategoryId,
    Postcode,
    Price,
    PriceModel,
    MinimalBid,
    Images,
    Attribute(String, bool),
}

impl Column {
    fn parse(name: &str) -> Result<Column> {
        Ok(match name {
            "key" => Column::Key,
            "title" => Column::Member("title"),
            "description" => Column::Member("description"),
            "locale" => Column::Member("locale"),
            "status" => Column::Member("status"),
            "category_id" => Column::CategoryId,
            "postcode" => Column::Postcode,
            "price" => Column::Price,
            "price_model" => Column::PriceModel,
            "minimal_bid" => Column::MinimalBid,
            "images" => Column::Images,
            other => match other.strip_prefix("attr.") {
                Some(rest) if !rest.is_empty() => match rest.strip_suffix(":number") {
                    Some(n) if !n.is_empty() => Column::Attribute(n.to_owned(), true),
                    _ => Column::Attribute(rest.to_owned(), false),
                },
                _ => {
                    return Err(Error::invalid_input(
                        "line 1",
                        format!("unknown column {other:?}; expected key, title, description, category_id, price, price_model, minimal_bid, postcode, images, locale, status or attr.<name>"),
                    ))
                }
            },
        })
    }
}

fn csv_row(line: usize, columns: &[Column], row: &csv::StringRecord) -> Result<(String, Value)> {
    let field = |name: &str| format!("line {line}: {name}");
    let mut key = None;
    let mut ad = Map::new();
    let mut price_model = Map::new();
    let mut images = None;
    for (column, cell) in columns.iter().zip(row.iter()) {
        if cell.is_empty() {
            continue;
        }
        match column {
            Column::Key => key = Some(cell.to_owned()),
            Column::Member(name) => {
                ad.insert((*name).to_owned(), cell.into());
            }
            Column::CategoryId => {
                let id: i64 = cell.parse().map_err(|_| Error::invalid_input(field("category_id"), format!("{cell:?} is not a whole number")))?;
                ad.insert("categoryId".into(), id.into());
            }
            Column::Postcode => {
                ad.insert("location".into(), serde_json::json!({ "postcode": cell }));
            }
            Column::Price => {
                price_model.insert("askingPrice".into(), euros_to_cents(cell).map_err(|m| Error::invalid_input(field("price"), m))?.into());
            }
            Column::MinimalBid => {
                price_model.insert("minimalBid".into(), euros_to_cents(cell).map_err(|m| Error::invalid_input(field("minimal_bid"), m))?.into());
            }
            Column::PriceModel => {
                price_model.insert("modelType".into(), cell.into());
            }
            Column::Images => {
                images = Some(cell.split(|c: char| c == '|' || c.is_whitespace()).filter(|u| !u.is_empty()).map(Value::from).collect::<Vec<_>>());
            }
            Column::Attribute(name, number) => {
                let value = if *number {
                    match serde_json::from_str::<serde_json::Number>(cell) {
                        Ok(n) => Value::Number(n),
                        Err(_) => return Err(Error::invalid_input(field(&format!("attr.{name}:number")), format!("{cell:?} is not a number"))),
                    }
                } else {
                    cell.into()
                };
                ad.insert(name.clone(), value);
            }
        }
    }
    let key = key.ok_or_else(|| Error::invalid_input(field("key"), "is empty"))?;
    if !price_model.is_empty() {
        if !price_model.contains_key("modelType") {
            price_model.insert("modelType".into(), "fixed".into());
        }
        // modelType first, as the docs write it.
        let mut ordered = Map::new();
        ordered.insert("modelType".into(), price_model.remove("modelType").unwrap_or(Value::Null));
        ordered.extend(price_model);
        ad.insert("priceModel".into(), Value::Object(ordered));
    }
    if let Some(images) = images {
        ad.insert("images".into(), Value::Array(images));
    }
    Ok((key, Value::Object(ad)))
}

/// Euros as decimal text (`12`, `12.5`, `12.50`, `12,50`) → whole cents, by text arithmetic.
fn euros_to_cents(text: &str) -> std::result::Result<i64, String> {
    let text = text.trim();
    let bad = || format!("{text:?} is not an amount of euros (digits, then at most two decimals after `.` or `,`)");
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(i) if i + 1 < text.len() => (&text[..i], &text[i + 1..]),
        Some(_) => return Err(bad()),
        None => (text, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let euros: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    euros.checked_mul(100).and_then(|c| c.checked_add(cents)).ok_or_else(bad)
}

/// How a sync run behaves.
#[derive(Clone)]
pub struct SyncOptions {
    /// Where key → item id and fingerprint are kept (see the [module docs](self)).
    pub state: Arc<dyn Store>,
    /// Delete the ads of keys the state knows and the catalogue no longer has.
    pub delete_missing: bool,
    /// Plan only: read what is needed (categories), write nothing, to the API or the state.
    pub dry_run: bool,
    /// Ads applied at once (1 to [`MAX_CONCURRENCY`], [`DEFAULT_CONCURRENCY`] by default).
    pub concurrency: usize,
    /// Check each ad against its category first (`None`: the client's `validate` setting).
    pub validate: Option<bool>,
}

impl SyncOptions {
    /// Options with this state store and the defaults.
    pub fn new(state: Arc<dyn Store>) -> SyncOptions {
        SyncOptions { state, delete_missing: false, dry_run: false, concurrency: DEFAULT_CONCURRENCY, validate: None }
    }
    /// Options with the state store a URL names (`memory:` is a new private store: give the
    /// same [`Arc`] to [`SyncOptions::new`] to keep state between runs in memory).
    ///
    /// # Errors
    ///
    /// Invalid input for `state` when the URL is not a store URL.
    pub fn from_url(url: &str) -> Result<SyncOptions> {
        Ok(SyncOptions::new(store::open("state", url)?))
    }
}

impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("state", &self.state.describe())
            .field("delete_missing", &self.delete_missing)
            .field("dry_run", &self.dry_run)
            .field("concurrency", &self.concurrency)
            .field("validate", &self.validate)
            .finish()
    }
}

open_enum! {
    /// What a sync run did (or, in a dry run, would do) for one key.
    pub enum SyncAction {
        /// The ad was placed.
        Created = "created",
        /// The ad was changed (one JSON Patch of what differs; images replaced when they changed).
        Updated = "updated",
        /// The ad is as last synced: nothing was sent.
        Unchanged = "unchanged",
        /// The key left the catalogue and its ad was deleted (`delete_missing`).
        Deleted = "deleted",
        /// Refused locally, nothing sent: see the item's `error` and its `field`.
        Invalid = "invalid",
        /// An error: see the item's `error`. A later run finishes the job.
        Failed = "failed",
    }
}

model! {
    /// The error of one item, as data.
    pub struct SyncError {
        /// The error kind (`invalid_input`, `validation`, `connection`...).
        kind: String = "kind" [always],
        /// The machine code (`missing-required-field`, `advertisement-not-found`...).
        code: String = "code" [always],
        /// What went wrong.
        message: String = "message" [always],
        /// The field at fault (`condition`, `priceModel.askingPrice`), when one is.
        field: String = "field",
        /// The HTTP status, when the server answered.
        status: i64 = "status",
        /// Whether the request may have been applied although no answer came.
        outcome_unknown: bool = "outcomeUnknown" [always],
    }
}

model! {
    /// The outcome of one key.
    pub struct SyncItem {
        /// The seller's key.
        key: String = "key" [always],
        /// What was done.
        action: SyncAction = "action" [always],
        /// The ad's id, when it has one.
        item_id: String = "itemId",
        /// The error of an `invalid` or `failed` item.
        error: SyncError = "error",
    }
}

model! {
    /// How many keys got each action.
    pub struct SyncCounts {
        /// Ads placed.
        created: u64 = "created" [always],
        /// Ads changed.
        updated: u64 = "updated" [always],
        /// Ads as last synced.
        unchanged: u64 = "unchanged" [always],
        /// Ads deleted.
        deleted: u64 = "deleted" [always],
        /// Items refused locally.
        invalid: u64 = "invalid" [always],
        /// Items that failed.
        failed: u64 = "failed" [always],
    }
}

model! {
    /// The result of a sync run: one item per key, in catalogue order (deleted keys last).
    pub struct SyncResult {
        /// One entry per key.
        items: Vec<SyncItem> = "items" [always],
        /// How many keys got each action.
        counts: SyncCounts = "counts" [always],
    }
}

impl SyncResult {
    /// The items (empty when none).
    pub fn entries(&self) -> &[SyncItem] {
        self.items.as_deref().unwrap_or_default()
    }
    /// The item of `key`.
    pub fn item(&self, key: &str) -> Option<&SyncItem> {
        self.entries().iter().find(|i| i.key.as_deref() == Some(key))
    }
    /// How many items got `action`.
    pub fn count(&self, action: SyncAction) -> u64 {
        self.entries().iter().filter(|i| i.action.as_ref() == Some(&action)).count() as u64
    }
}

impl SyncError {
    fn of(e: &Error) -> SyncError {
        SyncError {
            kind: Some(e.kind().as_str().to_owned()),
            code: Some(e.code().to_owned()),
            message: Some(e.message().to_owned()),
            field: e.field().map(str::to_owned),
            status: e.status().map(i64::from),
            outcome_unknown: Some(e.outcome_unknown()),
            ..Default::default()
        }
    }
}

/// One key's state record.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Record {
    #[serde(rename = "itemId", default, skip_serializing_if = "Option::is_none")]
    item_id: Option<String>,
    /// Fingerprint of `ad` + `images`: what the ad on the server is, as far as sync knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
    /// The ad as last synced (wire form, without server-managed members).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ad: Option<Value>,
    #[serde(default)]
    images: Vec<String>,
    /// A create about to be sent (or sent without a known outcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    intent: Option<Intent>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Intent {
    ad: Value,
    /// Milliseconds since the epoch when it was written.
    at: u64,
}

/// A catalogue entry, checked and fingerprinted.
struct Desired {
    ad: Value,
    images: Vec<String>,
    fingerprint: String,
}

/// The SHA-256 (hex) of the canonical JSON of an ad and its images: object members sorted by
/// name at every depth, no spaces.
pub fn fingerprint(ad: &Value, images: &[String]) -> String {
    fn canonical(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), canonical(&m[k]))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
            other => other.clone(),
        }
    }
    let doc = serde_json::json!({ "ad": canonical(ad), "images": images });
    hex::encode(Sha256::digest(doc.to_string().as_bytes()))
}

fn desired(ad: &Value) -> Result<Desired> {
    let Value::Object(m) = ad else {
        return Err(Error::invalid_input("ad", "must be an object (the advertisement)"));
    };
    let mut m = m.clone();
    let images = match m.remove("images") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(urls)) => urls
            .into_iter()
            .enumerate()
            .map(|(i, u)| match u {
                Value::String(s) if !s.trim().is_empty() => Ok(s),
                _ => Err(Error::invalid_input(format!("images[{i}]"), "must be an image URL")),
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(Error::invalid_input("images", "must be a list of image URLs")),
    };
    let mut ad = Value::Object(m);
    strip_server_managed(&mut ad);
    let fingerprint = fingerprint(&ad, &images);
    Ok(Desired { ad, images, fingerprint })
}

/// Whether every member of `want` is in `have` with the same value (objects compared member by
/// member, so that members the server adds, `location.cityName`, do not count).
fn carries(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => w.iter().all(|(k, v)| h.get(k).is_some_and(|hv| carries(v, hv))),
        (Value::Number(a), Value::Number(b)) => a == b || (a.as_f64().is_some() && a.as_f64() == b.as_f64()),
        _ => want == have,
    }
}

/// The state of one platform in the store, with what was read of it.
struct State {
    store: Arc<dyn Store>,
    scope: String,
    /// Keys with a record, in the order they were first written.
    index: tokio::sync::Mutex<Vec<String>>,
    records: Mutex<HashMap<String, Record>>,
}

impl State {
    fn index_key(&self) -> String {
        format!("{}/index", self.scope)
    }
    fn item_key(&self, key: &str) -> String {
        format!("{}/item/{key}", self.scope)
    }

    async fn load(store: Arc<dyn Store>, scope: String) -> Result<State> {
        let state = State { store, scope, index: Default::default(), records: Default::default() };
        let keys: Vec<String> = match state.store.get(NAMESPACE, &state.index_key()).await? {
            None => Vec::new(),
            Some(e) => serde_json::from_value(e.value.get("keys").cloned().unwrap_or(Value::Null))
                .map_err(|_| store::malformed(state.store.describe(), NAMESPACE, &state.index_key(), "not a sync index"))?,
        };
        let mut records = HashMap::new();
        for key in &keys {
            let item_key = state.item_key(key);
            if let Some(e) = state.store.get(NAMESPACE, &item_key).await? {
                let rec: Record = serde_json::from_value(e.value)
                    .map_err(|_| store::malformed(state.store.describe(), NAMESPACE, &item_key, "not a sync record"))?;
                records.insert(key.clone(), rec);
            }
        }
        *state.index.lock().await = keys;
        *state.records.lock().unwrap_or_else(|p| p.into_inner()) = records;
        Ok(state)
    }

    fn record(&self, key: &str) -> Option<Record> {
        self.records.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    /// Item ids the state gives to keys other than `key`.
    fn claimed_by_others(&self, key: &str) -> HashSet<String> {
        self.records.lock().unwrap_or_else(|p| p.into_inner()).iter().filter(|(k, _)| k.as_str() != key).filter_map(|(_, r)| r.item_id.clone()).collect()
    }

    /// Write a key's record (the key joins the index first, so a record is never unlisted).
    async fn put(&self, key: &str, rec: Record) -> Result<()> {
        {
            let mut index = self.index.lock().await;
            if !index.iter().any(|k| k == key) {
                let mut next = index.clone();
                next.push(key.to_owned());
                self.store.put(NAMESPACE, &self.index_key(), &serde_json::json!({ "keys": next }), None).await?;
                *index = next;
            }
        }
        let value = serde_json::to_value(&rec).map_err(|e| Error::new(ErrorKind::Internal, format!("a sync record did not encode: {e}")))?;
        self.store.put(NAMESPACE, &self.item_key(key), &value, None).await?;
        self.records.lock().unwrap_or_else(|p| p.into_inner()).insert(key.to_owned(), rec);
        Ok(())
    }

    /// Forget a key (its record, then its place in the index).
    async fn remove(&self, key: &str) -> Result<()> {
        self.store.delete(NAMESPACE, &self.item_key(key)).await?;
        self.records.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        let mut index = self.index.lock().await;
        if index.iter().any(|k| k == key) {
            let next: Vec<String> = index.iter().filter(|k| *k != key).cloned().collect();
            self.store.put(NAMESPACE, &self.index_key(), &serde_json::json!({ "keys": next }), None).await?;
            *index = next;
        }
        Ok(())
    }
}

/// The run's lock, renewed while held; released when dropped (a killed process's lock ends
/// with its lease).
struct RunLock {
    store: Arc<dyn Store>,
    lease: Option<Lease>,
    renewal: tokio::task::JoinHandle<()>,
}

impl RunLock {
    async fn take(store: Arc<dyn Store>, scope: &str) -> Result<RunLock> {
        let name = format!("{scope}/run");
        let lease = store::lock(&*store, NAMESPACE, &name, LOCK_LEASE, LOCK_WAIT).await?.ok_or_else(|| {
            Error::new(ErrorKind::Conflict, format!("another sync run holds the state {} for {scope}; try again when it has finished", store.describe()))
                .with_code("sync-in-progress")
        })?;
        let renewal = {
            let (store, lease) = (store.clone(), lease.clone());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(LOCK_LEASE / 3).await;
                    if !matches!(store.renew(&lease, LOCK_LEASE).await, Ok(true)) {
                        tracing::warn!(lock = %lease.name, "the sync run's lock could not be renewed");
                    }
                }
            })
        };
        Ok(RunLock { store, lease: Some(lease), renewal })
    }

    /// Release the lock now and wait for the store: a process that exits right after a run
    /// (the command) would otherwise abandon the release that `drop` spawns, and the next run
    /// would wait out the lease.
    async fn release(mut self) {
        self.renewal.abort();
        if let Some(lease) = self.lease.take() {
            let _ = self.store.unlock(&lease).await;
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        self.renewal.abort();
        if let (Some(lease), Ok(handle)) = (self.lease.take(), tokio::runtime::Handle::try_current()) {
            let store = self.store.clone();
            handle.spawn(async move {
                let _ = store.unlock(&lease).await;
            });
        }
    }
}

/// What one key's work came to, before unknown outcomes are looked up.
enum Done {
    Item(Box<SyncItem>),
    /// A create without a known outcome: look for the ad once nothing else is in flight.
    Unknown(String, Desired, Error),
}

impl Done {
    fn item(i: SyncItem) -> Done {
        Done::Item(Box::new(i))
    }
}

fn item(key: &str, action: SyncAction, item_id: Option<String>, error: Option<&Error>) -> SyncItem {
    SyncItem { key: Some(key.to_owned()), action: Some(action), item_id, error: error.map(SyncError::of), ..Default::default() }
}

/// A refusal made before anything was sent (not the server's validation).
fn refused_locally(e: &Error) -> bool {
    e.kind() == ErrorKind::InvalidInput && e.status().is_none()
}

fn failure(key: &str, item_id: Option<String>, e: &Error) -> SyncItem {
    let action = if refused_locally(e) { SyncAction::Invalid } else { SyncAction::Failed };
    item(key, action, item_id, Some(e))
}

struct Run<'a> {
    client: &'a Client,
    state: State,
    dry_run: bool,
    validate: bool,
}

impl Ads<'_> {
    /// Bring the seller's ads in line with `catalogue` (see the [module docs](self)): one item
    /// per key in catalogue order (deleted keys last), with counts per action. Each ad is first
    /// checked locally (the documented rules; with validation, the default, its category's
    /// attributes): a refusal is an `invalid` item naming the field, and the other keys go on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> sellkit::Result<()> {
    /// # let sim = sellkit_simulator::Simulator::start(Default::default()).unwrap();
    /// # let client = sellkit::marktplaats::Client::builder().platform_name("marktplaats").base_url(sim.marktplaats_url("marktplaats"))
    /// #     .client_id(sim.mp_client_id()).client_secret(sim.mp_client_secret()).build()?;
    /// # let (url, _) = client.authorization_url("https://app.example.com/cb", None, None)?;
    /// # let (code, _) = sim.mp_approve(&url).unwrap();
    /// # client.exchange_code(&code, "https://app.example.com/cb").await?;
    /// # let folder = tempfile::tempdir().unwrap();
    /// # let shop = folder.path();
    /// # std::fs::write(shop.join("products.csv"), "key,title,description,category_id,price,postcode,attr.condition,attr.brand,attr.properties,attr.delivery\n\
    /// #     sku-1,Sony cd player,Plays every cd,35,\"32,41\",1097DN,Nieuw,Sony,Draagbaar,Ophalen\n").unwrap();
    /// use sellkit::marktplaats::sync::{catalogue_from_csv, SyncOptions};
    /// // `shop`: the shop's folder, e.g. /var/lib/shop
    /// let catalogue = catalogue_from_csv(&std::fs::read_to_string(shop.join("products.csv")).unwrap())?;
    /// let state = format!("file://{}", shop.join("sync.json").display());
    /// let result = client.ads().sync(&catalogue, &SyncOptions::from_url(&state)?).await?;
    /// println!("{:?}", result.counts);
    /// # assert_eq!(sim.mp_ads("marktplaats").len(), 1);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Invalid input for `concurrency` (0 or above [`MAX_CONCURRENCY`]); `sync-in-progress`
    /// (conflict) when another run holds the state for 15 s; the state store's errors
    /// (`store-unavailable`, `store-malformed`) when it cannot be read or locked. Errors of
    /// single ads are items, not errors of the run.
    pub async fn sync(&self, catalogue: &Catalogue, options: &SyncOptions) -> Result<SyncResult> {
        if options.concurrency == 0 || options.concurrency > MAX_CONCURRENCY {
            return Err(Error::invalid_input("concurrency", format!("must be between 1 and {MAX_CONCURRENCY}, got {}", options.concurrency)));
        }
        let client = self.client;
        let scope = client.platform().as_str().to_owned();
        let lock = if options.dry_run { None } else { Some(RunLock::take(options.state.clone(), &scope).await?) };
        let result = async {
            let state = State::load(options.state.clone(), scope).await?;
            let run = Run { client, state, dry_run: options.dry_run, validate: options.validate.unwrap_or_else(|| client.validates()) };
            run.execute(catalogue, options).await
        }
        .await;
        if let Some(lock) = lock {
            lock.release().await;
        }
        result
    }

    /// [`Ads::sync`] with the state store a URL names; `memory:` is a store private to this
    /// client (and its clones), kept between runs as long as the client is.
    ///
    /// # Errors
    ///
    /// Invalid input for `state` when it is not a store URL; then as [`Ads::sync`].
    pub async fn sync_url(&self, catalogue: &Catalogue, state: &str, mut options: SyncOptions) -> Result<SyncResult> {
        options.state = if store::is_memory("state", state)? { self.client.sync_memory_store() } else { store::open("state", state)? };
        self.sync(catalogue, &options).await
    }
}

impl Run<'_> {
    async fn execute(&self, catalogue: &Catalogue, options: &SyncOptions) -> Result<SyncResult> {
        self.resolve_intents().await;
        let wanted: HashSet<&str> = catalogue.entries().iter().map(|(k, _)| k.as_str()).collect();
        let missing: Vec<String> = if options.delete_missing {
            self.state.index.lock().await.iter().filter(|k| !wanted.contains(k.as_str())).cloned().collect()
        } else {
            Vec::new()
        };
        let work = catalogue
            .entries()
            .iter()
            .map(|(key, ad)| Work::Put(key.as_str(), ad))
            .chain(missing.iter().map(|k| Work::Delete(k.as_str())));
        // Boxed as `Send` futures: the run must be spawnable (the bindings spawn it).
        let futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = Done> + Send + '_>>> = work.map(|w| Box::pin(self.one(w)) as _).collect();
        let done: Vec<Done> = stream::iter(futures).buffered(options.concurrency).collect().await;
        // Unknown outcomes are looked up only now, when no create of this run is in flight.
        let mut items = Vec::with_capacity(done.len());
        for d in done {
            items.push(match d {
                Done::Item(i) => *i,
                Done::Unknown(key, want, e) => self.settle_unknown(&key, want, e).await,
            });
        }
        let mut counts = SyncCounts::default();
        for i in &items {
            let slot = match i.action {
                Some(SyncAction::Created) => &mut counts.created,
                Some(SyncAction::Updated) => &mut counts.updated,
                Some(SyncAction::Unchanged) => &mut counts.unchanged,
                Some(SyncAction::Deleted) => &mut counts.deleted,
                Some(SyncAction::Invalid) => &mut counts.invalid,
                _ => &mut counts.failed,
            };
            *slot = Some(slot.unwrap_or(0) + 1);
        }
        for c in [&mut counts.created, &mut counts.updated, &mut counts.unchanged, &mut counts.deleted, &mut counts.invalid, &mut counts.failed] {
            c.get_or_insert(0);
        }
        Ok(SyncResult { items: Some(items), counts: Some(counts), ..Default::default() })
    }

    /// Intents left by an earlier run: the ad is looked for among the seller's; found, the key
    /// gets it; not found, the intent is dropped and the key is planned anew. An error leaves
    /// the intent for later (the key is then reported failed by [`Run::one`]).
    async fn resolve_intents(&self) {
        let pending: Vec<(String, Record)> = self
            .state
            .records
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|(_, r)| r.intent.is_some() && r.item_id.is_none())
            .map(|(k, r)| (k.clone(), r.clone()))
            .collect();
        for (key, rec) in pending {
            let Some(intent) = rec.intent else { continue };
            match self.lookup(&key, &intent.ad).await {
                Ok(Some(item_id)) => {
                    tracing::info!(key = %key, item_id = %item_id, "sync: an interrupted create had placed its ad");
                    let found = Record { item_id: Some(item_id), fingerprint: Some(fingerprint(&intent.ad, &[])), ad: Some(intent.ad), images: Vec::new(), intent: None };
                    self.write(&key, found).await.ok();
                }
                Ok(None) => {
                    tracing::info!(key = %key, "sync: an interrupted create had not placed its ad");
                    if !self.dry_run {
                        self.state.remove(&key).await.ok();
                    } else {
                        self.state.records.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
                    }
                }
                Err(e) => tracing::warn!(key = %key, code = e.code(), "sync: an interrupted create could not be looked up yet"),
            }
        }
    }

    /// Write a record, or in a dry run only remember it.
    async fn write(&self, key: &str, rec: Record) -> Result<()> {
        if self.dry_run {
            self.state.records.lock().unwrap_or_else(|p| p.into_inner()).insert(key.to_owned(), rec);
            Ok(())
        } else {
            self.state.put(key, rec).await
        }
    }

    /// Among the seller's ads, one not claimed by another key that carries every member of `ad`.
    async fn lookup(&self, key: &str, ad: &Value) -> Result<Option<String>> {
        let claimed = self.state.claimed_by_others(key);
        let mut pages = self.client.users().ads(None, None, None)?;
        while let Some(listed) = pages.next_item().await? {
            let Some(id) = listed.get("itemId").and_then(Value::as_str) else { continue };
            if claimed.contains(id) || listed.get("title") != ad.get("title") || listed.get("categoryId") != ad.get("categoryId") {
                continue;
            }
            // The list leaves category attributes out: the candidate is read whole.
            let mut whole = match self.client.ads().get_value(id).await {
                Ok(v) => v,
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            strip_server_managed(&mut whole);
            if carries(ad, &whole) {
                return Ok(Some(id.to_owned()));
            }
        }
        Ok(None)
    }

    async fn one(&self, work: Work<'_>) -> Done {
        match work {
            Work::Put(key, ad) => self.put(key, ad).await,
            Work::Delete(key) => Done::item(self.delete(key).await),
        }
    }

    async fn check(&self, want: &Desired) -> Result<()> {
        check_ad(self.client.platform(), &want.ad, AdUse::Create)?;
        if self.validate {
            against_category(self.client, members(&want.ad)?, None).await?;
        }
        Ok(())
    }

    async fn put(&self, key: &str, ad: &Value) -> Done {
        let want = match desired(ad) {
            Ok(d) => d,
            Err(e) => return Done::item(item(key, SyncAction::Invalid, None, Some(&e))),
        };
        let rec = self.state.record(key);
        let item_id = rec.as_ref().and_then(|r| r.item_id.clone());
        if rec.as_ref().is_some_and(|r| r.intent.is_some() && r.item_id.is_none()) {
            // An earlier create whose outcome is still unknown: nothing is sent for this key.
            let e = Error::new(ErrorKind::Connection, "an earlier create of this key has an unknown outcome and its ad could not be looked up yet")
                .with_code("sync-outcome-unknown");
            return Done::item(item(key, SyncAction::Failed, None, Some(&e)));
        }
        if let Err(e) = self.check(&want).await {
            return Done::item(failure(key, item_id, &e));
        }
        match rec {
            Some(r) if r.item_id.is_some() && r.fingerprint.as_deref() == Some(want.fingerprint.as_str()) => {
                Done::item(item(key, SyncAction::Unchanged, r.item_id, None))
            }
            Some(r) if r.item_id.is_some() => {
                if self.dry_run {
                    return Done::item(item(key, SyncAction::Updated, r.item_id, None));
                }
                self.update(key, r, want).await
            }
            _ => {
                if self.dry_run {
                    return Done::item(item(key, SyncAction::Created, None, None));
                }
                self.create(key, want).await
            }
        }
    }

    async fn create(&self, key: &str, want: Desired) -> Done {
        let intent = Record { intent: Some(Intent { ad: want.ad.clone(), at: store::now_ms() }), ..Default::default() };
        if let Err(e) = self.state.put(key, intent).await {
            return Done::item(item(key, SyncAction::Failed, None, Some(&e)));
        }
        // Validated above; create checks the documented rules again and sends.
        match self.client.ads().with_validation(false).create_value(want.ad.clone()).await {
            Ok(created) => match created.get("itemId").and_then(Value::as_str) {
                Some(id) => Done::item(self.placed(key, id.to_owned(), want, SyncAction::Created).await),
                None => {
                    let e = Error::new(ErrorKind::Decode, "the created ad came back without an itemId").with_code("missing-item-id");
                    Done::Unknown(key.to_owned(), want, e)
                }
            },
            Err(e) if e.outcome_unknown() => Done::Unknown(key.to_owned(), want, e),
            Err(e) => {
                // Nothing was placed: the intent goes, and the key is new again next run.
                let _ = self.state.remove(key).await;
                Done::item(failure(key, None, &e))
            }
        }
    }

    /// Record a placed ad, then reconcile its images.
    async fn placed(&self, key: &str, item_id: String, want: Desired, action: SyncAction) -> SyncItem {
        let bare = Record { item_id: Some(item_id.clone()), fingerprint: Some(fingerprint(&want.ad, &[])), ad: Some(want.ad.clone()), images: Vec::new(), intent: None };
        if let Err(e) = self.state.put(key, bare.clone()).await {
            return item(key, SyncAction::Failed, Some(item_id), Some(&e));
        }
        self.images(key, item_id, bare, want, action).await
    }

    /// Replace the ad's images when they differ from what the record says, then record `want`.
    async fn images(&self, key: &str, item_id: String, mut rec: Record, want: Desired, action: SyncAction) -> SyncItem {
        if rec.images != want.images {
            if let Err(e) = self.client.images().add_value(&item_id, &want.images, true).await {
                return item(key, SyncAction::Failed, Some(item_id), Some(&e));
            }
        }
        rec.images = want.images;
        rec.fingerprint = Some(want.fingerprint);
        rec.ad = Some(want.ad);
        match self.state.put(key, rec).await {
            Ok(()) => item(key, action, Some(item_id), None),
            Err(e) => item(key, SyncAction::Failed, Some(item_id), Some(&e)),
        }
    }

    async fn update(&self, key: &str, rec: Record, want: Desired) -> Done {
        let item_id = rec.item_id.clone().unwrap_or_default();
        let current = match self.client.ads().get_value(&item_id).await {
            Ok(c) => c,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                // The ad is gone from the server (deleted by hand, expired): place it again.
                tracing::info!(key = %key, item_id = %item_id, "sync: the ad is gone; placing it again");
                return self.create(key, want).await;
            }
            Err(e) => return Done::item(failure(key, Some(item_id), &e)),
        };
        let last = rec.ad.clone().unwrap_or(Value::Null);
        if last != want.ad {
            // The diff is taken from the server's ad, limited to the members the catalogue
            // speaks of (now or last time), so that members the server adds (`status`,
            // `locale`) are left alone and a change that was applied without an answer is not
            // sent twice.
            let mut old = Map::new();
            if let Value::Object(cur) = &current {
                for (k, v) in cur {
                    if want.ad.get(k).is_some() || last.get(k).is_some() {
                        old.insert(k.clone(), v.clone());
                    }
                }
            }
            let mut old = Value::Object(old);
            strip_server_managed(&mut old);
            if let Err(e) = self.client.ads().with_validation(self.validate).update_from_value(&item_id, &old, &want.ad).await {
                return Done::item(failure(key, Some(item_id), &e));
            }
        }
        Done::item(self.images(key, item_id, rec, want, SyncAction::Updated).await)
    }

    async fn delete(&self, key: &str) -> SyncItem {
        let rec = self.state.record(key);
        if rec.as_ref().is_some_and(|r| r.intent.is_some() && r.item_id.is_none()) {
            // Its create may have placed an ad that could not be looked up yet: forgetting the
            // key now could leave that ad behind. A later run finds it, then deletes it.
            let e = Error::new(ErrorKind::Connection, "an earlier create of this key has an unknown outcome and its ad could not be looked up yet")
                .with_code("sync-outcome-unknown");
            return item(key, SyncAction::Failed, None, Some(&e));
        }
        let item_id = rec.and_then(|r| r.item_id);
        if self.dry_run {
            return item(key, SyncAction::Deleted, item_id, None);
        }
        if let Some(id) = &item_id {
            match self.client.ads().delete(id).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return failure(key, item_id, &e),
            }
        }
        match self.state.remove(key).await {
            Ok(()) => item(key, SyncAction::Deleted, item_id, None),
            Err(e) => item(key, SyncAction::Failed, item_id, Some(&e)),
        }
    }

    /// A create without a known outcome, looked up once nothing else is in flight.
    async fn settle_unknown(&self, key: &str, want: Desired, e: Error) -> SyncItem {
        match self.lookup(key, &want.ad).await {
            Ok(Some(item_id)) => {
                tracing::info!(key = %key, item_id = %item_id, "sync: a create without an answer had placed its ad");
                self.placed(key, item_id, want, SyncAction::Created).await
            }
            // Not (yet) there: the intent stays, and the next run looks again before sending.
            Ok(None) => item(key, SyncAction::Failed, None, Some(&e)),
            Err(lookup) => {
                tracing::warn!(key = %key, code = lookup.code(), "sync: the lookup after an unknown outcome failed");
                item(key, SyncAction::Failed, None, Some(&e))
            }
        }
    }
}

/// One key's work.
enum Work<'a> {
    Put(&'a str, &'a Value),
    Delete(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_become_exact_cents() {
        for (text, cents) in [("0", 0), ("12", 1200), ("12.5", 1250), ("12,50", 1250), ("0.01", 1), ("19.99", 1999), ("1234567.89", 123456789)] {
            assert_eq!(euros_to_cents(text), Ok(cents), "{text}");
        }
        for bad in ["", "-1", "1.234", "1e3", "12.", ".5", "1,000.00", "€5", "NaN"] {
            assert!(euros_to_cents(bad).is_err(), "{bad}");
        }
        // 0.1 + 0.2 style float trouble cannot occur: 0.29 is 29 cents.
        assert_eq!(euros_to_cents("0.29"), Ok(29));
    }

    #[test]
    fn csv_columns_map_to_the_ad() {
        let csv = "key,title,description,category_id,price,postcode,images,attr.condition,attr.mileage:number\n\
                   a,Sony cd player,Plays,35,\"32,41\",1097DN,https://x/1.jpg|https://x/2.jpg,Nieuw,12000\n\
                   b,Philips radio,Plays,35,5,1097DN,,,\n";
        let c = catalogue_from_csv(csv).unwrap();
        assert_eq!(c.len(), 2);
        let a = c.get("a").unwrap();
        assert_eq!(a["priceModel"], serde_json::json!({"modelType": "fixed", "askingPrice": 3241}));
        assert_eq!(a["location"]["postcode"], "1097DN");
        assert_eq!(a["images"], serde_json::json!(["https://x/1.jpg", "https://x/2.jpg"]));
        assert_eq!(a["condition"], "Nieuw");
        assert_eq!(a["mileage"], 12000);
        assert_eq!(a["categoryId"], 35);
        assert!(c.get("b").unwrap().get("condition").is_none());
        assert_eq!(c.entries()[0].0, "a");

        let e = catalogue_from_csv("key,price\na,1.234\n").unwrap_err();
        assert_eq!(e.field(), Some("line 2: price"));
        let e = catalogue_from_csv("key,colour\na,red\n").unwrap_err();
        assert_eq!(e.field(), Some("line 1"));
        let e = catalogue_from_csv("key\na\na\n").unwrap_err();
        assert_eq!(e.field(), Some("line 3: key"));
        assert!(catalogue_from_csv("title\nx\n").is_err());
    }

    #[test]
    fn fingerprints_ignore_member_order_and_see_images() {
        let a = serde_json::json!({"title": "x", "priceModel": {"modelType": "fixed", "askingPrice": 1}});
        let b = serde_json::json!({"priceModel": {"askingPrice": 1, "modelType": "fixed"}, "title": "x"});
        assert_eq!(fingerprint(&a, &[]), fingerprint(&b, &[]));
        assert_ne!(fingerprint(&a, &[]), fingerprint(&a, &["u".to_owned()]));
        assert_eq!(fingerprint(&a, &[]).len(), 64);
    }

    #[test]
    fn an_ad_carries_what_was_sent_whatever_the_server_adds() {
        let sent = serde_json::json!({"title": "x", "location": {"postcode": "1097DN"}});
        let read = serde_json::json!({"title": "x", "status": "online", "location": {"postcode": "1097DN", "cityName": "Amsterdam"}});
        assert!(carries(&sent, &read));
        assert!(!carries(&read, &sent));
        assert!(!carries(&serde_json::json!({"title": "y"}), &read));
    }
}
