//! `sellkit mp login`: the authorization-code flow of `sellkit::auth::login` for a person at a
//! terminal, the tokens kept in a persistent token store. No token is ever printed.

use std::io::IsTerminal;
use std::time::Duration;

use sellkit::auth::login::{login, LoopbackRedirect};
use sellkit::{Error, ErrorKind, Result};
use serde_json::json;

use crate::args::{LoginArgs, MpConnection};
use crate::config_dir::{persistent_store, TOKENS_FILE};
use crate::output::{cell, pairs, Ui};
use crate::EXIT_OK;

/// Code of the error of a sign-in that did not come within `--timeout` (exit 8).
pub const LOGIN_TIMEOUT: &str = "login-timeout";

/// The path the redirect comes back to: `http://127.0.0.1:PORT/callback`.
pub const REDIRECT_PATH: &str = "/callback";

pub async fn run(c: &MpConnection, args: &LoginArgs, ui: &Ui) -> Result<i32> {
    // Everything that can be refused is refused before the person is sent to the browser.
    for (flag, value, var) in [("--client-id", &c.client_id, "SELLKIT_MP_CLIENT_ID"), ("--client-secret", &c.client_secret, "SELLKIT_MP_CLIENT_SECRET")] {
        if value.is_none() && std::env::var(var).map_or(true, |v| v.is_empty()) {
            return Err(Error::invalid_input(flag, format!("the application's credentials are needed to sign in: set {var} (or give {flag})")));
        }
    }
    let store_url = persistent_store("--token-store", c.token_store.as_deref(), sellkit::store::ENV_TOKEN_STORE, TOKENS_FILE)?;
    // Shown as the store describes itself: a Redis URL's password stays out.
    let store_shown = sellkit::store::open("--token-store", &store_url)?.describe().to_owned();
    let client = crate::mp::builder(c).token_store(store_url).env_defaults().build()?;
    let scopes = (!args.scopes.is_empty()).then_some(args.scopes.as_slice());
    let redirect = LoopbackRedirect::bind(args.port, REDIRECT_PATH).await?;
    // A browser only for a person at a terminal who did not say no (never in a pipeline).
    let browser = !args.no_browser && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let wait = Duration::from_secs(args.timeout);
    // The whole flow within --timeout (exit 8 past it, as every command's --timeout); the
    // listener's own limit is only a backstop.
    let flow = login(&client, redirect, scopes, wait + Duration::from_secs(60), |url| {
        // The URL is the one thing the person must see: printed even with --quiet.
        eprintln!("Open this URL in a browser to sign in:\n\n  {url}\n");
        if browser && webbrowser::open(url).is_err() {
            eprintln!("(no browser could be opened: copy the URL)");
        }
        ui.note("Waiting for the sign-in...");
    });
    let set = tokio::time::timeout(wait, flow).await.map_err(|_| {
        Error::new(ErrorKind::Timeout, format!("no sign-in within {}s (--timeout)", args.timeout)).with_code(LOGIN_TIMEOUT)
    })??;
    // Who signed in, as a check that the tokens work; the login stands without it.
    let me = crate::mp::call(&client, "users.me", json!({})).await.ok();
    let view = json!({
        "platform": client.platform().as_str(),
        "user_id": me.as_ref().and_then(|m| m.get("userId")).cloned(),
        "name": me.as_ref().and_then(|m| m.get("name")).cloned(),
        "scope": set.scope,
        "expires_in": set.expires_in,
        "refresh_token_kept": set.refresh_token.is_some(),
        "token_store": store_shown,
    });
    ui.result(&view, || {
        let field = |k: &str| cell(view.get(k));
        format!(
            "Signed in.\n{}\nThe tokens are in the token store: `sellkit mp ...` commands (and clients given the same store) use them.",
            pairs(&[
                ("platform", field("platform")),
                ("user_id", field("user_id")),
                ("name", field("name")),
                ("scope", field("scope")),
                ("token_store", field("token_store")),
            ])
        )
    });
    Ok(EXIT_OK)
}
