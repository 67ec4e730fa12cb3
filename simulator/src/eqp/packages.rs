//! `/rest/v1/products/packages`: batch create and update with per-item codes and no rollback,
//! single update, reads, lists with filters, sort and paging, and the review workflow.
//!
//! Per-item codes: `200` success; `1208` insufficient information for a technical submission
//! and `1210` invalid SKU (both from the docs); the simulator's own: `1200` item not an object,
//! `1209` insufficient information for a marketing submission, `1211` platform not M2, `1212`
//! unknown action, `1213` a referenced file failed its malware scan, `1215` duplicate
//! `item_id`, `1216` unknown `submission_id`, `1220` action not available now, `1221` changes
//! while in review.
//!
//! Malware: a package proceeds only when all its files pass their scan. An item that refers
//! (anywhere: `artifact`, `documentation_artifacts`, `media_artifacts`, `shared_packages`) to a
//! `file_upload_id` whose scan failed is refused with `1213`, and so is a submit of a package
//! that still refers to one (the scan may have failed after the draft was saved). A file still
//! being scanned is accepted.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::files::enrich_artifact;
use super::store::{now, page, paged_response, random_alnum, schedule, FileEntry, Store, TestRun, Verdict};
use crate::http::eqp_error;
use crate::Shared;

const EXACT: [&str; 7] = ["type", "platform", "license_type", "is_patch", "eqp_status.overall", "eqp_status.technical", "eqp_status.marketing"];
const SUBSTRING: [&str; 15] = [
    "item_id",
    "submission_id",
    "sku",
    "version",
    "name",
    "long_description",
    "release_notes",
    "custom_license_name",
    "custom_license_url",
    "requested_launch_date",
    "created_at",
    "modified_at",
    "latest_launch_date",
    "original_launch_date",
    "stability",
];
const READ_ONLY: [&str; 9] =
    ["action", "submission_id", "sku", "version", "eqp_status", "created_at", "modified_at", "actions_now_available", "item_id"];
const IN_REVIEW: [&str; 4] = ["in_automation", "awaiting_manual_qa", "in_manual_qa", "awaiting_marketing_review"];

type ItemError = (i64, String);

fn err(code: i64, message: impl Into<String>) -> ItemError {
    (code, message.into())
}

fn status_of<'a>(p: &'a Map<String, Value>, flow: &str) -> &'a str {
    p.get("eqp_status").and_then(|s| s.get(flow)).and_then(Value::as_str).unwrap_or("draft")
}

fn set_status(p: &mut Map<String, Value>, flow: &str, status: &str) {
    let s = p.entry("eqp_status").or_insert_with(|| json!({"overall": "draft", "technical": "draft", "marketing": "draft"}));
    s[flow] = json!(status);
}

/// Derive `overall` from the tracks.
fn recompute_overall(p: &mut Map<String, Value>) {
    let overall = status_of(p, "overall").to_owned();
    if overall.starts_with("canceled") {
        return;
    }
    let (t, m) = (status_of(p, "technical").to_owned(), status_of(p, "marketing").to_owned());
    let launch = p.get("launch_on_approval").and_then(Value::as_bool).unwrap_or(false);
    let next = if t == "approved" && m == "approved" {
        if launch || overall == "released_to_store" || overall == "developer_removed_from_store" {
            "released_to_store"
        } else {
            "approved"
        }
    } else if overall == "released_to_store" || overall == "developer_removed_from_store" {
        return;
    } else if t == "draft" && m == "draft" {
        "draft"
    } else {
        "in_progress"
    };
    set_status(p, "overall", next);
}

