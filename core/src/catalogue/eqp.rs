//! The operations of the EQP API.

use serde_json::{Map, Value};

use super::args::{Blob, Files, IdText, Json, OnEvent, OnProgress, Seconds};
use super::macros::operations;
use super::out::Raw;
use super::Property;
use crate::model::Ty;
use crate::batch::{BatchOptions, BatchResult};
use crate::eqp::model::{
    ApiCallback, CallbackEnvelope, ComposerKey, FileRecord, KeyList, NewKey, Package, Profile, TestDetail, TimestampFilter, ToolRun,
    UtcDateTime,
};
use crate::eqp::{
    Client, KeyFilter, ListOptions, PackageFilter, ProfileStyle, ReleaseEvent, ReleaseOutcome, ReleaseSpec, ScanReport, ScanWait, SortKeys,
    TestTarget, Tracks, UserReport,
};

/// What the API is.
pub(super) const DOC: &str = "The Adobe Commerce Marketplace EQP API: upload extension packages, submit them through the \
Extension Quality Program, read test results and reports, manage Composer keys, receive callbacks.";

/// The resources and what each holds.
pub(super) const RESOURCES: &[(&str, &str)] = &[
    ("users", "The profile of the key's account, its Composer keys and its reports."),
    ("users.keys", "Magento 2 Composer keys (repo.magento.com credentials)."),
    ("callbacks", "Where EQP posts status updates."),
    ("files", "Uploads and their malware scans."),
    ("packages", "Package submissions: create, update, list, submit and recall them."),
    ("test_results", "The automated test runs of a package."),
    ("reports", "Marketplace metrics."),
];

/// The client's read-only properties.
pub(super) static PROPERTIES: &[Property<Client>] = &[
    Property { name: "mage_id", doc: "The account id of the key, known after the first authenticated call.", ty: || Ty::optional(Ty::Str), get: |c| c.mage_id().into() },
    Property { name: "app_id", doc: "The application id of the key.", ty: || Ty::Str, get: |c| c.app_id().into() },
    Property { name: "base_url", doc: "The API's base URL.", ty: || Ty::Str, get: |c| c.base_url().into() },
    Property { name: "environment", doc: "`production`, `sandbox`, `legacy-production` or `legacy-sandbox`.", ty: || Ty::Str, get: |c| c.environment().as_str().into() },
    Property { name: "token_requests", doc: "How many session tokens this client has requested.", ty: || Ty::Int, get: |c| c.token_requests().into() },
];

