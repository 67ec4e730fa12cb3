//! What sellkit logs, under which names, and how a record reads as one line.
//!
//! sellkit logs through [`tracing`]: a Rust program sees its spans and events with any
//! subscriber (`tracing_subscriber::fmt().init()`). The Python package forwards them to the
//! `logging` module and the Node package to each client's `logger`, under these names:
//!
//! | target | Python / Node logger | records |
//! |---|---|---|
//! | [`HTTP`] (`sellkit::http`) | `sellkit.http` | a `request` span per request (`method`, `path` without its query, `attempt`); each attempt's answer or failure (`status`, `code`, `elapsed_ms`) at debug; each retry (`wait_ms`) at info |
//! | [`AUTH`] (`sellkit::auth`) | `sellkit.auth` | tokens requested, granted, refused and refreshed (`grant`, `ttl_s`) at debug |
//! | any other `sellkit::…` | `sellkit` | the rest: a write whose read-back failed (warn), a batch recovered after a lost answer (info) |
//!
//! A record names methods, paths, statuses, codes and timings. It never holds a header value, a
//! query string, a body, a token or a secret: paths are logged without their query, and the
//! errors quoted are [`Error`](crate::Error)s, whose text never holds a secret either.

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;

/// Target of the `request` spans and the events of the HTTP layer.
pub const HTTP: &str = "sellkit::http";
/// Target of the events of tokens: fetched, refused, refreshed.
pub const AUTH: &str = "sellkit::auth";

/// The logger a record of `target` goes to in Python and Node (`sellkit.http`, `sellkit.auth`,
/// or `sellkit` for sellkit's other targets); `None` for another crate's target, which sellkit
/// does not forward.
///
/// ```
/// use sellkit::logging::{logger_name, HTTP};
/// assert_eq!(logger_name(HTTP), Some("sellkit.http"));
/// assert_eq!(logger_name("sellkit::marktplaats"), Some("sellkit"));
/// assert_eq!(logger_name("hyper_util::client"), None);
/// ```
pub fn logger_name(target: &str) -> Option<&'static str> {
    let below = |parent: &str| target == parent || target.strip_prefix(parent).is_some_and(|rest| rest.starts_with("::"));
    if below(HTTP) {
        Some("sellkit.http")
    } else if below(AUTH) {
        Some("sellkit.auth")
    } else if below("sellkit") {
        Some("sellkit")
    } else {
        None
    }
}

/// The level `SELLKIT_LOG` asks of sellkit's loggers (see [`parse_level`]); `None` when the
/// variable is unset or empty.
pub fn env_level() -> Option<LevelFilter> {
    crate::env::var("SELLKIT_LOG").map(|v| parse_level(&v))
}

/// Read a `SELLKIT_LOG` value: a level (`trace`, `debug`, `info`, `warn` or `warning`, `error`,
/// `off`), or a filter list in `tracing`'s syntax (`sellkit=debug,reqwest=info`), of which the
/// directive for sellkit counts (or else the bare level). Text that names no level still asked
/// for logs: it reads as `debug`.
///
/// ```
/// use sellkit::logging::parse_level;
/// use tracing::level_filters::LevelFilter;
/// assert_eq!(parse_level("info"), LevelFilter::INFO);
/// assert_eq!(parse_level("warn,sellkit=trace"), LevelFilter::TRACE);
/// assert_eq!(parse_level("reqwest=debug"), LevelFilter::OFF);
/// assert_eq!(parse_level("yes please"), LevelFilter::DEBUG);
/// ```
pub fn parse_level(text: &str) -> LevelFilter {
    let mut bare = None;
    let mut ours = None;
    let mut others = false;
    for directive in text.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        match directive.split_once('=') {
            Some((target, level)) => {
                let target = target.trim();
                if logger_name(target).is_some() {
                    // The most verbose of sellkit's directives: one for `sellkit::http` asks for
                    // at least that much.
                    let level = level_named(level).unwrap_or(LevelFilter::DEBUG);
                    ours = Some(ours.map_or(level, |o: LevelFilter| o.max(level)));
                } else {
                    others = true;
                }
            }
            None => bare = Some(level_named(directive).unwrap_or(LevelFilter::DEBUG)),
        }
    }
    match (ours, bare) {
        (Some(level), _) | (None, Some(level)) => level,
        // Only other crates were named: nothing of sellkit's was asked for.
        (None, None) if others => LevelFilter::OFF,
        (None, None) => LevelFilter::DEBUG,
    }
}

