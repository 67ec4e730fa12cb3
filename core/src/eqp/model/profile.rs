//! The user profile, Composer keys, callbacks as registered, and small documents.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{model, open_enum};
use super::package::Artifact;
use super::timestamp::Timestamp;
use crate::secret::Secret;

model! {
    /// `social_media_info` of a personal or company profile.
    pub struct SocialMediaInfo {
        twitter: String = "twitter",
        stackexchange_url: String = "stackexchange_url",
        facebook_url: String = "facebook_url",
        linkedin_url: String = "linkedin_url",
        github_username: String = "github_username",
    }
}

model! {
    /// A postal address of a profile.
    pub struct Address {
        address_key: i64 = "address_key",
        address_line_1: String = "address_line_1",
        address_line_2: String = "address_line_2",
        apt_suite_other: String = "apt_suite_other",
        city: String = "city",
        state: String = "state",
        country: String = "country",
        postal_code: String = "postal_code",
        phone: String = "phone",
        country_code: String = "country_code",
        is_primary: bool = "is_primary",
    }
}

model! {
    /// `personal_profile`.
    pub struct PersonalProfile {
        bio: String = "bio",
        website_url: String = "website_url",
        last_logged_in: Timestamp = "last_logged_in",
        created_at: Timestamp = "created_at",
        modified_at: Timestamp = "modified_at",
        social_media_info: SocialMediaInfo = "social_media_info",
        addresses: Vec<Address> = "addresses",
    }
}

model! {
    /// `company_profile`.
    pub struct CompanyProfile {
        name: String = "name",
        bio: String = "bio",
        website_url: String = "website_url",
        primary_email: String = "primary_email",
        support_email: String = "support_email",
        created_at: Timestamp = "created_at",
        modified_at: Timestamp = "modified_at",
        social_media_info: SocialMediaInfo = "social_media_info",
        addresses: Vec<Address> = "addresses",
    }
}

model! {
    /// One registered callback. `password` is write-only: the server never returns it, and
    /// `Debug` never prints it.
    pub struct ApiCallback {
        name: String = "name",
        url: String = "url",
        username: String = "username",
        password: Secret = "password",
    }
}

model! {
    /// An Adobe organization the user belongs to.
    pub struct Organization {
        org_id: String = "org_id",
        org_name: String = "org_name",
    }
}

model! {
    /// A user profile (full, or the summary subset).
    pub struct Profile {
        mage_id: String = "mage_id",
        adobe_user_id: String = "adobe_user_id",
        first_name: String = "first_name",
        last_name: String = "last_name",
        email: String = "email",
        screen_name: String = "screen_name",
        has_completed_profile: bool = "has_completed_profile",
        has_accepted_tos: bool = "has_accepted_tos",
        profile_image_artifact: Artifact = "profile_image_artifact",
        send_newsletter: bool = "send_newsletter",
        tos_accepted_version: String = "tos_accepted_version",
        tos_accepted_date: Timestamp = "tos_accepted_date",
        is_company: bool = "is_company",
        vendor_name: String = "vendor_name",
        partner_level: i64 = "partner_level",
        locale: String = "locale",
        timezone: String = "timezone",
        payment_type: i64 = "payment_type",
        /// A JSON document encoded as a string; see [`Profile::payment_info_json`].
        payment_info: String = "payment_info",
        taxpayer_type: i64 = "taxpayer_type",
        tax_review_status: i64 = "tax_review_status",
        tax_withhold_percent: i64 = "tax_withhold_percent",
        extension_share_percent: i64 = "extension_share_percent",
        theme_share_percent: i64 = "theme_share_percent",
        install_share_percent: i64 = "install_share_percent",
        support_share_percent: i64 = "support_share_percent",
        privacy_policy_url: String = "privacy_policy_url",
        api_callbacks: Vec<ApiCallback> = "api_callbacks",
        personal_profile: PersonalProfile = "personal_profile",
        company_profile: CompanyProfile = "company_profile",
        organizations: Vec<Organization> = "organizations",
    }
}

