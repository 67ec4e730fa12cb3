//! `sellkit._native.MarktplaatsClient`: a `sellkit::marktplaats::Client` behind `call(op, args)`
//! and `list(op, args)`, and `mp_call_static` for the operations that need no client.
//!
//! Conversion only: the settings, the `on_token` callable (called with the GIL taken, before the
//! new token is used; an exception it raises fails the call) and values. The Python classes in
//! `sellkit.marktplaats` give the operations their names.

use std::sync::Arc;

use pyo3::prelude::*;
use sellkit::marktplaats::{Client, TokenSet};

use crate::convert::to_py;
use crate::errors::{invalid_input, to_pyerr};
use crate::operations::{self, byte_count, integer, json_args, retries, seconds, text, Handle, ProcessClient};
use crate::paginator::Paginator;

#[pyclass(module = "sellkit._native", name = "MarktplaatsClient", frozen)]
pub struct MarktplaatsClient {
    handle: Handle<Client>,
}

/// The Python `on_token` callable as a core callback: it gets the token set as a dict.
fn on_token(callback: Py<PyAny>) -> impl Fn(&TokenSet) -> sellkit::Result<()> + Send + Sync + 'static {
    move |set: &TokenSet| {
        let json = set.to_json();
        Python::attach(|py| {
            let arg = to_py(py, &json).map_err(|e| callback_error(py, e))?;
            callback.call1(py, (arg,)).map(drop).map_err(|e| callback_error(py, e))
        })
    }
}

fn callback_error(py: Python<'_>, e: PyErr) -> sellkit::Error {
    let what = e.value(py).repr().map(|r| r.to_string()).unwrap_or_else(|_| "an exception".to_owned());
    sellkit::Error::new(sellkit::ErrorKind::Authentication, format!("on_token raised {what}")).with_code("on-token-failed")
}

impl MarktplaatsClient {
    fn client(&self, py: Python<'_>) -> PyResult<Client> {
        self.handle.client().map_err(|e| to_pyerr(py, &e))
    }
}

