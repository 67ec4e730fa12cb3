//! A package submission: every field of the reference's package table (§7.4).

use std::collections::BTreeMap;

use serde::Serializer;
use serde_json::Value;

use crate::model::{json_type, model, open_enum, DecodeError, Describe, Field, Mode, Path, Registry, Ty};
use super::price::Price;
use super::status::{ActionsAvailable, EqpStatus, MalwareStatus, PackageAction};
use super::timestamp::Timestamp;

open_enum! {
    /// `type` of a package.
    pub enum PackageType {
        /// `extension`.
        Extension = "extension",
        /// `theme`.
        Theme = "theme",
        /// `shared_package`: a package other packages grant their buyers access to.
        SharedPackage = "shared_package",
        /// Only as a list filter.
        All = "all",
    }
}

open_enum! {
    /// `license_type`.
    pub enum LicenseType {
        /// `afl`: Academic Free License.
        Afl = "afl",
        /// `apache`: Apache License.
        Apache = "apache",
        /// `bsd`: BSD License.
        Bsd = "bsd",
        /// `gnu-gpl`: GNU General Public License.
        GnuGpl = "gnu-gpl",
        /// `gnu-lgpl`: GNU Lesser General Public License.
        GnuLgpl = "gnu-lgpl",
        /// `mit`: MIT License.
        Mit = "mit",
        /// `mozilla`: Mozilla Public License.
        Mozilla = "mozilla",
        /// `osl`: Open Software License.
        Osl = "osl",
        /// `custom`: needs `custom_license_name` and `custom_license_url`.
        Custom = "custom",
    }
}

open_enum! {
    /// Magento edition of a price, support tier or compatibility entry.
    pub enum Edition {
        /// `CE`: Magento Open Source.
        Ce = "CE",
        /// `EE`: Adobe Commerce.
        Ee = "EE",
        /// `ECE`: Adobe Commerce on cloud.
        Ece = "ECE",
        /// `M2`: what the field reference says `version_compatibility[].edition` must be (its
        /// examples use `CE`/`EE`/`ECE`).
        M2 = "M2",
    }
}

open_enum! {
    /// `pricing_model.pricing_type`.
    pub enum PricingType {
        /// `one-time`: paid once (`payment_period` 1).
        OneTime = "one-time",
        /// `subscription`: paid yearly (`payment_period` 12).
        Subscription = "subscription",
    }
}

/// `process_as_patch`: `yes`/`no`/`unknown` today, a boolean in older docs; both are read. The
/// wire form is the one it came in; the view says `yes`/`no` for a boolean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessAsPatch {
    /// `yes`: take the expedited patch path.
    Yes,
    /// `no`.
    No,
    /// `unknown`.
    Unknown,
    /// A boolean, as older docs had it.
    Bool(bool),
    /// Any other text, kept as sent.
    Other(String),
}

impl ProcessAsPatch {
    /// `Some(true)` for `yes`/`true`, `Some(false)` for `no`/`false`, else `None`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ProcessAsPatch::Yes | ProcessAsPatch::Bool(true) => Some(true),
            ProcessAsPatch::No | ProcessAsPatch::Bool(false) => Some(false),
            _ => None,
        }
    }
}

impl Field for ProcessAsPatch {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match v {
            Value::Bool(b) => Ok(ProcessAsPatch::Bool(*b)),
            Value::String(s) => Ok(match s.as_str() {
                "yes" => ProcessAsPatch::Yes,
                "no" => ProcessAsPatch::No,
                "unknown" => ProcessAsPatch::Unknown,
                other => ProcessAsPatch::Other(other.to_owned()),
            }),
            other => Err(path.error(format!("expected \"yes\", \"no\", \"unknown\" or a boolean, got {}", json_type(other)))),
        }
    }
    fn encode<S: Serializer>(&self, s: S, mode: Mode) -> Result<S::Ok, S::Error> {
        match self {
            ProcessAsPatch::Yes => s.serialize_str("yes"),
            ProcessAsPatch::No => s.serialize_str("no"),
            ProcessAsPatch::Unknown => s.serialize_str("unknown"),
            ProcessAsPatch::Bool(b) if mode == Mode::Wire => s.serialize_bool(*b),
            ProcessAsPatch::Bool(b) => s.serialize_str(if *b { "yes" } else { "no" }),
            ProcessAsPatch::Other(o) => s.serialize_str(o),
        }
    }
}

