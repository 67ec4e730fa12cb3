//! The one error type of sellkit.
//!
//! Every failure, whether caught before sending or reported by a server, is an [`Error`] with a
//! stable machine [`Error::code`] and a [`ErrorKind`] that the bindings map to their exception
//! classes. Messages never contain secrets: the transport never copies request headers into an
//! error, and responses of token endpoints are not kept.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// Broad category of an error; each maps to one exception class in Python and Node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad input caught before anything was sent.
    InvalidInput,
    /// 401, or credentials refused by a token endpoint.
    Authentication,
    /// 403.
    PermissionDenied,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 400 / 422 from the server: the request was understood and refused.
    Validation,
    /// 429, or a `Retry-After` longer than the client will wait.
    RateLimited,
    /// 5xx.
    Server,
    /// Any other HTTP error status (405, 406, 410, ...).
    UnexpectedStatus,
    /// The request or the connection timed out.
    Timeout,
    /// The connection could not be made or was broken.
    Connection,
    /// The response could not be decoded.
    Decode,
    /// Some items of a batch failed (the batch itself was answered).
    Batch,
    /// A bug inside sellkit (a caught panic, say). Never the caller's fault.
    Internal,
}

impl ErrorKind {
    /// Every kind.
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::InvalidInput,
        ErrorKind::Authentication,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Validation,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::UnexpectedStatus,
        ErrorKind::Timeout,
        ErrorKind::Connection,
        ErrorKind::Decode,
        ErrorKind::Batch,
        ErrorKind::Internal,
    ];

    /// The default machine code for this kind.
    pub fn default_code(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid-input",
            ErrorKind::Authentication => "authentication-failed",
            ErrorKind::PermissionDenied => "permission-denied",
            ErrorKind::NotFound => "not-found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Validation => "validation-failed",
            ErrorKind::RateLimited => "rate-limited",
            ErrorKind::Server => "server-error",
            ErrorKind::UnexpectedStatus => "unexpected-status",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection-failed",
            ErrorKind::Decode => "decode-failed",
            ErrorKind::Batch => "batch-items-failed",
            ErrorKind::Internal => "internal-error",
        }
    }

    /// Stable name of the kind, as the bindings spell their exception classes' `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Authentication => "authentication",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Validation => "validation",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::UnexpectedStatus => "unexpected_status",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection",
            ErrorKind::Decode => "decode",
            ErrorKind::Batch => "batch",
            ErrorKind::Internal => "internal",
        }
    }

    /// The kind a server error status belongs to.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 | 422 => ErrorKind::Validation,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::UnexpectedStatus,
        }
    }
}

/// The API's own error code: EQP uses integers (`1208`), Marktplaats strings (`validation-failure`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiCode {
    /// A numeric code, as EQP sends them.
    Int(i64),
    /// A text code, as Marktplaats sends them.
    Str(String),
}

impl fmt::Display for ApiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiCode::Int(i) => write!(f, "{i}"),
            ApiCode::Str(s) => f.write_str(s),
        }
    }
}

/// One field-level problem, from client-side validation or from the server's `details`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDetail {
    /// Path of the field (`title`, `priceModel.askingPrice`, `items[3].sku`).
    pub field: Option<String>,
    /// The server's code for this problem (`too-long`, `missing`), when it gave one.
    pub code: Option<String>,
    /// What is wrong with the field, in words.
    pub message: Option<String>,
    /// The server's `value` (a limit, a pattern), kept as it came.
    pub value: Option<Value>,
}

/// A sellkit error. Every field is plain data; the contents are boxed so that a `Result` stays
/// one pointer wide on the success path.
#[derive(Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq)]
struct Inner {
    kind: ErrorKind,
    code: Cow<'static, str>,
    message: String,
    status: Option<u16>,
    api_code: Option<ApiCode>,
    details: Vec<FieldDetail>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    body: Option<String>,
    outcome_unknown: bool,
}

/// How many bytes of a response body an error keeps.
pub(crate) const ERROR_BODY_LIMIT: usize = 4096;

