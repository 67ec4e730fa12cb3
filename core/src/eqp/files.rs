//! `/rest/v1/files/uploads`: upload, read and list files, and wait for their malware scans.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, Stream, StreamExt};
use reqwest::Method;
use serde_json::Value;

use super::client::Client;
use super::model::{FileRecord, Model};
use super::paging::{ListOptions, OffsetPages};
use super::users::encode_segment;
use crate::error::{Error, ErrorKind, Result};
use crate::pagination::Paginator;
use crate::transport::{Body, MultipartFactory, Request};

pub(crate) const UPLOADS_PATH: &str = "/rest/v1/files/uploads";

/// Bytes read from disk per chunk of an upload.
const CHUNK: usize = 64 * 1024;

/// A stream of file content.
pub type ByteStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;
/// Opens a stream of file content; called once per attempt, so that a retry sends it all again.
pub type StreamFactory = Arc<dyn Fn() -> std::io::Result<ByteStream> + Send + Sync>;
/// Called with `(bytes sent, total bytes)` as an upload goes out. `sent` never decreases: when
/// an attempt is replayed (after a refused token, say) the callback pauses until the new attempt
/// passes the previous high mark. `total` is 0 when a stream of unknown length is part of it.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// One file to upload.
#[derive(Clone)]
pub enum UploadSource {
    /// A file on disk, streamed (never read into memory) and re-opened on every attempt. Its
    /// name is the path's file name; its type is guessed from the extension.
    Path(PathBuf),
    /// Content in memory.
    Bytes { filename: String, content_type: Option<String>, bytes: Bytes },
    /// Content from a stream factory (called once per attempt). `length`, when known, lets the
    /// request carry a `Content-Length` and the progress callback a total.
    Stream { filename: String, content_type: Option<String>, length: Option<u64>, open: StreamFactory },
}

impl std::fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UploadSource::Path(p) => f.debug_tuple("Path").field(p).finish(),
            UploadSource::Bytes { filename, bytes, .. } => write!(f, "Bytes({filename:?}, {} bytes)", bytes.len()),
            UploadSource::Stream { filename, length, .. } => write!(f, "Stream({filename:?}, {length:?} bytes)"),
        }
    }
}

impl UploadSource {
    pub fn path(p: impl Into<PathBuf>) -> Self {
        UploadSource::Path(p.into())
    }
    pub fn bytes(filename: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        UploadSource::Bytes { filename: filename.into(), content_type: None, bytes: bytes.into() }
    }
    /// A stream that can be read only once: a retry of the upload fails with an error saying so
    /// instead of sending it empty.
    pub fn stream_once(filename: impl Into<String>, length: Option<u64>, stream: ByteStream) -> Self {
        let slot = Arc::new(Mutex::new(Some(stream)));
        UploadSource::Stream {
            filename: filename.into(),
            content_type: None,
            length,
            open: Arc::new(move || {
                slot.lock().unwrap_or_else(|p| p.into_inner()).take().ok_or_else(|| {
                    std::io::Error::other("this upload stream was already consumed and cannot be sent again")
                })
            }),
        }
    }
    pub fn filename(&self) -> String {
        match self {
            UploadSource::Path(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            UploadSource::Bytes { filename, .. } | UploadSource::Stream { filename, .. } => filename.clone(),
        }
    }
}

/// The media type for a file name: zip, pdf, png, jpg/jpeg, gif; anything else
/// `application/octet-stream`.
pub fn guess_content_type(filename: &str) -> &'static str {
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "zip" => "application/zip",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

/// A source checked before anything is sent.
struct Prepared {
    filename: String,
    content_type: String,
    length: Option<u64>,
    content: Content,
}

#[derive(Clone)]
enum Content {
    Path(PathBuf),
    Bytes(Bytes),
    Stream(StreamFactory),
}

fn prepare(sources: Vec<UploadSource>) -> Result<Vec<Prepared>> {
    if sources.is_empty() {
        return Err(Error::invalid_input("files", "at least one file is needed"));
    }
    sources
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let field = format!("files[{i}]");
            let (filename, content_type, length, content) = match s {
                UploadSource::Path(p) => {
                    let meta = std::fs::metadata(&p)
                        .map_err(|e| Error::invalid_input(field.clone(), format!("cannot read {}: {e}", p.display())))?;
                    if !meta.is_file() {
                        return Err(Error::invalid_input(field, format!("{} is not a file", p.display())));
                    }
                    let name = p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .ok_or_else(|| Error::invalid_input(field.clone(), "the file name is not valid UTF-8"))?
                        .to_owned();
                    (name, None, Some(meta.len()), Content::Path(p))
                }
                UploadSource::Bytes { filename, content_type, bytes } => {
                    (filename, content_type, Some(bytes.len() as u64), Content::Bytes(bytes))
                }
                UploadSource::Stream { filename, content_type, length, open } => (filename, content_type, length, Content::Stream(open)),
            };
            if filename.trim().is_empty() || filename.contains(['"', '\r', '\n']) {
                return Err(Error::invalid_input(format!("{field}.filename"), "must be a non-empty name without quotes or line breaks"));
            }
            let content_type = content_type.unwrap_or_else(|| guess_content_type(&filename).to_owned());
            if content_type.parse::<reqwest::header::HeaderValue>().is_err() || !content_type.contains('/') {
                return Err(Error::invalid_input(format!("{field}.content_type"), format!("not a media type: {content_type:?}")));
            }
            Ok(Prepared { filename, content_type, length, content })
        })
        .collect()
}

