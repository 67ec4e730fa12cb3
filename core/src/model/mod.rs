//! The one model system of both APIs.
//!
//! Every model is declared with `model!`: a struct of `Option` fields plus `extra`, read
//! leniently from responses (unknown members, `null`s and values that do not fit are kept and
//! written back exactly; `[]` is read where an object is expected; documented aliases are read)
//! and strictly from caller input (a misfit is an error naming its path,
//! `items[2].prices[0].price`). Sets of names the API may grow are `open_enum!`s.
//!
//! A model is written in one of two [`Mode`]s, each an explicit function of the typed value:
//! [`Model::to_json`] is what goes on the wire, [`Model::to_view`] what Python and Node receive.

mod describe;
mod field;
mod macros;
mod path;

pub use describe::{doc, doc_with_flags, Describe, FieldDef, FieldFlag, Flags, Registry, Ty, TypeDef};
pub use field::{json_type, Enc, Field, Mode};
pub(crate) use macros::{field_flag, model, open_enum};
pub use path::{DecodeError, Path};

use serde_json::{Map, Value};

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
    /// The key a field was read from: its alias when the alias spelled it, else its name.
    pub(crate) fn key(&self, name: &'static str) -> &'static str {
        self.aliases.iter().find(|(n, _)| *n == name).map(|(_, a)| *a).unwrap_or(name)
    }
}

/// What every model offers.
pub trait Model: Field + serde::Serialize + Default {
    /// Decode a response leniently; only a value that is not an object (nor `[]`) is an error.
    fn from_json(v: &Value) -> crate::Result<Self> {
        Self::decode(v, &Path::response()).map_err(DecodeError::into_decode_error)
    }
    /// Decode caller input strictly; a misfit is an invalid-input error naming `root.field`.
    fn from_input(v: &Value, root: &str) -> crate::Result<Self> {
        Self::decode(v, &Path::input(root)).map_err(DecodeError::into_input_error)
    }
    /// The JSON sent on the wire (see [`Mode::Wire`]).
    fn to_json(&self) -> Value {
        serde_json::to_value(Enc(self, Mode::Wire)).unwrap_or(Value::Null)
    }
    /// The JSON Python and Node receive (see [`Mode::View`]).
    fn to_view(&self) -> Value {
        serde_json::to_value(Enc(self, Mode::View)).unwrap_or(Value::Null)
    }
    /// `Self::from_json(&v)?.to_view()`, computed on `v` itself: only what the view changes is
    /// touched; nothing else is decoded, copied or reordered.
    fn view_of(mut v: Value) -> crate::Result<Value> {
        if !Self::fits(&v) {
            return Self::from_json(&v).map(|_| Value::Null);
        }
        Self::view_in_place(&mut v);
        Ok(v)
    }
}

/// Rename `from` to `to` in `obj`, keeping its place among the members.
pub(crate) fn rename_key(obj: &mut Map<String, Value>, from: &str, to: &str) {
    let old = std::mem::take(obj);
    *obj = old.into_iter().map(|(k, v)| if k == from { (to.to_owned(), v) } else { (k, v) }).collect();
}

#[cfg(test)]
mod tests;
