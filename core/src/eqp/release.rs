//! `client.release(...)`: the whole release of one version of an extension, as a CI pipeline
//! runs it: upload the package ZIP and its documentation and media files, wait for their malware
//! scans, create the submission for (sku, version) or update the one that exists, submit it, and
//! optionally wait for the review verdicts and read the test results.
//!
//! **Resumable and idempotent.** Nothing is remembered locally between runs: every run asks the
//! API where things stand. The submission of (sku, version) is found by its `item_id` (derived
//! from the sku and version unless the package JSON gives one) and, failing that, among the
//! versions of the sku; earlier uploads are found in the account's file list by name and size
//! (and by MD5 once their scan has passed). So a run killed at any step, or one that failed on a
//! dropped connection, continues where the previous one stopped when started again, and a second
//! submission for the same sku and version is never created: a create whose outcome is unknown
//! is looked up by its `item_id` before anything is sent again, and the server refuses a second
//! package with the same `item_id`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

use super::client::Client;
use super::files::{ScanWait, UploadSource};
use super::model::{EqpStatus, FileRecord, Model, Package, TestDetail, ToolRun};
use super::packages::Tracks;
use super::paging::ListOptions;
use super::test_results::TestTarget;
use crate::batch::BatchOptions;
use crate::error::{Error, ErrorKind, FieldDetail, Result};
use crate::model::{Describe, FieldDef, Registry, Ty, TypeDef};

/// How long a release waits in all (scans and, with `wait`, the review) by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// First wait between two polls of the review status by default (it grows by half each round,
/// up to [`MAX_POLL_INTERVAL`]).
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);
/// Longest wait between two polls.
pub const MAX_POLL_INTERVAL: Duration = Duration::from_secs(60);

/// Where a documentation file goes in `documentation_artifacts`.
const DOC_ROLES: [&str; 3] = ["user", "installation", "reference"];
/// Where a media file goes: the icon, or one more gallery image.
const MEDIA_ROLES: [&str; 2] = ["icon", "gallery"];

/// What to release. Build it with [`ReleaseSpec::new`] and the `with_*` methods, or fill the
/// fields; everything is checked by [`Client::release`] before any request.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseSpec {
    /// `vendor/package`, lower case.
    pub sku: String,
    /// The version being released (`1.4.0`).
    pub version: String,
    /// The package ZIP.
    pub artifact: PathBuf,
    /// Documentation PDFs: `path`, or `role=path` with role `user`, `installation` or
    /// `reference`. Without a role they fill `user`, `installation`, `reference` in order.
    pub docs: Vec<String>,
    /// Media images: `path`, or `icon=path` / `gallery=path`. Without a role the first is the
    /// icon (unless one is named) and the others are gallery images.
    pub media: Vec<String>,
    /// More package fields, as the EQP API names them (`release_notes`,
    /// `version_compatibility`, `name`, `categories`, ...). Its `action` says which tracks to
    /// submit (`{"technical": "submit"}`: technical only); both when it has none. Its `item_id`,
    /// when given, replaces the derived one.
    pub package: Option<Map<String, Value>>,
    /// Submit the submission for review (the default); `false` leaves it a draft.
    pub submit: bool,
    /// Wait for the review verdicts and read the test results.
    pub wait: bool,
    /// How long to wait in all, for the scans and (with `wait`) the review.
    pub timeout: Duration,
    /// First wait between two polls of the review status.
    pub poll_interval: Duration,
    /// Check everything and say what would be done, with read-only requests only.
    pub dry_run: bool,
}

impl ReleaseSpec {
    /// A release of `artifact` as `sku` `version`: submitted, not waited for.
    pub fn new(sku: impl Into<String>, version: impl Into<String>, artifact: impl Into<PathBuf>) -> ReleaseSpec {
        ReleaseSpec {
            sku: sku.into(),
            version: version.into(),
            artifact: artifact.into(),
            docs: Vec::new(),
            media: Vec::new(),
            package: None,
            submit: true,
            wait: false,
            timeout: DEFAULT_TIMEOUT,
            poll_interval: DEFAULT_POLL_INTERVAL,
            dry_run: false,
        }
    }
    /// Add a documentation file (`path` or `role=path`).
    pub fn with_doc(mut self, doc: impl Into<String>) -> Self {
        self.docs.push(doc.into());
        self
    }
    /// Add a media file (`path`, `icon=path` or `gallery=path`).
    pub fn with_media(mut self, media: impl Into<String>) -> Self {
        self.media.push(media.into());
        self
    }
    /// More package fields (see [`ReleaseSpec::package`]).
    pub fn with_package(mut self, fields: Map<String, Value>) -> Self {
        self.package = Some(fields);
        self
    }
    /// Wait for the review verdicts (or not).
    pub fn with_wait(mut self, wait: bool) -> Self {
        self.wait = wait;
        self
    }
    /// Submit (the default) or leave a draft.
    pub fn with_submit(mut self, submit: bool) -> Self {
        self.submit = submit;
        self
    }
    /// How long to wait in all.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// First wait between two polls of the review status.
    pub fn with_poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }
    /// Only check and plan.
    pub fn with_dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }
}

/// A step of a release, as [`Client::release_with_events`] reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum ReleaseEvent {
    /// The local checks passed; looking up the submission and earlier uploads.
    Checking {
        /// The `item_id` the submission is found by.
        item_id: String,
    },
    /// A submission for this sku and version exists (a run before this one made it).
    Found {
        /// Its id.
        submission_id: String,
        /// Where it stands.
        status: EqpStatus,
    },
    /// Bytes of one file going out (at most every 50 ms, and at the end).
    Uploading {
        /// `artifact`, `user`, `installation`, `reference`, `icon` or `gallery`.
        role: String,
        /// The file's name.
        filename: String,
        /// Bytes sent so far.
        sent: u64,
        /// Bytes in all.
        total: u64,
    },
    /// A file is on the server: uploaded now, or found from an earlier run.
    Uploaded {
        /// Its role.
        role: String,
        /// The file's name.
        filename: String,
        /// Its upload id.
        file_upload_id: String,
        /// Whether an earlier upload was reused.
        reused: bool,
    },
    /// Waiting for the malware scans of these files.
    Scanning {
        /// Their names.
        files: Vec<String>,
    },
    /// Creating the submission.
    Creating {
        /// Its `item_id`.
        item_id: String,
    },
    /// Updating the existing draft (or rejected) submission with the files and fields.
    Updating {
        /// Its id.
        submission_id: String,
    },
    /// Submitting these tracks for review.
    Submitting {
        /// The submission.
        submission_id: String,
        /// `technical`, `marketing`.
        tracks: Vec<String>,
    },
    /// Waiting for the review; sent at the start and whenever a status changes.
    WaitingForReview {
        /// The submission.
        submission_id: String,
        /// Where it stands.
        status: EqpStatus,
    },
    /// The release is done (or, for a dry run, planned).
    Done {
        /// The submission (none in a dry run that would create it).
        submission_id: Option<String>,
        /// Where it stands.
        status: Option<EqpStatus>,
    },
}

