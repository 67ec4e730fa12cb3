//! `/rest/v1/products/packages`: create and update submissions (batches), read and list them,
//! and move them through the review workflow.

use std::collections::HashMap;

use futures_util::stream::{self, StreamExt};
use reqwest::Method;
use serde_json::Value;

use super::client::Client;
use super::files::{check_id, typed_stream};
use super::model::{Model, OverallAction, Package, PackageAction, TrackAction};
use crate::model::{json_type, DecodeError, Describe, Field, Mode, Path, Registry, Ty};
use super::paging::{ListOptions, OffsetPages};
use super::users::encode_segment;
use crate::batch::{decode_entries, run_chunked, BatchItem, BatchOptions, BatchResult};
use crate::error::{Error, ErrorKind, Result};
use crate::pagination::{ListStream, Paginator};
use crate::transport::{Idempotency, Request};

pub(crate) const PACKAGES_PATH: &str = "/rest/v1/products/packages";

/// How many times a create that failed in transit is looked up and re-sent.
const RECOVERY_ROUNDS: usize = 2;

/// Exact-match filters of the package list (reference §4).
pub const EXACT_FILTERS: [&str; 4] = ["type", "platform", "license_type", "is_patch"];
/// Substring filters of the package list.
pub const SUBSTRING_FILTERS: [&str; 9] = [
    "item_id",
    "submission_id",
    "sku",
    "version",
    "name",
    "long_description",
    "release_notes",
    "custom_license_name",
    "custom_license_url",
];
/// Date filters (the range syntax is undocumented: the value is sent as given).
pub const DATE_FILTERS: [&str; 3] = ["requested_launch_date", "created_at", "modified_at"];
/// Filters the per-field reference also marks (uncertain; sent as given).
pub const OTHER_FILTERS: [&str; 7] = [
    "eqp_status.overall",
    "eqp_status.technical",
    "eqp_status.marketing",
    "latest_launch_date",
    "original_launch_date",
    "stability",
    "process_as_patch",
];

/// Whether `name` is a filter (and so a sort field) of the package list.
pub fn is_filter(name: &str) -> bool {
    EXACT_FILTERS.contains(&name) || SUBSTRING_FILTERS.contains(&name) || DATE_FILTERS.contains(&name) || OTHER_FILTERS.contains(&name)
}

/// Sort direction of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    /// `+field`
    Ascending,
    /// `-field`
    Descending,
    /// `field` (the server's default, presumably ascending)
    Default,
}

/// One sort key: `-platform`, `+name`, `version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// A filterable package field (`type`, `sku`, `created_at`, ... as [`PackageFilter`] takes).
    pub field: String,
    /// Which way to sort.
    pub direction: SortDirection,
}

impl SortKey {
    /// `+field`. The field is checked when the list starts.
    pub fn asc(field: impl Into<String>) -> Self {
        SortKey { field: field.into(), direction: SortDirection::Ascending }
    }
    /// `-field`. The field is checked when the list starts.
    pub fn desc(field: impl Into<String>) -> Self {
        SortKey { field: field.into(), direction: SortDirection::Descending }
    }
    /// Parse `-platform`, `+name` or `name`.
    ///
    /// # Errors
    ///
    /// Invalid input for `sort` when the field is not a filterable package field.
    pub fn parse(text: &str) -> Result<SortKey> {
        SortKey::parse_text(text).map_err(|m| Error::invalid_input("sort", m))
    }
    fn parse_text(text: &str) -> std::result::Result<SortKey, String> {
        let t = text.trim();
        let (direction, field) = match t.as_bytes().first() {
            Some(b'-') => (SortDirection::Descending, &t[1..]),
            Some(b'+') => (SortDirection::Ascending, &t[1..]),
            _ => (SortDirection::Default, t),
        };
        if !is_filter(field) {
            return Err(format!("{field:?} is not a sortable package field"));
        }
        Ok(SortKey { field: field.to_owned(), direction })
    }
    fn render(&self) -> String {
        match self.direction {
            SortDirection::Ascending => format!("+{}", self.field),
            SortDirection::Descending => format!("-{}", self.field),
            SortDirection::Default => self.field.clone(),
        }
    }
}

