//! Where a Marktplaats client's tokens come from.
//!
//! A client holds one user credential (a stored access token, a refresh token, or what a code
//! exchange returned) or, after `authenticate_client`, its own client credentials. Every token
//! set the auth server returns goes to the caller's `on_token` callback *before* its access
//! token is used; a refresh token that comes back new replaces the old one in memory at once
//! (the old one may already be dead), and if the callback fails the call fails with its error
//! and the new access token is not used. The next call refreshes again and offers the callback
//! the newer set. With a shared token store the set is written to the store before the
//! callback sees it (see [`crate::auth::shared`]): a client that reads it from there does not
//! call its own `on_token`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::auth::oauth2::{OnToken, TokenEndpoint, TokenSet};
use crate::auth::{Token, TokenSource};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// How the user token is renewed.
#[derive(Clone)]
pub(crate) enum Grant {
    None,
    RefreshToken(Secret),
    ClientCredentials(Vec<String>),
}

pub(crate) struct AuthState {
    endpoint: TokenEndpoint,
    on_token: Option<OnToken>,
    grant: Mutex<Grant>,
    /// A stored access token given to the builder, used once as the first token.
    initial_access: Mutex<Option<(Secret, Option<u64>)>>,
}

impl AuthState {
    pub fn new(endpoint: TokenEndpoint, on_token: Option<OnToken>, grant: Grant, initial_access: Option<(Secret, Option<u64>)>) -> Self {
        AuthState { endpoint, on_token, grant: Mutex::new(grant), initial_access: Mutex::new(initial_access) }
    }

    pub fn token_url(&self) -> String {
        self.endpoint.url()
    }

    pub fn set_grant(&self, grant: Grant) {
        *self.grant.lock().unwrap_or_else(|p| p.into_inner()) = grant;
    }

    fn grant(&self) -> Grant {
        self.grant.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Keep a returned refresh token in memory at once (the old one may already be dead).
    fn keep(&self, set: &TokenSet) {
        if let Some(rt) = &set.refresh_token {
            self.set_grant(Grant::RefreshToken(rt.clone()));
        }
    }

    /// Hand a new token set to `on_token`.
    pub fn notify(&self, set: &TokenSet) -> Result<()> {
        if let Some(cb) = &self.on_token {
            cb(set).map_err(|e| e.prefix_message("the on_token callback failed; the new token was not used".to_owned()))?;
        }
        Ok(())
    }

    /// The code exchange; the caller hands the set to [`notify`](Self::notify) once it is kept.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<(TokenSet, Token)> {
        let issued = Instant::now();
        let set = self.endpoint.exchange_code(code, redirect_uri).await?;
        self.keep(&set);
        let token = set.to_token(issued);
        Ok((set, token))
    }

    /// A client-credentials token; the caller hands the set to [`notify`](Self::notify).
    pub async fn client_credentials_grant(&self, scopes: &[String]) -> Result<(TokenSet, Token)> {
        let issued = Instant::now();
        let set = self.endpoint.client_credentials(scopes).await?;
        let token = set.to_token(issued);
        Ok((set, token))
    }

    /// A user token: the stored access token given to the builder (once), else a refresh or a
    /// client-credentials grant. The set, when one came back, still has to be notified.
    async fn fetch_user(&self) -> Result<(Option<TokenSet>, Token)> {
        let initial = self.initial_access.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some((access, expires_in)) = initial {
            let ttl = Duration::from_secs(expires_in.unwrap_or(365 * 24 * 3600));
            return Ok((None, Token::new(Secret::new(format!("Bearer {}", access.expose())), Instant::now(), ttl)));
        }
        match self.grant() {
            Grant::RefreshToken(rt) => {
                let issued = Instant::now();
                let set = self.endpoint.refresh(&rt).await?;
                self.keep(&set);
                let token = set.to_token(issued);
                Ok((Some(set), token))
            }
            Grant::ClientCredentials(scopes) => {
                let (set, token) = self.client_credentials_grant(&scopes).await?;
                Ok((Some(set), token))
            }
            Grant::None => Err(Error::new(
                ErrorKind::Authentication,
                "no usable token: pass refresh_token (or access_token) to the client, call exchange_code \
                 after the authorization redirect, or authenticate_client for a client-credentials token",
            )
            .with_code("no-token")),
        }
    }

    /// The refresh token held, for a shared store.
    fn state(&self) -> Map<String, Value> {
        let mut m = Map::new();
        if let Grant::RefreshToken(rt) = self.grant() {
            m.insert("refresh_token".into(), rt.expose().into());
        }
        m
    }

    /// A refresh token another client stored: it replaces this client's own, and a stored
    /// access token given to the builder is not used any more (the store's is newer).
    fn adopt(&self, state: &Map<String, Value>) -> Result<()> {
        match state.get("refresh_token") {
            None | Some(Value::Null) => {}
            Some(Value::String(rt)) if !rt.is_empty() => self.set_grant(Grant::RefreshToken(Secret::new(rt.clone()))),
            Some(_) => return Err(Error::new(ErrorKind::Decode, "the stored refresh token is not a string")),
        }
        self.initial_access.lock().unwrap_or_else(|p| p.into_inner()).take();
        Ok(())
    }
}

/// The user's tokens.
pub(crate) struct UserTokenSource {
    pub auth: std::sync::Arc<AuthState>,
    /// The set of the last fetch, until it is committed (handed to `on_token`).
    pub pending: Mutex<Option<TokenSet>>,
}

impl UserTokenSource {
    pub fn new(auth: std::sync::Arc<AuthState>) -> Self {
        UserTokenSource { auth, pending: Mutex::new(None) }
    }
}

impl TokenSource for UserTokenSource {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<Token>> + Send + '_>> {
        Box::pin(async move {
            let (set, token) = self.auth.fetch_user().await?;
            *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = set;
            Ok(token)
        })
    }
    fn shared_state(&self) -> Map<String, Value> {
        self.auth.state()
    }
    fn adopt_state(&self, state: &Map<String, Value>) -> Result<()> {
        self.auth.adopt(state)
    }
    fn spends_shared_state(&self) -> bool {
        matches!(self.auth.grant(), Grant::RefreshToken(_))
    }
    fn commit(&self) -> Result<()> {
        match self.pending.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(set) => self.auth.notify(&set),
            None => Ok(()),
        }
    }
}

/// Client-credentials tokens for one set of scopes.
pub(crate) struct ClientCredentialsSource {
    pub auth: std::sync::Arc<AuthState>,
    pub scopes: Vec<String>,
    pub pending: Mutex<Option<TokenSet>>,
}

impl TokenSource for ClientCredentialsSource {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<Token>> + Send + '_>> {
        Box::pin(async move {
            let (set, token) = self.auth.client_credentials_grant(&self.scopes).await?;
            *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = Some(set);
            Ok(token)
        })
    }
    fn commit(&self) -> Result<()> {
        match self.pending.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(set) => self.auth.notify(&set),
            None => Ok(()),
        }
    }
}
