//! Search: a query string search (`GET /v1/search`), or a search with a JSON body (`POST
//! /v1/search`) when it filters on a price range or on category attributes. Results are
//! embedded (`mp:search-result`). Pages of a GET search are followed through `next` links, the
//! way the API prefers; a body cannot go into a link, so a body search asks for the next page
//! by posting the same body with the next offset. The API serves at most 5000 results per
//! query, and so does the list.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use super::models::{decode, embedded_items, link_href, Collection};
use super::Client;
use crate::error::{Error, Result};
use crate::pagination::{PageSource, Paginator};
use crate::transport::Request;

/// The search endpoint. Its path is not visible in the archived docs; third-party clients use it.
pub const SEARCH_PATH: &str = "/v1/search";
/// The most results one query can reach.
pub const MAX_RESULTS: u64 = 5000;
/// Default page size.
pub const DEFAULT_PAGE_SIZE: u64 = 30;
/// Largest page size.
pub const MAX_PAGE_SIZE: u64 = 200;

/// Search parameters (reference §1.4.16). `query` is required unless `category_id` or
/// `seller_id` is given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    /// Search text: words combined with `and`, `or`, parentheses and `-` for negation.
    pub query: Option<String>,
    /// Only this category (positive id).
    pub category_id: Option<i64>,
    /// Only ads with images (the server's default: no).
    pub with_images: Option<bool>,
    /// Search descriptions too, not only titles (the server's default: no).
    pub search_description: Option<bool>,
    /// Only this seller's ads (positive id).
    pub seller_id: Option<i64>,
    /// Centre of a distance search: a 6-character postcode (`1097DN`; spaces are dropped).
    pub post_code: Option<String>,
    /// Distance from `post_code` (positive; the unit is not documented).
    pub distance: Option<u64>,
    /// `default`, `location` or `price`.
    pub sort_by: Option<String>,
    /// `ascending` or `descending`.
    pub sort_order: Option<String>,
    /// Locale of the results (`nl-NL`, `nl-BE`, `fr-BE`); must be allowed on the platform.
    pub locale: Option<String>,
    /// Results per page (1–200, default 30).
    pub page_size: Option<u64>,
    /// Start at this offset (a multiple of the page size).
    pub offset: Option<u64>,
    /// Only ads asking at least this many euro cents (a body search).
    pub price_from: Option<i64>,
    /// Only ads asking at most this many euro cents (a body search).
    pub price_to: Option<i64>,
    /// Only ads whose category attributes have these values (`{"condition": "Nieuw"}`, or a
    /// list of accepted values); a body search.
    pub attributes: Option<serde_json::Map<String, Value>>,
}

impl SearchQuery {
    /// A search for `query`, everything else at the server's defaults.
    pub fn text(query: impl Into<String>) -> Self {
        SearchQuery { query: Some(query.into()), ..Default::default() }
    }

