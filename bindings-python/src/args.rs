//! The arguments of an operation (or a client's settings) from Python: a dict keyed by the
//! catalogue's parameter names, each value converted as its parameter's carrier says (JSON,
//! bytes, files, a progress callback, the `on_token` callback). `None` is an absent argument.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyByteArray, PyDict, PyString, PyTuple};
use sellkit::catalogue::{Arg, Args, Carrier, ParamSpec};
use sellkit::upload::{ByteStream, Progress, StreamFactory, UploadSource};

use crate::convert::{arg_to_json, to_py};
use crate::errors::{invalid_input, to_pyerr};

/// Bytes asked of a Python file object per read.
const CHUNK: usize = 256 * 1024;

/// `values` (a dict) as core arguments for `params`.
pub fn args(py: Python<'_>, params: &[ParamSpec], values: &Bound<'_, PyAny>) -> PyResult<Args> {
    let mut out = Args::new();
    if values.is_none() {
        return Ok(out);
    }
    let dict = values.cast::<PyDict>().map_err(|_| invalid_input(py, "args", "expected a dict"))?;
    for (key, value) in dict.iter() {
        if value.is_none() {
            continue;
        }
        let name: String = key.extract()?;
        let Some(spec) = params.iter().find(|p| p.name == name) else {
            let known: Vec<&str> = params.iter().map(|p| p.name).collect();
            return Err(invalid_input(py, &name, format!("unknown argument; expected one of: {}", known.join(", "))));
        };
        out.set(spec.name, arg(py, spec, &value)?);
    }
    Ok(out)
}

fn arg(py: Python<'_>, spec: &ParamSpec, value: &Bound<'_, PyAny>) -> PyResult<Arg> {
    let name = spec.name;
    Ok(match spec.carrier {
        Carrier::Json | Carrier::Seconds => Arg::Json(arg_to_json(value, name, &mut 0).map_err(|e| to_pyerr(py, &e))?),
        Carrier::Bytes => Arg::Bytes(blob(py, name, value)?),
        Carrier::File => Arg::Files(vec![source(py, name, value)?]),
        Carrier::Files => {
            // One file alone is a list of one.
            let single = value.is_instance_of::<PyString>() || value.is_instance_of::<PyTuple>() || value.hasattr("read")? || value.hasattr("__fspath__")?;
            if single {
                Arg::Files(vec![source(py, &format!("{name}[0]"), value)?])
            } else {
                let mut files = Vec::new();
                for (i, item) in value.try_iter().map_err(|_| invalid_input(py, name, "expected a file or a list of files"))?.enumerate() {
                    files.push(source(py, &format!("{name}[{i}]"), &item?)?);
                }
                Arg::Files(files)
            }
        }
        Carrier::Progress => Arg::Progress(progress(py, name, value)?),
        Carrier::Callback => Arg::OnToken(on_token(py, name, value)?),
        Carrier::Events => Arg::Events(events(py, name, value)?),
    })
}

/// `bytes`, `bytearray`, `memoryview` or `str` (its UTF-8 bytes).
fn blob(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<Bytes> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Bytes::copy_from_slice(b.as_bytes()));
    }
    if let Ok(s) = value.cast::<PyString>() {
        let s = s.to_str().map_err(|_| to_pyerr(py, &sellkit::catalogue::InputFailure::lone_surrogate().into_error(name)))?;
        return Ok(Bytes::copy_from_slice(s.as_bytes()));
    }
    if value.is_instance_of::<PyByteArray>() || value.hasattr("tobytes")? {
        let bytes = py.import("builtins")?.getattr("bytes")?.call1((value,))?;
        return Ok(Bytes::copy_from_slice(bytes.cast::<PyBytes>()?.as_bytes()));
    }
    Err(invalid_input(py, name, format!("expected bytes or str, got {}", type_name(value))))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
}

