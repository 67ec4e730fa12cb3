//! What the `Simulator` methods do on the Marktplaats side.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

use super::ads::{insert_ad, render, validate_ad};
use super::time::{iso, now_secs};
use super::{item_number, Platform, MP_USER_ID};
use crate::{Shared, SimError};

pub(crate) fn expire_access_tokens(s: &Shared) {
    let now = Instant::now();
    for t in s.mp.lock().access.values_mut() {
        t.expires = now;
    }
}

pub(crate) fn platform(name: &str) -> Result<Platform, SimError> {
    Platform::parse(name).ok_or_else(|| SimError::UnknownPlatform { name: name.to_owned() })
}

pub(crate) fn place_bid(s: &Arc<Shared>, platform_name: &str, item_id: &str, amount: i64, nick: &str) -> Result<i64, SimError> {
    let p = platform(platform_name)?;
    let mut inner = s.mp.lock();
    let no_such_ad = || SimError::NoSuchAd { platform: p.as_str().to_owned(), item_id: item_id.to_owned() };
    let n = item_number(item_id).ok_or_else(no_such_ad)?;
    if !inner.data(p).ads.contains_key(&n) {
        return Err(no_such_ad());
    }
    let id = inner.next_id();
    let bidder = inner.next_id();
    let rec = inner.data(p).ads.get_mut(&n).ok_or_else(no_such_ad)?;
    let bid = json!({"bidId": id, "amount": amount, "placeDate": iso(now_secs()), "bidder": {"id": bidder, "nickName": nick}});
    rec.bids.insert(id, bid.as_object().cloned().unwrap_or_default());
    drop(inner);
    super::webhooks::deliver(s, "BidPlacedEvent", json!({"itemId": item_id, "bidId": id, "amount": amount}));
    Ok(id)
}

pub(crate) fn send_webhook(s: &Arc<Shared>, event_type: &str, data: Value) {
    super::webhooks::deliver(s, event_type, data)
}

pub(crate) fn ad(s: &Shared, platform_name: &str, item_id: &str) -> Option<Value> {
    let p = Platform::parse(platform_name)?;
    let mut inner = s.mp.lock();
    inner.data(p).ads.get(&item_number(item_id)?).map(render)
}

pub(crate) fn ads(s: &Shared, platform_name: &str) -> Vec<Value> {
    let Some(p) = Platform::parse(platform_name) else { return Vec::new() };
    let mut inner = s.mp.lock();
    inner.data(p).ads.values().map(render).collect()
}

pub(crate) fn ad_image_urls(s: &Shared, platform_name: &str, item_id: &str) -> Option<Vec<String>> {
    let p = Platform::parse(platform_name)?;
    let mut inner = s.mp.lock();
    let data = inner.data(p);
    let rec = data.ads.get(&item_number(item_id)?)?;
    Some(rec.images.iter().filter_map(|media| data.images.get(media)).map(|img| img.url.clone()).collect())
}

/// Place `count` valid fixed-price ads (titles `"<prefix> <n>"`) for `owner`; their item ids.
pub(crate) fn seed_ads(s: &Shared, platform_name: &str, owner: i64, count: usize, prefix: &str) -> Result<Vec<String>, SimError> {
    let p = platform(platform_name)?;
    let mut inner = s.mp.lock();
    let ids = (1..=count)
        .map(|i| {
            let body = json!({
                "categoryId": 35, "title": format!("{prefix} {i}"), "description": "Seeded advertisement",
                "priceModel": {"modelType": "fixed", "askingPrice": 1000 + i as i64}, "location": {"postcode": "1097DN"}
            });
            insert_ad(&mut inner, p, owner, body.as_object().expect("object"))
        })
        .collect();
    Ok(ids)
}

/// Place one ad for the demo user, checked as `POST /v1/advertisements` checks it.
pub(crate) fn seed_own_ad(s: &Shared, platform_name: &str, ad: Value) -> Result<String, SimError> {
    let p = platform(platform_name)?;
    let Value::Object(body) = ad else {
        return Err(SimError::InvalidAd { details: vec![super::detail("", "invalid-json", "An advertisement is a JSON object", None)] });
    };
    let details = validate_ad(p, &body, None);
    if !details.is_empty() {
        return Err(SimError::InvalidAd { details });
    }
    Ok(insert_ad(&mut s.mp.lock(), p, MP_USER_ID, &body))
}

pub(crate) fn set_ad_expiry(s: &Shared, platform_name: &str, item_id: &str, days: i64) -> bool {
    let (Some(p), Some(n)) = (Platform::parse(platform_name), item_number(item_id)) else { return false };
    let mut inner = s.mp.lock();
    match inner.data(p).ads.get_mut(&n) {
        Some(rec) => {
            rec.doc.insert("closeDate".into(), iso(now_secs() + days * 86_400).into());
            true
        }
        None => false,
    }
}

pub(crate) fn issued_tokens(s: &Shared) -> Vec<String> {
    let inner = s.mp.lock();
    inner.access.keys().chain(inner.refresh.keys()).cloned().collect()
}

pub(crate) fn refresh_stats(s: &Shared) -> crate::MpRefreshStats {
    let inner = s.mp.lock();
    crate::MpRefreshStats {
        refreshes: inner.refreshes,
        rotations: inner.rotations,
        reuse_detections: inner.reuse_detections,
        unused_refresh_tokens: inner.refresh.values().filter(|t| !t.used).count() as u64,
    }
}
