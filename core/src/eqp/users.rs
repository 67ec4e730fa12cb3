//! `/rest/v1/users/:mage_id`: the profile of the key's account.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::Client;
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
    pub fn parse(s: &str) -> Result<ProfileStyle> {
        match s {
            "full" => Ok(ProfileStyle::Full),
            "summary" => Ok(ProfileStyle::Summary),
            other => Err(Error::invalid_input("style", format!("expected \"full\" or \"summary\", got {other:?}"))),
        }
    }
}

/// A user profile, exactly as the server sent it: every field is kept (known or not), so that it
/// round-trips unchanged. Accessors read the documented fields.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Profile(pub Map<String, Value>);

impl Profile {
    fn str_field(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }
    pub fn mage_id(&self) -> Option<&str> {
        self.str_field("mage_id")
    }
    pub fn first_name(&self) -> Option<&str> {
        self.str_field("first_name")
    }
    pub fn last_name(&self) -> Option<&str> {
        self.str_field("last_name")
    }
    pub fn email(&self) -> Option<&str> {
        self.str_field("email")
    }
    pub fn screen_name(&self) -> Option<&str> {
        self.str_field("screen_name")
    }
    pub fn has_completed_profile(&self) -> Option<bool> {
        self.0.get("has_completed_profile").and_then(Value::as_bool)
    }
    /// Any field by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }
    pub fn into_inner(self) -> Map<String, Value> {
        self.0
    }
}

/// The actions a profile update may carry.
const PROFILE_ACTIONS: [&str; 2] = ["submit", "draft"];

/// `client.users()`.
pub struct Users<'a> {
    pub(crate) client: &'a Client,
}

impl Users<'_> {
    /// `GET /rest/v1/users/:mage_id[?style=summary]`.
    pub async fn get(&self, style: Option<ProfileStyle>) -> Result<Profile> {
        let mage_id = self.client.require_mage_id().await?;
        let mut req = Request::new(Method::GET, user_path(&mage_id));
        if style == Some(ProfileStyle::Summary) {
            req = req.query("style", "summary");
        }
        decode_profile(self.client.send(req).await?.json()?)
    }

    /// `PUT /rest/v1/users/:mage_id` with only the fields to change. `action` may be `"submit"`
    /// (publish the profile once complete) or `"draft"` (save only).
    pub async fn update(&self, fields: Map<String, Value>) -> Result<Profile> {
        validate_update(&fields)?;
        let mage_id = self.client.require_mage_id().await?;
        let req = Request::new(Method::PUT, user_path(&mage_id)).json(&Value::Object(fields))?;
        decode_profile(self.client.send(req).await?.json()?)
    }
}

fn user_path(mage_id: &str) -> String {
    format!("/rest/v1/users/{}", encode_segment(mage_id))
}

/// Percent-encode one path segment.
pub(crate) fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20")
}

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
    Ok(())
}

/// A profile is an object; the PHP backend may send `[]` for an empty one.
fn decode_profile(v: Value) -> Result<Profile> {
    match v {
        Value::Object(m) => Ok(Profile(m)),
        Value::Array(a) if a.is_empty() => Ok(Profile::default()),
        other => Err(Error::new(
            crate::ErrorKind::Decode,
            format!("expected a profile object, got {}", crate::eqp::dispatch::json_type(&other)),
        )),
    }
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
        assert_eq!(decode_profile(json!([])).unwrap(), Profile::default());
        assert!(decode_profile(json!("x")).is_err());
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("MAG 1/2"), "MAG%201%2F2");
    }
}
