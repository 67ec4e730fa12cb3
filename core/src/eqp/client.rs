//! The EQP client and its builder.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde_json::Value;

use super::environment::Environment;
use super::session::SessionSource;
use super::users::Users;
use crate::auth::send_authorized;
use crate::auth::TokenManager;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::transport::{parse_base_url, CallOptions, HttpSettings, Request, Response, Transport};

/// The environment variable of the application id.
pub const ENV_APP_ID: &str = "SELLKIT_EQP_APP_ID";
/// The environment variable of the application secret.
pub const ENV_APP_SECRET: &str = "SELLKIT_EQP_APP_SECRET";
/// The environment variable of the environment (`production`, `sandbox`...).
pub const ENV_ENVIRONMENT: &str = "SELLKIT_EQP_ENVIRONMENT";
/// The environment variable of a custom base URL.
pub const ENV_BASE_URL: &str = "SELLKIT_EQP_BASE_URL";

/// Builds a [`Client`]; every setting is checked in [`ClientBuilder::build`], before any request.
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    app_id: Option<String>,
    app_secret: Option<Secret>,
    environment: Option<String>,
    base_url: Option<String>,
    http: HttpSettings,
    token_lifetime: Option<u64>,
    token_store: Option<String>,
}

impl ClientBuilder {
    /// The application id of an EQP API access key.
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }
    /// The application secret of that key.
    pub fn app_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }
    /// A named environment ([`Environment::Production`] by default).
    pub fn environment(mut self, env: Environment) -> Self {
        self.environment = Some(env.as_str().to_owned());
        self
    }
    /// A named environment by its name (`production`, `sandbox`, `legacy-production`, `legacy-sandbox`).
    pub fn environment_name(mut self, env: impl Into<String>) -> Self {
        self.environment = Some(env.into());
        self
    }
    /// Any base URL (wins over the environment). `https://` only, except loopback.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Time for one attempt, from connecting until the whole response is read (60 s by default).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.http.timeout = Some(t);
        self
    }
    /// Time to establish a connection (10 s by default).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.http.connect_timeout = Some(t);
        self
    }
    /// Time for one upload attempt (10 min by default).
    pub fn upload_timeout(mut self, t: Duration) -> Self {
        self.http.upload_timeout = Some(t);
        self
    }
    /// Retries after the first attempt (2 by default; 0 disables).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.http.max_retries = Some(n);
        self
    }
    /// Largest response body read into memory (64 MiB by default); a bigger one fails the call
    /// with a decode error (`response-too-large`) instead of growing the process.
    pub fn max_response_bytes(mut self, n: usize) -> Self {
        self.http.max_response_bytes = Some(n);
        self
    }
    /// Appended to the `User-Agent` (`my-release-bot/1.2`).
    pub fn user_agent_suffix(mut self, s: impl Into<String>) -> Self {
        self.http.user_agent_suffix = Some(s.into());
        self
    }
    /// Session lifetime to ask for, in seconds (the server clamps it to its maximum).
    pub fn token_lifetime(mut self, seconds: u64) -> Self {
        self.token_lifetime = Some(seconds);
        self
    }

    /// A proxy for every request, loopback included (`http://`, `https://` or `socks5://`,
    /// credentials in the URL allowed). Without one, the environment's (`HTTPS_PROXY`,
    /// `NO_PROXY`) and on macOS and Windows the system's proxy settings apply, never to loopback.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.http.proxy = Some(url.into());
        self
    }
    /// A PEM file of certificates to trust besides the system's (a private CA, a TLS-inspecting
    /// gateway).
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.http.ca_bundle = Some(path.into());
        self
    }
    /// Timeouts, retries, the response cap and the user-agent suffix at once.
    pub fn http(mut self, http: HttpSettings) -> Self {
        self.http = http;
        self
    }

    /// Where the session token is kept: `memory:` (the default: this client's own),
    /// `file:///absolute/path.json` (the processes of one machine) or `redis://host:port/db`
    /// (many machines). Every client sharing a store and app id shares one session, fetches it
    /// once, and waits out a `Retry-After` any of them received (see [`crate::store`] and
    /// [`crate::auth::shared`]).
    pub fn token_store(mut self, url: impl Into<String>) -> Self {
        self.token_store = Some(url.into());
        self
    }

    /// Every setting not given yet taken from the environment: `SELLKIT_EQP_APP_ID`,
    /// `SELLKIT_EQP_APP_SECRET`, `SELLKIT_EQP_ENVIRONMENT`, `SELLKIT_EQP_BASE_URL`,
    /// `SELLKIT_TOKEN_STORE` (an empty variable counts as unset). Settings given in code win.
    pub fn env_defaults(mut self) -> Self {
        use crate::env::var;
        self.token_store = self.token_store.or_else(|| var(crate::store::ENV_TOKEN_STORE));
        self.app_id = self.app_id.or_else(|| var(ENV_APP_ID));
        self.app_secret = self.app_secret.or_else(|| var(ENV_APP_SECRET).map(Secret::new));
        self.environment = self.environment.or_else(|| var(ENV_ENVIRONMENT));
        self.base_url = self.base_url.or_else(|| var(ENV_BASE_URL));
        self
    }

    /// Check every setting and make the client. Nothing is sent: the first call fetches the
    /// session token.
    ///
    /// # Errors
    ///
    /// Invalid input naming the setting:
    /// - `app_id`: missing, blank, or containing `:` or control characters;
    /// - `app_secret`: missing or blank;
    /// - `environment`: a name that is not one of [`Environment`]'s;
    /// - `base_url` (or `environment`): not `https://` (plain `http://` only for loopback),
    ///   without a host, with credentials, a query or a fragment;
    /// - `token_lifetime`: zero;
    /// - `token_store`: not `memory:`, `file:///absolute/path`, `redis://` or `rediss://`;
    /// - `timeout`, `connect_timeout`, `upload_timeout`, `max_response_bytes`: zero;
    /// - `max_retries`: above 10;
    /// - `user_agent_suffix`: not printable ASCII on one line.
    pub fn build(self) -> Result<Client> {
        let app_id = self.app_id.ok_or_else(|| crate::env::missing("app_id", ENV_APP_ID))?;
        if app_id.trim().is_empty() {
            return Err(Error::invalid_input("app_id", "must not be empty"));
        }
        if app_id.contains(':') || app_id.chars().any(char::is_control) {
            return Err(Error::invalid_input("app_id", "must not contain ':' or control characters"));
        }
        let app_secret = self.app_secret.ok_or_else(|| crate::env::missing("app_secret", ENV_APP_SECRET))?;
        if app_secret.expose().trim().is_empty() {
            return Err(Error::invalid_input("app_secret", "must not be empty"));
        }
        let environment: Environment = match &self.environment {
            Some(name) => name.parse()?,
            None => Environment::default(),
        };
        let base_url = match &self.base_url {
            Some(url) => parse_base_url("base_url", url)?,
            None => parse_base_url("environment", environment.base_url())?,
        };
        if self.token_lifetime == Some(0) {
            return Err(Error::invalid_input("token_lifetime", "must be a positive number of seconds"));
        }
        let store = match &self.token_store {
            Some(url) if !crate::store::is_memory("token_store", url)? => Some(crate::store::open("token_store", url)?),
            _ => None,
        };
        let mut config = self.http.config(base_url.clone())?;
        config.backoff = store.clone().map(|s| Arc::new(crate::transport::SharedBackoff::new(s)));
        let transport = Transport::new(config)?;
        let mage_id = Arc::new(RwLock::new(None));
        let source = SessionSource {
            transport: transport.clone(),
            basic: SessionSource::basic_authorization(&app_id, &app_secret),
            requested_ttl: self.token_lifetime,
            mage_id: mage_id.clone(),
        };
        let tokens = match store {
            // One session per key and host: a sandbox session is no use in production.
            Some(store) => TokenManager::with_store(source, store, format!("eqp/{}/{app_id}", crate::transport::host_key(&base_url))),
            None => TokenManager::new(source),
        };
        Ok(Client {
            inner: Arc::new(Inner { transport, tokens, mage_id, environment, app_id }),
            options: CallOptions::default(),
        })
    }
}

