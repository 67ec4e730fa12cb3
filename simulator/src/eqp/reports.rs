//! Reports: no schema is documented and the sandbox answers empty data; so does the simulator.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::http::eqp_error;
use crate::Shared;

pub(crate) async fn user_report(
    State(shared): State<Arc<Shared>>,
    Path((mage_id, kind)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match shared.eqp.authorize(&headers) {
        Err(r) => return r,
        Ok(who) if who != mage_id => return eqp_error(StatusCode::FORBIDDEN, 403, "the session token does not belong to this mage_id"),
        Ok(_) => {}
    }
    if !["pageviews", "totals", "sales", "refunds"].contains(&kind.as_str()) {
        return eqp_error(StatusCode::NOT_FOUND, 404, &format!("no report {kind}"));
    }
    Json(json!([])).into_response()
}

pub(crate) async fn metrics(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(r) = shared.eqp.authorize(&headers) {
        return r;
    }
    Json(json!([])).into_response()
}

pub(crate) async fn metric(State(shared): State<Arc<Shared>>, Path(_name): Path<String>, headers: HeaderMap) -> Response {
    if let Err(r) = shared.eqp.authorize(&headers) {
        return r;
    }
    Json(json!([])).into_response()
}
