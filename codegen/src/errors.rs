//! The exception classes of both bindings, from core's error table
//! (`sellkit::catalogue::ERROR_CLASSES`): Python classes, the Node table the JS classes are built
//! from, and their TypeScript declarations. The root class and the mixins named by `members` are
//! hand-written beside them (`sellkit/_error_base.py`, `lib/errors.js`, `types/error-base.d.ts`).

use std::fmt::Write as _;

use sellkit::catalogue::{ErrorClass, ERROR_CLASSES, ERROR_ROOT};

use crate::{node, python, typescript, File};

/// The kind's name (`rate_limited`) as the classes' `kind` attribute carries it.
fn kind_name(c: &ErrorClass) -> Option<&'static str> {
    c.kind.map(|k| k.as_str())
}

/// Whether `c` is the class `name` or one of its descendants.
fn is_under(c: &ErrorClass, name: &str) -> bool {
    let mut cur = c;
    loop {
        if cur.name == name {
            return true;
        }
        match ERROR_CLASSES.iter().find(|p| p.name == cur.parent) {
            Some(parent) => cur = parent,
            None => return false,
        }
    }
}

/// The kinds of the class `name` and of every class under it.
fn kinds_under(name: &str) -> Vec<&'static str> {
    ERROR_CLASSES.iter().filter(|c| is_under(c, name)).filter_map(kind_name).collect()
}

fn python() -> File {
    let mut out = String::from(python::HEADER);
    out.push_str("\"\"\"The exceptions of sellkit: one class per kind of failure, all under :class:`SellkitError`.\"\"\"\n\n");
    out.push_str("from __future__ import annotations\n\n");
    let mixins: Vec<&str> = ERROR_CLASSES.iter().filter_map(|c| c.members).collect();
    writeln!(out, "from sellkit._error_base import {}\n", [&[ERROR_ROOT][..], &mixins].concat().join(", ")).unwrap();
    out.push_str("TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from typing import Dict, Type\n\n");
    out.push_str("__all__ = [\n");
    writeln!(out, "    \"{ERROR_ROOT}\",").unwrap();
    for c in ERROR_CLASSES {
        writeln!(out, "    \"{}\",", c.name).unwrap();
    }
    out.push_str("]\n");
    for c in ERROR_CLASSES {
        let bases = match c.members {
            Some(m) => format!("{m}, {}", c.parent),
            None => c.parent.to_owned(),
        };
        write!(out, "\n\nclass {}({bases}):\n{}", c.name, python::docstring(c.doc, "    ")).unwrap();
        if let Some(kind) = kind_name(c) {
            writeln!(out, "\n    kind = \"{kind}\"").unwrap();
        }
    }
    out.push_str("\n\n# The class the native layer raises for each kind of core error.\n");
    out.push_str("_BY_KIND: Dict[str, Type[SellkitError]] = {\n");
    for c in ERROR_CLASSES {
        if let Some(kind) = kind_name(c) {
            writeln!(out, "    \"{kind}\": {},", c.name).unwrap();
        }
    }
    out.push_str("}\n");
    File { path: "bindings-python/python/sellkit/_errors.py".into(), content: out }
}

fn node_table() -> File {
    let mut out = String::from(node::HEADER);
    out.push_str("\n// The error classes under SellkitError, parents first: [name, parent, kind, default code,\n");
    out.push_str("// mixin]. `errors.js` builds the classes from it.\n");
    out.push_str("module.exports = [\n");
    for c in ERROR_CLASSES {
        let kind = kind_name(c).map_or("null".to_owned(), |k| format!("'{k}'"));
        let code = c.kind.map_or("null".to_owned(), |k| format!("'{}'", k.default_code()));
        let members = c.members.map_or("null".to_owned(), |m| format!("'{m}'"));
        writeln!(out, "  ['{}', '{}', {kind}, {code}, {members}],", c.name, c.parent).unwrap();
    }
    out.push_str("];\n");
    File { path: "bindings-node/lib/error-classes.js".into(), content: out }
}

fn typescript() -> File {
    let mut out = String::from(typescript::HEADER);
    let mixins: Vec<&str> = ERROR_CLASSES.iter().filter_map(|c| c.members).collect();
    writeln!(out, "\nimport {{ {} }} from './error-base';\n", [&[ERROR_ROOT][..], &mixins].concat().join(", ")).unwrap();
    out.push_str("/** What kind of failure an error is; one subclass of `SellkitError` per kind. */\nexport type ErrorKind =\n");
    for c in ERROR_CLASSES {
        if let Some(kind) = kind_name(c) {
            writeln!(out, "  | '{kind}'").unwrap();
        }
    }
    out.truncate(out.trim_end().len());
    out.push_str(";\n");
    for c in ERROR_CLASSES {
        out.push('\n');
        out.push_str(&typescript::jsdoc(c.doc, ""));
        // A subclass narrows `kind`, so a class's `kind` is any of the kinds below it.
        let kinds: Vec<String> = kinds_under(c.name).iter().map(|k| format!("'{k}'")).collect();
        writeln!(out, "export class {} extends {} {{ readonly kind: {}; }}", c.name, c.parent, kinds.join(" | ")).unwrap();
        if let Some(m) = c.members {
            writeln!(out, "export interface {} extends {m} {{}}", c.name).unwrap();
        }
    }
    File { path: "bindings-node/types/errors.d.ts".into(), content: out }
}

/// Every file of the error classes.
pub fn files() -> Vec<File> {
    vec![python(), node_table(), typescript()]
}
