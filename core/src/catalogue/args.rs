//! The arguments of an operation, as a binding hands them over: by parameter name, each in the
//! carrier its type asks for (JSON, bytes, files, a progress callback).

use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{json_type, Describe, Field, Path, Registry, Ty};
use crate::upload::{Progress, UploadSource};

/// How a binding carries a parameter's value into core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// As JSON (numbers, text, objects...).
    Json,
    /// As JSON seconds (Node converts its milliseconds first).
    Seconds,
    /// Raw bytes (`bytes`/`str` in Python, `Buffer`/`string` in Node).
    Bytes,
    /// One file to upload.
    File,
    /// A list of files to upload.
    Files,
    /// A progress callback.
    Progress,
    /// A callback receiving new tokens (`on_token`).
    Callback,
    /// A callback receiving events as JSON (the steps of a release): fire and forget.
    Events,
}

/// One argument value.
#[derive(Clone)]
pub enum Arg {
    /// A JSON value (`null` counts as absent).
    Json(Value),
    /// Raw bytes.
    Bytes(Bytes),
    /// Files to upload (one for a [`Carrier::File`] parameter).
    Files(Vec<UploadSource>),
    /// A progress callback.
    Progress(Progress),
    /// A callback receiving new tokens.
    OnToken(crate::auth::oauth2::OnToken),
    /// A callback receiving events (their view JSON).
    Events(EventSink),
}

/// Receives each event of an operation as its view JSON; what it does is the binding's (a
/// failing callback never fails the operation).
pub type EventSink = std::sync::Arc<dyn Fn(Value) + Send + Sync>;

impl std::fmt::Debug for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Json(v) => write!(f, "Json({})", json_type(v)),
            Arg::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Arg::Files(files) => f.debug_tuple("Files").field(files).finish(),
            Arg::Progress(_) => f.write_str("Progress"),
            Arg::OnToken(_) => f.write_str("OnToken"),
            Arg::Events(_) => f.write_str("Events"),
        }
    }
}

/// A progress callback argument.
pub type ProgressFn = Progress;

/// The arguments of one call, by parameter name.
#[derive(Debug, Default, Clone)]
pub struct Args {
    values: Vec<(String, Arg)>,
}

impl Args {
    /// No arguments.
    pub fn new() -> Args {
        Args::default()
    }

    /// Set argument `name` (a `null` JSON value is the same as not setting it).
    pub fn set(&mut self, name: impl Into<String>, arg: Arg) {
        if matches!(&arg, Arg::Json(Value::Null)) {
            return;
        }
        let name = name.into();
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, arg));
    }

    /// Arguments from a JSON object (for callers that have JSON, such as tests): each member is
    /// one argument. Anything but an object (or `null`) is refused.
    pub fn from_json(v: Value) -> Result<Args> {
        let mut args = Args::new();
        match v {
            Value::Object(m) => m.into_iter().for_each(|(k, v)| args.set(k, Arg::Json(v))),
            Value::Null => {}
            other => return Err(Error::invalid_input("args", format!("expected an object, got {}", json_type(&other)))),
        }
        Ok(args)
    }

    fn take(&mut self, name: &str) -> Option<Arg> {
        let i = self.values.iter().position(|(n, _)| n == name)?;
        Some(self.values.swap_remove(i).1)
    }

    /// The required argument `name`.
    pub fn required<T: Param>(&mut self, name: &str) -> Result<T> {
        match self.take(name) {
            Some(arg) => T::from_arg(arg, name),
            None => T::absent().ok_or_else(|| Error::invalid_input(name, "is required")),
        }
    }

    /// The optional argument `name`.
    pub fn optional<T: Param>(&mut self, name: &str) -> Result<Option<T>> {
        self.take(name).map(|arg| T::from_arg(arg, name)).transpose()
    }

    /// Refuse an argument the operation does not take, naming it and the ones it does.
    pub fn finish(self, known: &[&str]) -> Result<()> {
        match self.values.first() {
            None => Ok(()),
            Some((name, _)) => Err(Error::invalid_input(
                name.clone(),
                if known.is_empty() {
                    "unknown argument; this operation takes none".to_owned()
                } else {
                    format!("unknown argument; expected one of: {}", known.join(", "))
                },
            )),
        }
    }
}

/// A parameter type: how its value is carried, read and described.
pub trait Param: Sized + Describe {
    /// How a binding carries it.
    const CARRIER: Carrier = Carrier::Json;
    /// Read the argument called `name`.
    fn from_arg(arg: Arg, name: &str) -> Result<Self>;
    /// The value of a positional parameter that was passed as `None`/`null`, when the type
    /// allows one.
    fn absent() -> Option<Self> {
        None
    }
}

/// Every model field type is a JSON parameter, read strictly (errors name the path from the
/// parameter: `items[2].prices[0].price`).
impl<T: Field + Describe> Param for T {
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Json(v) => T::decode(&v, &Path::input(name)).map_err(|e| e.into_input_error()),
            other => Err(Error::invalid_input(name, format!("expected a JSON value, got {other:?}"))),
        }
    }
}

/// A positional parameter that may be `None`/`null`: it must be passed, its value may be absent.
impl<T: Param> Param for Option<T> {
    const CARRIER: Carrier = T::CARRIER;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        T::from_arg(arg, name).map(Some)
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// A duration in seconds (a whole or fractional number, positive, at most a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub Duration);

impl Describe for Seconds {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Seconds
    }
}