impl Describe for ProcessAsPatch {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Union(vec![Ty::Literal(&["yes", "no", "unknown"]), Ty::Str, Ty::Bool])
    }
}

model! {
    /// A file linked to a package. Write only `file_upload_id` (or `sku` + `version` for a
    /// shared package); reads add the file's details.
    pub struct Artifact {
        /// The uploaded file (the only member to write for a file).
        file_upload_id: String = "file_upload_id",
        /// Original file name (read-only).
        filename: String = "filename",
        /// Media type (read-only; the field table spells it `content-type`, both are read).
        content_type: String = "content_type" | "content-type",
        /// Download URL, when there is one (read-only).
        url: String = "url",
        /// Size in bytes (read-only).
        size: u64 = "size",
        /// MD5 of the content, set once the scan passed (read-only).
        file_hash: String = "file_hash",
        /// State of the malware scan (read-only).
        malware_status: MalwareStatus = "malware_status",
        /// Shared packages referenced by sku and version.
        sku: String = "sku",
        /// Version of the shared package referenced by `sku`.
        version: String = "version",
    }
}

impl Artifact {
    /// An artifact reference by upload id.
    pub fn file(file_upload_id: impl Into<String>) -> Artifact {
        Artifact { file_upload_id: Some(file_upload_id.into()), ..Default::default() }
    }
}

model! {
    /// `documentation_artifacts`.
    pub struct DocumentationArtifacts {
        /// User guide (PDF); required for extensions when submitting.
        user: Artifact = "user",
        /// Installation guide (PDF).
        installation: Artifact = "installation",
        /// Reference manual (PDF).
        reference: Artifact = "reference",
    }
}

model! {
    /// `media_artifacts`: icon, gallery images, YouTube video URLs.
    pub struct MediaArtifacts {
        /// Product icon.
        icon_image: Artifact = "icon_image",
        /// Gallery images (at least one for marketing review, except shared packages).
        gallery_images: Vec<Artifact> = "gallery_images",
        /// YouTube URLs, in gallery order (optional).
        video_urls: Vec<String> = "video_urls",
    }
}

model! {
    /// One entry of `shared_packages`.
    pub struct SharedPackage {
        /// The shared package: `{file_upload_id}` or `{sku, version}`.
        artifact: Artifact = "artifact",
    }
}

model! {
    /// One entry of `version_compatibility`.
    pub struct VersionCompatibility {
        /// The edition (must match an edition of `prices`).
        edition: Edition = "edition",
        /// Compatible platform versions (`2.4`, ...).
        versions: Vec<String> = "versions",
    }
}

model! {
    /// `pricing_model`.
    pub struct PricingModel {
        /// One-time or subscription.
        pricing_type: PricingType = "pricing_type",
        /// `1` (one-time) or `12` (annual subscription).
        payment_period: i64 = "payment_period",
    }
}

model! {
    /// One entry of `prices`.
    pub struct PriceEntry {
        /// The edition this price is for.
        edition: Edition = "edition",
        /// `USD` (the only currency).
        currency_code: String = "currency_code",
        /// One-time price, or the yearly price after the first year of a subscription (at most two
        /// decimals).
        price: Price = "price",
        /// One-time installation fee (optional).
        installation_price: Price = "installation_price",
        /// First-year price of a subscription.
        initial_price: Price = "initial_price",
    }
}

model! {
    /// A price of a support tier.
    pub struct TierPrice {
        /// `USD`.
        currency_code: String = "currency_code",
        /// Price of the tier (at most two decimals).
        price: Price = "price",
    }
}

model! {
    /// One entry of `support_tiers`.
    pub struct SupportTier {
        /// Tier number (up to three tiers per edition).
        tier: i64 = "tier",
        /// The edition this tier is for.
        edition: Edition = "edition",
        /// Length of the support period in months: 1, 3, 6, 9 or 12.
        monthly_period: i64 = "monthly_period",
        /// One-line description.
        short_description: String = "short_description",
        /// Full description.
        long_description: String = "long_description",
        /// Prices of the tier.
        prices: Vec<TierPrice> = "prices",
    }
}

