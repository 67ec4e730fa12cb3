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
        /// Twitter (X) handle.
        twitter: String = "twitter",
        /// Stack Exchange profile URL.
        stackexchange_url: String = "stackexchange_url",
        /// Facebook page URL.
        facebook_url: String = "facebook_url",
        /// LinkedIn profile URL.
        linkedin_url: String = "linkedin_url",
        /// GitHub user name.
        github_username: String = "github_username",
    }
}

model! {
    /// A postal address of a profile.
    pub struct Address {
        /// Id of the address within the profile.
        address_key: i64 = "address_key" [always],
        /// First address line.
        address_line_1: String = "address_line_1",
        /// Second address line.
        address_line_2: String = "address_line_2",
        /// Apartment, suite or other.
        apt_suite_other: String = "apt_suite_other",
        /// City.
        city: String = "city",
        /// State or region.
        state: String = "state",
        /// Country name.
        country: String = "country",
        /// Postal code.
        postal_code: String = "postal_code",
        /// Phone number.
        phone: String = "phone",
        /// Country code (`US`).
        country_code: String = "country_code",
        /// Whether this is the primary address.
        is_primary: bool = "is_primary" [always],
    }
}

model! {
    /// `personal_profile`.
    pub struct PersonalProfile {
        /// Short biography.
        bio: String = "bio",
        /// Personal website.
        website_url: String = "website_url",
        /// Last login.
        last_logged_in: Timestamp = "last_logged_in",
        /// When the profile was created.
        created_at: Timestamp = "created_at" [always],
        /// When it last changed.
        modified_at: Timestamp = "modified_at" [always],
        /// Social media accounts.
        social_media_info: SocialMediaInfo = "social_media_info",
        /// Postal addresses.
        addresses: Vec<Address> = "addresses",
    }
}

model! {
    /// `company_profile`.
    pub struct CompanyProfile {
        /// Company name.
        name: String = "name",
        /// Company description.
        bio: String = "bio",
        /// Company website.
        website_url: String = "website_url",
        /// Main contact address.
        primary_email: String = "primary_email",
        /// Support contact address.
        support_email: String = "support_email",
        /// When the profile was created.
        created_at: Timestamp = "created_at" [always],
        /// When it last changed.
        modified_at: Timestamp = "modified_at" [always],
        /// Social media accounts.
        social_media_info: SocialMediaInfo = "social_media_info",
        /// Postal addresses.
        addresses: Vec<Address> = "addresses",
    }
}

model! {
    /// One registered callback. `password` is write-only: the server never returns it, and
    /// `Debug` never prints it.
    pub struct ApiCallback {
        /// A name for the callback (optional).
        name: String = "name",
        /// The HTTPS URL the marketplace POSTs events to.
        url: String = "url" [always],
        /// User name the marketplace sends as HTTP Basic credentials.
        username: String = "username" [always],
        /// Password the marketplace sends as HTTP Basic credentials (write-only).
        password: Secret = "password",
    }
}

model! {
    /// An Adobe organization the user belongs to.
    pub struct Organization {
        /// Adobe organization id (`...@AdobeOrg`).
        org_id: String = "org_id" [always],
        /// Organization name.
        org_name: String = "org_name" [always],
    }
}

