//! What the fuzz targets share: JSON documents and patches built from fuzzer bytes, and the
//! splitting of text inputs into their parts.
//!
//! Targets that read JSON take the fixture-shaped input first (so the seed corpus made from the
//! API examples and the JSON Patch test suite is used as it is) and fall back to building values
//! with `arbitrary`, so that inputs the mutator has broken still reach the code under test.

use arbitrary::{Result, Unstructured};
use sellkit::patch::{Operation, Pointer};
use serde_json::{Map, Number, Value};

/// A few keys, drawn often, so that two generated documents share members and generated
/// pointers hit them. They include the characters a pointer must escape and array-like tokens.
const KEYS: &[&str] = &["a", "b", "c", "", "~", "/", "0", "1", "-", "a/b", "~1", "é", "title", "price"];

/// How deep generated documents nest.
pub const MAX_DEPTH: u32 = 4;

/// A JSON value of at most `depth` levels of nesting.
pub fn json(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let kinds = if depth == 0 { 4 } else { 6 };
    Ok(match u.int_in_range(0..=kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Number(number(u)?),
        3 => Value::String(text(u)?),
        4 => Value::Number(Number::from(u.int_in_range(0..=3)?)),
        5 => {
            let len = u.int_in_range(0..=4)?;
            Value::Array((0..len).map(|_| json(u, depth - 1)).collect::<Result<_>>()?)
        }
        _ => {
            let len = u.int_in_range(0..=4)?;
            let mut map = Map::new();
            for _ in 0..len {
                map.insert(key(u)?, json(u, depth - 1)?);
            }
            Value::Object(map)
        }
    })
}

/// Integers of both signs, the largest unsigned ones, and finite floats (`1` and `1.0` differ).
fn number(u: &mut Unstructured) -> Result<Number> {
    Ok(match u.int_in_range(0..=2)? {
        0 => Number::from(u.arbitrary::<i64>()?),
        1 => Number::from(u.arbitrary::<u64>()?),
        _ => Number::from_f64(u.arbitrary::<f64>()?).unwrap_or_else(|| Number::from(0)),
    })
}

/// A short string: usually one of [`KEYS`], sometimes anything.
fn text(u: &mut Unstructured) -> Result<String> {
    if u.ratio(3, 4)? {
        Ok((*u.choose(KEYS)?).to_owned())
    } else {
        let s: String = u.arbitrary()?;
        Ok(s.chars().take(12).collect())
    }
}

/// An object key or pointer token.
pub fn key(u: &mut Unstructured) -> Result<String> {
    text(u)
}

