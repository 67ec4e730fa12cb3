//! `/v1/advertisements`: CRUD with JSON Patch, renewal, statistics, fitments, features,
//! transactions, bids, ask-bidder-question and upcall confirmations.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::catalog::{attribute_defs, city, leaf_parent};
use super::time::{iso, now_secs, parse_iso};
use super::{
    caller, check_cents, created, curies, detail, error, item_number, json_body, json_object_body, not_found, ok, phone_problem, unauthorized_action,
    user_caller, validation, AdRecord, MpInner, Platform, JSON, JSON_PATCH,
};
use crate::Shared;

const MODEL_TYPES: [&str; 8] = ["fixed", "bidding", "to be discussed", "by request", "trade", "see description", "buy it now", "reserved"];
/// Members the server sets; a client's values for them are ignored.
const SERVER_FIELDS: [&str; 7] = ["itemId", "seller", "startDate", "closeDate", "renewalPossible", "_links", "_embedded"];
/// (name, price in cents)
pub(crate) const AD_FEATURES: [(&str, i64); 8] = [
    ("omhoogplaatsen", 130),
    ("dagtopper", 151),
    ("dagtopper3", 400),
    ("dagtopper7", 800),
    ("homepaginaAdvertentie", 2500),
    ("url", 900),
    ("fotoknaller", 500),
    ("topadvertentie", 1100),
];
const DAY: i64 = 86_400;

/// Field errors of an advertisement, as the server checks them: `old` is the stored ad on an
/// update (PUT or PATCH), `None` on create. The category decides the attributes (see
/// [`super::attributes`]); an ad cannot move to another category once placed.
pub(crate) fn validate_ad(platform: Platform, ad: &Map<String, Value>, old: Option<&Map<String, Value>>) -> Vec<Value> {
    let mut d = Vec::new();
    let category = ad.get("categoryId").and_then(Value::as_i64);
    match (ad.get("categoryId"), old) {
        (None, _) => d.push(detail("categoryId", "missing-required-field", "This field is required", None)),
        (Some(v), Some(old)) if old.get("categoryId") != Some(v) => {
            d.push(detail("categoryId", "input-invalid", "This field cannot be updated: an ad stays in its category", None))
        }
        (Some(_), _) => match category.and_then(|c| leaf_parent(c).map(|l1| (l1, c))) {
            None => d.push(detail("categoryId", "input-invalid", "Must be the id of a leaf (L2) category", None)),
            Some((l1, l2)) => d.extend(super::attributes::check(&attribute_defs(l1, l2), ad, old)),
        },
    }
    match ad.get("title") {
        None => d.push(detail("title", "missing-required-field", "This field is required", None)),
        Some(Value::String(t)) => {
            let n = t.trim().chars().count();
            if n < 3 {
                d.push(detail("title", "input-too-short", "Minimum of 3 characters", Some(json!("3"))));
            } else if n > 60 {
                d.push(detail("title", "input-too-long", "Maximum of 60 characters", Some(json!("60"))));
            }
        }
        Some(_) => d.push(detail("title", "input-invalid", "Must be a string", None)),
    }
    if !ad.contains_key("description") && !ad.contains_key("translations") {
        d.push(detail("description", "missing-required-field", "This field is required", None));
    }
    match ad.get("priceModel") {
        None => d.push(detail("priceModel", "missing-required-field", "This field is required", None)),
        Some(Value::Object(pm)) => {
            let model = pm.get("modelType").and_then(Value::as_str).unwrap_or("");
            if !MODEL_TYPES.contains(&model) {
                d.push(detail("priceModel.modelType", "input-invalid", "Unknown price model", None));
            } else {
                let allowed: &[&str] = match model {
                    "fixed" => &["askingPrice", "retailPrice"],
                    "bidding" => &["minimalBid", "askingPrice", "retailPrice"],
                    _ => &[],
                };
                for key in pm.keys().filter(|k| k.as_str() != "modelType") {
                    if !allowed.contains(&key.as_str()) {
                        d.push(detail(&format!("priceModel.{key}"), "input-invalid", "Not allowed with this price model", None));
                    }
                }
                for key in ["askingPrice", "minimalBid", "retailPrice"] {
                    let required = model == "fixed" && key == "askingPrice";
                    check_cents(&format!("priceModel.{key}"), pm.get(key), required, &mut d);
                }
            }
        }
        Some(_) => d.push(detail("priceModel", "input-invalid", "Must be an object", None)),
    }
    match ad.get("location").and_then(|l| l.get("postcode")) {
        Some(Value::String(_)) => {}
        _ => d.push(detail("location.postcode", "missing-required-field", "This field is required", None)),
    }
    if let Some(l) = ad.get("locale") {
        if !l.as_str().is_some_and(|l| platform.locales().contains(&l)) {
            let allowed = platform.locales().join(", ");
            d.push(detail("locale", "input-invalid", &format!("Locale not allowed on {}; allowed: {allowed}", platform.as_str()), None));
        }
    }
    d
}

