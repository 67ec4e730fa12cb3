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
        Extension = "extension",
        Theme = "theme",
        SharedPackage = "shared_package",
        /// Only as a list filter.
        All = "all",
    }
}

open_enum! {
    /// `license_type`.
    pub enum LicenseType {
        Afl = "afl",
        Apache = "apache",
        Bsd = "bsd",
        GnuGpl = "gnu-gpl",
        GnuLgpl = "gnu-lgpl",
        Mit = "mit",
        Mozilla = "mozilla",
        Osl = "osl",
        Custom = "custom",
    }
}

open_enum! {
    /// Magento edition of a price, support tier or compatibility entry.
    pub enum Edition {
        Ce = "CE",
        Ee = "EE",
        Ece = "ECE",
        M2 = "M2",
    }
}

open_enum! {
    /// `pricing_model.pricing_type`.
    pub enum PricingType {
        OneTime = "one-time",
        Subscription = "subscription",
    }
}

/// `process_as_patch`: `yes`/`no`/`unknown` today, a boolean in older docs; both are read. The
/// wire form is the one it came in; the view says `yes`/`no` for a boolean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessAsPatch {
    Yes,
    No,
    Unknown,
    Bool(bool),
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
        file_upload_id: String = "file_upload_id",
        filename: String = "filename",
        content_type: String = "content_type" | "content-type",
        url: String = "url",
        size: u64 = "size",
        file_hash: String = "file_hash",
        malware_status: MalwareStatus = "malware_status",
        /// Shared packages referenced by sku and version.
        sku: String = "sku",
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
        user: Artifact = "user",
        installation: Artifact = "installation",
        reference: Artifact = "reference",
    }
}

model! {
    /// `media_artifacts`: icon, gallery images, YouTube video URLs.
    pub struct MediaArtifacts {
        icon_image: Artifact = "icon_image",
        gallery_images: Vec<Artifact> = "gallery_images",
        video_urls: Vec<String> = "video_urls",
    }
}

model! {
    /// One entry of `shared_packages`.
    pub struct SharedPackage {
        artifact: Artifact = "artifact",
    }
}

model! {
    /// One entry of `version_compatibility`.
    pub struct VersionCompatibility {
        edition: Edition = "edition",
        versions: Vec<String> = "versions",
    }
}

model! {
    /// `pricing_model`.
    pub struct PricingModel {
        pricing_type: PricingType = "pricing_type",
        /// `1` (one-time) or `12` (annual subscription).
        payment_period: i64 = "payment_period",
    }
}

model! {
    /// One entry of `prices`.
    pub struct PriceEntry {
        edition: Edition = "edition",
        currency_code: String = "currency_code",
        price: Price = "price",
        installation_price: Price = "installation_price",
        /// First-year price of a subscription.
        initial_price: Price = "initial_price",
    }
}

model! {
    /// A price of a support tier.
    pub struct TierPrice {
        currency_code: String = "currency_code",
        price: Price = "price",
    }
}

model! {
    /// One entry of `support_tiers`.
    pub struct SupportTier {
        tier: i64 = "tier",
        edition: Edition = "edition",
        monthly_period: i64 = "monthly_period",
        short_description: String = "short_description",
        long_description: String = "long_description",
        prices: Vec<TierPrice> = "prices",
    }
}

model! {
    /// One external service of `external_services.items`.
    pub struct ExternalService {
        name: String = "name",
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
        is_saas: bool = "is_saas",
        items: Vec<ExternalService> = "items",
    }
}

model! {
    /// `marketing_options`.
    pub struct MarketingOptions {
        released_with_setup_scripts: bool = "released_with_setup_scripts",
        included_service_contracts: bool = "included_service_contracts",
        included_external_service_contracts: bool = "included_external_service_contracts",
        support_responsive_design: bool = "support_responsive_design",
        custom_implementation_ui: bool = "custom_implementation_ui",
        support_web_api: bool = "support_web_api",
        support_test_coverage: bool = "support_test_coverage",
    }
}

model! {
    /// `technical_options`.
    pub struct TechnicalOptions {
        page_builder_new_content_type: bool = "page_builder_new_content_type",
        page_builder_extends_content_type: bool = "page_builder_extends_content_type",
        page_builder_used_for_content_creation: bool = "page_builder_used_for_content_creation",
    }
}

model! {
    /// `max_version_launched`.
    pub struct MaxVersionLaunched {
        submission_id: String = "submission_id",
        version: String = "version",
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
        submission_id: String = "submission_id",
        /// Developer-chosen id, unique per POST; sellkit uses it to recover a create that failed
        /// in transit.
        item_id: String = "item_id",
        action: PackageAction = "action",
        package_type: PackageType = "type",
        /// Must be `M2`.
        platform: String = "platform",
        sku: String = "sku",
        version: String = "version",
        name: String = "name",
        long_description: String = "long_description",
        /// Obsolete; always `""`.
        short_description: String = "short_description",
        release_notes: String = "release_notes",
        version_compatibility: Vec<VersionCompatibility> = "version_compatibility",
        artifact: Artifact = "artifact",
        documentation_artifacts: DocumentationArtifacts = "documentation_artifacts",
        media_artifacts: MediaArtifacts = "media_artifacts",
        shared_packages: Vec<SharedPackage> = "shared_packages",
        categories: Vec<String> = "categories",
        license_type: LicenseType = "license_type",
        custom_license_name: String = "custom_license_name",
        custom_license_url: String = "custom_license_url",
        pricing_model: PricingModel = "pricing_model",
        prices: Vec<PriceEntry> = "prices",
        support_tiers: Vec<SupportTier> = "support_tiers",
        browser_os_compatibility: BrowserOsCompatibility = "browser_os_compatibility",
        browsers: Vec<String> = "browsers",
        external_services: ExternalServices = "external_services",
        marketing_options: MarketingOptions = "marketing_options",
        technical_options: TechnicalOptions = "technical_options",
        launch_on_approval: bool = "launch_on_approval",
        requested_launch_date: Timestamp = "requested_launch_date",
        original_launch_date: Timestamp = "original_launch_date",
        latest_launch_date: Timestamp = "latest_launch_date",
        created_at: Timestamp = "created_at",
        modified_at: Timestamp = "modified_at",
        /// `high`, `medium`, `low`.
        priority: String = "priority",
        process_as_patch: ProcessAsPatch = "process_as_patch",
        /// `stable`, `beta`.
        stability: String = "stability",
        max_version_launched: MaxVersionLaunched = "max_version_launched",
        /// Read-only.
        eqp_status: EqpStatus = "eqp_status",
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
