//! Operations by name, for the Python and Node bindings: the only entry they use.
//!
//! A binding converts its arguments to one JSON object (snake_case names) and calls [`call`]
//! (an operation of a client), [`list`] (a lazily paged list) or [`call_static`] (no client).
//! Results are the API's JSON as sent, HAL `_links`/`_embedded` included. Every argument check
//! happens here or below, with the argument's name in the error.
//!
//! ## `call(client, op, args)`
//!
//! | op | args | result |
//! |---|---|---|
//! | `authorization_url` | `redirect_uri, scopes?: [str], state?` | `{url, state}` |
//! | `exchange_code` | `code, redirect_uri` | token set (secrets included: persist it) |
//! | `authenticate_client` | `scopes: [str]` | token set |
//! | `authenticate` | – | `null` (a valid token is at hand) |
//! | `resolve_locale` | `locale?` | `"nl-BE"`… (entity, client preference, host default) |
//! | `root` | – | `GET /v1` |
//! | `ads.collection` | – | `GET /v1/advertisements` |
//! | `ads.create` | `ad` | created ad incl. `itemId` |
//! | `ads.get` | `item_id` | ad |
//! | `ads.replace` | `item_id, ad` | ad (PUT) |
//! | `ads.patch` | `item_id, ops` | ad (PATCH; add/remove/replace only) |
//! | `ads.update_from` | `item_id, old, new` | ad (PATCH of the diff) |
//! | `ads.delete` | `item_id` | `null` |
//! | `ads.renew` | `item_id, order_id?` | order |
//! | `ads.statistics` | `item_id` | statistics |
//! | `ads.fitments` | `item_id, ktype?: bool` | fitments |
//! | `images.list` | `item_id` | images of the ad |
//! | `images.add` | `item_id, urls: [str], replace_all?: bool (false)` | placeholders (202) |
//! | `images.get` | `media_id` | image |
//! | `images.wait_until_available` | `media_id, timeout?: s (60), interval?: s (0.5)` | image |
//! | `images.meta` | `media_id, size` | metadata |
//! | `categories.list` | `category_id?` | tree (or one category) |
//! | `categories.get` | `l1_category_id, l2_category_id?` | category |
//! | `categories.attributes` | `l1_category_id, l2_category_id` | attribute definitions |
//! | `categories.fees` | `l1_category_id, l2_category_id` | fees |
//! | `features.list` | `item_id` | features |
//! | `features.get` | `item_id, name` | feature |
//! | `features.buy` | `item_id, name, order_id?` | order |
//! | `features.purchased` | `item_id` | purchased features (v2) |
//! | `transactions.list` | `item_id` | transactions |
//! | `transactions.get` | `item_id, transaction_id` | transaction |
//! | `transactions.create` | `item_id, transaction: {buyerId, amount, shippingCosts}` | transaction |
//! | `bids.list` | `item_id` | bids |
//! | `bids.get` | `item_id, bid_id` | bid |
//! | `bids.delete` | `item_id, bid_id` | body of the answer |
//! | `bids.ask_bidder_question` | `item_id, bid_id, message, phone_number` | body of the answer |
//! | `upcalls.confirm` | `item_id, confirmation` | `null` (client credentials, `confirm_upcall`) |
//! | `users.me` | – | current user (the 302 followed) |
//! | `users.get` | `user_id` | user |
//! | `users.collection` | – | `GET /v1/users` |
//! | `users.create` | `user` | user (client credentials, `create_account`) |
//! | `users.change_email` | `user_id, new_email` | confirmation message |
//! | `users.ads_page` | `user_id, offset?, limit?` | one page (offset a multiple of limit) |
//! | `users.brands` | `user_id` | brands |
//! | `users.profile` | `user_id` | profile |
//! | `users.replace_profile` | `user_id, profile` | profile (PUT) |
//! | `users.patch_profile` | `user_id, ops` | profile (PATCH) |
//! | `users.profile_image.get` | `user_id, kind: profile\|backdrop\|logo` | image |
//! | `users.profile_image.add` | `user_id, kind, url` | image |
//! | `users.profile_image.delete` | `user_id, kind` | `null` |
//! | `users.reviews` | `user_id` | reviews |
//! | `users.review_settings` | `user_id` | settings |
//! | `users.replace_review_settings` | `user_id, settings` | settings (PUT) |
//! | `users.patch_review_settings` | `user_id, ops` | settings (PATCH) |
//! | `users.features` | `user_id` | user features |
//! | `users.buy_feature` | `user_id, name, order_id?` | order |
//! | `users.statistics` | `user_id` | statistics |
//! | `users.legal_status` | `user_id` | legal status (v2) |
//! | `orders.get` | `order_id` | order |
//! | `orders.products` | `order_id` | products |
//! | `orders.product` | `order_id, product_id` | product |
//! | `locations.by_postcode` | `postcode` | location |
//! | `search.page` | search args (below), `offset?` | one page |
//! | `request` | `method, path, json?` | decoded body or `null` |
//!
//! ## `list(client, op, args)` → [`Paginator`]
//!
//! | op | args |
//! |---|---|
//! | `users.ads` | `user_id?` (default: the current user), `limit?`, `page_size?` (1–100, 100) |
//! | `search` | `query?, category_id?, with_images?, search_description?, seller_id?, post_code?, distance?, sort_by?, sort_order?, locale?, page_size?` (1–200, 30), `limit?` (at most 5000) |
//!
//! ## `call_static(op, args)`
//!
//! | op | args | result |
//! |---|---|---|
//! | `authorization_url` | `client_id, redirect_uri, platform?, environment?, auth_base_url?, authorize_url?, scopes?, state?` | `{url, state}` |
//! | `locale.resolve` | `platform, entity_locale?, user_locale?` | `"nl-BE"`… |
//! | `verify_webhook` | `body: str, signature, secret` | `bool` |
//! | `parse_webhook` | `body: str` | the envelope |
//! | `sign_webhook` | `body: str, secret` | hex signature |
//!
//! A panic inside an operation becomes an `Internal` error, so it never unwinds into a host.

