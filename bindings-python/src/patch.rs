//! The native half of `sellkit.patch`: the functions of [`sellkit::patch`], converting and
//! nothing else.
//!
//! Values go straight from Python objects to `serde_json::Value` and back ([`crate::convert`]).
//! When the input is large (over [`DETACH_ABOVE`] bytes as JSON, estimated while converting),
//! the pure-Rust part (parsing the operations, applying or diffing, dropping the inputs) runs
//! with the GIL released, so other Python threads go on meanwhile. Below that, releasing and
//! re-taking the GIL would cost more than the work (and can wait a whole switch interval when
//! other threads are busy).

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use sellkit::patch::{self, Operation};
use sellkit::{Error, ErrorKind};
use serde_json::Value;

use crate::convert::{arg_to_json, to_py};
use crate::errors::to_pyerr;

/// Inputs larger than this (bytes of JSON, estimated) are worked on with the GIL released.
const DETACH_ABOVE: usize = 64 * 1024;

fn convert(py: Python<'_>, obj: &Bound<'_, PyAny>, name: &str, size: &mut usize) -> PyResult<Value> {
    arg_to_json(obj, name, size).map_err(|e| to_pyerr(py, &e))
}

/// Run `work` (pure Rust), without the GIL when the input is large; a panic becomes an
/// `InternalError`, never a `PanicException`.
fn run<T: Send>(py: Python<'_>, size: usize, work: impl FnOnce() -> sellkit::Result<T> + Send) -> PyResult<T> {
    let guarded = move || {
        catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
            Err(Error::new(ErrorKind::Internal, "sellkit.patch failed unexpectedly (a bug in sellkit; please report it)"))
        })
    };
    let result = if size > DETACH_ABOVE { py.detach(guarded) } else { guarded() };
    result.map_err(|e| to_pyerr(py, &e))
}

/// Drop a large value without the GIL (freeing a big tree takes a while).
fn drop_value(py: Python<'_>, size: usize, value: Value) {
    if size > DETACH_ABOVE {
        py.detach(move || drop(value));
    }
}

/// One operation as the RFC dict, keys in the RFC's order: `op`, `from`, `path`, `value`.
fn op_to_py<'py>(py: Python<'py>, op: &Operation) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    let name = match op {
        Operation::Add { .. } => intern!(py, "add"),
        Operation::Remove { .. } => intern!(py, "remove"),
        Operation::Replace { .. } => intern!(py, "replace"),
        Operation::Move { .. } => intern!(py, "move"),
        Operation::Copy { .. } => intern!(py, "copy"),
        Operation::Test { .. } => intern!(py, "test"),
    };
    dict.set_item(intern!(py, "op"), name)?;
    if let Some(from) = op.from() {
        dict.set_item(intern!(py, "from"), PyString::new(py, &from.to_string()))?;
    }
    dict.set_item(intern!(py, "path"), PyString::new(py, &op.path().to_string()))?;
    if let Some(value) = op.value() {
        dict.set_item(intern!(py, "value"), to_py(py, value)?)?;
    }
    Ok(dict)
}

fn ops_to_py<'py>(py: Python<'py>, ops: &[Operation]) -> PyResult<Bound<'py, PyList>> {
    let items = ops.iter().map(|op| op_to_py(py, op)).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// `sellkit.patch.apply(doc, ops)`: a patched copy of `doc`.
#[pyfunction]
pub fn patch_apply<'py>(py: Python<'py>, doc: &Bound<'py, PyAny>, ops: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let mut size = 0;
    let mut doc = convert(py, doc, "doc", &mut size)?;
    let ops = convert(py, ops, "ops", &mut size)?;
    let doc = run(py, size, move || {
        let ops = patch::parse(&ops)?;
        // `doc` is already a copy of the caller's document: patch it without cloning it again.
        patch::apply_in_place(&mut doc, &ops)?;
        Ok(doc)
    })?;
    let out = to_py(py, &doc)?;
    drop_value(py, size, doc);
    Ok(out)
}

/// `sellkit.patch.diff(old, new)`: `add`, `remove` and `replace` operations.
#[pyfunction]
pub fn patch_diff<'py>(py: Python<'py>, old: &Bound<'py, PyAny>, new: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let mut size = 0;
    let old = convert(py, old, "old", &mut size)?;
    let new = convert(py, new, "new", &mut size)?;
    let ops = run(py, size, move || Ok(patch::diff(&old, &new)))?;
    ops_to_py(py, &ops)
}

/// `sellkit.patch.validate(ops, server_safe=False)`.
#[pyfunction]
#[pyo3(signature = (ops, server_safe = false))]
pub fn patch_validate(py: Python<'_>, ops: &Bound<'_, PyAny>, server_safe: bool) -> PyResult<()> {
    let mut size = 0;
    let ops = convert(py, ops, "ops", &mut size)?;
    run(py, size, move || patch::validate(&patch::parse(&ops)?, server_safe))
}

/// `sellkit.patch.is_safe_to_repeat(ops)`.
#[pyfunction]
pub fn patch_is_safe_to_repeat(py: Python<'_>, ops: &Bound<'_, PyAny>) -> PyResult<bool> {
    let mut size = 0;
    let ops = convert(py, ops, "ops", &mut size)?;
    run(py, size, move || Ok(patch::is_safe_to_repeat(&patch::parse(&ops)?)))
}

/// `sellkit.patch.parse(ops)`: the operations in their normal RFC form.
#[pyfunction]
pub fn patch_parse<'py>(py: Python<'py>, ops: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let mut size = 0;
    let ops = convert(py, ops, "ops", &mut size)?;
    let ops = run(py, size, move || patch::parse(&ops))?;
    ops_to_py(py, &ops)
}