model! {
    /// A user profile (full, or the summary subset).
    pub struct Profile {
        /// The account id (`MAG123456789`).
        mage_id: String = "mage_id" [always],
        /// Adobe user id (`...@AdobeID`).
        adobe_user_id: String = "adobe_user_id" [always],
        /// First name.
        first_name: String = "first_name" [always],
        /// Last name.
        last_name: String = "last_name" [always],
        /// Email address.
        email: String = "email" [always],
        /// Public name.
        screen_name: String = "screen_name" [always],
        /// Whether the profile is complete.
        has_completed_profile: bool = "has_completed_profile" [always],
        /// Whether the terms of service are accepted.
        has_accepted_tos: bool = "has_accepted_tos" [always],
        /// The profile image.
        profile_image_artifact: Artifact = "profile_image_artifact",
        /// Whether to receive policy and announcement mail.
        send_newsletter: bool = "send_newsletter",
        /// Version of the accepted terms (`1.0`).
        tos_accepted_version: String = "tos_accepted_version",
        /// When the terms were accepted.
        tos_accepted_date: Timestamp = "tos_accepted_date",
        /// Whether the account is a company.
        is_company: bool = "is_company",
        /// Vendor name.
        vendor_name: String = "vendor_name",
        /// Partner level (an undocumented code).
        partner_level: i64 = "partner_level",
        /// Locale (`en-US`).
        locale: String = "locale",
        /// Time zone (`UTC`).
        timezone: String = "timezone",
        /// Payment type (an undocumented code).
        payment_type: i64 = "payment_type",
        /// A JSON document encoded as a string; see [`Profile::payment_info_json`].
        payment_info: String = "payment_info",
        /// Taxpayer type (an undocumented code).
        taxpayer_type: i64 = "taxpayer_type",
        /// Tax review status (an undocumented code).
        tax_review_status: i64 = "tax_review_status",
        /// Tax withheld, in percent.
        tax_withhold_percent: i64 = "tax_withhold_percent",
        /// Revenue share on extensions, in percent.
        extension_share_percent: i64 = "extension_share_percent",
        /// Revenue share on themes, in percent.
        theme_share_percent: i64 = "theme_share_percent",
        /// Revenue share on installations, in percent.
        install_share_percent: i64 = "install_share_percent",
        /// Revenue share on support, in percent.
        support_share_percent: i64 = "support_share_percent",
        /// Privacy policy URL.
        privacy_policy_url: String = "privacy_policy_url",
        /// Registered callbacks (passwords are never returned).
        api_callbacks: Vec<ApiCallback> = "api_callbacks",
        /// The personal profile.
        personal_profile: PersonalProfile = "personal_profile",
        /// The company profile.
        company_profile: CompanyProfile = "company_profile",
        /// Adobe organizations the user belongs to.
        organizations: Vec<Organization> = "organizations",
    }
}

impl Profile {
    /// `mage_id`, when set.
    pub fn mage_id(&self) -> Option<&str> {
        self.mage_id.as_deref()
    }
    /// `screen_name`, when set.
    pub fn screen_name(&self) -> Option<&str> {
        self.screen_name.as_deref()
    }
    /// `email`, when set.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
    /// `payment_info` decoded (it is a JSON document inside a string); `None` when absent or
    /// not JSON.
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
    /// `submit` to publish the profile, `draft` to save only; not sent when `None`.
    pub action: Option<ProfileAction>,
    /// The fields to change; only those set are sent.
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
    /// The request body: `action` first, then the fields.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

model! {
    /// A Magento 2 Composer key pair (repo.magento.com credentials).
    pub struct ComposerKey {
        /// Name of the key (unique; at most 32 characters in the portal).
        label: String = "label" [always],
        /// Composer user name.
        user_key: String = "user_key" [always],
        /// Composer password: never in `Debug`.
        password_key: Secret = "password_key" [always],
        /// Whether the key can be used.
        is_enabled: bool = "is_enabled" [always],
        /// The mage_id or an Adobe org id that owns the key.
        uid: String = "uid" [always],
    }
}

model! {
    /// A legacy Magento 1 key.
    pub struct LegacyKey {
        /// Product name.
        product_name: String = "product_name" [always],
        /// Legacy Magento Connect URL.
        product_key: String = "product_key" [always],
    }
}

model! {
    /// The answer of the key list: `{m2: [...], m1: [...]}`.
    pub struct KeyList {
        /// Magento 2 Composer keys.
        m2: Vec<ComposerKey> = "m2",
        /// Legacy Magento 1 keys.
        m1: Vec<LegacyKey> = "m1",
    }
}

model! {
    /// A key to create: `label` (unique) and optionally the `uid` that owns it.
    pub struct NewKey {
        /// Name of the key (unique).
        label: String = "label",
        /// Owner: the mage_id (the default) or an Adobe org id.
        uid: String = "uid",
    }
}

model! {
    /// The body of an enable/disable: `{"m2": [{"is_enabled": ..., "uid": ...}]}` item.
    pub struct KeyState {
        /// Enable (`true`) or disable (`false`) the key.
        is_enabled: bool = "is_enabled",
        /// Owner of the key, when not the mage_id.
        uid: String = "uid",
    }
}

model! {
    /// The API's error body `{code, message}` (whole-request failures).
    pub struct ApiErrorBody {
        /// The API's error number (`1208`), not the HTTP status.
        code: i64 = "code",
        /// What went wrong.
        message: String = "message",
    }
}

model! {
    /// The answer of the session token call. `ust` is a secret: never in `Debug`.
    pub struct SessionGrant {
        /// The account the key belongs to.
        mage_id: String = "mage_id",
        /// The user session token, sent as `Authorization: Bearer <ust>`.
        ust: Secret = "ust",
        /// Lifetime granted, in seconds.
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
    /// `{"grant_type": "session"}`, with `expires_in` (seconds) when given.
    pub fn new(expires_in: Option<u64>) -> SessionRequest {
        SessionRequest { grant_type: Some("session".into()), expires_in, ..Default::default() }
    }
}

