//! sellkit: a seller-side client for two marketplace APIs.
//!
//! - [`eqp`]: the Adobe Commerce (Magento) Marketplace **EQP API**: upload packages, submit them
//!   through the Extension Quality Program in batches, read test results and reports, manage
//!   Composer keys, receive callbacks.
//! - [`marktplaats`]: the **Marktplaats / 2dehands / 2ememain API**: OAuth2, advertisements with
//!   euro-cent prices, JSON Patch updates, images, features, bids, users, orders, search and
//!   signed webhooks, on three hosts of two platforms with their locale rules.
//!
//! The same core serves the `sellkit` Python and Node packages, so a call behaves the same in
//! every language: HTTPS only (loopback excepted), typed [`Error`]s, retries with backoff that
//! honour `Retry-After`, one token manager per credential, and secrets that never reach `Debug`,
//! logs or error messages.
//!
//! # The two clients
//!
//! [`eqp::Client`] and [`marktplaats::Client`] are made by a builder. Every setting is checked
//! in `build()`, before anything is sent; a bad one is an [`ErrorKind::InvalidInput`] error
//! whose [`field`](Error::field) names it. Nothing is sent until the first call, which fetches a
//! token. A client is cheap to clone (clones share the connection pool and the tokens), and
//! its resources are reached by methods: `client.packages().create(items)`,
//! `client.ads().get(item_id)`. Calls are `async`; lists fetch pages as they are read: typed
//! [`ListStream`]s (EQP) or [`Paginator`](pagination::Paginator)s of JSON items (Marktplaats;
//! `.into_stream()` gives a [`ListStream`]). A [`ListStream`] is `Unpin`: read it with
//! `while let Some(item) = list.next().await`, `next` coming from [`StreamExt`] (re-exported).
//!
//! ```
//! use std::time::Duration;
//! use sellkit::{eqp, marktplaats, ErrorKind};
//!
//! let eqp = eqp::Client::builder()
//!     .app_id("AQ17NZ49WC")
//!     .app_secret("…") // a `Secret`: Debug prints `***`
//!     .environment(eqp::Environment::Sandbox) // default: Production
//!     .timeout(Duration::from_secs(30))
//!     .build()?;
//! assert_eq!(eqp.base_url(), "https://commercedeveloper-sandbox-api.adobe.com/");
//!
//! let mp = marktplaats::Client::builder()
//!     .platform(marktplaats::Platform::TweedeHands) // api.2dehands.be
//!     .client_id("my-app")
//!     .client_secret("…")
//!     .refresh_token("a-stored-refresh-token")
//!     .build()?;
//! assert_eq!(mp.base_url(), "https://api.2dehands.be/");
//!
//! // Plain http:// only for loopback; the error names the setting.
//! let err = eqp::Client::builder().app_id("id").app_secret("s").base_url("http://example.com").build().unwrap_err();
//! assert_eq!((err.kind(), err.field()), (ErrorKind::InvalidInput, Some("base_url")));
//! # Ok::<(), sellkit::Error>(())
//! ```
//!
//! The examples below run against [`sellkit-simulator`](https://docs.rs/sellkit-simulator),
//! which serves both APIs from memory on loopback: pass its URL as `base_url`, and use the
//! demo credentials it exposes. Against the real services, leave `base_url` out.
//!
//! # EQP: a call, a batch, a list
//!
//! ```
//! use sellkit::StreamExt; // `next()` on a list (futures' StreamExt, re-exported)
//! use sellkit::eqp::{Client, ListOptions, Package, PackageFilter, SortKey};
//! use sellkit::eqp::model::PackageType;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = sellkit_simulator::Simulator::start(Default::default())?;
//! let client = Client::builder()
//!     .app_id(sim.eqp_app_id())
//!     .app_secret(sim.eqp_app_secret())
//!     .base_url(sim.eqp_url())
//!     .build()?;
//!
//! // The first call fetches a session token and learns the account's mage_id.
//! let profile = client.users().get(None).await?;
//! assert_eq!(client.mage_id().as_deref(), profile.mage_id());
//!
//! // A batch: one result per item, in input order; a failed item is data, not an error.
//! let draft = |version: &str| Package {
//!     item_id: Some(format!("acme-checkout-{version}")), // makes a create safe to recover
//!     package_type: Some(PackageType::Extension),
//!     platform: Some("M2".into()),
//!     name: Some("Acme One-Click Checkout".into()),
//!     version: Some(version.into()),
//!     long_description: Some("Checkout in one click.".into()),
//!     ..Default::default()
//! };
//! let created = client.packages().create(vec![draft("1.0.0"), draft("1.1.0")]).await?;
//! assert!(created.all_ok(), "{:?}", created.failed());
//! let submission_id = created.items[0].data.as_ref().and_then(|p| p.submission_id.clone()).unwrap();
//!
//! // A list: a Stream (`Unpin`, no `pin!` needed) that fetches pages (`offset`/`limit`) as it
//! // is read. The filter takes the API's filter fields; `limit` caps the items, `page_size`
//! // sets how many each request asks for.
//! let filter = PackageFilter::new().with("type", "extension").sort_by(SortKey::desc("version"));
//! let options = ListOptions { limit: Some(100), page_size: Some(50) };
//! let mut packages = client.packages().list(&filter, options);
//! let mut versions = Vec::new();
//! while let Some(package) = packages.next().await {
//!     let package = package?; // a failed page ends the stream after its error
//!     versions.extend(package.version);
//! }
//! assert_eq!(versions, ["1.1.0", "1.0.0"]);
//!
//! let package = client.packages().get(&submission_id).await?;
//! assert_eq!(package.item_id.as_deref(), Some("acme-checkout-1.0.0"));
//! # Ok(()) }
//! ```
//!
//! Uploads ([`eqp::Files::upload`]) stream files from disk and report progress; callbacks are
//! checked and read by [`eqp::parse_callback`] (a complete receiver:
//! `cargo run -p sellkit --example eqp_callback_receiver`).
//!
//! # Handling an error
//!
//! Every failure is one [`Error`]: its [`kind`](Error::kind) for `match`, a stable machine
//! [`code`](Error::code), and what the server said ([`status`](Error::status),
//! [`api_code`](Error::api_code), [`details`](Error::details),
//! [`request_id`](Error::request_id), [`retry_after`](Error::retry_after)). Invalid input is
//! caught before sending and names its [`field`](Error::field).
//!
//! ```
//! use sellkit::{eqp::Client, ErrorKind};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = sellkit_simulator::Simulator::start(Default::default())?;
//! let client = Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build()?;
//!
//! match client.packages().get("no-such-submission").await {
//!     Ok(package) => println!("found {:?}", package.name),
//!     Err(e) if e.kind() == ErrorKind::NotFound => {
//!         assert_eq!(e.status(), Some(404));
//!         // A definite answer: nothing changed on the server.
//!         assert!(!e.outcome_unknown());
//!     }
//!     Err(e) => return Err(e.into()),
//! }
//!
//! // Refused before anything is sent, naming the argument.
//! let e = client.packages().get(" ").await.unwrap_err();
//! assert_eq!((e.kind(), e.code(), e.field()), (ErrorKind::InvalidInput, "invalid-input", Some("submission_id")));
//! # Ok(()) }
//! ```
//!
//! When [`Error::outcome_unknown`] is true, a request reached the server and the answer was
//! lost (a broken connection, a timeout): the call may have taken effect. Look the object up
//! before sending a create again; EQP package creates with an `item_id` do that themselves.
//!
//! # Marktplaats: OAuth, an ad, a list
//!
//! ```
//! use sellkit::StreamExt;
//! use sellkit::marktplaats::{Client, models::{Advertisement, PriceModel}};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = sellkit_simulator::Simulator::start(Default::default())?;
//! let client = Client::builder()
//!     .platform_name("2dehands")
//!     .base_url(sim.marktplaats_url("2dehands")) // the simulator is its own auth server too
//!     .client_id(sim.mp_client_id())
//!     .client_secret(sim.mp_client_secret())
//!     .locale("nl-BE")
//!     // Called with every new token set before it is used: persist the refresh token here.
//!     .on_token(|tokens| {
//!         let _persist = tokens.refresh_token.as_ref().map(|t| t.expose().len());
//!         Ok(())
//!     })
//!     .build()?;
//!
//! // Authorization code: send the user to `url`, compare the `state` the redirect brings back.
//! let redirect_uri = "https://shop.example/oauth/callback";
//! let (url, state) = client.authorization_url(redirect_uri, None, None)?;
//! let (code, returned_state) = sim.mp_approve(&url)?; // what the user's browser would do
//! assert_eq!(returned_state.as_deref(), Some(state.as_str()));
//! client.exchange_code(&code, redirect_uri).await?;
//!
//! // An ad: amounts are euro cents; category attributes are top-level members.
//! let ad = Advertisement::new(35, "Sony cd-speler", "Werkt perfect.", PriceModel::fixed(3_250), "1097DN")
//!     .with_attribute("condition", "Nieuw");
//! let created = client.ads().create(&ad).await?;
//! let item_id = created.item_id.clone().expect("the server gives the id");
//!
//! // Change it with a JSON Patch of the differences (add / remove / replace only).
//! let mut cheaper = created.clone();
//! cheaper.price_model = Some(PriceModel::fixed(2_900));
//! let updated = client.ads().update_from(&item_id, &created, &cheaper).await?;
//! assert_eq!(updated.price_model.and_then(|p| p.asking_price), Some(2_900));
//!
//! // A list: the user's own ads, as JSON, page by page.
//! let mut ads = client.users().ads(None, Some(50), None)?.into_stream();
//! let mut titles = Vec::new();
//! while let Some(ad) = ads.next().await {
//!     let ad = ad?;
//!     titles.push(ad["title"].as_str().unwrap_or_default().to_owned());
//! }
//! assert_eq!(titles, ["Sony cd-speler"]);
//! # Ok(()) }
//! ```
//!
//! Without a browser step: [`marktplaats::ClientBuilder::refresh_token`] (a stored refresh
//! token), [`access_token`](marktplaats::ClientBuilder::access_token), or
//! [`Client::authenticate_client`](marktplaats::Client::authenticate_client) for a
//! client-credentials token. Webhooks: [`marktplaats::parse_webhook`] verifies a delivery's
//! signature and parses it in one call ([`marktplaats::verify_webhook`] only checks).
//!
//! # Errors
//!
//! [`ErrorKind`] is the category; [`Error::code`] the precise reason, stable across versions
//! (`invalid-input`, `invalid-locale`, `invalid-patch`, `invalid-patch-operation`,
//! `conflicting-state`, `rate-limited`, `response-too-large`, ... and Marktplaats' own text codes
//! such as `validation-failure`).
//!
//! | kind | when |
//! |---|---|
//! | `InvalidInput` | caught before sending; [`Error::field`] names the argument (`items[3].item_id`) |
//! | `Authentication` | 401, or a token endpoint refusing the credentials |
//! | `PermissionDenied`, `NotFound`, `Conflict` | 403, 404, 409 |
//! | `Validation` | 400 or 422: understood and refused; [`Error::details`] has the server's field details |
//! | `RateLimited` | 429, or a `Retry-After` longer than the client waits ([`Error::retry_after`]) |
//! | `Server`, `Api` | 5xx; any other error status |
//! | `Timeout`, `Connection` | no answer; see [`Error::outcome_unknown`] |
//! | `Decode` | a response that is not what the API documents |
//! | `Batch` | from [`BatchResult::raise_for_failures`](batch::BatchResult::raise_for_failures) |
//! | `Internal` | a bug in sellkit |
//!
//! [`Error::is_retryable`] says whether trying later may succeed. The error's text is its
//! message, then status, API code, request id and wait, then the code:
//! `HTTP 404 Not Found: ... (request id abc) [not-found]`. It never holds a secret; the raw
//! response body (at most 4 KiB, never a token endpoint's) is in [`Error::body`].
//!
//! # Retries and timeouts
//!
//! - **Retried**: statuses 408, 429, 500, 502, 503 and 504, and broken or timed-out
//!   connections. GET, HEAD, PUT and DELETE are repeated; POST and PATCH only when the request
//!   provably never reached the server, or when repeating cannot change the outcome (a token
//!   request; a patch of only `replace`, `test` and `add` to an object member).
//! - **Backoff**: 2 retries by default (`max_retries`, 0 to 10), exponential from 0.5 s with
//!   full jitter, at most 8 s. A `Retry-After` (seconds or HTTP date) is waited for up to 60 s;
//!   a longer one fails the call at once with `rate-limited` and [`Error::retry_after`] set.
//! - **Timeouts**: `connect_timeout` 10 s (establishing the connection, per attempt);
//!   `timeout` 60 s (one attempt, from connecting until the whole response body is read);
//!   multipart uploads use `upload_timeout`, 600 s. Waiting between retries is not counted: a call can
//!   take up to `(max_retries + 1) × timeout` plus the backoff.
//! - **Per call**: `client.with_options(CallOptions { timeout, max_retries })` gives a client
//!   that shares the pool and tokens with other settings ([`transport::CallOptions`]).
//! - **Large answers**: a body over `max_response_bytes` (64 MiB) is refused with
//!   `response-too-large` instead of being held in memory.
//!
//! ```
//! use sellkit::{eqp::Client, ErrorKind};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = sellkit_simulator::Simulator::start(Default::default())?;
//! let client = Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build()?;
//! client.authenticate().await?;
//!
//! // One 503 with `Retry-After: 0`: the GET is retried and succeeds.
//! sim.fail_next("GET /rest/v1/users/{mage_id}", 1, 503, Some("0"))?;
//! client.users().get(None).await?;
//!
//! // Without retries the 503 is the answer.
//! sim.fail_next("GET /rest/v1/users/{mage_id}", 1, 503, Some("0"))?;
//! let no_retries = client.with_options(sellkit::eqp::CallOptions { max_retries: Some(0), ..Default::default() })?;
//! let e = no_retries.users().get(None).await.unwrap_err();
//! assert_eq!((e.kind(), e.status(), e.is_retryable()), (ErrorKind::Server, Some(503), true));
//! # Ok(()) }
//! ```
//!
//! # Tokens
//!
//! One [`TokenManager`](auth::TokenManager) per credential: expiry is kept on the monotonic
//! clock; a token is refreshed `min(60 s, lifetime / 2)` before it expires; however many calls
//! wait, one refresh is in flight; on a 401 only the refused token is dropped, another is
//! fetched once and the call replayed once.
//!
//! - **EQP**: a session token from the app id and secret (HTTP Basic), fetched on the first
//!   call; [`token_lifetime`](eqp::ClientBuilder::token_lifetime) asks for a lifetime (the
//!   server clamps it). [`eqp::Client::authenticate`] fetches one now and returns the
//!   `mage_id`.
//! - **Marktplaats**: OAuth2. [`authorization_url`](marktplaats::Client::authorization_url) +
//!   [`exchange_code`](marktplaats::Client::exchange_code), a stored refresh or access token,
//!   or client credentials. Every new [`TokenSet`](marktplaats::TokenSet) goes to `on_token`
//!   *before* its access token is used, so a rotated refresh token is never lost; an error from
//!   `on_token` fails the call and the new token is not used. Calls that need client
//!   credentials (`users().create`, `upcalls().confirm`) fetch their own.
//!
//! # Money and time
//!
//! - Marktplaats amounts are `i64` euro cents everywhere (`askingPrice: 3250` is € 32.50); a
//!   fraction is refused before sending. No float ever holds money.
//! - EQP prices are [`eqp::Price`]: exact, two decimals, stored as cents. They read from
//!   `15.5` or `"15.50"`, go on the wire as the number `15.50`, and reach Python and Node as
//!   the string `"15.50"`.
//! - EQP timestamps are [`eqp::Timestamp`]: UTC, read from `2020-07-21 8:09:10` (hour
//!   unpadded too) or ISO 8601, written back as received. Marktplaats dates are the strings
//!   the server sent.
//! - Durations (timeouts, [`Error::retry_after`]) are [`std::time::Duration`]s; the APIs'
//!   own lifetimes (`expires_in`) are whole seconds.
//!
//! # JSON Patch
//!
//! [`patch`] implements RFC 6901 pointers and RFC 6902 patches: build ([`patch::Patch`]),
//! parse, validate, apply atomically, and [`diff`](patch::diff) two documents into a patch of
//! only `add`, `remove` and `replace`, the operations the Marktplaats server supports. Other
//! operations are refused before sending with `invalid-patch-operation`.
//!
//! ```
//! use serde_json::json;
//! use sellkit::patch::{self, Patch};
//!
//! let ops = Patch::new().replace("/priceModel/askingPrice", 2_900)?.move_from("/a", "/b")?;
//! let e = ops.validate(true).unwrap_err(); // `server_safe`: as the client checks a PATCH
//! assert_eq!((e.code(), e.field()), ("invalid-patch-operation", Some("ops[1].op")));
//!
//! let old = json!({"title": "Lamp", "priceModel": {"modelType": "fixed", "askingPrice": 3250}});
//! let new = json!({"title": "Lamp", "priceModel": {"modelType": "fixed", "askingPrice": 2900}});
//! let diff = patch::diff(&old, &new);
//! assert_eq!(patch::apply(&old, &diff)?, new);
//! # Ok::<(), sellkit::Error>(())
//! ```
//!
//! # Lenient decoding: wire and view
//!
//! Models ([`eqp::model`], [`marktplaats::models`]) are structs of `Option` fields plus
//! `extra`. Reading a response is lenient: unknown members, `null`s and values that do not fit
//! their field are kept in `extra`; open enums keep values they do not know (`Other`); `[]` is
//! read where an object is expected (EQP's PHP backend); documented aliases are read
//! (`content-type`, `eqp_state`). Caller input is read strictly, naming the path of a misfit.
//!
//! A model is written in one of two [`Mode`](model::Mode)s: [`to_json`](model::Model::to_json)
//! (the wire form) gives back exactly what was read, so nothing is lost on a round trip;
//! [`to_view`](model::Model::to_view) is the normalised form the Python and Node packages
//! return (aliases under their documented name, `[]` as `{}`, prices as exact strings).
//!
//! ```
//! use serde_json::json;
//! use sellkit::eqp::{Model, Package};
//!
//! let sent = json!({"submission_id": "f4eacd72be", "media_artifacts": [],
//!                   "prices": [{"edition": "CE", "price": 15.5}], "added_later": {"x": 1}});
//! let package = Package::from_json(&sent)?;
//! assert_eq!(package.prices.as_ref().unwrap()[0].price.unwrap().to_string(), "15.50");
//! assert_eq!(package.extra["added_later"], json!({"x": 1}));
//! assert_eq!(package.to_json(), sent);
//! assert_eq!(package.to_view()["media_artifacts"], json!({}));
//! assert_eq!(package.to_view()["prices"][0]["price"], json!("15.50"));
//!
//! let e = Package::from_input(&json!({"prices": [{"price": "1.999"}]}), "fields").unwrap_err();
//! assert_eq!(e.field(), Some("fields.prices[0].price"));
//! # Ok::<(), sellkit::Error>(())
//! ```
//!
//! # Features
//!
//! The TLS backend of every HTTPS call; one of the two must be enabled.
//!
//! - `rustls` (default): rustls with the aws-lc-rs provider; certificates are checked against
//!   the platform's trust store.
//! - `native-tls`: the platform's TLS library (OpenSSL on Linux, which needs its headers to
//!   build; Secure Transport on macOS; SChannel on Windows). For it alone, turn default
//!   features off: `sellkit = { version = "0.1", default-features = false, features =
//!   ["native-tls"] }`. With both enabled, native-tls is used.
//!
//! # Raw requests
//!
//! [`eqp::Client::request`] and [`marktplaats::Client::request`] reach any endpoint the typed
//! surface lacks, with the same auth, headers, retries and errors:
//! `client.request("GET", "/rest/v1/reports/metrics", None).await?`.

#![warn(missing_docs)]

pub mod auth;
pub mod batch;
#[doc(hidden)]
pub mod catalogue;
pub mod eqp;
mod env;
pub mod error;
pub mod locale;
pub mod logging;
pub mod marktplaats;
pub mod model;
pub mod pagination;
pub mod patch;
mod panic_guard;
#[doc(hidden)]
pub use panic_guard::call_that_panics;
mod path_segment;
pub mod secret;
pub mod store;
pub mod transport;
pub mod upload;

pub use error::{ApiCode, Error, ErrorKind, FieldDetail, Result};

/// The README's Rust blocks, compiled (and run) as doctests: what a user copies compiles.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
pub use pagination::{ListStream, StreamExt};
pub use secret::Secret;
