//! One logical call (method, path, query, body, headers, per-call settings) and its successful
//! response, fully read.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;

use super::errors::decode_error;
use super::retry::Idempotency;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Builds a fresh multipart form for each attempt, so that files streamed from disk are
/// re-opened on a retry instead of being sent empty.
pub type MultipartFactory = Arc<dyn Fn() -> Result<reqwest::multipart::Form> + Send + Sync>;

/// A request body that can be sent again on a retry.
#[derive(Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Serialized JSON, with its media type (`application/json`, `application/json-patch+json`).
    Json {
        /// The `Content-Type` sent.
        content_type: &'static str,
        /// The serialized document.
        bytes: Bytes,
    },
    /// `application/x-www-form-urlencoded`. May carry secrets (token requests): never logged.
    Form(Vec<(String, Secret)>),
    /// `multipart/form-data`, rebuilt for every attempt.
    Multipart(MultipartFactory),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json { content_type, bytes } => write!(f, "Json({content_type}, {} bytes)", bytes.len()),
            Body::Form(pairs) => {
                let keys: Vec<_> = pairs.iter().map(|(k, _)| k.as_str()).collect();
                write!(f, "Form({keys:?})")
            }
            Body::Multipart(_) => f.write_str("Multipart"),
        }
    }
}

impl Body {
    /// `value` serialized as `application/json`: a JSON tree, or any `Serialize` value written
    /// straight to bytes (a typed model's wire form, without building a tree first).
    ///
    /// # Errors
    ///
    /// A decode error if `value` cannot be serialized (a JSON tree always can; the signature
    /// follows `serde_json`).
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Body> {
        Ok(Body::Json { content_type: "application/json", bytes: Bytes::from(serde_json::to_vec(value)?) })
    }
}

/// One logical call. The path is relative to the base URL and already percent-encoded.
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path below the base URL, starting with `/` (or an absolute URL on the same origin).
    pub path: String,
    /// Query parameters, in order, not yet encoded.
    pub query: Vec<(String, String)>,
    /// Body, rebuilt or resent as is on each attempt.
    pub body: Body,
    /// `Accept` header; `application/json` when `None`.
    pub accept: Option<String>,
    /// Whether the request may be repeated after it may have reached the server.
    pub idempotency: Idempotency,
    /// Overrides the client's request timeout for this call.
    pub timeout: Option<Duration>,
    /// The response carries secrets (a token endpoint): its body is never kept in an error.
    pub secret_response: bool,
    /// Overrides the client's retry count for this call.
    pub max_retries: Option<u32>,
    /// `Authorization` value (Bearer or Basic), set by the auth layer.
    pub authorization: Option<Secret>,
    /// Other headers, sent as given (`Accept-Language`, `X-Ecg-...`).
    pub extra_headers: Vec<(&'static str, String)>,
    /// Hand a 3xx response back as a response instead of an error (redirects are never
    /// followed): for endpoints that answer with a `Location` to read (`GET /v1/me`).
    pub pass_redirects: bool,
}

impl Request {
    /// A request for `method` and `path` with no query, no body, `Accept: application/json`,
    /// idempotency [by method](Idempotency::ByMethod) and the client's timeout and retries.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            body: Body::Empty,
            accept: None,
            idempotency: Idempotency::ByMethod,
            timeout: None,
            max_retries: None,
            secret_response: false,
            authorization: None,
            extra_headers: Vec::new(),
            pass_redirects: false,
        }
    }
    /// Adds one query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }
    /// Sets a JSON body (see [`Body::json`]).
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        self.body = Body::json(value)?;
        Ok(self)
    }
    /// Sets the body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }
    /// Sets whether the request may be repeated.
    pub fn idempotency(mut self, i: Idempotency) -> Self {
        self.idempotency = i;
        self
    }
    /// Sets the per-attempt timeout (`None`: the client's).
    pub fn timeout(mut self, t: Option<Duration>) -> Self {
        self.timeout = t;
        self
    }
}

/// A successful (2xx) response, fully read.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status (2xx, or 3xx when the request passed redirects).
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body (at most the client's `max_response_bytes`).
    pub body: Bytes,
}

impl Response {
    /// The body as JSON; an empty (or all-whitespace) body is `null`.
    ///
    /// # Errors
    ///
    /// A decode error quoting the start of the body when it is not JSON.
    pub fn json(&self) -> Result<Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|e| decode_error(&e, &self.body, self.status, &self.headers))
    }

    /// Decode the body into `T`, naming the failing field.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        T::deserialize(&mut de).map_err(|e| decode_error(&e, &self.body, self.status, &self.headers))
    }

    /// The value of header `name` (case-insensitive), when present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}


/// An HTTP method by name (`get`, `PATCH`), for the raw `request` escape hatch.
pub(crate) fn parse_method(method: &str) -> Result<Method> {
    match method.trim().to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PUT" => Ok(Method::PUT),
        "PATCH" => Ok(Method::PATCH),
        "DELETE" => Ok(Method::DELETE),
        "HEAD" => Ok(Method::HEAD),
        other => Err(Error::invalid_input("method", format!("unsupported HTTP method {other:?}"))),
    }
}

