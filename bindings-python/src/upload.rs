//! Upload sources and progress callbacks from Python, for `sellkit::eqp::upload`.
//!
//! `sellkit.eqp` hands each file over as a tagged tuple; this file turns them into core
//! [`UploadSource`]s (paths streamed from disk by core, bytes, or a Python file object read
//! chunk by chunk with the GIL taken per chunk) and the progress callable into a core
//! [`Progress`] that re-acquires the GIL and is throttled.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use sellkit::eqp::{ByteStream, Progress, UploadSource};

use crate::errors::invalid_input;

/// Bytes asked of a Python file object per read.
const CHUNK: usize = 256 * 1024;
/// Least time between two progress calls (the first and the last are always made).
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

/// `("path", str)`, `("bytes", filename, bytes, content_type)` or
/// `("stream", filename, content_type, length, fileobj)`.
pub fn sources(py: Python<'_>, list: &Bound<'_, PyAny>) -> PyResult<Vec<UploadSource>> {
    let mut out = Vec::new();
    for (i, item) in list.try_iter()?.enumerate() {
        let item = item?;
        let t = item.cast::<PyTuple>().map_err(|_| invalid_input(py, &format!("files[{i}]"), "expected a source tuple"))?;
        let tag: String = t.get_item(0)?.extract()?;
        match tag.as_str() {
            "path" => out.push(UploadSource::Path(t.get_item(1)?.extract::<String>()?.into())),
            "bytes" => {
                let filename: String = t.get_item(1)?.extract()?;
                let data = t.get_item(2)?;
                let data = data.cast::<PyBytes>().map_err(|_| invalid_input(py, &format!("files[{i}]"), "expected bytes"))?;
                let content_type: Option<String> = t.get_item(3)?.extract()?;
                out.push(UploadSource::Bytes { filename, content_type, bytes: Bytes::copy_from_slice(data.as_bytes()) });
            }
            "stream" => {
                let filename: String = t.get_item(1)?.extract()?;
                let content_type: Option<String> = t.get_item(2)?.extract()?;
                let length: Option<u64> = t.get_item(3)?.extract()?;
                let file = t.get_item(4)?;
                // A seekable object is rewound to where it stood for every attempt; any other
                // can be read once (core then refuses to replay it rather than send it empty).
                let start: Option<u64> = match file.call_method0("seekable").and_then(|s| s.extract::<bool>()) {
                    Ok(true) => Some(file.call_method0("tell")?.extract()?),
                    _ => None,
                };
                let source = Arc::new(PySource { file: file.unbind(), start, attempts: Mutex::new(0) });
                out.push(UploadSource::Stream { filename, content_type, length, open: Arc::new(move || open_stream(source.clone())) });
            }
            other => return Err(invalid_input(py, &format!("files[{i}]"), format!("unknown source kind {other:?}"))),
        }
    }
    Ok(out)
}

/// A Python file object behind an upload: every read of a seekable one seeks to the position of
/// its own attempt first (under one lock), so a read still running for an abandoned attempt can
/// never move the position under the replay.
struct PySource {
    file: Py<PyAny>,
    /// Where a seekable object stood when it was handed over; `None`: it can be read once.
    start: Option<u64>,
    /// Attempts opened so far; also serialises the reads.
    attempts: Mutex<u64>,
}

impl PySource {
    /// The next chunk of attempt `attempt` at `offset`; `None` once that attempt is stale.
    fn read(&self, attempt: u64, offset: u64) -> std::io::Result<Option<Vec<u8>>> {
        let current = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if *current != attempt {
            return Ok(None);
        }
        Python::attach(|py| -> PyResult<Vec<u8>> {
            let file = self.file.bind(py);
            if let Some(start) = self.start {
                file.call_method1("seek", (start + offset,))?;
            }
            let data = file.call_method1("read", (CHUNK,))?;
            let bytes = data.cast::<PyBytes>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err("the file object must be opened in binary mode ('rb')")
            })?;
            Ok(bytes.as_bytes().to_vec())
        })
        .map(Some)
        .map_err(|e| std::io::Error::other(format!("reading the file object failed: {e}")))
    }
}

fn open_stream(source: Arc<PySource>) -> std::io::Result<ByteStream> {
    let attempt = {
        let mut attempts = source.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if *attempts > 0 && source.start.is_none() {
            return Err(std::io::Error::other("this file object cannot be rewound, so the upload cannot be sent again"));
        }
        *attempts += 1;
        *attempts
    };
    let stream = futures_util::stream::unfold(Some(0u64), move |state| {
        let source = source.clone();
        async move {
            let offset = state?;
            let read = tokio::task::spawn_blocking(move || source.read(attempt, offset)).await;
            match read {
                Ok(Ok(Some(data))) if !data.is_empty() => {
                    let next = offset + data.len() as u64;
                    Some((Ok(Bytes::from(data)), Some(next)))
                }
                Ok(Ok(_)) => None,
                Ok(Err(e)) => Some((Err(e), None)),
                Err(e) => Some((Err(std::io::Error::other(format!("reading the file object failed: {e}"))), None)),
            }
        }
    });
    Ok(Box::pin(stream))
}

/// A Python callable `(sent, total)` as a core progress callback: called with the GIL taken,
/// at most every [`PROGRESS_INTERVAL`] (and always for the first and the final call). An
/// exception it raises is reported as unraisable and does not stop the upload.
pub fn progress(callback: Option<Py<PyAny>>) -> Option<Progress> {
    let callback = Arc::new(callback?);
    let last: Arc<Mutex<Option<(Instant, u64)>>> = Arc::new(Mutex::new(None));
    Some(Arc::new(move |sent: u64, total: u64| {
        {
            let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
            let done = total > 0 && sent >= total;
            match *last {
                Some((_, prev)) if prev == sent && !done => return,
                Some((_, prev)) if prev >= sent && done => return,
                Some((at, _)) if !done && at.elapsed() < PROGRESS_INTERVAL => return,
                _ => {}
            }
            *last = Some((Instant::now(), sent));
        }
        Python::attach(|py| {
            if let Err(e) = callback.call1(py, (sent, total)) {
                e.write_unraisable(py, None);
            }
        });
    }))
}
