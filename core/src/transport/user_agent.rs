//! The `User-Agent` every request carries: `sellkit/<version> (<language>; <os>)[ suffix]`.

use std::sync::OnceLock;

static LANGUAGE: OnceLock<String> = OnceLock::new();

/// Called once by a binding at load time (`python 3.11`, `node 20.20`). Rust callers need not.
pub fn set_language(language: impl Into<String>) {
    let _ = LANGUAGE.set(language.into());
}

/// The full user agent, with the caller's optional suffix.
pub fn user_agent(suffix: Option<&str>) -> String {
    let language = LANGUAGE.get().map(String::as_str).unwrap_or("rust");
    let base = format!("sellkit/{} ({language}; {})", env!("CARGO_PKG_VERSION"), std::env::consts::OS);
    match suffix.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("{base} {s}"),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn has_version_language_and_suffix() {
        let ua = super::user_agent(Some("my-shop/2.1"));
        assert!(ua.starts_with(concat!("sellkit/", env!("CARGO_PKG_VERSION"), " (")), "{ua}");
        assert!(ua.ends_with(" my-shop/2.1"), "{ua}");
        assert!(!super::user_agent(Some("  ")).ends_with(' '));
    }
}
