//! A lazily paged list: JS pulls one page at a time (`nextPage()`), the core decides the URLs,
//! offsets, limits and when to stop.

use std::sync::Arc;

use tracing::Instrument;

use napi::bindgen_prelude::{Buffer, Either, PromiseRaw};
use napi::Env;
use napi_derive::napi;
use sellkit::pagination::Paginator;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::cancel::CancelToken;
use crate::completions::{Completions, Outcome};
use crate::outcome::{aborted_json, result_json};

/// Wraps `sellkit::pagination::Paginator`; one page request at a time.
#[napi]
pub struct NativePaginator {
    inner: Arc<Mutex<Paginator>>,
    /// The log route of the client that opened the list.
    log: Option<Arc<crate::logging::Route>>,
}

impl NativePaginator {
    pub(crate) fn new(p: Paginator, log: Option<Arc<crate::logging::Route>>) -> Self {
        NativePaginator { inner: Arc::new(Mutex::new(p)), log }
    }
}

#[napi]
impl NativePaginator {
    /// Resolves to the outcome JSON whose `value` is the next page (an array) or `null` at the
    /// end, through `completions` (see `completions.rs`).
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn next_page<'env>(
        &self,
        env: &'env Env,
        completions: &Completions,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, Either<String, Buffer>>> {
        let inner = self.inner.clone();
        let cancel = cancel.map(CancelToken::handle);
        let (span, route) = (crate::logging::span(&self.log), self.log.clone());
        completions.spawn(env, async move {
            let _route = route;
            // Boxed: the runtime moves a pointer, not the page future.
            let work = Box::pin(
                async move {
                    let mut p = inner.lock().await;
                    Ok(match p.next_page().await? {
                        Some(items) => Value::Array(items),
                        None => Value::Null,
                    })
                }
                .instrument(span),
            );
            Outcome::Text(match cancel {
                None => result_json(work.await),
                Some(cancelled) => tokio::select! {
                    result = work => result_json(result),
                    () = cancelled.notified() => aborted_json(),
                },
            })
        })
    }
}
