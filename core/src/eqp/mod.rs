//! The Adobe Commerce Marketplace EQP API.
//!
//! ```no_run
//! # async fn demo() -> sellkit::Result<()> {
//! let client = sellkit::eqp::Client::builder()
//!     .app_id("AQ17NZ49WC")
//!     .app_secret("…")
//!     .environment(sellkit::eqp::Environment::Sandbox)
//!     .build()?;
//! let profile = client.users().get(None).await?;
//! println!("{:?}", profile.screen_name());
//! # Ok(()) }
//! ```

mod client;
mod dispatch;
mod environment;
mod session;
mod users;

pub use client::{Client, ClientBuilder};
pub use crate::transport::CallOptions;
pub use dispatch::call;
pub use environment::Environment;
pub use users::{Profile, ProfileStyle, Users};
