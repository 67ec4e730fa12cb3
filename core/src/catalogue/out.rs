//! What an operation gives back to a binding: its result in the view form.

use std::marker::PhantomData;

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::batch::BatchResult;
use crate::error::{Error, Result};
use crate::model::{Describe, Model, Registry, Ty, TypeDef};

/// The result of a call, ready to convert.
#[derive(Debug)]
pub enum Out {
    /// JSON in the view form (see [`crate::model::Mode::View`]).
    Json(Value),
    /// Raw bytes (an image).
    Bytes(Bytes),
    /// A batch: its view (`{items, all_ok, failed}`) and the one error that reports its failed
    /// items, which every binding raises from `raise_for_failures()`.
    Batch(Value, Option<Error>),
}

/// A result type: how it becomes an [`Out`].
pub trait IntoOut: Describe {
    /// The result as a binding receives it.
    fn into_out(self) -> Result<Out>;
}

/// A value with a view (see [`crate::model::Mode::View`]).
pub trait View: Describe {
    /// The view of the value.
    fn into_view(self) -> Result<Value>;
}

impl<T: View> IntoOut for T {
    fn into_out(self) -> Result<Out> {
        self.into_view().map(Out::Json)
    }
}

impl<T: Model + Describe> View for T {
    fn into_view(self) -> Result<Value> {
        Ok(self.to_view())
    }
}

macro_rules! plain_view {
    ($($t:ty),*) => {
        $(impl View for $t {
            fn into_view(self) -> Result<Value> {
                Ok(Value::from(self))
            }
        })*
    };
}

plain_view!(String, bool, i64, u64, Value, Map<String, Value>);

impl View for () {
    fn into_view(self) -> Result<Value> {
        Ok(Value::Null)
    }
}

impl<A: View, B: View> View for (A, B) {
    fn into_view(self) -> Result<Value> {
        Ok(Value::Array(vec![self.0.into_view()?, self.1.into_view()?]))
    }
}

impl<T: View> View for Vec<T> {
    fn into_view(self) -> Result<Value> {
        self.into_iter().map(View::into_view).collect::<Result<_>>().map(Value::Array)
    }
}

impl<T: View> View for Option<T> {
    fn into_view(self) -> Result<Value> {
        self.map_or(Ok(Value::Null), View::into_view)
    }
}

/// A response body as it came, to be read as a `T`: its view is computed on the JSON itself
/// ([`Model::view_of`]), without building the typed value.
pub struct Raw<T> {
    json: Value,
    _t: PhantomData<fn() -> T>,
}

impl<T> Raw<T> {
    /// The body `json`, to be viewed as a `T`.
    pub fn new(json: Value) -> Raw<T> {
        Raw { json, _t: PhantomData }
    }
    /// The JSON as it came.
    pub fn json(&self) -> &Value {
        &self.json
    }
}

impl<T: Describe> Describe for Raw<T> {
    fn describe(reg: &mut Registry) -> Ty {
        T::describe(reg)
    }
}

impl<T: Model + Describe> View for Raw<T> {
    fn into_view(self) -> Result<Value> {
        T::view_of(self.json)
    }
}

impl Describe for Bytes {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Bytes
    }
}

impl IntoOut for Bytes {
    fn into_out(self) -> Result<Out> {
        Ok(Out::Bytes(self))
    }
}

impl<T: Describe> Describe for BatchResult<T> {
    fn describe(reg: &mut Registry) -> Ty {
        let data = T::describe(reg);
        let error = reg.define("BatchItemError", |_| TypeDef::Model {
            open: false,
            doc: "The error of a whole chunk, when the item's chunk failed as a whole.".into(),
            fields: vec![
                field("kind", Ty::Str, true, "The error kind (`server`, `connection`, ...)."),
                field("code", Ty::Str, true, "The machine code of the error."),
                field("status", Ty::optional(Ty::Int), true, "The HTTP status, when there was an answer."),
                field("message", Ty::Str, true, "What went wrong."),
            ],
        });
        let name = match &data {
            Ty::Named(n) => n.clone(),
            _ => String::new(),
        };
        let entry = reg.define(format!("{name}BatchItem"), |_| TypeDef::Model {
            open: false,
            doc: "One entry of a batch result: the outcome of the input item at `index`.".into(),
            fields: vec![
                field("index", Ty::Int, true, "Position of the item in the input."),
                field("ok", Ty::Bool, true, "Whether the item succeeded."),
                field("code", Ty::Int, true, "`200` for success; else the API's code, or the HTTP status of a failed chunk."),
                field("message", Ty::Str, true, "The server's message for the item."),
                field(
                    "data",
                    data.clone(),
                    true,
                    "The item's result fields when it succeeded (`ok`); for a failed item, what the server sent besides its code and message (often nothing: `{}`).",
                ),
                field("recovered", Ty::Bool, true, "The item was found on the server after its request failed in transit, instead of being sent again."),
                field("error", error, false, "The error of the item's chunk, when the chunk failed as a whole."),
            ],
        });
        reg.define(format!("{name}Batch"), |_| TypeDef::Model {
            open: false,
            doc: "A batch result: one entry per input item, in input order.".into(),
            fields: vec![
                field("items", Ty::list(entry.clone()), true, "One entry per input item, in input order."),
                field("all_ok", Ty::Bool, true, "Whether every item succeeded."),
                field("failed", Ty::list(entry), true, "The entries that failed."),
            ],
        })
    }
}

fn field(key: &'static str, ty: Ty, always: bool, doc: &str) -> crate::model::FieldDef {
    crate::model::FieldDef { key, alias: None, ty, always, flags: Default::default(), doc: doc.to_owned() }
}

impl Out {
    /// The JSON of a JSON or batch result (for tests and tools).
    pub fn into_json(self) -> Option<Value> {
        match self {
            Out::Json(v) | Out::Batch(v, _) => Some(v),
            Out::Bytes(_) => None,
        }
    }
}

impl<T: View> IntoOut for BatchResult<T> {
    fn into_out(self) -> Result<Out> {
        let error = self.raise_for_failures().err();
        self.into_view().map(|v| Out::Batch(v, error))
    }
}