/// Counts bytes as the body is pulled and reports new high marks.
struct Tracker {
    total: u64,
    attempt: AtomicU64,
    high: AtomicU64,
    callback: Option<Progress>,
}

impl Tracker {
    fn advance(&self, n: u64) {
        let now = self.attempt.fetch_add(n, Ordering::SeqCst) + n;
        let before = self.high.fetch_max(now, Ordering::SeqCst);
        if now > before {
            if let Some(cb) = &self.callback {
                cb(now, self.total);
            }
        }
    }
}

fn counted(s: ByteStream, tracker: Arc<Tracker>) -> ByteStream {
    Box::pin(s.map(move |chunk| {
        if let Ok(bytes) = &chunk {
            tracker.advance(bytes.len() as u64);
        }
        chunk
    }))
}

/// A file read in chunks, opened when the body is first polled.
fn file_stream(path: PathBuf) -> ByteStream {
    enum State {
        Closed(PathBuf),
        Open(tokio::fs::File),
        Done,
    }
    Box::pin(stream::unfold(State::Closed(path), |state| async move {
        use tokio::io::AsyncReadExt;
        let mut file = match state {
            State::Done => return None,
            State::Open(f) => f,
            State::Closed(p) => match tokio::fs::File::open(&p).await {
                Ok(f) => f,
                Err(e) => return Some((Err(e), State::Done)),
            },
        };
        let mut buf = BytesMut::with_capacity(CHUNK);
        match file.read_buf(&mut buf).await {
            Ok(0) => None,
            Ok(_) => Some((Ok(buf.freeze()), State::Open(file))),
            Err(e) => Some((Err(e), State::Done)),
        }
    }))
}

fn bytes_stream(bytes: Bytes) -> ByteStream {
    let chunks: Vec<std::io::Result<Bytes>> =
        (0..bytes.len()).step_by(CHUNK).map(|start| Ok(bytes.slice(start..(start + CHUNK).min(bytes.len())))).collect();
    Box::pin(stream::iter(chunks))
}

