//! Runs `tests/wiremock/scenarios.json` and `tests/wiremock/malformed.json` against WireMock, an
//! HTTP server that shares no code with sellkit, and reads its request journal to check what was
//! sent. The Python and Node suites run the same files. Needs `java` and the jar that
//! `npm install` puts in `node_modules/wiremock/build/`: without them the test fails.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// One WireMock process on a free loopback port, killed on drop.
struct WireMock {
    child: Child,
    url: String,
    http: reqwest::Client,
    _root: PathBuf,
}

impl WireMock {
    async fn start() -> WireMock {
        let dir = PathBuf::from(ROOT).join("node_modules/wiremock/build");
        let jar = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}; run `npm install` at the repository root", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("wiremock-standalone-") && n.ends_with(".jar")))
            .unwrap_or_else(|| panic!("no wiremock-standalone jar in {}; run `npm install`", dir.display()));
        let root = std::env::temp_dir().join(format!("sellkit-wiremock-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let mut child = Command::new("java")
            .arg("-jar")
            .arg(&jar)
            .args(["--port", "0", "--bind-address", "127.0.0.1", "--disable-banner", "--root-dir"])
            .arg(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("could not run java (needed for WireMock): {e}"));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = loop {
            let line = lines.next().expect("WireMock exited before printing its port").unwrap();
            if let Some(p) = line.trim().strip_prefix("port:") {
                break p.trim().parse::<u16>().unwrap();
            }
        };
        // Keep draining its output so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let wm = WireMock { child, url: format!("http://127.0.0.1:{port}"), http, _root: root };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ok = wm.http.get(format!("{}/__admin/health", wm.url)).send().await.is_ok_and(|r| r.status().is_success());
            if ok {
                break;
            }
            assert!(Instant::now() < deadline, "WireMock did not answer /__admin/health within 60 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wm
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Value {
        let mut req = self.http.request(method, format!("{}/__admin{path}", self.url));
        if let Some(b) = body {
            req = req.header("Content-Type", "application/json").body(serde_json::to_vec(b).unwrap());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let bytes = resp.bytes().await.unwrap();
        assert!(status.is_success(), "WireMock admin {path}: {status} {}", String::from_utf8_lossy(&bytes));
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }
}

impl Drop for WireMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._root);
    }
}

/// `{"repeat": s, "times": n}` bodies become `s` repeated `n` times.
fn expand(mut stub: Value) -> Value {
    if let Some(body) = stub.pointer_mut("/response/body") {
        if let (Some(s), Some(n)) = (body.get("repeat").and_then(Value::as_str), body.get("times").and_then(Value::as_u64)) {
            *body = Value::String(s.repeat(n as usize));
        }
    }
    stub
}

fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e.iter().all(|(k, v)| a.get(k).is_some_and(|av| contains(av, v))),
        _ => actual == expected,
    }
}

fn error_fields(e: &sellkit::Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "code": e.code(),
        "status": e.status(),
        "retry_after": e.retry_after().map(|d| d.as_secs()),
        "outcome_unknown": e.outcome_unknown(),
    })
}

fn header<'a>(req: &'a Value, name: &str) -> Option<&'a str> {
    req["headers"].as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
}

enum Api {
    Eqp(sellkit::eqp::Client),
    Marktplaats(sellkit::marktplaats::Client),
}

fn client(file: &Value, case: &Value, url: &str) -> Api {
    let settings = &case["client"];
    let timeout = settings["timeout_ms"].as_u64().map(Duration::from_millis);
    let retries = settings["max_retries"].as_u64().map(|n| n as u32);
    let cap = settings["max_response_bytes"].as_u64().map(|n| n as usize);
    match case["api"].as_str().unwrap() {
        "eqp" => {
            let c = &file["clients"]["eqp"];
            let mut b = sellkit::eqp::Client::builder()
                .app_id(c["app_id"].as_str().unwrap())
                .app_secret(c["app_secret"].as_str().unwrap())
                .base_url(url);
            if let Some(t) = timeout {
                b = b.timeout(t);
            }
            if let Some(n) = retries {
                b = b.max_retries(n);
            }
            if let Some(n) = cap {
                b = b.max_response_bytes(n);
            }
            Api::Eqp(b.build().unwrap())
        }
        "marktplaats" => {
            let c = &file["clients"]["marktplaats"];
            let mut b = sellkit::marktplaats::Client::builder().access_token(c["access_token"].as_str().unwrap()).base_url(url);
            if let Some(t) = timeout {
                b = b.timeout(t);
            }
            if let Some(n) = retries {
                b = b.max_retries(n);
            }
            if let Some(n) = cap {
                b = b.max_response_bytes(n);
            }
            Api::Marktplaats(b.build().unwrap())
        }
        other => panic!("unknown api {other}"),
    }
}