use std::time::Duration;

use serde_json::{json, Map, Value};

use super::search::SearchQuery;
use super::users::ProfileImageKind;
use super::{AuthorizationRequest, Client};
use crate::error::{Error, Result};
use crate::pagination::Paginator;

/// Run operation `op` with `args` (a JSON object) on `client`.
pub async fn call(client: &Client, op: &str, args: Value) -> Result<Value> {
    crate::panic_guard::catch(run(client, op, args)).await
}

/// A lazily paged list by name (see the module docs).
pub fn list(client: &Client, op: &str, args: Value) -> Result<Paginator> {
    let a = Args::new(args)?;
    match op {
        "users.ads" => client.users().ads(a.opt_i64("user_id")?, a.opt_u64("limit")?, a.opt_u64("page_size")?),
        "search" => client.search(&search_query(&a)?, a.opt_u64("limit")?),
        other => Err(Error::invalid_input("op", format!("unknown Marktplaats list {other:?} (users.ads, search)"))),
    }
}

/// Operations that need no client (see the module docs).
pub fn call_static(op: &str, args: Value) -> Result<Value> {
    let a = Args::new(args)?;
    match op {
        "authorization_url" => {
            let req = AuthorizationRequest {
                platform: a.opt_str("platform")?,
                environment: a.opt_str("environment")?,
                auth_base_url: a.opt_str("auth_base_url")?,
                authorize_url: a.opt_str("authorize_url")?,
                client_id: a.str("client_id")?,
                redirect_uri: a.str("redirect_uri")?,
                scopes: a.opt_strings("scopes")?,
                state: a.opt_str("state")?,
            };
            let (url, state) = super::authorization_url(&req)?;
            Ok(json!({"url": url, "state": state}))
        }
        "locale.resolve" => {
            let l = crate::locale::resolve(&a.str("platform")?, a.opt_str("entity_locale")?.as_deref(), a.opt_str("user_locale")?.as_deref())?;
            Ok(l.as_str().into())
        }
        "verify_webhook" => Ok(super::verify_webhook(a.str("body")?.as_bytes(), &a.str("signature")?, &a.str("secret")?).into()),
        "sign_webhook" => Ok(super::sign_webhook(a.str("body")?.as_bytes(), &a.str("secret")?).into()),
        "parse_webhook" => super::models::encode(&super::parse_webhook(a.str("body")?.as_bytes())?),
        other => Err(Error::invalid_input("op", format!("unknown Marktplaats operation {other:?}"))),
    }
}

