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

mod callbacks;
mod client;
mod environment;
mod files;
mod keys;
pub mod model;
mod packages;
mod paging;
mod release;
mod reports;
mod session;
mod test_results;
mod users;

pub use crate::batch::{BatchItem, BatchOptions, BatchResult};
pub use crate::transport::CallOptions;
pub(crate) use callbacks::authorization;
pub use callbacks::{constant_time_eq, parse_callback, verify_basic, Callbacks};
pub use client::{Client, ClientBuilder};
pub use environment::Environment;
pub use files::{guess_content_type, ByteStream, Files, Progress, ScanReport, ScanWait, StreamFactory, UploadSource};
pub use keys::{KeyFilter, Keys};
pub use model::{
    ApiCallback, Artifact, CallbackEnvelope, CallbackEvent, EqpStatus, FileRecord, MalwareStatus, Model, Package,
    Price, Profile, ProfileUpdate, Timestamp, ToolRun, TestDetail,
};
pub use packages::{PackageFilter, Packages, SortDirection, SortKey, SortKeys, Tracks};
pub use paging::ListOptions;
pub use release::{
    default_item_id, ReleaseEvent, ReleaseEvents, ReleaseFile, ReleaseOutcome, ReleaseSpec, ReviewVerdict, TestRunResult,
};
pub use reports::Reports;
pub use test_results::{TestResults, TestTarget};
pub use users::{ProfileStyle, UserReport, Users};
