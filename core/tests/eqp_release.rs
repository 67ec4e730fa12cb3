//! `client.release(...)` against the simulator: a whole release, re-runs that find what earlier
//! runs did, faults (503s, a dropped connection after the create reached the server, a stalled
//! answer), a release stopped at each step and run again, failed scans, rejected reviews,
//! timeouts, dry runs and bad input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sellkit::eqp::{Client, ReleaseEvent, ReleaseEvents, ReleaseOutcome, ReleaseSpec};
use sellkit::ErrorKind;
use sellkit_simulator::{Fault, FaultAction, Simulator, SimulatorConfig, Verdict};
use serde_json::{json, Map, Value};

const CREATE: &str = "POST /rest/v1/products/packages";
const UPLOAD: &str = "POST /rest/v1/files/uploads";
const SUBMIT: &str = "PUT /rest/v1/products/packages/{submission_id}";

fn sim(review_delay: Option<Duration>) -> Simulator {
    Simulator::start(SimulatorConfig { eqp_review_delay: review_delay, eqp_scan_delay: Duration::from_millis(50), ..Default::default() }).unwrap()
}

fn client(sim: &Simulator) -> Client {
    Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build().unwrap()
}

/// A folder with a package ZIP, a user guide, an icon and a screenshot (their first bytes are
/// what each kind starts with; the rest is random, so every test has its own content).
struct Files {
    dir: PathBuf,
}

