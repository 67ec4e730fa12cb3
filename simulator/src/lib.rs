//! sellkit-simulator: the EQP API (and, as it grows, the Marktplaats API) served from memory on
//! loopback, with fault injection and per-route request counters.
//!
//! ```no_run
//! let sim = sellkit_simulator::Simulator::start(Default::default()).unwrap();
//! println!("EQP at {} (app id {})", sim.eqp_url(), sim.eqp_app_id());
//! sim.fail_next("GET /rest/v1/users/{mage_id}", 1, 503, Some("1"));
//! assert_eq!(sim.request_count("POST /rest/v1/app/session/token"), 0);
//! ```
//!
//! Routes are named `METHOD /path/{param}`, as the router declares them; a request to a path no
//! route serves is counted under its literal path.

mod eqp;
mod faults;
mod http;
mod marktplaats;
mod server;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use eqp::store::{CallbackDelivery, Verdict};
pub use faults::{Fault, FaultAction, RandomFaults};
pub use marktplaats::{Delivery as MpWebhookDelivery, MP_CLIENT_ID, MP_CLIENT_SECRET, MP_OTHER_USER_ID, MP_USER_ID};

/// What a simulator starts with.
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// Longest EQP session the token endpoint grants, in seconds (`expires_in` is clamped to it).
    pub eqp_max_token_lifetime: u64,
    /// Latency added to every response.
    pub latency: Duration,
    /// How long an EQP malware scan takes after an upload.
    pub eqp_scan_delay: Duration,
    /// The verdict of EQP malware scans (a file whose name contains `malware` always fails).
    pub eqp_scan_verdict: Verdict,
    /// How long an EQP technical or marketing review takes after a submit; `None` = until
    /// [`Simulator::complete_eqp_review`] is called.
    pub eqp_review_delay: Option<Duration>,
    /// The verdict of reviews that finish on their own.
    pub eqp_review_verdict: Verdict,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            eqp_max_token_lifetime: 7200,
            latency: Duration::ZERO,
            eqp_scan_delay: Duration::from_millis(200),
            eqp_scan_verdict: Verdict::Pass,
            eqp_review_delay: Some(Duration::from_millis(500)),
            eqp_review_verdict: Verdict::Pass,
        }
    }
}

/// Demo credentials the EQP side accepts (the values of the docs' own example key).
pub const EQP_APP_ID: &str = "AQ17NZ49WC";
pub const EQP_APP_SECRET: &str = "8820c99614d65f923df7660276f20e029d73e2ca";
pub const EQP_MAGE_ID: &str = "MAG123456789";

pub(crate) struct Shared {
    pub faults: faults::Faults,
    pub eqp: eqp::EqpState,
    pub mp: marktplaats::MpState,
    /// The simulator's runtime, for work that outlives a request (scans, reviews, callbacks).
    pub runtime: std::sync::OnceLock<tokio::runtime::Handle>,
}

/// A running simulator. It serves from its own thread and runtime, so it can be started from
/// synchronous code, from inside a tokio runtime, or from the Python and Node packages. Dropping
/// it (or calling [`Simulator::stop`]) shuts the server down.
pub struct Simulator {
    addr: SocketAddr,
    /// Marktplaats, 2dehands, 2ememain listeners.
    mp_addrs: [SocketAddr; 3],
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator").field("eqp_url", &self.eqp_url()).finish_non_exhaustive()
    }
}

