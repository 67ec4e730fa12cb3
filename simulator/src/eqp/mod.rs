//! The EQP API: session tokens, users and keys, files, packages, test results, reports, and
//! callbacks to registered URLs.

mod auth;
pub(crate) mod callbacks;
mod files;
mod keys;
mod md5;
mod multipart;
pub(crate) mod packages;
mod reports;
pub(crate) mod store;
mod test_results;
mod users;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub(crate) use auth::EqpState;

use crate::Shared;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    const P: &str = "/rest/v1/products/packages";
    Router::new()
        .route("/rest/v1/app/session/token", post(auth::issue_token))
        .route("/rest/v1/users/{mage_id}", get(users::get_profile).put(users::update_profile))
        .route("/rest/v1/users/{mage_id}/keys", get(keys::list).post(keys::create))
        .route("/rest/v1/users/{mage_id}/keys/{label}", axum::routing::put(keys::set_enabled).delete(keys::delete))
        .route("/rest/v1/users/{mage_id}/reports/{kind}", get(reports::user_report))
        .route("/rest/v1/files/uploads", get(files::list).post(files::upload))
        .route("/rest/v1/files/uploads/{file_upload_id}", get(files::get_one))
        .route(P, get(packages::list).post(packages::create).put(packages::update_many))
        .route(&format!("{P}/skus"), get(packages::list_skus))
        .route(&format!("{P}/skus/{{sku}}"), get(packages::by_sku))
        .route(&format!("{P}/items"), get(packages::list_items))
        .route(&format!("{P}/items/{{item_id}}"), get(packages::by_item_id))
        .route(&format!("{P}/{{submission_id}}"), get(packages::get_one).put(packages::update_one))
        .route(&format!("{P}/{{submission_id}}/status"), get(test_results::summary))
        .route(&format!("{P}/sku/{{sku}}/status"), get(test_results::summary_by_sku))
        .route(&format!("{P}/item/{{item_id}}/status"), get(test_results::summary_by_item))
        .route(&format!("{P}/{{submission_id}}/status/{{tool}}/{{run_id}}"), get(test_results::detail_of))
        .route("/rest/v1/reports/metrics", get(reports::metrics))
        .route("/rest/v1/reports/metrics/{metric_name}", get(reports::metric))
}
