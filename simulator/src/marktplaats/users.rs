//! `/v1/me`, `/v1/users/...` (account creation, e-mail change, own ads with pagination, brands,
//! profile and its images (set by URL or uploaded as a file), reviews and their settings, user features, statistics, legal status)
//! and `/v1/orders/...`.

use std::sync::Arc;

use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Extension, MatchedPath, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::ads::{make_order, render};
use super::{
    caller, created, curies, detail, error, json_body, json_object_body, not_found, ok, phone_problem, query_map, unauthorized_action, user_caller, validation,
    ImageRecord, Platform, PlatformData, ProfileImage, JSON, JSON_PATCH,
};
use crate::multipart::{FilePart, Refusal};
use crate::Shared;

const USER_FEATURES: [(&str, i64); 2] = [("bedrijfsprofilering", 1234), ("klantscore", 5678)];
const PROFILE_LIMITS: [(&str, usize); 6] = [("title", 150), ("description", 500), ("videoUrl", 150), ("mission", 500), ("sellerUrl", 150), ("awards", 500)];

fn user_href(id: i64) -> String {
    format!("/v1/users/{id}")
}

/// The caller, who must be `user_id` itself (`status` when not: 401 on user ads, 403 elsewhere).
fn own_user(s: &Shared, p: Platform, headers: &HeaderMap, user_id: &str, status: StatusCode) -> Result<i64, Response> {
    let me = user_caller(s, p, headers)?;
    if user_id.parse::<i64>().ok() != Some(me) {
        return Err(error(status, "unauthorized", "Only the logged-in user's own data is accessible"));
    }
    Ok(me)
}

