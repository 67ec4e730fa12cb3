//! `sellkit._native.EqpClient`: a `sellkit::eqp::Client` behind `call(op, args)`.
//!
//! Every operation goes through `sellkit::eqp::call`; this file converts settings and values and
//! holds the client, nothing else. The Python classes in `sellkit.eqp` give the operations their
//! names and signatures.

use std::sync::Arc;

use pyo3::prelude::*;
use sellkit::eqp::{CallOptions, Client};

use crate::convert::{to_py, Json};
use crate::errors::{invalid_input, to_pyerr};
use crate::operations::{self, byte_count, integer, json_args, retries, seconds, text, Handle, ProcessClient};
use crate::paginator::Paginator;
use crate::runtime::{block_on, future_into_py};

#[pyclass(module = "sellkit._native", name = "EqpClient", frozen)]
pub struct EqpClient {
    handle: Handle<Client>,
    /// `with_options` calls, oldest first, applied by core to the shared client on each use.
    options: Vec<CallOptions>,
}

impl EqpClient {
    fn client(&self) -> Result<Client, sellkit::Error> {
        let mut client = self.handle.client()?;
        for options in &self.options {
            client = client.with_options(*options)?;
        }
        Ok(client)
    }

    fn client_py(&self, py: Python<'_>) -> PyResult<Client> {
        self.client().map_err(|e| to_pyerr(py, &e))
    }
}

