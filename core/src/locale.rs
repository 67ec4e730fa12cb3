//! Marktplaats platforms, their hosts and locales, and the locale precedence rule.
//!
//! One API, two platforms on three hosts (reference §4):
//!
//! | platform | API host (production) | locales | default |
//! |---|---|---|---|
//! | `marktplaats` | `api.marktplaats.nl` | `nl-NL` | `nl-NL` |
//! | `2dehands` | `api.2dehands.be` | `nl-BE`, `fr-BE` | `nl-BE` |
//! | `2ememain` | `api.2ememain.be` | `nl-BE`, `fr-BE` | `fr-BE` |
//!
//! An entity's locale is, in this order: its own `locale` field, the user's preference, the host
//! default — see [`resolve`]. A locale the platform does not allow is refused before sending with
//! the code `invalid-locale`.
//!
//! Sandbox hosts: the documentation names only the sandbox OAuth servers
//! (`auth.demo.qa-mp.so`, `auth.demo-2dehands.qa-mp.so`, `auth.demo-2ememain.qa-mp.so`). No
//! sandbox API host is documented; sellkit uses `https://api.demo.qa-mp.so` for Marktplaats
//! (linked by an early guide and used by third-party code) and, by analogy with the auth hosts,
//! `https://api.demo-2dehands.qa-mp.so` and `https://api.demo-2ememain.qa-mp.so` for the Belgian
//! hosts. Pass `base_url` (and `auth_base_url`) when your contract names other hosts.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Machine code of a refused locale.
pub const INVALID_LOCALE: &str = "invalid-locale";

/// A Marktplaats platform host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// api.marktplaats.nl
    Marktplaats,
    /// api.2dehands.be (Dutch-speaking Belgium)
    TweedeHands,
    /// api.2ememain.be (French-speaking Belgium)
    DeuxiemeMain,
}

/// Production or sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MarktplaatsEnvironment {
    /// The live hosts (`api.marktplaats.nl`, ...). The default.
    #[default]
    Production,
    /// The sandbox hosts (`api.demo.qa-mp.so`, ...; see the [module docs](self)).
    Sandbox,
}

impl MarktplaatsEnvironment {
    /// `production` or `sandbox` (what [`FromStr`] reads; it also takes `prod`).
    pub fn as_str(self) -> &'static str {
        match self {
            MarktplaatsEnvironment::Production => "production",
            MarktplaatsEnvironment::Sandbox => "sandbox",
        }
    }
}

impl FromStr for MarktplaatsEnvironment {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "production" | "prod" => Ok(MarktplaatsEnvironment::Production),
            "sandbox" => Ok(MarktplaatsEnvironment::Sandbox),
            other => Err(Error::invalid_input("environment", format!("expected \"production\" or \"sandbox\", got {other:?}"))),
        }
    }
}

/// A locale the API knows (BCP 47 with a hyphen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// `nl-NL`: Dutch (Netherlands), the only locale on Marktplaats.
    NlNl,
    /// `nl-BE`: Dutch (Belgium).
    NlBe,
    /// `fr-BE`: French (Belgium).
    FrBe,
}

impl Locale {
    /// Every locale, in the order above.
    pub const ALL: [Locale; 3] = [Locale::NlNl, Locale::NlBe, Locale::FrBe];

    /// The BCP 47 tag: `nl-NL`, `nl-BE` or `fr-BE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::NlNl => "nl-NL",
            Locale::NlBe => "nl-BE",
            Locale::FrBe => "fr-BE",
        }
    }

    /// Parse a locale given in `field`. Case and `_` instead of `-` are tolerated (`nl_be`).
    ///
    /// # Errors
    ///
    /// Invalid input with the code `invalid-locale` and the field `field` when `raw` is none of
    /// the three locales.
    pub fn parse_field(field: &str, raw: &str) -> Result<Locale> {
        let norm = raw.trim().replace('_', "-").to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.as_str().to_ascii_lowercase() == norm).ok_or_else(|| {
            Error::invalid_input(field, format!("unknown locale {raw:?}; the API knows nl-NL, nl-BE and fr-BE"))
                .with_code(INVALID_LOCALE)
        })
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Locale {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Locale::parse_field("locale", s)
    }
}

