//! The GitHub Action (`action.yml` at the repository root), run here the way the runner runs a
//! composite action: each step's `run` script in bash, with its `env` (the `${{ inputs.* }}`
//! expressions filled in from the inputs and their defaults), `GITHUB_OUTPUT` and `GITHUB_PATH`
//! files, and the job's environment (the credentials) inherited. sellkit is "installed" by
//! putting the program cargo built for these tests on PATH (`sellkit-version: none`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use sellkit_simulator::{Simulator, SimulatorConfig, Verdict};
use serde_json::json;
use yaml_rust2::{Yaml, YamlLoader};

const BIN: &str = env!("CARGO_BIN_EXE_sellkit");

fn action() -> Yaml {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../action.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

fn s(y: &Yaml) -> &str {
    y.as_str().unwrap_or_else(|| panic!("not a string: {y:?}"))
}

/// The inputs' values: the defaults of `action.yml`, then `given`.
fn inputs(action: &Yaml, given: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for (name, spec) in action["inputs"].as_hash().unwrap() {
        if let Some(d) = spec["default"].as_str() {
            values.insert(s(name).to_owned(), d.to_owned());
        }
    }
    for (k, v) in given {
        values.insert((*k).to_owned(), (*v).to_owned());
    }
    values
}

/// An `env` value with its `${{ inputs.NAME }}` expressions filled in (the only expressions the
/// action's steps use: anything else fails the test).
fn expand(value: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").unwrap() + start;
        let expr = rest[start + 3..end].trim();
        let name = expr.strip_prefix("inputs.").unwrap_or_else(|| panic!("an expression the test does not know: {expr}"));
        out.push_str(inputs.get(name).map(String::as_str).unwrap_or(""));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

struct Outcome {
    code: i32,
    log: String,
    outputs: BTreeMap<String, String>,
}

/// Run every step of the composite action, in order, until one fails.
fn run_action(sim: &Simulator, work: &Path, given: &[(&str, &str)]) -> Outcome {
    let action = action();
    assert_eq!(s(&action["runs"]["using"]), "composite");
    let inputs = inputs(&action, given);
    let output_file = work.join("github_output");
    let path_file = work.join("github_path");
    std::fs::write(&output_file, "").unwrap();
    std::fs::write(&path_file, "").unwrap();
    let bin_dir = Path::new(BIN).parent().unwrap();
    let mut path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut log = String::new();
    let mut code = 0;
    for step in action["runs"]["steps"].as_vec().unwrap() {
        let script = s(&step["run"]);
        assert_eq!(s(&step["shell"]), "bash");
        // The environment of a job: the credentials as a workflow sets them from secrets.
        // As the runner does: the script in a file, `bash --noprofile --norc -eo pipefail FILE`.
        let script_file = work.join("step.sh");
        std::fs::write(&script_file, script).unwrap();
        let mut c = Command::new("bash");
        c.args(["--noprofile", "--norc", "-eo", "pipefail"]).arg(&script_file).current_dir(work).env_clear();
        c.env("PATH", &path)
            .env("HOME", work)
            .env("RUNNER_TEMP", work)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("SELLKIT_EQP_BASE_URL", sim.eqp_url())
            .env("SELLKIT_EQP_APP_ID", sim.eqp_app_id())
            .env("SELLKIT_EQP_APP_SECRET", sim.eqp_app_secret());
        if let Some(env) = step["env"].as_hash() {
            for (k, v) in env {
                c.env(s(k), expand(s(v), &inputs));
            }
        }
        let out = c.output().unwrap();
        log.push_str(&String::from_utf8_lossy(&out.stdout));
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        // What a step appends to GITHUB_PATH is on PATH for the next ones.
        for dir in std::fs::read_to_string(&path_file).unwrap().lines().filter(|l| !l.is_empty()) {
            path = format!("{dir}:{path}");
        }
        code = out.status.code().unwrap_or(-1);
        if code != 0 {
            break;
        }
    }
    assert!(!log.contains(sellkit_simulator::EQP_APP_SECRET), "the secret is in the log:\n{log}");
    let outputs = std::fs::read_to_string(&output_file)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Outcome { code, log, outputs }
}

struct Work(PathBuf);

impl Work {
    fn new() -> Work {
        let dir = std::env::temp_dir().join(format!("sellkit-action-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        let noise: Vec<u8> = (0..20_000).map(|_| fastrand::u8(..)).collect();
        std::fs::write(dir.join("ext.zip"), [b"PK\x03\x04".as_slice(), &noise].concat()).unwrap();
        std::fs::write(dir.join("guide.pdf"), [b"%PDF-1.4\n".as_slice(), &noise[..3000]].concat()).unwrap();
        std::fs::write(dir.join("icon.png"), [b"\x89PNG\r\n\x1a\n".as_slice(), &noise[..500]].concat()).unwrap();
        std::fs::write(dir.join("shot.png"), [b"\x89PNG\r\n\x1a\n".as_slice(), &noise[500..1500]].concat()).unwrap();
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
        Work(dir)
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sim() -> Simulator {
    Simulator::start(SimulatorConfig {
        eqp_scan_delay: Duration::from_millis(50),
        eqp_review_delay: Some(Duration::from_millis(300)),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn the_action_declares_what_a_workflow_passes() {
    let action = action();
    for name in ["sku", "version", "artifact", "environment", "wait", "timeout"] {
        let spec = &action["inputs"][name];
        assert!(!spec.is_badvalue(), "no input {name}");
        assert!(!s(&spec["description"]).is_empty());
    }
    for name in ["sku", "version", "artifact"] {
        assert_eq!(action["inputs"][name]["required"].as_bool(), Some(true), "{name}");
    }
    // No secret is an input: credentials come from the environment.
    for (name, _) in action["inputs"].as_hash().unwrap() {
        assert!(!s(name).contains("secret") && !s(name).contains("app-id"), "{name:?}");
    }
    assert!(!s(&action["outputs"]["submission-id"]["value"]).is_empty());
}

#[test]
fn the_action_releases_waits_and_can_run_again() {
    let sim = sim();
    let work = Work::new();
    let given = [
        ("sku", "acme/one-click"),
        ("version", "1.2.0"),
        ("artifact", "ext.zip"),
        ("docs", "user=guide.pdf\n"),
        ("media", "icon.png\nshot.png"),
        ("package", "package.json"),
        ("wait", "true"),
        ("timeout", "60"),
        ("junit", "eqp-results.xml"),
        ("sellkit-version", "none"),
    ];
    let first = run_action(&sim, &work.0, &given);
    assert_eq!(first.code, 0, "{}", first.log);
    let id = first.outputs.get("submission-id").cloned().unwrap_or_default();
    assert!(!id.is_empty(), "no submission-id output: {:?}\n{}", first.outputs, first.log);
    assert_eq!(sim.eqp_package_count(), 1);
    assert!(work.0.join("eqp-results.xml").is_file(), "{}", first.log);
    // The log shows the steps (stderr) and the result.
    assert!(first.log.contains("uploading ext.zip") && first.log.contains(&id), "{}", first.log);

    // A re-run of the job: the same submission, nothing created.
    std::fs::remove_file(work.0.join("github_output")).unwrap();
    let again = run_action(&sim, &work.0, &given);
    assert_eq!(again.code, 0, "{}", again.log);
    assert_eq!(again.outputs.get("submission-id"), Some(&id));
    assert_eq!(sim.eqp_package_count(), 1);
}

#[test]
fn the_action_fails_with_the_commands_exit_code() {
    let sim = sim();
    sim.set_eqp_scan_verdict(Verdict::Fail);
    let work = Work::new();
    let given = [("sku", "acme/one-click"), ("version", "1.0.0"), ("artifact", "ext.zip"), ("package", "package.json"), ("sellkit-version", "none")];
    let r = run_action(&sim, &work.0, &given);
    assert_eq!(r.code, 7, "{}", r.log);
    assert!(r.log.contains("::error::sellkit eqp release failed with exit code 7"), "{}", r.log);
    assert_eq!(sim.eqp_package_count(), 0);

    // An input the action checks itself, and one the command refuses (exit 2, nothing sent).
    sim.reset_counters();
    let r = run_action(&sim, &work.0, &[("sku", "acme/one-click"), ("version", "1.0.0"), ("artifact", "ext.zip"), ("wait", "yes"), ("sellkit-version", "none")]);
    assert_eq!(r.code, 2, "{}", r.log);
    let r = run_action(&sim, &work.0, &[("sku", "Not A Sku"), ("version", "1.0.0"), ("artifact", "ext.zip"), ("sellkit-version", "none")]);
    assert_eq!(r.code, 2, "{}", r.log);
    assert_eq!(sim.request_counts().values().sum::<u64>(), 0, "{:?}", sim.request_counts());
}
