//! The bad-input matrix (`tests/bad_input/cases.json`) through the public Rust API, one test per
//! case: each call must fail with the expected error kind, name the expected field, send nothing
//! to the simulator, and not be an internal error (a caught panic).
//!
//! Cases that Rust cannot express (NaN, lone surrogates, bytes, BigInts) are limited to the other
//! languages in the file; a marker reaching this runner is a mistake in the file and fails.

mod mp_common;

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use libtest_mimic::{Arguments, Failed, Trial};
use sellkit::catalogue::{Arg, Args, Out, EQP, MARKTPLAATS};
use sellkit::eqp::UploadSource;
use sellkit::{Error, ErrorKind};
use sellkit_simulator::{Simulator, SimulatorConfig};
use serde_json::{Map, Value};

const CASES: &str = include_str!("../../tests/bad_input/cases.json");

/// The simulator and the clients every case shares, authenticated before any case runs.
struct World {
    runtime: tokio::runtime::Runtime,
    sim: Simulator,
    eqp: sellkit::eqp::Client,
    mp: Mutex<Vec<(String, sellkit::marktplaats::Client)>>,
    /// One case at a time between reading the counters and reading them again.
    measuring: Mutex<()>,
    temp_dir: PathBuf,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let sim = Simulator::start(SimulatorConfig::default()).unwrap();
        let eqp = sellkit::eqp::Client::builder()
            .app_id(sim.eqp_app_id())
            .app_secret(sim.eqp_app_secret())
            .base_url(sim.eqp_url())
            .build()
            .unwrap();
        runtime.block_on(eqp.authenticate()).unwrap();
        let temp_dir = std::env::temp_dir().join(format!("sellkit-bad-input-{}", std::process::id()));
        std::fs::create_dir_all(&temp_dir).unwrap();
        World { runtime, sim, eqp, mp: Mutex::new(Vec::new()), measuring: Mutex::new(()), temp_dir }
    })
}

impl World {
    /// A Marktplaats client of `platform`, logged in (once) through the authorization-code flow.
    fn mp(&self, platform: &str) -> sellkit::marktplaats::Client {
        let mut clients = self.mp.lock().unwrap();
        if let Some((_, c)) = clients.iter().find(|(p, _)| p == platform) {
            return c.clone();
        }
        let c = self.runtime.block_on(mp_common::user_client(&self.sim, platform));
        clients.push((platform.to_owned(), c.clone()));
        c
    }

    fn requests_sent(&self) -> u64 {
        self.sim.request_counts().values().sum()
    }
}

/// A case's JSON with its markers replaced by Rust values.
fn decode(w: &World, v: &Value) -> Result<Value, Failed> {
    Ok(match v {
        Value::Array(items) => Value::Array(items.iter().map(|x| decode(w, x)).collect::<Result<_, _>>()?),
        Value::Object(m) if m.len() == 1 && m.keys().next().is_some_and(|k| k.starts_with('$')) => {
            let (k, arg) = m.iter().next().unwrap();
            match k.as_str() {
                "$repeat" => {
                    let s = arg[0].as_str().unwrap();
                    Value::String(s.repeat(arg[1].as_u64().unwrap() as usize))
                }
                "$sim" => Value::String(match arg.as_str().unwrap() {
                    "eqp_url" => w.sim.eqp_url(),
                    "eqp_app_id" => w.sim.eqp_app_id().to_owned(),
                    "eqp_app_secret" => w.sim.eqp_app_secret().to_owned(),
                    "mp_client_id" => w.sim.mp_client_id().to_owned(),
                    "mp_client_secret" => w.sim.mp_client_secret().to_owned(),
                    other => match other.strip_prefix("mp_url:") {
                        Some(platform) => w.sim.marktplaats_url(platform),
                        None => return Err(format!("unknown $sim value {other}").into()),
                    },
                }),
                "$tempfile" => {
                    let path = w.temp_dir.join(arg.as_str().unwrap());
                    std::fs::write(&path, b"PK\x03\x04 bad-input fixture").unwrap();
                    Value::String(path.to_string_lossy().into_owned())
                }
                other => return Err(format!("marker {other} has no Rust value: limit the case's languages").into()),
            }
        }
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| Ok((k.clone(), decode(w, x)?))).collect::<Result<Map<_, _>, Failed>>()?),
        other => other.clone(),
    })
}

fn str_opt(options: &Value, key: &str) -> Option<String> {
    options.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn u64_opt(options: &Value, key: &str) -> Result<Option<u64>, Failed> {
    match options.get(key) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("option {key}={v} has no Rust value: limit the case's languages").into()),
    }
}

