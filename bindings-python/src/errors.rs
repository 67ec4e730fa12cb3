//! `sellkit::Error` → the exception classes of `sellkit._errors`, with every field set.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

use crate::convert::to_py;

/// `sellkit._errors._BY_KIND`: kind name → exception class.
static BY_KIND: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
/// `sellkit._errors.SellkitError`, for a kind this build does not know.
static BASE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for a sellkit error.
pub fn to_pyerr(py: Python<'_>, e: &sellkit::Error) -> PyErr {
    match build(py, e) {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

fn build<'py>(py: Python<'py>, e: &sellkit::Error) -> PyResult<Bound<'py, PyAny>> {
    let by_kind = BY_KIND.import(py, "sellkit._errors", "_BY_KIND")?;
    let class = match by_kind.get_item(e.kind().as_str())? {
        Some(class) => class,
        None => BASE.import(py, "sellkit._errors", "SellkitError")?.clone(),
    };
    let kwargs = PyDict::new(py);
    kwargs.set_item("message", e.message())?;
    kwargs.set_item("code", e.code())?;
    kwargs.set_item("kind", e.kind().as_str())?;
    kwargs.set_item("status", e.status())?;
    match e.api_code() {
        Some(sellkit::ApiCode::Int(i)) => kwargs.set_item("api_code", *i)?,
        Some(sellkit::ApiCode::Str(s)) => kwargs.set_item("api_code", s)?,
        None => kwargs.set_item("api_code", py.None())?,
    }
    let details = PyList::empty(py);
    for d in e.details() {
        let detail = PyDict::new(py);
        detail.set_item("field", d.field.as_deref())?;
        detail.set_item("code", d.code.as_deref())?;
        detail.set_item("message", d.message.as_deref())?;
        match &d.value {
            Some(v) => detail.set_item("value", to_py(py, v)?)?,
            None => detail.set_item("value", py.None())?,
        }
        details.append(detail)?;
    }
    kwargs.set_item("details", details)?;
    kwargs.set_item("request_id", e.request_id())?;
    kwargs.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
    kwargs.set_item("body", e.body())?;
    kwargs.set_item("field", e.field())?;
    kwargs.set_item("outcome_unknown", e.outcome_unknown())?;
    class.call((e.to_string(),), Some(&kwargs))
}

/// An error raised by the binding itself (a closed client, a setting that cannot be converted).
pub fn invalid_input(py: Python<'_>, field: &str, message: impl Into<String>) -> PyErr {
    to_pyerr(py, &sellkit::Error::invalid_input(field, message))
}
