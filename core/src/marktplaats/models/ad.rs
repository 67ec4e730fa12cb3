//! Advertisements, price models and advertisement statistics.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};


open_enum! {
    /// `priceModel.modelType` (reference §1.4.6). Values contain spaces.
    ModelType {
        Fixed => "fixed",
        Bidding => "bidding",
        ToBeDiscussed => "to be discussed",
        ByRequest => "by request",
        Trade => "trade",
        SeeDescription => "see description",
        BuyItNow => "buy it now",
        Reserved => "reserved",
    }
}

impl ModelType {
    /// The amount fields this model allows, when the docs list them (`fixed`, `bidding`).
    pub fn allowed_amounts(&self) -> Option<&'static [&'static str]> {
        match self {
            ModelType::Fixed => Some(&["askingPrice", "retailPrice"]),
            ModelType::Bidding => Some(&["minimalBid", "askingPrice", "retailPrice"]),
            _ => None,
        }
    }
}

/// `priceModel`: amounts in euro cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceModel {
    #[serde(rename = "modelType")]
    pub model_type: ModelType,
    #[serde(rename = "askingPrice", default, skip_serializing_if = "Option::is_none")]
    pub asking_price: Option<i64>,
    #[serde(rename = "minimalBid", default, skip_serializing_if = "Option::is_none")]
    pub minimal_bid: Option<i64>,
    #[serde(rename = "retailPrice", default, skip_serializing_if = "Option::is_none")]
    pub retail_price: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PriceModel {
    /// A fixed price of `cents`.
    pub fn fixed(cents: i64) -> PriceModel {
        PriceModel { model_type: ModelType::Fixed, asking_price: Some(cents), minimal_bid: None, retail_price: None, extra: Map::new() }
    }
    /// Bidding, optionally from `minimal_bid` cents with an asking price.
    pub fn bidding(minimal_bid: Option<i64>, asking_price: Option<i64>) -> PriceModel {
        PriceModel { model_type: ModelType::Bidding, asking_price, minimal_bid, retail_price: None, extra: Map::new() }
    }
    /// A model without amounts (`see description`, `reserved`, ...).
    pub fn of(model_type: ModelType) -> PriceModel {
        PriceModel { model_type, asking_price: None, minimal_bid: None, retail_price: None, extra: Map::new() }
    }
}

/// `location` of an advertisement.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AdLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(rename = "cityName", default, skip_serializing_if = "Option::is_none")]
    pub city_name: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AdLocation {
    pub fn postcode(postcode: impl Into<String>) -> AdLocation {
        AdLocation { postcode: Some(postcode.into()), ..Default::default() }
    }
}

/// `seller` of an advertisement.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Seller {
    #[serde(rename = "sellerId", default, skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<i64>,
    #[serde(rename = "sellerName", default, skip_serializing_if = "Option::is_none")]
    pub seller_name: Option<String>,
    #[serde(rename = "phoneNumber", default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(rename = "acceptPaypal", default, skip_serializing_if = "Option::is_none")]
    pub accept_paypal: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An advertisement. Category attributes (`condition`, `brand`, `constructionYear`...) are
/// top-level members: they live in `extra` (see [`Advertisement::attribute`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Advertisement {
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    #[serde(rename = "_embedded", default, skip_serializing_if = "Option::is_none")]
    pub embedded: Option<Map<String, Value>>,
    #[serde(rename = "itemId", default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "categoryId", default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    #[serde(rename = "priceModel", default, skip_serializing_if = "Option::is_none")]
    pub price_model: Option<PriceModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<AdLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<Seller>,
    #[serde(rename = "showOnMap", default, skip_serializing_if = "Option::is_none")]
    pub show_on_map: Option<bool>,
    /// `online`, `deactivated`, ... as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "startDate", default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(rename = "closeDate", default, skip_serializing_if = "Option::is_none")]
    pub close_date: Option<String>,
    /// 2dehands / 2ememain only (see [`crate::locale::resolve`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Multilingual title and description (`[{locale, title, description}]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translations: Option<Vec<Value>>,
    #[serde(rename = "renewalPossible", default, skip_serializing_if = "Option::is_none")]
    pub renewal_possible: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved: Option<bool>,
    /// Category attributes and any member this model has no field for.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Advertisement {
    /// A new advertisement with the fields every category requires.
    pub fn new(category_id: i64, title: impl Into<String>, description: impl Into<String>, price_model: PriceModel, postcode: impl Into<String>) -> Self {
        Advertisement {
            category_id: Some(category_id),
            title: Some(title.into()),
            description: Some(description.into()),
            price_model: Some(price_model),
            location: Some(AdLocation::postcode(postcode)),
            ..Default::default()
        }
    }
    /// A category attribute (or any other member without a field of its own).
    pub fn attribute(&self, key: &str) -> Option<&Value> {
        self.extra.get(key)
    }
    /// Set a category attribute (`"condition"`, `"Nieuw"`).
    pub fn set_attribute(&mut self, key: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.extra.insert(key.into(), value.into());
        self
    }
    /// Builder form of [`Advertisement::set_attribute`].
    pub fn with_attribute(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set_attribute(key, value);
        self
    }
}

/// Counters of one advertisement (`/v1/advertisements/{itemId}/statistics`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AdStatistics {
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    #[serde(rename = "numberOfViews", default, skip_serializing_if = "Option::is_none")]
    pub number_of_views: Option<u64>,
    #[serde(rename = "numberOfAsqs", default, skip_serializing_if = "Option::is_none")]
    pub number_of_asqs: Option<u64>,
    #[serde(rename = "numberOfBids", default, skip_serializing_if = "Option::is_none")]
    pub number_of_bids: Option<u64>,
    #[serde(rename = "numberOfUrlClicks", default, skip_serializing_if = "Option::is_none")]
    pub number_of_url_clicks: Option<u64>,
    #[serde(rename = "numberOfPhoneClicks", default, skip_serializing_if = "Option::is_none")]
    pub number_of_phone_clicks: Option<u64>,
    #[serde(rename = "numberOfFavoriteClicks", default, skip_serializing_if = "Option::is_none")]
    pub number_of_favorite_clicks: Option<u64>,
    #[serde(rename = "minFindabilityIndicator", default, skip_serializing_if = "Option::is_none")]
    pub min_findability_indicator: Option<u64>,
    #[serde(rename = "maxFindabilityIndicator", default, skip_serializing_if = "Option::is_none")]
    pub max_findability_indicator: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
