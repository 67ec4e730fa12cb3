//! Error responses and undecodable bodies as typed errors: the status's kind, the API's own code,
//! message and field details, the request id, and never more of a body than an error may keep.

use reqwest::header::{HeaderMap, CONTENT_TYPE, RETRY_AFTER};
use serde_json::Value;

use super::retry::parse_retry_after;
use crate::error::{body_snippet, shorten, ApiCode, Error, ErrorKind, FieldDetail};

/// Characters of a response body (or of a decoder message, which may quote the body) that a
/// decode error message keeps: enough to recognise an HTML page or a truncated document.
const DECODE_SNIPPET_CHARS: usize = 120;

pub(super) fn decode_error(e: &serde_json::Error, body: &[u8], status: u16, headers: &HeaderMap) -> Error {
    let snippet = shorten(&String::from_utf8_lossy(&body[..body.len().min(DECODE_SNIPPET_CHARS * 4)]), DECODE_SNIPPET_CHARS);
    // serde quotes the offending value whole ("invalid type: string \"…\""), however long.
    let reason = shorten(&e.to_string(), DECODE_SNIPPET_CHARS);
    let content_type =
        shorten(headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("none"), DECODE_SNIPPET_CHARS);
    Error::new(
        ErrorKind::Decode,
        format!("could not decode the response ({reason}); content type {content_type}; body starts {snippet:?}"),
    )
    .with_status(status)
    .with_request_id(request_id(headers))
}

pub(super) fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "x-correlation-id", "request-id"]
        .iter()
        .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()).map(str::to_owned))
}

