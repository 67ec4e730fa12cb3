//! What the Python and Node bindings need from a client, whichever API it speaks.
//!
//! Both clients run operations by name with JSON arguments (see `eqp::dispatch` and
//! `marktplaats::dispatch` for the tables), open lazily paged lists, and derive clients with
//! other per-call settings. The bindings hold any [`Operations`] and convert values; they never
//! need to know which API is behind it.

use std::future::Future;

use serde_json::Value;

use crate::error::Result;
use crate::pagination::Paginator;
use crate::transport::CallOptions;

/// A client whose operations can be called by name.
pub trait Operations: Clone + Send + Sync + 'static {
    /// Run operation `op` with `args` (a JSON object); the result as JSON.
    fn call(&self, op: &str, args: Value) -> impl Future<Output = Result<Value>> + Send;
    /// Open the lazily paged list `op`.
    fn list(&self, op: &str, args: Value) -> Result<Paginator>;
    /// A client sharing this one's connections and tokens, with other per-call settings.
    fn with_options(&self, options: CallOptions) -> Result<Self>;
}

impl Operations for crate::eqp::Client {
    fn call(&self, op: &str, args: Value) -> impl Future<Output = Result<Value>> + Send {
        crate::eqp::call(self, op, args)
    }
    fn list(&self, op: &str, args: Value) -> Result<Paginator> {
        crate::eqp::list(self, op, args)
    }
    fn with_options(&self, options: CallOptions) -> Result<Self> {
        crate::eqp::Client::with_options(self, options)
    }
}

impl Operations for crate::marktplaats::Client {
    fn call(&self, op: &str, args: Value) -> impl Future<Output = Result<Value>> + Send {
        crate::marktplaats::call(self, op, args)
    }
    fn list(&self, op: &str, args: Value) -> Result<Paginator> {
        crate::marktplaats::list(self, op, args)
    }
    fn with_options(&self, options: CallOptions) -> Result<Self> {
        crate::marktplaats::Client::with_options(self, options)
    }
}
