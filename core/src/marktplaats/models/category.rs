//! Categories, category attributes and listing fees.

use serde_json::{Map, Number, Value};

use crate::model::{model, open_enum};

use super::embedded_items;

model! {
    /// A category: L1 with its L2 children embedded (`mp:category`), or an L2 leaf.
    pub struct Category {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        category_id: i64 = "categoryId",
        /// Deprecated by the API in favour of `labels`.
        name: String = "name",
        /// Localized names keyed by locale.
        labels: Map<String, Value> = "labels",
        /// `open` or `closed` (no new ads).
        status: String = "status",
    }
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
    pub enum AttributeType {
        /// One value out of `values`/`options`.
        String = "STRING",
        /// One or more values.
        List = "LIST",
        /// An integer between `minValue` and `maxValue`.
        Number = "NUMBER",
        /// A floating-point number.
        Double = "DOUBLE",
    }
}

model! {
    /// The definition of a category attribute: its `key` is the member name on the ad.
    pub struct CategoryAttribute {
        links: Map<String, Value> = "_links",
        key: String = "key",
        label: String = "label",
        labels: Map<String, Value> = "labels",
        attribute_type: AttributeType = "type",
        values: Vec<String> = "values",
        options: Vec<Value> = "options",
        min_value: Number = "minValue",
        max_value: Number = "maxValue",
        min_allowed_length: u64 = "minAllowedLength",
        max_allowed_length: u64 = "maxAllowedLength",
        unit: String = "unit",
        units: Map<String, Value> = "units",
        mandatory: bool = "mandatory",
        searchable: bool = "searchable",
        writable: bool = "writable",
        updateable: bool = "updateable",
    }
}

model! {
    /// One running subscription of a category's fees.
    pub struct RunningSubscription {
        duration_days: u64 = "durationDays",
        /// Euro cents.
        fee: i64 = "fee",
    }
}

model! {
    /// Listing fees of a leaf category (the API marks it "under construction").
    pub struct CategoryFees {
        links: Map<String, Value> = "_links",
        /// Euro cents to place an ad in the category.
        insertion_fee: i64 = "insertionFee",
        running_subscriptions: Vec<RunningSubscription> = "runningSubscriptions",
    }
}
