//! Python values ⇄ JSON values, by hand (no JSON text in between).
//!
//! Python → JSON accepts `dict` and other mappings (string keys), `list`, `tuple` and other
//! sequences (not `bytes`), `str`, `int` (fitting in 64 bits), `float` (finite), `bool` and `None`.
//! Anything else is an invalid-input error that names the argument and the path inside it
//! (`fields.personal_profile.addresses[0].phone`).


use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString, PyTuple};
use sellkit::catalogue::{InputFailure as Failure, MAX_DEPTH};
use serde_json::{Map, Number, Value};

/// What Python may send as JSON, for the error that refuses anything else.
const ACCEPTED: &str = "dict, list, tuple, str, int, float, bool or None";

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
