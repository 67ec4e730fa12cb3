//! What the command prints: one JSON document on stdout with `--json`, tables and lines for
//! people otherwise; errors on stderr (and as `{"error": ...}` with `--json`). Secrets are
//! masked in everything printed.

use std::io::{IsTerminal, Write};

use comfy_table::{presets, ContentArrangement, Table};
use sellkit::Error;
use serde_json::{json, Value};

/// Members whose values are secrets wherever they appear in a result.
const SECRET_KEYS: [&str; 8] = ["password_key", "password", "app_secret", "client_secret", "access_token", "refresh_token", "ust", "secret"];

/// How this run shows things.
pub struct Ui {
    /// One JSON document on stdout.
    pub json: bool,
    /// Nothing on stderr but errors.
    pub quiet: bool,
    /// Whether stderr is a terminal (progress bars are drawn only then).
    pub tty: bool,
}

impl Ui {
    pub fn new(json: bool, quiet: bool) -> Ui {
        Ui { json, quiet, tty: std::io::stderr().is_terminal() }
    }

    /// The result: `value` as JSON with `--json`, else what `human` writes.
    pub fn result(&self, value: &Value, human: impl FnOnce() -> String) {
        let text = if self.json { document(value) } else { human() };
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = out.write_all(b"\n");
        }
        let _ = out.flush();
    }

    /// A line for people on stderr (not with `--quiet`).
    pub fn note(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// Report `e` (stderr, and the JSON document with `--json`); its exit code.
    pub fn fail(&self, e: &Error) -> i32 {
        eprintln!("sellkit: error: {e}");
        for d in e.details().iter().skip(usize::from(e.kind() == sellkit::ErrorKind::InvalidInput && e.details().len() == 1)) {
            eprintln!("  {}: {}", d.field.as_deref().unwrap_or("-"), d.message.as_deref().unwrap_or(""));
        }
        if self.json {
            self.result(&error_json(e), String::new);
        }
        crate::exit_code(e)
    }
}

/// The error as the JSON document reports it.
pub fn error_json(e: &Error) -> Value {
    let details: Vec<Value> = e.details().iter().map(|d| json!({"field": d.field, "code": d.code, "message": d.message})).collect();
    json!({"error": {
        "code": e.code(), "kind": e.kind().as_str(), "message": e.message(), "field": e.field(),
        "status": e.status(), "api_code": e.api_code().map(|c| c.to_string()), "details": details,
        "exit_code": crate::exit_code(e),
    }})
}

/// `value` as pretty JSON with secrets masked.
pub fn document(value: &Value) -> String {
    let mut v = value.clone();
    mask(&mut v);
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// Mask every secret member of `v` (in place).
pub fn mask(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if SECRET_KEYS.contains(&k.as_str()) && !x.is_null() {
                    *x = json!("***");
                } else {
                    mask(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// A table with these headers and rows, for people.
pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING).set_content_arrangement(ContentArrangement::Disabled).set_header(headers.to_vec());
    for r in rows {
        t.add_row(r);
    }
    // comfy-table pads every cell by one space on each side; the first column needs none.
    t.lines().map(|l| l.strip_prefix(' ').unwrap_or(&l).trim_end().to_owned()).collect::<Vec<_>>().join("\n")
}

/// `label value` lines, aligned.
pub fn pairs(rows: &[(&str, String)]) -> String {
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k:width$}  {v}")).collect::<Vec<_>>().join("\n")
}

/// A JSON value as text in a table cell (`-` for nothing).
pub fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "-".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The member at a dotted path (`eqp_status.technical`).
pub fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}
