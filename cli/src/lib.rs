//! The `sellkit` command.
//!
//! One implementation for every way it is installed: this crate's binary (`cargo install
//! sellkit-cli`), the `sellkit` console script and `python -m sellkit` of the Python package,
//! and the `bin` of the npm package (`npx sellkit`). The Python and Node native modules call
//! [`main`] with the process arguments and exit with the code it returns.
//!
//! Everything it does goes through the `sellkit` crate: the commands only read flags, call the
//! client and show the result (tables for people, one JSON document with `--json`). Exit codes
//! are [`exit_code`]'s.

#![allow(clippy::result_large_err)]

mod args;
mod catalogue_sync;
mod config_dir;
mod eqp;
mod junit;
mod login;
mod mp;
mod output;
mod progress;
mod raw;
mod simulator;

use std::ffi::OsString;

use clap::Parser;
use sellkit::{Error, ErrorKind};

pub use junit::junit_xml;

use args::{Cli, Command};
use output::Ui;

/// Success.
pub const EXIT_OK: i32 = 0;
/// A bug in sellkit (an internal error).
pub const EXIT_BUG: i32 = 1;
/// Usage or invalid input: nothing was sent.
pub const EXIT_USAGE: i32 = 2;
/// Authentication or permission refused.
pub const EXIT_AUTH: i32 = 3;
/// Not found.
pub const EXIT_NOT_FOUND: i32 = 4;
/// Rate limited.
pub const EXIT_RATE_LIMITED: i32 = 5;
/// A server, connection or timeout error.
pub const EXIT_UNAVAILABLE: i32 = 6;
/// Rejected: a malware scan, a batch or sync item, a test or a review failed.
pub const EXIT_REJECTED: i32 = 7;
/// Waited past `--timeout`.
pub const EXIT_TIMEOUT: i32 = 8;

/// The exit code of a failure.
pub fn exit_code(e: &Error) -> i32 {
    match e.code() {
        "release-timeout" | login::LOGIN_TIMEOUT => return EXIT_TIMEOUT,
        "scan-failed" | "package-refused" | "submission-canceled" => return EXIT_REJECTED,
        _ => {}
    }
    match e.kind() {
        ErrorKind::InvalidInput => EXIT_USAGE,
        ErrorKind::Authentication | ErrorKind::PermissionDenied => EXIT_AUTH,
        ErrorKind::NotFound => EXIT_NOT_FOUND,
        ErrorKind::RateLimited => EXIT_RATE_LIMITED,
        ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection | ErrorKind::Decode | ErrorKind::UnexpectedStatus => EXIT_UNAVAILABLE,
        ErrorKind::Validation | ErrorKind::Conflict | ErrorKind::Batch => EXIT_REJECTED,
        _ => EXIT_BUG,
    }
}

/// Run the command with `args` (the first is the program's name, as in `std::env::args_os`);
/// returns the exit code. Output goes to this process's stdout and stderr.
pub fn main<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are printed by clap and are a success; a usage error exits 2.
            let _ = e.print();
            if !e.use_stderr() {
                return EXIT_OK;
            }
            // A pipeline that asked for JSON reads a document on stdout whatever went wrong.
            if args.iter().skip(1).any(|a| a == "--json") {
                let message = e.kind().to_string();
                let usage = Error::new(ErrorKind::InvalidInput, format!("{message}; see `sellkit --help`"));
                Ui::new(true, true).result(&output::error_json(&usage), String::new);
            }
            return EXIT_USAGE;
        }
    };
    let ui = Ui::new(cli.output.json, cli.output.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => return ui.fail(&Error::new(ErrorKind::Internal, format!("cannot start the runtime: {e}"))),
    };
    let code = runtime.block_on(run(cli.command, &ui));
    // Connections still open are dropped with the runtime; nothing waits for them.
    runtime.shutdown_background();
    code
}

async fn run(command: Command, ui: &Ui) -> i32 {
    let result = match command {
        Command::Eqp(a) => eqp::run(a, ui).await,
        Command::Mp(a) => mp::run(a, ui).await,
        Command::Request(a) => raw::run(a, ui).await,
        Command::Simulator(a) => simulator::run(a, ui).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => ui.fail(&e),
    }
}
