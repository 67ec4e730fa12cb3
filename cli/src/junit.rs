//! Test results as JUnit XML, the report format CI systems read: one `<testsuite>` for the
//! submission, one `<testcase>` per tool run, a failing run's `<failure>` carrying what the tool
//! said (the phpcs findings, the failing varnish step, the review's reasons).

use std::io::Cursor;

use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use sellkit::eqp::model::TestDetail;
use sellkit::eqp::{Model, ToolRun};

/// One tool run and its detailed report, as the JUnit writer takes them.
pub struct Case<'a> {
    /// The run.
    pub run: &'a ToolRun,
    /// Its report, when the API has one.
    pub detail: Option<&'a TestDetail>,
}

/// Whether a run passed (`pass`), failed (`fail`), could not run (`error`) or is waiting for a
/// person (`needs_review`).
fn verdict(run: &ToolRun) -> &str {
    run.status.as_ref().map(|s| s.as_str()).unwrap_or("")
}

/// The JUnit XML of the tool runs of `submission_id` (`name`: the sku and version, for the
/// suite's name).
pub fn junit_xml(name: &str, submission_id: &str, cases: &[Case<'_>]) -> String {
    let failures = cases.iter().filter(|c| verdict(c.run).eq_ignore_ascii_case("fail")).count();
    let errors = cases.iter().filter(|c| verdict(c.run).eq_ignore_ascii_case("error")).count();
    let skipped = cases.iter().filter(|c| verdict(c.run).eq_ignore_ascii_case("needs_review")).count();
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let counts = [("tests", cases.len()), ("failures", failures), ("errors", errors), ("skipped", skipped)];
    // Writing to memory cannot fail; the results are ignored.
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", "eqp"));
    for (k, v) in counts {
        suites.push_attribute((k, v.to_string().as_str()));
    }
    let _ = w.write_event(Event::Start(suites));
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", name));
    for (k, v) in counts {
        suite.push_attribute((k, v.to_string().as_str()));
    }
    let _ = w.write_event(Event::Start(suite));
    let _ = w.write_event(Event::Start(BytesStart::new("properties")));
    let mut prop = BytesStart::new("property");
    prop.push_attribute(("name", "submission_id"));
    prop.push_attribute(("value", submission_id));
    let _ = w.write_event(Event::Empty(prop));
    let _ = w.write_event(Event::End(BytesEnd::new("properties")));
    for case in cases {
        let tool = case.run.name.as_deref().unwrap_or("tool");
        let run_id = case.run.tool_run_id.as_deref().unwrap_or("");
        let mut tc = BytesStart::new("testcase");
        tc.push_attribute(("name", format!("{tool} (run {run_id})").as_str()));
        tc.push_attribute(("classname", format!("eqp.{tool}").as_str()));
        if let Some(date) = &case.run.date {
            tc.push_attribute(("timestamp", date.to_string().as_str()));
        }
        let status = verdict(case.run).to_ascii_lowercase();
        let messages = case.detail.map(TestDetail::messages).unwrap_or_default();
        let element = match status.as_str() {
            "fail" | "failed" => Some("failure"),
            "error" => Some("error"),
            "needs_review" => Some("skipped"),
            _ => None,
        };
        match element {
            None => {
                let _ = w.write_event(Event::Empty(tc));
            }
            Some(el) => {
                let _ = w.write_event(Event::Start(tc));
                let mut e = BytesStart::new(el);
                let summary = messages.first().cloned().unwrap_or_else(|| format!("{tool}: {status}"));
                e.push_attribute(("message", summary.lines().next().unwrap_or("")));
                e.push_attribute(("type", status.as_str()));
                let _ = w.write_event(Event::Start(e));
                let body = if messages.is_empty() { format!("{tool}: {status}") } else { messages.join("\n") };
                write_text(&mut w, &body);
                let _ = w.write_event(Event::End(BytesEnd::new(el)));
                if let Some(d) = case.detail {
                    let _ = w.write_event(Event::Start(BytesStart::new("system-out")));
                    write_text(&mut w, &serde_json::to_string_pretty(&d.to_view()).unwrap_or_default());
                    let _ = w.write_event(Event::End(BytesEnd::new("system-out")));
                }
                let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
            }
        }
    }
    let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
    let _ = w.write_event(Event::End(BytesEnd::new("testsuites")));
    let mut xml = String::from_utf8(w.into_inner().into_inner()).unwrap_or_default();
    xml.push('\n');
    xml
}

/// Text as CDATA when it has no `]]>` (tool output keeps its characters as they are), else
/// escaped.
fn write_text(w: &mut Writer<Cursor<Vec<u8>>>, text: &str) {
    let _ = if text.contains("]]>") {
        w.write_event(Event::Text(BytesText::new(text)))
    } else {
        w.write_event(Event::CData(BytesCData::new(text)))
    };
}
