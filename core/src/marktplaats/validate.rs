//! Checks made before anything is sent, each naming the field it refuses.
//!
//! Two kinds: the rules the reference documents for every ad (title length, price models,
//! amounts in whole cents, locales, phone numbers), checked by [`check_ad`] without a request;
//! and the rules of the ad's category ([`against_category`]): a leaf category that takes ads,
//! the required members, and the category's attribute definitions (their types, allowed
//! values and ranges). The category's tree and attributes are read from the server once
//! and kept (see [`super::categories::Categories::attributes`]). What depends on the user
//! (user-dependent attribute statuses) is left to the server, whose `validation-failure`
//! details land in the error's `details`.

use serde_json::{Map, Value};

use super::categories::Placement;
use super::flags::{self, detail, refusal};
use super::models::ModelType;
use super::{attributes, Client};
use crate::error::{Error, Result};
use crate::locale::Platform;

/// Title length in characters (reference: 3 to 60).
pub const TITLE_MIN: usize = 3;
/// Longest title, in characters.
pub const TITLE_MAX: usize = 60;

/// What an advertisement body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdUse {
    /// `POST /v1/advertisements`.
    Create,
    /// `PUT /v1/advertisements/{itemId}` (and the new side of `update_from`).
    Replace,
}

/// An amount of euro cents in `field`: a whole, non-negative JSON number. Invalid input for
/// `field` otherwise (a fraction such as `15.5` is refused: write `1550`).
pub fn check_cents(field: &str, v: &Value) -> Result<i64> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i < 0 {
                    return Err(Error::invalid_input(field, format!("must not be negative (got {i}); amounts are euro cents")));
                }
                return Ok(i);
            }
            if n.as_u64().is_some() {
                return Err(Error::invalid_input(field, "is too large"));
            }
            Err(Error::invalid_input(
                field,
                format!("must be a whole number of euro cents, not {n} (write 1550 for EUR 15.50)"),
            ))
        }
        other => Err(Error::invalid_input(field, format!("must be a whole number of euro cents, got {}", crate::model::json_type(other)))),
    }
}

/// A title of 3 to 60 characters (trimmed, counted in characters). Invalid input for `field`
/// otherwise.
pub fn check_title(field: &str, v: &Value) -> Result<()> {
    let Some(s) = v.as_str() else {
        return Err(Error::invalid_input(field, format!("must be a string, got {}", crate::model::json_type(v))));
    };
    let n = s.trim().chars().count();
    if !(TITLE_MIN..=TITLE_MAX).contains(&n) {
        return Err(Error::invalid_input(field, format!("must be {TITLE_MIN} to {TITLE_MAX} characters long (got {n})")));
    }
    Ok(())
}

/// A `priceModel` object: `modelType` present, only the fields its model allows, amounts as
/// whole non-negative cents (reference §1.4.6). Models whose fields the docs do not show are
/// checked for amounts only. Invalid input names `field` or `field.<member>`.
pub fn check_price_model(field: &str, v: &Value) -> Result<()> {
    let Some(obj) = v.as_object() else {
        return Err(Error::invalid_input(field, format!("must be an object, got {}", crate::model::json_type(v))));
    };
    let model = match obj.get("modelType") {
        Some(Value::String(s)) if !s.trim().is_empty() => ModelType::from(s.as_str()),
        Some(other) => return Err(Error::invalid_input(format!("{field}.modelType"), format!("must be a string, got {}", crate::model::json_type(other)))),
        None => return Err(Error::invalid_input(format!("{field}.modelType"), "is required")),
    };
    for key in ["askingPrice", "minimalBid", "retailPrice"] {
        if let Some(amount) = obj.get(key) {
            check_cents(&format!("{field}.{key}"), amount)?;
        }
    }
    if let Some(allowed) = model.allowed_amounts() {
        for key in obj.keys().filter(|k| k.as_str() != "modelType") {
            if !allowed.contains(&key.as_str()) {
                return Err(Error::invalid_input(
                    format!("{field}.{key}"),
                    format!("is not allowed with modelType {:?} (allowed: {})", model.as_str(), allowed.join(", ")),
                ));
            }
        }
    }
    if model == ModelType::Fixed && !obj.contains_key("askingPrice") {
        return Err(Error::invalid_input(format!("{field}.askingPrice"), "is required with modelType \"fixed\""));
    }
    Ok(())
}

