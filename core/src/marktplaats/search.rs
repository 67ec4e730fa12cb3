//! Search (`GET /v1/search`): a query string search whose results are embedded
//! (`mp:search-result`). Pages are followed through `next` links, the way the API prefers;
//! the API serves at most 5000 results per query, and so does the list.

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
/// Default and largest page.
pub const DEFAULT_PAGE_SIZE: u64 = 30;
pub const MAX_PAGE_SIZE: u64 = 200;

/// Search parameters (reference §1.4.16). `query` is required unless `category_id` or
/// `seller_id` is given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    pub query: Option<String>,
    pub category_id: Option<i64>,
    pub with_images: Option<bool>,
    pub search_description: Option<bool>,
    pub seller_id: Option<i64>,
    pub post_code: Option<String>,
    pub distance: Option<u64>,
    /// `default`, `location` or `price`.
    pub sort_by: Option<String>,
    /// `ascending` or `descending`.
    pub sort_order: Option<String>,
    pub locale: Option<String>,
    /// Results per page (1–200, default 30).
    pub page_size: Option<u64>,
    /// Start at this offset (a multiple of the page size).
    pub offset: Option<u64>,
}

impl SearchQuery {
    pub fn text(query: impl Into<String>) -> Self {
        SearchQuery { query: Some(query.into()), ..Default::default() }
    }

    /// Check everything and build the query string.
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
}

impl Client {
    /// One page of search results.
    pub async fn search_page(&self, query: &SearchQuery) -> Result<Collection> {
        decode(self.search_page_value(query).await?)
    }
    pub async fn search_page_value(&self, query: &SearchQuery) -> Result<Value> {
        self.get_query(SEARCH_PATH.to_owned(), self.search_params(query)?).await
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
    /// never beyond the 5000 the API serves).
    pub fn search(&self, query: &SearchQuery, limit: Option<u64>) -> Result<Paginator> {
        let params = self.search_params(query)?;
        if let Some(l) = limit.filter(|l| *l > MAX_RESULTS) {
            return Err(Error::invalid_input("limit", format!("the API serves at most {MAX_RESULTS} results, got {l}")));
        }
        let cap = limit.unwrap_or(MAX_RESULTS).min(MAX_RESULTS - query.offset.unwrap_or(0));
        Ok(Paginator::new(SearchPages { client: self.clone(), next: Some(Next::First(params)) }, Some(cap)))
    }
}

enum Next {
    First(Vec<(String, String)>),
    Link(String),
}

struct SearchPages {
    client: Client,
    next: Option<Next>,
}

impl PageSource for SearchPages {
    fn next_page(&mut self) -> Pin<Box<dyn Future<Output = Result<Option<Vec<Value>>>> + Send + '_>> {
        Box::pin(async move {
            let page = match self.next.take() {
                None => return Ok(None),
                Some(Next::First(params)) => self.client.get_query(SEARCH_PATH.to_owned(), params).await?,
                Some(Next::Link(href)) => self.client.send(Request::new(reqwest::Method::GET, href)).await?.json()?,
            };
            let items = embedded_items(page.get("_embedded").and_then(Value::as_object), Some("mp:search-result"));
            let items = if items.is_empty() { embedded_items(page.get("_embedded").and_then(Value::as_object), None) } else { items };
            if !items.is_empty() {
                if let Some(href) = link_href(page.get("_links").and_then(Value::as_object), "next") {
                    self.next = Some(Next::Link(href.to_owned()));
                }
            }
            Ok(if items.is_empty() { None } else { Some(items) })
        })
    }
}
