//! Who may write which member of an advertisement: the docs' Req/W/U flags, read from the
//! model declarations (`[required]`, `[readonly]`, `[create_only]` in
//! [`models::Advertisement`](super::models::Advertisement) and the models it holds).
//!
//! - A member the server manages (`itemId`, `seller`, `startDate`, `closeDate`,
//!   `renewalPossible`, `location.cityName`, HAL `_links` and `_embedded`) is never sent on
//!   create, is left out of `update_from`'s diff, and a patch operation on it is refused.
//! - A member set on create only (`categoryId`: an ad's attributes belong to its category)
//!   is refused by `patch` and `update_from` when it would change.
//! - A required member (`title`, `categoryId`, `priceModel`, `location.postcode`, and
//!   `description` unless `translations` are given) must be present when an ad is validated,
//!   and a patch may not remove it.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::models::Advertisement;
use crate::error::{Error, FieldDetail, Result};
use crate::model::{Describe, Flags, Registry, Ty, TypeDef};
use crate::patch::Operation;

/// The flags of one member, and of the members of its object, when it is a model.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub key: &'static str,
    pub flags: Flags,
    pub nested: Vec<Rule>,
}

/// The rules of an advertisement's members, from its declaration.
pub(crate) fn ad_rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut reg = Registry::new();
        let ty = Advertisement::describe(&mut reg);
        rules_of(&ty, &reg, 0)
    })
}

fn rules_of(ty: &Ty, reg: &Registry, depth: usize) -> Vec<Rule> {
    let Ty::Named(name) = ty else { return Vec::new() };
    let Some(TypeDef::Model { fields, .. }) = reg.types().get(name) else { return Vec::new() };
    fields
        .iter()
        .map(|f| Rule { key: f.key, flags: f.flags, nested: if depth < 4 { rules_of(&f.ty, reg, depth + 1) } else { Vec::new() } })
        .collect()
}

/// A field error of a local check, with the server's code for the same problem.
pub(crate) fn detail(field: impl Into<String>, code: &str, message: impl Into<String>) -> FieldDetail {
    FieldDetail { field: Some(field.into()), code: Some(code.to_owned()), message: Some(message.into()), value: None }
}

/// One invalid-input error holding every detail (the first names the error's `field`).
pub(crate) fn refusal(details: Vec<FieldDetail>) -> Result<()> {
    let Some(first) = details.first() else { return Ok(()) };
    let field = first.field.clone().unwrap_or_default();
    let message = first.message.clone().unwrap_or_default();
    let more = match details.len() {
        1 => String::new(),
        n => format!(" (and {} more: {})", n - 1, details[1..].iter().filter_map(|d| d.field.as_deref()).collect::<Vec<_>>().join(", ")),
    };
    Err(Error::invalid_input(field, format!("{message}{more}")).with_details(details))
}

/// Remove the members the server manages (see the module docs) from an ad, at any depth.
pub(crate) fn strip_server_managed(ad: &mut Value) {
    fn strip(rules: &[Rule], v: &mut Value) {
        let Value::Object(m) = v else { return };
        for r in rules {
            if r.flags.server_managed() {
                m.remove(r.key);
            } else if !r.nested.is_empty() {
                if let Some(inner) = m.get_mut(r.key) {
                    strip(&r.nested, inner);
                }
            }
        }
    }
    strip(ad_rules(), ad);
}

fn absent(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        _ => false,
    }
}

/// The required members an ad lacks (`description` may be replaced by `translations`).
pub(crate) fn missing_required(ad: &Map<String, Value>) -> Vec<FieldDetail> {
    fn walk(rules: &[Rule], m: &Map<String, Value>, prefix: &str, out: &mut Vec<FieldDetail>) {
        for r in rules {
            let field = format!("{prefix}{}", r.key);
            let v = m.get(r.key);
            if r.flags.required && absent(v) {
                out.push(detail(field, "missing-required-field", "is required"));
            } else if let Some(Value::Object(inner)) = v {
                walk(&r.nested, inner, &format!("{field}."), out);
            }
        }
    }
    let mut out = Vec::new();
    walk(ad_rules(), ad, "", &mut out);
    let has_translations = ad.get("translations").and_then(Value::as_array).is_some_and(|t| !t.is_empty());
    if absent(ad.get("description")) && !has_translations {
        out.push(detail("description", "missing-required-field", "is required (or translations, for a multilingual ad)"));
    }
    out
}

/// The field path of pointer tokens (`location.cityName`, `translations[0].title`).
pub(crate) fn field_of(tokens: &[String]) -> String {
    let mut out = String::new();
    for t in tokens {
        if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) && !out.is_empty() {
            out.push_str(&format!("[{t}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(t);
        }
    }
    out
}

/// The rule of the member a pointer reaches, and the depth it was found at, when a declared
/// member lies on the way.
fn rule_on_path<'r>(rules: &'r [Rule], tokens: &[String]) -> Option<(&'r Rule, usize)> {
    let (first, rest) = tokens.split_first()?;
    let rule = rules.iter().find(|r| r.key == first)?;
    if rule.flags.server_managed() || !rule.flags.updateable || rest.is_empty() {
        return Some((rule, 0));
    }
    match rule_on_path(&rule.nested, rest) {
        Some((inner, depth)) => Some((inner, depth + 1)),
        None => Some((rule, 0)),
    }
}

