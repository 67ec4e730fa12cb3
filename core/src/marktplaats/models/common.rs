//! Shapes shared by many resources.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{json_type, model, DecodeError, Describe, Field, Mode, Path, Registry, Ty};

/// An id or amount that the docs show sometimes as a number, sometimes as a string
/// (`"productId": "2432"`, `"price": "3000"`). Written back in the shape it came in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IntOrString {
    /// A JSON number.
    Int(i64),
    /// A JSON string.
    Str(String),
}

impl Field for IntOrString {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> std::result::Result<Self, DecodeError> {
        match v {
            Value::Number(n) if n.is_i64() => Ok(IntOrString::Int(n.as_i64().unwrap_or_default())),
            Value::String(s) => Ok(IntOrString::Str(s.clone())),
            other => Err(path.error(format!("expected a whole number or a string, got {}", json_type(other)))),
        }
    }
    fn encode<S: serde::Serializer>(&self, s: S, _: Mode) -> std::result::Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(i) => s.serialize_i64(*i),
            IntOrString::Str(t) => s.serialize_str(t),
        }
    }
}

impl Describe for IntOrString {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Union(vec![Ty::Int, Ty::Str])
    }
}

impl Serialize for IntOrString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.encode(s, Mode::Wire)
    }
}

impl IntOrString {
    /// The value as a number, when it is one or a string of digits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            IntOrString::Int(i) => Some(*i),
            IntOrString::Str(s) => s.trim().parse().ok(),
        }
    }
}

impl std::fmt::Display for IntOrString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Str(s) => f.write_str(s),
        }
    }
}

model! {
    /// A HAL resource that is mostly links and embedded items: collections (`GET /v1/users`,
    /// features, transactions, search results), and anything the typed surface has no model for.
    pub struct Collection {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Total number of items, when the server says (search results).
        total_count: u64 = "totalCount",
        /// Offset of this page, when the server says.
        offset: u64 = "offset",
        /// Page size, when the server says.
        limit: u64 = "limit",
    }
}

impl Collection {
    /// The embedded items under `rel` (`mp:advertisement-feature`), or under the first array in
    /// `_embedded` when `rel` is `None`. A single embedded object counts as one item.
    pub fn items(&self, rel: Option<&str>) -> Vec<Value> {
        embedded_items(self.embedded.as_ref(), rel)
    }

    /// The embedded items decoded into `T`.
    pub fn items_as<T: serde::de::DeserializeOwned>(&self, rel: Option<&str>) -> Result<Vec<T>> {
        self.items(rel).into_iter().map(|v| decode(v)).collect()
    }

    /// `href` of a link relation (`next`, `self`).
    pub fn link(&self, rel: &str) -> Option<&str> {
        link_href(self.links.as_ref(), rel)
    }
}

/// Items of an `_embedded` map (see [`Collection::items`]).
pub fn embedded_items(embedded: Option<&Map<String, Value>>, rel: Option<&str>) -> Vec<Value> {
    let Some(embedded) = embedded else { return Vec::new() };
    let found = match rel {
        Some(rel) => embedded.get(rel),
        None => embedded.values().find(|v| v.is_array()).or_else(|| embedded.values().next()),
    };
    match found {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Object(o)) => vec![Value::Object(o.clone())],
        _ => Vec::new(),
    }
}

/// `href` of a link relation in a `_links` map.
pub fn link_href<'a>(links: Option<&'a Map<String, Value>>, rel: &str) -> Option<&'a str> {
    let link = links?.get(rel)?;
    let link = match link {
        Value::Array(a) => a.first()?,
        other => other,
    };
    link.get("href")?.as_str()
}

/// Decode a JSON value into a model, naming what failed.
pub fn decode<T: serde::de::DeserializeOwned>(v: Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| {
        // serde quotes the offending value whole; a response can make that any length.
        let reason = crate::error::shorten(&e.to_string(), 160);
        Error::new(ErrorKind::Decode, format!("could not decode {}: {reason}", std::any::type_name::<T>().rsplit("::").next().unwrap_or("value")))
    })
}

/// Encode a model as JSON.
pub fn encode<T: Serialize>(t: &T) -> Result<Value> {
    serde_json::to_value(t).map_err(|e| Error::new(ErrorKind::Internal, format!("could not encode: {e}")))
}
