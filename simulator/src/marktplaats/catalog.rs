//! Read-only data: the root resource, the category tree with attributes and fees, postcodes.

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

use super::{caller, curies, not_found, ok, query_map, Platform};
use crate::Shared;

/// (L2 id, L2 name)
type Leaves = &'static [(i64, &'static str)];
/// (L1 id, L1 name, leaves)
const TREE: &[(i64, &str, Leaves)] = &[
    (1, "Antiek en Kunst", &[(2, "Antiek | Bestek"), (4, "Antiek | Meubels")]),
    (31, "Audio, Tv en Foto", &[(35, "Cd-spelers")]),
    (91, "Auto's", &[(92, "Alfa Romeo"), (93, "Audi"), (157, "Volkswagen")]),
];

/// The parent of a leaf, when `id` is one.
pub(crate) fn leaf_parent(id: i64) -> Option<i64> {
    TREE.iter().find(|(_, _, kids)| kids.iter().any(|(k, _)| *k == id)).map(|(l1, _, _)| *l1)
}

fn labels(name: &str) -> Value {
    json!({"nl-NL": name, "nl-BE": name, "fr-BE": name})
}

fn l2(l1: i64, id: i64, name: &str) -> Value {
    json!({
        "_links": {
            "self": {"href": format!("/v1/categories/{l1}/{id}")},
            "up": {"href": format!("/v1/categories/{l1}")},
            "mp:category-attributes": {"href": format!("/v1/categories/{l1}/{id}/attributes")},
            "mp:category-fees": {"href": format!("/v1/categories/{l1}/{id}/fees")}
        },
        "categoryId": id, "name": name, "labels": labels(name), "status": "open"
    })
}

fn l1(id: i64) -> Option<Value> {
    let (_, name, kids) = TREE.iter().find(|(i, _, _)| *i == id)?;
    let children: Vec<Value> = kids.iter().map(|(k, n)| l2(id, *k, n)).collect();
    Some(json!({
        "_links": {"self": {"href": format!("/v1/categories/{id}")}, "up": {"href": "/v1/categories"}, "curies": curies()},
        "_embedded": {"mp:category": children},
        "categoryId": id, "name": name, "labels": labels(name), "status": "open"
    }))
}

pub(crate) async fn root(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    or_respond!(caller(&s, p, &headers));
    ok(json!({"_links": {
        "self": {"href": "/v1"}, "curies": curies(),
        "mp:categories": {"href": "/v1/categories"}, "mp:advertisements": {"href": "/v1/advertisements"},
        "mp:users": {"href": "/v1/users"}, "mp:me": {"href": "/v1/me"}, "mp:search": {"href": "/v1/search"},
        "mp:locations": {"href": "/v1/locations{?postcode}", "templated": true}
    }}))
}

pub(crate) async fn categories(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    or_respond!(caller(&s, p, &headers));
    let q = query_map(q.as_deref());
    if let Some(id) = q.get("categoryId") {
        let Ok(id) = id.parse::<i64>() else { return not_found("category-not-found", "Category") };
        if let Some(cat) = l1(id) {
            return ok(cat);
        }
        return match leaf_parent(id) {
            Some(parent) => category_leaf(parent, id),
            None => not_found("category-not-found", "Category"),
        };
    }
    let all: Vec<Value> = TREE.iter().filter_map(|(id, _, _)| l1(*id)).collect();
    ok(json!({
        "_links": {
            "self": {"href": "/v1/categories"},
            "find": {"href": "/v1/categories{?categoryId}", "templated": true},
            "describedby": {"href": "https://api.marktplaats.nl/docs/v1/categories.html"},
            "curies": curies()
        },
        "_embedded": {"mp:category": all}
    }))
}

fn category_leaf(l1_id: i64, l2_id: i64) -> Response {
    let found = TREE.iter().find(|(i, _, _)| *i == l1_id).and_then(|(_, _, kids)| kids.iter().find(|(k, _)| *k == l2_id));
    match found {
        Some((id, name)) => ok(l2(l1_id, *id, name)),
        None => not_found("category-not-found", "Category"),
    }
}

pub(crate) async fn category_l1(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    or_respond!(caller(&s, p, &headers));
    id.parse().ok().and_then(l1).map(ok).unwrap_or_else(|| not_found("category-not-found", "Category"))
}

