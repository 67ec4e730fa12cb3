//! Applying a patch, atomically: either every operation applies or the document is unchanged.
//!
//! [`apply`] clones the document once and works on the copy. [`apply_in_place`] clones nothing:
//! each operation records how to undo itself (the values it displaced are moved into the log, not
//! copied), and a failing patch is rolled back in reverse order.

use std::mem;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::equal::json_equal;
use super::operation::{type_name, Operation};
use super::pointer::{array_index, tokens_to_string, Pointer};
use crate::error::{Error, ErrorKind, FieldDetail, Result};

/// Machine code of a patch that cannot be applied to the document (the server's code for it, too).
pub const CONFLICTING_STATE: &str = "conflicting-state";

/// Apply `ops` to a copy of `doc` and return the result; `doc` itself is never modified.
///
/// Fails with kind [`ErrorKind::Conflict`] and code `conflicting-state` when an operation cannot
/// apply (a missing target, an index out of bounds, a failing `test`); the message and the error's
/// field (`ops[i]`) name the operation.
pub fn apply(doc: &Value, ops: &[Operation]) -> Result<Value> {
    let mut out = doc.clone();
    run(&mut out, ops, None)?;
    Ok(out)
}

/// Apply `ops` to `doc` in place. On failure `doc` is left exactly as it was (same values, and the
/// same member order where maps keep it) and the error is the one [`apply`] returns.
pub fn apply_in_place(doc: &mut Value, ops: &[Operation]) -> Result<()> {
    let mut log = Vec::new();
    if let Err(e) = run(doc, ops, Some(&mut log)) {
        for step in log.into_iter().rev() {
            let undone = step.undo(doc);
            debug_assert!(undone.is_ok(), "rollback could not find a location it changed");
        }
        return Err(e);
    }
    Ok(())
}

fn run<'p>(doc: &mut Value, ops: &'p [Operation], mut log: Option<&mut Vec<Undo<'p>>>) -> Result<()> {
    for (i, op) in ops.iter().enumerate() {
        let undo = apply_one(doc, op).map_err(|reason| conflict(i, op, reason))?;
        if let (Some(log), Some(undo)) = (log.as_deref_mut(), undo) {
            log.push(undo);
        }
    }
    Ok(())
}

fn conflict(index: usize, op: &Operation, reason: String) -> Error {
    let field = format!("ops[{index}]");
    let message = match op.from() {
        Some(from) => format!(
            "{field} ({} from {:?} to {:?}) cannot be applied: {reason}",
            op.name(),
            from.to_string(),
            op.path().to_string()
        ),
        None => format!("{field} ({} {:?}) cannot be applied: {reason}", op.name(), op.path().to_string()),
    };
    Error::new(ErrorKind::Conflict, message).with_code(CONFLICTING_STATE).with_details(vec![FieldDetail {
        field: Some(field),
        code: Some(CONFLICTING_STATE.to_owned()),
        message: Some(reason),
        value: None,
    }])
}

/// Where a value sits: the tokens of its container (borrowed from the operation) and its slot.
struct Loc<'p> {
    parent: &'p [String],
    slot: Slot<'p>,
}

enum Slot<'p> {
    Root,
    Key(&'p str),
    Index(usize),
}

const ROOT: Loc<'static> = Loc { parent: &[], slot: Slot::Root };

