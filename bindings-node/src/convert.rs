//! JS values → `serde_json::Value`: decoding the compact form that `lib/encode.js` makes.
//!
//! # Why this form
//!
//! Measured on a 1 MB document (an object holding an array of ~2,600 ads with nested objects,
//! strings, integers and floats; Node 20, release build, the 2-core development machine, glibc
//! malloc, same run): time to get the document from JS into a `serde_json::Value`.
//!
//! | way in                                                                    | 1 MB  | 100 KB | 1 KB  |
//! |---------------------------------------------------------------------------|-------|--------|-------|
//! | Node-API, value by value (`napi_get_all_property_names`, `napi_get_property`, ...) | 51 ms | 3.1 ms | 24 µs |
//! | JSON text: `JSON.stringify` + `serde_json::from_str`                       | 42 ms | 1.9 ms | 21 µs |
//! | this form: JS walk into a `Float64Array` + one string, decoded here        | 23 ms | 1.4 ms | 15 µs |
//!
//! (With strings appended with `+=` instead of `join`, and mimalloc, this form now takes 13 ms
//! for 1 MB.) Node-API pays V8's generic property lookups, a handle and a try/catch scope on
//! every call, several calls per value. JSON text pays number formatting and parsing, and
//! `JSON.stringify` writes `NaN` as `null` without a word (a replacer that catches it makes
//! JSON text as slow as Node-API). The walk in `lib/encode.js` is JIT-compiled JS; Rust then
//! reads tags, lengths and numbers straight out of the `Float64Array` and all strings from one
//! UTF-16 copy: no Node-API call per value.
//!
//! The way back is JSON text: `serde_json::to_string` here and `JSON.parse` in JS (1 MB:
//! 7–12 ms, against ~45 ms for creating the objects one Node-API call at a time).
//!
//! # Semantics
//!
//! As `JSON.stringify` (see `lib/encode.js`), except that `NaN`, `±Infinity`, BigInts, invalid
//! Dates and nesting deeper than 128 levels are refused: invalid input naming the argument and the path
//! (`doc.ads[3].price`, `ops[1].value`). Strings with a lone surrogate are refused too.
//!
//! Numbers: a JS number is a double. An integral one within the 64-bit range becomes a JSON
//! integer holding exactly that double's value (`2 ** 60` stays `1152921504606846976`); any other
//! finite number stays a float. Numbers come back as JS numbers (through `JSON.parse`), so an
//! integer above 2^53 comes back as the nearest double; since it went in as a double, that is the
//! same number.

use std::borrow::Cow;
use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue};
use napi::{sys, ValueType};
use sellkit::catalogue::{InputFailure as Failure, MAX_DEPTH};
use sellkit::patch::{DiffObject, DiffTree};
use serde_json::{Map, Number, Value};


// Tags (kept in step with lib/encode.js).
const T_NULL: f64 = 0.0;
const T_FALSE: f64 = 1.0;
const T_TRUE: f64 = 2.0;
const T_NUMBER: f64 = 3.0;
const T_STRING: f64 = 4.0;
const T_ARRAY: f64 = 5.0;
const T_OBJECT: f64 = 6.0;
const T_BIGINT: f64 = 7.0;
const T_SKIP: f64 = 8.0;
const T_DEEP: f64 = 9.0;
/// A Buffer passed beside the encoded values (the next code is its index): decoded as the
/// marker `{"$buffer": index}`, which the argument mapping replaces by the bytes.
const T_BUFFER: f64 = 10.0;
/// A `Date` whose time is NaN (`new Date('nonsense')`).
const T_INVALID_DATE: f64 = 11.0;

/// A JS argument as it arrived (the `Float64Array` and the string of an encoded stream).
#[derive(Clone, Copy)]
pub struct JsIn {
    env: sys::napi_env,
    value: sys::napi_value,
}

impl TypeName for JsIn {
    fn type_name() -> &'static str {
        "unknown"
    }
    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for JsIn {}

impl FromNapiValue for JsIn {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        Ok(JsIn { env, value })
    }
}

/// The values of one encoded stream, read in the order they were encoded.
pub struct Stream {
    /// The `Float64Array`'s elements, read in place: JS cannot run (and change them) while the
    /// native call that made this stream runs.
    codes: *const f64,
    codes_len: usize,
    text: Vec<u16>,
    pos: usize,
    tpos: usize,
}

