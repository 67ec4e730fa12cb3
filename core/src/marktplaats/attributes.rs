//! An advertisement against the attribute definitions of its category (reference §1.4.2):
//! mandatory attributes present, values within the allowed set, of their type (`STRING`,
//! `LIST`, `NUMBER`, `DOUBLE`), within their range or length, and the `writable` /
//! `updateable` flags of each attribute.
//!
//! Attributes are top-level members of the ad (`"condition": "Nieuw"`), as the docs show them;
//! an `attributes` array of `{key, value}` objects is read too, and its problems are named
//! `attributes[2].value`. A member that no definition names is left alone: it may be a field of
//! the ad the models do not declare.

use serde_json::{Map, Value};

use super::flags::detail;
use super::models::{AttributeType, CategoryAttribute};
use crate::error::FieldDetail;

/// Where an attribute's value was found: its field path and the value.
struct Given<'a> {
    field: String,
    key: &'a str,
    value: &'a Value,
}

fn given<'a>(ad: &'a Map<String, Value>, defs: &[CategoryAttribute], category: &str, out: &mut Vec<FieldDetail>) -> Vec<Given<'a>> {
    let mut found = Vec::new();
    for (key, value) in ad {
        if !value.is_null() && defs.iter().any(|d| d.key.as_deref() == Some(key.as_str())) {
            found.push(Given { field: key.clone(), key, value });
        }
    }
    if let Some(Value::Array(list)) = ad.get("attributes") {
        for (i, item) in list.iter().enumerate() {
            let Some(key) = item.get("key").and_then(Value::as_str) else {
                out.push(detail(format!("attributes[{i}].key"), "missing-required-field", "is required: the attribute's key"));
                continue;
            };
            if !defs.iter().any(|d| d.key.as_deref() == Some(key)) {
                let known: Vec<&str> = defs.iter().filter_map(|d| d.key.as_deref()).collect();
                out.push(detail(
                    format!("attributes[{i}].key"),
                    "input-invalid",
                    format!("{key:?} is not an attribute of category {category} (its attributes: {})", known.join(", ")),
                ));
                continue;
            }
            match item.get("value") {
                None | Some(Value::Null) => {}
                Some(value) => found.push(Given { field: format!("attributes[{i}].value"), key, value }),
            }
        }
    }
    found
}

