//! Advertisement images: add by URL (downloaded asynchronously), read their status, wait until
//! they are available; image metadata and bytes.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::Method;
use serde_json::{json, Value};

use super::ads::ad_path;
use super::models::{decode, Collection, Image};
use super::{seg, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::transport::Request;

/// Default time [`Images::wait_until_available`] waits.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(60);
/// Default pause between two polls.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// `client.images()`.
pub struct Images<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Images of advertisements.
    pub fn images(&self) -> Images<'_> {
        Images { client: self }
    }
}

fn image_path(media_id: &str) -> Result<String> {
    Ok(format!("/v1/images/{}", seg("media_id", media_id)?))
}

impl Images<'_> {
    /// `GET /v1/advertisements/{itemId}/images`.
    pub async fn list(&self, item_id: &str) -> Result<Collection> {
        decode(self.client.get_value(format!("{}/images", ad_path(item_id)?)).await?)
    }

    /// `POST /v1/advertisements/{itemId}/images` with `{urls, replaceAll}` → 202 with one
    /// placeholder per URL (`status: downloading`), in the given order. A URL is fetched once per
    /// ad: change the URL to replace an image's content.
    ///
    /// # Errors
    ///
    /// Invalid input for `urls` (empty) or `urls[i]` (not an `http(s)` URL); otherwise the
    /// errors of any call.
    pub async fn add(&self, item_id: &str, urls: &[String], replace_all: bool) -> Result<Collection> {
        decode(self.add_value(item_id, urls, replace_all).await?)
    }
    /// [`Images::add`] on JSON.
    pub async fn add_value(&self, item_id: &str, urls: &[String], replace_all: bool) -> Result<Value> {
        if urls.is_empty() {
            return Err(Error::invalid_input("urls", "must name at least one image URL"));
        }
        for (i, u) in urls.iter().enumerate() {
            match url::Url::parse(u) {
                Ok(p) if matches!(p.scheme(), "http" | "https") => {}
                _ => return Err(Error::invalid_input(format!("urls[{i}]"), format!("{u:?} is not an http(s) URL"))),
            }
        }
        let body = json!({"urls": urls, "replaceAll": replace_all});
        self.client.send_json(Method::POST, format!("{}/images", ad_path(item_id)?), &body).await?.json()
    }

    /// `GET /v1/images/{mediaId}`.
    pub async fn get(&self, media_id: &str) -> Result<Image> {
        decode(self.get_value(media_id).await?)
    }
    /// [`Images::get`] on JSON.
    pub async fn get_value(&self, media_id: &str) -> Result<Value> {
        self.client.get_value(image_path(media_id)?).await
    }

    /// Poll `GET /v1/images/{mediaId}` until `status` is `available`. Fails with kind `Timeout`
    /// (code `image-not-available`) after `timeout` (60 s by default); polls every `interval`
    /// (0.5 s by default). Invalid input for `timeout` or `interval` when zero.
    pub async fn wait_until_available(&self, media_id: &str, timeout: Option<Duration>, interval: Option<Duration>) -> Result<Image> {
        decode(self.wait_until_available_value(media_id, timeout, interval).await?)
    }
    /// [`Images::wait_until_available`] on JSON.
    pub async fn wait_until_available_value(&self, media_id: &str, timeout: Option<Duration>, interval: Option<Duration>) -> Result<Value> {
        let timeout = timeout.unwrap_or(DEFAULT_WAIT);
        let interval = interval.unwrap_or(DEFAULT_POLL_INTERVAL);
        if timeout.is_zero() {
            return Err(Error::invalid_input("timeout", "must be greater than zero"));
        }
        if interval.is_zero() {
            return Err(Error::invalid_input("interval", "must be greater than zero"));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let image = self.get_value(media_id).await?;
            let status = image.get("status").and_then(Value::as_str).unwrap_or("");
            if status == "available" {
                return Ok(image);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!("image {media_id} is still {status:?} after {:.1}s", timeout.as_secs_f64()),
                )
                .with_code("image-not-available"));
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
        }
    }

    /// `GET /v1/images/{mediaId}/{size}/meta`.
    pub async fn meta(&self, media_id: &str, size: &str) -> Result<Value> {
        self.client.get_value(format!("{}/{}/meta", image_path(media_id)?, seg("size", size)?)).await
    }

    /// `GET /v1/images/{mediaId}/{size}/blob`: the image bytes and their content type.
    pub async fn blob(&self, media_id: &str, size: &str) -> Result<(Bytes, Option<String>)> {
        let mut req = Request::new(Method::GET, format!("{}/{}/blob", image_path(media_id)?, seg("size", size)?));
        req.accept = Some("image/*, application/json".to_owned());
        let resp = self.client.send(req).await?;
        let ct = resp.header("content-type").map(str::to_owned);
        Ok((resp.body, ct))
    }
}
