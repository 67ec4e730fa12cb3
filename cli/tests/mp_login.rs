//! `sellkit mp login` as a real process against the simulator: the authorization URL printed,
//! the simulator approving in place of a browser, the redirect delivered to the command's
//! loopback listener, the tokens written to the default file store (mode 0600), and `sellkit mp
//! whoami` then signed in from that store. A forged `state` is refused and stores nothing; no
//! token is ever printed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use sellkit_simulator::Simulator;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sellkit");

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let dir = std::env::temp_dir().join(format!("sellkit-cli-login-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
    fn tokens(&self) -> PathBuf {
        self.0.join("sellkit").join("tokens.json")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn env(c: &mut std::process::Command, sim: &Simulator, config: &Dir) {
    c.env_clear()
        .env("XDG_CONFIG_HOME", &config.0)
        .env("SELLKIT_MP_BASE_URL", sim.marktplaats_url("marktplaats"))
        .env("SELLKIT_MP_CLIENT_ID", sim.mp_client_id())
        .env("SELLKIT_MP_CLIENT_SECRET", sim.mp_client_secret());
}

/// A running `sellkit mp login`, its stderr read line by line.
struct Login {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Login {
    fn start(sim: &Simulator, config: &Dir, more: &[&str]) -> Login {
        let mut c = std::process::Command::new(BIN);
        env(&mut c, sim, config);
        let mut child = c.args(["mp", "login", "--port", "0", "--no-browser"]).args(more).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Login { child, lines, seen: Vec::new() }
    }

    /// The authorization URL the command printed.
    fn url(&mut self) -> String {
        loop {
            let line = self.lines.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("no URL printed: {:?}", self.seen));
            self.seen.push(line.clone());
            if let Some(at) = line.find("http://") {
                if line.contains("/accounts/oauth/authorize") {
                    return line[at..].trim().to_owned();
                }
            }
        }
    }

    /// Exit code, stdout, all of stderr.
    fn finish(mut self) -> (i32, String, String) {
        let status = self.child.wait().unwrap();
        let mut stdout = String::new();
        self.child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
        self.seen.extend(self.lines.iter());
        (status.code().unwrap_or(-1), stdout, self.seen.join("\n"))
    }
}

/// What the browser does after the approval: a GET of the redirect URI with the code and state.
fn deliver_redirect(authorization_url: &str, code: &str, state: &str) -> String {
    let url = url::Url::parse(authorization_url).unwrap();
    let redirect = url.query_pairs().find(|(k, _)| k == "redirect_uri").map(|(_, v)| v.into_owned()).expect("a redirect_uri");
    let mut target = url::Url::parse(&redirect).unwrap();
    target.query_pairs_mut().append_pair("code", code).append_pair("state", state);
    assert_eq!(target.host_str(), Some("127.0.0.1"), "the redirect is to loopback");
    let mut s = TcpStream::connect(("127.0.0.1", target.port().unwrap())).unwrap();
    write!(s, "GET {}?{} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target.path(), target.query().unwrap()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}

fn run(sim: &Simulator, config: &Dir, args: &[&str]) -> (i32, String, String) {
    let mut c = std::process::Command::new(BIN);
    env(&mut c, sim, config);
    let out = Command::from_std(c).args(args).timeout(Duration::from_secs(60)).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn assert_no_token(sim: &Simulator, texts: &[&str]) {
    let tokens = sim.issued_mp_tokens();
    assert!(!tokens.is_empty());
    for t in tokens {
        for text in texts {
            assert!(!text.contains(&t), "a token was printed:\n{text}");
        }
    }
    for text in texts {
        assert!(!text.contains(sellkit_simulator::MP_CLIENT_SECRET), "the client secret was printed");
    }
}

#[test]
fn login_stores_the_tokens_and_whoami_uses_them() {
    let sim = Simulator::start(Default::default()).unwrap();
    let config = Dir::new();

    // Not signed in yet: whoami says how to sign in.
    let (code, _, stderr) = run(&sim, &config, &["mp", "whoami"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("sellkit mp login"), "{stderr}");

    let mut login = Login::start(&sim, &config, &["--json"]);
    let url = login.url();
    let (auth_code, state) = sim.mp_approve(&url).unwrap();
    let page = deliver_redirect(&url, &auth_code, state.as_deref().unwrap());
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let (code, stdout, stderr) = login.finish();
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(doc["user_id"], sim.mp_user_id());
    assert_eq!(doc["platform"], "marktplaats");
    assert_eq!(doc["refresh_token_kept"], true);
    assert_eq!(sim.request_count("POST /accounts/oauth/token"), 1, "one code exchange");
    let store_url = url::Url::from_file_path(config.tokens()).unwrap().to_string();
    assert_eq!(doc["token_store"], store_url);
    assert!(config.tokens().exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(config.tokens()).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Later commands sign in from the store: no refresh token given.
    let (code, who, e1) = run(&sim, &config, &["mp", "whoami", "--json"]);
    assert_eq!(code, 0, "{e1}");
    assert_eq!(serde_json::from_str::<Value>(&who).unwrap()["userId"], sim.mp_user_id());
    // And so does anything given that store by name (a worker, here the command with the flag).
    let elsewhere = Dir::new();
    let (code, _, e2) = run(&sim, &elsewhere, &["mp", "whoami", "--token-store", &store_url]);
    assert_eq!(code, 0, "{e2}");

    assert_no_token(&sim, &[&stdout, &stderr, &who, &e1, &e2, &url]);
}

#[test]
fn a_forged_state_is_refused_and_nothing_is_stored() {
    let sim = Simulator::start(Default::default()).unwrap();
    let config = Dir::new();
    let mut login = Login::start(&sim, &config, &[]);
    let url = login.url();
    let (auth_code, _) = sim.mp_approve(&url).unwrap();
    deliver_redirect(&url, &auth_code, "forged-state");
    let (code, stdout, stderr) = login.finish();
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(stderr.contains("state"), "{stderr}");
    assert_eq!(sim.request_count("POST /accounts/oauth/token"), 0, "the code was not exchanged");
    let (code, _, _) = run(&sim, &config, &["mp", "whoami"]);
    assert_eq!(code, 3, "nothing was stored");
}

#[test]
fn login_refuses_what_cannot_work_before_sending_anything() {
    let sim = Simulator::start(Default::default()).unwrap();
    let config = Dir::new();
    let (code, _, stderr) = run(&sim, &config, &["mp", "login", "--no-browser", "--port", "0", "--token-store", "memory:"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--token-store"), "{stderr}");
    let mut c = std::process::Command::new(BIN);
    env(&mut c, &sim, &config);
    c.env_remove("SELLKIT_MP_CLIENT_SECRET");
    let out = Command::from_std(c).args(["mp", "login", "--no-browser", "--port", "0", "--json"]).timeout(Duration::from_secs(60)).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["field"], "--client-secret");
    assert_eq!(sim.request_counts().values().sum::<u64>(), 0, "{:?}", sim.request_counts());
}

#[test]
fn no_sign_in_within_the_timeout_exits_8() {
    let sim = Simulator::start(Default::default()).unwrap();
    let config = Dir::new();
    let (code, stdout, stderr) = run(&sim, &config, &["mp", "login", "--no-browser", "--port", "0", "--timeout", "1", "--json"]);
    assert_eq!(code, 8, "{stdout}\n{stderr}");
    assert!(stderr.contains("--timeout"), "{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["error"]["code"], "login-timeout");
    assert!(!config.tokens().exists());
}
