//! Third-party payment transactions of an advertisement ("work in progress" in the API).

use serde_json::Value;

use super::ads::ad_path;
use super::Client;
use super::models::{decode, Collection, Transaction};
use super::validate::check_cents;
use super::id;
use crate::error::{Error, Result};

/// `client.transactions()`.
pub struct Transactions<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Third-party payment transactions of advertisements.
    pub fn transactions(&self) -> Transactions<'_> {
        Transactions { client: self }
    }
}

impl Transactions<'_> {

    /// `GET /v1/advertisements/{itemId}/transactions`.
    pub async fn list(&self, item_id: &str) -> Result<Collection> {
        decode(self.client.get_value(format!("{}/transactions", ad_path(item_id)?)).await?)
    }
    /// `GET /v1/advertisements/{itemId}/transactions/{transactionId}`.
    pub async fn get(&self, item_id: &str, transaction_id: i64) -> Result<Transaction> {
        let path = format!("{}/transactions/{}", ad_path(item_id)?, id("transaction_id", transaction_id)?);
        decode(self.client.get_value(path).await?)
    }
    /// `POST /v1/advertisements/{itemId}/transactions` with `{buyerId, amount, shippingCosts}`
    /// (`amount` and `shipping_costs` in euro cents).
    ///
    /// # Errors
    ///
    /// Invalid input for `buyerId` (not positive), `amount` or `shippingCosts` (negative);
    /// `advertisement-not-found` (404), `validation-failure` (400) from the server.
    pub async fn create(&self, item_id: &str, buyer_id: i64, amount: i64, shipping_costs: i64) -> Result<Transaction> {
        let body = serde_json::json!({"buyerId": buyer_id, "amount": amount, "shippingCosts": shipping_costs});
        decode(self.create_value(item_id, body).await?)
    }
    /// [`Transactions::create`] on a JSON body. Invalid input for `transaction` (not an object),
    /// `buyerId` (missing or not a positive number), `amount` or `shippingCosts` (missing, or
    /// not whole non-negative cents).
    pub async fn create_value(&self, item_id: &str, body: Value) -> Result<Value> {
        let Some(obj) = body.as_object() else { return Err(Error::invalid_input("transaction", "must be an object")) };
        match obj.get("buyerId") {
            Some(v) if v.as_i64().is_some_and(|i| i > 0) => {}
            Some(_) => return Err(Error::invalid_input("buyerId", "must be a positive user id")),
            None => return Err(Error::invalid_input("buyerId", "is required")),
        }
        for key in ["amount", "shippingCosts"] {
            check_cents(key, obj.get(key).ok_or_else(|| Error::invalid_input(key, "is required"))?)?;
        }
        Ok(self.client.create(format!("{}/transactions", ad_path(item_id)?), &body, None).await?.0)
    }
}
