//! Advertisement images: added by URL, "downloaded" after a configurable delay
//! ([`crate::Simulator::set_mp_image_delay`]), then `available`; and the image resources
//! (`/v1/images/...`), which also serve profile images uploaded as files.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::ads::ad_href;
use super::{curies, detail, item_number, json_body, not_found, ok, user_caller, validation, with_status, ImageRecord, Platform, JSON};
use crate::Shared;

const MAX_IMAGES: usize = 24;

pub(crate) fn image_json(media_id: &str, img: &ImageRecord) -> Value {
    let href = format!("/v1/images/{media_id}");
    let status = if Instant::now() >= img.available_at { "available" } else { "downloading" };
    json!({
        "_links": {
            "self": {"href": href}, "curies": curies(),
            "mp:image-blob": {"href": format!("{href}/{{size}}/blob"), "templated": true},
            "mp:image-meta": {"href": format!("{href}/{{size}}/meta"), "templated": true}
        },
        "mediaId": media_id, "imageId": img.image_id, "status": status
    })
}

fn ad_images(inner: &mut super::MpInner, p: Platform, user: i64, item_id: &str) -> Result<Vec<Value>, Response> {
    let n = item_number(item_id).ok_or_else(|| not_found("advertisement-not-found", "Advertisement"))?;
    let data = inner.data(p);
    let rec = data.ads.get(&n).filter(|r| r.owner == user).ok_or_else(|| not_found("advertisement-not-found", "Advertisement"))?;
    Ok(rec.images.iter().filter_map(|m| data.images.get(m).map(|i| image_json(m, i))).collect())
}

pub(crate) async fn list(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    match ad_images(&mut s.mp.lock(), p, user, &item_id) {
        Ok(items) => ok(json!({"_links": {"self": {"href": format!("{}/images", ad_href(&item_id))}, "curies": curies()},
                               "_embedded": {"mp:advertisement-image": items}})),
        Err(r) => r,
    }
}

pub(crate) async fn add(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>, body: Bytes) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let body = or_respond!(json_body(&headers, &body, JSON));
    let urls: Vec<String> = match body.get("urls").and_then(Value::as_array) {
        Some(a) if !a.is_empty() && a.iter().all(Value::is_string) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => return validation(vec![detail("urls", "field-missing", "A list of image URLs is required", None)]),
    };
    let replace_all = body.get("replaceAll").and_then(Value::as_bool).unwrap_or(false);
    let mut inner = s.mp.lock();
    let delay = inner.image_delay;
    let Some(n) = item_number(&item_id).filter(|n| inner.data(p).ads.get(n).is_some_and(|r| r.owner == user)) else {
        return not_found("advertisement-not-found", "Advertisement");
    };
    let mut ids = Vec::new();
    for url in &urls {
        let image_id = inner.next_id();
        let data = inner.data(p);
        let existing = data.ads[&n].images.iter().find(|m| data.images.get(*m).is_some_and(|i| &i.url == url)).cloned();
        // A URL is fetched once per ad: the same URL keeps its image.
        let media = existing.unwrap_or_else(|| {
            let media = super::uuid();
            data.images.insert(media.clone(), ImageRecord { image_id, url: url.clone(), available_at: Instant::now() + delay, blob: None });
            media
        });
        ids.push(media);
    }
    let data = inner.data(p);
    let rec = data.ads.get_mut(&n).expect("checked above");
    if replace_all {
        for old in rec.images.drain(..) {
            if !ids.contains(&old) {
                data.images.remove(&old);
            }
        }
    }
    for id in &ids {
        if !rec.images.contains(id) {
            rec.images.push(id.clone());
        }
    }
    if rec.images.len() > MAX_IMAGES {
        return validation(vec![detail("urls", "input-invalid", "An advertisement has at most 24 images", Some(json!("24")))]);
    }
    let items: Vec<Value> = ids.iter().filter_map(|m| data.images.get(m).map(|i| image_json(m, i))).collect();
    with_status(StatusCode::ACCEPTED, json!({"_links": {"curies": curies()}, "_embedded": {"mp:advertisement-image": items}}))
}

pub(crate) async fn get(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(media_id): Path<String>) -> Response {
    or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    match inner.data(p).images.get(&media_id) {
        Some(img) => ok(image_json(&media_id, img)),
        None => not_found("image-not-found", "Image"),
    }
}

pub(crate) async fn meta(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((media_id, size)): Path<(String, String)>) -> Response {
    or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    match inner.data(p).images.get(&media_id) {
        Some(img) => {
            let content_type = img.blob.as_ref().map_or("image/jpeg", |(_, ct)| ct);
            ok(json!({"_links": {"self": {"href": format!("/v1/images/{media_id}/{size}/meta")}},
                      "size": size, "width": 1024, "height": 768, "contentType": content_type, "sourceUrl": img.url}))
        }
        None => not_found("image-not-found", "Image"),
    }
}

pub(crate) async fn blob(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((media_id, _size)): Path<(String, String)>) -> Response {
    or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    match inner.data(p).images.get(&media_id) {
        // An uploaded image comes back as it was sent, whatever the size asked for.
        Some(ImageRecord { blob: Some((bytes, content_type)), .. }) => ([(header::CONTENT_TYPE, *content_type)], bytes.clone()).into_response(),
        // A 1x1 JPEG-ish placeholder: the bytes are not meant to be decoded.
        Some(_) => ([(header::CONTENT_TYPE, "image/jpeg")], vec![0xFFu8, 0xD8, 0xFF, 0xD9]).into_response(),
        None => not_found("image-not-found", "Image"),
    }
}