#[pymethods]
impl EqpClient {
    #[new]
    #[pyo3(signature = (app_id, app_secret, *, environment = None, base_url = None, timeout = None,
                        connect_timeout = None, upload_timeout = None, max_retries = None,
                        user_agent_suffix = None, token_lifetime = None, max_response_bytes = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        app_id: Bound<'_, PyAny>,
        app_secret: Bound<'_, PyAny>,
        environment: Option<Bound<'_, PyAny>>,
        base_url: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        connect_timeout: Option<Bound<'_, PyAny>>,
        upload_timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        user_agent_suffix: Option<Bound<'_, PyAny>>,
        token_lifetime: Option<Bound<'_, PyAny>>,
        max_response_bytes: Option<Bound<'_, PyAny>>,
    ) -> PyResult<EqpClient> {
        let app_id = text(py, "app_id", &app_id)?;
        let app_secret = text(py, "app_secret", &app_secret)?;
        let environment = environment.map(|v| text(py, "environment", &v)).transpose()?;
        let base_url = base_url.map(|v| text(py, "base_url", &v)).transpose()?;
        let user_agent_suffix = user_agent_suffix.map(|v| text(py, "user_agent_suffix", &v)).transpose()?;
        let mut builder = Client::builder().app_id(app_id.clone()).app_secret(app_secret);
        if let Some(env) = environment {
            builder = builder.environment_name(env);
        }
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        if let Some(t) = seconds(py, "timeout", timeout)? {
            builder = builder.timeout(t);
        }
        if let Some(t) = seconds(py, "connect_timeout", connect_timeout)? {
            builder = builder.connect_timeout(t);
        }
        if let Some(t) = seconds(py, "upload_timeout", upload_timeout)? {
            builder = builder.upload_timeout(t);
        }
        if let Some(n) = retries(py, max_retries)? {
            builder = builder.max_retries(n);
        }
        if let Some(s) = user_agent_suffix {
            builder = builder.user_agent_suffix(s);
        }
        if let Some(n) = byte_count(py, "max_response_bytes", max_response_bytes)? {
            builder = builder.max_response_bytes(n);
        }
        if let Some(ttl) = token_lifetime {
            let ttl = u64::try_from(integer(py, "token_lifetime", &ttl)?)
                .map_err(|_| invalid_input(py, "token_lifetime", "must be a positive number of seconds"))?;
            builder = builder.token_lifetime(ttl);
        }
        let shared = ProcessClient::new(move || builder.clone().build()).map_err(|e| to_pyerr(py, &e))?;
        Ok(EqpClient { handle: Handle::new(Arc::new(shared)), options: Vec::new() })
    }

    /// Run operation `op` with `args` and wait for it, with the GIL released.
    #[pyo3(signature = (op, args = None))]
    fn call<'py>(&self, py: Python<'py>, op: String, args: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let args = json_args(py, args.as_ref())?;
        operations::call(py, self.client_py(py)?, op, args)
    }

    /// Run operation `op` with `args`; returns an awaitable (needs a running asyncio loop).
    #[pyo3(signature = (op, args = None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        op: String,
        args: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let args = json_args(py, args.as_ref())?;
        operations::call_async(py, self.client_py(py)?, op, args)
    }

    /// A lazily paged list by name (`sellkit::eqp::list`); nothing is fetched until iterated.
    #[pyo3(signature = (op, args = None))]
    fn list(&self, py: Python<'_>, op: String, args: Option<Bound<'_, PyAny>>) -> PyResult<Paginator> {
        let args = json_args(py, args.as_ref())?;
        operations::list(py, self.client_py(py)?, &op, args)
    }

    /// Upload `sources` (tagged tuples, see `upload.rs`) and wait, with the GIL released.
    #[pyo3(signature = (sources, progress = None))]
    fn upload<'py>(&self, py: Python<'py>, sources: Bound<'py, PyAny>, progress: Option<Py<PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let sources = crate::upload::sources(py, &sources)?;
        let progress = crate::upload::progress(progress);
        let client = self.client_py(py)?;
        let result = block_on(py, async move { sellkit::eqp::upload(&client, sources, progress).await })?;
        match result {
            Ok(value) => to_py(py, &value),
            Err(e) => Err(to_pyerr(py, &e)),
        }
    }

    /// [`Self::upload`] as an awaitable.
    #[pyo3(signature = (sources, progress = None))]
    fn upload_async<'py>(
        &self,
        py: Python<'py>,
        sources: Bound<'py, PyAny>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let sources = crate::upload::sources(py, &sources)?;
        let progress = crate::upload::progress(progress);
        let client = self.client_py(py)?;
        future_into_py(py, async move {
            match sellkit::eqp::upload(&client, sources, progress).await {
                Ok(value) => Ok(Json(value)),
                Err(e) => Err(Python::attach(|py| to_pyerr(py, &e))),
            }
        })
    }

    /// A client for the same account with other per-call settings, sharing this one's
    /// connections and session token.
    #[pyo3(signature = (*, timeout = None, max_retries = None))]
    fn with_options(&self, py: Python<'_>, timeout: Option<Bound<'_, PyAny>>, max_retries: Option<Bound<'_, PyAny>>) -> PyResult<EqpClient> {
        let options = CallOptions { timeout: seconds(py, "timeout", timeout)?, max_retries: retries(py, max_retries)? };
        let shared = self.handle.shared().map_err(|e| to_pyerr(py, &e))?;
        // Let core check the options now, so a bad value fails here and not on the next call.
        self.client_py(py)?.with_options(options).map_err(|e| to_pyerr(py, &e))?;
        let mut chain = self.options.clone();
        chain.push(options);
        Ok(EqpClient { handle: Handle::new(shared), options: chain })
    }

    /// Release the client; clients made with `with_options` keep theirs until closed too.
    fn close(&self) {
        self.handle.close();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.handle.is_closed()
    }

    /// The account id, once a call has authenticated.
    #[getter]
    fn mage_id(&self, py: Python<'_>) -> PyResult<Option<String>> {
        Ok(self.client_py(py)?.mage_id())
    }

    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.client_py(py)?.base_url().to_owned())
    }

    #[getter]
    fn environment(&self, py: Python<'_>) -> PyResult<&'static str> {
        Ok(self.client_py(py)?.environment().as_str())
    }

    #[getter]
    fn app_id(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.client_py(py)?.app_id().to_owned())
    }

    /// How many session tokens this client (and those sharing its token) requested.
    #[getter]
    fn token_requests(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(self.client_py(py)?.token_requests())
    }
}

/// `sellkit::eqp::parse_callback_json`: check the Basic credentials and decode the envelope.
#[pyfunction]
#[pyo3(signature = (body, authorization, username, password))]
pub fn eqp_parse_callback<'py>(
    py: Python<'py>,
    body: &[u8],
    authorization: Option<&str>,
    username: &str,
    password: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let value = sellkit::eqp::parse_callback_json(body, authorization, username, password).map_err(|e| to_pyerr(py, &e))?;
    to_py(py, &value)
}
