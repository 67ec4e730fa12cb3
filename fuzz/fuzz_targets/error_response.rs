//! Error responses: any status, headers and body become a typed error without panicking; the
//! error keeps the status, its kind follows the status, and a body marked secret is not kept.
//!
//! Input: `STATUS\nRETRY-AFTER\nREQUEST-ID\nBODY` (the seeds are the APIs' documented errors).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sellkit::error::error_from_response_parts;
use sellkit::ErrorKind;
use sellkit_fuzz::lines;

fuzz_target!(|data: &[u8]| {
    let Some((head, body)) = lines(data, 3) else { return };
    let status: u16 = head[0].trim().parse().unwrap_or(500);
    let headers = [("retry-after", head[1]), ("x-request-id", head[2])];
    for secret in [false, true] {
        let e = error_from_response_parts(status, &headers, body, secret);
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.kind(), ErrorKind::from_status(status));
        assert!(e.message().starts_with(&format!("HTTP {status} ")), "{}", e.message());
        if secret || body.is_empty() {
            assert_eq!(e.body(), None);
        } else {
            let kept = e.body().expect("the body of a non-secret error is kept");
            assert!(kept.len() <= 4 * 4096, "{} bytes kept", kept.len());
        }
        let _ = e.to_string();
        let _ = format!("{e:?}");
        let _ = e.is_retryable();
    }
});
