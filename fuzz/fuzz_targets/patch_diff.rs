//! Patch diff: for any two documents, `apply(a, diff(a, b)) == b`, and the patch uses only the
//! operations the server supports (add, remove, replace) and survives its JSON form.
//!
//! Input: a JSON Patch test-suite entry (`{"doc": a, "expected": b}`), a JSON pair `[a, b]`, or
//! bytes from which `a` is built and `b` derived (by a patch, or anew).
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sellkit::patch::{self, Operation, Patch};
use sellkit_fuzz::{exact, json, operations, MAX_DEPTH};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let pair = match serde_json::from_slice::<Value>(data) {
        Ok(Value::Object(mut entry)) if entry.contains_key("doc") && entry.contains_key("expected") => {
            (entry.remove("doc").unwrap(), entry.remove("expected").unwrap())
        }
        Ok(Value::Array(mut items)) if items.len() == 2 => {
            let b = items.pop().unwrap();
            (items.pop().unwrap(), b)
        }
        _ => {
            let mut u = Unstructured::new(data);
            let Ok(pair) = generated_pair(&mut u) else { return };
            pair
        }
    };
    check(&pair.0, &pair.1);
});

fn generated_pair(u: &mut Unstructured) -> arbitrary::Result<(Value, Value)> {
    let a = json(u, MAX_DEPTH)?;
    let b = if u.arbitrary()? {
        // A near neighbour, as a real edit makes it.
        let ops = operations(u, &a)?;
        patch::apply(&a, &ops).unwrap_or_else(|_| a.clone())
    } else {
        json(u, MAX_DEPTH)?
    };
    Ok((a, b))
}

fn check(a: &Value, b: &Value) {
    let ops = patch::diff(a, b);
    for op in &ops {
        assert!(matches!(op, Operation::Add { .. } | Operation::Remove { .. } | Operation::Replace { .. }), "{op:?}");
    }
    patch::validate(&ops, true).unwrap();
    let out = patch::apply(a, &ops).unwrap_or_else(|e| panic!("diff gave a patch that fails: {e}; {ops:?}"));
    // Exact equality: `1` and `1.0` differ, so a diff must carry such a change.
    assert_eq!(out, *b, "apply(a, diff(a, b)) != b with {ops:?}");
    let mut in_place = a.clone();
    patch::apply_in_place(&mut in_place, &ops).unwrap();
    assert_eq!(exact(&in_place), exact(&out));
    if patch::json_equal(a, b) && exact(a) == exact(b) {
        assert!(ops.is_empty(), "equal documents gave {ops:?}");
    }
    assert_eq!(patch::parse(&Patch(ops.clone()).to_value()).unwrap(), ops);
    assert_eq!(patch::diff(b, b), Vec::new());
}
