//! `sellkit._native`: the pyo3 module behind the `sellkit` Python package.
//!
//! Conversion only: values and errors cross here, every rule lives in the `sellkit` crate.

// `sellkit::Error` is returned unboxed, as core does.
#![allow(clippy::result_large_err)]

mod convert;
mod eqp_client;
mod errors;
mod logging;
mod patch;
mod mp_client;
mod operations;
mod paginator;
mod runtime;
mod simulator;
mod upload;

use pyo3::prelude::*;

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
        return runtime::future_into_py(py, async move {
            sellkit::call_that_panics(message).await.map(|_| ()).map_err(|e| Python::attach(|py| errors::to_pyerr(py, &e)))
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

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let version = py.version_info();
    sellkit::transport::set_language(format!("python {}.{}", version.major, version.minor));
    logging::init_from_env();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<eqp_client::EqpClient>()?;
    m.add_class::<simulator::Simulator>()?;
    m.add_class::<mp_client::MarktplaatsClient>()?;
    m.add_class::<paginator::Paginator>()?;
    m.add_function(wrap_pyfunction!(eqp_client::eqp_parse_callback, m)?)?;
    m.add_function(wrap_pyfunction!(mp_client::mp_call_static, m)?)?;
    m.add_function(wrap_pyfunction!(mp_client::mp_verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(mp_client::mp_sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_in_call, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_in_task, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_apply, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_diff, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_validate, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_is_safe_to_repeat, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_parse, m)?)?;
    Ok(())
}
