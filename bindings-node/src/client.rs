//! `NativeClient`: a client of either API behind `call`, `list`, `property` and `withOptions`;
//! `callFunction` for the operations that need no client; `catalogue()` for the tests.
//!
//! Conversion only: arguments become core `Args` by the catalogue's parameter names
//! (`args.rs`), results go back as JSON text (`outcome.rs`) or a Buffer. Which operations exist
//! and what they check is the catalogue's (`sellkit::catalogue`); `lib/eqp.js` and
//! `lib/marktplaats.js` are generated from it.

use napi::bindgen_prelude::{Buffer, Either, PromiseRaw};
use std::sync::Arc;

use napi::Env;
use napi_derive::napi;
use tracing::Instrument;
use sellkit::catalogue::{self, Api, Operation, Out, ParamSpec, CALL_OPTIONS, EQP, MARKTPLAATS};
use sellkit::transport::CallOptions;
use sellkit::{Error, ErrorKind};
use serde_json::{json, Value};

use crate::args::{call_options, in_js_names, Callback, EventFn, Incoming, ProgressFn, TokenFn};
use crate::cancel::CancelToken;
use crate::completions::{Completions, EventArgs, JsFunction, Outcome, ProgressArgs};
use crate::convert::JsIn;
use crate::logging::{LogFn, Route};
use crate::outcome::{aborted_json, error_json, out_json};
use crate::paginator::NativePaginator;

#[derive(Clone)]
enum Native {
    Eqp(sellkit::eqp::Client),
    Marktplaats(sellkit::marktplaats::Client),
}

/// Run `$body` with `$api` (the catalogue) and `$client` (the core client) of whichever API
/// the handle holds.
macro_rules! on_client {
    ($native:expr, |$api:ident, $client:ident| $body:expr) => {
        match $native {
            Native::Eqp($client) => {
                let $api = &EQP;
                $body
            }
            Native::Marktplaats($client) => {
                let $api = &MARKTPLAATS;
                $body
            }
        }
    };
}

/// Holds a core client; `close()` drops this handle's share of it.
#[napi]
pub struct NativeClient {
    native: Option<Native>,
    /// Where the client's log records go (none: it does not log); see `logging.rs`.
    log: Option<Arc<Route>>,
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

fn build<C>(api: &'static Api<C>, incoming: Incoming) -> sellkit::Result<C> {
    let (args, _) = incoming.args(api.client.params, false)?;
    (api.client.build)(args).map_err(|e| in_js_names(e, api.client.params))
}

/// `new EqpClient(options)` / `new MarktplaatsClient(options)`: the client, or the JSON of the
/// error that refused the settings. `onToken` is the settled wrapper `lib/client.js` makes.
#[napi(catch_unwind)]
pub fn open_client(api: String, codes: JsIn, text: JsIn, on_token: Option<TokenFn>) -> Either<NativeClient, String> {
    let on_token = on_token.map(Callback::Token);
    let built = match api.as_str() {
        "eqp" => Incoming::decode(codes, text, None, on_token, EQP.client.params).and_then(|i| build(&EQP, i)).map(Native::Eqp),
        "marktplaats" => Incoming::decode(codes, text, None, on_token, MARKTPLAATS.client.params)
            .and_then(|i| build(&MARKTPLAATS, i))
            .map(Native::Marktplaats),
        other => Err(Error::invalid_input("api", format!("unknown API {other:?}"))),
    };
    match built {
        Ok(native) => Either::A(NativeClient { native: Some(native), log: None }),
        Err(e) => Either::B(error_json(&e)),
    }
}

/// The operation, the arguments and the call settings of one call, or why it cannot be made.
fn prepare<C>(
    api: &'static Api<C>,
    op: &str,
    codes: JsIn,
    text: JsIn,
    buffers: Option<Vec<Buffer>>,
    progress: Option<Arc<JsFunction<ProgressArgs>>>,
    events: Option<Arc<JsFunction<EventArgs>>>,
) -> sellkit::Result<(&'static Operation<C>, catalogue::Args, Option<CallOptions>)> {
    let op = api.find(op)?;
    let incoming = Incoming::decode(codes, text, buffers, progress.map(Callback::Progress), op.params)?.with_events(events);
    let (args, settings) = incoming.args(op.params, true)?;
    Ok((op, args, settings))
}

fn with_settings<C: Derive>(client: C, settings: Option<CallOptions>) -> sellkit::Result<C> {
    match settings {
        Some(s) => client.derive(s),
        None => Ok(client),
    }
}

#[napi]
impl NativeClient {
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.native.is_none()
    }

