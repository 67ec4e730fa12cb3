//! Images, features, orders, bids, transactions, locations, errors and webhook events.

use serde_json::{Map, Value};

use super::IntOrString;
use crate::model::{model, open_enum};


open_enum! {
    /// Download state of an image.
    pub enum ImageStatus {
        /// `available`: downloaded and ready.
        Available = "available",
        /// `downloading`: being fetched from its URL.
        Downloading = "downloading",
    }
}

model! {
    /// An image (`/v1/images/{mediaId}`), also as embedded in an ad's image list.
    pub struct Image {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Image id (a UUID).
        media_id: String = "mediaId",
        /// Deprecated by the API in favour of `mediaId`.
        image_id: i64 = "imageId",
        /// Download state.
        status: ImageStatus = "status" [always],
    }
}

impl Image {
    /// `mediaId`, or the deprecated `imageId` as a string.
    pub fn id(&self) -> Option<String> {
        self.media_id.clone().or_else(|| self.image_id.map(|i| i.to_string()))
    }
    /// Whether the image is downloaded (`status` is `available`).
    pub fn is_available(&self) -> bool {
        self.status == Some(ImageStatus::Available)
    }
}

model! {
    /// A feature of an advertisement or a user (`dagtopper`, `bedrijfsprofilering`...).
    pub struct Feature {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Feature name (`omhoogplaatsen`, `dagtopper`, `bedrijfsprofilering`, ...).
        name: String = "name" [always],
        /// Euro cents, VAT included.
        price: i64 = "price" [always],
        /// Whether the feature is active.
        active: bool = "active" [always],
        /// Whether it can be bought.
        available: bool = "available" [always],
    }
}

model! {
    /// A feature bought for an advertisement.
    pub struct PurchasedFeature {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Feature name.
        name: String = "name",
        /// When it was bought, as sent.
        purchase_date: String = "purchaseDate",
    }
}

model! {
    /// An order (buying a feature, renewing an ad). Products are embedded.
    pub struct Order {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Order id.
        order_id: i64 = "orderId" [always],
        /// `new`, `payment required`, `paid`, `refused`, `closed`, ... as sent.
        status: String = "status" [always],
        /// Total in euro cents.
        price: i64 = "price" [always],
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
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Product id (a number or a string).
        product_id: IntOrString = "productId",
        /// What was bought (`dagtopper`).
        description: String = "description",
        /// Euro cents; the docs show it as a string.
        price: IntOrString = "price",
    }
}

model! {
    /// The bidder of a bid.
    pub struct Bidder {
        /// User id of the bidder.
        id: i64 = "id" [always],
        /// Public name of the bidder.
        nick_name: String = "nickName" [always],
    }
}

model! {
    /// A bid on an advertisement. The field table names the id `bidId`, the example `id`: both
    /// are read (see [`Bid::id`]).
    pub struct Bid {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Bid id, as the field table names it.
        bid_id: i64 = "bidId",
        /// Bid id, as the example names it.
        id: i64 = "id",
        /// Euro cents.
        amount: i64 = "amount" [always],
        /// When the bid was placed (ISO 8601, as sent).
        place_date: String = "placeDate",
        /// Who bid.
        bidder: Bidder = "bidder" [always],
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
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Transaction id (read-only).
        transaction_id: i64 = "transactionId" [always],
        /// User id of the buyer.
        buyer_id: i64 = "buyerId" [always, required],
        /// Euro cents.
        amount: i64 = "amount" [always, required],
        /// Euro cents.
        shipping_costs: i64 = "shippingCosts" [always, required],
        /// `CREATED`, `COMPLETED`, `CANCELLED`, ... as sent.
        status: String = "status" [always],
    }
}

model! {
    /// The result of a postcode lookup (`/v1/locations?postcode=`).
    pub struct PostcodeLocation {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// The postcode.
        postcode: String = "postcode" [always],
        /// Street.
        street: String = "street",
        /// City.
        city: String = "city" [always],
        /// Province.
        province: String = "province",
        /// Province code.
        province_short_code: String = "provinceShortCode",
    }
}

model! {
    /// One field problem of an API error.
    pub struct ApiErrorDetail {
        /// The field at fault.
        field: String = "field",
        /// The fields at fault, when several.
        fields: Vec<String> = "fields",
        /// What is wrong (`input-too-long`, `missing-required-field`, ...).
        code: String = "code",
        /// What is wrong, in words.
        message: String = "message",
        /// A limit or pattern that applies (the maximum length, say).
        value: Value = "value",
    }
}

model! {
    /// An error body (`{code, message, logref, details[]}`). The client turns these into
    /// [`crate::Error`]s; the model is for callers that read raw bodies.
    pub struct ApiErrorBody {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Error code (`validation-failure`, `conflicting-state`, ...).
        code: String = "code",
        /// Message in the language of `Accept-Language`.
        message: String = "message",
        /// Opaque id of the failure, to quote to support.
        logref: String = "logref",
        /// Field problems.
        details: Vec<ApiErrorDetail> = "details",
    }
}

open_enum! {
    /// `eventType` of a webhook.
    pub enum EventType {
        /// `BidPlacedEvent`: a bid was placed on an ad.
        BidPlaced = "BidPlacedEvent",
        /// `BidClosedEvent`: a bid was closed.
        BidClosed = "BidClosedEvent",
        /// `AsqCreatedEvent`: a buyer asked the seller a question.
        AsqCreated = "AsqCreatedEvent",
        /// `transactionStatusChanged`: a payment transaction changed status.
        TransactionStatusChanged = "transactionStatusChanged",
    }
}

model! {
    /// A webhook delivery. Fields are in the documented order, so encoding one gives the bytes
    /// the docs sign in their example.
    pub struct WebhookEvent {
        /// Unique per event: deliveries are at least once, de-duplicate on it.
        id: String = "id" [always],
        /// What happened.
        event_type: EventType = "eventType" [always],
        /// ISO 8601, as sent.
        created: String = "created" [always],
        /// Depends on the event type.
        event_data: Value = "eventData" [always],
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
    }
}
