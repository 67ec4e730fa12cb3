//! The `sellkit` command as a real process against the simulator: a whole release and its
//! re-run, a failed scan, a rejected review, bad input (nothing sent: the simulator's request
//! counters stay at zero), each exit code, `--json`, the JUnit file, the other commands, and the
//! progress bars in a real pseudo-terminal.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use quick_xml::events::Event;
use sellkit_simulator::{Simulator, SimulatorConfig, Verdict};
use serde_json::{json, Value};

const SKU: &str = "acme/one-click";
/// The program cargo built for these tests.
const BIN: &str = env!("CARGO_BIN_EXE_sellkit");

fn sim() -> Simulator {
    Simulator::start(SimulatorConfig {
        eqp_scan_delay: Duration::from_millis(50),
        eqp_review_delay: Some(Duration::from_millis(300)),
        ..Default::default()
    })
    .unwrap()
}

/// `sellkit` with nothing from this process's environment but the variables that point it at
/// `sim` (so a developer's own SELLKIT_* never leak into a test).
fn sellkit(sim: &Simulator) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("SELLKIT_EQP_BASE_URL", sim.eqp_url())
        .env("SELLKIT_EQP_APP_ID", sim.eqp_app_id())
        .env("SELLKIT_EQP_APP_SECRET", sim.eqp_app_secret())
        .env("SELLKIT_MP_BASE_URL", sim.marktplaats_url("marktplaats"))
        .env("SELLKIT_MP_CLIENT_ID", sim.mp_client_id())
        .env("SELLKIT_MP_CLIENT_SECRET", sim.mp_client_secret())
        .timeout(Duration::from_secs(120));
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }
}

fn run(mut c: Command, args: &[&str]) -> Run {
    let out = c.args(args).output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    // Whatever the command, the secrets it was given never come out.
    for secret in [sellkit_simulator::EQP_APP_SECRET, sellkit_simulator::MP_CLIENT_SECRET] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "a secret was printed:\n{}\n{}", run.stdout, run.stderr);
    }
    run
}

/// A folder with a package ZIP, a user guide, an icon and the package fields (random content,
/// so every test has its own files).
struct Files {
    dir: PathBuf,
}

impl Files {
    fn new(artifact_bytes: usize) -> Files {
        let dir = std::env::temp_dir().join(format!("sellkit-cli-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        let noise = |n: usize| (0..n).map(|_| fastrand::u8(..)).collect::<Vec<u8>>();
        let write = |name: &str, head: &[u8], n: usize| std::fs::write(dir.join(name), [head, &noise(n)].concat()).unwrap();
        write("ext.zip", b"PK\x03\x04", artifact_bytes);
        write("guide.pdf", b"%PDF-1.4\n", 3_000);
        write("icon.png", b"\x89PNG\r\n\x1a\n", 500);
        let fields = json!({
            "release_notes": "Faster checkout.",
            "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
            "name": "One Click Checkout",
            "long_description": "Checkout in one click.",
            "categories": ["//Extensions//Payments & Security//Checkout Enhancements"],
            "license_type": "mit",
            "launch_on_approval": true
        });
        std::fs::write(dir.join("package.json"), fields.to_string()).unwrap();
        Files { dir }
    }
    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
    /// `eqp release` of everything, version `version`, then `more`.
    fn release(&self, version: &str, more: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = ["eqp", "release", "--sku", SKU, "--version", version].iter().map(|s| s.to_string()).collect();
        for (flag, file) in [("--artifact", "ext.zip"), ("--docs", "guide.pdf"), ("--media", "icon.png"), ("--package", "package.json")] {
            a.push(flag.into());
            a.push(self.path(file));
        }
        a.extend(["--poll-interval".to_string(), "0.05".to_string()]);
        a.extend(more.iter().map(|s| s.to_string()));
        a
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn total_requests(sim: &Simulator) -> u64 {
    sim.request_counts().values().sum()
}

/// An element of a parsed XML document.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map(String::as_str).unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }
}

/// Parse an XML file strictly (a malformed file fails the test) into its root element.
fn parse_xml(path: &Path) -> Element {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("<?xml"), "{text}");
    let mut reader = quick_xml::Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    let open = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), a.unescape_value().unwrap().into_owned())
            })
            .collect(),
        ..Default::default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(open(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.decode().unwrap()),
            Event::CData(t) => stack.last_mut().unwrap().text.push_str(std::str::from_utf8(&t).unwrap()),
            Event::Eof => break,
            _ => {}
        }
    }
    let mut doc = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().unwrap()
}

