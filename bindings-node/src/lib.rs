//! sellkit for Node: the native half of the `sellkit` npm package.
//!
//! This crate converts and nothing else: JS arguments arrive as JSON text, go to
//! [`sellkit::eqp::call`], and the outcome goes back as JSON text that the JS layer
//! (`bindings-node/lib/*.js`) turns into a plain object or the right `SellkitError` subclass.
//! Every rule (URLs, retries, validation, tokens) lives in the core crate.

mod cancel;
mod client_options;
mod eqp_client;
mod outcome;
mod simulator;

use napi_derive::napi;

/// Called once when the package loads: names the runtime in the `User-Agent`
/// (`node 20.20`) and turns on `SELLKIT_LOG` logging to stderr.
#[napi]
pub fn init(language: String) {
    sellkit::transport::set_language(language);
    sellkit::logging::init_from_env();
}