pub(crate) async fn category_l2(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((a, b)): Path<(String, String)>) -> Response {
    or_respond!(caller(&s, p, &headers));
    match (a.parse(), b.parse()) {
        (Ok(a), Ok(b)) => category_leaf(a, b),
        _ => not_found("category-not-found", "Category"),
    }
}

/// What a client may do with an attribute: set it on create, change it afterwards.
#[derive(Clone, Copy)]
struct Access {
    mandatory: bool,
    writable: bool,
    updateable: bool,
}

const OPTIONAL: Access = Access { mandatory: false, writable: true, updateable: true };
const MANDATORY: Access = Access { mandatory: true, writable: true, updateable: true };

fn with_access(mut def: Value, a: Access) -> Value {
    def["mandatory"] = a.mandatory.into();
    def["searchable"] = true.into();
    def["writable"] = a.writable.into();
    def["updateable"] = a.updateable.into();
    def
}

/// One value out of a list (`STRING`) or several (`LIST`): given both as the deprecated
/// `values` and as `options`, as the docs describe them.
fn choice(key: &str, label: &str, kind: &str, values: &[&str], a: Access) -> Value {
    let options: Vec<Value> = values.iter().map(|v| json!({"value": v, "labels": labels(v)})).collect();
    with_access(json!({"key": key, "label": label, "labels": labels(label), "type": kind, "values": values, "options": options}), a)
}

/// Free text of a bounded length (`STRING` without values).
fn text(key: &str, label: &str, min: u64, max: u64, a: Access) -> Value {
    with_access(json!({"key": key, "label": label, "labels": labels(label), "type": "STRING", "minAllowedLength": min, "maxAllowedLength": max}), a)
}

/// A number in a range (`NUMBER`: whole; `DOUBLE`: any), with a unit when given.
fn number(key: &str, label: &str, kind: &str, min: f64, max: f64, unit: Option<&str>, a: Access) -> Value {
    let mut def = json!({"key": key, "label": label, "labels": labels(label), "type": kind});
    if kind == "NUMBER" {
        def["minValue"] = (min as i64).into();
        def["maxValue"] = (max as i64).into();
    } else {
        def["minValue"] = min.into();
        def["maxValue"] = max.into();
    }
    if let Some(u) = unit {
        def["unit"] = u.into();
        def["units"] = labels(u);
    }
    with_access(def, a)
}

/// The attribute definitions of a leaf (`l1`, `l2`), as `GET .../attributes` serves them and as
/// advertisements are checked against them.
pub(crate) fn attribute_defs(l1: i64, l2: i64) -> Vec<Value> {
    match (l1, l2) {
        (31, _) => vec![
            choice("condition", "Conditie", "STRING", &["Nieuw", "Zo goed als nieuw", "Gebruikt"], OPTIONAL),
            choice("brand", "Merk", "STRING", &["Sony", "Philips", "Denon", "Technics", "Pioneer", "Marantz"], OPTIONAL),
            choice("properties", "Eigenschappen", "LIST", &["Wisselaar", "Draagbaar", "Met radio"], OPTIONAL),
            choice("delivery", "Levering", "STRING", &["Ophalen", "Verzenden", "Ophalen of Verzenden"], OPTIONAL),
        ],
        (91, _) => vec![
            // The construction year is the car's, fixed once the ad is placed.
            number("constructionYear", "Bouwjaar", "NUMBER", 1900.0, 2030.0, None, Access { updateable: false, ..MANDATORY }),
            number("mileage", "Kilometerstand", "NUMBER", 0.0, 9_999_999.0, Some("km"), MANDATORY),
            choice("fuel", "Brandstof", "STRING", &["Benzine", "Diesel", "Elektrisch", "Hybride", "LPG"], MANDATORY),
            choice("transmission", "Transmissie", "STRING", &["Handgeschakeld", "Automaat"], OPTIONAL),
            number("numberOfDoors", "Aantal deuren", "NUMBER", 2.0, 5.0, None, OPTIONAL),
            text("model", "Model", 1, 40, OPTIONAL),
            // Marktplaats's own judgement of the asking price: shown on the ad, set by the server.
            choice("priceIndicator", "Prijsindicatie", "STRING", &["Lage prijs", "Goede prijs", "Eerlijke prijs", "Hoge prijs"],
                   Access { mandatory: false, writable: false, updateable: false }),
        ],
        (1, 2) => vec![
            choice("period", "Periode", "STRING", &["Tot 1800", "1800 tot 1900", "1900 tot 1950", "Na 1950"], OPTIONAL),
            choice("material", "Materiaal", "LIST", &["Zilver", "Verzilverd", "Roestvrij staal", "Goud"], OPTIONAL),
            text("maker", "Maker", 2, 40, OPTIONAL),
        ],
        (1, _) => vec![
            choice("period", "Periode", "STRING", &["Tot 1800", "1800 tot 1900", "1900 tot 1950", "Na 1950"], OPTIONAL),
            number("weight", "Gewicht", "DOUBLE", 0.1, 500.0, Some("kg"), OPTIONAL),
            text("maker", "Maker", 2, 40, OPTIONAL),
        ],
        _ => vec![choice("condition", "Conditie", "STRING", &["Nieuw", "Gebruikt"], OPTIONAL)],
    }
}