pub(crate) async fn me(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let me = or_respond!(user_caller(&s, p, &headers));
    let mut resp = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(&user_href(me)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

pub(crate) async fn collection(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    or_respond!(caller(&s, p, &headers));
    ok(json!({"_links": {
        "self": {"href": "/v1/users", "title": "Access to users"},
        "describedby": {"href": "https://api.marktplaats.nl/docs/v1/users.html"},
        "item": {"href": "/v1/users/{userId}", "templated": true}
    }}))
}

fn user_json(id: i64, u: &Map<String, Value>, full: bool) -> Value {
    let mut out = Map::new();
    out.insert("_links".into(), json!({"self": {"href": user_href(id)}, "curies": curies(),
        "mp:user-advertisements": {"href": format!("{}/advertisements", user_href(id))},
        "mp:user-profile": {"href": format!("{}/profile", user_href(id))}}));
    for (k, v) in u {
        if full || !matches!(k.as_str(), "email" | "phoneNumber" | "postcode") {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

pub(crate) async fn get(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let c = or_respond!(caller(&s, p, &headers));
    let Ok(id) = user_id.parse::<i64>() else { return not_found("user-not-found", "User") };
    let mut inner = s.mp.lock();
    match inner.data(p).users.get(&id) {
        Some(u) => ok(user_json(id, u, c.user_id == Some(id))),
        None => not_found("user-not-found", "User"),
    }
}

pub(crate) async fn create(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let c = or_respond!(caller(&s, p, &headers));
    if c.user_id.is_some() || !c.scopes.iter().any(|s| s == "create_account") {
        return unauthorized_action("creating accounts needs a client-credentials token with scope create_account");
    }
    let body = or_respond!(json_object_body(&headers, &body, "A user is a JSON object"));
    let mut inner = s.mp.lock();
    let mut d = Vec::new();
    match body.get("email").and_then(Value::as_str) {
        None => d.push(detail("email", "missing-required-field", "This field is required", None)),
        Some(e) if !e.contains('@') => d.push(detail("email", "input-invalid", "Not an e-mail address", None)),
        Some(e) if inner.data(p).users.values().any(|u| u.get("email").and_then(Value::as_str) == Some(e)) => {
            d.push(detail("email", "email-in-use", "This e-mail address is already in use", None))
        }
        _ => {}
    }
    if let Some(ph) = body.get("phoneNumber").and_then(Value::as_str) {
        if let Some(why) = phone_problem(ph) {
            d.push(detail("phoneNumber", "input-invalid", why, None));
        }
    }
    if let Some(l) = body.get("locale").and_then(Value::as_str) {
        if !p.locales().contains(&l) {
            d.push(detail("locale", "input-invalid", &format!("Allowed on {}: {}", p.as_str(), p.locales().join(", ")), None));
        }
    }
    for (f, max) in [("name", 30), ("postcode", 6)] {
        if body.get(f).and_then(Value::as_str).is_some_and(|v| v.chars().count() > max) {
            d.push(detail(f, "input-too-long", "Too long", Some(json!(max.to_string()))));
        }
    }
    if !d.is_empty() {
        return validation(d);
    }
    let id = inner.next_id();
    let mut user = Map::new();
    user.insert("userId".into(), id.into());
    for k in ["email", "name", "postcode", "phoneNumber"] {
        if let Some(v) = body.get(k) {
            user.insert(k.into(), v.clone());
        }
    }
    user.insert("locale".into(), body.get("locale").cloned().unwrap_or_else(|| p.default_locale().into()));
    let status = if body.get("status").and_then(Value::as_str) == Some("confirmed") { "confirmed" } else { "unconfirmed" };
    user.insert("status".into(), status.into());
    inner.data(p).users.insert(id, user.clone());
    created(&user_href(id), Some(user_json(id, &user, true)))
}

pub(crate) async fn change_email(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>, body: Bytes) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let body = or_respond!(json_body(&headers, &body, JSON));
    let mut inner = s.mp.lock();
    let new = body.get("newEmail").and_then(Value::as_str).unwrap_or("");
    if !new.contains('@') {
        return validation(vec![detail("newEmail", "input-invalid", "Not an e-mail address", None)]);
    }
    if inner.data(p).users.values().any(|u| u.get("email").and_then(Value::as_str) == Some(new)) {
        return validation(vec![detail("newEmail", "email-in-use", "This e-mail address is already in use", None)]);
    }
    let old = inner.data(p).users.get(&me).and_then(|u| u.get("email")).and_then(Value::as_str).unwrap_or("").to_owned();
    ok(json!({"_links": {"self": {"href": user_href(me)}}, "message": format!("A confirmation email has been sent to {old}")}))
}

pub(crate) async fn ads(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::UNAUTHORIZED));
    let q = query_map(q.as_deref());
    let parse = |k: &str, default: i64| q.get(k).map(|v| v.parse::<i64>().unwrap_or(-1)).unwrap_or(default);
    let (offset, limit) = (parse("offset", 0), parse("limit", 100));
    if !(1..=100).contains(&limit) || offset < 0 || offset % limit != 0 {
        return error(StatusCode::BAD_REQUEST, "pagination-invalid", "The offset must be a multiple of the limit (limit 1 to 100)");
    }
    let mut inner = s.mp.lock();
    let own: Vec<Value> = inner.data(p).ads.values().filter(|r| r.owner == me).map(render).collect();
    let total = own.len() as i64;
    // Listed without attribute values, as documented: category attributes are left out.
    let page: Vec<Value> = own.into_iter().skip(offset as usize).take(limit as usize).collect();
    let href = |o: i64| format!("{}/advertisements?offset={o}&limit={limit}", user_href(me));
    let mut links = json!({"self": {"href": href(offset)}, "first": {"href": href(0)}});
    if offset + limit < total {
        links["next"] = json!({"href": href(offset + limit)});
    }
    if offset > 0 {
        links["prev"] = json!({"href": href(offset - limit)});
    }
    ok(json!({"_links": links, "_embedded": {"mp:advertisement": page}, "offset": offset, "limit": limit, "totalCount": total}))
}

pub(crate) async fn brands(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    ok(json!({"_links": {"self": {"href": format!("{}/brands", user_href(me))},
              "describedby": {"href": "https://api.marktplaats.nl/docs/v1/user-brands.html"}},
              "brands": ["Alfa Romeo", "Ford"]}))
}

/// A profile image as the API shows it.
fn image_json(me: i64, kind: &str, img: &ProfileImage) -> Value {
    let href = format!("{}/profile/{kind}", user_href(me));
    let mut out = json!({"_links": {"self": {"href": href}}, "url": img.url, "status": "available"});
    if let Some(media) = &img.media_id {
        let image = format!("/v1/images/{media}");
        out["_links"]["mp:image-blob"] = json!({"href": format!("{image}/{{size}}/blob"), "templated": true});
        out["_links"]["mp:image-meta"] = json!({"href": format!("{image}/{{size}}/meta"), "templated": true});
        out["mediaId"] = json!(media);
    }
    out
}

fn profile_json(me: i64, p: &Map<String, Value>, images: &[(&String, &ProfileImage)]) -> Value {
    let base = format!("{}/profile", user_href(me));
    let mut links = json!({"self": {"href": base}, "describedby": {"href": "https://api.marktplaats.nl/docs/v1/user-profile.html"}});
    let mut embedded = Map::new();
    for (kind, img) in images {
        links[format!("mp:{kind}")] = json!({"href": format!("{base}/{kind}")});
        embedded.insert(format!("mp:{kind}"), image_json(me, kind, img));
    }
    let mut out = Map::new();
    out.insert("_links".into(), links);
    if !embedded.is_empty() {
        out.insert("_embedded".into(), Value::Object(embedded));
    }
    out.extend(p.clone());
    Value::Object(out)
}

fn profile_response(inner: &mut super::MpInner, p: Platform, me: i64) -> Response {
    let data = inner.data(p);
    let profile = data.profiles.get(&me).cloned().unwrap_or_default();
    let mut images: Vec<(&String, &ProfileImage)> = data.profile_images.iter().filter(|((u, _), _)| *u == me).map(|((_, k), img)| (k, img)).collect();
    images.sort_by_key(|(k, _)| *k);
    ok(profile_json(me, &profile, &images))
}

fn check_lengths(body: &Map<String, Value>, limits: &[(&str, usize)]) -> Vec<Value> {
    limits
        .iter()
        .filter(|(f, max)| body.get(*f).and_then(Value::as_str).is_some_and(|v| v.chars().count() > *max))
        .map(|(f, max)| detail(f, "input-too-long", "Too long", Some(json!(max.to_string()))))
        .collect()
}

fn strip_links(m: &mut Map<String, Value>) {
    m.remove("_links");
    m.remove("_embedded");
}

pub(crate) async fn profile(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    profile_response(&mut s.mp.lock(), p, me)
}

pub(crate) async fn replace_profile(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>, body: Bytes) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let mut body = or_respond!(json_object_body(&headers, &body, "A profile is a JSON object"));
    strip_links(&mut body);
    let d = check_lengths(&body, &PROFILE_LIMITS);
    if !d.is_empty() {
        return validation(d);
    }
    let mut inner = s.mp.lock();
    inner.data(p).profiles.insert(me, body);
    profile_response(&mut inner, p, me)
}

pub(crate) async fn patch_profile(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>, body: Bytes) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let ops = or_respond!(json_body(&headers, &body, JSON_PATCH));
    let mut inner = s.mp.lock();
    let current = Value::Object(inner.data(p).profiles.get(&me).cloned().unwrap_or_default());
    let patched = match super::patch::apply(&current, &ops) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return error(StatusCode::CONFLICT, "conflicting-state", "A profile is an object"),
        Err(e) => return error(StatusCode::CONFLICT, "conflicting-state", &e),
    };
    let d = check_lengths(&patched, &PROFILE_LIMITS);
    if !d.is_empty() {
        return validation(d);
    }
    inner.data(p).profiles.insert(me, patched);
    profile_response(&mut inner, p, me)
}

