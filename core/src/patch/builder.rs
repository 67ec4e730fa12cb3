//! [`Patch`]: a list of operations with a builder and the module's functions as methods.

use std::ops::Deref;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::operation::{self, Operation};
use super::pointer::Pointer;
use super::{apply, diff, validate};
use crate::error::Result;

/// A JSON Patch document. Serializes as the RFC array of operations.
///
/// ```
/// use serde_json::json;
/// use sellkit::patch::Patch;
///
/// # fn main() -> sellkit::Result<()> {
/// let patch = Patch::new().replace("/title", "New title")?.remove("/description")?;
/// let doc = json!({"title": "Old", "description": "text"});
/// assert_eq!(patch.apply(&doc)?, json!({"title": "New title"}));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Patch(pub Vec<Operation>);

impl Patch {
    /// An empty patch.
    pub fn new() -> Self {
        Patch(Vec::new())
    }

    /// Parse a patch document (see [`parse()`](fn@crate::patch::parse) for the errors).
    pub fn parse(doc: &Value) -> Result<Self> {
        operation::parse(doc).map(Patch)
    }

    /// The patch that turns `old` into `new` (see [`diff()`](fn@crate::patch::diff)).
    pub fn diff(old: &Value, new: &Value) -> Self {
        Patch(diff::diff(old, new))
    }

    /// Append an `add`. `path` is a pointer string (errors: invalid input, code `invalid-pointer`).
    pub fn add(self, path: &str, value: impl Into<Value>) -> Result<Self> {
        let path = Pointer::parse(path)?;
        Ok(self.with(Operation::Add { path, value: value.into() }))
    }

    /// Append a `remove` (errors as [`add`](Self::add)).
    pub fn remove(self, path: &str) -> Result<Self> {
        let path = Pointer::parse(path)?;
        Ok(self.with(Operation::Remove { path }))
    }

    /// Append a `replace` (errors as [`add`](Self::add)).
    pub fn replace(self, path: &str, value: impl Into<Value>) -> Result<Self> {
        let path = Pointer::parse(path)?;
        Ok(self.with(Operation::Replace { path, value: value.into() }))
    }

    /// Append a `move` (not supported by the Marktplaats server). A bad `from` is invalid input
    /// for the field `from`, a bad `path` for `path` (code `invalid-pointer`).
    pub fn move_from(self, from: &str, path: &str) -> Result<Self> {
        let from = Pointer::parse_field(from, "from")?;
        let path = Pointer::parse(path)?;
        Ok(self.with(Operation::Move { from, path }))
    }

    /// Append a `copy` (not supported by the Marktplaats server). Errors as
    /// [`move_from`](Self::move_from).
    pub fn copy_from(self, from: &str, path: &str) -> Result<Self> {
        let from = Pointer::parse_field(from, "from")?;
        let path = Pointer::parse(path)?;
        Ok(self.with(Operation::Copy { from, path }))
    }

    /// Append a `test` (not supported by the Marktplaats server).
    pub fn test(self, path: &str, value: impl Into<Value>) -> Result<Self> {
        let path = Pointer::parse(path)?;
        Ok(self.with(Operation::Test { path, value: value.into() }))
    }

    /// Append an operation (infallible: build the pointers with [`Pointer::from_tokens`]).
    pub fn with(mut self, op: Operation) -> Self {
        self.0.push(op);
        self
    }

    /// Append an operation in place.
    pub fn push(&mut self, op: Operation) {
        self.0.push(op);
    }

    /// The operations, in order.
    pub fn ops(&self) -> &[Operation] {
        &self.0
    }

    /// The operations, by value.
    pub fn into_ops(self) -> Vec<Operation> {
        self.0
    }

    /// See [`apply()`](fn@crate::patch::apply).
    pub fn apply(&self, doc: &Value) -> Result<Value> {
        apply::apply(doc, &self.0)
    }

    /// See [`apply_in_place()`](fn@crate::patch::apply_in_place).
    pub fn apply_in_place(&self, doc: &mut Value) -> Result<()> {
        apply::apply_in_place(doc, &self.0)
    }

    /// See [`validate()`](fn@crate::patch::validate).
    pub fn validate(&self, server_safe: bool) -> Result<()> {
        validate::validate(&self.0, server_safe)
    }

    /// See [`is_safe_to_repeat()`](fn@crate::patch::is_safe_to_repeat).
    pub fn is_safe_to_repeat(&self) -> bool {
        validate::is_safe_to_repeat(&self.0)
    }

    /// The RFC JSON array.
    pub fn to_value(&self) -> Value {
        Value::Array(self.0.iter().map(Operation::to_value).collect())
    }
}

impl Deref for Patch {
    type Target = [Operation];
    fn deref(&self) -> &[Operation] {
        &self.0
    }
}

impl AsRef<[Operation]> for Patch {
    fn as_ref(&self) -> &[Operation] {
        &self.0
    }
}

impl From<Vec<Operation>> for Patch {
    fn from(ops: Vec<Operation>) -> Self {
        Patch(ops)
    }
}

impl From<Patch> for Vec<Operation> {
    fn from(patch: Patch) -> Self {
        patch.0
    }
}

impl FromIterator<Operation> for Patch {
    fn from_iter<I: IntoIterator<Item = Operation>>(iter: I) -> Self {
        Patch(iter.into_iter().collect())
    }
}

impl Extend<Operation> for Patch {
    fn extend<I: IntoIterator<Item = Operation>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Patch {
    type Item = Operation;
    type IntoIter = std::vec::IntoIter<Operation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Patch {
    type Item = &'a Operation;
    type IntoIter = std::slice::Iter<'a, Operation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_in_order() -> Result<()> {
        let patch = Patch::new()
            .add("/a", 1)?
            .remove("/b")?
            .replace("/c", json!({"x": null}))?
            .move_from("/d", "/e")?
            .copy_from("/f", "/g")?
            .test("/h", "v")?;
        assert_eq!(
            patch.to_value(),
            json!([
                {"op": "add", "path": "/a", "value": 1},
                {"op": "remove", "path": "/b"},
                {"op": "replace", "path": "/c", "value": {"x": null}},
                {"op": "move", "from": "/d", "path": "/e"},
                {"op": "copy", "from": "/f", "path": "/g"},
                {"op": "test", "path": "/h", "value": "v"},
            ])
        );
        assert_eq!(serde_json::to_value(&patch).unwrap(), patch.to_value());
        assert_eq!(Patch::parse(&patch.to_value())?, patch);
        assert_eq!(serde_json::from_value::<Patch>(patch.to_value()).unwrap(), patch);
        assert_eq!(patch.len(), 6);
        assert!(patch.validate(true).is_err());
        assert!(!patch.is_safe_to_repeat());
        Ok(())
    }

    #[test]
    fn invalid_paths_are_reported() {
        let e = Patch::new().replace("title", 1).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid-pointer", Some("path")));
        let e = Patch::new().move_from("~", "/a").unwrap_err();
        assert_eq!(e.field(), Some("from"));
    }

    #[test]
    fn applies_and_diffs() -> Result<()> {
        let old = json!({"title": "a", "price": 100});
        let new = json!({"title": "b", "price": 100, "tags": []});
        let patch = Patch::diff(&old, &new);
        patch.validate(true)?;
        assert!(patch.is_safe_to_repeat());
        assert_eq!(patch.apply(&old)?, new);
        let mut doc = old.clone();
        patch.apply_in_place(&mut doc)?;
        assert_eq!(doc, new);
        Ok(())
    }
}
