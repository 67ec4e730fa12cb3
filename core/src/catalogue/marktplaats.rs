//! The operations of the Marktplaats API.

use super::macros::operations;
use crate::marktplaats::Client;

operations! {
    client: Client;
}