/// The image kind of a profile image route: the last segment of its path
/// (`profile-image`, `backdrop-image` or `logo-image`; the router serves no other).
fn image_kind(route: &MatchedPath) -> String {
    route.as_str().rsplit('/').next().unwrap_or_default().to_owned()
}

pub(crate) async fn profile_image(
    Extension(p): Extension<Platform>,
    State(s): State<Arc<Shared>>,
    route: MatchedPath,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let kind = image_kind(&route);
    let mut inner = s.mp.lock();
    match inner.data(p).profile_images.get(&(me, kind.clone())) {
        Some(img) => ok(image_json(me, &kind, img)),
        None => not_found("image-not-found", "Image"),
    }
}

/// Largest profile image file accepted (the API's "under 8 MB").
pub(crate) const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// Largest JSON body read (axum's default limit for the other JSON routes).
const MAX_JSON_BYTES: usize = 2 * 1024 * 1024;

/// What a profile image POST carried.
enum NewImage {
    Url(String),
    File(Bytes, &'static str),
}

/// The image of a POST body: `{url}` as JSON, or a JPG, PNG or BMP file in the `file` part of
/// a `multipart/form-data` form.
async fn new_image(headers: &HeaderMap, body: Body) -> Result<NewImage, Response> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "multipart/form-data" {
        let bytes = axum::body::to_bytes(body, MAX_JSON_BYTES)
            .await
            .map_err(|_| error(StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "The JSON body is too large"))?;
        let json = json_body(headers, &bytes, &["application/json", "multipart/form-data"])?;
        return match json.get("url").and_then(Value::as_str).filter(|u| u.starts_with("http")) {
            Some(url) => Ok(NewImage::Url(url.to_owned())),
            None => Err(validation(vec![detail("url", "field-missing", "An image URL (or a file in a multipart/form-data part named file) is required", None)])),
        };
    }
    let part = crate::multipart::file_part(body, content_type, "file", MAX_IMAGE_BYTES).await.map_err(|r| match r {
        Refusal::NotMultipart => error(StatusCode::BAD_REQUEST, "incorrect-content-type", "multipart/form-data needs a boundary"),
        Refusal::Malformed(e) => error(StatusCode::BAD_REQUEST, "invalid-multipart", &format!("The multipart body is malformed: {e}")),
    })?;
    let bytes = match part {
        FilePart::File(bytes) => bytes,
        FilePart::Missing => return Err(validation(vec![detail("file", "field-missing", "A file part named file is required", None)])),
        FilePart::TooLarge => {
            return Err(validation(vec![detail("file", "file-too-large", "The file must be under 8 MB", Some(json!(MAX_IMAGE_BYTES.to_string())))]))
        }
    };
    // What the bytes are, not what the part's Content-Type claims.
    match infer::get(&bytes).map(|t| t.mime_type()) {
        Some(mime @ ("image/jpeg" | "image/png" | "image/bmp")) => Ok(NewImage::File(bytes, mime)),
        _ => Err(validation(vec![detail("file", "invalid-file-format", "The file must be a JPG, PNG or BMP image", None)])),
    }
}

