//! The Marktplaats / 2dehands / 2ememain API, one listener per platform.
//!
//! Each platform is served at its own base URL ([`crate::Simulator::marktplaats_url`]); a
//! request's platform is the listener it arrived on, as on the real hosts, and the data of the
//! three platforms is kept apart (an ad placed on 2dehands is not found on Marktplaats). The
//! OAuth2 endpoints (`/accounts/oauth/authorize`, `/accounts/oauth/token`) are served on each
//! listener too, so a client's `base_url` is all it needs.
//!
//! Every `/v1` and `/v2` route answers 406 (plain text) when `Accept` lacks `application/json`
//! (or `*/*`, `application/*`), then 401 with a JSON body for a missing, unknown or expired token.
//! Errors use the API's `{code, message, logref, details[]}` body with its string codes.
//!
//! Route names in the request counters and for fault injection are the paths without the
//! platform (`"POST /v1/advertisements"`, `"GET /v1/advertisements/{itemId}"`,
//! `"POST /accounts/oauth/token"`): a counter sums the three listeners, and a fault queued on a
//! route applies to whichever listener the next matching request reaches.

// Handlers answer early with a ready `Response` as their error: its size does not matter here.
#![allow(clippy::result_large_err)]

/// `?` for a handler that answers with a `Response`: the `Ok` value, or that error response at once.
macro_rules! or_respond {
    ($result:expr) => {
        match $result {
            Ok(v) => v,
            Err(response) => return response,
        }
    };
}

mod ads;
mod attributes;
mod catalog;
pub(crate) mod control;
mod images;
pub(crate) mod oauth;
mod patch;
mod search;
mod time;
mod users;
pub(crate) mod versions;
mod webhooks;

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::routes::{Api, RouteTable};
use crate::Shared;

pub use webhooks::Delivery;

/// Demo OAuth client the simulator accepts.
pub const MP_CLIENT_ID: &str = "sellkit-demo-client";
pub const MP_CLIENT_SECRET: &str = "sellkit-demo-secret-3b8f1c";
/// The user the authorization endpoint approves as (on every platform).
pub const MP_USER_ID: i64 = 1;
/// The seller of the ads seeded with [`crate::Simulator::mp_seed_ads`].
pub const MP_OTHER_USER_ID: i64 = 2;

/// A Marktplaats platform (the simulator's own copy: it does not depend on the SDK).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Marktplaats,
    TweedeHands,
    DeuxiemeMain,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Marktplaats, Platform::TweedeHands, Platform::DeuxiemeMain];

    pub fn parse(s: &str) -> Option<Platform> {
        match s.trim().to_ascii_lowercase().as_str() {
            "marktplaats" => Some(Platform::Marktplaats),
            "2dehands" => Some(Platform::TweedeHands),
            "2ememain" => Some(Platform::DeuxiemeMain),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Marktplaats => "marktplaats",
            Platform::TweedeHands => "2dehands",
            Platform::DeuxiemeMain => "2ememain",
        }
    }
    pub fn index(self) -> usize {
        match self {
            Platform::Marktplaats => 0,
            Platform::TweedeHands => 1,
            Platform::DeuxiemeMain => 2,
        }
    }
    pub fn locales(self) -> &'static [&'static str] {
        match self {
            Platform::Marktplaats => &["nl-NL"],
            _ => &["nl-BE", "fr-BE"],
        }
    }
    pub fn default_locale(self) -> &'static str {
        match self {
            Platform::Marktplaats => "nl-NL",
            Platform::TweedeHands => "nl-BE",
            Platform::DeuxiemeMain => "fr-BE",
        }
    }
}

pub(crate) struct AccessToken {
    pub platform: Platform,
    pub user_id: Option<i64>,
    pub scopes: Vec<String>,
    pub expires: Instant,
}

pub(crate) struct RefreshToken {
    pub platform: Platform,
    pub user_id: i64,
    pub scopes: Vec<String>,
    /// Already exchanged (with rotation on, presenting it again is reuse).
    pub used: bool,
}

pub(crate) struct CodeGrant {
    pub platform: Platform,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub expires: Instant,
}

