//! Writes every file derived from the catalogue of operations in core
//! (`sellkit::catalogue`): the Python resource modules, clients and TypedDicts, the Node
//! resource classes and TypeScript declarations, and the operation tables of the docs.
//!
//! `cargo run -p sellkit-codegen` writes them; `-- --check` only compares, prints what differs
//! and fails (the test command runs it, so a declaration and the committed surfaces never drift).

mod docs;
mod errors;
mod names;
mod node;
mod python;
mod surface;
mod typescript;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use surface::Surface;

/// A generated file: its path from the repository root and its content.
pub struct File {
    path: String,
    content: String,
}

fn files() -> Vec<File> {
    let apis = [Surface::of(&sellkit::catalogue::EQP), Surface::of(&sellkit::catalogue::MARKTPLAATS)];
    let mut out = Vec::new();
    for api in &apis {
        out.extend(python::files(api));
        out.extend(node::files(api));
        out.extend(typescript::files(api));
    }
    out.push(docs::operations(&apis));
    out.extend(errors::files());
    out
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository holds codegen/").to_owned()
}

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = root();
    let mut stale = Vec::new();
    let files = files();
    let count = files.len();
    for file in files {
        let path = root.join(&file.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == file.content {
            continue;
        }
        if check {
            stale.push(file.path);
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).expect("create the directory");
            }
            std::fs::write(&path, &file.content).expect("write the file");
            println!("wrote {}", file.path);
        }
    }
    if stale.is_empty() {
        if check {
            println!("codegen: {count} generated files match the catalogue");
        }
        return ExitCode::SUCCESS;
    }
    eprintln!("codegen: these files do not match the catalogue (run `cargo run -p sellkit-codegen`):");
    for path in &stale {
        eprintln!("  {path}");
    }
    ExitCode::FAILURE
}
