//! The exception classes of the bindings, declared once: their names, their tree and which
//! [`ErrorKind`] each stands for. `codegen/` writes the Python classes and the Node table and
//! declarations from this list; the native layers pick a class by the kind's name.
//!
//! The tree is the one Python and Node users know from other SDKs: `SellkitError` at the root,
//! `APITimeoutError` under `APIConnectionError`, and every error that carries a server status
//! under `APIStatusError`.

use crate::error::ErrorKind;

/// The root class; written by hand in each binding (it holds the fields every error carries).
pub const ROOT: &str = "SellkitError";

/// One exception class.
#[derive(Debug, Clone, Copy)]
pub struct ErrorClass {
    /// The class name, the same in Python and Node.
    pub name: &'static str,
    /// The class it extends: [`ROOT`] or a class declared before it.
    pub parent: &'static str,
    /// The kind it stands for; `None` for a class that only groups others (`APIStatusError`).
    pub kind: Option<ErrorKind>,
    /// Members a binding adds by hand, in a mixin of this name (Python class, TypeScript
    /// interface, JS class whose prototype is copied).
    pub members: Option<&'static str>,
    /// One line for the class's docs.
    pub doc: &'static str,
}

const fn class(name: &'static str, parent: &'static str, kind: Option<ErrorKind>, doc: &'static str) -> ErrorClass {
    ErrorClass { name, parent, kind, members: None, doc }
}

/// Every class under [`ROOT`], parents before their children.
pub static ERROR_CLASSES: &[ErrorClass] = &[
    class("APIConnectionError", ROOT, Some(ErrorKind::Connection), "The connection could not be made or broke, or the server's certificate is not trusted."),
    class(
        "APITimeoutError",
        "APIConnectionError",
        Some(ErrorKind::Timeout),
        "The request or the connection timed out (or the server answered 408).",
    ),
    class("APIStatusError", ROOT, None, "The server answered with an error status (see `status`)."),
    class("AuthenticationError", "APIStatusError", Some(ErrorKind::Authentication), "HTTP 401, or credentials refused by a token endpoint."),
    class("PermissionDeniedError", "APIStatusError", Some(ErrorKind::PermissionDenied), "HTTP 403."),
    class("NotFoundError", "APIStatusError", Some(ErrorKind::NotFound), "HTTP 404."),
    class("ConflictError", "APIStatusError", Some(ErrorKind::Conflict), "HTTP 409."),
    class("ValidationError", "APIStatusError", Some(ErrorKind::Validation), "HTTP 400 or 422: the server understood the request and refused it."),
    class(
        "RateLimitError",
        "APIStatusError",
        Some(ErrorKind::RateLimited),
        "HTTP 429, or a `Retry-After` longer than the client waits.",
    ),
    class("ServerError", "APIStatusError", Some(ErrorKind::Server), "HTTP 5xx, after the retries the call allowed."),
    class("UnexpectedStatusError", "APIStatusError", Some(ErrorKind::UnexpectedStatus), "Any other HTTP error status (405, 406, 410, ...)."),
    class("InvalidInputError", ROOT, Some(ErrorKind::InvalidInput), "Bad input, caught before anything was sent; `field` names it."),
    class("DecodeError", ROOT, Some(ErrorKind::Decode), "The response could not be decoded."),
    class("InternalError", ROOT, Some(ErrorKind::Internal), "A bug inside sellkit; please report it."),
    ErrorClass {
        name: "BatchError",
        parent: ROOT,
        kind: Some(ErrorKind::Batch),
        members: Some("BatchFailures"),
        doc: "Some items of a batch failed (raised from the batch result, which lists them).",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_class_and_parents_come_first() {
        for kind in ErrorKind::ALL {
            let n = ERROR_CLASSES.iter().filter(|c| c.kind == Some(kind)).count();
            assert_eq!(n, 1, "{kind:?} has {n} classes");
        }
        let mut seen = vec![ROOT];
        for c in ERROR_CLASSES {
            assert!(seen.contains(&c.parent), "{} extends {}, not declared before it", c.name, c.parent);
            assert!(!seen.contains(&c.name), "{} declared twice", c.name);
            seen.push(c.name);
        }
    }
}