impl Platform {
    /// Every platform, in the order above.
    pub const ALL: [Platform; 3] = [Platform::Marktplaats, Platform::TweedeHands, Platform::DeuxiemeMain];

    /// `marktplaats`, `2dehands` or `2ememain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Marktplaats => "marktplaats",
            Platform::TweedeHands => "2dehands",
            Platform::DeuxiemeMain => "2ememain",
        }
    }

    /// The locales an entity may carry on this platform.
    pub fn locales(self) -> &'static [Locale] {
        match self {
            Platform::Marktplaats => &[Locale::NlNl],
            Platform::TweedeHands | Platform::DeuxiemeMain => &[Locale::NlBe, Locale::FrBe],
        }
    }

    /// The host default.
    pub fn default_locale(self) -> Locale {
        match self {
            Platform::Marktplaats => Locale::NlNl,
            Platform::TweedeHands => Locale::NlBe,
            Platform::DeuxiemeMain => Locale::FrBe,
        }
    }

    /// Whether entities on this platform carry a `locale` field (the Belgian hosts).
    pub fn has_entity_locale(self) -> bool {
        !matches!(self, Platform::Marktplaats)
    }

    /// The API base URL of this platform in `env` (see the [module docs](self) for the sandbox
    /// hosts).
    pub fn api_base_url(self, env: MarktplaatsEnvironment) -> &'static str {
        use MarktplaatsEnvironment::*;
        match (self, env) {
            (Platform::Marktplaats, Production) => "https://api.marktplaats.nl",
            (Platform::TweedeHands, Production) => "https://api.2dehands.be",
            (Platform::DeuxiemeMain, Production) => "https://api.2ememain.be",
            (Platform::Marktplaats, Sandbox) => "https://api.demo.qa-mp.so",
            (Platform::TweedeHands, Sandbox) => "https://api.demo-2dehands.qa-mp.so",
            (Platform::DeuxiemeMain, Sandbox) => "https://api.demo-2ememain.qa-mp.so",
        }
    }

    /// The OAuth2 server (`/accounts/oauth/authorize` and `/accounts/oauth/token` below it).
    pub fn auth_base_url(self, env: MarktplaatsEnvironment) -> &'static str {
        use MarktplaatsEnvironment::*;
        match (self, env) {
            (Platform::Marktplaats, Production) => "https://auth.marktplaats.nl",
            (Platform::TweedeHands, Production) => "https://auth.2dehands.be",
            (Platform::DeuxiemeMain, Production) => "https://auth.2ememain.be",
            (Platform::Marktplaats, Sandbox) => "https://auth.demo.qa-mp.so",
            (Platform::TweedeHands, Sandbox) => "https://auth.demo-2dehands.qa-mp.so",
            (Platform::DeuxiemeMain, Sandbox) => "https://auth.demo-2ememain.qa-mp.so",
        }
    }

    /// Check that `raw` (given in `field`) is a locale allowed here.
    ///
    /// # Errors
    ///
    /// Invalid input with the code `invalid-locale` and the field `field` when `raw` is not a
    /// locale, or one this platform does not allow (the message lists the allowed ones).
    pub fn check_locale(self, field: &str, raw: &str) -> Result<Locale> {
        let locale = Locale::parse_field(field, raw)?;
        if self.locales().contains(&locale) {
            return Ok(locale);
        }
        let allowed: Vec<_> = self.locales().iter().map(|l| l.as_str()).collect();
        Err(Error::invalid_input(
            field,
            format!("locale {} is not allowed on {}; allowed: {}", locale, self.as_str(), allowed.join(", ")),
        )
        .with_code(INVALID_LOCALE))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "marktplaats" | "marktplaats.nl" | "api.marktplaats.nl" => Ok(Platform::Marktplaats),
            "2dehands" | "2dehands.be" | "api.2dehands.be" => Ok(Platform::TweedeHands),
            "2ememain" | "2ememain.be" | "api.2ememain.be" => Ok(Platform::DeuxiemeMain),
            other => Err(Error::invalid_input(
                "platform",
                format!("expected \"marktplaats\", \"2dehands\" or \"2ememain\", got {other:?}"),
            )),
        }
    }
}

