//! `sellkit._native.Client`: a client of either API behind `call(op, args)`, `list(op, args)`
//! and `property(name)`; `function(api, name, args)` for the operations that need no client.
//!
//! Conversion only: arguments become core [`Args`] by the catalogue's parameter names, results
//! come back as Python values. Which operations exist, what they take and what they check is the
//! catalogue's (`sellkit::catalogue`); the Python classes are generated from it.

use std::sync::{Arc, Mutex, RwLock};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use sellkit::catalogue::{self, Api, Args, Out, CALL_OPTIONS, EQP, MARKTPLAATS};
use sellkit::transport::CallOptions;

use crate::args::args;
use crate::convert::to_py;
use crate::errors::{invalid_input, to_pyerr};
use crate::paginator::Paginator;
use crate::runtime::{block_on, future_into_py};

/// The core client of the current process, and how to build it again.
///
/// A forked child gets a fresh client: the parent's pooled connections belong to the parent's
/// runtime and sockets, so the old client is leaked, never used or dropped (dropping could hang).
struct ProcessClient<C> {
    rebuild: Box<dyn Fn() -> sellkit::Result<C> + Send + Sync>,
    current: Mutex<(u32, C)>,
}

impl<C: Clone> ProcessClient<C> {
    fn new(build: impl Fn() -> sellkit::Result<C> + Send + Sync + 'static) -> sellkit::Result<Self> {
        let client = build()?;
        Ok(ProcessClient { rebuild: Box::new(build), current: Mutex::new((std::process::id(), client)) })
    }

    fn client(&self) -> sellkit::Result<C> {
        let pid = std::process::id();
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if current.0 != pid {
            let fresh = (self.rebuild)()?;
            std::mem::forget(std::mem::replace(&mut current.1, fresh));
            current.0 = pid;
        }
        Ok(current.1.clone())
    }
}

/// A handle's share of a [`ProcessClient`]; `None` once closed.
struct Handle<C>(RwLock<Option<Arc<ProcessClient<C>>>>);

impl<C: Clone> Handle<C> {
    fn shared(&self) -> sellkit::Result<Arc<ProcessClient<C>>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(|| {
            sellkit::Error::invalid_input("client", "is closed; create a new client").with_code("client-closed")
        })
    }
}

/// Both clients derive a client with other call settings.
trait Derive: Sized {
    fn derive(&self, options: CallOptions) -> sellkit::Result<Self>;
}

impl Derive for sellkit::eqp::Client {
    fn derive(&self, options: CallOptions) -> sellkit::Result<Self> {
        self.with_options(options)
    }
}

impl Derive for sellkit::marktplaats::Client {
    fn derive(&self, options: CallOptions) -> sellkit::Result<Self> {
        self.with_options(options)
    }
}

enum Native {
    Eqp(Handle<sellkit::eqp::Client>),
    Marktplaats(Handle<sellkit::marktplaats::Client>),
}

#[pyclass(module = "sellkit._native", name = "Client", frozen)]
pub struct Client {
    native: Native,
    /// `with_options` calls, oldest first, applied to the shared client on each use.
    options: Vec<CallOptions>,
}

/// Run `$body` with `$api` (the catalogue) and `$client` (the core client with this handle's
/// call settings) of whichever API the handle holds.
macro_rules! on_client {
    ($self:expr, $py:expr, |$api:ident, $client:ident| $body:expr) => {
        match &$self.native {
            Native::Eqp(h) => {
                let $api = &EQP;
                let $client = $self.client_of($py, h)?;
                $body
            }
            Native::Marktplaats(h) => {
                let $api = &MARKTPLAATS;
                let $client = $self.client_of($py, h)?;
                $body
            }
        }
    };
}

impl Client {
    fn client_of<C: Clone + Derive>(&self, py: Python<'_>, handle: &Handle<C>) -> PyResult<C> {
        let result = handle.shared().and_then(|s| s.client()).and_then(|mut c| {
            for o in &self.options {
                c = c.derive(*o)?;
            }
            Ok(c)
        });
        result.map_err(|e| to_pyerr(py, &e))
    }
}

/// Make a process client of `api` from its settings.
fn open<C: Clone + Send + 'static>(py: Python<'_>, api: &'static Api<C>, settings: &Bound<'_, PyAny>) -> PyResult<Handle<C>> {
    let settings = args(py, api.client.params, settings)?;
    let build = api.client.build;
    let shared = ProcessClient::new(move || build(settings.clone())).map_err(|e| to_pyerr(py, &e))?;
    Ok(Handle(RwLock::new(Some(Arc::new(shared)))))
}

/// Another handle on the same process client (closing one leaves the other open).
fn share<C: Clone>(py: Python<'_>, handle: &Handle<C>) -> PyResult<Handle<C>> {
    let shared = handle.shared().map_err(|e| to_pyerr(py, &e))?;
    Ok(Handle(RwLock::new(Some(shared))))
}

/// A result as Python values: a batch is `(view, error or None)`, its error carrying `failed`.
fn out_to_py<'py>(py: Python<'py>, out: Out) -> PyResult<Bound<'py, PyAny>> {
    match out {
        Out::Json(v) => to_py(py, &v),
        Out::Bytes(b) => Ok(PyBytes::new(py, &b).into_any()),
        Out::Batch(view, error) => {
            let view_py = to_py(py, &view)?;
            let error = match error {
                Some(e) => {
                    let exc = to_pyerr(py, &e).into_value(py).into_bound(py);
                    exc.setattr("failed", view_py.get_item("failed")?)?;
                    exc.into_any()
                }
                None => py.None().into_bound(py),
            };
            Ok(PyTuple::new(py, [view_py, error])?.into_any())
        }
    }
}

