//! How every EQP model field is read from JSON and written back.
//!
//! The models are lenient readers and exact writers:
//! - a response is decoded *leniently*: a known field whose value is `null` or does not fit its
//!   type is not an error; the typed field stays `None` and the raw value is kept in the model's
//!   `extra` map, so re-encoding gives back exactly what the server sent;
//! - caller input is decoded *strictly*: the same mismatch is an invalid-input error naming the
//!   field path (`items[2].prices[0].price`).
//!
//! Serialisation goes through serde (`serde_json::to_vec(&package)`), with prices written as JSON
//! numbers with two decimals (`15.50`).

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::secret::Secret;

/// Where a value sits in a document, rendered only when an error needs it.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
    strict: bool,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root(&'a str),
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The root of a response (lenient).
    pub fn response() -> Path<'static> {
        Path { parent: None, seg: Seg::Root(""), strict: false }
    }
    /// The root of caller input named `name` (strict).
    pub fn input(name: &'a str) -> Path<'a> {
        Path { parent: None, seg: Seg::Root(name), strict: true }
    }
    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path { parent: Some(self), seg: Seg::Key(key), strict: self.strict }
    }
    pub fn index<'b>(&'b self, i: usize) -> Path<'b> {
        Path { parent: Some(self), seg: Seg::Index(i), strict: self.strict }
    }
    pub fn is_strict(&self) -> bool {
        self.strict
    }
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }
    fn render_into(&self, out: &mut String) {
        if let Some(p) = self.parent {
            p.render_into(out);
        }
        match self.seg {
            Seg::Root(name) => out.push_str(name),
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    /// An error at this path.
    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError { path: self.render(), message: message.into() }
    }
}

/// A value that did not fit its field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}{}{message}", if .path.is_empty() { "" } else { ": " })]
pub struct DecodeError {
    pub path: String,
    pub message: String,
}

impl DecodeError {
    /// As caller-input error (the field path names the argument).
    pub fn into_input_error(self) -> Error {
        let field = if self.path.is_empty() { "value".to_owned() } else { self.path };
        Error::invalid_input(field, self.message)
    }
    /// As a response decoding error.
    pub fn into_decode_error(self) -> Error {
        Error::new(ErrorKind::Decode, format!("could not decode the response: {self}"))
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Error {
        e.into_decode_error()
    }
}

/// One field type of a model: decoded from JSON, written with serde.
pub trait Field: Sized {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError>;
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;

    /// Whether the binding JSON of a decoded value ([`Model::to_binding_json`]) can differ from
    /// the JSON it was decoded from. `false` only for types whose lenient decode keeps every value
    /// exactly (strings, integers, timestamps, open enums...); a type that does not say so gets
    /// the safe default: a full decode and encode in [`Field::rewrite`].
    const REWRITES: bool = true;

    /// Whether `v` decodes (leniently) as this type; a known field whose value does not is kept
    /// raw by its model, so it must not be rewritten either.
    fn fits(v: &Value) -> bool {
        Self::decode(v, &Path::response()).is_ok()
    }

    /// Turn `v` (which [`Field::fits`]) into the binding JSON of its decoded value, in place:
    /// what `decode` then `to_binding_json` would give, without building the typed value where
    /// a type knows better (prices become `"15.50"`, the rest stays as received).
    fn rewrite(v: &mut Value) {
        if let Ok(x) = Self::decode(v, &Path::response()) {
            *v = super::price::with_string_prices(|| serde_json::to_value(Enc(&x)).unwrap_or(Value::Null));
        }
    }
}

/// Serialises any [`Field`] with serde.
pub struct Enc<'a, T: Field>(pub &'a T);

impl<T: Field> Serialize for Enc<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.encode(s)
    }
}

