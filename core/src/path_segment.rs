//! Values placed in a URL path: how they are encoded, and what they must not be.

/// Percent-encode `s` as one path segment (`/` and spaces too: `MAG 1/2` → `MAG%201%2F2`).
pub(crate) fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20")
}

/// Whether `s` is the path step `.` or `..`. URLs resolve these as moves within the path, and
/// percent-encoding leaves dots as they are, so a request built with such an id would reach
/// another resource. (`%` itself is encoded, so `%2e` stays a literal value.)
pub(crate) fn is_dot_segment(s: &str) -> bool {
    s == "." || s == ".."
}

#[cfg(test)]
mod tests {
    use super::is_dot_segment;

    #[test]
    fn only_whole_dot_steps() {
        assert!(is_dot_segment(".") && is_dot_segment(".."));
        for s in ["...", "a..", "..a", "m123", "", "1.0", "%2e%2e"] {
            assert!(!is_dot_segment(s), "{s}");
        }
    }
}
