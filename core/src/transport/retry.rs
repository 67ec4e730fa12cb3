//! When to retry and how long to wait.

use std::time::{Duration, SystemTime};

use reqwest::Method;

/// Statuses that mean "try again later".
pub const RETRY_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];

/// The retry policy of a client. The defaults are those of the contract: 2 retries, exponential
/// backoff from 0.5 s with full jitter capped at 8 s, `Retry-After` honoured up to 60 s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Ceiling of the first backoff (default 0.5 s); doubles with each retry.
    pub initial_backoff: Duration,
    /// Largest backoff ceiling (default 8 s).
    pub max_backoff: Duration,
    /// A `Retry-After` above this fails the call at once with a rate-limit error.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Full-jitter backoff before retry number `retry` (0-based): uniform in [0, min(cap, base·2^n)].
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX));
        let ceiling = exp.min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Whether a request may be sent again after it may have reached the server.
///
/// GET, HEAD, PUT and DELETE are idempotent by definition; POST and PATCH only when the caller
/// marked the request as safe to repeat (a token request, a patch of `replace`/`test` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Decide from the method.
    ByMethod,
    /// Repeating the request cannot change the outcome.
    Safe,
    /// Never repeat once the request may have reached the server.
    Unsafe,
}

impl Idempotency {
    /// Whether a request with `method` may be sent again after it may have reached the server
    /// (`ByMethod`: GET, HEAD, PUT, DELETE and OPTIONS).
    pub fn allows_repeat(self, method: &Method) -> bool {
        match self {
            Idempotency::Safe => true,
            Idempotency::Unsafe => false,
            Idempotency::ByMethod => {
                matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
            }
        }
    }
}

/// Parse a `Retry-After` value: delta-seconds (fractions tolerated) or an HTTP date (a date in
/// the past is zero). `None` when it is neither.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(sellkit::transport::parse_retry_after("120"), Some(Duration::from_secs(120)));
/// assert_eq!(sellkit::transport::parse_retry_after("soon"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs.min(u32::MAX as f64)));
        }
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_and_capped() {
        let p = RetryPolicy::default();
        for n in 0..40 {
            let d = p.backoff(n);
            assert!(d <= p.max_backoff, "{n}: {d:?}");
            assert!(d <= p.initial_backoff * 2u32.saturating_pow(n.min(20)), "{n}: {d:?}");
        }
        // Jitter: 50 draws of the third retry are not all equal.
        let draws: std::collections::HashSet<_> = (0..50).map(|_| p.backoff(2)).collect();
        assert!(draws.len() > 1);
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let d = parse_retry_after(&future).unwrap();
        assert!(d > Duration::from_secs(25) && d <= Duration::from_secs(30), "{d:?}");
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn only_idempotent_methods_repeat_by_default() {
        assert!(Idempotency::ByMethod.allows_repeat(&Method::GET));
        assert!(Idempotency::ByMethod.allows_repeat(&Method::PUT));
        assert!(Idempotency::ByMethod.allows_repeat(&Method::DELETE));
        assert!(!Idempotency::ByMethod.allows_repeat(&Method::POST));
        assert!(!Idempotency::ByMethod.allows_repeat(&Method::PATCH));
        assert!(Idempotency::Safe.allows_repeat(&Method::POST));
        assert!(!Idempotency::Unsafe.allows_repeat(&Method::GET));
    }
}
