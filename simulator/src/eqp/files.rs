//! `/rest/v1/files/uploads`: multipart uploads (streamed, hashed, never held: see
//! [`crate::multipart`]), records, list, and malware scans that finish after a delay.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::store::{now, page, paged_response, schedule, FileEntry, Verdict};
use crate::http::eqp_error;
use crate::multipart::Refusal;
use crate::Shared;

/// A PHP-uniqid-like id: `5c129cd41ba478.65767699.1`.
fn upload_id(n: usize) -> String {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{:08x}{:05x}.{:08}.{}", d.as_secs(), d.subsec_micros(), fastrand::u32(..100_000_000), n % 10)
}

pub(crate) async fn upload(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    if let Err(r) = shared.eqp.authorize(&headers) {
        return r;
    }
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let parts = match crate::multipart::hash_parts(body, content_type).await {
        Ok(p) => p,
        Err(Refusal::NotMultipart) => {
            return eqp_error(StatusCode::BAD_REQUEST, 400, "Content-Type must be multipart/form-data with a boundary")
        }
        Err(Refusal::Malformed(e)) => return eqp_error(StatusCode::BAD_REQUEST, 400, &format!("malformed multipart body: {e}")),
    };
    if parts.is_empty() {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "no file in the request");
    }
    if let Some(bad) = parts.iter().find(|p| p.name != "file[]") {
        return eqp_error(StatusCode::BAD_REQUEST, 400, &format!("every part must be named file[]; got {:?}", bad.name));
    }
    let mut answer = Vec::new();
    let mut ids = Vec::new();
    {
        let mut store = shared.eqp.store();
        for p in parts {
            let id = upload_id(store.files.len());
            let filename = p.filename.clone().unwrap_or_default();
            let content_type = p.content_type.clone().unwrap_or_else(|| "application/octet-stream".into());
            let mut record = Map::new();
            record.insert("file_upload_id".into(), json!(id));
            record.insert("filename".into(), json!(filename));
            record.insert("content_type".into(), json!(content_type));
            record.insert("size".into(), json!(p.size));
            record.insert("malware_status".into(), json!("in-progress"));
            record.insert("submission_ids".into(), json!([]));
            record.insert("is_profile_image".into(), json!(false));
            record.insert(
                "url".into(),
                json!(format!("https://commercedeveloper-sandbox-static.adobe.com/user/pub/{}/{}", p.md5, filename)),
            );
            store.files.push(FileEntry { record, md5: p.md5 });
            answer.push(json!({"filename": filename, "content_type": content_type, "size": p.size, "file_upload_id": id}));
            ids.push(id);
        }
    }
    let delay = shared.eqp.store().scan_delay;
    schedule(&shared, delay, move |store| {
        let verdict = store.scan_verdict;
        let mut events = Vec::new();
        for id in ids {
            if let Some(f) = store.files.iter_mut().find(|f| f.record["file_upload_id"] == json!(id)) {
                // A file whose name says so fails whatever the configured verdict.
                let name = f.record.get("filename").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
                let passed = verdict == Verdict::Pass && !name.contains("malware");
                f.record.insert("malware_status".into(), json!(if passed { "pass" } else { "fail" }));
                if passed {
                    f.record.insert("file_hash".into(), json!(f.md5));
                }
                events.push(super::callbacks::scan_event(&id, passed, &now()));
            }
        }
        events
    });
    Json(Value::Array(answer)).into_response()
}

pub(crate) async fn get_one(State(shared): State<Arc<Shared>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Err(r) = shared.eqp.authorize(&headers) {
        return r;
    }
    let store = shared.eqp.store();
    match store.files.iter().find(|f| f.record["file_upload_id"] == json!(id)) {
        Some(f) => Json(Value::Object(f.record.clone())).into_response(),
        None => eqp_error(StatusCode::NOT_FOUND, 404, &format!("no file {id}")),
    }
}

pub(crate) async fn list(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = shared.eqp.authorize(&headers) {
        return r;
    }
    let all: Vec<Value> = shared.eqp.store().files.iter().map(|f| Value::Object(f.record.clone())).collect();
    match page(all, &q) {
        Ok((items, total)) => paged_response(items, total),
        Err(e) => eqp_error(StatusCode::BAD_REQUEST, 400, &e),
    }
}

/// File details for an artifact reference, when the file is known.
pub(crate) fn enrich_artifact(files: &[FileEntry], artifact: &mut Value) {
    let Some(obj) = artifact.as_object_mut() else { return };
    let Some(id) = obj.get("file_upload_id").and_then(Value::as_str).map(str::to_owned) else { return };
    if let Some(f) = files.iter().find(|f| f.record["file_upload_id"] == json!(id)) {
        for k in ["filename", "content_type", "size", "malware_status", "file_hash", "url"] {
            if let Some(v) = f.record.get(k) {
                obj.insert(k.into(), v.clone());
            }
        }
    }
}
