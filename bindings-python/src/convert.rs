//! Python values ⇄ JSON values, by hand (no JSON text in between).
//!
//! Python → JSON accepts `dict` and other mappings (string keys), `list`, `tuple` and other
//! sequences (not `bytes`), `str`, `int` (fitting in 64 bits), `float` (finite), `bool`, `None`,
//! and the types money and time are given as:
//!
//! - `decimal.Decimal`, exactly, never through a float: a whole one as a JSON integer, any other
//!   as its decimal text (`"15.50"`), which core reads as a price or refuses naming the field
//!   (more than two decimals, say);
//! - an aware `datetime` as ISO 8601 text in UTC (`2020-07-21T08:09:10Z`, with the microseconds
//!   when it has some); a naive one is refused: it names no instant, and reading it as local time
//!   or as UTC would shift it by hours on some machine without a word;
//! - a `date` as `2020-07-21`.
//!
//! Anything else is an invalid-input error that names the argument and the path inside it
//! (`fields.personal_profile.addresses[0].phone`).


use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString, PyTuple, PyType};
use sellkit::catalogue::{InputFailure as Failure, MAX_DEPTH};
use serde_json::{Map, Number, Value};

/// What Python may send as JSON, for the error that refuses anything else.
const ACCEPTED: &str = "dict, list, tuple, str, int, float, bool, None, Decimal, datetime or date";

/// Convert the arguments of an operation (a dict whose keys name the arguments, or `None`).
pub fn args_to_json(obj: &Bound<'_, PyAny>) -> Result<Value, sellkit::Error> {
    if obj.is_none() {
        return Ok(Value::Object(Map::new()));
    }
    if !obj.is_instance_of::<PyDict>() {
        return Err(sellkit::Error::invalid_input("args", format!("expected a dict, got {}", type_name(obj))));
    }
    // The dict's keys are the argument names: a path starts at one (`fields.bio`).
    to_json(obj, 0, &mut 0).map_err(|f| f.into_error(""))
}

/// Convert the argument `name` (`doc`, `ops`, ...). Errors name it and the path inside it
/// (`doc.ads[3].price`, `ops[1].value`). `size` grows by a rough count of the bytes the value
/// takes as JSON, to decide whether the work on it is worth releasing the GIL for.
pub fn arg_to_json(obj: &Bound<'_, PyAny>, name: &str, size: &mut usize) -> Result<Value, sellkit::Error> {
    to_json(obj, 0, size).map_err(|f| f.into_error(name))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".to_owned())
}

/// The common types are tested first; `bool` before `int`, as `True` is an `int` too.
fn to_json(obj: &Bound<'_, PyAny>, depth: usize, size: &mut usize) -> Result<Value, Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::too_deep());
    }
    *size += 8;
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_str().map_err(|_| Failure::lone_surrogate())?;
        *size += s.len();
        return Ok(Value::String(s.to_owned()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, value) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(Failure::key_not_string(&type_name(&key)));
            };
            let key = key.to_str().map_err(|_| Failure::lone_surrogate())?;
            *size += key.len();
            match to_json(&value, depth + 1, size) {
                Ok(v) => {
                    map.insert(key.to_owned(), v);
                }
                Err(f) => return Err(f.at_key(key)),
            }
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(Failure::integer_out_of_range());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| Failure::not_finite(&obj.repr().map(|r| r.to_string()).unwrap_or_else(|_| "nan".into())));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        let mut items = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            items.push(to_json(&item, depth + 1, size).map_err(|f| f.at_index(i))?);
        }
        return Ok(Value::Array(items));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        let mut items = Vec::with_capacity(tuple.len());
        for (i, item) in tuple.iter().enumerate() {
            items.push(to_json(&item, depth + 1, size).map_err(|f| f.at_index(i))?);
        }
        return Ok(Value::Array(items));
    }
    if let Some(v) = money_or_time(obj)? {
        return Ok(v);
    }
    // Other mappings and sequences (`MappingProxyType`, `collections.abc` classes) as a dict or
    // a list would be; bytes are not text and are refused below.
    if let Ok(mapping) = obj.cast::<PyMapping>() {
        let items = mapping.items().map_err(|e| Failure::new(format!("the mapping could not be read: {e}")))?;
        let mut map = Map::with_capacity(items.len());
        for pair in items.iter() {
            let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                pair.extract().map_err(|_| Failure::new("the mapping's items are not (key, value) pairs"))?;
            let Ok(key) = key.cast::<PyString>() else {
                return Err(Failure::key_not_string(&type_name(&key)));
            };
            let key = key.to_str().map_err(|_| Failure::lone_surrogate())?;
            *size += key.len();
            let v = to_json(&value, depth + 1, size).map_err(|f| f.at_key(key))?;
            map.insert(key.to_owned(), v);
        }
        return Ok(Value::Object(map));
    }
    if !obj.is_instance_of::<PyBytes>() && !obj.is_instance_of::<PyByteArray>() {
        if let Ok(seq) = obj.cast::<PySequence>() {
            let len = seq.len().map_err(|e| Failure::new(format!("the sequence could not be read: {e}")))?;
            let mut items = Vec::with_capacity(len);
            for i in 0..len {
                let item = seq.get_item(i).map_err(|e| Failure::new(format!("the sequence could not be read: {e}")).at_index(i))?;
                items.push(to_json(&item, depth + 1, size).map_err(|f| f.at_index(i))?);
            }
            return Ok(Value::Array(items));
        }
    }
    Err(Failure::not_json(&type_name(obj), ACCEPTED))
}

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEZONE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A `Decimal`, `datetime` or `date` as JSON (see the module docs); `None` for anything else.
fn money_or_time(obj: &Bound<'_, PyAny>) -> Result<Option<Value>, Failure> {
    let py = obj.py();
    let failed = |e: PyErr| Failure::new(format!("the value could not be read: {e}"));
    let decimal = DECIMAL.import(py, "decimal", "Decimal").map_err(failed)?;
    if obj.is_instance(decimal).map_err(failed)? {
        return decimal_to_json(obj).map(Some);
    }
    // A datetime is a date too: it is asked first.
    let datetime = DATETIME.import(py, "datetime", "datetime").map_err(failed)?;
    if obj.is_instance(datetime).map_err(failed)? {
        return datetime_to_json(obj).map(Some);
    }
    let date = DATE.import(py, "datetime", "date").map_err(failed)?;
    if obj.is_instance(date).map_err(failed)? {
        let text = obj.call_method0("isoformat").and_then(|t| t.extract::<String>()).map_err(failed)?;
        return Ok(Some(Value::String(text)));
    }
    Ok(None)
}

