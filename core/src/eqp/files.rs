//! `/rest/v1/files/uploads`: upload, read and list files, and wait for their malware scans.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use futures_util::stream::{self, Stream, StreamExt};
use reqwest::Method;
use serde_json::Value;

use super::client::Client;
use super::model::{FileRecord, Model};
use super::paging::{ListOptions, OffsetPages};
use super::users::encode_segment;
use crate::error::{Error, ErrorKind, Result};
use crate::pagination::Paginator;
use crate::transport::Request;
pub use crate::upload::{guess_content_type, ByteStream, Progress, StreamFactory, UploadSource};

pub(crate) const UPLOADS_PATH: &str = "/rest/v1/files/uploads";

/// What [`Files::wait_for_scan`] found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScanReport {
    /// Files whose scan passed.
    pub passed: Vec<FileRecord>,
    /// Files whose scan refused them.
    pub failed: Vec<FileRecord>,
    /// Ids still being scanned when the time ran out.
    pub timed_out: Vec<String>,
}

impl ScanReport {
    /// Whether every file passed (none failed, none still being scanned).
    pub fn all_passed(&self) -> bool {
        self.failed.is_empty() && self.timed_out.is_empty()
    }
}

impl crate::model::Describe for ScanReport {
    fn describe(reg: &mut crate::model::Registry) -> crate::model::Ty {
        use crate::model::{FieldDef, Ty, TypeDef};
        let record = FileRecord::describe(reg);
        let field = |key, ty, doc: &str| FieldDef { key, alias: None, ty, always: true, flags: Default::default(), doc: doc.to_owned() };
        reg.define("ScanReport", |_| TypeDef::Model {
            open: false,
            doc: "What waiting for malware scans found.".into(),
            fields: vec![
                field("passed", Ty::list(record.clone()), "Files whose scan passed."),
                field("failed", Ty::list(record), "Files whose scan refused them."),
                field("timed_out", Ty::list(Ty::Str), "Ids still being scanned when the time ran out."),
                field("all_passed", Ty::Bool, "Whether every file passed."),
            ],
        })
    }
}

impl crate::catalogue::View for ScanReport {
    fn into_view(self) -> Result<Value> {
        let all_passed = self.all_passed();
        Ok(serde_json::json!({
            "passed": self.passed.iter().map(Model::to_view).collect::<Vec<_>>(),
            "failed": self.failed.iter().map(Model::to_view).collect::<Vec<_>>(),
            "timed_out": self.timed_out,
            "all_passed": all_passed,
        }))
    }
}

/// How [`Files::wait_for_scan`] polls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanWait {
    /// Give up after this long (5 minutes by default).
    pub timeout: Duration,
    /// First wait between polls (2 s by default); it grows by half each round.
    pub interval: Duration,
    /// Longest wait between polls (15 s by default).
    pub max_interval: Duration,
}

impl ScanWait {
    /// The defaults with the `timeout` and first `interval` a caller chose.
    pub fn with(mut self, timeout: Option<Duration>, interval: Option<Duration>) -> ScanWait {
        if let Some(t) = timeout {
            self.timeout = t;
        }
        if let Some(i) = interval {
            self.interval = i;
        }
        self
    }
}

impl Default for ScanWait {
    fn default() -> Self {
        ScanWait { timeout: Duration::from_secs(300), interval: Duration::from_secs(2), max_interval: Duration::from_secs(15) }
    }
}

/// `client.files()`.
pub struct Files<'a> {
    pub(crate) client: &'a Client,
}

