//! EQP typed models: decoding any response body never panics, a decoded model re-encodes, and
//! decoding what it encodes gives the same model and the same JSON again.
//!
//! Input: a response body (any bytes; the seeds are the API's documented examples).
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use sellkit::eqp::model::*;
use sellkit::ErrorKind;
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
    let model = match T::from_json(v) {
        Ok(m) => m,
        Err(e) => {
            // Only a body that is no object (nor `[]`) is refused.
            assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
            assert!(!v.is_object(), "an object was refused: {e}");
            return;
        }
    };
    let encoded = model.to_json();
    let again = T::from_json(&encoded).unwrap_or_else(|e| panic!("the encoded model does not decode: {e}\n{encoded}"));
    assert_eq!(again, model, "decode(encode(x)) != x for {encoded}");
    assert_eq!(again.to_json(), encoded, "encoding is not stable");
    let _ = model.to_binding_json();
    let _ = format!("{model:?}");

    // Strict decoding (caller input) accepts less, and what it accepts reads the same leniently.
    match T::from_input(v, "input") {
        Ok(strict) => assert_eq!(strict, model),
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}"),
    }
}