impl ReleaseEvent {
    /// `checking`, `found`, `uploading`, `uploaded`, `scanning`, `creating`, `updating`,
    /// `submitting`, `waiting_for_review` or `done`.
    pub fn step(&self) -> &'static str {
        match self {
            ReleaseEvent::Checking { .. } => "checking",
            ReleaseEvent::Found { .. } => "found",
            ReleaseEvent::Uploading { .. } => "uploading",
            ReleaseEvent::Uploaded { .. } => "uploaded",
            ReleaseEvent::Scanning { .. } => "scanning",
            ReleaseEvent::Creating { .. } => "creating",
            ReleaseEvent::Updating { .. } => "updating",
            ReleaseEvent::Submitting { .. } => "submitting",
            ReleaseEvent::WaitingForReview { .. } => "waiting_for_review",
            ReleaseEvent::Done { .. } => "done",
        }
    }

    /// One line for people (`uploading extension.zip`), without the byte counts.
    pub fn describe(&self) -> String {
        match self {
            ReleaseEvent::Checking { item_id } => format!("looking up the submission (item_id {item_id}) and earlier uploads"),
            ReleaseEvent::Found { submission_id, status } => format!("found submission {submission_id} ({})", status_text(status)),
            ReleaseEvent::Uploading { role, filename, .. } => format!("uploading {filename} ({role})"),
            ReleaseEvent::Uploaded { role, filename, file_upload_id, reused: true } => {
                format!("reusing {filename} ({role}), uploaded before as {file_upload_id}")
            }
            ReleaseEvent::Uploaded { role, filename, file_upload_id, reused: false } => {
                format!("uploaded {filename} ({role}) as {file_upload_id}")
            }
            ReleaseEvent::Scanning { files } => format!("waiting for the malware scan of {}", files.join(", ")),
            ReleaseEvent::Creating { item_id } => format!("creating the submission (item_id {item_id})"),
            ReleaseEvent::Updating { submission_id } => format!("updating submission {submission_id}"),
            ReleaseEvent::Submitting { submission_id, tracks } => format!("submitting {submission_id} for {} review", tracks.join(" and ")),
            ReleaseEvent::WaitingForReview { submission_id, status } => {
                format!("waiting for the review of {submission_id} ({})", status_text(status))
            }
            ReleaseEvent::Done { submission_id: Some(id), status } => {
                format!("done: {id}{}", status.as_ref().map(|s| format!(" ({})", status_text(s))).unwrap_or_default())
            }
            ReleaseEvent::Done { submission_id: None, .. } => "done".to_owned(),
        }
    }

    /// The event as Python and Node receive it: `{"step": ..., "message": ..., ...}` with the
    /// step's members.
    pub fn to_view(&self) -> Value {
        let mut v = json!({"step": self.step(), "message": self.describe()});
        let extra = match self {
            ReleaseEvent::Checking { item_id } | ReleaseEvent::Creating { item_id } => json!({"item_id": item_id}),
            ReleaseEvent::Found { submission_id, status } | ReleaseEvent::WaitingForReview { submission_id, status } => {
                json!({"submission_id": submission_id, "status": status.to_view()})
            }
            ReleaseEvent::Uploading { role, filename, sent, total } => {
                json!({"role": role, "filename": filename, "sent": sent, "total": total})
            }
            ReleaseEvent::Uploaded { role, filename, file_upload_id, reused } => {
                json!({"role": role, "filename": filename, "file_upload_id": file_upload_id, "reused": reused})
            }
            ReleaseEvent::Scanning { files } => json!({"files": files}),
            ReleaseEvent::Updating { submission_id } => json!({"submission_id": submission_id}),
            ReleaseEvent::Submitting { submission_id, tracks } => json!({"submission_id": submission_id, "tracks": tracks}),
            ReleaseEvent::Done { submission_id, status } => {
                json!({"submission_id": submission_id, "status": status.as_ref().map(Model::to_view)})
            }
        };
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        v
    }
}

impl Describe for ReleaseEvent {
    fn describe(reg: &mut Registry) -> Ty {
        let status = EqpStatus::describe(reg);
        reg.define("ReleaseEvent", |_| TypeDef::Model {
            open: false,
            doc: "A step of a release: `step` says which; the other members belong to that step.".into(),
            fields: vec![
                field(
                    "step",
                    Ty::Literal(&[
                        "checking",
                        "found",
                        "uploading",
                        "uploaded",
                        "scanning",
                        "creating",
                        "updating",
                        "submitting",
                        "waiting_for_review",
                        "done",
                    ]),
                    true,
                    "Which step.",
                ),
                field("message", Ty::Str, true, "The step in words, for people."),
                field("item_id", Ty::Str, false, "The submission's item id (`checking`, `creating`)."),
                field("submission_id", Ty::optional(Ty::Str), false, "The submission (`found`, `updating`, `submitting`, `waiting_for_review`, `done`)."),
                field("status", Ty::optional(status), false, "Where the submission stands (`found`, `waiting_for_review`, `done`)."),
                field("role", Ty::Str, false, "`artifact`, `user`, `installation`, `reference`, `icon` or `gallery` (`uploading`, `uploaded`)."),
                field("filename", Ty::Str, false, "The file's name (`uploading`, `uploaded`)."),
                field("sent", Ty::Int, false, "Bytes sent so far (`uploading`)."),
                field("total", Ty::Int, false, "Bytes in all (`uploading`)."),
                field("file_upload_id", Ty::Str, false, "The file's upload id (`uploaded`)."),
                field("reused", Ty::Bool, false, "Whether an earlier upload was reused (`uploaded`)."),
                field("files", Ty::list(Ty::Str), false, "The files being scanned (`scanning`)."),
                field("tracks", Ty::list(Ty::Str), false, "The tracks being submitted (`submitting`)."),
            ],
        })
    }
}

fn field(key: &'static str, ty: Ty, always: bool, doc: &str) -> FieldDef {
    FieldDef { key, alias: None, ty, always, flags: Default::default(), doc: doc.to_owned() }
}

fn status_text(s: &EqpStatus) -> String {
    let part = |name: &str, v: Option<&str>| v.map(|v| format!("{name} {v}"));
    [
        part("overall", s.overall.as_ref().map(|v| v.as_str())),
        part("technical", s.technical.as_ref().map(|v| v.as_str())),
        part("marketing", s.marketing.as_ref().map(|v| v.as_str())),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

/// Called with each [`ReleaseEvent`].
pub type ReleaseEvents = Arc<dyn Fn(&ReleaseEvent) + Send + Sync>;

/// One file of a release and where it is on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseFile {
    /// `artifact`, `user`, `installation`, `reference`, `icon` or `gallery`.
    pub role: String,
    /// The local path.
    pub path: PathBuf,
    /// The file's name.
    pub filename: String,
    /// Its size in bytes.
    pub size: u64,
    /// The MD5 of its content (hex), as the API reports `file_hash`.
    pub md5: String,
    /// Its upload id (none in a dry run that would upload it).
    pub file_upload_id: Option<String>,
    /// Whether an earlier upload was reused rather than uploading it again.
    pub reused: bool,
    /// The scan status last seen (`pass`, `in-progress`...).
    pub malware_status: Option<String>,
}

/// The review verdicts a release waited for.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewVerdict {
    /// The technical track's final status (`approved`, `rejected`), when it was reviewed.
    pub technical: Option<String>,
    /// The marketing track's final status, when it was reviewed.
    pub marketing: Option<String>,
    /// Whether no reviewed track was rejected.
    pub passed: bool,
}

/// One tool run of the test results, with its detailed report when the API has one.
#[derive(Debug, Clone, PartialEq)]
pub struct TestRunResult {
    /// The run from the summary.
    pub run: ToolRun,
    /// Its detailed report (`phpcpd` has none).
    pub detail: Option<TestDetail>,
}

