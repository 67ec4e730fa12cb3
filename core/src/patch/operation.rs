//! RFC 6902 operations: the model, its JSON shape, and parsing with field-level errors.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::pointer::Pointer;
use crate::error::{Error, Result};

/// Machine code of a patch document that is not a valid RFC 6902 patch.
pub const INVALID_PATCH: &str = "invalid-patch";

/// One JSON Patch operation. Serializes to the RFC shape (`{"op": "add", "path": "/a", "value": 1}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Operation {
    /// Add `value` at `path`: set an object member, or insert into an array before the index
    /// (`-` appends).
    Add {
        /// Where to add.
        path: Pointer,
        /// What to add.
        value: Value,
    },
    /// Remove the value at `path`, which must exist.
    Remove {
        /// What to remove.
        path: Pointer,
    },
    /// Replace the value at `path`, which must exist, with `value`.
    Replace {
        /// What to replace.
        path: Pointer,
        /// The new value.
        value: Value,
    },
    /// Remove the value at `from` and add it at `path` (not supported by the Marktplaats server).
    Move {
        /// Where the value is taken from; must not be a prefix of `path`.
        from: Pointer,
        /// Where it goes.
        path: Pointer,
    },
    /// Add a copy of the value at `from` at `path` (not supported by the Marktplaats server).
    Copy {
        /// Where the value is copied from.
        from: Pointer,
        /// Where the copy goes.
        path: Pointer,
    },
    /// Fail the patch unless the value at `path` equals `value` (not supported by the
    /// Marktplaats server).
    Test {
        /// What to compare.
        path: Pointer,
        /// The value expected there.
        value: Value,
    },
}

/// How a patch operation looks to Python and Node (`{"op", "path", "value"?, "from"?}`).
impl crate::model::Describe for Operation {
    fn describe(reg: &mut crate::model::Registry) -> crate::model::Ty {
        use crate::model::{FieldDef, Ty, TypeDef};
        let field = |key, ty, always, doc: &str| FieldDef { key, alias: None, ty, always, flags: Default::default(), doc: doc.to_owned() };
        reg.define("PatchOperation", |_| TypeDef::Model {
            open: false,
            doc: "One RFC 6902 JSON Patch operation.".into(),
            fields: vec![
                field("op", Ty::Literal(&["add", "remove", "replace", "move", "copy", "test"]), true, "What to do."),
                field("path", Ty::Str, true, "A JSON Pointer to the target (`/priceModel/askingPrice`)."),
                field("value", Ty::Any, false, "The value (`add`, `replace`, `test`)."),
                field("from", Ty::Str, false, "A JSON Pointer to the source (`move`, `copy`)."),
            ],
        })
    }
}

impl Operation {
    /// [`Operation::Add`].
    pub fn add(path: Pointer, value: impl Into<Value>) -> Self {
        Operation::Add { path, value: value.into() }
    }
    /// [`Operation::Remove`].
    pub fn remove(path: Pointer) -> Self {
        Operation::Remove { path }
    }
    /// [`Operation::Replace`].
    pub fn replace(path: Pointer, value: impl Into<Value>) -> Self {
        Operation::Replace { path, value: value.into() }
    }
    /// [`Operation::Move`] of the value at `from` to `path`.
    pub fn move_from(from: Pointer, path: Pointer) -> Self {
        Operation::Move { from, path }
    }
    /// [`Operation::Copy`] of the value at `from` to `path`.
    pub fn copy_from(from: Pointer, path: Pointer) -> Self {
        Operation::Copy { from, path }
    }
    /// [`Operation::Test`].
    pub fn test(path: Pointer, value: impl Into<Value>) -> Self {
        Operation::Test { path, value: value.into() }
    }

