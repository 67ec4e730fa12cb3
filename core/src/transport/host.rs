//! Base URLs: HTTPS only, except loopback addresses (the simulator and tests).

use std::net::IpAddr;

use url::Url;

use crate::error::{Error, Result};

/// Parse and check a base URL given by the caller in `field`.
///
/// `https://` is always accepted; `http://` only for loopback hosts (127.0.0.0/8, `::1`,
/// `localhost`), because tokens and secrets travel in headers. A trailing slash is removed so
/// that paths can be appended as they are written in the API references.
pub fn parse_base_url(field: &str, raw: &str) -> Result<Url> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    let mut url = Url::parse(raw).map_err(|e| Error::invalid_input(field, format!("not a valid URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid_input(
                field,
                format!(
                    "plain http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https:// for {}",
                    url.host_str().unwrap_or("")
                ),
            ))
        }
        other => return Err(Error::invalid_input(field, format!("unsupported scheme {other:?}; use https://"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(field, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(field, "must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_input(field, "must not have a query or fragment"));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

/// Whether the URL points at this machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_are_accepted() {
        assert_eq!(parse_base_url("base_url", "https://api.example.com/").unwrap().as_str(), "https://api.example.com/");
        assert!(parse_base_url("base_url", "http://127.0.0.1:8080").is_ok());
        assert!(parse_base_url("base_url", "http://127.8.9.10:8080").is_ok());
        assert!(parse_base_url("base_url", "http://[::1]:8080").is_ok());
        assert!(parse_base_url("base_url", "http://localhost:1/x/").unwrap().as_str().ends_with("/x"));
    }

    #[test]
    fn plain_http_elsewhere_is_refused_naming_the_field() {
        for bad in ["http://api.example.com", "http://10.0.0.1", "ftp://x", "", "nonsense", "https://u:p@h"] {
            let e = parse_base_url("base_url", bad).unwrap_err();
            assert_eq!(e.field(), Some("base_url"), "{bad}: {e}");
        }
        let e = parse_base_url("base_url", "http://api.example.com").unwrap_err();
        assert!(e.message().contains("https://"), "{e}");
    }
}
