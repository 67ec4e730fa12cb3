//! HTTP: one reqwest client per sellkit client, timeouts, retries, error decoding, logging.
//!
//! The transport knows nothing of tokens: the auth layer above it attaches an `Authorization`
//! value to each attempt and handles 401s. What the transport retries is decided by
//! [`RetryPolicy`] and the request's [`Idempotency`].

mod host;
mod retry;
mod settings;
mod user_agent;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use serde_json::Value;
use url::Url;

pub use host::{is_loopback, parse_base_url};
pub use retry::{parse_retry_after, Idempotency, RetryPolicy, RETRY_STATUSES};
pub use settings::HttpSettings;
pub use user_agent::{set_language, user_agent};

use crate::error::{body_snippet, shorten, ApiCode, Error, ErrorKind, FieldDetail, Result};
use crate::secret::Secret;

/// Timeouts of a client. What each covers:
/// - `connect`: establishing the TCP (and TLS) connection, per attempt;
/// - `request`: one attempt from the start of connecting until the whole response body is read;
/// - `upload`: the same as `request`, for multipart uploads, which move more bytes.
///
/// Waiting between retries is not counted in either: a call can take up to
/// `(max_retries + 1) × request` plus the backoff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
    pub upload: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), request: Duration::from_secs(60), upload: Duration::from_secs(600) }
    }
}

/// Settings that one call (or a derived client) may override.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CallOptions {
    /// Time for one attempt (see [`Timeouts::request`]).
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
}

impl CallOptions {
    pub fn validate(&self) -> Result<()> {
        if self.timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::invalid_input("timeout", "must be greater than zero"));
        }
        if self.max_retries.is_some_and(|n| n > 10) {
            return Err(Error::invalid_input("max_retries", "must be between 0 and 10"));
        }
        Ok(())
    }
}

/// Default of the largest response body read into memory ([`HttpSettings::max_response_bytes`]);
/// a bigger one is a decode error, not an allocation.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Settings a transport is built from.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    pub base_url: Url,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
    pub user_agent_suffix: Option<String>,
    /// Largest response body read into memory.
    pub max_response_bytes: usize,
}

/// Builds a fresh multipart form for each attempt, so that files streamed from disk are
/// re-opened on a retry instead of being sent empty.
pub type MultipartFactory = Arc<dyn Fn() -> Result<reqwest::multipart::Form> + Send + Sync>;

/// A request body that can be sent again on a retry.
#[derive(Clone, Default)]
pub enum Body {
    #[default]
    Empty,
    /// Serialized JSON, with its media type (`application/json`, `application/json-patch+json`).
    Json { content_type: &'static str, bytes: Bytes },
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
    pub fn json(value: &Value) -> Result<Body> {
        Ok(Body::Json { content_type: "application/json", bytes: Bytes::from(serde_json::to_vec(value)?) })
    }
}

/// One logical call. The path is relative to the base URL and already percent-encoded.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Body,
    /// `Accept` header; `application/json` when `None`.
    pub accept: Option<String>,
    pub idempotency: Idempotency,
    /// Overrides the client's request timeout for this call.
    pub timeout: Option<Duration>,
    /// The response carries secrets (a token endpoint): its body is never kept in an error.
    pub secret_response: bool,
    /// Overrides the client's retry count for this call.
    pub max_retries: Option<u32>,
    /// `Authorization` value (Bearer or Basic), set by the auth layer.
    pub authorization: Option<Secret>,
    pub extra_headers: Vec<(&'static str, String)>,
    /// Hand a 3xx response back as a response instead of an error (redirects are never
    /// followed): for endpoints that answer with a `Location` to read (`GET /v1/me`).
    pub pass_redirects: bool,
}

impl Request {
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
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }
    pub fn json(mut self, value: &Value) -> Result<Self> {
        self.body = Body::json(value)?;
        Ok(self)
    }
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }
    pub fn idempotency(mut self, i: Idempotency) -> Self {
        self.idempotency = i;
        self
    }
    pub fn timeout(mut self, t: Option<Duration>) -> Self {
        self.timeout = t;
        self
    }
}

/// A successful (2xx) response, fully read.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Response {
    /// The body as JSON; an empty body is `null`.
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

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Characters of a response body (or of a decoder message, which may quote the body) that a
/// decode error message keeps: enough to recognise an HTML page or a truncated document.
const DECODE_SNIPPET_CHARS: usize = 120;