/// An EQP client. Cheap to clone: clones share the connection pool and the session token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
}

struct Inner {
    transport: Transport,
    tokens: TokenManager,
    mage_id: Arc<RwLock<Option<String>>>,
    environment: Environment,
    app_id: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("eqp::Client")
            .field("base_url", &self.inner.transport.base_url().as_str())
            .field("app_id", &self.inner.app_id)
            .field("app_secret", &"***")
            .field("mage_id", &self.mage_id())
            .finish()
    }
}

impl Client {
    /// A client from the environment (see [`ClientBuilder::env_defaults`]).
    pub fn from_env() -> Result<Client> {
        Client::builder().env_defaults().build()
    }

    /// A builder with every setting at its default; [`ClientBuilder::app_id`] and
    /// [`ClientBuilder::app_secret`] are required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the same account with other per-call settings; it shares the connection
    /// pool and the session token with this one (`client.with_options(...).users().get(None)`).
    /// Options left `None` keep this client's.
    ///
    /// # Errors
    ///
    /// Invalid input for `timeout` (zero) or `max_retries` (above 10).
    pub fn with_options(&self, options: CallOptions) -> Result<Client> {
        options.validate()?;
        let merged = CallOptions {
            timeout: options.timeout.or(self.options.timeout),
            max_retries: options.max_retries.or(self.options.max_retries),
        };
        Ok(Client { inner: self.inner.clone(), options: merged })
    }

    /// Profile of the key's account: read, update, callbacks.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }

