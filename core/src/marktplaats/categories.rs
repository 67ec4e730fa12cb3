//! `/v1/categories`: the category tree, one category, the attributes and fees of a leaf; and
//! the per-client cache of the tree and the attribute definitions that ad validation reads.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

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
    ///
    /// Kept per client for the builder's `category_cache_ttl` (1 hour by default): the
    /// definitions change a few times a year, and every validated ad needs its category's.
    /// Concurrent calls for one leaf wait for one request.
    pub async fn attributes(&self, l1: i64, l2: i64) -> Result<Vec<CategoryAttribute>> {
        attribute_list(&self.attributes_value(l1, l2).await?)
    }
    /// [`Categories::attributes`] on JSON, as received (from the cache when it holds them).
    pub async fn attributes_value(&self, l1: i64, l2: i64) -> Result<Value> {
        let path = format!("{}/attributes", leaf(l1, l2)?);
        let cache = self.client.category_cache();
        let slot = cache.attribute_slot(l1, l2);
        let v = slot.get_or_fetch(cache.ttl, async { self.client.get_value(path).await.map(Arc::new) }).await?;
        Ok((*v).clone())
    }

    /// Where category `category_id` sits in the tree (`GET /v1/categories`, kept like the
    /// attributes): a leaf and its parent, a main (L1) category, or no category at all.
    pub async fn locate(&self, category_id: i64) -> Result<Placement> {
        let cache = self.client.category_cache();
        let tree = cache.tree.get_or_fetch(cache.ttl, async { self.list_value(None).await.map(|v| Arc::new(CategoryIndex::of(&v))) }).await?;
        Ok(tree.locate(category_id))
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

/// The attribute definitions in an attributes response, whichever shape it has.
pub(crate) fn attribute_list(v: &Value) -> Result<Vec<CategoryAttribute>> {
    let items = match v {
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

/// A leaf category and its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    /// The main (L1) category.
    pub l1: i64,
    /// The leaf (L2) category: where ads go.
    pub l2: i64,
    /// Its name (`labels` in the first locale, else `name`), for messages.
    pub name: String,
    /// Whether it takes new ads (`status` is not `closed`).
    pub open: bool,
}

/// Where a category id sits in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A leaf: ads go here.
    Leaf(Leaf),
    /// A main (L1) category: its name and its leaves `(id, name)`.
    Main {
        /// Its name.
        name: String,
        /// Its leaf categories.
        leaves: Vec<(i64, String)>,
    },
    /// Not in the tree.
    Unknown,
}

/// The category tree, indexed by id.
#[derive(Debug, Default)]
pub(crate) struct CategoryIndex {
    leaves: HashMap<i64, Leaf>,
    mains: BTreeMap<i64, (String, Vec<(i64, String)>)>,
}

fn category_name(o: &Map<String, Value>) -> String {
    o.get("name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| o.get("labels").and_then(Value::as_object).and_then(|l| l.values().find_map(Value::as_str)).map(str::to_owned))
        .unwrap_or_default()
}

impl CategoryIndex {
    /// From `GET /v1/categories`: main categories with their leaves embedded (`mp:category`).
    pub(crate) fn of(tree: &Value) -> CategoryIndex {
        let mut index = CategoryIndex::default();
        let mains = embedded_items(tree.get("_embedded").and_then(Value::as_object), Some("mp:category"));
        for main in mains.iter().filter_map(Value::as_object) {
            let Some(l1) = main.get("categoryId").and_then(Value::as_i64) else { continue };
            let mut leaves = Vec::new();
            for child in embedded_items(main.get("_embedded").and_then(Value::as_object), Some("mp:category")) {
                let Some(c) = child.as_object() else { continue };
                let Some(l2) = c.get("categoryId").and_then(Value::as_i64) else { continue };
                let name = category_name(c);
                let open = c.get("status").and_then(Value::as_str) != Some("closed");
                leaves.push((l2, name.clone()));
                index.leaves.insert(l2, Leaf { l1, l2, name, open });
            }
            index.mains.insert(l1, (category_name(main), leaves));
        }
        index
    }

    pub(crate) fn locate(&self, id: i64) -> Placement {
        if let Some(leaf) = self.leaves.get(&id) {
            return Placement::Leaf(leaf.clone());
        }
        match self.mains.get(&id) {
            Some((name, leaves)) => Placement::Main { name: name.clone(), leaves: leaves.clone() },
            None => Placement::Unknown,
        }
    }
}

/// Category data read once per client and kept for a while: the tree and the attribute
/// definitions of each leaf. Entries are replaced after `ttl`; a failed read is not kept.
pub(crate) struct CategoryCache {
    ttl: Duration,
    tree: Slot<Arc<CategoryIndex>>,
    attributes: Mutex<HashMap<(i64, i64), Arc<Slot<Arc<Value>>>>>,
}

impl CategoryCache {
    pub(crate) fn new(ttl: Duration) -> CategoryCache {
        CategoryCache { ttl, tree: Slot::default(), attributes: Mutex::new(HashMap::new()) }
    }

    fn attribute_slot(&self, l1: i64, l2: i64) -> Arc<Slot<Arc<Value>>> {
        let mut map = self.attributes.lock().unwrap_or_else(|p| p.into_inner());
        map.entry((l1, l2)).or_default().clone()
    }
}

/// One cached value. Its lock is held while it is read from the server, so that concurrent
/// callers (a bulk run placing ads of one category) wait for one request instead of each
/// sending their own.
struct Slot<T>(tokio::sync::Mutex<Option<(Instant, T)>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(tokio::sync::Mutex::new(None))
    }
}

impl<T: Clone> Slot<T> {
    async fn get_or_fetch(&self, ttl: Duration, fetch: impl Future<Output = Result<T>>) -> Result<T> {
        let mut held = self.0.lock().await;
        if let Some((at, v)) = &*held {
            if at.elapsed() < ttl {
                return Ok(v.clone());
            }
        }
        let v = fetch.await?;
        *held = Some((Instant::now(), v.clone()));
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_tree_is_indexed_by_leaf_and_main_category() {
        let tree = json!({"_embedded": {"mp:category": [
            {"categoryId": 1, "name": "Antiek en Kunst", "_embedded": {"mp:category": [
                {"categoryId": 2, "name": "Antiek | Bestek"},
                {"categoryId": 3, "labels": {"nl-NL": "Antiek | Klokken"}, "status": "closed"}
            ]}},
            {"categoryId": 91, "name": "Auto's", "_embedded": {"mp:category": {"categoryId": 92, "name": "Alfa Romeo"}}}
        ]}});
        let index = CategoryIndex::of(&tree);
        assert_eq!(index.locate(2), Placement::Leaf(Leaf { l1: 1, l2: 2, name: "Antiek | Bestek".into(), open: true }));
        assert_eq!(index.locate(3), Placement::Leaf(Leaf { l1: 1, l2: 3, name: "Antiek | Klokken".into(), open: false }));
        assert_eq!(index.locate(92), Placement::Leaf(Leaf { l1: 91, l2: 92, name: "Alfa Romeo".into(), open: true }));
        let Placement::Main { name, leaves } = index.locate(1) else { panic!("main") };
        assert_eq!((name.as_str(), leaves.len()), ("Antiek en Kunst", 2));
        assert_eq!(index.locate(7), Placement::Unknown);
    }

    #[tokio::test]
    async fn a_slot_serves_until_its_time_is_up_and_keeps_no_failure() {
        let slot: Slot<u32> = Slot::default();
        let hour = Duration::from_secs(3600);
        assert!(slot.get_or_fetch(hour, async { Err(crate::Error::invalid_input("x", "no")) }).await.is_err());
        assert_eq!(slot.get_or_fetch(hour, async { Ok(1) }).await.unwrap(), 1);
        assert_eq!(slot.get_or_fetch(hour, async { Ok(2) }).await.unwrap(), 1, "kept");
        assert_eq!(slot.get_or_fetch(Duration::ZERO, async { Ok(3) }).await.unwrap(), 3, "expired at once");
    }
}