impl Stream {
    /// Copy the strings out of `text`; the codes are read in place.
    pub fn new(codes: JsIn, text: JsIn) -> Result<Stream, sellkit::Error> {
        let env = text.env;
        let mut kind = 0;
        let mut codes_len = 0usize;
        let mut data = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        let mut offset = 0usize;
        let st = unsafe {
            sys::napi_get_typedarray_info(env, codes.value, &mut kind, &mut codes_len, &mut data, &mut buffer, &mut offset)
        };
        if st != sys::Status::napi_ok || kind != sys::TypedarrayType::float64_array {
            return Err(internal("the codes of an encoded value are not a Float64Array"));
        }
        let mut units = 0usize;
        let st = unsafe { sys::napi_get_value_string_utf16(env, text.value, ptr::null_mut(), 0, &mut units) };
        if st != sys::Status::napi_ok {
            return Err(internal("the text of an encoded value is not a string"));
        }
        let mut buf: Vec<u16> = Vec::with_capacity(units + 1);
        let mut copied = 0usize;
        let st = unsafe { sys::napi_get_value_string_utf16(env, text.value, buf.as_mut_ptr(), units + 1, &mut copied) };
        if st != sys::Status::napi_ok {
            return Err(internal("the text of an encoded value could not be read"));
        }
        // SAFETY: Node-API wrote `copied` units.
        unsafe { buf.set_len(copied) };
        Ok(Stream { codes: data as *const f64, codes_len, text: buf, pos: 0, tpos: 0 })
    }

    /// The next value, as the argument `name` (`doc`, `ops`, ...).
    pub fn next_value(&mut self, name: &str) -> Result<Value, sellkit::Error> {
        self.next(name, &[])
    }

    /// The text cut to bytes, for [`Stream::next_node`] to borrow its ASCII strings from.
    pub fn narrow(&self) -> Vec<u8> {
        self.text.iter().map(|&u| u as u8).collect()
    }

    /// The next value as a [`Node`], its ASCII strings borrowed from `narrow` (made by
    /// [`Stream::narrow`] of this stream).
    pub fn next_node<'t>(&mut self, name: &str, narrow: &'t [u8]) -> Result<Node<'t>, sellkit::Error> {
        self.next(name, narrow)
    }

    fn next<'t, T: Build<'t>>(&mut self, name: &str, narrow: &'t [u8]) -> Result<T, sellkit::Error> {
        let codes: &[f64] = if self.codes_len == 0 {
            &[]
        } else {
            // SAFETY: Node-API points `codes` at the array's first element (the byte offset
            // added); a Float64Array is 8-byte aligned and outlives this call.
            unsafe { std::slice::from_raw_parts(self.codes, self.codes_len) }
        };
        let mut d = Decoder { codes, pos: self.pos, text: &self.text, tpos: self.tpos, narrow };
        let result = d.value(0);
        self.pos = d.pos;
        self.tpos = d.tpos;
        match result {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(Failure::new("must be a JSON value, not undefined, a function or a symbol").into_error(name)),
            Err(f) => Err(f.into_error(name)),
        }
    }
}

fn internal(message: &str) -> sellkit::Error {
    sellkit::Error::new(sellkit::ErrorKind::Internal, message)
}

