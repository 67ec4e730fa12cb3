//! Async calls hand their results to the asyncio event loop in batches: one wake-up of the loop
//! for every result ready by then, and no runtime worker ever takes the GIL to hand one over.
//!
//! Each event loop gets one [`Inbox`]: a queue of finished calls and a socket pair whose read end
//! the loop watches (`loop.add_reader`). A runtime worker that finishes a call pushes the result
//! as the Rust value it is and writes one byte, only when the queue was empty; the loop wakes,
//! and on its own thread, with the GIL it already holds, converts every queued result and
//! settles its future. The hand-off this replaces (`pyo3-async-runtimes`) spawned a second task
//! and a blocking-pool thread per call, which took the GIL and called `call_soon_threadsafe`
//! once per result: at 64 concurrent calls the workers queued on the GIL behind the loop.
//!
//! A loop that cannot watch a descriptor (the proactor loop on Windows) is woken with
//! `call_soon_threadsafe` instead, still once per batch. A loop that cannot be weakly
//! referenced gets an inbox per call (the old cost, the same behaviour).
//!
//! Cancelling the asyncio future (a cancelled task) aborts the runtime task, which drops the
//! call's future: the request is abandoned as it was before.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock};

use futures_util::FutureExt;
use pyo3::exceptions::PyNotImplementedError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::runtime::{ended_without_result, runtime};

/// Turns a finished call's value into the future's result, on the loop's thread.
type Settle = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// One finished call.
struct Finished {
    future: Py<PyAny>,
    on_cancel: Py<AbortOnCancel>,
    settle: Settle,
}

/// How a loop is woken when its queue gets its first result.
enum Wake {
    /// One byte into a socket pair the loop watches; no GIL needed.
    #[cfg(unix)]
    Socket { tx: std::os::unix::net::UnixStream, rx: std::os::unix::net::UnixStream },
    /// `loop.call_soon_threadsafe(drain)`, with the GIL.
    Threadsafe { event_loop: LoopRef },
}

/// The loop of a `call_soon_threadsafe` inbox: weakly, so that the inbox does not keep it alive,
/// where the loop allows it.
enum LoopRef {
    Weak(Py<PyAny>),
    Strong(Py<PyAny>),
}

/// The finished calls of one event loop, not yet handed over.
struct Inbox {
    queue: Mutex<Vec<Finished>>,
    wake: Wake,
}

impl Inbox {
    /// Queue `done`; wake the loop when it is the first result since the last drain.
    fn push(self: &Arc<Self>, done: Finished) {
        let was_empty = {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            let empty = queue.is_empty();
            queue.push(done);
            empty
        };
        if was_empty {
            self.wake();
        }
    }

    fn wake(self: &Arc<Self>) {
        match &self.wake {
            #[cfg(unix)]
            Wake::Socket { tx, .. } => {
                use std::io::Write;
                // A full buffer (WouldBlock) means a wake-up is pending already.
                let _ = (&*tx).write(&[1]);
            }
            Wake::Threadsafe { event_loop } => Python::attach(|py| {
                let event_loop = match event_loop {
                    LoopRef::Weak(weak) => match weak.bind(py).call0() {
                        Ok(l) if !l.is_none() => l,
                        _ => return,
                    },
                    LoopRef::Strong(l) => l.bind(py).clone(),
                };
                let drain = Drain { inbox: self.clone() };
                // A closed loop refuses: its futures are gone with it.
                let _ = event_loop.call_method1(intern!(py, "call_soon_threadsafe"), (drain,));
            }),
        }
    }

    /// Settle every queued future (on the loop's thread).
    fn drain(&self, py: Python<'_>) {
        // The wake-up bytes are read before the queue is taken: a result pushed after the take
        // wrote a byte of its own, which is still there for the next wake-up.
        #[cfg(unix)]
        if let Wake::Socket { rx, .. } = &self.wake {
            use std::io::Read;
            let mut buf = [0u8; 64];
            while matches!((&*rx).read(&mut buf), Ok(n) if n == buf.len()) {}
        }
        let batch = std::mem::take(&mut *self.queue.lock().unwrap_or_else(|p| p.into_inner()));
        for done in batch {
            if let Err(e) = settle(py, done) {
                e.write_unraisable(py, None);
            }
        }
    }
}

fn settle(py: Python<'_>, done: Finished) -> PyResult<()> {
    let future = done.future.bind(py);
    future.call_method1(intern!(py, "remove_done_callback"), (done.on_cancel,))?;
    // Cancelled while the call ran: nobody waits for the result.
    if future.call_method0(intern!(py, "done"))?.is_truthy()? {
        return Ok(());
    }
    match (done.settle)(py) {
        Ok(value) => future.call_method1(intern!(py, "set_result"), (value,))?,
        Err(e) => future.call_method1(intern!(py, "set_exception"), (e.into_value(py),))?,
    };
    Ok(())
}

