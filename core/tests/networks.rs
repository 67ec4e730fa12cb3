//! Corporate networks from Rust: an explicit proxy (proxy.py, a real proxy) and a private CA (a
//! TLS endpoint in front of the simulator whose certificate trustme's CA signed). The peers run
//! on the repository's Python (`.venv`, made by `scripts/test`; `SELLKIT_PYTHON` overrides it).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sellkit::eqp::Client;
use sellkit::ErrorKind;
use sellkit_simulator::Simulator;

mod common;

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("SELLKIT_PYTHON") {
        return p.into();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let venv = root.join(".venv").join(if cfg!(windows) { "Scripts/python.exe" } else { "bin/python" });
    assert!(venv.exists(), "{} is missing: run scripts/test (it makes .venv with proxy.py and trustme)", venv.display());
    venv
}

/// A child process stopped when dropped.
struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_proxy(dir: &Path) -> (Peer, String, PathBuf) {
    let port_file = dir.join("port");
    let log = dir.join("access.log");
    let child = Command::new(python())
        .args(["-m", "proxy", "--hostname", "127.0.0.1", "--port", "0", "--num-workers", "1", "--num-acceptors", "1"])
        .arg("--port-file")
        .arg(&port_file)
        .arg("--log-file")
        .arg(&log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start proxy.py");
    let peer = Peer(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(port) = std::fs::read_to_string(&port_file) {
            if !port.trim().is_empty() {
                return (peer, format!("http://127.0.0.1:{}", port.trim()), log);
            }
        }
        assert!(Instant::now() < deadline, "proxy.py did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The TLS endpoint in front of `sim`: (peer, EQP base URL over https, the CA's PEM file).
fn start_tls(sim: &Simulator, dir: &Path) -> (Peer, String, PathBuf) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("tests/peers/tls_endpoint.py");
    let target = sim.url().trim_start_matches("http://").to_owned();
    let mut child = Command::new(python())
        .arg(script)
        .args(["--target", &target])
        .arg("--dir")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the TLS endpoint");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let ready: serde_json::Value = serde_json::from_str(&line).expect("the TLS endpoint's ready line");
    let path = sim.eqp_url().trim_start_matches(sim.url().as_str()).to_owned();
    let base = format!("https://127.0.0.1:{}{path}", ready["port"]);
    (Peer(child), base, PathBuf::from(ready["ca"].as_str().unwrap()))
}

/// Whether proxy.py logged `text` within a few seconds (awaiting, so that the runtime can close
/// the dropped client's connections, which is when proxy.py logs them).
async fn logged(log: &Path, text: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if std::fs::read_to_string(log).is_ok_and(|s| s.contains(text)) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

fn builder(sim: &Simulator) -> sellkit::eqp::ClientBuilder {
    Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url())
}

#[tokio::test]
async fn https_with_a_private_ca_through_a_proxy() {
    let sim = common::sim();
    let dir = tempfile::tempdir().unwrap();
    let (_proxy, proxy_url, log) = start_proxy(dir.path());
    let (_tls, base, ca) = start_tls(&sim, dir.path());

    // Plain http to loopback through the explicit proxy.
    let client = builder(&sim).proxy(&proxy_url).build().unwrap();
    assert_eq!(client.authenticate().await.unwrap(), sim.eqp_mage_id());
    drop(client);
    assert!(logged(&log, &format!("POST {}/rest/v1/app/session/token", sim.url().trim_start_matches("http://"))).await);

    // https with the private CA, through the proxy (a CONNECT tunnel, logged when it closes).
    let client = builder(&sim).base_url(&base).ca_bundle(&ca).proxy(&proxy_url).build().unwrap();
    assert_eq!(client.users().get(None).await.unwrap().mage_id.as_deref(), Some(sim.eqp_mage_id().as_ref()));
    drop(client);
    let host = base.trim_start_matches("https://").split('/').next().unwrap().to_owned();
    assert!(logged(&log, &format!("CONNECT {host}")).await);

    // Without the CA: a connection error that says what to do.
    let client = builder(&sim).base_url(&base).max_retries(0).build().unwrap();
    let err = client.authenticate().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert_eq!(err.code(), "untrusted-certificate");
    assert!(err.message().contains("not trusted") && err.message().contains("ca_bundle"), "{err}");
    assert!(!err.outcome_unknown());
}

#[test]
fn bad_network_settings_name_their_field() {
    let sim = common::sim();
    let err = builder(&sim).proxy("ftp://127.0.0.1:21").build().unwrap_err();
    assert_eq!(err.field(), Some("proxy"));
    let err = builder(&sim).ca_bundle("/nonexistent/ca.pem").build().unwrap_err();
    assert_eq!(err.field(), Some("ca_bundle"));
    assert!(err.message().contains("cannot read"), "{err}");
}
