//! The Marktplaats / 2dehands / 2ememain API ("Marktplaats API", reference §1–5).
//!
//! ```no_run
//! # async fn demo() -> sellkit::Result<()> {
//! use sellkit::marktplaats::{Client, models::{Advertisement, PriceModel}};
//! let client = Client::builder()
//!     .platform_name("2dehands")
//!     .client_id("my-app")
//!     .client_secret("…")
//!     .refresh_token("a-stored-refresh-token")
//!     .on_token(|set| { /* persist set.refresh_token */ Ok(()) })
//!     .build()?;
//! let ad = Advertisement::new(35, "Test cd player", "An awesome cd player", PriceModel::fixed(3241), "1097DN")
//!     .with_attribute("condition", "Nieuw");
//! let created = client.ads().create(&ad).await?;
//! println!("placed {:?}", created.item_id);
//! # Ok(()) }
//! ```
//!
//! Every call sends `Accept: application/hal+json, application/json` (see [`client::ACCEPT`]);
//! PATCH bodies go as `application/json-patch+json`. Results keep HAL `_links` and `_embedded`.
//!
//! Ads are checked against their category before `create`, `replace`, `update_from` and an
//! attribute-writing `patch` send them ([`ads::Ads::validate`]): a failure is invalid input naming
//! the field (`fuel`, `attributes[2].value`) and nothing is sent. The category data is kept per
//! client for [`ClientBuilder::category_cache_ttl`]; [`ClientBuilder::validate`] and
//! [`ads::Ads::with_validation`] switch the checks. [`ClientBuilder::api_version`] picks `/v1` or
//! `/v2` paths ([`versions`]).

pub mod ads;
mod attributes;
pub mod bids;
pub mod categories;
pub mod client;
pub mod features;
mod flags;
pub mod images;
pub mod models;
mod oauth;
pub mod orders;
mod patching;
pub mod search;
pub mod sync;
pub mod transactions;
pub mod upcalls;
pub mod users;
pub mod validate;
pub mod versions;
pub mod webhooks;

use reqwest::Method;
use serde_json::{Map, Value};

pub use crate::auth::oauth2::{OnToken, TokenSet};
pub use crate::locale::{resolve, Locale, MarktplaatsEnvironment as Environment, Platform};
pub use crate::transport::CallOptions;
pub use categories::{Leaf, Placement};
pub use client::{Client, ClientBuilder};
pub use versions::ApiVersion;
pub use webhooks::{decode_webhook, parse_webhook, sign_webhook, verify_webhook};

use crate::error::{Error, Result};
use crate::transport::{Idempotency, Request, Response};

/// The URL to send a user to for the authorization-code flow, and its `state`.
///
/// `scopes` default to `read write`; `state` defaults to a fresh random value. The
/// authorization endpoint is the platform's (`auth.marktplaats.nl`, ...) unless
/// `authorize_url` (the endpoint) or `auth_base_url` (the server) is given.
#[derive(Debug, Clone, Default)]
pub struct AuthorizationRequest {
    /// `marktplaats` (default), `2dehands` or `2ememain`.
    pub platform: Option<String>,
    /// `production` (default) or `sandbox`.
    pub environment: Option<String>,
    /// The OAuth2 server (`/accounts/oauth/authorize` below it).
    pub auth_base_url: Option<String>,
    /// The authorization endpoint itself (wins over `auth_base_url`).
    pub authorize_url: Option<String>,
    /// The application's client id (required).
    pub client_id: String,
    /// Where the auth server sends the user back (an absolute URL, as registered).
    pub redirect_uri: String,
    /// Scopes to ask for (`read write` when `None`).
    pub scopes: Option<Vec<String>>,
    /// The `state` to send (a fresh random one when `None`).
    pub state: Option<String>,
}

/// Build an authorization URL; returns `(url, state)`. Nothing is sent.
///
/// # Errors
///
/// Invalid input for `client_id` (empty), `platform`, `environment`, `auth_base_url`,
/// `authorize_url`, `redirect_uri`, `scopes` or `state`, as [`ClientBuilder::build`] and
/// [`Client::authorization_url`] check them.
///
/// ```
/// use sellkit::marktplaats::{authorization_url, AuthorizationRequest};
///
/// let (url, state) = authorization_url(&AuthorizationRequest {
///     platform: Some("2dehands".into()),
///     client_id: "my-app".into(),
///     redirect_uri: "https://shop.example/callback".into(),
///     ..Default::default()
/// })?;
/// assert!(url.starts_with("https://auth.2dehands.be/accounts/oauth/authorize?response_type=code"));
/// assert!(url.contains("scope=read+write") && url.ends_with(&format!("state={state}")));
/// # Ok::<(), sellkit::Error>(())
/// ```
pub fn authorization_url(req: &AuthorizationRequest) -> Result<(String, String)> {
    let mut b = Client::builder().client_id(req.client_id.clone());
    if let Some(p) = &req.platform {
        b = b.platform_name(p.clone());
    }
    if let Some(e) = &req.environment {
        b = b.environment_name(e.clone());
    }
    if let Some(u) = &req.auth_base_url {
        b = b.auth_base_url(u.clone());
    }
    if let Some(u) = &req.authorize_url {
        b = b.authorize_url(u.clone());
    }
    if req.client_id.trim().is_empty() {
        return Err(Error::invalid_input("client_id", "must not be empty"));
    }
    b.build()?.authorization_url(&req.redirect_uri, req.scopes.as_deref(), req.state.as_deref())
}

