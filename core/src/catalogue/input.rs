//! Why a value handed over by a binding cannot become JSON, and where it sits: one path format
//! and one wording for every language (NaN, lone surrogates, wrong types, cycles), so that the
//! same mistake reads the same in Python and Node. The bindings walk their own values and report
//! a failure with these constructors; [`InputFailure::into_error`] makes the invalid-input error.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::error::Error;

/// Deepest nesting accepted in a value; deeper input most likely contains itself.
pub const MAX_DEPTH: usize = 128;

/// One step of the path from an argument down to the value that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array item.
    Index(usize),
}

/// A value that cannot be sent, and where (innermost segment first, as a walk unwinds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFailure {
    path: Vec<Segment>,
    message: Cow<'static, str>,
}

impl InputFailure {
    /// A failure described by `message` (what is wrong with the value, not where it is).
    pub fn new(message: impl Into<Cow<'static, str>>) -> InputFailure {
        InputFailure { path: Vec::new(), message: message.into() }
    }

    /// A number with no JSON form; `written` is how the caller's language writes it (`NaN`,
    /// `Infinity`, `nan`, `inf`).
    pub fn not_finite(written: &str) -> InputFailure {
        InputFailure::new(format!("{written} is not a JSON number (NaN and infinity have no JSON form)"))
    }

    /// A string holding half of a surrogate pair.
    pub fn lone_surrogate() -> InputFailure {
        InputFailure::new("the string holds a lone surrogate, which is not valid Unicode")
    }

    /// Nested deeper than [`MAX_DEPTH`].
    pub fn too_deep() -> InputFailure {
        InputFailure::new(format!("nested deeper than {MAX_DEPTH} levels (does it contain itself?)"))
    }

    /// An integer beyond 64 bits.
    pub fn integer_out_of_range() -> InputFailure {
        InputFailure::new("integer out of range: JSON integers here must fit in 64 bits")
    }

    /// An object key that is not a string; `got` names its type.
    pub fn key_not_string(got: &str) -> InputFailure {
        InputFailure::new(format!("object keys must be strings, got {got}"))
    }

    /// A value of a type with no JSON form; `got` names its type, `accepted` lists what the
    /// language may send.
    pub fn not_json(got: &str, accepted: &str) -> InputFailure {
        InputFailure::new(format!("cannot send a value of type {got} as JSON (use {accepted})"))
    }

    /// The same failure one member further out.
    pub fn at_key(mut self, key: impl Into<String>) -> InputFailure {
        self.path.push(Segment::Key(key.into()));
        self
    }

    /// The same failure one array item further out.
    pub fn at_index(mut self, index: usize) -> InputFailure {
        self.path.push(Segment::Index(index));
        self
    }

    /// The path below `root` as a field name: `root.key[1].name`; without a root, the path
    /// starts at its first key (`fields.bio`); the root alone when the value itself failed.
    pub fn field(&self, root: &str) -> String {
        let mut field = root.to_owned();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) => {
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(k);
                }
                Segment::Index(i) => {
                    let _ = write!(field, "[{i}]");
                }
            }
        }
        field
    }

    /// The invalid-input error naming the field under `root` (see [`InputFailure::field`]).
    pub fn into_error(self, root: &str) -> Error {
        let field = self.field(root);
        Error::invalid_input(field, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_callers_code() {
        let f = InputFailure::lone_surrogate().at_key("k").at_index(1).at_key("deep");
        assert_eq!(f.field("fields"), "fields.deep[1].k");
        assert_eq!(f.field(""), "deep[1].k");
        assert_eq!(InputFailure::too_deep().at_index(3).field("ops"), "ops[3]");
        assert_eq!(InputFailure::too_deep().field("doc"), "doc");
        let e = InputFailure::not_finite("NaN").at_key("askingPrice").into_error("ad");
        assert_eq!(e.field(), Some("ad.askingPrice"));
        assert_eq!(e.message(), "ad.askingPrice: NaN is not a JSON number (NaN and infinity have no JSON form)");
    }
}