/// The JUnit structure CI systems read: `<testsuites>` / `<testsuite>` / `<testcase>`, the
/// counts matching the cases. Returns the suite.
fn check_junit(path: &Path) -> Element {
    let root = parse_xml(path);
    assert_eq!(root.name, "testsuites");
    let mut suites = root.children.into_iter().filter(|c| c.name == "testsuite");
    let suite = suites.next().expect("a testsuite");
    assert!(suites.next().is_none(), "one testsuite");
    let cases = suite.all("testcase");
    assert_eq!(suite.attr("tests").parse::<usize>().unwrap(), cases.len());
    let failing = cases.iter().filter(|c| !c.all("failure").is_empty()).count();
    assert_eq!(suite.attr("failures").parse::<usize>().unwrap(), failing);
    for c in &cases {
        assert!(c.attr("name").contains("(run "), "{c:?}");
        assert!(c.attr("classname").starts_with("eqp."), "{c:?}");
    }
    suite
}

#[test]
fn a_release_then_a_rerun_that_finds_it_and_creates_nothing() {
    let sim = sim();
    let files = Files::new(50_000);
    let junit = files.dir.join("results.xml");
    let args = files.release("1.2.0", &["--wait", "--junit", junit.to_str().unwrap()]);
    let r = run(sellkit(&sim), &strs(&args));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("Done:"), "{}", r.stdout);
    assert!(r.stdout.contains("review: passed"), "{}", r.stdout);
    for step in ["uploading ext.zip", "waiting for the malware scan", "creating the submission", "submitting", "waiting for the review"] {
        assert!(r.stderr.contains(step), "no {step:?} on stderr:\n{}", r.stderr);
    }
    // stderr is a pipe here: plain lines, no terminal drawing.
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    assert_eq!(sim.eqp_package_count(), 1);
    let suite = check_junit(&junit);
    assert!(!suite.all("testcase").is_empty());
    assert_eq!(suite.attr("failures"), "0");
    let uploads = sim.request_count("POST /rest/v1/files/uploads");

    // The same release again: it finds the submission and the uploads, sends no file and
    // creates nothing; `--json` is one document on stdout.
    let again = run(sellkit(&sim), &strs(&files.release("1.2.0", &["--json", "--wait"])));
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    let doc = again.json();
    assert_eq!(doc["sku"], SKU);
    assert_eq!(doc["version"], "1.2.0");
    assert_eq!(doc["created"], false);
    assert_eq!(doc["passed"], true);
    assert!(doc["files"].as_array().unwrap().iter().all(|f| f["reused"] == true), "{doc:#}");
    let first_id = r.stdout.lines().find(|l| l.starts_with("submission")).unwrap().split_whitespace().last().unwrap();
    assert_eq!(doc["submission_id"], first_id);
    assert_eq!(sim.eqp_package_count(), 1);
    assert_eq!(sim.request_count("POST /rest/v1/files/uploads"), uploads);
    assert_eq!(sim.request_count("POST /rest/v1/products/packages"), 1);

    // And as `packages list` / `packages get` show it.
    let list = run(sellkit(&sim), &["eqp", "packages", "list", "--sku", SKU, "--json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let get = run(sellkit(&sim), &["eqp", "packages", "get", first_id]);
    assert_eq!(get.code, 0, "{}", get.stderr);
    assert!(get.stdout.contains(first_id) && get.stdout.contains("1.2.0"), "{}", get.stdout);
    // The test results on their own, as a table, JSON and JUnit.
    let xml = files.dir.join("again.xml");
    let tr = run(sellkit(&sim), &["eqp", "test-results", first_id, "--junit", xml.to_str().unwrap()]);
    assert_eq!(tr.code, 0, "{}\n{}", tr.stdout, tr.stderr);
    assert!(tr.stdout.starts_with("TOOL"), "{}", tr.stdout);
    check_junit(&xml);
}

#[test]
fn a_failed_malware_scan_exits_7_and_creates_no_submission() {
    let sim = sim();
    sim.set_eqp_scan_verdict(Verdict::Fail);
    let files = Files::new(10_000);
    let r = run(sellkit(&sim), &strs(&files.release("1.0.0", &["--json"])));
    assert_eq!(r.code, 7, "{}\n{}", r.stdout, r.stderr);
    let doc = r.json();
    assert_eq!(doc["error"]["exit_code"], 7);
    assert!(r.stderr.contains("sellkit: error:"), "{}", r.stderr);
    assert_eq!(sim.eqp_package_count(), 0);
}

#[test]
fn a_rejected_review_exits_7_with_the_tools_messages_in_junit() {
    let sim = sim();
    sim.set_eqp_review_verdict(Verdict::Fail);
    let files = Files::new(10_000);
    let junit = files.dir.join("results.xml");
    let r = run(sellkit(&sim), &strs(&files.release("1.0.1", &["--wait", "--junit", junit.to_str().unwrap()])));
    assert_eq!(r.code, 7, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("review: REJECTED"), "{}", r.stdout);
    let suite = check_junit(&junit);
    let failures: Vec<&Element> = suite.all("testcase").into_iter().flat_map(|c| c.all("failure")).collect();
    assert!(!failures.is_empty(), "{suite:?}");
    // The failure carries what the tool said (its message lines), not just "fail".
    for f in &failures {
        assert!(!f.attr("message").is_empty());
        assert!(f.text.lines().count() >= 1 && !f.text.trim().ends_with(": fail"), "{f:?}");
    }
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let sim = sim();
    let files = Files::new(1_000);
    let zip = files.path("ext.zip");
    let pdf = files.path("guide.pdf");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["eqp", "release", "--sku", "NotASku", "--version", "1.0.0", "--artifact", &zip], "sku"),
        (vec!["eqp", "release", "--sku", SKU, "--version", "one", "--artifact", &zip], "version"),
        (vec!["eqp", "release", "--sku", SKU, "--version", "1.0.0", "--artifact", "/nonexistent/ext.zip"], "artifact"),
        // A PDF is not a package ZIP.
        (vec!["eqp", "release", "--sku", SKU, "--version", "1.0.0", "--artifact", &pdf], "artifact"),
        (vec!["eqp", "release", "--sku", SKU, "--version", "1.0.0", "--artifact", &zip, "--timeout", "0"], "--timeout"),
        (vec!["eqp", "release", "--sku", SKU, "--version", "1.0.0", "--artifact", &zip, "--junit", "x.xml"], "--junit"),
        (vec!["eqp", "release", "--sku", SKU, "--version", "1.0.0", "--artifact", &zip, "--package", &pdf], "--package"),
        (vec!["eqp", "release", "--sku", SKU, "--artifact", &zip], "--version"),
        (vec!["eqp", "release", "--sku", SKU, "--version", "1.0.0", "--artifact", &zip, "--no-such-flag"], "--no-such-flag"),
        (vec!["eqp", "files", "upload", "/nonexistent/a.zip"], "FILE[0]"),
        (vec!["mp", "ads", "patch", "m1", "--set", "nothing"], "--set[0]"),
        (vec!["request", "eqp", "POST", "/rest/v1/products/packages", "--data", "{not json"], "--data"),
        (vec!["eqp", "whoami", "--environment", "staging"], "environment"),
    ];
    for (args, field) in cases {
        let r = run(sellkit(&sim), &args);
        assert_eq!(r.code, 2, "{args:?}:\n{}\n{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(field), "{args:?}: the error does not name {field}:\n{}", r.stderr);
        assert_eq!(total_requests(&sim), 0, "{args:?} sent requests: {:?}", sim.request_counts());
    }
    // With --json a usage error is a JSON document on stdout too.
    let r = run(sellkit(&sim), &["--json", "eqp", "release", "--sku", SKU]);
    assert_eq!(r.code, 2);
    assert_eq!(r.json()["error"]["exit_code"], 2);
    // With --json the error is the document on stdout too.
    let r = run(sellkit(&sim), &["--json", "eqp", "release", "--sku", "NotASku", "--version", "1.0.0", "--artifact", &zip]);
    assert_eq!(r.code, 2);
    assert_eq!(r.json()["error"]["field"], "sku");
    assert_eq!(total_requests(&sim), 0);
}

