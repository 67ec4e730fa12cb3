//! sellkit-simulator: the Adobe Commerce Marketplace EQP API and the Marktplaats / 2dehands /
//! 2ememain API, served from memory on loopback, with fault injection and per-route request
//! counters. Point the code under test at its URLs instead of the real hosts.
//!
//! ```no_run
//! let sim = sellkit_simulator::Simulator::start(Default::default()).unwrap();
//! println!("EQP at {} (app id {})", sim.eqp_url(), sim.eqp_app_id());
//! println!("Marktplaats at {}", sim.marktplaats_url("marktplaats"));
//! sim.fail_next("GET /rest/v1/users/{mage_id}", 1, 503, Some("1")).unwrap();
//! assert_eq!(sim.request_count("POST /rest/v1/app/session/token"), 0);
//! ```
//!
//! # Routes, counters and faults
//!
//! Routes are named `METHOD /path/{param}`, as the router declares them
//! (`"GET /v1/advertisements/{itemId}"`); [`Simulator::routes`] lists them all. A request to a
//! path no route serves is counted under its literal path. Faults are queued on a route name
//! (or on `"*"`, any route): a name that is not a route is refused with
//! [`SimError::UnknownRoute`], which lists the known routes, the closest first, so that a
//! misspelt parameter (`{item_id}` for `{itemId}`) is caught instead of never firing.
//!
//! # Marktplaats OAuth
//!
//! Each platform listener ([`Simulator::marktplaats_url`]) is also its own OAuth2 server: the
//! authorization endpoint is `{marktplaats_url}/accounts/oauth/authorize` and the token
//! endpoint `{marktplaats_url}/accounts/oauth/token` (on the real services they live on a
//! separate host, `auth.marktplaats.nl`; a client given only the simulator's base URL finds
//! them below it). The client is [`MP_CLIENT_ID`] / [`MP_CLIENT_SECRET`].
//!
//! The browser step needs no browser: the authorization endpoint shows no login page, it
//! approves at once as the demo user ([`MP_USER_ID`]) and answers `302 Found` with
//! `Location: {redirect_uri}?code=...&state=...`. A test can follow that redirect with any
//! HTTP client (with redirects off, read `Location`), or call [`Simulator::mp_approve`] with
//! the authorization URL to get the `code` and `state` directly. Then exchange the code at
//! the token endpoint (`grant_type=authorization_code`, the same `redirect_uri`, client
//! credentials in the form or by HTTP Basic); codes live 120 s and serve once. Refresh
//! (`grant_type=refresh_token`) and `client_credentials` (scopes `create_account`,
//! `confirm_upcall`, `read`, `write`) are served too.
//!
//! # Seed data
//!
//! Each platform starts with two users, the demo user [`MP_USER_ID`] (the one that logs in)
//! and [`MP_OTHER_USER_ID`], and no ads. [`Simulator::mp_seed_own_ads`] and
//! [`Simulator::mp_seed_own_ad`] place ads of the demo user (they appear under
//! `GET /v1/users/{userId}/advertisements`); [`Simulator::mp_seed_ads`] places ads of the other
//! seller (found by search only). EQP starts with the demo account [`EQP_MAGE_ID`] and its keys.
//!
//! # Search
//!
//! `GET /v1/search?query=lamp&...` and `POST /v1/search` with a JSON body (`Content-Type:
//! application/json`) take the same parameters, under the same names; the JSON form adds a
//! price range and attribute filters. Both answer the same shape: `_links`,
//! `_embedded.mp:search-result[]` and `totalCount`.
//!
//! ```json
//! {"query": "lamp", "categoryId": 35, "priceFrom": 1000, "priceTo": 5000,
//!  "attributes": {"condition": ["Nieuw", "Zo goed als nieuw"], "color": "red"},
//!  "sortBy": "price", "sortOrder": "ascending", "offset": 0, "limit": 30}
//! ```
//!
//! | name | JSON type | meaning |
//! |---|---|---|
//! | `query` | string | search text (`and`, `or`, `-word`); required unless `categoryId` or `sellerId` is given |
//! | `categoryId`, `sellerId` | integer | the ad's L2 category, the ad's seller |
//! | `searchDescription` | boolean | match the description too (default false) |
//! | `withImages` | boolean | only ads with at least one image (default false) |
//! | `sortBy` | `default`, `location`, `price` | `price`: by `priceModel.askingPrice`, ads without one last; the others: by placement |
//! | `sortOrder` | `ascending`, `descending` | |
//! | `postCode`, `distance`, `locale` | string, integer, string | accepted; the simulator does not filter on them |
//! | `offset`, `limit` | integer | paging: `limit` 1 to 200 (default 30), `offset + limit` at most 5000 |
//! | `priceFrom`, `priceTo` | integer | euro cents, both bounds included, matched against `priceModel.askingPrice`; an ad without an asking price is left out when either is given (the query string takes them too) |
//! | `attributes` | object (JSON form only) | `{name: value}` or `{name: [values]}`: the ad's top-level attribute member `name` equals the value, or one of the values; when the ad holds a list, one of its items does. Numbers and strings compare as text (`40` matches `"40"`) |
//!
//! The query string stays lenient as before (unknown names ignored); the JSON body is strict: a
//! member of the wrong type, or a name not in the table, is answered with 400
//! `validation-failure` and a detail naming the field. Paging: the GET form's `_links.next` is
//! the query string of the next page. A body does not fit in a link, so the POST form's
//! `_links.self` and `_links.next` are `{"href": "/v1/search"}`: `next` is present exactly
//! when there is a next page, which is the same body with `offset` advanced by `limit`.
//!
//! # Category attributes
//!
//! `GET /v1/categories/{l1}/{l2}/attributes` serves definitions per leaf: cd players (31/35)
//! have optional enumerations (`condition`, `brand`, `properties` as a `LIST`, `delivery`);
//! cars (91/92, 91/93, 91/157) a mandatory `NUMBER` `constructionYear` (1900–2030, not
//! `updateable`), a mandatory `mileage` and `fuel`, optional `transmission`, `numberOfDoors`, a
//! free-text `model` (1–40 characters) and `priceIndicator`, which the server sets (neither
//! `writable` nor `updateable`); antiques (1/2, 1/4) a `period`, a free-text `maker` and a
//! `material` list or a `DOUBLE` `weight`. Values come as `values` and as `options`. Ads are
//! checked against them on create, `PUT` and `PATCH` as the API does: a missing mandatory
//! attribute, a value outside the list, of the wrong type, out of range or too long or short,
//! a value for an attribute that is not `writable` (create) or a change of one that is not
//! `updateable` (PUT, PATCH) is a 400 `validation-failure` whose detail names the attribute
//! (`attributes[2].value` when the ad gives them as an `attributes` array of `{key, value}`).
//! An ad cannot move to another category once placed.
//!
//! # API versions
//!
//! The endpoints the v2 docs list are served under `/v1` and `/v2` alike, with their own route
//! names (`"POST /v2/advertisements"`); a `/v2` answer's `href`s and `Location` name `/v2` paths.
//! Category fees, fitments, the seller profile and its images, review settings and user
//! features are served under `/v1` only, legal status under `/v2` only.
//!
//! # Profile images
//!
//! `POST /v1/users/{userId}/profile/{profile,backdrop,logo}-image` takes `{"url": ...}` as
//! JSON, or a file as `multipart/form-data` in a part named `file`. A file must be a JPG, PNG
//! or BMP image (told by its first bytes, not by the part's `Content-Type`) of at most 8 MiB;
//! otherwise 400 `validation-failure` with field `file` and code `invalid-file-format` or
//! `file-too-large` (a form without a `file` part: `field-missing`). An uploaded image is kept:
//! `GET .../profile-image` shows its `mediaId`, its `url` (an absolute URL of the blob on the
//! simulator) and `mp:image-blob` / `mp:image-meta` links, and `GET /v1/images/{mediaId}/{size}/blob`
//! answers the bytes sent, with their content type.
//!
//! # EQP malware scans
//!
//! An upload is scanned [`SimulatorConfig::eqp_scan_delay`] after it arrives; its verdict is
//! [`SimulatorConfig::eqp_scan_verdict`] ([`Simulator::set_eqp_scan_verdict`]), except that a
//! file whose name contains `malware` always fails. A package item (`POST` / `PUT
//! /rest/v1/products/packages`) that refers to a file whose scan failed is refused with the
//! per-item code `1213` and a message naming the field and the file, and so is a `submit` of a
//! package that still refers to one; a file still being scanned is accepted.