/// Every location in `doc`, as token lists (the root first), at most `limit` of them.
fn locations(doc: &Value, limit: usize) -> Vec<Vec<String>> {
    fn walk(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>, limit: usize) {
        if out.len() >= limit {
            return;
        }
        out.push(at.clone());
        let children: Vec<(String, &Value)> = match v {
            Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(a) => a.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            _ => Vec::new(),
        };
        for (token, child) in children {
            at.push(token);
            walk(child, at, out, limit);
            at.pop();
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out, limit);
    out
}

/// A pointer that usually names something in `doc`, or one step past it (a new member, an array
/// end `-`, an index one past the last), and sometimes anything.
pub fn pointer_into(u: &mut Unstructured, doc: &Value) -> Result<Pointer> {
    let known = locations(doc, 64);
    let mut tokens = if u.ratio(7, 8)? { u.choose(&known)?.clone() } else { Vec::new() };
    match u.int_in_range(0..=5)? {
        0 | 1 | 2 => {}
        3 => tokens.push(key(u)?),
        4 => tokens.push("-".to_owned()),
        _ => {
            let len = Pointer::from_tokens(tokens.clone()).get(doc).and_then(Value::as_array).map_or(0, Vec::len);
            tokens.push((len + u.int_in_range(0..=1)?).to_string());
        }
    }
    Ok(Pointer::from_tokens(tokens))
}

/// Up to six operations of any kind, aimed at `doc`.
pub fn operations(u: &mut Unstructured, doc: &Value) -> Result<Vec<Operation>> {
    let len = u.int_in_range(0..=6)?;
    let mut ops = Vec::with_capacity(len);
    for _ in 0..len {
        let path = pointer_into(u, doc)?;
        ops.push(match u.int_in_range(0..=5)? {
            0 => Operation::add(path, json(u, 2)?),
            1 => Operation::remove(path),
            2 => Operation::replace(path, json(u, 2)?),
            3 => Operation::move_from(pointer_into(u, doc)?, path),
            4 => Operation::copy_from(pointer_into(u, doc)?, path),
            _ => {
                // A `test` passes only on an equal value: take the one there most of the time.
                let value = match path.get(doc) {
                    Some(v) if u.ratio(3, 4)? => v.clone(),
                    _ => json(u, 2)?,
                };
                Operation::test(path, value)
            }
        });
    }
    Ok(ops)
}

/// The first `n` lines of `data` and the rest (each line without its `\n`); `None` when `data`
/// has fewer lines or is not UTF-8 in its line part.
pub fn lines(data: &[u8], n: usize) -> Option<(Vec<&str>, &[u8])> {
    let mut parts = Vec::with_capacity(n);
    let mut rest = data;
    for _ in 0..n {
        let end = rest.iter().position(|&b| b == b'\n')?;
        parts.push(std::str::from_utf8(&rest[..end]).ok()?);
        rest = &rest[end + 1..];
    }
    Some((parts, rest))
}

/// The exact JSON text of a value: equal texts mean equal values with members in the same order.
pub fn exact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The properties every model keeps on any JSON: only a value that is no object (nor `[]`) is
/// refused; a decoded model re-encodes stably and decodes to itself; the view computed on the
/// JSON equals the view of the decoded model; strict decoding accepts less and reads the same
/// data (an ISO 8601 date-time given as input is sent in EQP's own form: the same instant), and
/// what it would send decodes back, strictly and leniently, to itself.
pub fn check_model<T: sellkit::model::Model + PartialEq + std::fmt::Debug>(v: &Value) -> Option<T> {
    use sellkit::ErrorKind;
    let model = match T::from_json(v) {
        Ok(m) => m,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
            assert!(!v.is_object(), "an object was refused: {e}");
            assert!(T::view_of(v.clone()).is_err(), "the view of a refused body was computed");
            return None;
        }
    };
    let encoded = model.to_json();
    let again = T::from_json(&encoded).unwrap_or_else(|e| panic!("the encoded model does not decode: {e}\n{encoded}"));
    assert_eq!(again, model, "decode(encode(x)) != x for {encoded}");
    assert_eq!(again.to_json(), encoded, "encoding is not stable");
    assert_eq!(T::view_of(v.clone()).unwrap(), model.to_view(), "the view on the JSON differs from the view of the model");
    let _ = format!("{model:?}");
    match T::from_input(v, "input") {
        Ok(strict) => {
            let sent = strict.to_json();
            assert!(same_but_timestamp_forms(&sent, &encoded), "strict input reads other data: {sent} for {encoded}");
            assert_eq!(T::from_json(&sent).ok().as_ref(), Some(&strict), "what strict input sends decodes otherwise: {sent}");
            assert_eq!(T::from_input(&sent, "input").ok().as_ref(), Some(&strict), "strict input is not idempotent: {sent}");
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}"),
    }
    Some(model)
}

/// Whether `a` and `b` are the same JSON, except for strings that are the same EQP timestamp
/// written in two forms (`2020-07-21T08:09:10Z` and `2020-07-21 08:09:10`).
fn same_but_timestamp_forms(a: &Value, b: &Value) -> bool {
    use sellkit::eqp::model::Timestamp;
    match (a, b) {
        (Value::String(x), Value::String(y)) if x != y => {
            matches!((Timestamp::parse(x), Timestamp::parse(y)), (Ok(x), Ok(y)) if x.unix_seconds() == y.unix_seconds())
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_but_timestamp_forms(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((kx, x), (ky, y))| kx == ky && same_but_timestamp_forms(x, y))
        }
        _ => a == b,
    }
}
