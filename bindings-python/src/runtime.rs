//! The one tokio runtime of the process, shared by blocking and async calls, and made anew in a
//! child process after `fork()`.
//!
//! A forked child inherits the parent's memory but none of its threads, so the parent's runtime
//! (and every connection bound to it) is dead there. Each use compares the process id with the
//! one the runtime was made in; in a child the old runtime is leaked (dropping it would wait for
//! threads that do not exist, or deregister sockets from an epoll instance the parent still
//! shares) and a fresh one is built on first use.
//!
//! Async calls run on this runtime too, and hand their results to the event loop in batches
//! (see [`crate::completions`]).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use futures_util::FutureExt;
use pyo3::prelude::*;
use tokio::runtime::{Builder, Runtime};

/// The runtime and the process it was built in.
static CURRENT: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// How many threads are polling a call of their own (0 or 1, see [`block_on`]).
static INLINE_CALLERS: AtomicUsize = AtomicUsize::new(0);

/// How long a blocking call waits with the GIL released before it checks for Ctrl-C.
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(100);

/// The runtime of this process, built on first use (and again in a forked child).
pub fn runtime() -> &'static Runtime {
    let pid = std::process::id();
    let mut current = CURRENT.lock().unwrap_or_else(|p| p.into_inner());
    match *current {
        Some((owner, rt)) if owner == pid => rt,
        _ => {
            // In a child the parent's runtime stays leaked on purpose (see the module docs).
            let rt = Builder::new_multi_thread()
                .enable_all()
                .thread_name("sellkit-runtime")
                .build()
                .expect("sellkit could not start its tokio runtime");
            let rt: &'static Runtime = Box::leak(Box::new(rt));
            *current = Some((pid, rt));
            rt
        }
    }
}

/// Forget the parent's runtime right after `fork()` (called by `os.register_at_fork`); the next
/// use builds a fresh one. The process-id check in [`runtime`] makes this an early courtesy,
/// not a requirement: it also covers forks that do not run Python's fork hooks.
pub fn forget_after_fork() {
    let mut current = CURRENT.lock().unwrap_or_else(|p| p.into_inner());
    if current.is_some_and(|(owner, _)| owner != std::process::id()) {
        *current = None;
    }
}

/// Run `fut` and wait for it with the GIL released. Every [`SIGNAL_CHECK_INTERVAL`] the GIL is
/// taken back briefly to run Python's signal handlers; if one raises (Ctrl-C →
/// `KeyboardInterrupt`), the future is dropped (the call is cancelled) and that exception raised.
///
/// A lone caller polls the future on its own thread (`Runtime::block_on`; the runtime's workers
/// drive the sockets and timers): no task spawn, no wake-up of a second thread to hand the result
/// over, which is most of a sequential call's overhead. While another thread is already doing
/// so, the call is spawned onto the runtime instead: many threads polling their own futures on
/// two cores thrash, where the runtime's workers batch the wake-ups. On a thread inside the
/// runtime (a Python callback run by a sellkit task), where `block_on` is not allowed, it is
/// always spawned.
pub fn block_on<F, T>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    struct Inline;
    impl Drop for Inline {
        fn drop(&mut self) {
            INLINE_CALLERS.fetch_sub(1, Ordering::Release);
        }
    }
    // The levels of sellkit's loggers, as `logging` has them now (the GIL is held here).
    crate::logging::refresh(py);
    if tokio::runtime::Handle::try_current().is_ok()
        || INLINE_CALLERS.compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed).is_err()
    {
        return block_on_spawned(py, fut);
    }
    let _inline = Inline;
    let rt = runtime();
    // A panic is contained here, as the runtime contains a spawned task's.
    let mut fut = Box::pin(AssertUnwindSafe(fut).catch_unwind());
    loop {
        // The timer is made inside `block_on`, where the runtime's context is set.
        let polled = py.detach(|| rt.block_on(async { tokio::time::timeout(SIGNAL_CHECK_INTERVAL, &mut fut).await }));
        match polled {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(_panic)) => return Err(ended_without_result(py)),
            Err(_elapsed) => py.check_signals()?,
        }
    }
}

pub(crate) fn ended_without_result(py: Python<'_>) -> PyErr {
    crate::errors::to_pyerr(py, &sellkit::Error::new(sellkit::ErrorKind::Internal, "the sellkit task ended without a result"))
}

/// [`block_on`] for a thread inside the runtime: spawn, then wait on a channel.
fn block_on_spawned<F, T>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = sync_channel(1);
    let task = runtime().spawn(async move {
        let _ = tx.send(fut.await);
    });
    let mut rx = rx;
    loop {
        // The receiver moves into the GIL-free closure and back (it is `Send`, not `Sync`).
        let (received, back) = py.detach(move || (rx.recv_timeout(SIGNAL_CHECK_INTERVAL), rx));
        rx = back;
        match received {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = py.check_signals() {
                    task.abort();
                    return Err(interrupt);
                }
            }
            Err(RecvTimeoutError::Disconnected) => return Err(ended_without_result(py)),
        }
    }
}

pub use crate::completions::future_into_py;