fn search_query(a: &Args) -> Result<SearchQuery> {
    Ok(SearchQuery {
        query: a.opt_str("query")?,
        category_id: a.opt_i64("category_id")?,
        with_images: a.opt_bool("with_images")?,
        search_description: a.opt_bool("search_description")?,
        seller_id: a.opt_i64("seller_id")?,
        post_code: a.opt_str("post_code")?,
        distance: a.opt_u64("distance")?,
        sort_by: a.opt_str("sort_by")?,
        sort_order: a.opt_str("sort_order")?,
        locale: a.opt_str("locale")?,
        page_size: a.opt_u64("page_size")?,
        offset: a.opt_u64("offset")?,
    })
}

fn null<T>(_: T) -> Value {
    Value::Null
}

async fn run(client: &Client, op: &str, args: Value) -> Result<Value> {
    let a = Args::new(args)?;
    match op {
        "authorization_url" => {
            let scopes = a.opt_strings("scopes")?;
            let (url, state) = client.authorization_url(&a.str("redirect_uri")?, scopes.as_deref(), a.opt_str("state")?.as_deref())?;
            Ok(json!({"url": url, "state": state}))
        }
        "exchange_code" => Ok(client.exchange_code(&a.str("code")?, &a.str("redirect_uri")?).await?.to_json()),
        "authenticate_client" => Ok(client.authenticate_client(&a.strings("scopes")?).await?.to_json()),
        "authenticate" => client.authenticate().await.map(null),
        "resolve_locale" => Ok(client.resolve_locale(a.opt_str("locale")?.as_deref())?.as_str().into()),
        "root" => super::models::encode(&client.root().await?),

        "ads.collection" => client.get_value("/v1/advertisements".to_owned()).await,
        "ads.create" => client.ads().create_value(a.value("ad")?).await,
        "ads.get" => client.ads().get_value(&a.str("item_id")?).await,
        "ads.replace" => client.ads().replace_value(&a.str("item_id")?, a.value("ad")?).await,
        "ads.patch" => client.ads().patch_value(&a.str("item_id")?, &a.value("ops")?).await,
        "ads.update_from" => client.ads().update_from_value(&a.str("item_id")?, &a.value("old")?, &a.value("new")?).await,
        "ads.delete" => client.ads().delete(&a.str("item_id")?).await.map(null),
        "ads.renew" => client.ads().renew_value(&a.str("item_id")?, a.opt_i64("order_id")?).await,
        "ads.statistics" => super::models::encode(&client.ads().statistics(&a.str("item_id")?).await?),
        "ads.fitments" => client.ads().fitments(&a.str("item_id")?, a.opt_bool("ktype")?.unwrap_or(false)).await,

        "images.list" => super::models::encode(&client.images().list(&a.str("item_id")?).await?),
        "images.add" => {
            let urls = a.strings("urls")?;
            client.images().add_value(&a.str("item_id")?, &urls, a.opt_bool("replace_all")?.unwrap_or(false)).await
        }
        "images.get" => client.images().get_value(&a.str("media_id")?).await,
        "images.wait_until_available" => {
            let timeout = a.opt_seconds("timeout")?;
            let interval = a.opt_seconds("interval")?;
            client.images().wait_until_available_value(&a.str("media_id")?, timeout, interval).await
        }
        "images.meta" => client.images().meta(&a.str("media_id")?, &a.str("size")?).await,

        "categories.list" => client.categories().list_value(a.opt_i64("category_id")?).await,
        "categories.get" => client.categories().get_value(a.i64("l1_category_id")?, a.opt_i64("l2_category_id")?).await,
        "categories.attributes" => client.categories().attributes_value(a.i64("l1_category_id")?, a.i64("l2_category_id")?).await,
        "categories.fees" => client.categories().fees_value(a.i64("l1_category_id")?, a.i64("l2_category_id")?).await,

        "features.list" => super::models::encode(&client.features().list(&a.str("item_id")?).await?),
        "features.get" => super::models::encode(&client.features().get(&a.str("item_id")?, &a.str("name")?).await?),
        "features.buy" => client.features().buy_value(&a.str("item_id")?, &a.str("name")?, a.opt_i64("order_id")?).await,
        "features.purchased" => super::models::encode(&client.features().purchased(&a.str("item_id")?).await?),

        "transactions.list" => super::models::encode(&client.ads().transactions(&a.str("item_id")?).await?),
        "transactions.get" => super::models::encode(&client.ads().transaction(&a.str("item_id")?, a.i64("transaction_id")?).await?),
        "transactions.create" => client.ads().create_transaction_value(&a.str("item_id")?, a.value("transaction")?).await,

        "bids.list" => super::models::encode(&client.ads().bids(&a.str("item_id")?).await?),
        "bids.get" => super::models::encode(&client.ads().bid(&a.str("item_id")?, a.i64("bid_id")?).await?),
        "bids.delete" => client.ads().delete_bid(&a.str("item_id")?, a.i64("bid_id")?).await,
        "bids.ask_bidder_question" => {
            client.ads().ask_bidder_question(&a.str("item_id")?, a.i64("bid_id")?, &a.str("message")?, &a.str("phone_number")?).await
        }
        "upcalls.confirm" => client.ads().confirm_upcall(&a.str("item_id")?, &a.value("confirmation")?).await.map(null),

        "users.me" => client.users().me_value().await,
        "users.get" => super::models::encode(&client.users().get(a.i64("user_id")?).await?),
        "users.collection" => super::models::encode(&client.users().collection().await?),
        "users.create" => client.users().create_value(&a.value("user")?).await,
        "users.change_email" => client.users().change_email_value(a.i64("user_id")?, &a.str("new_email")?).await,
        "users.ads_page" => {
            let limit = a.opt_u64("limit")?.unwrap_or(super::users::MAX_ADS_PAGE);
            client.users().ads_page_value(a.i64("user_id")?, a.opt_u64("offset")?.unwrap_or(0), limit).await
        }
        "users.brands" => super::models::encode(&client.users().brands(a.i64("user_id")?).await?),
        "users.profile" => super::models::encode(&client.users().profile(a.i64("user_id")?).await?),
        "users.replace_profile" => client.users().replace_profile(a.i64("user_id")?, &a.value("profile")?).await,
        "users.patch_profile" => client.users().patch_profile(a.i64("user_id")?, &a.value("ops")?).await,
        "users.profile_image.get" => client.users().profile_image(a.i64("user_id")?, ProfileImageKind::parse(&a.str("kind")?)?).await,
        "users.profile_image.add" => {
            client.users().set_profile_image(a.i64("user_id")?, ProfileImageKind::parse(&a.str("kind")?)?, &a.str("url")?).await
        }
        "users.profile_image.delete" => {
            client.users().delete_profile_image(a.i64("user_id")?, ProfileImageKind::parse(&a.str("kind")?)?).await.map(null)
        }
        "users.reviews" => super::models::encode(&client.users().reviews(a.i64("user_id")?).await?),
        "users.review_settings" => super::models::encode(&client.users().review_settings(a.i64("user_id")?).await?),
        "users.replace_review_settings" => client.users().replace_review_settings(a.i64("user_id")?, &a.value("settings")?).await,
        "users.patch_review_settings" => client.users().patch_review_settings(a.i64("user_id")?, &a.value("ops")?).await,
        "users.features" => super::models::encode(&client.users().features(a.i64("user_id")?).await?),
        "users.buy_feature" => client.users().buy_feature_value(a.i64("user_id")?, &a.str("name")?, a.opt_i64("order_id")?).await,
        "users.statistics" => client.users().statistics(a.i64("user_id")?).await,
        "users.legal_status" => super::models::encode(&client.users().legal_status(a.i64("user_id")?).await?),

        "orders.get" => super::models::encode(&client.orders().get(a.i64("order_id")?).await?),
        "orders.products" => super::models::encode(&client.orders().products(a.i64("order_id")?).await?),
        "orders.product" => super::models::encode(&client.orders().product(a.i64("order_id")?, a.i64("product_id")?).await?),
        "locations.by_postcode" => client.location_by_postcode_value(&a.str("postcode")?).await,
        "search.page" => client.search_page_value(&search_query(&a)?).await,

        "request" => {
            let body = a.0.get("json").filter(|v| !v.is_null());
            client.request(&a.str("method")?, &a.str("path")?, body).await
        }
        other => Err(Error::invalid_input("op", format!("unknown Marktplaats operation {other:?}"))),
    }
}