operations! {
    client: Client;

    /// Get a session token now (if none is cached); returns the account's `mage_id`.
    call authenticate() -> String = |c| c.authenticate().await?;

    /// Release one version of an extension: upload its files, wait for their malware scans,
    /// create the submission for (sku, version) or update the one that exists, submit it, and
    /// with `wait` wait for the review verdicts and read the test results.
    ///
    /// Resumable: run again after any failure or a killed process, it finds the earlier uploads
    /// and the submission through the API and continues where it stopped; it never creates a
    /// second submission for the same sku and version. A rejected review is not an error: see
    /// `passed` in the result.
    call release(
        /// `vendor/package`, lower case.
        sku: String,
        /// The version being released (`1.4.0`).
        version: String,
        /// Path of the package ZIP.
        artifact: String;
        /// Documentation PDFs: `path` or `role=path` (`user`, `installation`, `reference`; in
        /// that order when no role is given).
        docs: Vec<String>,
        /// Images: `path`, `icon=path` or `gallery=path` (the first is the icon unless one is
        /// named).
        media: Vec<String>,
        /// More package fields (`release_notes`, `version_compatibility`, `name`, ...); its
        /// `action` says which tracks to submit (both when absent).
        package: Json<Package>,
        /// Submit for review (the default); `false` leaves a draft.
        submit: bool,
        /// Wait for the review verdicts and read the test results.
        wait: bool,
        /// How long to wait in all for the scans and the review (1800 s).
        timeout: Seconds,
        /// First wait between two polls of the review status (5 s; it grows by half each round,
        /// up to 60 s).
        poll_interval: Seconds,
        /// Check everything and say what would be done, with read-only requests only.
        dry_run: bool,
        /// Called with each step (`{"step": "uploading", "message": ..., ...}`); what it raises
        /// does not stop the release.
        on_event: OnEvent<ReleaseEvent>,
    ) -> ReleaseOutcome = |c| {
        let mut spec = ReleaseSpec::new(sku, version, artifact);
        spec.docs = docs.unwrap_or_default();
        spec.media = media.unwrap_or_default();
        spec.package = package.map(|p| p.into_object("package")).transpose()?;
        spec.submit = submit.unwrap_or(true);
        spec.wait = wait.unwrap_or(false);
        spec.dry_run = dry_run.unwrap_or(false);
        if let Some(t) = timeout {
            spec.timeout = t.0;
        }
        if let Some(i) = poll_interval {
            spec.poll_interval = i.0;
        }
        let events = on_event.map(|f| -> crate::eqp::ReleaseEvents {
            let sink = f.0;
            std::sync::Arc::new(move |e: &ReleaseEvent| sink(e.to_view()))
        });
        c.release_with_events(spec, events).await?
    };

    /// Call any endpoint (`/rest/v1/...`) with the client's auth, retries and errors; returns
    /// the decoded JSON body (`None`/`null` when empty).
    call request(
        /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE` or `HEAD`.
        method: String,
        /// The path, from `/rest/v1`.
        path: String;
        /// A JSON body to send.
        json: Value,
    ) -> Value = |c| c.request(&method, &path, json.as_ref()).await?;

    /// Read the profile of the key's account: every field (the default) or a summary.
    call users.get(;
        /// `full` (the default) or `summary`.
        style: ProfileStyle,
    ) -> Raw<Profile> = |c| Raw::new(c.users().get_json(style).await?);

    /// Change the given fields of the profile only; returns the updated profile.
    call users.update(
        /// The fields to change (`{"personal_profile": {"bio": "..."}}`).
        fields: Json<Profile>;
        /// `submit` (publish the profile once complete) or `draft` (save only).
        action: String,
    ) -> Profile = |c| c.users().update(with_action(fields.into_object("fields")?, action)).await?;

    /// A report of the account (`pageviews`, `totals`, `sales`, `refunds`), as sent.
    call users.reports(
        /// `pageviews`, `totals`, `sales` or `refunds`.
        kind: UserReport,
    ) -> Value = |c| c.users().reports(kind).await?;

    /// The account's Magento 2 Composer keys, per generation.
    call users.keys.list(;
        /// `m1`, `m2` or `all` (the default).
        r#type: String,
        /// One m2 key by label.
        label: String,
        /// Your mage_id, an Adobe org id, or `all` (the default).
        uid: String,
    ) -> KeyList = |c| c.users().keys().list(&KeyFilter { key_type: r#type, label, uid }).await?;

    /// Create Composer keys; one entry per key, in order.
    batch users.keys.create(
        /// `[{"label": ..., "uid"?: ...}]`.
        keys: Vec<NewKey>,
    ) -> BatchResult<ComposerKey> = |c| c.users().keys().create(&keys).await?;

    /// Enable the key `label`; returns the m2 keys.
    call users.keys.enable(label: String; uid: String) -> Vec<ComposerKey> =
        |c| c.users().keys().enable(&label, uid.as_deref()).await?;

    /// Disable the key `label`; returns the m2 keys.
    call users.keys.disable(label: String; uid: String) -> Vec<ComposerKey> =
        |c| c.users().keys().disable(&label, uid.as_deref()).await?;

    /// Delete the key `label`.
    call users.keys.delete(label: String; uid: String) -> () =
        |c| c.users().keys().delete(&label, uid.as_deref()).await?;

    /// Register where EQP posts status updates (https URLs); returns the profile.
    call callbacks.register(
        /// `[{"name"?, "url", "username", "password"}]`: the full list.
        callbacks: Vec<ApiCallback>,
    ) -> Profile = |c| c.callbacks().register(&callbacks).await?;

    /// Upload files in one multipart request; one record per file, in order.
    ///
    /// Paths (and file objects with a path on disk) are streamed from disk and re-opened on a
    /// retry; other content is read in chunks.
    upload files.upload(
        /// Paths, `(filename, bytes)` / `{filename, data}` pairs, or readable streams.
        files: Files;
        /// Called with `(sent, total)` as bytes go out (at most every 50 ms, and at the end).
        progress: OnProgress,
    ) -> Vec<FileRecord> = |c| c.files().upload(files.0, progress.map(|p| p.0)).await?;

    /// One uploaded file and its malware scan status.
    call files.get(file_upload_id: String) -> FileRecord = |c| c.files().get(&file_upload_id).await?;

    /// Every uploaded file, fetched lazily page by page.
    list files.list(;
        /// Stop after this many files.
        limit: u64,
        /// Files per request (50).
        page_size: u64,
    ) -> FileRecord = |c| c.files().list_pages(ListOptions { limit, page_size })?;

    /// Poll until every file's malware scan is done or `timeout` passes (300 s).
    call files.wait_for_scan(
        /// The `file_upload_id`s.
        ids: Vec<String>;
        /// How long to wait at most (300 s).
        timeout: Seconds,
        /// First wait between polls (2 s; it grows by half each round, up to 15 s).
        interval: Seconds,
        /// Fail unless every file passed: a validation error (`malware-scan-failed`) naming each
        /// file that failed by id and name, or a timeout error (`malware-scan-pending`) naming
        /// those still being scanned (off by default: the report says it all).
        require_pass: bool,
    ) -> ScanReport = |c| {
        let wait = ScanWait::default().with(timeout.map(|t| t.0), interval.map(|i| i.0)).require_pass(require_pass.unwrap_or(false));
        c.files().wait_for_scan(&ids, wait).await?
    };

    /// Create packages: chunks of `chunk_size` (50), `concurrency` (4) requests at once; one
    /// entry per item, in order.
    batch packages.create(
        /// The packages (give each a unique `item_id`: a create lost in transit is then
        /// recovered by looking it up, never sent twice).
        items: Vec<Package>;
        /// Items per request (50).
        chunk_size: u64,
        /// Requests in flight at once (4).
        concurrency: u64,
    ) -> BatchResult<Raw<Package>> = |c| c.packages().create_as(items, BatchOptions::choose(chunk_size, concurrency)?, |v| Ok(Raw::new(v))).await?;

    /// Update packages (each with its `submission_id`); one entry per item, in order.
    batch packages.update(
        /// The changes, each with its `submission_id`.
        items: Vec<Package>;
        /// Items per request (50).
        chunk_size: u64,
        /// Requests in flight at once (4).
        concurrency: u64,
    ) -> BatchResult<Raw<Package>> = |c| c.packages().update_as(items, BatchOptions::choose(chunk_size, concurrency)?, |v| Ok(Raw::new(v))).await?;

    /// Change the given fields of one submission; the package when the server sends it.
    call packages.update_one(submission_id: String, fields: Package) -> Option<Package> =
        |c| c.packages().update_one(&submission_id, &fields).await?;

    /// One submission.
    call packages.get(submission_id: String) -> Raw<Package> = |c| Raw::new(c.packages().get_json(&submission_id).await?);

    /// The submission with a developer-chosen `item_id`.
    call packages.by_item_id(item_id: String) -> Package = |c| c.packages().by_item_id(&item_id).await?;

    /// Packages matching the filters, sorted, fetched lazily page by page.
    list packages.list(;
        /// `extension`, `theme`, `shared_package` or `all` (exact).
        r#type: String,
        /// `M2` (exact).
        platform: String,
        /// The licence (exact).
        license_type: String,
        /// Whether it is a patch (exact).
        is_patch: String,
        /// Substring of the item id.
        item_id: String,
        /// Substring of the submission id.
        submission_id: String,
        /// Substring of the sku.
        sku: String,
        /// Substring of the version.
        version: String,
        /// Substring of the name.
        name: String,
        /// Substring of the long description.
        long_description: String,
        /// Substring of the release notes.
        release_notes: String,
        /// Substring of the custom licence name.
        custom_license_name: String,
        /// Substring of the custom licence URL.
        custom_license_url: String,
        /// Requested launch date: a day (`2024-05-01`, or a `date`/`Date`) matches that day; a
        /// date-time (or `datetime`/`Date`) is sent the EQP way; other text as given.
        requested_launch_date: TimestampFilter,
        /// Creation date (as `requested_launch_date`).
        created_at: TimestampFilter,
        /// Modification date (as `requested_launch_date`).
        modified_at: TimestampFilter,
        /// Latest launch date (as `requested_launch_date`).
        latest_launch_date: TimestampFilter,
        /// Original launch date (as `requested_launch_date`).
        original_launch_date: TimestampFilter,
        /// `stable` or `beta`.
        stability: String,
        /// `yes`, `no` or `unknown`.
        process_as_patch: String,
        /// Other filters by their API name (`{"eqp_status.overall": "approved"}`).
        filters: Map<String, Value>,
        /// Sort keys: `"-platform,+name"` or `["-platform", "+name"]`.
        sort: SortKeys,
        /// Stop after this many packages.
        limit: u64,
        /// Packages per request (50).
        page_size: u64,
    ) -> Package = |c| {
        let named = [
            ("type", r#type), ("platform", platform), ("license_type", license_type), ("is_patch", is_patch),
            ("item_id", item_id), ("submission_id", submission_id), ("sku", sku), ("version", version), ("name", name),
            ("long_description", long_description), ("release_notes", release_notes),
            ("custom_license_name", custom_license_name), ("custom_license_url", custom_license_url),
            ("requested_launch_date", requested_launch_date.map(|f| f.0)), ("created_at", created_at.map(|f| f.0)),
            ("modified_at", modified_at.map(|f| f.0)), ("latest_launch_date", latest_launch_date.map(|f| f.0)),
            ("original_launch_date", original_launch_date.map(|f| f.0)),
            ("stability", stability), ("process_as_patch", process_as_patch),
        ];
        let filter = PackageFilter::from_args(named, filters.unwrap_or_default(), sort)?;
        c.packages().list_pages(&filter, ListOptions { limit, page_size })?
    };

    /// Every version of one sku (or the one `version`), fetched lazily.
    list packages.by_sku(sku: String; version: String, limit: u64, page_size: u64) -> Package =
        |c| c.packages().by_sku_pages(&sku, version.as_deref(), ListOptions { limit, page_size })?;

    /// Every version of every package, fetched lazily.
    list packages.skus(; limit: u64, page_size: u64) -> Package =
        |c| c.packages().skus_pages(ListOptions { limit, page_size })?;

    /// Every package that has an item id, fetched lazily.
    list packages.items(; limit: u64, page_size: u64) -> Package =
        |c| c.packages().items_pages(ListOptions { limit, page_size })?;

    /// Submit a package for review: both tracks unless one is chosen.
    call packages.submit(submission_id: String; technical: bool, marketing: bool) -> Option<Package> =
        |c| c.packages().submit(&submission_id, Tracks::choose(technical, marketing)?).await?;

    /// Recall a package from review: both tracks unless one is chosen.
    call packages.recall(submission_id: String; technical: bool, marketing: bool) -> Option<Package> =
        |c| c.packages().recall(&submission_id, Tracks::choose(technical, marketing)?).await?;

    /// Take a published package off the store.
    call packages.remove(submission_id: String) -> Option<Package> = |c| c.packages().remove(&submission_id).await?;

    /// Abandon this version of a package.
    call packages.cancel(submission_id: String) -> Option<Package> = |c| c.packages().cancel(&submission_id).await?;

    /// The automated test runs of one package: give exactly one of `submission_id`, `sku`,
    /// `item_id`.
    call test_results.summary(; submission_id: String, sku: String, item_id: String) -> Vec<ToolRun> =
        |c| c.test_results().summary(&TestTarget::choose(submission_id, sku, item_id)?).await?;

    /// The detailed report of one tool run.
    call test_results.detail(
        submission_id: String,
        /// `phpcs`, `varnish`, `marketing`, ...
        tool: String,
        /// The run's `tool_run_id` (a string; an integer is accepted).
        run_id: IdText,
    ) -> TestDetail = |c| c.test_results().detail(&submission_id, &tool, &run_id.0).await?;

    /// Marketplace metrics: all, or the one called `name`, as sent.
    call reports.metrics(; name: String) -> Value = |c| c.reports().metrics(name.as_deref()).await?;

    /// Raise unless every file of a `files.wait_for_scan` report passed: a validation error
    /// (`malware-scan-failed`) naming each failed file by id, name and scan status, or a timeout
    /// error (`malware-scan-pending`) naming those still being scanned.
    function raise_for_scan_failures(
        /// The report `files.wait_for_scan` returned.
        report: Map<String, Value>,
    ) -> () = |_| crate::eqp::ScanReport::from_view(&report)?.raise_for_failures()?;

    /// Check an EQP callback's Basic credentials (constant time) and decode its envelope.
    function parse_callback(
        /// The raw request body.
        body: Blob,
        /// The request headers (`Authorization` is looked up without regard to case).
        headers: Map<String, Value>,
        /// The username registered with the callback.
        username: String,
        /// The password registered with the callback.
        password: String,
    ) -> CallbackEnvelope = |_| crate::eqp::parse_callback(&body.0, crate::eqp::authorization(&headers), &username, &password)?;

    /// Read an EQP timestamp as a UTC instant (an aware `datetime` in Python, a `Date` in Node).
    /// It reads EQP's own form (`2020-07-21 8:09:10`, in UTC), ISO 8601 and a bare date.
    function parse_timestamp(
        /// The text, as a response holds it (`created_at`, `modified_at`, ...).
        text: String,
    ) -> UtcDateTime = |_| UtcDateTime::parse(&text)?;
}

/// `fields` with `action` added, when given.
fn with_action(mut fields: Map<String, Value>, action: Option<String>) -> Map<String, Value> {
    if let Some(a) = action {
        fields.insert("action".into(), Value::String(a));
    }
    fields
}
