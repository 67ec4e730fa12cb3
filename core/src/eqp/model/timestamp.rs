//! EQP timestamps: `YYYY-MM-DD HH:MM:SS` in UTC (hour sometimes unpadded), or ISO 8601.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::model::{DecodeError, Describe, Field, Mode, Path, Registry, Ty};

/// A UTC instant and the exact text it was read from (written back unchanged).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    unix: i64,
}

impl Timestamp {
    /// Parse `2020-07-21 08:09:10`, `2020-07-21 8:09:10`, `2020-07-21T08:09:10Z`,
    /// `2020-07-21T08:09:10.123+02:00` or a bare date `2020-07-21` (midnight UTC). The text is
    /// kept as given; an offset is applied to get the UTC instant. `Err` holds the reason.
    ///
    /// ```
    /// use sellkit::eqp::model::Timestamp;
    /// let t = Timestamp::parse("2020-07-21 8:09:10").unwrap();
    /// assert_eq!(t.to_iso8601(), "2020-07-21T08:09:10Z");
    /// assert_eq!(t.as_str(), "2020-07-21 8:09:10");
    /// ```
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let unix = parse_unix(text.trim()).ok_or_else(|| {
            format!("expected a timestamp like \"2020-07-21 08:09:10\" or ISO 8601, got {text:?}")
        })?;
        Ok(Timestamp { text: text.to_owned(), unix })
    }

    /// The instant `unix` seconds after the epoch, written the EQP way.
    pub fn from_unix(unix: i64) -> Timestamp {
        Timestamp { text: format_eqp(unix), unix }
    }

    /// The instant `t`, to the second (rounded down), written the EQP way.
    pub fn from_system_time(t: SystemTime) -> Timestamp {
        let unix = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs_f64().ceil() as i64),
        };
        Timestamp::from_unix(unix)
    }

    /// The current time, to the second.
    pub fn now() -> Timestamp {
        Timestamp::from_system_time(SystemTime::now())
    }

    /// Seconds since 1970-01-01 00:00:00 UTC.
    pub fn unix_seconds(&self) -> i64 {
        self.unix
    }

    /// The instant as a [`SystemTime`].
    pub fn to_system_time(&self) -> SystemTime {
        if self.unix >= 0 {
            UNIX_EPOCH + Duration::from_secs(self.unix as u64)
        } else {
            UNIX_EPOCH - Duration::from_secs(self.unix.unsigned_abs())
        }
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `YYYY-MM-DD HH:MM:SS`, zero-padded, UTC.
    pub fn to_eqp_string(&self) -> String {
        format_eqp(self.unix)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn to_iso8601(&self) -> String {
        format_eqp(self.unix).replacen(' ', "T", 1) + "Z"
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?} = {})", self.text, self.to_iso8601())
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.unix.cmp(&other.unix).then_with(|| self.text.cmp(&other.text))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(<D::Error as serde::de::Error>::custom)
    }
}

impl Field for Timestamp {
    const VIEW_CHANGES: bool = false;
    /// A response's text is kept as it came. Caller input in ISO 8601 (what a Python
    /// `datetime` or a JS `Date` crosses as) is sent in EQP's own form, `YYYY-MM-DD HH:MM:SS`
    /// in UTC; a bare date or EQP's form is sent as given.
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        let s = String::decode(v, path)?;
        let t = Timestamp::parse(&s).map_err(|m| path.error(m))?;
        Ok(if path.is_strict() && is_iso_date_time(&s) { Timestamp::from_unix(t.unix) } else { t })
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl Describe for Timestamp {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Timestamp
    }
}

/// Whether `text` is a date-time in ISO 8601's form (`T` between date and time, or a zone).
fn is_iso_date_time(text: &str) -> bool {
    let t = text.trim();
    let b = t.as_bytes();
    b.len() > 10 && (matches!(b[10], b'T' | b't') || t.ends_with(['Z', 'z']) || b[10..].iter().any(|c| matches!(c, b'+' | b'-')))
}

/// A filter on an EQP date field (`created_at=...`): text sent as given (a day `2024-05-01`
/// matches the timestamps of that day; a range in whatever syntax the server takes), except a
/// date-time in ISO 8601 (a Python `datetime`, a JS `Date`), which is sent in EQP's own form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampFilter(pub String);

impl Field for TimestampFilter {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        let s = String::decode(v, path)?;
        if is_iso_date_time(&s) {
            let t = Timestamp::parse(&s).map_err(|m| path.error(m))?;
            return Ok(TimestampFilter(t.to_eqp_string()));
        }
        Ok(TimestampFilter(s))
    }
    fn encode<S: Serializer>(&self, s: S, _: Mode) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl Describe for TimestampFilter {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Timestamp
    }
}

