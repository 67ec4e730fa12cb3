//! Categories, category attributes and listing fees.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::embedded_items;

/// A category: L1 with its L2 children embedded (`mp:category`), or an L2 leaf.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Category {
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    #[serde(rename = "_embedded", default, skip_serializing_if = "Option::is_none")]
    pub embedded: Option<Map<String, Value>>,
    #[serde(rename = "categoryId", default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    /// Deprecated by the API in favour of `labels`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Localized names keyed by locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Map<String, Value>>,
    /// `open` or `closed` (no new ads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Category {
    /// The embedded child categories.
    pub fn children(&self) -> Vec<Category> {
        embedded_items(self.embedded.as_ref(), Some("mp:category"))
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect()
    }
}

open_enum! {
    /// Type of a category attribute.
    AttributeType {
        /// One value out of `values`/`options`.
        String => "STRING",
        /// One or more values.
        List => "LIST",
        /// An integer between `minValue` and `maxValue`.
        Number => "NUMBER",
        /// A floating-point number.
        Double => "DOUBLE",
    }
}

/// The definition of a category attribute: its `key` is the member name on the ad.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CategoryAttribute {
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Map<String, Value>>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub attribute_type: Option<AttributeType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<Value>>,
    #[serde(rename = "minValue", default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Number>,
    #[serde(rename = "maxValue", default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<Number>,
    #[serde(rename = "minAllowedLength", default, skip_serializing_if = "Option::is_none")]
    pub min_allowed_length: Option<u64>,
    #[serde(rename = "maxAllowedLength", default, skip_serializing_if = "Option::is_none")]
    pub max_allowed_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub searchable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updateable: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One running subscription of a category's fees.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RunningSubscription {
    #[serde(rename = "durationDays", default, skip_serializing_if = "Option::is_none")]
    pub duration_days: Option<u64>,
    /// Euro cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Listing fees of a leaf category (the API marks it "under construction").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CategoryFees {
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    /// Euro cents to place an ad in the category.
    #[serde(rename = "insertionFee", default, skip_serializing_if = "Option::is_none")]
    pub insertion_fee: Option<i64>,
    #[serde(rename = "runningSubscriptions", default, skip_serializing_if = "Option::is_none")]
    pub running_subscriptions: Option<Vec<RunningSubscription>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
