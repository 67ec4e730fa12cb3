//! sellkit's logs in Python's `logging`: core's spans and events (see `sellkit::logging`) become
//! records of the loggers `sellkit.http`, `sellkit.auth` and `sellkit`, so that handlers,
//! filters, `caplog` and JSON formatters see them like any other library's.
//!
//! Nothing crosses into Python unless a record will be made. The least level each of the three
//! loggers emits is read from `logging` when a call starts (where the GIL is held anyway: a few
//! attribute reads) and kept in atomics; the tracing layer compares an event's level with them
//! on whichever thread the event happens, without the GIL, and takes the GIL only to make and
//! handle a record. A level changed while a call runs applies from the next call.
//!
//! A record's message is the event's, followed by `key=value` for the fields of its spans and its
//! own (`response method=GET path=/rest/v1/users/me attempt=1 status=200 elapsed_ms=3`); each
//! field is also an attribute of the record (`record.status`), for structured handlers. Fields
//! hold no header, token or secret (core's rule); the Python side adds none.
//!
//! `SELLKIT_LOG` (`debug`, `info`, ... or a filter like `sellkit=debug,reqwest=info`) sets the
//! level of the `sellkit` logger and gives it a handler that writes to stderr, once, when the
//! package is imported.

use std::sync::atomic::{AtomicU8, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyFloat, PyString, PyTuple};
use sellkit::logging::{logger_name, FieldValue, Fields};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The loggers of sellkit's records, in the order of [`THRESHOLDS`].
const LOGGERS: [&str; 3] = ["sellkit", "sellkit.http", "sellkit.auth"];

/// A threshold above every level: the logger emits nothing.
const NOTHING: u8 = u8::MAX;

/// The least Python level (`logging.DEBUG` = 10, ...) each logger of [`LOGGERS`] emits, as
/// `logging` said when the last call started. Nothing until the package has read them.
static THRESHOLDS: [AtomicU8; 3] = [AtomicU8::new(NOTHING), AtomicU8::new(NOTHING), AtomicU8::new(NOTHING)];

/// The `logging.Logger` objects of [`LOGGERS`] and `logging.root.manager` (for
/// `logging.disable`), looked up once: `getLogger` always gives the same object for a name.
struct Loggers {
    loggers: [Py<PyAny>; 3],
    manager: Py<PyAny>,
}

static OBJECTS: PyOnceLock<Loggers> = PyOnceLock::new();

fn objects(py: Python<'_>) -> PyResult<&Loggers> {
    OBJECTS.get_or_try_init(py, || {
        let logging = py.import("logging")?;
        let get = |name: &str| logging.call_method1("getLogger", (name,)).map(Bound::unbind);
        Ok(Loggers {
            loggers: [get(LOGGERS[0])?, get(LOGGERS[1])?, get(LOGGERS[2])?],
            manager: logging.getattr("root")?.getattr("manager")?.unbind(),
        })
    })
}

/// The index in [`LOGGERS`] of a target's logger; `None` for other crates' targets.
fn slot(target: &str) -> Option<usize> {
    let name = logger_name(target)?;
    LOGGERS.iter().position(|l| *l == name)
}

/// The Python level of a tracing level (Python has no TRACE: it is DEBUG).
fn python_level(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        _ => 10,
    }
}

/// Read the loggers' levels from `logging` (called as a call starts, with the GIL held). What
/// `Logger.isEnabledFor` decides: the effective level, `logging.disable(...)`, and a logger
/// `disabled` by a configuration.
pub(crate) fn refresh(py: Python<'_>) {
    let read = || -> PyResult<()> {
        let objects = objects(py)?;
        let disable: i64 = objects.manager.bind(py).getattr("disable")?.extract()?;
        for (logger, threshold) in objects.loggers.iter().zip(&THRESHOLDS) {
            let logger = logger.bind(py);
            let least = if logger.getattr("disabled")?.is_truthy()? {
                i64::from(NOTHING)
            } else {
                logger.call_method0("getEffectiveLevel")?.extract::<i64>()?.max(disable + 1)
            };
            threshold.store(least.clamp(0, i64::from(NOTHING)) as u8, Ordering::Relaxed);
        }
        Ok(())
    };
    // A `logging` module broken by the program: its last levels stay.
    let _ = read();
}