    fn open(&self) -> sellkit::Result<Native> {
        self.native.clone().ok_or_else(|| Error::new(ErrorKind::InvalidInput, "the client is closed").with_code("client-closed"))
    }

    /// Run operation `op` with `[positional, options]` (encoded). Resolves to the outcome JSON
    /// (see `outcome.rs`; never rejects for a sellkit error), or to a Buffer for a bytes result;
    /// a triggered `cancel` ends the wait at once with the aborted outcome. A call's function
    /// comes twice, as `progress` and as `events`: the parameter it is given for takes the one
    /// its carrier needs.
    /// The result reaches JS through `completions` (one per JS environment, see
    /// `completions.rs`).
    #[napi(catch_unwind, ts_return_type = "Promise<string | Buffer>")]
    #[allow(clippy::too_many_arguments)]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        completions: &Completions,
        op: String,
        codes: JsIn,
        text: JsIn,
        buffers: Option<Vec<Buffer>>,
        progress: Option<ProgressFn<'_>>,
        cancel: Option<&CancelToken>,
        events: Option<EventFn<'_>>,
    ) -> napi::Result<PromiseRaw<'env, Either<String, Buffer>>> {
        let cancel = cancel.map(CancelToken::handle);
        // Called from the runtime, in order with the outcomes, through the completion queue.
        let progress = progress.map(|f| JsFunction::new(&f, completions)).transpose()?;
        let events = events.map(|f| JsFunction::new(&f, completions)).transpose()?;
        // Records of the call reach this client's logger, which stays registered until it ends.
        let (span, route) = (crate::logging::span(&self.log), self.log.clone());
        let prepared = self.open().and_then(|native| {
            on_client!(native, |api, client| {
                let (op, args, settings) = prepare(api, &op, codes, text, buffers, progress, events)?;
                let client = with_settings(client, settings)?;
                let params: &'static [ParamSpec] = op.params;
                let run: std::pin::Pin<Box<dyn std::future::Future<Output = sellkit::Result<Out>> + Send>> =
                    Box::pin(catalogue::call(op, client, args).instrument(span));
                Ok((run, params))
            })
        });
        let (run, params) = match prepared {
            Ok(p) => p,
            Err(e) => return completions.settled(env, Outcome::Text(out_json(Err(e)))),
        };
        completions.spawn(env, async move {
            let _route = route;
            let result = match cancel {
                None => run.await,
                Some(cancelled) => tokio::select! {
                    result = run => result,
                    () = cancelled.notified() => return Outcome::Text(aborted_json()),
                },
            };
            match result.map_err(|e| in_js_names(e, params)) {
                Ok(Out::Bytes(b)) => Outcome::Bytes(b),
                other => Outcome::Text(out_json(other)),
            }
        })
    }

    /// Open the lazily paged list `op`: the paginator, or the JSON of the error that refused it.
    #[napi(catch_unwind)]
    pub fn list(&self, op: String, codes: JsIn, text: JsIn) -> Either<NativePaginator, String> {
        let opened = self.open().and_then(|native| {
            on_client!(native, |api, client| {
                let (op, args, settings) = prepare(api, &op, codes, text, None, None, None)?;
                let client = with_settings(client, settings)?;
                catalogue::list(op, client, args).map_err(|e| in_js_names(e, op.params))
            })
        });
        match opened {
            Ok(p) => Either::A(NativePaginator::new(p, self.log.clone())),
            Err(e) => Either::B(error_json(&e)),
        }
    }

    /// The client property `name` as JSON (`mage_id`, `platform`...).
    #[napi(catch_unwind)]
    pub fn property(&self, name: String) -> String {
        let value = self.open().and_then(|native| {
            on_client!(native, |api, client| api.property(&name).map(|p| (p.get)(&client)))
        });
        out_json(value.map(Out::Json))
    }

    /// A client with other call settings (`[[], {timeout, maxRetries}]`, encoded), sharing
    /// this one's connections and tokens; or the JSON of the error.
    #[napi(catch_unwind)]
    pub fn with_options(&self, codes: JsIn, text: JsIn) -> Either<NativeClient, String> {
        let derived = Incoming::decode(codes, text, None, None, CALL_OPTIONS.params)
            .and_then(|incoming| call_options(incoming.options))
            .and_then(|options| {
                self.open().and_then(|native| match native {
                    Native::Eqp(c) => c.derive(options).map(Native::Eqp),
                    Native::Marktplaats(c) => c.derive(options).map(Native::Marktplaats),
                })
            });
        match derived {
            Ok(native) => Either::A(NativeClient { native: Some(native), log: self.log.clone() }),
            Err(e) => Either::B(error_json(&e)),
        }
    }

    #[napi]
    pub fn close(&mut self) {
        self.native = None;
    }

    /// Send this client's log records to `sink` at `level` (`debug`, `info`, `warn`, `error`,
    /// `off`; `null`: the level `SELLKIT_LOG` names, else `warn`). The JSON of the error that
    /// refuses the level, or `null`. Called once, by the constructor in `lib/client.js`.
    /// Records are queued on `completions`, in order with the calls' outcomes.
    #[napi(catch_unwind)]
    pub fn log_to(&mut self, completions: &Completions, level: Option<String>, sink: LogFn<'_>) -> napi::Result<Option<String>> {
        match crate::logging::client_level(level.as_deref()) {
            Ok(level) => {
                self.log = crate::logging::route(level, &sink, completions)?;
                Ok(None)
            }
            Err(e) => Ok(Some(error_json(&e))),
        }
    }
}

