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
//! As `JSON.stringify` (see `lib/encode.js`), except that `NaN`, `±Infinity`, BigInts and
//! nesting deeper than 128 levels are refused: invalid input naming the argument and the path
//! (`doc.ads[3].price`, `ops[1].value`). Strings with a lone surrogate are refused too.
//!
//! Numbers: a JS number is a double. An integral one within the 64-bit range becomes a JSON
//! integer holding exactly that double's value (`2 ** 60` stays `1152921504606846976`); any other
//! finite number stays a float. Numbers come back as JS numbers (through `JSON.parse`), so an
//! integer above 2^53 comes back as the nearest double; since it went in as a double, that is the
//! same number.

use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue};
use napi::{sys, ValueType};
use serde_json::{Map, Number, Value};

/// Deepest nesting accepted (`MAX_DEPTH` in lib/encode.js, which tags deeper values).
const MAX_DEPTH: usize = 128;

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
        let codes: &[f64] = if self.codes_len == 0 {
            &[]
        } else {
            // SAFETY: Node-API points `codes` at the array's first element (the byte offset
            // added); a Float64Array is 8-byte aligned and outlives this call.
            unsafe { std::slice::from_raw_parts(self.codes, self.codes_len) }
        };
        let mut d = Decoder { codes, pos: self.pos, text: &self.text, tpos: self.tpos };
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

impl Stream {
    /// The next value, as the arguments object of an operation: errors name the path from the
    /// argument down (`ad.priceModel.askingPrice`, `ops[1].value`), or `args` for the object itself.
    pub fn next_args(&mut self) -> Result<Value, sellkit::Error> {
        let e = match self.next_value("args") {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        match e.field().and_then(|f| f.strip_prefix("args.")) {
            Some(path) => {
                let message = e.details().first().and_then(|d| d.message.clone()).unwrap_or_default();
                Err(sellkit::Error::invalid_input(path, message))
            }
            None => Err(e),
        }
    }
}

fn internal(message: &str) -> sellkit::Error {
    sellkit::Error::new(sellkit::ErrorKind::Internal, message)
}

/// One step of the path to a value that could not be converted.
enum Segment {
    Key(String),
    Index(usize),
}

/// Why a value could not be converted, and where (innermost segment first).
struct Failure {
    path: Vec<Segment>,
    message: String,
}

impl Failure {
    fn new(message: impl Into<String>) -> Failure {
        Failure { path: Vec::new(), message: message.into() }
    }
    fn at(mut self, segment: Segment) -> Failure {
        self.path.push(segment);
        self
    }
    /// The argument's name, then `.key` and `[i]` down to the value.
    fn into_error(self, root: &str) -> sellkit::Error {
        let mut field = root.to_owned();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) => {
                    field.push('.');
                    field.push_str(k);
                }
                Segment::Index(i) => field.push_str(&format!("[{i}]")),
            }
        }
        sellkit::Error::invalid_input(field, self.message)
    }
}

struct Decoder<'a> {
    codes: &'a [f64],
    pos: usize,
    text: &'a [u16],
    tpos: usize,
}

impl Decoder<'_> {
    fn code(&mut self) -> Result<f64, Failure> {
        let x = *self.codes.get(self.pos).ok_or_else(|| Failure::new("internal: the encoded value is truncated"))?;
        self.pos += 1;
        Ok(x)
    }

    fn string(&mut self) -> Result<String, Failure> {
        let len = self.code()? as usize;
        let end = self.tpos + len;
        let units = self.text.get(self.tpos..end).ok_or_else(|| Failure::new("internal: the encoded text is truncated"))?;
        self.tpos = end;
        if units.iter().all(|&u| u < 0x80) {
            let bytes: Vec<u8> = units.iter().map(|&u| u as u8).collect();
            // SAFETY: every byte is ASCII.
            return Ok(unsafe { String::from_utf8_unchecked(bytes) });
        }
        String::from_utf16(units).map_err(|_| Failure::new("the string holds a lone surrogate, which is not valid Unicode"))
    }

    /// `None` for what JSON leaves out of an object (undefined, functions, symbols).
    fn value(&mut self, depth: usize) -> Result<Option<Value>, Failure> {
        if depth > MAX_DEPTH {
            return Err(Failure::new("internal: the encoded value is nested too deep"));
        }
        let tag = self.code()?;
        Ok(Some(match tag {
            T_NULL => Value::Null,
            T_FALSE => Value::Bool(false),
            T_TRUE => Value::Bool(true),
            T_NUMBER => Value::Number(number(self.code()?)?),
            T_STRING => Value::String(self.string()?),
            T_ARRAY => {
                let len = self.code()? as usize;
                let mut items = Vec::with_capacity(len.min(self.codes.len()));
                for i in 0..len {
                    match self.value(depth + 1) {
                        Ok(v) => items.push(v.unwrap_or(Value::Null)),
                        Err(f) => return Err(f.at(Segment::Index(i))),
                    }
                }
                Value::Array(items)
            }
            T_OBJECT => {
                let len = self.code()? as usize;
                let mut map = Map::with_capacity(len.min(self.codes.len()));
                for _ in 0..len {
                    let key = self.string()?;
                    match self.value(depth + 1) {
                        Ok(Some(v)) => {
                            map.insert(key, v);
                        }
                        Ok(None) => {}
                        Err(f) => return Err(f.at(Segment::Key(key))),
                    }
                }
                Value::Object(map)
            }
            T_BIGINT => {
                return Err(Failure::new(
                    "a BigInt is not a JSON value (JSON.stringify refuses it too); use a number or a string",
                ))
            }
            T_SKIP => return Ok(None),
            T_DEEP => {
                return Err(Failure::new(format!("is nested deeper than {MAX_DEPTH} levels (does it contain itself?)")))
            }
            _ => return Err(Failure::new(format!("internal: unknown tag {tag}"))),
        }))
    }
}

/// A JS number as JSON: integral values within 64 bits as integers, other finite values as floats.
fn number(f: f64) -> Result<Number, Failure> {
    if !f.is_finite() {
        return Err(Failure::new(format!("{} is not a JSON number (NaN and Infinity have no JSON form)", js_number(f))));
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