pub(crate) async fn set_profile_image(
    Extension(p): Extension<Platform>,
    State(s): State<Arc<Shared>>,
    route: MatchedPath,
    headers: HeaderMap,
    Path(user_id): Path<String>,
    body: Body,
) -> Response {
    // The body is read first (as the JSON routes' extractors do), so that a refusal reaches a
    // client still sending a large file.
    let image = new_image(&headers, body).await;
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let image = or_respond!(image);
    let kind = image_kind(&route);
    let mut inner = s.mp.lock();
    let img = match image {
        NewImage::Url(url) => ProfileImage { url, media_id: None },
        NewImage::File(bytes, content_type) => {
            let image_id = inner.next_id();
            let media = super::uuid();
            let blob_path = format!("/v1/images/{media}/large/blob");
            // Absolute, as the URL of an image set by URL is.
            let url = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
                Some(host) => format!("http://{host}{blob_path}"),
                None => blob_path,
            };
            let record = ImageRecord { image_id, url: url.clone(), available_at: Instant::now(), blob: Some((bytes, content_type)) };
            inner.data(p).images.insert(media.clone(), record);
            ProfileImage { url, media_id: Some(media) }
        }
    };
    let data = inner.data(p);
    let answer = image_json(me, &kind, &img);
    if let Some(old) = data.profile_images.insert((me, kind), img) {
        forget_upload(data, old);
    }
    ok(answer)
}