/// The JSON type name of a value, for error messages.
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
    const REWRITES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_str().map(str::to_owned).ok_or_else(|| path.error(format!("expected a string, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl Field for bool {
    const REWRITES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_bool().ok_or_else(|| path.error(format!("expected a boolean, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*self)
    }
}

impl Field for i64 {
    const REWRITES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_i64().ok_or_else(|| path.error(format!("expected an integer, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*self)
    }
}

impl Field for u64 {
    const REWRITES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        v.as_u64().ok_or_else(|| path.error(format!("expected a non-negative integer, got {}", json_type(v))))
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*self)
    }
}

/// Any JSON, kept as it is (shapes that vary per tool or event).
impl Field for Value {
    const REWRITES: bool = false;
    fn decode(v: &Value, _: &Path<'_>) -> Result<Self, DecodeError> {
        Ok(v.clone())
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

/// Write-only values (callback passwords, Composer password keys): never in `Debug`.
impl Field for Secret {
    const REWRITES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        String::decode(v, path).map(Secret::new)
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<T: Field> Field for Vec<T> {
    const REWRITES: bool = T::REWRITES;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        let items = v.as_array().ok_or_else(|| path.error(format!("expected an array, got {}", json_type(v))))?;
        items.iter().enumerate().map(|(i, item)| T::decode(item, &path.index(i))).collect()
    }
    fn fits(v: &Value) -> bool {
        v.as_array().is_some_and(|items| items.iter().all(T::fits))
    }
    fn rewrite(v: &mut Value) {
        if let (true, Value::Array(items)) = (T::REWRITES, v) {
            items.iter_mut().for_each(T::rewrite);
        }
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(&Enc(item))?;
        }
        seq.end()
    }
}

/// An object with free keys (`browser_os_compatibility`); `[]` reads as empty.
impl<T: Field> Field for BTreeMap<String, T> {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match v {
            Value::Object(m) => m.iter().map(|(k, item)| Ok((k.clone(), T::decode(item, &path.key(k))?))).collect(),
            Value::Array(a) if a.is_empty() => Ok(BTreeMap::new()),
            other => Err(path.error(format!("expected an object, got {}", json_type(other)))),
        }
    }
    // `[]` is written back as `{}`.
    const REWRITES: bool = true;
    fn fits(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.values().all(T::fits),
            Value::Array(a) => a.is_empty(),
            _ => false,
        }
    }
    fn rewrite(v: &mut Value) {
        match v {
            Value::Array(_) => *v = Value::Object(serde_json::Map::new()),
            Value::Object(m) if T::REWRITES => m.values_mut().for_each(T::rewrite),
            _ => {}
        }
    }
    fn encode<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, item) in self {
            map.serialize_entry(k, &Enc(item))?;
        }
        map.end()
    }
}

/// Presentation details of a decoded model that are not data: whether it arrived as `[]` (the
/// PHP backend's empty object) and which alias spelled a field. Always equal to any other shape.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub(crate) empty_array: bool,
    pub(crate) aliases: Vec<(&'static str, &'static str)>,
}

impl PartialEq for Shape {
    fn eq(&self, _: &Shape) -> bool {
        true
    }
}

