//! JSON Pointer: parsing any text never panics, a parsed pointer prints back to the same text,
//! and any list of tokens survives printing and parsing (escaping of `~` and `/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sellkit::patch::{array_index, escape_token, Pointer, INVALID_POINTER};
use sellkit::ErrorKind;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    // The whole input as a pointer.
    match Pointer::parse(text) {
        Ok(p) => {
            // The string form is canonical: printing gives back the input.
            assert_eq!(p.to_string(), text);
            assert_eq!(Pointer::parse(&p.to_string()).unwrap(), p);
            let as_json = serde_json::to_value(&p).unwrap();
            assert_eq!(as_json, Value::String(text.to_owned()));
            assert_eq!(serde_json::from_value::<Pointer>(as_json).unwrap(), p);
            check_structure(&p);
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert_eq!(e.code(), INVALID_POINTER);
            assert!(serde_json::from_value::<Pointer>(Value::String(text.to_owned())).is_err());
        }
    }

    // The input's lines as unescaped tokens.
    let p = Pointer::from_tokens(text.split('\n'));
    let printed = p.to_string();
    assert_eq!(Pointer::parse(&printed).unwrap(), p, "{printed:?}");
    check_structure(&p);
    for token in p.tokens() {
        let escaped = escape_token(token);
        assert!(!escaped.contains('/'));
        assert_eq!(Pointer::parse(&format!("/{escaped}")).unwrap().tokens(), [token.as_str()]);
        if let Some(i) = array_index(token) {
            // An index has one spelling.
            assert_eq!(i.to_string(), *token);
        }
    }
});

/// Prefix, parent and lookup rules that hold for every pointer.
fn check_structure(p: &Pointer) {
    assert!(p.is_prefix_of(p));
    assert!(!p.is_proper_prefix_of(p));
    if let Some(parent) = p.parent() {
        assert!(parent.is_proper_prefix_of(p));
        assert_eq!(parent.child(p.last().unwrap()), *p);
    } else {
        assert!(p.is_root());
    }
    // A document built along the pointer's own tokens has a value there.
    let mut doc = json!("here");
    for token in p.tokens().iter().rev() {
        doc = match array_index(token) {
            Some(0) => json!([doc]),
            _ => json!({ (token.as_str()): doc }),
        };
    }
    assert_eq!(p.get(&doc), Some(&json!("here")));
    assert!(p.get_mut(&mut doc).is_some());
}
