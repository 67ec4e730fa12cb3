//! How every model field is read from JSON and written back, in the two forms sellkit writes.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::path::{DecodeError, Path};
use crate::secret::Secret;

/// Which JSON a typed value is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// What is sent to the server and what Rust's `Serialize` gives: every value in the form it
    /// came in (an alias under its own name, `[]` for an empty object), prices as numbers.
    Wire,
    /// What Python and Node receive: the same data normalised the way the typed model reads it
    /// (aliases under the documented name, `{}` for an empty object, one shape where the API
    /// has two), and exact decimals as strings (`"15.50"`), so money never becomes a float.
    View,
}

/// One field type of a model: read from JSON, written with serde in either [`Mode`].
pub trait Field: Sized {
    /// Read `v`: leniently on a response path, strictly on an input path (see [`Path`]).
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError>;
    /// Write the value in `mode`.
    fn encode<S: Serializer>(&self, s: S, mode: Mode) -> Result<S::Ok, S::Error>;

    /// Whether the view of a decoded value can differ from the JSON it was decoded from.
    /// `false` only for types whose lenient decode keeps every value exactly as it came
    /// (strings, integers, timestamps, open enums...).
    const VIEW_CHANGES: bool = true;

    /// Whether `v` decodes (leniently) as this type. A model keeps a member whose value does not
    /// fit its field raw, so the view must leave it raw too.
    fn fits(v: &Value) -> bool {
        Self::decode(v, &Path::response()).is_ok()
    }

    /// Turn `v` (which [`Field::fits`]) into the view of its decoded value, in place: what
    /// decoding and writing in [`Mode::View`] gives, without building the typed value where the
    /// type knows better. Values the view does not change are not touched or copied.
    fn view_in_place(v: &mut Value) {
        if let Ok(x) = Self::decode(v, &Path::response()) {
            *v = serde_json::to_value(Enc(&x, Mode::View)).unwrap_or(Value::Null);
        }
    }
}

/// Serialises any [`Field`] in a [`Mode`].
pub struct Enc<'a, T: Field>(pub &'a T, pub Mode);

impl<T: Field> Serialize for Enc<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.encode(s, self.1)
    }
}

/// The JSON type name of a value, for error messages (`a string`, `an object`).
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Field for String {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_str().map(str::to_owned).ok_or_else(|| path.error(format!("expected a string, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl Field for bool {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_bool().ok_or_else(|| path.error(format!("expected a boolean, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*self)
    }
}

impl Field for i64 {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_i64().ok_or_else(|| path.error(format!("expected an integer, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*self)
    }
}

impl Field for u64 {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_u64().ok_or_else(|| path.error(format!("expected a non-negative integer, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*self)
    }
}

impl Field for u32 {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        let n = u64::decode(v, path)?;
        u32::try_from(n).map_err(|_| path.error(format!("is out of range: {n}")))
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_u32(*self)
    }
}

/// Any JSON number, kept exactly as it came (scores, limits).
impl Field for serde_json::Number {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match v {
            Value::Number(n) => Ok(n.clone()),
            other => Err(path.error(format!("expected a number, got {}", json_type(other)))),
        }
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

/// Any JSON, kept as it is (shapes that vary per tool, event or category).
impl Field for Value {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, _: &Path<'_>) -> Result<Self, DecodeError> {
        Ok(v.clone())
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

/// Write-only values (callback passwords, Composer password keys): never in `Debug`.
impl Field for Secret {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        String::decode(v, path).map(Secret::new)
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<T: Field> Field for Vec<T> {
    const VIEW_CHANGES: bool = T::VIEW_CHANGES;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        let items = v.as_array().ok_or_else(|| path.error(format!("expected an array, got {}", json_type(v))))?;
        items.iter().enumerate().map(|(i, item)| T::decode(item, &path.index(i))).collect()
    }
    fn fits(v: &Value) -> bool {
        v.as_array().is_some_and(|items| items.iter().all(T::fits))
    }
    fn view_in_place(v: &mut Value) {
        if let (true, Value::Array(items)) = (T::VIEW_CHANGES, v) {
            items.iter_mut().for_each(T::view_in_place);
        }
    }
    fn encode<S: Serializer>(&self, s: S, mode: Mode) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(&Enc(item, mode))?;
        }
        seq.end()
    }
}

/// An object with free keys (`browser_os_compatibility`); `[]` reads as empty, and the view
/// writes it as `{}`.
impl<T: Field> Field for BTreeMap<String, T> {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match v {
            Value::Object(m) => m.iter().map(|(k, item)| Ok((k.clone(), T::decode(item, &path.key(k))?))).collect(),
            Value::Array(a) if a.is_empty() => Ok(BTreeMap::new()),
            other => Err(path.error(format!("expected an object, got {}", json_type(other)))),
        }
    }
    fn fits(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.values().all(T::fits),
            Value::Array(a) => a.is_empty(),
            _ => false,
        }
    }
    fn view_in_place(v: &mut Value) {
        match v {
            Value::Array(_) => *v = Value::Object(Map::new()),
            Value::Object(m) if T::VIEW_CHANGES => m.values_mut().for_each(T::view_in_place),
            _ => {}
        }
    }
    fn encode<S: Serializer>(&self, s: S, mode: Mode) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, item) in self {
            map.serialize_entry(k, &Enc(item, mode))?;
        }
        map.end()
    }
}

/// An object kept as it came (HAL `_links` and `_embedded`, localized labels); `[]` reads as
/// empty and the view writes it as `{}`.
impl Field for Map<String, Value> {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match v {
            Value::Object(m) => Ok(m.clone()),
            Value::Array(a) if a.is_empty() => Ok(Map::new()),
            other => Err(path.error(format!("expected an object, got {}", json_type(other)))),
        }
    }
    fn fits(v: &Value) -> bool {
        v.is_object() || v.as_array().is_some_and(Vec::is_empty)
    }
    fn view_in_place(v: &mut Value) {
        if v.is_array() {
            *v = Value::Object(Map::new());
        }
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}
