//! Settings read from the environment (`SELLKIT_EQP_*`, `SELLKIT_MP_*`): settings given in code
//! win, and a missing one is an error that names both the setting and its variable.

use crate::error::Error;

/// The value of `name`, when it is set and not empty.
pub(crate) fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The error of a required setting given neither in code nor in the environment.
pub(crate) fn missing(field: &str, variable: &str) -> Error {
    Error::invalid_input(field, format!("is required: pass {field} or set {variable}"))
}