    /// Uploads, file records and malware scans.
    pub fn files(&self) -> super::files::Files<'_> {
        super::files::Files { client: self }
    }

    /// Package submissions: batches, reads, lists and the review workflow.
    pub fn packages(&self) -> super::packages::Packages<'_> {
        super::packages::Packages { client: self }
    }

    /// Test results of submissions.
    pub fn test_results(&self) -> super::test_results::TestResults<'_> {
        super::test_results::TestResults { client: self }
    }

    /// Marketplace metrics.
    pub fn reports(&self) -> super::reports::Reports<'_> {
        super::reports::Reports { client: self }
    }

    /// The account id, known after the first authenticated call (see [`Client::authenticate`]).
    pub fn mage_id(&self) -> Option<String> {
        self.inner.mage_id.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Obtain a session token now (if none is cached) and return the account's `mage_id`.
    ///
    /// # Errors
    ///
    /// An authentication error when the token endpoint refuses the key; otherwise the
    /// transport's errors (connection, timeout, server).
    pub async fn authenticate(&self) -> Result<String> {
        self.inner.tokens.get().await?;
        self.mage_id().ok_or_else(|| Error::new(ErrorKind::Internal, "no mage_id after authenticating"))
    }

    /// The base URL every path is joined to (with a trailing `/`).
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url().as_str()
    }

    /// The application id of the access key (not a secret).
    pub fn app_id(&self) -> &str {
        &self.inner.app_id
    }

    /// The environment named in the builder ([`Environment::Production`] when none was). With a
    /// `base_url`, the name is kept but the base URL is what is called.
    pub fn environment(&self) -> Environment {
        self.inner.environment
    }

    /// How many session tokens this client has requested.
    pub fn token_requests(&self) -> u64 {
        self.inner.tokens.fetch_count()
    }

    /// Call any endpoint with the client's auth, retries and errors. `path` is relative to the
    /// base URL (`/rest/v1/...`); the decoded JSON is returned (`null` for an empty body).
    /// `method` is one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD` (any case); POST and
    /// PATCH are not repeated once they may have reached the server.
    ///
    /// # Errors
    ///
    /// Invalid input for `method` (unsupported) or `path` (not starting with `/`, or an absolute
    /// URL on another host); otherwise the errors of any call.
    pub async fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let method = crate::transport::parse_method(method)?;
        let mut req = Request::new(method, path);
        if let Some(body) = body {
            req = req.json(body)?;
        }
        self.send(req).await?.json()
    }

    /// Send with a valid session token; on a 401, drop that token, refresh once and replay once.
    pub(crate) async fn send(&self, mut req: Request) -> Result<Response> {
        // A bad path is refused before a token is fetched for it.
        self.inner.transport.url_for(&req.path)?;
        if req.timeout.is_none() {
            req.timeout = self.options.timeout;
        }
        req.max_retries = req.max_retries.or(self.options.max_retries);
        send_authorized(&self.inner.transport, &self.inner.tokens, req, |_, refresh| refresh).await
    }

    /// `mage_id`, authenticating first if needed.
    pub(crate) async fn require_mage_id(&self) -> Result<String> {
        match self.mage_id() {
            Some(id) => Ok(id),
            None => self.authenticate().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused_before_anything_is_sent() {
        let ok = || Client::builder().app_id("id").app_secret("secret");
        assert_eq!(Client::builder().app_secret("s").build().unwrap_err().field(), Some("app_id"));
        assert_eq!(Client::builder().app_id("  ").app_secret("s").build().unwrap_err().field(), Some("app_id"));
        assert_eq!(Client::builder().app_id("id").build().unwrap_err().field(), Some("app_secret"));
        assert_eq!(ok().environment_name("staging").build().unwrap_err().field(), Some("environment"));
        assert_eq!(ok().base_url("http://example.com").build().unwrap_err().field(), Some("base_url"));
        assert_eq!(ok().timeout(Duration::ZERO).build().unwrap_err().field(), Some("timeout"));
        assert_eq!(ok().max_retries(11).build().unwrap_err().field(), Some("max_retries"));
        assert!(ok().base_url("http://127.0.0.1:9").build().is_ok());
    }

    #[test]
    fn default_hosts_are_the_adobe_ones() {
        let c = Client::builder().app_id("id").app_secret("s").build().unwrap();
        assert_eq!(c.base_url(), "https://commercedeveloper-api.adobe.com/");
        let c = Client::builder().app_id("id").app_secret("s").environment(Environment::LegacySandbox).build().unwrap();
        assert_eq!(c.base_url(), "https://developer-stg-api.magento.com/");
    }

    #[test]
    fn debug_hides_the_secret() {
        let c = Client::builder().app_id("id").app_secret("very-secret-value").build().unwrap();
        let s = format!("{c:?}");
        assert!(!s.contains("very-secret-value"), "{s}");
        assert!(s.contains("***"));
    }
}
