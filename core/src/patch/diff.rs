//! `diff(old, new)`: a patch of `add`, `remove` and `replace` only (the operations the server
//! supports) that turns `old` into `new`.
//!
//! - Objects recurse member by member: members only in `old` are removed, members only in `new`
//!   added, common members compared recursively.
//! - Arrays of the same length recurse index by index. Arrays of different lengths keep their
//!   common prefix and suffix; the elements in between are paired up and recursed into, then the
//!   surplus old elements are removed from the last one backwards (so indices stay valid) or the
//!   missing new ones are added at their index.
//! - Values of different types, or different scalars, are replaced (at `""` for the root).
//!
//! Values are compared exactly (serde_json's `==`), so `1` and `1.0` differ and a `replace` is
//! emitted: applying the result to `old` yields a document `==` to `new`, always.
//!
//! The documents are read through [`DiffTree`], so a binding can diff its own read-only view of
//! two documents without converting them to `serde_json::Value` first: only the values that end
//! up in the patch are converted.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::operation::Operation;
use super::pointer::Pointer;

/// A JSON document as [`diff`] reads it. `==` must be serde_json's equality of the values
/// (numbers exactly, objects regardless of member order).
pub trait DiffTree: PartialEq + Sized {
    /// The members of an object value.
    type Object: DiffObject<Self> + ?Sized;
    /// The value's members, when it is an object.
    fn as_object(&self) -> Option<&Self::Object>;
    /// The value's elements, when it is an array.
    fn as_array(&self) -> Option<&[Self]>;
    /// The value itself, for the operations that carry it.
    fn to_value(&self) -> Value;
}

/// The members of an object of a [`DiffTree`], in document order.
pub trait DiffObject<T> {
    /// Number of members.
    fn len(&self) -> usize;
    /// Every member, in document order.
    fn members<'s>(&'s self) -> impl Iterator<Item = (&'s str, &'s T)>
    where
        T: 's;
    /// The member named `key`.
    fn get(&self, key: &str) -> Option<&T>;
    /// Whether there is a member named `key`.
    fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl DiffTree for Value {
    type Object = Map<String, Value>;
    fn as_object(&self) -> Option<&Map<String, Value>> {
        self.as_object()
    }
    fn as_array(&self) -> Option<&[Value]> {
        self.as_array().map(Vec::as_slice)
    }
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl DiffObject<Value> for Map<String, Value> {
    fn len(&self) -> usize {
        Map::len(self)
    }
    fn members<'s>(&'s self) -> impl Iterator<Item = (&'s str, &'s Value)>
    where
        Value: 's,
    {
        self.iter().map(|(k, v)| (k.as_str(), v))
    }
    fn get(&self, key: &str) -> Option<&Value> {
        Map::get(self, key)
    }
    fn contains_key(&self, key: &str) -> bool {
        Map::contains_key(self, key)
    }
}

/// A patch (only `add`, `remove`, `replace`) such that `apply(old, &diff(old, new)) == new`.
pub fn diff(old: &Value, new: &Value) -> Vec<Operation> {
    diff_trees(old, new)
}

/// [`diff`] on any [`DiffTree`]: for a binding that reads its documents in place instead of
/// converting them to [`Value`] first.
pub fn diff_trees<T: DiffTree>(old: &T, new: &T) -> Vec<Operation> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    diff_value(old, new, &mut path, &mut out);
    out
}

type Path<'a> = Vec<Cow<'a, str>>;

fn pointer(path: &Path<'_>) -> Pointer {
    Pointer::from_tokens(path.iter().map(|t| t.as_ref()))
}

fn pointer_to<'a>(path: &mut Path<'a>, token: Cow<'a, str>) -> Pointer {
    path.push(token);
    let p = pointer(path);
    path.pop();
    p
}

