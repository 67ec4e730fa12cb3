//! EQP prices: decimals with at most two places, kept exactly (no binary float).

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::model::{json_type, DecodeError, Describe, Field, Mode, Path, Registry, Ty};

/// A non-negative amount with two decimals (`15.50`), stored as whole cents.
///
/// Read from a JSON number (`15.5`) or a numeric string (`"15.50"`); more than two decimals,
/// NaN, infinities and negative amounts are refused. Written on the wire as a JSON number with
/// exactly two decimals (`15.50`), and as the string `"15.50"` in the view the Python and Node
/// packages receive ([`Mode::View`]), so that money never passes through a binary float.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Price {
    cents: u64,
}

/// The largest amount accepted, in cents: fifteen digits. A price goes on the wire as a JSON
/// number with two decimals, which the server (and `serde_json::Value`) reads as a double; a
/// decimal of at most 15 significant digits is the only kind that a double always gives back
/// exactly (`f64::DIGITS`). Above that, `90071992547379.93` would come back as `…379.94`.
const MAX_CENTS: u64 = 999_999_999_999_999;

impl Price {
    /// 0.00.
    pub const ZERO: Price = Price { cents: 0 };

    /// `cents` hundredths; `None` above 999 999 999 999 999 cents (9 999 999 999 999.99, the
    /// largest amount a JSON number with two decimals holds exactly).
    pub fn from_cents(cents: u64) -> Option<Price> {
        (cents <= MAX_CENTS).then_some(Price { cents })
    }
    /// The amount in hundredths (`1550` for 15.50).
    pub fn cents(self) -> u64 {
        self.cents
    }
    /// Whole units and cents: `Price::new(15, 50)` is 15.50. `None` when `cents` is above 99 or
    /// the amount is above 9 999 999 999 999.99.
    ///
    /// ```
    /// use sellkit::eqp::model::Price;
    /// let p = Price::new(15, 50).unwrap();
    /// assert_eq!((p.cents(), p.to_string()), (1550, "15.50".to_owned()));
    /// assert_eq!("15.5".parse::<Price>()?, p);
    /// assert!(Price::parse("15.505").is_err());
    /// # Ok::<(), sellkit::Error>(())
    /// ```
    pub fn new(units: u64, cents: u8) -> Option<Price> {
        if cents > 99 {
            return None;
        }
        units.checked_mul(100).and_then(|u| u.checked_add(cents as u64)).and_then(Price::from_cents)
    }

    /// Parse decimal text: `15`, `15.5`, `15.50`, `0.05`. Why not, when it fails.
    pub fn parse(text: &str) -> Result<Price, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("is empty, expected an amount like 15.50".into());
        }
        if t.starts_with('-') {
            return Err(format!("must not be negative, got {t}"));
        }
        let t = t.strip_prefix('+').unwrap_or(t);
        if t.eq_ignore_ascii_case("nan") || t.to_ascii_lowercase().contains("inf") {
            return Err(format!("must be a finite amount, got {t}"));
        }
        // Exponent forms (1e2, 1.5E1) as printed for some floats.
        let (mantissa, exp) = match t.find(['e', 'E']) {
            Some(i) => {
                let e: i32 = t[i + 1..].parse().map_err(|_| format!("is not a number: {t:?}"))?;
                (&t[..i], e)
            }
            None => (t, 0),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mantissa, ""),
        };
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format!("is not a number: {t:?}"));
        }
        // value = all × 10^(point − len); cents = all × 10^(shift)
        let all = format!("{int}{frac}");
        let point = int.len() as i64 + exp as i64;
        let shift = point - all.len() as i64 + 2;
        let (kept, dropped) = if shift < 0 {
            let cut = (all.len() as i64 + shift).max(0) as usize;
            (&all[..cut], &all[cut..])
        } else {
            (all.as_str(), "")
        };
        if dropped.bytes().any(|b| b != b'0') {
            return Err(format!("has more than two decimals: {t}"));
        }
        let too_large = || format!("is too large: {t}");
        let mut cents: u64 = 0;
        for b in kept.bytes() {
            cents = cents.checked_mul(10).and_then(|c| c.checked_add((b - b'0') as u64)).ok_or_else(too_large)?;
            if cents > MAX_CENTS {
                return Err(too_large());
            }
        }
        if cents != 0 {
            for _ in 0..shift.max(0) {
                cents *= 10;
                if cents > MAX_CENTS {
                    return Err(too_large());
                }
            }
        }
        Ok(Price { cents })
    }

    /// From a JSON number or numeric string (as [`parse`](Self::parse); a float is read as its
    /// shortest decimal form).
    pub fn from_json(v: &Value) -> Result<Price, String> {
        match v {
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    return u.checked_mul(100).and_then(Price::from_cents).ok_or_else(|| format!("is too large: {u}"));
                }
                if let Some(i) = n.as_i64() {
                    return Err(format!("must not be negative, got {i}"));
                }
                // A float: its shortest decimal form is the amount that was written.
                let f = n.as_f64().unwrap_or(f64::NAN);
                if !f.is_finite() {
                    return Err("must be a finite amount".into());
                }
                Price::parse(&format!("{f}"))
            }
            Value::String(s) => Price::parse(s),
            other => Err(format!("expected an amount (number or numeric string), got {}", json_type(other))),
        }
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.cents / 100, self.cents % 100)
    }
}

