//! Advertisements, price models and advertisement statistics.

use serde_json::{Map, Value};

use crate::model::{model, open_enum};

open_enum! {
    /// `priceModel.modelType` (reference §1.4.6). Values contain spaces.
    pub enum ModelType {
        /// `fixed`: a fixed asking price.
        Fixed = "fixed",
        /// `bidding`: buyers bid, optionally from a minimal bid.
        Bidding = "bidding",
        /// `to be discussed` (no longer offered since April 2025, reportedly).
        ToBeDiscussed = "to be discussed",
        /// `by request`: price on request (no longer offered since April 2025, reportedly).
        ByRequest = "by request",
        /// `trade`: swap (no longer offered since April 2025, reportedly).
        Trade = "trade",
        /// `see description`: the price is in the description.
        SeeDescription = "see description",
        /// `buy it now` (no longer offered since April 2025, reportedly).
        BuyItNow = "buy it now",
        /// `reserved`: the item is reserved.
        Reserved = "reserved",
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

model! {
    /// `priceModel`: amounts in euro cents.
    pub struct PriceModel {
        /// Which price model; decides which amounts are allowed.
        model_type: ModelType = "modelType" [always, required],
        /// Euro cents.
        asking_price: i64 = "askingPrice",
        /// Euro cents.
        minimal_bid: i64 = "minimalBid",
        /// Euro cents.
        retail_price: i64 = "retailPrice",
    }
}

impl PriceModel {
    /// A fixed price of `cents`.
    pub fn fixed(cents: i64) -> PriceModel {
        PriceModel { model_type: Some(ModelType::Fixed), asking_price: Some(cents), ..Default::default() }
    }
    /// Bidding, optionally from `minimal_bid` cents with an asking price.
    pub fn bidding(minimal_bid: Option<i64>, asking_price: Option<i64>) -> PriceModel {
        PriceModel { model_type: Some(ModelType::Bidding), asking_price, minimal_bid, ..Default::default() }
    }
    /// A model without amounts (`see description`, `reserved`, ...).
    pub fn of(model_type: ModelType) -> PriceModel {
        PriceModel { model_type: Some(model_type), ..Default::default() }
    }
}

model! {
    /// `location` of an advertisement.
    pub struct AdLocation {
        /// Postcode (`1097DN`).
        postcode: String = "postcode" [required],
        /// City, filled in by the server.
        city_name: String = "cityName" [readonly],
    }
}

impl AdLocation {
    /// A location by postcode.
    pub fn postcode(postcode: impl Into<String>) -> AdLocation {
        AdLocation { postcode: Some(postcode.into()), ..Default::default() }
    }
}

model! {
    /// `seller` of an advertisement.
    pub struct Seller {
        /// The seller's user id.
        seller_id: i64 = "sellerId",
        /// Name shown on the ad.
        seller_name: String = "sellerName",
        /// Phone number shown on the ad.
        phone_number: String = "phoneNumber",
        /// Whether the seller accepts PayPal.
        accept_paypal: bool = "acceptPaypal",
    }
}

model! {
    /// An advertisement. Category attributes (`condition`, `brand`, `constructionYear`...) are
    /// top-level members: they live in `extra` (see [`Advertisement::attribute`]).
    pub struct Advertisement(open) {
        /// HAL links.
        links: Map<String, Value> = "_links" [readonly],
        /// HAL embedded resources (images).
        embedded: Map<String, Value> = "_embedded" [readonly],
        /// The ad's id (`m1372`), given by the server.
        item_id: String = "itemId" [readonly],
        /// 3 to 60 characters, no URLs.
        title: String = "title" [required],
        /// Description (HTML fragments occur in responses).
        description: String = "description",
        /// A leaf (L2) category. Moving a placed ad to another category is refused (its
        /// attributes belong to the category): place a new ad instead.
        category_id: i64 = "categoryId" [required, create_only],
        /// Price model and amounts (euro cents).
        price_model: PriceModel = "priceModel" [required],
        /// Where the item is: `postcode` (required on create).
        location: AdLocation = "location" [required],
        /// Seller details shown on the ad (from the seller's account).
        seller: Seller = "seller" [readonly],
        /// Whether to show the location on a map.
        show_on_map: bool = "showOnMap",
        /// `online`, `deactivated`, ... as sent.
        status: String = "status",
        /// When the ad went online (ISO 8601, as sent).
        start_date: String = "startDate" [readonly],
        /// When it expires (ISO 8601, as sent).
        close_date: String = "closeDate" [readonly],
        /// 2dehands / 2ememain only (see [`crate::locale::resolve`]).
        locale: String = "locale",
        /// Multilingual title and description (`[{locale, title, description}]`).
        translations: Vec<Value> = "translations",
        /// Whether the ad can be renewed now (normally within 7 days of `closeDate`).
        renewal_possible: bool = "renewalPossible" [readonly],
        /// Marks the item reserved (overrides the price model).
        reserved: bool = "reserved",
    }
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

model! {
    /// Counters of one advertisement (`/v1/advertisements/{itemId}/statistics`).
    pub struct AdStatistics {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// Views.
        number_of_views: u64 = "numberOfViews",
        /// Questions asked to the seller.
        number_of_asqs: u64 = "numberOfAsqs",
        /// Bids.
        number_of_bids: u64 = "numberOfBids",
        /// Clicks on the ad's URL.
        number_of_url_clicks: u64 = "numberOfUrlClicks",
        /// Clicks on the phone number.
        number_of_phone_clicks: u64 = "numberOfPhoneClicks",
        /// Times the ad was saved as a favourite.
        number_of_favorite_clicks: u64 = "numberOfFavoriteClicks",
        /// 1, 5 or 10: findable from that page on (experimental).
        min_findability_indicator: u64 = "minFindabilityIndicator",
        /// 5 or 10: findable up to that page; absent: no upper bound (experimental).
        max_findability_indicator: u64 = "maxFindabilityIndicator",
    }
}