impl Files {
    fn new(zip_name: &str) -> Files {
        let dir = std::env::temp_dir().join(format!("sellkit-release-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        let noise = |n: usize| (0..n).map(|_| fastrand::u8(..)).collect::<Vec<u8>>();
        let write = |name: &str, head: &[u8], n: usize| std::fs::write(dir.join(name), [head, &noise(n)].concat()).unwrap();
        write(zip_name, b"PK\x03\x04", 200_000);
        write("guide.pdf", b"%PDF-1.4\n", 3_000);
        write("icon.png", b"\x89PNG\r\n\x1a\n", 500);
        write("shot.png", b"\x89PNG\r\n\x1a\n", 800);
        Files { dir }
    }
    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
    /// A release of everything with the fields both reviews require.
    fn spec(&self, zip: &str) -> ReleaseSpec {
        ReleaseSpec::new("acme/one-click", "1.2.0", self.path(zip))
            .with_doc(self.path("guide.pdf"))
            .with_media(self.path("icon.png"))
            .with_media(self.path("shot.png"))
            .with_package(package_fields())
            .with_poll_interval(Duration::from_millis(50))
            .with_timeout(Duration::from_secs(30))
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn package_fields() -> Map<String, Value> {
    let v = json!({
        "release_notes": "Faster checkout.",
        "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
        "name": "One Click Checkout",
        "long_description": "Checkout in one click.",
        "categories": ["//Extensions//Payments & Security//Checkout Enhancements"],
        "license_type": "mit",
        "launch_on_approval": true
    });
    v.as_object().unwrap().clone()
}

/// Records every event; `steps()` lists their steps (upload progress left out).
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<ReleaseEvent>>>);

impl Recorder {
    fn sink(&self) -> Option<ReleaseEvents> {
        let events = self.0.clone();
        Some(Arc::new(move |e: &ReleaseEvent| events.lock().unwrap().push(e.clone())))
    }
    fn steps(&self) -> Vec<&'static str> {
        let mut steps: Vec<&'static str> = self.0.lock().unwrap().iter().map(ReleaseEvent::step).collect();
        steps.dedup();
        steps
    }
}

async fn release(c: &Client, spec: ReleaseSpec) -> (sellkit::Result<ReleaseOutcome>, Recorder) {
    let rec = Recorder::default();
    let out = c.release_with_events(spec, rec.sink()).await;
    (out, rec)
}

fn writes(sim: &Simulator) -> u64 {
    sim.request_counts().iter().filter(|(route, _)| route.starts_with("POST /rest/v1/products") || route.starts_with("PUT ") || *route == UPLOAD).map(|(_, n)| n).sum()
}

#[tokio::test]
async fn a_whole_release_uploads_scans_creates_submits_waits_and_reads_the_test_results() {
    let sim = sim(Some(Duration::from_millis(300)));
    let files = Files::new("one-click.zip");
    let (out, rec) = release(&client(&sim), files.spec("one-click.zip").with_wait(true)).await;
    let out = out.unwrap();
    assert_eq!(
        rec.steps(),
        ["checking", "uploading", "uploaded", "uploading", "uploaded", "uploading", "uploaded", "uploading", "uploaded", "scanning", "creating", "submitting", "waiting_for_review", "done"]
    );
    assert!(out.created);
    assert_eq!(out.submitted, ["technical", "marketing"]);
    assert_eq!(out.files.iter().map(|f| f.role.as_str()).collect::<Vec<_>>(), ["artifact", "user", "icon", "gallery"]);
    assert!(out.files.iter().all(|f| !f.reused && f.malware_status.as_deref() == Some("pass")));
    let review = out.review.clone().unwrap();
    assert!(review.passed && out.passed());
    assert_eq!((review.technical.as_deref(), review.marketing.as_deref()), (Some("approved"), Some("approved")));
    // In the order the API lists them, which follows when each review finished: compared as a set.
    let mut tools: Vec<&str> = out.test_results.iter().filter_map(|t| t.run.name.as_deref()).collect();
    tools.sort_unstable();
    assert_eq!(tools, ["marketing", "phpcs", "varnish"]);
    assert!(out.test_results.iter().all(|t| t.detail.as_ref().is_some_and(|d| d.passed())));
    assert_eq!(sim.eqp_package_count(), 1);
    let stored = &sim.eqp_packages()[0];
    assert_eq!(stored["item_id"], json!("acme:one-click:1.2.0"));
    assert_eq!(stored["sku"], json!("acme/one-click"));
    assert_eq!(stored["eqp_status"]["overall"], json!("released_to_store"));
    assert_eq!(stored["media_artifacts"]["gallery_images"].as_array().unwrap().len(), 1);
    // Upload progress reached each file's size.
    let events = rec.0.lock().unwrap();
    let zip_total = events.iter().filter_map(|e| match e {
        ReleaseEvent::Uploading { role, sent, total, .. } if role == "artifact" => Some((*sent, *total)),
        _ => None,
    });
    let (sent, total) = zip_total.last().unwrap();
    assert_eq!(sent, total);
    assert!(total > 200_000);
}

#[tokio::test]
async fn a_second_run_finds_the_submission_and_the_uploads_and_sends_nothing_new() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    let first = c.release(files.spec("one-click.zip")).await.unwrap();
    assert!(first.created);
    let id = first.submission_id.clone().unwrap();
    let writes_before = writes(&sim);
    let (second, rec) = release(&c, files.spec("one-click.zip")).await;
    let second = second.unwrap();
    assert_eq!(second.submission_id.as_deref(), Some(id.as_str()));
    assert!(!second.created);
    assert!(second.submitted.is_empty(), "already in review: {:?}", second.actions);
    assert!(second.files.iter().all(|f| f.reused));
    assert_eq!(rec.steps(), ["checking", "found", "done"]);
    assert_eq!(writes(&sim), writes_before, "the second run wrote nothing");
    assert_eq!(sim.eqp_package_count(), 1);
}

#[tokio::test]
async fn a_rejected_review_is_data_with_the_failing_tool_messages() {
    let sim = sim(Some(Duration::from_millis(200)));
    sim.set_eqp_review_verdict(Verdict::Fail);
    let files = Files::new("one-click.zip");
    let out = client(&sim).release(files.spec("one-click.zip").with_wait(true)).await.unwrap();
    assert!(!out.passed());
    assert_eq!(out.review.as_ref().unwrap().technical.as_deref(), Some("rejected"));
    let phpcs = out.test_results.iter().find(|t| t.run.name.as_deref() == Some("phpcs")).unwrap();
    assert!(!phpcs.detail.as_ref().unwrap().passed());
    assert!(phpcs.detail.as_ref().unwrap().messages().iter().any(|m| m.contains("reserved word")), "{:?}", phpcs.detail);
}

#[tokio::test]
async fn a_failed_scan_stops_the_release_before_any_package_and_names_the_file() {
    let sim = sim(None);
    let files = Files::new("malware-sample.zip");
    let e = client(&sim).release(files.spec("malware-sample.zip")).await.unwrap_err();
    assert_eq!(e.code(), "scan-failed");
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.details()[0].field.as_deref(), Some("artifact"));
    assert!(e.message().contains("malware-sample.zip"), "{e}");
    assert_eq!(sim.eqp_package_count(), 0);
    assert_eq!(sim.request_count(CREATE), 0);
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    let cases: Vec<(ReleaseSpec, &str)> = vec![
        (ReleaseSpec::new("Acme/One", "1.0.0", files.path("one-click.zip")), "sku"),
        (ReleaseSpec::new("acme/one", "1.0", files.path("one-click.zip")), "version"),
        (ReleaseSpec::new("acme/one", "1.0.0", files.path("missing.zip")), "artifact"),
        (ReleaseSpec::new("acme/one", "1.0.0", files.path("guide.pdf")), "artifact"),
        (ReleaseSpec::new("acme/one", "1.0.0", files.path("one-click.zip")).with_doc(files.path("icon.png")), "docs[0]"),
        (ReleaseSpec::new("acme/one", "1.0.0", files.path("one-click.zip")).with_media(format!("icon={}", files.path("guide.pdf"))), "media[0]"),
        (
            ReleaseSpec::new("acme/one", "1.0.0", files.path("one-click.zip")).with_package(json!({"version": "2.0.0"}).as_object().unwrap().clone()),
            "package.version",
        ),
        (
            ReleaseSpec::new("acme/one", "1.0.0", files.path("one-click.zip")).with_package(json!({"prices": [{"price": "1.999"}]}).as_object().unwrap().clone()),
            "package.prices[0].price",
        ),
        (ReleaseSpec::new("acme/one", "1.0.0", files.path("one-click.zip")).with_timeout(Duration::ZERO), "timeout"),
    ];
    for (spec, field) in cases {
        let e = c.release(spec.with_dry_run(true)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{field}: {e}");
        assert_eq!(e.field(), Some(field), "{e}");
    }
    assert!(sim.request_counts().values().all(|n| *n == 0), "{:?}", sim.request_counts());
}

#[tokio::test]
async fn a_dry_run_plans_with_read_only_requests() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    let plan = c.release(files.spec("one-click.zip").with_dry_run(true).with_wait(true)).await.unwrap();
    assert!(plan.dry_run && plan.created && plan.submission_id.is_none());
    assert_eq!(plan.submitted, ["technical", "marketing"]);
    assert!(plan.actions[0].starts_with("upload one-click.zip (artifact"), "{:?}", plan.actions);
    assert!(plan.actions.iter().any(|a| a == "create the submission (item_id acme:one-click:1.2.0)"), "{:?}", plan.actions);
    assert_eq!(writes(&sim), 0);
    assert_eq!(sim.eqp_files().len(), 0);