/// A finite `Decimal`: a whole one that fits 64 bits as a JSON integer (euro cents, a whole
/// price), any other as its exact text in positional notation (`1.5E+1` → `15`, `2.50` stays
/// `2.50`).
fn decimal_to_json(d: &Bound<'_, PyAny>) -> Result<Value, Failure> {
    let failed = |e: PyErr| Failure::new(format!("the Decimal could not be read: {e}"));
    if !d.call_method0("is_finite").and_then(|f| f.is_truthy()).map_err(failed)? {
        return Err(Failure::new("NaN and infinity are not amounts"));
    }
    let integral = d.call_method0("to_integral_value").and_then(|i| d.eq(i)).map_err(failed)?;
    if integral {
        let whole = d.py().get_type::<PyInt>().call1((d,)).map_err(failed)?;
        if let Ok(i) = whole.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = whole.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
    }
    let text: String = d.call_method1("__format__", ("f",)).and_then(|t| t.extract()).map_err(failed)?;
    Ok(Value::String(text))
}

/// An aware `datetime` as ISO 8601 text in UTC; a naive one is refused.
fn datetime_to_json(dt: &Bound<'_, PyAny>) -> Result<Value, Failure> {
    let py = dt.py();
    let failed = |e: PyErr| Failure::new(format!("the datetime could not be read: {e}"));
    if dt.call_method0("utcoffset").map_err(failed)?.is_none() {
        return Err(Failure::new(
            "a naive datetime names no instant: give it a time zone (datetime.now(timezone.utc), \
             dt.replace(tzinfo=ZoneInfo(\"Europe/Amsterdam\")), or dt.astimezone() for this machine's local time)",
        ));
    }
    let utc = TIMEZONE.import(py, "datetime", "timezone").and_then(|tz| tz.getattr("utc")).map_err(failed)?;
    let text: String = dt
        .call_method1("astimezone", (utc,))
        .and_then(|u| u.call_method0("isoformat"))
        .and_then(|t| t.extract())
        .map_err(failed)?;
    Ok(Value::String(match text.strip_suffix("+00:00") {
        Some(base) => format!("{base}Z"),
        None => text,
    }))
}

/// JSON → Python: objects become `dict`, arrays `list`, numbers `int` or `float`.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(f) = n.as_f64() {
                PyFloat::new(py, f).into_any()
            } else {
                return Err(PyTypeError::new_err("unrepresentable JSON number"));
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let items = items.iter().map(|item| to_py(py, item)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(PyString::new(py, k), to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
