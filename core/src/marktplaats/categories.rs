//! `/v1/categories`: the category tree, one category, the attributes and fees of a leaf.

use serde_json::Value;

use super::models::{decode, embedded_items, Category, CategoryAttribute, CategoryFees};
use super::{id, Client};
use crate::error::Result;

/// `client.categories()`.
pub struct Categories<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// The (read-only) category tree.
    pub fn categories(&self) -> Categories<'_> {
        Categories { client: self }
    }
}

fn leaf(l1: i64, l2: i64) -> Result<String> {
    Ok(format!("/v1/categories/{}/{}", id("l1_category_id", l1)?, id("l2_category_id", l2)?))
}

impl Categories<'_> {
    /// `GET /v1/categories` (all L1 with their L2 embedded), or `?categoryId=` for one.
    /// Invalid input for `category_id` when it is not positive; `category-not-found` (404) for
    /// an unknown one.
    pub async fn list(&self, category_id: Option<i64>) -> Result<Category> {
        decode(self.list_value(category_id).await?)
    }
    /// [`Categories::list`] on JSON.
    pub async fn list_value(&self, category_id: Option<i64>) -> Result<Value> {
        let query = match category_id {
            Some(c) => vec![("categoryId".to_owned(), id("category_id", c)?.to_string())],
            None => Vec::new(),
        };
        self.client.get_query("/v1/categories".to_owned(), query).await
    }

    /// `GET /v1/categories/{l1}` or `GET /v1/categories/{l1}/{l2}`. Invalid input for
    /// `l1_category_id` or `l2_category_id` when not positive.
    pub async fn get(&self, l1: i64, l2: Option<i64>) -> Result<Category> {
        decode(self.get_value(l1, l2).await?)
    }
    /// [`Categories::get`] on JSON.
    pub async fn get_value(&self, l1: i64, l2: Option<i64>) -> Result<Value> {
        let path = match l2 {
            Some(l2) => leaf(l1, l2)?,
            None => format!("/v1/categories/{}", id("l1_category_id", l1)?),
        };
        self.client.get_value(path).await
    }

    /// `GET /v1/categories/{l1}/{l2}/attributes`: the attribute definitions of a leaf. Read from
    /// a JSON array, an `attributes` member or the embedded items, whichever the server sends;
    /// a single attribute (an object with a `key`, as the docs show one) is a list of one.
    pub async fn attributes(&self, l1: i64, l2: i64) -> Result<Vec<CategoryAttribute>> {
        let v = self.attributes_value(l1, l2).await?;
        let items = match &v {
            Value::Array(a) => a.clone(),
            Value::Object(o) => match o.get("attributes") {
                Some(Value::Array(a)) => a.clone(),
                _ if o.contains_key("key") && !o.contains_key("_embedded") => vec![v.clone()],
                _ => embedded_items(o.get("_embedded").and_then(Value::as_object), None),
            },
            _ => Vec::new(),
        };
        items.into_iter().map(decode).collect()
    }
    /// [`Categories::attributes`] on JSON, as received.
    pub async fn attributes_value(&self, l1: i64, l2: i64) -> Result<Value> {
        self.client.get_value(format!("{}/attributes", leaf(l1, l2)?)).await
    }

    /// `GET /v1/categories/{l1}/{l2}/fees` ("under construction" in the API).
    pub async fn fees(&self, l1: i64, l2: i64) -> Result<CategoryFees> {
        decode(self.fees_value(l1, l2).await?)
    }
    /// [`Categories::fees`] on JSON.
    pub async fn fees_value(&self, l1: i64, l2: i64) -> Result<Value> {
        self.client.get_value(format!("{}/fees", leaf(l1, l2)?)).await
    }
}