/// Drop the stored bytes of a replaced or deleted profile image.
fn forget_upload(data: &mut PlatformData, old: ProfileImage) {
    if let Some(media) = old.media_id {
        data.images.remove(&media);
    }
}

pub(crate) async fn delete_profile_image(
    Extension(p): Extension<Platform>,
    State(s): State<Arc<Shared>>,
    route: MatchedPath,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let mut inner = s.mp.lock();
    let data = inner.data(p);
    match data.profile_images.remove(&(me, image_kind(&route))) {
        Some(old) => {
            forget_upload(data, old);
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found("image-not-found", "Image"),
    }
}

pub(crate) async fn reviews(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let sub = json!([{"description": "klantgerichtheid", "score": 8.2}, {"description": "nazorg", "score": 9.1}]);
    ok(json!({
        "_links": {"self": {"href": format!("{}/reviews", user_href(me))}},
        "_embedded": {"mp:user-review": [{"platform": "klantenvertellen", "name": "Vrouw", "place": "Bilthoven", "date": "2014-10-12",
            "reason": "Evaluatie aanschaf gebruikte auto/occasion", "overallScore": 8, "content": "De autoverkoper was erg behulpzaam", "subScores": sub}]},
        "numberOfReviews": 1, "averageScore": 8.0, "averageSubScores": sub
    }))
}

fn settings_response(inner: &mut super::MpInner, p: Platform, me: i64) -> Response {
    let mut out = Map::new();
    out.insert("_links".into(), json!({"self": {"href": format!("{}/reviews-settings", user_href(me))}}));
    out.extend(inner.data(p).review_settings.get(&me).cloned().unwrap_or_default());
    ok(Value::Object(out))
}

fn check_settings(m: &Map<String, Value>) -> Vec<Value> {
    let mut d = check_lengths(m, &[("reviewsPlatform", 150), ("reviewsUser", 100)]);
    if let Some(pl) = m.get("reviewsPlatform").and_then(Value::as_str) {
        if !matches!(pl, "tevreden" | "klantenvertellen") {
            d.push(detail("reviewsPlatform", "input-invalid", "Must be tevreden or klantenvertellen", None));
        }
    }
    d
}

pub(crate) async fn review_settings(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    settings_response(&mut s.mp.lock(), p, me)
}

pub(crate) async fn replace_review_settings(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>, body: Bytes) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let mut body = or_respond!(json_object_body(&headers, &body, "Settings are a JSON object"));
    strip_links(&mut body);
    let d = check_settings(&body);
    if !d.is_empty() {
        return validation(d);
    }
    let mut inner = s.mp.lock();
    inner.data(p).review_settings.insert(me, body);
    settings_response(&mut inner, p, me)
}

pub(crate) async fn patch_review_settings(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>, body: Bytes) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let ops = or_respond!(json_body(&headers, &body, JSON_PATCH));
    let mut inner = s.mp.lock();
    let current = Value::Object(inner.data(p).review_settings.get(&me).cloned().unwrap_or_default());
    let patched = match super::patch::apply(&current, &ops) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return error(StatusCode::CONFLICT, "conflicting-state", "Settings are an object"),
        Err(e) => return error(StatusCode::CONFLICT, "conflicting-state", &e),
    };
    let d = check_settings(&patched);
    if !d.is_empty() {
        return validation(d);
    }
    inner.data(p).review_settings.insert(me, patched);
    settings_response(&mut inner, p, me)
}

pub(crate) async fn features(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let mut inner = s.mp.lock();
    let data = inner.data(p);
    let items: Vec<Value> = USER_FEATURES
        .iter()
        .map(|(n, price)| {
            let active = data.user_features.contains_key(&(me, (*n).to_owned()));
            let href = format!("{}/features/{n}", user_href(me));
            let mut links = json!({"self": {"href": href}});
            if !active {
                links["mp:buy-user-feature"] = json!({"href": format!("{href}/buy-feature")});
            }
            json!({"_links": links, "name": n, "price": price, "available": !active, "active": active})
        })
        .collect();
    ok(json!({"_links": {"self": {"href": format!("{}/features", user_href(me))}, "curies": curies()}, "_embedded": {"mp:user-feature": items}}))
}