/// What a release did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseOutcome {
    /// The sku released.
    pub sku: String,
    /// The version released.
    pub version: String,
    /// The `item_id` of the submission.
    pub item_id: String,
    /// The submission (none in a dry run that would create it).
    pub submission_id: Option<String>,
    /// Whether this was a dry run (nothing was changed).
    pub dry_run: bool,
    /// Whether this run created the submission (a dry run: would create it).
    pub created: bool,
    /// The tracks this run submitted for review (a dry run: would submit).
    pub submitted: Vec<String>,
    /// Each file of the release.
    pub files: Vec<ReleaseFile>,
    /// What was done (a dry run: what would be done), in words, in order.
    pub actions: Vec<String>,
    /// Where the submission stands at the end.
    pub status: Option<EqpStatus>,
    /// The review verdicts, when the release waited for them.
    pub review: Option<ReviewVerdict>,
    /// The test results, when the release waited for the review.
    pub test_results: Vec<TestRunResult>,
}

impl ReleaseOutcome {
    /// Whether the release went through: no reviewed track was rejected (always true when the
    /// release did not wait for the review).
    pub fn passed(&self) -> bool {
        self.review.as_ref().is_none_or(|r| r.passed)
    }
}

impl crate::catalogue::View for ReleaseOutcome {
    fn into_view(self) -> Result<Value> {
        let passed = self.passed();
        let files: Vec<Value> = self
            .files
            .iter()
            .map(|f| {
                json!({
                    "role": f.role, "path": f.path.to_string_lossy(), "filename": f.filename, "size": f.size, "md5": f.md5,
                    "file_upload_id": f.file_upload_id, "reused": f.reused, "malware_status": f.malware_status,
                })
            })
            .collect();
        let tests: Vec<Value> = self
            .test_results
            .iter()
            .map(|t| {
                let mut v = t.run.to_view();
                if let Some(o) = v.as_object_mut() {
                    o.insert("detail".into(), t.detail.as_ref().map(Model::to_view).unwrap_or(Value::Null));
                }
                v
            })
            .collect();
        Ok(json!({
            "sku": self.sku,
            "version": self.version,
            "item_id": self.item_id,
            "submission_id": self.submission_id,
            "dry_run": self.dry_run,
            "created": self.created,
            "submitted": self.submitted,
            "files": files,
            "actions": self.actions,
            "status": self.status.as_ref().map(Model::to_view),
            "review": self.review.as_ref().map(|r| json!({"technical": r.technical, "marketing": r.marketing, "passed": r.passed})),
            "test_results": tests,
            "passed": passed,
        }))
    }
}

impl Describe for ReleaseOutcome {
    fn describe(reg: &mut Registry) -> Ty {
        let status = EqpStatus::describe(reg);
        let run = ToolRun::describe(reg);
        let detail = TestDetail::describe(reg);
        let file = reg.define("ReleaseFile", |_| TypeDef::Model {
            open: false,
            doc: "One file of a release and where it is on the server.".into(),
            fields: vec![
                field("role", Ty::Str, true, "`artifact`, `user`, `installation`, `reference`, `icon` or `gallery`."),
                field("path", Ty::Str, true, "The local path."),
                field("filename", Ty::Str, true, "The file's name."),
                field("size", Ty::Int, true, "Its size in bytes."),
                field("md5", Ty::Str, true, "The MD5 of its content (hex)."),
                field("file_upload_id", Ty::optional(Ty::Str), true, "Its upload id (none in a dry run that would upload it)."),
                field("reused", Ty::Bool, true, "Whether an earlier upload was reused."),
                field("malware_status", Ty::optional(Ty::Str), true, "The scan status last seen."),
            ],
        });
        let review = reg.define("ReleaseReview", |_| TypeDef::Model {
            open: false,
            doc: "The review verdicts a release waited for.".into(),
            fields: vec![
                field("technical", Ty::optional(Ty::Str), true, "The technical track's final status, when reviewed."),
                field("marketing", Ty::optional(Ty::Str), true, "The marketing track's final status, when reviewed."),
                field("passed", Ty::Bool, true, "Whether no reviewed track was rejected."),
            ],
        });
        let test = reg.define("ReleaseTestRun", |_| TypeDef::Model {
            open: false,
            doc: "One tool run of the test results, with its detailed report.".into(),
            fields: vec![
                field("tool_run_id", Ty::Str, false, "The run's id."),
                field("name", Ty::Str, false, "The tool."),
                field("status", Ty::Str, false, "`pass`, `fail`, `error` or `needs_review`."),
                field("date", Ty::Str, false, "When the run finished."),
                field("detail", Ty::optional(detail), true, "Its detailed report (`phpcpd` has none)."),
            ],
        });
        let _ = run;
        reg.define("ReleaseOutcome", |_| TypeDef::Model {
            open: false,
            doc: "What a release did (or, for a dry run, would do).".into(),
            fields: vec![
                field("sku", Ty::Str, true, "The sku released."),
                field("version", Ty::Str, true, "The version released."),
                field("item_id", Ty::Str, true, "The `item_id` of the submission."),
                field("submission_id", Ty::optional(Ty::Str), true, "The submission (none in a dry run that would create it)."),
                field("dry_run", Ty::Bool, true, "Whether this was a dry run (nothing was changed)."),
                field("created", Ty::Bool, true, "Whether this run created the submission."),
                field("submitted", Ty::list(Ty::Str), true, "The tracks this run submitted for review."),
                field("files", Ty::list(file), true, "Each file of the release."),
                field("actions", Ty::list(Ty::Str), true, "What was done (or would be done), in words, in order."),
                field("status", Ty::optional(status), true, "Where the submission stands at the end."),
                field("review", Ty::optional(review), true, "The review verdicts, when the release waited for them."),
                field("test_results", Ty::list(test), true, "The test results, when the release waited for the review."),
                field("passed", Ty::Bool, true, "Whether no reviewed track was rejected."),
            ],
        })
    }
}

/// A file to release, checked and hashed.
#[derive(Debug, Clone)]
struct LocalFile {
    role: String,
    /// `artifact`, `docs[1]`, `media[0]`: how errors name it.
    field: String,
    path: PathBuf,
    filename: String,
    size: u64,
    md5: String,
}

/// Everything checked before the first request.
struct Plan {
    item_id: String,
    files: Vec<LocalFile>,
    /// The package fields given, without the files (sku, version and item_id set).
    fields: Map<String, Value>,
    tracks: Tracks,
}

impl Client {
    /// Release one version of an extension (see the module docs of `sellkit::eqp` and
    /// [`ReleaseSpec`]): upload, scan, create or update, submit, and with `wait` wait for the
    /// review. Resumable: run it again after any failure and it continues where it stopped.
    ///
    /// # Errors
    ///
    /// Invalid input, before any request, naming `sku`, `version`, `artifact`, `docs[i]`,
    /// `media[i]`, `package...`, `timeout` or `poll_interval`; code `scan-failed` (kind
    /// validation) when a malware scan refused a file (its details name each file); code
    /// `package-refused` (kind validation, the API's item code as `api_code`) when the API
    /// refused the package; code `submission-canceled` (kind conflict) when the submission of
    /// this `item_id` was canceled; code `release-timeout` (kind timeout) when the scans or the
    /// review took longer than `timeout`; otherwise the errors of any call. A rejected review
    /// is not an error: see [`ReleaseOutcome::passed`].
    pub async fn release(&self, spec: ReleaseSpec) -> Result<ReleaseOutcome> {
        self.release_with_events(spec, None).await
    }

