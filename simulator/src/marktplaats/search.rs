//! `GET /v1/search` (query string) and `POST /v1/search` (JSON body): every ad of the platform,
//! matched on title (and description when `searchDescription` is true); words must all match,
//! `-word` excludes, `or` between words widens. Pages by `offset`/`limit` (default 30, at most
//! 200); at most 5000 results are reachable (`offset + limit` beyond that: 400
//! `pagination-invalid`). The parameters of both forms are documented with the crate (section
//! "Search").

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::ads::render;
use super::{caller, detail, error, json_object_body, ok, query_map, validation, AdRecord, Platform};
use crate::Shared;

const MAX_RESULTS: i64 = 5000;

/// A search, from either form.
#[derive(Debug, Default)]
struct Search {
    query: String,
    category: Option<i64>,
    seller: Option<i64>,
    in_description: bool,
    with_images: bool,
    by_price: bool,
    descending: bool,
    offset: Option<i64>,
    limit: Option<i64>,
    price_from: Option<i64>,
    price_to: Option<i64>,
    /// Attribute name → accepted values.
    attributes: Vec<(String, Vec<Value>)>,
}

fn matches(text: &str, query: &str) -> bool {
    let text = text.to_lowercase();
    query.to_lowercase().split(" or ").any(|alternative| {
        alternative
            .split_whitespace()
            .filter(|w| *w != "and")
            .all(|w| match w.strip_prefix('-') {
                Some(neg) => !text.contains(neg.trim_matches(['(', ')'])),
                None => text.contains(w.trim_matches(['(', ')'])),
            })
    })
}

fn asking_price(r: &AdRecord) -> Option<i64> {
    r.doc.get("priceModel")?.get("askingPrice")?.as_i64()
}

/// A scalar as text, so that `2010` and `"2010"` match alike.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn attribute_matches(ad: Option<&Value>, wanted: &[Value]) -> bool {
    let held: Vec<String> = match ad {
        Some(Value::Array(items)) => items.iter().filter_map(text_of).collect(),
        Some(v) => text_of(v).into_iter().collect(),
        None => return false,
    };
    wanted.iter().filter_map(text_of).any(|w| held.contains(&w))
}

impl Search {
    fn keeps(&self, r: &AdRecord) -> bool {
        if self.category.is_some_and(|c| r.doc.get("categoryId").and_then(Value::as_i64) != Some(c)) {
            return false;
        }
        if self.seller.is_some_and(|sid| r.owner != sid) || (self.with_images && r.images.is_empty()) {
            return false;
        }
        if self.price_from.is_some() || self.price_to.is_some() {
            let Some(price) = asking_price(r) else { return false };
            if self.price_from.is_some_and(|f| price < f) || self.price_to.is_some_and(|t| price > t) {
                return false;
            }
        }
        if !self.attributes.iter().all(|(name, wanted)| attribute_matches(r.doc.get(name), wanted)) {
            return false;
        }
        if self.query.trim().is_empty() {
            return true;
        }
        let mut text = r.doc.get("title").and_then(Value::as_str).unwrap_or("").to_owned();
        if self.in_description {
            text.push(' ');
            text.push_str(r.doc.get("description").and_then(Value::as_str).unwrap_or(""));
        }
        matches(&text, &self.query)
    }
}

/// The query-string form, as lenient as it always was: unknown names are ignored.
fn from_query(q: &std::collections::HashMap<String, String>) -> Result<Search, Response> {
    let num = |k: &str| q.get(k).map(|v| v.parse::<i64>().unwrap_or(-1));
    let mut details = Vec::new();
    let mut cents = |k: &str| match q.get(k).map(|v| v.parse::<i64>()) {
        None => None,
        Some(Ok(c)) if c >= 0 => Some(c),
        Some(_) => {
            details.push(detail(k, "input-invalid", "Must be a whole, non-negative number of euro cents", q.get(k).map(|v| json!(v))));
            None
        }
    };
    let (price_from, price_to) = (cents("priceFrom"), cents("priceTo"));
    if !details.is_empty() {
        return Err(validation(details));
    }
    Ok(Search {
        query: q.get("query").cloned().unwrap_or_default(),
        category: q.get("categoryId").and_then(|c| c.parse::<i64>().ok()),
        seller: q.get("sellerId").and_then(|c| c.parse::<i64>().ok()),
        in_description: q.get("searchDescription").map(String::as_str) == Some("true"),
        with_images: q.get("withImages").map(String::as_str) == Some("true"),
        by_price: q.get("sortBy").map(String::as_str) == Some("price"),
        descending: q.get("sortOrder").map(String::as_str) == Some("descending"),
        offset: num("offset"),
        limit: num("limit"),
        price_from,
        price_to,
        attributes: Vec::new(),
    })
}