pub(crate) fn ad_href(item_id: &str) -> String {
    format!("/v1/advertisements/{item_id}")
}

/// The ad as the API shows it: the stored members plus links and `renewalPossible`.
pub(crate) fn render(rec: &AdRecord) -> Value {
    let mut doc = rec.doc.clone();
    let id = doc.get("itemId").and_then(Value::as_str).unwrap_or_default().to_owned();
    let href = ad_href(&id);
    let category = doc.get("categoryId").and_then(Value::as_i64).unwrap_or(0);
    let l1 = leaf_parent(category).unwrap_or(0);
    let closes = doc.get("closeDate").and_then(Value::as_str).and_then(parse_iso).unwrap_or(i64::MAX);
    doc.insert("renewalPossible".into(), (closes - now_secs() <= 7 * DAY).into());
    let links = json!({
        "self": {"href": href},
        "describedby": {"href": "https://api.marktplaats.nl/docs/v1/advertisement.html"},
        "curies": curies(),
        "mp:category": {"href": format!("/v1/categories/{l1}/{category}")},
        "mp:seller": {"href": format!("/v1/users/{}", rec.owner)},
        "mp:advertisement-images": {"href": format!("{href}/images")},
        "mp:advertisement-features": {"href": format!("{href}/features")},
        "mp:advertisement-statistics": {"href": format!("{href}/statistics")},
        "mp:bids": {"href": format!("{href}/bids")},
        "mp:advertisement-transactions": {"href": format!("{href}/transactions")},
        "mp:advertisement-renew": {"href": format!("{href}/renew")}
    });
    let mut out = Map::new();
    out.insert("_links".into(), links);
    out.extend(doc);
    Value::Object(out)
}

/// The caller's own ad, or the 404 to answer.
fn own<'a>(inner: &'a mut MpInner, platform: Platform, user: i64, item_id: &str) -> Result<&'a mut AdRecord, Response> {
    let n = item_number(item_id).ok_or_else(|| not_found("advertisement-not-found", "Advertisement"))?;
    match inner.data(platform).ads.get_mut(&n) {
        Some(rec) if rec.owner == user => Ok(rec),
        _ => Err(not_found("advertisement-not-found", "Advertisement")),
    }
}