    /// [`Client::release`], calling `on_event` at each step.
    pub async fn release_with_events(&self, spec: ReleaseSpec, on_event: Option<ReleaseEvents>) -> Result<ReleaseOutcome> {
        let started = Instant::now();
        let plan = prepare(&spec).await?;
        let run = Run { client: self, spec: &spec, plan: &plan, on_event, deadline: started + spec.timeout, actions: Vec::new() };
        run.go().await
    }
}

/// Check `spec` and hash its files: everything that needs no request.
async fn prepare(spec: &ReleaseSpec) -> Result<Plan> {
    check_sku(&spec.sku)?;
    check_version(&spec.version)?;
    if spec.timeout.is_zero() {
        return Err(Error::invalid_input("timeout", "must be greater than zero"));
    }
    if spec.poll_interval.is_zero() {
        return Err(Error::invalid_input("poll_interval", "must be greater than zero"));
    }
    let mut wanted = vec![("artifact".to_owned(), "artifact".to_owned(), spec.artifact.clone())];
    wanted.extend(roles("docs", &spec.docs, &DOC_ROLES)?);
    wanted.extend(roles("media", &spec.media, &MEDIA_ROLES)?);
    let mut files = Vec::new();
    for (role, field, path) in wanted {
        files.push(local_file(role, field, path).await?);
    }
    let mut fields = spec.package.clone().unwrap_or_default();
    // The package JSON is checked as the API's package model (types, prices, enums).
    Package::from_input(&Value::Object(fields.clone()), "package")?;
    for (key, given) in [("sku", &spec.sku), ("version", &spec.version)] {
        match fields.get(key) {
            Some(Value::String(v)) if v == given => {}
            Some(other) => {
                return Err(Error::invalid_input(
                    format!("package.{key}"),
                    format!("is {other}, but the release is for {key} {given:?}; leave it out of the package JSON"),
                ))
            }
            None => {}
        }
    }
    if fields.contains_key("submission_id") {
        return Err(Error::invalid_input("package.submission_id", "the submission is found by sku and version; leave it out"));
    }
    let tracks = match fields.remove("action") {
        None | Some(Value::Null) => Tracks::BOTH,
        Some(Value::Object(a)) => {
            let submit = |t: &str| a.get(t).and_then(Value::as_str) == Some("submit");
            if a.keys().any(|k| k != "technical" && k != "marketing") || a.values().any(|v| !matches!(v.as_str(), Some("submit" | "draft"))) {
                return Err(Error::invalid_input("package.action", "may only say which tracks to submit: {\"technical\": \"submit\", \"marketing\": \"submit\"}"));
            }
            let t = Tracks { technical: submit("technical"), marketing: submit("marketing") };
            if !t.technical && !t.marketing {
                return Err(Error::invalid_input("package.action", "submits no track; use --no-submit (submit: false) to leave a draft"));
            }
            t
        }
        Some(_) => return Err(Error::invalid_input("package.action", "expected an object such as {\"technical\": \"submit\"}")),
    };
    let item_id = match fields.get("item_id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
        Some(_) => return Err(Error::invalid_input("package.item_id", "must be a non-empty string")),
        None => default_item_id(&spec.sku, &spec.version),
    };
    super::files::check_id("package.item_id", &item_id)?;
    fields.insert("sku".into(), json!(spec.sku));
    fields.insert("version".into(), json!(spec.version));
    fields.insert("item_id".into(), json!(item_id));
    // What every EQP submission of an extension needs, unless the package JSON says otherwise.
    fields.entry("type").or_insert_with(|| json!("extension"));
    fields.entry("platform").or_insert_with(|| json!("M2"));
    Ok(Plan { item_id, files, fields, tracks })
}

/// The `item_id` a release uses for (sku, version): the same in every run, distinct for every
/// pair (a sku holds no `:`), and without `/`, which some servers refuse inside a path segment.
pub fn default_item_id(sku: &str, version: &str) -> String {
    format!("{}:{version}", sku.replacen('/', ":", 1))
}

fn check_sku(sku: &str) -> Result<()> {
    let ok = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
    match sku.split_once('/') {
        Some((vendor, name)) if ok(vendor) && ok(name) => Ok(()),
        _ => Err(Error::invalid_input("sku", format!("{sku:?} is not vendor/package (lower case letters, digits, '-', '_', '.')"))),
    }
}

fn check_version(version: &str) -> Result<()> {
    let (core, _suffix) = version.split_once(['-', '+']).unwrap_or((version, ""));
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !numeric || version.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/') {
        return Err(Error::invalid_input("version", format!("{version:?} is not major.minor.patch (1.4.0)")));
    }
    Ok(())
}

/// `(role, field, path)` of each `path` or `role=path` entry.
fn roles(field: &str, entries: &[String], known: &[&str]) -> Result<Vec<(String, String, PathBuf)>> {
    let mut out: Vec<(String, String, PathBuf)> = Vec::new();
    let mut unnamed = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("{field}[{i}]");
        match entry.split_once('=') {
            Some((role, path)) if known.contains(&role) => {
                if role != "gallery" && out.iter().any(|(r, _, _)| r == role) {
                    return Err(Error::invalid_input(at, format!("a second {role} file; there is one {role}")));
                }
                out.push((role.to_owned(), at, PathBuf::from(path)));
            }
            _ => unnamed.push((at, PathBuf::from(entry))),
        }
    }
    for (at, path) in unnamed {
        let role = if field == "docs" {
            DOC_ROLES.iter().find(|r| !out.iter().any(|(o, _, _)| o == *r)).copied().ok_or_else(|| {
                Error::invalid_input(at.clone(), "there are only user, installation and reference guides")
            })?
        } else if out.iter().any(|(r, _, _)| r == "icon") {
            "gallery"
        } else {
            "icon"
        };
        out.push((role.to_owned(), at, path));
    }
    Ok(out)
}

/// The magic bytes a file of `role` starts with, and what they mean.
fn expected_kind(role: &str) -> (&'static [&'static [u8]], &'static str) {
    match role {
        "artifact" => (&[b"PK\x03\x04", b"PK\x05\x06"], "a ZIP archive"),
        "user" | "installation" | "reference" => (&[b"%PDF"], "a PDF document"),
        _ => (&[b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8"], "a PNG, JPEG or GIF image"),
    }
}

/// Check one file (exists, is a file, not empty, of its role's kind) and hash it.
async fn local_file(role: String, field: String, path: PathBuf) -> Result<LocalFile> {
    let checked = path.clone();
    let field_for_task = field.clone();
    let role_for_task = role.clone();
    let (size, md5) = tokio::task::spawn_blocking(move || hash_file(&checked, &field_for_task, &role_for_task))
        .await
        .map_err(|e| Error::new(ErrorKind::Internal, format!("hashing {}: {e}", path.display())))??;
    let filename = path
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.contains(['"', '\r', '\n']))
        .ok_or_else(|| Error::invalid_input(field.clone(), "the file name must be UTF-8 without quotes or line breaks"))?
        .to_owned();
    Ok(LocalFile { role, field, path, filename, size, md5 })
}