/// Refuse options this runner does not know how to give the builder.
fn only(options: &Value, known: &[&str]) -> Result<(), Failed> {
    for (k, v) in options.as_object().unwrap() {
        if !known.contains(&k.as_str()) || !(v.is_string() || v.is_u64()) {
            return Err(format!("option {k}={v} has no Rust builder call: limit the case's languages").into());
        }
    }
    Ok(())
}

fn build_eqp(options: &Value) -> Result<Result<(), Error>, Failed> {
    only(options, &["app_id", "app_secret", "environment", "base_url", "user_agent_suffix", "max_retries"])?;
    let mut b = sellkit::eqp::Client::builder();
    if let Some(s) = str_opt(options, "app_id") {
        b = b.app_id(s);
    }
    if let Some(s) = str_opt(options, "app_secret") {
        b = b.app_secret(s);
    }
    if let Some(s) = str_opt(options, "environment") {
        b = b.environment_name(s);
    }
    if let Some(s) = str_opt(options, "base_url") {
        b = b.base_url(s);
    }
    if let Some(s) = str_opt(options, "user_agent_suffix") {
        b = b.user_agent_suffix(s);
    }
    if let Some(n) = u64_opt(options, "max_retries")? {
        b = b.max_retries(n.try_into()?);
    }
    Ok(b.build().map(|_| ()))
}

fn build_mp(options: &Value) -> Result<Result<(), Error>, Failed> {
    let known = [
        "platform", "environment", "base_url", "auth_base_url", "token_url", "authorize_url", "client_id", "client_secret",
        "access_token", "refresh_token", "locale", "accept_language", "user_agent_suffix", "max_retries",
    ];
    only(options, &known)?;
    let mut b = sellkit::marktplaats::Client::builder();
    let s = |k: &str| str_opt(options, k);
    if let Some(v) = s("platform") {
        b = b.platform_name(v);
    }
    if let Some(v) = s("environment") {
        b = b.environment_name(v);
    }
    if let Some(v) = s("base_url") {
        b = b.base_url(v);
    }
    if let Some(v) = s("auth_base_url") {
        b = b.auth_base_url(v);
    }
    if let Some(v) = s("token_url") {
        b = b.token_url(v);
    }
    if let Some(v) = s("authorize_url") {
        b = b.authorize_url(v);
    }
    if let Some(v) = s("client_id") {
        b = b.client_id(v);
    }
    if let Some(v) = s("client_secret") {
        b = b.client_secret(v);
    }
    if let Some(v) = s("access_token") {
        b = b.access_token(v);
    }
    if let Some(v) = s("refresh_token") {
        b = b.refresh_token(v);
    }
    if let Some(v) = s("locale") {
        b = b.locale(v);
    }
    if let Some(v) = s("accept_language") {
        b = b.accept_language(v);
    }
    if let Some(v) = s("user_agent_suffix") {
        b = b.user_agent_suffix(v);
    }
    if let Some(n) = u64_opt(options, "max_retries")? {
        b = b.max_retries(n.try_into()?);
    }
    Ok(b.build().map(|_| ()))
}

/// The JSON of a call's result.
async fn json_of(call: impl std::future::Future<Output = sellkit::Result<Out>>) -> sellkit::Result<Value> {
    Ok(call.await?.into_json().unwrap_or(Value::Null))
}

/// Run a list to its first page: a list may refuse its arguments when opened or when it fetches.
async fn first_page(list: sellkit::Result<sellkit::pagination::Paginator>) -> sellkit::Result<Value> {
    let mut pages = list?;
    Ok(Value::from(pages.next_page().await?.unwrap_or_default()))
}

