//! Checks made before a patch is sent: the server-supported subset, and whether a patch may be
//! sent again after a failure whose outcome is unknown.

use super::operation::{Operation, INVALID_PATCH};
use super::pointer::array_index;
use crate::error::{Error, Result};

/// Machine code of an operation the server does not support (`move`, `copy`, `test`).
pub const INVALID_PATCH_OPERATION: &str = "invalid-patch-operation";

/// Check a patch before sending it.
///
/// - Always: a `move` whose `from` is a proper prefix of its `path` (a value moved into its own
///   child) can never apply: invalid input on `ops[i].path`, code `invalid-patch`.
/// - With `server_safe`: only `add`, `remove` and `replace` are allowed; any other operation is
///   invalid input on `ops[i].op` with code `invalid-patch-operation`.
///
/// The first problem, in operation order, is reported.
pub fn validate(ops: &[Operation], server_safe: bool) -> Result<()> {
    for (i, op) in ops.iter().enumerate() {
        if server_safe && !op.is_server_supported() {
            return Err(Error::invalid_input(
                format!("ops[{i}].op"),
                format!("operation '{}' is not supported by the server (only add, remove and replace are)", op.name()),
            )
            .with_code(INVALID_PATCH_OPERATION));
        }
        if let Operation::Move { from, path } = op {
            if from.is_proper_prefix_of(path) {
                return Err(Error::invalid_input(
                    format!("ops[{i}].path"),
                    format!("cannot move {:?} into its own child {:?}", from.to_string(), path.to_string()),
                )
                .with_code(INVALID_PATCH));
            }
        }
    }
    Ok(())
}

/// Whether sending this patch twice has the same effect as sending it once, so a PATCH whose
/// outcome is unknown may be retried.
///
/// True when every operation is a `replace`, a `test`, or an `add` to an object member (or to the
/// root). Never for `remove`, `move` or `copy`, nor for an `add` into an array, which would insert
/// twice. Without the document, an `add` whose last token is `-` or all digits is taken to target
/// an array (it might be an object member named `-` or `0`: the answer errs on the safe side).
/// An empty patch is safe to repeat.
pub fn is_safe_to_repeat(ops: &[Operation]) -> bool {
    ops.iter().all(|op| match op {
        Operation::Replace { .. } | Operation::Test { .. } => true,
        Operation::Add { path, .. } => match path.last() {
            None => true,
            Some(last) => last != "-" && !looks_like_index(last),
        },
        Operation::Remove { .. } | Operation::Move { .. } | Operation::Copy { .. } => false,
    })
}

/// All digits: an array index, or one with leading zeros (which some servers read as an index).
fn looks_like_index(token: &str) -> bool {
    array_index(token).is_some() || (!token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::operation::parse;
    use serde_json::json;

    #[test]
    fn server_safe_refuses_move_copy_test() {
        let ops = parse(&json!([
            {"op": "add", "path": "/a", "value": 1},
            {"op": "remove", "path": "/b"},
            {"op": "replace", "path": "/c", "value": 2},
            {"op": "test", "path": "/c", "value": 2},
        ]))
        .unwrap();
        validate(&ops, false).unwrap();
        validate(&ops[..3], true).unwrap();
        let e = validate(&ops, true).unwrap_err();
        assert_eq!(e.code(), INVALID_PATCH_OPERATION);
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("ops[3].op"));
        assert!(e.message().contains("'test'"), "{e}");
        for op in ["move", "copy"] {
            let ops = parse(&json!([{"op": op, "from": "/a", "path": "/b"}])).unwrap();
            assert_eq!(validate(&ops, true).unwrap_err().field(), Some("ops[0].op"));
            validate(&ops, false).unwrap();
        }
    }

    #[test]
    fn move_into_own_child_is_refused() {
        let ops = parse(&json!([{"op": "move", "from": "/a", "path": "/a/b"}])).unwrap();
        let e = validate(&ops, false).unwrap_err();
        assert_eq!((e.code(), e.field()), (INVALID_PATCH, Some("ops[0].path")));
        validate(&parse(&json!([{"op": "move", "from": "/a/b", "path": "/a"}])).unwrap(), false).unwrap();
        validate(&parse(&json!([{"op": "move", "from": "/a", "path": "/ab"}])).unwrap(), false).unwrap();
    }

    #[test]
    fn safe_to_repeat() {
        let safe = |v| is_safe_to_repeat(&parse(&v).unwrap());
        assert!(safe(json!([])));
        assert!(safe(json!([
            {"op": "replace", "path": "/a/0", "value": 1},
            {"op": "test", "path": "/a", "value": 1},
            {"op": "add", "path": "/title", "value": "x"},
            {"op": "add", "path": "", "value": {}},
        ])));
        assert!(!safe(json!([{"op": "add", "path": "/images/-", "value": 1}])));
        assert!(!safe(json!([{"op": "add", "path": "/images/0", "value": 1}])));
        assert!(!safe(json!([{"op": "add", "path": "/images/007", "value": 1}])));
        assert!(!safe(json!([{"op": "remove", "path": "/a"}])));
        assert!(!safe(
            json!([{"op": "replace", "path": "/a", "value": 1}, {"op": "move", "from": "/a", "path": "/b"}])
        ));
        assert!(!safe(json!([{"op": "copy", "from": "/a", "path": "/b"}])));
        assert!(safe(json!([{"op": "add", "path": "/a1", "value": 1}])));
    }
}
