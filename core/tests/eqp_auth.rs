//! EQP authentication, token management, retries and input checks against the simulator.

use std::time::{Duration, Instant};

use sellkit::eqp::{CallOptions, Client, ProfileStyle};
use sellkit::ErrorKind;
use sellkit_simulator::{Fault, Simulator, SimulatorConfig};
use serde_json::json;

const TOKEN_ROUTE: &str = "POST /rest/v1/app/session/token";
const USER_ROUTE: &str = "GET /rest/v1/users/{mage_id}";

fn client(sim: &Simulator) -> Client {
    Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build().unwrap()
}

#[tokio::test]
async fn profile_full_summary_and_update() {
    let sim = Simulator::start(Default::default()).unwrap();
    let c = client(&sim);
    assert_eq!(c.mage_id(), None);
    let full = c.users().get(None).await.unwrap();
    assert_eq!(c.mage_id().as_deref(), Some("MAG123456789"));
    assert!(full.get("company_profile").is_some(), "full profile has company_profile");
    let summary = c.users().get(Some(ProfileStyle::Summary)).await.unwrap();
    assert!(summary.get("company_profile").is_none());
    assert_eq!(summary.screen_name(), Some("Agent Smith"));

    let fields = json!({"action": "draft", "personal_profile": {"bio": "New bio"}});
    let updated = c.users().update(fields.as_object().unwrap().clone()).await.unwrap();
    assert_eq!(updated.get("personal_profile").unwrap()["bio"], "New bio");
    // Other members of the nested object survive the partial update.
    assert!(updated.get("personal_profile").unwrap().get("social_media_info").is_some());
    let again = c.users().get(None).await.unwrap();
    assert_eq!(again.get("personal_profile").unwrap()["bio"], "New bio");
    assert_eq!(sim.request_count(TOKEN_ROUTE), 1, "one token served every call");
}

#[tokio::test]
async fn a_replay_after_a_401_keeps_an_earlier_unknown_outcome() {
    const UPDATE: &str = "PUT /rest/v1/users/{mage_id}";
    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    // The first PUT is applied and its answer lost; the retry meets a 401; the replay with a
    // fresh token fails plainly. The call must not say that nothing happened.
    sim.inject(UPDATE, Fault::drop_after(1)).unwrap();
    sim.fail_next(UPDATE, 1, 401, None).unwrap();
    sim.fail_next(UPDATE, 1, 404, None).unwrap();
    let fields = json!({"action": "draft", "personal_profile": {"bio": "Applied once"}});
    let e = c.users().update(fields.as_object().unwrap().clone()).await.unwrap_err();
    assert_eq!(e.status(), Some(404), "{e}");
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(sim.request_count(UPDATE), 3);
    assert_eq!(sim.request_count(TOKEN_ROUTE), 2, "one refresh after the 401");
    assert_eq!(c.users().get(None).await.unwrap().get("personal_profile").unwrap()["bio"], "Applied once");
}

#[tokio::test]
async fn fifty_concurrent_calls_after_expiry_cause_one_token_request() {
    let sim = Simulator::start(Default::default()).unwrap();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    for _ in 0..20 {
        c.users().get(Some(ProfileStyle::Summary)).await.unwrap();
    }
    assert_eq!(sim.request_count(TOKEN_ROUTE), 1);

    sim.expire_all_tokens();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.users().get(Some(ProfileStyle::Summary)).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(sim.request_count(TOKEN_ROUTE), 2, "exactly one refresh for 50 waiting calls");
    assert_eq!(c.token_requests(), 2);
}