/// One file: a path (`str` or `os.PathLike`), `(filename, bytes)` / `(filename, bytes,
/// content_type)`, or a binary file object (core decides whether to stream it from disk).
fn source(py: Python<'_>, field: &str, f: &Bound<'_, PyAny>) -> PyResult<UploadSource> {
    if f.is_instance_of::<PyString>() || f.hasattr("__fspath__")? {
        let path: String = py.import("os")?.getattr("fspath")?.call1((f,))?.extract()?;
        return Ok(UploadSource::Path(path.into()));
    }
    if let Ok(t) = f.cast::<PyTuple>() {
        let shape = "expected (filename, bytes) or (filename, bytes, content_type)";
        if !(t.len() == 2 || t.len() == 3) {
            return Err(invalid_input(py, field, shape));
        }
        let filename: String = t.get_item(0)?.extract().map_err(|_| invalid_input(py, field, shape))?;
        let bytes = blob(py, field, &t.get_item(1)?)?;
        let content_type: Option<String> = if t.len() == 3 { t.get_item(2)?.extract()? } else { None };
        return Ok(UploadSource::Bytes { filename, content_type, bytes });
    }
    if f.is_instance_of::<PyBytes>() || f.is_instance_of::<PyByteArray>() {
        return Err(invalid_input(py, field, "bytes need a filename: pass (filename, bytes)"));
    }
    if f.hasattr("read")? {
        let name: Option<String> = f.getattr("name").ok().and_then(|n| n.extract().ok());
        let filename = name.as_deref().and_then(|n| std::path::Path::new(n).file_name()).map(|n| n.to_string_lossy().into_owned());
        // A seekable object is rewound to where it stood for every attempt; any other can be
        // read once (core then refuses to replay it rather than send it empty).
        let start: Option<u64> = match f.call_method0("seekable").and_then(|s| s.extract::<bool>()) {
            Ok(true) => Some(f.call_method0("tell")?.extract()?),
            _ => None,
        };
        let length = match start {
            Some(here) => {
                let end: u64 = f.call_method1("seek", (0, 2))?.extract()?;
                f.call_method1("seek", (here,))?;
                Some(end.saturating_sub(here))
            }
            None => None,
        };
        let source = Arc::new(PySource { file: f.clone().unbind(), start, attempts: Mutex::new(0) });
        let open: StreamFactory = Arc::new(move || open_stream(source.clone()));
        return Ok(UploadSource::reader(name.map(Into::into), filename, None, length, open));
    }
    Err(invalid_input(py, field, format!("expected a path, (filename, bytes) or a binary file object, got {}", type_name(f))))
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

/// A callable `(sent, total)`, or an object with `update(n)` (a tqdm bar) fed the bytes sent
/// since its last update; called with the GIL taken (core throttles the calls). An exception it
/// raises is reported as unraisable and does not stop the upload.
fn progress(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<Progress> {
    let (callback, deltas) = if value.hasattr("update")? && !value.is_callable() {
        (value.getattr("update")?.unbind(), true)
    } else if value.is_callable() {
        (value.clone().unbind(), false)
    } else {
        return Err(invalid_input(py, name, "expected a callable (sent, total) or an object with update(n)"));
    };
    let reported = Mutex::new(0u64);
    Ok(Arc::new(move |sent: u64, total: u64| {
        Python::attach(|py| {
            let called = if deltas {
                let mut last = reported.lock().unwrap_or_else(|p| p.into_inner());
                let delta = sent.saturating_sub(*last);
                *last = sent;
                callback.call1(py, (delta,))
            } else {
                callback.call1(py, (sent, total))
            };
            if let Err(e) = called {
                e.write_unraisable(py, None);
            }
        });
    }))
}

/// A callable receiving each event as a dict, called with the GIL taken. An exception it
/// raises is reported as unraisable and does not stop the operation.
fn events(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<sellkit::catalogue::EventSink> {
    if !value.is_callable() {
        return Err(invalid_input(py, name, "must be callable"));
    }
    let callback = value.clone().unbind();
    Ok(Arc::new(move |event: serde_json::Value| {
        Python::attach(|py| {
            let called = to_py(py, &event).and_then(|arg| callback.call1(py, (arg,)));
            if let Err(e) = called {
                e.write_unraisable(py, None);
            }
        });
    }))
}

/// The `on_token` callable as a core callback: it gets the token set as a dict, before the new
/// access token is used; an exception it raises fails the call.
fn on_token(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<sellkit::auth::oauth2::OnToken> {
    if !value.is_callable() {
        return Err(invalid_input(py, name, "must be callable"));
    }
    let callback = value.clone().unbind();
    Ok(Arc::new(move |set: &sellkit::auth::oauth2::TokenSet| {
        let json = set.to_json();
        Python::attach(|py| {
            let arg = to_py(py, &json).map_err(|e| callback_error(py, e))?;
            callback.call1(py, (arg,)).map(drop).map_err(|e| callback_error(py, e))
        })
    }))
}

fn callback_error(py: Python<'_>, e: PyErr) -> sellkit::Error {
    let what = e.value(py).repr().map(|r| r.to_string()).unwrap_or_else(|_| "an exception".to_owned());
    sellkit::Error::new(sellkit::ErrorKind::Authentication, format!("on_token raised {what}")).with_code("on-token-failed")
}