/// `std::result::Result` with sellkit's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with its default [`code`](Self::code) and nothing else set.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            code: Cow::Borrowed(kind.default_code()),
            message: message.into(),
            status: None,
            api_code: None,
            details: Vec::new(),
            request_id: None,
            retry_after: None,
            body: None,
            outcome_unknown: false,
        }))
    }

    /// Bad input for `field`, caught before sending.
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = message.into();
        let mut e = Error::new(ErrorKind::InvalidInput, format!("{field}: {message}"));
        e.0.details.push(FieldDetail { field: Some(field), code: None, message: Some(message), value: None });
        e
    }

    /// The same error with the machine code `code` in place of the kind's default.
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.0.code = code.into();
        self
    }
    /// The same error with the HTTP status `status`.
    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }
    /// The same error with the API's own error code.
    pub fn with_api_code(mut self, code: ApiCode) -> Self {
        self.0.api_code = Some(code);
        self
    }
    /// The same error with `details` in place of its field details.
    pub fn with_details(mut self, details: Vec<FieldDetail>) -> Self {
        self.0.details = details;
        self
    }
    /// The same error with the server's request id (`None` clears it).
    pub fn with_request_id(mut self, id: Option<String>) -> Self {
        self.0.request_id = id;
        self
    }
    /// The same error with how long the server asked to wait (`None` clears it).
    pub fn with_retry_after(mut self, after: Option<Duration>) -> Self {
        self.0.retry_after = after;
        self
    }
    /// The same error with the raw response body (`None` clears it). Kept as given: callers cut
    /// it to 4 KiB.
    pub fn with_body(mut self, body: Option<String>) -> Self {
        self.0.body = body;
        self
    }
    /// The same error with each field path spelt as `rename` says, in the details and in an
    /// invalid-input message that starts with the field (how the Node package names parameters
    /// in camelCase: `page_size` → `pageSize`). Everything else is kept.
    pub fn rename_fields(mut self, rename: impl Fn(&str) -> Option<String>) -> Self {
        if let Some(first) = self.field().map(str::to_owned) {
            if let Some(renamed) = rename(&first) {
                if let Some(rest) = self.0.message.strip_prefix(&first) {
                    self.0.message = format!("{renamed}{rest}");
                }
            }
        }
        for d in &mut self.0.details {
            if let Some(renamed) = d.field.as_deref().and_then(&rename) {
                d.field = Some(renamed);
            }
        }
        self
    }
    /// Put `prefix` before the message (keeps every other field).
    pub(crate) fn prefix_message(mut self, prefix: impl fmt::Display) -> Self {
        self.0.message = format!("{prefix}: {}", self.0.message);
        self
    }
    /// Mark that a request of this call reached the server without a definite answer.
    pub(crate) fn with_outcome_unknown(mut self, unknown: bool) -> Self {
        self.0.outcome_unknown = unknown;
        self
    }
    /// Keep the outcome unknown when an earlier request of the same call may have been
    /// processed (a 401 replay after attempts whose answers were lost).
    pub(crate) fn unknown_if(self, earlier: bool) -> Self {
        if earlier {
            self.with_outcome_unknown(true)
        } else {
            self
        }
    }
    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Self {
        if self.0.code == self.0.kind.default_code() {
            self.0.code = Cow::Borrowed(kind.default_code());
        }
        self.0.kind = kind;
        self
    }

    /// The broad category, which the bindings map to their exception classes.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// Stable machine code (`invalid-input`, `rate-limited`, `invalid-patch-operation`, ...):
    /// the kind's [default](ErrorKind::default_code) unless sellkit or the server named a more
    /// precise one (a Marktplaats error body's text `code`, such as `validation-failure`, becomes
    /// the code).
    pub fn code(&self) -> &str {
        &self.0.code
    }
    /// Human-readable message, without secrets.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The HTTP status of the response, when the error came from one.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }
    /// The API's own error code from the response body (its `code`, or `error` from a token
    /// endpoint), when it had one.
    pub fn api_code(&self) -> Option<&ApiCode> {
        self.0.api_code.as_ref()
    }
    /// Field-level problems: the field refused for invalid input, the server's `details` for an
    /// error response. Empty when there are none.
    pub fn details(&self) -> &[FieldDetail] {
        &self.0.details
    }
    /// The field an invalid-input error is about (the first detail's field).
    pub fn field(&self) -> Option<&str> {
        self.0.details.first().and_then(|d| d.field.as_deref())
    }
    /// The server's id for the request (`X-Request-Id`, `X-Correlation-Id` or `Request-Id`
    /// header, else the body's `logref`), to quote to the API's support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// How long the server asked to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// The raw response body (at most 4 KiB), when there was one.
    pub fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
    /// Whether the server may have processed the call although it failed: a request was sent
    /// and the connection broke or timed out before an answer came. A call that failed with
    /// this set to `false` changed nothing on the server. Before sending a create again, look
    /// the object up (EQP package creates with an `item_id` do that themselves).
    pub fn outcome_unknown(&self) -> bool {
        self.0.outcome_unknown
    }
    /// Whether retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self.0.kind, ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection)
    }
}

