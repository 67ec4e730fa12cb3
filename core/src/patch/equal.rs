//! JSON equality as RFC 6902 `test` defines it: numbers are equal when their values are
//! (`1 == 1.0`), objects regardless of member order, arrays element by element.

use serde_json::{Number, Value};

/// Whether two JSON values are equal, comparing numbers by value.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => false,
    }
}

/// Exact comparison of two numbers' values: integers exactly, an integer and a float only when
/// the float is integral and equal (so `2^63` as a float never equals `2^63 - 1`).
fn numbers_equal(x: &Number, y: &Number) -> bool {
    match (integer(x), integer(y)) {
        (Some(i), Some(j)) => i == j,
        (Some(i), None) => y.as_f64().is_some_and(|f| float_equals_integer(f, i)),
        (None, Some(j)) => x.as_f64().is_some_and(|f| float_equals_integer(f, j)),
        (None, None) => match (x.as_f64(), y.as_f64()) {
            (Some(f), Some(g)) => f == g,
            _ => x == y,
        },
    }
}

fn integer(n: &Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

fn float_equals_integer(f: f64, i: i128) -> bool {
    // Every i64/u64 lies well inside ±2^127, so a float outside that range (or not integral)
    // cannot equal one, and inside it the cast is exact.
    f.is_finite() && f.fract() == 0.0 && f.abs() < 1.7e38 && f as i128 == i
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_equal(&json!(1), &json!(1.0)));
        assert!(json_equal(&json!(-3), &json!(-3.0)));
        assert!(json_equal(&json!(0.0), &json!(-0.0)));
        assert!(json_equal(&json!(u64::MAX), &json!(u64::MAX)));
        assert!(!json_equal(&json!(1), &json!(1.5)));
        assert!(!json_equal(&json!(i64::MAX), &json!(9.223372036854776e18)));
        assert!(json_equal(&json!(9007199254740992u64), &json!(9007199254740992.0)));
        assert!(!json_equal(&json!(u64::MAX), &json!(-1)));
        assert!(!json_equal(&json!(1), &json!("1")));
    }

    #[test]
    fn containers_compare_deeply() {
        assert!(json_equal(&json!({"a": 1, "b": [1, {"c": 2.0}]}), &json!({"b": [1.0, {"c": 2}], "a": 1})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!json_equal(&json!({"a": null}), &json!({"b": null})));
        assert!(!json_equal(&json!([1, 2]), &json!([2, 1])));
        assert!(!json_equal(&json!([]), &json!({})));
        assert!(!json_equal(&json!(null), &json!(false)));
    }
}