mod eqp;
mod error;
mod faults;
mod http;
mod marktplaats;
mod multipart;
mod routes;
mod server;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use eqp::store::{CallbackDelivery, Verdict};
pub use error::SimError;
pub use faults::{Fault, FaultAction, RandomFaults, BACKOFF_GRACE};
pub use routes::{Api, Route};
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

/// What the Marktplaats token endpoint did with refresh tokens since start (all platforms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MpRefreshStats {
    /// `refresh_token` grants served.
    pub refreshes: u64,
    /// Of those, how many rotated the refresh token (rotation on).
    pub rotations: u64,
    /// Spent refresh tokens presented again and refused ("Refresh token reuse detected").
    pub reuse_detections: u64,
    /// Refresh tokens issued and never spent. With one grant shared well this is 1 (the one in
    /// use); each one more is a rotated refresh token that its client lost.
    pub unused_refresh_tokens: u64,
}

/// Demo credentials the EQP side accepts (the values of the docs' own example key): app id.
pub const EQP_APP_ID: &str = "AQ17NZ49WC";
/// The app secret that goes with [`EQP_APP_ID`].
pub const EQP_APP_SECRET: &str = "8820c99614d65f923df7660276f20e029d73e2ca";
/// The account the EQP session tokens are for.
pub const EQP_MAGE_ID: &str = "MAG123456789";

