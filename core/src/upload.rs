//! Files sent as `multipart/form-data`: where their bytes come from, how they are streamed (never
//! held in memory when they are on disk, re-opened on every attempt), and upload progress.
//!
//! Both APIs upload this way: EQP's `files.upload` (parts `file[]`) and the Marktplaats profile
//! images (part `file`).

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, Stream, StreamExt};

use crate::error::{Error, Result};
use crate::transport::{Body, MultipartFactory};

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

/// Progress is reported at most this often while bytes go out (and always at the end).
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// One file to upload.
#[derive(Clone)]
pub enum UploadSource {
    /// A file on disk, streamed (never read into memory) and re-opened on every attempt. Its
    /// name is the path's file name; its type is guessed from the extension.
    Path(PathBuf),
    /// Content in memory.
    Bytes {
        /// The part's file name (non-empty, no quotes or line breaks).
        filename: String,
        /// The part's media type; guessed from `filename` when `None`.
        content_type: Option<String>,
        /// The content.
        bytes: Bytes,
    },
    /// Content from a stream factory (called once per attempt). `length`, when known, lets the
    /// request carry a `Content-Length` and the progress callback a total.
    Stream {
        /// The part's file name (non-empty, no quotes or line breaks).
        filename: String,
        /// The part's media type; guessed from `filename` when `None`.
        content_type: Option<String>,
        /// Length in bytes, when known.
        length: Option<u64>,
        /// Opens the content; called once per attempt.
        open: StreamFactory,
    },
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
    /// A file on disk ([`UploadSource::Path`]). It is checked (exists, is a file, has a UTF-8
    /// name) when the upload is prepared, before anything is sent.
    pub fn path(p: impl Into<PathBuf>) -> Self {
        UploadSource::Path(p.into())
    }
    /// Content in memory named `filename`, its media type guessed from the name.
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
    /// A readable object a caller gave (a file object, a stream). When it reads a whole file on
    /// disk from its start (`path`, as the object says), the file is streamed from disk instead,
    /// so that a retry can send it again; otherwise the object is read through `open` (once per
    /// attempt), and named `filename` (`upload` when it has none).
    pub fn reader(
        path: Option<PathBuf>,
        filename: Option<String>,
        content_type: Option<String>,
        length: Option<u64>,
        open: StreamFactory,
    ) -> UploadSource {
        if let Some(p) = path.as_ref().filter(|p| p.is_file()) {
            let same_name = filename.as_deref().is_none_or(|n| p.file_name().is_some_and(|f| f == n));
            if same_name && content_type.is_none() {
                return UploadSource::Path(p.clone());
            }
        }
        let filename = filename
            .or_else(|| path.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "upload".to_owned());
        UploadSource::Stream { filename, content_type, length, open }
    }
    /// The name the part will carry (a path's file name; empty when the path has none).
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

/// Check every source before anything is sent; errors name `field[i]`.
fn prepare(field: &str, sources: Vec<UploadSource>) -> Result<Vec<Prepared>> {
    if sources.is_empty() {
        return Err(Error::invalid_input(field, "at least one file is needed"));
    }
    sources
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let field = format!("{field}[{i}]");
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

/// Counts bytes as the body is pulled and reports new high marks, at most every
/// [`PROGRESS_EVERY`] and always when the total is reached.
struct Tracker {
    total: u64,
    attempt: AtomicU64,
    high: AtomicU64,
    callback: Option<Progress>,
    last_report: Mutex<Option<Instant>>,
}

impl Tracker {
    fn new(total: u64, callback: Option<Progress>) -> Tracker {
        Tracker { total, attempt: AtomicU64::new(0), high: AtomicU64::new(0), callback, last_report: Mutex::new(None) }
    }
    fn advance(&self, n: u64) {
        let now = self.attempt.fetch_add(n, Ordering::SeqCst) + n;
        let before = self.high.fetch_max(now, Ordering::SeqCst);
        let Some(cb) = &self.callback else { return };
        if now <= before {
            return;
        }
        let finished = self.total > 0 && now >= self.total;
        {
            let mut last = self.last_report.lock().unwrap_or_else(|p| p.into_inner());
            if !finished && last.is_some_and(|t| t.elapsed() < PROGRESS_EVERY) {
                return;
            }
            *last = Some(Instant::now());
        }
        cb(now, self.total);
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

/// The multipart body: one part named `part` per source, rebuilt (files re-opened) per attempt.
fn multipart_factory(part_name: &'static str, field: &'static str, prepared: Vec<Prepared>, tracker: Arc<Tracker>) -> MultipartFactory {
    let prepared = Arc::new(prepared);
    Arc::new(move || {
        tracker.attempt.store(0, Ordering::SeqCst);
        let mut form = reqwest::multipart::Form::new();
        for (i, p) in prepared.iter().enumerate() {
            let content = match &p.content {
                Content::Path(path) => file_stream(path.clone()),
                Content::Bytes(b) => bytes_stream(b.clone()),
                Content::Stream(open) => open().map_err(|e| {
                    Error::invalid_input(format!("{field}[{i}]"), format!("cannot open the stream: {e}"))
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
                .map_err(|_| Error::invalid_input(format!("{field}[{i}].content_type"), "not a media type"))?;
            form = form.part(part_name, part);
        }
        Ok(form)
    })
}


/// A multipart body of `sources` (checked now; errors name `field[i]`), one part named
/// `part_name` each, reporting to `progress`; and how many parts it has.
pub(crate) fn multipart(
    part_name: &'static str,
    field: &'static str,
    sources: Vec<UploadSource>,
    progress: Option<Progress>,
) -> Result<(Body, usize)> {
    let prepared = prepare(field, sources)?;
    let count = prepared.len();
    let total = if prepared.iter().all(|p| p.length.is_some()) { prepared.iter().filter_map(|p| p.length).sum() } else { 0 };
    let tracker = Arc::new(Tracker::new(total, progress));
    Ok((Body::Multipart(multipart_factory(part_name, field, prepared, tracker)), count))
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
        assert_eq!(prepare("files", vec![]).err().unwrap().field(), Some("files"));
        let e = prepare("files", vec![UploadSource::bytes("a.zip", vec![1u8]), UploadSource::path("/nonexistent/x.zip")]).err().unwrap();
        assert_eq!(e.field(), Some("files[1]"));
        let e = prepare("files", vec![UploadSource::bytes("", vec![1u8])]).err().unwrap();
        assert_eq!(e.field(), Some("files[0].filename"));
        let e = prepare("files", vec![UploadSource::Bytes { filename: "a".into(), content_type: Some("nope".into()), bytes: Bytes::new() }]).err().unwrap();
        assert_eq!(e.field(), Some("files[0].content_type"));
    }

    #[test]
    fn progress_is_throttled_but_always_reports_the_end() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let t = Tracker::new(1000, Some(Arc::new(move |sent, total| log.lock().unwrap().push((sent, total)))));
        for _ in 0..100 {
            t.advance(10);
        }
        let seen = seen.lock().unwrap();
        assert_eq!(seen.first(), Some(&(10, 1000)), "the first bytes are reported");
        assert_eq!(seen.last(), Some(&(1000, 1000)), "the end is always reported");
        assert!(seen.len() < 10, "reports are throttled: {}", seen.len());
    }

    #[test]
    fn a_reader_of_a_whole_file_on_disk_is_streamed_from_disk() {
        let dir = std::env::temp_dir().join(format!("sellkit-upload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ext.zip");
        std::fs::write(&file, b"zip").unwrap();
        let opened: StreamFactory = Arc::new(|| -> std::io::Result<ByteStream> { Ok(Box::pin(stream::empty())) });
        assert!(matches!(UploadSource::reader(Some(file.clone()), None, None, None, opened.clone()), UploadSource::Path(_)));
        let renamed = UploadSource::reader(Some(file.clone()), Some("other.zip".into()), None, None, opened.clone());
        assert!(matches!(renamed, UploadSource::Stream { .. }), "another name: read through the object");
        let missing = UploadSource::reader(Some(dir.join("nope.zip")), None, None, Some(3), opened.clone());
        assert!(matches!(missing, UploadSource::Stream { ref filename, .. } if filename == "nope.zip"));
        let anonymous = UploadSource::reader(None, None, None, None, opened);
        assert!(matches!(anonymous, UploadSource::Stream { ref filename, .. } if filename == "upload"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
