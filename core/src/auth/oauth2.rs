//! OAuth2 (RFC 6749) as the Marktplaats auth servers speak it: authorization URLs with `state`,
//! and form-encoded token requests for the `authorization_code`, `refresh_token` and
//! `client_credentials` grants.
//!
//! Token responses are [`TokenSet`]s; their tokens are [`Secret`]s, so neither `Debug` nor an
//! error message ever shows them. [`TokenSet::to_json`] exposes them on purpose, for a caller
//! that persists them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Map, Value};
use url::Url;

use crate::auth::Token;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::transport::{Body, Idempotency, Request, Transport};

/// What an OAuth2 token endpoint answered. Unknown members are kept in `extra`.
#[derive(Clone, PartialEq)]
pub struct TokenSet {
    /// The access token (without `Bearer `).
    pub access_token: Secret,
    /// `Bearer` (the servers also send `bearer`).
    pub token_type: Option<String>,
    /// Lifetime of the access token in seconds, as sent.
    pub expires_in: Option<u64>,
    /// The refresh token, when the grant gave one. A new one replaces the old: persist it.
    pub refresh_token: Option<Secret>,
    /// As sent: space- or comma-separated (`"read,write"` in the guide).
    pub scope: Option<String>,
    /// Other members of the response (`jti`, ...), as sent.
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "***"))
            .field("scope", &self.scope)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl crate::model::Describe for TokenSet {
    fn describe(reg: &mut crate::model::Registry) -> crate::model::Ty {
        use crate::model::{FieldDef, Ty, TypeDef};
        let field = |key, ty, always, doc: &str| FieldDef { key, alias: None, ty, always, flags: Default::default(), doc: doc.to_owned() };
        reg.define("TokenSet", |_| TypeDef::Model {
            open: false,
            doc: "Tokens from a token endpoint. They are secrets: persist them safely, never log them.".into(),
            fields: vec![
                field("access_token", Ty::Str, true, "The access token."),
                field("token_type", Ty::Str, false, "`Bearer`."),
                field("expires_in", Ty::Int, false, "Lifetime of the access token in seconds."),
                field("refresh_token", Ty::Str, false, "The refresh token (a new one replaces the old: persist it)."),
                field("scope", Ty::Str, false, "The granted scopes, as sent."),
            ],
        })
    }
}

impl crate::catalogue::View for TokenSet {
    fn into_view(self) -> Result<Value> {
        Ok(self.to_json())
    }
}

impl TokenSet {
    /// Read a token response. Numbers sent as strings (`"43199"`) are accepted.
    ///
    /// # Errors
    ///
    /// A decode error when `v` is not an object, has no non-empty `access_token`, or has an
    /// `expires_in` that is not a whole number of seconds.
    pub fn from_json(v: &Value) -> Result<TokenSet> {
        let Value::Object(map) = v else {
            return Err(Error::new(ErrorKind::Decode, "the token response is not a JSON object"));
        };
        let mut extra = map.clone();
        let access_token = match extra.remove("access_token") {
            Some(Value::String(s)) if !s.is_empty() => Secret::new(s),
            _ => return Err(Error::new(ErrorKind::Decode, "the token response has no access_token")),
        };
        let token_type = take_string(&mut extra, "token_type");
        let expires_in = match extra.remove("expires_in") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(n.as_u64().ok_or_else(|| bad("expires_in"))?),
            Some(Value::String(s)) => Some(s.trim().parse().map_err(|_| bad("expires_in"))?),
            Some(_) => return Err(bad("expires_in")),
        };
        let refresh_token = take_string(&mut extra, "refresh_token").filter(|s| !s.is_empty()).map(Secret::new);
        let scope = take_string(&mut extra, "scope");
        Ok(TokenSet { access_token, token_type, expires_in, refresh_token, scope, extra })
    }

    /// The token response as JSON, secrets included: only for persisting them.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("access_token".into(), self.access_token.expose().into());
        if let Some(t) = &self.token_type {
            m.insert("token_type".into(), t.clone().into());
        }
        if let Some(e) = self.expires_in {
            m.insert("expires_in".into(), e.into());
        }
        if let Some(r) = &self.refresh_token {
            m.insert("refresh_token".into(), r.expose().into());
        }
        if let Some(s) = &self.scope {
            m.insert("scope".into(), s.clone().into());
        }
        m.extend(self.extra.clone());
        Value::Object(m)
    }

    /// The scopes granted, split on spaces and commas.
    pub fn scopes(&self) -> Vec<&str> {
        self.scope.as_deref().map(|s| s.split([' ', ',']).filter(|s| !s.is_empty()).collect()).unwrap_or_default()
    }

    /// The access token as a [`Token`] for the token manager, received at `issued_at`.
    /// Without `expires_in` the token is used until the server refuses it.
    pub fn to_token(&self, issued_at: Instant) -> Token {
        let ttl = Duration::from_secs(self.expires_in.unwrap_or(365 * 24 * 3600).max(1));
        Token::new(Secret::new(format!("Bearer {}", self.access_token.expose())), issued_at, ttl)
    }
}