fn missing(p: &Map<String, Value>, field: &str) -> bool {
    let mut v = Some(&Value::Object(p.clone())).cloned();
    for part in field.split('.') {
        v = v.and_then(|x| x.get(part).cloned());
    }
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

fn check_technical(p: &Map<String, Value>) -> Result<(), ItemError> {
    let mut required = vec!["type", "platform", "version_compatibility", "release_notes", "version", "artifact.file_upload_id"];
    if p.get("type").and_then(Value::as_str) != Some("shared_package") {
        required.push("documentation_artifacts.user.file_upload_id");
    }
    match required.into_iter().find(|f| missing(p, f)) {
        Some(f) => Err(err(1208, format!("Insufficient information for Technical Submission (missing {f})"))),
        None => Ok(()),
    }
}

fn check_marketing(p: &Map<String, Value>) -> Result<(), ItemError> {
    let mut required = vec!["name", "long_description", "categories", "license_type", "media_artifacts.icon_image.file_upload_id"];
    if p.get("license_type").and_then(Value::as_str) == Some("custom") {
        required.extend(["custom_license_name", "custom_license_url"]);
    }
    match required.into_iter().find(|f| missing(p, f)) {
        Some(f) => Err(err(1209, format!("Insufficient information for Marketing Submission (missing {f})"))),
        None => Ok(()),
    }
}

/// Every `file_upload_id` in `v`, with where it is (`artifact.file_upload_id`).
fn file_refs(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    let join = |k: &str| if at.is_empty() { k.to_owned() } else { format!("{at}.{k}") };
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(id) if k == "file_upload_id" => out.push((join(k), id.clone())),
                    _ => file_refs(x, &join(k), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                file_refs(x, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Refuse a package (or the fields of an item) that refers to a file whose malware scan failed.
fn check_scans(files: &[FileEntry], fields: &Map<String, Value>) -> Result<(), ItemError> {
    let mut refs = Vec::new();
    for (k, v) in fields {
        file_refs(v, k, &mut refs);
    }
    for (at, id) in refs {
        let Some(f) = files.iter().find(|f| f.record["file_upload_id"] == json!(id)) else { continue };
        if f.record.get("malware_status").and_then(Value::as_str) == Some("fail") {
            let name = f.record.get("filename").and_then(Value::as_str).unwrap_or("");
            return Err(err(
                1213,
                format!("{at} {id} ({name}) failed the malware scan: a package proceeds only when all its files pass; upload a clean file and refer to its file_upload_id"),
            ));
        }
    }
    Ok(())
}

fn valid_sku(s: &str) -> bool {
    let ok = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
    matches!(s.split_once('/'), Some((v, n)) if ok(v) && ok(n))
}

/// The actions of an item: `(technical, marketing, overall)`.
fn actions(item: &Map<String, Value>) -> Result<(Option<String>, Option<String>, Option<String>), ItemError> {
    let Some(action) = item.get("action") else { return Ok((None, None, None)) };
    let get = |k: &str, allowed: &[&str]| -> Result<Option<String>, ItemError> {
        match action.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(Some(s.clone())),
            Some(other) => Err(err(1212, format!("unknown action.{k} {other}"))),
        }
    };
    if !action.is_object() {
        return Err(err(1212, "action must be an object"));
    }
    Ok((get("technical", &["draft", "submit", "recall"])?, get("marketing", &["draft", "submit", "recall"])?, get("overall", &["remove", "cancel"])?))
}

/// What happens to a track; `None` = no change.
fn track_transition(p: &Map<String, Value>, flow: &str, action: &str) -> Result<Option<&'static str>, ItemError> {
    let current = status_of(p, flow);
    let overall = status_of(p, "overall");
    match action {
        "draft" => Ok(None),
        "submit" => {
            let open = ["draft", "rejected", "recalled"].contains(&current)
                || (flow == "marketing" && ["released_to_store", "developer_removed_from_store"].contains(&overall));
            if !open || overall.starts_with("canceled") {
                return Err(err(1220, format!("cannot submit {flow}: it is {current}")));
            }
            if flow == "technical" {
                check_technical(p)?;
                Ok(Some("in_automation"))
            } else {
                check_marketing(p)?;
                Ok(Some("awaiting_marketing_review"))
            }
        }
        "recall" => {
            if IN_REVIEW.contains(&current) {
                Ok(Some("recalled"))
            } else {
                Err(err(1220, format!("cannot recall {flow}: it is {current}, not in review")))
            }
        }
        _ => Err(err(1212, format!("unknown action {action}"))),
    }
}

/// Apply the fields and actions of one item to `p` (all or nothing); returns the tracks that
/// entered review and the events to send.
fn apply(p: &mut Map<String, Value>, item: &Map<String, Value>, creating: bool, files: &[FileEntry]) -> Result<(Vec<String>, Vec<Value>), ItemError> {
    let (technical, marketing, overall) = actions(item)?;
    let changes: Map<String, Value> =
        item.iter().filter(|(k, _)| !READ_ONLY.contains(&k.as_str()) || (creating && *k != "action" && *k != "submission_id")).map(|(k, v)| (k.clone(), v.clone())).collect();
    let in_review = ["technical", "marketing"].iter().any(|f| IN_REVIEW.contains(&status_of(p, f)));
    let recall_only = technical.as_deref().is_none_or(|a| a == "recall") && marketing.as_deref().is_none_or(|a| a == "recall");
    if !creating && in_review && !(changes.is_empty() && recall_only && overall.is_none()) && !(changes.is_empty() && overall.as_deref() == Some("cancel")) {
        return Err(err(1221, "the submission is in review: only recall (or cancel) is possible"));
    }
    if let Some(platform) = changes.get("platform") {
        if platform != "M2" {
            return Err(err(1211, "platform must be M2"));
        }
    }
    check_scans(files, &changes)?;
    let mut next = p.clone();
    for (k, v) in changes {
        next.insert(k, v);
    }
    if [&technical, &marketing].iter().any(|a| a.as_deref() == Some("submit")) {
        check_scans(files, &next)?;
    }
    let mut entered = Vec::new();
    let mut events = Vec::new();
    for (flow, action) in [("technical", technical), ("marketing", marketing)] {
        if let Some(a) = action {
            if let Some(status) = track_transition(&next, flow, &a)? {
                set_status(&mut next, flow, status);
                if status != "recalled" {
                    entered.push(flow.to_owned());
                }
                recompute_overall(&mut next);
                events.push(flow.to_owned());
            }
        }
    }
    if let Some(o) = overall {
        let current = status_of(&next, "overall").to_owned();
        let status = match o.as_str() {
            "remove" if current == "released_to_store" => "developer_removed_from_store",
            "cancel" if !current.starts_with("canceled") && current != "released_to_store" => "canceled_by_developer",
            _ => return Err(err(1220, format!("cannot {o} a submission that is {current}"))),
        };
        set_status(&mut next, "overall", status);
        events.push("overall".to_owned());
    }
    next.insert("modified_at".into(), json!(now()));
    *p = next;
    let events = events.iter().map(|flow| super::callbacks::status_event(p, flow)).collect();
    Ok((entered, events))
}

/// Finish a track's review (after the configured delay, or from a control call).
pub(crate) fn complete_review(store: &mut Store, submission_id: &str, flow: &str, verdict: Verdict) -> Vec<Value> {
    let Some(p) = store.packages.iter_mut().find(|p| p["submission_id"] == json!(submission_id)) else { return Vec::new() };
    let current = status_of(p, flow);
    if !IN_REVIEW.contains(&current) {
        return Vec::new();
    }
    let pass = verdict == Verdict::Pass;
    set_status(p, flow, if pass { "approved" } else { "rejected" });
    recompute_overall(p);
    p.insert("modified_at".into(), json!(now()));
    if status_of(p, "overall") == "released_to_store" {
        let date = now();
        p.entry("original_launch_date").or_insert_with(|| json!(date));
        p.insert("latest_launch_date".into(), json!(date));
    }
    let event = super::callbacks::status_event(p, flow);
    let p = p.clone();
    let tools: &[&str] = if flow == "technical" { &["phpcs", "varnish"] } else { &["marketing"] };
    let run_id = store.next_run_id.to_string();
    store.next_run_id += 1;
    let runs = store.runs.entry(submission_id.to_owned()).or_default();
    for tool in tools {
        runs.push(TestRun {
            tool_run_id: run_id.clone(),
            name: (*tool).to_owned(),
            status: if pass { "pass" } else { "fail" }.to_owned(),
            date: now(),
            detail: super::test_results::detail(tool, &p, pass),
        });
    }
    vec![event]
}

fn schedule_reviews(shared: &Arc<Shared>, submission_id: &str, flows: Vec<String>) {
    let (delay, verdict) = {
        let s = shared.eqp.store();
        (s.review_delay, s.review_verdict)
    };
    let Some(delay) = delay else { return };
    for flow in flows {
        let id = submission_id.to_owned();
        schedule(shared, delay, move |store| complete_review(store, &id, &flow, verdict));
    }
}

/// The package as GET shows it: file details filled in, `actions_now_available` computed.
pub(crate) fn view(store: &Store, p: &Map<String, Value>) -> Value {
    let mut v = Value::Object(p.clone());
    if let Some(a) = v.get_mut("artifact") {
        enrich_artifact(&store.files, a);
    }
    if let Some(docs) = v.get_mut("documentation_artifacts").and_then(Value::as_object_mut) {
        for a in docs.values_mut() {
            enrich_artifact(&store.files, a);
        }
    }
    if let Some(media) = v.get_mut("media_artifacts").and_then(Value::as_object_mut) {
        if let Some(icon) = media.get_mut("icon_image") {
            enrich_artifact(&store.files, icon);
        }
        if let Some(Value::Array(g)) = media.get_mut("gallery_images") {
            for a in g {
                enrich_artifact(&store.files, a);
            }
        }
    }
    let mut available = json!({"overall": [], "technical": [], "marketing": []});
    for flow in ["technical", "marketing"] {
        for action in ["submit", "recall"] {
            if track_transition(p, flow, action).is_ok() || (action == "submit" && ["draft", "rejected", "recalled"].contains(&status_of(p, flow))) {
                if let Some(a) = available[flow].as_array_mut() {
                    a.push(json!(action));
                }
            }
        }
    }
    let overall = status_of(p, "overall");
    if overall == "released_to_store" {
        if let Some(a) = available["overall"].as_array_mut() {
            a.push(json!("remove"));
        }
    }
    if !overall.starts_with("canceled") && overall != "released_to_store" {
        if let Some(a) = available["overall"].as_array_mut() {
            a.push(json!("cancel"));
        }
    }
    v["actions_now_available"] = available;
    v
}

fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<String, Response> {
    shared.eqp.authorize(headers)
}

fn entry(p: &Map<String, Value>) -> Value {
    let mut e = json!({
        "code": 200, "message": "Success",
        "submission_id": p["submission_id"], "eqp_status": p["eqp_status"],
        "created_at": p["created_at"], "modified_at": p["modified_at"],
    });
    if let Some(id) = p.get("item_id") {
        e["item_id"] = id.clone();
    }
    e
}

fn failure((code, message): ItemError) -> Value {
    json!({"code": code, "message": message})
}

pub(crate) async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(&body) else {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "the body must be a JSON array of packages");
    };
    if items.is_empty() {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "the array is empty");
    }
    let vendor = shared.eqp.with_profile(|p, _| p.get("vendor_name").and_then(Value::as_str).unwrap_or("vendor").to_owned());
    let mut answers = Vec::new();
    let mut reviews = Vec::new();
    let mut events = Vec::new();
    {
        let mut store = shared.eqp.store();
        for item in items {
            let Value::Object(item) = item else {
                answers.push(failure(err(1200, "each item must be an object")));
                continue;
            };
            if let Some(id) = item.get("item_id") {
                if store.packages.iter().any(|p| p.get("item_id") == Some(id)) {
                    answers.push(failure(err(1215, format!("item_id {id} is already used"))));
                    continue;
                }
            }
            if let Some(sku) = item.get("sku") {
                if !sku.as_str().is_some_and(valid_sku) {
                    answers.push(failure(err(1210, "Invalid SKU given. SKU must be of the form 'vendor_name/package_name'")));
                    continue;
                }
            }
            let date = now();
            let n = store.packages.len() + 1;
            let mut p = Map::new();
            p.insert("submission_id".into(), json!(random_alnum(10)));
            p.insert("short_description".into(), json!(""));
            p.insert("eqp_status".into(), json!({"overall": "draft", "technical": "draft", "marketing": "draft"}));
            p.insert("created_at".into(), json!(date));
            let slug: String = item
                .get("name")
                .and_then(Value::as_str)
                .map(|n| n.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect())
                .unwrap_or_else(|| format!("package-{n}"));
            p.insert("sku".into(), item.get("sku").cloned().unwrap_or_else(|| json!(format!("{vendor}/{slug}"))));
            match apply(&mut p, &item, true, &store.files) {
                Ok((entered, evs)) => {
                    answers.push(entry(&p));
                    reviews.push((p["submission_id"].as_str().unwrap_or_default().to_owned(), entered));
                    events.extend(evs);
                    store.packages.push(p);
                }
                Err(e) => answers.push(failure(e)),
            }
        }
    }
    super::callbacks::deliver(&shared, events);
    for (id, flows) in reviews {
        schedule_reviews(&shared, &id, flows);
    }
    Json(Value::Array(answers)).into_response()
}