/// Phone number rules of users and ask-bidder-question (reference §1.4.14): Dutch numbers start
/// with 0 and have 10 to 21 digits, international ones start with `+` and have 8 to 19 digits;
/// `00`, `080x` and `090x` (`0800`, `0900`, `0906`, `0909`...) are refused. Spaces and hyphens
/// between digits are allowed. Invalid input for `field` otherwise.
///
/// ```
/// use sellkit::marktplaats::validate::check_phone;
/// assert!(check_phone("phoneNumber", "0615420879").is_ok());
/// assert!(check_phone("phoneNumber", "+31 6 15587981").is_ok());
/// assert_eq!(check_phone("phoneNumber", "0900998877").unwrap_err().field(), Some("phoneNumber"));
/// ```
pub fn check_phone(field: &str, raw: &str) -> Result<()> {
    let compact: String = raw.trim().chars().filter(|c| *c != ' ' && *c != '-').collect();
    let (international, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid_input(field, format!("{raw:?} is not a phone number: use digits, optionally after a leading +")));
    }
    let n = digits.len();
    if international {
        if !(8..=19).contains(&n) {
            return Err(Error::invalid_input(field, format!("an international number has 8 to 19 digits after the + (got {n})")));
        }
        return Ok(());
    }
    if !digits.starts_with('0') {
        return Err(Error::invalid_input(field, "a Dutch number starts with 0; an international one with +"));
    }
    if digits.starts_with("00") {
        return Err(Error::invalid_input(field, "the 00 prefix is not accepted: write +<country code> instead"));
    }
    if digits.starts_with("080") || digits.starts_with("090") {
        return Err(Error::invalid_input(field, "0800/080x and 0900/090x numbers (0906, 0909...) are not allowed"));
    }
    if !(10..=21).contains(&n) {
        return Err(Error::invalid_input(field, format!("a Dutch number has 10 to 21 digits (got {n})")));
    }
    Ok(())
}

/// An advertisement body for create or replace: see [`Ads::create`](super::ads::Ads::create)
/// for what is checked.
pub fn check_ad(platform: Platform, ad: &Value, _use: AdUse) -> Result<()> {
    let Some(obj) = ad.as_object() else {
        return Err(Error::invalid_input("ad", format!("must be an object, got {}", crate::model::json_type(ad))));
    };
    if let Some(t) = obj.get("title") {
        check_title("title", t)?;
    }
    if let Some(pm) = obj.get("priceModel") {
        check_price_model("priceModel", pm)?;
    }
    if let Some(l) = obj.get("locale").filter(|l| !l.is_null()) {
        let s = l.as_str().ok_or_else(|| Error::invalid_input("locale", "must be a string"))?;
        platform.check_locale("locale", s)?;
    }
    if let Some(c) = obj.get("categoryId") {
        if !c.is_u64() {
            return Err(Error::invalid_input("categoryId", "must be a positive whole number (an L2 category id)"));
        }
    }
    if let Some(Value::Array(tr)) = obj.get("translations") {
        for (i, t) in tr.iter().enumerate() {
            if let Some(title) = t.get("title") {
                check_title(&format!("translations[{i}].title"), title)?;
            }
            if let Some(l) = t.get("locale").and_then(Value::as_str) {
                platform.check_locale(&format!("translations[{i}].locale"), l)?;
            }
        }
    }
    Ok(())
}

