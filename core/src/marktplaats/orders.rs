//! Orders and their products; postcode lookups (`client.locations()`); the API root.

use super::models::{decode, Collection, Order, OrderProduct, PostcodeLocation};
use super::{id, Client};
use crate::error::{Error, Result};

/// `client.orders()`.
pub struct Orders<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Orders created by buying features and renewing ads.
    pub fn orders(&self) -> Orders<'_> {
        Orders { client: self }
    }

    /// Postcode lookups.
    pub fn locations(&self) -> Locations<'_> {
        Locations { client: self }
    }

    /// `GET /v1`: the root resource (links).
    pub async fn root(&self) -> Result<Collection> {
        decode(self.get_value("/v1".to_owned()).await?)
    }
}

/// `client.locations()`.
pub struct Locations<'a> {
    pub(crate) client: &'a Client,
}

impl Locations<'_> {
    /// `GET /v1/locations?postcode=` → street, city and province of a postcode.
    pub async fn by_postcode(&self, postcode: &str) -> Result<PostcodeLocation> {
        decode(self.by_postcode_value(postcode).await?)
    }
    /// [`Locations::by_postcode`] as JSON. Invalid input for `postcode` unless it is 1 to 6
    /// letters and digits (spaces are dropped); `location-not-found` (404) for an unknown one.
    pub async fn by_postcode_value(&self, postcode: &str) -> Result<serde_json::Value> {
        let pc: String = postcode.chars().filter(|c| !c.is_whitespace()).collect();
        if pc.is_empty() || pc.len() > 6 || !pc.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid_input("postcode", format!("{postcode:?} is not a postcode (like 1097DN)")));
        }
        self.client.get_query("/v1/locations".to_owned(), vec![("postcode".to_owned(), pc)]).await
    }
}

impl Orders<'_> {
    /// `GET /v1/orders/{orderId}` with its products embedded.
    pub async fn get(&self, order_id: i64) -> Result<Order> {
        decode(self.client.get_value(format!("/v1/orders/{}", id("order_id", order_id)?)).await?)
    }
    /// `GET /v1/orders/{orderId}/products`.
    pub async fn products(&self, order_id: i64) -> Result<Collection> {
        decode(self.client.get_value(format!("/v1/orders/{}/products", id("order_id", order_id)?)).await?)
    }
    /// `GET /v1/orders/{orderId}/products/{productId}`.
    pub async fn product(&self, order_id: i64, product_id: i64) -> Result<OrderProduct> {
        let path = format!("/v1/orders/{}/products/{}", id("order_id", order_id)?, id("product_id", product_id)?);
        decode(self.client.get_value(path).await?)
    }
}
