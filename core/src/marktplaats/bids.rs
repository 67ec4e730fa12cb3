//! Bids on an advertisement, and asking a bidder a question.

use reqwest::Method;
use serde_json::Value;

use super::ads::ad_path;
use super::Client;
use super::models::{decode, Bid, Collection};
use super::validate::check_phone;
use super::id;
use crate::error::{Error, Result};

/// `client.bids()`.
pub struct Bids<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Bids on advertisements.
    pub fn bids(&self) -> Bids<'_> {
        Bids { client: self }
    }
}

impl Bids<'_> {

    /// `GET /v1/advertisements/{itemId}/bids`.
    pub async fn list(&self, item_id: &str) -> Result<Collection> {
        decode(self.client.get_value(format!("{}/bids", ad_path(item_id)?)).await?)
    }
    /// `GET /v1/advertisements/{itemId}/bids/{bidId}`.
    pub async fn get(&self, item_id: &str, bid_id: i64) -> Result<Bid> {
        decode(self.client.get_value(bid_path(item_id, bid_id)?).await?)
    }
    /// `DELETE /v1/advertisements/{itemId}/bids/{bidId}` (bid owner or ad owner).
    pub async fn delete(&self, item_id: &str, bid_id: i64) -> Result<Value> {
        self.client.delete_value(bid_path(item_id, bid_id)?).await
    }
    /// `POST .../bids/{bidId}/actions/ask-bidder-question` with `{message, phoneNumber}`: e-mails
    /// the bidder. The phone number follows the documented rules
    /// ([`check_phone`]): invalid input for `phone_number`
    /// otherwise, and for `message` when it is blank.
    pub async fn ask_bidder_question(&self, item_id: &str, bid_id: i64, message: &str, phone_number: &str) -> Result<Value> {
        if message.trim().is_empty() {
            return Err(Error::invalid_input("message", "must not be empty"));
        }
        check_phone("phone_number", phone_number)?;
        let path = format!("{}/actions/ask-bidder-question", bid_path(item_id, bid_id)?);
        let body = serde_json::json!({"message": message, "phoneNumber": phone_number});
        self.client.send_json(Method::POST, path, &body).await?.json()
    }
}

fn bid_path(item_id: &str, bid_id: i64) -> Result<String> {
    Ok(format!("{}/bids/{}", ad_path(item_id)?, id("bid_id", bid_id)?))
}
