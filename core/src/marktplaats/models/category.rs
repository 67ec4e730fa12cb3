//! Categories, category attributes and listing fees.

use serde_json::{Map, Number, Value};

use crate::model::{model, open_enum};

use super::embedded_items;

model! {
    /// A category: L1 with its L2 children embedded (`mp:category`), or an L2 leaf.
    pub struct Category {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Category id.
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
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// Attribute name: the member name on an advertisement.
        key: String = "key" [always],
        /// Deprecated by the API in favour of `labels`.
        label: String = "label" [always],
        /// Localized names keyed by locale.
        labels: Map<String, Value> = "labels",
        /// `type`: how values are given.
        attribute_type: AttributeType = "type" [always],
        /// Allowed values (deprecated by the API in favour of `options`).
        values: Vec<String> = "values",
        /// Allowed values, as sent.
        options: Vec<Value> = "options",
        /// Smallest value (`NUMBER` only).
        min_value: Number = "minValue",
        /// Largest value (`NUMBER` only).
        max_value: Number = "maxValue",
        /// Shortest free-text value (`STRING` only).
        min_allowed_length: u64 = "minAllowedLength",
        /// Longest free-text value (`STRING` only).
        max_allowed_length: u64 = "maxAllowedLength",
        /// Unit (`NUMBER` only); deprecated by the API in favour of `units`.
        unit: String = "unit",
        /// Localized units keyed by locale.
        units: Map<String, Value> = "units",
        /// Must be sent when creating an ad.
        mandatory: bool = "mandatory" [always],
        /// Usable as a search filter.
        searchable: bool = "searchable" [always],
        /// May be set when creating an ad.
        writable: bool = "writable" [always],
        /// May be changed by PUT or PATCH.
        updateable: bool = "updateable" [always],
    }
}

model! {
    /// One running subscription of a category's fees.
    pub struct RunningSubscription {
        /// Length of the subscription in days.
        duration_days: u64 = "durationDays" [always],
        /// Euro cents.
        fee: i64 = "fee" [always],
    }
}

model! {
    /// Listing fees of a leaf category (the API marks it "under construction").
    pub struct CategoryFees {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// Euro cents to place an ad in the category.
        insertion_fee: i64 = "insertionFee" [always],
        /// Subscription fees.
        running_subscriptions: Vec<RunningSubscription> = "runningSubscriptions" [always],
    }
}