/// Check an ad against its category, before it is sent: every required member present
/// (`description` or `translations`), `categoryId` a leaf category of the client's platform
/// (open for new ads, for a new ad), and the category's attribute definitions. `old` is the ad as it is on the server for a replace or an update:
/// then members set on create only and attributes that are not `updateable` may not change.
/// Reads the category tree and the leaf's attributes through the client's cache.
///
/// # Errors
///
/// Invalid input with a detail per problem (the first names the error's `field`), before any
/// request when a required member is missing; the errors of reading the category otherwise.
pub async fn against_category(client: &Client, ad: &Map<String, Value>, old: Option<&Map<String, Value>>) -> Result<()> {
    refusal(flags::missing_required(ad))?;
    if let Some(old) = old {
        refusal(flags::create_only_changes(old, ad))?;
    }
    let Some(id) = ad.get("categoryId").and_then(Value::as_i64).filter(|i| *i > 0) else {
        return Err(Error::invalid_input("categoryId", "must be a positive whole number (a leaf category id)"));
    };
    let reading = |e: Error| e.prefix_message(format!("reading category {id} to validate the ad (switching validation off skips this)"));
    let leaf = match client.categories().locate(id).await.map_err(reading)? {
        Placement::Leaf(leaf) => leaf,
        Placement::Main { name, leaves } => {
            let some: Vec<String> = leaves.iter().take(8).map(|(l, n)| format!("{l} ({n})")).collect();
            let more = if leaves.len() > some.len() { ", ..." } else { "" };
            return refusal(vec![detail(
                "categoryId",
                "input-invalid",
                format!("{id} is a main category ({name}); ads go in one of its leaf categories: {}{more}", some.join(", ")),
            )]);
        }
        Placement::Unknown => {
            return refusal(vec![detail("categoryId", "input-invalid", format!("{id} is not a category of {}", client.platform().as_str()))]);
        }
    };
    let category = format!("{} ({})", leaf.l2, leaf.name);
    if old.is_none() && !leaf.open {
        return refusal(vec![detail("categoryId", "input-invalid", format!("category {category} is closed for new ads"))]);
    }
    let defs = client.categories().attributes(leaf.l1, leaf.l2).await.map_err(reading)?;
    refusal(attributes::check(&defs, ad, old, &category))
}

/// The object of an ad body (for the checks that need its members).
pub(crate) fn members(ad: &Value) -> Result<&Map<String, Value>> {
    ad.as_object().ok_or_else(|| Error::invalid_input("ad", format!("must be an object, got {}", crate::model::json_type(ad))))
}

