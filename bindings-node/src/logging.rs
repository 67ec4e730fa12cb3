//! sellkit's logs in each client's `logger`: core's spans and events (see `sellkit::logging`)
//! become calls of `logger.debug/info/warn/error(message, fields)` on the JS thread, for the
//! client that made the request.
//!
//! A client that logs has a [`Route`]: its level and its sink, a [`JsFunction`] called through
//! the completion queue of its environment (`completions.rs`), in order with the calls'
//! outcomes: what a call logs reaches the logger before the call's promise settles. A logging
//! client never keeps the process alive on its own (the queue does only while a call is
//! pending). Each call of such a client runs in a `client` span carrying the route's id; an
//! event finds its client by walking up to that span, and is sent only if the client's level
//! lets it through. Events are checked against the most verbose level of any live route before
//! anything is recorded, so with no client logging (every one at `off`) sellkit's callsites cost
//! an atomic load and nothing reaches JS.
//!
//! A record's message is the logger name, the event's message and `key=value` for the fields of
//! its spans and its own (`sellkit.http: response method=GET path=/v1/users/me attempt=1
//! status=200 elapsed_ms=3`); the fields also go as an object. No header, token or secret is in
//! either (core's rule).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use napi::bindgen_prelude::{Function, Unknown};
use sellkit::logging::{logger_name, FieldValue, Fields};
use serde_json::{Map, Value};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use crate::completions::{Completions, JsFunction, LogArgs};

/// `(level, loggerName, message, fieldsJson) => void`, called on the JS thread.
pub type LogFn<'scope> = Function<'scope, LogArgs, Unknown<'static>>;

/// Target of the span a logging client's call runs in (it holds the route's id, `client`).
const CLIENT_TARGET: &str = "sellkit::node";

/// Where one client's records go: its level and its sink. Shared by the clients derived from it
/// with `withOptions` and by its calls in flight; unregistered when the last of them drops it.
pub struct Route {
    id: u64,
    /// The most verbose level sent ([`rank`]).
    level: u8,
    sink: Arc<JsFunction<LogArgs>>,
}

impl Drop for Route {
    fn drop(&mut self) {
        let mut routes = routes().lock().unwrap_or_else(|p| p.into_inner());
        routes.remove(&self.id);
        // From the levels kept beside the routes: upgrading a route here could drop the last
        // reference to it, and its own drop would wait for this lock.
        MOST_VERBOSE.store(routes.values().map(|(level, _)| *level).max().unwrap_or(0), Ordering::Relaxed);
    }
}

/// The live routes by id, with their levels.
fn routes() -> &'static Mutex<HashMap<u64, (u8, Weak<Route>)>> {
    static ROUTES: OnceLock<Mutex<HashMap<u64, (u8, Weak<Route>)>>> = OnceLock::new();
    ROUTES.get_or_init(Default::default)
}

/// The most verbose level of any live route ([`rank`]); 0 while no client logs.
static MOST_VERBOSE: AtomicU8 = AtomicU8::new(0);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A level as a number, more verbose higher: error 1, warn 2, info 3, debug 4, trace 5.
fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// The logger method of a level (JS loggers have no `trace` that all agree on: it is `debug`).
fn method(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        _ => "debug",
    }
}

/// The level of a client: the `logLevel` it was given (`debug`, `info`, `warn`, `error` or
/// `off`), else the one `SELLKIT_LOG` names, else `warn`.
pub fn client_level(given: Option<&str>) -> sellkit::Result<LevelFilter> {
    match given {
        None => Ok(sellkit::logging::env_level().unwrap_or(LevelFilter::WARN)),
        Some(name) => match name {
            "debug" => Ok(LevelFilter::DEBUG),
            "info" => Ok(LevelFilter::INFO),
            "warn" => Ok(LevelFilter::WARN),
            "error" => Ok(LevelFilter::ERROR),
            "off" => Ok(LevelFilter::OFF),
            other => Err(sellkit::Error::invalid_input(
                "logLevel",
                format!("expected 'debug', 'info', 'warn', 'error' or 'off', got {other:?}"),
            )),
        },
    }
}

