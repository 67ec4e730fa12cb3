//! Webhook deliveries: a POST of the event envelope to the URL registered with
//! [`crate::Simulator::set_mp_webhook`], signed with `X-Ecg-Signature` (hex HMAC-SHA256 of the
//! body with the shared secret). Delivered from the simulator's runtime, retried up to three
//! times until the receiver answers 2xx (at least once, as the real service).

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::time::{iso, now_secs};
use crate::Shared;

/// One delivery attempt's outcome, for [`crate::Simulator::mp_webhook_deliveries`].
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub event_id: String,
    pub event_type: String,
    /// HTTP status the receiver answered with, or `None` when it could not be reached.
    pub status: Option<u16>,
}

pub(crate) fn sign(body: &[u8], secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The envelope bytes of an event (`id`, `eventType`, `created`, `eventData`, in that order).
pub(crate) fn envelope(event_type: &str, data: Value) -> (String, Vec<u8>) {
    let id = super::uuid();
    let created = iso(now_secs()).replace('Z', ".000Z");
    let body = format!(
        "{{\"id\":{},\"eventType\":{},\"created\":{},\"eventData\":{}}}",
        json!(id),
        json!(event_type),
        json!(created),
        data
    );
    (id, body.into_bytes())
}

/// Send `event_type` with `data` to the registered URL, if any (in the background).
pub(crate) fn deliver(shared: &std::sync::Arc<Shared>, event_type: &str, data: Value) {
    let Some((url, secret)) = shared.mp.lock().webhook.clone() else { return };
    let Some(handle) = shared.runtime.get().cloned() else { return };
    let (id, body) = envelope(event_type, data);
    let signature = sign(&body, &secret);
    let shared = shared.clone();
    let event_type = event_type.to_owned();
    handle.spawn(async move {
        for attempt in 0..3u32 {
            let status = post(&url, &body, &signature).await;
            shared.mp.lock().deliveries.push(Delivery { event_id: id.clone(), event_type: event_type.clone(), status });
            if status.is_some_and(|s| (200..300).contains(&s)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100 * 2u64.pow(attempt))).await;
        }
    });
}

/// A minimal HTTP/1.1 POST to an `http://` URL (receivers in tests live on loopback).
async fn post(url: &str, body: &[u8], signature: &str) -> Option<u16> {
    let url = url::Url::parse(url).ok()?;
    if url.scheme() != "http" {
        return None;
    }
    let host = url.host_str()?.to_owned();
    let port = url.port_or_known_default()?;
    let mut path = url.path().to_owned();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(q);
    }
    let mut stream = tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect((host.as_str(), port))).await.ok()?.ok()?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\nX-Ecg-Signature: {signature}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(body).await.ok()?;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
    let line = String::from_utf8_lossy(&buf);
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_docs_test_vector() {
        let body = br#"{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}"#;
        assert_eq!(super::sign(body, "s3cr3t"), "c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97");
    }
}