/// Refuse, before sending, a patch that writes a member the server manages, changes one set on
/// create only, removes a required one, or replaces the whole ad.
pub(crate) fn check_patch(ops: &[Operation]) -> Result<()> {
    let mut details = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let tokens = op.path().tokens();
        if tokens.is_empty() {
            details.push(detail(format!("ops[{i}].path"), "input-invalid", "must name the members to change, not the whole advertisement (use replace for that)"));
            continue;
        }
        let Some((rule, depth)) = rule_on_path(ad_rules(), tokens) else { continue };
        let field = field_of(&tokens[..=depth.min(tokens.len() - 1)]);
        if rule.flags.server_managed() {
            details.push(detail(field, "not-updateable", "is set by the server and cannot be changed"));
        } else if !rule.flags.updateable {
            details.push(detail(field, "not-updateable", "cannot be changed once the ad is placed"));
        } else if matches!(op, Operation::Remove { .. }) && rule.flags.required && depth + 1 == tokens.len() {
            details.push(detail(field, "missing-required-field", "is required: it cannot be removed"));
        }
    }
    refusal(details)
}

/// The members set on create only whose value differs between `old` and `new`.
pub(crate) fn create_only_changes(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<FieldDetail> {
    ad_rules()
        .iter()
        .filter(|r| r.flags.create_only() && old.get(r.key) != new.get(r.key))
        .map(|r| {
            let was = old.get(r.key).map(Value::to_string).unwrap_or_else(|| "nothing".into());
            detail(r.key, "not-updateable", format!("cannot be changed once the ad is placed (it is {was}); place a new ad instead"))
        })
        .collect()
}

/// Whether a member of that name is declared on the advertisement (not a category attribute).
pub(crate) fn is_declared(key: &str) -> bool {
    ad_rules().iter().any(|r| r.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ops(v: Value) -> Vec<Operation> {
        crate::patch::parse(&v).unwrap()
    }

    #[test]
    fn flags_come_from_the_declaration() {
        let rule = |k: &str| ad_rules().iter().find(|r| r.key == k).unwrap().flags;
        assert!(rule("itemId").server_managed() && rule("seller").server_managed() && rule("_links").server_managed());
        assert!(rule("categoryId").create_only() && rule("categoryId").required);
        assert!(rule("title").required && rule("title").updateable);
        let location = ad_rules().iter().find(|r| r.key == "location").unwrap();
        assert!(location.nested.iter().any(|r| r.key == "cityName" && r.flags.server_managed()));
    }

    #[test]
    fn server_members_are_stripped_at_any_depth() {
        let mut ad = json!({"itemId": "m1", "title": "Lamp", "seller": {"sellerId": 1}, "_links": {}, "startDate": "x",
                            "location": {"postcode": "1097DN", "cityName": "Amsterdam"}, "condition": "Nieuw"});
        strip_server_managed(&mut ad);
        assert_eq!(ad, json!({"title": "Lamp", "location": {"postcode": "1097DN"}, "condition": "Nieuw"}));
    }

    #[test]
    fn required_members() {
        let ad = json!({"title": " ", "location": {}, "priceModel": {"modelType": "fixed"}});
        let fields: Vec<_> = missing_required(ad.as_object().unwrap()).into_iter().map(|d| d.field.unwrap()).collect();
        assert_eq!(fields, ["title", "categoryId", "location.postcode", "description"]);
        let ok = json!({"title": "Lamp", "categoryId": 35, "location": {"postcode": "1097DN"}, "priceModel": {"modelType": "fixed"},
                        "translations": [{"locale": "nl-BE", "title": "Lamp", "description": "Een lamp"}]});
        assert!(missing_required(ok.as_object().unwrap()).is_empty());
    }

    #[test]
    fn patches_of_server_and_create_only_members_are_refused() {
        let field = |v: Value| check_patch(&ops(v)).unwrap_err().field().map(str::to_owned);
        assert_eq!(field(json!([{"op": "replace", "path": "/itemId", "value": "x"}])).as_deref(), Some("itemId"));
        assert_eq!(field(json!([{"op": "replace", "path": "/seller/sellerName", "value": "x"}])).as_deref(), Some("seller"));
        assert_eq!(field(json!([{"op": "replace", "path": "/location/cityName", "value": "x"}])).as_deref(), Some("location.cityName"));
        assert_eq!(field(json!([{"op": "replace", "path": "/categoryId", "value": 36}])).as_deref(), Some("categoryId"));
        assert_eq!(field(json!([{"op": "remove", "path": "/title"}])).as_deref(), Some("title"));
        assert_eq!(field(json!([{"op": "replace", "path": "", "value": {}}])).as_deref(), Some("ops[0].path"));
        let e = check_patch(&ops(json!([{"op": "remove", "path": "/startDate"}, {"op": "add", "path": "/_links/x", "value": 1}]))).unwrap_err();
        assert_eq!(e.details().len(), 2);
        assert!(check_patch(&ops(json!([
            {"op": "replace", "path": "/title", "value": "x"}, {"op": "replace", "path": "/location/postcode", "value": "1000"},
            {"op": "remove", "path": "/brand"}, {"op": "add", "path": "/translations/0/title", "value": "y"}
        ]))).is_ok());
    }

    #[test]
    fn create_only_changes_name_the_member() {
        let old = json!({"categoryId": 35, "title": "a"});
        let new = json!({"categoryId": 36, "title": "b"});
        let d = create_only_changes(old.as_object().unwrap(), new.as_object().unwrap());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field.as_deref(), Some("categoryId"));
        assert_eq!(field_of(&["translations".into(), "0".into(), "title".into()]), "translations[0].title");
    }
}
