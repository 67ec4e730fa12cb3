//! HTTP: one reqwest client per sellkit client, timeouts, retries, error decoding, logging
//! (a `request` span per request under [`crate::logging::HTTP`]).
//!
//! The transport knows nothing of tokens: the auth layer above it attaches an `Authorization`
//! value to each attempt and handles 401s. What the transport retries is decided by
//! [`RetryPolicy`] and the request's [`Idempotency`].

mod backoff;
mod errors;
mod host;
mod request;
mod retry;
mod settings;
mod user_agent;

use std::time::{Duration, Instant};

use bytes::Bytes;
use tracing::Instrument;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use url::Url;

pub use backoff::SharedBackoff;
pub(crate) use backoff::host_key;
pub use host::{is_loopback, parse_base_url};
pub use retry::{parse_retry_after, Idempotency, RetryPolicy, RETRY_STATUSES};
pub(crate) use errors::{details_summary, error_from_response, field_details};
pub(crate) use request::parse_method;
pub use request::{Body, MultipartFactory, Request, Response};
pub use settings::{set_ca_bundle_names, CallOptions, HttpSettings, Timeouts, TransportConfig, MAX_RESPONSE_BYTES};
pub use user_agent::{set_language, user_agent};

use crate::error::{Error, ErrorKind, Result};

/// The HTTP layer of one client.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: Url,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_response_bytes: usize,
    /// Back-offs shared with the other clients of a store (`None`: this client's own only).
    backoff: Option<std::sync::Arc<SharedBackoff>>,
}

impl Transport {
    /// A transport for `config`: a reqwest client with the connect timeout, no redirects
    /// followed, the sellkit user agent, and no proxy for a loopback base URL.
    ///
    /// # Errors
    ///
    /// Invalid input for `user_agent_suffix` when it is not printable ASCII on one line;
    /// an internal error when the TLS backend cannot be set up.
    pub fn new(config: TransportConfig) -> Result<Self> {
        let ua = user_agent(config.user_agent_suffix.as_deref());
        let mut builder = reqwest::Client::builder()
            .user_agent(HeaderValue::from_str(&ua).map_err(|_| {
                Error::invalid_input("user_agent_suffix", "must be printable ASCII without line breaks")
            })?)
            .connect_timeout(config.timeouts.connect)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(30));
        match config.proxy {
            // A proxy given in code applies to every host, loopback included.
            Some(proxy) => builder = builder.proxy(proxy),
            // One from the environment or the system must not capture calls to this machine.
            None if is_loopback(&config.base_url) => builder = builder.no_proxy(),
            None => {}
        }
        for root in config.roots {
            builder = builder.add_root_certificate(root);
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
            backoff: config.backoff,
        })
    }

    /// The base URL every relative path is joined to.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
    /// The client's timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The absolute URL of a path relative to the base URL.
    ///
    /// # Errors
    ///
    /// Invalid input for `path` when it does not start with `/`, or is an absolute URL on
    /// another origin than the base URL.
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
    ///
    /// Retries follow the [`RetryPolicy`] and the request's [`Idempotency`]: statuses in
    /// [`RETRY_STATUSES`] and broken or timed-out connections are retried, a request that may
    /// have reached the server only when it is safe to repeat. A `Retry-After` longer than
    /// [`RetryPolicy::max_retry_after`] fails at once with a `rate-limited` error that carries it.
    /// 3xx responses are errors unless [`Request::pass_redirects`] is set.
    ///
    /// With a shared back-off ([`TransportConfig::backoff`]) each attempt first waits out a
    /// `Retry-After` that any client sharing the store received from the host (failing at once
    /// with `rate-limited` when that is longer than `max_retry_after`), and a 429 or 503 with
    /// `Retry-After` is recorded there for the others.
    pub async fn execute(&self, req: &Request) -> Result<Response> {
        let url = self.url_for(&req.path)?;
        // One span per request (its retries included): what a record may show of it, never a
        // header, the query or the body.
        let span = tracing::info_span!(
            target: crate::logging::HTTP,
            "request",
            method = %req.method,
            path = url.path(),
            attempt = tracing::field::Empty,
        );
        self.send_with_retries(req, &url, &span).instrument(span.clone()).await
    }

    async fn send_with_retries(&self, req: &Request, url: &Url, span: &tracing::Span) -> Result<Response> {
        let host = self.backoff.as_ref().map(|_| backoff::host_key(url));
        let mut retry = 0u32;
        // Set once an attempt reached the server and got no answer: it may have been processed.
        let mut outcome_unknown = false;
        loop {
            if let (Some(shared), Some(host)) = (&self.backoff, &host) {
                shared.wait(host, self.retry.max_retry_after).await.map_err(|e| e.with_outcome_unknown(outcome_unknown))?;
            }
            span.record("attempt", retry + 1);
            let started = Instant::now();
            let outcome = self.attempt(req, url).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let (err, reached_server) = match outcome {
                Ok(resp) => {
                    tracing::debug!(target: crate::logging::HTTP, status = resp.status, elapsed_ms, "response");
                    return Ok(resp);
                }
                Err(Attempt { error, reached_server }) => (error, reached_server),
            };
            outcome_unknown |= reached_server && err.status().is_none() && matches!(err.kind(), ErrorKind::Connection | ErrorKind::Timeout);
            let err = err.with_outcome_unknown(outcome_unknown);
            tracing::debug!(target: crate::logging::HTTP, status = err.status(), code = err.code(), elapsed_ms, "attempt failed");

            if let (Some(shared), Some(host), Some(after), Some(429 | 503)) = (&self.backoff, &host, err.retry_after(), err.status()) {
                shared.record(host, after).await;
            }
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
            tracing::info!(target: crate::logging::HTTP, code = err.code(), wait_ms = wait.as_millis() as u64, "retrying");
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
        let untrusted = is_untrusted_certificate(&source);
        let advice = if untrusted { format!("; {}", settings::untrusted_certificate_advice()) } else { String::new() };
        Attempt {
            error: Error::new(kind, format!("{what} while {doing}{detail}{advice}"))
                .with_code(if untrusted { "untrusted-certificate" } else { kind.default_code() }),
            reached_server,
        }
    }
}

/// Whether a TLS failure says the peer's certificate is not trusted (rustls and native-tls
/// word it differently).
fn is_untrusted_certificate(source: &str) -> bool {
    let s = source.to_ascii_lowercase();
    ["unknownissuer", "unknown issuer", "invalid peer certificate", "certificate verify failed", "self signed certificate", "self-signed certificate", "unable to get local issuer"]
        .iter()
        .any(|needle| s.contains(needle))
}
