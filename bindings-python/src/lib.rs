//! `sellkit._native`: the pyo3 module behind the `sellkit` Python package.
//!
//! Conversion only: values and errors cross here, every rule lives in the `sellkit` crate, and
//! which operations exist is its catalogue's (the Python classes are generated from it).

// `sellkit::Error` is returned unboxed, as core does.
#![allow(clippy::result_large_err)]

mod args;
mod client;
mod completions;
mod convert;
mod errors;
mod logging;
mod paginator;
mod patch;
mod runtime;
mod simulator;

use pyo3::prelude::*;
use sellkit::catalogue::{Api, ParamSpec, CALL_OPTIONS, EQP, MARKTPLAATS};
use serde_json::{json, Value};

/// mimalloc for Rust's own allocations (JSON values above all). With glibc's allocator, building
/// and freeing the `serde_json::Value`s of two 1 MB documents spent over half of
/// `sellkit.patch.diff` in `malloc`/`free`. Memory allocated here is only ever freed here;
/// Python's objects keep Python's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Forget the parent's runtime in a forked child (registered with `os.register_at_fork`).
#[pyfunction]
fn _after_fork_in_child() {
    runtime::forget_after_fork();
}

/// A call that panics in core, where it is caught: the tests' proof that a panic reaches Python
/// as an `InternalError` (`asynchronous`: as an awaitable).
#[pyfunction]
#[pyo3(signature = (message, asynchronous = false))]
fn _panic_in_call(py: Python<'_>, message: String, asynchronous: bool) -> PyResult<Bound<'_, PyAny>> {
    if asynchronous {
        return runtime::future_into_py(py, sellkit::call_that_panics(message), |py, result| match result {
            Ok(_) => Ok(py.None().into_bound(py)),
            Err(e) => Err(errors::to_pyerr(py, &e)),
        });
    }
    match runtime::block_on(py, sellkit::call_that_panics(message))? {
        Ok(_) => Ok(py.None().into_bound(py)),
        Err(e) => Err(errors::to_pyerr(py, &e)),
    }
}

/// A panic outside core's guard, in the task the binding waits for: still an `InternalError`.
#[pyfunction]
fn _panic_in_task(py: Python<'_>, message: String) -> PyResult<()> {
    runtime::block_on(py, async move {
        if !message.is_empty() {
            panic!("{message}");
        }
    })
}

fn params(specs: &[ParamSpec]) -> Value {
    Value::Array(specs.iter().map(|p| json!({"name": p.name, "required": p.required, "carrier": format!("{:?}", p.carrier)})).collect())
}

fn describe<C>(api: &'static Api<C>) -> Value {
    let operations: Vec<Value> =
        api.operations.iter().map(|op| json!({"name": op.name, "kind": op.kind.as_str(), "params": params(op.params)})).collect();
    json!({
        "client": params(api.client.params),
        "call_options": params(CALL_OPTIONS.params),
        "properties": api.properties.iter().map(|p| p.name).collect::<Vec<_>>(),
        "operations": operations,
    })
}

/// The catalogue (operations, their parameters and kinds, the clients' settings) as JSON: what
/// the tests check the Python and Node surfaces against.
#[pyfunction]
fn catalogue() -> String {
    json!({"eqp": describe(&EQP), "marktplaats": describe(&MARKTPLAATS)}).to_string()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let version = py.version_info();
    sellkit::transport::set_language(format!("python {}.{}", version.major, version.minor));
    // Python programs name a private CA in REQUESTS_CA_BUNDLE (requests, pip, httpx honour it).
    sellkit::transport::set_ca_bundle_names("ca_bundle", "REQUESTS_CA_BUNDLE");
    logging::init(py)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::Client>()?;
    m.add_class::<simulator::Simulator>()?;
    m.add_class::<paginator::Paginator>()?;
    m.add_function(wrap_pyfunction!(client::function, m)?)?;
    m.add_function(wrap_pyfunction!(catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_in_call, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_in_task, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_apply, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_diff, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_validate, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_is_safe_to_repeat, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_parse, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_locale, m)?)?;
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    Ok(())
}

/// `sellkit.locale.resolve`: the locale of a request on `platform`.
#[pyfunction]
#[pyo3(signature = (platform, entity_locale = None, user_locale = None))]
fn resolve_locale(py: Python<'_>, platform: &str, entity_locale: Option<&str>, user_locale: Option<&str>) -> PyResult<String> {
    sellkit::locale::resolve(platform, entity_locale, user_locale).map(|l| l.as_str().to_owned()).map_err(|e| errors::to_pyerr(py, &e))
}

/// The `sellkit` command (the console script and `python -m sellkit`): runs it with `argv` (the
/// program's name first) and returns its exit code. It is the Rust program's own `main`, so the
/// command behaves the same however it was installed; the GIL is released while it runs.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| sellkit_cli::main(argv))
}
