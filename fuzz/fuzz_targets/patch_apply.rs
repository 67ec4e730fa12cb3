//! JSON Patch parse, validate and apply: parsing never panics and round-trips, validation never
//! panics, and applying is atomic: a failing patch leaves the document exactly as it was
//! (values and member order) and fails as a conflict.
//!
//! Input: a JSON Patch test-suite entry (`{"doc": ..., "patch": [...]}`), or bytes from which a
//! document and a patch aimed at it are built.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sellkit::patch::{self, Operation, Patch, CONFLICTING_STATE};
use sellkit::ErrorKind;
use sellkit_fuzz::{exact, json, operations, MAX_DEPTH};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (doc, ops) = match serde_json::from_slice::<Value>(data) {
        Ok(Value::Object(entry)) if entry.contains_key("patch") => {
            let doc = entry.get("doc").cloned().unwrap_or(Value::Null);
            match patch::parse(&entry["patch"]) {
                Ok(ops) => (doc, ops),
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
                    return;
                }
            }
        }
        _ => {
            let mut u = Unstructured::new(data);
            let Ok(doc) = json(&mut u, MAX_DEPTH) else { return };
            let Ok(ops) = operations(&mut u, &doc) else { return };
            (doc, ops)
        }
    };
    check(&doc, &ops);
});

fn check(doc: &Value, ops: &[Operation]) {
    // The JSON form parses back to the same operations, also as text.
    let as_json = Patch(ops.to_vec()).to_value();
    assert_eq!(patch::parse(&as_json).unwrap(), ops);
    assert_eq!(patch::parse_str(&as_json.to_string()).unwrap(), ops);

    let loose = patch::validate(ops, false);
    if let Err(e) = &loose {
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    }
    match patch::validate(ops, true) {
        Ok(()) => assert!(ops.iter().all(Operation::is_server_supported)),
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}"),
    }

    let before = exact(doc);
    let copied = patch::apply(doc, ops);
    assert_eq!(exact(doc), before, "apply changed its input");

    let mut in_place = doc.clone();
    let result = patch::apply_in_place(&mut in_place, ops);
    match (&copied, &result) {
        (Ok(out), Ok(())) => {
            assert_eq!(exact(&in_place), exact(out), "apply and apply_in_place disagree");
            // A move into its own child can never apply, which is why validate refuses it.
            assert!(loose.is_ok(), "validate refused a patch that applies: {ops:?}");
            if patch::is_safe_to_repeat(ops) {
                // Sending it again to the result changes nothing (or is refused as a whole).
                if let Ok(twice) = patch::apply(out, ops) {
                    assert_eq!(twice, *out, "a patch said safe to repeat is not: {ops:?}");
                }
            }
        }
        (Err(a), Err(b)) => {
            assert_eq!(exact(&in_place), before, "a failing patch changed the document: {ops:?}");
            for e in [a, b] {
                assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
                assert_eq!(e.code(), CONFLICTING_STATE);
            }
            assert_eq!(a.message(), b.message());
            assert_eq!(a.field(), b.field());
        }
        _ => panic!("apply {copied:?} and apply_in_place {result:?} disagree on {ops:?}"),
    }
}