/// Run one case; the problems found, empty when it passed.
async fn run_case(wm: &WireMock, file: &Value, case: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap();
    let api = case["api"].as_str().unwrap();
    let mut problems = Vec::new();
    wm.admin(reqwest::Method::POST, "/reset", None).await;
    let stubs = file["common_stubs"][api].as_array().unwrap().iter().chain(case["stubs"].as_array().unwrap());
    for stub in stubs {
        wm.admin(reqwest::Method::POST, "/mappings", Some(&expand(stub.clone()))).await;
    }
    let client = client(file, case, &wm.url);
    let (op, args) = (case["call"]["op"].as_str().unwrap(), case["call"]["args"].clone());
    let started = Instant::now();
    let outcome = match &client {
        Api::Eqp(c) => sellkit::catalogue::EQP.call_json(c, op, args).await,
        Api::Marktplaats(c) => sellkit::catalogue::MARKTPLAATS.call_json(c, op, args).await,
    }
    .map(|out| out.into_json().unwrap_or(Value::Null));
    let elapsed = started.elapsed();
    let expect = &case["expect"];
    match (&outcome, expect.get("error")) {
        (Ok(v), None) => {
            if !contains(v, &expect["result"]) {
                problems.push(format!("result {v} lacks {}", expect["result"]));
            }
        }
        (Err(e), Some(want)) => {
            let got = error_fields(e);
            if !contains(&got, want) {
                problems.push(format!("error {got} does not match {want} ({e})"));
            }
            let message = e.to_string();
            for s in expect["message_contains"].as_array().into_iter().flatten() {
                if !message.contains(s.as_str().unwrap()) {
                    problems.push(format!("message lacks {s}: {message}"));
                }
            }
            for s in expect["message_lacks"].as_array().into_iter().flatten() {
                if message.contains(s.as_str().unwrap()) {
                    problems.push(format!("message contains {s}: {message}"));
                }
            }
            let printed = format!("{message} {e:?} {}", e.body().unwrap_or(""));
            for s in expect["nowhere"].as_array().into_iter().flatten() {
                if printed.contains(s.as_str().unwrap()) {
                    problems.push(format!("{s} appears in the error: {printed}"));
                }
            }
            if let Some(max) = expect["message_max_chars"].as_u64() {
                if message.chars().count() as u64 > max {
                    problems.push(format!("message longer than {max} characters: {message}"));
                }
            }
        }
        (Ok(v), Some(_)) => problems.push(format!("expected an error, got {v}")),
        (Err(e), None) => problems.push(format!("unexpected error {e}")),
    }
    if let Some(min) = expect["min_seconds"].as_f64() {
        if elapsed.as_secs_f64() < min {
            problems.push(format!("took {elapsed:?}, less than the {min}s asked for"));
        }
    }

    let journal = wm.admin(reqwest::Method::GET, "/requests", None).await;
    let mut requests: Vec<Value> = journal["requests"].as_array().unwrap().iter().map(|e| e["request"].clone()).collect();
    requests.reverse(); // newest first in the journal
    let lines: Vec<String> =
        requests.iter().map(|r| format!("{} {}", r["method"].as_str().unwrap(), r["url"].as_str().unwrap())).collect();
    let want: Vec<String> = case["journal"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    if lines != want {
        problems.push(format!("journal {lines:?}, expected {want:?}"));
    }
    for check in case["sent"].as_array().into_iter().flatten() {
        let at = check["at"].as_u64().unwrap() as usize;
        let Some(req) = requests.get(at) else {
            problems.push(format!("no request #{at}"));
            continue;
        };
        for (h, v) in check["headers"].as_object().into_iter().flatten() {
            if header(req, h) != v.as_str() {
                problems.push(format!("request #{at} {h}: {:?}, expected {v}", header(req, h)));
            }
        }
        for (h, v) in check["header_prefix"].as_object().into_iter().flatten() {
            if !header(req, h).is_some_and(|got| got.starts_with(v.as_str().unwrap())) {
                problems.push(format!("request #{at} {h}: {:?}, expected to start with {v}", header(req, h)));
            }
        }
        for h in check["header_present"].as_array().into_iter().flatten() {
            if header(req, h.as_str().unwrap()).is_none() {
                problems.push(format!("request #{at} lacks {h}"));
            }
        }
        if let Some(body) = check.get("json_body") {
            let got: Value = serde_json::from_str(req["body"].as_str().unwrap_or("")).unwrap_or(Value::Null);
            if !contains(&got, body) {
                problems.push(format!("request #{at} body {got}, expected {body}"));
            }
        }
    }
    problems.into_iter().map(|p| format!("{name}: {p}")).collect()
}

async fn run_file(wm: &WireMock, file_name: &str) {
    let path = format!("{ROOT}/tests/wiremock/{file_name}");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 10, "{path} has only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        failures.extend(run_case(wm, &file, case).await);
    }
    assert!(failures.is_empty(), "{} failure(s) in {file_name}:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn wiremock_scenarios_and_malformed_responses() {
    let wm = WireMock::start().await;
    run_file(&wm, "scenarios.json").await;
    run_file(&wm, "malformed.json").await;
}