fn hash_file(path: &Path, field: &str, role: &str) -> Result<(u64, String)> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Error::invalid_input(field, format!("cannot read {}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Error::invalid_input(field, format!("{} is not a file", path.display())));
    }
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(cannot)?;
        if n == 0 {
            break;
        }
        if head.len() < 8 {
            head.extend_from_slice(&buf[..n.min(8 - head.len())]);
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    if size == 0 {
        return Err(Error::invalid_input(field, format!("{} is empty", path.display())));
    }
    let (magics, what) = expected_kind(role);
    if !magics.iter().any(|m| head.starts_with(m)) {
        return Err(Error::invalid_input(field, format!("{} is not {what}", path.display())));
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// One run of a release.
struct Run<'a> {
    client: &'a Client,
    spec: &'a ReleaseSpec,
    plan: &'a Plan,
    on_event: Option<ReleaseEvents>,
    deadline: Instant,
    actions: Vec<String>,
}

/// A file of the release once it is (or would be) on the server.
struct Placed {
    local: LocalFile,
    record: Option<FileRecord>,
    reused: bool,
}

impl Placed {
    fn id(&self) -> Option<&str> {
        self.record.as_ref().and_then(|r| r.file_upload_id.as_deref())
    }
}

fn is_final_technical(s: &str) -> bool {
    matches!(s, "approved" | "rejected")
}

fn is_final_marketing(s: &str) -> bool {
    matches!(s, "approved" | "approved_with_modifications_pending" | "rejected")
}

fn track_status<'s>(status: Option<&'s EqpStatus>, track: &str) -> &'s str {
    let s = match status {
        Some(s) => s,
        None => return "draft",
    };
    let v = if track == "technical" { s.technical.as_ref().map(|v| v.as_str()) } else { s.marketing.as_ref().map(|v| v.as_str()) };
    v.unwrap_or("draft")
}

fn overall_status(status: Option<&EqpStatus>) -> &str {
    status.and_then(|s| s.overall.as_ref()).map(|v| v.as_str()).unwrap_or("draft")
}

/// A track the API lets a developer submit (again).
fn submittable(track_state: &str) -> bool {
    matches!(track_state, "draft" | "rejected" | "recalled")
}

