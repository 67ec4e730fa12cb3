//! `sellkit-simulator --port 0` prints its URLs and serves until stopped.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn binary_prints_its_url_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sellkit-simulator"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map(Result::unwrap)
        .find_map(|l| l.strip_prefix("eqp_url").map(|u| u.trim().to_owned()))
        .expect("eqp_url line");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = rt.block_on(async { reqwest::get(format!("{url}/rest/v1/users/MAG123456789")).await.unwrap().status() });
    assert_eq!(status, 401, "served, and asks for a token");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn refuses_non_loopback_and_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_sellkit-simulator")).args(["--host", "0.0.0.0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
    let out = Command::new(env!("CARGO_BIN_EXE_sellkit-simulator")).args(["--port", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
