//! What sellkit logs through `tracing`, as any subscriber sees it: a `request` span per request
//! (`method`, `path` without the query, `attempt` recorded per attempt) under `sellkit::http`,
//! its answers and retries as events in it, and token events under `sellkit::auth`; never a
//! secret, a token or a header value. Real calls to the simulator.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sellkit::logging::{Fields, AUTH, HTTP};
use sellkit_simulator::Simulator;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const USER_ROUTE: &str = "GET /rest/v1/users/{mage_id}";

/// One event as a subscriber saw it: target, level, its fields, and those of its spans
/// (name, target, fields), outermost first.
#[derive(Debug, Clone)]
struct Seen {
    target: String,
    level: tracing::Level,
    fields: Fields,
    spans: Vec<(String, String, Fields)>,
}

impl Seen {
    fn message(&self) -> &str {
        self.fields.message.as_deref().unwrap_or_default()
    }
    fn text(&self) -> String {
        format!("{self:?}")
    }
}

/// Keeps every event of sellkit's targets.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Seen>>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        ctx.span(id).unwrap().extensions_mut().insert(fields);
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        values.record(ctx.span(id).unwrap().extensions_mut().get_mut::<Fields>().unwrap());
    }
    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with("sellkit::") {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let spans = ctx
            .event_scope(event)
            .map(|scope| {
                scope
                    .from_root()
                    .map(|s| (s.name().to_owned(), s.metadata().target().to_owned(), s.extensions().get::<Fields>().cloned().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        self.0.lock().unwrap().push(Seen { target: event.metadata().target().to_owned(), level: *event.metadata().level(), fields, spans });
    }
}

fn text(v: &sellkit::logging::FieldValue) -> String {
    v.to_string()
}

// One runtime thread: the subscriber is this thread's default, and every client future runs here.
#[tokio::test(flavor = "current_thread")]
async fn requests_are_spans_and_their_answers_events() {
    let capture = Capture::default();
    let _default = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let sim = Simulator::start(Default::default()).unwrap();
    let client = sellkit::eqp::Client::builder()
        .app_id(sim.eqp_app_id())
        .app_secret(sim.eqp_app_secret())
        .base_url(sim.eqp_url())
        .build()
        .unwrap();
    client.users().get(None).await.unwrap();
    sim.fail_next(USER_ROUTE, 1, 503, Some("0")).unwrap();
    client.users().get(None).await.unwrap();
    let filter = sellkit::eqp::PackageFilter::new().with("type", "extension");
    let mut pages = client.packages().list_pages(&filter, sellkit::eqp::ListOptions { limit: None, page_size: Some(5) }).unwrap();
    pages.next_page().await.unwrap();

    let seen = capture.0.lock().unwrap().clone();
    let profile = format!("/rest/v1/users/{}", sim.eqp_mage_id());
    let in_request = |s: &Seen| s.spans.iter().find(|(name, target, _)| name == "request" && target == HTTP).map(|(_, _, f)| f.clone());

    // The retried call: an attempt that failed, a retry, an answer; the span's attempt follows.
    let profile_events: Vec<(String, String)> = seen
        .iter()
        .filter(|s| in_request(s).is_some_and(|f| f.get("path").map(text) == Some(profile.clone())))
        .map(|s| (s.message().to_owned(), text(in_request(s).unwrap().get("attempt").unwrap())))
        .collect();
    let expected: Vec<(String, String)> = [("response", "1"), ("attempt failed", "1"), ("retrying", "1"), ("response", "2")]
        .iter()
        .map(|(m, a)| ((*m).to_owned(), (*a).to_owned()))
        .collect();
    assert_eq!(profile_events, expected);
    let retry = seen.iter().find(|s| s.message() == "retrying").unwrap();
    assert_eq!((retry.target.as_str(), retry.level), (HTTP, tracing::Level::INFO));
    assert_eq!(retry.fields.get("code").map(text).as_deref(), Some("server-error"));
    let answered = seen.iter().rev().find(|s| s.message() == "response" && in_request(s).unwrap().get("path").map(text) == Some(profile.clone())).unwrap();
    assert_eq!(answered.fields.get("status").map(text).as_deref(), Some("200"));
    assert_eq!(in_request(answered).unwrap().get("method").map(text).as_deref(), Some("GET"));

    // The token: its request is a span of its own; the auth events name no token.
    let fetched = seen.iter().find(|s| s.target == AUTH && s.message() == "token fetched").unwrap();
    assert!(fetched.fields.get("ttl_s").is_some());
    assert!(seen.iter().any(|s| in_request(s).is_some_and(|f| f.get("path").map(text).as_deref() == Some("/rest/v1/app/session/token"))));

    // A list: its filters and paging are in the query, which a record never shows.
    let list = seen.iter().find(|s| in_request(s).is_some_and(|f| f.get("path").map(text).as_deref() == Some("/rest/v1/products/packages"))).unwrap();
    assert!(!list.text().contains("extension") && !list.text().contains("offset"), "{list:?}");

    for s in &seen {
        let t = s.text();
        for secret in sim.issued_eqp_tokens().iter().map(String::as_str).chain([sim.eqp_app_secret()]) {
            assert!(!t.contains(secret), "a secret in {t}");
        }
        assert!(!t.contains("Bearer") && !t.contains("Basic "), "{t}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn token_grants_and_refusals_are_auth_events() {
    let capture = Capture::default();
    let _default = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let sim = Simulator::start(Default::default()).unwrap();
    let rotated = Arc::new(Mutex::new(Vec::new()));
    let kept = rotated.clone();
    let client = sellkit::marktplaats::Client::builder()
        .base_url(sim.marktplaats_url("marktplaats"))
        .client_id(sim.mp_client_id())
        .client_secret(sim.mp_client_secret())
        .on_token(move |t| {
            kept.lock().unwrap().extend(t.refresh_token.iter().map(|r| r.expose().to_owned()));
            kept.lock().unwrap().push(t.access_token.expose().to_owned());
            Ok(())
        })
        .build()
        .unwrap();
    let redirect = "https://shop.example/callback";
    let (url, _) = client.authorization_url(redirect, None, None).unwrap();
    let (code, _) = sim.mp_approve(&url).unwrap();
    client.exchange_code(&code, redirect).await.unwrap();
    client.users().me_value().await.unwrap();
    sim.expire_all_tokens();
    tokio::time::sleep(Duration::from_millis(5)).await;
    client.users().me_value().await.unwrap();

    let seen = capture.0.lock().unwrap().clone();
    let auth: Vec<String> = seen
        .iter()
        .filter(|s| s.target == AUTH)
        .map(|s| format!("{} {}", s.message(), s.fields.get("grant").map(text).unwrap_or_default()))
        .collect();
    for wanted in ["requesting a token authorization_code", "token granted authorization_code", "token refused; fetching another once ", "requesting a token refresh_token", "token granted refresh_token"] {
        assert!(auth.iter().any(|a| a.trim_end() == wanted.trim_end()), "{wanted} in {auth:?}");
    }
    let secrets: Vec<String> = rotated.lock().unwrap().iter().cloned().chain(sim.issued_mp_tokens()).chain([code, sim.mp_client_secret().to_owned()]).collect();
    assert!(secrets.len() >= 5);
    for s in &seen {
        let t = s.text();
        for secret in &secrets {
            assert!(!t.contains(secret.as_str()), "a secret in {t}");
        }
    }
}
