//! `/v1/advertisements`: create, read, replace, patch, delete, renew; statistics and fitments.

use reqwest::Method;
use serde_json::Value;

use super::models::{decode, encode, AdStatistics, Advertisement, Collection, Order};
use super::validate::{check_ad, check_ad_patch_values, AdUse};
use super::{insert, pay_body, patching, seg, Client};
use crate::error::Result;
use crate::transport::Request;

/// `client.ads()`.
pub struct Ads<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Advertisements and what hangs off them.
    pub fn ads(&self) -> Ads<'_> {
        Ads { client: self }
    }
}

pub(crate) fn ad_path(item_id: &str) -> Result<String> {
    Ok(format!("/v1/advertisements/{}", seg("item_id", item_id)?))
}

impl Ads<'_> {
    /// `POST /v1/advertisements` → the created ad with its `itemId` (from `Location`). When the
    /// server answers without a body the ad is read back; if that read fails the call still
    /// succeeds, with the ad as sent plus its `itemId` (a warning is logged).
    ///
    /// # Errors
    ///
    /// Invalid input, before anything is sent, for `title` (not 3 to 60 characters),
    /// `priceModel.<field>` (a missing `modelType`, an amount that is not whole non-negative
    /// cents, a field the model does not allow, a `fixed` price without `askingPrice`),
    /// `locale` (not allowed on the platform; code `invalid-locale`), `categoryId` (not a
    /// positive number) or `translations[i].title` / `.locale`; a validation error with the
    /// server's `details`; otherwise the errors of any call. A POST that may have reached the
    /// server is not repeated: check [`Error::outcome_unknown`](crate::Error::outcome_unknown).
    pub async fn create(&self, ad: &Advertisement) -> Result<Advertisement> {
        decode(self.create_value(encode(ad)?).await?)
    }

    /// [`Ads::create`] on JSON. On 2dehands/2ememain an ad without `locale` gets the client's
    /// `locale` setting, when there is one.
    pub async fn create_value(&self, mut ad: Value) -> Result<Value> {
        let platform = self.client.platform();
        check_ad(platform, &ad, AdUse::Create)?;
        if platform.has_entity_locale() && ad.get("locale").is_none_or(Value::is_null) {
            if let Some(l) = self.client.locale() {
                insert(&mut ad, "locale", l.as_str());
            }
        }
        let (mut created, item_id) = self.client.create("/v1/advertisements".to_owned(), &ad, None).await?;
        if created.get("itemId").is_none() {
            if let Some(id) = item_id {
                insert(&mut created, "itemId", id);
            }
        }
        Ok(created)
    }

    /// `GET /v1/advertisements/{itemId}` (own ads only).
    ///
    /// # Errors
    ///
    /// Invalid input for `item_id` (empty, or with a slash, a control character or only dots); `advertisement-not-found` (404) for an unknown ad.
    pub async fn get(&self, item_id: &str) -> Result<Advertisement> {
        decode(self.get_value(item_id).await?)
    }
    /// [`Ads::get`] on JSON: the ad as received.
    pub async fn get_value(&self, item_id: &str) -> Result<Value> {
        self.client.get_value(ad_path(item_id)?).await
    }

    /// `PUT /v1/advertisements/{itemId}` with the complete representation. Only fields the API
    /// marks updateable change. An empty answer is followed by a read, as for
    /// [`Ads::create`].
    ///
    /// # Errors
    ///
    /// Invalid input for `item_id` (empty, or with a slash, a control character or only dots), or for the ad's fields as [`Ads::create`] checks them; otherwise
    /// the errors of any call.
    pub async fn replace(&self, item_id: &str, ad: &Advertisement) -> Result<Advertisement> {
        decode(self.replace_value(item_id, encode(ad)?).await?)
    }
    /// [`Ads::replace`] on JSON.
    pub async fn replace_value(&self, item_id: &str, ad: Value) -> Result<Value> {
        check_ad(self.client.platform(), &ad, AdUse::Replace)?;
        let req = Request::new(Method::PUT, ad_path(item_id)?).json(&ad)?;
        let mut known = ad;
        insert(&mut known, "itemId", item_id);
        self.client.update(req, known).await
    }

    /// `PATCH /v1/advertisements/{itemId}` with JSON Patch operations (`add`, `remove`,
    /// `replace` only: others are refused with `invalid-patch-operation`). Retried after a
    /// failure only when every operation is safe to repeat.
    ///
    /// # Errors
    ///
    /// Invalid input for `item_id` (empty, or with a slash, a control character or only dots); for `ops[i]...` with the code `invalid-patch` (not a JSON Patch)
    /// or `invalid-patch-operation` (`move`, `copy`, `test`); for `title`, `priceModel.<field>`
    /// or `locale` when an `add` or `replace` writes a value the create checks would refuse;
    /// `conflicting-state` (409) when the server cannot apply the patch.
    pub async fn patch(&self, item_id: &str, ops: &Value) -> Result<Advertisement> {
        decode(self.patch_value(item_id, ops).await?)
    }
    /// [`Ads::patch`] on JSON.
    pub async fn patch_value(&self, item_id: &str, ops: &Value) -> Result<Value> {
        let path = ad_path(item_id)?;
        let checked = patching::checked(ops)?;
        check_ad_patch_values(self.client.platform(), ops)?;
        self.client.update(patching::request(path, &checked)?, serde_json::json!({ "itemId": item_id })).await
    }

    /// PATCH the differences between `old` and `new` (HAL `_links`/`_embedded` ignored). With
    /// no difference nothing is sent and the ad is read back. `new` is checked as for
    /// [`Ads::replace`]; the patch holds only `add`, `remove` and `replace`.
    pub async fn update_from(&self, item_id: &str, old: &Advertisement, new: &Advertisement) -> Result<Advertisement> {
        decode(self.update_from_value(item_id, &encode(old)?, &encode(new)?).await?)
    }
    /// [`Ads::update_from`] on JSON.
    pub async fn update_from_value(&self, item_id: &str, old: &Value, new: &Value) -> Result<Value> {
        check_ad(self.client.platform(), new, AdUse::Replace)?;
        let ops = patching::diff_ads(old, new)?;
        if ops.as_array().is_some_and(Vec::is_empty) {
            return self.get_value(item_id).await;
        }
        self.patch_value(item_id, &ops).await
    }

    /// `DELETE /v1/advertisements/{itemId}`. Invalid input for `item_id` (empty, or with a slash, a control character or only dots).
    pub async fn delete(&self, item_id: &str) -> Result<()> {
        self.client.delete_value(ad_path(item_id)?).await.map(|_| ())
    }

    /// `POST /v1/advertisements/{itemId}/renew` (`{"pay": true}`, `orderId` when given) → the order.
    /// Possible only shortly before the ad expires (see
    /// [`Advertisement::renewal_possible`]); otherwise the server refuses it
    /// (`invalid-expiration`, `extension-not-supported`).
    pub async fn renew(&self, item_id: &str, order_id: Option<i64>) -> Result<Order> {
        decode(self.renew_value(item_id, order_id).await?)
    }
    /// [`Ads::renew`] on JSON.
    pub async fn renew_value(&self, item_id: &str, order_id: Option<i64>) -> Result<Value> {
        let path = format!("{}/renew", ad_path(item_id)?);
        Ok(self.client.create(path, &pay_body(order_id), None).await?.0)
    }

    /// `GET /v1/advertisements/{itemId}/statistics`.
    pub async fn statistics(&self, item_id: &str) -> Result<AdStatistics> {
        decode(self.client.get_value(format!("{}/statistics", ad_path(item_id)?)).await?)
    }

    /// `GET /v1/advertisements/{itemId}/fitments` (or `.../fitments/ktype`).
    pub async fn fitments(&self, item_id: &str, by_ktype: bool) -> Result<Value> {
        let suffix = if by_ktype { "fitments/ktype" } else { "fitments" };
        self.client.get_value(format!("{}/{suffix}", ad_path(item_id)?)).await
    }

    /// `GET /v1/advertisements`: the collection resource (links only).
    pub async fn collection(&self) -> Result<Collection> {
        decode(self.client.get_value("/v1/advertisements".to_owned()).await?)
    }
}
