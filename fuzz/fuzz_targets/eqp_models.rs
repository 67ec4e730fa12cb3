//! EQP typed models: decoding any response body never panics, a decoded model re-encodes, and
//! decoding what it encodes gives the same model and the same JSON again.
//!
//! Input: a response body (any bytes; the seeds are the API's documented examples).
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use sellkit::eqp::model::*;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<Value>(data) else { return };
    check::<Package>(&v);
    check::<Artifact>(&v);
    check::<SharedPackage>(&v);
    check::<PricingModel>(&v);
    check::<PriceEntry>(&v);
    check::<SupportTier>(&v);
    check::<ExternalServices>(&v);
    check::<MarketingOptions>(&v);
    check::<TechnicalOptions>(&v);
    check::<Profile>(&v);
    check::<ApiCallback>(&v);
    check::<Organization>(&v);
    check::<KeyList>(&v);
    check::<NewKey>(&v);
    check::<KeyState>(&v);
    check::<ApiErrorBody>(&v);
    check::<SessionGrant>(&v);
    check::<SessionRequest>(&v);
    check::<FileRecord>(&v);
    check::<CallbackEnvelope>(&v);
    check::<EqpStatus>(&v);
    check::<PackageAction>(&v);
    check::<ToolRun>(&v);
    check::<TestDetail>(&v);
});

fn check<T: Model + PartialEq + Debug>(v: &Value) {
    sellkit_fuzz::check_model::<T>(v);
}