fn diff_value<'a, T: DiffTree + 'a>(old: &'a T, new: &'a T, path: &mut Path<'a>, out: &mut Vec<Operation>) {
    if let (Some(a), Some(b)) = (old.as_object(), new.as_object()) {
        diff_object::<T>(a, b, path, out);
    } else if let (Some(a), Some(b)) = (old.as_array(), new.as_array()) {
        diff_array(a, b, path, out);
    } else if old != new {
        out.push(Operation::Replace { path: pointer(path), value: new.to_value() });
    }
}

fn diff_object<'a, T: DiffTree + 'a>(old: &'a T::Object, new: &'a T::Object, path: &mut Path<'a>, out: &mut Vec<Operation>) {
    // The same keys in the same order (the usual case: two versions of one document): no
    // member is removed or added, and no key needs looking up.
    if old.len() == new.len() && old.members().zip(new.members()).all(|((a, _), (b, _))| a == b) {
        for ((key, previous), (_, value)) in old.members().zip(new.members()) {
            path.push(Cow::Borrowed(key));
            diff_value(previous, value, path, out);
            path.pop();
        }
        return;
    }
    for (key, _) in old.members() {
        if !new.contains_key(key) {
            out.push(Operation::Remove { path: pointer_to(path, Cow::Borrowed(key)) });
        }
    }
    for (key, value) in new.members() {
        match old.get(key) {
            Some(previous) => {
                path.push(Cow::Borrowed(key));
                diff_value(previous, value, path, out);
                path.pop();
            }
            None => out.push(Operation::Add { path: pointer_to(path, Cow::Borrowed(key)), value: value.to_value() }),
        }
    }
}

