//! `sellkit-simulator --port 0` prints its URLs (the Marktplaats OAuth endpoints among them)
//! and serves until stopped; `--help` says how the OAuth host works.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn binary_prints_its_urls_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sellkit-simulator"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = HashMap::new();
    for line in lines.map(Result::unwrap) {
        if line.starts_with('(') {
            break; // the closing note
        }
        if let Some((k, v)) = line.split_once(' ') {
            printed.insert(k.to_owned(), v.trim().to_owned());
        }
    }
    let url = &printed["eqp_url"];
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let mp = &printed["marktplaats_url"];
    assert_eq!(printed["marktplaats_authorize_url"], format!("{mp}/accounts/oauth/authorize"));
    assert_eq!(printed["marktplaats_token_url"], format!("{mp}/accounts/oauth/token"));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let status = reqwest::get(format!("{url}/rest/v1/users/MAG123456789")).await.unwrap().status();
        assert_eq!(status, 401, "served, and asks for a token");
        // The printed authorization endpoint approves at once and redirects with a code.
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let resp = http
            .get(&printed["marktplaats_authorize_url"])
            .query(&[("response_type", "code"), ("client_id", &printed["mp_client_id"]), ("redirect_uri", "http://127.0.0.1:9/cb"), ("state", "xyz")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 302);
        let location = resp.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("http://127.0.0.1:9/cb?code=") && location.ends_with("&state=xyz"), "{location}");
    });
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn help_explains_the_oauth_host() {
    let out = Command::new(env!("CARGO_BIN_EXE_sellkit-simulator")).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["usage: sellkit-simulator", "/accounts/oauth/authorize", "/accounts/oauth/token", "302", "demo user"] {
        assert!(text.contains(needle), "{needle:?} in --help");
    }
}

#[test]
fn refuses_non_loopback_and_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_sellkit-simulator")).args(["--host", "0.0.0.0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
    let out = Command::new(env!("CARGO_BIN_EXE_sellkit-simulator")).args(["--port", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
