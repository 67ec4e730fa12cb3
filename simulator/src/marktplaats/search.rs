//! `GET /v1/search`: every ad of the platform, matched on title (and description when
//! `searchDescription=true`); words must all match, `-word` excludes, `or` between words
//! widens. Pages by `offset`/`limit` (default 30, at most 200) with a `next` link; at most 5000
//! results are reachable (`offset + limit` beyond that: 400 `pagination-invalid`).

use std::sync::Arc;

use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::ads::render;
use super::{caller, error, ok, query_map, Platform};
use crate::Shared;

const MAX_RESULTS: i64 = 5000;

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

pub(crate) async fn search(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    or_respond!(caller(&s, p, &headers));
    let q = query_map(raw.as_deref());
    let query = q.get("query").cloned().unwrap_or_default();
    let category = q.get("categoryId").and_then(|c| c.parse::<i64>().ok());
    let seller = q.get("sellerId").and_then(|c| c.parse::<i64>().ok());
    if query.trim().is_empty() && category.is_none() && seller.is_none() {
        return error(StatusCode::BAD_REQUEST, "validation-failure", "query is required unless categoryId or sellerId is given");
    }
    let num = |k: &str, d: i64| q.get(k).map(|v| v.parse::<i64>().unwrap_or(-1)).unwrap_or(d);
    let (offset, limit) = (num("offset", 0), num("limit", 30));
    if !(1..=200).contains(&limit) || offset < 0 || offset + limit > MAX_RESULTS {
        return error(StatusCode::BAD_REQUEST, "pagination-invalid", "limit must be 1 to 200 and offset + limit at most 5000");
    }
    let in_description = q.get("searchDescription").map(String::as_str) == Some("true");
    let mut inner = s.mp.lock();
    let data = inner.data(p);
    let mut hits: Vec<u64> = data
        .ads
        .iter()
        .filter(|(_, r)| category.is_none_or(|c| r.doc.get("categoryId").and_then(Value::as_i64) == Some(c)))
        .filter(|(_, r)| seller.is_none_or(|sid| r.owner == sid))
        .filter(|(_, r)| {
            if query.trim().is_empty() {
                return true;
            }
            let mut text = r.doc.get("title").and_then(Value::as_str).unwrap_or("").to_owned();
            if in_description {
                text.push(' ');
                text.push_str(r.doc.get("description").and_then(Value::as_str).unwrap_or(""));
            }
            matches(&text, &query)
        })
        .map(|(n, _)| *n)
        .collect();
    if q.get("sortOrder").map(String::as_str) == Some("descending") {
        hits.reverse();
    }
    let total = hits.len() as i64;
    let reachable = total.min(MAX_RESULTS);
    let mut items = Vec::new();
    for n in hits.iter().skip(offset as usize).take(limit.min((reachable - offset).max(0)) as usize) {
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
    let mut params: Vec<(String, String)> = q.iter().filter(|(k, _)| !matches!(k.as_str(), "offset" | "limit")).map(|(k, v)| (k.clone(), v.clone())).collect();
    params.sort();
    let href = |o: i64, limit: i64| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &params {
            ser.append_pair(k, v);
        }
        ser.append_pair("offset", &o.to_string());
        ser.append_pair("limit", &limit.to_string());
        format!("/v1/search?{}", ser.finish())
    };
    let mut links = json!({"self": {"href": href(offset, limit)}});
    if offset + limit < reachable {
        // The last reachable page gets a smaller limit, so that it stays within 5000.
        let next = offset + limit;
        links["next"] = json!({"href": href(next, limit.min(MAX_RESULTS - next))});
    }
    ok(json!({"_links": links, "_embedded": {"mp:search-result": items}, "totalCount": total}))
}