/// Turn an error response into a typed error, reading the API's `{code, message, details}`.
pub(crate) fn error_from_response(status: u16, headers: &HeaderMap, body: &[u8], secret_body: bool) -> Error {
    let kind = ErrorKind::from_status(status);
    let retry_after = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let obj = parsed.as_ref().and_then(|v| match v {
        Value::Array(items) => items.first().and_then(Value::as_object),
        other => other.as_object(),
    });

    let api_code = obj.and_then(|o| o.get("code").or_else(|| o.get("error"))).and_then(|c| match c {
        Value::Number(n) => n.as_i64().map(ApiCode::Int),
        Value::String(s) => Some(ApiCode::Str(s.clone())),
        _ => None,
    });
    let api_message = obj
        .and_then(|o| o.get("message").or_else(|| o.get("error_description")).or_else(|| o.get("msg")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let details = field_details(obj.and_then(|o| o.get("details")));
    let logref = obj.and_then(|o| o.get("logref")).and_then(Value::as_str).map(str::to_owned);

    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error");
    // The field problems go into the message itself: a log line or a traceback then says what
    // to fix (`Validation failed: categoryId: Must be the id of a leaf (L2) category`).
    let mut message = match (&api_message, details_summary(&details)) {
        (Some(m), Some(d)) => format!("HTTP {status} {reason}: {m}: {d}"),
        (Some(m), None) => format!("HTTP {status} {reason}: {m}"),
        (None, Some(d)) => format!("HTTP {status} {reason}: {d}"),
        (None, None) => format!("HTTP {status} {reason}"),
    };
    if status == 406 {
        message.push_str(
            " — the server could not answer in an accepted media type; an Accept header without \
             `application/json` hides the real error (an expired token, say)",
        );
    }
    let mut err = Error::new(kind, message)
        .with_status(status)
        .with_details(details)
        .with_request_id(request_id(headers).or(logref))
        .with_retry_after(retry_after)
        .with_body(if secret_body { None } else { body_snippet(body) });
    if let Some(code) = api_code {
        if let ApiCode::Str(s) = &code {
            err = err.with_code(s.clone());
        }
        err = err.with_api_code(code);
    }
    err
}

/// How many field problems a message spells out before "and N more".
const MESSAGE_DETAILS: usize = 3;

/// Characters of one server reason a message keeps.
const REASON_CHARS: usize = 200;

/// The field problems as a message names them: `categoryId: Must be the id of a leaf (L2)
/// category; title: Minimum of 3 characters` (each field with the server's reason, else its
/// detail code), the first few, then `and N more`. `None` when there are none. Values are left
/// out: they are the caller's data, and the reason says what was wrong with them.
pub(crate) fn details_summary(details: &[FieldDetail]) -> Option<String> {
    if details.is_empty() {
        return None;
    }
    let shown: Vec<String> = details
        .iter()
        .take(MESSAGE_DETAILS)
        .map(|d| {
            let reason = d.message.as_deref().filter(|m| !m.trim().is_empty()).or(d.code.as_deref()).unwrap_or("invalid");
            let reason = shorten(reason.trim(), REASON_CHARS);
            match d.field.as_deref().filter(|f| !f.is_empty()) {
                Some(f) => format!("{f}: {reason}"),
                None => reason,
            }
        })
        .collect();
    let mut text = shown.join("; ");
    if details.len() > MESSAGE_DETAILS {
        text.push_str(&format!(" and {} more", details.len() - MESSAGE_DETAILS));
    }
    Some(text)
}

/// The field details of an error body's or a batch entry's `details` array.
pub(crate) fn field_details(v: Option<&Value>) -> Vec<FieldDetail> {
    v.and_then(Value::as_array).map(|d| d.iter().filter_map(field_detail).collect()).unwrap_or_default()
}

fn field_detail(v: &Value) -> Option<FieldDetail> {
    let o = v.as_object()?;
    let field = match (o.get("field"), o.get("fields")) {
        (Some(Value::String(f)), _) => Some(f.clone()),
        (_, Some(Value::Array(fs))) => Some(fs.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(",")),
        _ => None,
    };
    Some(FieldDetail {
        field,
        code: o.get("code").and_then(Value::as_str).map(str::to_owned),
        message: o.get("message").and_then(Value::as_str).map(str::to_owned),
        value: o.get("value").cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    #[test]
    fn eqp_error_body_is_read() {
        let e = error_from_response(400, &HeaderMap::new(), br#"{"code":1208,"message":"Insufficient information"}"#, false);
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.api_code(), Some(&ApiCode::Int(1208)));
        assert!(e.message().contains("Insufficient information"));
        assert_eq!(e.code(), "validation-failed");
    }

    #[test]
    fn marktplaats_error_body_is_read() {
        let body = br#"{"logref":"abc","code":"validation-failure","message":"Validatie mislukt",
            "details":[{"field":"title","code":"too-short","message":"Minimum","value":"3"},{"fields":["a","b"],"code":"x"}]}"#;
        let e = error_from_response(400, &HeaderMap::new(), body, false);
        assert_eq!(e.code(), "validation-failure");
        assert_eq!(e.request_id(), Some("abc"));
        assert_eq!(e.details().len(), 2);
        assert_eq!(e.details()[0].field.as_deref(), Some("title"));
        assert_eq!(e.details()[1].field.as_deref(), Some("a,b"));
        assert_eq!(e.message(), "HTTP 400 Bad Request: Validatie mislukt: title: Minimum; a,b: x");
    }

    #[test]
    fn a_validation_message_names_the_first_fields_then_counts_the_rest() {
        let body = br#"{"code":"validation-failure","message":"Validation failed","details":[
            {"field":"categoryId","code":"input-invalid","message":"Must be the id of a leaf (L2) category"},
            {"field":"title","code":"input-too-short","message":"Minimum of 3 characters","value":"3"},
            {"field":"description","code":"missing-required-field"},
            {"field":"location.postcode","code":"missing-required-field","message":"This field is required"},
            {"message":"Something else"}]}"#;
        let e = error_from_response(400, &HeaderMap::new(), body, false);
        assert_eq!(
            e.message(),
            "HTTP 400 Bad Request: Validation failed: categoryId: Must be the id of a leaf (L2) category; \
             title: Minimum of 3 characters; description: missing-required-field and 2 more"
        );
        assert_eq!(e.details().len(), 5, "every detail is kept");
        let one = error_from_response(400, &HeaderMap::new(), br#"{"details":[{"message":"No field"}]}"#, false);
        assert_eq!(one.message(), "HTTP 400 Bad Request: No field");
    }

    #[test]
    fn secret_bodies_are_not_kept() {
        let e = error_from_response(500, &HeaderMap::new(), b"token=abc", true);
        assert_eq!(e.body(), None);
        let e = error_from_response(500, &HeaderMap::new(), b"<html>oops</html>", false);
        assert_eq!(e.body(), Some("<html>oops</html>"));
        assert_eq!(e.kind(), ErrorKind::Server);
    }

    #[test]
    fn not_acceptable_explains_the_accept_header() {
        let e = error_from_response(406, &HeaderMap::new(), b"", false);
        assert!(e.message().contains("application/json"), "{e}");
    }
}