/// The JSON-body form: every member checked for its type; unknown members refused.
fn from_body(body: &Map<String, Value>) -> Result<Search, Response> {
    let mut s = Search::default();
    let mut d = Vec::new();
    let bad = |field: &str, message: &str, v: &Value| detail(field, "input-invalid", message, Some(v.clone()));
    for (k, v) in body {
        let field = k.as_str();
        let int = |d: &mut Vec<Value>, min: i64| match v.as_i64() {
            Some(i) if i >= min => Some(i),
            _ => {
                d.push(bad(field, &format!("Must be a whole number of at least {min}"), v));
                None
            }
        };
        match field {
            "query" | "postCode" | "locale" => match v.as_str() {
                Some(text) if field == "query" => s.query = text.to_owned(),
                Some(_) => {}
                None => d.push(bad(field, "Must be a string", v)),
            },
            "categoryId" => s.category = int(&mut d, 1),
            "sellerId" => s.seller = int(&mut d, 1),
            "distance" => {
                int(&mut d, 1);
            }
            "offset" => s.offset = int(&mut d, 0),
            "limit" => s.limit = int(&mut d, 1),
            "priceFrom" => s.price_from = int(&mut d, 0),
            "priceTo" => s.price_to = int(&mut d, 0),
            "searchDescription" | "withImages" => match v.as_bool() {
                Some(b) if field == "withImages" => s.with_images = b,
                Some(b) => s.in_description = b,
                None => d.push(bad(field, "Must be true or false", v)),
            },
            "sortBy" => match v.as_str() {
                Some("default" | "location") => {}
                Some("price") => s.by_price = true,
                _ => d.push(bad(field, "Must be default, location or price", v)),
            },
            "sortOrder" => match v.as_str() {
                Some("ascending") => {}
                Some("descending") => s.descending = true,
                _ => d.push(bad(field, "Must be ascending or descending", v)),
            },
            "attributes" => match v {
                Value::Object(attrs) => {
                    for (name, wanted) in attrs {
                        let values = match wanted {
                            Value::Array(items) => items.clone(),
                            other => vec![other.clone()],
                        };
                        if values.is_empty() || values.iter().any(|x| text_of(x).is_none()) {
                            d.push(bad(&format!("attributes.{name}"), "Must be a value or a non-empty list of values", wanted));
                        } else {
                            s.attributes.push((name.clone(), values));
                        }
                    }
                }
                _ => d.push(bad(field, "Must be an object of attribute names to a value or a list of values", v)),
            },
            _ => d.push(bad(field, "Unknown search parameter", v)),
        }
    }
    if let (Some(from), Some(to)) = (s.price_from, s.price_to) {
        if from > to {
            d.push(detail("priceTo", "input-invalid", "Must not be below priceFrom", Some(json!(to))));
        }
    }
    if d.is_empty() {
        Ok(s)
    } else {
        Err(validation(d))
    }
}

/// Run a search; `links` makes the `self`/`next` hrefs from `(offset, limit)`.
fn answer(s: &Shared, p: Platform, search: &Search, links: impl Fn(i64, i64) -> String) -> Response {
    if search.query.trim().is_empty() && search.category.is_none() && search.seller.is_none() {
        return error(StatusCode::BAD_REQUEST, "validation-failure", "query is required unless categoryId or sellerId is given");
    }
    let (offset, limit) = (search.offset.unwrap_or(0), search.limit.unwrap_or(30));
    if !(1..=200).contains(&limit) || offset < 0 || offset + limit > MAX_RESULTS {
        return error(StatusCode::BAD_REQUEST, "pagination-invalid", "limit must be 1 to 200 and offset + limit at most 5000");
    }
    let mut inner = s.mp.lock();
    let data = inner.data(p);
    let mut hits: Vec<(Option<i64>, u64)> = data.ads.iter().filter(|(_, r)| search.keeps(r)).map(|(n, r)| (asking_price(r), *n)).collect();
    if search.by_price {
        // Ads without an asking price after those with one; placement order among equals.
        hits.sort_by_key(|(price, n)| (price.is_none(), *price, *n));
    }
    if search.descending {
        hits.reverse();
    }
    let total = hits.len() as i64;
    let reachable = total.min(MAX_RESULTS);
    let mut items = Vec::new();
    for (_, n) in hits.iter().skip(offset as usize).take(limit.min((reachable - offset).max(0)) as usize) {
        if let Some(rec) = data.ads.get_mut(n) {
            rec.views += 1;
            let mut ad = render(rec);
            if let Value::Object(m) = &mut ad {
                m.remove("startDate");
                m.remove("closeDate");
                m.remove("status");
                m.remove("renewalPossible");
            }
            items.push(ad);
        }
    }
    let mut links_json = json!({"self": {"href": links(offset, limit)}});
    if offset + limit < reachable {
        // The last reachable page gets a smaller limit, so that it stays within 5000.
        let next = offset + limit;
        links_json["next"] = json!({"href": links(next, limit.min(MAX_RESULTS - next))});
    }
    ok(json!({"_links": links_json, "_embedded": {"mp:search-result": items}, "totalCount": total}))
}

pub(crate) async fn search(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    or_respond!(caller(&s, p, &headers));
    let q = query_map(raw.as_deref());
    let search = or_respond!(from_query(&q));
    let mut params: Vec<(String, String)> = q.iter().filter(|(k, _)| !matches!(k.as_str(), "offset" | "limit")).map(|(k, v)| (k.clone(), v.clone())).collect();
    params.sort();
    answer(&s, p, &search, |o, limit| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &params {
            ser.append_pair(k, v);
        }
        ser.append_pair("offset", &o.to_string());
        ser.append_pair("limit", &limit.to_string());
        format!("/v1/search?{}", ser.finish())
    })
}

pub(crate) async fn search_json(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    or_respond!(caller(&s, p, &headers));
    let body = or_respond!(json_object_body(&headers, &body, "A search is a JSON object"));
    let search = or_respond!(from_body(&body));
    answer(&s, p, &search, |_, _| "/v1/search".to_owned())
}