impl Profile {
    pub fn mage_id(&self) -> Option<&str> {
        self.mage_id.as_deref()
    }
    pub fn screen_name(&self) -> Option<&str> {
        self.screen_name.as_deref()
    }
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
    /// `payment_info` decoded (it is a JSON document inside a string).
    pub fn payment_info_json(&self) -> Option<Value> {
        serde_json::from_str(self.payment_info.as_deref()?).ok()
    }
    /// Any field by its JSON name, as JSON (typed fields re-encoded).
    pub fn get(&self, name: &str) -> Option<Value> {
        match super::Model::to_json(self) {
            Value::Object(mut m) => m.remove(name),
            _ => None,
        }
    }
    /// The profile as a JSON object.
    pub fn into_inner(self) -> Map<String, Value> {
        match super::Model::to_json(&self) {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}

open_enum! {
    /// `action` of a profile update.
    pub enum ProfileAction {
        /// Publish the profile on the partners page (once complete).
        Submit = "submit",
        /// Save only.
        Draft = "draft",
    }
}

/// A profile update: the fields to change plus an optional `action`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileUpdate {
    pub action: Option<ProfileAction>,
    pub fields: Profile,
}

impl Serialize for ProfileUpdate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut body = match super::Model::to_json(&self.fields) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        if let Some(a) = &self.action {
            // `action` first, as the docs write it.
            let mut with_action = Map::new();
            with_action.insert("action".into(), Value::String(a.as_str().to_owned()));
            with_action.extend(body);
            body = with_action;
        }
        // Re-serialise through the Field encoder so that prices and secrets keep their form.
        let mut map = serde::ser::Serializer::serialize_map(s, Some(body.len()))?;
        for (k, v) in &body {
            serde::ser::SerializeMap::serialize_entry(&mut map, k, v)?;
        }
        serde::ser::SerializeMap::end(map)
    }
}

impl ProfileUpdate {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

model! {
    /// A Magento 2 Composer key pair (repo.magento.com credentials).
    pub struct ComposerKey {
        label: String = "label",
        /// Composer user name.
        user_key: String = "user_key",
        /// Composer password: never in `Debug`.
        password_key: Secret = "password_key",
        is_enabled: bool = "is_enabled",
        /// The mage_id or an Adobe org id that owns the key.
        uid: String = "uid",
    }
}

model! {
    /// A legacy Magento 1 key.
    pub struct LegacyKey {
        product_name: String = "product_name",
        product_key: String = "product_key",
    }
}

model! {
    /// The answer of the key list: `{m2: [...], m1: [...]}`.
    pub struct KeyList {
        m2: Vec<ComposerKey> = "m2",
        m1: Vec<LegacyKey> = "m1",
    }
}

model! {
    /// A key to create: `label` (unique) and optionally the `uid` that owns it.
    pub struct NewKey {
        label: String = "label",
        uid: String = "uid",
    }
}

model! {
    /// The body of an enable/disable: `{"m2": [{"is_enabled": ..., "uid": ...}]}` item.
    pub struct KeyState {
        is_enabled: bool = "is_enabled",
        uid: String = "uid",
    }
}

model! {
    /// The API's error body `{code, message}` (whole-request failures).
    pub struct ApiErrorBody {
        code: i64 = "code",
        message: String = "message",
    }
}

model! {
    /// The answer of the session token call. `ust` is a secret: never in `Debug`.
    pub struct SessionGrant {
        mage_id: String = "mage_id",
        ust: Secret = "ust",
        expires_in: u64 = "expires_in",
    }
}

model! {
    /// The body of the session token call.
    pub struct SessionRequest {
        /// Always `session`.
        grant_type: String = "grant_type",
        /// Requested lifetime in seconds (the server clamps it).
        expires_in: u64 = "expires_in",
    }
}

impl SessionRequest {
    pub fn new(expires_in: Option<u64>) -> SessionRequest {
        SessionRequest { grant_type: Some("session".into()), expires_in, ..Default::default() }
    }
}

