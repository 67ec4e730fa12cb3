//! The soak run: a mixed workload through the public API of both clients against the simulator
//! while a share of the responses is faulted, then a comparison of the simulator's state with
//! what the clients reported.
//!
//! Every operation's outcome is one of three: success, a typed failure that changed nothing, or
//! a typed failure with [`sellkit::Error::outcome_unknown`] set (the request reached the server
//! and no answer came). At the end each object the workload touched (EQP file, EQP package,
//! Marktplaats ad, ad image) is looked up in the simulator:
//! - **lost**: a success whose object is missing or does not hold the reported value, or a
//!   failure said to have changed nothing whose object exists (or whose value was applied);
//! - **duplicated**: an object that exists more than once;
//! - an unknown outcome may have been applied or not, but never twice.

mod ledger;
mod logs;
mod sync;
mod workload;

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

pub use logs::{find_secrets, install_trace_log};
pub use sync::{run_sync, SyncConfig, SyncReport};
pub use workload::run;

/// What a soak run does.
#[derive(Debug, Clone)]
pub struct Config {
    /// Operations in all (each one public API call).
    pub operations: usize,
    /// Operations in flight at once.
    pub concurrency: usize,
    /// Share of the requests answered with a fault (the token endpoints' share is smaller).
    pub fault_rate: f64,
    pub seed: u64,
    /// The clients' per-request timeout; a stalled response is held longer than this.
    pub timeout: Duration,
    /// Every client's token is expired after this many operations.
    pub expire_tokens_every: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            operations: 10_000,
            concurrency: 32,
            fault_rate: 0.12,
            seed: 20261122,
            timeout: Duration::from_secs(2),
            expire_tokens_every: 500,
        }
    }
}

/// The figures of a run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub operations: u64,
    pub succeeded: u64,
    /// Typed failures that changed nothing on the server.
    pub failed_typed: u64,
    /// Typed failures with `outcome_unknown` set.
    pub failed_outcome_unknown: u64,
    /// Of the objects whose outcome was unknown, how many the server had made.
    pub unknown_applied: u64,
    pub unknown_objects: u64,
    pub lost: u64,
    pub duplicated: u64,
    /// Failures that were not a typed sellkit error (an internal error or a panic).
    pub untyped: u64,
    /// Operations by kind: (succeeded, failed).
    pub by_kind: BTreeMap<&'static str, (u64, u64)>,
    /// Failures by error code.
    pub failures_by_code: BTreeMap<String, u64>,
    /// Objects checked at the end, by kind.
    pub objects_checked: BTreeMap<&'static str, u64>,
    /// What was wrong, one line per lost or duplicated object (empty when all is well).
    pub problems: Vec<String>,
    pub requests: u64,
    pub faults: BTreeMap<String, u64>,
    pub eqp_token_requests: u64,
    pub mp_token_requests: u64,
    /// Times every token was expired at once by the run.
    pub forced_expiries: u64,
    /// Tokens handed to `on_token` (Marktplaats refresh-token rotations and code exchanges).
    pub mp_token_sets_seen: u64,
    pub clients: u64,
    pub elapsed: Duration,
}

impl Report {
    pub fn faults_total(&self) -> u64 {
        self.faults.values().sum()
    }
    /// Share of all requests that got a fault.
    pub fn fault_share(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.faults_total() as f64 / self.requests as f64
        }
    }
    /// Nothing lost, nothing duplicated, every failure typed.
    pub fn is_clean(&self) -> bool {
        self.lost == 0 && self.duplicated == 0 && self.untyped == 0
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "soak: {} operations in {:.1} s through {} clients", self.operations, self.elapsed.as_secs_f64(), self.clients)?;
        writeln!(f, "  succeeded                      {}", self.succeeded)?;
        writeln!(f, "  failed with a typed error      {}", self.failed_typed + self.failed_outcome_unknown)?;
        writeln!(f, "    of which outcome unknown     {}", self.failed_outcome_unknown)?;
        writeln!(f, "  lost                           {}", self.lost)?;
        writeln!(f, "  duplicated                     {}", self.duplicated)?;
        writeln!(f, "  untyped errors                 {}", self.untyped)?;
        writeln!(
            f,
            "  objects of unknown outcome     {} (the server had made {}, none twice)",
            self.unknown_objects, self.unknown_applied
        )?;
        writeln!(f, "  requests                       {}", self.requests)?;
        writeln!(f, "  faulted responses              {} ({:.1}%)", self.faults_total(), 100.0 * self.fault_share())?;
        for (kind, n) in &self.faults {
            writeln!(f, "    {kind:<28} {n}")?;
        }
        writeln!(f, "  token expiries forced          {} (every client's token each time)", self.forced_expiries)?;
        writeln!(f, "  token requests                 EQP {}, Marktplaats {}", self.eqp_token_requests, self.mp_token_requests)?;
        writeln!(f, "  Marktplaats token sets stored  {} (each rotation handed to on_token)", self.mp_token_sets_seen)?;
        writeln!(f, "  operations by kind (ok / failed):")?;
        for (kind, (ok, failed)) in &self.by_kind {
            writeln!(f, "    {kind:<28} {ok} / {failed}")?;
        }
        writeln!(f, "  failures by code:")?;
        for (code, n) in &self.failures_by_code {
            writeln!(f, "    {code:<28} {n}")?;
        }
        writeln!(f, "  objects checked:")?;
        for (kind, n) in &self.objects_checked {
            writeln!(f, "    {kind:<28} {n}")?;
        }
        for p in &self.problems {
            writeln!(f, "  PROBLEM: {p}")?;
        }
        Ok(())
    }
}
