//! `/rest/v1/users/{mage_id}/keys`: Composer keys, created per label like a batch.
//!
//! Per-item codes (the simulator's own): `1301` label missing, `1302` label already used,
//! `1303` label longer than 32 characters.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::store::random_hex;
use crate::http::eqp_error;
use crate::Shared;

fn owner(shared: &Shared, headers: &HeaderMap, mage_id: &str) -> Result<(), Response> {
    let who = shared.eqp.authorize(headers)?;
    if who != mage_id {
        return Err(eqp_error(StatusCode::FORBIDDEN, 403, "the session token does not belong to this mage_id"));
    }
    Ok(())
}

pub(crate) async fn list(
    State(shared): State<Arc<Shared>>,
    Path(mage_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = owner(&shared, &headers, &mage_id) {
        return r;
    }
    let kind = q.get("type").map(String::as_str).unwrap_or("all");
    if !["m1", "m2", "all"].contains(&kind) {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "type must be m1, m2 or all");
    }
    let store = shared.eqp.store();
    let mut out = Map::new();
    if kind != "m1" {
        let m2: Vec<Value> = store
            .keys
            .iter()
            .filter(|k| q.get("label").is_none_or(|l| k.get("label") == Some(&json!(l))))
            .filter(|k| q.get("uid").is_none_or(|u| u == "all" || k.get("uid") == Some(&json!(u))))
            .map(|k| Value::Object(k.clone()))
            .collect();
        out.insert("m2".into(), Value::Array(m2));
    }
    if kind != "m2" && !q.contains_key("label") {
        out.insert("m1".into(), Value::Array(store.legacy_keys.clone()));
    }
    Json(Value::Object(out)).into_response()
}

pub(crate) async fn create(
    State(shared): State<Arc<Shared>>,
    Path(mage_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(r) = owner(&shared, &headers, &mage_id) {
        return r;
    }
    let Some(items) = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("m2").and_then(Value::as_array).cloned()) else {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "the body must be {\"m2\": [{\"label\": ...}]}");
    };
    let mut store = shared.eqp.store();
    let mut out = Vec::new();
    for item in items {
        let label = item.get("label").and_then(Value::as_str).unwrap_or("").to_owned();
        let uid = item.get("uid").and_then(Value::as_str).unwrap_or(&mage_id).to_owned();
        let (code, message) = if label.trim().is_empty() {
            (1301, "label is required".to_owned())
        } else if label.chars().count() > 32 {
            (1303, "label must be at most 32 characters".to_owned())
        } else if store.keys.iter().any(|k| k.get("label") == Some(&json!(label))) {
            (1302, format!("a key labelled {label:?} already exists"))
        } else {
            (200, "Success".to_owned())
        };
        if code != 200 {
            out.push(json!({"label": label, "code": code, "message": message}));
            continue;
        }
        let key = json!({"label": label, "user_key": random_hex(32), "password_key": random_hex(32), "is_enabled": true, "uid": uid});
        if let Value::Object(k) = &key {
            store.keys.push(k.clone());
        }
        let mut entry = key;
        entry["code"] = json!(200);
        entry["message"] = json!("Success");
        out.push(entry);
    }
    Json(json!({ "m2": out })).into_response()
}

fn find_key<'a>(keys: &'a mut [Map<String, Value>], label: &str, uid: Option<&str>) -> Option<&'a mut Map<String, Value>> {
    keys.iter_mut().find(|k| k.get("label") == Some(&json!(label)) && uid.is_none_or(|u| k.get("uid") == Some(&json!(u))))
}

pub(crate) async fn set_enabled(
    State(shared): State<Arc<Shared>>,
    Path((mage_id, label)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(r) = owner(&shared, &headers, &mage_id) {
        return r;
    }
    let item = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("m2").and_then(|a| a.get(0)).cloned());
    let Some(enabled) = item.as_ref().and_then(|i| i.get("is_enabled")).and_then(Value::as_bool) else {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "the body must be {\"m2\": [{\"is_enabled\": bool}]}");
    };
    let uid = item.as_ref().and_then(|i| i.get("uid")).and_then(Value::as_str).map(str::to_owned);
    let mut store = shared.eqp.store();
    match find_key(&mut store.keys, &label, uid.as_deref()) {
        Some(k) => {
            k.insert("is_enabled".into(), json!(enabled));
            Json(json!({"m2": [Value::Object(k.clone())]})).into_response()
        }
        None => eqp_error(StatusCode::NOT_FOUND, 404, &format!("no key labelled {label:?}")),
    }
}

pub(crate) async fn delete(
    State(shared): State<Arc<Shared>>,
    Path((mage_id, label)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = owner(&shared, &headers, &mage_id) {
        return r;
    }
    let uid = q.get("uid").cloned();
    let mut store = shared.eqp.store();
    let before = store.keys.len();
    store.keys.retain(|k| !(k.get("label") == Some(&json!(label)) && uid.as_ref().is_none_or(|u| k.get("uid") == Some(&json!(u)))));
    if store.keys.len() == before {
        return eqp_error(StatusCode::NOT_FOUND, 404, &format!("no key labelled {label:?}"));
    }
    StatusCode::NO_CONTENT.into_response()
}