/// The values a JSON Patch writes into an advertisement (`/title`, `/priceModel/...`, `/locale`).
/// The operations themselves are checked by the patch module.
pub fn check_ad_patch_values(platform: Platform, ops: &Value) -> Result<()> {
    let Some(ops) = ops.as_array() else { return Ok(()) };
    for op in ops {
        let (Some(path), Some(value)) = (op.get("path").and_then(Value::as_str), op.get("value")) else { continue };
        let what = op.get("op").and_then(Value::as_str).unwrap_or("");
        if !matches!(what, "add" | "replace") {
            continue;
        }
        match path {
            "/title" => check_title("title", value)?,
            "/priceModel" => check_price_model("priceModel", value)?,
            "/priceModel/askingPrice" | "/priceModel/minimalBid" | "/priceModel/retailPrice" => {
                let field = format!("priceModel.{}", &path["/priceModel/".len()..]);
                check_cents(&field, value)?;
            }
            "/locale" => {
                let s = value.as_str().ok_or_else(|| Error::invalid_input("locale", "must be a string"))?;
                platform.check_locale("locale", s)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The body of `POST /v1/users`: see [`Users::create`](super::users::Users::create) for what is
/// checked.
pub fn check_new_user(platform: Platform, user: &Value) -> Result<()> {
    let Some(obj) = user.as_object() else {
        return Err(Error::invalid_input("user", format!("must be an object, got {}", crate::model::json_type(user))));
    };
    match obj.get("email").and_then(Value::as_str) {
        Some(e) if e.contains('@') && !e.trim().is_empty() => {}
        Some(_) => return Err(Error::invalid_input("email", "is not an e-mail address")),
        None => return Err(Error::invalid_input("email", "is required")),
    }
    if let Some(p) = obj.get("phoneNumber") {
        check_phone("phoneNumber", p.as_str().ok_or_else(|| Error::invalid_input("phoneNumber", "must be a string"))?)?;
    }
    if let Some(l) = obj.get("locale").and_then(Value::as_str) {
        platform.check_locale("locale", l)?;
    }
    max_len(obj.get("name"), "name", 30)?;
    max_len(obj.get("postcode"), "postcode", 6)?;
    Ok(())
}

pub(crate) fn max_len(v: Option<&Value>, field: &str, max: usize) -> Result<()> {
    if let Some(s) = v.and_then(Value::as_str) {
        let n = s.chars().count();
        if n > max {
            return Err(Error::invalid_input(field, format!("must be at most {max} characters (got {n})")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn phone_rules_with_the_docs_examples() {
        for ok in ["0615420879", "0308767261", "0971492918", "+31615587981", "+49699511440", "06-15420879", "020 4167248"] {
            assert!(check_phone("phoneNumber", ok).is_ok(), "{ok} should be valid");
        }
        for bad in ["0900998877", "0906292818", "08001777", "061122", "003233883399", "", "+12", "612345678", "06abc12345"] {
            let e = check_phone("phoneNumber", bad).unwrap_err();
            assert_eq!(e.field(), Some("phoneNumber"), "{bad}");
        }
    }

    #[test]
    fn price_models() {
        assert!(check_price_model("priceModel", &json!({"modelType": "fixed", "askingPrice": 1550})).is_ok());
        assert!(check_price_model("priceModel", &json!({"modelType": "bidding"})).is_ok());
        assert!(check_price_model("priceModel", &json!({"modelType": "bidding", "minimalBid": 100, "askingPrice": 0})).is_ok());
        assert!(check_price_model("priceModel", &json!({"modelType": "see description"})).is_ok());
        let field = |v: Value| check_price_model("priceModel", &v).unwrap_err().field().unwrap().to_owned();
        assert_eq!(field(json!({"modelType": "fixed", "askingPrice": 15.5})), "priceModel.askingPrice");
        assert_eq!(field(json!({"modelType": "fixed", "askingPrice": 1550.0})), "priceModel.askingPrice");
        assert_eq!(field(json!({"modelType": "fixed", "askingPrice": -1})), "priceModel.askingPrice");
        assert_eq!(field(json!({"modelType": "fixed", "askingPrice": "1550"})), "priceModel.askingPrice");
        assert_eq!(field(json!({"modelType": "fixed", "askingPrice": 1, "minimalBid": 1})), "priceModel.minimalBid");
        assert_eq!(field(json!({"modelType": "fixed"})), "priceModel.askingPrice");
        assert_eq!(field(json!({"askingPrice": 1})), "priceModel.modelType");
        assert_eq!(field(json!({"modelType": "bidding", "minimalBid": -5})), "priceModel.minimalBid");
    }

    #[test]
    fn titles_and_ads() {
        let p = Platform::Marktplaats;
        assert!(check_ad(p, &json!({"title": "abc"}), AdUse::Create).is_ok());
        assert_eq!(check_ad(p, &json!({"title": "ab"}), AdUse::Create).unwrap_err().field(), Some("title"));
        assert_eq!(check_ad(p, &json!({"title": "x".repeat(61)}), AdUse::Create).unwrap_err().field(), Some("title"));
        assert!(check_ad(p, &json!({"title": "é".repeat(60)}), AdUse::Create).is_ok());
        let e = check_ad(p, &json!({"locale": "fr-BE"}), AdUse::Create).unwrap_err();
        assert_eq!((e.field(), e.code()), (Some("locale"), "invalid-locale"));
        assert!(check_ad(Platform::DeuxiemeMain, &json!({"locale": "fr-BE"}), AdUse::Create).is_ok());
        let ops = json!([{"op": "replace", "path": "/priceModel/askingPrice", "value": 12.5}]);
        assert_eq!(check_ad_patch_values(p, &ops).unwrap_err().field(), Some("priceModel.askingPrice"));
        let ops = json!([{"op": "replace", "path": "/title", "value": "no"}]);
        assert_eq!(check_ad_patch_values(p, &ops).unwrap_err().field(), Some("title"));
    }
}
