//! What the `Simulator` methods do on the Marktplaats side.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

use super::ads::{insert_ad, render};
use super::time::{iso, now_secs};
use super::{item_number, Platform, MP_OTHER_USER_ID};
use crate::Shared;

pub(crate) fn expire_access_tokens(s: &Shared) {
    let now = Instant::now();
    for t in s.mp.lock().access.values_mut() {
        t.expires = now;
    }
}

fn platform(name: &str) -> Result<Platform, String> {
    Platform::parse(name).ok_or_else(|| format!("unknown platform {name:?}"))
}

pub(crate) fn place_bid(s: &Arc<Shared>, platform_name: &str, item_id: &str, amount: i64, nick: &str) -> Result<i64, String> {
    let p = platform(platform_name)?;
    let mut inner = s.mp.lock();
    let id = inner.next_id();
    let bidder = inner.next_id();
    let n = item_number(item_id).ok_or("not an item id")?;
    let rec = inner.data(p).ads.get_mut(&n).ok_or("no such advertisement")?;
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

pub(crate) fn seed_ads(s: &Shared, platform_name: &str, count: usize, prefix: &str) {
    let Some(p) = Platform::parse(platform_name) else { return };
    let mut inner = s.mp.lock();
    for i in 1..=count {
        let body = json!({
            "categoryId": 35, "title": format!("{prefix} {i}"), "description": "Seeded advertisement",
            "priceModel": {"modelType": "fixed", "askingPrice": 1000 + i as i64}, "location": {"postcode": "1097DN"}
        });
        insert_ad(&mut inner, p, MP_OTHER_USER_ID, body.as_object().expect("object"));
    }
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