    /// Check everything and build the query string (the API's camelCase names; `offset` and
    /// `limit` always sent).
    ///
    /// # Errors
    ///
    /// Invalid input for `query` (blank while neither `category_id` nor `seller_id` is given),
    /// `page_size` (outside 1..=200), `offset` (offset + page size above 5000), `category_id` or
    /// `seller_id` (not positive), `post_code` (not 6 characters), `distance` (zero), `sort_by`,
    /// `sort_order` (not one of their values) or `locale` (not a known locale).
    ///
    /// ```
    /// use sellkit::marktplaats::search::SearchQuery;
    ///
    /// let params = SearchQuery { category_id: Some(35), ..SearchQuery::text("cd speler") }.to_params()?;
    /// assert_eq!(params[0], ("query".to_owned(), "cd speler".to_owned()));
    /// assert_eq!(SearchQuery::default().to_params().unwrap_err().field(), Some("query"));
    /// # Ok::<(), sellkit::Error>(())
    /// ```
    pub fn to_params(&self) -> Result<Vec<(String, String)>> {
        let q = self.query.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if q.is_none() && self.category_id.is_none() && self.seller_id.is_none() {
            return Err(Error::invalid_input("query", "is required unless category_id or seller_id is given"));
        }
        let page_size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(Error::invalid_input("page_size", format!("must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")));
        }
        let offset = self.offset.unwrap_or(0);
        if offset + page_size > MAX_RESULTS {
            return Err(Error::invalid_input("offset", format!("offset + page size must not exceed {MAX_RESULTS}")));
        }
        let mut p = Vec::new();
        let mut push = |k: &str, v: String| p.push((k.to_owned(), v));
        if let Some(q) = q {
            push("query", q.to_owned());
        }
        if let Some(c) = self.category_id {
            push("categoryId", super::id("category_id", c)?.to_string());
        }
        if let Some(b) = self.with_images {
            push("withImages", b.to_string());
        }
        if let Some(b) = self.search_description {
            push("searchDescription", b.to_string());
        }
        if let Some(s) = self.seller_id {
            push("sellerId", super::id("seller_id", s)?.to_string());
        }
        if let Some(pc) = &self.post_code {
            let pc: String = pc.chars().filter(|c| !c.is_whitespace()).collect();
            if pc.len() != 6 {
                return Err(Error::invalid_input("post_code", "must be a 6-character postcode such as 1097DN"));
            }
            push("postCode", pc);
        }
        if let Some(d) = self.distance {
            if d == 0 {
                return Err(Error::invalid_input("distance", "must be positive"));
            }
            // The API reads a signed 64-bit number; a larger one is refused here, not by it.
            if i64::try_from(d).is_err() {
                return Err(Error::invalid_input("distance", format!("must be at most {}", i64::MAX)));
            }
            push("distance", d.to_string());
        }
        if let Some(s) = &self.sort_by {
            if !matches!(s.as_str(), "default" | "location" | "price") {
                return Err(Error::invalid_input("sort_by", "must be \"default\", \"location\" or \"price\""));
            }
            push("sortBy", s.clone());
        }
        if let Some(s) = &self.sort_order {
            if !matches!(s.as_str(), "ascending" | "descending") {
                return Err(Error::invalid_input("sort_order", "must be \"ascending\" or \"descending\""));
            }
            push("sortOrder", s.clone());
        }
        if let Some(l) = &self.locale {
            push("locale", crate::locale::Locale::parse_field("locale", l)?.as_str().to_owned());
        }
        push("offset", offset.to_string());
        push("limit", page_size.to_string());
        Ok(p)
    }

    /// Whether the search filters on what only a JSON body carries (price range, attributes).
    pub fn needs_body(&self) -> bool {
        self.price_from.is_some() || self.price_to.is_some() || self.attributes.is_some()
    }

    /// The JSON body of a body search at `offset`: the query parameters (numbers and booleans as
    /// JSON values) plus the price range and the attributes, each checked.
    pub fn to_body(&self, offset: u64) -> Result<Value> {
        let params = SearchQuery { offset: Some(offset), ..self.clone() }.to_params()?;
        let mut body = serde_json::Map::new();
        for (k, v) in params {
            let value = match k.as_str() {
                "categoryId" | "sellerId" | "distance" | "offset" | "limit" => v.parse::<u64>().map(Value::from).unwrap_or(Value::String(v)),
                "withImages" | "searchDescription" => Value::Bool(v == "true"),
                _ => Value::String(v),
            };
            body.insert(k, value);
        }
        for (field, key, cents) in [("price_from", "priceFrom", self.price_from), ("price_to", "priceTo", self.price_to)] {
            if let Some(c) = cents {
                super::validate::check_cents(field, &Value::from(c))?;
                body.insert(key.into(), Value::from(c));
            }
        }
        if let (Some(from), Some(to)) = (self.price_from, self.price_to) {
            if from > to {
                return Err(Error::invalid_input("price_to", format!("must not be below price_from ({from}), got {to}")));
            }
        }
        if let Some(attributes) = &self.attributes {
            for (name, value) in attributes {
                let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
                let ok = scalar(value) || value.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(scalar));
                if !ok {
                    return Err(Error::invalid_input(
                        format!("attributes.{name}"),
                        "expected a value (text, number or boolean) or a non-empty list of values",
                    ));
                }
            }
            body.insert("attributes".into(), Value::Object(attributes.clone()));
        }
        Ok(Value::Object(body))
    }
}

