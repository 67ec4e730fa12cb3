//! sellkit: a seller-side client for two marketplace APIs.
//!
//! - [`eqp`]: the Adobe Commerce (Magento) Marketplace EQP API.
//! - [`marktplaats`]: the Marktplaats / 2dehands / 2ememain API.
//!
//! Every call keeps the behaviour described in the project's design: HTTPS only (loopback
//! excepted), typed [`Error`]s, retries with backoff that honour `Retry-After`, one token manager
//! per credential, and secrets that never reach `Debug`, logs or error messages.

#![warn(missing_docs)]

pub mod auth;
pub mod batch;
#[doc(hidden)]
pub mod catalogue;
pub mod eqp;
mod env;
pub mod error;
pub mod locale;
pub mod marktplaats;
pub mod model;
pub mod pagination;
pub mod patch;
mod panic_guard;
#[doc(hidden)]
pub use panic_guard::call_that_panics;
mod path_segment;
pub mod secret;
pub mod transport;
pub mod upload;

pub use error::{ApiCode, Error, ErrorKind, FieldDetail, Result};
pub use secret::Secret;