impl Simulator {
    /// Bind and start serving; returns once the port is listening.
    pub fn start(config: SimulatorConfig) -> std::io::Result<Simulator> {
        let shared = Arc::new(Shared {
            faults: faults::Faults::new(config.latency),
            eqp: eqp::EqpState::new(config.eqp_max_token_lifetime),
            mp: marktplaats::MpState::new(),
            runtime: std::sync::OnceLock::new(),
        });
        {
            let mut store = shared.eqp.store();
            store.scan_delay = config.eqp_scan_delay;
            store.scan_verdict = config.eqp_scan_verdict;
            store.review_delay = config.eqp_review_delay;
            store.review_verdict = config.eqp_review_verdict;
        }
        let listener = std::net::TcpListener::bind(config.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = http::router(shared.clone());
        // One listener per Marktplaats platform, on the same host.
        let mut mp_listeners = Vec::new();
        let mut mp_addrs = [addr; 3];
        for platform in marktplaats::Platform::ALL {
            let l = std::net::TcpListener::bind(SocketAddr::new(addr.ip(), 0))?;
            l.set_nonblocking(true)?;
            mp_addrs[platform.index()] = l.local_addr()?;
            mp_listeners.push((l, http::marktplaats_router(shared.clone(), platform)));
        }
        let runtime_slot = shared.clone();
        let thread = std::thread::Builder::new().name("sellkit-simulator".into()).spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("sellkit-simulator-worker")
                .enable_all()
                .build()
                .expect("simulator runtime");
            let _ = runtime_slot.runtime.set(runtime.handle().clone());
            drop(runtime_slot);
            runtime.block_on(async move {
                // The Marktplaats listeners end with the runtime, once the EQP one stops.
                for (l, mp_app) in mp_listeners {
                    let l = tokio::net::TcpListener::from_std(l).expect("simulator listener");
                    tokio::spawn(server::serve(l, mp_app, std::future::pending::<()>()));
                }
                let listener = tokio::net::TcpListener::from_std(listener).expect("simulator listener");
                server::serve(listener, app, async {
                    let _ = rx.await;
                })
                .await;
            });
            // Connections still open (keep-alive) are dropped with the runtime.
            runtime.shutdown_timeout(Duration::from_millis(100));
        })?;
        Ok(Simulator { addr, mp_addrs, shared, shutdown: Some(tx), thread: Some(thread) })
    }

    /// The socket address the simulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:PORT`, the root of everything served.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Base URL of the EQP API (pass it as `base_url`).
    pub fn eqp_url(&self) -> String {
        self.url()
    }
    pub fn eqp_app_id(&self) -> &'static str {
        EQP_APP_ID
    }
    pub fn eqp_app_secret(&self) -> &'static str {
        EQP_APP_SECRET
    }
    pub fn eqp_mage_id(&self) -> &'static str {
        EQP_MAGE_ID
    }

    /// Requests received per route since start (or the last reset).
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        self.shared.faults.counts()
    }
    /// Requests received on one route (`"POST /rest/v1/app/session/token"`).
    pub fn request_count(&self, route: &str) -> u64 {
        self.shared.faults.count(route)
    }
    pub fn reset_counters(&self) {
        self.shared.faults.reset_counts()
    }

    /// The next `count` requests to `route` (or to any route, with `"*"`) get `status` with the
    /// API's `{code, message}` body, and a `Retry-After` header when given.
    pub fn fail_next(&self, route: &str, count: u32, status: u16, retry_after: Option<&str>) {
        self.inject(route, Fault::status(count, status, retry_after));
    }
    /// Queue any fault on a route.
    pub fn inject(&self, route: &str, fault: Fault) {
        self.shared.faults.push(route, fault)
    }
    /// Fault requests at random (see [`RandomFaults`]); `None` stops it. [`Simulator::clear_faults`]
    /// stops it too.
    pub fn set_random_faults(&self, spec: Option<RandomFaults>) {
        self.shared.faults.set_random(spec)
    }
    /// How many faults (queued or random) were handed out so far, by kind (`status 503`,
    /// `drop-before`, `drop-after`, `stall`, `truncate`).
    pub fn injected_faults(&self) -> BTreeMap<String, u64> {
        self.shared.faults.injected()
    }
    /// Remove every queued fault, the random faults and the added latency.
    pub fn clear_faults(&self) {
        self.shared.faults.clear()
    }
    /// Latency added to every response from now on.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.faults.set_latency(latency)
    }
    /// Every token issued so far (EQP sessions and Marktplaats access tokens) stops working now.
    pub fn expire_all_tokens(&self) {
        self.shared.eqp.expire_all_tokens();
        marktplaats::control::expire_access_tokens(&self.shared);
    }
    /// Every EQP session token issued so far, so that tests can check none leaked into logs.
    pub fn issued_eqp_tokens(&self) -> Vec<String> {
        self.shared.eqp.issued_tokens()
    }
    /// Longest EQP session granted from now on, in seconds.
    pub fn set_eqp_max_token_lifetime(&self, seconds: u64) {
        self.shared.eqp.set_max_token_lifetime(seconds)
    }

    // --- Marktplaats ---------------------------------------------------------------------

    /// Base URL of one Marktplaats platform (`"marktplaats"`, `"2dehands"` or `"2ememain"`);
    /// pass it as the client's `base_url`: the OAuth endpoints are served there too.
    ///
    /// # Panics
    /// On an unknown platform name.
    pub fn marktplaats_url(&self, platform: &str) -> String {
        let p = marktplaats::Platform::parse(platform).unwrap_or_else(|| panic!("unknown Marktplaats platform {platform:?}"));
        format!("http://{}", self.mp_addrs[p.index()])
    }
    /// The OAuth client id the Marktplaats side accepts.
    pub fn mp_client_id(&self) -> &'static str {
        MP_CLIENT_ID
    }
    pub fn mp_client_secret(&self) -> &'static str {
        MP_CLIENT_SECRET
    }
    /// The user the authorization endpoint approves as.
    pub fn mp_user_id(&self) -> i64 {
        MP_USER_ID
    }
    /// Lifetime of Marktplaats access tokens issued from now on (43199 s by default).
    pub fn set_mp_token_lifetime(&self, seconds: u64) {
        self.shared.mp.lock().token_lifetime = seconds.max(1);
    }
    /// Rotate refresh tokens on every refresh, refusing a spent one with 400 `invalid_grant`
    /// (off by default: the same refresh token comes back).
    pub fn set_mp_refresh_rotation(&self, on: bool) {
        self.shared.mp.lock().rotate_refresh_tokens = on;
    }
    /// Time an added image stays `downloading` (200 ms by default).
    pub fn set_mp_image_delay(&self, delay: Duration) {
        self.shared.mp.lock().image_delay = delay;
    }
    /// Where webhooks go (`None` stops them), and the secret they are signed with.
    pub fn set_mp_webhook(&self, url: Option<&str>, secret: &str) {
        self.shared.mp.lock().webhook = url.map(|u| (u.to_owned(), secret.to_owned()));
    }
    /// Webhook delivery attempts so far.
    pub fn mp_webhook_deliveries(&self) -> Vec<MpWebhookDelivery> {
        self.shared.mp.lock().deliveries.clone()
    }
    /// A buyer bids `amount` cents on an ad: stores the bid and delivers a `BidPlacedEvent`.
    /// Returns the bid id.
    pub fn mp_place_bid(&self, platform: &str, item_id: &str, amount: i64, nick_name: &str) -> Result<i64, String> {
        marktplaats::control::place_bid(&self.shared, platform, item_id, amount, nick_name)
    }
    /// Deliver any event (`eventType`, `eventData`) to the registered webhook URL.
    pub fn mp_send_webhook(&self, event_type: &str, event_data: serde_json::Value) {
        marktplaats::control::send_webhook(&self.shared, event_type, event_data)
    }
    /// The stored advertisement as the API shows it (for tests that check server state).
    pub fn mp_ad(&self, platform: &str, item_id: &str) -> Option<serde_json::Value> {
        marktplaats::control::ad(&self.shared, platform, item_id)
    }
    /// Place `count` ads by another seller (titles `"<prefix> <n>"`), for search tests.
    pub fn mp_seed_ads(&self, platform: &str, count: usize, title_prefix: &str) {
        marktplaats::control::seed_ads(&self.shared, platform, count, title_prefix)
    }
    /// Let an ad expire in `days` days (so that it can be renewed within the last 7).
    pub fn mp_set_ad_expiry(&self, platform: &str, item_id: &str, days: i64) -> bool {
        marktplaats::control::set_ad_expiry(&self.shared, platform, item_id, days)
    }
    /// What a browser does with an authorization URL of this simulator: the demo user approves
    /// at once, and the `code` and `state` of the redirect come back (as the redirect URI would
    /// receive them). Errors name what the authorize endpoint would refuse.
    pub fn mp_approve(&self, authorization_url: &str) -> Result<(String, Option<String>), String> {
        let url = url::Url::parse(authorization_url).map_err(|e| format!("not a URL: {e}"))?;
        let port = url.port_or_known_default();
        let platform = marktplaats::Platform::ALL
            .into_iter()
            .find(|p| Some(self.mp_addrs[p.index()].port()) == port)
            .ok_or("the URL is not on one of this simulator's Marktplaats listeners")?;
        let target = marktplaats::oauth::approve(&self.shared, platform, url.query()).map_err(str::to_owned)?;
        let mut code = None;
        let mut state = None;
        for (k, v) in target.query_pairs() {
            match &*k {
                "code" => code = Some(v.into_owned()),
                "state" => state = Some(v.into_owned()),
                _ => {}
            }
        }
        Ok((code.ok_or("no code was issued")?, state))
    }
    /// Every Marktplaats access and refresh token issued so far (to search logs for leaks).
    pub fn issued_mp_tokens(&self) -> Vec<String> {
        marktplaats::control::issued_tokens(&self.shared)
    }

    // --- EQP controls ------------------------------------------------------------------------

    /// The most requests that were in flight at once on a route (since start or the last reset).
    pub fn max_in_flight(&self, route: &str) -> u64 {
        self.shared.faults.max_in_flight(route)
    }
    /// The raw `path?query` of the recent requests on a route, as they arrived (percent-encoding
    /// intact), oldest first.
    pub fn requests(&self, route: &str) -> Vec<String> {
        self.shared.faults.requests(route)
    }

    /// How long EQP malware scans take from now on.
    pub fn set_eqp_scan_delay(&self, delay: Duration) {
        self.shared.eqp.store().scan_delay = delay;
    }
    /// The verdict of EQP malware scans from now on.
    pub fn set_eqp_scan_verdict(&self, verdict: Verdict) {
        self.shared.eqp.store().scan_verdict = verdict;
    }
    /// How long EQP reviews take from now on (`None`: until [`Simulator::complete_eqp_review`]).
    pub fn set_eqp_review_delay(&self, delay: Option<Duration>) {
        self.shared.eqp.store().review_delay = delay;
    }
    /// The verdict of reviews that finish on their own from now on.
    pub fn set_eqp_review_verdict(&self, verdict: Verdict) {
        self.shared.eqp.store().review_verdict = verdict;
    }
    /// Finish the review of one track (`technical` or `marketing`) of a submission now; returns
    /// whether it was in review. Sends the status callback.
    pub fn complete_eqp_review(&self, submission_id: &str, track: &str, verdict: Verdict) -> bool {
        let events = eqp::packages::complete_review(&mut self.shared.eqp.store(), submission_id, track, verdict);
        let changed = !events.is_empty();
        eqp::callbacks::deliver(&self.shared, events);
        changed
    }
    /// Every callback POST made so far, in order.
    pub fn callback_deliveries(&self) -> Vec<CallbackDelivery> {
        self.shared.eqp.store().deliveries.clone()
    }
    /// Every EQP package stored, as the API shows it.
    pub fn eqp_packages(&self) -> Vec<serde_json::Value> {
        self.shared.eqp.store().packages.iter().map(|p| serde_json::Value::Object(p.clone())).collect()
    }
    /// Every EQP file upload stored (its record, as `GET /files/uploads/:id` shows it).
    pub fn eqp_files(&self) -> Vec<serde_json::Value> {
        self.shared.eqp.store().files.iter().map(|f| serde_json::Value::Object(f.record.clone())).collect()
    }
    /// Every advertisement on `platform` (all sellers), as the API shows it.
    pub fn mp_ads(&self, platform: &str) -> Vec<serde_json::Value> {
        marktplaats::control::ads(&self.shared, platform)
    }
    /// The source URL of each image of an advertisement, in order (`None`: no such ad).
    pub fn mp_ad_image_urls(&self, platform: &str, item_id: &str) -> Option<Vec<String>> {
        marktplaats::control::ad_image_urls(&self.shared, platform, item_id)
    }
    /// Number of EQP packages stored.
    pub fn eqp_package_count(&self) -> usize {
        self.shared.eqp.store().packages.len()
    }

    /// Shut the server down and wait for its thread.
    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}