/// One platform's data.
#[derive(Default)]
pub(crate) struct PlatformData {
    /// number of the item id (`m12` → 12) → ad (without `_links`).
    pub ads: BTreeMap<u64, AdRecord>,
    pub images: HashMap<String, ImageRecord>,
    pub users: BTreeMap<i64, Map<String, Value>>,
    pub profiles: HashMap<i64, Map<String, Value>>,
    /// (user, `profile-image` | `backdrop-image` | `logo-image`) → image.
    pub profile_images: HashMap<(i64, String), ProfileImage>,
    pub review_settings: HashMap<i64, Map<String, Value>>,
    pub user_features: HashMap<(i64, String), bool>,
    pub orders: BTreeMap<i64, Map<String, Value>>,
}

pub(crate) struct AdRecord {
    pub owner: i64,
    pub doc: Map<String, Value>,
    /// Image media ids, in order.
    pub images: Vec<String>,
    pub bids: BTreeMap<i64, Map<String, Value>>,
    pub transactions: BTreeMap<i64, Map<String, Value>>,
    /// Feature name → purchase date.
    pub purchased: BTreeMap<String, String>,
    pub views: u64,
    pub asqs: u64,
}

pub(crate) struct ImageRecord {
    pub image_id: i64,
    pub url: String,
    pub available_at: Instant,
    /// The bytes and content type of an uploaded image (an image added by URL has none: its
    /// blob is a placeholder).
    pub blob: Option<(Bytes, &'static str)>,
}

/// A user's profile, backdrop or logo image.
pub(crate) struct ProfileImage {
    /// The URL it was set from, or where an uploaded one is served.
    pub url: String,
    /// The stored upload in [`PlatformData::images`], for an image sent as a file.
    pub media_id: Option<String>,
}

pub(crate) struct MpInner {
    pub token_lifetime: u64,
    pub rotate_refresh_tokens: bool,
    pub image_delay: Duration,
    pub codes: HashMap<String, CodeGrant>,
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshToken>,
    pub platforms: [PlatformData; 3],
    pub webhook: Option<(String, String)>,
    pub deliveries: Vec<Delivery>,
    pub next_id: i64,
    /// Refresh grants served, refresh tokens rotated, and spent ones presented again.
    pub refreshes: u64,
    pub rotations: u64,
    pub reuse_detections: u64,
}

pub(crate) struct MpState {
    inner: Mutex<MpInner>,
}

impl MpState {
    pub fn new() -> MpState {
        let mut platforms: [PlatformData; 3] = Default::default();
        for p in Platform::ALL {
            let data = &mut platforms[p.index()];
            for (id, name, email) in [(MP_USER_ID, "Robin", "robin@example.com"), (MP_OTHER_USER_ID, "Sam", "sam@example.com")] {
                let user = json!({
                    "userId": id, "email": email, "name": name, "phoneNumber": "0204167248", "postcode": "1097DN",
                    "locale": p.default_locale(), "status": "confirmed", "confirmDate": "2014-12-23T16:59:39Z",
                    "dealerPackage": "NONE"
                });
                data.users.insert(id, user.as_object().cloned().unwrap_or_default());
            }
        }
        MpState {
            inner: Mutex::new(MpInner {
                token_lifetime: 43199,
                rotate_refresh_tokens: false,
                image_delay: Duration::from_millis(200),
                codes: HashMap::new(),
                access: HashMap::new(),
                refresh: HashMap::new(),
                platforms,
                webhook: None,
                deliveries: Vec::new(),
                next_id: 1000,
                refreshes: 0,
                rotations: 0,
                reuse_detections: 0,
            }),
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, MpInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl MpInner {
    pub fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }
    pub fn data(&mut self, p: Platform) -> &mut PlatformData {
        &mut self.platforms[p.index()]
    }
}

/// Registers each route under `/v1` and under `/v2`: the endpoints the v2 docs list.
macro_rules! v1_and_v2 {
    ($table:expr; $( $method:ident $path:literal => $handler:expr ),* $(,)?) => {
        $table $( .$method(concat!("/v1", $path), $handler).$method(concat!("/v2", $path), $handler) )*
    };
}

/// Every Marktplaats route (each platform listener serves them all), in the router and in
/// [`crate::Simulator::routes`]. The endpoints the v2 docs list are served under `/v1` and
/// `/v2` alike (a `/v2` answer carries `/v2` links: see [`versions`]); the pages only v1 has
/// (category fees, fitments, the seller profile and its images, review settings, user
/// features) only under `/v1`; legal status only under `/v2`.
pub(crate) fn routes() -> RouteTable {
    let table = RouteTable::new(Api::Marktplaats)
        .get("/accounts/oauth/authorize", oauth::authorize)
        .post("/accounts/oauth/token", oauth::token);
    let table = v1_and_v2!(table;
        get "" => catalog::root,
        get "/categories" => catalog::categories,
        get "/categories/{l1}" => catalog::category_l1,
        get "/categories/{l1}/{l2}" => catalog::category_l2,
        get "/categories/{l1}/{l2}/attributes" => catalog::attributes,
        get "/locations" => catalog::locations,
        get "/search" => search::search,
        post "/search" => search::search_json,
        get "/advertisements" => ads::collection,
        post "/advertisements" => ads::create,
        get "/advertisements/{itemId}" => ads::get,
        put "/advertisements/{itemId}" => ads::replace,
        patch "/advertisements/{itemId}" => ads::patch,
        delete "/advertisements/{itemId}" => ads::delete,
        post "/advertisements/{itemId}/renew" => ads::renew,
        get "/advertisements/{itemId}/statistics" => ads::statistics,
        get "/advertisements/{itemId}/images" => images::list,
        post "/advertisements/{itemId}/images" => images::add,
        get "/images/{mediaId}" => images::get,
        get "/images/{mediaId}/{size}/meta" => images::meta,
        get "/images/{mediaId}/{size}/blob" => images::blob,
        get "/advertisements/{itemId}/features" => ads::features,
        get "/advertisements/{itemId}/features/{featureName}" => ads::feature,
        post "/advertisements/{itemId}/features/{featureName}/buy-feature" => ads::buy_feature,
        get "/advertisements/{itemId}/purchased-features" => ads::purchased_features,
        get "/advertisements/{itemId}/transactions" => ads::transactions,
        post "/advertisements/{itemId}/transactions" => ads::create_transaction,
        get "/advertisements/{itemId}/transactions/{transactionId}" => ads::transaction,
        get "/advertisements/{itemId}/bids" => ads::bids,
        get "/advertisements/{itemId}/bids/{bidId}" => ads::bid,
        delete "/advertisements/{itemId}/bids/{bidId}" => ads::delete_bid,
        post "/advertisements/{itemId}/bids/{bidId}/actions/ask-bidder-question" => ads::ask_bidder_question,
        post "/advertisements/{itemId}/upcall-confirmations" => ads::upcall_confirmation,
        get "/me" => users::me,
        get "/users" => users::collection,
        post "/users" => users::create,
        get "/users/{userId}" => users::get,
        post "/users/{userId}/change-email" => users::change_email,
        get "/users/{userId}/advertisements" => users::ads,
        get "/users/{userId}/brands" => users::brands,
        get "/users/{userId}/reviews" => users::reviews,
        get "/users/{userId}/statistics" => users::statistics,
        get "/orders/{orderId}" => users::order,
        get "/orders/{orderId}/products" => users::order_products,
        get "/orders/{orderId}/products/{productId}" => users::order_product,
    );
    table
        .get("/v1/categories/{l1}/{l2}/fees", catalog::fees)
        .get("/v1/advertisements/{itemId}/fitments", ads::fitments)
        .get("/v1/advertisements/{itemId}/fitments/ktype", ads::fitments)
        .get("/v1/users/{userId}/profile", users::profile)
        .put("/v1/users/{userId}/profile", users::replace_profile)
        .patch("/v1/users/{userId}/profile", users::patch_profile)
        .get("/v1/users/{userId}/profile/profile-image", users::profile_image)
        .post("/v1/users/{userId}/profile/profile-image", users::set_profile_image)
        .delete("/v1/users/{userId}/profile/profile-image", users::delete_profile_image)
        .get("/v1/users/{userId}/profile/backdrop-image", users::profile_image)
        .post("/v1/users/{userId}/profile/backdrop-image", users::set_profile_image)
        .delete("/v1/users/{userId}/profile/backdrop-image", users::delete_profile_image)
        .get("/v1/users/{userId}/profile/logo-image", users::profile_image)
        .post("/v1/users/{userId}/profile/logo-image", users::set_profile_image)
        .delete("/v1/users/{userId}/profile/logo-image", users::delete_profile_image)
        .get("/v1/users/{userId}/reviews-settings", users::review_settings)
        .put("/v1/users/{userId}/reviews-settings", users::replace_review_settings)
        .patch("/v1/users/{userId}/reviews-settings", users::patch_review_settings)
        .get("/v1/users/{userId}/features", users::features)
        .post("/v1/users/{userId}/features/{featureName}/buy-feature", users::buy_feature)
        .get("/v2/users/{userId}/legal-status", users::legal_status)
}

// --- responses ------------------------------------------------------------------------------

/// The API's error body.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    error_with(status, code, message, Vec::new())
}

pub(crate) fn error_with(status: StatusCode, code: &str, message: &str, details: Vec<Value>) -> Response {
    let mut body = json!({
        "_links": {"help": {"href": format!("https://api.marktplaats.nl/docs/v1/error-codes.html#{code}")}},
        "logref": format!("sim-{:016x}", fastrand::u64(..)),
        "code": code,
        "message": message,
    });
    if !details.is_empty() {
        body["details"] = Value::Array(details);
    }
    (status, Json(body)).into_response()
}

/// One field error.
pub(crate) fn detail(field: &str, code: &str, message: &str, value: Option<Value>) -> Value {
    let mut d = json!({"field": field, "code": code, "message": message});
    if let Some(v) = value {
        d["value"] = v;
    }
    d
}

/// 400 `validation-failure` with field details.
pub(crate) fn validation(details: Vec<Value>) -> Response {
    error_with(StatusCode::BAD_REQUEST, "validation-failure", "Validation failed", details)
}

pub(crate) fn ok(v: Value) -> Response {
    (StatusCode::OK, Json(v)).into_response()
}

pub(crate) fn with_status(status: StatusCode, v: Value) -> Response {
    (status, Json(v)).into_response()
}

/// 201 with `Location` (and the body, when given).
pub(crate) fn created(location: &str, body: Option<Value>) -> Response {
    let mut resp = match body {
        Some(b) => (StatusCode::CREATED, Json(b)).into_response(),
        None => StatusCode::CREATED.into_response(),
    };
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

pub(crate) fn not_found(code: &str, what: &str) -> Response {
    error(StatusCode::NOT_FOUND, code, &format!("{what} not found"))
}

pub(crate) fn unauthorized_action(message: &str) -> Response {
    error(StatusCode::FORBIDDEN, "unauthorized", message)
}

// --- request checks -------------------------------------------------------------------------

/// Who is calling.
pub(crate) struct Caller {
    pub user_id: Option<i64>,
    pub scopes: Vec<String>,
}

fn accepts_json(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else { return true };
    accept.split(',').any(|part| {
        let mt = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        mt == "application/json" || mt == "*/*" || mt == "application/*"
    })
}

/// 406 without `application/json` in `Accept`, then 401 without a valid token for `platform`.
pub(crate) fn caller(shared: &Shared, platform: Platform, headers: &HeaderMap) -> Result<Caller, Response> {
    if !accepts_json(headers) {
        return Err((StatusCode::NOT_ACCEPTABLE, "Not Acceptable").into_response());
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let unauthorized = |desc: &str| {
        let mut resp = (StatusCode::UNAUTHORIZED, Json(json!({"error": "invalid_token", "error_description": desc}))).into_response();
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        resp
    };
    let Some(token) = token else { return Err(unauthorized("Full authentication is required")) };
    let inner = shared.mp.lock();
    match inner.access.get(token) {
        Some(t) if t.platform != platform => Err(unauthorized("Invalid access token: issued for another platform")),
        Some(t) if Instant::now() >= t.expires => Err(unauthorized("Access token expired")),
        Some(t) => Ok(Caller { user_id: t.user_id, scopes: t.scopes.clone() }),
        None => Err(unauthorized("Invalid access token")),
    }
}

/// [`caller`] that must be a user (not a client-credentials token).
pub(crate) fn user_caller(shared: &Shared, platform: Platform, headers: &HeaderMap) -> Result<i64, Response> {
    let c = caller(shared, platform, headers)?;
    c.user_id.ok_or_else(|| unauthorized_action("this call needs a user's token, not a client-credentials token"))
}

/// A JSON request body with one of the `allowed` content types.
pub(crate) fn json_body(headers: &HeaderMap, body: &Bytes, allowed: &[&str]) -> Result<Value, Response> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mt = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !allowed.contains(&mt.as_str()) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "incorrect-content-type",
            &format!("Content-Type {mt:?} is not supported here; use {}", allowed.join(" or ")),
        ));
    }
    serde_json::from_slice(body).map_err(|e| error(StatusCode::BAD_REQUEST, "invalid-json", &format!("The body is not valid JSON: {e}")))
}

