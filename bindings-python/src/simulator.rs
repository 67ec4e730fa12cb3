//! `sellkit._native.Simulator`: the loopback simulator of `sellkit-simulator`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::prelude::*;
use sellkit_simulator::SimulatorConfig;

use crate::convert::{args_to_json, to_py};
use crate::errors::{invalid_input, to_pyerr};

fn parse_verdict(py: Python<'_>, v: &str) -> PyResult<sellkit_simulator::Verdict> {
    match v {
        "pass" => Ok(sellkit_simulator::Verdict::Pass),
        "fail" => Ok(sellkit_simulator::Verdict::Fail),
        other => Err(invalid_input(py, "verdict", format!("expected \"pass\" or \"fail\", got {other:?}"))),
    }
}

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

/// A refused control call as an `InvalidInputError` naming `field`; an advertisement the API
/// would refuse names the API's field errors instead (paths in the ad, as `ads.create` does).
fn sim_error(py: Python<'_>, field: &str, e: sellkit_simulator::SimError) -> PyErr {
    let err = match &e {
        sellkit_simulator::SimError::InvalidAd { details } => {
            let text = |d: &serde_json::Value, k: &str| d.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
            let details = details
                .iter()
                .map(|d| sellkit::FieldDetail { field: text(d, "field"), code: text(d, "code"), message: text(d, "message"), value: None })
                .collect();
            sellkit::Error::new(sellkit::ErrorKind::InvalidInput, e.to_string()).with_details(details)
        }
        _ => sellkit::Error::invalid_input(field, e.to_string()),
    };
    to_pyerr(py, &err)
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

    /// Every route served, as `METHOD /path/{param}` (the names counters and faults use).
    fn routes(&self) -> Vec<String> {
        self.with(|s| s.routes().iter().map(|r| r.name()).collect())
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
    fn fail_next(&self, py: Python<'_>, route: &str, count: u32, status: u16, retry_after: Option<&str>) -> PyResult<()> {
        self.with(|s| s.fail_next(route, count, status, retry_after)).map_err(|e| sim_error(py, "route", e))
    }
    #[pyo3(signature = (route, fault, count = 1, stall = 5.0))]
    fn inject_fault(&self, py: Python<'_>, route: &str, fault: &str, count: u32, stall: f64) -> PyResult<()> {
        let stall = duration(py, "stall", stall)?;
        let action = sellkit_simulator::FaultAction::parse(fault, stall).map_err(|m| crate::errors::invalid_input(py, "fault", m.to_string()))?;
        self.with(|s| s.inject(route, sellkit_simulator::Fault { count, action })).map_err(|e| sim_error(py, "route", e))
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

    fn issued_eqp_tokens(&self) -> Vec<String> {
        self.with(|s| s.issued_eqp_tokens())
    }
    fn max_in_flight(&self, route: &str) -> u64 {
        self.with(|s| s.max_in_flight(route))
    }
    fn requests(&self, route: &str) -> Vec<String> {
        self.with(|s| s.requests(route))
    }
    fn set_eqp_scan_delay(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        let d = duration(py, "seconds", seconds)?;
        self.with(|s| s.set_eqp_scan_delay(d));
        Ok(())
    }
    fn set_eqp_scan_verdict(&self, py: Python<'_>, verdict: &str) -> PyResult<()> {
        let v = parse_verdict(py, verdict)?;
        self.with(|s| s.set_eqp_scan_verdict(v));
        Ok(())
    }
    #[pyo3(signature = (seconds))]
    fn set_eqp_review_delay(&self, py: Python<'_>, seconds: Option<f64>) -> PyResult<()> {
        let d = seconds.map(|x| duration(py, "seconds", x)).transpose()?;
        self.with(|s| s.set_eqp_review_delay(d));
        Ok(())
    }
    fn set_eqp_review_verdict(&self, py: Python<'_>, verdict: &str) -> PyResult<()> {
        let v = parse_verdict(py, verdict)?;
        self.with(|s| s.set_eqp_review_verdict(v));
        Ok(())
    }
    #[pyo3(signature = (submission_id, track, verdict = "pass"))]
    fn complete_eqp_review(&self, py: Python<'_>, submission_id: &str, track: &str, verdict: &str) -> PyResult<bool> {
        let v = parse_verdict(py, verdict)?;
        Ok(self.with(|s| s.complete_eqp_review(submission_id, track, v)))
    }
    fn callback_deliveries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list: Vec<serde_json::Value> = self
            .with(|s| s.callback_deliveries())
            .into_iter()
            .map(|d| serde_json::json!({"url": d.url, "body": d.body, "status": d.status, "error": d.error}))
            .collect();
        to_py(py, &serde_json::Value::Array(list))
    }
    fn eqp_package_count(&self) -> usize {
        self.with(|s| s.eqp_package_count())
    }

    fn marktplaats_url(&self, py: Python<'_>, platform: &str) -> PyResult<String> {
        // The simulator panics on a name it does not serve: read it as the SDK does first, so
        // that a wrong name is an InvalidInputError and a known spelling its canonical name.
        let platform: sellkit::locale::Platform = platform.parse().map_err(|e| to_pyerr(py, &e))?;
        Ok(self.with(|s| s.marktplaats_url(platform.as_str())))
    }
    #[getter]
    fn mp_client_id(&self) -> &'static str {
        sellkit_simulator::MP_CLIENT_ID
    }
    #[getter]
    fn mp_client_secret(&self) -> &'static str {
        sellkit_simulator::MP_CLIENT_SECRET
    }
    #[getter]
    fn mp_user_id(&self) -> i64 {
        self.with(|s| s.mp_user_id())
    }
    fn set_mp_token_lifetime(&self, seconds: u64) {
        self.with(|s| s.set_mp_token_lifetime(seconds))
    }
    fn set_mp_refresh_rotation(&self, on: bool) {
        self.with(|s| s.set_mp_refresh_rotation(on))
    }
    fn mp_refresh_stats(&self) -> BTreeMap<&'static str, u64> {
        let st = self.with(|s| s.mp_refresh_stats());
        BTreeMap::from([
            ("refreshes", st.refreshes),
            ("rotations", st.rotations),
            ("reuse_detections", st.reuse_detections),
            ("unused_refresh_tokens", st.unused_refresh_tokens),
        ])
    }
    fn requests_during_backoff(&self) -> u64 {
        self.with(|s| s.requests_during_backoff())
    }
    fn set_mp_image_delay(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        let d = duration(py, "seconds", seconds)?;
        self.with(|s| s.set_mp_image_delay(d));
        Ok(())
    }
    #[pyo3(signature = (url, secret))]
    fn set_mp_webhook(&self, url: Option<&str>, secret: &str) {
        self.with(|s| s.set_mp_webhook(url, secret))
    }
    fn mp_webhook_deliveries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list: Vec<serde_json::Value> = self
            .with(|s| s.mp_webhook_deliveries())
            .into_iter()
            .map(|d| serde_json::json!({"event_id": d.event_id, "event_type": d.event_type, "status": d.status}))
            .collect();
        to_py(py, &serde_json::Value::Array(list))
    }
    /// Approve an authorization URL as the demo user would: `(code, state)`.
    fn mp_approve(&self, py: Python<'_>, url: &str) -> PyResult<(String, Option<String>)> {
        self.with(|s| s.mp_approve(url)).map_err(|e| sim_error(py, "url", e))
    }
    #[pyo3(signature = (platform, item_id, amount, nick_name = "bidder"))]
    fn mp_place_bid(&self, py: Python<'_>, platform: &str, item_id: &str, amount: i64, nick_name: &str) -> PyResult<i64> {
        self.with(|s| s.mp_place_bid(platform, item_id, amount, nick_name)).map_err(|e| {
            let field = if matches!(e, sellkit_simulator::SimError::UnknownPlatform { .. }) { "platform" } else { "item_id" };
            sim_error(py, field, e)
        })
    }
    fn mp_send_webhook(&self, event_type: &str, event_data: &Bound<'_, PyAny>) -> PyResult<()> {
        let data = args_to_json(event_data).map_err(|e| crate::errors::to_pyerr(event_data.py(), &e))?;
        self.with(|s| s.mp_send_webhook(event_type, data));
        Ok(())
    }
    fn mp_ad<'py>(&self, py: Python<'py>, platform: &str, item_id: &str) -> PyResult<Bound<'py, PyAny>> {
        let ad = self.with(|s| s.mp_ad(platform, item_id));
        to_py(py, &ad.unwrap_or(serde_json::Value::Null))
    }
    /// Ads of another seller (for search); their item ids.
    #[pyo3(signature = (platform, count, title_prefix = "Seeded ad"))]
    fn mp_seed_ads(&self, py: Python<'_>, platform: &str, count: usize, title_prefix: &str) -> PyResult<Vec<String>> {
        self.with(|s| s.mp_seed_ads(platform, count, title_prefix)).map_err(|e| sim_error(py, "platform", e))
    }
    /// Ads of the demo user (under "my ads"); their item ids.
    #[pyo3(signature = (platform, count, title_prefix = "Seeded ad"))]
    fn mp_seed_own_ads(&self, py: Python<'_>, platform: &str, count: usize, title_prefix: &str) -> PyResult<Vec<String>> {
        self.with(|s| s.mp_seed_own_ads(platform, count, title_prefix)).map_err(|e| sim_error(py, "platform", e))
    }
    /// One ad of the demo user from its JSON; its item id.
    fn mp_seed_own_ad(&self, py: Python<'_>, platform: &str, ad: &Bound<'_, PyAny>) -> PyResult<String> {
        let ad = args_to_json(ad).map_err(|e| to_pyerr(py, &e))?;
        self.with(|s| s.mp_seed_own_ad(platform, ad)).map_err(|e| {
            let field = if matches!(e, sellkit_simulator::SimError::UnknownPlatform { .. }) { "platform" } else { "ad" };
            sim_error(py, field, e)
        })
    }
    fn mp_set_ad_expiry(&self, platform: &str, item_id: &str, days: i64) -> bool {
        self.with(|s| s.mp_set_ad_expiry(platform, item_id, days))
    }
    fn issued_mp_tokens(&self) -> Vec<String> {
        self.with(|s| s.issued_mp_tokens())
    }

    /// Shut the server down (idempotent); counters stay readable.
    fn stop(&self, py: Python<'_>) {
        py.detach(|| self.with(|s| s.stop()))
    }
}