#[pymethods]
impl Client {
    /// A client of `api` (`eqp` or `marktplaats`) with `settings` (a dict by setting name).
    #[new]
    fn new(py: Python<'_>, api: &str, settings: Bound<'_, PyAny>) -> PyResult<Client> {
        let native = match api {
            "eqp" => Native::Eqp(open(py, &EQP, &settings)?),
            "marktplaats" => Native::Marktplaats(open(py, &MARKTPLAATS, &settings)?),
            other => return Err(invalid_input(py, "api", format!("unknown API {other:?}"))),
        };
        Ok(Client { native, options: Vec::new() })
    }

    /// Run operation `op` with `args` and wait for it, with the GIL released.
    fn call<'py>(&self, py: Python<'py>, op: &str, args: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        on_client!(self, py, |api, client| {
            let op = api.find(op).map_err(|e| to_pyerr(py, &e))?;
            let call_args: Args = crate::args::args(py, op.params, &args)?;
            let out = block_on(py, catalogue::call(op, client, call_args))?.map_err(|e| to_pyerr(py, &e))?;
            out_to_py(py, out)
        })
    }

    /// Run operation `op` with `args`; an awaitable (needs a running asyncio loop).
    fn call_async<'py>(&self, py: Python<'py>, op: &str, args: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        on_client!(self, py, |api, client| {
            let op = api.find(op).map_err(|e| to_pyerr(py, &e))?;
            let call_args: Args = crate::args::args(py, op.params, &args)?;
            future_into_py(py, catalogue::call(op, client, call_args), |py, result| match result {
                Ok(out) => out_to_py(py, out),
                Err(e) => Err(to_pyerr(py, &e)),
            })
        })
    }

    /// Open the lazily paged list `op`; nothing is fetched until it is iterated.
    fn list(&self, py: Python<'_>, op: &str, args: Bound<'_, PyAny>) -> PyResult<Paginator> {
        on_client!(self, py, |api, client| {
            let op = api.find(op).map_err(|e| to_pyerr(py, &e))?;
            let call_args: Args = crate::args::args(py, op.params, &args)?;
            // A page source may spawn on the runtime: open it inside it.
            let _guard = crate::runtime::runtime().enter();
            Ok(Paginator::new(catalogue::list(op, client, call_args).map_err(|e| to_pyerr(py, &e))?))
        })
    }

    /// The client property `name` (`mage_id`, `platform`...).
    fn property<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        on_client!(self, py, |api, client| {
            let property = api.property(name).map_err(|e| to_pyerr(py, &e))?;
            to_py(py, &(property.get)(&client))
        })
    }

    /// A client with other call settings (`settings`: a dict), sharing this one's connections
    /// and tokens.
    fn with_options(&self, py: Python<'_>, settings: Bound<'_, PyAny>) -> PyResult<Client> {
        let options = (CALL_OPTIONS.build)(args(py, CALL_OPTIONS.params, &settings)?).map_err(|e| to_pyerr(py, &e))?;
        // Checked against the client now, so that a bad value fails here and not on a call.
        on_client!(self, py, |_api, client| client.derive(options).map(drop).map_err(|e| to_pyerr(py, &e))?);
        let native = match &self.native {
            Native::Eqp(h) => Native::Eqp(share(py, h)?),
            Native::Marktplaats(h) => Native::Marktplaats(share(py, h)?),
        };
        let mut chain = self.options.clone();
        chain.push(options);
        Ok(Client { native, options: chain })
    }

    /// Release the client: calls already running finish, new calls raise. Clients derived with
    /// `with_options` keep theirs until they are closed too.
    fn close(&self) {
        match &self.native {
            Native::Eqp(h) => drop(h.0.write().unwrap_or_else(|p| p.into_inner()).take()),
            Native::Marktplaats(h) => drop(h.0.write().unwrap_or_else(|p| p.into_inner()).take()),
        }
    }

    #[getter]
    fn closed(&self) -> bool {
        match &self.native {
            Native::Eqp(h) => h.0.read().unwrap_or_else(|p| p.into_inner()).is_none(),
            Native::Marktplaats(h) => h.0.read().unwrap_or_else(|p| p.into_inner()).is_none(),
        }
    }
}

/// Run the function `name` of `api` (it needs no client) with `args`.
#[pyfunction]
pub fn function<'py>(py: Python<'py>, api: &str, name: &str, args: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let out = match api {
        "eqp" => run_function(py, &EQP, name, &args)?,
        "marktplaats" => run_function(py, &MARKTPLAATS, name, &args)?,
        other => return Err(invalid_input(py, "api", format!("unknown API {other:?}"))),
    };
    out_to_py(py, out)
}

fn run_function<C>(py: Python<'_>, api: &'static Api<C>, name: &str, values: &Bound<'_, PyAny>) -> PyResult<Out> {
    let op = api.find_function(name).map_err(|e| to_pyerr(py, &e))?;
    let call_args = args(py, op.params, values)?;
    catalogue::function(op, call_args).map_err(|e| to_pyerr(py, &e))
}