fn diff_array<'a, T: DiffTree + 'a>(old: &'a [T], new: &'a [T], path: &mut Path<'a>, out: &mut Vec<Operation>) {
    let (prefix, suffix) = if old.len() == new.len() {
        (0, 0)
    } else {
        let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let room = old.len().min(new.len()) - prefix;
        let suffix = old.iter().rev().zip(new.iter().rev()).take(room).take_while(|(a, b)| a == b).count();
        (prefix, suffix)
    };
    let old_mid = &old[prefix..old.len() - suffix];
    let new_mid = &new[prefix..new.len() - suffix];
    let paired = old_mid.len().min(new_mid.len());
    // Pairs first: they change nothing's index.
    for (offset, (a, b)) in old_mid.iter().zip(new_mid).enumerate() {
        let index = prefix + offset;
        let containers = (a.as_object().is_some() && b.as_object().is_some()) || (a.as_array().is_some() && b.as_array().is_some());
        if containers {
            path.push(Cow::Owned(index.to_string()));
            diff_value(a, b, path, out);
            path.pop();
        } else if a != b {
            // Compared here, so equal scalars cost no token.
            out.push(Operation::Replace { path: pointer_to(path, Cow::Owned(index.to_string())), value: b.to_value() });
        }
    }
    // Surplus old elements, last first, so the indices of those still to go do not shift.
    for index in (prefix + paired..prefix + old_mid.len()).rev() {
        out.push(Operation::Remove { path: pointer_to(path, Cow::Owned(index.to_string())) });
    }
    // Missing new elements, in order: each lands at its final index.
    for (offset, value) in new_mid[paired..].iter().enumerate() {
        let index = prefix + paired + offset;
        out.push(Operation::Add { path: pointer_to(path, Cow::Owned(index.to_string())), value: value.to_value() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply::apply;
    use serde_json::json;

    fn check(old: Value, new: Value) -> Vec<Value> {
        let ops = diff(&old, &new);
        assert!(ops.iter().all(Operation::is_server_supported), "{ops:?}");
        assert_eq!(apply(&old, &ops).unwrap(), new, "{old} -> {new}: {ops:?}");
        ops.iter().map(Operation::to_value).collect()
    }

    #[test]
    fn equal_values_give_an_empty_patch() {
        assert!(check(json!({"a": [1, {"b": null}]}), json!({"a": [1, {"b": null}]})).is_empty());
        assert!(check(json!(null), json!(null)).is_empty());
    }

    #[test]
    fn root_changes_replace_the_whole_document() {
        assert_eq!(check(json!({"a": 1}), json!([1])), [json!({"op": "replace", "path": "", "value": [1]})]);
        assert_eq!(check(json!("x"), json!("y")), [json!({"op": "replace", "path": "", "value": "y"})]);
    }

    #[test]
    fn objects_recurse() {
        assert_eq!(
            check(
                json!({"keep": 1, "gone": 2, "deep": {"x": 1, "y": [1]}}),
                json!({"keep": 1, "new": 3, "deep": {"x": 2, "y": [1]}})
            ),
            // Members are visited in document order (serde_json keeps it).
            [
                json!({"op": "remove", "path": "/gone"}),
                json!({"op": "add", "path": "/new", "value": 3}),
                json!({"op": "replace", "path": "/deep/x", "value": 2}),
            ]
        );
    }

    #[test]
    fn the_same_keys_in_another_order_are_compared_by_key() {
        assert_eq!(check(json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1})), Vec::<Value>::new());
        assert_eq!(
            check(json!({"a": 1, "b": {"c": [1]}}), json!({"b": {"c": [2]}, "a": 1})),
            [json!({"op": "replace", "path": "/b/c/0", "value": 2})]
        );
        // Same length, one key swapped for another: a remove and an add, not a pairing by position.
        assert_eq!(
            check(json!({"a": 1, "b": 2}), json!({"a": 1, "c": 2})),
            [json!({"op": "remove", "path": "/b"}), json!({"op": "add", "path": "/c", "value": 2})]
        );
    }

    #[test]
    fn keys_are_escaped() {
        assert_eq!(
            check(json!({"a/b": 1, "~": 1, "": 1}), json!({"a/b": 2, "~1": 1})),
            [
                json!({"op": "remove", "path": "/~0"}),
                json!({"op": "remove", "path": "/"}),
                json!({"op": "replace", "path": "/a~1b", "value": 2}),
                json!({"op": "add", "path": "/~01", "value": 1}),
            ]
        );
    }

    #[test]
    fn arrays_keep_prefix_and_suffix() {
        assert_eq!(check(json!([1, 2, 3]), json!([1, 9, 3])), [json!({"op": "replace", "path": "/1", "value": 9})]);
        assert_eq!(
            check(json!([1, 2, 3]), json!([1, 2, 3, 4, 5])),
            [json!({"op": "add", "path": "/3", "value": 4}), json!({"op": "add", "path": "/4", "value": 5}),]
        );
        assert_eq!(
            check(json!([1, 2, 3, 4, 5]), json!([1, 2])),
            [
                json!({"op": "remove", "path": "/4"}),
                json!({"op": "remove", "path": "/3"}),
                json!({"op": "remove", "path": "/2"}),
            ]
        );
        assert_eq!(check(json!([1, 2, 3]), json!([1, 3])), [json!({"op": "remove", "path": "/1"})]);
        assert_eq!(check(json!([1, 3]), json!([1, 2, 3])), [json!({"op": "add", "path": "/1", "value": 2})]);
        assert_eq!(check(json!([1, 1, 1]), json!([1, 1])), [json!({"op": "remove", "path": "/2"})]);
        assert_eq!(
            check(json!([{"a": 1}, 5]), json!([{"a": 2}, 6, 7, 5])),
            [
                json!({"op": "replace", "path": "/0/a", "value": 2}),
                json!({"op": "add", "path": "/1", "value": 6}),
                json!({"op": "add", "path": "/2", "value": 7}),
            ]
        );
        check(json!([[1, 2], [3]]), json!([[1], [3, 4], []]));
        check(json!([]), json!([1, [2]]));
        check(json!([1, [2]]), json!([]));
    }

    #[test]
    fn numbers_are_compared_exactly() {
        assert_eq!(check(json!({"n": 1}), json!({"n": 1.0})), [json!({"op": "replace", "path": "/n", "value": 1.0})]);
    }
}
