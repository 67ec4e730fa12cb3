//! `/v1` and `/v2`: the endpoints the v2 docs list are served under both (see
//! [`super::routes`]); the others only under `/v1`. A `/v2` answer speaks v2: every `href` and
//! the `Location` header that name a `/v1` path served under `/v2` too name the `/v2` path
//! instead (the handlers write v1 links, and this layer turns them).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use crate::routes::Api;
use crate::Shared;

/// Whether `template` (a route path, `{param}` segments) matches `path`.
fn matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

/// The `/v2` form of a `/v1` link, when the simulator serves it under `/v2`.
fn to_v2(shared: &Shared, href: &str) -> Option<String> {
    let rest = href.strip_prefix("/v1")?;
    // The path part: before a query, a fragment or a URI template's `{?...}`.
    let end = rest.find(['?', '#']).unwrap_or(rest.len()).min(rest.find("{?").unwrap_or(rest.len()));
    let path = format!("/v2{}", &rest[..end]);
    shared
        .routes
        .iter()
        .any(|r| r.api == Api::Marktplaats && r.path.starts_with("/v2") && matches(r.path, &path))
        .then(|| format!("/v2{rest}"))
}

fn rewrite(shared: &Shared, v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, item) in m.iter_mut() {
                match item {
                    Value::String(s) if k == "href" => {
                        if let Some(new) = to_v2(shared, s) {
                            *s = new;
                        }
                    }
                    other => rewrite(shared, other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite(shared, i)),
        _ => {}
    }
}

/// The middleware of every Marktplaats listener: answers to `/v2` requests get `/v2` links.
pub(crate) async fn v2_links(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let v2 = path == "/v2" || path.starts_with("/v2/");
    let resp = next.run(req).await;
    if !v2 {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    if let Some(new) = parts.headers.get(header::LOCATION).and_then(|l| l.to_str().ok()).and_then(|l| to_v2(&shared, l)) {
        if let Ok(v) = HeaderValue::from_str(&new) {
            parts.headers.insert(header::LOCATION, v);
        }
    }
    let json = parts.headers.get(header::CONTENT_TYPE).and_then(|c| c.to_str().ok()).is_some_and(|c| c.contains("json"));
    if !json {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut v) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    rewrite(&shared, &mut v);
    let out = serde_json::to_vec(&v).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_match_whole_segments() {
        assert!(super::matches("/v2/advertisements/{itemId}", "/v2/advertisements/m12"));
        assert!(!super::matches("/v2/advertisements/{itemId}", "/v2/advertisements/m12/fitments"));
        assert!(!super::matches("/v2/advertisements/{itemId}", "/v2/advertisements/"));
    }
}