/// Sort keys given as one string (`"-platform,+name"`) or a list (`["-platform", "+name"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SortKeys(pub Vec<SortKey>);

impl Field for SortKeys {
    fn decode(v: &Value, path: &Path<'_>) -> std::result::Result<Self, DecodeError> {
        let texts: Vec<String> = match v {
            Value::String(s) => s.split(',').map(str::to_owned).filter(|s| !s.trim().is_empty()).collect(),
            Value::Array(_) => Vec::<String>::decode(v, path)?,
            other => return Err(path.error(format!("expected a string or a list of strings, got {}", json_type(other)))),
        };
        texts.iter().map(|t| SortKey::parse_text(t).map_err(|m| path.error(m))).collect::<std::result::Result<_, _>>().map(SortKeys)
    }
    fn encode<S: serde::Serializer>(&self, s: S, _: Mode) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(&self.0.iter().map(SortKey::render).collect::<Vec<_>>().join(","))
    }
}

impl Describe for SortKeys {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Union(vec![Ty::Str, Ty::list(Ty::Str)])
    }
}

/// Filters and sort order of [`Packages::list`]. Values are sent as given; the server matches
/// `type`, `platform`, `license_type` and `is_patch` exactly and the text fields by substring.
///
/// ```
/// use sellkit::eqp::{PackageFilter, SortKey};
///
/// let filter = PackageFilter::new().with("type", "extension").sort_by(SortKey::desc("created_at"));
/// assert_eq!(filter.query()?, [("type".to_owned(), "extension".to_owned()), ("sort".to_owned(), "-created_at".to_owned())]);
/// assert_eq!(PackageFilter::new().with("colour", "red").query().unwrap_err().field(), Some("colour"));
/// # Ok::<(), sellkit::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageFilter {
    /// `(field, value)` pairs; each field at most once.
    pub filters: Vec<(String, String)>,
    /// Sort keys, most significant first.
    pub sort: Vec<SortKey>,
}

impl PackageFilter {
    /// No filter, the server's order.
    pub fn new() -> Self {
        Self::default()
    }
    /// Add a filter (checked when the list starts).
    pub fn with(mut self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.filters.push((field.into(), value.into()));
        self
    }
    /// Add a sort key after those already given.
    pub fn sort_by(mut self, key: SortKey) -> Self {
        self.sort.push(key);
        self
    }
    /// The filters given by name (`None` values left out), further filters by their API name,
    /// and the sort keys.
    ///
    /// # Errors
    ///
    /// Invalid input for `filters.<field>` when a further filter's value is an array or an
    /// object (strings, booleans and numbers are sent as text).
    pub fn from_args<const N: usize>(
        named: [(&str, Option<String>); N],
        more: serde_json::Map<String, Value>,
        sort: Option<SortKeys>,
    ) -> Result<Self> {
        let mut filter = PackageFilter::new();
        for (field, value) in named {
            if let Some(v) = value {
                filter.filters.push((field.to_owned(), v));
            }
        }
        for (field, value) in more {
            match value {
                Value::Null => {}
                Value::String(s) => filter.filters.push((field, s)),
                Value::Bool(b) => filter.filters.push((field, b.to_string())),
                Value::Number(n) => filter.filters.push((field, n.to_string())),
                other => return Err(Error::invalid_input(format!("filters.{field}"), format!("expected a string, got {}", json_type(&other)))),
            }
        }
        filter.sort = sort.map(|s| s.0).unwrap_or_default();
        Ok(filter)
    }
    /// The query parameters, checked: known fields, each once, sort fields known.
    /// `sort` is one comma-separated value (`-platform,+name`); the `+` goes out as `%2B`.
    ///
    /// # Errors
    ///
    /// Invalid input naming the field when it is not a filter of the package list or is given
    /// twice; for `sort` when a sort field is not one.
    pub fn query(&self) -> Result<Vec<(String, String)>> {
        let mut seen = std::collections::HashSet::new();
        let mut q = Vec::new();
        for (field, value) in &self.filters {
            if !is_filter(field) {
                return Err(Error::invalid_input(field.clone(), "is not a filter of the package list"));
            }
            if !seen.insert(field.as_str()) {
                return Err(Error::invalid_input(field.clone(), "is given twice"));
            }
            q.push((field.clone(), value.clone()));
        }
        if !self.sort.is_empty() {
            for k in &self.sort {
                if !is_filter(&k.field) {
                    return Err(Error::invalid_input("sort", format!("{:?} is not a sortable package field", k.field)));
                }
            }
            q.push(("sort".into(), self.sort.iter().map(SortKey::render).collect::<Vec<_>>().join(",")));
        }
        Ok(q)
    }
}