pub(crate) async fn attributes(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((a, b)): Path<(String, String)>) -> Response {
    or_respond!(caller(&s, p, &headers));
    let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) else { return not_found("category-not-found", "Category") };
    if leaf_parent(b) != Some(a) {
        return not_found("category-not-found", "Category");
    }
    ok(json!({
        "_links": {"self": {"href": format!("/v1/categories/{a}/{b}/attributes")}, "curies": curies()},
        "_embedded": {"mp:category-attribute": attribute_defs(a, b)}
    }))
}

pub(crate) async fn fees(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, Path((a, b)): Path<(String, String)>) -> Response {
    or_respond!(caller(&s, p, &headers));
    let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) else { return not_found("category-not-found", "Category") };
    if leaf_parent(b) != Some(a) {
        return not_found("category-not-found", "Category");
    }
    let subs = if a == 91 {
        json!([{"durationDays": 7, "fee": 1250}, {"durationDays": 14, "fee": 1750}, {"durationDays": 28, "fee": 2500}])
    } else {
        json!([])
    };
    ok(json!({
        "_links": {"self": {"href": format!("/v1/categories/{a}/{b}/fees")},
                   "describedby": {"href": "https://api.marktplaats.nl/docs/v1/categories.html#fees"}},
        "insertionFee": if a == 91 { 0 } else { 325 },
        "runningSubscriptions": subs
    }))
}

/// (postcode, street, city, province, short code)
const POSTCODES: &[(&str, &str, &str, &str, &str)] = &[
    ("8301AA", "Kampwal", "Emmeloord", "Flevoland", "FL"),
    ("1097DN", "Wibautstraat", "Amsterdam", "Noord-Holland", "NH"),
    ("3511AA", "Oudegracht", "Utrecht", "Utrecht", "UT"),
    ("1000", "Grote Markt", "Brussel", "Brussel", "BRU"),
    ("9000", "Korenmarkt", "Gent", "Oost-Vlaanderen", "OVL"),
    ("4000", "Place Saint-Lambert", "Liège", "Liège", "LIE"),
];

/// The city of a postcode, when known.
pub(crate) fn city(postcode: &str) -> Option<&'static str> {
    let pc = postcode.replace(' ', "").to_ascii_uppercase();
    POSTCODES.iter().find(|(p, ..)| *p == pc).map(|(_, _, c, _, _)| *c)
}

pub(crate) async fn locations(Extension(p): Extension<Platform>, State(s): State<Arc<Shared>>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    or_respond!(caller(&s, p, &headers));
    let q = query_map(q.as_deref());
    let pc = q.get("postcode").map(|p| p.replace(' ', "").to_ascii_uppercase()).unwrap_or_default();
    match POSTCODES.iter().find(|(p, ..)| *p == pc) {
        Some((postcode, street, city, province, short)) => ok(json!({
            "_links": {"find": {"href": "/locations{?postcode}", "templated": true}},
            "postcode": postcode, "street": street, "city": city, "province": province, "provinceShortCode": short
        })),
        None => not_found("location-not-found", "Location"),
    }
}
