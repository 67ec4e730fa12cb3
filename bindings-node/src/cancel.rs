//! A cancel token: JS triggers it when the call's `AbortSignal` aborts.

use std::sync::Arc;

use napi_derive::napi;
use tokio::sync::Notify;

/// One per call that carries a signal. `cancel()` before the call starts waiting still counts
/// (a `Notify` permit is stored).
#[napi]
pub struct CancelToken {
    notify: Arc<Notify>,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    pub fn new() -> Self {
        CancelToken { notify: Arc::new(Notify::new()) }
    }

    #[napi]
    pub fn cancel(&self) {
        self.notify.notify_one();
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelToken {
    pub(crate) fn handle(&self) -> Arc<Notify> {
        self.notify.clone()
    }
}
