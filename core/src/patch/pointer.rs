//! JSON Pointer (RFC 6901).
//!
//! A [`Pointer`] keeps its reference tokens unescaped; `~0` / `~1` exist only in the string form.
//! Whether a token addresses an array element depends on the document, so parsing never looks at
//! digits: `/0` is as valid as `/foo`, and it is [`array_index`] that decides, at use time, whether
//! a token is a usable array index.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// Machine code of an unparsable pointer.
pub const INVALID_POINTER: &str = "invalid-pointer";

/// A parsed JSON Pointer: the empty pointer (`""`) addresses the whole document.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Pointer {
    tokens: Vec<String>,
}

impl Pointer {
    /// The empty pointer, which addresses the whole document.
    pub fn root() -> Self {
        Pointer { tokens: Vec::new() }
    }

    /// Parse the string form (`""`, `/a/b`, `/a~1b/~0c`). Errors name the field `path`.
    pub fn parse(s: &str) -> Result<Self> {
        Self::parse_field(s, "path")
    }

    /// Parse the string form; an error is invalid input about `field` with code `invalid-pointer`.
    pub fn parse_field(s: &str, field: &str) -> Result<Self> {
        Self::parse_reason(s).map_err(|reason| Error::invalid_input(field, reason).with_code(INVALID_POINTER))
    }

    /// Parse the string form; `Err` holds the reason, for callers that build their own error.
    pub(crate) fn parse_reason(s: &str) -> std::result::Result<Self, String> {
        parse_tokens(s).map(|tokens| Pointer { tokens })
    }

    /// A pointer made of these (unescaped) reference tokens. Never fails: any token is valid.
    pub fn from_tokens<I, S>(tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Pointer { tokens: tokens.into_iter().map(Into::into).collect() }
    }

    /// The unescaped reference tokens, outermost first.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The unescaped reference tokens, by value.
    pub fn into_tokens(self) -> Vec<String> {
        self.tokens
    }

    /// Whether this is the empty pointer (the whole document).
    pub fn is_root(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The last token, or `None` for the root.
    pub fn last(&self) -> Option<&str> {
        self.tokens.last().map(String::as_str)
    }

    /// The pointer to the containing value, or `None` for the root.
    pub fn parent(&self) -> Option<Pointer> {
        self.tokens.split_last().map(|(_, parent)| Pointer { tokens: parent.to_vec() })
    }

    /// Append an (unescaped) token.
    pub fn push(&mut self, token: impl Into<String>) {
        self.tokens.push(token.into());
    }

    /// This pointer with one more (unescaped) token.
    pub fn child(&self, token: impl Into<String>) -> Pointer {
        let mut p = self.clone();
        p.push(token);
        p
    }

    /// Whether `self` is a prefix of `other` (every pointer starts with the root and itself).
    pub fn is_prefix_of(&self, other: &Pointer) -> bool {
        other.tokens.starts_with(&self.tokens)
    }

    /// Whether `self` is a prefix of `other` and not equal to it: `other` lies strictly inside.
    pub fn is_proper_prefix_of(&self, other: &Pointer) -> bool {
        self.tokens.len() < other.tokens.len() && self.is_prefix_of(other)
    }

    /// The value this pointer addresses in `doc`, if there is one. On arrays a token must be a
    /// valid index ([`array_index`]) below the length; `-` addresses nothing.
    pub fn get<'v>(&self, doc: &'v Value) -> Option<&'v Value> {
        let mut cur = doc;
        for token in &self.tokens {
            cur = match cur {
                Value::Object(map) => map.get(token.as_str())?,
                Value::Array(items) => items.get(array_index(token)?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Mutable form of [`Pointer::get`].
    pub fn get_mut<'v>(&self, doc: &'v mut Value) -> Option<&'v mut Value> {
        let mut cur = doc;
        for token in &self.tokens {
            cur = match cur {
                Value::Object(map) => map.get_mut(token.as_str())?,
                Value::Array(items) => items.get_mut(array_index(token)?)?,
                _ => return None,
            };
        }
        Some(cur)
    }
}

/// The array index a reference token denotes: digits only, no leading zero (`0` itself is fine).
/// `-` (the element after the last) is not an index; callers that accept it check for it first.
/// A number too large for `usize` is no index either (no array can be that long).
pub fn array_index(token: &str) -> Option<usize> {
    let bytes = token.as_bytes();
    match bytes {
        [] => None,
        [b'0'] => Some(0),
        [b'0', ..] => None,
        _ if bytes.iter().all(u8::is_ascii_digit) => token.parse().ok(),
        _ => None,
    }
}

/// Escape one reference token for the string form (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Split and unescape the string form; `Err` holds the reason.
fn parse_tokens(s: &str) -> std::result::Result<Vec<String>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err(format!("JSON pointer {s:?} must be empty or start with '/'"));
    };
    rest.split('/').map(|raw| unescape_token(raw).map_err(|e| format!("JSON pointer {s:?}: {e}"))).collect()
}

fn unescape_token(raw: &str) -> std::result::Result<String, String> {
    if !raw.contains('~') {
        return Ok(raw.to_owned());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => out.push('~'),
            Some('1') => out.push('/'),
            Some(other) => return Err(format!("'~{other}' is not a valid escape (only ~0 and ~1 are)")),
            None => return Err("a '~' must be followed by 0 or 1".to_owned()),
        }
    }
    Ok(out)
}

