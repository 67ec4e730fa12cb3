//! The community JSON Patch suite (`tests/fixtures/json-patch-tests`), plus property tests of `diff`
//! and of the atomicity of `apply_in_place`.

use std::path::PathBuf;

use sellkit::patch::{self, Operation, Pointer};
use serde_json::{json, Map, Value};

fn fixture(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/json-patch-tests").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    match serde_json::from_str(&text).unwrap() {
        Value::Array(cases) => cases,
        other => panic!("{name} is not an array: {other}"),
    }
}

/// Run one case; `Err` describes what went wrong.
fn run_case(case: &Value) -> Result<(), String> {
    let doc = case.get("doc").ok_or("case has no doc")?;
    let parsed = patch::parse(&case["patch"]);
    if case.get("error").is_some() {
        // Refused while parsing, or while applying, and in both cases the input is untouched.
        let Ok(ops) = parsed else { return Ok(()) };
        if let Ok(out) = patch::apply(doc, &ops) {
            return Err(format!("expected an error, got {out}"));
        }
        let mut in_place = doc.clone();
        if patch::apply_in_place(&mut in_place, &ops).is_ok() {
            return Err("apply_in_place succeeded where apply failed".into());
        }
        if &in_place != doc {
            return Err(format!("failed apply_in_place changed the document to {in_place}"));
        }
        return Ok(());
    }
    let ops = parsed.map_err(|e| format!("parse failed: {e}"))?;
    let out = patch::apply(doc, &ops).map_err(|e| format!("apply failed: {e}"))?;
    let mut in_place = doc.clone();
    patch::apply_in_place(&mut in_place, &ops).map_err(|e| format!("apply_in_place failed: {e}"))?;
    if in_place != out {
        return Err(format!("apply_in_place gave {in_place}, apply gave {out}"));
    }
    // The patch survives a round trip through its JSON form.
    let reparsed = patch::parse(&serde_json::to_value(&ops).unwrap()).map_err(|e| format!("re-parse failed: {e}"))?;
    if reparsed != ops {
        return Err("serialized patch parses differently".into());
    }
    if let Some(expected) = case.get("expected") {
        if &out != expected {
            return Err(format!("got {out}, expected {expected}"));
        }
        check_diff(doc, expected)?;
    }
    Ok(())
}

fn check_diff(old: &Value, new: &Value) -> Result<(), String> {
    let ops = patch::diff(old, new);
    if let Some(op) = ops.iter().find(|op| !op.is_server_supported()) {
        return Err(format!("diff emitted {}", op.name()));
    }
    patch::validate(&ops, true).map_err(|e| format!("diff fails server-safe validation: {e}"))?;
    let out = patch::apply(old, &ops).map_err(|e| format!("diff does not apply: {e} ({})", to_json(&ops)))?;
    if &out != new {
        return Err(format!("diff round trip gave {out}, expected {new} ({})", to_json(&ops)));
    }
    if old == new && !ops.is_empty() {
        return Err(format!("diff of equal values is not empty: {}", to_json(&ops)));
    }
    Ok(())
}

fn to_json(ops: &[Operation]) -> String {
    serde_json::to_string(ops).unwrap()
}

fn run_file(name: &str) -> (usize, usize) {
    let cases = fixture(name);
    let enabled: Vec<&Value> = cases.iter().filter(|c| c.get("disabled") != Some(&Value::Bool(true))).collect();
    let mut failures = Vec::new();
    for (i, case) in enabled.iter().enumerate() {
        if let Err(why) = run_case(case) {
            let comment = case.get("comment").and_then(Value::as_str).unwrap_or("");
            failures.push(format!("{name} enabled case {i} ({comment}): {why}\n    {case}"));
        }
    }
    let passed = enabled.len() - failures.len();
    println!(
        "{name}: passed {passed} of {} enabled cases ({} disabled skipped)",
        enabled.len(),
        cases.len() - enabled.len()
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    (passed, enabled.len())
}

#[test]
fn community_suite() {
    let (p1, n1) = run_file("tests.json");
    let (p2, n2) = run_file("spec_tests.json");
    let (passed, total) = (p1 + p2, n1 + n2);
    println!("json-patch-tests: passed {passed} of {total} enabled cases");
    assert_eq!(passed, total, "some enabled cases failed (see the output above)");
    assert!(passed > 100, "only {passed} cases ran");
}

// ---- property tests ----

const KEYS: &[&str] = &["a", "b", "c", "", "0", "1", "-", "~", "/", "a/b", "m~n", "~1", "~01", "é", "title"];

fn scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(0..10) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => json!(rng.i64(-3..3)),
        3 => json!(rng.i64(-3..3) as f64),
        4 => json!(rng.f64() * 10.0 - 5.0),
        5 => json!(u64::MAX - rng.u64(0..2)),
        _ => Value::String(KEYS[rng.usize(..KEYS.len())].to_owned()),
    }
}

fn value(rng: &mut fastrand::Rng, depth: u32) -> Value {
    if depth == 0 || rng.u8(0..10) < 4 {
        return scalar(rng);
    }
    let len = rng.usize(0..5);
    if rng.bool() {
        Value::Array((0..len).map(|_| value(rng, depth - 1)).collect())
    } else {
        let mut map = Map::new();
        for _ in 0..len {
            map.insert(KEYS[rng.usize(..KEYS.len())].to_owned(), value(rng, depth - 1));
        }
        Value::Object(map)
    }
}