    /// The `op` member: `add`, `remove`, `replace`, `move`, `copy` or `test`.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::Add { .. } => "add",
            Operation::Remove { .. } => "remove",
            Operation::Replace { .. } => "replace",
            Operation::Move { .. } => "move",
            Operation::Copy { .. } => "copy",
            Operation::Test { .. } => "test",
        }
    }

    /// The target location.
    pub fn path(&self) -> &Pointer {
        match self {
            Operation::Add { path, .. }
            | Operation::Remove { path }
            | Operation::Replace { path, .. }
            | Operation::Move { path, .. }
            | Operation::Copy { path, .. }
            | Operation::Test { path, .. } => path,
        }
    }

    /// The source location of `move` and `copy`.
    pub fn from(&self) -> Option<&Pointer> {
        match self {
            Operation::Move { from, .. } | Operation::Copy { from, .. } => Some(from),
            _ => None,
        }
    }

    /// The `value` member of `add`, `replace` and `test`.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Operation::Add { value, .. } | Operation::Replace { value, .. } | Operation::Test { value, .. } => {
                Some(value)
            }
            _ => None,
        }
    }

    /// Whether the server (Marktplaats) supports this operation: `add`, `remove` and `replace`.
    pub fn is_server_supported(&self) -> bool {
        matches!(self, Operation::Add { .. } | Operation::Remove { .. } | Operation::Replace { .. })
    }

    /// The RFC JSON shape of this operation.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("op".into(), Value::String(self.name().into()));
        if let Some(from) = self.from() {
            m.insert("from".into(), Value::String(from.to_string()));
        }
        m.insert("path".into(), Value::String(self.path().to_string()));
        if let Some(value) = self.value() {
            m.insert("value".into(), value.clone());
        }
        Value::Object(m)
    }

    /// Parse one operation object. Errors name `{field}.op`, `{field}.path`, ... (pass `ops[3]`)
    /// and carry the code `invalid-patch`. Unknown members are ignored, as RFC 6902 requires.
    pub fn from_value(value: &Value, field: &str) -> Result<Self> {
        let Value::Object(obj) = value else {
            return Err(invalid(field, format!("an operation must be a JSON object, got {}", type_name(value))));
        };
        let op = match obj.get("op") {
            Some(Value::String(op)) => op.as_str(),
            Some(other) => {
                return Err(invalid(&format!("{field}.op"), format!("must be a string, got {}", type_name(other))))
            }
            None => return Err(invalid(&format!("{field}.op"), "is required")),
        };
        let pointer = |member: &str| -> Result<Pointer> {
            let name = format!("{field}.{member}");
            match obj.get(member) {
                Some(Value::String(s)) => Pointer::parse_reason(s).map_err(|reason| invalid(&name, reason)),
                Some(other) => Err(invalid(&name, format!("must be a JSON pointer string, got {}", type_name(other)))),
                None => Err(invalid(&name, format!("is required for '{op}'"))),
            }
        };
        // `value: null` is present (and valid); only an absent member is missing.
        let value = || -> Result<Value> {
            obj.get("value")
                .cloned()
                .ok_or_else(|| invalid(&format!("{field}.value"), format!("is required for '{op}'")))
        };
        Ok(match op {
            "add" => Operation::Add { path: pointer("path")?, value: value()? },
            "remove" => Operation::Remove { path: pointer("path")? },
            "replace" => Operation::Replace { path: pointer("path")?, value: value()? },
            "move" => Operation::Move { from: pointer("from")?, path: pointer("path")? },
            "copy" => Operation::Copy { from: pointer("from")?, path: pointer("path")? },
            "test" => Operation::Test { path: pointer("path")?, value: value()? },
            other => {
                return Err(invalid(
                    &format!("{field}.op"),
                    format!("unknown operation {other:?} (expected add, remove, replace, move, copy or test)"),
                ))
            }
        })
    }
}

/// Parse a JSON Patch document: an array of operation objects. Errors are invalid input with the
/// code `invalid-patch`, naming `ops` or the element (`ops[3]`, `ops[3].from`).
///
/// ```
/// use serde_json::json;
/// let ops = sellkit::patch::parse(&json!([{"op": "replace", "path": "/title", "value": "Bike"}]))?;
/// assert_eq!(ops[0].name(), "replace");
/// let e = sellkit::patch::parse(&json!([{"op": "add", "path": "/a"}])).unwrap_err();
/// assert_eq!((e.code(), e.field()), ("invalid-patch", Some("ops[0].value")));
/// # Ok::<(), sellkit::Error>(())
/// ```
pub fn parse(doc: &Value) -> Result<Vec<Operation>> {
    let Value::Array(items) = doc else {
        return Err(invalid("ops", format!("a JSON Patch must be an array of operations, got {}", type_name(doc))));
    };
    items.iter().enumerate().map(|(i, item)| Operation::from_value(item, &format!("ops[{i}]"))).collect()
}

/// Parse a JSON Patch document from its text. Text that is not JSON is invalid input for `ops`
/// with the code `invalid-patch`; otherwise as [`parse`].
pub fn parse_str(text: &str) -> Result<Vec<Operation>> {
    let doc: Value = serde_json::from_str(text).map_err(|e| invalid("ops", format!("not valid JSON: {e}")))?;
    parse(&doc)
}