/// What the decoder builds: `serde_json::Value` (owned), or [`Node`] (strings borrowed where
/// they are ASCII, for `diff`, which converts only what ends up in the patch).
trait Build<'t>: Sized {
    type Members;
    fn null() -> Self;
    fn bool(b: bool) -> Self;
    fn number(n: Number) -> Self;
    fn string(s: Cow<'t, str>) -> Self;
    fn array(items: Vec<Self>) -> Self;
    fn new_object(len: usize) -> Self::Members;
    fn insert(object: &mut Self::Members, key: Cow<'t, str>, value: Self);
    fn object(object: Self::Members) -> Self;
}

impl<'t> Build<'t> for Value {
    type Members = Map<String, Value>;
    fn null() -> Value {
        Value::Null
    }
    fn bool(b: bool) -> Value {
        Value::Bool(b)
    }
    fn number(n: Number) -> Value {
        Value::Number(n)
    }
    fn string(s: Cow<'t, str>) -> Value {
        Value::String(s.into_owned())
    }
    fn array(items: Vec<Value>) -> Value {
        Value::Array(items)
    }
    fn new_object(len: usize) -> Map<String, Value> {
        Map::with_capacity(len)
    }
    fn insert(object: &mut Map<String, Value>, key: Cow<'t, str>, value: Value) {
        object.insert(key.into_owned(), value);
    }
    fn object(object: Map<String, Value>) -> Value {
        Value::Object(object)
    }
}

struct Decoder<'a, 'n> {
    codes: &'a [f64],
    pos: usize,
    text: &'a [u16],
    tpos: usize,
    /// `text` with each unit cut to its low byte: the ASCII strings are read from here
    /// without a copy. Empty when strings are always copied.
    narrow: &'n [u8],
}

impl<'n> Decoder<'_, 'n> {
    fn code(&mut self) -> Result<f64, Failure> {
        let x = *self.codes.get(self.pos).ok_or_else(|| Failure::new("internal: the encoded value is truncated"))?;
        self.pos += 1;
        Ok(x)
    }

    fn string(&mut self) -> Result<Cow<'n, str>, Failure> {
        let len = self.code()? as usize;
        let start = self.tpos;
        let end = start + len;
        let units = self.text.get(start..end).ok_or_else(|| Failure::new("internal: the encoded text is truncated"))?;
        self.tpos = end;
        if units.iter().all(|&u| u < 0x80) {
            if let Some(bytes) = self.narrow.get(start..end) {
                // SAFETY: these bytes are the units above, every one ASCII.
                return Ok(Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(bytes) }));
            }
            let bytes: Vec<u8> = units.iter().map(|&u| u as u8).collect();
            // SAFETY: every byte is ASCII.
            return Ok(Cow::Owned(unsafe { String::from_utf8_unchecked(bytes) }));
        }
        String::from_utf16(units)
            .map(Cow::Owned)
            .map_err(|_| Failure::lone_surrogate())
    }

    /// `None` for what JSON leaves out of an object (undefined, functions, symbols).
    fn value<T: Build<'n>>(&mut self, depth: usize) -> Result<Option<T>, Failure> {
        if depth > MAX_DEPTH {
            return Err(Failure::new("internal: the encoded value is nested too deep"));
        }
        let tag = self.code()?;
        Ok(Some(match tag {
            T_NULL => T::null(),
            T_FALSE => T::bool(false),
            T_TRUE => T::bool(true),
            T_NUMBER => T::number(number(self.code()?)?),
            T_STRING => T::string(self.string()?),
            T_ARRAY => {
                let len = self.code()? as usize;
                let mut items = Vec::with_capacity(len.min(self.codes.len()));
                for i in 0..len {
                    match self.value(depth + 1) {
                        Ok(v) => items.push(v.unwrap_or_else(T::null)),
                        Err(f) => return Err(f.at_index(i)),
                    }
                }
                T::array(items)
            }
            T_OBJECT => {
                let len = self.code()? as usize;
                let mut object = T::new_object(len.min(self.codes.len()));
                for _ in 0..len {
                    let key = self.string()?;
                    match self.value(depth + 1) {
                        Ok(Some(v)) => T::insert(&mut object, key, v),
                        Ok(None) => {}
                        Err(f) => return Err(f.at_key(key.into_owned())),
                    }
                }
                T::object(object)
            }
            T_BIGINT => {
                return Err(Failure::new(
                    "a BigInt is not a JSON value (JSON.stringify refuses it too); use a number or a string",
                ))
            }
            T_SKIP => return Ok(None),
            T_BUFFER => {
                let index = self.code()?;
                let mut marker = T::new_object(1);
                T::insert(&mut marker, Cow::Borrowed("$buffer"), T::number(number(index)?));
                T::object(marker)
            }
            T_DEEP => {
                return Err(Failure::too_deep())
            }
            T_INVALID_DATE => return Err(Failure::new("is an invalid Date (its time is NaN)")),
            _ => return Err(Failure::new(format!("internal: unknown tag {tag}"))),
        }))
    }
}

