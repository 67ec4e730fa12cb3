//! What both native clients (EQP and Marktplaats) do the same way, generic over core's
//! [`Operations`]: refuse a closed client, apply per-call settings, run a call on napi's runtime
//! raced with its cancel token, and open lists.

use std::future::Future;

use napi::bindgen_prelude::{Either, PromiseRaw};
use napi::Env;
use sellkit::operations::Operations;
use sellkit::{Error, ErrorKind};
use serde_json::Value;

use crate::cancel::CancelToken;
use crate::client_options::{call_options, js_names};
use crate::convert::{JsIn, Stream};
use crate::outcome::{aborted_json, error_json, result_json};
use crate::paginator::NativePaginator;

/// The client of a handle, or the `client-closed` error once `close()` was called.
pub(crate) fn open<C: Clone>(client: &Option<C>) -> sellkit::Result<C> {
    client.clone().ok_or_else(|| Error::new(ErrorKind::InvalidInput, "the client is closed").with_code("client-closed"))
}

/// The arguments of an operation, sent by JS in the encoded form of `lib/encode.js` and decoded
/// here, before the call leaves the JS thread: a value with no JSON form (NaN, ±Infinity, a
/// BigInt, a lone surrogate) is refused naming its path (`ad.priceModel.askingPrice`).
pub(crate) fn decode_args(codes: JsIn, text: JsIn) -> sellkit::Result<Value> {
    Stream::new(codes, text)?.next_args()
}

/// `client` with the settings of `options_json` (`{timeout, maxRetries}`) applied, if any.
pub(crate) fn with_call_options<C: Operations>(client: sellkit::Result<C>, options_json: Option<&str>) -> sellkit::Result<C> {
    let client = client?;
    match options_json.map(call_options).transpose().map_err(js_names)?.flatten() {
        Some(o) => client.with_options(o).map_err(js_names),
        None => Ok(client),
    }
}

/// Run `work` with the client (per-call settings applied) on napi's runtime. Resolves to the
/// outcome JSON (see [`crate::outcome`]) and never rejects for a sellkit error; a triggered
/// `cancel` ends the wait at once with the aborted outcome (dropping the work cancels it).
pub(crate) fn spawn<'env, C, F, Fut>(
    env: &'env Env,
    client: sellkit::Result<C>,
    options_json: Option<String>,
    cancel: Option<&CancelToken>,
    work: F,
) -> napi::Result<PromiseRaw<'env, String>>
where
    C: Operations,
    F: FnOnce(C) -> Fut + Send + 'static,
    Fut: Future<Output = sellkit::Result<Value>> + Send,
{
    let cancel = cancel.map(CancelToken::handle);
    env.spawn_future(async move {
        // Boxed, so that what napi moves around (several times before the first poll) is a
        // pointer and not the core's call future, which is large: its copies were 4% of the
        // CPU time of 64 concurrent GETs.
        let run = Box::pin(async move { work(with_call_options(client, options_json.as_deref())?).await });
        Ok(match cancel {
            None => result_json(run.await),
            Some(cancelled) => tokio::select! {
                result = run => result_json(result),
                () = cancelled.notified() => aborted_json(),
            },
        })
    })
}

/// Run operation `op` (see [`spawn`]).
pub(crate) fn call<'env, C: Operations>(
    env: &'env Env,
    client: sellkit::Result<C>,
    op: String,
    args: sellkit::Result<Value>,
    options_json: Option<String>,
    cancel: Option<&CancelToken>,
) -> napi::Result<PromiseRaw<'env, String>> {
    spawn(env, client, options_json, cancel, move |client| async move { client.call(&op, args?).await })
}

/// Open the lazily paged list `op`: the paginator, or the JSON of the error that refused it.
pub(crate) fn list<C: Operations>(client: sellkit::Result<C>, op: &str, args: sellkit::Result<Value>) -> Either<NativePaginator, String> {
    match client.and_then(|c| c.list(op, args?)) {
        Ok(p) => Either::A(NativePaginator::new(p)),
        Err(e) => Either::B(error_json(&e)),
    }
}

/// A client with other per-call settings, wrapped by `wrap`; or the JSON of the error.
pub(crate) fn derive<C: Operations, N>(client: sellkit::Result<C>, options_json: &str, wrap: impl FnOnce(C) -> N) -> Either<N, String> {
    match with_call_options(client, Some(options_json)) {
        Ok(c) => Either::A(wrap(c)),
        Err(e) => Either::B(error_json(&e)),
    }
}