fn update_in(store: &mut Store, key: &str, item: &Map<String, Value>) -> Result<(Map<String, Value>, Vec<String>, Vec<Value>), ItemError> {
    let Store { packages, files, .. } = store;
    let Some(p) = packages.iter_mut().find(|p| p.get("submission_id") == Some(&json!(key)) || p.get("item_id") == Some(&json!(key))) else {
        return Err(err(1216, format!("no submission {key}")));
    };
    let (entered, events) = apply(p, item, false, files)?;
    Ok((p.clone(), entered, events))
}

pub(crate) async fn update_many(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(&body) else {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "the body must be a JSON array of packages");
    };
    let mut answers = Vec::new();
    let mut reviews = Vec::new();
    let mut events = Vec::new();
    {
        let mut store = shared.eqp.store();
        for item in items {
            let Value::Object(item) = item else {
                answers.push(failure(err(1200, "each item must be an object")));
                continue;
            };
            let Some(id) = item.get("submission_id").and_then(Value::as_str).map(str::to_owned) else {
                answers.push(failure(err(1216, "submission_id is required")));
                continue;
            };
            match update_in(&mut store, &id, &item) {
                Ok((p, entered, evs)) => {
                    answers.push(entry(&p));
                    reviews.push((id, entered));
                    events.extend(evs);
                }
                Err(e) => answers.push(failure(e)),
            }
        }
    }
    super::callbacks::deliver(&shared, events);
    for (id, flows) in reviews {
        schedule_reviews(&shared, &id, flows);
    }
    Json(Value::Array(answers)).into_response()
}

