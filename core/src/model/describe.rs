//! Descriptions of the types that cross into Python and Node, for the generated stubs and
//! declarations (`codegen/`): every model, enum and argument is described by the type itself, so
//! the Python TypedDicts and the TypeScript types cannot drift from what core reads and writes.

use std::collections::BTreeMap;

/// The shape of a value as a binding sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// Any JSON value, passed through as it came.
    Any,
    /// `null` / `None`.
    Null,
    /// A boolean.
    Bool,
    /// A whole number.
    Int,
    /// Any JSON number (a float where the API has one).
    Number,
    /// Text.
    Str,
    /// Text that is a secret (never echoed back in results or errors).
    Secret,
    /// An exact decimal amount: `"15.50"` in results; a number, a numeric string (and in Python a
    /// `Decimal`) as input.
    Decimal,
    /// A timestamp, as text in results.
    Timestamp,
    /// A duration: seconds in Python and Rust, milliseconds in Node.
    Seconds,
    /// Raw bytes (`bytes` in Python, a `Buffer` in Node).
    Bytes,
    /// One file to upload: a path, a name with bytes, or a readable stream.
    File,
    /// Upload progress: a callable `(sent, total)` (or a tqdm-like object in Python).
    Progress,
    /// A callback receiving a value of the given type (`on_token`).
    Callback(Box<Ty>),
    /// A list.
    List(Box<Ty>),
    /// An object with free keys.
    Map(Box<Ty>),
    /// A value or `null`.
    Optional(Box<Ty>),
    /// One of several shapes.
    Union(Vec<Ty>),
    /// A fixed number of values (a tuple in Python, an array in Node).
    Tuple(Vec<Ty>),
    /// A model or enum described in the [`Registry`] under this name.
    Named(String),
    /// A fixed set of strings that is not a named enum.
    Literal(&'static [&'static str]),
}

impl Ty {
    /// `Ty::List(inner)`.
    pub fn list(inner: Ty) -> Ty {
        Ty::List(Box::new(inner))
    }
    /// `Ty::Map(inner)`.
    pub fn map(inner: Ty) -> Ty {
        Ty::Map(Box::new(inner))
    }
    /// `Ty::Optional(inner)`.
    pub fn optional(inner: Ty) -> Ty {
        Ty::Optional(Box::new(inner))
    }
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    /// The member's name in JSON (`type`, `priceModel`).
    pub key: &'static str,
    /// Another spelling the API uses for it (read, and normalised to `key` in results).
    pub alias: Option<&'static str>,
    /// Its type.
    pub ty: Ty,
    /// Whether results always carry it (the docs mark it required, and every example has it).
    pub always: bool,
    /// Who may write it (the docs' Req/W/U columns): `[required]`, `[readonly]`,
    /// `[create_only]` in `model!`.
    pub flags: Flags,
    /// Its documentation.
    pub doc: String,
}

/// Who may write a field: the Req, W and U columns of the API's field tables, declared on the
/// model (`[required]`, `[readonly]`, `[create_only]` after a field in `model!`). The rules
/// that keep a field out of a request (a member the server manages is never sent; a field set
/// on create is never changed afterwards) and the generated docs both read them from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    /// Req: must be given when the entity is created.
    pub required: bool,
    /// W: may be sent when the entity is created (`false`: the server sets it).
    pub writable: bool,
    /// U: may be changed afterwards, by PUT or PATCH.
    pub updateable: bool,
}

impl Flags {
    /// Optional, writable and updateable: a field without flags.
    pub const DEFAULT: Flags = Flags { required: false, writable: true, updateable: true };

    /// The flags of a field declared with `flags` (`[always, readonly]`).
    pub fn of(flags: &[FieldFlag]) -> Flags {
        let mut f = Flags::DEFAULT;
        for flag in flags {
            match flag {
                FieldFlag::Always => {}
                FieldFlag::Required => f.required = true,
                FieldFlag::Readonly => {
                    f.writable = false;
                    f.updateable = false;
                }
                FieldFlag::CreateOnly => f.updateable = false,
            }
        }
        f
    }
    /// Set by the server: neither written on create nor changed afterwards.
    pub fn server_managed(self) -> bool {
        !self.writable && !self.updateable
    }
    /// Written on create, never changed afterwards.
    pub fn create_only(self) -> bool {
        self.writable && !self.updateable
    }
    /// The sentence the generated docs add to the field's documentation, if any.
    pub fn note(self) -> Option<&'static str> {
        match (self.required, self.server_managed(), self.create_only()) {
            (_, true, _) => Some("Set by the server: never sent."),
            (true, _, true) => Some("Required on create; cannot be changed afterwards."),
            (false, _, true) => Some("Set on create only; cannot be changed afterwards."),
            (true, _, _) => Some("Required on create."),
            _ => None,
        }
    }
}