/// Write a token list in string form (used for pointers and for their prefixes in messages).
pub(crate) fn write_tokens<S: AsRef<str>>(f: &mut impl fmt::Write, tokens: &[S]) -> fmt::Result {
    for token in tokens {
        f.write_char('/')?;
        f.write_str(&escape_token(token.as_ref()))?;
    }
    Ok(())
}

/// The string form of a token list.
pub(crate) fn tokens_to_string<S: AsRef<str>>(tokens: &[S]) -> String {
    let mut s = String::new();
    // Writing into a String cannot fail.
    let _ = write_tokens(&mut s, tokens);
    s
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_tokens(f, &self.tokens)
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pointer({:?})", self.to_string())
    }
}

impl FromStr for Pointer {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Pointer::parse(s)
    }
}

impl TryFrom<&str> for Pointer {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self> {
        Pointer::parse(s)
    }
}

impl TryFrom<String> for Pointer {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Pointer::parse(&s)
    }
}

impl Serialize for Pointer {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Pointer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        parse_tokens(&s).map(|tokens| Pointer { tokens }).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_unescapes() {
        assert!(Pointer::parse("").unwrap().is_root());
        assert_eq!(Pointer::parse("/").unwrap().tokens(), [""]);
        assert_eq!(Pointer::parse("/a/b").unwrap().tokens(), ["a", "b"]);
        assert_eq!(Pointer::parse("/a~1b/~0c").unwrap().tokens(), ["a/b", "~c"]);
        // ~01 is "~1" (unescape ~0 first, never produce a second escape).
        assert_eq!(Pointer::parse("/~01").unwrap().tokens(), ["~1"]);
        assert_eq!(Pointer::parse("/a//b/").unwrap().tokens(), ["a", "", "b", ""]);
        assert_eq!(Pointer::parse("/ü/€").unwrap().tokens(), ["ü", "€"]);
    }

    #[test]
    fn refuses_invalid_pointers() {
        for bad in ["a", "a/b", "/~", "/~2", "/a~", "/~a", "#/a"] {
            let e = Pointer::parse(bad).unwrap_err();
            assert_eq!(e.code(), INVALID_POINTER, "{bad}");
            assert_eq!(e.field(), Some("path"), "{bad}");
        }
        let e = Pointer::parse_field("x", "ops[2].from").unwrap_err();
        assert_eq!(e.field(), Some("ops[2].from"));
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
    }

    #[test]
    fn display_escapes_and_round_trips() {
        let p = Pointer::from_tokens(["a/b", "~c", "", "~1"]);
        assert_eq!(p.to_string(), "/a~1b/~0c//~01");
        assert_eq!(Pointer::parse(&p.to_string()).unwrap(), p);
        assert_eq!(Pointer::root().to_string(), "");
        assert_eq!(format!("{:?}", Pointer::parse("/x").unwrap()), "Pointer(\"/x\")");
    }

    #[test]
    fn array_index_rules() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("10"), Some(10));
        for bad in ["", "-", "00", "01", "1e0", "+1", "-1", " 1", "1.0", "99999999999999999999999999"] {
            assert_eq!(array_index(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn get_follows_objects_and_arrays() {
        let doc = json!({"a": [10, {"b/c": true}], "": {"": 1}, "0": "zero"});
        let get = |s: &str| Pointer::parse(s).unwrap().get(&doc).cloned();
        assert_eq!(get(""), Some(doc.clone()));
        assert_eq!(get("/a/0"), Some(json!(10)));
        assert_eq!(get("/a/1/b~1c"), Some(json!(true)));
        assert_eq!(get("//"), Some(json!(1)));
        assert_eq!(get("/0"), Some(json!("zero")));
        assert_eq!(get("/a/2"), None);
        assert_eq!(get("/a/-"), None);
        assert_eq!(get("/a/01"), None);
        assert_eq!(get("/a/0/x"), None);
        assert_eq!(get("/missing"), None);

        let mut doc2 = doc.clone();
        *Pointer::parse("/a/0").unwrap().get_mut(&mut doc2).unwrap() = json!(11);
        assert_eq!(doc2["a"][0], json!(11));
    }

    #[test]
    fn prefixes_and_children() {
        let a = Pointer::parse("/a").unwrap();
        let ab = a.child("b");
        assert_eq!(ab.to_string(), "/a/b");
        assert!(a.is_proper_prefix_of(&ab));
        assert!(!ab.is_proper_prefix_of(&a));
        assert!(a.is_prefix_of(&a) && !a.is_proper_prefix_of(&a));
        assert!(Pointer::root().is_proper_prefix_of(&a));
        // "/a" is not a prefix of "/ab": prefixes are by token.
        assert!(!a.is_prefix_of(&Pointer::parse("/ab").unwrap()));
        assert_eq!(ab.parent(), Some(a.clone()));
        assert_eq!(ab.last(), Some("b"));
        assert_eq!(Pointer::root().parent(), None);
    }

    #[test]
    fn serde_uses_the_string_form() {
        let p: Pointer = serde_json::from_value(json!("/a~1b")).unwrap();
        assert_eq!(p.tokens(), ["a/b"]);
        assert_eq!(serde_json::to_value(&p).unwrap(), json!("/a~1b"));
        assert!(serde_json::from_value::<Pointer>(json!("nope")).is_err());
        assert!(serde_json::from_value::<Pointer>(json!(3)).is_err());
    }
}