/// A level by name (`warning` too, as Python spells it), any case. Not a number: `1` in
/// `SELLKIT_LOG=1` means "on", not tracing's level 1 (error).
pub fn level_named(name: &str) -> Option<LevelFilter> {
    match name.trim().to_ascii_lowercase().as_str() {
        "trace" => Some(LevelFilter::TRACE),
        "debug" => Some(LevelFilter::DEBUG),
        "info" => Some(LevelFilter::INFO),
        "warn" | "warning" => Some(LevelFilter::WARN),
        "error" => Some(LevelFilter::ERROR),
        "off" => Some(LevelFilter::OFF),
        _ => None,
    }
}

/// One value of a record's field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// `true` or `false`.
    Bool(bool),
    /// A signed whole number.
    I64(i64),
    /// An unsigned whole number.
    U64(u64),
    /// A float.
    F64(f64),
    /// Text (what `Display` or `Debug` made of any other value).
    Str(String),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::I64(n) => write!(f, "{n}"),
            FieldValue::U64(n) => write!(f, "{n}"),
            FieldValue::F64(n) => write!(f, "{n}"),
            // Quoted when it would not read as one `key=value` token.
            FieldValue::Str(s) if s.is_empty() || s.contains(|c: char| c.is_whitespace() || c == '"' || c == '=') => {
                write!(f, "{s:?}")
            }
            FieldValue::Str(s) => f.write_str(s),
        }
    }
}

/// The fields of a span or an event, in the order they were recorded, and an event's message.
/// A [`Visit`]or: `event.record(&mut fields)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// The event's message, when it has one.
    pub message: Option<String>,
    /// The other fields, by name.
    pub values: Vec<(&'static str, FieldValue)>,
}

impl Fields {
    /// Set `name` (a field recorded again on a span, such as `attempt`, replaces its value).
    pub fn set(&mut self, name: &'static str, value: FieldValue) {
        if name == "message" {
            self.message = Some(match value {
                FieldValue::Str(s) => s,
                other => other.to_string(),
            });
        } else if let Some(slot) = self.values.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        } else {
            self.values.push((name, value));
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// `message key=value ...`: the event's message, then the fields of the spans it happened
    /// in (outermost first), then its own. `hidden` fields are left out of the text.
    pub fn line<'a>(event: &Fields, spans: impl IntoIterator<Item = &'a Fields>, hidden: &[&str]) -> String {
        let mut out = event.message.clone().unwrap_or_default();
        let spans: Vec<&Fields> = spans.into_iter().collect();
        for fields in spans.into_iter().chain(std::iter::once(event)) {
            for (name, value) in &fields.values {
                if hidden.contains(name) {
                    continue;
                }
                if !out.is_empty() {
                    out.push(' ');
                }
                let _ = write!(out, "{name}={value}");
            }
        }
        out
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.set(field.name(), FieldValue::Str(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.set(field.name(), FieldValue::Str(value.to_owned()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.set(field.name(), FieldValue::I64(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.set(field.name(), FieldValue::U64(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.set(field.name(), FieldValue::F64(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.set(field.name(), FieldValue::Bool(value));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.set(field.name(), FieldValue::Str(value.to_string()));
    }
}

/// `path` without its query string (or fragment), as a record may show it.
pub(crate) fn without_query(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_from_the_variable() {
        for (text, level) in [
            ("debug", LevelFilter::DEBUG),
            ("TRACE", LevelFilter::TRACE),
            ("warning", LevelFilter::WARN),
            ("off", LevelFilter::OFF),
            ("sellkit=info,reqwest=trace", LevelFilter::INFO),
            ("sellkit::http=trace,sellkit=warn", LevelFilter::TRACE),
            ("error,sellkit=info", LevelFilter::INFO),
            ("hyper=debug", LevelFilter::OFF),
            ("1", LevelFilter::DEBUG),
        ] {
            assert_eq!(parse_level(text), level, "{text}");
        }
    }

    #[test]
    fn lines_read_as_key_value_pairs() {
        let span = Fields { message: None, values: vec![("method", FieldValue::Str("GET".into())), ("client", FieldValue::U64(3))] };
        let mut event = Fields::default();
        event.set("message", FieldValue::Str("response".into()));
        event.set("status", FieldValue::U64(200));
        event.set("error", FieldValue::Str("timed out while sending".into()));
        assert_eq!(Fields::line(&event, [&span], &["client"]), "response method=GET status=200 error=\"timed out while sending\"");
        event.set("status", FieldValue::U64(503));
        assert_eq!(event.get("status"), Some(&FieldValue::U64(503)));
    }

    #[test]
    fn queries_are_cut_off() {
        assert_eq!(without_query("/v1/users/1/advertisements?offset=100&limit=100"), "/v1/users/1/advertisements");
        assert_eq!(without_query("https://api.example/v1/x?a=b"), "https://api.example/v1/x");
        assert_eq!(without_query("/rest/v1/users"), "/rest/v1/users");
    }
}