fn decode_error(e: &serde_json::Error, body: &[u8], status: u16, headers: &HeaderMap) -> Error {
    let snippet = shorten(&String::from_utf8_lossy(&body[..body.len().min(DECODE_SNIPPET_CHARS * 4)]), DECODE_SNIPPET_CHARS);
    // serde quotes the offending value whole ("invalid type: string \"…\""), however long.
    let reason = shorten(&e.to_string(), DECODE_SNIPPET_CHARS);
    let content_type =
        shorten(headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("none"), DECODE_SNIPPET_CHARS);
    Error::new(
        ErrorKind::Decode,
        format!("could not decode the response ({reason}); content type {content_type}; body starts {snippet:?}"),
    )
    .with_status(status)
    .with_request_id(request_id(headers))
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "x-correlation-id", "request-id"]
        .iter()
        .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()).map(str::to_owned))
}

/// The HTTP layer of one client.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: Url,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

impl Transport {
    pub fn new(config: TransportConfig) -> Result<Self> {
        let ua = user_agent(config.user_agent_suffix.as_deref());
        let mut builder = reqwest::Client::builder()
            .user_agent(HeaderValue::from_str(&ua).map_err(|_| {
                Error::invalid_input("user_agent_suffix", "must be printable ASCII without line breaks")
            })?)
            .connect_timeout(config.timeouts.connect)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(30));
        if is_loopback(&config.base_url) {
            // A proxy from the environment must not capture calls to this machine.
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| Error::new(ErrorKind::Internal, format!("could not build the HTTP client: {e}")))?;
        Ok(Transport {
            http,
            base_url: config.base_url,
            timeouts: config.timeouts,
            retry: config.retry,
            max_response_bytes: config.max_response_bytes,
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The absolute URL of a path relative to the base URL.
    pub fn url_for(&self, path: &str) -> Result<Url> {
        if path.starts_with("http://") || path.starts_with("https://") {
            let url = parse_base_url("path", path)?;
            if url.origin() != self.base_url.origin() {
                return Err(Error::invalid_input("path", "an absolute URL must be on the client's own host"));
            }
            return Ok(url);
        }
        if !path.starts_with('/') {
            return Err(Error::invalid_input("path", "must start with '/'"));
        }
        let joined = format!("{}{}", self.base_url.as_str().trim_end_matches('/'), path);
        Url::parse(&joined).map_err(|e| Error::invalid_input("path", format!("not a valid path ({e})")))
    }

    /// Send with retries. Returns the 2xx response or the typed error of the last attempt.
    pub async fn execute(&self, req: &Request) -> Result<Response> {
        let url = self.url_for(&req.path)?;
        let mut retry = 0u32;
        // Set once an attempt reached the server and got no answer: it may have been processed.
        let mut outcome_unknown = false;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(req, &url).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let (err, reached_server) = match outcome {
                Ok(resp) => {
                    tracing::debug!(method = %req.method, path = %req.path, status = resp.status, elapsed_ms, attempt = retry + 1, "sellkit request");
                    return Ok(resp);
                }
                Err(Attempt { error, reached_server }) => (error, reached_server),
            };
            outcome_unknown |= reached_server && err.status().is_none() && matches!(err.kind(), ErrorKind::Connection | ErrorKind::Timeout);
            let err = err.with_outcome_unknown(outcome_unknown);
            tracing::debug!(method = %req.method, path = %req.path, status = ?err.status(), code = err.code(), elapsed_ms, attempt = retry + 1, "sellkit request failed");

            let retryable_status = err.status().is_some_and(|s| RETRY_STATUSES.contains(&s));
            // A connection broken or timed out while the body was read carries the status line
            // already received; it is as retryable as one broken before the status line.
            let retryable_transport = matches!(err.kind(), ErrorKind::Connection | ErrorKind::Timeout);
            if !(retryable_status || retryable_transport) {
                return Err(err);
            }
            // A request that may have reached the server is repeated only when that is harmless.
            if reached_server && !req.idempotency.allows_repeat(&req.method) {
                return Err(err);
            }
            let wait = match err.retry_after() {
                Some(after) if after > self.retry.max_retry_after => {
                    let secs = after.as_secs();
                    return Err(err
                        .with_kind(ErrorKind::RateLimited)
                        .with_code("rate-limited")
                        .with_retry_after(Some(after))
                        .prefix_message(format!(
                            "the server asked to wait {secs}s, longer than the {}s this client waits",
                            self.retry.max_retry_after.as_secs()
                        )));
                }
                Some(after) => after,
                None => self.retry.backoff(retry),
            };
            if retry >= req.max_retries.unwrap_or(self.retry.max_retries) {
                return Err(err);
            }
            tracing::info!(method = %req.method, path = %req.path, retry = retry + 1, wait_ms = wait.as_millis() as u64, "sellkit retrying");
            tokio::time::sleep(wait).await;
            retry += 1;
        }
    }

    async fn attempt(&self, req: &Request, url: &Url) -> Result<Response, Attempt> {
        let mut builder = self.http.request(req.method.clone(), url.clone());
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        builder = builder.header(ACCEPT, req.accept.as_deref().unwrap_or("application/json"));
        if let Some(auth) = &req.authorization {
            let mut value = HeaderValue::from_str(auth.expose()).map_err(|_| Attempt {
                error: Error::invalid_input("credentials", "contain characters that cannot be sent in a header"),
                reached_server: false,
            })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        for (name, value) in &req.extra_headers {
            builder = builder.header(*name, value.as_str());
        }
        builder = match &req.body {
            Body::Empty => builder,
            Body::Json { content_type, bytes } => builder.header(CONTENT_TYPE, *content_type).body(bytes.clone()),
            Body::Form(pairs) => {
                let exposed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.expose())).collect();
                builder.form(&exposed)
            }
            Body::Multipart(factory) => {
                let form = factory().map_err(|error| Attempt { error, reached_server: false })?;
                builder.multipart(form)
            }
        };
        let default_timeout =
            if matches!(req.body, Body::Multipart(_)) { self.timeouts.upload } else { self.timeouts.request };
        builder = builder.timeout(req.timeout.unwrap_or(default_timeout));

        let mut resp = builder.send().await.map_err(|e| Attempt::from_reqwest(&e, "sending the request"))?;
        let status = resp.status().as_u16();
        let headers = std::mem::take(resp.headers_mut());
        let body = read_capped(&mut resp, self.max_response_bytes).await.map_err(|mut a| {
            a.reached_server = true;
            // A body cut off is no answer: the status goes in the message, not in `status`, so
            // that the error reads as the broken connection it is (retried when safe, outcome
            // unknown). A body refused for its size was a whole answer and keeps its status.
            a.error = if matches!(a.error.kind(), ErrorKind::Connection | ErrorKind::Timeout) {
                a.error.prefix_message(format!("HTTP {status} headers arrived, then"))
            } else if a.error.code() == TOO_LARGE && !(200..400).contains(&status) {
                // An error page over the cap is still that error; only its body is not kept.
                error_from_response(status, &headers, b"", req.secret_response)
            } else {
                a.error.with_status(status)
            };
            a
        })?;
        if (200..300).contains(&status) || (req.pass_redirects && (300..400).contains(&status)) {
            return Ok(Response { status, headers, body });
        }
        Err(Attempt { error: error_from_response(status, &headers, &body, req.secret_response), reached_server: true })
    }
}