/// A UTC instant to the nanosecond, read from any form [`Timestamp::parse`] reads. The Python
/// package hands it over as an aware `datetime` in UTC, the Node package as a `Date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDateTime {
    unix: i64,
    nanos: u32,
}

impl UtcDateTime {
    /// Parse `text` (`2020-07-21 8:09:10`, `2020-07-21T10:09:10.250+02:00`, `2020-07-21`).
    ///
    /// ```
    /// use sellkit::eqp::model::UtcDateTime;
    /// let t = UtcDateTime::parse("2020-07-21T10:09:10.250+02:00").unwrap();
    /// assert_eq!((t.unix_seconds(), t.subsec_nanos()), (1595318950, 250_000_000));
    /// assert_eq!(t.to_rfc3339(), "2020-07-21T08:09:10.250000+00:00");
    /// ```
    ///
    /// # Errors
    ///
    /// Invalid input for `text` when it is not such a timestamp.
    pub fn parse(text: &str) -> crate::Result<UtcDateTime> {
        let (unix, nanos) = parse_instant(text.trim()).ok_or_else(|| {
            crate::Error::invalid_input("text", format!("expected a timestamp like \"2020-07-21 08:09:10\" or ISO 8601, got {text:?}"))
        })?;
        Ok(UtcDateTime { unix, nanos })
    }
    /// Seconds since 1970-01-01 00:00:00 UTC (rounded down).
    pub fn unix_seconds(&self) -> i64 {
        self.unix
    }
    /// The fraction of the second, in nanoseconds.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }
    /// `YYYY-MM-DDTHH:MM:SS+00:00`, with six decimals of the second when it has a fraction
    /// (what Python's `datetime.fromisoformat` and JS's `Date` read alike).
    pub fn to_rfc3339(&self) -> String {
        let base = format_eqp(self.unix).replacen(' ', "T", 1);
        if self.nanos == 0 {
            format!("{base}+00:00")
        } else {
            format!("{base}.{:06}+00:00", self.nanos / 1000)
        }
    }
}

impl Describe for UtcDateTime {
    fn describe(_: &mut Registry) -> Ty {
        Ty::DateTime
    }
}

impl crate::catalogue::View for UtcDateTime {
    fn into_view(self) -> crate::Result<Value> {
        Ok(Value::String(self.to_rfc3339()))
    }
}

fn parse_unix(t: &str) -> Option<i64> {
    parse_instant(t).map(|(secs, _)| secs)
}

/// Seconds since the epoch and the nanoseconds of a fraction, of any form [`Timestamp::parse`]
/// reads.
fn parse_instant(t: &str) -> Option<(i64, u32)> {
    // Every accepted form is ASCII; refusing anything else first keeps the byte offsets below on
    // character boundaries.
    if !t.is_ascii() {
        return None;
    }
    let b = t.as_bytes();
    // Date: YYYY-MM-DD
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i64 = digits(&t[0..4])?;
    let month: i64 = digits(&t[5..7])?;
    let day: i64 = digits(&t[8..10])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let rest = &t[10..];
    if rest.is_empty() {
        return Some((days * 86400, 0));
    }
    let sep = rest.as_bytes()[0];
    if !(sep == b' ' || sep == b'T' || sep == b't') {
        return None;
    }
    let rest = &rest[1..];
    // Time: H:MM:SS or HH:MM:SS, then optional fraction and zone.
    let (h_str, rest) = rest.split_once(':')?;
    if h_str.is_empty() || h_str.len() > 2 {
        return None;
    }
    let hour: i64 = digits(h_str)?;
    if rest.len() < 2 {
        return None;
    }
    let minute: i64 = digits(&rest[0..2])?;
    let rest = &rest[2..];
    let (second, rest) = if let Some(r) = rest.strip_prefix(':') {
        if r.len() < 2 {
            return None;
        }
        (digits::<i64>(&r[0..2])?, &r[2..])
    } else {
        (0, rest)
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Fraction: kept to the nanosecond for [`UtcDateTime`]; EQP's own timestamps have none.
    let (nanos, rest) = match rest.strip_prefix(['.', ',']) {
        Some(r) => {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            let nanos = r[..n].bytes().chain(std::iter::repeat(b'0')).take(9).fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
            (nanos, &r[n..])
        }
        None => (0, rest),
    };
    let offset = match rest {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = &zone[1..];
            let (zh, zm) = match z.len() {
                2 => (z, "00"),
                4 => (&z[0..2], &z[2..4]),
                5 if z.as_bytes()[2] == b':' => (&z[0..2], &z[3..5]),
                _ => return None,
            };
            let (zh, zm): (i64, i64) = (digits(zh)?, digits(zm)?);
            if zh > 23 || zm > 59 {
                return None;
            }
            sign * (zh * 3600 + zm * 60)
        }
    };
    Some((days * 86400 + hour * 3600 + minute * 60 + second - offset, nanos))
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if m <= 2 { 1 } else { 0 }, m, d)
}