/// Percent-encode one path segment given in `field`, refusing an empty one.
pub(crate) fn seg(field: &str, s: &str) -> Result<String> {
    if s.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    // Ids of this API never hold a slash, a control character, or only dots; such a value would
    // address another resource (a URL resolves `..`, even encoded) or a path the caller did not mean.
    if s.chars().any(|c| c == '/' || c == '\\' || c.is_control()) || crate::path_segment::is_dot_segment(s) {
        return Err(Error::invalid_input(field, format!("{s:?} is not an id: no slashes, control characters or dot segments")));
    }
    Ok(crate::path_segment::encode(s))
}

/// A positive id given in `field`.
pub(crate) fn id(field: &str, v: i64) -> Result<i64> {
    if v <= 0 {
        return Err(Error::invalid_input(field, format!("must be a positive id, got {v}")));
    }
    Ok(v)
}

/// The last path segment of a `Location` header (`/v1/advertisements/m1372` → `m1372`).
pub(crate) fn location_id(resp: &Response) -> Option<String> {
    let loc = resp.header("location")?;
    let path = loc.split(['?', '#']).next()?.trim_end_matches('/');
    path.rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The path of a `Location` header, relative to the API (absolute URLs keep their path).
pub(crate) fn location_path(resp: &Response) -> Option<String> {
    let loc = resp.header("location")?;
    if loc.starts_with('/') {
        return Some(loc.to_owned());
    }
    let url = url::Url::parse(loc).ok()?;
    let mut p = url.path().to_owned();
    if let Some(q) = url.query() {
        p.push('?');
        p.push_str(q);
    }
    Some(p)
}

/// A body that says something: a JSON object or array with content.
pub(crate) fn has_body(v: &Value) -> bool {
    match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(_) => true,
        Value::Null => false,
        _ => true,
    }
}

impl Client {
    pub(crate) async fn get_value(&self, path: String) -> Result<Value> {
        self.send(Request::new(Method::GET, path)).await?.json()
    }

    pub(crate) async fn get_query(&self, path: String, query: Vec<(String, String)>) -> Result<Value> {
        let mut req = Request::new(Method::GET, path);
        req.query = query;
        self.send(req).await?.json()
    }

    pub(crate) async fn send_json(&self, method: Method, path: String, body: &Value) -> Result<Response> {
        self.send(Request::new(method, path).json(body)?).await
    }

    pub(crate) async fn delete_value(&self, path: String) -> Result<Value> {
        self.send(Request::new(Method::DELETE, path)).await?.json()
    }

    /// POST a body that creates something (201 + `Location`): the created resource is the body
    /// when there is one, else what `Location` names, fetched.
    pub(crate) async fn create(&self, path: String, body: &Value, as_client: Option<&[&str]>) -> Result<(Value, Option<String>)> {
        let req = Request::new(Method::POST, path).json(body)?.idempotency(Idempotency::ByMethod);
        let resp = match as_client {
            Some(scopes) => self.send_as_client(req, scopes).await?,
            None => self.send(req).await?,
        };
        let id = location_id(&resp);
        let v = resp.json()?;
        if has_body(&v) {
            return Ok((v, id));
        }
        match location_path(&resp) {
            Some(p) if as_client.is_none() => Ok((self.read_back(p, body.clone()).await, id)),
            _ => Ok((v, id)),
        }
    }

    /// PUT or PATCH, then the resource: the body when there is one, else a GET of `path`
    /// (`known` if that read fails: see [`Client::read_back`]).
    pub(crate) async fn update(&self, req: Request, known: Value) -> Result<Value> {
        let path = req.path.clone();
        let v = self.send(req).await?.json()?;
        if has_body(&v) {
            return Ok(v);
        }
        Ok(self.read_back(path, known).await)
    }

    /// GET a resource after a write that succeeded with an empty answer. The write's success
    /// stands whatever happens here: reporting a failure would make the caller believe nothing
    /// changed (and send a create again). When the read fails, the result is `known`, what the
    /// caller already knows of the resource (the body it sent), and a warning is logged.
    async fn read_back(&self, path: String, known: Value) -> Value {
        match self.get_value(path.clone()).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(path = %path, error = %e, "sellkit: the write succeeded but reading the resource back failed; returning what was sent");
                known
            }
        }
    }
}

/// Insert a value into an object body.
pub(crate) fn insert(body: &mut Value, key: &str, v: impl Into<Value>) {
    if let Value::Object(m) = body {
        m.insert(key.to_owned(), v.into());
    }
}

/// `{"pay": true}` plus `orderId` when given: the body of buy-feature and renew.
pub(crate) fn pay_body(order_id: Option<i64>) -> Value {
    let mut m = Map::new();
    if let Some(o) = order_id {
        m.insert("orderId".into(), o.into());
    }
    m.insert("pay".into(), true.into());
    Value::Object(m)
}
