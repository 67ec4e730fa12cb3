//! A minimal EQP callback receiver.
//!
//! `cargo run -p sellkit --example eqp_callback_receiver` starts the sellkit simulator, listens
//! on a local port with a plain `std::net::TcpListener`, registers that URL as the account's
//! callback, uploads a file and prints the `malware_scan_complete` callback the simulator sends,
//! after checking its Basic credentials with [`sellkit::eqp::parse_callback`].
//!
//! In production the URL must be HTTPS; put this behind your TLS-terminating server, answer 200
//! quickly, and re-fetch the file or package by id before acting (the payload is not signed).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use sellkit::eqp::{parse_callback, ApiCallback, Client, UploadSource};
use sellkit::Secret;

const USER: &str = "hook-user";
const PASSWORD: &str = "a long random password";

/// Serve one request per connection: read it, verify and parse it, answer, hand it over.
fn receive(listener: TcpListener, tx: mpsc::Sender<String>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let mut reader = BufReader::new(stream.try_clone().expect("socket"));
        let mut authorization = None;
        let mut length = 0usize;
        let mut line = String::new();
        reader.read_line(&mut line).ok();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "authorization" => authorization = Some(v.trim().to_owned()),
                    "content-length" => length = v.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).ok();
        let (status, report) = match parse_callback(&body, authorization.as_deref(), USER, PASSWORD) {
            Ok(envelope) => ("200 OK", format!("{} {:?}", envelope.event(), envelope.info())),
            Err(e) if e.kind() == sellkit::ErrorKind::Authentication => ("401 Unauthorized", format!("refused: {e}")),
            Err(e) => ("400 Bad Request", format!("unreadable: {e}")),
        };
        let _ = write!(stream, "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        let _ = tx.send(report);
    }
}

#[tokio::main]
async fn main() -> sellkit::Result<()> {
    let sim = sellkit_simulator::Simulator::start(Default::default()).expect("simulator");
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let url = format!("http://{}/eqp-callback", listener.local_addr().expect("address"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || receive(listener, tx));

    let client = Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build()?;
    client
        .callbacks()
        .register(&[ApiCallback {
            name: Some("example receiver".into()),
            url: Some(url.clone()),
            username: Some(USER.into()),
            password: Some(Secret::new(PASSWORD)),
            ..Default::default()
        }])
        .await?;
    println!("callback registered at {url}");
    let uploaded = client.files().upload(vec![UploadSource::bytes("extension.zip", b"PK\x05\x06".to_vec())], None).await?;
    println!("uploaded {:?}; waiting for the scan callback...", uploaded[0].file_upload_id);
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(report) => println!("received: {report}"),
        Err(_) => println!("no callback within 10 s"),
    }
    Ok(())
}
