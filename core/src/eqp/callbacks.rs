//! API callbacks: registering a URL, and reading what the marketplace POSTs to it.
//!
//! The marketplace sends `Authorization: Basic base64(username:password)` with the credentials
//! given at registration, and no signature: [`parse_callback`] checks those credentials (in
//! constant time) before it reads the body. The docs advise re-fetching the package or file by
//! id rather than trusting the payload.

use base64::Engine;
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use super::client::Client;
use super::model::{ApiCallback, CallbackEnvelope, Model, Profile};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::transport::parse_base_url;

/// `client.callbacks()`.
pub struct Callbacks<'a> {
    pub(crate) client: &'a Client,
}

impl Callbacks<'_> {
    /// The body [`Callbacks::register`] sends: `{"api_callbacks": [{name?, url, username, password}]}`.
    ///
    /// # Errors
    ///
    /// Invalid input for `callbacks[i].url` (missing, or not `https://` outside loopback),
    /// `callbacks[i].username` (missing, empty or containing `:`) or `callbacks[i].password`
    /// (missing or empty).
    pub fn register_body(callbacks: &[ApiCallback]) -> Result<Value> {
        for (i, cb) in callbacks.iter().enumerate() {
            let field = |f: &str| format!("callbacks[{i}].{f}");
            let url = cb.url.as_deref().unwrap_or("");
            if url.is_empty() {
                return Err(Error::invalid_input(field("url"), "is required"));
            }
            // The marketplace delivers over HTTPS only; loopback is allowed for local testing.
            parse_base_url(&field("url"), url)?;
            if cb.username.as_deref().is_none_or(|u| u.is_empty() || u.contains(':')) {
                return Err(Error::invalid_input(field("username"), "is required and must not contain ':'"));
            }
            if cb.password.as_ref().is_none_or(Secret::is_empty) {
                return Err(Error::invalid_input(field("password"), "is required"));
            }
        }
        let list: Vec<Value> = callbacks.iter().map(Model::to_json).collect();
        let mut body = Map::new();
        body.insert("api_callbacks".into(), Value::Array(list));
        Ok(Value::Object(body))
    }

    /// Register the account's callbacks with `PUT /rest/v1/users/:mage_id`. Send the full
    /// list: whether the server merges or replaces is undocumented (an empty list removes them
    /// all). Returns the profile, whose `api_callbacks` come back without passwords.
    ///
    /// # Errors
    ///
    /// As [`Callbacks::register_body`], before anything is sent; then those of
    /// [`Users::update`](super::Users::update).
    pub async fn register(&self, callbacks: &[ApiCallback]) -> Result<Profile> {
        let body = Self::register_body(callbacks)?;
        match body {
            Value::Object(m) => self.client.users().update(m).await,
            _ => unreachable!("register_body returns an object"),
        }
    }
}

/// The `Authorization` header among `headers` (any case of the name), when it is text.
pub fn authorization(headers: &serde_json::Map<String, Value>) -> Option<&str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("authorization")).and_then(|(_, v)| v.as_str())
}

/// Check a callback's Basic credentials and decode its body.
///
/// `authorization` is the request's `Authorization` header; `username` and `password` are the
/// credentials given at registration. A missing header, another scheme, or other credentials
/// give an authentication error (code `invalid-callback-credentials`, status 401, to answer
/// with) without reading the body; a body that is not a JSON object gives a decode error.
/// Unknown events and fields are kept.
///
/// ```
/// use sellkit::eqp::{parse_callback, CallbackEvent};
///
/// let body = br#"{"callback_event": "malware_scan_complete",
///                 "update_info": {"file_upload_id": "5c129cd41ba478.65767699.1", "tool_result": "passed"}}"#;
/// // "Basic " + base64("key:secret")
/// let event = parse_callback(body, Some("Basic a2V5OnNlY3JldA=="), "key", "secret")?;
/// assert_eq!(event.event(), CallbackEvent::MalwareScanComplete);
/// assert!(event.info().tool_result.unwrap().is_passed());
///
/// let refused = parse_callback(body, Some("Basic a2V5Ondyb25n"), "key", "secret").unwrap_err();
/// assert_eq!((refused.code(), refused.status()), ("invalid-callback-credentials", Some(401)));
/// # Ok::<(), sellkit::Error>(())
/// ```
pub fn parse_callback(body: &[u8], authorization: Option<&str>, username: &str, password: &str) -> Result<CallbackEnvelope> {
    if !verify_basic(authorization, username, password) {
        return Err(Error::new(ErrorKind::Authentication, "the callback's Basic credentials do not match")
            .with_code("invalid-callback-credentials")
            .with_status(401));
    }
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| Error::new(ErrorKind::Decode, format!("the callback body is not JSON: {e}")))?;
    if !v.is_object() {
        return Err(Error::new(ErrorKind::Decode, format!("the callback body is {}, not an object", super::model::json_type(&v))));
    }
    CallbackEnvelope::from_json(&v)
}

/// Whether `authorization` is `Basic base64(username:password)`, compared in constant time.
pub fn verify_basic(authorization: Option<&str>, username: &str, password: &str) -> bool {
    let expected = format!("{username}:{password}");
    let given = authorization
        .map(str::trim)
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .and_then(|(_, b64)| base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok())
        .unwrap_or_default();
    // Always compare, so that a missing header takes as long as a wrong one.
    let equal = constant_time_eq(&given, expected.as_bytes());
    equal && !given.is_empty()
}

/// Byte equality whose time depends only on the lengths, not on where the bytes differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

impl Client {
    /// Callback registration (see [`Callbacks`]).
    pub fn callbacks(&self) -> Callbacks<'_> {
        Callbacks { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eqp::model::CallbackEvent;
    use serde_json::json;

    #[test]
    fn constant_time_compare() {
        assert!(constant_time_eq(b"key:secret", b"key:secret"));
        assert!(!constant_time_eq(b"key:secret", b"key:secreT"));
        assert!(!constant_time_eq(b"key:secret", b"key:secret2"));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn docs_example_credentials() {
        let body = br#"{"callback_event":"eqp_status_update","update_info":{"submission_id":"s5w9k703ru","eqp_state":"approved","new_field":1}}"#;
        let env = parse_callback(body, Some("Basic a2V5OnNlY3JldA=="), "key", "secret").unwrap();
        assert_eq!(env.event(), CallbackEvent::EqpStatusUpdate);
        assert_eq!(env.info().current_status.as_deref(), Some("approved"));
        assert_eq!(env.info().extra["new_field"], json!(1));
        for bad in [None, Some("Bearer a2V5OnNlY3JldA=="), Some("Basic a2V5Om5vcGU="), Some("Basic !!!")] {
            let e = parse_callback(body, bad, "key", "secret").unwrap_err();
            assert_eq!(e.code(), "invalid-callback-credentials");
        }
        assert!(parse_callback(b"[1]", Some("basic a2V5OnNlY3JldA=="), "key", "secret").is_err());
        let unknown = parse_callback(br#"{"callback_event":"price_changed"}"#, Some("Basic a2V5OnNlY3JldA=="), "key", "secret").unwrap();
        assert_eq!(unknown.event(), CallbackEvent::Other("price_changed".into()));
    }
}
