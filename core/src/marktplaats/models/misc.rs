//! Images, features, orders, bids, transactions, locations, errors and webhook events.

use serde_json::{Map, Value};

use super::IntOrString;
use crate::model::{model, open_enum};


open_enum! {
    /// Download state of an image.
    pub enum ImageStatus {
        Available = "available",
        Downloading = "downloading",
    }
}

model! {
    /// An image (`/v1/images/{mediaId}`), also as embedded in an ad's image list.
    pub struct Image {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        media_id: String = "mediaId",
        /// Deprecated by the API in favour of `mediaId`.
        image_id: i64 = "imageId",
        status: ImageStatus = "status",
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

model! {
    /// A feature of an advertisement or a user (`dagtopper`, `bedrijfsprofilering`...).
    pub struct Feature {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        name: String = "name",
        /// Euro cents, VAT included.
        price: i64 = "price",
        active: bool = "active",
        available: bool = "available",
    }
}

model! {
    /// A feature bought for an advertisement.
    pub struct PurchasedFeature {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        name: String = "name",
        purchase_date: String = "purchaseDate",
    }
}

model! {
    /// An order (buying a feature, renewing an ad). Products are embedded.
    pub struct Order {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        order_id: i64 = "orderId",
        /// `new`, `payment required`, `paid`, `refused`, `closed`, ... as sent.
        status: String = "status",
        /// Total in euro cents.
        price: i64 = "price",
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

model! {
    /// A product of an order.
    pub struct OrderProduct {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        product_id: IntOrString = "productId",
        description: String = "description",
        /// Euro cents; the docs show it as a string.
        price: IntOrString = "price",
    }
}

model! {
    /// The bidder of a bid.
    pub struct Bidder {
        id: i64 = "id",
        nick_name: String = "nickName",
    }
}

model! {
    /// A bid on an advertisement. The field table names the id `bidId`, the example `id`: both
    /// are read (see [`Bid::id`]).
    pub struct Bid {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        bid_id: i64 = "bidId",
        id: i64 = "id",
        /// Euro cents.
        amount: i64 = "amount",
        place_date: String = "placeDate",
        bidder: Bidder = "bidder",
    }
}

impl Bid {
    /// `bidId`, or `id`.
    pub fn bid_id(&self) -> Option<i64> {
        self.bid_id.or(self.id)
    }
}

model! {
    /// A third-party payment transaction of an advertisement.
    pub struct Transaction {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        transaction_id: i64 = "transactionId",
        buyer_id: i64 = "buyerId",
        /// Euro cents.
        amount: i64 = "amount",
        /// Euro cents.
        shipping_costs: i64 = "shippingCosts",
        /// `CREATED`, `COMPLETED`, `CANCELLED`, ... as sent.
        status: String = "status",
    }
}

model! {
    /// The result of a postcode lookup (`/v1/locations?postcode=`).
    pub struct PostcodeLocation {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        postcode: String = "postcode",
        street: String = "street",
        city: String = "city",
        province: String = "province",
        province_short_code: String = "provinceShortCode",
    }
}

model! {
    /// One field problem of an API error.
    pub struct ApiErrorDetail {
        field: String = "field",
        fields: Vec<String> = "fields",
        code: String = "code",
        message: String = "message",
        value: Value = "value",
    }
}

model! {
    /// An error body (`{code, message, logref, details[]}`). The client turns these into
    /// [`crate::Error`]s; the model is for callers that read raw bodies.
    pub struct ApiErrorBody {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        code: String = "code",
        message: String = "message",
        logref: String = "logref",
        details: Vec<ApiErrorDetail> = "details",
    }
}

open_enum! {
    /// `eventType` of a webhook.
    pub enum EventType {
        BidPlaced = "BidPlacedEvent",
        BidClosed = "BidClosedEvent",
        AsqCreated = "AsqCreatedEvent",
        TransactionStatusChanged = "transactionStatusChanged",
    }
}

model! {
    /// A webhook delivery. Fields are in the documented order, so encoding one gives the bytes
    /// the docs sign in their example.
    pub struct WebhookEvent {
        /// Unique per event: deliveries are at least once, de-duplicate on it.
        id: String = "id" [always],
        event_type: EventType = "eventType" [always],
        /// ISO 8601, as sent.
        created: String = "created" [always],
        /// Depends on the event type.
        event_data: Value = "eventData" [always],
        links: Map<String, Value> = "_links",
    }
}