    c.release(files.spec("one-click.zip")).await.unwrap();
    let again = c.release(files.spec("one-click.zip").with_dry_run(true)).await.unwrap();
    assert!(!again.created && again.submitted.is_empty());
    assert!(again.actions.iter().any(|a| a.starts_with("leave submission")), "{:?}", again.actions);
}

#[tokio::test]
async fn faults_on_every_step_are_retried_or_recovered_and_make_one_submission() {
    let sim = sim(Some(Duration::from_millis(200)));
    let files = Files::new("one-click.zip");
    // 503 once on each read the release makes, and on the submit (a PUT, safe to repeat).
    for route in [
        "GET /rest/v1/products/packages/items/{item_id}",
        "GET /rest/v1/products/packages/skus/{sku}",
        "GET /rest/v1/files/uploads",
        "GET /rest/v1/files/uploads/{file_upload_id}",
        "GET /rest/v1/products/packages/{submission_id}",
        SUBMIT,
    ] {
        sim.fail_next(route, 1, 503, None).unwrap();
    }
    // The create reaches the server, which stores the package; the connection drops before
    // the answer. The release looks the item up and continues with it.
    sim.inject(CREATE, Fault::drop_after(1)).unwrap();
    let out = client(&sim).release(files.spec("one-click.zip").with_wait(true)).await.unwrap();
    assert!(out.passed());
    assert_eq!(sim.eqp_package_count(), 1);
    assert_eq!(sim.request_count(CREATE), 1, "the create was never sent twice");
    assert!(sim.injected_faults().get("drop-after").is_some_and(|n| *n == 1));
}