pub(crate) struct Shared {
    pub faults: faults::Faults,
    pub eqp: eqp::EqpState,
    pub mp: marktplaats::MpState,
    /// The simulator's runtime, for work that outlives a request (scans, reviews, callbacks).
    pub runtime: std::sync::OnceLock<tokio::runtime::Handle>,
    /// Every route served (EQP, then Marktplaats).
    pub routes: Vec<Route>,
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
        let (eqp_router, mut routes) = eqp::routes().into_parts();
        let (mp_router, mp_routes) = marktplaats::routes().into_parts();
        routes.extend(mp_routes);
        let shared = Arc::new(Shared {
            faults: faults::Faults::new(config.latency),
            eqp: eqp::EqpState::new(config.eqp_max_token_lifetime),
            mp: marktplaats::MpState::new(),
            runtime: std::sync::OnceLock::new(),
            routes,
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
        let app = http::router(shared.clone(), eqp_router);
        // One listener per Marktplaats platform, on the same host.
        let mut mp_listeners = Vec::new();
        let mut mp_addrs = [addr; 3];
        for platform in marktplaats::Platform::ALL {
            let l = std::net::TcpListener::bind(SocketAddr::new(addr.ip(), 0))?;
            l.set_nonblocking(true)?;
            mp_addrs[platform.index()] = l.local_addr()?;
            mp_listeners.push((l, http::marktplaats_router(shared.clone(), mp_router.clone(), platform)));
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
    /// [`EQP_APP_ID`].
    pub fn eqp_app_id(&self) -> &'static str {
        EQP_APP_ID
    }
    /// [`EQP_APP_SECRET`].
    pub fn eqp_app_secret(&self) -> &'static str {
        EQP_APP_SECRET
    }
    /// [`EQP_MAGE_ID`].
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

    /// Every route the simulator serves, EQP first; a route's [`Route::name`] is what counters
    /// and faults take.
    pub fn routes(&self) -> &[Route] {
        &self.shared.routes
    }

    /// The next `count` requests to `route` (or to any route, with `"*"`) get `status` with the
    /// API's `{code, message}` body, and a `Retry-After` header when given.
    ///
    /// # Errors
    /// [`SimError::UnknownRoute`] when `route` is not one of [`Simulator::routes`] (nor `"*"`).
    pub fn fail_next(&self, route: &str, count: u32, status: u16, retry_after: Option<&str>) -> Result<(), SimError> {
        self.inject(route, Fault::status(count, status, retry_after))
    }
    /// Queue any fault on a route (or on `"*"`).
    ///
    /// # Errors
    /// [`SimError::UnknownRoute`] when `route` is not one of [`Simulator::routes`] (nor `"*"`).
    pub fn inject(&self, route: &str, fault: Fault) -> Result<(), SimError> {
        routes::check(route, &self.shared.routes)?;
        self.shared.faults.push(route, fault);
        Ok(())
    }
    /// Fault requests at random (see [`RandomFaults`]); `None` stops it. [`Simulator::clear_faults`]
    /// stops it too.
    ///
    /// # Errors
    /// [`SimError::UnknownRoute`] when an exempt route is not one of [`Simulator::routes`]; the
    /// random faults are then left as they were.
    pub fn set_random_faults(&self, spec: Option<RandomFaults>) -> Result<(), SimError> {
        for route in spec.iter().flat_map(|s| &s.exempt) {
            routes::check(route, &self.shared.routes)?;
        }
        self.shared.faults.set_random(spec);
        Ok(())
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
    /// The OAuth2 authorization endpoint of one platform (where a user's browser is sent; see
    /// the crate docs): `{marktplaats_url}/accounts/oauth/authorize`.
    ///
    /// # Panics
    /// On an unknown platform name.
    pub fn mp_authorize_url(&self, platform: &str) -> String {
        format!("{}/accounts/oauth/authorize", self.marktplaats_url(platform))
    }
    /// The OAuth2 token endpoint of one platform: `{marktplaats_url}/accounts/oauth/token`.
    ///
    /// # Panics
    /// On an unknown platform name.
    pub fn mp_token_url(&self, platform: &str) -> String {
        format!("{}/accounts/oauth/token", self.marktplaats_url(platform))
    }
    /// The OAuth client id the Marktplaats side accepts ([`MP_CLIENT_ID`]).
    pub fn mp_client_id(&self) -> &'static str {
        MP_CLIENT_ID
    }
    /// The OAuth client secret that goes with it ([`MP_CLIENT_SECRET`]).
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
    /// What the token endpoint did with refresh tokens so far (see [`MpRefreshStats`]).
    pub fn mp_refresh_stats(&self) -> MpRefreshStats {
        marktplaats::control::refresh_stats(&self.shared)
    }
    /// Requests that arrived at a host while a back-off it announced was in force: after a 429
    /// or 503 with `Retry-After` (a fault), until that time, not counting the first
    /// [`BACKOFF_GRACE`] (requests already on their way). Clients that share back-offs send none.
    pub fn requests_during_backoff(&self) -> u64 {
        self.shared.faults.during_backoff()
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
    ///
    /// # Errors
    /// [`SimError::UnknownPlatform`], [`SimError::NoSuchAd`].
    pub fn mp_place_bid(&self, platform: &str, item_id: &str, amount: i64, nick_name: &str) -> Result<i64, SimError> {
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
    /// Place `count` ads by another seller ([`MP_OTHER_USER_ID`]; titles `"<prefix> <n>"`,
    /// category 35, fixed prices from 10.01 euro up), for search tests. Returns their item ids.
    ///
    /// # Errors
    /// [`SimError::UnknownPlatform`].
    pub fn mp_seed_ads(&self, platform: &str, count: usize, title_prefix: &str) -> Result<Vec<String>, SimError> {
        marktplaats::control::seed_ads(&self.shared, platform, MP_OTHER_USER_ID, count, title_prefix)
    }
    /// Place `count` ads of the demo user ([`MP_USER_ID`], who logs in through the simulator's
    /// OAuth), shaped as [`Simulator::mp_seed_ads`] shapes them: they show under "my ads"
    /// (`GET /v1/users/{userId}/advertisements`) and can be read, changed and deleted with the
    /// demo user's token. Returns their item ids.
    ///
    /// # Errors
    /// [`SimError::UnknownPlatform`].
    pub fn mp_seed_own_ads(&self, platform: &str, count: usize, title_prefix: &str) -> Result<Vec<String>, SimError> {
        marktplaats::control::seed_ads(&self.shared, platform, MP_USER_ID, count, title_prefix)
    }
    /// Place one ad of the demo user from its JSON (as a client would `POST` it; server-set
    /// members such as `itemId` are ignored). Returns its item id.
    ///
    /// # Errors
    /// [`SimError::UnknownPlatform`]; [`SimError::InvalidAd`] with the field errors the API
    /// would answer when the ad is not one it accepts.
    pub fn mp_seed_own_ad(&self, platform: &str, ad: serde_json::Value) -> Result<String, SimError> {
        marktplaats::control::seed_own_ad(&self.shared, platform, ad)
    }
    /// Let an ad expire in `days` days (so that it can be renewed within the last 7).
    pub fn mp_set_ad_expiry(&self, platform: &str, item_id: &str, days: i64) -> bool {
        marktplaats::control::set_ad_expiry(&self.shared, platform, item_id, days)
    }
    /// What a browser does with an authorization URL of this simulator: the demo user approves
    /// at once, and the `code` and `state` of the redirect come back (as the redirect URI would
    /// receive them).
    ///
    /// # Errors
    /// [`SimError::Authorization`] naming what the authorize endpoint would refuse (or that
    /// the URL is not on one of this simulator's Marktplaats listeners).
    pub fn mp_approve(&self, authorization_url: &str) -> Result<(String, Option<String>), SimError> {
        let refuse = |reason: &str| SimError::Authorization { reason: reason.to_owned() };
        let url = url::Url::parse(authorization_url).map_err(|e| refuse(&format!("not a URL: {e}")))?;
        let port = url.port_or_known_default();
        let platform = marktplaats::Platform::ALL
            .into_iter()
            .find(|p| Some(self.mp_addrs[p.index()].port()) == port)
            .ok_or_else(|| refuse("the URL is not on one of this simulator's Marktplaats listeners"))?;
        let target = marktplaats::oauth::approve(&self.shared, platform, url.query()).map_err(refuse)?;
        let mut code = None;
        let mut state = None;
        for (k, v) in target.query_pairs() {
            match &*k {
                "code" => code = Some(v.into_owned()),
                "state" => state = Some(v.into_owned()),
                _ => {}
            }
        }
        Ok((code.ok_or_else(|| refuse("no code was issued"))?, state))
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