/// A variant of `v`: mostly the same, with a few edits at random depths.
fn mutate(rng: &mut fastrand::Rng, v: &Value, depth: u32) -> Value {
    if rng.u8(0..20) == 0 {
        return value(rng, depth.min(3));
    }
    match v {
        Value::Array(items) => {
            let mut items: Vec<Value> =
                items.iter().map(|x| if rng.u8(0..4) == 0 { mutate(rng, x, depth + 1) } else { x.clone() }).collect();
            for _ in 0..rng.usize(0..3) {
                match rng.u8(0..3) {
                    0 if !items.is_empty() => {
                        items.remove(rng.usize(..items.len()));
                    }
                    1 => items.insert(rng.usize(..=items.len()), value(rng, 2)),
                    _ => {}
                }
            }
            Value::Array(items)
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, x) in map {
                match rng.u8(0..6) {
                    0 => {}
                    1 | 2 => {
                        out.insert(k.clone(), mutate(rng, x, depth + 1));
                    }
                    _ => {
                        out.insert(k.clone(), x.clone());
                    }
                }
            }
            let mut map = out;
            if rng.bool() {
                map.insert(KEYS[rng.usize(..KEYS.len())].to_owned(), value(rng, 2));
            }
            Value::Object(map)
        }
        _ if rng.bool() => scalar(rng),
        other => other.clone(),
    }
}

#[test]
fn diff_round_trips_on_random_pairs() {
    let mut rng = fastrand::Rng::with_seed(0x05e1_1c17);
    let mut total_ops = 0;
    for i in 0..4000 {
        let old = value(&mut rng, 4);
        let new = if i % 4 == 0 { value(&mut rng, 4) } else { mutate(&mut rng, &old, 0) };
        if let Err(why) = check_diff(&old, &new) {
            panic!("pair {i}: {why}\n  old: {old}\n  new: {new}");
        }
        let ops = patch::diff(&old, &new);
        total_ops += ops.len();
        // In place gives the same result, and the diff of a value with itself is empty.
        let mut d = old.clone();
        patch::apply_in_place(&mut d, &ops).unwrap();
        assert_eq!(d, new, "pair {i}");
        assert!(patch::diff(&new, &new).is_empty());
        // The JSON form parses back to the same operations.
        assert_eq!(patch::parse(&serde_json::to_value(&ops).unwrap()).unwrap(), ops);
    }
    assert!(total_ops > 4000, "the generator made too few differences ({total_ops} operations)");
}

/// Every location in `v` (pointers to existing values), including the root.
fn locations(v: &Value, here: &mut Vec<String>, out: &mut Vec<Pointer>) {
    out.push(Pointer::from_tokens(here.iter().cloned()));
    match v {
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                here.push(i.to_string());
                locations(x, here, out);
                here.pop();
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                here.push(k.clone());
                locations(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

/// A random operation on `doc`, mostly one that applies.
fn random_op(rng: &mut fastrand::Rng, doc: &Value) -> Operation {
    let mut locs = Vec::new();
    locations(doc, &mut Vec::new(), &mut locs);
    let existing = locs[rng.usize(..locs.len())].clone();
    let other = locs[rng.usize(..locs.len())].clone();
    // A place to add: inside an existing container, at a new key, an index, or `-`.
    let target = {
        let base = locs[rng.usize(..locs.len())].clone();
        match base.get(doc) {
            Some(Value::Array(items)) => match rng.u8(0..3) {
                0 => base.child("-"),
                _ => base.child(rng.usize(..=items.len()).to_string()),
            },
            Some(Value::Object(_)) => base.child(KEYS[rng.usize(..KEYS.len())]),
            _ => base,
        }
    };
    match rng.u8(0..6) {
        0 => Operation::add(target, value(rng, 2)),
        1 => Operation::remove(existing),
        2 => Operation::replace(existing, value(rng, 2)),
        3 => Operation::move_from(existing, target),
        4 => Operation::copy_from(other, target),
        _ => Operation::test(existing.clone(), existing.get(doc).cloned().unwrap_or(Value::Null)),
    }
}

#[test]
fn failed_patches_leave_the_document_unchanged() {
    let mut rng = fastrand::Rng::with_seed(42);
    let mut applied_ops = 0;
    let mut failed_patches = 0;
    for i in 0..2000 {
        let doc = value(&mut rng, 4);
        // Build a patch whose operations apply one after another...
        let mut ops = Vec::new();
        let mut cur = doc.clone();
        for _ in 0..rng.usize(1..8) {
            let op = random_op(&mut rng, &cur);
            if let Ok(next) = patch::apply(&cur, std::slice::from_ref(&op)) {
                cur = next;
                ops.push(op);
            }
        }
        applied_ops += ops.len();
        let mut d = doc.clone();
        patch::apply_in_place(&mut d, &ops).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(d, cur, "case {i}");
        // ...then end it with one that fails: everything must be taken back.
        ops.push(Operation::test(Pointer::root(), json!({"never": "equal"})));
        if cur == json!({"never": "equal"}) {
            continue;
        }
        let mut d = doc.clone();
        let e = patch::apply_in_place(&mut d, &ops).unwrap_err();
        assert_eq!(e.code(), "conflicting-state");
        assert_eq!(e.field(), Some(format!("ops[{}]", ops.len() - 1).as_str()));
        assert_eq!(d, doc, "case {i}: rollback of {}", to_json(&ops));
        assert_eq!(serde_json::to_string(&d).unwrap(), serde_json::to_string(&doc).unwrap());
        assert!(patch::apply(&doc, &ops).is_err());
        failed_patches += 1;
    }
    assert!(applied_ops > 3000, "too few operations applied ({applied_ops})");
    assert!(failed_patches > 1500);
}
