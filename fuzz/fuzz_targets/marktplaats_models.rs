//! Marktplaats typed models: decoding any response body never panics, a decoded model
//! re-encodes, and decoding what it encodes gives the same model and the same JSON again.
//! Collections: reading embedded items and links (the pagination data) never panics.
//!
//! Input: a response body (any bytes; the seeds are the API's documented examples).
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use sellkit::marktplaats::models::*;
use sellkit::ErrorKind;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<Value>(data) else { return };
    check::<Advertisement>(&v);
    check::<AdStatistics>(&v);
    check::<PriceModel>(&v);
    check::<AdLocation>(&v);
    check::<Seller>(&v);
    check::<Category>(&v);
    check::<CategoryAttribute>(&v);
    check::<CategoryFees>(&v);
    check::<RunningSubscription>(&v);
    check::<Image>(&v);
    check::<Feature>(&v);
    check::<PurchasedFeature>(&v);
    check::<Order>(&v);
    check::<OrderProduct>(&v);
    check::<Bid>(&v);
    check::<Bidder>(&v);
    check::<Transaction>(&v);
    check::<PostcodeLocation>(&v);
    check::<ApiErrorBody>(&v);
    check::<ApiErrorDetail>(&v);
    check::<WebhookEvent>(&v);
    check::<User>(&v);
    check::<Profile>(&v);
    check::<SubScore>(&v);
    check::<Reviews>(&v);
    check::<ReviewSettings>(&v);
    check::<Brands>(&v);
    check::<LegalStatus>(&v);
    check::<ChangeEmailResult>(&v);
    if let Some(collection) = check::<Collection>(&v) {
        pages(&collection);
    }
});

fn check<T: sellkit::model::Model + PartialEq + Debug>(v: &Value) -> Option<T> {
    sellkit_fuzz::check_model::<T>(v)
}

fn pages(c: &Collection) {
    let first = c.items(None);
    if let Some(embedded) = &c.embedded {
        assert_eq!(embedded_items(Some(embedded), None), first);
        for rel in embedded.keys() {
            let items = c.items(Some(rel));
            assert_eq!(items, embedded_items(Some(embedded), Some(rel)));
            // Items decode leniently or fail as a decode error, never a panic.
            if let Err(e) = c.items_as::<Advertisement>(Some(rel)) {
                assert_eq!(e.kind(), ErrorKind::Decode);
            }
        }
    } else {
        assert!(first.is_empty());
    }
    for rel in ["next", "self", "prev", "first", "last"] {
        assert_eq!(c.link(rel), link_href(c.links.as_ref(), rel));
    }
}