pub(crate) async fn update_one(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let Ok(Value::Object(item)) = serde_json::from_slice::<Value>(&body) else {
        return eqp_error(StatusCode::BAD_REQUEST, 400, "the body must be a JSON object");
    };
    let result = update_in(&mut shared.eqp.store(), &id, &item);
    match result {
        Ok((p, entered, events)) => {
            super::callbacks::deliver(&shared, events);
            schedule_reviews(&shared, p["submission_id"].as_str().unwrap_or_default(), entered);
            let store = shared.eqp.store();
            Json(view(&store, &p)).into_response()
        }
        Err((1216, m)) => eqp_error(StatusCode::NOT_FOUND, 1216, &m),
        Err((code, m)) => eqp_error(StatusCode::BAD_REQUEST, code, &m),
    }
}

pub(crate) async fn get_one(State(shared): State<Arc<Shared>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let store = shared.eqp.store();
    match store.packages.iter().find(|p| p["submission_id"] == json!(id)) {
        Some(p) => Json(view(&store, p)).into_response(),
        None => eqp_error(StatusCode::NOT_FOUND, 404, &format!("no submission {id}")),
    }
}

pub(crate) async fn by_item_id(State(shared): State<Arc<Shared>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let store = shared.eqp.store();
    match store.packages.iter().find(|p| p.get("item_id") == Some(&json!(id))) {
        Some(p) => Json(view(&store, p)).into_response(),
        None => eqp_error(StatusCode::NOT_FOUND, 404, &format!("no package with item_id {id}")),
    }
}

