//! EQP callbacks: the Basic credential check accepts exactly `Basic base64(user:password)`
//! (scheme in any case, spaces around), refuses anything else without reading the body, and a
//! parsed callback re-encodes to a body that parses to the same envelope.
//!
//! Input: `USERNAME\nPASSWORD\nAUTHORIZATION-HEADER\nBODY` (the seeds carry valid credentials).
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use sellkit::eqp::{constant_time_eq, parse_callback, verify_basic, Model};
use sellkit::ErrorKind;
use sellkit_fuzz::lines;

fuzz_target!(|data: &[u8]| {
    let Some((head, body)) = lines(data, 3) else { return };
    let (user, password, header) = (head[0], head[1], head[2]);

    let credentials = format!("{user}:{password}");
    let good = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(&credentials));
    assert!(verify_basic(Some(&good), user, password));
    assert!(verify_basic(Some(&format!("  basic  {} ", &good[6..])), user, password));
    assert!(!verify_basic(None, user, password));
    assert!(!verify_basic(Some(&good), user, &format!("{password}x")));
    assert!(!verify_basic(Some(&format!("Bearer {}", &good[6..])), user, password));

    // Whatever the header says, it is accepted only when it carries exactly these credentials.
    if verify_basic(Some(header), user, password) {
        let (scheme, b64) = header.trim().split_once(' ').unwrap();
        assert!(scheme.eq_ignore_ascii_case("basic"));
        let decoded = base64::engine::general_purpose::STANDARD.decode(b64.trim()).unwrap();
        assert!(constant_time_eq(&decoded, credentials.as_bytes()));
        assert_eq!(decoded, credentials.as_bytes());
    }

    // Wrong credentials are refused before the body is read.
    let refused = parse_callback(body, Some("Basic eDp5"), user, password);
    if credentials != "x:y" {
        let e = refused.unwrap_err();
        assert_eq!((e.kind(), e.status()), (ErrorKind::Authentication, Some(401)));
    }

    match parse_callback(body, Some(&good), user, password) {
        Ok(envelope) => {
            let encoded = serde_json::to_vec(&envelope.to_json()).unwrap();
            let again = parse_callback(&encoded, Some(&good), user, password)
                .unwrap_or_else(|e| panic!("a re-encoded callback does not parse: {e}"));
            assert_eq!(again, envelope);
            let _ = envelope.to_view();
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        }
    }
});