/// A JSON body that must be an object; otherwise a 400 `invalid-json` saying `refusal`.
pub(crate) fn json_object_body(headers: &HeaderMap, body: &Bytes, refusal: &str) -> Result<Map<String, Value>, Response> {
    match json_body(headers, body, JSON)? {
        Value::Object(m) => Ok(m),
        _ => Err(error(StatusCode::BAD_REQUEST, "invalid-json", refusal)),
    }
}

pub(crate) const JSON: &[&str] = &["application/json"];
pub(crate) const JSON_PATCH: &[&str] = &["application/json-patch+json"];

/// Parse `m12` into 12.
pub(crate) fn item_number(item_id: &str) -> Option<u64> {
    item_id.strip_prefix('m')?.parse().ok()
}

/// A random UUID-shaped id.
pub(crate) fn uuid() -> String {
    let h = |n: usize| (0..n).map(|_| char::from_digit(fastrand::u32(..16), 16).unwrap_or('0')).collect::<String>();
    format!("{}-{}-4{}-a{}-{}", h(8), h(4), h(3), h(3), h(12))
}

/// A random token.
pub(crate) fn random_token() -> String {
    uuid()
}

/// The `curies` link every HAL answer carries.
pub(crate) fn curies() -> Value {
    json!([{"name": "mp", "href": "https://api.marktplaats.nl/docs/v1/rels/{rel}.html", "templated": true}])
}