/// A document read for `diff` without converting it: ASCII strings borrowed from the stream's
/// text, numbers as the JSON numbers `Value` would hold. `==` is `Value`'s.
pub enum Node<'t> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'t, str>),
    Array(Vec<Node<'t>>),
    Object(Members<'t>),
}

/// An object's members in document order (a JS object has no duplicate keys), with a sorted
/// index for lookups once it has more than a few members.
pub struct Members<'t> {
    members: Vec<(Cow<'t, str>, Node<'t>)>,
    /// Empty for small objects.
    sorted: Box<[u32]>,
}

/// Up to this many members a lookup scans; above, it searches the sorted index.
const SCAN_MEMBERS: usize = 16;

impl<'t> Build<'t> for Node<'t> {
    type Members = Vec<(Cow<'t, str>, Node<'t>)>;
    fn null() -> Self {
        Node::Null
    }
    fn bool(b: bool) -> Self {
        Node::Bool(b)
    }
    fn number(n: Number) -> Self {
        Node::Number(n)
    }
    fn string(s: Cow<'t, str>) -> Self {
        Node::String(s)
    }
    fn array(items: Vec<Self>) -> Self {
        Node::Array(items)
    }
    fn new_object(len: usize) -> Self::Members {
        Vec::with_capacity(len)
    }
    fn insert(object: &mut Self::Members, key: Cow<'t, str>, value: Self) {
        object.push((key, value));
    }
    fn object(members: Self::Members) -> Self {
        let sorted = if members.len() > SCAN_MEMBERS {
            let mut sorted: Vec<u32> = (0..members.len() as u32).collect();
            sorted.sort_unstable_by(|&a, &b| members[a as usize].0.cmp(&members[b as usize].0));
            sorted.into_boxed_slice()
        } else {
            Box::default()
        };
        Node::Object(Members { members, sorted })
    }
}

impl<'t> DiffObject<Node<'t>> for Members<'t> {
    fn len(&self) -> usize {
        self.members.len()
    }
    fn members<'s>(&'s self) -> impl Iterator<Item = (&'s str, &'s Node<'t>)>
    where
        Node<'t>: 's,
    {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }
    fn get(&self, key: &str) -> Option<&Node<'t>> {
        self.lookup(key)
    }
}

impl<'t> Members<'t> {
    fn lookup(&self, key: &str) -> Option<&Node<'t>> {
        if self.sorted.is_empty() {
            return self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        }
        let i = self.sorted.binary_search_by(|&i| self.members[i as usize].0.as_ref().cmp(key)).ok()?;
        Some(&self.members[self.sorted[i] as usize].1)
    }
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Node::Null, Node::Null) => true,
            (Node::Bool(a), Node::Bool(b)) => a == b,
            (Node::Number(a), Node::Number(b)) => a == b,
            (Node::String(a), Node::String(b)) => a == b,
            (Node::Array(a), Node::Array(b)) => a == b,
            // As serde_json's maps: the same members, in any order.
            (Node::Object(a), Node::Object(b)) => {
                if a.members.len() != b.members.len() {
                    return false;
                }
                if a.members.iter().zip(&b.members).all(|((ka, _), (kb, _))| ka == kb) {
                    return a.members.iter().zip(&b.members).all(|((_, va), (_, vb))| va == vb);
                }
                a.members.iter().all(|(k, v)| b.lookup(k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

impl<'t> DiffTree for Node<'t> {
    type Object = Members<'t>;
    fn as_object(&self) -> Option<&Members<'t>> {
        match self {
            Node::Object(members) => Some(members),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&[Self]> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }
    fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(DiffTree::to_value).collect()),
            Node::Object(o) => Value::Object(o.members.iter().map(|(k, v)| (k.to_string(), v.to_value())).collect()),
        }
    }
}

/// A JS number as JSON: integral values within 64 bits as integers, other finite values as floats.
fn number(f: f64) -> Result<Number, Failure> {
    if !f.is_finite() {
        return Err(Failure::not_finite(js_number(f)));
    }
    if f.fract() == 0.0 {
        // Integral, so these conversions are exact: -2^63 ≤ f < 2^63, then 2^63 ≤ f < 2^64.
        if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
            return Ok(Number::from(f as i64));
        }
        if (0.0..18_446_744_073_709_551_616.0).contains(&f) {
            return Ok(Number::from(f as u64));
        }
    }
    Number::from_f64(f).ok_or_else(|| Failure::new("is not a JSON number"))
}

/// How JS writes a non-finite number.
fn js_number(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}