/// The locale an entity gets on `platform`: its own `locale` field if set, else the user's
/// preference, else the host default. The locale that wins must be allowed on the platform;
/// otherwise the error (code `invalid-locale`) names the field (`entity_locale` or
/// `user_locale`) and the allowed locales. An empty or blank locale counts as not given. An
/// unknown platform is invalid input for the field `platform` (the names [`Platform`]'s
/// [`FromStr`] reads: `marktplaats`, `2dehands`, `2ememain`, or their domains).
///
/// ```
/// use sellkit::locale::{resolve, Locale};
/// assert_eq!(resolve("2ememain", None, None).unwrap(), Locale::FrBe);
/// assert_eq!(resolve("2ememain", None, Some("nl-BE")).unwrap(), Locale::NlBe);
/// assert_eq!(resolve("2dehands", Some("fr-BE"), Some("nl-BE")).unwrap(), Locale::FrBe);
/// assert_eq!(resolve("marktplaats", Some("fr-BE"), None).unwrap_err().code(), "invalid-locale");
/// ```
pub fn resolve(platform: &str, entity_locale: Option<&str>, user_locale: Option<&str>) -> Result<Locale> {
    resolve_for(platform.parse()?, entity_locale, user_locale)
}

/// [`resolve`] with a parsed platform.
pub fn resolve_for(platform: Platform, entity_locale: Option<&str>, user_locale: Option<&str>) -> Result<Locale> {
    fn present(s: Option<&str>) -> Option<&str> {
        s.filter(|s| !s.trim().is_empty())
    }
    if let Some(l) = present(entity_locale) {
        return platform.check_locale("entity_locale", l);
    }
    if let Some(l) = present(user_locale) {
        return platform.check_locale("user_locale", l);
    }
    Ok(platform.default_locale())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_entity_then_user_then_host() {
        for (p, def) in [("marktplaats", "nl-NL"), ("2dehands", "nl-BE"), ("2ememain", "fr-BE")] {
            assert_eq!(resolve(p, None, None).unwrap().as_str(), def);
        }
        assert_eq!(resolve("2dehands", None, Some("fr-BE")).unwrap(), Locale::FrBe);
        assert_eq!(resolve("2dehands", Some("nl-BE"), Some("fr-BE")).unwrap(), Locale::NlBe);
        assert_eq!(resolve("2ememain", Some("nl_be"), None).unwrap(), Locale::NlBe);
        assert_eq!(resolve("2ememain", Some(""), None).unwrap(), Locale::FrBe);
    }

    #[test]
    fn refused_locales_name_field_and_allowed_ones() {
        let e = resolve("marktplaats", Some("fr-BE"), None).unwrap_err();
        assert_eq!(e.code(), INVALID_LOCALE);
        assert_eq!(e.field(), Some("entity_locale"));
        assert!(e.message().contains("nl-NL"), "{e}");
        let e = resolve("2dehands", None, Some("nl-NL")).unwrap_err();
        assert_eq!(e.field(), Some("user_locale"));
        assert!(e.message().contains("nl-BE, fr-BE"), "{e}");
        assert_eq!(resolve("2dehands", Some("de-DE"), None).unwrap_err().code(), INVALID_LOCALE);
        assert_eq!(resolve("ebay", None, None).unwrap_err().field(), Some("platform"));
    }
}