/// Register a client's sink at `level`, its records queued on `completions`; `None` when the
/// level is `off` (nothing is sent).
pub fn route(level: LevelFilter, sink: &LogFn<'_>, completions: &Completions) -> napi::Result<Option<Arc<Route>>> {
    let Some(level) = level.into_level() else { return Ok(None) };
    let level = rank(&level);
    let sink = JsFunction::new(sink, completions)?;
    let route = Arc::new(Route { id: NEXT_ID.fetch_add(1, Ordering::Relaxed), level, sink });
    let mut routes = routes().lock().unwrap_or_else(|p| p.into_inner());
    routes.insert(route.id, (level, Arc::downgrade(&route)));
    MOST_VERBOSE.fetch_max(level, Ordering::Relaxed);
    Ok(Some(route))
}

/// The span a call of the client with `route` runs in (none for a client that does not log).
pub fn span(route: &Option<Arc<Route>>) -> tracing::Span {
    match route {
        Some(r) => tracing::info_span!(target: CLIENT_TARGET, "client", client = r.id),
        None => tracing::Span::none(),
    }
}

/// Hands sellkit's events to the logger of the client they belong to (see the module docs).
struct NodeLogs;

impl<S> Layer<S> for NodeLogs
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        // Routes come and go: sellkit's callsites are asked each time, others never.
        if meta.target() == CLIENT_TARGET || logger_name(meta.target()).is_some() {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _: Context<'_, S>) -> bool {
        let most = MOST_VERBOSE.load(Ordering::Relaxed);
        if meta.target() == CLIENT_TARGET {
            return most > 0;
        }
        logger_name(meta.target()).is_some() && rank(meta.level()) <= most
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            if let Some(fields) = span.extensions_mut().get_mut::<Fields>() {
                values.record(fields);
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let meta = event.metadata();
        let Some(name) = logger_name(meta.target()) else { return };
        let Some(scope) = ctx.event_scope(event) else { return };
        // The client: the innermost `client` span. The other spans' fields, outermost first.
        let mut client = None;
        let mut spans = Vec::new();
        for span in scope.from_root() {
            let extensions = span.extensions();
            let Some(fields) = extensions.get::<Fields>() else { continue };
            if span.metadata().target() == CLIENT_TARGET {
                if let Some(FieldValue::U64(id)) = fields.get("client") {
                    client = Some(*id);
                }
            } else {
                spans.push(fields.clone());
            }
        }
        let Some(route) = client.and_then(|id| routes().lock().unwrap_or_else(|p| p.into_inner()).get(&id).and_then(|(_, r)| r.upgrade()))
        else {
            return;
        };
        if rank(meta.level()) > route.level {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let message = format!("{name}: {}", Fields::line(&fields, &spans, &[]));
        let mut object = Map::new();
        for (key, value) in spans.iter().flat_map(|s| &s.values).chain(&fields.values) {
            object.insert((*key).to_owned(), field_to_json(value));
        }
        let json = Value::Object(object).to_string();
        route.sink.call((method(meta.level()).to_owned(), name.to_owned(), message, json).into());
    }
}

fn field_to_json(value: &FieldValue) -> Value {
    match value {
        FieldValue::Bool(b) => Value::Bool(*b),
        FieldValue::I64(n) => Value::from(*n),
        FieldValue::U64(n) => Value::from(*n),
        FieldValue::F64(n) => serde_json::Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null),
        FieldValue::Str(s) => Value::String(s.clone()),
    }
}

/// Install the layer as the process's tracing subscriber (once, when the package loads).
pub(crate) fn init() {
    // Another subscriber may already be set (an addon sharing this one's tracing): it stays.
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(NodeLogs));
}
