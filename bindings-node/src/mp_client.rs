//! The native Marktplaats client that `lib/marktplaats-client.js` wraps: `call(op, args)`,
//! `list(op, args)` and the client-free operations (`mpCallStatic`). The `onToken` callback is
//! a threadsafe function; the core waits (off the JS thread) until JS acknowledges the token set.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

use napi::bindgen_prelude::{Either, PromiseRaw, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use sellkit::marktplaats::{Client, TokenSet};
use sellkit::{Error, ErrorKind};
use serde_json::Value;

use crate::cancel::CancelToken;
use crate::convert::JsIn;
use crate::operations::decode_args;
use crate::client_options::{js_names, mp_client_builder};
use crate::outcome::{error_json, result_json};
use crate::paginator::NativePaginator;

/// `(tokenSetJson, ackId) => void`: JS settles the user's callback and calls `mpTokenAck`.
pub type TokenFn = ThreadsafeFunction<(String, f64), Unknown<'static>, (String, f64), Status, false, true>;

/// Token sets handed to JS and not yet acknowledged: id → where the answer goes.
fn pending() -> &'static Mutex<HashMap<u64, mpsc::Sender<Option<String>>>> {
    static PENDING: OnceLock<Mutex<HashMap<u64, mpsc::Sender<Option<String>>>>> = OnceLock::new();
    PENDING.get_or_init(Default::default)
}

/// JS reports that `onToken` for token set `id` finished: `error` is null on success.
#[napi]
pub fn mp_token_ack(id: f64, error: Option<String>) {
    if let Some(tx) = pending().lock().unwrap_or_else(|p| p.into_inner()).remove(&(id as u64)) {
        let _ = tx.send(error);
    }
}

fn on_token_bridge(f: TokenFn) -> sellkit::marktplaats::OnToken {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Arc::new(move |set: &TokenSet| {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        pending().lock().unwrap_or_else(|p| p.into_inner()).insert(id, tx);
        let status = f.call((set.to_json().to_string(), id as f64), ThreadsafeFunctionCallMode::NonBlocking);
        if status != Status::Ok {
            pending().lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
            return Err(Error::new(ErrorKind::Authentication, format!("onToken could not be called ({status})")).with_code("on-token-failed"));
        }
        let wait = || rx.recv();
        let answer = match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(wait),
            _ => wait(),
        };
        match answer {
            Ok(None) => Ok(()),
            Ok(Some(message)) => Err(Error::new(ErrorKind::Authentication, format!("onToken failed: {message}")).with_code("on-token-failed")),
            Err(_) => Err(Error::new(ErrorKind::Authentication, "onToken never answered").with_code("on-token-failed")),
        }
    })
}

/// Holds a core client; `close()` drops this handle's share of it.
#[napi]
pub struct NativeMarktplaatsClient {
    client: Option<Client>,
}

/// `new MarktplaatsClient(options)`: the client, or the JSON of the error that refused the options.
#[napi(catch_unwind)]
pub fn build_marktplaats_client(options_json: String, on_token: Option<TokenFn>) -> Either<NativeMarktplaatsClient, String> {
    let built = mp_client_builder(&options_json)
        .map(|b| match on_token {
            Some(f) => b.on_token_arc(on_token_bridge(f)),
            None => b,
        })
        .and_then(|b| b.build())
        .map_err(js_names);
    match built {
        Ok(client) => Either::A(NativeMarktplaatsClient { client: Some(client) }),
        Err(e) => Either::B(error_json(&e)),
    }
}

/// An operation that needs no client (`authorization_url`, `locale.resolve`, `verify_webhook`,
/// `sign_webhook`, `parse_webhook`): the outcome JSON.
#[napi(catch_unwind)]
pub fn mp_call_static(op: String, args_json: String) -> String {
    let result = serde_json::from_str::<Value>(&args_json)
        .map_err(|e| Error::invalid_input("args", format!("not valid JSON ({e})")))
        .and_then(|args| sellkit::marktplaats::call_static(&op, args));
    result_json(result)
}

#[napi]
impl NativeMarktplaatsClient {
    #[napi(getter)]
    pub fn base_url(&self) -> Option<String> {
        self.client.as_ref().map(|c| c.base_url().to_owned())
    }
    #[napi(getter)]
    pub fn platform(&self) -> Option<String> {
        self.client.as_ref().map(|c| c.platform().as_str().to_owned())
    }
    #[napi(getter)]
    pub fn environment(&self) -> Option<String> {
        self.client.as_ref().map(|c| c.environment().as_str().to_owned())
    }
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.client.is_none()
    }

    /// A client sharing this one's connections and tokens, with other call settings.
    #[napi(catch_unwind)]
    pub fn with_options(&self, options_json: String) -> Either<NativeMarktplaatsClient, String> {
        crate::operations::derive(self.open(), &options_json, |client| NativeMarktplaatsClient { client: Some(client) })
    }

    /// Run operation `op` with `args_json`; resolves to the outcome JSON (never rejects for a
    /// sellkit error).
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        op: String,
        codes: JsIn,
        text: JsIn,
        options_json: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        crate::operations::call(env, self.open(), op, decode_args(codes, text), options_json, cancel)
    }

    /// Start a lazily paged list (`users.ads`, `search`).
    #[napi(catch_unwind)]
    pub fn list(&self, op: String, codes: JsIn, text: JsIn) -> Either<NativePaginator, String> {
        crate::operations::list(self.open(), &op, decode_args(codes, text))
    }

    #[napi]
    pub fn close(&mut self) {
        self.client = None;
    }
}

impl NativeMarktplaatsClient {
    fn open(&self) -> sellkit::Result<Client> {
        crate::operations::open(&self.client)
    }
}