impl Shape {
    pub(crate) fn key(&self, name: &'static str) -> &'static str {
        self.aliases.iter().find(|(n, _)| *n == name).map(|(_, a)| *a).unwrap_or(name)
    }
}

/// What every model offers.
pub trait Model: Field + Serialize + Default {
    /// Decode a response leniently; only a value that is not an object (nor `[]`) is an error.
    fn from_json(v: &Value) -> crate::Result<Self> {
        Self::decode(v, &Path::response()).map_err(DecodeError::into_decode_error)
    }
    /// Decode caller input strictly; a mismatch is an invalid-input error naming `root.field`.
    fn from_input(v: &Value, root: &str) -> crate::Result<Self> {
        Self::decode(v, &Path::input(root)).map_err(DecodeError::into_input_error)
    }
    /// The JSON sent on the wire (prices as numbers).
    fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
    /// The JSON handed to Python and Node: prices as two-decimal strings (`"15.50"`).
    fn to_binding_json(&self) -> Value {
        super::price::with_string_prices(|| serde_json::to_value(self).unwrap_or(Value::Null))
    }
    /// `Self::from_json(&v)?.to_binding_json()`, computed on `v` itself: only the values the
    /// encoding changes (prices) are rewritten, nothing else is decoded, copied or reordered.
    fn binding_json_of(mut v: Value) -> crate::Result<Value> {
        if !Self::fits(&v) {
            return Self::from_json(&v).map(|_| Value::Null);
        }
        Self::rewrite(&mut v);
        Ok(v)
    }
}

/// Declares a model: a struct of `Option` fields plus `extra`, lenient to read, exact to write.
///
/// `field: Type = "json_name"` or `field: Type = "json_name" | "alias"`.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $json:literal $(| $alias:literal)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Fields this version does not know, and known fields whose value was `null` or did
            /// not fit their type, exactly as received (they are written back unchanged).
            pub extra: serde_json::Map<String, serde_json::Value>,
            #[doc(hidden)]
            pub shape: $crate::eqp::model::Shape,
        }

        impl $name {
            /// Whether `key` is written from a typed field (so `extra` must not repeat it): the
            /// key the field was read from. The other spelling, when both came, stays in `extra`.
            #[allow(unused_variables)]
            fn typed_key(&self, key: &str) -> bool {
                $( if self.$field.is_some() && key == self.shape.key($json) { return true; } )*
                false
            }
            /// Whether no field is set.
            pub fn is_empty(&self) -> bool {
                true $( && self.$field.is_none() )* && self.extra.is_empty()
            }
        }

        impl $crate::eqp::model::Field for $name {
            #[allow(unused_mut)]
            fn decode(
                v: &serde_json::Value,
                path: &$crate::eqp::model::Path<'_>,
            ) -> Result<Self, $crate::eqp::model::DecodeError> {
                let obj = match v {
                    serde_json::Value::Object(m) => m,
                    serde_json::Value::Array(a) if a.is_empty() => {
                        let mut out = Self::default();
                        out.shape.empty_array = true;
                        return Ok(out);
                    }
                    other => {
                        return Err(path.error(format!(
                            "expected an object, got {}",
                            $crate::eqp::model::json_type(other)
                        )))
                    }
                };
                let mut out = Self::default();
                for (key, value) in obj {
                    let k = key.as_str();
                    $(
                        #[allow(unused_mut)]
                        let mut known = k == $json;
                        $(
                            if k == $alias && !obj.contains_key($json) {
                                known = true;
                                out.shape.aliases.push(($json, $alias));
                            }
                        )?
                        if known {
                            if value.is_null() {
                                out.extra.insert(key.clone(), value.clone());
                            } else {
                                match <$ty as $crate::eqp::model::Field>::decode(value, &path.key(k)) {
                                    Ok(x) => out.$field = Some(x),
                                    Err(e) if path.is_strict() => return Err(e),
                                    Err(_) => {
                                        out.extra.insert(key.clone(), value.clone());
                                    }
                                }
                            }
                            continue;
                        }
                    )*
                    out.extra.insert(key.clone(), value.clone());
                }
                Ok(out)
            }

            const REWRITES: bool = false $( || <$ty as $crate::eqp::model::Field>::REWRITES )*;

            fn fits(v: &serde_json::Value) -> bool {
                match v {
                    serde_json::Value::Object(_) => true,
                    serde_json::Value::Array(a) => a.is_empty(),
                    _ => false,
                }
            }

            // The key `decode` reads each field from (its name, else its alias when the name is
            // absent); a `null` or a value that does not fit stays as it is, as in `extra`.
            #[allow(unused_variables)]
            fn rewrite(v: &mut serde_json::Value) {
                let serde_json::Value::Object(obj) = v else { return };
                $(
                    if <$ty as $crate::eqp::model::Field>::REWRITES {
                        #[allow(unused_mut)]
                        let mut key = obj.contains_key($json).then_some($json);
                        $( if key.is_none() && obj.contains_key($alias) { key = Some($alias); } )?
                        if let Some(value) = key.and_then(|k| obj.get_mut(k)) {
                            if !value.is_null() && <$ty as $crate::eqp::model::Field>::fits(value) {
                                <$ty as $crate::eqp::model::Field>::rewrite(value);
                            }
                        }
                    }
                )*
            }

            fn encode<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::{SerializeMap, SerializeSeq};
                if self.shape.empty_array && self.is_empty() {
                    return s.serialize_seq(Some(0))?.end();
                }
                let mut map = s.serialize_map(None)?;
                $(
                    if let Some(v) = &self.$field {
                        map.serialize_entry(self.shape.key($json), &$crate::eqp::model::Enc(v))?;
                    }
                )*
                for (k, v) in &self.extra {
                    if !self.typed_key(k) {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::eqp::model::Field::encode(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                <Self as $crate::eqp::model::Field>::decode(&v, &$crate::eqp::model::Path::response())
                    .map_err(<D::Error as serde::de::Error>::custom)
            }
        }

        impl $crate::eqp::model::Model for $name {}
    };
}

