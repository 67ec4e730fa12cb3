//! The authorization-code flow for a person at a terminal: print (or open) the authorization
//! URL, receive the browser's redirect on a loopback listener, check `state`, exchange the code
//! and keep the tokens in the client's token store, where every other client sharing that store
//! finds them.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> sellkit::Result<()> {
//! # let sim = sellkit_simulator::Simulator::start(Default::default()).unwrap();
//! # let folder = tempfile::tempdir().unwrap();
//! # let store = format!("file://{}/tokens.json", folder.path().display());
//! use sellkit::auth::login::{login, LoopbackRedirect};
//! let client = sellkit::marktplaats::Client::builder()
//!     .client_id("my-app").client_secret("…")
//! #   .client_id(sim.mp_client_id()).client_secret(sim.mp_client_secret()).base_url(sim.marktplaats_url("marktplaats"))
//!     .token_store(store) // e.g. "file:///home/me/.config/sellkit/tokens.json"
//!     .build()?;
//! // The redirect URI registered for the application: http://127.0.0.1:8765/callback is
//! // `bind(8765, "/callback")`; port 0 takes any free port.
//! let redirect = LoopbackRedirect::bind(0, "/callback").await?;
//! let tokens = login(&client, redirect, None, std::time::Duration::from_secs(300), |url| {
//!     eprintln!("Open this URL to sign in: {url}");
//! #   // The browser: the simulator approves at once and redirects to the listener.
//! #   let url = url.to_owned();
//! #   tokio::spawn(async move { reqwest::Client::builder().no_proxy().build().unwrap().get(url).send().await });
//! }).await?;
//! # assert!(tokens.refresh_token.is_some());
//! # Ok(()) }
//! ```

use std::time::Duration;

use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::oauth2::TokenSet;
use crate::error::{Error, ErrorKind, Result};

/// Largest request head read from the browser.
const MAX_HEAD: usize = 16 * 1024;

/// A listener on `127.0.0.1` for the one redirect that brings the code back.
#[derive(Debug)]
pub struct LoopbackRedirect {
    listener: TcpListener,
    path: String,
    redirect_uri: String,
}

/// What the redirect brought: the code and the state, or the authorization server's refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// `code`, when the user approved.
    pub code: Option<String>,
    /// `state`, as sent back.
    pub state: Option<String>,
    /// `error` (`access_denied`, ...), when the user or the server refused.
    pub error: Option<String>,
    /// `error_description`, when given.
    pub error_description: Option<String>,
}

impl LoopbackRedirect {
    /// Listen on `127.0.0.1:port` (0: a free port) for a redirect to `path`.
    ///
    /// # Errors
    ///
    /// Invalid input for `path` when it does not start with `/`; a connection error when the
    /// port cannot be had.
    pub async fn bind(port: u16, path: &str) -> Result<LoopbackRedirect> {
        if !path.starts_with('/') {
            return Err(Error::invalid_input("path", "must start with '/'"));
        }
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| Error::new(ErrorKind::Connection, format!("cannot listen on 127.0.0.1:{port} for the redirect: {e}")))?;
        let port = listener.local_addr().map_err(|e| Error::new(ErrorKind::Connection, e.to_string()))?.port();
        Ok(LoopbackRedirect { listener, path: path.to_owned(), redirect_uri: format!("http://127.0.0.1:{port}{path}") })
    }

    /// `http://127.0.0.1:PORT/path`: the `redirect_uri` to send (and to register).
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Wait up to `timeout` for the browser's request to the path and answer it with a short
    /// page; requests to other paths (`/favicon.ico`) get a 404 and are not counted.
    ///
    /// # Errors
    ///
    /// A timeout error when no redirect came in time; a connection error when the listener fails.
    pub async fn receive(&self, timeout: Duration) -> Result<Redirect> {
        tokio::time::timeout(timeout, self.accept_redirect()).await.map_err(|_| {
            Error::new(ErrorKind::Timeout, format!("no redirect reached {} within {}s", self.redirect_uri, timeout.as_secs()))
        })?
    }

    async fn accept_redirect(&self) -> Result<Redirect> {
        loop {
            let (mut stream, _) =
                self.listener.accept().await.map_err(|e| Error::new(ErrorKind::Connection, format!("the redirect listener failed: {e}")))?;
            let Some(target) = read_target(&mut stream).await else { continue };
            let Ok(url) = url::Url::parse(&format!("http://127.0.0.1{target}")) else { continue };
            if url.path() != self.path {
                let _ = respond(&mut stream, "404 Not Found", "Not the sign-in redirect.").await;
                continue;
            }
            let mut r = Redirect { code: None, state: None, error: None, error_description: None };
            for (k, v) in url.query_pairs() {
                match k.as_ref() {
                    "code" => r.code = Some(v.into_owned()),
                    "state" => r.state = Some(v.into_owned()),
                    "error" => r.error = Some(v.into_owned()),
                    "error_description" => r.error_description = Some(v.into_owned()),
                    _ => {}
                }
            }
            let page = if r.code.is_some() { "Signed in: you can close this window and return to the terminal." } else { "Sign-in failed: see the terminal." };
            let _ = respond(&mut stream, "200 OK", page).await;
            return Ok(r);
        }
    }
}

