//! `sellkit eqp ...`: release, whoami, files, packages, test results, keys.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use sellkit::catalogue::{View, EQP};
use sellkit::eqp::{Client, ReleaseOutcome, ReleaseSpec, ScanWait, TestTarget, UploadSource};
use sellkit::{Error, Result};
use serde_json::{json, Map, Value};

use crate::args::{EqpArgs, EqpCommand, EqpConnection, FilesCommand, KeysCommand, PackagesCommand, ReleaseArgs, TestResultsArgs};
use crate::junit::{junit_xml, Case};
use crate::output::{at, cell, pairs, table, Ui};
use crate::progress::Progress;
use crate::{EXIT_OK, EXIT_REJECTED, EXIT_TIMEOUT};

/// The EQP client of these flags and the `SELLKIT_EQP_*` variables (flags win).
pub fn client(c: &EqpConnection) -> Result<Client> {
    let mut b = Client::builder().user_agent_suffix(concat!("sellkit-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(v) = &c.app_id {
        b = b.app_id(v);
    }
    if let Some(v) = &c.app_secret {
        b = b.app_secret(v.as_str());
    }
    if let Some(v) = &c.environment {
        b = b.environment_name(v);
    }
    if let Some(v) = &c.base_url {
        b = b.base_url(v);
    }
    b.env_defaults().build()
}

/// A number of seconds from a flag.
pub fn seconds(flag: &str, s: f64) -> Result<Duration> {
    if s.is_finite() && s > 0.0 && s <= 7.0 * 86_400.0 {
        Ok(Duration::from_secs_f64(s))
    } else {
        Err(Error::invalid_input(flag, format!("expected a number of seconds above 0 and at most a week, got {s}")))
    }
}

pub async fn run(args: EqpArgs, ui: &Ui) -> Result<i32> {
    let connection = args.connection;
    match args.command {
        EqpCommand::Release(a) => release(&connection, a, ui).await,
        EqpCommand::Whoami => whoami(&client(&connection)?, ui).await,
        EqpCommand::Files(FilesCommand::Upload { files, wait_scan, timeout }) => {
            let timeout = seconds("--timeout", timeout)?;
            upload(&client(&connection)?, files, wait_scan, timeout, ui).await
        }
        EqpCommand::Packages(PackagesCommand::List { sku }) => packages_list(&client(&connection)?, sku, ui).await,
        EqpCommand::Packages(PackagesCommand::Get { submission_id }) => packages_get(&client(&connection)?, &submission_id, ui).await,
        EqpCommand::TestResults(a) => test_results(&client(&connection)?, a, ui).await,
        EqpCommand::Keys(KeysCommand::List) => keys(&client(&connection)?, ui).await,
    }
}

/// The package JSON file's fields.
fn package_file(path: &std::path::Path) -> Result<Map<String, Value>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::invalid_input("--package", format!("cannot read {}: {e}", path.display())))?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::invalid_input("--package", format!("{} must hold a JSON object", path.display()))),
        Err(e) => Err(Error::invalid_input("--package", format!("{} is not JSON: {e}", path.display()))),
    }
}

