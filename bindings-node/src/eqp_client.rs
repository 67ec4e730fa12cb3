//! The native EQP client that `lib/eqp-client.js` wraps.

use napi::bindgen_prelude::{Either, PromiseRaw};
use napi::Env;
use napi_derive::napi;
use sellkit::eqp::Client;
use sellkit::{Error, ErrorKind};
use serde_json::Value;

use crate::cancel::CancelToken;
use crate::client_options::{call_options, client_builder, js_names};
use crate::outcome::{aborted_json, error_json, result_json};

/// Holds a core client; `close()` drops this handle's share of it.
#[napi]
pub struct NativeEqpClient {
    client: Option<Client>,
}

/// `new EqpClient(options)`: the client, or the JSON of the error that refused the options.
#[napi(catch_unwind)]
pub fn build_eqp_client(options_json: String) -> Either<NativeEqpClient, String> {
    match client_builder(&options_json).and_then(|b| b.build()).map_err(js_names) {
        Ok(client) => Either::A(NativeEqpClient { client: Some(client) }),
        Err(e) => Either::B(error_json(&e)),
    }
}

#[napi]
impl NativeEqpClient {
    /// The account id, once a session was obtained.
    #[napi(getter)]
    pub fn mage_id(&self) -> Option<String> {
        self.client.as_ref().and_then(Client::mage_id)
    }

    #[napi(getter)]
    pub fn base_url(&self) -> Option<String> {
        self.client.as_ref().map(|c| c.base_url().to_owned())
    }

    #[napi(getter)]
    pub fn environment(&self) -> Option<String> {
        self.client.as_ref().map(|c| c.environment().as_str().to_owned())
    }

    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.client.is_none()
    }

    /// A client sharing this one's connections and session, with other call settings.
    #[napi(catch_unwind)]
    pub fn with_options(&self, options_json: String) -> Either<NativeEqpClient, String> {
        let derived = self
            .open()
            .and_then(|c| Ok((c, call_options(&options_json)?)))
            .and_then(|(c, o)| match o {
                Some(o) => c.with_options(o),
                None => Ok(c.clone()),
            })
            .map_err(js_names);
        match derived {
            Ok(client) => Either::A(NativeEqpClient { client: Some(client) }),
            Err(e) => Either::B(error_json(&e)),
        }
    }

    /// Run operation `op` with `args_json` (a JSON object). Resolves to the outcome's JSON
    /// (see [`crate::outcome`]); never rejects for a sellkit error.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        op: String,
        args_json: String,
        options_json: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let client = self.open();
        let cancel = cancel.map(CancelToken::handle);
        env.spawn_future(async move {
            let work = async move {
                let mut client = client?;
                if let Some(o) = options_json.as_deref().map(call_options).transpose().map_err(js_names)?.flatten() {
                    client = client.with_options(o).map_err(js_names)?;
                }
                let args: Value = serde_json::from_str(&args_json)
                    .map_err(|e| Error::invalid_input("args", format!("not valid JSON ({e})")))?;
                sellkit::eqp::call(&client, &op, args).await
            };
            Ok(match cancel {
                None => result_json(work.await),
                Some(cancelled) => tokio::select! {
                    result = work => result_json(result),
                    () = cancelled.notified() => aborted_json(),
                },
            })
        })
    }

    /// Drop this handle's client; later calls fail. Clients made by `with_options` stay open.
    #[napi]
    pub fn close(&mut self) {
        self.client = None;
    }
}

impl NativeEqpClient {
    fn open(&self) -> sellkit::Result<Client> {
        self.client
            .clone()
            .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "the client is closed").with_code("client-closed"))
    }
}
