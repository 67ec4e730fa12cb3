//! Marktplaats webhooks: verification (alone, or before parsing) accepts exactly the body's own signature (any hex case,
//! surrounding spaces) and nothing else, never panics on any header, and a parsed event
//! re-encodes to a body that parses to the same event.
//!
//! Input: `SECRET\nSIGNATURE-HEADER\nBODY` (the seeds carry valid signatures).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sellkit::marktplaats::models::{encode, WebhookEvent};
use sellkit::marktplaats::{decode_webhook, parse_webhook, sign_webhook, verify_webhook};
use sellkit::ErrorKind;
use sellkit_fuzz::lines;

fuzz_target!(|data: &[u8]| {
    let Some((head, body)) = lines(data, 2) else { return };
    let (secret, header) = (head[0], head[1]);

    let signature = sign_webhook(body, secret);
    assert_eq!(signature.len(), 64);
    assert!(verify_webhook(body, &signature, secret));
    assert!(verify_webhook(body, &format!(" {} ", signature.to_uppercase()), secret));
    // One changed digit, a changed body or another secret fail.
    let last = if signature.ends_with('0') { "1" } else { "0" };
    assert!(!verify_webhook(body, &format!("{}{last}", &signature[..63]), secret));
    assert!(!verify_webhook(&[body, b" "].concat(), &signature, secret));
    assert!(!verify_webhook(body, &signature, &format!("{secret}x")));
    assert!(!verify_webhook(body, &signature[..62], secret));

    // Whatever the header says, it is accepted only when it is the signature.
    if verify_webhook(body, header, secret) {
        assert_eq!(header.trim().to_ascii_lowercase(), signature, "accepted a header that is not the signature");
    }

    // Parsing verifies first: the header decides, then the body.
    match parse_webhook(body, Some(header), secret) {
        Err(e) if e.code() == "invalid-signature" => assert!(!verify_webhook(body, header, secret)),
        _ => assert!(verify_webhook(body, header, secret)),
    }

    match decode_webhook(body) {
        Ok(event) => {
            let encoded = serde_json::to_vec(&encode(&event).unwrap()).unwrap();
            let again: WebhookEvent = decode_webhook(&encoded).unwrap_or_else(|e| panic!("re-encoded event does not parse: {e}"));
            assert_eq!(again, event);
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
            assert_eq!(e.code(), "invalid-webhook");
        }
    }
});
