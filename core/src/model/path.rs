//! Where a value sits in a document, and the error of a value that does not fit there.

use crate::error::{Error, ErrorKind};

/// A position in a document (`items[2].prices[0].price`), rendered only when an error needs it.
///
/// A path is *strict* for caller input (a value that does not fit its field is an error naming
/// the path) and lenient for responses (the value is kept raw by its model instead).
#[derive(Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
    strict: bool,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root(&'a str),
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The root of a response (lenient).
    pub fn response() -> Path<'static> {
        Path { parent: None, seg: Seg::Root(""), strict: false }
    }
    /// The root of caller input named `name` (strict).
    pub fn input(name: &'a str) -> Path<'a> {
        Path { parent: None, seg: Seg::Root(name), strict: true }
    }
    /// The member `key` of the value at this path.
    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path { parent: Some(self), seg: Seg::Key(key), strict: self.strict }
    }
    /// The element `i` of the array at this path.
    pub fn index<'b>(&'b self, i: usize) -> Path<'b> {
        Path { parent: Some(self), seg: Seg::Index(i), strict: self.strict }
    }
    /// Whether this is caller input (misfits are errors).
    pub fn is_strict(&self) -> bool {
        self.strict
    }
    /// `items[2].prices[0].price`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }
    fn render_into(&self, out: &mut String) {
        if let Some(p) = self.parent {
            p.render_into(out);
        }
        match self.seg {
            Seg::Root(name) => out.push_str(name),
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    /// An error at this path.
    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError { path: self.render(), message: message.into() }
    }
}

/// A value that did not fit its field: where, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", render(.path, .message))]
pub struct DecodeError {
    /// The path of the value (empty for the root of a response).
    pub path: String,
    /// Why it did not fit (`expected a string, got a number`).
    pub message: String,
}

fn render(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    }
}

impl DecodeError {
    /// As a caller-input error (the field path names the argument).
    pub fn into_input_error(self) -> Error {
        let field = if self.path.is_empty() { "value".to_owned() } else { self.path };
        Error::invalid_input(field, self.message)
    }
    /// As a response decoding error.
    pub fn into_decode_error(self) -> Error {
        Error::new(ErrorKind::Decode, format!("could not decode the response: {self}"))
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Error {
        e.into_decode_error()
    }
}