/// The multipart body: one `file[]` part per source, rebuilt (files re-opened) per attempt.
fn multipart_factory(prepared: Vec<Prepared>, tracker: Arc<Tracker>) -> MultipartFactory {
    let prepared = Arc::new(prepared);
    Arc::new(move || {
        tracker.attempt.store(0, Ordering::SeqCst);
        let mut form = reqwest::multipart::Form::new();
        for (i, p) in prepared.iter().enumerate() {
            let content = match &p.content {
                Content::Path(path) => file_stream(path.clone()),
                Content::Bytes(b) => bytes_stream(b.clone()),
                Content::Stream(open) => open().map_err(|e| {
                    Error::invalid_input(format!("files[{i}]"), format!("cannot open the stream: {e}"))
                })?,
            };
            let body = reqwest::Body::wrap_stream(counted(content, tracker.clone()));
            let part = match p.length {
                Some(len) => reqwest::multipart::Part::stream_with_length(body, len),
                None => reqwest::multipart::Part::stream(body),
            };
            let part = part
                .file_name(p.filename.clone())
                .mime_str(&p.content_type)
                .map_err(|_| Error::invalid_input(format!("files[{i}].content_type"), "not a media type"))?;
            form = form.part("file[]", part);
        }
        Ok(form)
    })
}

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
    pub fn all_passed(&self) -> bool {
        self.failed.is_empty() && self.timed_out.is_empty()
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
    pub async fn get(&self, file_upload_id: &str) -> Result<FileRecord> {
        check_id("file_upload_id", file_upload_id)?;
        let req = Request::new(Method::GET, format!("{UPLOADS_PATH}/{}", encode_segment(file_upload_id)));
        FileRecord::from_json(&self.client.send(req).await?.json()?)
    }

    /// `GET /rest/v1/files/uploads` as lazily fetched pages of JSON records.
    pub fn list_pages(&self, options: ListOptions) -> Result<Paginator> {
        OffsetPages::paginator(self.client, UPLOADS_PATH.to_owned(), Vec::new(), options)
    }

    /// Every file the account uploaded, fetched page by page as the stream is read.
    pub fn list(&self, options: ListOptions) -> impl Stream<Item = Result<FileRecord>> + Send + 'static {
        typed_stream(self.list_pages(options))
    }

    /// `POST /rest/v1/files/uploads` (multipart, one `file[]` part per source). Files on disk
    /// are streamed, never held in memory, and re-opened if the request is replayed; `progress`
    /// is called as bytes go out. The answer has one record per source, in the same order.
    pub async fn upload(&self, sources: Vec<UploadSource>, progress: Option<Progress>) -> Result<Vec<FileRecord>> {
        let prepared = prepare(sources)?;
        let count = prepared.len();
        let total = if prepared.iter().all(|p| p.length.is_some()) { prepared.iter().filter_map(|p| p.length).sum() } else { 0 };
        let tracker = Arc::new(Tracker { total, attempt: AtomicU64::new(0), high: AtomicU64::new(0), callback: progress });
        let req = Request::new(Method::POST, UPLOADS_PATH).body(Body::Multipart(multipart_factory(prepared, tracker)));
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
    /// scanned is in the report; only a failing request is an error.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_guessed_from_the_extension() {
        assert_eq!(guess_content_type("a.ZIP"), "application/zip");
        assert_eq!(guess_content_type("guide.pdf"), "application/pdf");
        assert_eq!(guess_content_type("x.jpeg"), "image/jpeg");
        assert_eq!(guess_content_type("x.jpg"), "image/jpeg");
        assert_eq!(guess_content_type("x.gif"), "image/gif");
        assert_eq!(guess_content_type("x.png"), "image/png");
        assert_eq!(guess_content_type("README"), "application/octet-stream");
    }

    #[test]
    fn bad_sources_are_refused_before_sending() {
        assert_eq!(prepare(vec![]).err().unwrap().field(), Some("files"));
        let e = prepare(vec![UploadSource::bytes("a.zip", vec![1u8]), UploadSource::path("/nonexistent/x.zip")]).err().unwrap();
        assert_eq!(e.field(), Some("files[1]"));
        let e = prepare(vec![UploadSource::bytes("", vec![1u8])]).err().unwrap();
        assert_eq!(e.field(), Some("files[0].filename"));
        let e = prepare(vec![UploadSource::Bytes { filename: "a".into(), content_type: Some("nope".into()), bytes: Bytes::new() }]).err().unwrap();
        assert_eq!(e.field(), Some("files[0].content_type"));
    }
}
