//! Operations by name, for the Python and Node bindings.
//!
//! A binding converts its arguments to one JSON object and calls [`call`] with the operation's
//! name; the result comes back as JSON. Every argument check happens here, in one place, with the
//! argument's name in the error.

use serde_json::{json, Map, Value};

use super::client::Client;
use super::users::ProfileStyle;
use crate::error::{Error, Result};

/// Run operation `op` with `args` (a JSON object) on `client`.
///
/// | op | args | result |
/// |---|---|---|
/// | `authenticate` | – | `{"mage_id": str}` |
/// | `users.get` | `style?: "full" \| "summary"` | profile |
/// | `users.update` | `fields: object` | profile |
/// | `request` | `method: str, path: str, json?: any` | decoded body or `null` |
///
/// A panic inside the operation is caught and returned as an [`crate::ErrorKind::Internal`]
/// error, so it never unwinds into a Python or Node host.
pub async fn call(client: &Client, op: &str, args: Value) -> Result<Value> {
    crate::panic_guard::catch(run(client, op, args)).await
}

async fn run(client: &Client, op: &str, args: Value) -> Result<Value> {
    let args = Args::new(args)?;
    match op {
        "authenticate" => Ok(json!({ "mage_id": client.authenticate().await? })),
        "users.get" => {
            let style = args.opt_str("style")?.as_deref().map(ProfileStyle::parse).transpose()?;
            Ok(Value::Object(client.users().get(style).await?.into_inner()))
        }
        "users.update" => {
            let fields = args.object("fields")?;
            Ok(Value::Object(client.users().update(fields).await?.into_inner()))
        }
        "request" => {
            let method = args.str("method")?;
            let path = args.str("path")?;
            let body = args.0.get("json").filter(|v| !v.is_null());
            client.request(&method, &path, body).await
        }
        other => Err(Error::invalid_input("op", format!("unknown EQP operation {other:?}"))),
    }
}

/// Named arguments of an operation.
pub(crate) struct Args(Map<String, Value>);

impl Args {
    pub fn new(v: Value) -> Result<Args> {
        match v {
            Value::Object(m) => Ok(Args(m)),
            Value::Null => Ok(Args(Map::new())),
            other => Err(Error::invalid_input("args", format!("expected an object, got {}", json_type(&other)))),
        }
    }
    pub fn opt_str(&self, name: &str) -> Result<Option<String>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::invalid_input(name, format!("expected a string, got {}", json_type(other)))),
        }
    }
    pub fn str(&self, name: &str) -> Result<String> {
        self.opt_str(name)?.ok_or_else(|| Error::invalid_input(name, "is required"))
    }
    pub fn object(&self, name: &str) -> Result<Map<String, Value>> {
        match self.0.get(name) {
            Some(Value::Object(m)) => Ok(m.clone()),
            None | Some(Value::Null) => Err(Error::invalid_input(name, "is required")),
            Some(other) => Err(Error::invalid_input(name, format!("expected an object, got {}", json_type(other)))),
        }
    }
}

/// The JSON type name of a value, for error messages.
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