pub(crate) async fn buy_feature(
    Extension(p): Extension<Platform>,
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((user_id, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let body = or_respond!(json_body(&headers, &body, JSON));
    if body.get("pay") != Some(&Value::Bool(true)) {
        return validation(vec![detail("pay", "input-invalid", "pay must be true", None)]);
    }
    let Some((_, price)) = USER_FEATURES.iter().find(|(n, _)| *n == name) else {
        return error(StatusCode::BAD_REQUEST, "invalid-feature-type", &format!("Unknown feature {name:?}"));
    };
    let mut inner = s.mp.lock();
    if inner.data(p).user_features.insert((me, name.clone()), true).is_some() {
        return error(StatusCode::BAD_REQUEST, "feature-not-allowed", "The feature is already active");
    }
    let (id, mut order) = make_order(&mut inner, p, me, &name, *price);
    if let Value::Object(m) = &mut order {
        m.remove("userId");
    }
    created(&format!("/v1/orders/{id}"), Some(order))
}

pub(crate) async fn statistics(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    let mut inner = s.mp.lock();
    let ads: Vec<_> = inner.data(p).ads.values().filter(|r| r.owner == me).map(|r| (r.views, r.bids.len() as u64, r.asqs)).collect();
    ok(json!({
        "_links": {"self": {"href": format!("{}/statistics", user_href(me))}},
        "numberOfAdvertisements": ads.len(),
        "numberOfViews": ads.iter().map(|a| a.0).sum::<u64>(),
        "numberOfBids": ads.iter().map(|a| a.1).sum::<u64>(),
        "numberOfAsqs": ads.iter().map(|a| a.2).sum::<u64>()
    }))
}

pub(crate) async fn legal_status(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(user_id): Path<String>) -> Response {
    let me = or_respond!(own_user(&s, p, &headers, &user_id, StatusCode::FORBIDDEN));
    ok(json!({"_links": {"self": {"href": format!("/v2/users/{me}/legal-status"), "title": "Access to user legal status"}}, "dsaApproved": true}))
}

fn own_order(s: &Shared, p: Platform, headers: &HeaderMap, order_id: &str) -> Result<Map<String, Value>, Response> {
    let me = user_caller(s, p, headers)?;
    let mut inner = s.mp.lock();
    let order = order_id.parse::<i64>().ok().and_then(|o| inner.data(p).orders.get(&o).cloned());
    match order {
        Some(o) if o.get("userId").and_then(Value::as_i64) == Some(me) => {
            let mut o = o;
            o.remove("userId");
            Ok(o)
        }
        _ => Err(not_found("order-not-found", "Order")),
    }
}

pub(crate) async fn order(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(order_id): Path<String>) -> Response {
    match own_order(&s, p, &headers, &order_id) {
        Ok(o) => ok(Value::Object(o)),
        Err(r) => r,
    }
}

pub(crate) async fn order_products(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(order_id): Path<String>) -> Response {
    match own_order(&s, p, &headers, &order_id) {
        Ok(o) => ok(json!({"_links": {"self": {"href": format!("/v1/orders/{order_id}/products")}}, "_embedded": o.get("_embedded").cloned().unwrap_or(json!({}))})),
        Err(r) => r,
    }
}

pub(crate) async fn order_product(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((order_id, product)): Path<(String, String)>) -> Response {
    let o = or_respond!(own_order(&s, p, &headers, &order_id));
    let found = o
        .get("_embedded")
        .and_then(|e| e.get("mp:order-products"))
        .and_then(Value::as_array)
        .and_then(|items| items.iter().find(|i| i.get("productId").map(|v| v.to_string().trim_matches('"').to_owned()) == Some(product.clone())).cloned());
    match found {
        Some(pr) => ok(pr),
        None => not_found("product-not-found", "Product"),
    }
}