fn take_string(m: &mut Map<String, Value>, key: &str) -> Option<String> {
    match m.remove(key) {
        Some(Value::String(s)) => Some(s),
        Some(other) if !other.is_null() => {
            m.insert(key.to_owned(), other);
            None
        }
        _ => None,
    }
}

fn bad(field: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("the token response has an invalid {field}"))
}

/// Called with every new token set, before its access token is used. Persist the refresh
/// token here: a rotated one is otherwise lost. An error makes the call that needed the token
/// fail with that error, and the new access token is not used.
pub type OnToken = Arc<dyn Fn(&TokenSet) -> Result<()> + Send + Sync>;

/// A fresh random `state` value: 128 bits from the operating system's random source, as 32
/// lowercase hex digits.
///
/// # Errors
///
/// An internal error when the operating system gives no random bytes.
pub fn random_state() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("no random bytes for the OAuth state: {e}")))?;
    Ok(hex::encode(bytes))
}

/// Build `authorize_url?response_type=code&client_id=..&redirect_uri=..&scope=..&state=..`.
/// Returns the URL and the `state` (the one given, or a fresh random one), which the caller
/// must compare with the `state` the redirect brings back. Scopes are joined with spaces; no
/// `scope` parameter is sent when there are none.
///
/// # Errors
///
/// Invalid input for `client_id` (empty), `redirect_uri` (empty or not an absolute URL),
/// `scopes` (an empty scope or one with whitespace) or `state` (given but blank).
///
/// ```
/// let authorize = url::Url::parse("https://auth.marktplaats.nl/accounts/oauth/authorize").unwrap();
/// let (url, state) = sellkit::auth::oauth2::build_authorization_url(
///     &authorize, "my-app", "https://shop.example/callback", &["read".into(), "write".into()], None,
/// )?;
/// assert!(url.contains("response_type=code") && url.contains(&format!("state={state}")));
/// # Ok::<(), sellkit::Error>(())
/// ```
pub fn build_authorization_url(
    authorize_url: &Url,
    client_id: &str,
    redirect_uri: &str,
    scopes: &[String],
    state: Option<&str>,
) -> Result<(String, String)> {
    if client_id.trim().is_empty() {
        return Err(Error::invalid_input("client_id", "must not be empty"));
    }
    check_redirect_uri(redirect_uri)?;
    for s in scopes {
        if s.is_empty() || s.contains(char::is_whitespace) {
            return Err(Error::invalid_input("scopes", format!("{s:?} is not a valid scope")));
        }
    }
    let state = match state {
        Some(s) if s.trim().is_empty() => return Err(Error::invalid_input("state", "must not be empty")),
        Some(s) => s.to_owned(),
        None => random_state()?,
    };
    let mut url = authorize_url.clone();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code");
        q.append_pair("client_id", client_id);
        q.append_pair("redirect_uri", redirect_uri);
        if !scopes.is_empty() {
            q.append_pair("scope", &scopes.join(" "));
        }
        q.append_pair("state", &state);
    }
    Ok((url.into(), state))
}

pub(crate) fn check_redirect_uri(redirect_uri: &str) -> Result<()> {
    if redirect_uri.trim().is_empty() {
        return Err(Error::invalid_input("redirect_uri", "must not be empty"));
    }
    Url::parse(redirect_uri)
        .map(|_| ())
        .map_err(|e| Error::invalid_input("redirect_uri", format!("must be an absolute URL ({e})")))
}

/// A token endpoint and the client credentials presented to it.
#[derive(Clone)]
pub struct TokenEndpoint {
    transport: Transport,
    path: String,
    client_id: Option<String>,
    client_secret: Option<Secret>,
}

impl std::fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("url", &self.url())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .finish()
    }
}

impl TokenEndpoint {
    /// `transport` must have the token URL's origin as its base URL.
    pub fn new(transport: Transport, token_url: &Url, client_id: Option<String>, client_secret: Option<Secret>) -> Self {
        let mut path = token_url.path().to_owned();
        if let Some(q) = token_url.query() {
            path.push('?');
            path.push_str(q);
        }
        TokenEndpoint { transport, path, client_id, client_secret }
    }

    /// The token endpoint's absolute URL.
    pub fn url(&self) -> String {
        format!("{}{}", self.transport.base_url().as_str().trim_end_matches('/'), self.path)
    }

