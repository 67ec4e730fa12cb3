//! `/rest/v1/users/:mage_id`: the profile of the key's account.

use reqwest::Method;
use serde_json::{Map, Value};

use super::client::Client;
use super::keys::Keys;
use super::model::{Model, Profile, ProfileUpdate};
use crate::error::{Error, Result};
use crate::transport::Request;

/// Which representation of the profile to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileStyle {
    /// Every field (the default).
    #[default]
    Full,
    /// `mage_id`, names, e-mail, screen name, completion flags, profile image.
    Summary,
}

impl ProfileStyle {
    /// `full` or `summary`.
    ///
    /// # Errors
    ///
    /// Invalid input for `style` for any other text.
    pub fn parse(s: &str) -> Result<ProfileStyle> {
        ProfileStyle::parse_text(s)
            .ok_or_else(|| Error::invalid_input("style", format!("expected \"full\" or \"summary\", got {s:?}")))
    }
    fn parse_text(s: &str) -> Option<ProfileStyle> {
        match s {
            "full" => Some(ProfileStyle::Full),
            "summary" => Some(ProfileStyle::Summary),
            _ => None,
        }
    }
    /// `full` or `summary`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileStyle::Full => "full",
            ProfileStyle::Summary => "summary",
        }
    }
}

crate::catalogue::choice!(ProfileStyle, &["full", "summary"]);

/// The actions a profile update may carry.
const PROFILE_ACTIONS: [&str; 2] = ["submit", "draft"];

/// `client.users()`.
pub struct Users<'a> {
    pub(crate) client: &'a Client,
}

impl Users<'_> {
    /// `GET /rest/v1/users/:mage_id[?style=summary]`. Authenticates first when the `mage_id` is
    /// not known yet.
    pub async fn get(&self, style: Option<ProfileStyle>) -> Result<Profile> {
        decode_profile(self.get_json(style).await?)
    }

    /// [`Users::get`] before decoding: the profile as received.
    pub(crate) async fn get_json(&self, style: Option<ProfileStyle>) -> Result<Value> {
        let mage_id = self.client.require_mage_id().await?;
        let mut req = Request::new(Method::GET, user_path(&mage_id));
        if style == Some(ProfileStyle::Summary) {
            req = req.query("style", "summary");
        }
        self.client.send(req).await?.json()
    }

    /// `PUT /rest/v1/users/:mage_id` with only the fields to change. `action` may be `"submit"`
    /// (publish the profile once complete) or `"draft"` (save only). Returns the profile as
    /// updated.
    ///
    /// # Errors
    ///
    /// Invalid input, before anything is sent, for `fields` (empty), `action` (not `submit` or
    /// `draft`) or `fields.<path>` (a value of the wrong type, `fields.personal_profile.bio`);
    /// a validation error from the server; otherwise the errors of any call.
    pub async fn update(&self, fields: Map<String, Value>) -> Result<Profile> {
        validate_update(&fields)?;
        let mage_id = self.client.require_mage_id().await?;
        let req = Request::new(Method::PUT, user_path(&mage_id)).json(&Value::Object(fields))?;
        decode_profile(self.client.send(req).await?.json()?)
    }

    /// [`Users::update`] from a typed [`ProfileUpdate`] (errors as there).
    pub async fn update_profile(&self, update: &ProfileUpdate) -> Result<Profile> {
        match update.to_json() {
            Value::Object(m) => self.update(m).await,
            _ => Err(Error::invalid_input("fields", "nothing to update")),
        }
    }

    /// `GET /rest/v1/users/:mage_id/reports/{pageviews,totals,sales,refunds}`. The docs give no
    /// schema; the JSON is returned as it came (the sandbox answers empty data).
    pub async fn reports(&self, kind: UserReport) -> Result<Value> {
        let mage_id = self.client.require_mage_id().await?;
        let req = Request::new(Method::GET, format!("{}/reports/{}", user_path(&mage_id), kind.as_str()));
        self.client.send(req).await?.json()
    }
}

impl<'a> Users<'a> {
    /// The Magento 2 Composer keys of the account (`/users/:mage_id/keys`).
    pub fn keys(&self) -> Keys<'a> {
        Keys { client: self.client }
    }
}

/// The user reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserReport {
    /// Extension page views.
    Pageviews,
    /// Aggregate sales.
    Totals,
    /// Extension sales.
    Sales,
    /// Refunds.
    Refunds,
}

impl UserReport {
    /// Every report, in the order above.
    pub const ALL: [UserReport; 4] = [UserReport::Pageviews, UserReport::Totals, UserReport::Sales, UserReport::Refunds];
    /// The path segment: `pageviews`, `totals`, `sales` or `refunds`.
    pub fn as_str(self) -> &'static str {
        match self {
            UserReport::Pageviews => "pageviews",
            UserReport::Totals => "totals",
            UserReport::Sales => "sales",
            UserReport::Refunds => "refunds",
        }
    }
    /// The report named `s` (as [`as_str`](Self::as_str) spells it).
    ///
    /// # Errors
    ///
    /// Invalid input for `kind` for any other text.
    pub fn parse(s: &str) -> Result<UserReport> {
        UserReport::parse_text(s).ok_or_else(|| {
            Error::invalid_input("kind", format!("expected one of pageviews, totals, sales, refunds; got {s:?}"))
        })
    }
    fn parse_text(s: &str) -> Option<UserReport> {
        UserReport::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

crate::catalogue::choice!(UserReport, &["pageviews", "totals", "sales", "refunds"]);

pub(crate) fn user_path(mage_id: &str) -> String {
    format!("/rest/v1/users/{}", encode_segment(mage_id))
}

pub(crate) use crate::path_segment::encode as encode_segment;

fn validate_update(fields: &Map<String, Value>) -> Result<()> {
    if fields.is_empty() {
        return Err(Error::invalid_input("fields", "nothing to update"));
    }
    if let Some(action) = fields.get("action") {
        match action.as_str() {
            Some(a) if PROFILE_ACTIONS.contains(&a) => {}
            _ => return Err(Error::invalid_input("action", format!("must be \"submit\" or \"draft\", got {action}"))),
        }
    }
    let mut rest = fields.clone();
    rest.remove("action");
    Profile::from_input(&Value::Object(rest), "fields")?;
    Ok(())
}

/// A profile is an object; the PHP backend may send `[]` for an empty one.
pub(crate) fn decode_profile(v: Value) -> Result<Profile> {
    Profile::from_json(&v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_checks_action() {
        let m = |v: Value| v.as_object().unwrap().clone();
        assert!(validate_update(&m(json!({"action": "submit", "personal_profile": {"bio": "x"}}))).is_ok());
        assert_eq!(validate_update(&m(json!({"action": "publish"}))).unwrap_err().field(), Some("action"));
        assert_eq!(validate_update(&Map::new()).unwrap_err().field(), Some("fields"));
    }

    #[test]
    fn empty_array_is_an_empty_profile() {
        assert!(decode_profile(json!([])).unwrap().is_empty());
        assert!(decode_profile(json!("x")).is_err());
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("MAG 1/2"), "MAG%201%2F2");
    }
}
