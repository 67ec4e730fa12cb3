//! Typed EQP models.
//!
//! Every model is a struct of `Option` fields plus `extra`, and reads leniently: unknown fields,
//! `null`s and values that do not fit their type are kept in `extra` and written back exactly;
//! `[]` is read where an object is expected (the PHP backend's empty object); open enums keep
//! values they do not know; documented aliases are read (`content-type`, `eqp_state`).
//! Prices are [`Price`] (exact cents) and timestamps [`Timestamp`] (UTC, original text kept).
//!
//! Use [`Model::from_json`] on a response, [`Model::from_input`] on caller input (strict, with
//! field paths in errors) and [`Model::to_json`] for the body that would be sent.

mod callback;
mod view;
mod file;
mod package;
pub(crate) mod price;
mod profile;
mod status;
mod test_result;
mod timestamp;

pub use callback::{CallbackEnvelope, UpdateInfo};
pub use crate::model::{json_type, DecodeError, Enc, Field, Mode, Model, Path, Shape};
pub use file::FileRecord;
pub use package::{
    Artifact, BrowserOsCompatibility, DocumentationArtifacts, Edition, ExternalService, ExternalServices, LicenseType,
    MarketingOptions, MaxVersionLaunched, MediaArtifacts, Package, PackageType, PriceEntry, PricingModel, PricingType,
    ProcessAsPatch, SharedPackage, SupportTier, TechnicalOptions, TierPrice, VersionCompatibility,
};
pub use price::Price;
pub use profile::{
    Address, ApiCallback, ApiErrorBody, CompanyProfile, ComposerKey, KeyList, KeyState, LegacyKey, NewKey, Organization,
    PersonalProfile, Profile, ProfileAction, ProfileUpdate, SessionGrant, SessionRequest, SocialMediaInfo,
};
pub use status::{
    ActionsAvailable, CallbackEvent, EqpStatus, MalwareStatus, MarketingStatus, OverallAction, OverallStatus,
    PackageAction, TechnicalStatus, TrackAction,
};
pub use test_result::{Report, Reports, TestDetail, ToolRun, Verdict};
pub use timestamp::{Timestamp, TimestampFilter, UtcDateTime};