impl Default for Flags {
    fn default() -> Flags {
        Flags::DEFAULT
    }
}

/// One flag after a field in `model!` (`[always]`, `[required]`, `[readonly]`, `[create_only]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldFlag {
    /// Results always carry it.
    Always,
    /// Req: must be given on create.
    Required,
    /// Set by the server (W and U no).
    Readonly,
    /// Written on create, never changed (U no).
    CreateOnly,
}

/// A field's documentation with its flags' sentence appended (what the generated docs show).
pub fn doc_with_flags(lines: &[&str], flags: Flags) -> String {
    let text = doc(lines);
    match flags.note() {
        None => text,
        Some(note) if text.is_empty() => note.to_owned(),
        Some(note) => format!("{text}\n\n{note}"),
    }
}

/// A described model or enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDef {
    /// An object with known fields; unknown members are kept (`extra`).
    Model {
        /// Documentation of the model.
        doc: String,
        /// Whether members beyond the fields are part of the data (an ad's attributes).
        open: bool,
        /// Its fields, in declaration order.
        fields: Vec<FieldDef>,
    },
    /// A set of strings; an *open* enum also keeps values it does not know.
    Enum {
        /// Documentation of the enum.
        doc: String,
        /// The values it knows.
        values: &'static [&'static str],
        /// Whether other values are accepted and kept.
        open: bool,
    },
}

/// Every named type reached from the described operations.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    types: BTreeMap<String, TypeDef>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }
    /// Whether `name` is described (or being described: recursion stops there).
    pub fn contains(&self, name: &str) -> bool {
        self.types.contains_key(name)
    }
    /// Describe `name` once: `define` runs only the first time (and may describe other types).
    pub fn define(&mut self, name: impl Into<String>, define: impl FnOnce(&mut Registry) -> TypeDef) -> Ty {
        let name = name.into();
        if !self.types.contains_key(&name) {
            // A placeholder first, so that a type reaching itself stops here.
            self.types.insert(name.clone(), TypeDef::Enum { doc: String::new(), values: &[], open: true });
            let def = define(self);
            self.types.insert(name.clone(), def);
        }
        Ty::Named(name)
    }
    /// The described types, by name.
    pub fn types(&self) -> &BTreeMap<String, TypeDef> {
        &self.types
    }
}

/// A type that can say what it looks like to a binding.
pub trait Describe {
    /// Its shape, registering the named types it uses.
    fn describe(reg: &mut Registry) -> Ty;
}

macro_rules! leaf {
    ($($t:ty => $ty:expr),* $(,)?) => {
        $(impl Describe for $t {
            fn describe(_: &mut Registry) -> Ty {
                $ty
            }
        })*
    };
}

leaf! {
    String => Ty::Str,
    bool => Ty::Bool,
    i64 => Ty::Int,
    u64 => Ty::Int,
    u32 => Ty::Int,
    usize => Ty::Int,
    f64 => Ty::Number,
    serde_json::Number => Ty::Number,
    serde_json::Value => Ty::Any,
    () => Ty::Null,
    crate::secret::Secret => Ty::Secret,
    std::time::Duration => Ty::Seconds,
}

impl<A: Describe, B: Describe> Describe for (A, B) {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::Tuple(vec![A::describe(reg), B::describe(reg)])
    }
}

impl<T: Describe> Describe for Vec<T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::list(T::describe(reg))
    }
}

impl<T: Describe> Describe for Option<T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::optional(T::describe(reg))
    }
}

impl<T: Describe> Describe for BTreeMap<String, T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::map(T::describe(reg))
    }
}

impl Describe for serde_json::Map<String, serde_json::Value> {
    fn describe(_: &mut Registry) -> Ty {
        Ty::map(Ty::Any)
    }
}

/// The documentation lines of an item, joined (for the macros, which see `///` as `#[doc]`).
pub fn doc(lines: &[&str]) -> String {
    lines.iter().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n").trim().to_owned()
}
