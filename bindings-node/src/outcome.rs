//! The JSON text a native call hands back to JS.
//!
//! `{"value": ...}` on success, `{"error": {...}}` with every field of a [`sellkit::Error`], or
//! `{"aborted": true}` when the call's cancel token fired. The JS layer (`lib/errors.js`) turns
//! the error object into the `SellkitError` subclass named by `kind`.

use serde_json::{json, Value};

/// Every field of `e`, camelCased for JS. `message` is the core's message; `text` is its full
/// rendering (status, API code, request id, machine code), which becomes the JS `Error.message`.
pub fn error_value(e: &sellkit::Error) -> Value {
    let details: Vec<Value> = e
        .details()
        .iter()
        .map(|d| json!({ "field": d.field, "code": d.code, "message": d.message, "value": d.value }))
        .collect();
    let api_code = match e.api_code() {
        Some(sellkit::ApiCode::Int(i)) => json!(i),
        Some(sellkit::ApiCode::Str(s)) => json!(s),
        None => Value::Null,
    };
    json!({
        "kind": e.kind().as_str(),
        "code": e.code(),
        "message": e.message(),
        "text": e.to_string(),
        "status": e.status(),
        "apiCode": api_code,
        "details": details,
        "field": e.field(),
        "requestId": e.request_id(),
        "retryAfter": e.retry_after().map(|d| d.as_secs_f64()),
        "body": e.body(),
        "outcomeUnknown": e.outcome_unknown(),
    })
}

pub fn error_json(e: &sellkit::Error) -> String {
    error_value(e).to_string()
}

/// Written straight into one string (no wrapping object is built around the value).
pub fn result_json(result: sellkit::Result<Value>) -> String {
    let (key, value) = match result {
        Ok(value) => ("{\"value\":", value),
        Err(e) => ("{\"error\":", error_value(&e)),
    };
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(key.as_bytes());
    // Writing a `Value` into a Vec cannot fail (its keys are strings).
    serde_json::to_writer(&mut out, &value).expect("a JSON value serialises");
    out.push(b'}');
    // SAFETY: serde_json writes UTF-8, and so do the two literals.
    unsafe { String::from_utf8_unchecked(out) }
}

/// A call's result: `{"value": view}`, a batch's `{"value": view, "batchError": {...}}` (the
/// error its `throwForFailures()` throws), or `{"error": {...}}`. A bytes result never gets here
/// (it crosses as a Buffer).
pub fn out_json(result: sellkit::Result<sellkit::catalogue::Out>) -> String {
    use sellkit::catalogue::Out;
    match result {
        Ok(Out::Json(v)) => result_json(Ok(v)),
        Ok(Out::Batch(view, error)) => {
            let mut out = result_json(Ok(view));
            if let Some(e) = error {
                out.pop();
                out.push_str(",\"batchError\":");
                out.push_str(&error_json(&e));
                out.push('}');
            }
            out
        }
        Ok(Out::Bytes(_)) => result_json(Err(sellkit::Error::new(sellkit::ErrorKind::Internal, "a bytes result cannot be JSON"))),
        Err(e) => result_json(Err(e)),
    }
}

pub fn aborted_json() -> String {
    r#"{"aborted":true}"#.to_owned()
}