impl Client {
    /// One page of search results. Errors as [`SearchQuery::to_params`], and invalid input
    /// for `locale` (code `invalid-locale`) when the platform does not allow it.
    pub async fn search_page(&self, query: &SearchQuery) -> Result<Collection> {
        decode(self.search_page_value(query).await?)
    }
    /// [`Client::search_page`] on JSON.
    pub async fn search_page_value(&self, query: &SearchQuery) -> Result<Value> {
        let params = self.search_params(query)?;
        if query.needs_body() {
            return self.search_body(query.to_body(query.offset.unwrap_or(0))?).await;
        }
        self.get_query(SEARCH_PATH.to_owned(), params).await
    }

    /// `POST /v1/search` with a body: a read, so safe to repeat.
    async fn search_body(&self, body: Value) -> Result<Value> {
        let req = Request::new(reqwest::Method::POST, SEARCH_PATH).json(&body)?.idempotency(crate::transport::Idempotency::Safe);
        self.send(req).await?.json()
    }

    /// The query string of `query`, with its locale checked against this client's platform.
    fn search_params(&self, query: &SearchQuery) -> Result<Vec<(String, String)>> {
        let params = query.to_params()?;
        if let Some(l) = &query.locale {
            self.platform().check_locale("locale", l)?;
        }
        Ok(params)
    }

    /// Every result, page by page through `next` links, stopping after `limit` results (and
    /// never beyond the 5000 the API serves). Items are the JSON search results
    /// (`mp:search-result`); read them with [`Paginator::into_stream`] or
    /// [`Paginator::next_item`]. Nothing is sent until the first item is read.
    ///
    /// # Errors
    ///
    /// As [`Client::search_page`], and invalid input for `limit` above 5000.
    pub fn search(&self, query: &SearchQuery, limit: Option<u64>) -> Result<Paginator> {
        let params = self.search_params(query)?;
        if let Some(l) = limit.filter(|l| *l > MAX_RESULTS) {
            return Err(Error::invalid_input("limit", format!("the API serves at most {MAX_RESULTS} results, got {l}")));
        }
        let cap = limit.unwrap_or(MAX_RESULTS).min(MAX_RESULTS - query.offset.unwrap_or(0));
        let first = if query.needs_body() {
            query.to_body(query.offset.unwrap_or(0))?;
            Next::Body { query: query.clone(), offset: query.offset.unwrap_or(0) }
        } else {
            Next::First(params)
        };
        Ok(Paginator::new(SearchPages { client: self.clone(), next: Some(first) }, Some(cap)))
    }
}

enum Next {
    First(Vec<(String, String)>),
    Link(String),
    /// A body search: the same body at the next offset.
    Body { query: SearchQuery, offset: u64 },
}

struct SearchPages {
    client: Client,
    next: Option<Next>,
}

impl PageSource for SearchPages {
    fn next_page(&mut self) -> Pin<Box<dyn Future<Output = Result<Option<Vec<Value>>>> + Send + '_>> {
        Box::pin(async move {
            let mut following = None;
            let page = match self.next.take() {
                None => return Ok(None),
                Some(Next::First(params)) => self.client.get_query(SEARCH_PATH.to_owned(), params).await?,
                Some(Next::Link(href)) => self.client.send(Request::new(reqwest::Method::GET, href)).await?.json()?,
                Some(Next::Body { query, offset }) => {
                    let page = self.client.search_body(query.to_body(offset)?).await?;
                    let step = query.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
                    if offset + step < MAX_RESULTS {
                        following = Some(Next::Body { query, offset: offset + step });
                    }
                    page
                }
            };
            let items = embedded_items(page.get("_embedded").and_then(Value::as_object), Some("mp:search-result"));
            let items = if items.is_empty() { embedded_items(page.get("_embedded").and_then(Value::as_object), None) } else { items };
            if !items.is_empty() {
                if let Some(href) = link_href(page.get("_links").and_then(Value::as_object), "next") {
                    // A body search's `next` link names the endpoint, not the page.
                    self.next = following.or_else(|| Some(Next::Link(href.to_owned())));
                }
            }
            Ok(if items.is_empty() { None } else { Some(items) })
        })
    }
}
