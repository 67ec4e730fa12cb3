//! Features of an advertisement: list, one, buy, and those already purchased.

use serde_json::Value;

use super::ads::ad_path;
use super::models::{decode, Collection, Feature, Order};
use super::{pay_body, seg, Client};
use crate::error::Result;

/// `client.features()`.
pub struct Features<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Paid features of advertisements (`dagtopper`, `omhoogplaatsen`, ...).
    pub fn features(&self) -> Features<'_> {
        Features { client: self }
    }
}

fn feature_path(item_id: &str, name: &str) -> Result<String> {
    Ok(format!("{}/features/{}", ad_path(item_id)?, seg("name", name)?))
}

impl Features<'_> {
    /// `GET /v1/advertisements/{itemId}/features`.
    pub async fn list(&self, item_id: &str) -> Result<Collection> {
        decode(self.client.get_value(format!("{}/features", ad_path(item_id)?)).await?)
    }
    /// `GET /v1/advertisements/{itemId}/features/{featureName}`.
    pub async fn get(&self, item_id: &str, name: &str) -> Result<Feature> {
        decode(self.client.get_value(feature_path(item_id, name)?).await?)
    }
    /// `POST .../features/{featureName}/buy-feature` with `{"pay": true}` → the order (paid by
    /// invoice; activation may take minutes). Invalid input for `item_id` or `name` when empty
    /// or with a slash, a control character or only dots; the server refuses a feature the ad
    /// cannot have (`feature-not-allowed`, `invalid-feature-type`).
    pub async fn buy(&self, item_id: &str, name: &str, order_id: Option<i64>) -> Result<Order> {
        decode(self.buy_value(item_id, name, order_id).await?)
    }
    /// [`Features::buy`] on JSON.
    pub async fn buy_value(&self, item_id: &str, name: &str, order_id: Option<i64>) -> Result<Value> {
        let path = format!("{}/buy-feature", feature_path(item_id, name)?);
        Ok(self.client.create(path, &pay_body(order_id), None).await?.0)
    }
    /// `GET /v2/advertisements/{itemId}/purchased-features`.
    pub async fn purchased(&self, item_id: &str) -> Result<Collection> {
        let path = ad_path(item_id)?.replacen("/v1/", "/v2/", 1);
        decode(self.client.get_value(format!("{path}/purchased-features")).await?)
    }
}
