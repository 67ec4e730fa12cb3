//! Where the command keeps what outlives one run (the tokens of `mp login`, the state of `mp
//! sync`): files in `sellkit/` under the user's config folder, named as store URLs.

use std::path::PathBuf;

use sellkit::{Error, Result};

/// The default token store's file name.
pub const TOKENS_FILE: &str = "tokens.json";
/// The default sync state's file name.
pub const SYNC_STATE_FILE: &str = "sync-state.json";

/// `$XDG_CONFIG_HOME/sellkit`, else `~/.config/sellkit` (also on macOS, so that the documented
/// path holds everywhere), else `%APPDATA%\sellkit` on Windows; `None` when no variable names
/// a home (a bare environment, a service account).
pub fn folder() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from).filter(|p| p.is_absolute());
    var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".config")))
        .or_else(|| var("APPDATA"))
        .map(|base| base.join("sellkit"))
}

/// The `file:///` URL of `name` in [`folder`].
pub fn store_url(name: &str) -> Option<String> {
    let path = folder()?.join(name);
    url::Url::from_file_path(&path).ok().map(String::from)
}

/// The store URL a persistent setting resolves to: the flag, else the variable, else the file
/// `name` in the config folder. `memory:` is refused (a command's memory ends with it), naming
/// the flag.
///
/// # Errors
///
/// Invalid input for `flag` when the URL is `memory:`, or when none is given and there is no
/// config folder.
pub fn persistent_store(flag: &str, given: Option<&str>, variable: &str, name: &str) -> Result<String> {
    let from_env = std::env::var(variable).ok().filter(|v| !v.trim().is_empty());
    let url = match given.map(str::to_owned).or(from_env) {
        Some(url) => url,
        None => store_url(name).ok_or_else(|| {
            Error::invalid_input(flag, format!("no config folder to keep it in ($XDG_CONFIG_HOME and $HOME are unset): give {flag} URL or {variable}"))
        })?,
    };
    if sellkit::store::is_memory(flag, &url)? {
        return Err(Error::invalid_input(
            flag,
            format!("memory: is gone when the command exits; give a file:///absolute/path.json or redis:// URL ({flag} or {variable})"),
        ));
    }
    Ok(url)
}
