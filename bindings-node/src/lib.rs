//! sellkit for Node: the native half of the `sellkit` npm package.
//!
//! This crate converts and nothing else: JS arguments arrive in the compact form of
//! `lib/encode.js` (see [`convert`]), are mapped onto the operations of the catalogue in core
//! (`sellkit::catalogue`, see [`client`] and [`args`]), and the outcome goes back as JSON text
//! that the JS layer (`bindings-node/lib/client.js`) turns into a plain object or the right
//! `SellkitError` subclass. Every rule (URLs, retries, validation, tokens) lives in the core
//! crate; the JS classes of each API are generated from its catalogue.

mod args;
mod cancel;
mod client;
mod completions;
mod convert;
mod logging;
mod outcome;
mod paginator;
mod patch;
mod simulator;
mod upload_stream;

use napi_derive::napi;

/// mimalloc for Rust's own allocations (JSON values above all): on a 1 MB document it halves
/// the time to build and drop `serde_json::Value`s compared with the system allocator.
/// Memory allocated here is only ever freed here; Node's own allocations are not affected.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Deepest nesting of a value the encoder in `lib/encode.js` walks (core's limit).
#[napi]
pub const MAX_DEPTH: u32 = sellkit::catalogue::MAX_DEPTH as u32;

/// Called once when the package loads: names the runtime in the `User-Agent`
/// (`node 20.20`) and installs the layer that sends sellkit's logs to the clients' loggers.
#[napi]
pub fn init(language: String) {
    sellkit::transport::set_language(language);
    // Node programs name a private CA in NODE_EXTRA_CA_CERTS (Node's own TLS honours it).
    sellkit::transport::set_ca_bundle_names("caBundle", "NODE_EXTRA_CA_CERTS");
    logging::init();
}

/// A call that panics in core, where it is caught: resolves to the outcome JSON of an internal
/// error (the tests' proof that a panic reaches JS as a rejected promise).
#[napi(catch_unwind)]
pub fn panic_in_call(env: &napi::Env, message: String) -> napi::Result<napi::bindgen_prelude::PromiseRaw<'_, String>> {
    env.spawn_future(async move { Ok(outcome::result_json(sellkit::call_that_panics(message).await)) })
}

/// A panic outside core's guard, in the task napi runs: the promise rejects.
#[napi(catch_unwind)]
pub fn panic_in_task(env: &napi::Env, message: String) -> napi::Result<napi::bindgen_prelude::PromiseRaw<'_, String>> {
    env.spawn_future(async move {
        if !message.is_empty() {
            panic!("{message}");
        }
        Ok(String::new())
    })
}

/// A panic in a synchronous native function: napi turns it into a thrown error.
#[napi(catch_unwind)]
pub fn panic_now(message: String) -> String {
    if !message.is_empty() {
        panic!("{message}");
    }
    message
}

/// `resolveLocale(platform, entityLocale, userLocale)`: the outcome JSON of the locale of a
/// request on `platform` (or of the error naming the locale the platform does not allow).
#[napi(catch_unwind)]
pub fn resolve_locale(platform: String, entity_locale: Option<String>, user_locale: Option<String>) -> String {
    let resolved = sellkit::locale::resolve(&platform, entity_locale.as_deref(), user_locale.as_deref())
        .map(|l| l.as_str().into())
        // Named as the JS caller passed them (`{entityLocale, userLocale}`).
        .map_err(|e| e.rename_fields(|f| ["entity_locale", "user_locale"].contains(&f).then(|| args::camel(f))));
    outcome::result_json(resolved)
}

/// `cliMain(argv)`: the `sellkit` command (the package's `bin`, `npx sellkit`), run with `argv`
/// (the program's name first); returns its exit code. It is the Rust program's own `main`, so
/// the command behaves the same however it was installed. It blocks the calling thread until
/// the command ends, which is what a program's entry point does.
#[napi]
pub fn cli_main(argv: Vec<String>) -> i32 {
    sellkit_cli::main(argv)
}
