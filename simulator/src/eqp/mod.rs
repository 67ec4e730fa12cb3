//! The EQP API: session tokens, users and keys, files, packages, test results, reports, and
//! callbacks to registered URLs.

mod auth;
pub(crate) mod callbacks;
mod files;
mod keys;
pub(crate) mod packages;
mod reports;
pub(crate) mod store;
mod test_results;
mod users;

pub(crate) use auth::EqpState;

use crate::routes::{Api, RouteTable};

/// Every EQP route, in the router and in [`crate::Simulator::routes`].
pub(crate) fn routes() -> RouteTable {
    RouteTable::new(Api::Eqp)
        .post("/rest/v1/app/session/token", auth::issue_token)
        .get("/rest/v1/users/{mage_id}", users::get_profile)
        .put("/rest/v1/users/{mage_id}", users::update_profile)
        .get("/rest/v1/users/{mage_id}/keys", keys::list)
        .post("/rest/v1/users/{mage_id}/keys", keys::create)
        .put("/rest/v1/users/{mage_id}/keys/{label}", keys::set_enabled)
        .delete("/rest/v1/users/{mage_id}/keys/{label}", keys::delete)
        .get("/rest/v1/users/{mage_id}/reports/{kind}", reports::user_report)
        .get("/rest/v1/files/uploads", files::list)
        .post("/rest/v1/files/uploads", files::upload)
        .get("/rest/v1/files/uploads/{file_upload_id}", files::get_one)
        .get("/rest/v1/products/packages", packages::list)
        .post("/rest/v1/products/packages", packages::create)
        .put("/rest/v1/products/packages", packages::update_many)
        .get("/rest/v1/products/packages/skus", packages::list_skus)
        .get("/rest/v1/products/packages/skus/{sku}", packages::by_sku)
        .get("/rest/v1/products/packages/items", packages::list_items)
        .get("/rest/v1/products/packages/items/{item_id}", packages::by_item_id)
        .get("/rest/v1/products/packages/{submission_id}", packages::get_one)
        .put("/rest/v1/products/packages/{submission_id}", packages::update_one)
        .get("/rest/v1/products/packages/{submission_id}/status", test_results::summary)
        .get("/rest/v1/products/packages/sku/{sku}/status", test_results::summary_by_sku)
        .get("/rest/v1/products/packages/item/{item_id}/status", test_results::summary_by_item)
        .get("/rest/v1/products/packages/{submission_id}/status/{tool}/{run_id}", test_results::detail_of)
        .get("/rest/v1/reports/metrics", reports::metrics)
        .get("/rest/v1/reports/metrics/{metric_name}", reports::metric)
}
