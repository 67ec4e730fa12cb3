//! The simulator, started from JS (`startSimulator()` in `lib/simulator.js`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Error, Result, Status};
use napi_derive::napi;
use sellkit_simulator::{Simulator, SimulatorConfig, Verdict};
use serde_json::{json, Value};

fn verdict(v: &str) -> Result<Verdict> {
    match v {
        "pass" => Ok(Verdict::Pass),
        "fail" => Ok(Verdict::Fail),
        other => Err(Error::new(Status::InvalidArg, format!("verdict must be 'pass' or 'fail', got {other:?}"))),
    }
}

fn platform(p: &str) -> Result<()> {
    match p {
        "marktplaats" | "2dehands" | "2ememain" => Ok(()),
        other => Err(Error::new(Status::InvalidArg, format!("unknown platform {other:?} (marktplaats, 2dehands, 2ememain)"))),
    }
}

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
        self.with(|s| s.fail_next(&route, count, status, retry_after.as_deref()))?.map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
    }
    #[napi]
    pub fn inject_fault(&self, route: String, fault: String, count: u32, stall_ms: f64) -> Result<()> {
        let stall = millis("stallMs", stall_ms)?;
        let action = sellkit_simulator::FaultAction::parse(&fault, stall).map_err(|m| Error::new(Status::InvalidArg, m.to_string()))?;
        self.with(|s| s.inject(&route, sellkit_simulator::Fault { count, action }))?.map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
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

    // --- EQP controls ---
    #[napi]
    pub fn set_eqp_scan_delay(&self, ms: f64) -> Result<()> {
        let d = millis("ms", ms)?;
        self.with(|s| s.set_eqp_scan_delay(d))
    }
    #[napi]
    pub fn set_eqp_scan_verdict(&self, v: String) -> Result<()> {
        let v = verdict(&v)?;
        self.with(|s| s.set_eqp_scan_verdict(v))
    }
    /// `null`: reviews wait for `completeEqpReview`.
    #[napi]
    pub fn set_eqp_review_delay(&self, ms: Option<f64>) -> Result<()> {
        let d = ms.map(|ms| millis("ms", ms)).transpose()?;
        self.with(|s| s.set_eqp_review_delay(d))
    }
    #[napi]
    pub fn set_eqp_review_verdict(&self, v: String) -> Result<()> {
        let v = verdict(&v)?;
        self.with(|s| s.set_eqp_review_verdict(v))
    }
    #[napi]
    pub fn complete_eqp_review(&self, submission_id: String, track: String, v: String) -> Result<bool> {
        let v = verdict(&v)?;
        self.with(|s| s.complete_eqp_review(&submission_id, &track, v))
    }
    #[napi]
    pub fn callback_deliveries_json(&self) -> Result<String> {
        self.with(|s| {
            let list: Vec<Value> = s
                .callback_deliveries()
                .into_iter()
                .map(|d| json!({"url": d.url, "body": d.body, "status": d.status, "error": d.error}))
                .collect();
            Value::Array(list).to_string()
        })
    }
    #[napi]
    pub fn requests(&self, route: String) -> Result<Vec<String>> {
        self.with(|s| s.requests(&route))
    }
    #[napi]
    pub fn max_in_flight(&self, route: String) -> Result<f64> {
        self.with(|s| s.max_in_flight(&route) as f64)
    }
    #[napi]
    pub fn eqp_package_count(&self) -> Result<u32> {
        self.with(|s| s.eqp_package_count() as u32)
    }

    // --- Marktplaats controls ---
    #[napi]
    pub fn marktplaats_url(&self, p: String) -> Result<String> {
        platform(&p)?;
        self.with(|s| s.marktplaats_url(&p))
    }
    #[napi(getter)]
    pub fn mp_client_id(&self) -> &'static str {
        sellkit_simulator::MP_CLIENT_ID
    }
    #[napi(getter)]
    pub fn mp_client_secret(&self) -> &'static str {
        sellkit_simulator::MP_CLIENT_SECRET
    }
    #[napi(getter)]
    pub fn mp_user_id(&self) -> i64 {
        sellkit_simulator::MP_USER_ID
    }
    #[napi]
    pub fn set_mp_token_lifetime(&self, seconds_: i64) -> Result<()> {
        let s = seconds("seconds", seconds_)?;
        self.with(|sim| sim.set_mp_token_lifetime(s))
    }
    #[napi]
    pub fn set_mp_refresh_rotation(&self, on: bool) -> Result<()> {
        self.with(|s| s.set_mp_refresh_rotation(on))
    }
    #[napi]
    pub fn set_mp_image_delay(&self, ms: f64) -> Result<()> {
        let d = millis("ms", ms)?;
        self.with(|s| s.set_mp_image_delay(d))
    }
    #[napi]
    pub fn set_mp_webhook(&self, url: Option<String>, secret: String) -> Result<()> {
        self.with(|s| s.set_mp_webhook(url.as_deref(), &secret))
    }
    #[napi]
    pub fn mp_refresh_stats_json(&self) -> Result<String> {
        self.with(|s| {
            let st = s.mp_refresh_stats();
            json!({"refreshes": st.refreshes, "rotations": st.rotations, "reuseDetections": st.reuse_detections,
                   "unusedRefreshTokens": st.unused_refresh_tokens})
            .to_string()
        })
    }
    #[napi]
    pub fn requests_during_backoff(&self) -> Result<f64> {
        self.with(|s| s.requests_during_backoff() as f64)
    }
    #[napi]
    pub fn mp_webhook_deliveries_json(&self) -> Result<String> {
        self.with(|s| {
            let list: Vec<Value> = s
                .mp_webhook_deliveries()
                .into_iter()
                .map(|d| json!({"eventId": d.event_id, "eventType": d.event_type, "status": d.status}))
                .collect();
            Value::Array(list).to_string()
        })
    }
    /// Approve an authorization URL as the demo user would: `{code, state}` as JSON.
    #[napi]
    pub fn mp_approve(&self, url: String) -> Result<String> {
        let (code, state) = self.with(|s| s.mp_approve(&url))?.map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
        Ok(serde_json::json!({ "code": code, "state": state }).to_string())
    }
    #[napi]
    pub fn mp_place_bid(&self, p: String, item_id: String, amount: i64, nick_name: String) -> Result<i64> {
        platform(&p)?;
        self.with(|s| s.mp_place_bid(&p, &item_id, amount, &nick_name))?
            .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
    }
    #[napi]
    pub fn mp_send_webhook(&self, event_type: String, event_data_json: String) -> Result<()> {
        let data: Value = serde_json::from_str(&event_data_json).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
        self.with(|s| s.mp_send_webhook(&event_type, data))
    }
    /// The stored ad as JSON, or null.
    #[napi]
    pub fn mp_ad_json(&self, p: String, item_id: String) -> Result<Option<String>> {
        platform(&p)?;
        self.with(|s| s.mp_ad(&p, &item_id).map(|v| v.to_string()))
    }
    #[napi]
    pub fn mp_seed_ads(&self, p: String, count: u32, title_prefix: String) -> Result<()> {
        platform(&p)?;
        self.with(|s| s.mp_seed_ads(&p, count as usize, &title_prefix))?.map(drop).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
    }
    #[napi]
    pub fn mp_set_ad_expiry(&self, p: String, item_id: String, days: i64) -> Result<bool> {
        platform(&p)?;
        self.with(|s| s.mp_set_ad_expiry(&p, &item_id, days))
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