/// Which review tracks a workflow action applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracks {
    /// The technical track (automated tools, then manual QA).
    pub technical: bool,
    /// The marketing track (review of the listing).
    pub marketing: bool,
}

impl Tracks {
    /// The tracks a caller chose: both when neither is given; refused when both are `false`
    /// (invalid input for `technical`).
    pub fn choose(technical: Option<bool>, marketing: Option<bool>) -> Result<Tracks> {
        let tracks = match (technical, marketing) {
            (None, None) => Tracks::BOTH,
            (t, m) => Tracks { technical: t.unwrap_or(false), marketing: m.unwrap_or(false) },
        };
        if !tracks.technical && !tracks.marketing {
            return Err(Error::invalid_input("technical", "choose technical, marketing or both"));
        }
        Ok(tracks)
    }
    /// Both tracks.
    pub const BOTH: Tracks = Tracks { technical: true, marketing: true };
    /// The technical track only.
    pub const TECHNICAL: Tracks = Tracks { technical: true, marketing: false };
    /// The marketing track only.
    pub const MARKETING: Tracks = Tracks { technical: false, marketing: true };
}

/// `client.packages()`.
pub struct Packages<'a> {
    pub(crate) client: &'a Client,
}

impl Packages<'_> {
    /// The body of a create chunk, after the checks [`Packages::create`] makes: at least one
    /// item, `item_id`s unique.
    ///
    /// # Errors
    ///
    /// Invalid input for `items` (none), `items[i]` (an empty package) or `items[i].item_id`
    /// (blank, or the same as an earlier item's).
    pub fn create_body(items: &[Package]) -> Result<Value> {
        check_items(items, false)?;
        Ok(serde_json::to_value(items)?)
    }

    /// The body of an update chunk: every item carries its `submission_id`.
    ///
    /// # Errors
    ///
    /// As [`Packages::create_body`], and invalid input for `items[i].submission_id` when it is
    /// missing or blank.
    pub fn update_body(items: &[Package]) -> Result<Value> {
        check_items(items, true)?;
        Ok(serde_json::to_value(items)?)
    }

    /// `POST /rest/v1/products/packages` with the default [`BatchOptions`].
    pub async fn create(&self, items: Vec<Package>) -> Result<BatchResult<Package>> {
        self.create_with(items, BatchOptions::default()).await
    }

    /// Create submissions: one [`BatchItem`] per input, in input order (see [`crate::batch`]
    /// for chunking and for what a failed chunk becomes).
    ///
    /// **A create that fails in transit is never blindly sent again.** When the connection
    /// breaks or times out after the request may have reached the server, each item that has
    /// an `item_id` is looked up first (`GET /products/packages/items/:item_id`): an item that
    /// exists gets its found data as its result, with [`BatchItem::recovered`] set; only the
    /// items that do not exist are sent again (up to two rounds). An item without an `item_id`
    /// cannot be checked, so it is not re-sent: it gets a failed entry carrying the transport
    /// error. Give every item a unique `item_id` to make creates safe to recover.
    ///
    /// # Errors
    ///
    /// As [`Packages::create_body`] and [`BatchOptions::validate`], before anything is sent;
    /// the first chunk's error when every chunk failed as a whole. Item failures are data.
    pub async fn create_with(&self, items: Vec<Package>, options: BatchOptions) -> Result<BatchResult<Package>> {
        self.create_as(items, options, package_from_json).await
    }

    /// [`Packages::create_with`] with each answered package read by `answer` (typed, or
    /// as the bindings' JSON).
    pub(crate) async fn create_as<T: Send>(&self, items: Vec<Package>, options: BatchOptions, answer: Answer<T>) -> Result<BatchResult<T>> {
        check_items(&items, false)?;
        let client = self.client;
        run_chunked(items, options, |chunk| async move { create_chunk(client, chunk, answer).await }).await
    }

    /// `PUT /rest/v1/products/packages` with the default [`BatchOptions`].
    pub async fn update(&self, items: Vec<Package>) -> Result<BatchResult<Package>> {
        self.update_with(items, BatchOptions::default()).await
    }

    /// Update several submissions (each item carries its `submission_id`); per-item results as
    /// for [`Packages::create_with`]. PUT is idempotent, so the transport retries it as usual.
    ///
    /// # Errors
    ///
    /// As [`Packages::update_body`] and [`BatchOptions::validate`], before anything is sent;
    /// the first chunk's error when every chunk failed as a whole.
    pub async fn update_with(&self, items: Vec<Package>, options: BatchOptions) -> Result<BatchResult<Package>> {
        self.update_as(items, options, package_from_json).await
    }

    /// [`Packages::update_with`] with each answered package read by `answer`.
    pub(crate) async fn update_as<T: Send>(&self, items: Vec<Package>, options: BatchOptions, answer: Answer<T>) -> Result<BatchResult<T>> {
        check_items(&items, true)?;
        let client = self.client;
        run_chunked(items, options, |chunk| async move {
            // Written straight from the typed packages (their wire form), no JSON tree between.
            let reply = client.send(Request::new(Method::PUT, PACKAGES_PATH).json(&chunk)?).await?.json()?;
            decode_batch(reply, chunk.len(), answer)
        })
        .await
    }

    /// `PUT /rest/v1/products/packages/:submission_id` (or `:item_id`) with the fields to
    /// change. The docs only say the status tells success; the package is returned when the
    /// server sends it, `None` for an empty answer. A one-entry batch answer with a failing
    /// code is an error.
    ///
    /// # Errors
    ///
    /// Invalid input for `submission_id` (blank, control characters, `.` or `..`) or `fields`
    /// (an empty package); a validation error carrying the item's code as
    /// [`api_code`](crate::Error::api_code) for a failing one-entry answer; otherwise the errors
    /// of any call.
    pub async fn update_one(&self, submission_id: &str, fields: &Package) -> Result<Option<Package>> {
        check_id("submission_id", submission_id)?;
        if fields.is_empty() {
            return Err(Error::invalid_input("fields", "nothing to update"));
        }
        let path = format!("{PACKAGES_PATH}/{}", encode_segment(submission_id));
        let answer = self.client.send(Request::new(Method::PUT, path).json(&fields.to_json())?).await?.json()?;
        single_answer(answer)
    }

    /// Submit one or both tracks for review (`action.technical`/`action.marketing` = `submit`).
    pub async fn submit(&self, submission_id: &str, tracks: Tracks) -> Result<Option<Package>> {
        self.update_one(submission_id, &Self::track_action(tracks, TrackAction::Submit)?).await
    }
    /// Recall one or both tracks from review (`recall`).
    pub async fn recall(&self, submission_id: &str, tracks: Tracks) -> Result<Option<Package>> {
        self.update_one(submission_id, &Self::track_action(tracks, TrackAction::Recall)?).await
    }
    /// Take a published package off the store (`action.overall` = `remove`).
    pub async fn remove(&self, submission_id: &str) -> Result<Option<Package>> {
        self.update_one(submission_id, &Self::overall_action(OverallAction::Remove)).await
    }
    /// Abandon this version (`action.overall` = `cancel`).
    pub async fn cancel(&self, submission_id: &str) -> Result<Option<Package>> {
        self.update_one(submission_id, &Self::overall_action(OverallAction::Cancel)).await
    }

    /// The body of a track action: `{"action": {"technical": "submit", ...}}`.
    ///
    /// # Errors
    ///
    /// Invalid input for `tracks` when neither track is chosen.
    pub fn track_action(tracks: Tracks, action: TrackAction) -> Result<Package> {
        if !tracks.technical && !tracks.marketing {
            return Err(Error::invalid_input("tracks", "choose technical, marketing or both"));
        }
        let a = PackageAction {
            technical: tracks.technical.then(|| action.clone()),
            marketing: tracks.marketing.then(|| action.clone()),
            ..Default::default()
        };
        Ok(Package { action: Some(a), ..Default::default() })
    }
    /// The body of an overall action: `{"action": {"overall": "remove"}}`.
    pub fn overall_action(action: OverallAction) -> Package {
        Package { action: Some(PackageAction { overall: Some(action), ..Default::default() }), ..Default::default() }
    }

    /// `GET /rest/v1/products/packages/:submission_id`.
    ///
    /// # Errors
    ///
    /// Invalid input for `submission_id` (blank, control characters, `.` or `..`); `not-found`
    /// for an unknown id; otherwise the errors of any call.
    pub async fn get(&self, submission_id: &str) -> Result<Package> {
        Package::from_json(&self.get_json(submission_id).await?)
    }

    /// [`Packages::get`] before decoding: the package as received.
    pub(crate) async fn get_json(&self, submission_id: &str) -> Result<Value> {
        check_id("submission_id", submission_id)?;
        let path = format!("{PACKAGES_PATH}/{}", encode_segment(submission_id));
        self.client.send(Request::new(Method::GET, path)).await?.json()
    }

    /// `GET /rest/v1/products/packages/items/:item_id` (the developer-chosen id).
    ///
    /// # Errors
    ///
    /// Invalid input for `item_id`; kind `NotFound` (status 404) when no package has it.
    pub async fn by_item_id(&self, item_id: &str) -> Result<Package> {
        check_id("item_id", item_id)?;
        match lookup_item(self.client, item_id, package_from_json).await? {
            Some(p) => Ok(p),
            None => Err(Error::new(ErrorKind::NotFound, format!("no package with item_id {item_id:?}")).with_status(404)),
        }
    }

    /// `GET /rest/v1/products/packages[?filters&sort]` as lazily fetched pages of JSON.
    ///
    /// # Errors
    ///
    /// As [`PackageFilter::query`] and [`ListOptions::validate`].
    pub fn list_pages(&self, filter: &PackageFilter, options: ListOptions) -> Result<Paginator> {
        OffsetPages::paginator(self.client, PACKAGES_PATH.to_owned(), filter.query()?, options)
    }

    /// Every version of every package matching `filter`, fetched page by page as the stream is
    /// read. A bad filter or option is the stream's only item (nothing is sent); a failing page
    /// ends the stream after its error.
    pub fn list(&self, filter: &PackageFilter, options: ListOptions) -> ListStream<Package> {
        typed_stream(self.list_pages(filter, options))
    }

    /// `GET /rest/v1/products/packages/skus/:sku[?version=]` as pages of JSON.
    ///
    /// # Errors
    ///
    /// Invalid input for `sku` or `version` (blank, control characters, `.` or `..`), or as
    /// [`ListOptions::validate`].
    pub fn by_sku_pages(&self, sku: &str, version: Option<&str>, options: ListOptions) -> Result<Paginator> {
        check_id("sku", sku)?;
        let mut query = Vec::new();
        if let Some(v) = version {
            check_id("version", v)?;
            query.push(("version".to_owned(), v.to_owned()));
        }
        OffsetPages::paginator(self.client, format!("{PACKAGES_PATH}/skus/{}", encode_segment(sku)), query, options)
    }

    /// Every version of one sku (or the one `version`), as a stream like [`Packages::list`].
    pub fn by_sku(&self, sku: &str, version: Option<&str>, options: ListOptions) -> ListStream<Package> {
        typed_stream(self.by_sku_pages(sku, version, options))
    }

    /// `GET /rest/v1/products/packages/skus` as pages of JSON.
    pub fn skus_pages(&self, options: ListOptions) -> Result<Paginator> {
        OffsetPages::paginator(self.client, format!("{PACKAGES_PATH}/skus"), Vec::new(), options)
    }

    /// `GET /rest/v1/products/packages/skus`: every version of every package.
    pub fn skus(&self, options: ListOptions) -> ListStream<Package> {
        typed_stream(self.skus_pages(options))
    }

    /// `GET /rest/v1/products/packages/items` as pages of JSON.
    pub fn items_pages(&self, options: ListOptions) -> Result<Paginator> {
        OffsetPages::paginator(self.client, format!("{PACKAGES_PATH}/items"), Vec::new(), options)
    }

    /// `GET /rest/v1/products/packages/items`: every package that has an item id.
    pub fn items(&self, options: ListOptions) -> ListStream<Package> {
        typed_stream(self.items_pages(options))
    }
}

