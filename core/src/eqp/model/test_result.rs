//! Test results: the summary of tool runs and one run's detailed report.

use serde::Serializer;
use serde_json::Value;

use crate::model::{json_type, model, DecodeError, Describe, Field, Mode, Path, Registry, Ty};
use super::timestamp::Timestamp;

/// A verdict as the server wrote it: lower case in summaries (`pass`, `fail`, `error`,
/// `needs_review`), upper case in details (`PASS`, `FAIL`). Compare with the helpers, which
/// ignore case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Verdict(pub String);

impl Verdict {
    /// The verdict as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether the verdict is `value`, ignoring case.
    pub fn is(&self, value: &str) -> bool {
        self.0.eq_ignore_ascii_case(value)
    }
    /// `pass` / `PASS` / `passed`.
    pub fn passed(&self) -> bool {
        self.is("pass") || self.is("passed")
    }
    /// `fail` / `FAIL` / `failed`.
    pub fn failed(&self) -> bool {
        self.is("fail") || self.is("failed")
    }
    /// `needs_review`, any case.
    pub fn needs_review(&self) -> bool {
        self.is("needs_review")
    }
    /// `error` (the tool itself failed), any case.
    pub fn is_error(&self) -> bool {
        self.is("error")
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Field for Verdict {
    const VIEW_CHANGES: bool = false;
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        String::decode(v, path).map(Verdict)
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl Describe for Verdict {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Str
    }
}

model! {
    /// One tool run in a test-result summary.
    pub struct ToolRun {
        /// A string (`"5"`), not a number.
        tool_run_id: String = "tool_run_id" [always],
        /// `phpcpd`, `phpcs`, `varnish`, `marketing`, `manual_qa`, ...
        name: String = "name" [always],
        /// `pass`, `fail`, `error` or `needs_review`.
        status: Verdict = "status" [always],
        /// When the run finished.
        date: Timestamp = "date" [always],
    }
}

impl ToolRun {
    /// Whether the run passed.
    pub fn passed(&self) -> bool {
        self.status.as_ref().is_some_and(Verdict::passed)
    }
}

model! {
    /// One report of a detailed result (one per environment for automated tools).
    pub struct Report {
        /// The tool (`phpcs`, `varnish`, ...).
        tool: String = "tool",
        /// Vendor of the package.
        vendor: String = "vendor",
        /// Package name.
        extension: String = "extension",
        /// Package version.
        version: String = "version",
        /// This report's verdict.
        status: Verdict = "status",
        /// When it ran.
        date: Timestamp = "date",
        /// PHP version of this environment (phpcs, varnish).
        php_version: String = "php_version",
        /// `M1` or `M2` (varnish).
        magento_platform: String = "magento_platform",
        /// `CE` or `EE` (varnish).
        magento_edition: String = "magento_edition",
        /// Magento version of this environment (varnish).
        magento_version: String = "magento_version",
        /// Tool-specific: phpcs `{totals, files}`, varnish `[{command, output}]`, marketing and
        /// manual QA `{reasons, message, attachment}`.
        details: Value = "details",
    }
}

impl Report {
    /// Whether this report passed.
    pub fn passed(&self) -> bool {
        self.status.as_ref().is_some_and(Verdict::passed)
    }
    /// `details.reasons` of a marketing or manual-QA report.
    pub fn reasons(&self) -> Vec<String> {
        self.details
            .as_ref()
            .and_then(|d| d.get("reasons"))
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    }
    /// `details.totals.errors` of a phpcs report.
    pub fn error_count(&self) -> Option<u64> {
        self.details.as_ref()?.get("totals")?.get("errors")?.as_u64()
    }
}

/// `reports` of a detailed result: an array for automated tools, a single object for
/// `marketing` and `manual_qa`. Both read as a list; the wire form is the one that came, the
/// view is always a list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reports {
    /// The reports, in the order received.
    pub items: Vec<Report>,
    /// Whether it arrived as a single object.
    pub single: bool,
}

impl Field for Reports {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        match v {
            Value::Array(_) => Ok(Reports { items: Vec::<Report>::decode(v, path)?, single: false }),
            Value::Object(_) => Ok(Reports { items: vec![Report::decode(v, path)?], single: true }),
            other => Err(path.error(format!("expected an array or an object, got {}", json_type(other)))),
        }
    }
    fn encode<S: Serializer>(&self, s: S, mode: Mode) -> Result<S::Ok, S::Error> {
        match (self.single, self.items.as_slice(), mode) {
            (true, [one], Mode::Wire) => one.encode(s, mode),
            _ => self.items.encode(s, mode),
        }
    }
}

impl Describe for Reports {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::list(Report::describe(reg))
    }
}

model! {
    /// The detailed result of one tool run.
    pub struct TestDetail {
        /// The tool.
        tool: String = "tool" [always],
        /// The final verdict (`PASS` only when every report passed).
        status: Verdict = "status" [always],
        /// One report per environment (a single one for `marketing` and `manual_qa`).
        reports: Reports = "reports" [always],
    }
}

impl TestDetail {
    /// Whether the final verdict is a pass.
    pub fn passed(&self) -> bool {
        self.status.as_ref().is_some_and(Verdict::passed)
    }
    /// The reports (empty when absent).
    pub fn reports(&self) -> &[Report] {
        self.reports.as_ref().map(|r| r.items.as_slice()).unwrap_or(&[])
    }
    /// What the tool said about the reports that did not pass, one line each: phpcs findings
    /// as `path:line:column: ERROR message (source)` (prefixed by the PHP version), the
    /// failing varnish step's command and output, the reasons and message of a marketing or
    /// manual QA review.
    pub fn messages(&self) -> Vec<String> {
        self.reports().iter().filter(|r| !r.passed()).flat_map(Report::messages).collect()
    }
}

impl Report {
    /// What the tool said in this report, one line each (see [`TestDetail::messages`]).
    pub fn messages(&self) -> Vec<String> {
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let mut out = Vec::new();
        let prefix = self.php_version.as_deref().map(|v| format!("PHP {v}: ")).unwrap_or_default();
        match self.details.as_ref() {
            Some(Value::Object(d)) if d.contains_key("files") => {
                for (path, file) in d.get("files").and_then(Value::as_object).into_iter().flatten() {
                    for m in file.get("messages").and_then(Value::as_array).into_iter().flatten() {
                        out.push(format!(
                            "{prefix}{path}:{}:{}: {} {} ({})",
                            text(m.get("line")),
                            text(m.get("column")),
                            text(m.get("type")),
                            text(m.get("message")),
                            text(m.get("source"))
                        ));
                    }
                }
            }
            Some(Value::Object(d)) => {
                out.extend(self.reasons());
                let message = text(d.get("message"));
                if !message.is_empty() {
                    out.push(message);
                }
            }
            // The steps a tool ran; the last one is the one that failed.
            Some(Value::Array(steps)) => {
                if let Some(step) = steps.last() {
                    out.push(format!("{prefix}$ {}\n{}", text(step.get("command")), text(step.get("output"))));
                }
            }
            _ => {}
        }
        out
    }
}