#[pymethods]
impl MarktplaatsClient {
    #[new]
    #[pyo3(signature = (*, platform = None, environment = None, base_url = None, auth_base_url = None,
                        token_url = None, authorize_url = None, client_id = None, client_secret = None,
                        access_token = None, access_token_expires_in = None, refresh_token = None,
                        on_token = None, locale = None, accept_language = None, timeout = None,
                        connect_timeout = None, max_retries = None, user_agent_suffix = None,
                        max_response_bytes = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        platform: Option<Bound<'_, PyAny>>,
        environment: Option<Bound<'_, PyAny>>,
        base_url: Option<Bound<'_, PyAny>>,
        auth_base_url: Option<Bound<'_, PyAny>>,
        token_url: Option<Bound<'_, PyAny>>,
        authorize_url: Option<Bound<'_, PyAny>>,
        client_id: Option<Bound<'_, PyAny>>,
        client_secret: Option<Bound<'_, PyAny>>,
        access_token: Option<Bound<'_, PyAny>>,
        access_token_expires_in: Option<Bound<'_, PyAny>>,
        refresh_token: Option<Bound<'_, PyAny>>,
        on_token: Option<Py<PyAny>>,
        locale: Option<Bound<'_, PyAny>>,
        accept_language: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        connect_timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        user_agent_suffix: Option<Bound<'_, PyAny>>,
        max_response_bytes: Option<Bound<'_, PyAny>>,
    ) -> PyResult<MarktplaatsClient> {
        let platform = platform.map(|v| text(py, "platform", &v)).transpose()?;
        let environment = environment.map(|v| text(py, "environment", &v)).transpose()?;
        let base_url = base_url.map(|v| text(py, "base_url", &v)).transpose()?;
        let auth_base_url = auth_base_url.map(|v| text(py, "auth_base_url", &v)).transpose()?;
        let token_url = token_url.map(|v| text(py, "token_url", &v)).transpose()?;
        let authorize_url = authorize_url.map(|v| text(py, "authorize_url", &v)).transpose()?;
        let client_id = client_id.map(|v| text(py, "client_id", &v)).transpose()?;
        let client_secret = client_secret.map(|v| text(py, "client_secret", &v)).transpose()?;
        let access_token = access_token.map(|v| text(py, "access_token", &v)).transpose()?;
        let refresh_token = refresh_token.map(|v| text(py, "refresh_token", &v)).transpose()?;
        let locale = locale.map(|v| text(py, "locale", &v)).transpose()?;
        let accept_language = accept_language.map(|v| text(py, "accept_language", &v)).transpose()?;
        let user_agent_suffix = user_agent_suffix.map(|v| text(py, "user_agent_suffix", &v)).transpose()?;
        let mut b = Client::builder();
        if let Some(v) = platform {
            b = b.platform_name(v);
        }
        if let Some(v) = environment {
            b = b.environment_name(v);
        }
        if let Some(v) = base_url {
            b = b.base_url(v);
        }
        if let Some(v) = auth_base_url {
            b = b.auth_base_url(v);
        }
        if let Some(v) = token_url {
            b = b.token_url(v);
        }
        if let Some(v) = authorize_url {
            b = b.authorize_url(v);
        }
        if let Some(v) = client_id {
            b = b.client_id(v);
        }
        if let Some(v) = client_secret {
            b = b.client_secret(v);
        }
        if let Some(v) = access_token {
            b = b.access_token(v);
        }
        if let Some(v) = access_token_expires_in {
            let v = u64::try_from(integer(py, "access_token_expires_in", &v)?)
                .map_err(|_| invalid_input(py, "access_token_expires_in", "must be a positive number of seconds"))?;
            b = b.access_token_expires_in(v);
        }
        if let Some(v) = refresh_token {
            b = b.refresh_token(v);
        }
        if let Some(cb) = on_token {
            if !cb.bind(py).is_callable() {
                return Err(invalid_input(py, "on_token", "must be callable"));
            }
            b = b.on_token(self::on_token(cb));
        }
        if let Some(v) = locale {
            b = b.locale(v);
        }
        if let Some(v) = accept_language {
            b = b.accept_language(v);
        }
        if let Some(t) = seconds(py, "timeout", timeout)? {
            b = b.timeout(t);
        }
        if let Some(t) = seconds(py, "connect_timeout", connect_timeout)? {
            b = b.connect_timeout(t);
        }
        if let Some(n) = retries(py, max_retries)? {
            b = b.max_retries(n);
        }
        if let Some(s) = user_agent_suffix {
            b = b.user_agent_suffix(s);
        }
        if let Some(n) = byte_count(py, "max_response_bytes", max_response_bytes)? {
            b = b.max_response_bytes(n);
        }
        let shared = ProcessClient::new(move || b.clone().build()).map_err(|e| to_pyerr(py, &e))?;
        Ok(MarktplaatsClient { handle: Handle::new(Arc::new(shared)) })
    }

    /// Run operation `op` (`sellkit::marktplaats::call`) and wait, with the GIL released.
    #[pyo3(signature = (op, args = None))]
    fn call<'py>(&self, py: Python<'py>, op: String, args: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let args = json_args(py, args.as_ref())?;
        operations::call(py, self.client(py)?, op, args)
    }

    /// Run operation `op`; returns an awaitable (needs a running asyncio loop).
    #[pyo3(signature = (op, args = None))]
    fn call_async<'py>(&self, py: Python<'py>, op: String, args: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let args = json_args(py, args.as_ref())?;
        operations::call_async(py, self.client(py)?, op, args)
    }

    /// A lazily paged list (`sellkit::marktplaats::list`).
    #[pyo3(signature = (op, args = None))]
    fn list(&self, py: Python<'_>, op: String, args: Option<Bound<'_, PyAny>>) -> PyResult<Paginator> {
        let args = json_args(py, args.as_ref())?;
        operations::list(py, self.client(py)?, &op, args)
    }

    fn close(&self) {
        self.handle.close();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.handle.is_closed()
    }

    #[getter]
    fn platform(&self, py: Python<'_>) -> PyResult<&'static str> {
        Ok(self.client(py)?.platform().as_str())
    }

    #[getter]
    fn environment(&self, py: Python<'_>) -> PyResult<&'static str> {
        Ok(self.client(py)?.environment().as_str())
    }

    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.client(py)?.base_url().to_owned())
    }

    #[getter]
    fn token_url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.client(py)?.token_url())
    }

    #[getter]
    fn locale(&self, py: Python<'_>) -> PyResult<Option<&'static str>> {
        Ok(self.client(py)?.locale().map(|l| l.as_str()))
    }

    /// How many tokens this client fetched (refreshes and grants, not the code exchange).
    #[getter]
    fn token_requests(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(self.client(py)?.token_requests())
    }
}

/// `sellkit::marktplaats::call_static`: operations without a client.
#[pyfunction]
#[pyo3(signature = (op, args = None))]
pub fn mp_call_static<'py>(py: Python<'py>, op: &str, args: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let args = json_args(py, args.as_ref())?;
    let value = sellkit::marktplaats::call_static(op, args).map_err(|e| to_pyerr(py, &e))?;
    to_py(py, &value)
}

/// `sellkit::marktplaats::verify_webhook` over the raw body bytes (constant-time compare in core).
#[pyfunction]
pub fn mp_verify_webhook(body: &[u8], signature: &str, secret: &str) -> bool {
    sellkit::marktplaats::verify_webhook(body, signature, secret)
}

/// `sellkit::marktplaats::sign_webhook` over the raw body bytes.
#[pyfunction]
pub fn mp_sign_webhook(body: &[u8], secret: &str) -> String {
    sellkit::marktplaats::sign_webhook(body, secret)
}