/// Named arguments of an operation.
pub(crate) struct Args(Map<String, Value>);

impl Args {
    pub fn new(v: Value) -> Result<Args> {
        match v {
            Value::Object(m) => Ok(Args(m)),
            Value::Null => Ok(Args(Map::new())),
            other => Err(Error::invalid_input("args", format!("expected an object, got {}", super::json_type(&other)))),
        }
    }
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }
    pub fn opt_str(&self, name: &str) -> Result<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::invalid_input(name, format!("expected a string, got {}", super::json_type(other)))),
        }
    }
    pub fn str(&self, name: &str) -> Result<String> {
        self.opt_str(name)?.ok_or_else(|| Error::invalid_input(name, "is required"))
    }
    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
            Some(Value::String(s)) if s.trim().parse::<i64>().is_ok() => Ok(s.trim().parse().ok()),
            Some(other) => Err(Error::invalid_input(name, format!("expected a whole number, got {}", super::json_type(other)))),
        }
    }
    pub fn i64(&self, name: &str) -> Result<i64> {
        self.opt_i64(name)?.ok_or_else(|| Error::invalid_input(name, "is required"))
    }
    pub fn opt_u64(&self, name: &str) -> Result<Option<u64>> {
        match self.opt_i64(name)? {
            Some(i) if i < 0 => Err(Error::invalid_input(name, format!("must not be negative, got {i}"))),
            other => Ok(other.map(|i| i as u64)),
        }
    }
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(Error::invalid_input(name, format!("expected a boolean, got {}", super::json_type(other)))),
        }
    }
    pub fn value(&self, name: &str) -> Result<Value> {
        self.get(name).cloned().ok_or_else(|| Error::invalid_input(name, "is required"))
    }
    pub fn opt_strings(&self, name: &str) -> Result<Option<Vec<String>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| v.as_str().map(str::to_owned).ok_or_else(|| Error::invalid_input(format!("{name}[{i}]"), "expected a string")))
                .collect::<Result<Vec<_>>>()
                .map(Some),
            Some(Value::String(s)) => Ok(Some(s.split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_owned).collect())),
            Some(other) => Err(Error::invalid_input(name, format!("expected a list of strings, got {}", super::json_type(other)))),
        }
    }
    pub fn strings(&self, name: &str) -> Result<Vec<String>> {
        self.opt_strings(name)?.ok_or_else(|| Error::invalid_input(name, "is required"))
    }
    /// Seconds as a number (fractions allowed).
    pub fn opt_seconds(&self, name: &str) -> Result<Option<Duration>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Some(Duration::from_secs_f64(s))),
                _ => Err(Error::invalid_input(name, "must be a positive number of seconds")),
            },
            Some(other) => Err(Error::invalid_input(name, format!("expected seconds as a number, got {}", super::json_type(other)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unknown_ops_and_bad_args_are_refused_naming_them() {
        let c = Client::builder().build().unwrap();
        assert_eq!(call(&c, "ads.nope", json!({})).await.unwrap_err().field(), Some("op"));
        assert_eq!(call(&c, "ads.get", json!({})).await.unwrap_err().field(), Some("item_id"));
        assert_eq!(call(&c, "ads.get", json!({"item_id": 5})).await.unwrap_err().field(), Some("item_id"));
        assert_eq!(call(&c, "ads.get", json!([])).await.unwrap_err().field(), Some("args"));
        let e = call(&c, "ads.create", json!({"ad": {"title": "ab"}})).await.unwrap_err();
        assert_eq!(e.field(), Some("title"));
        assert_eq!(list(&c, "users.ads", json!({"page_size": 101})).unwrap_err().field(), Some("page_size"));
        assert_eq!(list(&c, "search", json!({})).unwrap_err().field(), Some("query"));
    }

    #[test]
    fn static_ops() {
        let v = call_static("locale.resolve", json!({"platform": "2ememain"})).unwrap();
        assert_eq!(v, "fr-BE");
        let v = call_static("authorization_url", json!({"client_id": "x", "redirect_uri": "https://a.b/cb", "platform": "2dehands"})).unwrap();
        assert!(v["url"].as_str().unwrap().starts_with("https://auth.2dehands.be/accounts/oauth/authorize?"));
        assert_eq!(v["state"].as_str().unwrap().len(), 32);
        let body = r#"{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}"#;
        let sig = "c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97";
        assert_eq!(call_static("verify_webhook", json!({"body": body, "signature": sig, "secret": "s3cr3t"})).unwrap(), true);
        assert_eq!(call_static("parse_webhook", json!({"body": body})).unwrap()["eventType"], "EventType");
    }
}