/// Run the function `name` of `api` (it needs no client) with `[positional, options]`: the
/// outcome JSON.
#[napi(catch_unwind)]
pub fn call_function(api: String, name: String, codes: JsIn, text: JsIn, buffers: Option<Vec<Buffer>>) -> String {
    fn run<C>(api: &'static Api<C>, name: &str, codes: JsIn, text: JsIn, buffers: Option<Vec<Buffer>>) -> sellkit::Result<Out> {
        let op = api.find_function(name)?;
        let incoming = Incoming::decode(codes, text, buffers, None, op.params)?;
        let (args, _) = incoming.args(op.params, false)?;
        catalogue::function(op, args).map_err(|e| in_js_names(e, op.params))
    }
    let out = match api.as_str() {
        "eqp" => run(&EQP, &name, codes, text, buffers),
        "marktplaats" => run(&MARKTPLAATS, &name, codes, text, buffers),
        other => Err(Error::invalid_input("api", format!("unknown API {other:?}"))),
    };
    out_json(out)
}

fn params(specs: &[ParamSpec]) -> Value {
    Value::Array(specs.iter().map(|p| json!({"name": p.name, "required": p.required, "carrier": format!("{:?}", p.carrier)})).collect())
}

fn describe<C>(api: &'static Api<C>) -> Value {
    let operations: Vec<Value> =
        api.operations.iter().map(|op| json!({"name": op.name, "kind": op.kind.as_str(), "params": params(op.params)})).collect();
    json!({
        "client": params(api.client.params),
        "call_options": params(CALL_OPTIONS.params),
        "properties": api.properties.iter().map(|p| p.name).collect::<Vec<_>>(),
        "operations": operations,
    })
}

/// The catalogue (operations, their parameters and kinds, the clients' settings) as JSON: what
/// the tests check the JS surface against.
#[napi]
pub fn catalogue() -> String {
    json!({"eqp": describe(&EQP), "marktplaats": describe(&MARKTPLAATS)}).to_string()
}