fn format_eqp(unix: i64) -> String {
    let days = unix.div_euclid(86400);
    let secs = unix.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3600, (secs % 3600) / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_text_is_refused_without_a_panic() {
        // Found by fuzzing (fuzz/seeds/eqp_models/timestamp-multibyte): a multi-byte character
        // where a digit belongs put a byte offset inside it, and slicing there panicked.
        for text in [
            "2020-01-07 19:4\u{2fb}42",
            "2020-07-2\u{e9}",
            "2020-07-21T08:0\u{e9}:10",
            "2020-07-21T08:09:1\u{20ac}",
            "2020-07-21T08:09:10+0\u{e9}0",
        ] {
            assert!(Timestamp::parse(text).is_err(), "{text}");
        }
        assert!(Timestamp::parse("2020-07-21T08:09:10+0200").is_ok());
    }

    #[test]
    fn eqp_and_iso_forms() {
        let a = Timestamp::parse("2020-07-21 08:09:10").unwrap();
        let b = Timestamp::parse("2020-07-21 8:09:10").unwrap();
        let c = Timestamp::parse("2020-07-21T08:09:10Z").unwrap();
        let d = Timestamp::parse("2020-07-21T10:09:10.250+02:00").unwrap();
        assert_eq!(a.unix_seconds(), 1595318950);
        for t in [&b, &c, &d] {
            assert_eq!(t.unix_seconds(), a.unix_seconds(), "{t:?}");
        }
        assert_eq!(b.as_str(), "2020-07-21 8:09:10", "the text is kept");
        assert_eq!(b.to_eqp_string(), "2020-07-21 08:09:10");
        assert_eq!(Timestamp::parse("2020-07-21").unwrap().unix_seconds(), 1595289600);
        assert_eq!(Timestamp::from_unix(0).as_str(), "1970-01-01 00:00:00");
        assert_eq!(Timestamp::from_unix(1595318950).to_iso8601(), "2020-07-21T08:09:10Z");
    }

    #[test]
    fn instants_keep_their_fraction() {
        let t = UtcDateTime::parse("2015-01-01T11:00:00.000Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2015-01-01T11:00:00+00:00");
        let t = UtcDateTime::parse("2020-07-21 8:09:10").unwrap();
        assert_eq!(t.to_rfc3339(), "2020-07-21T08:09:10+00:00");
        let t = UtcDateTime::parse("2020-07-21T08:09:10.123456789-01:30").unwrap();
        assert_eq!((t.subsec_nanos(), t.to_rfc3339().as_str()), (123_456_789, "2020-07-21T09:39:10.123456+00:00"));
        assert_eq!(UtcDateTime::parse("yesterday").unwrap_err().field(), Some("text"));
    }

    #[test]
    fn iso_input_is_sent_the_eqp_way() {
        let input = |v: &str| Timestamp::decode(&Value::String(v.into()), &Path::input("fields")).unwrap();
        assert_eq!(input("2020-07-21T10:09:10+02:00").as_str(), "2020-07-21 08:09:10");
        assert_eq!(input("2020-07-21T08:09:10Z").as_str(), "2020-07-21 08:09:10");
        assert_eq!(input("2020-07-21 8:09:10").as_str(), "2020-07-21 8:09:10");
        assert_eq!(input("2020-07-21").as_str(), "2020-07-21");
        let response = Timestamp::decode(&Value::String("2020-07-21T08:09:10Z".into()), &Path::response()).unwrap();
        assert_eq!(response.as_str(), "2020-07-21T08:09:10Z", "a response's text is kept");
        let filter = |v: &str| TimestampFilter::decode(&Value::String(v.into()), &Path::input("created_at")).map(|f| f.0);
        assert_eq!(filter("2024-05-01T12:00:00.5+00:00").unwrap(), "2024-05-01 12:00:00");
        assert_eq!(filter("2024-05-01").unwrap(), "2024-05-01");
        assert_eq!(filter("2024-05").unwrap(), "2024-05");
        assert!(filter("2024-05-01T99:00:00Z").is_err());
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in ["", "yesterday", "2020-13-01 00:00:00", "2020-02-30", "2020-07-21 24:00:00", "2020-07-21 123:00:00", "2020-07-21 08:09:10+5"] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
        assert!(Timestamp::parse("2020-02-29 00:00:00").is_ok());
    }
}