/// The values an attribute allows (`values`, and `options` as strings or `{value}` objects).
fn allowed(def: &CategoryAttribute) -> Vec<String> {
    let mut out: Vec<String> = def.values.clone().unwrap_or_default();
    for o in def.options.iter().flatten() {
        let v = match o {
            Value::String(s) => Some(s.clone()),
            Value::Object(m) => m.get("value").or_else(|| m.get("key")).and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
            _ => None,
        };
        if let Some(v) = v {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn one_of(field: &str, key: &str, v: &str, allowed: &[String], category: &str) -> Option<FieldDetail> {
    if allowed.is_empty() || allowed.iter().any(|a| a == v) {
        return None;
    }
    let shown: Vec<&str> = allowed.iter().take(12).map(String::as_str).collect();
    let more = if allowed.len() > shown.len() { format!(" and {} more", allowed.len() - shown.len()) } else { String::new() };
    let hint = allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(v.trim()))
        .map(|a| format!(" (did you mean {a:?}?)"))
        .unwrap_or_default();
    Some(detail(field, "input-invalid", format!("{v:?} is not a value of {key} in category {category}{hint}; allowed: {}{more}", shown.join(", "))))
}

fn length(field: &str, def: &CategoryAttribute, v: &str) -> Option<FieldDetail> {
    let n = v.chars().count() as u64;
    if let Some(min) = def.min_allowed_length.filter(|m| n < *m) {
        return Some(detail(field, "input-too-short", format!("must be at least {min} characters (got {n})")));
    }
    if let Some(max) = def.max_allowed_length.filter(|m| n > *m) {
        let mut d = detail(field, "input-too-long", format!("must be at most {max} characters (got {n})"));
        d.value = Some(Value::String(max.to_string()));
        return Some(d);
    }
    None
}

/// A number given as a JSON number or as text (`"2015"`).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

fn in_range(field: &str, def: &CategoryAttribute, x: f64) -> Option<FieldDetail> {
    let min = def.min_value.as_ref().and_then(serde_json::Number::as_f64);
    let max = def.max_value.as_ref().and_then(serde_json::Number::as_f64);
    let show = |n: &Option<serde_json::Number>| n.as_ref().map(ToString::to_string).unwrap_or_default();
    match (min, max) {
        (Some(lo), _) if x < lo => Some(detail(field, "input-invalid", format!("must be at least {} (got {x})", show(&def.min_value)))),
        (_, Some(hi)) if x > hi => Some(detail(field, "input-invalid", format!("must be at most {} (got {x})", show(&def.max_value)))),
        _ => None,
    }
}

/// The problem with one value of an attribute, if any.
fn check_value(def: &CategoryAttribute, g: &Given<'_>, category: &str) -> Option<FieldDetail> {
    let allowed = allowed(def);
    let field = g.field.as_str();
    let ty = def.attribute_type.clone().unwrap_or(AttributeType::Other(String::new()));
    match ty {
        AttributeType::String => match g.value {
            Value::String(s) if allowed.is_empty() => length(field, def, s),
            Value::String(s) => one_of(field, g.key, s, &allowed, category),
            other => Some(detail(field, "input-invalid", format!("must be text (a STRING attribute), got {}", crate::model::json_type(other)))),
        },
        AttributeType::List => {
            let items: Vec<&Value> = match g.value {
                Value::Array(a) => a.iter().collect(),
                one => vec![one],
            };
            for item in items {
                let problem = match item {
                    Value::String(s) if allowed.is_empty() => length(field, def, s),
                    Value::String(s) => one_of(field, g.key, s, &allowed, category),
                    other => Some(detail(field, "input-invalid", format!("must be text or a list of texts (a LIST attribute), got {}", crate::model::json_type(other)))),
                };
                if problem.is_some() {
                    return problem;
                }
            }
            None
        }
        AttributeType::Number => match number(g.value) {
            Some(x) if x.fract() == 0.0 => in_range(field, def, x),
            _ => Some(detail(field, "input-invalid", format!("must be a whole number (a NUMBER attribute), got {}", g.value))),
        },
        AttributeType::Double => match number(g.value) {
            Some(x) => in_range(field, def, x),
            None => Some(detail(field, "input-invalid", format!("must be a number (a DOUBLE attribute), got {}", g.value))),
        },
        // A type this version does not know: the server judges.
        AttributeType::Other(_) => None,
    }
}

/// The value of attribute `key` in an ad, top-level or in its `attributes` array.
fn value_of<'a>(ad: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let top = ad.get(key).filter(|v| !v.is_null());
    top.or_else(|| {
        ad.get("attributes")?.as_array()?.iter().find(|i| i.get("key").and_then(Value::as_str) == Some(key))?.get("value").filter(|v| !v.is_null())
    })
}

/// One form for values that mean the same (`"Draagbaar"` and `["Draagbaar"]` for a LIST,
/// `2015` and `"2015"` for a NUMBER), so that a representation is not taken for a change.
fn normal(def: &CategoryAttribute, v: Option<&Value>) -> Option<Value> {
    let v = v?;
    Some(match def.attribute_type {
        Some(AttributeType::List) => match v {
            Value::Array(_) => v.clone(),
            one => Value::Array(vec![one.clone()]),
        },
        Some(AttributeType::Number | AttributeType::Double) => match number(v) {
            Some(x) => Value::String(x.to_string()),
            None => v.clone(),
        },
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

/// Check `ad` against the attribute definitions of its category (named `category` in
/// messages). `old` is the ad as it is on the server for a replace or an update (then an
/// attribute that is not `updateable` may not change), `None` for a new ad (then one that is
/// not `writable` may not be given).
pub(crate) fn check(defs: &[CategoryAttribute], ad: &Map<String, Value>, old: Option<&Map<String, Value>>, category: &str) -> Vec<FieldDetail> {
    let mut out = Vec::new();
    let found = given(ad, defs, category, &mut out);
    for g in &found {
        let Some(def) = defs.iter().find(|d| d.key.as_deref() == Some(g.key)) else { continue };
        if let Some(problem) = check_value(def, g, category) {
            out.push(problem);
        }
    }
    for def in defs {
        let Some(key) = def.key.as_deref() else { continue };
        let now = value_of(ad, key);
        let field = found.iter().find(|g| g.key == key).map(|g| g.field.clone()).unwrap_or_else(|| key.to_owned());
        if def.mandatory == Some(true) && empty(now) {
            out.push(detail(&field, "missing-required-field", format!("is mandatory in category {category}")));
            continue;
        }
        match old {
            None if def.writable == Some(false) && !empty(now) => {
                out.push(detail(&field, "not-writable", format!("cannot be set in category {category}: the server sets it; leave it out")));
            }
            Some(old) if def.updateable == Some(false) && normal(def, now) != normal(def, value_of(old, key)) => {
                let was = value_of(old, key).map(Value::to_string).unwrap_or_else(|| "not set".into());
                out.push(detail(&field, "not-updateable", format!("cannot be changed once the ad is placed in category {category} (it is {was})")));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defs() -> Vec<CategoryAttribute> {
        let v = json!([
            {"key": "condition", "type": "STRING", "values": ["Nieuw", "Gebruikt"], "mandatory": true, "writable": true, "updateable": true},
            {"key": "properties", "type": "LIST", "options": [{"value": "Draagbaar"}, "Met radio"], "mandatory": false},
            {"key": "constructionYear", "type": "NUMBER", "minValue": 1900, "maxValue": 2030, "updateable": false},
            {"key": "weight", "type": "DOUBLE", "minValue": 0, "maxValue": 99.5},
            {"key": "model", "type": "STRING", "minAllowedLength": 2, "maxAllowedLength": 5},
            {"key": "priceIndicator", "type": "STRING", "values": ["Goede prijs"], "writable": false, "updateable": false},
            {"key": "future", "type": "GEO"}
        ]);
        serde_json::from_value(v).unwrap()
    }

    fn fields(ad: Value, old: Option<Value>) -> Vec<(String, String)> {
        check(&defs(), ad.as_object().unwrap(), old.as_ref().and_then(Value::as_object), "35 (Cd-spelers)")
            .into_iter()
            .map(|d| (d.field.unwrap(), d.code.unwrap()))
            .collect()
    }

    fn pair(f: &str, c: &str) -> (String, String) {
        (f.to_owned(), c.to_owned())
    }

    #[test]
    fn a_good_ad_passes() {
        let ad = json!({"condition": "Nieuw", "properties": ["Draagbaar", "Met radio"], "constructionYear": "1999", "weight": 12.5,
                        "model": "abc", "future": {"lat": 1}, "color": "red"});
        assert!(fields(ad, None).is_empty());
        assert!(fields(json!({"condition": "Nieuw", "properties": "Draagbaar"}), None).is_empty());
    }

    #[test]
    fn each_rule_names_its_field() {
        assert_eq!(fields(json!({}), None), [pair("condition", "missing-required-field")]);
        assert_eq!(fields(json!({"condition": "nieuw"}), None), [pair("condition", "input-invalid")]);
        let ad = json!({"condition": "Nieuw", "properties": ["Draagbaar", "Groot"], "constructionYear": 1850, "weight": "zwaar",
                        "model": "abcdef", "priceIndicator": "Goede prijs"});
        assert_eq!(
            fields(ad, None),
            [
                pair("properties", "input-invalid"),
                pair("constructionYear", "input-invalid"),
                pair("weight", "input-invalid"),
                pair("model", "input-too-long"),
                pair("priceIndicator", "not-writable"),
            ]
        );
        assert_eq!(fields(json!({"condition": "Nieuw", "constructionYear": 1999.5, "model": "a"}), None),
                   [pair("constructionYear", "input-invalid"), pair("model", "input-too-short")]);
        assert_eq!(fields(json!({"condition": 1}), None), [pair("condition", "input-invalid")]);
    }

    #[test]
    fn the_attributes_array_is_named_by_index() {
        let ad = json!({"attributes": [{"key": "condition", "value": "Nieuw"}, {"key": "properties", "value": "Draagbaar"},
                                       {"key": "constructionYear", "value": 3000}, {"key": "colour", "value": "red"}, {"value": 1}]});
        assert_eq!(
            fields(ad, None),
            [pair("attributes[3].key", "input-invalid"), pair("attributes[4].key", "missing-required-field"), pair("attributes[2].value", "input-invalid")]
        );
    }

    #[test]
    fn updates_may_not_change_what_is_not_updateable() {
        let old = json!({"condition": "Nieuw", "constructionYear": 1999, "properties": ["Draagbaar"]});
        assert!(fields(json!({"condition": "Gebruikt", "constructionYear": "1999", "properties": "Draagbaar"}), Some(old.clone())).is_empty());
        assert_eq!(fields(json!({"condition": "Nieuw", "constructionYear": 2000}), Some(old.clone())), [pair("constructionYear", "not-updateable")]);
        assert_eq!(fields(json!({"condition": "Nieuw"}), Some(old)), [pair("constructionYear", "not-updateable")]);
    }

    #[test]
    fn the_hint_and_the_allowed_values_are_in_the_message() {
        let d = check(&defs(), json!({"condition": "nieuw"}).as_object().unwrap(), None, "35 (Cd-spelers)");
        let m = d[0].message.as_deref().unwrap();
        assert!(m.contains("did you mean \"Nieuw\"") && m.contains("allowed: Nieuw, Gebruikt"), "{m}");
    }
}
