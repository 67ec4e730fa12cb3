//! Test results of a submission: the summary of tool runs and one run's detailed report.

use reqwest::Method;
use serde_json::Value;

use super::client::Client;
use super::files::check_id;
use super::model::{Model, TestDetail, ToolRun};
use super::packages::PACKAGES_PATH;
use super::users::encode_segment;
use crate::error::{Error, ErrorKind, Result};
use crate::transport::Request;

/// Which submission a summary is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestTarget {
    /// `GET /products/packages/:submission_id/status`
    SubmissionId(String),
    /// `GET /products/packages/sku/:sku/status` (singular `sku`)
    Sku(String),
    /// `GET /products/packages/item/:item_id/status` (singular `item`)
    ItemId(String),
}

impl TestTarget {
    /// The one target a caller gave: exactly one of `submission_id`, `sku`, `item_id`.
    ///
    /// # Errors
    ///
    /// Invalid input for `submission_id` when none is given, or for the second one given.
    pub fn choose(submission_id: Option<String>, sku: Option<String>, item_id: Option<String>) -> Result<TestTarget> {
        const ONE: &str = "give exactly one of submission_id, sku or item_id";
        let given: Vec<(&str, TestTarget)> = [
            submission_id.map(|v| ("submission_id", TestTarget::SubmissionId(v))),
            sku.map(|v| ("sku", TestTarget::Sku(v))),
            item_id.map(|v| ("item_id", TestTarget::ItemId(v))),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut given = given.into_iter();
        match (given.next(), given.next()) {
            (Some((_, target)), None) => Ok(target),
            (None, _) => Err(Error::invalid_input("submission_id", ONE)),
            (Some(_), Some((second, _))) => Err(Error::invalid_input(second, ONE)),
        }
    }

    fn path(&self) -> Result<String> {
        Ok(match self {
            TestTarget::SubmissionId(id) => {
                check_id("submission_id", id)?;
                format!("{PACKAGES_PATH}/{}/status", encode_segment(id))
            }
            TestTarget::Sku(sku) => {
                check_id("sku", sku)?;
                format!("{PACKAGES_PATH}/sku/{}/status", encode_segment(sku))
            }
            TestTarget::ItemId(id) => {
                check_id("item_id", id)?;
                format!("{PACKAGES_PATH}/item/{}/status", encode_segment(id))
            }
        })
    }
}

/// `client.test_results()`.
pub struct TestResults<'a> {
    pub(crate) client: &'a Client,
}

impl TestResults<'_> {
    /// Every tool run of a submission: `[{tool_run_id, name, status, date}]` (empty when the
    /// server answers nothing).
    ///
    /// # Errors
    ///
    /// Invalid input for the target's field (`submission_id`, `sku` or `item_id`: blank, control
    /// characters, `.` or `..`); otherwise the errors of any call.
    pub async fn summary(&self, target: &TestTarget) -> Result<Vec<ToolRun>> {
        let answer = self.client.send(Request::new(Method::GET, target.path()?)).await?.json()?;
        match answer {
            Value::Array(runs) => runs.iter().map(ToolRun::from_json).collect(),
            Value::Null => Ok(Vec::new()),
            Value::Object(o) if o.is_empty() => Ok(Vec::new()),
            other => Err(Error::new(ErrorKind::Decode, format!("expected a list of tool runs, got {}", super::model::json_type(&other)))),
        }
    }

    /// `GET /products/packages/:submission_id/status/:tool_name/:tool_run_id` (`run_id` is a
    /// [`ToolRun::tool_run_id`]).
    ///
    /// # Errors
    ///
    /// Invalid input for `submission_id`, `tool` or `run_id` (blank, control characters, `.` or
    /// `..`); otherwise the errors of any call.
    pub async fn detail(&self, submission_id: &str, tool: &str, run_id: &str) -> Result<TestDetail> {
        check_id("submission_id", submission_id)?;
        check_id("tool", tool)?;
        check_id("run_id", run_id)?;
        let path = format!(
            "{PACKAGES_PATH}/{}/status/{}/{}",
            encode_segment(submission_id),
            encode_segment(tool),
            encode_segment(run_id)
        );
        TestDetail::from_json(&self.client.send(Request::new(Method::GET, path)).await?.json()?)
    }
}
