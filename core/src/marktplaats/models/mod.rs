//! Typed models of the Marktplaats API.
//!
//! Every model keeps what it does not know: members without a field of their own land in
//! `extra` (for an advertisement: its category attributes, which are top-level members) and are
//! written back unchanged, so that `decode → encode` gives the same JSON. HAL `_links` and
//! `_embedded` are kept as they came. Values the docs show in two shapes (an id as a number or a
//! string) use [`IntOrString`]; open sets of names (`modelType`, `status`...) are open enums that
//! keep a value they do not know.
//!
//! Amounts are integer euro cents (`i64`); no float ever holds money.


mod ad;
mod category;
mod common;
mod misc;
mod user;

pub use ad::*;
pub use category::*;
pub use common::*;
pub use misc::*;
pub use user::*;
