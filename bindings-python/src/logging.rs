//! Opt-in logs: sellkit logs through `tracing`, and this package writes them to stderr when
//! `SELLKIT_LOG` holds a filter such as `debug`, `trace` or `sellkit=debug,reqwest=info`. Logs
//! name methods, paths, statuses and timings, never header values or bodies.

use std::sync::Once;

/// Install a stderr subscriber filtered by `SELLKIT_LOG`, once; does nothing when it is unset.
pub(crate) fn init_from_env() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let Ok(filter) = std::env::var("SELLKIT_LOG") else { return };
        if filter.trim().is_empty() {
            return;
        }
        let filter = tracing_subscriber::EnvFilter::try_new(&filter)
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("sellkit=debug"));
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).try_init();
    });
}
