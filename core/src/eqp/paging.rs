//! EQP lists: `offset`/`limit` pages and the `X-Total-Count` header.

use std::future::Future;
use std::pin::Pin;

use reqwest::Method;
use serde_json::Value;

use super::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::pagination::{PageSource, Paginator};
use crate::transport::Request;

/// Default items per page request.
pub const DEFAULT_PAGE_SIZE: u64 = 50;
/// Largest page a caller may ask for.
pub const MAX_PAGE_SIZE: u64 = 1000;

/// How much of a list to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListOptions {
    /// Stop after this many items (all by default).
    pub limit: Option<u64>,
    /// Items per request (50 by default, at most 1000).
    pub page_size: Option<u64>,
}

impl ListOptions {
    /// The page size to request.
    ///
    /// # Errors
    ///
    /// Invalid input for `page_size` outside 1..=1000.
    pub fn validate(&self) -> Result<u64> {
        let size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if size == 0 || size > MAX_PAGE_SIZE {
            return Err(Error::invalid_input("page_size", format!("must be between 1 and {MAX_PAGE_SIZE}")));
        }
        Ok(size)
    }
}

/// Pages of one EQP collection, fetched lazily: `offset` grows by the items received, and the
/// list ends at `X-Total-Count`, at an empty page, or (without the header) at a short page.
pub(crate) struct OffsetPages {
    client: Client,
    path: String,
    query: Vec<(String, String)>,
    offset: u64,
    page_size: u64,
    remaining: Option<u64>,
    total: Option<u64>,
    done: bool,
    previous_first: Option<Value>,
}

impl OffsetPages {
    pub fn paginator(client: &Client, path: String, query: Vec<(String, String)>, options: ListOptions) -> Result<Paginator> {
        let source = OffsetPages::new(client, path, query, options)?;
        Ok(Paginator::new(source, options.limit))
    }

    pub fn new(client: &Client, path: String, query: Vec<(String, String)>, options: ListOptions) -> Result<OffsetPages> {
        let page_size = options.validate()?;
        Ok(OffsetPages {
            client: client.clone(),
            path,
            query,
            offset: 0,
            page_size,
            remaining: options.limit,
            total: None,
            done: false,
            previous_first: None,
        })
    }

    async fn fetch(&mut self) -> Result<Option<Vec<Value>>> {
        if self.done || self.total.is_some_and(|t| self.offset >= t) || self.remaining == Some(0) {
            return Ok(None);
        }
        let limit = match self.remaining {
            Some(r) => r.min(self.page_size),
            None => self.page_size,
        };
        let mut req = Request::new(Method::GET, self.path.clone());
        for (k, v) in &self.query {
            req = req.query(k.clone(), v.clone());
        }
        req = req.query("offset", self.offset.to_string()).query("limit", limit.to_string());
        let resp = self.client.send(req).await?;
        let total = resp.header("x-total-count").and_then(|v| v.trim().parse::<u64>().ok());
        let items = match resp.json()? {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            // A one-object answer (some EQP lists return the single match as an object).
            Value::Object(o) if !o.is_empty() => vec![Value::Object(o)],
            Value::Object(_) => Vec::new(),
            other => {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!("expected a list from {}, got {}", self.path, super::model::json_type(&other)),
                ))
            }
        };
        self.total = total;
        let n = items.len() as u64;
        // A server that ignores `offset` would repeat the first page forever.
        if n > 0 && self.previous_first.as_ref() == items.first() {
            self.done = true;
            return Ok(None);
        }
        self.previous_first = items.first().cloned();
        self.offset += n;
        if let Some(r) = self.remaining.as_mut() {
            *r = r.saturating_sub(n);
        }
        if n == 0 || (total.is_none() && n != limit) {
            self.done = true;
        }
        Ok(if n == 0 { None } else { Some(items) })
    }
}

impl PageSource for OffsetPages {
    fn next_page(&mut self) -> Pin<Box<dyn Future<Output = Result<Option<Vec<Value>>>> + Send + '_>> {
        Box::pin(self.fetch())
    }
}
