//! The native EQP client that `lib/eqp-client.js` wraps.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use napi::bindgen_prelude::{Buffer, Either, PromiseRaw, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use sellkit::eqp::{Client, Progress, UploadSource};
use sellkit::Error;
use serde_json::Value;

use crate::cancel::CancelToken;
use crate::convert::JsIn;
use crate::operations::decode_args;
use crate::client_options::{client_builder, js_names};
use crate::outcome::{error_json, result_json};
use crate::paginator::NativePaginator;

/// `onProgress(sent, total)` on the JS thread; weak, so it never keeps the process alive.
pub type ProgressFn = ThreadsafeFunction<(f64, f64), Unknown<'static>, (f64, f64), Status, false, true>;

/// Progress reports at most every 50 ms, plus the first and the last (sent == total; with an
/// unknown total, 0, only the timed ones).
fn throttled(f: ProgressFn) -> Progress {
    let last: Mutex<Option<Instant>> = Mutex::new(None);
    Arc::new(move |sent: u64, total: u64| {
        let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
        let due = (total > 0 && sent >= total) || last.is_none_or(|t| t.elapsed() >= Duration::from_millis(50));
        if due {
            *last = Some(Instant::now());
            f.call((sent as f64, total as f64), ThreadsafeFunctionCallMode::NonBlocking);
        }
    })
}

/// `specs_json`: `[{"path"} | {"filename", "content_type"?, "buffer": index into buffers} |
/// {"filename", "content_type"?, "stream": NativeUploadStream id, "length"?}]`.
fn upload_sources(specs_json: &str, buffers: Vec<Buffer>) -> sellkit::Result<Vec<UploadSource>> {
    let specs: Value = serde_json::from_str(specs_json).map_err(|e| Error::invalid_input("files", format!("not valid JSON ({e})")))?;
    let Value::Array(specs) = specs else { return Err(Error::invalid_input("files", "expected an array")) };
    let mut buffers: Vec<Option<Buffer>> = buffers.into_iter().map(Some).collect();
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let field = format!("files[{i}]");
            if let Some(path) = spec.get("path").and_then(Value::as_str) {
                return Ok(UploadSource::path(path));
            }
            let filename = spec.get("filename").and_then(Value::as_str).map(str::to_owned);
            if let Some(id) = spec.get("stream").and_then(Value::as_u64) {
                let filename = filename.ok_or_else(|| Error::invalid_input(format!("{field}.filename"), "is required for a stream"))?;
                let open = crate::upload_stream::factory(id as u32).ok_or_else(|| Error::invalid_input(field.clone(), "the stream was already used"))?;
                let content_type = spec.get("content_type").and_then(Value::as_str).map(str::to_owned);
                let length = spec.get("length").and_then(Value::as_u64);
                return Ok(UploadSource::Stream { filename, content_type, length, open });
            }
            let index = spec.get("buffer").and_then(Value::as_u64).map(|n| n as usize);
            match (filename, index) {
                (Some(filename), Some(index)) => {
                    let data = buffers.get_mut(index).and_then(Option::take).ok_or_else(|| Error::invalid_input(field.clone(), "no data"))?;
                    let content_type = spec.get("content_type").and_then(Value::as_str).map(str::to_owned);
                    Ok(UploadSource::Bytes { filename, content_type, bytes: data.to_vec().into() })
                }
                (None, _) => Err(Error::invalid_input(format!("{field}.filename"), "is required for data that is not a path")),
                (_, None) => Err(Error::invalid_input(format!("{field}.data"), "is required")),
            }
        })
        .collect()
}

/// `parseCallback(body, authorization, username, password)`: the outcome JSON of the envelope.
#[napi(catch_unwind)]
pub fn parse_eqp_callback(body: Buffer, authorization: Option<String>, username: String, password: String) -> String {
    result_json(sellkit::eqp::parse_callback_json(&body, authorization.as_deref(), &username, &password))
}

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
        crate::operations::derive(self.open(), &options_json, |client| NativeEqpClient { client: Some(client) })
    }

    /// Run operation `op` with `args_json` (a JSON object). Resolves to the outcome's JSON
    /// (see [`crate::outcome`]); never rejects for a sellkit error.
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

    /// Start a lazily paged list (`files.list`, `packages.list`, ...); the paginator, or the
    /// JSON of the error that refused the arguments.
    #[napi(catch_unwind)]
    pub fn list(&self, op: String, codes: JsIn, text: JsIn) -> Either<NativePaginator, String> {
        crate::operations::list(self.open(), &op, decode_args(codes, text))
    }

    /// Upload files (see [`upload_sources`]); resolves to the outcome JSON of the records.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn upload<'env>(
        &self,
        env: &'env Env,
        specs_json: String,
        buffers: Vec<Buffer>,
        progress: Option<ProgressFn>,
        options_json: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let sources = upload_sources(&specs_json, buffers);
        crate::operations::spawn(env, self.open(), options_json, cancel, move |client| async move {
            sellkit::eqp::upload(&client, sources?, progress.map(throttled)).await
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
        crate::operations::open(&self.client)
    }
}
