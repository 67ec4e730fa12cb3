//! The HTTP settings every client builder takes, checked in one place.

use std::time::Duration;

use url::Url;

use super::RetryPolicy;
use crate::error::{Error, Result};

/// Timeouts of a client. What each covers:
/// - `connect`: establishing the TCP (and TLS) connection, per attempt;
/// - `request`: one attempt from the start of connecting until the whole response body is read;
/// - `upload`: the same as `request`, for multipart uploads, which move more bytes.
///
/// Waiting between retries is not counted in either: a call can take up to
/// `(max_retries + 1) × request` plus the backoff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeouts {
    /// Establishing the connection, per attempt. Default 10 s.
    pub connect: Duration,
    /// One attempt, from connecting until the response body is read. Default 60 s.
    pub request: Duration,
    /// One attempt of a multipart upload. Default 600 s.
    pub upload: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), request: Duration::from_secs(60), upload: Duration::from_secs(600) }
    }
}

/// Settings that one call (or a derived client) may override.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CallOptions {
    /// Time for one attempt (see [`Timeouts::request`]).
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
}

impl CallOptions {
    /// Check the overrides.
    ///
    /// # Errors
    ///
    /// Invalid input for `timeout` when it is zero, for `max_retries` when it is above 10.
    pub fn validate(&self) -> Result<()> {
        if self.timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::invalid_input("timeout", "must be greater than zero"));
        }
        if self.max_retries.is_some_and(|n| n > 10) {
            return Err(Error::invalid_input("max_retries", "must be between 0 and 10"));
        }
        Ok(())
    }
}

/// Default of the largest response body read into memory ([`HttpSettings::max_response_bytes`]);
/// a bigger one is a decode error, not an allocation.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Settings a transport is built from.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// Base URL every path is joined to (already checked by [`super::parse_base_url`]).
    pub base_url: Url,
    /// Connect, request and upload timeouts.
    pub timeouts: Timeouts,
    /// When to retry and how long to wait.
    pub retry: RetryPolicy,
    /// Text appended to the `User-Agent` (`my-shop/2.1`).
    pub user_agent_suffix: Option<String>,
    /// Largest response body read into memory.
    pub max_response_bytes: usize,
    /// A proxy for every request (checked).
    pub proxy: Option<reqwest::Proxy>,
    /// Extra trusted certificates (read and parsed).
    pub roots: Vec<reqwest::Certificate>,
    /// Back-offs shared with the other clients of a token store (see [`super::SharedBackoff`]).
    pub backoff: Option<std::sync::Arc<super::SharedBackoff>>,
}

/// Timeouts, retries, the response cap and the user-agent suffix, as a builder collects them.
#[derive(Debug, Clone, Default)]
pub struct HttpSettings {
    /// [`Timeouts::request`]; 60 s when `None`.
    pub timeout: Option<Duration>,
    /// [`Timeouts::connect`]; 10 s when `None`.
    pub connect_timeout: Option<Duration>,
    /// [`Timeouts::upload`]; 600 s when `None`.
    pub upload_timeout: Option<Duration>,
    /// [`RetryPolicy::max_retries`], 0 to 10; 2 when `None`.
    pub max_retries: Option<u32>,
    /// Text appended to the `User-Agent` (`my-shop/2.1`); printable ASCII on one line.
    pub user_agent_suffix: Option<String>,
    /// Largest response body read into memory ([`MAX_RESPONSE_BYTES`] by default).
    pub max_response_bytes: Option<usize>,
    /// A proxy for every request, loopback included (`http://`, `https://` or `socks5://`).
    /// Without one, the environment's (`HTTPS_PROXY`, `NO_PROXY`) and on macOS and Windows the
    /// system's proxy settings apply, never to loopback.
    pub proxy: Option<String>,
    /// A PEM file of certificates to trust besides the system's (a private CA, a TLS-inspecting
    /// gateway). Without one, the file a binding's ecosystem names in its variable
    /// ([`set_ca_bundle_names`]) is used when that variable is set.
    pub ca_bundle: Option<std::path::PathBuf>,
}

/// How the language sellkit is used from names a CA bundle: the setting (`ca_bundle`,
/// `caBundle`) and the environment variable of its ecosystem (`REQUESTS_CA_BUNDLE`,
/// `NODE_EXTRA_CA_CERTS`). Set once by a binding when it loads; Rust has the setting only.
#[derive(Debug, Clone, Copy)]
struct CaBundleNames {
    setting: &'static str,
    variable: Option<&'static str>,
}

static CA_BUNDLE_NAMES: std::sync::OnceLock<CaBundleNames> = std::sync::OnceLock::new();

fn ca_bundle_names() -> CaBundleNames {
    CA_BUNDLE_NAMES.get().copied().unwrap_or(CaBundleNames { setting: "ca_bundle", variable: None })
}

/// Name the CA-bundle setting as the binding spells it and the variable its ecosystem reads
/// (see [`HttpSettings::ca_bundle`]); the variable is read when the setting is not given, and
/// both appear in the advice of an untrusted-certificate error.
pub fn set_ca_bundle_names(setting: &'static str, variable: &'static str) {
    let _ = CA_BUNDLE_NAMES.set(CaBundleNames { setting, variable: Some(variable) });
}

