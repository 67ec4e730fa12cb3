//! `/v1/advertisements`: create, read, replace, patch, delete, renew; statistics and fitments;
//! validation of an ad against its category and the field flags before anything is sent.

use reqwest::Method;
use serde_json::Value;

use super::flags::{self, detail, refusal};
use super::models::{decode, encode, AdStatistics, Advertisement, Collection, Order};
use super::validate::{against_category, check_ad, check_ad_patch_values, members, AdUse};
use super::{insert, pay_body, patching, seg, Client};
use crate::error::Result;
use crate::transport::Request;

/// `client.ads()`.
pub struct Ads<'a> {
    pub(crate) client: &'a Client,
    /// This call's choice of validation (`None`: the client's).
    validate: Option<bool>,
}

impl Client {
    /// Advertisements and what hangs off them.
    pub fn ads(&self) -> Ads<'_> {
        Ads { client: self, validate: None }
    }
}

pub(crate) fn ad_path(item_id: &str) -> Result<String> {
    Ok(format!("/v1/advertisements/{}", seg("item_id", item_id)?))
}

impl Ads<'_> {
    /// The same calls with validation against the category on or off, whatever the client's
    /// `validate` setting says (`client.ads().with_validation(false).create(&ad)`).
    pub fn with_validation(self, on: bool) -> Self {
        Ads { validate: Some(on), ..self }
    }
    /// [`Ads::with_validation`] when `on` is given; the client's setting otherwise.
    pub fn with_validation_opt(self, on: Option<bool>) -> Self {
        Ads { validate: on.or(self.validate), ..self }
    }
    fn validating(&self) -> bool {
        self.validate.unwrap_or_else(|| self.client.validates())
    }

    /// Check an ad as [`Ads::create`] would before placing it, sending nothing but the reads of
    /// its category (kept per client): the documented field rules (see [`Ads::create`]), every
    /// required member present (`title`, `categoryId`, `priceModel`, `location.postcode`,
    /// `description` or `translations`), `categoryId` a leaf category open for new ads, its
    /// mandatory attributes present, each attribute's value within its allowed values, of its
    /// type, range and length, and no attribute that is not `writable`. Members the server
    /// manages (`itemId`, `seller`, ...) are ignored, as `create` leaves them out.
    ///
    /// # Errors
    ///
    /// Invalid input with one detail per problem, each naming its field (the attribute's key,
    /// `attributes[2].value` in an `attributes` array, `location.postcode`); the first is the
    /// error's `field`. The errors of reading the category otherwise.
    pub async fn validate(&self, ad: &Advertisement) -> Result<()> {
        self.validate_value(&encode(ad)?).await
    }
    /// [`Ads::validate`] on JSON.
    pub async fn validate_value(&self, ad: &Value) -> Result<()> {
        check_ad(self.client.platform(), ad, AdUse::Create)?;
        let mut ad = ad.clone();
        flags::strip_server_managed(&mut ad);
        against_category(self.client, members(&ad)?, None).await
    }

    /// `POST /v1/advertisements` → the created ad with its `itemId` (from `Location`). When the
    /// server answers without a body the ad is read back; if that read fails the call still
    /// succeeds, with the ad as sent plus its `itemId` (a warning is logged).
    ///
    /// Members the server manages (`itemId`, `seller`, `startDate`, `closeDate`,
    /// `renewalPossible`, `location.cityName`, `_links`, `_embedded`) are left out of what is
    /// sent, so an ad read back can be placed again. With validation on (the default) the ad is
    /// first checked against its category as [`Ads::validate`] does, and nothing is sent when it
    /// fails.
    ///
    /// # Errors
    ///
    /// Invalid input, before anything is sent, for `title` (not 3 to 60 characters),
    /// `priceModel.<field>` (a missing `modelType`, an amount that is not whole non-negative
    /// cents, a field the model does not allow, a `fixed` price without `askingPrice`),
    /// `locale` (not allowed on the platform; code `invalid-locale`), `categoryId` (not a
    /// positive number) or `translations[i].title` / `.locale`; with validation, the problems
    /// [`Ads::validate`] finds; a validation error with the server's `details`; otherwise the
    /// errors of any call. A POST that may have reached the server is not repeated: check
    /// [`Error::outcome_unknown`](crate::Error::outcome_unknown).
    pub async fn create(&self, ad: &Advertisement) -> Result<Advertisement> {
        decode(self.create_value(encode(ad)?).await?)
    }

    /// [`Ads::create`] on JSON. On 2dehands/2ememain an ad without `locale` gets the client's
    /// `locale` setting, when there is one.
    pub async fn create_value(&self, mut ad: Value) -> Result<Value> {
        let platform = self.client.platform();
        check_ad(platform, &ad, AdUse::Create)?;
        flags::strip_server_managed(&mut ad);
        if self.validating() {
            against_category(self.client, members(&ad)?, None).await?;
        }
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

    /// `PUT /v1/advertisements/{itemId}` with the complete representation. Members the server
    /// manages are sent as given (the docs' own example carries them; the server keeps its
    /// values), but an `itemId` other than `item_id` is refused. With validation on (the
    /// default) the ad on the server is read first: a change to a member set on create only
    /// (`categoryId`) or to an attribute that is not `updateable` is refused, and the new ad is
    /// checked against its category as [`Ads::validate`] does. An empty answer is followed by a
    /// read, as for [`Ads::create`].
    ///
    /// # Errors
    ///
    /// Invalid input for `item_id` (empty, or with a slash, a control character or only dots),
    /// `itemId`, or the ad's fields as [`Ads::create`] checks them; with validation, the changes
    /// above (code `not-updateable`); otherwise the errors of any call.
    pub async fn replace(&self, item_id: &str, ad: &Advertisement) -> Result<Advertisement> {
        decode(self.replace_value(item_id, encode(ad)?).await?)
    }
    /// [`Ads::replace`] on JSON.
    pub async fn replace_value(&self, item_id: &str, ad: Value) -> Result<Value> {
        check_ad(self.client.platform(), &ad, AdUse::Replace)?;
        let path = ad_path(item_id)?;
        if let Some(given) = ad.get("itemId").filter(|v| !v.is_null()) {
            if given.as_str() != Some(item_id) {
                return refusal(vec![detail("itemId", "not-updateable", format!("is {given} but the ad replaced is {item_id:?}: an ad's id cannot change"))])
                    .map(|()| Value::Null);
            }
        }
        if self.validating() {
            let current = self.get_value(item_id).await?;
            against_category(self.client, members(&ad)?, Some(members(&current)?)).await?;
        }
        let req = Request::new(Method::PUT, path).json(&ad)?;
        let mut known = ad;
        insert(&mut known, "itemId", item_id);
        self.client.update(req, known).await
    }

    /// `PATCH /v1/advertisements/{itemId}` with JSON Patch operations (`add`, `remove`,
    /// `replace` only: others are refused with `invalid-patch-operation`). Retried after a
    /// failure only when every operation is safe to repeat. An operation on a member the
    /// server manages (`/itemId`, `/seller/...`, `/location/cityName`...), a change of one set on
    /// create only (`/categoryId`), the removal of a required one, or one replacing the whole ad
    /// is refused. With validation on (the default), a patch that writes category attributes
    /// (members the ad does not declare, or `/attributes`) reads the ad first and checks the
    /// result against its category, attributes that are not `updateable` included.
    ///
    /// # Errors
    ///
    /// Invalid input for `item_id` (empty, or with a slash, a control character or only dots); for `ops[i]...` with the code `invalid-patch` (not a JSON Patch)
    /// or `invalid-patch-operation` (`move`, `copy`, `test`); for `title`, `priceModel.<field>`
    /// or `locale` when an `add` or `replace` writes a value the create checks would refuse;
    /// for the member an operation may not touch (detail code `not-updateable` or
    /// `missing-required-field`); with validation, the problems of the result;
    /// `conflicting-state` (409) when the server cannot apply the patch.
    pub async fn patch(&self, item_id: &str, ops: &Value) -> Result<Advertisement> {
        decode(self.patch_value(item_id, ops).await?)
    }
    /// [`Ads::patch`] on JSON.
    pub async fn patch_value(&self, item_id: &str, ops: &Value) -> Result<Value> {
        let path = ad_path(item_id)?;
        let checked = patching::checked(ops)?;
        check_ad_patch_values(self.client.platform(), ops)?;
        flags::check_patch(&checked)?;
        let writes_attributes = checked.iter().any(|op| op.path().tokens().first().is_some_and(|t| !flags::is_declared(t)));
        if self.validating() && writes_attributes {
            let current = self.get_value(item_id).await?;
            // A patch that does not apply here is the server's to refuse (409), as without validation.
            if let Ok(next) = crate::patch::apply(&current, &checked) {
                against_category(self.client, members(&next)?, Some(members(&current)?)).await?;
            }
        }
        self.send_patch(item_id, path, &checked).await
    }

    async fn send_patch(&self, item_id: &str, path: String, ops: &[crate::patch::Operation]) -> Result<Value> {
        self.client.update(patching::request(path, ops)?, serde_json::json!({ "itemId": item_id })).await
    }

    /// PATCH the differences between `old` (the ad as read with [`Ads::get`]) and `new`. Members
    /// the server manages (`itemId`, `seller`, `startDate`, `closeDate`, `renewalPossible`,
    /// `location.cityName`, HAL `_links` and `_embedded`) are left out of the diff; a change of
    /// a member set on create only (`categoryId`) is refused. With no difference nothing is
    /// sent and the ad is read back. `new` is checked as for [`Ads::replace`], and with
    /// validation on (the default) against its category, with `old` as the ad on the server
    /// (an attribute that is not `updateable` may not change); the patch holds only `add`,
    /// `remove` and `replace`.
    pub async fn update_from(&self, item_id: &str, old: &Advertisement, new: &Advertisement) -> Result<Advertisement> {
        decode(self.update_from_value(item_id, &encode(old)?, &encode(new)?).await?)
    }
    /// [`Ads::update_from`] on JSON.
    pub async fn update_from_value(&self, item_id: &str, old: &Value, new: &Value) -> Result<Value> {
        check_ad(self.client.platform(), new, AdUse::Replace)?;
        let path = ad_path(item_id)?;
        let (mut old, mut new) = (old.clone(), new.clone());
        flags::strip_server_managed(&mut old);
        flags::strip_server_managed(&mut new);
        let (old_members, new_members) = (members(&old).map_err(|e| e.rename_fields(|_| Some("old_ad".into())))?, members(&new)?);
        refusal(flags::create_only_changes(old_members, new_members))?;
        if self.validating() {
            against_category(self.client, new_members, Some(old_members)).await?;
        }
        let ops = patching::diff_ads(&old, &new)?;
        if ops.as_array().is_some_and(Vec::is_empty) {
            return self.get_value(item_id).await;
        }
        let checked = patching::checked(&ops)?;
        self.send_patch(item_id, path, &checked).await
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