impl fmt::Debug for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Price({self})")
    }
}

impl FromStr for Price {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Price> {
        Price::parse(s).map_err(|m| crate::Error::invalid_input("price", m))
    }
}

impl Serialize for Price {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // `15.50` exactly, as a JSON number.
        match serde_json::value::RawValue::from_string(self.to_string()) {
            Ok(raw) => raw.serialize(s),
            Err(_) => s.collect_str(self),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Price {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Price::from_json(&v).map_err(<D::Error as serde::de::Error>::custom)
    }
}

impl Field for Price {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        Price::from_json(v).map_err(|m| path.error(m))
    }
    fn fits(v: &Value) -> bool {
        Price::from_json(v).is_ok()
    }
    fn view_in_place(v: &mut Value) {
        if let Ok(p) = Price::from_json(v) {
            *v = Value::String(p.to_string());
        }
    }
    fn encode<S: Serializer>(&self, s: S, mode: Mode) -> Result<S::Ok, S::Error> {
        match mode {
            Mode::Wire => self.serialize(s),
            Mode::View => s.collect_str(self),
        }
    }
}

impl Describe for Price {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Decimal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_exact_two_decimal_amounts() {
        for (text, cents) in [("15.50", 1550), ("15.5", 1550), ("45", 4500), ("0.00", 0), ("0.05", 5), ("1e2", 10000), ("007.10", 710), (".5", 50), ("1.500", 150)] {
            assert_eq!(Price::parse(text).unwrap().cents(), cents, "{text}");
        }
        for bad in ["15.505", "-1", "NaN", "inf", "", "abc", "1.2.3", "0.001"] {
            assert!(Price::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn json_numbers_and_strings() {
        assert_eq!(Price::from_json(&json!(15.5)).unwrap().to_string(), "15.50");
        assert_eq!(Price::from_json(&json!(45.0)).unwrap().to_string(), "45.00");
        assert_eq!(Price::from_json(&json!(0.1)).unwrap().to_string(), "0.10");
        assert_eq!(Price::from_json(&json!(19.99)).unwrap().cents(), 1999);
        assert_eq!(Price::from_json(&json!("19.99")).unwrap().cents(), 1999);
        assert!(Price::from_json(&json!(-1)).is_err());
        assert!(Price::from_json(&json!(1.234)).is_err());
        assert!(Price::from_json(&json!(true)).is_err());
    }

    #[test]
    fn written_as_a_two_decimal_number_or_a_string() {
        let p = Price::new(15, 50).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "15.50");
        assert_eq!(serde_json::to_value(p).unwrap(), json!(15.5));
        assert_eq!(serde_json::to_value(crate::model::Enc(&p, Mode::View)).unwrap(), json!("15.50"));
    }

    #[test]
    fn every_accepted_amount_survives_the_double_the_wire_number_becomes() {
        // Found by the eqp_models fuzz target: "90071992547379.93" was accepted and came back
        // from its own wire JSON as 90071992547379.94.
        let largest = Price::from_cents(MAX_CENTS).unwrap();
        assert_eq!(largest.to_string(), "9999999999999.99");
        let near = (MAX_CENTS - 5000..=MAX_CENTS).chain((1..=9).map(|d| d * 111_111_111_111_111));
        for cents in near {
            let p = Price::from_cents(cents).unwrap();
            let wire = serde_json::to_value(p).unwrap();
            assert_eq!(Price::from_json(&wire), Ok(p), "{p} went on the wire as {wire}");
        }
        assert_eq!(Price::from_cents(MAX_CENTS + 1), None);
        assert!(Price::parse("90071992547379.93").unwrap_err().contains("too large"));
        assert!(Price::from_json(&json!(1e13)).is_err());
    }
}