/// Forwards sellkit's spans and events to `logging` (see the module docs).
struct PythonLogs;

impl<S> Layer<S> for PythonLogs
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        // Levels change at run time: sellkit's callsites are asked each time, others never.
        if slot(meta.target()).is_some() {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _: Context<'_, S>) -> bool {
        slot(meta.target()).is_some_and(|i| python_level(meta.level()) >= THRESHOLDS[i].load(Ordering::Relaxed))
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
        let Some(i) = slot(meta.target()) else { return };
        let mut fields = Fields::default();
        event.record(&mut fields);
        // The fields of the spans it happened in, outermost first.
        let spans: Vec<Fields> = ctx
            .event_scope(event)
            .map(|scope| scope.from_root().filter_map(|span| span.extensions().get::<Fields>().cloned()).collect())
            .unwrap_or_default();
        // An interpreter that is shutting down takes no more records.
        Python::try_attach(|py| {
            if let Err(e) = emit(py, i, python_level(meta.level()), meta, &fields, &spans) {
                e.write_unraisable(py, None);
            }
        });
    }
}

/// Make the record of one event and hand it to its logger (which applies its filters and
/// handlers, and propagates it).
fn emit(py: Python<'_>, i: usize, level: u8, meta: &Metadata<'_>, event: &Fields, spans: &[Fields]) -> PyResult<()> {
    let logger = objects(py)?.loggers[i].bind(py);
    let message = Fields::line(event, spans, &[]);
    let record = logger.call_method1(
        "makeRecord",
        (LOGGERS[i], level, meta.file().unwrap_or("<sellkit>"), meta.line().unwrap_or(0), message, PyTuple::empty(py), py.None()),
    )?;
    for (name, value) in spans.iter().flat_map(|s| &s.values).chain(&event.values) {
        // A field named like one of the record's own attributes keeps that attribute.
        let key = if record.hasattr(*name)? { format!("sellkit_{name}") } else { (*name).to_owned() };
        record.setattr(key, field_to_py(py, value)?)?;
    }
    logger.call_method1("handle", (record,))?;
    Ok(())
}

fn field_to_py<'py>(py: Python<'py>, value: &FieldValue) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        FieldValue::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        FieldValue::I64(n) => n.into_pyobject(py)?.into_any(),
        FieldValue::U64(n) => n.into_pyobject(py)?.into_any(),
        FieldValue::F64(n) => PyFloat::new(py, *n).into_any(),
        FieldValue::Str(s) => PyString::new(py, s).into_any(),
    })
}

/// Install the layer as the process's tracing subscriber, read the levels, and apply
/// `SELLKIT_LOG` (when the module is imported).
pub(crate) fn init(py: Python<'_>) -> PyResult<()> {
    // Another subscriber may already be set (a program embedding Python with its own): it stays.
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(PythonLogs));
    if let Some(level) = sellkit::logging::env_level() {
        configure_from_env(py, level)?;
    }
    refresh(py);
    Ok(())
}

/// `SELLKIT_LOG`: the `sellkit` logger at that level, with a handler that writes to stderr.
fn configure_from_env(py: Python<'_>, level: LevelFilter) -> PyResult<()> {
    let python = match level.into_level() {
        None => return Ok(()),
        Some(l) => python_level(&l),
    };
    let logging = py.import("logging")?;
    let logger = logging.call_method1("getLogger", ("sellkit",))?;
    logger.call_method1("setLevel", (python,))?;
    let handler = logging.call_method0("StreamHandler")?;
    let format = logging.call_method1("Formatter", ("%(asctime)s %(levelname)s %(name)s: %(message)s",))?;
    handler.call_method1("setFormatter", (format,))?;
    logger.call_method1("addHandler", (handler,))?;
    Ok(())
}
