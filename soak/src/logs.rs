//! The run's logs at the most verbose level, and the search of them for secrets.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::writer::{EitherWriter, MakeWriter, MutexGuardWriter};

/// Send every event of every crate, at TRACE, to `path`: the client side only. The simulator
/// (which holds the secrets by design) runs on threads named `sellkit-simulator*`, and events
/// from those threads are left out, hyper's server side included.
pub fn install_trace_log(path: &Path) -> io::Result<()> {
    let file = File::create(path)?;
    tracing_subscriber::fmt()
        .with_max_level(LevelFilter::TRACE)
        .with_writer(ClientSide(Mutex::new(file)))
        .with_ansi(false)
        .with_thread_names(true)
        .try_init()
        .map_err(io::Error::other)
}

/// Writes to the file, except on the simulator's threads (decided where the event happens).
struct ClientSide(Mutex<File>);

impl<'a> MakeWriter<'a> for ClientSide {
    type Writer = EitherWriter<MutexGuardWriter<'a, File>, io::Sink>;
    fn make_writer(&'a self) -> Self::Writer {
        if std::thread::current().name().is_some_and(|n| n.starts_with("sellkit-simulator")) {
            EitherWriter::B(io::sink())
        } else {
            EitherWriter::A(self.0.make_writer())
        }
    }
}

/// What an `Authorization` header's value starts with: a record holding one leaks a credential
/// or a token even when it is not one the run knows of (a token of another client, say).
const HEADER_VALUES: [(&str, &str); 2] = [("an Authorization header value (Bearer)", "Bearer "), ("an Authorization header value (Basic)", "Basic ")];

/// The names of the secrets whose value occurs in the file at `path`, then those of the header
/// values of [`HEADER_VALUES`] that occur in it, and the file's size.
pub fn find_secrets(path: &Path, secrets: &[(String, String)]) -> io::Result<(Vec<String>, u64)> {
    let mut text = Vec::new();
    File::open(path)?.read_to_end(&mut text)?;
    let text = String::from_utf8_lossy(&text);
    let mut found: Vec<String> =
        secrets.iter().filter(|(_, value)| !value.is_empty() && text.contains(value.as_str())).map(|(name, _)| name.clone()).collect();
    found.extend(HEADER_VALUES.iter().filter(|(_, start)| text.contains(start)).map(|(name, _)| (*name).to_owned()));
    Ok((found, text.len() as u64))
}