/// How to take back one applied operation.
enum Undo<'p> {
    /// Put back the value that was overwritten (`replace`, or `add` onto an existing member or root).
    Restore(Loc<'p>, Value),
    /// Take out what an `add` inserted.
    Take(Loc<'p>),
    /// Put back what a `remove` took out; in an ordered map, at its former position.
    Reinsert(Loc<'p>, Value, Option<usize>),
    /// Undo the `add` half of a `move`, then put the value back at the source.
    Move(Box<Undo<'p>>, Loc<'p>, Option<usize>),
}

impl Undo<'_> {
    /// Undo this step; returns the value it displaced. `Err` would mean a bug (a changed document).
    fn undo(self, doc: &mut Value) -> std::result::Result<Option<Value>, ()> {
        match self {
            Undo::Restore(loc, old) => Ok(Some(mem::replace(slot_mut(doc, &loc).ok_or(())?, old))),
            Undo::Take(loc) => take(doc, &loc).map(Some).ok_or(()),
            Undo::Reinsert(loc, value, position) => reinsert(doc, &loc, value, position).map(|()| None),
            Undo::Move(add, from, position) => {
                let value = add.undo(doc)?.ok_or(())?;
                reinsert(doc, &from, value, position).map(|()| None)
            }
        }
    }
}

fn apply_one<'p>(doc: &mut Value, op: &'p Operation) -> std::result::Result<Option<Undo<'p>>, String> {
    match op {
        Operation::Add { path, value } => add(doc, path, value.clone()).map(Some).map_err(|(reason, _)| reason),
        Operation::Remove { path } => {
            let (loc, value, position) = remove(doc, path)?;
            Ok(Some(Undo::Reinsert(loc, value, position)))
        }
        Operation::Replace { path, value } => replace(doc, path, value.clone()).map(Some),
        Operation::Move { from, path } => {
            if from == path {
                return match from.get(doc) {
                    Some(_) => Ok(None),
                    None => Err(format!("{} does not exist", describe(from.tokens()))),
                };
            }
            if from.is_proper_prefix_of(path) {
                return Err("a value cannot be moved into one of its own children".to_owned());
            }
            let (from_loc, value, position) = remove(doc, from)?;
            match add(doc, path, value) {
                Ok(undo) => Ok(Some(Undo::Move(Box::new(undo), from_loc, position))),
                Err((reason, value)) => {
                    // Leave the document as the operation found it, so a partial move never
                    // survives (the log only holds completed operations).
                    let restored = reinsert(doc, &from_loc, value, position);
                    debug_assert!(restored.is_ok());
                    Err(reason)
                }
            }
        }
        Operation::Copy { from, path } => {
            let value = from.get(doc).ok_or_else(|| format!("{} does not exist", describe(from.tokens())))?.clone();
            add(doc, path, value).map(Some).map_err(|(reason, _)| reason)
        }
        Operation::Test { path, value } => {
            let actual = path.get(doc).ok_or_else(|| format!("{} does not exist", describe(path.tokens())))?;
            if json_equal(actual, value) {
                Ok(None)
            } else {
                Err(format!("test failed: the value at {} is not the expected value", describe(path.tokens())))
            }
        }
    }
}

/// RFC 6902 `add`. On failure the value is handed back (a `move` puts it back where it was).
fn add<'p>(doc: &mut Value, path: &'p Pointer, value: Value) -> std::result::Result<Undo<'p>, (String, Value)> {
    let Some((last, parent)) = path.tokens().split_last() else {
        return Ok(Undo::Restore(ROOT, mem::replace(doc, value)));
    };
    let container = match container_mut(doc, parent) {
        Ok(c) => c,
        Err(reason) => return Err((reason, value)),
    };
    match container {
        Value::Object(map) => {
            let slot = Slot::Key(last);
            if let Some(existing) = map.get_mut(last.as_str()) {
                Ok(Undo::Restore(Loc { parent, slot }, mem::replace(existing, value)))
            } else {
                map.insert(last.clone(), value);
                Ok(Undo::Take(Loc { parent, slot }))
            }
        }
        Value::Array(items) => {
            let index = if last == "-" {
                items.len()
            } else {
                match array_index(last) {
                    Some(i) if i <= items.len() => i,
                    Some(i) => {
                        let reason = format!(
                            "index {i} is out of bounds: the array at {} has {} elements",
                            describe(parent),
                            items.len()
                        );
                        return Err((reason, value));
                    }
                    None => return Err((format!("{last:?} is not a valid array index"), value)),
                }
            };
            items.insert(index, value);
            Ok(Undo::Take(Loc { parent, slot: Slot::Index(index) }))
        }
        other => {
            let reason = format!("{} is {}, not an object or array", describe(parent), type_name(other));
            Err((reason, value))
        }
    }
}

/// RFC 6902 `remove`: returns where the value was, the value, and its position in an ordered map.
fn remove<'p>(doc: &mut Value, path: &'p Pointer) -> std::result::Result<(Loc<'p>, Value, Option<usize>), String> {
    let Some((last, parent)) = path.tokens().split_last() else {
        return Err("the whole document cannot be removed".to_owned());
    };
    let missing = || format!("{} does not exist", describe(path.tokens()));
    match container_mut(doc, parent)? {
        Value::Object(map) => {
            let (value, position) = remove_member(map, last).ok_or_else(missing)?;
            Ok((Loc { parent, slot: Slot::Key(last) }, value, position))
        }
        Value::Array(items) => {
            let index = array_index(last).filter(|&i| i < items.len()).ok_or_else(missing)?;
            Ok((Loc { parent, slot: Slot::Index(index) }, items.remove(index), None))
        }
        other => Err(format!("{} is {}, not an object or array", describe(parent), type_name(other))),
    }
}

