//! A small JSON Patch (RFC 6902) applier of the simulator's own: all six operations, applied in
//! order to a copy, so that a failing patch changes nothing.

use serde_json::Value;

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer.strip_prefix('/').ok_or_else(|| format!("pointer {pointer:?} must start with '/'"))?;
    Ok(rest.split('/').map(unescape).collect())
}

fn get<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |cur, t| match cur {
        Value::Object(m) => m.get(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn parent<'a>(doc: &'a mut Value, path: &[String]) -> Result<&'a mut Value, String> {
    let mut cur = doc;
    for t in &path[..path.len() - 1] {
        cur = match cur {
            Value::Object(m) => m.get_mut(t).ok_or_else(|| format!("no member {t:?}"))?,
            Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get_mut(i)).ok_or_else(|| format!("no element {t:?}"))?,
            _ => return Err(format!("cannot descend into {t:?}")),
        };
    }
    Ok(cur)
}

fn add(doc: &mut Value, path: &[String], value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let last = &path[path.len() - 1];
    match parent(doc, path)? {
        Value::Object(m) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Value::Array(a) => {
            let i = if last == "-" { a.len() } else { last.parse::<usize>().map_err(|_| format!("bad index {last:?}"))? };
            if i > a.len() {
                return Err(format!("index {i} out of range"));
            }
            a.insert(i, value);
            Ok(())
        }
        _ => Err("the parent is not a container".into()),
    }
}

fn remove(doc: &mut Value, path: &[String]) -> Result<Value, String> {
    let last = path.last().ok_or("cannot remove the whole document")?.clone();
    match parent(doc, path)? {
        Value::Object(m) => m.remove(&last).ok_or_else(|| format!("no member {last:?} to remove")),
        Value::Array(a) => {
            let i = last.parse::<usize>().map_err(|_| format!("bad index {last:?}"))?;
            if i >= a.len() {
                return Err(format!("index {i} out of range"));
            }
            Ok(a.remove(i))
        }
        _ => Err("the parent is not a container".into()),
    }
}

/// Apply `ops` to a copy of `doc`.
pub(crate) fn apply(doc: &Value, ops: &Value) -> Result<Value, String> {
    let ops = ops.as_array().ok_or("a JSON Patch is an array of operations")?;
    let mut out = doc.clone();
    for (i, op) in ops.iter().enumerate() {
        let name = op.get("op").and_then(Value::as_str).ok_or(format!("operation {i} has no op"))?;
        let path = tokens(op.get("path").and_then(Value::as_str).ok_or(format!("operation {i} has no path"))?)?;
        let value = || op.get("value").cloned().ok_or(format!("operation {i} has no value"));
        let from = || -> Result<Vec<String>, String> { tokens(op.get("from").and_then(Value::as_str).ok_or(format!("operation {i} has no from"))?) };
        let r = match name {
            "add" => add(&mut out, &path, value()?),
            "remove" => remove(&mut out, &path).map(|_| ()),
            "replace" => {
                if get(&out, &path).is_none() {
                    Err(format!("{} does not exist", op["path"]))
                } else {
                    remove(&mut out, &path).and_then(|_| add(&mut out, &path, value()?)).or_else(|e| if path.is_empty() { add(&mut out, &path, value()?) } else { Err(e) })
                }
            }
            "move" => {
                let f = from()?;
                let v = remove(&mut out, &f)?;
                add(&mut out, &path, v)
            }
            "copy" => {
                let v = get(&out, &from()?).cloned().ok_or("from does not exist")?;
                add(&mut out, &path, v)
            }
            "test" => {
                if get(&out, &path) == Some(&value()?) {
                    Ok(())
                } else {
                    Err(format!("test failed at {}", op["path"]))
                }
            }
            other => return Err(format!("unknown operation {other:?}")),
        };
        r.map_err(|e| format!("operation {i} ({name}): {e}"))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn applies_and_fails_atomically() {
        let doc = json!({"a": 1, "l": [1, 2]});
        let ops = json!([{"op": "replace", "path": "/a", "value": 2}, {"op": "add", "path": "/l/-", "value": 3},
                         {"op": "copy", "from": "/a", "path": "/b"}, {"op": "move", "from": "/b", "path": "/c"},
                         {"op": "test", "path": "/c", "value": 2}, {"op": "remove", "path": "/l/0"}]);
        assert_eq!(super::apply(&doc, &ops).unwrap(), json!({"a": 2, "c": 2, "l": [2, 3]}));
        assert!(super::apply(&doc, &json!([{"op": "replace", "path": "/missing", "value": 1}])).is_err());
    }
}
