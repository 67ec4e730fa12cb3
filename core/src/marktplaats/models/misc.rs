//! Images, features, orders, bids, transactions, locations, errors and webhook events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::IntOrString;

macro_rules! hal_model {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty => $json:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        pub struct $name {
            #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
            pub links: Option<Map<String, Value>>,
            #[serde(rename = "_embedded", default, skip_serializing_if = "Option::is_none")]
            pub embedded: Option<Map<String, Value>>,
            $(
                $(#[$fmeta])*
                #[serde(rename = $json, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Members without a field of their own, kept as sent.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }
    };
}
pub(crate) use hal_model;

open_enum! {
    /// Download state of an image.
    ImageStatus {
        Available => "available",
        Downloading => "downloading",
    }
}

hal_model! {
    /// An image (`/v1/images/{mediaId}`), also as embedded in an ad's image list.
    Image {
        media_id: String => "mediaId",
        /// Deprecated by the API in favour of `mediaId`.
        image_id: i64 => "imageId",
        status: ImageStatus => "status",
    }
}

impl Image {
    /// `mediaId`, or the deprecated `imageId` as a string.
    pub fn id(&self) -> Option<String> {
        self.media_id.clone().or_else(|| self.image_id.map(|i| i.to_string()))
    }
    pub fn is_available(&self) -> bool {
        self.status == Some(ImageStatus::Available)
    }
}

hal_model! {
    /// A feature of an advertisement or a user (`dagtopper`, `bedrijfsprofilering`...).
    Feature {
        name: String => "name",
        /// Euro cents, VAT included.
        price: i64 => "price",
        active: bool => "active",
        available: bool => "available",
    }
}

hal_model! {
    /// A feature bought for an advertisement.
    PurchasedFeature {
        name: String => "name",
        purchase_date: String => "purchaseDate",
    }
}

hal_model! {
    /// An order (buying a feature, renewing an ad). Products are embedded.
    Order {
        order_id: i64 => "orderId",
        /// `new`, `payment required`, `paid`, `refused`, `closed`, ... as sent.
        status: String => "status",
        /// Total in euro cents.
        price: i64 => "price",
    }
}

impl Order {
    /// The embedded products (`mp:order-products` or `mp:product`).
    pub fn products(&self) -> Vec<OrderProduct> {
        let mut items = super::embedded_items(self.embedded.as_ref(), Some("mp:order-products"));
        if items.is_empty() {
            items = super::embedded_items(self.embedded.as_ref(), Some("mp:product"));
        }
        items.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect()
    }
}

hal_model! {
    /// A product of an order.
    OrderProduct {
        product_id: IntOrString => "productId",
        description: String => "description",
        /// Euro cents; the docs show it as a string.
        price: IntOrString => "price",
    }
}

/// The bidder of a bid.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Bidder {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(rename = "nickName", default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

hal_model! {
    /// A bid on an advertisement. The field table names the id `bidId`, the example `id`: both
    /// are read (see [`Bid::id`]).
    Bid {
        bid_id: i64 => "bidId",
        id: i64 => "id",
        /// Euro cents.
        amount: i64 => "amount",
        place_date: String => "placeDate",
        bidder: Bidder => "bidder",
    }
}

impl Bid {
    /// `bidId`, or `id`.
    pub fn bid_id(&self) -> Option<i64> {
        self.bid_id.or(self.id)
    }
}

hal_model! {
    /// A third-party payment transaction of an advertisement.
    Transaction {
        transaction_id: i64 => "transactionId",
        buyer_id: i64 => "buyerId",
        /// Euro cents.
        amount: i64 => "amount",
        /// Euro cents.
        shipping_costs: i64 => "shippingCosts",
        /// `CREATED`, `COMPLETED`, `CANCELLED`, ... as sent.
        status: String => "status",
    }
}

hal_model! {
    /// The result of a postcode lookup (`/v1/locations?postcode=`).
    PostcodeLocation {
        postcode: String => "postcode",
        street: String => "street",
        city: String => "city",
        province: String => "province",
        province_short_code: String => "provinceShortCode",
    }
}

/// One field problem of an API error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

hal_model! {
    /// An error body (`{code, message, logref, details[]}`). The client turns these into
    /// [`crate::Error`]s; the model is for callers that read raw bodies.
    ApiErrorBody {
        code: String => "code",
        message: String => "message",
        logref: String => "logref",
        details: Vec<ApiErrorDetail> => "details",
    }
}

open_enum! {
    /// `eventType` of a webhook.
    EventType {
        BidPlaced => "BidPlacedEvent",
        BidClosed => "BidClosedEvent",
        AsqCreated => "AsqCreatedEvent",
        TransactionStatusChanged => "transactionStatusChanged",
    }
}

/// A webhook delivery. Fields are in the documented order, so encoding one gives the bytes the
/// docs sign in their example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// Unique per event: deliveries are at least once, de-duplicate on it.
    pub id: String,
    #[serde(rename = "eventType")]
    pub event_type: EventType,
    /// ISO 8601, as sent.
    pub created: String,
    #[serde(rename = "eventData", default)]
    pub event_data: Value,
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
