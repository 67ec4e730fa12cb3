//! Webhooks: each delivery is an HTTP POST whose `X-Ecg-Signature` header is the lowercase hex
//! HMAC-SHA256 of the raw body with the secret shared with Marktplaats. Deliveries are at least
//! once: de-duplicate on the event `id`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::models::{decode, WebhookEvent};
use crate::error::{Error, ErrorKind, Result};

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Ecg-Signature";

/// Whether `signature_hex` is the HMAC-SHA256 of exactly `body` under `secret`. Compared in
/// constant time; case of the hex digits and surrounding spaces do not matter. Verify the raw
/// bytes as received, before any JSON parsing.
///
/// ```
/// use sellkit::marktplaats::verify_webhook;
/// // The documentation's test vector.
/// let body = br#"{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}"#;
/// let signature = "c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97";
/// assert!(verify_webhook(body, signature, "s3cr3t"));
/// assert!(!verify_webhook(body, signature, "another secret"));
/// ```
pub fn verify_webhook(body: &[u8], signature_hex: &str, secret: &str) -> bool {
    // Hex digits only (`hex` takes no sign, no `0x`, no spaces inside).
    let Ok(given) = hex::decode(signature_hex.trim()) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(body);
    // `verify_slice` compares in constant time.
    mac.verify_slice(&given).is_ok()
}

/// The signature of `body` under `secret` (lowercase hex), as the server computes it.
pub fn sign_webhook(body: &[u8], secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Verify a delivery's signature and parse it, in one call: what a receiver should do with each
/// delivery (like EQP's [`parse_callback`](crate::eqp::parse_callback)). `signature` is the
/// [`SIGNATURE_HEADER`] of the request, `None` when it had none.
///
/// ```
/// use sellkit::marktplaats::{parse_webhook, sign_webhook};
///
/// let body = br#"{"id":"1","eventType":"advertisementCreated","created":"2015-01-01T11:00:00.000Z","eventData":{}}"#;
/// let signature = sign_webhook(body, "s3cr3t");
/// let event = parse_webhook(body, Some(&signature), "s3cr3t")?;
/// assert_eq!(event.id.as_deref(), Some("1"));
///
/// let forged = parse_webhook(body, Some(&signature), "another secret").unwrap_err();
/// assert_eq!((forged.code(), forged.status()), ("invalid-signature", Some(401)));
/// # Ok::<(), sellkit::Error>(())
/// ```
///
/// # Errors
///
/// An authentication error (code `invalid-signature`, status 401, to answer with) when the
/// signature is missing, empty or not the body's under `secret`: the delivery did not prove it
/// comes from Marktplaats, as a request without valid credentials does not, and the body is
/// not read. Then the errors of [`decode_webhook`].
pub fn parse_webhook(body: &[u8], signature: Option<&str>, secret: &str) -> Result<WebhookEvent> {
    if !signature.is_some_and(|s| verify_webhook(body, s, secret)) {
        let why = match signature.map(str::trim) {
            None | Some("") => format!("the webhook delivery has no {SIGNATURE_HEADER} signature"),
            Some(_) => format!("the webhook's {SIGNATURE_HEADER} signature does not match its body under this secret"),
        };
        return Err(Error::new(ErrorKind::Authentication, why).with_code("invalid-signature").with_status(401));
    }
    decode_webhook(body)
}

/// Parse a delivery into its envelope (`id`, `eventType`, `created`, `eventData`) without
/// checking its signature (for a body already verified with [`verify_webhook`]); unknown event
/// types and members are kept.
///
/// # Errors
///
/// A decode error with the code `invalid-webhook` when the body is not JSON, or lacks `id`,
/// `eventType` or `created`.
pub fn decode_webhook(body: &[u8]) -> Result<WebhookEvent> {
    let v: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| Error::new(ErrorKind::Decode, format!("the webhook body is not JSON: {e}")).with_code("invalid-webhook"))?;
    let invalid = |why: String| Error::new(ErrorKind::Decode, format!("not a webhook envelope: {why}")).with_code("invalid-webhook");
    let event: WebhookEvent = decode(v).map_err(|e| invalid(e.message().to_owned()))?;
    match (&event.id, &event.event_type, &event.created) {
        (Some(_), Some(_), Some(_)) => Ok(event),
        _ => Err(invalid("`id`, `eventType` and `created` are required".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}"#;
    const SIG: &str = "c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97";

    #[test]
    fn the_docs_test_vector() {
        assert_eq!(sign_webhook(BODY, "s3cr3t"), SIG);
        assert!(verify_webhook(BODY, SIG, "s3cr3t"));
        assert!(verify_webhook(BODY, &SIG.to_uppercase(), "s3cr3t"));
        assert!(!verify_webhook(BODY, SIG, "secret"));
        assert!(!verify_webhook(&BODY[1..], SIG, "s3cr3t"));
        // A sign where a digit belongs is not hex (found by fuzzing: "+0" read as "00").
        let signed = SIG.replacen("01", "+1", 1);
        assert_ne!(signed, SIG);
        assert!(!verify_webhook(BODY, &signed, "s3cr3t"));
        assert!(!verify_webhook(BODY, &SIG[..62], "s3cr3t"));
        assert!(!verify_webhook(BODY, "zz", "s3cr3t"));
        assert!(!verify_webhook(BODY, "", "s3cr3t"));
    }

    #[test]
    fn a_delivery_is_verified_then_parsed() {
        assert_eq!(parse_webhook(BODY, Some(SIG), "s3cr3t").unwrap().id.as_deref(), Some("id"));
        for (signature, why) in [(None, "has no"), (Some(""), "has no"), (Some("  "), "has no"), (Some(SIG), "does not match")] {
            let e = parse_webhook(BODY, signature, "secret").unwrap_err();
            assert_eq!((e.kind(), e.code(), e.status()), (ErrorKind::Authentication, "invalid-signature", Some(401)));
            assert!(e.message().contains(why), "{e}");
        }
        // A valid signature of a body that is no envelope: verified, then refused as a decode error.
        assert_eq!(parse_webhook(b"{}", Some(&sign_webhook(b"{}", "k")), "k").unwrap_err().code(), "invalid-webhook");
    }

    #[test]
    fn envelope_is_parsed_and_keeps_unknown_types() {
        let e = decode_webhook(BODY).unwrap();
        assert_eq!(e.id.as_deref(), Some("id"));
        assert_eq!(e.event_type.as_ref().map(|t| t.as_str()), Some("EventType"));
        assert_eq!(e.event_data.as_ref().unwrap()["property"], "value");
        // Encoding it again gives the signed bytes.
        assert_eq!(serde_json::to_vec(&e).unwrap(), BODY);
        assert_eq!(decode_webhook(b"{}").unwrap_err().code(), "invalid-webhook");
    }
}