/// RFC 6902 `replace`: the target must exist.
fn replace<'p>(doc: &mut Value, path: &'p Pointer, value: Value) -> std::result::Result<Undo<'p>, String> {
    let Some((last, parent)) = path.tokens().split_last() else {
        return Ok(Undo::Restore(ROOT, mem::replace(doc, value)));
    };
    let (target, slot) = match container_mut(doc, parent)? {
        Value::Object(map) => (map.get_mut(last.as_str()), Slot::Key(last)),
        Value::Array(items) => match array_index(last) {
            Some(i) => (items.get_mut(i), Slot::Index(i)),
            None => (None, Slot::Root),
        },
        _ => (None, Slot::Root),
    };
    let target = target.ok_or_else(|| format!("{} does not exist", describe(path.tokens())))?;
    Ok(Undo::Restore(Loc { parent, slot }, mem::replace(target, value)))
}

/// The container that `parent` addresses (it must exist; what it holds is checked by the caller).
fn container_mut<'v>(doc: &'v mut Value, parent: &[String]) -> std::result::Result<&'v mut Value, String> {
    let mut cur = doc;
    for (depth, token) in parent.iter().enumerate() {
        let next = match cur {
            Value::Object(map) => map.get_mut(token.as_str()),
            Value::Array(items) => array_index(token).and_then(|i| items.get_mut(i)),
            other => {
                return Err(format!("{} is {}, not an object or array", describe(&parent[..depth]), type_name(other)))
            }
        };
        cur = next.ok_or_else(|| format!("{} does not exist", describe(&parent[..=depth])))?;
    }
    Ok(cur)
}

fn slot_mut<'v>(doc: &'v mut Value, loc: &Loc<'_>) -> Option<&'v mut Value> {
    if let Slot::Root = loc.slot {
        return Some(doc);
    }
    match (&loc.slot, container_mut(doc, loc.parent).ok()?) {
        (Slot::Key(k), Value::Object(map)) => map.get_mut(*k),
        (Slot::Index(i), Value::Array(items)) => items.get_mut(*i),
        _ => None,
    }
}

fn take(doc: &mut Value, loc: &Loc<'_>) -> Option<Value> {
    match (&loc.slot, container_mut(doc, loc.parent).ok()?) {
        (Slot::Key(k), Value::Object(map)) => remove_member(map, k).map(|(v, _)| v),
        (Slot::Index(i), Value::Array(items)) if *i < items.len() => Some(items.remove(*i)),
        _ => None,
    }
}

fn reinsert(doc: &mut Value, loc: &Loc<'_>, value: Value, position: Option<usize>) -> std::result::Result<(), ()> {
    match (&loc.slot, container_mut(doc, loc.parent).map_err(|_| ())?) {
        (Slot::Key(k), Value::Object(map)) => {
            insert_member(map, k, value, position);
            Ok(())
        }
        (Slot::Index(i), Value::Array(items)) if *i <= items.len() => {
            items.insert(*i, value);
            Ok(())
        }
        _ => Err(()),
    }
}

/// Remove a member, and say where it was in an ordered map. There the others keep their order
/// (serde_json's own `remove` would swap the last member into the gap).
fn remove_member(map: &mut Map<String, Value>, key: &str) -> Option<(Value, Option<usize>)> {
    if !map_keeps_order() {
        return map.remove(key).map(|v| (v, None));
    }
    let mut taken = None;
    let mut index = 0;
    map.retain(|k, v| {
        if taken.is_none() && k == key {
            taken = Some((mem::take(v), Some(index)));
            false
        } else {
            index += 1;
            true
        }
    });
    taken
}