impl<'de> Deserialize<'de> for Operation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Operation::from_value(&value, "operation").map_err(|e| serde::de::Error::custom(e.message()))
    }
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::invalid_input(field, message).with_code(INVALID_PATCH)
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(s: &str) -> Pointer {
        Pointer::parse(s).unwrap()
    }

    #[test]
    fn floats_survive_the_text_form_exactly() {
        // Found by fuzzing (fuzz/seeds/patch_apply/float-text-round-trip): the shortest text of
        // this double used to parse back as its neighbour, one unit in the last place away.
        let value = 1.410649046456609e232_f64;
        let ops = vec![Operation::add(p("/x"), value), Operation::replace(p("/y"), json!([0.1, 5e-324, 1.7976931348623157e308]))];
        let text = Value::Array(ops.iter().map(Operation::to_value).collect()).to_string();
        assert!(text.contains("1.410649046456609e232") || text.contains("1.410649046456609e+232"), "{text}");
        assert_eq!(parse_str(&text).unwrap(), ops);
        assert_eq!(parse_str(&text).unwrap()[0].value().and_then(Value::as_f64), Some(value));
    }

    #[test]
    fn parses_every_operation() {
        let ops = parse(&json!([
            {"op": "add", "path": "/a", "value": 1},
            {"op": "remove", "path": "/b"},
            {"op": "replace", "path": "", "value": null},
            {"op": "move", "from": "/c", "path": "/d"},
            {"op": "copy", "from": "/e", "path": "/f~1g"},
            {"op": "test", "path": "/h", "value": [1], "extra": "ignored"},
        ]))
        .unwrap();
        assert_eq!(
            ops,
            vec![
                Operation::add(p("/a"), 1),
                Operation::remove(p("/b")),
                Operation::replace(p(""), Value::Null),
                Operation::move_from(p("/c"), p("/d")),
                Operation::copy_from(p("/e"), Pointer::from_tokens(["f/g"])),
                Operation::test(p("/h"), json!([1])),
            ]
        );
    }

    #[test]
    fn errors_name_the_element_and_member() {
        let cases = [
            (json!({"op": "add"}), "ops", None),
            (json!([1]), "ops[0]", None),
            (json!([{"op": "add", "path": "/a", "value": 1}, {"path": "/a"}]), "ops[1].op", None),
            (json!([{"op": 3, "path": "/a"}]), "ops[0].op", None),
            (json!([{"op": "spam", "path": "/a", "value": 1}]), "ops[0].op", Some("spam")),
            (json!([{"op": "add", "value": 1}]), "ops[0].path", None),
            (json!([{"op": "add", "path": null, "value": 1}]), "ops[0].path", None),
            (json!([{"op": "add", "path": "a", "value": 1}]), "ops[0].path", Some("start with '/'")),
            (json!([{"op": "add", "path": "/a"}]), "ops[0].value", None),
            (json!([{"op": "replace", "path": "/a"}]), "ops[0].value", None),
            (json!([{"op": "test", "path": "/a"}]), "ops[0].value", None),
            (json!([{"op": "move", "path": "/a"}]), "ops[0].from", None),
            (json!([{"op": "copy", "path": "/a", "from": "/~x"}]), "ops[0].from", Some("~x")),
            (json!([{"op": "copy", "from": "/a"}]), "ops[0].path", None),
        ];
        for (doc, field, needle) in cases {
            let e = parse(&doc).unwrap_err();
            assert_eq!(e.code(), INVALID_PATCH, "{doc}");
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput, "{doc}");
            assert_eq!(e.field(), Some(field), "{doc}: {e}");
            if let Some(needle) = needle {
                assert!(e.message().contains(needle), "{doc}: {e}");
            }
        }
    }

    #[test]
    fn null_value_is_present() {
        assert_eq!(
            parse(&json!([{"op": "test", "path": "/a", "value": null}])).unwrap(),
            vec![Operation::test(p("/a"), Value::Null)]
        );
    }

    #[test]
    fn serde_round_trip_uses_the_rfc_shape() {
        let ops = vec![
            Operation::add(p("/a~1b"), json!({"x": 1})),
            Operation::remove(p("/0")),
            Operation::move_from(p("/c"), p("/d")),
            Operation::test(p(""), Value::Null),
        ];
        let json = serde_json::to_value(&ops).unwrap();
        assert_eq!(
            json,
            json!([
                {"op": "add", "path": "/a~1b", "value": {"x": 1}},
                {"op": "remove", "path": "/0"},
                {"op": "move", "from": "/c", "path": "/d"},
                {"op": "test", "path": "", "value": null},
            ])
        );
        assert_eq!(ops.iter().map(Operation::to_value).collect::<Vec<_>>(), json.as_array().unwrap().clone());
        let back: Vec<Operation> = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, ops);
        assert_eq!(parse(&json).unwrap(), ops);
        assert!(serde_json::from_str::<Operation>(r#"{"op": "add", "path": "/a"}"#).is_err());
        assert_eq!(parse_str(&serde_json::to_string(&ops).unwrap()).unwrap(), ops);
        assert_eq!(parse_str("[").unwrap_err().code(), INVALID_PATCH);
    }

    #[test]
    fn accessors() {
        let op = Operation::copy_from(p("/a"), p("/b"));
        assert_eq!((op.name(), op.path(), op.from(), op.value()), ("copy", &p("/b"), Some(&p("/a")), None));
        assert!(!op.is_server_supported());
        assert!(Operation::replace(p("/a"), 1).is_server_supported());
    }
}
