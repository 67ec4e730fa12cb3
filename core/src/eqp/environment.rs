//! Where the EQP API lives.

use std::str::FromStr;

use crate::error::{Error, Result};

/// A named EQP environment. Sandbox and production are separate worlds: separate keys, tokens,
/// profiles and submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// `https://commercedeveloper-api.adobe.com` (current production host).
    #[default]
    Production,
    /// `https://commercedeveloper-sandbox-api.adobe.com` (current sandbox host).
    Sandbox,
    /// `https://developer-api.magento.com` (production host before the 2023 rebrand).
    LegacyProduction,
    /// `https://developer-stg-api.magento.com` (sandbox host before the 2023 rebrand).
    LegacySandbox,
}

impl Environment {
    /// Every environment, in the order above.
    pub const ALL: [Environment; 4] =
        [Environment::Production, Environment::Sandbox, Environment::LegacyProduction, Environment::LegacySandbox];

    /// The API base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Production => "https://commercedeveloper-api.adobe.com",
            Environment::Sandbox => "https://commercedeveloper-sandbox-api.adobe.com",
            Environment::LegacyProduction => "https://developer-api.magento.com",
            Environment::LegacySandbox => "https://developer-stg-api.magento.com",
        }
    }

    /// `production`, `sandbox`, `legacy-production` or `legacy-sandbox` (what [`FromStr`] reads).
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
            Environment::LegacyProduction => "legacy-production",
            Environment::LegacySandbox => "legacy-sandbox",
        }
    }
}

impl FromStr for Environment {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Environment::ALL.into_iter().find(|e| e.as_str() == s.trim()).ok_or_else(|| {
            let names: Vec<_> = Environment::ALL.iter().map(|e| e.as_str()).collect();
            Error::invalid_input("environment", format!("unknown environment {s:?}; expected one of {}", names.join(", ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_is_refused() {
        for e in Environment::ALL {
            assert_eq!(e.as_str().parse::<Environment>().unwrap(), e);
            assert!(e.base_url().starts_with("https://"));
        }
        let err = "staging".parse::<Environment>().unwrap_err();
        assert_eq!(err.field(), Some("environment"));
        assert!(err.message().contains("sandbox"));
    }
}
