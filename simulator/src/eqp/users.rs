//! `GET` and `PUT /rest/v1/users/{mage_id}`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::http::eqp_error;
use crate::Shared;

const SUMMARY_FIELDS: [&str; 9] = [
    "mage_id",
    "adobe_user_id",
    "first_name",
    "last_name",
    "email",
    "screen_name",
    "has_completed_profile",
    "has_accepted_tos",
    "profile_image_artifact",
];

#[derive(Deserialize)]
pub(crate) struct StyleQuery {
    style: Option<String>,
}

fn check_owner(shared: &Shared, headers: &HeaderMap, mage_id: &str) -> Result<(), Response> {
    let owner = shared.eqp.authorize(headers)?;
    if owner != mage_id {
        return Err(eqp_error(StatusCode::FORBIDDEN, 403, "the session token does not belong to this mage_id"));
    }
    Ok(())
}

pub(crate) async fn get_profile(
    State(shared): State<Arc<Shared>>,
    Path(mage_id): Path<String>,
    Query(q): Query<StyleQuery>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = check_owner(&shared, &headers, &mage_id) {
        return r;
    }
    let profile = shared.eqp.with_profile(|p, _| p.clone());
    match q.style.as_deref() {
        None | Some("") | Some("full") => Json(Value::Object(profile)).into_response(),
        Some("summary") => {
            let summary: Map<String, Value> =
                profile.into_iter().filter(|(k, _)| SUMMARY_FIELDS.contains(&k.as_str())).collect();
            Json(Value::Object(summary)).into_response()
        }
        Some(other) => eqp_error(StatusCode::BAD_REQUEST, 400, &format!("unknown style {other:?}")),
    }
}

pub(crate) async fn update_profile(
    State(shared): State<Arc<Shared>>,
    Path(mage_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(r) = check_owner(&shared, &headers, &mage_id) {
        return r;
    }
    let Ok(Value::Object(mut changes)) = serde_json::from_slice::<Value>(&body) else {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "body must be a JSON object");
    };
    match changes.remove("action") {
        None => {}
        Some(Value::String(a)) if a == "submit" || a == "draft" => {}
        Some(other) => return eqp_error(StatusCode::BAD_REQUEST, 400, &format!("invalid action {other}")),
    }
    // Read-only fields are ignored, as the docs say of unknown and read-only fields.
    for read_only in ["mage_id", "adobe_user_id", "email"] {
        changes.remove(read_only);
    }
    let updated = shared.eqp.with_profile(|profile, passwords| {
        if let Some(Value::Array(callbacks)) = changes.get_mut("api_callbacks") {
            for cb in callbacks.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(Value::String(password)) = cb.remove("password") {
                    let url = cb.get("url").and_then(Value::as_str).unwrap_or_default().to_owned();
                    passwords.insert(url, password);
                }
            }
        }
        merge(profile, changes);
        profile.clone()
    });
    (StatusCode::OK, Json(Value::Object(updated))).into_response()
}

/// Partial update: objects merge field by field, anything else replaces.
fn merge(target: &mut Map<String, Value>, changes: Map<String, Value>) {
    for (key, value) in changes {
        match (target.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(new)) => merge(existing, new),
            (_, value) => {
                target.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_is_deep_for_objects_only() {
        let mut p = json!({"a": {"x": 1, "y": 2}, "b": [1, 2]}).as_object().unwrap().clone();
        merge(&mut p, json!({"a": {"y": 3}, "b": [9]}).as_object().unwrap().clone());
        assert_eq!(Value::Object(p), json!({"a": {"x": 1, "y": 3}, "b": [9]}));
    }
}
