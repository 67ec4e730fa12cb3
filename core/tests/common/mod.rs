//! Shared helpers of the EQP integration tests.
#![allow(dead_code)]

use std::time::Duration;

use sellkit::eqp::{Client, Model, Package};
use sellkit_simulator::{Simulator, SimulatorConfig};
use serde_json::{json, Value};

pub fn sim() -> Simulator {
    Simulator::start(SimulatorConfig { eqp_review_delay: None, eqp_scan_delay: Duration::from_millis(50), ..Default::default() }).unwrap()
}

pub fn client(sim: &Simulator) -> Client {
    Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build().unwrap()
}

pub fn package(v: Value) -> Package {
    Package::from_input(&v, "test").unwrap()
}

/// A package with everything both reviews require.
pub fn complete(name: &str, item_id: &str) -> Value {
    json!({
        "item_id": item_id,
        "type": "extension", "platform": "M2",
        "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
        "name": name, "long_description": "Long", "release_notes": "Notes", "version": "1.0.0",
        "artifact": {"file_upload_id": "zip.1"},
        "documentation_artifacts": {"user": {"file_upload_id": "pdf.1"}},
        "media_artifacts": {"icon_image": {"file_upload_id": "png.1"}},
        "categories": ["//Extensions//Payments & Security//Checkout Enhancements"],
        "license_type": "mit",
        "launch_on_approval": true,
        "prices": [{"edition": "CE", "currency_code": "USD", "price": "15.50"}]
    })
}

/// Poll `f` until it returns `Some`, for at most `timeout`.
pub async fn eventually<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < timeout, "condition not met within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn to_json<T: Model>(m: &T) -> Value {
    m.to_json()
}

/// A tiny HTTP receiver for callbacks: records `(authorization header, body)` of each POST.
pub struct Receiver {
    pub url: String,
    pub received: std::sync::Arc<std::sync::Mutex<Vec<(Option<String>, Vec<u8>)>>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/callback", listener.local_addr().unwrap());
        let received: std::sync::Arc<std::sync::Mutex<Vec<(Option<String>, Vec<u8>)>>> = Default::default();
        let store = received.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let store = store.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
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
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let header = |name: &str| {
                        head.lines().find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                        })
                    };
                    let len: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                    while buf.len() < head_end + len {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let body = buf[head_end..(head_end + len).min(buf.len())].to_vec();
                    store.lock().unwrap().push((header("authorization"), body));
                    let _ = sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                });
            }
        });
        Receiver { url, received }
    }

    pub fn events(&self) -> Vec<(Option<String>, Vec<u8>)> {
        self.received.lock().unwrap().clone()
    }
}

/// Run an operation through the catalogue the Python and Node packages use; its JSON view.
#[allow(dead_code)]
pub async fn call(c: &Client, op: &str, args: Value) -> sellkit::Result<Value> {
    Ok(sellkit::catalogue::EQP.call_json(c, op, args).await?.into_json().unwrap_or(Value::Null))
}
