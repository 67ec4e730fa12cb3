//! The server's checks of an advertisement's category attributes: the definitions of its leaf
//! ([`super::catalog::attribute_defs`]) decide what is mandatory, which values are allowed, of
//! which type, range and length, and whether a client may set (`writable`) or change
//! (`updateable`) a value.
//!
//! Attributes are the ad's top-level members (`"condition": "Nieuw"`); an `attributes` array of
//! `{key, value}` objects is accepted too, its problems named `attributes[2].value`. A member
//! no definition names is left alone, as the API keeps members it does not check.

use serde_json::{Map, Value};

use super::detail;

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

fn allowed(def: &Value) -> Vec<&str> {
    def.get("values").and_then(Value::as_array).map(|v| v.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn problem(def: &Value, field: &str, value: &Value) -> Option<Value> {
    let values = allowed(def);
    let text_ok = |s: &str| -> Option<Value> {
        if !values.is_empty() {
            return (!values.contains(&s)).then(|| detail(field, "input-invalid", &format!("Not one of the allowed values: {}", values.join(", ")), None));
        }
        let n = s.chars().count() as u64;
        if let Some(max) = def.get("maxAllowedLength").and_then(Value::as_u64).filter(|m| n > *m) {
            return Some(detail(field, "input-too-long", &format!("Maximum of {max} characters"), Some(Value::String(max.to_string()))));
        }
        if let Some(min) = def.get("minAllowedLength").and_then(Value::as_u64).filter(|m| n < *m) {
            return Some(detail(field, "input-too-short", &format!("Minimum of {min} characters"), Some(Value::String(min.to_string()))));
        }
        None
    };
    let range = |x: f64| -> Option<Value> {
        let lo = def.get("minValue").and_then(Value::as_f64);
        let hi = def.get("maxValue").and_then(Value::as_f64);
        if lo.is_some_and(|lo| x < lo) || hi.is_some_and(|hi| x > hi) {
            let show = |k: &str| def.get(k).map(Value::to_string).unwrap_or_default();
            return Some(detail(field, "input-invalid", &format!("Must be between {} and {}", show("minValue"), show("maxValue")), None));
        }
        None
    };
    match def.get("type").and_then(Value::as_str).unwrap_or("") {
        "STRING" => match value {
            Value::String(s) => text_ok(s),
            _ => Some(detail(field, "input-invalid", "Must be a string", None)),
        },
        "LIST" => {
            let items: Vec<&Value> = match value {
                Value::Array(a) => a.iter().collect(),
                one => vec![one],
            };
            items.into_iter().find_map(|i| match i {
                Value::String(s) => text_ok(s),
                _ => Some(detail(field, "input-invalid", "Must be a string or a list of strings", None)),
            })
        }
        "NUMBER" => match number(value) {
            Some(x) if x.fract() == 0.0 => range(x),
            _ => Some(detail(field, "input-invalid", "Must be a whole number", None)),
        },
        "DOUBLE" => match number(value) {
            Some(x) => range(x),
            None => Some(detail(field, "input-invalid", "Must be a number", None)),
        },
        _ => None,
    }
}

fn value_of<'a>(ad: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    ad.get(key).filter(|v| !v.is_null()).or_else(|| {
        ad.get("attributes")?.as_array()?.iter().find(|i| i.get("key").and_then(Value::as_str) == Some(key))?.get("value").filter(|v| !v.is_null())
    })
}

/// `"x"` and `["x"]` are one LIST value; `2015` and `"2015"` one NUMBER.
fn normal(def: &Value, v: Option<&Value>) -> Option<Value> {
    let v = v?;
    Some(match def.get("type").and_then(Value::as_str) {
        Some("LIST") if !v.is_array() => Value::Array(vec![v.clone()]),
        Some("NUMBER" | "DOUBLE") => number(v).map(|x| Value::String(x.to_string())).unwrap_or_else(|| v.clone()),
        _ => v.clone(),
    })
}

fn empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// Field errors of `ad`'s attributes against `defs`. `old` is the stored ad on an update (an
/// attribute that is not `updateable` may not change), `None` on create (one that is not
/// `writable` may not be given).
pub(crate) fn check(defs: &[Value], ad: &Map<String, Value>, old: Option<&Map<String, Value>>) -> Vec<Value> {
    let key_of = |d: &Value| d.get("key").and_then(Value::as_str).map(str::to_owned);
    let def_of = |k: &str| defs.iter().find(|d| d.get("key").and_then(Value::as_str) == Some(k));
    let mut out = Vec::new();
    // Where each attribute was given: (field, key).
    let mut fields: Vec<(String, String)> = Vec::new();
    for (k, v) in ad {
        if let (Some(def), false) = (def_of(k), v.is_null()) {
            fields.push((k.clone(), k.clone()));
            out.extend(problem(def, k, v));
        }
    }
    if let Some(Value::Array(list)) = ad.get("attributes") {
        for (i, item) in list.iter().enumerate() {
            let Some(key) = item.get("key").and_then(Value::as_str) else {
                out.push(detail(&format!("attributes[{i}].key"), "missing-required-field", "This field is required", None));
                continue;
            };
            let Some(def) = def_of(key) else {
                out.push(detail(&format!("attributes[{i}].key"), "input-invalid", "Not an attribute of this category", None));
                continue;
            };
            let field = format!("attributes[{i}].value");
            if let Some(v) = item.get("value").filter(|v| !v.is_null()) {
                out.extend(problem(def, &field, v));
            }
            fields.push((field, key.to_owned()));
        }
    }
    for def in defs {
        let Some(key) = key_of(def) else { continue };
        let field = fields.iter().find(|(_, k)| *k == key).map(|(f, _)| f.clone()).unwrap_or_else(|| key.clone());
        let now = value_of(ad, &key);
        let flag = |name: &str| def.get(name).and_then(Value::as_bool).unwrap_or(name != "mandatory");
        if flag("mandatory") && empty(now) {
            out.push(detail(&field, "missing-required-field", "This field is required", None));
            continue;
        }
        match old {
            None if !flag("writable") && !empty(now) => out.push(detail(&field, "input-invalid", "This field cannot be set", None)),
            Some(old) if !flag("updateable") && normal(def, now) != normal(def, value_of(old, &key)) => {
                out.push(detail(&field, "input-invalid", "This field cannot be updated", None))
            }
            _ => {}
        }
    }
    out
}