#[tokio::test]
async fn a_stalled_create_answer_is_recovered_by_item_id() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = Client::builder()
        .app_id(sim.eqp_app_id())
        .app_secret(sim.eqp_app_secret())
        .base_url(sim.eqp_url())
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    sim.inject(CREATE, Fault { count: 1, action: FaultAction::Stall(Duration::from_secs(3)) }).unwrap();
    let out = c.release(files.spec("one-click.zip")).await.unwrap();
    assert!(out.actions.iter().any(|a| a.contains("found after the connection failed")), "{:?}", out.actions);
    assert_eq!(sim.eqp_package_count(), 1);
    assert_eq!(sim.request_count(CREATE), 1);
}

#[tokio::test]
async fn a_503_on_the_create_fails_the_run_and_the_next_run_completes() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    sim.fail_next(CREATE, 1, 503, None).unwrap();
    let e = c.release(files.spec("one-click.zip")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server, "{e}");
    assert_eq!(sim.eqp_package_count(), 0);
    let uploads = sim.eqp_files().len();
    let out = c.release(files.spec("one-click.zip")).await.unwrap();
    assert!(out.created && out.files.iter().all(|f| f.reused));
    assert_eq!(sim.eqp_files().len(), uploads, "no file uploaded twice");
    assert_eq!(sim.eqp_package_count(), 1);
}

/// Stop a release (its future dropped, as a killed process stops) when `step` is reported,
/// then run it again to the end: one submission, in review or reviewed, every file once.
async fn stopped_at(step: &'static str) {
    let sim = sim(Some(Duration::from_millis(200)));
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let events: ReleaseEvents = Arc::new(move |e: &ReleaseEvent| {
        if e.step() == step {
            let _ = tx.send(());
        }
    });
    let mut task = {
        let (c, spec) = (c.clone(), files.spec("one-click.zip").with_wait(true));
        tokio::spawn(async move { c.release_with_events(spec, Some(events)).await })
    };
    tokio::select! {
        _ = rx.recv() => task.abort(),
        r = &mut task => panic!("the release ended before {step}: {r:?}"),
    }
    let out = c.release(files.spec("one-click.zip").with_wait(true)).await.unwrap();
    assert!(out.passed(), "{step}: {:?}", out.actions);
    assert_eq!(sim.eqp_package_count(), 1, "{step}");
    let mut names: Vec<String> = sim.eqp_files().iter().map(|f| f["filename"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 4, "{step}");
    assert_eq!(sim.eqp_packages()[0]["eqp_status"]["overall"], json!("released_to_store"), "{step}");
}

#[tokio::test]
async fn stopped_while_uploading_then_run_again() {
    stopped_at("uploading").await;
}

#[tokio::test]
async fn stopped_after_an_upload_then_run_again() {
    stopped_at("uploaded").await;
}

#[tokio::test]
async fn stopped_while_scanning_then_run_again() {
    stopped_at("scanning").await;
}

#[tokio::test]
async fn stopped_before_the_create_then_run_again() {
    stopped_at("creating").await;
}

#[tokio::test]
async fn stopped_before_the_submit_then_run_again() {
    stopped_at("submitting").await;
}

#[tokio::test]
async fn stopped_while_waiting_for_the_review_then_run_again() {
    stopped_at("waiting_for_review").await;
}

#[tokio::test]
async fn stopped_after_the_create_reached_the_server_then_run_again() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    sim.inject(CREATE, Fault { count: 1, action: FaultAction::Stall(Duration::from_secs(5)) }).unwrap();
    let task = {
        let (c, spec) = (c.clone(), files.spec("one-click.zip"));
        tokio::spawn(async move { c.release(spec).await })
    };
    common::eventually(Duration::from_secs(10), || (sim.eqp_package_count() == 1).then_some(())).await;
    task.abort();
    let out = c.release(files.spec("one-click.zip")).await.unwrap();
    assert!(!out.created);
    assert_eq!(out.submitted, ["technical", "marketing"]);
    assert_eq!(sim.eqp_package_count(), 1);
}