#[tokio::test]
async fn token_refreshed_ahead_of_a_short_lifetime() {
    // The server grants at most 2 s: the client refreshes 1 s before expiry, so a call after
    // 1.2 s uses a new token without ever seeing a 401.
    let sim = Simulator::start(SimulatorConfig { eqp_max_token_lifetime: 2, ..Default::default() }).unwrap();
    let c = Client::builder()
        .app_id(sim.eqp_app_id())
        .app_secret(sim.eqp_app_secret())
        .base_url(sim.eqp_url())
        .token_lifetime(3600)
        .build()
        .unwrap();
    c.users().get(None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    c.users().get(None).await.unwrap();
    assert_eq!(sim.request_count(TOKEN_ROUTE), 2);
    assert_eq!(sim.request_count(USER_ROUTE), 2, "no call was refused and replayed");
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let sim = Simulator::start(Default::default()).unwrap();
    let c = client(&sim);
    c.authenticate().await.unwrap();

    sim.fail_next(USER_ROUTE, 1, 503, Some("1")).unwrap();
    let started = Instant::now();
    c.users().get(None).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950), "waited the Retry-After");
    assert_eq!(sim.request_count(USER_ROUTE), 2);

    sim.fail_next(USER_ROUTE, 1, 429, Some("120")).unwrap();
    let started = Instant::now();
    let e = c.users().get(None).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1), "failed at once");
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(e.status(), Some(429));
    assert_eq!(sim.request_count(USER_ROUTE), 3);

    // An HTTP date works as well as seconds.
    let date = httpdate_in(Duration::from_secs(3600));
    sim.fail_next(USER_ROUTE, 1, 503, Some(&date)).unwrap();
    let e = c.users().get(None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert!(e.retry_after().unwrap() > Duration::from_secs(3500));
}

fn httpdate_in(d: Duration) -> String {
    // RFC 7231 IMF-fixdate, computed by hand to avoid a test-only dependency.
    let t = std::time::SystemTime::now() + d;
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let days = secs / 86400;
    let (h, m, s) = ((secs % 86400) / 3600, (secs % 3600) / 60, secs % 60);
    // Civil-from-days (Howard Hinnant).
    let z = days as i64 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(month - 1) as usize];
    format!("{weekday}, {day:02} {mon} {year} {h:02}:{m:02}:{s:02} GMT")
}

#[tokio::test]
async fn bad_settings_send_nothing() {
    let sim = Simulator::start(Default::default()).unwrap();
    let cases = [
        (Client::builder().app_id("").app_secret("s").base_url(sim.eqp_url()).build(), "app_id"),
        (Client::builder().app_id("id").app_secret("s").base_url("http://api.example.com").build(), "base_url"),
        (Client::builder().app_id("id").app_secret("s").environment_name("staging").build(), "environment"),
    ];
    for (result, field) in cases {
        let e = result.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some(field), "{e}");
    }
    let c = client(&sim);
    let e = c.request("FETCH", "/rest/v1/x", None).await.unwrap_err();
    assert_eq!(e.field(), Some("method"));
    let e = c.request("GET", "rest/v1/x", None).await.unwrap_err();
    assert_eq!(e.field(), Some("path"));
    let e = c.request("GET", "https://elsewhere.example.com/rest/v1/x", None).await.unwrap_err();
    assert_eq!(e.field(), Some("path"));
    assert!(sim.request_counts().is_empty(), "nothing was sent: {:?}", sim.request_counts());
}

#[tokio::test]
async fn connection_refused_is_retried_then_typed() {
    // A port nobody listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::builder()
        .app_id("id")
        .app_secret("secret")
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .build()
        .unwrap();
    let e = c.authenticate().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(e.is_retryable());
    assert!(e.status().is_none());
}

#[tokio::test]
async fn slow_response_times_out() {
    let sim = Simulator::start(Default::default()).unwrap();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    sim.set_latency(Duration::from_millis(800));
    let quick = c.with_options(CallOptions { timeout: Some(Duration::from_millis(200)), max_retries: Some(0) }).unwrap();
    let started = Instant::now();
    let e = quick.users().get(None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_millis(700));
    // The original client keeps its own (longer) timeout.
    c.users().get(None).await.unwrap();
}