/// The request target of one HTTP/1.1 request (`/callback?code=..`), or `None` for anything
/// that is not a GET request head.
async fn read_target(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk)).await.ok()?.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                return (req.method == Some("GET")).then(|| req.path.map(str::to_owned)).flatten();
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => continue,
            _ => return None,
        }
    }
}

async fn respond(stream: &mut tokio::net::TcpStream, status: &str, text: &str) -> std::io::Result<()> {
    let body = format!("<!doctype html><meta charset=utf-8><title>sellkit</title><p>{text}</p>\n");
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

/// Check what the redirect brought against the `state` sent, and return the code.
///
/// # Errors
///
/// An authentication error when the server refused (`error=...`), when `state` is missing or
/// differs (code `state-mismatch`: the redirect may be forged), or when no code came.
pub fn check_redirect(redirect: &Redirect, expected_state: &str) -> Result<String> {
    if let Some(error) = &redirect.error {
        let why = redirect.error_description.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
        return Err(Error::new(ErrorKind::Authentication, format!("the sign-in was refused ({error}){why}")).with_code("authorization-refused"));
    }
    let state_ok = redirect.state.as_deref().is_some_and(|s| bool::from(s.as_bytes().ct_eq(expected_state.as_bytes())));
    if !state_ok {
        return Err(Error::new(ErrorKind::Authentication, "the redirect's state does not match the one sent; the sign-in was not completed")
            .with_code("state-mismatch"));
    }
    redirect
        .code
        .clone()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::new(ErrorKind::Authentication, "the redirect brought no code").with_code("no-code"))
}

/// The whole flow on `client`: build the authorization URL for `redirect` (scopes `read write`
/// when `None`), hand it to `show` (print it, open a browser), wait up to `timeout` for the
/// redirect, check `state`, exchange the code. The tokens go to the client's `on_token` and,
/// when it has one, into its token store, where other clients sharing it find them.
///
/// # Errors
///
/// Those of [`check_redirect`], [`LoopbackRedirect::receive`] and
/// [`exchange_code`](crate::marktplaats::Client::exchange_code).
pub async fn login(
    client: &crate::marktplaats::Client,
    redirect: LoopbackRedirect,
    scopes: Option<&[String]>,
    timeout: Duration,
    show: impl FnOnce(&str),
) -> Result<TokenSet> {
    let (url, state) = client.authorization_url(redirect.redirect_uri(), scopes, None)?;
    show(&url);
    let received = redirect.receive(timeout).await?;
    let code = check_redirect(&received, &state)?;
    client.exchange_code(&code, redirect.redirect_uri()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(code: Option<&str>, state: Option<&str>, error: Option<&str>) -> Redirect {
        Redirect { code: code.map(Into::into), state: state.map(Into::into), error: error.map(Into::into), error_description: None }
    }

    #[test]
    fn state_is_checked_before_the_code_is_used() {
        assert_eq!(check_redirect(&redirect(Some("c"), Some("s1"), None), "s1").unwrap(), "c");
        assert_eq!(check_redirect(&redirect(Some("c"), Some("s2"), None), "s1").unwrap_err().code(), "state-mismatch");
        assert_eq!(check_redirect(&redirect(Some("c"), None, None), "s1").unwrap_err().code(), "state-mismatch");
        assert_eq!(check_redirect(&redirect(None, Some("s1"), None), "s1").unwrap_err().code(), "no-code");
        assert_eq!(check_redirect(&redirect(None, Some("s1"), Some("access_denied")), "s1").unwrap_err().code(), "authorization-refused");
    }
}