    fn credentials(&self) -> Result<Vec<(String, Secret)>> {
        let id = self.client_id.clone().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            Error::invalid_input("client_id", "is required to request tokens (set client_id and client_secret)")
        })?;
        let mut pairs = vec![("client_id".to_owned(), Secret::new(id))];
        match &self.client_secret {
            Some(s) if !s.is_empty() => pairs.push(("client_secret".to_owned(), s.clone())),
            _ => return Err(Error::invalid_input("client_secret", "is required to request tokens")),
        }
        Ok(pairs)
    }

    /// `grant_type=authorization_code`. A code is used once: never repeated once sent.
    ///
    /// # Errors
    ///
    /// Invalid input for `code` (empty), `redirect_uri` (empty or not absolute), `client_id` or
    /// `client_secret` (not configured); an authentication error when the endpoint answers 400,
    /// 401 or 403; otherwise the transport's errors.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<TokenSet> {
        if code.trim().is_empty() {
            return Err(Error::invalid_input("code", "must not be empty"));
        }
        check_redirect_uri(redirect_uri)?;
        let mut form = vec![
            ("grant_type".to_owned(), Secret::new("authorization_code")),
            ("code".to_owned(), Secret::new(code)),
            ("redirect_uri".to_owned(), Secret::new(redirect_uri)),
        ];
        form.extend(self.credentials()?);
        self.request(form, Idempotency::Unsafe).await
    }

    /// `grant_type=refresh_token`. Not repeated once sent: a server that rotates refresh tokens
    /// may take a repeat for a stolen token.
    ///
    /// # Errors
    ///
    /// As [`exchange_code`](Self::exchange_code), without the `code` and `redirect_uri` checks.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet> {
        let mut form =
            vec![("grant_type".to_owned(), Secret::new("refresh_token")), ("refresh_token".to_owned(), refresh_token.clone())];
        form.extend(self.credentials()?);
        self.request(form, Idempotency::Unsafe).await
    }

    /// `grant_type=client_credentials` with `scope` (space-separated). Safe to repeat.
    ///
    /// # Errors
    ///
    /// As [`refresh`](Self::refresh).
    pub async fn client_credentials(&self, scopes: &[String]) -> Result<TokenSet> {
        let mut form = vec![("grant_type".to_owned(), Secret::new("client_credentials"))];
        if !scopes.is_empty() {
            form.push(("scope".to_owned(), Secret::new(scopes.join(" "))));
        }
        form.extend(self.credentials()?);
        self.request(form, Idempotency::Safe).await
    }

    async fn request(&self, form: Vec<(String, Secret)>, idempotency: Idempotency) -> Result<TokenSet> {
        let grant = form.first().map(|(_, v)| v.expose().to_owned()).unwrap_or_default();
        let mut req = Request::new(Method::POST, self.path.clone()).body(Body::Form(form)).idempotency(idempotency);
        req.secret_response = true;
        let resp = self.transport.execute(&req).await.map_err(|e| match e.status() {
            Some(400 | 401 | 403) => e
                .with_kind(ErrorKind::Authentication)
                .prefix_message(format!("the token endpoint refused the {grant} grant")),
            _ => e,
        })?;
        let v: Value = serde_json::from_slice(&resp.body).map_err(|_| {
            Error::new(ErrorKind::Decode, "the token endpoint did not answer with JSON").with_status(resp.status)
        })?;
        TokenSet::from_json(&v).map_err(|e| e.with_status(resp.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_set_round_trips_and_hides_secrets() {
        let v = json!({"access_token": "d79b4761", "token_type": "Bearer", "expires_in": 43199,
                       "refresh_token": "d5bd2dcf", "scope": "read,write", "jti": "x"});
        let t = TokenSet::from_json(&v).unwrap();
        assert_eq!(t.to_json(), v);
        assert_eq!(t.scopes(), vec!["read", "write"]);
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("d79b4761") && !dbg.contains("d5bd2dcf"), "{dbg}");
        let t = TokenSet::from_json(&json!({"access_token": "a", "expires_in": "60"})).unwrap();
        assert_eq!(t.expires_in, Some(60));
        assert!(TokenSet::from_json(&json!({"token_type": "bearer"})).is_err());
    }

    #[test]
    fn authorization_url_carries_everything_and_a_fresh_state() {
        let base = Url::parse("https://auth.marktplaats.nl/accounts/oauth/authorize").unwrap();
        let scopes = vec!["read".to_owned(), "write".to_owned()];
        let (url, state) = build_authorization_url(&base, "my-app", "https://example.com/cb?x=1", &scopes, None).unwrap();
        assert_eq!(state.len(), 32);
        assert!(state.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{state}");
        let parsed = Url::parse(&url).unwrap();
        let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "my-app");
        assert_eq!(q["redirect_uri"], "https://example.com/cb?x=1");
        assert_eq!(q["scope"], "read write");
        assert_eq!(q["state"], state);
        let (_, other) = build_authorization_url(&base, "my-app", "https://example.com/cb", &scopes, None).unwrap();
        assert_ne!(state, other);
        let e = build_authorization_url(&base, "my-app", "not a url", &scopes, None).unwrap_err();
        assert_eq!(e.field(), Some("redirect_uri"));
    }
}