#[tokio::test]
async fn waiting_past_the_timeout_is_its_own_error_and_a_later_run_picks_the_verdict_up() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    let e = c.release(files.spec("one-click.zip").with_wait(true).with_timeout(Duration::from_millis(700))).await.unwrap_err();
    assert_eq!(e.code(), "release-timeout");
    assert_eq!(e.kind(), ErrorKind::Timeout);
    let id = sim.eqp_packages()[0]["submission_id"].as_str().unwrap().to_owned();
    assert!(e.message().contains(&id), "{e}");
    assert!(sim.complete_eqp_review(&id, "technical", Verdict::Pass));
    assert!(sim.complete_eqp_review(&id, "marketing", Verdict::Fail));
    let out = c.release(files.spec("one-click.zip").with_wait(true)).await.unwrap();
    assert!(!out.passed());
    assert_eq!(out.review.unwrap().marketing.as_deref(), Some("rejected"));
    assert_eq!(sim.eqp_package_count(), 1);
}

#[tokio::test]
async fn a_rejected_submission_is_submitted_again_when_something_changed() {
    let sim = sim(Some(Duration::from_millis(100)));
    sim.set_eqp_review_verdict(Verdict::Fail);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    assert!(!c.release(files.spec("one-click.zip").with_wait(true)).await.unwrap().passed());
    sim.set_eqp_review_verdict(Verdict::Pass);
    // The same content again is not sent for another review: it would only be rejected again.
    let same = c.release(files.spec("one-click.zip").with_wait(true)).await.unwrap();
    assert!(!same.passed() && same.submitted.is_empty(), "{:?}", same.actions);
    // Fixed release notes are.
    let mut fields = package_fields();
    fields.insert("release_notes".into(), json!("Faster checkout; no reserved words."));
    let out = c.release(files.spec("one-click.zip").with_package(fields).with_wait(true)).await.unwrap();
    assert!(out.passed());
    assert!(out.actions.iter().any(|a| a.starts_with("updated submission")), "{:?}", out.actions);
    assert_eq!(out.submitted, ["technical", "marketing"]);
    assert_eq!(sim.eqp_package_count(), 1);
}

#[tokio::test]
async fn a_changed_file_with_the_same_name_and_size_is_uploaded_again() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let c = client(&sim);
    c.release(files.spec("one-click.zip").with_submit(false)).await.unwrap();
    // Same name and size, other bytes: the MD5 tells them apart.
    let zip = Path::new(&files.path("one-click.zip")).to_owned();
    let mut bytes = std::fs::read(&zip).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&zip, bytes).unwrap();
    let out = c.release(files.spec("one-click.zip")).await.unwrap();
    let artifact = out.files.iter().find(|f| f.role == "artifact").unwrap();
    assert!(!artifact.reused);
    assert_eq!(sim.eqp_files().iter().filter(|f| f["filename"] == json!("one-click.zip")).count(), 2);
    let stored = &sim.eqp_packages()[0];
    assert_eq!(stored["artifact"]["file_upload_id"], json!(artifact.file_upload_id.clone().unwrap()));
    assert_eq!(sim.eqp_package_count(), 1);
}

#[tokio::test]
async fn the_package_action_chooses_the_tracks() {
    let sim = sim(None);
    let files = Files::new("one-click.zip");
    let mut fields = package_fields();
    fields.insert("action".into(), json!({"technical": "submit"}));
    let out = client(&sim).release(files.spec("one-click.zip").with_package(fields)).await.unwrap();
    assert_eq!(out.submitted, ["technical"]);
    let status = &sim.eqp_packages()[0]["eqp_status"];
    assert_eq!((status["technical"].as_str(), status["marketing"].as_str()), (Some("in_automation"), Some("draft")));
}