fn check_items(items: &[Package], need_submission_id: bool) -> Result<()> {
    if items.is_empty() {
        return Err(Error::invalid_input("items", "at least one item is needed"));
    }
    let mut item_ids: HashMap<&str, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.is_empty() {
            return Err(Error::invalid_input(format!("items[{i}]"), "is empty"));
        }
        if need_submission_id && item.submission_id.as_deref().is_none_or(|s| s.trim().is_empty()) {
            return Err(Error::invalid_input(format!("items[{i}].submission_id"), "is required to update a package"));
        }
        if let Some(id) = item.item_id.as_deref() {
            if id.trim().is_empty() {
                return Err(Error::invalid_input(format!("items[{i}].item_id"), "must not be empty"));
            }
            if let Some(first) = item_ids.insert(id, i) {
                return Err(Error::invalid_input(
                    format!("items[{i}].item_id"),
                    format!("{id:?} is also the item_id of items[{first}]; item ids must be unique"),
                ));
            }
        }
    }
    Ok(())
}

/// How an answered package is kept: [`package_from_json`] (typed), or as it came for the
/// bindings (`Raw::new`, viewed later without a typed round trip). It takes the entry by
/// value, so the bindings' JSON is moved, never copied.
pub(crate) type Answer<T> = fn(Value) -> Result<T>;

