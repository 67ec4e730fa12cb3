//! JSON Patch on the wire: the checks and the request of a PATCH, and the diff behind
//! `update_from`. The patch logic itself is [`crate::patch`].

use reqwest::Method;
use serde_json::Value;

use super::client::patch_body;
use crate::error::Result;
use crate::patch::{self, Operation};
use crate::transport::{Idempotency, Request};

/// Parse `ops` and refuse what the server does not support (`invalid-patch-operation`).
pub(crate) fn checked(ops: &Value) -> Result<Vec<Operation>> {
    let parsed = patch::parse(ops)?;
    patch::validate(&parsed, true)?;
    Ok(parsed)
}

/// The PATCH request: `application/json-patch+json`, retried after a failure only when every
/// operation is safe to repeat.
pub(crate) fn request(path: String, ops: &[Operation]) -> Result<Request> {
    let body = Value::Array(ops.iter().map(Operation::to_value).collect());
    let idempotency = if patch::is_safe_to_repeat(ops) { Idempotency::Safe } else { Idempotency::Unsafe };
    Ok(Request::new(Method::PATCH, path).body(patch_body(&body)?).idempotency(idempotency))
}

/// The operations turning `old` into `new`, HAL members (`_links`, `_embedded`) left out.
pub(crate) fn diff_ads(old: &Value, new: &Value) -> Result<Value> {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Value::Object(m) = &mut v {
            m.remove("_links");
            m.remove("_embedded");
        }
        v
    };
    let ops = patch::diff(&strip(old), &strip(new));
    Ok(Value::Array(ops.iter().map(Operation::to_value).collect()))
}
