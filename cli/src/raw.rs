//! `sellkit request eqp|mp METHOD PATH [--data JSON|@FILE|@-]`: any endpoint, with the
//! client's authentication, retries and errors; the answer is printed as JSON (secrets masked).

use std::io::Read;

use sellkit::{Error, Result};
use serde_json::Value;

use crate::args::{RawCall, RequestCommand};
use crate::output::{document, Ui};
use crate::EXIT_OK;

/// The body of `--data`: inline JSON, `@FILE`, or `@-` (stdin).
fn body(data: Option<&str>) -> Result<Option<Value>> {
    let Some(data) = data else { return Ok(None) };
    let text = match data.strip_prefix('@') {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| Error::invalid_input("--data", format!("cannot read stdin: {e}")))?;
            s
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| Error::invalid_input("--data", format!("cannot read {path}: {e}")))?,
        None => data.to_owned(),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| Error::invalid_input("--data", format!("not JSON: {e}")))
}

fn method(call: &RawCall) -> String {
    call.method.to_ascii_uppercase()
}

pub async fn run(command: RequestCommand, ui: &Ui) -> Result<i32> {
    let answer = match command {
        RequestCommand::Eqp { call, connection } => {
            let json = body(call.data.as_deref())?;
            let client = crate::eqp::client(&connection)?;
            client.request(&method(&call), &call.path, json.as_ref()).await?
        }
        RequestCommand::Mp { call, connection } => {
            let json = body(call.data.as_deref())?;
            let client = crate::mp::client(&connection)?;
            client.request(&method(&call), &call.path, json.as_ref()).await?
        }
    };
    // A raw answer is JSON for people too.
    ui.result(&answer, || document(&answer));
    Ok(EXIT_OK)
}