fn package_from_json(v: Value) -> Result<Package> {
    Package::from_json(&v)
}

fn decode_batch<T>(reply: Value, sent: usize, answer: Answer<T>) -> Result<Vec<BatchItem<T>>> {
    match reply {
        Value::Array(entries) => decode_entries(entries, sent, answer),
        other => Err(Error::new(
            ErrorKind::Decode,
            format!("expected one entry per item, got {}", super::model::json_type(&other)),
        )),
    }
}

fn single_answer(answer: Value) -> Result<Option<Package>> {
    match answer {
        Value::Null => Ok(None),
        Value::Array(a) if a.is_empty() => Ok(None),
        Value::Array(entries) => {
            let item = decode_entries(entries, 1, package_from_json)?.remove(0);
            if item.ok {
                Ok(item.data)
            } else {
                Err(Error::new(ErrorKind::Validation, format!("HTTP 200 with item code {}: {}", item.code, item.message))
                    .with_api_code(crate::ApiCode::Int(item.code)))
            }
        }
        other => Package::from_json(&other).map(Some),
    }
}

async fn post_chunk<T>(client: &Client, chunk: &[Package], answer: Answer<T>) -> Result<Vec<BatchItem<T>>> {
    // Written straight from the typed packages (their wire form), no JSON tree between.
    // Never repeated by the transport once it may have reached the server.
    let req = Request::new(Method::POST, PACKAGES_PATH).json(chunk)?.idempotency(Idempotency::Unsafe);
    let reply = client.send(req).await?.json()?;
    decode_batch(reply, chunk.len(), answer)
}

