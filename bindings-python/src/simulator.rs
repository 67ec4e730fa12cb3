//! `sellkit._native.Simulator`: the loopback simulator of `sellkit-simulator`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::prelude::*;
use sellkit_simulator::SimulatorConfig;

use crate::errors::invalid_input;

#[pyclass(module = "sellkit._native", name = "Simulator", frozen)]
pub struct Simulator {
    inner: Mutex<sellkit_simulator::Simulator>,
    url: String,
}

impl Simulator {
    fn with<T>(&self, f: impl FnOnce(&mut sellkit_simulator::Simulator) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn duration(py: Python<'_>, name: &str, seconds: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| invalid_input(py, name, format!("must be a non-negative number of seconds, got {seconds}")))
}

fn lifetime(py: Python<'_>, seconds: i64) -> PyResult<u64> {
    u64::try_from(seconds)
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| invalid_input(py, "eqp_max_token_lifetime", "must be a positive number of seconds"))
}

#[pymethods]
impl Simulator {
    /// Start serving on a free loopback port.
    #[new]
    #[pyo3(signature = (*, latency = 0.0, eqp_max_token_lifetime = 7200))]
    fn new(py: Python<'_>, latency: f64, eqp_max_token_lifetime: i64) -> PyResult<Simulator> {
        let config = SimulatorConfig {
            latency: duration(py, "latency", latency)?,
            eqp_max_token_lifetime: lifetime(py, eqp_max_token_lifetime)?,
            ..SimulatorConfig::default()
        };
        let sim = py
            .detach(|| sellkit_simulator::Simulator::start(config))
            .map_err(|e| pyo3::exceptions::PyOSError::new_err(format!("could not start the simulator: {e}")))?;
        let url = sim.url();
        Ok(Simulator { inner: Mutex::new(sim), url })
    }

    #[getter]
    fn url(&self) -> String {
        self.url.clone()
    }
    #[getter]
    fn eqp_url(&self) -> String {
        self.with(|s| s.eqp_url())
    }
    #[getter]
    fn eqp_app_id(&self) -> &'static str {
        sellkit_simulator::EQP_APP_ID
    }
    #[getter]
    fn eqp_app_secret(&self) -> &'static str {
        sellkit_simulator::EQP_APP_SECRET
    }
    #[getter]
    fn eqp_mage_id(&self) -> &'static str {
        sellkit_simulator::EQP_MAGE_ID
    }

    fn request_counts(&self) -> BTreeMap<String, u64> {
        self.with(|s| s.request_counts())
    }
    fn request_count(&self, route: &str) -> u64 {
        self.with(|s| s.request_count(route))
    }
    fn reset_counters(&self) {
        self.with(|s| s.reset_counters())
    }

    #[pyo3(signature = (route, count = 1, status = 503, retry_after = None))]
    fn fail_next(&self, route: &str, count: u32, status: u16, retry_after: Option<&str>) {
        self.with(|s| s.fail_next(route, count, status, retry_after))
    }
    fn clear_faults(&self) {
        self.with(|s| s.clear_faults())
    }
    fn set_latency(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        let latency = duration(py, "seconds", seconds)?;
        self.with(|s| s.set_latency(latency));
        Ok(())
    }
    fn expire_all_tokens(&self) {
        self.with(|s| s.expire_all_tokens())
    }
    fn set_eqp_max_token_lifetime(&self, py: Python<'_>, seconds: i64) -> PyResult<()> {
        let seconds = lifetime(py, seconds)?;
        self.with(|s| s.set_eqp_max_token_lifetime(seconds));
        Ok(())
    }

    /// Shut the server down (idempotent); counters stay readable.
    fn stop(&self, py: Python<'_>) {
        py.detach(|| self.with(|s| s.stop()))
    }
}
