//! JSON Pointer (RFC 6901) and JSON Patch (RFC 6902) for the Marktplaats API.
//!
//! - [`Pointer`]: parse, print (with `~0`/`~1` escaping), and look up values.
//! - [`Operation`] / [`Patch`]: the six operations, their JSON shape, and [`parse`] with errors
//!   that name the element (`ops[3].from`, code `invalid-patch`).
//! - [`apply`] / [`apply_in_place`]: atomic: a failing patch leaves the document unchanged and
//!   fails with kind `Conflict`, code `conflicting-state`, naming the operation (`ops[i]`).
//! - [`diff`]: a patch of `add`, `remove` and `replace` only, which the server supports.
//! - [`validate`]: with `server_safe`, refuses `move`, `copy` and `test` before sending (code
//!   `invalid-patch-operation`); [`is_safe_to_repeat`] tells the transport whether a PATCH may be
//!   retried.
//!
//! ```
//! use serde_json::json;
//! use sellkit::patch;
//!
//! let old = json!({"title": "Bike", "price": {"cents": 10000}, "tags": ["a", "b"]});
//! let new = json!({"title": "Red bike", "price": {"cents": 9000}, "tags": ["a"]});
//! let ops = patch::diff(&old, &new);
//! patch::validate(&ops, true).unwrap();
//! assert_eq!(patch::apply(&old, &ops).unwrap(), new);
//! ```

mod apply;
mod builder;
mod diff;
mod equal;
mod operation;
mod pointer;
mod validate;

pub use apply::{apply, apply_in_place, CONFLICTING_STATE};
pub use builder::Patch;
pub use diff::{diff, diff_trees, DiffObject, DiffTree};
pub use equal::json_equal;
pub use operation::{parse, parse_str, Operation, INVALID_PATCH};
pub use pointer::{array_index, escape_token, Pointer, INVALID_POINTER};
pub use validate::{is_safe_to_repeat, validate, INVALID_PATCH_OPERATION};
