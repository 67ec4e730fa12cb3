//! Calls hand their results to the JS thread in batches: one wake-up of the event loop for every
//! result ready by then.
//!
//! `lib/client.js` makes one [`Completions`] per JS environment and passes it to every call.
//! It owns one thread-safe function for the whole environment. A call creates its promise on
//! the JS thread and runs on the runtime; when it finishes, its outcome is queued and the
//! thread-safe function is signalled only if the queue was empty. On the JS thread, the signal
//! settles every queued promise at once. napi-rs's `spawn_future`, which this replaces, made a
//! thread-safe function per call (a libuv handle opened, signalled and closed for each promise).
//!
//! The thread-safe function keeps the process alive only while a call is pending (referenced
//! when the first call starts, unreferenced when the last one settles), as a pending promise of
//! napi-rs's did.
//!
//! The calls of JS functions from the runtime (a client's logger, a call's progress and event
//! callbacks: [`JsFunction`]) go through the same queue: what a call reports while it runs is
//! queued before its outcome, so JS always sees it before the promise settles, and it is never
//! dropped because the event loop ran out of work.

use std::ffi::c_void;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use napi::bindgen_prelude::{Buffer, Either, FnArgs, Function, FunctionRef, JsValuesTupleIntoVec, PromiseRaw, Unknown};
use napi::{sys, Env};
use napi_derive::napi;

/// What a call resolves to: outcome JSON text, or the bytes of a bytes result (a Buffer).
pub enum Outcome {
    Text(String),
    Bytes(bytes::Bytes),
}

/// The promise a call returns.
pub type Promise<'env> = PromiseRaw<'env, Either<String, Buffer>>;

/// A promise made on the JS thread, settled there later (the handle is only used on that thread).
struct Deferred(sys::napi_deferred);
// SAFETY: the handle is only dereferenced by Node on the JS thread that made it (see `settle_all`);
// other threads only move it through the queue.
unsafe impl Send for Deferred {}

/// The thread-safe function's handle (Node allows calling it from any thread until it is finalized).
#[derive(Clone, Copy)]
struct Tsfn(sys::napi_threadsafe_function);
// SAFETY: `napi_call_threadsafe_function` is made to be called from any thread; it is only
// called while the state lock is held and the handle not yet finalized (see `finalize`).
unsafe impl Send for Tsfn {}

/// Work for the JS thread.
type Job = Box<dyn FnOnce(&Env) + Send>;

/// One entry of the queue, handled on the JS thread in the order queued.
enum Item {
    /// A finished call (`None`: it ended without an outcome).
    Settle(Deferred, Option<Outcome>),
    /// A call of a [`JsFunction`].
    Run(Job),
}

struct State {
    queue: Vec<Item>,
    /// `None` once Node finalized the thread-safe function (the environment is going away).
    tsfn: Option<Tsfn>,
}

/// The queue of one JS environment, shared by its calls and its [`JsFunction`]s.
struct Shared {
    state: Mutex<State>,
    /// Calls started and not yet settled (changed on the JS thread only).
    pending: AtomicUsize,
}

impl Shared {
    /// Queue an item; signal the JS thread when the queue was empty.
    fn push(&self, item: Item) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(tsfn) = state.tsfn else { return };
        let was_empty = state.queue.is_empty();
        state.queue.push(item);
        if was_empty {
            // Under the lock, so that `finalize` cannot run in between.
            unsafe { sys::napi_call_threadsafe_function(tsfn.0, ptr::null_mut(), sys::ThreadsafeFunctionCallMode::nonblocking) };
        }
    }
}

/// The completion queue of one JS environment.
#[napi]
pub struct Completions {
    shared: Arc<Shared>,
    tsfn: Tsfn,
}

#[napi]
impl Completions {
    #[napi(constructor)]
    pub fn new(env: Env) -> napi::Result<Self> {
        let shared = Arc::new(Shared { state: Mutex::new(State { queue: Vec::new(), tsfn: None }), pending: AtomicUsize::new(0) });
        let context = Arc::into_raw(shared.clone()) as *mut c_void;
        let mut name = ptr::null_mut();
        let mut tsfn = ptr::null_mut();
        unsafe {
            let label = "sellkit completions";
            check(sys::napi_create_string_utf8(env.raw(), label.as_ptr().cast(), label.len() as isize, &mut name))?;
            check(sys::napi_create_threadsafe_function(
                env.raw(),
                ptr::null_mut(),
                ptr::null_mut(),
                name,
                0,
                1,
                context,
                Some(finalize),
                context,
                Some(settle_all),
                &mut tsfn,
            ))?;
            // Idle until a call starts.
            check(sys::napi_unref_threadsafe_function(env.raw(), tsfn))?;
        }
        shared.state.lock().unwrap_or_else(|p| p.into_inner()).tsfn = Some(Tsfn(tsfn));
        Ok(Completions { shared, tsfn: Tsfn(tsfn) })
    }
}

