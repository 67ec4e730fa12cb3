//! The error of the simulator's control methods.

use serde_json::Value;

/// Why a control call of [`crate::Simulator`] (or [`crate::FaultAction::parse`]) was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A fault names a route the simulator does not serve; it would never fire. `known` holds
    /// every route (`METHOD /path/{param}`), the closest to `route` first.
    #[error("unknown route {route:?}: no fault can fire there; known routes, closest first: {}", .known.join(", "))]
    UnknownRoute { route: String, known: Vec<String> },
    /// A connection-level fault by a name that is not one.
    #[error("unknown fault {name:?}: expected drop-before, drop-after, stall or truncate")]
    UnknownFault { name: String },
    /// A Marktplaats platform name that is not one.
    #[error("unknown Marktplaats platform {name:?}: expected marktplaats, 2dehands or 2ememain")]
    UnknownPlatform { name: String },
    /// No advertisement by this item id on the platform.
    #[error("no advertisement {item_id:?} on {platform}")]
    NoSuchAd { platform: String, item_id: String },
    /// An advertisement to seed that the API would refuse; `details` are the field errors
    /// (`{field, code, message}`) a `POST /v1/advertisements` would answer with.
    #[error("the advertisement would be refused: {}", describe(.details))]
    InvalidAd { details: Vec<Value> },
    /// An authorization URL the simulator's authorize endpoint would not approve.
    #[error("cannot approve the authorization URL: {reason}")]
    Authorization { reason: String },
}

fn describe(details: &[Value]) -> String {
    details
        .iter()
        .map(|d| {
            let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            format!("{} {} ({})", s("field"), s("code"), s("message"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The message, for code whose errors are strings (`?` in a function returning
/// `Result<_, String>`).
impl From<SimError> for String {
    fn from(e: SimError) -> String {
        e.to_string()
    }
}