/// Read the whole body, refusing to hold more than `cap` bytes.
async fn read_capped(resp: &mut reqwest::Response, cap: usize) -> Result<Bytes, Attempt> {
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(Attempt { error: too_large(cap), reached_server: true });
    }
    let mut buf = bytes::BytesMut::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| Attempt::from_reqwest(&e, "reading the response"))? {
        if buf.len() + chunk.len() > cap {
            return Err(Attempt { error: too_large(cap), reached_server: true });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

fn too_large(cap: usize) -> Error {
    Error::new(ErrorKind::Decode, format!("the response body is larger than {cap} bytes (the client's max_response_bytes)"))
    .with_code(TOO_LARGE)
}

/// Code of the decode error for a body over the cap.
const TOO_LARGE: &str = "response-too-large";

/// A failed attempt, and whether the request may have reached the server.
struct Attempt {
    error: Error,
    reached_server: bool,
}

impl Attempt {
    fn from_reqwest(e: &reqwest::Error, doing: &str) -> Attempt {
        // Only a failure to connect proves the server never saw the request.
        let reached_server = !e.is_connect();
        let kind = if e.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Connection };
        let what = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else {
            "connection failed"
        };
        // reqwest's Display names the URL but never headers, so no secret can leak through it.
        let mut source = String::new();
        let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
        while let Some(s) = cur {
            source = s.to_string();
            cur = s.source();
        }
        let detail = if source.is_empty() { String::new() } else { format!(": {source}") };
        Attempt {
            error: Error::new(kind, format!("{what} while {doing}{detail}")),
            reached_server,
        }
    }
}

/// Turn an error response into a typed error, reading the API's `{code, message, details}`.
pub(crate) fn error_from_response(status: u16, headers: &HeaderMap, body: &[u8], secret_body: bool) -> Error {
    let kind = ErrorKind::from_status(status);
    let retry_after = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let obj = parsed.as_ref().and_then(|v| match v {
        Value::Array(items) => items.first().and_then(Value::as_object),
        other => other.as_object(),
    });

    let api_code = obj.and_then(|o| o.get("code").or_else(|| o.get("error"))).and_then(|c| match c {
        Value::Number(n) => n.as_i64().map(ApiCode::Int),
        Value::String(s) => Some(ApiCode::Str(s.clone())),
        _ => None,
    });
    let api_message = obj
        .and_then(|o| o.get("message").or_else(|| o.get("error_description")).or_else(|| o.get("msg")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let details = obj.and_then(|o| o.get("details")).and_then(Value::as_array).map(|d| d.iter().filter_map(field_detail).collect()).unwrap_or_default();
    let logref = obj.and_then(|o| o.get("logref")).and_then(Value::as_str).map(str::to_owned);

    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error");
    let mut message = match &api_message {
        Some(m) => format!("HTTP {status} {reason}: {m}"),
        None => format!("HTTP {status} {reason}"),
    };
    if status == 406 {
        message.push_str(
            " — the server could not answer in an accepted media type; an Accept header without \
             `application/json` hides the real error (an expired token, say)",
        );
    }
    let mut err = Error::new(kind, message)
        .with_status(status)
        .with_details(details)
        .with_request_id(request_id(headers).or(logref))
        .with_retry_after(retry_after)
        .with_body(if secret_body { None } else { body_snippet(body) });
    if let Some(code) = api_code {
        if let ApiCode::Str(s) = &code {
            err = err.with_code(s.clone());
        }
        err = err.with_api_code(code);
    }
    err
}

fn field_detail(v: &Value) -> Option<FieldDetail> {
    let o = v.as_object()?;
    let field = match (o.get("field"), o.get("fields")) {
        (Some(Value::String(f)), _) => Some(f.clone()),
        (_, Some(Value::Array(fs))) => Some(fs.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(",")),
        _ => None,
    };
    Some(FieldDetail {
        field,
        code: o.get("code").and_then(Value::as_str).map(str::to_owned),
        message: o.get("message").and_then(Value::as_str).map(str::to_owned),
        value: o.get("value").cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eqp_error_body_is_read() {
        let e = error_from_response(400, &HeaderMap::new(), br#"{"code":1208,"message":"Insufficient information"}"#, false);
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.api_code(), Some(&ApiCode::Int(1208)));
        assert!(e.message().contains("Insufficient information"));
        assert_eq!(e.code(), "validation-failed");
    }

    #[test]
    fn marktplaats_error_body_is_read() {
        let body = br#"{"logref":"abc","code":"validation-failure","message":"Validatie mislukt",
            "details":[{"field":"title","code":"too-short","message":"Minimum","value":"3"},{"fields":["a","b"],"code":"x"}]}"#;
        let e = error_from_response(400, &HeaderMap::new(), body, false);
        assert_eq!(e.code(), "validation-failure");
        assert_eq!(e.request_id(), Some("abc"));
        assert_eq!(e.details().len(), 2);
        assert_eq!(e.details()[0].field.as_deref(), Some("title"));
        assert_eq!(e.details()[1].field.as_deref(), Some("a,b"));
    }

    #[test]
    fn secret_bodies_are_not_kept() {
        let e = error_from_response(500, &HeaderMap::new(), b"token=abc", true);
        assert_eq!(e.body(), None);
        let e = error_from_response(500, &HeaderMap::new(), b"<html>oops</html>", false);
        assert_eq!(e.body(), Some("<html>oops</html>"));
        assert_eq!(e.kind(), ErrorKind::Server);
    }

    #[test]
    fn not_acceptable_explains_the_accept_header() {
        let e = error_from_response(406, &HeaderMap::new(), b"", false);
        assert!(e.message().contains("application/json"), "{e}");
    }
}
