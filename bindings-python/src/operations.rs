//! What both native clients (EQP and Marktplaats) do the same way, generic over core's
//! [`Operations`]: keep one core client per process (rebuilt after `fork()`), refuse a closed
//! client, convert arguments, and run calls (blocking with the GIL released, or as awaitables)
//! and lists.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
use sellkit::operations::Operations;
use serde_json::Value;

use crate::convert::{args_to_json, to_py, Json};
use crate::errors::{invalid_input, to_pyerr};
use crate::paginator::Paginator;
use crate::runtime::{block_on, future_into_py};

/// The core client of the current process, and how to build it again.
///
/// A forked child gets a fresh client: the parent's pooled connections belong to the parent's
/// runtime and sockets, so the old client is leaked, never used or dropped (dropping could hang).
pub(crate) struct ProcessClient<C> {
    rebuild: Box<dyn Fn() -> sellkit::Result<C> + Send + Sync>,
    current: Mutex<(u32, C)>,
}

impl<C: Clone> ProcessClient<C> {
    pub fn new(build: impl Fn() -> sellkit::Result<C> + Send + Sync + 'static) -> sellkit::Result<Self> {
        let client = build()?;
        Ok(ProcessClient { rebuild: Box::new(build), current: Mutex::new((std::process::id(), client)) })
    }

    pub fn client(&self) -> sellkit::Result<C> {
        let pid = std::process::id();
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if current.0 != pid {
            let fresh = (self.rebuild)()?;
            std::mem::forget(std::mem::replace(&mut current.1, fresh));
            current.0 = pid;
        }
        Ok(current.1.clone())
    }
}

/// A handle's share of a [`ProcessClient`]; `None` once closed.
pub(crate) struct Handle<C>(RwLock<Option<Arc<ProcessClient<C>>>>);

impl<C: Clone> Handle<C> {
    pub fn new(client: Arc<ProcessClient<C>>) -> Self {
        Handle(RwLock::new(Some(client)))
    }
    pub fn shared(&self) -> sellkit::Result<Arc<ProcessClient<C>>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(|| {
            sellkit::Error::invalid_input("client", "is closed; create a new client").with_code("client-closed")
        })
    }
    pub fn client(&self) -> sellkit::Result<C> {
        self.shared()?.client()
    }
    pub fn close(&self) {
        self.0.write().unwrap_or_else(|p| p.into_inner()).take();
    }
    pub fn is_closed(&self) -> bool {
        self.0.read().unwrap_or_else(|p| p.into_inner()).is_none()
    }
}

/// Seconds (a Python `int` or `float`) as a `Duration`.
pub(crate) fn seconds(py: Python<'_>, name: &str, value: Option<Bound<'_, PyAny>>) -> PyResult<Option<Duration>> {
    value
        .map(|v| {
            let s = number(py, name, &v)?;
            Duration::try_from_secs_f64(s)
                .map_err(|_| invalid_input(py, name, format!("must be a non-negative number of seconds, got {s}")))
        })
        .transpose()
}

/// A number argument: `int` or `float`, not `bool`; anything else is invalid input naming it.
fn number(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    if value.is_instance_of::<PyBool>() || !(value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>()) {
        return Err(invalid_input(py, name, format!("expected a number, got {}", type_name(value))));
    }
    value.extract::<f64>().map_err(|_| invalid_input(py, name, "is out of range"))
}

/// A whole-number argument: `int`, not `bool`; anything else (or beyond 64 bits) is invalid input.
pub(crate) fn integer(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<i64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(invalid_input(py, name, format!("expected an int, got {}", type_name(value))));
    }
    value.extract::<i64>().map_err(|_| invalid_input(py, name, "is out of range"))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|n| n.to_string()).unwrap_or_default()
}

/// A text argument: a `str` of valid Unicode (no lone surrogates); anything else is invalid
/// input naming the argument, not a `TypeError` from the argument parser.
pub(crate) fn text(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let Ok(s) = value.cast::<PyString>() else {
        return Err(invalid_input(py, name, format!("expected a str, got {}", type_name(value))));
    };
    s.to_str()
        .map(str::to_owned)
        .map_err(|_| invalid_input(py, name, "the string is not valid Unicode (it holds a lone surrogate)"))
}

/// A retry count (a Python int) as core takes it; core checks the range.
pub(crate) fn retries(py: Python<'_>, value: Option<Bound<'_, PyAny>>) -> PyResult<Option<u32>> {
    value
        .map(|v| {
            let n = integer(py, "max_retries", &v)?;
            u32::try_from(n).map_err(|_| invalid_input(py, "max_retries", format!("must be between 0 and 10, got {n}")))
        })
        .transpose()
}

/// A response cap in bytes (a Python int) as core takes it; core refuses zero.
pub(crate) fn byte_count(py: Python<'_>, name: &str, value: Option<Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    value
        .map(|v| {
            let n = integer(py, name, &v)?;
            usize::try_from(n).map_err(|_| invalid_input(py, name, format!("must be a positive number of bytes, got {n}")))
        })
        .transpose()
}

/// The arguments of an operation as JSON (`None` is `null`).
pub(crate) fn json_args(py: Python<'_>, args: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
    match args {
        Some(a) => args_to_json(a),
        None => Ok(Value::Null),
    }
    .map_err(|e| to_pyerr(py, &e))
}

/// Run operation `op` and wait for it with the GIL released.
pub(crate) fn call<'py, C: Operations>(py: Python<'py>, client: C, op: String, args: Value) -> PyResult<Bound<'py, PyAny>> {
    match block_on(py, async move { client.call(&op, args).await })? {
        Ok(value) => to_py(py, &value),
        Err(e) => Err(to_pyerr(py, &e)),
    }
}

/// Run operation `op`; an awaitable (needs a running asyncio loop).
pub(crate) fn call_async<'py, C: Operations>(py: Python<'py>, client: C, op: String, args: Value) -> PyResult<Bound<'py, PyAny>> {
    future_into_py(py, async move {
        match client.call(&op, args).await {
            Ok(value) => Ok(Json(value)),
            Err(e) => Err(Python::attach(|py| to_pyerr(py, &e))),
        }
    })
}

/// Open the lazily paged list `op`; nothing is fetched until it is iterated.
pub(crate) fn list<C: Operations>(py: Python<'_>, client: C, op: &str, args: Value) -> PyResult<Paginator> {
    // A page source may spawn on the runtime: build it inside it.
    let _guard = crate::runtime::runtime().enter();
    Ok(Paginator::new(client.list(op, args).map_err(|e| to_pyerr(py, &e))?))
}
