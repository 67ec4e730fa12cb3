//! `patch` for Node: the functions of [`sellkit::patch`], converting and nothing else.
//!
//! Arguments arrive as one encoded stream (`lib/encode.js`, decoded by [`crate::convert`]);
//! each function answers with outcome JSON (see [`crate::outcome`]): `{"value": ...}`, or
//! `{"error": {...}}` that `lib/patch.js` throws as the right `SellkitError` subclass.

use napi_derive::napi;
use sellkit::patch::{self, Operation};
use serde_json::{Map, Value};

use crate::convert::{JsIn, Stream};
use crate::outcome::result_json;

fn ops_from(stream: &mut Stream) -> sellkit::Result<Vec<Operation>> {
    patch::parse(&stream.next_value("ops")?)
}

/// Operations in their RFC form (`{op, from?, path, value?}`), moving values, not cloning them.
fn ops_value(ops: Vec<Operation>) -> Value {
    Value::Array(ops.into_iter().map(op_value).collect())
}

fn op_value(op: Operation) -> Value {
    let mut m = Map::with_capacity(4);
    m.insert("op".into(), Value::String(op.name().into()));
    if let Some(from) = op.from() {
        m.insert("from".into(), Value::String(from.to_string()));
    }
    m.insert("path".into(), Value::String(op.path().to_string()));
    match op {
        Operation::Add { value, .. } | Operation::Replace { value, .. } | Operation::Test { value, .. } => {
            m.insert("value".into(), value);
        }
        Operation::Remove { .. } | Operation::Move { .. } | Operation::Copy { .. } => {}
    }
    Value::Object(m)
}

/// `patch.apply(doc, ops)` (stream: doc, ops): the patched copy.
#[napi(catch_unwind)]
pub fn patch_apply(codes: JsIn, text: JsIn) -> String {
    result_json((|| {
        let mut stream = Stream::new(codes, text)?;
        let mut doc = stream.next_value("doc")?;
        let ops = ops_from(&mut stream)?;
        // The decoded document is already a copy of the caller's: patch it without cloning.
        patch::apply_in_place(&mut doc, &ops)?;
        Ok(doc)
    })())
}

/// `patch.diff(oldDoc, newDoc)` (stream: old, new): `add`, `remove` and `replace` operations.
#[napi(catch_unwind)]
pub fn patch_diff(codes: JsIn, text: JsIn) -> String {
    result_json((|| {
        let mut stream = Stream::new(codes, text)?;
        // Read in place, not converted: only the values that go into the patch are.
        let narrow = stream.narrow();
        let old = stream.next_node("oldDoc", &narrow)?;
        let new = stream.next_node("newDoc", &narrow)?;
        Ok(ops_value(patch::diff_trees(&old, &new)))
    })())
}

/// `patch.validate(ops, {serverSafe})` (stream: ops): `null` on success.
#[napi(catch_unwind)]
pub fn patch_validate(codes: JsIn, text: JsIn, server_safe: bool) -> String {
    result_json((|| {
        let ops = ops_from(&mut Stream::new(codes, text)?)?;
        patch::validate(&ops, server_safe).map(|()| Value::Null)
    })())
}

/// `patch.isSafeToRepeat(ops)` (stream: ops).
#[napi(catch_unwind)]
pub fn patch_is_safe_to_repeat(codes: JsIn, text: JsIn) -> String {
    result_json((|| {
        let ops = ops_from(&mut Stream::new(codes, text)?)?;
        Ok(Value::Bool(patch::is_safe_to_repeat(&ops)))
    })())
}

/// `patch.parse(ops)` (stream: ops): the operations in their normal RFC form.
#[napi(catch_unwind)]
pub fn patch_parse(codes: JsIn, text: JsIn) -> String {
    result_json((|| Ok(ops_value(ops_from(&mut Stream::new(codes, text)?)?)))())
}