/// The call a case describes; its outcome.
fn run(w: &World, case: &Value, args: Value) -> Result<sellkit::Result<Value>, Failed> {
    let target = case["target"].as_str().unwrap();
    let op = case["op"].as_str().unwrap_or("");
    let mode = case["mode"].as_str().unwrap_or("call");
    Ok(match (target, mode) {
        ("eqp", "call") => w.runtime.block_on(json_of(EQP.call_json(&w.eqp, op, args))),
        ("eqp", "list") => w.runtime.block_on(first_page(EQP.list_json(&w.eqp, op, args))),
        ("eqp", "upload") => {
            let sources = args["files"].as_array().unwrap().iter().map(|p| UploadSource::Path(p.as_str().unwrap().into())).collect();
            let mut call_args = Args::new();
            call_args.set("files", Arg::Files(sources));
            w.runtime.block_on(json_of(sellkit::catalogue::call(EQP.find("files.upload").unwrap(), w.eqp.clone(), call_args)))
        }
        ("marktplaats", _) => {
            let client = w.mp(case["platform"].as_str().unwrap_or("marktplaats"));
            if mode == "list" {
                w.runtime.block_on(first_page(MARKTPLAATS.list_json(&client, op, args)))
            } else {
                w.runtime.block_on(json_of(MARKTPLAATS.call_json(&client, op, args)))
            }
        }
        ("mp_static", _) if op == "locale.resolve" => {
            let text = |k: &str| args.get(k).and_then(Value::as_str);
            sellkit::locale::resolve(text("platform").unwrap_or(""), text("entity_locale"), text("user_locale")).map(|l| Value::from(l.as_str()))
        }
        ("mp_static", _) => MARKTPLAATS.function_json(op, args).map(|o| o.into_json().unwrap_or(Value::Null)),
        ("patch", _) => {
            let ops = sellkit::patch::parse(&args["ops"]);
            match op {
                "validate" => ops.and_then(|ops| sellkit::patch::validate(&ops, false)).map(|()| Value::Null),
                "apply" => ops.and_then(|ops| sellkit::patch::apply(&args["doc"], &ops)),
                other => return Err(format!("unknown patch op {other}").into()),
            }
        }
        ("eqp_client", _) => build_eqp(&args)?.map(|()| Value::Null),
        ("mp_client", _) => build_mp(&args)?.map(|()| Value::Null),
        other => return Err(format!("unknown target {other:?}").into()),
    })
}

fn expected_fields(case: &Value) -> Vec<String> {
    let expect = &case["expect"];
    let mut fields = vec![match &expect["field"] {
        Value::String(s) => s.clone(),
        Value::Object(m) => m.get("rust").or_else(|| m.get("default")).and_then(Value::as_str).unwrap().to_owned(),
        other => panic!("bad field {other}"),
    }];
    if let Some(Value::Array(more)) = expect.get("field_in") {
        fields.extend(more.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    fields
}

fn check(case: &Value) -> Result<(), Failed> {
    let w = world();
    let args = decode(w, &case["args"])?;
    let _one_at_a_time = w.measuring.lock().unwrap_or_else(|p| p.into_inner());
    if case["target"] == "marktplaats" {
        // Logging in sends requests: done before the counters are read.
        w.mp(case["platform"].as_str().unwrap_or("marktplaats"));
    }
    let before = w.requests_sent();
    let outcome = run(w, case, args)?;
    let sent = w.requests_sent() - before;
    let e = match outcome {
        Ok(v) => return Err(format!("the call succeeded ({sent} requests sent): {}", truncate(&v.to_string())).into()),
        Err(e) => e,
    };
    let shown = truncate(&format!("{e:?}"));
    if e.kind() == ErrorKind::Internal {
        return Err(format!("internal error (a panic?): {shown}").into());
    }
    let kind = case["expect"]["kind"].as_str().unwrap();
    if e.kind().as_str() != kind {
        return Err(format!("expected kind {kind}, got {shown}").into());
    }
    if let Some(code) = case["expect"]["code"].as_str() {
        if e.code() != code {
            return Err(format!("expected code {code}, got {shown}").into());
        }
    }
    let fields = expected_fields(case);
    let named = e.details().iter().filter_map(|d| d.field.as_deref()).any(|f| fields.iter().any(|x| x == f));
    if !named {
        return Err(format!("expected the field {fields:?}, got {shown}").into());
    }
    if sent != 0 {
        return Err(format!("{sent} requests were sent before the error: {shown}").into());
    }
    Ok(())
}

/// Long values (10 MB titles) are cut in failure messages.
fn truncate(s: &str) -> String {
    if s.len() <= 600 {
        return s.to_owned();
    }
    let mut end = 600;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &s[..end], s.len())
}

fn main() {
    let args = Arguments::from_args();
    let doc: Value = serde_json::from_str(CASES).expect("tests/bad_input/cases.json is JSON");
    let cases = doc["cases"].as_array().expect("cases").clone();
    let mut trials = Vec::new();
    for case in cases {
        let for_rust = match case.get("languages") {
            None => true,
            Some(l) => l.as_array().unwrap().iter().any(|x| x == "rust"),
        };
        if !for_rust {
            continue;
        }
        let name = case["id"].as_str().unwrap().to_owned();
        let category = case["category"].as_str().unwrap_or("").to_owned();
        trials.push(Trial::test(name, move || check(&case)).with_kind(category));
    }
    assert!(trials.len() >= 100, "the matrix must hold at least 100 Rust cases, has {}", trials.len());
    libtest_mimic::run(&args, trials).exit();
}
