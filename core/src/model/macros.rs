//! `model!` and `open_enum!`: how every model and every open set of names is declared, for both
//! APIs.

/// Declares a model: a struct of `Option` fields plus `extra`, lenient to read, exact to write.
///
/// `field: Type = "json_name"`, `field: Type = "json_name" | "alias"`, then optional flags in
/// brackets (`[always]`, `[required, create_only]`):
/// - `always`: the API always returns it (a required key of the generated result types);
/// - `required`: the docs' Req, it must be given on create;
/// - `readonly`: the server sets it (W and U no): never sent;
/// - `create_only`: written on create, never changed afterwards (U no).
///
/// The flags land in [`crate::model::FieldDef::flags`], from which the request rules and the
/// generated docs derive; an unknown flag does not compile.
/// `pub struct Name(open)` marks a model whose members beyond its fields are part of its data
/// (an ad's category attributes), so the generated input types accept any other member.
///
/// Reading (see [`crate::model::Field`]): unknown members, `null`s and values that do not fit
/// their field are kept in `extra` (on input, a misfit is an error naming its path instead); `[]`
/// reads as an empty object; an alias is read when the documented name is absent. Writing gives
/// back exactly what was read in [`crate::model::Mode::Wire`], and the normalised form in
/// [`crate::model::Mode::View`].
macro_rules! model {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident $(($open:ident))? {
            $(
                $(#[doc = $fdoc:literal])*
                $field:ident : $ty:ty = $json:literal $(| $alias:literal)? $([$($flag:ident),+ $(,)?])?
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: Option<$ty>, )*
            /// Members this version does not know, and known members whose value was `null` or
            /// did not fit their type, exactly as received (they are written back unchanged).
            pub extra: serde_json::Map<String, serde_json::Value>,
            #[doc(hidden)]
            pub shape: $crate::model::Shape,
        }

        impl $name {
            /// Whether `key` is written from a typed field (so `extra` must not repeat it): the
            /// key the field was read from. The other spelling, when both came, stays in `extra`.
            #[allow(unused_variables)]
            fn typed_key(&self, key: &str) -> bool {
                $( if self.$field.is_some() && key == self.shape.key($json) { return true; } )*
                false
            }
            /// Whether no field is set.
            pub fn is_empty(&self) -> bool {
                true $( && self.$field.is_none() )* && self.extra.is_empty()
            }
        }

        impl $crate::model::Field for $name {
            #[allow(unused_mut)]
            fn decode(
                v: &serde_json::Value,
                path: &$crate::model::Path<'_>,
            ) -> Result<Self, $crate::model::DecodeError> {
                let obj = match v {
                    serde_json::Value::Object(m) => m,
                    serde_json::Value::Array(a) if a.is_empty() => {
                        let mut out = Self::default();
                        out.shape.empty_array = true;
                        return Ok(out);
                    }
                    other => {
                        return Err(path.error(format!("expected an object, got {}", $crate::model::json_type(other))))
                    }
                };
                let mut out = Self::default();
                for (key, value) in obj {
                    let k = key.as_str();
                    $(
                        #[allow(unused_mut)]
                        let mut known = k == $json;
                        $(
                            if k == $alias && !obj.contains_key($json) {
                                known = true;
                                out.shape.aliases.push(($json, $alias));
                            }
                        )?
                        if known {
                            if value.is_null() {
                                out.extra.insert(key.clone(), value.clone());
                            } else {
                                match <$ty as $crate::model::Field>::decode(value, &path.key(k)) {
                                    Ok(x) => out.$field = Some(x),
                                    Err(e) if path.is_strict() => return Err(e),
                                    Err(_) => {
                                        out.extra.insert(key.clone(), value.clone());
                                    }
                                }
                            }
                            continue;
                        }
                    )*
                    out.extra.insert(key.clone(), value.clone());
                }
                Ok(out)
            }

            fn fits(v: &serde_json::Value) -> bool {
                match v {
                    serde_json::Value::Object(_) => true,
                    serde_json::Value::Array(a) => a.is_empty(),
                    _ => false,
                }
            }

            // What `decode` then the view gives, on `v` itself: `[]` becomes `{}`, a field read
            // from its alias moves to its documented name, and fields whose view differs are
            // turned in place. A `null` or a value that does not fit stays as it is, as in `extra`.
            #[allow(unused_variables)]
            fn view_in_place(v: &mut serde_json::Value) {
                if v.as_array().is_some_and(Vec::is_empty) {
                    *v = serde_json::Value::Object(serde_json::Map::new());
                    return;
                }
                let serde_json::Value::Object(obj) = v else { return };
                $(
                    $(
                        if !obj.contains_key($json)
                            && obj.get($alias).is_some_and(|a| !a.is_null() && <$ty as $crate::model::Field>::fits(a))
                        {
                            $crate::model::rename_key(obj, $alias, $json);
                        }
                    )?
                    if <$ty as $crate::model::Field>::VIEW_CHANGES {
                        if let Some(value) = obj.get_mut($json) {
                            if !value.is_null() && <$ty as $crate::model::Field>::fits(value) {
                                <$ty as $crate::model::Field>::view_in_place(value);
                            }
                        }
                    }
                )*
            }

            fn encode<S: serde::Serializer>(&self, s: S, mode: $crate::model::Mode) -> Result<S::Ok, S::Error> {
                use serde::ser::{SerializeMap, SerializeSeq};
                let wire = mode == $crate::model::Mode::Wire;
                if wire && self.shape.empty_array && self.is_empty() {
                    return s.serialize_seq(Some(0))?.end();
                }
                let mut map = s.serialize_map(None)?;
                $(
                    if let Some(v) = &self.$field {
                        let key = if wire { self.shape.key($json) } else { $json };
                        map.serialize_entry(key, &$crate::model::Enc(v, mode))?;
                    }
                )*
                for (k, v) in &self.extra {
                    if !self.typed_key(k) {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
        }

        impl $crate::model::Describe for $name {
            fn describe(reg: &mut $crate::model::Registry) -> $crate::model::Ty {
                reg.define(stringify!($name), |reg| $crate::model::TypeDef::Model {
                    doc: $crate::model::doc(&[$($doc),*]),
                    open: false $(|| stringify!($open) == "open")?,
                    fields: vec![$({
                        let given: &[$crate::model::FieldFlag] = &[$($($crate::model::field_flag!($flag)),+)?];
                        let flags = $crate::model::Flags::of(given);
                        $crate::model::FieldDef {
                            key: $json,
                            alias: None $(.or(Some($alias)))?,
                            ty: <$ty as $crate::model::Describe>::describe(reg),
                            always: given.contains(&$crate::model::FieldFlag::Always),
                            flags,
                            doc: $crate::model::doc_with_flags(&[$($fdoc),*], flags),
                        }
                    },)*],
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::model::Field::encode(self, s, $crate::model::Mode::Wire)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                <Self as $crate::model::Field>::decode(&v, &$crate::model::Path::response())
                    .map_err(<D::Error as serde::de::Error>::custom)
            }
        }

        impl $crate::model::Model for $name {}
    };
}

/// One flag of a `model!` field, by name; any other name does not compile.
macro_rules! field_flag {
    (always) => {
        $crate::model::FieldFlag::Always
    };
    (required) => {
        $crate::model::FieldFlag::Required
    };
    (readonly) => {
        $crate::model::FieldFlag::Readonly
    };
    (create_only) => {
        $crate::model::FieldFlag::CreateOnly
    };
}

/// Declares an open enum: known values as variants, anything else kept in `Other`.
macro_rules! open_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal ),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )*
            /// A value this version of sellkit does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every value this version knows.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];
            /// The value as sent.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(s) => s,
                }
            }
            /// Whether the value is one this version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::model::Field for $name {
            const VIEW_CHANGES: bool = false;
            fn decode(
                v: &serde_json::Value,
                path: &$crate::model::Path<'_>,
            ) -> Result<Self, $crate::model::DecodeError> {
                <String as $crate::model::Field>::decode(v, path).map(|s| $name::from(s.as_str()))
            }
            fn encode<S: serde::Serializer>(&self, s: S, _: $crate::model::Mode) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::model::Describe for $name {
            fn describe(reg: &mut $crate::model::Registry) -> $crate::model::Ty {
                reg.define(stringify!($name), |_| $crate::model::TypeDef::Enum {
                    doc: $crate::model::doc(&[$($doc),*]),
                    values: $name::KNOWN,
                    open: true,
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

pub(crate) use {field_flag, model, open_enum};