/// Declares an open enum: known values as variants, anything else kept in `Other`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of sellkit does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every value this version knows.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(s) => s,
                }
            }
            /// Whether the value is one this version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::eqp::model::Field for $name {
            const REWRITES: bool = false;
            fn decode(
                v: &serde_json::Value,
                path: &$crate::eqp::model::Path<'_>,
            ) -> Result<Self, $crate::eqp::model::DecodeError> {
                <String as $crate::eqp::model::Field>::decode(v, path).map(|s| $name::from(s.as_str()))
            }
            fn encode<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

pub(crate) use {model, open_enum};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    model! {
        /// A test model.
        pub struct Inner {
            a: String = "a",
        }
    }
    model! {
        pub struct Outer {
            name: String = "name",
            count: i64 = "count",
            status: String = "current_status" | "eqp_state",
            inner: Inner = "inner",
            list: Vec<Inner> = "list",
        }
    }

    #[test]
    fn round_trips_unknown_fields_nulls_and_empty_arrays() {
        let v = json!({"name": "x", "count": null, "inner": [], "zzz": {"q": [1, null]}, "list": [{"a": "1", "b": 2}]});
        let o = Outer::from_json(&v).unwrap();
        assert_eq!(o.name.as_deref(), Some("x"));
        assert_eq!(o.count, None);
        assert!(o.inner.as_ref().unwrap().is_empty());
        assert_eq!(o.list.as_ref().unwrap()[0].extra["b"], json!(2));
        assert_eq!(o.to_json(), v);
    }

    #[test]
    fn misfits_are_kept_raw_in_responses_and_refused_in_input() {
        let v = json!({"count": "many", "inner": {"a": 5}});
        let o = Outer::from_json(&v).unwrap();
        assert_eq!(o.count, None);
        assert_eq!(o.extra["count"], json!("many"));
        assert_eq!(o.inner.as_ref().unwrap().a, None);
        assert_eq!(o.to_json(), v);
        let e = Outer::from_input(&v, "items[3]").unwrap_err();
        assert_eq!(e.field(), Some("items[3].count"));
        let e = Outer::from_input(&json!({"list": [{}, {"a": 1}]}), "").unwrap_err();
        assert_eq!(e.field(), Some("list[1].a"));
    }

    #[test]
    fn aliases_are_read_and_written_back_under_their_own_name() {
        let o = Outer::from_json(&json!({"eqp_state": "approved"})).unwrap();
        assert_eq!(o.status.as_deref(), Some("approved"));
        assert_eq!(o.to_json(), json!({"eqp_state": "approved"}));
        let o = Outer::from_json(&json!({"current_status": "a", "eqp_state": "b"})).unwrap();
        assert_eq!(o.status.as_deref(), Some("a"));
        assert_eq!(o.extra["eqp_state"], json!("b"));
        assert_eq!(o.to_json(), json!({"current_status": "a", "eqp_state": "b"}), "both spellings are written back");
        let built = Outer { status: Some("draft".into()), ..Default::default() };
        assert_eq!(built.to_json(), json!({"current_status": "draft"}));
    }

    #[test]
    fn not_an_object_is_an_error() {
        assert!(Outer::from_json(&json!("x")).is_err());
        assert!(Outer::from_json(&json!([1])).is_err());
    }
}
