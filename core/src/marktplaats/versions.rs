//! API versions: `/v1` and `/v2` paths.
//!
//! The API is served under `/v1` and `/v2` side by side, on the same hosts and with the same
//! tokens (reference §1.1). The v2 docs list the v1 resource set (their navigation is v1's plus
//! "User legal status" and "LMS Services"), so a client built with `api_version` `v2` sends every
//! endpoint those pages list to its `/v2` path: [`V2_PATHS`]. The endpoints the v2 docs do not
//! list, only reachable as v1 pages (category fees, fitments, the seller profile with its images,
//! review settings, user features), keep their `/v1` path: the v1 API answers them for the same
//! token, so a v2 client can do everything a v1 client can, instead of refusing those operations
//! and forcing a second client on the caller. [`Client::request`](super::Client::request) sends
//! the path it is given, unchanged. Legal status and purchased features are v2 paths in either
//! version, as the docs give them.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Which version of the API a client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiVersion {
    /// `/v1/...` (the default).
    #[default]
    V1,
    /// `/v2/...` for every endpoint the v2 docs list; `/v1` for the others.
    V2,
}

impl ApiVersion {
    /// `v1` or `v2`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

impl std::str::FromStr for ApiVersion {
    type Err = Error;
    /// `v1` or `v2` (any case; `1` and `2` too); invalid input for `api_version` otherwise.
    fn from_str(s: &str) -> Result<ApiVersion> {
        match s.trim().to_ascii_lowercase().as_str() {
            "v1" | "1" => Ok(ApiVersion::V1),
            "v2" | "2" => Ok(ApiVersion::V2),
            _ => Err(Error::invalid_input("api_version", format!("must be \"v1\" or \"v2\", got {s:?}"))),
        }
    }
}

/// The endpoints the v2 docs list, as paths below the version (`{}`: one segment). Everything
/// else under `/v1` stays there with `api_version` `v2`.
pub const V2_PATHS: &[&str] = &[
    "",
    "/categories",
    "/categories/{}",
    "/categories/{}/{}",
    "/categories/{}/{}/attributes",
    "/advertisements",
    "/advertisements/{}",
    "/advertisements/{}/images",
    "/advertisements/{}/features",
    "/advertisements/{}/features/{}",
    "/advertisements/{}/features/{}/buy-feature",
    "/advertisements/{}/purchased-features",
    "/advertisements/{}/renew",
    "/advertisements/{}/statistics",
    "/advertisements/{}/transactions",
    "/advertisements/{}/transactions/{}",
    "/advertisements/{}/upcall-confirmations",
    "/advertisements/{}/bids",
    "/advertisements/{}/bids/{}",
    "/advertisements/{}/bids/{}/actions/ask-bidder-question",
    "/images/{}",
    "/images/{}/{}/blob",
    "/images/{}/{}/meta",
    "/me",
    "/users",
    "/users/{}",
    "/users/{}/change-email",
    "/users/{}/advertisements",
    "/users/{}/brands",
    "/users/{}/reviews",
    "/users/{}/statistics",
    "/users/{}/legal-status",
    "/orders/{}",
    "/orders/{}/products",
    "/orders/{}/products/{}",
    "/locations",
    "/search",
];

/// Whether `rest` (a path below the version, without query) is one of [`V2_PATHS`].
pub fn listed_in_v2(rest: &str) -> bool {
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    V2_PATHS.iter().any(|template| {
        let t: Vec<&str> = template.split('/').skip(1).collect();
        t.len() == segments.len() && t.iter().zip(&segments).all(|(t, s)| (*t == "{}" && !s.is_empty()) || t == s)
    })
}

/// The path a request of a client speaking `version` goes to: a `/v1` path the v2 docs list
/// becomes its `/v2` path under [`ApiVersion::V2`]; anything else is kept.
pub fn path_for(version: ApiVersion, path: &str) -> Cow<'_, str> {
    if version == ApiVersion::V1 {
        return Cow::Borrowed(path);
    }
    let (p, query) = match path.find(['?', '#']) {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    match p.strip_prefix("/v1") {
        Some(rest) if (rest.is_empty() || rest.starts_with('/')) && listed_in_v2(rest) => Cow::Owned(format!("/v2{rest}{query}")),
        _ => Cow::Borrowed(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_paths_for_listed_endpoints_only() {
        let v2 = |p| path_for(ApiVersion::V2, p).into_owned();
        assert_eq!(v2("/v1/advertisements/m12"), "/v2/advertisements/m12");
        assert_eq!(v2("/v1/advertisements"), "/v2/advertisements");
        assert_eq!(v2("/v1"), "/v2");
        assert_eq!(v2("/v1/users/1/advertisements?offset=100&limit=100"), "/v2/users/1/advertisements?offset=100&limit=100");
        assert_eq!(v2("/v1/categories/1/2/attributes"), "/v2/categories/1/2/attributes");
        // Not listed by the v2 docs: kept under /v1.
        for p in ["/v1/categories/1/2/fees", "/v1/advertisements/m1/fitments", "/v1/users/1/profile", "/v1/users/1/profile/logo-image",
                  "/v1/users/1/reviews-settings", "/v1/users/1/features", "/v1vx/advertisements", "/accounts/oauth/token"] {
            assert_eq!(v2(p), p);
        }
        assert_eq!(v2("/v2/users/1/legal-status"), "/v2/users/1/legal-status");
        assert_eq!(path_for(ApiVersion::V1, "/v1/advertisements/m12"), "/v1/advertisements/m12");
        assert_eq!(path_for(ApiVersion::V1, "/v2/users/1/legal-status"), "/v2/users/1/legal-status");
    }

    #[test]
    fn names() {
        assert_eq!("V2".parse::<ApiVersion>().unwrap(), ApiVersion::V2);
        assert_eq!("v3".parse::<ApiVersion>().unwrap_err().field(), Some("api_version"));
    }
}