model! {
    /// One external service of `external_services.items`.
    pub struct ExternalService {
        /// Name of the service.
        name: String = "name",
        /// URL of the service.
        url: String = "url",
        /// `self`, `3rd_party`, `unknown`.
        owner: String = "owner",
        /// `self`, `3rd_party`, `both`, `none`, `unknown`.
        pay_to: String = "pay_to",
    }
}

model! {
    /// `external_services`.
    pub struct ExternalServices {
        /// Whether the extension relies on a software-as-a-service offering.
        is_saas: bool = "is_saas",
        /// The service (zero or one entry).
        items: Vec<ExternalService> = "items",
    }
}

model! {
    /// `marketing_options`.
    pub struct MarketingOptions {
        /// Ships setup scripts.
        released_with_setup_scripts: bool = "released_with_setup_scripts",
        /// Includes service contracts.
        included_service_contracts: bool = "included_service_contracts",
        /// Includes service contracts of external services.
        included_external_service_contracts: bool = "included_external_service_contracts",
        /// Supports responsive design.
        support_responsive_design: bool = "support_responsive_design",
        /// Has a custom implementation UI.
        custom_implementation_ui: bool = "custom_implementation_ui",
        /// Supports the web API.
        support_web_api: bool = "support_web_api",
        /// Ships test coverage.
        support_test_coverage: bool = "support_test_coverage",
    }
}

model! {
    /// `technical_options`.
    pub struct TechnicalOptions {
        /// Adds a Page Builder content type.
        page_builder_new_content_type: bool = "page_builder_new_content_type",
        /// Extends a Page Builder content type.
        page_builder_extends_content_type: bool = "page_builder_extends_content_type",
        /// Uses Page Builder to create content.
        page_builder_used_for_content_creation: bool = "page_builder_used_for_content_creation",
    }
}

model! {
    /// `max_version_launched`.
    pub struct MaxVersionLaunched {
        /// Submission of the highest released version.
        submission_id: String = "submission_id",
        /// The highest released version.
        version: String = "version",
        /// Its status.
        eqp_status: EqpStatus = "eqp_status",
    }
}

/// `browser_os_compatibility`: browser → OS → versions.
pub type BrowserOsCompatibility = BTreeMap<String, BTreeMap<String, Vec<String>>>;

