//! `sellkit._native`: the pyo3 module behind the `sellkit` Python package.
//!
//! Conversion only: values and errors cross here, every rule lives in the `sellkit` crate.

// `sellkit::Error` is returned unboxed, as core does.
#![allow(clippy::result_large_err)]

mod convert;
mod eqp_client;
mod errors;
mod runtime;
mod simulator;

use pyo3::prelude::*;

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
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    Ok(())
}