/// Query string as a map.
pub(crate) fn query_map(query: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned().collect()
}

/// Check one amount of euro cents; push a detail when it is not a whole non-negative number.
pub(crate) fn check_cents(field: &str, v: Option<&Value>, required: bool, details: &mut Vec<Value>) {
    match v {
        None if required => details.push(detail(field, "missing-required-field", "This field is required", None)),
        None => {}
        Some(Value::Number(n)) if n.as_i64().is_some_and(|i| i >= 0) || n.as_u64().is_some() => {}
        Some(_) => details.push(detail(field, "input-invalid", "Must be a whole, non-negative number of euro cents", None)),
    }
}

/// Phone rules of reference §1.4.14; `None` when valid, else the reason.
pub(crate) fn phone_problem(raw: &str) -> Option<&'static str> {
    let compact: String = raw.trim().chars().filter(|c| *c != ' ' && *c != '-').collect();
    if let Some(rest) = compact.strip_prefix('+') {
        let ok = rest.chars().all(|c| c.is_ascii_digit()) && (8..=19).contains(&rest.len());
        return (!ok).then_some("An international number has 8 to 19 digits after +");
    }
    if !compact.chars().all(|c| c.is_ascii_digit()) || !compact.starts_with('0') {
        return Some("Not a phone number");
    }
    if compact.starts_with("00") {
        return Some("The 00 prefix is not allowed");
    }
    if compact.starts_with("080") || compact.starts_with("090") {
        return Some("080x and 090x numbers are not allowed");
    }
    (!(10..=21).contains(&compact.len())).then_some("A Dutch number has 10 to 21 digits")
}