async fn create_chunk<T: Send>(client: &Client, chunk: Vec<Package>, answer: Answer<T>) -> Result<Vec<BatchItem<T>>> {
    let first = match post_chunk(client, &chunk, answer).await {
        Err(e) if e.outcome_unknown() => e,
        other => return other,
    };
    tracing::info!(items = chunk.len(), error = %first, "sellkit: package create failed in transit; looking items up by item_id");
    let mut results: Vec<Option<BatchItem<T>>> = (0..chunk.len()).map(|_| None).collect();
    let mut pending: Vec<usize> = (0..chunk.len()).collect();
    let mut last_error = first;
    for _ in 0..RECOVERY_ROUNDS {
        // Items without an item_id cannot be checked: never re-sent.
        let (checkable, blind): (Vec<usize>, Vec<usize>) = pending.iter().partition(|&&i| chunk[i].item_id.is_some());
        for i in blind {
            let mut item = BatchItem::from_error(i, &last_error);
            item.message = format!(
                "{}; the item has no item_id, so sellkit cannot tell whether it was created and did not send it again",
                last_error.message()
            );
            results[i] = Some(item);
        }
        let lookups: Vec<(usize, Result<Option<T>>)> = stream::iter(checkable)
            .map(|i| {
                let id = chunk[i].item_id.clone().unwrap_or_default();
                async move { (i, lookup_item(client, &id, answer).await) }
            })
            .buffered(4)
            .collect()
            .await;
        let mut resend = Vec::new();
        for (i, found) in lookups {
            match found {
                Ok(Some(package)) => {
                    let mut item = BatchItem::success(i, "Success (found after the request failed in transit)", package);
                    item.recovered = true;
                    results[i] = Some(item);
                }
                Ok(None) => resend.push(i),
                // The create itself may still have happened: say so, whatever the lookup's error.
                Err(e) => {
                    let e = e.prefix_message("the create failed in transit and looking the item up failed too").with_outcome_unknown(true);
                    results[i] = Some(BatchItem::from_error(i, &e));
                }
            }
        }
        if resend.is_empty() {
            pending.clear();
            break;
        }
        let again: Vec<Package> = resend.iter().map(|&i| chunk[i].clone()).collect();
        match post_chunk(client, &again, answer).await {
            Ok(items) => {
                for (mut item, &i) in items.into_iter().zip(resend.iter()) {
                    item.index = i;
                    results[i] = Some(item);
                }
                pending.clear();
                break;
            }
            Err(e) if e.outcome_unknown() => {
                last_error = e;
                pending = resend;
            }
            Err(e) => {
                for &i in &resend {
                    results[i] = Some(BatchItem::from_error(i, &e));
                }
                pending.clear();
                break;
            }
        }
    }
    for i in pending {
        results[i] = Some(BatchItem::from_error(i, &last_error));
    }
    Ok(results.into_iter().enumerate().map(|(i, r)| r.unwrap_or_else(|| BatchItem::from_error(i, &last_error))).collect())
}

