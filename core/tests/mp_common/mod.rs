//! Helpers shared by the Marktplaats integration tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use sellkit::marktplaats::{Client, ClientBuilder, TokenSet};
use sellkit_simulator::Simulator;
use serde_json::{json, Value};

pub const REDIRECT: &str = "https://app.example.com/callback";
pub const TOKEN_ROUTE: &str = "POST /accounts/oauth/token";

/// A builder for `platform` on the simulator, with the demo client credentials.
pub fn builder(sim: &Simulator, platform: &str) -> ClientBuilder {
    Client::builder()
        .platform_name(platform)
        .base_url(sim.marktplaats_url(platform))
        .client_id(sim.mp_client_id())
        .client_secret(sim.mp_client_secret())
}

/// Follow the authorization URL like a browser would (the simulator approves at once) and
/// return the `code` and `state` of the redirect.
pub async fn authorize(url: &str) -> (String, String) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap();
    let resp = http.get(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 302, "authorize answers with a redirect");
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    let parsed = url::Url::parse(&location).unwrap();
    let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    (q["code"].clone(), q["state"].clone())
}

/// A client logged in through the authorization-code flow.
pub async fn user_client(sim: &Simulator, platform: &str) -> Client {
    user_client_with(builder(sim, platform)).await
}

pub async fn user_client_with(b: ClientBuilder) -> Client {
    let client = b.build().unwrap();
    let (url, state) = client.authorization_url(REDIRECT, None, None).unwrap();
    let (code, returned_state) = authorize(&url).await;
    assert_eq!(state, returned_state);
    client.exchange_code(&code, REDIRECT).await.unwrap();
    client
}

/// Records every token set handed to `on_token` (the refresh token exposed, for assertions).
#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<Value>>>);

impl Recorder {
    pub fn callback(&self) -> impl Fn(&TokenSet) -> sellkit::Result<()> + Send + Sync + 'static {
        let seen = self.0.clone();
        move |set: &TokenSet| {
            seen.lock().unwrap().push(set.to_json());
            Ok(())
        }
    }
    pub fn sets(&self) -> Vec<Value> {
        self.0.lock().unwrap().clone()
    }
}

/// The body of a valid ad.
pub fn cd_player(title: &str) -> Value {
    json!({
        "categoryId": 35, "title": title, "description": "This is an awesome cd-player",
        "condition": "Nieuw", "brand": "Sony", "properties": "Draagbaar", "delivery": "Ophalen",
        "priceModel": {"modelType": "fixed", "askingPrice": 3241}, "location": {"postcode": "1097DN"}
    })
}

/// One request a [`Capture`] server received.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: std::collections::HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A loopback HTTP/1.1 peer that records every request and answers each with
/// `status` and `body` (JSON).
pub struct Capture {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Captured>>>,
    pub reply: Arc<Mutex<(u16, String)>>,
}

impl Capture {
    pub async fn start() -> Capture {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<Captured>>> = Arc::default();
        let reply = Arc::new(Mutex::new((200u16, "{}".to_owned())));
        let (reqs, rep) = (requests.clone(), reply.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let (reqs, rep) = (reqs.clone(), rep.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 8192];
                    let head_end = loop {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                    let mut lines = head.split("\r\n");
                    let mut first = lines.next().unwrap_or("").split_whitespace();
                    let (method, path) = (first.next().unwrap_or("").to_owned(), first.next().unwrap_or("").to_owned());
                    let headers: std::collections::HashMap<String, String> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                    while buf.len() < head_end + len {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let body = buf[head_end..(head_end + len).min(buf.len())].to_vec();
                    reqs.lock().unwrap().push(Captured { method, path, headers, body });
                    let (status, text) = rep.lock().unwrap().clone();
                    let resp = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                        text.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        Capture { url, requests, reply }
    }

    pub fn set_reply(&self, status: u16, body: &Value) {
        *self.reply.lock().unwrap() = (status, body.to_string());
    }

    pub fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.requests.lock().unwrap())
    }

    /// Wait until `n` requests arrived (at most 5 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Captured> {
        for _ in 0..100 {
            if self.requests.lock().unwrap().len() >= n {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.requests.lock().unwrap().clone()
    }
}

/// Run an operation through the catalogue the Python and Node packages use; its JSON view.
#[allow(dead_code)]
pub async fn call(c: &sellkit::marktplaats::Client, op: &str, args: serde_json::Value) -> sellkit::Result<serde_json::Value> {
    Ok(sellkit::catalogue::MARKTPLAATS.call_json(c, op, args).await?.into_json().unwrap_or(serde_json::Value::Null))
}

/// Open a list through the catalogue.
#[allow(dead_code)]
pub fn list(c: &sellkit::marktplaats::Client, op: &str, args: serde_json::Value) -> sellkit::Result<sellkit::pagination::Paginator> {
    sellkit::catalogue::MARKTPLAATS.list_json(c, op, args)
}