/// The loop's reader callback (or the callable `call_soon_threadsafe` runs).
#[pyclass(module = "sellkit._native", frozen)]
struct Drain {
    inbox: Arc<Inbox>,
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        self.inbox.drain(py);
    }
}

/// The done callback of a call's future: a future done before its result arrived was
/// cancelled, so the call is aborted. Removed before the result is set.
#[pyclass(module = "sellkit._native", frozen)]
struct AbortOnCancel {
    task: OnceLock<tokio::task::AbortHandle>,
}

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        if let Some(task) = self.task.get() {
            task.abort();
        }
    }
}

/// `asyncio.get_running_loop`.
static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// Event loop → its [`Drain`] (a `weakref.WeakKeyDictionary`: an inbox lives as long as its loop).
static INBOXES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The inbox of `event_loop`, made and registered on first use.
fn inbox_for(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Inbox>> {
    let registry = INBOXES.get_or_try_init(py, || py.import("weakref")?.call_method0("WeakKeyDictionary").map(Bound::unbind))?.bind(py);
    let found = match registry.call_method1(intern!(py, "get"), (event_loop,)) {
        Ok(found) => found,
        // Not weakly referenceable: an inbox for this call alone.
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyTypeError>(py) => return threadsafe_inbox(py, event_loop),
        Err(e) => return Err(e),
    };
    if let Ok(drain) = found.cast::<Drain>() {
        return Ok(drain.get().inbox.clone());
    }
    let inbox = watched_inbox(py, event_loop)?;
    registry.set_item(event_loop, Drain { inbox: inbox.clone() })?;
    Ok(inbox)
}

/// An inbox the loop watches through a socket pair; the `call_soon_threadsafe` kind when the
/// loop cannot watch descriptors.
#[cfg(unix)]
fn watched_inbox(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Inbox>> {
    use std::os::fd::AsRawFd;
    let (tx, rx) = std::os::unix::net::UnixStream::pair()?;
    tx.set_nonblocking(true)?;
    rx.set_nonblocking(true)?;
    let fd = rx.as_raw_fd();
    let inbox = Arc::new(Inbox { queue: Mutex::new(Vec::new()), wake: Wake::Socket { tx, rx } });
    match event_loop.call_method1(intern!(py, "add_reader"), (fd, Drain { inbox: inbox.clone() })) {
        Ok(_) => Ok(inbox),
        Err(e) if e.is_instance_of::<PyNotImplementedError>(py) => threadsafe_inbox(py, event_loop),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn watched_inbox(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Inbox>> {
    threadsafe_inbox(py, event_loop)
}

fn threadsafe_inbox(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Inbox>> {
    // Weakly where the loop allows it; else the loop itself (this inbox then lives as long as
    // the one call it serves).
    let event_loop = match py.import("weakref")?.call_method1("ref", (event_loop,)) {
        Ok(weak) => LoopRef::Weak(weak.unbind()),
        Err(_) => LoopRef::Strong(event_loop.clone().unbind()),
    };
    Ok(Arc::new(Inbox { queue: Mutex::new(Vec::new()), wake: Wake::Threadsafe { event_loop } }))
}

/// An asyncio future of the running loop for `fut`, run on the shared runtime; `convert` turns
/// its output into the future's result on the loop's thread. Needs a running asyncio loop.
///
/// A panic in `fut` settles the future with an `InternalError`, as a blocking call reports one.
pub fn future_into_py<'py, F, T, C>(py: Python<'py>, fut: F, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T) -> PyResult<Bound<'a, PyAny>> + Send + 'static,
{
    // The levels of sellkit's loggers, as `logging` has them now (the GIL is held here).
    crate::logging::refresh(py);
    let get_running_loop = GET_RUNNING_LOOP.import(py, "asyncio", "get_running_loop")?;
    let event_loop = get_running_loop.call0()?;
    let inbox = inbox_for(py, &event_loop)?;
    let future = event_loop.call_method0(intern!(py, "create_future"))?;
    let on_cancel = Py::new(py, AbortOnCancel { task: OnceLock::new() })?;
    let (future_done, on_cancel_done) = (future.clone().unbind(), on_cancel.clone_ref(py));
    let task = runtime().spawn(async move {
        let out = AssertUnwindSafe(fut).catch_unwind().await;
        let settle: Settle = Box::new(move |py| match out {
            Ok(value) => convert(py, value).map(Bound::unbind),
            Err(_panic) => Err(ended_without_result(py)),
        });
        inbox.push(Finished { future: future_done, on_cancel: on_cancel_done, settle });
    });
    let _ = on_cancel.get().task.set(task.abort_handle());
    future.call_method1(intern!(py, "add_done_callback"), (on_cancel,))?;
    Ok(future)
}
