//! Secrets never reach logs captured at the most verbose level, `Debug` output or errors.
//! In its own test binary so that the global log subscriber sees every thread.

use std::sync::{Arc, Mutex};

use sellkit::eqp::Client;
use sellkit_simulator::Simulator;

const USER_ROUTE: &str = "GET /rest/v1/users/{mage_id}";

fn client(sim: &Simulator) -> Client {
    Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build().unwrap()
}

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_logs() {
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = {
        let logs = logs.clone();
        move || LogWriter(logs.clone())
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(writer)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let sim = Simulator::start(Default::default()).unwrap();
    let c = client(&sim);
    c.users().get(None).await.unwrap();
    sim.fail_next(USER_ROUTE, 1, 401, None).unwrap();
    c.users().get(None).await.unwrap();
    sim.fail_next(USER_ROUTE, 1, 503, Some("0")).unwrap();
    c.users().get(None).await.unwrap();
    sim.fail_next(USER_ROUTE, 2, 401, None).unwrap();
    let auth_error = c.users().get(None).await.unwrap_err();
    let bad = Client::builder().app_id(sim.eqp_app_id()).app_secret("wrong-secret-xyz").base_url(sim.eqp_url()).build().unwrap();
    let refused = bad.authenticate().await.unwrap_err();

    let tokens = sim.issued_eqp_tokens();
    assert!(tokens.len() >= 3, "{tokens:?}");
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("request{method=GET") && logs.contains("sellkit::auth: token fetched"), "logs were captured");
    let texts = [
        logs,
        format!("{c:?}"),
        format!("{auth_error:?} {auth_error}"),
        format!("{refused:?} {refused}"),
        format!("{:?}", auth_error.body()),
    ];
    for text in &texts {
        for secret in tokens.iter().map(String::as_str).chain([sim.eqp_app_secret(), "wrong-secret-xyz"]) {
            assert!(!text.contains(secret), "a secret leaked into: {}", &text[..text.len().min(300)]);
        }
    }
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
