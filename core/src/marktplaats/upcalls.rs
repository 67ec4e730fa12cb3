//! Upcall confirmations (client credentials with scope `confirm_upcall`; "work in progress" in the API).

use serde_json::Value;

use super::ads::ad_path;
use super::Client;
use crate::error::{Error, Result};

/// `client.upcalls()`.
pub struct Upcalls<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Upcall confirmations (client credentials).
    pub fn upcalls(&self) -> Upcalls<'_> {
        Upcalls { client: self }
    }
}

impl Upcalls<'_> {

    /// `POST /v1/advertisements/{itemId}/upcall-confirmations` with a client-credentials token of
    /// scope `confirm_upcall` (fetched by the client). All four fields are required:
    /// `callerPhoneNumber`, `calleePhoneNumber`, `startTime`, `endTime` (ISO 8601 with offset).
    /// Invalid input for `confirmation` (not an object) or a missing or blank field, by its name.
    pub async fn confirm(&self, item_id: &str, confirmation: &Value) -> Result<()> {
        let Some(obj) = confirmation.as_object() else {
            return Err(Error::invalid_input("confirmation", "must be an object"));
        };
        for key in ["callerPhoneNumber", "calleePhoneNumber", "startTime", "endTime"] {
            match obj.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => {}
                _ => return Err(Error::invalid_input(key, "is required (a string)")),
            }
        }
        let path = format!("{}/upcall-confirmations", ad_path(item_id)?);
        self.client.create(path, confirmation, Some(&["confirm_upcall"])).await.map(|_| ())
    }
}