#[test]
fn a_dry_run_changes_nothing() {
    let sim = sim();
    let files = Files::new(10_000);
    let r = run(sellkit(&sim), &strs(&files.release("2.0.0", &["--dry-run", "--json"])));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let doc = r.json();
    assert_eq!(doc["dry_run"], true);
    assert!(!doc["actions"].as_array().unwrap().is_empty());
    assert_eq!(sim.eqp_package_count(), 0);
    assert!(sim.request_counts().keys().all(|route| route.starts_with("GET ") || route.contains("/session/token")), "{:?}", sim.request_counts());
}

#[test]
fn exit_codes_of_the_failures() {
    let sim = sim();
    // 3: the secret is refused.
    let r = run(sellkit(&sim), &["eqp", "whoami", "--app-secret", "not-the-secret"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stderr.contains("not-the-secret"), "{}", r.stderr);
    // 4: no such submission.
    let r = run(sellkit(&sim), &["eqp", "packages", "get", "nonexistent-submission"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    // 5: rate limited on every try.
    sim.fail_next("GET /rest/v1/users/{mage_id}", 20, 429, Some("0")).unwrap();
    let r = run(sellkit(&sim), &["eqp", "whoami"]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    sim.clear_faults();
    // 6: the server fails on every try.
    sim.fail_next("GET /rest/v1/users/{mage_id}", 20, 503, Some("0")).unwrap();
    let r = run(sellkit(&sim), &["eqp", "whoami"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    sim.clear_faults();
    // 6: nobody listens.
    let r = run(sellkit(&sim), &["eqp", "whoami", "--base-url", "http://127.0.0.1:9"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    // 8: the review does not end before --timeout.
    sim.set_eqp_review_delay(None);
    let files = Files::new(5_000);
    let r = run(sellkit(&sim), &strs(&files.release("3.0.0", &["--wait", "--timeout", "2"])));
    assert_eq!(r.code, 8, "{}\n{}", r.stdout, r.stderr);
    // 0 and the help texts: every command has one, with the exit codes at the top.
    let r = run(sellkit(&sim), &["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("8  waited past --timeout") && r.stdout.contains("SELLKIT_EQP_APP_SECRET"), "{}", r.stdout);
    let r = run(sellkit(&sim), &["eqp", "release", "--help"]);
    assert_eq!(r.code, 0);
    for flag in ["--sku", "--version", "--artifact", "--docs", "--media", "--package", "--no-submit", "--wait", "--timeout", "--junit", "--dry-run", "--json"] {
        assert!(r.stdout.contains(flag), "{flag} missing from the help:\n{}", r.stdout);
    }
}

#[test]
fn whoami_keys_files_and_raw_requests() {
    let sim = sim();
    let r = run(sellkit(&sim), &["eqp", "whoami", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["mage_id"], sim.eqp_mage_id());
    let r = run(sellkit(&sim), &["eqp", "whoami"]);
    assert!(r.stdout.contains(sim.eqp_mage_id()), "{}", r.stdout);

    let r = run(sellkit(&sim), &["eqp", "keys", "list", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Composer passwords are masked wherever they are.
    assert!(!r.stdout.contains("password_key\": \"") || r.stdout.contains("\"***\""), "{}", r.stdout);

    let files = Files::new(2_000);
    let r = run(sellkit(&sim), &["eqp", "files", "upload", &files.path("ext.zip"), &files.path("icon.png"), "--wait-scan", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let uploaded = r.json();
    assert_eq!(uploaded.as_array().unwrap().len(), 2);
    assert!(uploaded.as_array().unwrap().iter().all(|f| f["malware_status"] == "pass"), "{uploaded:#}");
    sim.set_eqp_scan_verdict(Verdict::Fail);
    let r = run(sellkit(&sim), &["eqp", "files", "upload", &files.path("guide.pdf"), "--wait-scan"]);
    assert_eq!(r.code, 7, "{}\n{}", r.stdout, r.stderr);

    let r = run(sellkit(&sim), &["request", "eqp", "GET", "/rest/v1/files/uploads"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str::<Value>(&r.stdout).unwrap();
}

/// A refresh token of the simulator's demo seller (the authorization-code flow, approved by
/// the simulator in place of a browser).
fn mp_refresh_token(sim: &Simulator) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let redirect = "http://127.0.0.1/callback";
        let client = sellkit::marktplaats::Client::builder()
            .base_url(sim.marktplaats_url("marktplaats"))
            .client_id(sim.mp_client_id())
            .client_secret(sim.mp_client_secret())
            .build()
            .unwrap();
        let (url, _) = client.authorization_url(redirect, None, None).unwrap();
        let (code, _) = sim.mp_approve(&url).unwrap();
        let set = client.exchange_code(&code, redirect).await.unwrap();
        set.refresh_token.unwrap().expose().to_owned()
    })
}

#[test]
fn marktplaats_ads_and_webhooks() {
    let sim = sim();
    let token = mp_refresh_token(&sim);
    let ids = sim.mp_seed_own_ads("marktplaats", 3, "Lamp").unwrap();
    let mp = |args: &[&str]| {
        let mut c = sellkit(&sim);
        c.env("SELLKIT_MP_REFRESH_TOKEN", &token);
        let r = run(c, args);
        assert!(!r.stdout.contains(&token) && !r.stderr.contains(&token), "the refresh token was printed");
        r
    };
    let r = mp(&["mp", "whoami", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["userId"], sim.mp_user_id());

    let r = mp(&["mp", "ads", "list", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed: Vec<String> = r.json().as_array().unwrap().iter().map(|a| a["itemId"].as_str().unwrap().to_owned()).collect();
    for id in &ids {
        assert!(listed.contains(id), "{id} not in {listed:?}");
    }
    let r = mp(&["mp", "ads", "list"]);
    assert!(r.stdout.starts_with("ITEM") && r.stdout.contains(&ids[0]), "{}", r.stdout);

    let r = mp(&["mp", "ads", "patch", &ids[0], "--set", "title=Lamp, red", "--set", "priceModel.askingPrice=1500", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ad = sim.mp_ad("marktplaats", &ids[0]).unwrap();
    assert_eq!(ad["title"], "Lamp, red");
    assert_eq!(ad["priceModel"]["askingPrice"], 1500);
    let r = mp(&["mp", "ads", "get", &ids[0]]);
    assert!(r.stdout.contains("Lamp, red"), "{}", r.stdout);

    assert!(sim.mp_set_ad_expiry("marktplaats", &ids[1], 2));
    let r = mp(&["mp", "ads", "renew", &ids[1], "--json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);

    let r = mp(&["mp", "ads", "get", "m999999999"]);
    assert_eq!(r.code, 4, "{}", r.stderr);

    // A webhook's signature, with the body on stdin.
    let body = br#"{"eventType":"AD_CHANGED","eventData":{"itemId":"m1"}}"#;
    let signature = sellkit::marktplaats::sign_webhook(body, "hook-secret");
    let mut c = sellkit(&sim);
    c.write_stdin(body.to_vec());
    let r = run(c, &["mp", "webhook", "verify", "--secret", "hook-secret", "--signature", &signature, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json(), json!({"valid": true}));
    let mut c = sellkit(&sim);
    c.write_stdin(body.to_vec());
    let r = run(c, &["mp", "webhook", "verify", "--secret", "another-secret", "--signature", &signature]);
    assert_eq!(r.code, 7, "{}", r.stdout);
}

/// `sellkit simulator` serves until killed; what it prints points the other commands at it.
#[test]
fn the_simulator_command_serves_both_apis() {
    let bin = BIN;
    let mut child = std::process::Command::new(bin)
        .args(["simulator", "--json"])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let mut env: Vec<(String, String)> = info["env"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
    env.sort();
    let with_env = |args: &[&str]| {
        let mut c = Command::new(BIN);
        c.env_clear().envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str()))).timeout(Duration::from_secs(60));
        let out = c.args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let eqp = with_env(&["eqp", "whoami", "--json"]);
    let mp = with_env(&["mp", "whoami", "--json"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(eqp.0, Some(0), "{}", eqp.1);
    assert_eq!(serde_json::from_str::<Value>(&eqp.1).unwrap()["mage_id"], info["eqp_mage_id"]);
    assert_eq!(mp.0, Some(0), "{}", mp.1);
    assert_eq!(serde_json::from_str::<Value>(&mp.1).unwrap()["userId"], info["mp_user_id"]);
}

/// On a terminal the uploads are drawn as bars (terminal control sequences and byte counts);
/// the same release piped shows none (see the first test).
#[test]
fn progress_bars_in_a_real_terminal() {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    let sim = sim();
    // Slow enough to be drawn: 3 MB and a few hundred ms of scanning.
    sim.set_eqp_scan_delay(Duration::from_millis(600));
    let files = Files::new(3_000_000);
    let pair = native_pty_system().openpty(PtySize { rows: 40, cols: 140, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("SELLKIT_EQP_BASE_URL", sim.eqp_url());
    cmd.env("SELLKIT_EQP_APP_ID", sim.eqp_app_id());
    cmd.env("SELLKIT_EQP_APP_SECRET", sim.eqp_app_secret());
    for a in files.release("1.5.0", &[]) {
        cmd.arg(a);
    }
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let collector = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        // The master reads until the child's side closes (EIO on Linux).
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&all).into_owned()
    });
    let status = child.wait().unwrap();
    drop(pair.master);
    let screen = collector.join().unwrap();
    assert!(status.success(), "{screen}");
    assert!(screen.contains('\u{1b}'), "no terminal drawing:\n{screen}");
    assert!(screen.contains("MiB"), "no byte counts of the upload bar:\n{screen}");
    assert!(screen.contains("ext.zip") && screen.contains("Done:"), "{screen}");
    assert!(!screen.contains(sellkit_simulator::EQP_APP_SECRET));
}