async fn release(connection: &EqpConnection, a: ReleaseArgs, ui: &Ui) -> Result<i32> {
    // Everything local first: bad input exits 2 before any request.
    let mut spec = ReleaseSpec::new(a.sku, a.version, a.artifact)
        .with_submit(!a.no_submit)
        .with_wait(a.wait)
        .with_dry_run(a.dry_run)
        .with_timeout(seconds("--timeout", a.timeout)?)
        .with_poll_interval(seconds("--poll-interval", a.poll_interval)?);
    spec.docs = a.docs;
    spec.media = a.media;
    if let Some(p) = &a.package {
        spec.package = Some(package_file(p)?);
    }
    if a.junit.is_some() && !a.wait {
        return Err(Error::invalid_input("--junit", "the test results are read with --wait"));
    }
    let client = client(connection)?;
    let progress = Progress::new(ui);
    let outcome = client.release_with_events(spec, Some(progress.release_events())).await;
    progress.finish();
    let outcome = outcome?;
    if let Some(path) = &a.junit {
        let cases: Vec<Case<'_>> = outcome.test_results.iter().map(|t| Case { run: &t.run, detail: t.detail.as_ref() }).collect();
        let name = format!("{} {}", outcome.sku, outcome.version);
        write_junit(path, &junit_xml(&name, outcome.submission_id.as_deref().unwrap_or(""), &cases))?;
    }
    let passed = outcome.passed();
    let view = outcome.clone().into_view()?;
    ui.result(&view, || release_text(&outcome));
    Ok(if passed { EXIT_OK } else { EXIT_REJECTED })
}

fn write_junit(path: &std::path::Path, xml: &str) -> Result<()> {
    std::fs::write(path, xml).map_err(|e| Error::invalid_input("--junit", format!("cannot write {}: {e}", path.display())))
}

fn release_text(o: &ReleaseOutcome) -> String {
    let status = o.status.as_ref().map(sellkit::eqp::Model::to_view).unwrap_or(Value::Null);
    let mut out = String::new();
    let title = if o.dry_run { "Dry run: nothing was changed. The release would:" } else { "Done:" };
    out.push_str(title);
    out.push('\n');
    for a in &o.actions {
        out.push_str(&format!("  - {a}\n"));
    }
    out.push('\n');
    out.push_str(&pairs(&[
        ("sku", o.sku.clone()),
        ("version", o.version.clone()),
        ("item_id", o.item_id.clone()),
        ("submission", o.submission_id.clone().unwrap_or_else(|| "(not created yet)".into())),
        ("overall", cell(status.get("overall"))),
        ("technical", cell(status.get("technical"))),
        ("marketing", cell(status.get("marketing"))),
    ]));
    out.push_str("\n\n");
    let rows = o
        .files
        .iter()
        .map(|f| {
            vec![
                f.role.clone(),
                f.filename.clone(),
                f.size.to_string(),
                f.file_upload_id.clone().unwrap_or_else(|| "-".into()),
                f.malware_status.clone().unwrap_or_else(|| "-".into()),
                if f.reused { "reused".into() } else { String::new() },
            ]
        })
        .collect();
    out.push_str(&table(&["ROLE", "FILE", "BYTES", "UPLOAD ID", "SCAN", ""], rows));
    out.push('\n');
    if let Some(r) = &o.review {
        out.push_str(&format!(
            "\nreview: {} (technical {}, marketing {})\n",
            if r.passed { "passed" } else { "REJECTED" },
            r.technical.as_deref().unwrap_or("-"),
            r.marketing.as_deref().unwrap_or("-")
        ));
        let cases: Vec<Case<'_>> = o.test_results.iter().map(|t| Case { run: &t.run, detail: t.detail.as_ref() }).collect();
        out.push_str(&runs_text(&cases));
    }
    out
}

