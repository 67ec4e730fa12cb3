//! Panics become errors at the edge of the library.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use crate::error::{Error, ErrorKind, Result};

/// Run `fut`; a panic inside it becomes an [`ErrorKind::Internal`] error with the panic message.
pub(crate) async fn catch<T>(fut: impl Future<Output = Result<T>>) -> Result<T> {
    AssertUnwindSafe(fut).catch_unwind().await.unwrap_or_else(|payload| Err(internal(payload)))
}

/// [`catch`] for synchronous work.
pub(crate) fn catch_sync<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| Err(internal(payload)))
}

fn internal(payload: Box<dyn std::any::Any + Send>) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    Error::new(ErrorKind::Internal, format!("internal error in sellkit (please report it): {what}"))
}

/// A call that panics inside the library with `message` (an empty one returns `null`), so that
/// the Python and Node packages can show that a panic reaches their callers as an error. Not
/// part of the API.
#[doc(hidden)]
pub async fn call_that_panics(message: String) -> Result<serde_json::Value> {
    catch(async move {
        if message.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        panic!("{message}")
    })
    .await
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_panic_becomes_an_internal_error() {
        let r: crate::Result<()> = super::catch(async { panic!("boom") }).await;
        let e = r.unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Internal);
        assert!(e.message().contains("boom"));
    }
}