/// The members a client may write, from a body.
fn writable(body: &Map<String, Value>) -> Map<String, Value> {
    body.iter().filter(|(k, _)| !SERVER_FIELDS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn complete_location(doc: &mut Map<String, Value>) {
    if let Some(Value::Object(loc)) = doc.get_mut("location") {
        if let Some(c) = loc.get("postcode").and_then(Value::as_str).and_then(city) {
            loc.entry("cityName").or_insert_with(|| c.into());
        }
    }
}

/// Place an ad for `owner` (also used to seed ads). Returns the item id.
pub(crate) fn insert_ad(inner: &mut MpInner, platform: Platform, owner: i64, body: &Map<String, Value>) -> String {
    let n = inner.next_id() as u64;
    let item_id = format!("m{n}");
    let now = now_secs();
    let mut doc = Map::new();
    doc.insert("itemId".into(), item_id.clone().into());
    doc.extend(writable(body));
    complete_location(&mut doc);
    if platform != Platform::Marktplaats && !doc.contains_key("locale") {
        let pref = inner.data(platform).users.get(&owner).and_then(|u| u.get("locale")).and_then(Value::as_str).map(str::to_owned);
        doc.insert("locale".into(), pref.unwrap_or_else(|| platform.default_locale().to_owned()).into());
    }
    let seller_name = inner.data(platform).users.get(&owner).and_then(|u| u.get("name")).cloned().unwrap_or(json!("Seller"));
    doc.insert("seller".into(), json!({"sellerId": owner, "sellerName": seller_name, "acceptPaypal": false}));
    doc.entry("status").or_insert_with(|| "online".into());
    doc.insert("startDate".into(), iso(now).into());
    doc.insert("closeDate".into(), iso(now + 30 * DAY).into());
    let rec = AdRecord {
        owner,
        doc,
        images: Vec::new(),
        bids: Default::default(),
        transactions: Default::default(),
        purchased: Default::default(),
        views: 0,
        asqs: 0,
    };
    inner.data(platform).ads.insert(n, rec);
    item_id
}

pub(crate) async fn collection(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    or_respond!(caller(&s, p, &headers));
    ok(json!({"_links": {
        "self": {"href": "/v1/advertisements", "title": "Access to advertisements"},
        "describedby": {"href": "https://api.marktplaats.nl/docs/v1/advertisements.html"},
        "item": {"href": "/v1/advertisements/{itemId}", "templated": true}
    }}))
}

pub(crate) async fn create(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let body = or_respond!(json_object_body(&headers, &body, "An advertisement is a JSON object"));
    let details = validate_ad(p, &body, None);
    if !details.is_empty() {
        return validation(details);
    }
    let item_id = insert_ad(&mut s.mp.lock(), p, user, &body);
    // As documented: 201 with Location, no body.
    created(&ad_href(&item_id), None)
}

pub(crate) async fn get(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    match own(&mut inner, p, user, &item_id) {
        Ok(rec) => ok(render(rec)),
        Err(r) => r,
    }
}

pub(crate) async fn replace(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>, body: Bytes) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let body = or_respond!(json_object_body(&headers, &body, "An advertisement is a JSON object"));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let mut doc: Map<String, Value> = rec.doc.iter().filter(|(k, _)| SERVER_FIELDS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    for keep in ["locale", "status"] {
        if !body.contains_key(keep) {
            if let Some(v) = rec.doc.get(keep) {
                doc.insert(keep.into(), v.clone());
            }
        }
    }
    doc.extend(writable(&body));
    complete_location(&mut doc);
    let details = validate_ad(p, &doc, Some(&rec.doc));
    if !details.is_empty() {
        return validation(details);
    }
    rec.doc = doc;
    ok(render(rec))
}

pub(crate) async fn patch(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>, body: Bytes) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let ops = or_respond!(json_body(&headers, &body, JSON_PATCH));
    if let Some(bad) = ops.as_array().and_then(|a| a.iter().find_map(|o| o.get("op").and_then(Value::as_str).filter(|n| !matches!(*n, "add" | "remove" | "replace" | "move" | "copy" | "test")))) {
        return error(StatusCode::BAD_REQUEST, "invalid-patch-operation", &format!("Unsupported patch operation {bad:?}"));
    }
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let patched = match super::patch::apply(&Value::Object(rec.doc.clone()), &ops) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return error(StatusCode::CONFLICT, "conflicting-state", "The patch would replace the advertisement by a non-object"),
        Err(e) => return error(StatusCode::CONFLICT, "conflicting-state", &format!("The patch cannot be applied: {e}")),
    };
    for field in SERVER_FIELDS {
        if patched.get(field) != rec.doc.get(field) {
            return validation(vec![detail(field, "input-invalid", "This field cannot be updated", None)]);
        }
    }
    let details = validate_ad(p, &patched, Some(&rec.doc));
    if !details.is_empty() {
        return validation(details);
    }
    rec.doc = patched;
    complete_location(&mut rec.doc);
    ok(render(rec))
}

