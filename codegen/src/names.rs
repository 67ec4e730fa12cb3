//! Names as each language spells them.

/// `page_size` → `pageSize`; `l1_category_id` → `l1CategoryId`.
/// A parameter's docs with the unit its language takes a duration in (`seconds` in Python,
/// `milliseconds` in Node): the catalogue states durations with units ("(60 s)"), never the
/// number a caller passes.
pub fn param_doc(p: &sellkit::catalogue::ParamDef, duration_unit: &str) -> String {
    use sellkit::model::Ty;
    let is_duration = match &p.ty {
        Ty::Seconds => true,
        Ty::Optional(inner) => matches!(**inner, Ty::Seconds),
        _ => false,
    };
    if !is_duration {
        return p.doc.clone();
    }
    let doc = p.doc.trim_end();
    let sep = if doc.is_empty() || doc.ends_with('.') { " " } else { ". " };
    format!("{doc}{sep}In {duration_unit}.").trim_start().to_owned()
}

pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `test_results` → `TestResults`.
pub fn pascal(snake: &str) -> String {
    let c = camel(snake);
    let mut chars = c.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Python's keywords: such a key cannot be a class attribute of a TypedDict.
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
    "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Whether `key` can be written as an identifier in Python.
pub fn python_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !PYTHON_KEYWORDS.contains(&key)
}

/// Whether `key` can be written bare as a TypeScript property name.
pub fn ts_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A string literal for Python or JavaScript (double quotes, JSON escapes).
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(camel("page_size"), "pageSize");
        assert_eq!(camel("l1_category_id"), "l1CategoryId");
        assert_eq!(pascal("test_results"), "TestResults");
        assert!(python_identifier("_links") && !python_identifier("from") && !python_identifier("content-type"));
        assert!(ts_identifier("_links") && !ts_identifier("mp:category"));
    }
}
