//! Where a Marktplaats client's tokens come from.
//!
//! A client holds one user credential (a stored access token, a refresh token, or what a code
//! exchange returned) or, after `authenticate_client`, its own client credentials. Every token
//! set the auth server returns goes to the caller's `on_token` callback *before* its access
//! token is used; a refresh token that comes back new replaces the old one in memory at once
//! (the old one may already be dead), and if the callback fails the call fails with its error
//! and the new access token is not used. The next call refreshes again and offers the callback
//! the newer set.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

    /// Keep a returned refresh token, hand the set to `on_token`, then make the token.
    fn accept(&self, set: &TokenSet, issued_at: Instant) -> Result<Token> {
        if let Some(rt) = &set.refresh_token {
            self.set_grant(Grant::RefreshToken(rt.clone()));
        }
        self.notify(set)?;
        Ok(set.to_token(issued_at))
    }

    fn notify(&self, set: &TokenSet) -> Result<()> {
        if let Some(cb) = &self.on_token {
            cb(set).map_err(|e| e.prefix_message("the on_token callback failed; the new token was not used".to_owned()))?;
        }
        Ok(())
    }

    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<(TokenSet, Token)> {
        let issued = Instant::now();
        let set = self.endpoint.exchange_code(code, redirect_uri).await?;
        let token = self.accept(&set, issued)?;
        Ok((set, token))
    }

    pub async fn client_credentials_grant(&self, scopes: &[String]) -> Result<(TokenSet, Token)> {
        let issued = Instant::now();
        let set = self.endpoint.client_credentials(scopes).await?;
        self.notify(&set)?;
        let token = set.to_token(issued);
        Ok((set, token))
    }

    async fn fetch_user(&self) -> Result<Token> {
        let initial = self.initial_access.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some((access, expires_in)) = initial {
            let ttl = Duration::from_secs(expires_in.unwrap_or(365 * 24 * 3600));
            return Ok(Token::new(Secret::new(format!("Bearer {}", access.expose())), Instant::now(), ttl));
        }
        match self.grant() {
            Grant::RefreshToken(rt) => {
                let issued = Instant::now();
                let set = self.endpoint.refresh(&rt).await?;
                self.accept(&set, issued)
            }
            Grant::ClientCredentials(scopes) => Ok(self.client_credentials_grant(&scopes).await?.1),
            Grant::None => Err(Error::new(
                ErrorKind::Authentication,
                "no usable token: pass refresh_token (or access_token) to the client, call exchange_code \
                 after the authorization redirect, or authenticate_client for a client-credentials token",
            )
            .with_code("no-token")),
        }
    }
}

/// The user's tokens.
pub(crate) struct UserTokenSource {
    pub auth: std::sync::Arc<AuthState>,
}

impl TokenSource for UserTokenSource {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<Token>> + Send + '_>> {
        Box::pin(self.auth.fetch_user())
    }
}

/// Client-credentials tokens for one set of scopes.
pub(crate) struct ClientCredentialsSource {
    pub auth: std::sync::Arc<AuthState>,
    pub scopes: Vec<String>,
}

impl TokenSource for ClientCredentialsSource {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<Token>> + Send + '_>> {
        Box::pin(async move { Ok(self.auth.client_credentials_grant(&self.scopes).await?.1) })
    }
}
