//! Shapes shared by many resources.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

/// An id or amount that the docs show sometimes as a number, sometimes as a string
/// (`"productId": "2432"`, `"price": "3000"`). Written back in the shape it came in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i64),
    Str(String),
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

/// A HAL resource that is mostly links and embedded items: collections (`GET /v1/users`,
/// features, transactions, search results), and anything the typed surface has no model for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Collection {
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    #[serde(rename = "_embedded", default, skip_serializing_if = "Option::is_none")]
    pub embedded: Option<Map<String, Value>>,
    #[serde(rename = "totalCount", default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
