//! The EQP API: session tokens and the user profile.

mod auth;
mod users;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub(crate) use auth::EqpState;

use crate::Shared;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/rest/v1/app/session/token", post(auth::issue_token))
        .route("/rest/v1/users/{mage_id}", get(users::get_profile).put(users::update_profile))
}