/// `GET /products/packages/items/:item_id`: the package, `None` when there is none.
async fn lookup_item<T>(client: &Client, item_id: &str, answer: Answer<T>) -> Result<Option<T>> {
    let path = format!("{PACKAGES_PATH}/items/{}", encode_segment(item_id));
    match client.send(Request::new(Method::GET, path)).await {
        Ok(resp) => match resp.json()? {
            Value::Null => Ok(None),
            Value::Array(a) => match a.into_iter().next() {
                Some(first) => answer(first).map(Some),
                None => Ok(None),
            },
            other => answer(other).map(Some),
        },
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_and_sort_are_checked() {
        let f = PackageFilter::new().with("type", "extension").with("name", "Checkout").sort_by(SortKey::desc("platform")).sort_by(SortKey::asc("name"));
        assert_eq!(
            f.query().unwrap(),
            vec![("type".into(), "extension".into()), ("name".into(), "Checkout".into()), ("sort".into(), "-platform,+name".into())]
        );
        assert_eq!(PackageFilter::new().with("colour", "x").query().unwrap_err().field(), Some("colour"));
        assert_eq!(PackageFilter::new().with("sku", "a").with("sku", "b").query().unwrap_err().field(), Some("sku"));
        assert_eq!(SortKey::parse("+name").unwrap(), SortKey::asc("name"));
        assert_eq!(SortKey::parse("-version").unwrap(), SortKey::desc("version"));
        assert_eq!(SortKey::parse("bogus").unwrap_err().field(), Some("sort"));
    }

    #[test]
    fn items_are_checked() {
        let p = |v: Value| Package::from_input(&v, "x").unwrap();
        assert_eq!(Packages::create_body(&[]).unwrap_err().field(), Some("items"));
        let dup = [p(json!({"item_id": "a", "name": "x"})), p(json!({"item_id": "a", "name": "y"}))];
        assert_eq!(Packages::create_body(&dup).unwrap_err().field(), Some("items[1].item_id"));
        assert_eq!(Packages::update_body(&[p(json!({"name": "x"}))]).unwrap_err().field(), Some("items[0].submission_id"));
        assert_eq!(
            Packages::track_action(Tracks::BOTH, TrackAction::Submit).unwrap().to_json(),
            json!({"action": {"technical": "submit", "marketing": "submit"}})
        );
        assert_eq!(Packages::overall_action(OverallAction::Remove).to_json(), json!({"action": {"overall": "remove"}}));
    }
}
