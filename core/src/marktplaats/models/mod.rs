//! Typed models of the Marktplaats API.
//!
//! Every model keeps what it does not know: members without a field of their own land in
//! `extra` (for an advertisement: its category attributes, which are top-level members) and are
//! written back unchanged, so that `decode → encode` gives the same JSON. HAL `_links` and
//! `_embedded` are kept as they came. Values the docs show in two shapes (an id as a number or a
//! string) use [`IntOrString`]; open sets of names (`modelType`, `status`...) are open enums that
//! keep a value they do not know.
//!
//! Amounts are integer euro cents (`i64`); no float ever holds money.


/// An enum over a documented set of strings that keeps any other string it meets.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version of sellkit does not know, kept as sent.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => s.as_str(),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

mod ad;
mod category;
mod common;
mod misc;
mod user;

pub use ad::*;
pub use category::*;
pub use common::*;
pub use misc::*;
pub use user::*;