// The text of an `Error`: the message, then status, API code, request id and wait, then the code.
impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        let mut extra = Vec::new();
        if let Some(s) = self.status {
            // Server errors already start with "HTTP <status>"; say it once.
            if !self.message.starts_with(&format!("HTTP {s}")) {
                extra.push(format!("HTTP {s}"));
            }
        }
        if let Some(c) = &self.api_code {
            extra.push(format!("api code {c}"));
        }
        if let Some(r) = &self.request_id {
            extra.push(format!("request id {r}"));
        }
        if let Some(r) = self.retry_after {
            extra.push(format!("retry after {}s", r.as_secs_f64()));
        }
        if !extra.is_empty() {
            write!(f, " ({})", extra.join(", "))?;
        }
        write!(f, " [{}]", self.code)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Same fields as the struct, minus the raw body (which can be long).
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("code", &self.0.code)
            .field("message", &self.0.message)
            .field("status", &self.0.status)
            .field("api_code", &self.0.api_code)
            .field("details", &self.0.details)
            .field("request_id", &self.0.request_id)
            .field("retry_after", &self.0.retry_after)
            .field("outcome_unknown", &self.0.outcome_unknown)
            .finish()
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(ErrorKind::Decode, format!("invalid JSON: {e}"))
    }
}

/// Keep at most [`ERROR_BODY_LIMIT`] bytes of a body, cut on a character boundary.
pub(crate) fn body_snippet(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(ERROR_BODY_LIMIT)]);
    Some(text.into_owned())
}

/// At most `max_chars` characters of `text`, with `…` when cut: for messages that quote a
/// response, which can be any length.
pub(crate) fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The typed error every call builds from an error response (status, headers, raw body).
///
/// Not part of the API: public so that the fuzz targets reach the response parser without a
/// server. Header pairs that are not valid HTTP are skipped, as no server could send them.
#[doc(hidden)]
pub fn error_from_response_parts(status: u16, headers: &[(&str, &str)], body: &[u8], secret_body: bool) -> Error {
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            map.append(name, value);
        }
    }
    crate::transport::error_from_response(status, &map, body, secret_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc…");
        assert_eq!(shorten("ééééé", 2), "éé…");
        assert_eq!(shorten("", 2), "");
    }

    #[test]
    fn invalid_input_names_the_field() {
        let e = Error::invalid_input("app_id", "must not be empty");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.code(), "invalid-input");
        assert_eq!(e.field(), Some("app_id"));
        assert!(e.to_string().contains("app_id: must not be empty"), "{e}");
    }

    #[test]
    fn fields_can_be_renamed_for_another_language() {
        let e = Error::invalid_input("page_size[2].x", "must be positive").rename_fields(|f| {
            f.strip_prefix("page_size").map(|rest| format!("pageSize{rest}"))
        });
        assert_eq!(e.field(), Some("pageSize[2].x"));
        assert_eq!(e.message(), "pageSize[2].x: must be positive");
        let untouched = Error::invalid_input("title", "too short").rename_fields(|_| None);
        assert_eq!(untouched.message(), "title: too short");
    }

    #[test]
    fn status_maps_to_kind() {
        assert_eq!(ErrorKind::from_status(401), ErrorKind::Authentication);
        assert_eq!(ErrorKind::from_status(429), ErrorKind::RateLimited);
        assert_eq!(ErrorKind::from_status(503), ErrorKind::Server);
        assert_eq!(ErrorKind::from_status(418), ErrorKind::UnexpectedStatus);
    }

    #[test]
    fn display_carries_status_code_and_retry_after() {
        let e = Error::new(ErrorKind::RateLimited, "slow down")
            .with_status(429)
            .with_api_code(ApiCode::Int(1208))
            .with_retry_after(Some(Duration::from_secs(120)));
        let s = e.to_string();
        assert!(s.contains("HTTP 429") && s.contains("api code 1208") && s.contains("retry after 120s"), "{s}");
    }
}