impl Completions {
    /// A promise for `fut`, run on the runtime; it resolves to the outcome `fut` gives. A panic
    /// in `fut` rejects it.
    pub fn spawn<'env, F>(&self, env: &'env Env, fut: F) -> napi::Result<Promise<'env>>
    where
        F: Future<Output = Outcome> + Send + 'static,
    {
        let (deferred, promise) = self.start(env)?;
        let shared = self.shared.clone();
        napi::bindgen_prelude::spawn(async move {
            let outcome = AssertUnwindSafe(fut).catch_unwind().await.ok();
            shared.push(Item::Settle(deferred, outcome));
        });
        Ok(PromiseRaw::new(env.raw(), promise))
    }

    /// A promise of an outcome known at once (arguments refused before anything runs); it
    /// settles through the queue like the others, so that it is never settled before it is
    /// returned.
    pub fn settled<'env>(&self, env: &'env Env, outcome: Outcome) -> napi::Result<Promise<'env>> {
        let (deferred, promise) = self.start(env)?;
        self.shared.push(Item::Settle(deferred, Some(outcome)));
        Ok(PromiseRaw::new(env.raw(), promise))
    }

    /// A new promise, counted as pending (the first one keeps the event loop alive).
    fn start(&self, env: &Env) -> napi::Result<(Deferred, sys::napi_value)> {
        let mut deferred = ptr::null_mut();
        let mut promise = ptr::null_mut();
        unsafe { check(sys::napi_create_promise(env.raw(), &mut deferred, &mut promise))? };
        if self.shared.pending.fetch_add(1, Ordering::Relaxed) == 0 {
            unsafe { check(sys::napi_ref_threadsafe_function(env.raw(), self.tsfn.0))? };
        }
        Ok((Deferred(deferred), promise))
    }
}

/// A JS function the runtime calls: each call is queued and made on the JS thread, in order with
/// the outcomes of the environment's calls. Made on the JS thread from the function a client or a
/// call was given; kept alive by a reference (released on the JS thread when the last holder
/// goes). What the function throws is dropped: the wrappers in `lib/client.js` report a callback
/// that throws as a warning, so nothing reaches here.
pub struct JsFunction<Args: JsValuesTupleIntoVec> {
    function: FunctionRef<Args, Unknown<'static>>,
    shared: Arc<Shared>,
}

impl<Args: JsValuesTupleIntoVec + Send + 'static> JsFunction<Args> {
    /// Keep `function` for calls through `completions`' queue.
    pub fn new(function: &Function<'_, Args, Unknown<'static>>, completions: &Completions) -> napi::Result<Arc<Self>> {
        Ok(Arc::new(JsFunction { function: function.create_ref()?, shared: completions.shared.clone() }))
    }

    /// Queue a call with `args` (from any thread).
    pub fn call(self: &Arc<Self>, args: Args) {
        let me = self.clone();
        self.shared.push(Item::Run(Box::new(move |env| {
            if let Ok(function) = me.function.borrow_back(env) {
                let _ = function.call(args);
            }
        })));
    }
}

/// `(level, loggerName, message, fieldsJson)`: a client's logger (`logSink` in `lib/client.js`).
pub type LogArgs = FnArgs<(String, String, String, String)>;
/// `(sent, total)`: a call's upload progress.
pub type ProgressArgs = FnArgs<(f64, f64)>;
/// `(eventJson)`: an operation's events (a release's steps).
pub type EventArgs = FnArgs<(String,)>;

fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(napi::Status::from(status), "a Node-API call failed".to_owned()))
    }
}

/// On the JS thread: settle every queued promise and make every queued call of a [`JsFunction`],
/// in the order queued.
unsafe extern "C" fn settle_all(env: sys::napi_env, _js_callback: sys::napi_value, context: *mut c_void, _data: *mut c_void) {
    // SAFETY: `context` is the `Arc<Shared>` given at creation, released only in `finalize`.
    let shared = unsafe { &*(context as *const Shared) };
    let batch = std::mem::take(&mut shared.state.lock().unwrap_or_else(|p| p.into_inner()).queue);
    if env.is_null() {
        // The environment is being torn down: nothing can be settled any more.
        return;
    }
    let mut n = 0;
    for item in batch {
        match item {
            Item::Settle(deferred, outcome) => {
                unsafe { settle(env, deferred.0, outcome) };
                n += 1;
            }
            Item::Run(job) => job(&Env::from_raw(env)),
        }
    }
    if n > 0 && shared.pending.fetch_sub(n, Ordering::Relaxed) == n {
        if let Some(tsfn) = shared.state.lock().unwrap_or_else(|p| p.into_inner()).tsfn {
            unsafe { sys::napi_unref_threadsafe_function(env, tsfn.0) };
        }
    }
}

unsafe fn settle(env: sys::napi_env, deferred: sys::napi_deferred, outcome: Option<Outcome>) {
    let mut value = ptr::null_mut();
    let status = unsafe {
        match &outcome {
            Some(Outcome::Text(s)) => sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut value),
            Some(Outcome::Bytes(b)) => sys::napi_create_buffer_copy(env, b.len(), b.as_ptr().cast(), ptr::null_mut(), &mut value),
            None => {
                let text = "the sellkit task ended without a result";
                let mut msg = ptr::null_mut();
                sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut msg);
                sys::napi_create_error(env, ptr::null_mut(), msg, &mut value)
            }
        }
    };
    if status != sys::Status::napi_ok {
        return;
    }
    unsafe {
        if outcome.is_some() {
            sys::napi_resolve_deferred(env, deferred, value);
        } else {
            sys::napi_reject_deferred(env, deferred, value);
        }
    }
}

/// Node finalized the thread-safe function (environment teardown): no more signals.
unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the reference made by `Arc::into_raw` in `Completions::new`.
    let shared = unsafe { Arc::from_raw(data as *const Shared) };
    let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
    state.tsfn = None;
    state.queue.clear();
}
