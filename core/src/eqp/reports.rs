//! `/rest/v1/reports/metrics`: marketplace-wide metrics (no schema is documented; the JSON is
//! returned as it came).

use reqwest::Method;
use serde_json::Value;

use super::client::Client;
use super::files::check_id;
use super::users::encode_segment;
use crate::error::Result;
use crate::transport::Request;

/// `client.reports()`.
pub struct Reports<'a> {
    pub(crate) client: &'a Client,
}

impl Reports<'_> {
    /// `GET /rest/v1/reports/metrics` or, with a name, `/rest/v1/reports/metrics/:metric_name`.
    /// Invalid input for `name` when it is blank, has control characters, or is `.` or `..`.
    pub async fn metrics(&self, name: Option<&str>) -> Result<Value> {
        let path = match name {
            Some(n) => {
                check_id("name", n)?;
                format!("/rest/v1/reports/metrics/{}", encode_segment(n))
            }
            None => "/rest/v1/reports/metrics".to_owned(),
        };
        self.client.send(Request::new(Method::GET, path)).await?.json()
    }
}