/// What to do about a certificate that is not trusted, in the caller's language's words.
pub(crate) fn untrusted_certificate_advice() -> String {
    let names = ca_bundle_names();
    let variable = names.variable.map(|v| format!(" (or name the file in {v})")).unwrap_or_default();
    format!(
        "the server's TLS certificate is not trusted: if a private CA or a TLS-inspecting gateway signs it, \
         pass that CA's certificate (a PEM file) as {}{variable}",
        names.setting
    )
}

impl HttpSettings {
    /// Check every setting (naming the bad one) and make the transport config for `base_url`.
    ///
    /// # Errors
    ///
    /// Invalid input for `timeout`, `connect_timeout`, `upload_timeout` or
    /// `max_response_bytes` when zero, for `max_retries` when above 10.
    pub fn config(&self, base_url: Url) -> Result<TransportConfig> {
        let defaults = Timeouts::default();
        let timeouts = Timeouts {
            connect: positive("connect_timeout", self.connect_timeout, defaults.connect)?,
            request: positive("timeout", self.timeout, defaults.request)?,
            upload: positive("upload_timeout", self.upload_timeout, defaults.upload)?,
        };
        let mut retry = RetryPolicy::default();
        if let Some(n) = self.max_retries {
            if n > 10 {
                return Err(Error::invalid_input("max_retries", "must be between 0 and 10"));
            }
            retry.max_retries = n;
        }
        let max_response_bytes = match self.max_response_bytes {
            None => MAX_RESPONSE_BYTES,
            Some(0) => return Err(Error::invalid_input("max_response_bytes", "must be greater than zero")),
            Some(n) => n,
        };
        let proxy = self.proxy.as_deref().map(parse_proxy).transpose()?;
        let roots = match (&self.ca_bundle, ca_bundle_names().variable) {
            (Some(path), _) => read_ca_bundle(path, "")?,
            (None, Some(variable)) => match crate::env::var(variable) {
                Some(path) => read_ca_bundle(path.as_ref(), &format!(" (named by {variable})"))?,
                None => Vec::new(),
            },
            (None, None) => Vec::new(),
        };
        Ok(TransportConfig {
            base_url,
            timeouts,
            retry,
            user_agent_suffix: self.user_agent_suffix.clone(),
            max_response_bytes,
            proxy,
            roots,
            backoff: None,
        })
    }
}

/// A proxy URL: `http://`, `https://` or `socks5://` (credentials in the URL are allowed).
fn parse_proxy(url: &str) -> Result<reqwest::Proxy> {
    let parsed = Url::parse(url).map_err(|e| Error::invalid_input("proxy", format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https" | "socks5" | "socks5h") {
        return Err(Error::invalid_input("proxy", format!("must be an http://, https:// or socks5:// URL, got {}://", parsed.scheme())));
    }
    reqwest::Proxy::all(parsed.as_str()).map_err(|e| Error::invalid_input("proxy", format!("not usable as a proxy ({e})")))
}

/// The certificates of a PEM file (one or more); `origin` says where the path came from when
/// not from the setting itself.
fn read_ca_bundle(path: &std::path::Path, origin: &str) -> Result<Vec<reqwest::Certificate>> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| Error::invalid_input("ca_bundle", format!("cannot read {shown}{origin}: {e}")))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| Error::invalid_input("ca_bundle", format!("{shown}{origin} is not a PEM file of certificates ({e})")))?;
    if certs.is_empty() {
        return Err(Error::invalid_input("ca_bundle", format!("{shown}{origin} holds no certificate")));
    }
    Ok(certs)
}

fn positive(field: &str, value: Option<Duration>, default: Duration) -> Result<Duration> {
    match value {
        None => Ok(default),
        Some(d) if d.is_zero() => Err(Error::invalid_input(field, "must be greater than zero")),
        Some(d) => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_name_their_field() {
        let url = Url::parse("https://example.com").unwrap();
        let s = HttpSettings { timeout: Some(Duration::ZERO), ..Default::default() };
        assert_eq!(s.config(url.clone()).unwrap_err().field(), Some("timeout"));
        let s = HttpSettings { max_retries: Some(11), ..Default::default() };
        assert_eq!(s.config(url.clone()).unwrap_err().field(), Some("max_retries"));
        let s = HttpSettings { max_response_bytes: Some(0), ..Default::default() };
        assert_eq!(s.config(url.clone()).unwrap_err().field(), Some("max_response_bytes"));
        let c = HttpSettings { max_response_bytes: Some(65536), ..Default::default() }.config(url.clone()).unwrap();
        assert_eq!(c.max_response_bytes, 65536);
        let c = HttpSettings { max_retries: Some(0), ..Default::default() }.config(url).unwrap();
        assert_eq!(c.retry.max_retries, 0);
        assert_eq!(c.timeouts, Timeouts::default());
        assert_eq!(c.max_response_bytes, MAX_RESPONSE_BYTES);
    }
}