impl Param for Seconds {
    const CARRIER: Carrier = Carrier::Seconds;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Json(Value::Number(n)) => match n.as_f64() {
                Some(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(Seconds(Duration::from_secs_f64(s))),
                _ => Err(Error::invalid_input(name, format!("expected a number of seconds between 0 and 86400, got {n}"))),
            },
            Arg::Json(other) => Err(Error::invalid_input(name, format!("expected a number of seconds, got {}", json_type(&other)))),
            other => Err(Error::invalid_input(name, format!("expected a number of seconds, got {other:?}"))),
        }
    }
}

/// Raw bytes (a webhook body, an image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob(pub Bytes);

impl Describe for Blob {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Bytes
    }
}

impl Param for Blob {
    const CARRIER: Carrier = Carrier::Bytes;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Bytes(b) => Ok(Blob(b)),
            // Text is its UTF-8 bytes (what a caller means by a `str` body).
            Arg::Json(Value::String(s)) => Ok(Blob(Bytes::from(s))),
            Arg::Json(other) => Err(Error::invalid_input(name, format!("expected bytes, got {}", json_type(&other)))),
            other => Err(Error::invalid_input(name, format!("expected bytes, got {other:?}"))),
        }
    }
}

/// One file to upload.
impl Describe for UploadSource {
    fn describe(_: &mut Registry) -> Ty {
        Ty::File
    }
}

impl Param for UploadSource {
    const CARRIER: Carrier = Carrier::File;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Files(mut files) if files.len() == 1 => Ok(files.remove(0)),
            other => Err(Error::invalid_input(name, format!("expected one file, got {other:?}"))),
        }
    }
}

/// Files to upload, in order.
#[derive(Debug)]
pub struct Files(pub Vec<UploadSource>);

impl Describe for Files {
    fn describe(_: &mut Registry) -> Ty {
        Ty::list(Ty::File)
    }
}

impl Param for Files {
    const CARRIER: Carrier = Carrier::Files;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Files(files) => Ok(Files(files)),
            other => Err(Error::invalid_input(name, format!("expected files, got {other:?}"))),
        }
    }
}

/// An upload progress callback.
pub struct OnProgress(pub Progress);

impl Describe for OnProgress {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Progress
    }
}

impl Param for OnProgress {
    const CARRIER: Carrier = Carrier::Progress;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Progress(p) => Ok(OnProgress(p)),
            other => Err(Error::invalid_input(name, format!("expected a progress callback, got {other:?}"))),
        }
    }
}

/// A callback receiving the events of an operation, described as receiving `T`.
pub struct OnEvent<T>(pub EventSink, std::marker::PhantomData<fn(T)>);

impl<T: Describe> Describe for OnEvent<T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::Callback(Box::new(T::describe(reg)))
    }
}

impl<T: Describe> Param for OnEvent<T> {
    const CARRIER: Carrier = Carrier::Events;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Events(f) => Ok(OnEvent(f, std::marker::PhantomData)),
            other => Err(Error::invalid_input(name, format!("expected a function, got {other:?}"))),
        }
    }
}

/// A JSON parameter kept as it came, described as `T` (a request body that the resource method
/// checks itself, naming fields relative to the body: `priceModel.askingPrice`).
pub struct Json<T>(pub Value, std::marker::PhantomData<fn() -> T>);

impl<T: Describe> Describe for Json<T> {
    fn describe(reg: &mut Registry) -> Ty {
        T::describe(reg)
    }
}

impl<T: Describe> Param for Json<T> {
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::Json(v) => Ok(Json(v, std::marker::PhantomData)),
            other => Err(Error::invalid_input(name, format!("expected a JSON value, got {other:?}"))),
        }
    }
}

impl<T> Json<T> {
    /// The value.
    pub fn into_inner(self) -> Value {
        self.0
    }
    /// The value, which must be an object (`name` is the parameter, for the error).
    pub fn into_object(self, name: &str) -> Result<serde_json::Map<String, Value>> {
        match self.0 {
            Value::Object(m) => Ok(m),
            other => Err(Error::invalid_input(name, format!("expected an object, got {}", json_type(&other)))),
        }
    }
}

/// An id the API spells as text that callers may also give as a whole number (`run_id: 5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdText(pub String);

impl Field for IdText {
    fn decode(v: &Value, path: &Path<'_>) -> std::result::Result<Self, crate::model::DecodeError> {
        match v {
            Value::Number(n) if n.is_u64() => Ok(IdText(n.to_string())),
            _ => String::decode(v, path).map(IdText),
        }
    }
    fn encode<S: serde::Serializer>(&self, s: S, _: crate::model::Mode) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl Describe for IdText {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Union(vec![Ty::Str, Ty::Int])
    }
}

/// A closed set of names read from text: the type's `parse` decides, and the error names the
/// path. For arguments (`style`, `kind`); response values are open enums.
macro_rules! choice {
    ($t:ty, $values:expr) => {
        impl $crate::model::Field for $t {
            fn decode(
                v: &serde_json::Value,
                path: &$crate::model::Path<'_>,
            ) -> std::result::Result<Self, $crate::model::DecodeError> {
                let text = <String as $crate::model::Field>::decode(v, path)?;
                <$t>::parse_text(&text).ok_or_else(|| {
                    path.error(format!("expected one of {}; got {text:?}", $values.join(", ")))
                })
            }
            fn encode<S: serde::Serializer>(&self, s: S, _: $crate::model::Mode) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl $crate::model::Describe for $t {
            fn describe(_: &mut $crate::model::Registry) -> $crate::model::Ty {
                $crate::model::Ty::Literal($values)
            }
        }
    };
}
pub(crate) use choice;