impl Files<'_> {
    /// `GET /rest/v1/files/uploads/:file_upload_id`.
    ///
    /// # Errors
    ///
    /// Invalid input for `file_upload_id` when it is blank, has control characters, or is `.`
    /// or `..`; `not-found` for an unknown id; otherwise the errors of any call.
    pub async fn get(&self, file_upload_id: &str) -> Result<FileRecord> {
        check_id("file_upload_id", file_upload_id)?;
        let req = Request::new(Method::GET, format!("{UPLOADS_PATH}/{}", encode_segment(file_upload_id)));
        FileRecord::from_json(&self.client.send(req).await?.json()?)
    }

    /// `GET /rest/v1/files/uploads` as lazily fetched pages of JSON records.
    ///
    /// # Errors
    ///
    /// Invalid input when `options` are out of range (see [`ListOptions`]).
    pub fn list_pages(&self, options: ListOptions) -> Result<Paginator> {
        OffsetPages::paginator(self.client, UPLOADS_PATH.to_owned(), Vec::new(), options)
    }

    /// Every file the account uploaded, fetched page by page as the stream is read. Invalid
    /// `options` are the stream's only item; a failing page ends the stream after its error.
    pub fn list(&self, options: ListOptions) -> impl Stream<Item = Result<FileRecord>> + Send + 'static {
        typed_stream(self.list_pages(options))
    }

    /// `POST /rest/v1/files/uploads` (multipart, one `file[]` part per source). Files on disk
    /// are streamed, never held in memory, and re-opened if the request is replayed; `progress`
    /// is called as bytes go out. The answer has one record per source, in the same order.
    /// The upload timeout applies ([`ClientBuilder::upload_timeout`](super::ClientBuilder::upload_timeout)).
    ///
    /// # Errors
    ///
    /// Invalid input, before anything is sent, for `files` (no source), `files[i]` (a path that
    /// cannot be read or is not a file), `files[i].filename` (empty, or with quotes or line
    /// breaks) or `files[i].content_type` (not a media type); a decode error when the server
    /// answers a different number of records than files sent; otherwise the errors of any call.
    pub async fn upload(&self, sources: Vec<UploadSource>, progress: Option<Progress>) -> Result<Vec<FileRecord>> {
        let (body, count) = crate::upload::multipart("file[]", "files", sources, progress)?;
        let req = Request::new(Method::POST, UPLOADS_PATH).body(body);
        let answer = self.client.send(req).await?.json()?;
        let entries = match answer {
            Value::Array(a) => a,
            Value::Object(o) => vec![Value::Object(o)],
            other => {
                return Err(Error::new(ErrorKind::Decode, format!("expected a list of uploaded files, got {}", super::model::json_type(&other))))
            }
        };
        if entries.len() != count {
            return Err(Error::new(
                ErrorKind::Decode,
                format!("uploaded {count} files but the server answered {} records; cannot match them", entries.len()),
            ));
        }
        entries.iter().map(FileRecord::from_json).collect()
    }

    /// Poll `GET /files/uploads/:id` for each id, backing off, until every scan is finished or
    /// `wait.timeout` has passed. Which files passed, which failed and which were still being
    /// scanned is in the report; only a failing request is an error. Repeated ids are polled
    /// once.
    ///
    /// # Errors
    ///
    /// Invalid input for `ids` (empty), `ids[i]` (as [`get`](Self::get)), `timeout` or `interval`
    /// (zero); the first failing request's error.
    pub async fn wait_for_scan(&self, ids: &[String], wait: ScanWait) -> Result<ScanReport> {
        if ids.is_empty() {
            return Err(Error::invalid_input("ids", "at least one file_upload_id is needed"));
        }
        for (i, id) in ids.iter().enumerate() {
            check_id(&format!("ids[{i}]"), id)?;
        }
        if wait.timeout.is_zero() {
            return Err(Error::invalid_input("timeout", "must be greater than zero"));
        }
        if wait.interval.is_zero() {
            return Err(Error::invalid_input("interval", "must be greater than zero"));
        }
        let deadline = Instant::now() + wait.timeout;
        let mut seen = BTreeSet::new();
        let mut pending: Vec<String> = ids.iter().filter(|id| seen.insert((*id).clone())).cloned().collect();
        let mut report = ScanReport::default();
        let mut interval = wait.interval;
        loop {
            let records: Vec<Result<FileRecord>> =
                stream::iter(pending.clone()).map(|id| async move { self.get(&id).await }).buffered(4).collect().await;
            let mut still = Vec::new();
            for (id, record) in pending.into_iter().zip(records) {
                let record = record?;
                if record.scan_passed() {
                    report.passed.push(record);
                } else if record.scan_failed() {
                    report.failed.push(record);
                } else {
                    still.push(id);
                }
            }
            pending = still;
            if pending.is_empty() {
                return Ok(report);
            }
            let now = Instant::now();
            if now >= deadline {
                report.timed_out = pending;
                return Ok(report);
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = interval.mul_f64(1.5).min(wait.max_interval.max(wait.interval));
        }
    }
}

pub(crate) fn check_id(field: &str, id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if id.chars().any(char::is_control) {
        return Err(Error::invalid_input(field, "must not contain control characters"));
    }
    // A URL resolves "." and ".." as steps up the path: the request would reach another resource.
    if crate::path_segment::is_dot_segment(id) {
        return Err(Error::invalid_input(field, format!("{id:?} is not an id (it would be read as a path step)")));
    }
    Ok(())
}

/// A paginator's JSON items decoded into a model, as a stream; a setup error is its only item.
pub(crate) fn typed_stream<T: Model + Send + 'static>(
    pages: Result<Paginator>,
) -> impl Stream<Item = Result<T>> + Send + 'static {
    match pages {
        Ok(p) => p.into_stream().map(|r| r.and_then(|v| T::from_json(&v))).left_stream(),
        Err(e) => stream::iter(vec![Err(e)]).right_stream(),
    }
}