model! {
    /// A package submission, as read or as sent. Build one for a request with only the fields to
    /// send: `Package { name: Some("…".into()), ..Default::default() }`.
    pub struct Package {
        /// Server-generated id.
        submission_id: String = "submission_id" [always],
        /// Developer-chosen id, unique per POST; sellkit uses it to recover a create that failed
        /// in transit.
        item_id: String = "item_id",
        /// What to do with each review track (request only; `draft` when absent).
        action: PackageAction = "action",
        /// `type`: extension, theme or shared package (technical track).
        package_type: PackageType = "type",
        /// Must be `M2`.
        platform: String = "platform",
        /// `vendor/package`. Send it only for a new version of an existing package; otherwise it is
        /// read from the ZIP's `composer.json`.
        sku: String = "sku",
        /// `major.minor.patch`; read from the ZIP's `composer.json`.
        version: String = "version",
        /// Product name (marketing track); must be unique.
        name: String = "name",
        /// Product description (marketing track).
        long_description: String = "long_description",
        /// Obsolete; always `""`.
        short_description: String = "short_description",
        /// Release notes of this version (technical track).
        release_notes: String = "release_notes",
        /// Compatible editions and versions (technical track).
        version_compatibility: Vec<VersionCompatibility> = "version_compatibility",
        /// The package ZIP (technical track).
        artifact: Artifact = "artifact",
        /// User, installation and reference guides.
        documentation_artifacts: DocumentationArtifacts = "documentation_artifacts",
        /// Icon, gallery images and videos (marketing track).
        media_artifacts: MediaArtifacts = "media_artifacts",
        /// Shared packages buyers of this package get access to.
        shared_packages: Vec<SharedPackage> = "shared_packages",
        /// 1 to 3 category paths under one top category, `//`-separated
        /// (`//Extensions//Payments & Security//Checkout Enhancements`).
        categories: Vec<String> = "categories",
        /// License (technical track).
        license_type: LicenseType = "license_type",
        /// Name of a `custom` license.
        custom_license_name: String = "custom_license_name",
        /// URL of a `custom` license.
        custom_license_url: String = "custom_license_url",
        /// One-time or subscription pricing.
        pricing_model: PricingModel = "pricing_model",
        /// One price per edition.
        prices: Vec<PriceEntry> = "prices",
        /// Paid support tiers (not for subscriptions).
        support_tiers: Vec<SupportTier> = "support_tiers",
        /// Browser → OS → versions (`chrome`, `firefox`, `safari`, `opera`, `edge`; `linux`, `mac`,
        /// `windows`).
        browser_os_compatibility: BrowserOsCompatibility = "browser_os_compatibility",
        /// Supported browsers on every OS; ignored when `browser_os_compatibility` is sent.
        browsers: Vec<String> = "browsers",
        /// External services the package relies on.
        external_services: ExternalServices = "external_services",
        /// Marketing checkboxes.
        marketing_options: MarketingOptions = "marketing_options",
        /// Page Builder checkboxes.
        technical_options: TechnicalOptions = "technical_options",
        /// Release as soon as both reviews pass.
        launch_on_approval: bool = "launch_on_approval",
        /// Requested release date; absent: release once every check passes.
        requested_launch_date: Timestamp = "requested_launch_date",
        /// First release of this version (read-only).
        original_launch_date: Timestamp = "original_launch_date",
        /// Latest release of this version (read-only).
        latest_launch_date: Timestamp = "latest_launch_date",
        /// When the submission was created (read-only).
        created_at: Timestamp = "created_at" [always],
        /// When the submission last changed (read-only).
        modified_at: Timestamp = "modified_at" [always],
        /// `high`, `medium`, `low`.
        priority: String = "priority",
        /// Whether to take the expedited patch path.
        process_as_patch: ProcessAsPatch = "process_as_patch",
        /// `stable`, `beta`.
        stability: String = "stability",
        /// The highest released version of this package.
        max_version_launched: MaxVersionLaunched = "max_version_launched",
        /// Read-only.
        eqp_status: EqpStatus = "eqp_status" [always],
        /// Read-only.
        actions_now_available: ActionsAvailable = "actions_now_available",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use serde_json::json;

    #[test]
    fn a_read_package_round_trips_and_exposes_typed_fields() {
        let v = json!({
            "submission_id": "f4eacd72be", "type": "extension", "platform": "M2",
            "prices": [{"edition": "CE", "currency_code": "USD", "price": 15.5}, {"edition": "EE", "price": "45.00"}],
            "artifact": {"file_upload_id": "x", "malware_status": "queued", "content-type": "application/zip"},
            "documentation_artifacts": {"user": []},
            "media_artifacts": [],
            "process_as_patch": false,
            "created_at": "2020-04-17 16:00:00", "mage_id": "MAG1", "url_key": null,
            "actions_now_available": {"technical": ["recall"]}
        });
        let p = Package::from_json(&v).unwrap();
        assert_eq!(p.package_type, Some(PackageType::Extension));
        assert_eq!(p.prices.as_ref().unwrap()[1].price.unwrap().to_string(), "45.00");
        let artifact = p.artifact.as_ref().unwrap();
        assert!(artifact.malware_status.as_ref().unwrap().is_pending());
        assert_eq!(artifact.content_type.as_deref(), Some("application/zip"));
        assert!(p.actions_now_available.as_ref().unwrap().allows("technical", "recall"));
        let mut expected = v.clone();
        expected["prices"][1]["price"] = json!(45.0); // prices are normalised to numbers
        assert_eq!(p.to_json(), expected);
        assert_eq!(p.to_view()["prices"][0]["price"], json!("15.50"));
        assert_eq!(p.to_view()["process_as_patch"], json!("no"));
        assert_eq!(p.to_view()["artifact"]["content_type"], json!("application/zip"));
        let wire = serde_json::to_string(&Package { prices: p.prices.clone(), ..Default::default() }).unwrap();
        assert!(wire.contains("\"price\":15.50"), "{wire}");
    }

    #[test]
    fn input_prices_are_checked_with_their_path() {
        let e = Package::from_input(&json!({"prices": [{"price": 1}, {"price": "1.999"}]}), "items[4]").unwrap_err();
        assert_eq!(e.field(), Some("items[4].prices[1].price"));
        let e = Package::from_input(&json!({"support_tiers": [{"prices": [{"price": -5}]}]}), "fields").unwrap_err();
        assert_eq!(e.field(), Some("fields.support_tiers[0].prices[0].price"));
        assert!(e.message().contains("negative"));
    }
}
