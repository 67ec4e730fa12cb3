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
    /// One page of search results. Errors as [`SearchQuery::to_params`], and invalid input
    /// for `locale` (code `invalid-locale`) when the platform does not allow it.
    pub async fn search_page(&self, query: &SearchQuery) -> Result<Collection> {
        decode(self.search_page_value(query).await?)
    }
    /// [`Client::search_page`] on JSON.
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