/// Insert a member; in an ordered map at `position` when given (only rollbacks ask for one).
fn insert_member(map: &mut Map<String, Value>, key: &str, value: Value, position: Option<usize>) {
    match position {
        Some(p) if p < map.len() => {
            let old = mem::take(map);
            let mut value = Some(value);
            for (i, (k, v)) in old.into_iter().enumerate() {
                if i == p {
                    if let Some(value) = value.take() {
                        map.insert(key.to_owned(), value);
                    }
                }
                map.insert(k, v);
            }
        }
        _ => {
            map.insert(key.to_owned(), value);
        }
    }
}

/// A location for messages: the pointer, or "the document" for the root.
fn describe(tokens: &[String]) -> String {
    if tokens.is_empty() {
        "the document".to_owned()
    } else {
        format!("{:?}", tokens_to_string(tokens))
    }
}

/// Whether serde_json's map keeps insertion order (its `preserve_order` feature, which another
/// crate in the build may switch on). Then a rolled-back `remove` restores the member's position.
fn map_keeps_order() -> bool {
    static ORDERED: OnceLock<bool> = OnceLock::new();
    *ORDERED.get_or_init(|| {
        let mut map = Map::new();
        map.insert("b".to_owned(), Value::Null);
        map.insert("a".to_owned(), Value::Null);
        map.keys().next().is_some_and(|k| k == "b")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::operation::parse;
    use serde_json::json;

    fn ops(v: Value) -> Vec<Operation> {
        parse(&v).unwrap()
    }

    #[test]
    fn applies_rfc_examples() {
        let doc = json!({"foo": ["bar", "baz"], "q": {"x": 1}});
        let out = apply(
            &doc,
            &ops(json!([
                {"op": "add", "path": "/foo/1", "value": "qux"},
                {"op": "add", "path": "/foo/-", "value": "end"},
                {"op": "remove", "path": "/foo/0"},
                {"op": "replace", "path": "/q/x", "value": 2},
                {"op": "move", "from": "/q/x", "path": "/moved"},
                {"op": "copy", "from": "/foo", "path": "/q/copy"},
                {"op": "test", "path": "/moved", "value": 2.0},
            ])),
        )
        .unwrap();
        assert_eq!(out, json!({"foo": ["qux", "baz", "end"], "q": {"copy": ["qux", "baz", "end"]}, "moved": 2}));
        assert_eq!(doc, json!({"foo": ["bar", "baz"], "q": {"x": 1}}));
    }

    #[test]
    fn failures_are_conflicts_naming_the_operation() {
        let doc = json!({"a": [1, 2], "s": "text"});
        let cases = [
            (json!([{"op": "replace", "path": "/missing", "value": 1}]), 0, "does not exist"),
            (
                json!([{"op": "test", "path": "/a/0", "value": 1}, {"op": "add", "path": "/a/3", "value": 1}]),
                1,
                "out of bounds",
            ),
            (json!([{"op": "add", "path": "/a/01", "value": 1}]), 0, "not a valid array index"),
            (json!([{"op": "add", "path": "/s/x", "value": 1}]), 0, "a string"),
            (json!([{"op": "add", "path": "/x/y", "value": 1}]), 0, "\"/x\" does not exist"),
            (json!([{"op": "remove", "path": ""}]), 0, "whole document"),
            (json!([{"op": "remove", "path": "/a/-"}]), 0, "does not exist"),
            (json!([{"op": "move", "from": "/a", "path": "/a/0"}]), 0, "own children"),
            (json!([{"op": "move", "from": "/nope", "path": "/nope"}]), 0, "does not exist"),
            (json!([{"op": "copy", "from": "/nope", "path": "/b"}]), 0, "does not exist"),
            (json!([{"op": "test", "path": "/a", "value": [1]}]), 0, "test failed"),
            (json!([{"op": "test", "path": "/s", "value": "TEXT"}]), 0, "test failed"),
        ];
        for (patch, index, needle) in cases {
            let ops = ops(patch.clone());
            let e = apply(&doc, &ops).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Conflict, "{patch}");
            assert_eq!(e.code(), CONFLICTING_STATE, "{patch}");
            assert_eq!(e.status(), None);
            assert_eq!(e.field(), Some(format!("ops[{index}]").as_str()), "{patch}");
            assert!(e.message().contains(&format!("ops[{index}]")), "{e}");
            assert!(e.message().contains(ops[index].path().to_string().as_str()), "{e}");
            assert!(e.message().contains(needle), "{patch}: {e}");
            let mut in_place = doc.clone();
            assert_eq!(apply_in_place(&mut in_place, &ops).unwrap_err(), e);
            assert_eq!(in_place, doc);
        }
    }

    #[test]
    fn in_place_rolls_back_every_kind_of_step() {
        let doc = json!({"a": [1, 2, 3], "o": {"k": "v", "n": null}, "r": true});
        let patch = ops(json!([
            {"op": "add", "path": "/a/0", "value": 0},
            {"op": "add", "path": "/a/-", "value": 4},
            {"op": "add", "path": "/o/k", "value": "overwritten"},
            {"op": "add", "path": "/o/new", "value": 1},
            {"op": "remove", "path": "/a/1"},
            {"op": "remove", "path": "/o/n"},
            {"op": "replace", "path": "/r", "value": false},
            {"op": "move", "from": "/a/0", "path": "/a/3"},
            {"op": "move", "from": "/o/k", "path": "/r"},
            {"op": "move", "from": "/o/new", "path": "/fresh"},
            {"op": "move", "from": "/o", "path": "/a/1"},
            {"op": "copy", "from": "/a", "path": "/copy"},
            {"op": "add", "path": "", "value": {"whole": [1]}},
            {"op": "replace", "path": "", "value": [1, 2]},
            {"op": "test", "path": "/0", "value": 1},
            {"op": "test", "path": "/0", "value": 2},
        ]));
        for len in 0..=patch.len() {
            let mut d = doc.clone();
            let expected = apply(&doc, &patch[..len]);
            let got = apply_in_place(&mut d, &patch[..len]);
            match expected {
                Ok(v) => {
                    got.unwrap();
                    assert_eq!(d, v, "prefix {len}");
                }
                Err(_) => {
                    assert!(got.is_err(), "prefix {len}");
                    assert_eq!(d, doc, "prefix {len}");
                }
            }
            // The prefix followed by a failing operation always leaves the document as it was.
            let mut with_failure = patch[..len].to_vec();
            with_failure.push(Operation::remove(Pointer::parse("/definitely/missing").unwrap()));
            let mut d = doc.clone();
            assert!(apply_in_place(&mut d, &with_failure).is_err());
            assert_eq!(d, doc, "prefix {len} + failure");
            assert_eq!(serde_json::to_string(&d).unwrap(), serde_json::to_string(&doc).unwrap());
        }
    }

    #[test]
    fn failed_move_puts_the_value_back() {
        // After removing /a/0 the array is empty, so adding at /a/1 fails.
        let doc = json!({"a": [1]});
        let patch = ops(json!([{"op": "move", "from": "/a/0", "path": "/a/1"}]));
        assert!(apply(&doc, &patch).is_err());
        let mut d = doc.clone();
        assert!(apply_in_place(&mut d, &patch).is_err());
        assert_eq!(d, doc);
    }

    #[test]
    fn move_to_a_parent_and_within_an_array() {
        let doc = json!({"a": {"b": {"c": 1}}, "l": ["all", "grass", "cows", "eat"]});
        let patch = ops(json!([
            {"op": "move", "from": "/a/b", "path": "/a"},
            {"op": "move", "from": "/l/1", "path": "/l/3"},
        ]));
        let out = apply(&doc, &patch).unwrap();
        assert_eq!(out, json!({"a": {"c": 1}, "l": ["all", "cows", "eat", "grass"]}));
        let mut d = doc.clone();
        let mut failing = patch.clone();
        failing.push(Operation::test(Pointer::root(), json!(null)));
        assert!(apply_in_place(&mut d, &failing).is_err());
        assert_eq!(d, doc);
        apply_in_place(&mut d, &patch).unwrap();
        assert_eq!(d, out);
    }

    #[test]
    fn key_order_survives_a_rollback() {
        let text = r#"{"z":1,"m":{"q":1,"b":2,"x":3},"a":2}"#;
        let doc: Value = serde_json::from_str(text).unwrap();
        let mut d = doc.clone();
        let patch = ops(json!([
            {"op": "remove", "path": "/m/b"},
            {"op": "remove", "path": "/z"},
            {"op": "move", "from": "/m/q", "path": "/q"},
            {"op": "test", "path": "/a", "value": 3},
        ]));
        assert!(apply_in_place(&mut d, &patch).is_err());
        assert_eq!(serde_json::to_string(&d).unwrap(), serde_json::to_string(&doc).unwrap());
    }
}
