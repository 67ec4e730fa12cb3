//! `sellkit._native`: the pyo3 module behind the `sellkit` Python package.
//!
//! Conversion only: values and errors cross here, every rule lives in the `sellkit` crate.

// `sellkit::Error` is returned unboxed, as core does.
#![allow(clippy::result_large_err)]

mod convert;
mod eqp_client;
mod errors;
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

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let version = py.version_info();
    sellkit::transport::set_language(format!("python {}.{}", version.major, version.minor));
    sellkit::logging::init_from_env();
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
    m.add_function(wrap_pyfunction!(patch::patch_apply, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_diff, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_validate, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_is_safe_to_repeat, m)?)?;
    m.add_function(wrap_pyfunction!(patch::patch_parse, m)?)?;
    Ok(())
}
