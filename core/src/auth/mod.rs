//! Credentials and the tokens they buy.

mod token_manager;

pub use token_manager::{Token, TokenManager, TokenSource};
