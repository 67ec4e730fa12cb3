//! `/accounts/oauth/authorize` (approves at once as the demo user) and `/accounts/oauth/token`
//! (`authorization_code`, `refresh_token`, `client_credentials`).
//!
//! Refresh tokens: by default a refresh returns the same refresh token (the API's documented
//! behaviour since 2015). With rotation on ([`crate::Simulator::set_mp_refresh_rotation`]) each
//! refresh returns a new one and the old one is spent: presenting it again is answered with
//! 400 `invalid_grant` (reuse detection).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};

use super::{query_map, random_token, AccessToken, CodeGrant, Platform, RefreshToken, MP_CLIENT_ID, MP_CLIENT_SECRET, MP_USER_ID};
use crate::Shared;

/// Scopes a client-credentials token may carry.
const CLIENT_SCOPES: [&str; 4] = ["create_account", "confirm_upcall", "read", "write"];

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({"error": error, "error_description": description}))).into_response()
}

fn split_scopes(s: Option<&String>) -> Vec<String> {
    s.map(|s| s.split([' ', ',']).filter(|x| !x.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
}

pub(crate) async fn authorize(Extension(platform): Extension<Platform>, State(shared): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    match approve(&shared, platform, q.as_deref()) {
        Ok(target) => {
            let mut resp = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(target.as_str()) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            resp
        }
        Err(why) => (StatusCode::BAD_REQUEST, why).into_response(),
    }
}

/// The demo user approves the authorization request in `query` at once: a code is issued and
/// the redirect target (`redirect_uri?code=..&state=..`) returned.
pub(crate) fn approve(shared: &Shared, platform: Platform, query: Option<&str>) -> Result<url::Url, &'static str> {
    let q = query_map(query);
    if q.get("response_type").map(String::as_str) != Some("code") {
        return Err("response_type must be code");
    }
    if q.get("client_id").map(String::as_str) != Some(MP_CLIENT_ID) {
        return Err("unknown client_id");
    }
    let Some(redirect) = q.get("redirect_uri").and_then(|r| url::Url::parse(r).ok()) else {
        return Err("redirect_uri must be an absolute URL");
    };
    let code = random_token();
    shared.mp.lock().codes.insert(
        code.clone(),
        CodeGrant {
            platform,
            redirect_uri: q["redirect_uri"].clone(),
            scopes: split_scopes(q.get("scope")),
            expires: Instant::now() + Duration::from_secs(120),
        },
    );
    let mut target = redirect;
    target.query_pairs_mut().append_pair("code", &code);
    if let Some(state) = q.get("state") {
        target.query_pairs_mut().append_pair("state", state);
    }
    Ok(target)
}

pub(crate) async fn token(
    Extension(platform): Extension<Platform>,
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Lenient as the docs are: form body, query string (the guide), HTTP Basic client auth.
    let mut p = query_map(query.as_deref());
    p.extend(url::form_urlencoded::parse(&body).into_owned());
    if let Some((id, secret)) = basic(&headers) {
        p.entry("client_id".into()).or_insert(id);
        p.entry("client_secret".into()).or_insert(secret);
    }
    if p.get("client_id").map(String::as_str) != Some(MP_CLIENT_ID) || p.get("client_secret").map(String::as_str) != Some(MP_CLIENT_SECRET) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Bad client credentials");
    }
    let mut inner = shared.mp.lock();
    let lifetime = inner.token_lifetime;
    let (user_id, scopes, refresh) = match p.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let Some(code) = p.get("code").and_then(|c| inner.codes.remove(c)) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Invalid authorization code");
            };
            if code.platform != platform || Instant::now() >= code.expires {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Invalid authorization code");
            }
            if p.get("redirect_uri") != Some(&code.redirect_uri) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Redirect URI mismatch");
            }
            let scopes = if code.scopes.is_empty() { vec!["read".to_owned(), "write".to_owned()] } else { code.scopes };
            let rt = random_token();
            inner.refresh.insert(rt.clone(), RefreshToken { platform, user_id: MP_USER_ID, scopes: scopes.clone(), used: false });
            (Some(MP_USER_ID), scopes, Some(rt))
        }
        Some("refresh_token") => {
            let rotate = inner.rotate_refresh_tokens;
            let presented = p.get("refresh_token").cloned().unwrap_or_default();
            let Some(old) = inner.refresh.get_mut(&presented) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Invalid refresh token");
            };
            if old.platform != platform {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Invalid refresh token");
            }
            if old.used {
                inner.reuse_detections += 1;
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Refresh token reuse detected");
            }
            let (user_id, scopes) = (old.user_id, old.scopes.clone());
            if rotate {
                old.used = true;
            }
            inner.refreshes += 1;
            let rt = if rotate {
                inner.rotations += 1;
                let rt = random_token();
                inner.refresh.insert(rt.clone(), RefreshToken { platform, user_id, scopes: scopes.clone(), used: false });
                rt
            } else {
                presented
            };
            (Some(user_id), scopes, Some(rt))
        }
        Some("client_credentials") => {
            let scopes = split_scopes(p.get("scope"));
            if let Some(bad) = scopes.iter().find(|s| !CLIENT_SCOPES.contains(&s.as_str())) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", &format!("Invalid scope: {bad}"));
            }
            (None, scopes, None)
        }
        _ => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "Unsupported grant type"),
    };
    let at = random_token();
    inner.access.insert(at.clone(), AccessToken { platform, user_id, scopes: scopes.clone(), expires: Instant::now() + Duration::from_secs(lifetime) });
    let mut body = json!({"access_token": at, "token_type": "bearer", "expires_in": lifetime, "scope": scopes.join(" ")});
    if let Some(rt) = refresh {
        body["refresh_token"] = Value::String(rt);
    }
    let mut resp = (StatusCode::OK, Json(body)).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let encoded = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Basic ")?;
    let text = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}
