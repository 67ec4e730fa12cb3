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

use std::fmt::Write as _;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

/// Deepest nesting accepted; deeper input is most likely a cycle (`a = []; a.append(a)`).
const MAX_DEPTH: usize = 128;

/// Convert the arguments of an operation (a dict whose keys name the arguments, or `None`).
pub fn args_to_json(obj: &Bound<'_, PyAny>) -> Result<Value, sellkit::Error> {
    if obj.is_none() {
        return Ok(Value::Object(Map::new()));
    }
    if !obj.is_instance_of::<PyDict>() {
        return Err(sellkit::Error::invalid_input("args", format!("expected a dict, got {}", type_name(obj))));
    }
    to_json(obj, 0, &mut 0).map_err(|f| f.into_error("args"))
}

/// Convert the argument `name` (`doc`, `ops`, ...). Errors name it and the path inside it
/// (`doc.ads[3].price`, `ops[1].value`). `size` grows by a rough count of the bytes the value
/// takes as JSON, to decide whether the work on it is worth releasing the GIL for.
pub fn arg_to_json(obj: &Bound<'_, PyAny>, name: &str, size: &mut usize) -> Result<Value, sellkit::Error> {
    to_json(obj, 0, size).map_err(|f| f.into_error_under(name))
}

/// One step of the path to a value that could not be converted.
enum Segment {
    Key(String),
    Index(usize),
}

/// Why a value could not be converted, and where (innermost segment first).
struct Failure {
    path: Vec<Segment>,
    message: String,
}

impl Failure {
    fn new(message: impl Into<String>) -> Failure {
        Failure { path: Vec::new(), message: message.into() }
    }
    fn at(mut self, segment: Segment) -> Failure {
        self.path.push(segment);
        self
    }
    /// The path starting at its first key (`fields.bio`), or `root` for the value itself.
    fn into_error(self, root: &str) -> sellkit::Error {
        let mut field = self.path_string();
        if field.is_empty() {
            field.push_str(root);
        }
        sellkit::Error::invalid_input(field, self.message)
    }
    /// The path below the argument `root`: `doc.key[1]`, `ops[1].value`, or `root` itself.
    fn into_error_under(self, root: &str) -> sellkit::Error {
        let path = self.path_string();
        let field = match path.strip_prefix('[') {
            Some(_) => format!("{root}{path}"),
            None if path.is_empty() => root.to_owned(),
            None => format!("{root}.{path}"),
        };
        sellkit::Error::invalid_input(field, self.message)
    }
    fn path_string(&self) -> String {
        let mut field = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) if field.is_empty() => field.push_str(k),
                Segment::Key(k) => {
                    field.push('.');
                    field.push_str(k);
                }
                Segment::Index(i) => {
                    let _ = write!(field, "[{i}]");
                }
            }
        }
        field
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".to_owned())
}

/// The common types are tested first; `bool` before `int`, as `True` is an `int` too.
fn to_json(obj: &Bound<'_, PyAny>, depth: usize, size: &mut usize) -> Result<Value, Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::new(format!("nested deeper than {MAX_DEPTH} levels (does it contain itself?)")));
    }
    *size += 8;
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_str().map_err(|_| Failure::new("the string is not valid Unicode (it holds a lone surrogate)"))?;
        *size += s.len();
        return Ok(Value::String(s.to_owned()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, value) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(Failure::new(format!("dict keys must be strings, got {}", type_name(&key))));
            };
            let key = key.to_str().map_err(|_| Failure::new("a dict key is not valid Unicode"))?;
            *size += key.len();
            match to_json(&value, depth + 1, size) {
                Ok(v) => {
                    map.insert(key.to_owned(), v);
                }
                Err(f) => return Err(f.at(Segment::Key(key.to_owned()))),
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
        return Err(Failure::new("integer out of range: JSON integers here must fit in 64 bits"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| Failure::new("NaN and infinity are not valid JSON numbers"));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        let mut items = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            items.push(to_json(&item, depth + 1, size).map_err(|f| f.at(Segment::Index(i)))?);
        }
        return Ok(Value::Array(items));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        let mut items = Vec::with_capacity(tuple.len());
        for (i, item) in tuple.iter().enumerate() {
            items.push(to_json(&item, depth + 1, size).map_err(|f| f.at(Segment::Index(i)))?);
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
                return Err(Failure::new(format!("mapping keys must be strings, got {}", type_name(&key))));
            };
            let key = key.to_str().map_err(|_| Failure::new("a mapping key is not valid Unicode"))?;
            *size += key.len();
            let v = to_json(&value, depth + 1, size).map_err(|f| f.at(Segment::Key(key.to_owned())))?;
            map.insert(key.to_owned(), v);
        }
        return Ok(Value::Object(map));
    }
    if !obj.is_instance_of::<PyBytes>() && !obj.is_instance_of::<PyByteArray>() {
        if let Ok(seq) = obj.cast::<PySequence>() {
            let len = seq.len().map_err(|e| Failure::new(format!("the sequence could not be read: {e}")))?;
            let mut items = Vec::with_capacity(len);
            for i in 0..len {
                let item = seq.get_item(i).map_err(|e| Failure::new(format!("the sequence could not be read: {e}")).at(Segment::Index(i)))?;
                items.push(to_json(&item, depth + 1, size).map_err(|f| f.at(Segment::Index(i)))?);
            }
            return Ok(Value::Array(items));
        }
    }
    Err(Failure::new(format!(
        "cannot send a value of type {} as JSON (use dict, list, tuple, str, int, float, bool, None, Decimal, datetime or date)",
        type_name(obj)
    )))
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

/// A JSON value on its way to Python (the result of an async operation).
pub struct Json(pub Value);

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        to_py(py, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_paths_read_like_python() {
        let f = Failure::new("bad").at(Segment::Key("k".into())).at(Segment::Index(1)).at(Segment::Key("deep".into()));
        let f = f.at(Segment::Key("fields".into()));
        let e = f.into_error("args");
        assert_eq!(e.field(), Some("fields.deep[1].k"));
        assert_eq!(e.kind(), sellkit::ErrorKind::InvalidInput);
        assert_eq!(Failure::new("bad").into_error("args").field(), Some("args"));
    }

    #[test]
    fn paths_under_an_argument() {
        let f = Failure::new("bad").at(Segment::Key("value".into())).at(Segment::Index(1));
        assert_eq!(f.into_error_under("ops").field(), Some("ops[1].value"));
        let f = Failure::new("bad").at(Segment::Index(0)).at(Segment::Key("ads".into()));
        assert_eq!(f.into_error_under("doc").field(), Some("doc.ads[0]"));
        assert_eq!(Failure::new("bad").into_error_under("old").field(), Some("old"));
    }
}