impl Run<'_> {
    fn emit(&self, event: ReleaseEvent) {
        if let Some(f) = &self.on_event {
            f(&event);
        }
    }

    fn did(&mut self, action: String) {
        self.actions.push(action);
    }

    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    async fn go(mut self) -> Result<ReleaseOutcome> {
        let plan = self.plan;
        let spec = self.spec;
        self.emit(ReleaseEvent::Checking { item_id: plan.item_id.clone() });
        let existing = self.find_submission().await?;
        if let Some(p) = &existing {
            let id = p.submission_id.clone().unwrap_or_default();
            self.emit(ReleaseEvent::Found { submission_id: id, status: p.eqp_status.clone().unwrap_or_default() });
        }
        let status = existing.as_ref().and_then(|p| p.eqp_status.clone());
        let overall = overall_status(status.as_ref()).to_owned();
        let in_review = ["technical", "marketing"].iter().any(|t| {
            let s = track_status(status.as_ref(), t);
            !submittable(s) && !is_final_technical(s) && !is_final_marketing(s)
        });
        // Files, fields and submits only change a submission that is open for them; one that is
        // in review, approved or released is left as it is (a run before this one got it there).
        let editable = existing.is_none()
            || (!in_review && !["approved", "released_to_store"].contains(&overall.as_str()) && !overall.starts_with("canceled"));
        let mut placed = self.place_files(existing.as_ref(), editable).await?;
        if spec.dry_run {
            return self.finish_dry_run(existing, placed, editable).await;
        }
        if editable {
            self.scan(&mut placed).await?;
        }
        // Whether this run brings the submission new files or fields (a created one counts).
        let mut changed = true;
        let (mut package, created) = match existing {
            Some(p) if editable => {
                let (p, c) = self.update(&p, &placed).await?;
                changed = c;
                (p, false)
            }
            Some(p) => {
                self.did(format!(
                    "left submission {} as it is ({})",
                    p.submission_id.as_deref().unwrap_or(""),
                    status_text(p.eqp_status.as_ref().unwrap_or(&EqpStatus::default()))
                ));
                (p, false)
            }
            None => self.create(&placed).await?,
        };
        let id = package.submission_id.clone().unwrap_or_default();
        let mut submitted = Vec::new();
        if spec.submit && editable {
            let (p, tracks) = self.submit(&id, &package, changed).await?;
            package = p;
            submitted = tracks;
        } else if !spec.submit {
            self.did("left it a draft (no submit)".to_owned());
        }
        let mut review = None;
        let mut test_results = Vec::new();
        if spec.wait {
            let (p, verdict) = self.wait_for_review(&id, package).await?;
            package = p;
            review = verdict;
            test_results = self.test_results(&id).await?;
        }
        let status = package.eqp_status.clone();
        self.emit(ReleaseEvent::Done { submission_id: Some(id.clone()), status: status.clone() });
        Ok(ReleaseOutcome {
            sku: spec.sku.clone(),
            version: spec.version.clone(),
            item_id: plan.item_id.clone(),
            submission_id: Some(id),
            dry_run: false,
            created,
            submitted,
            files: placed.into_iter().map(release_file).collect(),
            actions: self.actions,
            status,
            review,
            test_results,
        })
    }

    /// The submission of this release: by its `item_id`, else among the versions of the sku.
    async fn find_submission(&self) -> Result<Option<Package>> {
        let plan = self.plan;
        match self.client.packages().by_item_id(&plan.item_id).await {
            Ok(p) => {
                if overall_status(p.eqp_status.as_ref()).starts_with("canceled") {
                    return Err(Error::new(
                        ErrorKind::Conflict,
                        format!(
                            "the submission {} with item_id {:?} was canceled; give the package JSON another item_id to start a new submission of {} {}",
                            p.submission_id.as_deref().unwrap_or(""),
                            plan.item_id,
                            self.spec.sku,
                            self.spec.version
                        ),
                    )
                    .with_code("submission-canceled"));
                }
                return Ok(Some(p));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let mut versions = std::pin::pin!(self.client.packages().by_sku(&self.spec.sku, Some(&self.spec.version), ListOptions::default()));
        let mut found: Option<Package> = None;
        while let Some(p) = versions.next().await {
            let p = match p {
                Ok(p) => p,
                // No version of this sku yet.
                Err(e) if e.kind() == ErrorKind::NotFound => break,
                Err(e) => return Err(e),
            };
            let same = p.sku.as_deref() == Some(self.spec.sku.as_str()) && p.version.as_deref() == Some(self.spec.version.as_str());
            if same && !overall_status(p.eqp_status.as_ref()).starts_with("canceled") {
                // The most recently created one, when (unusually) there are several.
                let newer = found.as_ref().is_none_or(|f| p.created_at >= f.created_at);
                if newer {
                    found = Some(p);
                }
            }
        }
        Ok(found)
    }

    /// Find each file on the server or upload it (a dry run only looks).
    async fn place_files(&mut self, existing: Option<&Package>, editable: bool) -> Result<Vec<Placed>> {
        let mut placed: Vec<Placed> = self.plan.files.iter().map(|f| Placed { local: f.clone(), record: None, reused: false }).collect();
        // The files the submission refers to now, then the account's uploads.
        let linked = existing.map(linked_files).unwrap_or_default();
        for p in &mut placed {
            if let Some(a) = linked.iter().find(|(role, r)| *role == p.local.role && same_file(r, &p.local)) {
                p.record = Some(a.1.clone());
                p.reused = true;
            }
        }
        if !editable {
            return Ok(placed);
        }
        if placed.iter().any(|p| p.record.is_none()) {
            let uploads = self.uploads().await?;
            for p in placed.iter_mut().filter(|p| p.record.is_none()) {
                if let Some(r) = best_match(&uploads, &p.local) {
                    p.record = Some(r.clone());
                    p.reused = true;
                }
            }
        }
        for p in &mut placed {
            if let Some(id) = p.id() {
                let id = id.to_owned();
                if !self.spec.dry_run {
                    self.emit(ReleaseEvent::Uploaded { role: p.local.role.clone(), filename: p.local.filename.clone(), file_upload_id: id.clone(), reused: true });
                }
                self.did(format!("reuse {} ({}) uploaded before as {id}", p.local.filename, p.local.role));
            } else if self.spec.dry_run {
                self.did(format!("upload {} ({}, {} bytes)", p.local.filename, p.local.role, p.local.size));
            } else {
                let record = self.upload(&p.local).await?;
                p.record = Some(record);
            }
        }
        Ok(placed)
    }

    /// Every file the account uploaded.
    async fn uploads(&self) -> Result<Vec<FileRecord>> {
        let mut all = Vec::new();
        let mut list = std::pin::pin!(self.client.files().list(ListOptions { limit: None, page_size: Some(200) }));
        while let Some(r) = list.next().await {
            all.push(r?);
        }
        Ok(all)
    }

    /// Upload one file. When the request fails after it may have reached the server, the file
    /// is looked for in the account's uploads before it is sent again.
    async fn upload(&mut self, local: &LocalFile) -> Result<FileRecord> {
        let mut last = None;
        for _ in 0..2 {
            let events = self.on_event.clone();
            let (role, filename) = (local.role.clone(), local.filename.clone());
            let progress: super::files::Progress = Arc::new(move |sent, total| {
                if let Some(f) = &events {
                    f(&ReleaseEvent::Uploading { role: role.clone(), filename: filename.clone(), sent, total });
                }
            });
            let sent = self.client.files().upload(vec![UploadSource::path(&local.path)], Some(progress)).await;
            let e = match sent {
                Ok(mut records) if records.len() == 1 => {
                    let r = records.remove(0);
                    let id = r.file_upload_id.clone().unwrap_or_default();
                    self.emit(ReleaseEvent::Uploaded { role: local.role.clone(), filename: local.filename.clone(), file_upload_id: id.clone(), reused: false });
                    self.did(format!("uploaded {} ({}) as {id}", local.filename, local.role));
                    return Ok(r);
                }
                Ok(_) => return Err(Error::new(ErrorKind::Decode, "the upload answered no record for the file")),
                Err(e) if e.outcome_unknown() => e,
                Err(e) => return Err(e.prefix_message(format!("uploading {} ({})", local.filename, local.field))),
            };
            if let Some(r) = best_match(&self.uploads().await?, local) {
                let id = r.file_upload_id.clone().unwrap_or_default();
                self.emit(ReleaseEvent::Uploaded { role: local.role.clone(), filename: local.filename.clone(), file_upload_id: id.clone(), reused: true });
                self.did(format!("uploaded {} ({}) as {id} (found after the connection failed)", local.filename, local.role));
                return Ok(r.clone());
            }
            last = Some(e);
        }
        Err(last.unwrap_or_else(|| Error::new(ErrorKind::Connection, "the upload failed")))
    }

    /// Wait until every file passed its scan; a reused file whose content turns out to differ
    /// (its MD5) is uploaded again, once.
    async fn scan(&mut self, placed: &mut [Placed]) -> Result<()> {
        for round in 0..2 {
            let pending: Vec<usize> = (0..placed.len()).filter(|&i| !placed[i].record.as_ref().is_some_and(FileRecord::scan_passed)).collect();
            if !pending.is_empty() {
                self.emit(ReleaseEvent::Scanning { files: pending.iter().map(|&i| placed[i].local.filename.clone()).collect() });
                let ids: Vec<String> = pending.iter().filter_map(|&i| placed[i].id().map(str::to_owned)).collect();
                let remaining = self.remaining();
                if remaining.is_zero() {
                    return Err(self.timeout_error("the malware scans", None));
                }
                let report = self.client.files().wait_for_scan(&ids, ScanWait::default().with(Some(remaining), Some(self.spec.poll_interval.min(Duration::from_secs(2))))).await?;
                for r in report.passed.iter().chain(&report.failed) {
                    if let Some(p) = placed.iter_mut().find(|p| p.id() == r.file_upload_id.as_deref()) {
                        p.record = Some(r.clone());
                    }
                }
                if !report.failed.is_empty() {
                    let details: Vec<FieldDetail> = report
                        .failed
                        .iter()
                        .filter_map(|r| placed.iter().find(|p| p.id() == r.file_upload_id.as_deref()))
                        .map(|p| FieldDetail {
                            field: Some(p.local.field.clone()),
                            code: Some("scan-failed".into()),
                            message: Some(format!("{} ({}) failed the malware scan", p.local.filename, p.id().unwrap_or(""))),
                            value: None,
                        })
                        .collect();
                    let names: Vec<String> = details.iter().filter_map(|d| d.message.clone()).collect();
                    return Err(Error::new(ErrorKind::Validation, format!("the malware scan refused a file: {}", names.join("; ")))
                        .with_code("scan-failed")
                        .with_details(details));
                }
                if !report.timed_out.is_empty() {
                    return Err(self.timeout_error("the malware scans", None));
                }
            }
            // A file reused by name and size is the same content only if its MD5 agrees.
            let mut again = false;
            for p in placed.iter_mut() {
                let hash = p.record.as_ref().and_then(|r| r.file_hash.clone());
                if hash.is_some_and(|h| !h.eq_ignore_ascii_case(&p.local.md5)) {
                    if round == 1 || !p.reused {
                        return Err(Error::new(
                            ErrorKind::Decode,
                            format!("the server's MD5 of {} differs from the file's ({})", p.local.filename, p.local.md5),
                        )
                        .with_code("checksum-mismatch"));
                    }
                    let local = p.local.clone();
                    p.record = Some(self.upload(&local).await?);
                    p.reused = false;
                    again = true;
                }
            }
            if !again {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The package fields with the files' upload ids.
    fn body(&self, placed: &[Placed], creating: bool) -> Result<Package> {
        let mut fields = self.plan.fields.clone();
        if !creating {
            // sku, version and item_id identify the submission; they are sent on create only.
            for k in ["sku", "version", "item_id"] {
                fields.remove(k);
            }
        }
        let id = |role: &str| placed.iter().find(|p| p.local.role == role).and_then(|p| p.id()).map(|id| json!({"file_upload_id": id}));
        if let Some(a) = id("artifact") {
            fields.insert("artifact".into(), a);
        }
        let mut docs = fields.remove("documentation_artifacts").and_then(|v| v.as_object().cloned()).unwrap_or_default();
        for role in DOC_ROLES {
            if let Some(a) = id(role) {
                docs.insert(role.into(), a);
            }
        }
        if !docs.is_empty() {
            fields.insert("documentation_artifacts".into(), Value::Object(docs));
        }
        let mut media = fields.remove("media_artifacts").and_then(|v| v.as_object().cloned()).unwrap_or_default();
        if let Some(a) = id("icon") {
            media.insert("icon_image".into(), a);
        }
        let gallery: Vec<Value> =
            placed.iter().filter(|p| p.local.role == "gallery").filter_map(|p| p.id()).map(|id| json!({"file_upload_id": id})).collect();
        if !gallery.is_empty() {
            media.insert("gallery_images".into(), Value::Array(gallery));
        }
        if !media.is_empty() {
            fields.insert("media_artifacts".into(), Value::Object(media));
        }
        Package::from_input(&Value::Object(fields), "package")
    }

    async fn create(&mut self, placed: &[Placed]) -> Result<(Package, bool)> {
        let item_id = self.plan.item_id.clone();
        self.emit(ReleaseEvent::Creating { item_id: item_id.clone() });
        let body = self.body(placed, true)?;
        let mut result = self.client.packages().create_with(vec![body], BatchOptions::default()).await?;
        let item = result.items.remove(0);
        if item.ok {
            let id = item.data.as_ref().and_then(|p| p.submission_id.clone()).unwrap_or_default();
            // The batch answer holds the ids and statuses only: read the whole submission.
            let package = self.client.packages().get(&id).await?;
            self.did(format!("created submission {id} (item_id {item_id}){}", if item.recovered { ", found after the connection failed" } else { "" }));
            return Ok((package, true));
        }
        // Another run (or a create whose answer was lost) made it already: continue with it.
        if let Ok(existing) = self.client.packages().by_item_id(&item_id).await {
            let id = existing.submission_id.clone().unwrap_or_default();
            self.emit(ReleaseEvent::Found { submission_id: id, status: existing.eqp_status.clone().unwrap_or_default() });
            let (package, _) = self.update(&existing, placed).await?;
            return Ok((package, false));
        }
        let mut e = Error::new(ErrorKind::Validation, format!("the API refused the package: {} (item code {})", item.message, item.code))
            .with_code("package-refused")
            .with_api_code(crate::ApiCode::Int(item.code));
        if let Some(inner) = &item.error {
            if inner.kind() != ErrorKind::Validation {
                e = inner.clone();
            }
        }
        Err(e)
    }

    /// Send the files and fields the submission does not have yet; the submission, and
    /// whether anything was sent.
    async fn update(&mut self, existing: &Package, placed: &[Placed]) -> Result<(Package, bool)> {
        let id = existing.submission_id.clone().unwrap_or_default();
        let body = self.body(placed, false)?;
        if holds(&existing.to_json(), &body.to_json()) {
            self.did(format!("submission {id} already has these files and fields"));
            return Ok((existing.clone(), false));
        }
        self.emit(ReleaseEvent::Updating { submission_id: id.clone() });
        self.client.packages().update_one(&id, &body).await.map_err(refused)?;
        self.did(format!("updated submission {id} with the files and fields"));
        Ok((self.client.packages().get(&id).await?, true))
    }

    /// Submit the chosen tracks that are open for it (a rejected one only when this run
    /// `changed` the submission: sending the same content again would only be rejected again);
    /// a submit whose answer was lost is recognised by the tracks having moved on.
    async fn submit(&mut self, id: &str, package: &Package, changed: bool) -> Result<(Package, Vec<String>)> {
        let status = package.eqp_status.as_ref();
        let wanted = self.plan.tracks;
        let open = |t: &str| {
            let s = track_status(status, t);
            submittable(s) && (s != "rejected" || changed)
        };
        let tracks = Tracks { technical: wanted.technical && open("technical"), marketing: wanted.marketing && open("marketing") };
        let names: Vec<String> =
            [("technical", tracks.technical), ("marketing", tracks.marketing)].iter().filter(|(_, on)| *on).map(|(t, _)| (*t).to_owned()).collect();
        if names.is_empty() {
            self.did("nothing to submit: the tracks are in review, reviewed, or rejected with nothing changed since".to_owned());
            return Ok((package.clone(), names));
        }
        self.emit(ReleaseEvent::Submitting { submission_id: id.to_owned(), tracks: names.clone() });
        if let Err(e) = self.client.packages().submit(id, tracks).await {
            if e.kind() == ErrorKind::InvalidInput {
                return Err(e);
            }
            let now = self.client.packages().get(id).await?;
            let moved = names.iter().all(|t| !submittable(track_status(now.eqp_status.as_ref(), t)));
            if !moved {
                return Err(refused(e));
            }
        }
        self.did(format!("submitted {id} for {} review", names.join(" and ")));
        Ok((self.client.packages().get(id).await?, names))
    }

    /// Poll until no track is in review, backing off; the verdicts of the tracks that were.
    async fn wait_for_review(&mut self, id: &str, mut package: Package) -> Result<(Package, Option<ReviewVerdict>)> {
        let mut interval = self.spec.poll_interval;
        let mut last: Option<EqpStatus> = None;
        let reviewed = |p: &Package| -> Vec<&'static str> {
            ["technical", "marketing"].into_iter().filter(|t| !matches!(track_status(p.eqp_status.as_ref(), t), "draft")).collect()
        };
        loop {
            let status = package.eqp_status.clone().unwrap_or_default();
            let tracks = reviewed(&package);
            let pending = tracks.iter().any(|t| {
                let s = track_status(Some(&status), t);
                if *t == "technical" { !is_final_technical(s) && s != "recalled" } else { !is_final_marketing(s) && s != "recalled" }
            });
            if !pending {
                if tracks.is_empty() {
                    self.did("no track is in review: nothing to wait for".to_owned());
                    return Ok((package, None));
                }
                let get = |t: &str| tracks.contains(&t).then(|| track_status(Some(&status), t).to_owned());
                let (technical, marketing) = (get("technical"), get("marketing"));
                let passed = ![&technical, &marketing].iter().any(|s| s.as_deref() == Some("rejected"));
                self.did(format!("review finished: {}", status_text(&status)));
                return Ok((package, Some(ReviewVerdict { technical, marketing, passed })));
            }
            if last.as_ref() != Some(&status) {
                self.emit(ReleaseEvent::WaitingForReview { submission_id: id.to_owned(), status: status.clone() });
                last = Some(status.clone());
            }
            let remaining = self.remaining();
            if remaining.is_zero() {
                return Err(self.timeout_error("the review", Some((id, &status))));
            }
            tokio::time::sleep(interval.min(remaining)).await;
            interval = interval.mul_f64(1.5).min(MAX_POLL_INTERVAL.max(self.spec.poll_interval));
            package = self.client.packages().get(id).await?;
        }
    }

    /// Every tool run of the submission with its detailed report.
    async fn test_results(&self, id: &str) -> Result<Vec<TestRunResult>> {
        let runs = self.client.test_results().summary(&TestTarget::SubmissionId(id.to_owned())).await?;
        let mut out = Vec::new();
        for run in runs {
            let detail = match (run.name.as_deref(), run.tool_run_id.as_deref()) {
                (Some(tool), Some(run_id)) if tool != "phpcpd" => match self.client.test_results().detail(id, tool, run_id).await {
                    Ok(d) => Some(d),
                    Err(e) if e.kind() == ErrorKind::NotFound => None,
                    Err(e) => return Err(e),
                },
                _ => None,
            };
            out.push(TestRunResult { run, detail });
        }
        Ok(out)
    }

    fn timeout_error(&self, what: &str, at: Option<(&str, &EqpStatus)>) -> Error {
        let where_ = at.map(|(id, s)| format!(" (submission {id}: {})", status_text(s))).unwrap_or_default();
        Error::new(
            ErrorKind::Timeout,
            format!("waited {} s for {what}{where_}; run the release again to continue", self.spec.timeout.as_secs_f64()),
        )
        .with_code("release-timeout")
    }

    async fn finish_dry_run(mut self, existing: Option<Package>, placed: Vec<Placed>, editable: bool) -> Result<ReleaseOutcome> {
        let spec = self.spec;
        let plan = self.plan;
        // The body is checked as it would be sent (with placeholders for files not uploaded yet).
        self.body(&placed, existing.is_none())?;
        let status = existing.as_ref().and_then(|p| p.eqp_status.clone());
        let id = existing.as_ref().and_then(|p| p.submission_id.clone());
        let mut submitted = Vec::new();
        let mut changed = true;
        match &existing {
            None => self.did(format!("create the submission (item_id {})", plan.item_id)),
            Some(p) if editable => {
                if holds(&p.to_json(), &self.body(&placed, false)?.to_json()) && placed.iter().all(|f| f.id().is_some()) {
                    changed = false;
                    self.did(format!("submission {} already has these files and fields", p.submission_id.as_deref().unwrap_or("")));
                } else {
                    self.did(format!("update submission {} with the files and fields", p.submission_id.as_deref().unwrap_or("")));
                }
            }
            Some(p) => self.did(format!(
                "leave submission {} as it is ({})",
                p.submission_id.as_deref().unwrap_or(""),
                status_text(p.eqp_status.as_ref().unwrap_or(&EqpStatus::default()))
            )),
        }
        if spec.submit && editable {
            for (t, on) in [("technical", plan.tracks.technical), ("marketing", plan.tracks.marketing)] {
                let state = track_status(status.as_ref(), t);
                if on && submittable(state) && (state != "rejected" || changed) {
                    submitted.push(t.to_owned());
                }
            }
            if !submitted.is_empty() {
                self.did(format!("submit for {} review", submitted.join(" and ")));
            }
        }
        if spec.wait {
            self.did("wait for the review verdicts and read the test results".to_owned());
        }
        self.emit(ReleaseEvent::Done { submission_id: id.clone(), status: status.clone() });
        Ok(ReleaseOutcome {
            sku: spec.sku.clone(),
            version: spec.version.clone(),
            item_id: plan.item_id.clone(),
            submission_id: id,
            dry_run: true,
            created: existing.is_none(),
            submitted,
            files: placed.into_iter().map(release_file).collect(),
            actions: self.actions,
            status,
            review: None,
            test_results: Vec::new(),
        })
    }
}

/// Whether `have` (a submission as read) already holds everything in `want` (the fields a
/// release sends): each member of an object present and holding the same, lists item by item;
/// numbers compare by value (`15.5` and `15.50` are one price).
fn holds(have: &Value, want: &Value) -> bool {
    match (have, want) {
        (Value::Object(h), Value::Object(w)) => w.iter().all(|(k, v)| h.get(k).is_some_and(|hv| holds(hv, v))),
        (Value::Array(h), Value::Array(w)) => h.len() == w.len() && h.iter().zip(w).all(|(a, b)| holds(a, b)),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

/// A failing single-package answer as a refusal of the package.
fn refused(e: Error) -> Error {
    if e.kind() == ErrorKind::Validation && e.code() == ErrorKind::Validation.default_code() {
        e.with_code("package-refused")
    } else {
        e
    }
}

fn release_file(p: Placed) -> ReleaseFile {
    let malware_status = p.record.as_ref().and_then(|r| r.malware_status.as_ref()).map(|s| s.as_str().to_owned());
    let file_upload_id = p.id().map(str::to_owned);
    ReleaseFile {
        role: p.local.role,
        path: p.local.path,
        filename: p.local.filename,
        size: p.local.size,
        md5: p.local.md5,
        file_upload_id,
        reused: p.reused,
        malware_status,
    }
}

/// The files a submission refers to, by role, as file records.
fn linked_files(p: &Package) -> Vec<(String, FileRecord)> {
    let as_record = |a: &super::model::Artifact| FileRecord {
        file_upload_id: a.file_upload_id.clone(),
        filename: a.filename.clone(),
        size: a.size,
        file_hash: a.file_hash.clone(),
        malware_status: a.malware_status.clone(),
        ..Default::default()
    };
    let mut out = Vec::new();
    if let Some(a) = &p.artifact {
        out.push(("artifact".to_owned(), as_record(a)));
    }
    if let Some(d) = &p.documentation_artifacts {
        for (role, a) in [("user", &d.user), ("installation", &d.installation), ("reference", &d.reference)] {
            if let Some(a) = a {
                out.push((role.to_owned(), as_record(a)));
            }
        }
    }
    if let Some(m) = &p.media_artifacts {
        if let Some(a) = &m.icon_image {
            out.push(("icon".to_owned(), as_record(a)));
        }
        for a in m.gallery_images.iter().flatten() {
            out.push(("gallery".to_owned(), as_record(a)));
        }
    }
    out
}

/// Whether `r` is the upload of `local`: the same name and size, not refused by its scan, and
/// the same MD5 once the server has one.
fn same_file(r: &FileRecord, local: &LocalFile) -> bool {
    r.file_upload_id.is_some()
        && r.filename.as_deref() == Some(local.filename.as_str())
        && r.size == Some(local.size)
        && !r.scan_failed()
        && r.file_hash.as_deref().is_none_or(|h| h.eq_ignore_ascii_case(&local.md5))
}

/// The best earlier upload of `local`: one whose scan passed with the same MD5, else the latest
/// still being scanned.
fn best_match<'r>(uploads: &'r [FileRecord], local: &LocalFile) -> Option<&'r FileRecord> {
    let candidates: Vec<&FileRecord> = uploads.iter().filter(|r| same_file(r, local)).collect();
    candidates.iter().rev().find(|r| r.scan_passed()).or_else(|| candidates.last()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_versions_and_roles_are_checked() {
        assert!(check_sku("acme/one-click_2.0").is_ok());
        for bad in ["acme", "Acme/x", "acme/", "/x", "acme/x/y", "acme x/y"] {
            assert_eq!(check_sku(bad).unwrap_err().field(), Some("sku"), "{bad}");
        }
        for good in ["1.0.0", "2.4.10", "1.0.0-beta.1", "1.0.0+build.5"] {
            assert!(check_version(good).is_ok(), "{good}");
        }
        for bad in ["1.0", "v1.0.0", "1.0.0 ", "1..0", ""] {
            assert_eq!(check_version(bad).unwrap_err().field(), Some("version"), "{bad}");
        }
        let r = roles("docs", &["a.pdf".into(), "reference=r.pdf".into(), "b.pdf".into()], &DOC_ROLES).unwrap();
        let got: Vec<(&str, &str)> = r.iter().map(|(role, field, _)| (role.as_str(), field.as_str())).collect();
        assert_eq!(got, [("reference", "docs[1]"), ("user", "docs[0]"), ("installation", "docs[2]")]);
        let e = roles("docs", &["a".into(), "b".into(), "c".into(), "d".into()], &DOC_ROLES).unwrap_err();
        assert_eq!(e.field(), Some("docs[3]"));
        let m = roles("media", &["shot.png".into(), "icon=i.png".into(), "x=y.png".into()], &MEDIA_ROLES).unwrap();
        let got: Vec<&str> = m.iter().map(|(role, _, _)| role.as_str()).collect();
        assert_eq!(got, ["icon", "gallery", "gallery"]);
        assert_eq!(m[2].2, PathBuf::from("x=y.png"));
        assert_eq!(default_item_id("acme/one", "1.2.0"), "acme:one:1.2.0");
    }
}