pub(crate) async fn delete(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    or_respond!(own(&mut inner, p, user, &item_id));
    let n = item_number(&item_id).unwrap_or_default();
    let removed = inner.data(p).ads.remove(&n);
    if let Some(rec) = removed {
        for media in rec.images {
            inner.data(p).images.remove(&media);
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

/// A paid order with one product; returns `(orderId, order)`.
pub(crate) fn make_order(inner: &mut MpInner, p: Platform, owner: i64, description: &str, price: i64) -> (i64, Value) {
    let id = inner.next_id();
    let product = json!({"_links": {"self": {"href": format!("/v1/orders/{id}/products/1")}}, "productId": 1, "description": description, "price": price.to_string()});
    let order = json!({
        "_links": {"self": {"href": format!("/v1/orders/{id}")}, "curies": curies(), "mp:payment": {"href": "/payments"}},
        "_embedded": {"mp:order-products": [product]},
        "orderId": id, "status": "paid", "price": price, "userId": owner
    });
    inner.data(p).orders.insert(id, order.as_object().cloned().unwrap_or_default());
    (id, order)
}

/// Check `{pay: true, orderId?}`; `Err` is the response.
fn check_pay(inner: &mut MpInner, p: Platform, body: &Value) -> Result<(), Response> {
    if body.get("pay") != Some(&Value::Bool(true)) {
        return Err(validation(vec![detail("pay", "input-invalid", "pay must be true (payment by invoice)", None)]));
    }
    if let Some(o) = body.get("orderId").filter(|o| !o.is_null()) {
        if !o.as_i64().is_some_and(|o| inner.data(p).orders.contains_key(&o)) {
            return Err(error(StatusCode::BAD_REQUEST, "unknown-order", "Unknown order"));
        }
    }
    Ok(())
}

fn order_response(id: i64, order: Value) -> Response {
    let mut public = order;
    if let Value::Object(m) = &mut public {
        m.remove("userId");
    }
    created(&format!("/v1/orders/{id}"), Some(public))
}

pub(crate) async fn renew(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>, body: Bytes) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let body = or_respond!(json_body(&headers, &body, JSON));
    let mut inner = s.mp.lock();
    or_respond!(check_pay(&mut inner, p, &body));
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let closes = rec.doc.get("closeDate").and_then(Value::as_str).and_then(parse_iso).unwrap_or(i64::MAX);
    let now = now_secs();
    if closes - now > 7 * DAY {
        return error(StatusCode::BAD_REQUEST, "invalid-expiration", "The advertisement can be renewed only in the last 7 days before it expires");
    }
    rec.doc.insert("startDate".into(), iso(now).into());
    rec.doc.insert("closeDate".into(), iso(now + 30 * DAY).into());
    rec.doc.insert("status".into(), "online".into());
    let fee = if rec.doc.get("categoryId").and_then(Value::as_i64).and_then(leaf_parent) == Some(91) { 0 } else { 325 };
    let (id, order) = make_order(&mut inner, p, user, "renewal", fee);
    order_response(id, order)
}

pub(crate) async fn statistics(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    ok(json!({
        "_links": {"self": {"href": format!("{}/statistics", ad_href(&item_id))}},
        "numberOfViews": rec.views, "numberOfAsqs": rec.asqs, "numberOfBids": rec.bids.len(),
        "numberOfUrlClicks": 0, "numberOfPhoneClicks": 0, "numberOfFavoriteClicks": 0,
        "minFindabilityIndicator": 1
    }))
}

pub(crate) async fn fitments(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    if rec.doc.get("categoryId").and_then(Value::as_i64).and_then(leaf_parent) != Some(91) {
        return error(StatusCode::BAD_REQUEST, "fitments-not-found", "No fitments for this advertisement");
    }
    ok(json!({"_links": {"self": {"href": format!("{}/fitments", ad_href(&item_id))}}, "_embedded": {"mp:fitment": []}}))
}

fn feature_json(item_id: &str, name: &str, price: i64, active: bool) -> Value {
    let href = format!("{}/features/{name}", ad_href(item_id));
    let mut links = json!({"self": {"href": href}});
    if !active {
        links["mp:buy-advertisement-feature"] = json!({"href": format!("{href}/buy-feature")});
    }
    json!({"_links": links, "name": name, "price": price, "available": !active, "active": active})
}

pub(crate) async fn features(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let items: Vec<Value> = AD_FEATURES.iter().map(|(n, price)| feature_json(&item_id, n, *price, rec.purchased.contains_key(*n))).collect();
    ok(json!({"_links": {"self": {"href": format!("{}/features", ad_href(&item_id))}, "curies": curies()}, "_embedded": {"mp:advertisement-feature": items}}))
}

pub(crate) async fn feature(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((item_id, name)): Path<(String, String)>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    match AD_FEATURES.iter().find(|(n, _)| *n == name) {
        Some((n, price)) => ok(feature_json(&item_id, n, *price, rec.purchased.contains_key(*n))),
        None => not_found("feature-not-found", "Feature"),
    }
}

pub(crate) async fn buy_feature(
    Extension(p): Extension<Platform>,
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((item_id, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let body = or_respond!(json_body(&headers, &body, JSON));
    let mut inner = s.mp.lock();
    or_respond!(check_pay(&mut inner, p, &body));
    let Some((_, price)) = AD_FEATURES.iter().find(|(n, _)| *n == name) else {
        return error(StatusCode::BAD_REQUEST, "invalid-feature-type", &format!("Unknown feature {name:?}"));
    };
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    if rec.purchased.contains_key(&name) {
        return error(StatusCode::BAD_REQUEST, "feature-not-allowed", "The feature is already active");
    }
    rec.purchased.insert(name.clone(), iso(now_secs()));
    let (id, order) = make_order(&mut inner, p, user, &name, *price);
    order_response(id, order)
}

pub(crate) async fn purchased_features(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let items: Vec<Value> = rec.purchased.iter().map(|(n, d)| json!({"name": n, "purchaseDate": d})).collect();
    ok(json!({"_links": {"self": {"href": format!("/v2/advertisements/{item_id}/purchased-features")}}, "_embedded": {"mp:purchased-feature": items}}))
}

fn transaction_json(item_id: &str, t: &Map<String, Value>) -> Value {
    let id = t.get("transactionId").cloned().unwrap_or(Value::Null);
    let mut out = Map::new();
    out.insert("_links".into(), json!({"self": {"href": format!("{}/transactions/{id}", ad_href(item_id))}}));
    out.extend(t.clone());
    Value::Object(out)
}

pub(crate) async fn transactions(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let items: Vec<Value> = rec.transactions.values().map(|t| transaction_json(&item_id, t)).collect();
    ok(json!({"_links": {"self": {"href": format!("{}/transactions", ad_href(&item_id))}, "curies": curies()},
              "_embedded": {"mp:advertisement-transaction": items}}))
}

pub(crate) async fn create_transaction(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>, body: Bytes) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let body = or_respond!(json_body(&headers, &body, JSON));
    let mut d = Vec::new();
    if body.get("buyerId").and_then(Value::as_i64).is_none_or(|b| b <= 0) {
        d.push(detail("buyerId", "missing-required-field", "A buyer id is required", None));
    }
    check_cents("amount", body.get("amount"), true, &mut d);
    check_cents("shippingCosts", body.get("shippingCosts"), true, &mut d);
    if !d.is_empty() {
        return validation(d);
    }
    let mut inner = s.mp.lock();
    let id = inner.next_id();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let t = json!({"transactionId": id, "buyerId": body["buyerId"], "amount": body["amount"], "shippingCosts": body["shippingCosts"], "status": "CREATED"});
    let t = t.as_object().cloned().unwrap_or_default();
    rec.transactions.insert(id, t.clone());
    let out = transaction_json(&item_id, &t);
    drop(inner);
    super::webhooks::deliver(&s, "transactionStatusChanged", json!({"itemId": item_id, "transactionId": id, "status": "CREATED"}));
    created(&format!("{}/transactions/{id}", ad_href(&item_id)), Some(out))
}

pub(crate) async fn transaction(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((item_id, tid)): Path<(String, String)>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    match tid.parse::<i64>().ok().and_then(|t| rec.transactions.get(&t)) {
        Some(t) => ok(transaction_json(&item_id, t)),
        None => not_found("transaction-not-found", "Transaction"),
    }
}

pub(crate) fn bid_json(item_id: &str, b: &Map<String, Value>) -> Value {
    let id = b.get("bidId").cloned().unwrap_or(Value::Null);
    let bidder = b.get("bidder").and_then(|x| x.get("id")).cloned().unwrap_or(Value::Null);
    let mut out = Map::new();
    out.insert("_links".into(), json!({"self": {"href": format!("{}/bids/{id}", ad_href(item_id))}, "mp:bidder": {"href": format!("/v1/users/{bidder}")}}));
    out.extend(b.clone());
    Value::Object(out)
}

pub(crate) async fn bids(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    let items: Vec<Value> = rec.bids.values().map(|b| bid_json(&item_id, b)).collect();
    ok(json!({"_links": {"self": {"href": format!("{}/bids", ad_href(&item_id))}, "curies": curies()}, "_embedded": {"mp:bid": items}}))
}

pub(crate) async fn bid(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((item_id, bid)): Path<(String, String)>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    match bid.parse::<i64>().ok().and_then(|b| rec.bids.get(&b)) {
        Some(b) => ok(bid_json(&item_id, b)),
        None => not_found("bid-not-found", "Bid"),
    }
}

pub(crate) async fn delete_bid(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((item_id, bid)): Path<(String, String)>) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    match bid.parse::<i64>().ok().and_then(|b| rec.bids.remove(&b)) {
        Some(_) => ok(json!({"_links": {"mp:bids": {"href": format!("{}/bids", ad_href(&item_id))}}})),
        None => not_found("bid-not-found", "Bid"),
    }
}

pub(crate) async fn ask_bidder_question(
    Extension(p): Extension<Platform>,
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((item_id, bid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let user = or_respond!(user_caller(&s, p, &headers));
    let body = or_respond!(json_body(&headers, &body, JSON));
    let mut d = Vec::new();
    if body.get("message").and_then(Value::as_str).is_none_or(|m| m.trim().is_empty()) {
        d.push(detail("message", "missing-required-field", "This field is required", None));
    }
    match body.get("phoneNumber").and_then(Value::as_str) {
        None => d.push(detail("phoneNumber", "missing-required-field", "This field is required", None)),
        Some(ph) => {
            if let Some(why) = phone_problem(ph) {
                d.push(detail("phoneNumber", "input-invalid", why, None));
            }
        }
    }
    if !d.is_empty() {
        return validation(d);
    }
    let mut inner = s.mp.lock();
    let rec = or_respond!(own(&mut inner, p, user, &item_id));
    if !bid.parse::<i64>().ok().is_some_and(|b| rec.bids.contains_key(&b)) {
        return not_found("bid-not-found", "Bid");
    }
    rec.asqs += 1;
    ok(json!({"_links": {"self": {"href": format!("{}/bids/{bid}", ad_href(&item_id))}}, "message": "The question has been sent to the bidder"}))
}

pub(crate) async fn upcall_confirmation(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(item_id): Path<String>, body: Bytes) -> Response {
    let c = or_respond!(caller(&s, p, &headers));
    if c.user_id.is_some() || !c.scopes.iter().any(|s| s == "confirm_upcall") {
        return unauthorized_action("upcall confirmations need a client-credentials token with scope confirm_upcall");
    }
    let body = or_respond!(json_body(&headers, &body, JSON));
    let d: Vec<Value> = ["callerPhoneNumber", "calleePhoneNumber", "startTime", "endTime"]
        .iter()
        .filter(|k| body.get(**k).and_then(Value::as_str).is_none_or(str::is_empty))
        .map(|k| detail(k, "missing-required-field", "This field is required", None))
        .collect();
    if !d.is_empty() {
        return validation(d);
    }
    let mut inner = s.mp.lock();
    if !item_number(&item_id).is_some_and(|n| inner.data(p).ads.contains_key(&n)) {
        return not_found("advertisement-not-found", "Advertisement");
    }
    StatusCode::CREATED.into_response()
}