fn field_text(p: &Map<String, Value>, field: &str) -> String {
    let field = if field == "is_patch" { "process_as_patch" } else { field };
    let mut parts = field.split('.');
    let mut v = parts.next().and_then(|first| p.get(first));
    for part in parts {
        v = v.and_then(|x| x.get(part));
    }
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Filter, sort and page `items` per the query. It works on the stored packages: the fields it
/// reads are stored as they are shown (`view` only adds artifacts' details and the actions), so
/// only the page is turned into views.
fn select<'a>(items: Vec<&'a Map<String, Value>>, q: &HashMap<String, String>) -> Result<(Vec<&'a Map<String, Value>>, usize), String> {
    let mut items = items;
    for (k, v) in q {
        match k.as_str() {
            "offset" | "limit" | "sort" => {}
            f if EXACT.contains(&f) => items.retain(|p| field_text(p, f) == *v),
            f if SUBSTRING.contains(&f) => items.retain(|p| field_text(p, f).to_lowercase().contains(&v.to_lowercase())),
            other => return Err(format!("unknown filter {other:?}")),
        }
    }
    if let Some(sort) = q.get("sort") {
        let mut keys = Vec::new();
        for raw in sort.split(',') {
            let (desc, field) = match raw.as_bytes().first() {
                Some(b'-') => (true, &raw[1..]),
                Some(b'+') => (false, &raw[1..]),
                _ => (false, raw),
            };
            if !EXACT.contains(&field) && !SUBSTRING.contains(&field) {
                // A raw `+` arrives as a space: this is how a client that forgot to encode it fails.
                return Err(format!("unknown sort field {field:?}"));
            }
            keys.push((desc, field.to_owned()));
        }
        items.sort_by(|a, b| {
            keys.iter()
                .map(|(desc, f)| {
                    let o = field_text(a, f).cmp(&field_text(b, f));
                    if *desc { o.reverse() } else { o }
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
    }
    page(items, q)
}

fn list_of(shared: &Shared, headers: &HeaderMap, q: &HashMap<String, String>, keep: impl Fn(&Map<String, Value>) -> bool) -> Response {
    if let Err(r) = authorize(shared, headers) {
        return r;
    }
    let selected = {
        let store = shared.eqp.store();
        select(store.packages.iter().filter(|p| keep(p)).collect(), q)
            .map(|(page, total)| (page.into_iter().map(|p| view(&store, p)).collect::<Vec<Value>>(), total))
    };
    match selected {
        Ok((items, total)) => paged_response(items, total),
        Err(e) => eqp_error(StatusCode::BAD_REQUEST, 400, &e),
    }
}

pub(crate) async fn list(State(shared): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    list_of(&shared, &headers, &q, |_| true)
}

pub(crate) async fn list_skus(State(shared): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    list_of(&shared, &headers, &q, |_| true)
}

pub(crate) async fn by_sku(
    State(shared): State<Arc<Shared>>,
    Path(sku): Path<String>,
    Query(mut q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let version = q.remove("version");
    list_of(&shared, &headers, &q, |p| {
        p.get("sku") == Some(&json!(sku)) && version.as_ref().is_none_or(|v| p.get("version") == Some(&json!(v)))
    })
}

pub(crate) async fn list_items(State(shared): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    list_of(&shared, &headers, &q, |p| p.contains_key("item_id"))
}
