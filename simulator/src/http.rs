//! The router, the error body shape and the middleware that counts and injects faults.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::json;

use crate::faults::FaultAction;
use crate::Shared;

/// The EQP listener's router: `routes` (see [`crate::eqp::routes`]) with counters and faults.
pub(crate) fn router(shared: Arc<Shared>, routes: Router<Arc<Shared>>) -> Router {
    routes
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(shared.clone(), count_and_inject))
        .with_state(shared)
}

/// The router of one Marktplaats platform listener (see [`crate::marktplaats`]).
pub(crate) fn marktplaats_router(shared: Arc<Shared>, routes: Router<Arc<Shared>>, platform: crate::marktplaats::Platform) -> Router {
    routes
        .fallback(mp_not_found)
        .layer(axum::middleware::from_fn_with_state(shared.clone(), crate::marktplaats::versions::v2_links))
        .layer(axum::Extension(platform))
        .layer(axum::middleware::from_fn_with_state(shared.clone(), count_and_inject))
        .with_state(shared)
}

async fn mp_not_found(req: Request) -> Response {
    crate::marktplaats::error(StatusCode::NOT_FOUND, "not-found", &format!("no route for {} {}", req.method(), req.uri().path()))
}

async fn not_found(req: Request) -> Response {
    eqp_error(StatusCode::NOT_FOUND, 404, &format!("no route for {} {}", req.method(), req.uri().path()))
}

/// The EQP error body: `{code, message}`.
pub(crate) fn eqp_error(status: StatusCode, code: i64, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

async fn count_and_inject(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| req.uri().path().to_owned());
    let route = format!("{} {}", req.method(), path);
    shared.faults.record(&route);
    let host = req.headers().get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default().to_owned();
    shared.faults.arrive(&host);
    let uri = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let _in_flight = shared.faults.enter(&route, &uri);
    let kill = req.extensions().get::<crate::server::ConnectionKill>().cloned();
    let latency = shared.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match shared.faults.take(&route) {
        Some(FaultAction::Status { status, retry_after }) => {
            // Read the request to its end first, as a gateway does: answering mid-upload and
            // closing would make the client's next write fail (a broken pipe instead of the
            // status) depending on timing.
            let _ = axum::body::to_bytes(req.into_body(), usize::MAX).await;
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut resp = eqp_error(status, status.as_u16().into(), &format!("injected fault on {route}"));
            if let Some(after) = &retry_after {
                if matches!(status.as_u16(), 429 | 503) {
                    shared.faults.announce_backoff(&host, after);
                }
            }
            if let Some(v) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                resp.headers_mut().insert("retry-after", v);
            }
            resp
        }
        Some(FaultAction::DropBeforeProcessing) => drop_connection(kill).await,
        Some(FaultAction::DropAfterProcessing) => {
            let resp = next.run(req).await;
            // The handler has done its work; the answer is thrown away with the connection.
            drop(resp);
            drop_connection(kill).await
        }
        Some(FaultAction::Stall(delay)) => {
            let resp = next.run(req).await;
            tokio::time::sleep(delay).await;
            resp
        }
        Some(FaultAction::Truncate) => truncate(next.run(req).await, kill).await,
        None => next.run(req).await,
    }
}

/// The response's status and headers, its full `Content-Length`, half its body, then a closed
/// connection. A response without a body to cut loses its connection instead.
async fn truncate(resp: Response, kill: Option<crate::server::ConnectionKill>) -> Response {
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else { return drop_connection(kill).await };
    if bytes.len() < 2 {
        return drop_connection(kill).await;
    }
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    // The pause lets hyper flush the head and the first half before the error aborts the
    // connection; without it both could be dropped unsent.
    let cut = async {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Err::<axum::body::Bytes, _>(std::io::Error::other("truncated"))
    };
    let body = futures_util::StreamExt::chain(futures_util::stream::iter([Ok(half)]), futures_util::stream::once(cut));
    Response::from_parts(parts, axum::body::Body::from_stream(body))
}

/// Close the request's connection without an answer; never returns.
async fn drop_connection(kill: Option<crate::server::ConnectionKill>) -> Response {
    match kill {
        Some(k) => {
            k.kill();
            std::future::pending::<Response>().await
        }
        // Not served by our accept loop: the best we can do is a body that fails.
        None => {
            let stream = futures_util::stream::once(async { Err::<axum::body::Bytes, _>(std::io::Error::other("dropped")) });
            Response::new(axum::body::Body::from_stream(stream))
        }
    }
}
