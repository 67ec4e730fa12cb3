//! Credentials and the tokens they buy.

pub mod login;
pub mod oauth2;
pub mod shared;
mod token_manager;

pub(crate) use token_manager::send_authorized;
pub use token_manager::{Token, TokenManager, TokenSource};