/// The tool runs as a table, then what the failing ones said.
fn runs_text(cases: &[Case<'_>]) -> String {
    if cases.is_empty() {
        return "no test results yet\n".into();
    }
    let rows = cases
        .iter()
        .map(|c| {
            let status = c.run.status.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default();
            vec![
                c.run.name.clone().unwrap_or_default(),
                c.run.tool_run_id.clone().unwrap_or_default(),
                status.to_ascii_uppercase(),
                c.run.date.as_ref().map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let mut out = table(&["TOOL", "RUN", "STATUS", "DATE"], rows);
    out.push('\n');
    for c in cases.iter().filter(|c| !c.run.passed()) {
        let messages = c.detail.map(|d| d.messages()).unwrap_or_default();
        if !messages.is_empty() {
            out.push_str(&format!("\n{} said:\n", c.run.name.as_deref().unwrap_or("the tool")));
            for m in messages {
                for line in m.lines() {
                    out.push_str(&format!("  {line}\n"));
                }
            }
        }
    }
    out
}

async fn whoami(client: &Client, ui: &Ui) -> Result<i32> {
    let profile = EQP.call_json(client, "users.get", json!({"style": "summary"})).await?;
    let sellkit::catalogue::Out::Json(mut profile) = profile else { return Ok(EXIT_OK) };
    if let Some(o) = profile.as_object_mut() {
        o.insert("environment".into(), json!(client.environment().as_str()));
        o.insert("base_url".into(), json!(client.base_url()));
    }
    let name = format!("{} {}", cell(profile.get("first_name")), cell(profile.get("last_name")));
    ui.result(&profile, || {
        pairs(&[
            ("mage_id", cell(profile.get("mage_id"))),
            ("name", name),
            ("screen_name", cell(profile.get("screen_name"))),
            ("email", cell(profile.get("email"))),
            ("environment", client.environment().as_str().to_owned()),
            ("base_url", client.base_url().to_owned()),
        ])
    });
    Ok(EXIT_OK)
}

async fn upload(client: &Client, files: Vec<std::path::PathBuf>, wait_scan: bool, timeout: Duration, ui: &Ui) -> Result<i32> {
    // Checked before the first upload, so that a typo sends nothing.
    for (i, f) in files.iter().enumerate() {
        if !f.is_file() {
            return Err(Error::invalid_input(format!("FILE[{i}]"), format!("{} is not a file", f.display())));
        }
    }
    let progress = Progress::new(ui);
    let mut records = Vec::new();
    for f in &files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let p = progress.clone();
        let shown = name.clone();
        let callback: sellkit::eqp::Progress = Arc::new(move |sent, total| p.bytes(&shown, sent, total));
        let mut r = client.files().upload(vec![UploadSource::path(f)], Some(callback)).await?;
        records.append(&mut r);
    }
    let mut code = EXIT_OK;
    if wait_scan {
        let ids: Vec<String> = records.iter().filter_map(|r| r.file_upload_id.clone()).collect();
        progress.step("waiting for the malware scans");
        let report = client.files().wait_for_scan(&ids, ScanWait::default().with(Some(timeout), None)).await?;
        for r in report.passed.iter().chain(&report.failed) {
            if let Some(x) = records.iter_mut().find(|x| x.file_upload_id == r.file_upload_id) {
                *x = r.clone();
            }
        }
        if !report.failed.is_empty() {
            code = EXIT_REJECTED;
        } else if !report.timed_out.is_empty() {
            code = EXIT_TIMEOUT;
        }
    }
    progress.finish();
    let view: Vec<Value> = records.iter().map(sellkit::eqp::Model::to_view).collect();
    let view = Value::Array(view);
    ui.result(&view, || {
        let rows = view
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| vec![cell(r.get("filename")), cell(r.get("file_upload_id")), cell(r.get("size")), cell(r.get("malware_status"))])
            .collect();
        table(&["FILE", "UPLOAD ID", "BYTES", "SCAN"], rows)
    });
    if code == EXIT_REJECTED {
        ui.note("sellkit: a malware scan refused a file");
    } else if code == EXIT_TIMEOUT {
        ui.note("sellkit: waited past --timeout for the malware scans");
    }
    Ok(code)
}

async fn packages_list(client: &Client, sku: Option<String>, ui: &Ui) -> Result<i32> {
    let pages = match &sku {
        Some(s) => EQP.list_json(client, "packages.by_sku", json!({"sku": s}))?,
        None => EQP.list_json(client, "packages.list", json!({}))?,
    };
    let mut items = Vec::new();
    let mut stream = std::pin::pin!(pages.into_stream());
    while let Some(item) = stream.next().await {
        items.push(item?);
    }
    let view = Value::Array(items);
    ui.result(&view, || {
        let rows = view
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                ["submission_id", "sku", "version", "eqp_status.overall", "eqp_status.technical", "eqp_status.marketing", "modified_at"]
                    .iter()
                    .map(|k| cell(at(p, k)))
                    .collect()
            })
            .collect();
        table(&["SUBMISSION", "SKU", "VERSION", "OVERALL", "TECHNICAL", "MARKETING", "MODIFIED"], rows)
    });
    Ok(EXIT_OK)
}

