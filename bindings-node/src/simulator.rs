//! The simulator, started from JS (`startSimulator()` in `lib/simulator.js`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Error, Result, Status};
use napi_derive::napi;
use sellkit_simulator::{Simulator, SimulatorConfig};

#[napi(object)]
pub struct SimulatorOptions {
    /// Added to every response, in milliseconds.
    pub latency: Option<f64>,
    /// Longest EQP session granted, in seconds.
    pub eqp_max_token_lifetime: Option<i64>,
}

/// A running simulator. `stop()` shuts it down off the JS thread; counters stay readable.
#[napi]
pub struct NativeSimulator {
    /// `None` only while `stop()` runs.
    sim: Arc<Mutex<Option<Simulator>>>,
    url: String,
}

fn millis(name: &str, ms: f64) -> Result<Duration> {
    if !ms.is_finite() || ms < 0.0 {
        return Err(Error::new(Status::InvalidArg, format!("{name} must be a finite number of milliseconds ≥ 0")));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

fn seconds(name: &str, s: i64) -> Result<u64> {
    u64::try_from(s).map_err(|_| Error::new(Status::InvalidArg, format!("{name} must not be negative")))
}

#[napi]
impl NativeSimulator {
    #[napi(factory, catch_unwind)]
    pub fn start(options: Option<SimulatorOptions>) -> Result<NativeSimulator> {
        let mut config = SimulatorConfig::default();
        if let Some(o) = options {
            if let Some(ms) = o.latency {
                config.latency = millis("latency", ms)?;
            }
            if let Some(s) = o.eqp_max_token_lifetime {
                config.eqp_max_token_lifetime = seconds("eqpMaxTokenLifetime", s)?;
            }
        }
        let sim = Simulator::start(config)
            .map_err(|e| Error::new(Status::GenericFailure, format!("could not start the simulator: {e}")))?;
        let url = sim.url();
        Ok(NativeSimulator { sim: Arc::new(Mutex::new(Some(sim))), url })
    }

    fn with<T>(&self, f: impl FnOnce(&Simulator) -> T) -> Result<T> {
        let guard = self.sim.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(sim) => Ok(f(sim)),
            None => Err(Error::new(Status::GenericFailure, "the simulator is stopping")),
        }
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }
    #[napi(getter)]
    pub fn eqp_url(&self) -> String {
        self.url.clone()
    }
    #[napi(getter)]
    pub fn eqp_app_id(&self) -> &'static str {
        sellkit_simulator::EQP_APP_ID
    }
    #[napi(getter)]
    pub fn eqp_app_secret(&self) -> &'static str {
        sellkit_simulator::EQP_APP_SECRET
    }
    #[napi(getter)]
    pub fn eqp_mage_id(&self) -> &'static str {
        sellkit_simulator::EQP_MAGE_ID
    }

    #[napi]
    pub fn fail_next(&self, route: String, count: u32, status: u32, retry_after: Option<String>) -> Result<()> {
        let status = u16::try_from(status)
            .ok()
            .filter(|s| (100..=999).contains(s))
            .ok_or_else(|| Error::new(Status::InvalidArg, format!("status must be an HTTP status, got {status}")))?;
        self.with(|s| s.fail_next(&route, count, status, retry_after.as_deref()))
    }
    #[napi]
    pub fn clear_faults(&self) -> Result<()> {
        self.with(Simulator::clear_faults)
    }
    #[napi]
    pub fn set_latency(&self, ms: f64) -> Result<()> {
        let latency = millis("latency", ms)?;
        self.with(|s| s.set_latency(latency))
    }
    #[napi]
    pub fn expire_all_tokens(&self) -> Result<()> {
        self.with(Simulator::expire_all_tokens)
    }
    #[napi]
    pub fn set_eqp_max_token_lifetime(&self, seconds_: i64) -> Result<()> {
        let s = seconds("seconds", seconds_)?;
        self.with(|sim| sim.set_eqp_max_token_lifetime(s))
    }
    #[napi]
    pub fn request_count(&self, route: String) -> Result<f64> {
        self.with(|s| s.request_count(&route) as f64)
    }
    /// Counts per route, as a JSON object.
    #[napi]
    pub fn request_counts_json(&self) -> Result<String> {
        self.with(|s| {
            let counts: serde_json::Map<String, serde_json::Value> =
                s.request_counts().into_iter().map(|(k, v)| (k, v.into())).collect();
            serde_json::Value::Object(counts).to_string()
        })
    }
    #[napi]
    pub fn reset_counters(&self) -> Result<()> {
        self.with(Simulator::reset_counters)
    }

    /// Shut the server down (waiting for its thread off the JS thread).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn stop<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let slot = self.sim.clone();
        env.spawn_future(async move {
            let taken = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(mut sim) = taken {
                let sim = tokio::task::spawn_blocking(move || {
                    sim.stop();
                    sim
                })
                .await
                .map_err(|e| Error::new(Status::GenericFailure, format!("stopping the simulator failed: {e}")))?;
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(sim);
            }
            Ok(())
        })
    }
}
