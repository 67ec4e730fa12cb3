//! `POST /rest/v1/app/session/token` and the Bearer check every other route makes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::http::eqp_error;
use crate::{Shared, EQP_APP_ID, EQP_APP_SECRET, EQP_MAGE_ID};

pub(crate) struct EqpState {
    inner: Mutex<Inner>,
    store: Mutex<super::store::Store>,
}

struct Inner {
    /// ust → (mage_id, expiry)
    tokens: HashMap<String, (String, Instant)>,
    max_lifetime: u64,
    pub profile: Map<String, Value>,
    /// Callback passwords are write-only: kept here, never returned.
    pub callback_passwords: HashMap<String, String>,
}

impl EqpState {
    pub fn new(max_lifetime: u64) -> EqpState {
        let profile: Value = serde_json::from_str(include_str!("seed_profile.json")).expect("seed profile");
        let Value::Object(profile) = profile else { unreachable!("seed profile is an object") };
        EqpState {
            inner: Mutex::new(Inner {
                tokens: HashMap::new(),
                max_lifetime: max_lifetime.max(1),
                profile,
                callback_passwords: HashMap::new(),
            }),
            store: Mutex::new(super::store::Store::new()),
        }
    }

    /// Files, packages, keys, test runs (everything but the profile and tokens).
    pub fn store(&self) -> std::sync::MutexGuard<'_, super::store::Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Who the callbacks go to: `(url, username, password)`.
    pub fn callback_targets(&self) -> Vec<(String, String, String)> {
        let inner = self.lock();
        inner
            .profile
            .get("api_callbacks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|cb| {
                let url = cb.get("url")?.as_str()?.to_owned();
                let user = cb.get("username").and_then(Value::as_str).unwrap_or_default().to_owned();
                let password = inner.callback_passwords.get(&url).cloned().unwrap_or_default();
                Some((url, user, password))
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn expire_all_tokens(&self) {
        let now = Instant::now();
        for (_, expiry) in self.lock().tokens.values_mut() {
            *expiry = now;
        }
    }

    /// Every session token issued so far (for tests that search logs for secrets).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.lock().tokens.keys().cloned().collect()
    }

    pub fn set_max_token_lifetime(&self, seconds: u64) {
        self.lock().max_lifetime = seconds.max(1);
    }

    /// Read or change the profile under the lock.
    pub fn with_profile<T>(&self, f: impl FnOnce(&mut Map<String, Value>, &mut HashMap<String, String>) -> T) -> T {
        let mut inner = self.lock();
        let inner = &mut *inner;
        f(&mut inner.profile, &mut inner.callback_passwords)
    }

    /// The account a Bearer header belongs to, or the 401 to answer.
    pub fn authorize(&self, headers: &HeaderMap) -> Result<String, Response> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| eqp_error(StatusCode::UNAUTHORIZED, 401, "missing Bearer session token"))?;
        let inner = self.lock();
        match inner.tokens.get(token.trim()) {
            Some((mage_id, expiry)) if Instant::now() < *expiry => Ok(mage_id.clone()),
            Some(_) => Err(eqp_error(StatusCode::UNAUTHORIZED, 401, "session token expired")),
            None => Err(eqp_error(StatusCode::UNAUTHORIZED, 401, "unknown session token")),
        }
    }
}

fn random_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut s: String = (0..32).map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char).collect();
    s.push('.');
    s.extend((0..12).map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char));
    s
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let encoded = headers.get("authorization")?.to_str().ok()?.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

pub(crate) async fn issue_token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    match basic_credentials(&headers) {
        Some((id, secret)) if id == EQP_APP_ID && secret == EQP_APP_SECRET => {}
        Some(_) => return eqp_error(StatusCode::UNAUTHORIZED, 401, "invalid application id or secret"),
        None => return eqp_error(StatusCode::UNAUTHORIZED, 401, "HTTP Basic credentials required"),
    }
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(&body) else {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "body must be a JSON object");
    };
    if req.get("grant_type").and_then(Value::as_str) != Some("session") {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "grant_type must be \"session\"");
    }
    let mut inner = shared.eqp.lock();
    let max = inner.max_lifetime;
    let lifetime = match req.get("expires_in") {
        None | Some(Value::Null) => max,
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => n.min(max),
            _ => return eqp_error(StatusCode::BAD_REQUEST, 400, "expires_in must be a positive integer"),
        },
    };
    let ust = random_token();
    inner.tokens.insert(ust.clone(), (EQP_MAGE_ID.to_owned(), Instant::now() + Duration::from_secs(lifetime)));
    (StatusCode::OK, Json(json!({ "mage_id": EQP_MAGE_ID, "ust": ust, "expires_in": lifetime }))).into_response()
}