async fn packages_get(client: &Client, id: &str, ui: &Ui) -> Result<i32> {
    let sellkit::catalogue::Out::Json(p) = EQP.call_json(client, "packages.get", json!({"submission_id": id})).await? else {
        return Ok(EXIT_OK);
    };
    ui.result(&p, || {
        let mut rows: Vec<(&str, String)> = [
            "submission_id",
            "item_id",
            "sku",
            "version",
            "name",
            "type",
            "eqp_status.overall",
            "eqp_status.technical",
            "eqp_status.marketing",
            "artifact.filename",
            "artifact.malware_status",
            "created_at",
            "modified_at",
        ]
        .iter()
        .map(|k| (*k, at(&p, k).map(|v| cell(Some(v))).unwrap_or_default()))
        .collect();
        rows.retain(|(_, v)| !v.is_empty());
        pairs(&rows)
    });
    Ok(EXIT_OK)
}

async fn test_results(client: &Client, a: TestResultsArgs, ui: &Ui) -> Result<i32> {
    let id = a.submission_id;
    let runs = client.test_results().summary(&TestTarget::SubmissionId(id.clone())).await?;
    let mut details = Vec::new();
    for run in &runs {
        let detail = match (run.name.as_deref(), run.tool_run_id.as_deref()) {
            (Some(tool), Some(run_id)) if tool != "phpcpd" => match client.test_results().detail(&id, tool, run_id).await {
                Ok(d) => Some(d),
                Err(e) if e.kind() == sellkit::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        details.push(detail);
    }
    let cases: Vec<Case<'_>> = runs.iter().zip(&details).map(|(run, detail)| Case { run, detail: detail.as_ref() }).collect();
    if let Some(path) = &a.junit {
        write_junit(path, &junit_xml(&id, &id, &cases))?;
    }
    let view: Vec<Value> = cases
        .iter()
        .map(|c| {
            let mut v = sellkit::eqp::Model::to_view(c.run);
            if let Some(o) = v.as_object_mut() {
                o.insert("detail".into(), c.detail.map(sellkit::eqp::Model::to_view).unwrap_or(Value::Null));
            }
            v
        })
        .collect();
    ui.result(&Value::Array(view), || runs_text(&cases));
    let failed = runs.iter().any(|r| r.status.as_ref().is_some_and(|s| s.failed() || s.is_error()));
    Ok(if failed { EXIT_REJECTED } else { EXIT_OK })
}

async fn keys(client: &Client, ui: &Ui) -> Result<i32> {
    let sellkit::catalogue::Out::Json(keys) = EQP.call_json(client, "users.keys.list", json!({})).await? else { return Ok(EXIT_OK) };
    ui.result(&keys, || {
        let mut rows = Vec::new();
        for k in keys.get("m2").and_then(Value::as_array).into_iter().flatten() {
            let enabled = if k.get("is_enabled") == Some(&json!(true)) { "yes" } else { "no" };
            rows.push(vec!["m2".into(), cell(k.get("label")), enabled.into(), cell(k.get("uid")), cell(k.get("user_key"))]);
        }
        for k in keys.get("m1").and_then(Value::as_array).into_iter().flatten() {
            rows.push(vec!["m1".into(), cell(k.get("product_name")), "-".into(), "-".into(), "-".into()]);
        }
        table(&["TYPE", "LABEL", "ENABLED", "UID", "USER KEY"], rows)
    });
    Ok(EXIT_OK)
}
