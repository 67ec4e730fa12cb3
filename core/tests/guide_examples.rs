//! The Rust code of docs/guides/networks-and-logging.md, as it is in
//! examples/guides/networks-and-logging/tracing_subscriber.rs, run against the simulator with
//! the credentials in the environment: it logs its requests through the subscriber it installs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use sellkit_simulator::Simulator;

#[path = "../../examples/guides/networks-and-logging/tracing_subscriber.rs"]
mod example;

/// Everything the subscriber writes, kept.
#[derive(Clone, Default)]
struct Kept(Arc<Mutex<Vec<u8>>>);

impl Write for Kept {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// The only test of this binary: it sets the process's environment and its global subscriber.
#[test]
fn the_guide_example_logs_its_requests_and_no_secret() {
    let sim = Simulator::start(Default::default()).unwrap();
    std::env::set_var("SELLKIT_EQP_APP_ID", sim.eqp_app_id());
    std::env::set_var("SELLKIT_EQP_APP_SECRET", sim.eqp_app_secret());
    std::env::set_var("SELLKIT_EQP_BASE_URL", sim.eqp_url());
    std::env::remove_var("RUST_LOG");
    // The example's own subscriber writes to stderr; this one keeps the same lines to check them.
    let kept = Kept::default();
    let writer = kept.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn,sellkit=info,sellkit::http=debug"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mage_id, packages) = runtime.block_on(async { example::run(&example::client()?).await }).unwrap();
    assert_eq!(mage_id, sim.eqp_mage_id());
    assert_eq!(packages, 0);
    let text = String::from_utf8(kept.0.lock().unwrap().clone()).unwrap();
    let profile = format!("request{{method=GET path=\"/rest/v1/users/{}\"", sim.eqp_mage_id());
    assert!(text.contains(&profile), "{text}");
    assert!(text.contains("path=\"/rest/v1/products/packages\""), "the query is left out: {text}");
    assert!(!text.contains(sim.eqp_app_secret()), "{text}");
    for token in sim.issued_eqp_tokens() {
        assert!(!text.contains(&token), "{text}");
    }
}
