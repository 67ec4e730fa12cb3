//! The Marktplaats client and its builder.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use url::Url;

use super::categories::CategoryCache;
use super::oauth::{AuthState, ClientCredentialsSource, Grant, UserTokenSource};
use super::versions::{path_for, ApiVersion};
use crate::auth::oauth2::{build_authorization_url, OnToken, TokenEndpoint, TokenSet};
use crate::auth::{send_authorized, TokenManager};
use crate::error::{Error, ErrorKind, Result};
use crate::locale::{resolve_for, Locale, MarktplaatsEnvironment, Platform};
use crate::secret::Secret;
use crate::transport::{parse_base_url, Body, CallOptions, HttpSettings, Request, Response, Transport, TransportConfig};

/// Media type of every Marktplaats resource (HAL JSON).
pub const MEDIA_TYPE: &str = "application/hal+json";
/// The `Accept` header of every call: without `application/json` the servers cannot report an
/// expired token and answer 406 instead.
pub const ACCEPT: &str = "application/hal+json, application/json";
/// `Content-Type` of JSON Patch bodies.
pub const PATCH_MEDIA_TYPE: &str = "application/json-patch+json";
/// Path of the token endpoint below the auth server.
pub const TOKEN_PATH: &str = "/accounts/oauth/token";
/// Path of the authorization endpoint below the auth server.
pub const AUTHORIZE_PATH: &str = "/accounts/oauth/authorize";

/// The environment variable of the client id.
pub const ENV_CLIENT_ID: &str = "SELLKIT_MP_CLIENT_ID";
/// The environment variable of the client secret.
pub const ENV_CLIENT_SECRET: &str = "SELLKIT_MP_CLIENT_SECRET";
/// The environment variable of a stored refresh token.
pub const ENV_REFRESH_TOKEN: &str = "SELLKIT_MP_REFRESH_TOKEN";
/// The environment variable of the platform (`marktplaats`, `2dehands`, `2ememain`).
pub const ENV_PLATFORM: &str = "SELLKIT_MP_PLATFORM";
/// The environment variable of a custom API base URL.
pub const ENV_BASE_URL: &str = "SELLKIT_MP_BASE_URL";
/// The environment variable of a custom authorization server.
pub const ENV_AUTH_BASE_URL: &str = "SELLKIT_MP_AUTH_BASE_URL";

/// Builds a [`Client`]; every setting is checked in [`ClientBuilder::build`], before any request.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    platform: Option<String>,
    environment: Option<String>,
    base_url: Option<String>,
    auth_base_url: Option<String>,
    token_url: Option<String>,
    authorize_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    access_token: Option<Secret>,
    access_token_expires_in: Option<u64>,
    refresh_token: Option<Secret>,
    on_token: Option<OnToken>,
    locale: Option<String>,
    accept_language: Option<String>,
    api_version: Option<String>,
    validate: Option<bool>,
    category_cache_ttl: Option<Duration>,
    http: HttpSettings,
    token_store: Option<String>,
    token_store_user: Option<String>,
}

/// How long category data (the tree and each leaf's attribute definitions) is kept by default:
/// the API changes attributes a few times a year, announced ahead.
pub const CATEGORY_CACHE_TTL: Duration = Duration::from_secs(3600);

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("marktplaats::ClientBuilder")
            .field("platform", &self.platform)
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// `marktplaats` (default), `2dehands` or `2ememain`.
    pub fn platform(mut self, p: Platform) -> Self {
        self.platform = Some(p.as_str().to_owned());
        self
    }
    /// The platform by name.
    pub fn platform_name(mut self, p: impl Into<String>) -> Self {
        self.platform = Some(p.into());
        self
    }
    /// `production` (default) or `sandbox` (see [`crate::locale`] for the sandbox hosts).
    pub fn environment(mut self, e: MarktplaatsEnvironment) -> Self {
        self.environment = Some(e.as_str().to_owned());
        self
    }
    /// The environment by name: `production` (or `prod`) or `sandbox`.
    pub fn environment_name(mut self, e: impl Into<String>) -> Self {
        self.environment = Some(e.into());
        self
    }
    /// Any API base URL (wins over platform and environment). The auth server then defaults to
    /// the same URL, as in the simulator; set [`ClientBuilder::auth_base_url`] otherwise.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// The OAuth2 server (`/accounts/oauth/{authorize,token}` below it).
    pub fn auth_base_url(mut self, url: impl Into<String>) -> Self {
        self.auth_base_url = Some(url.into());
        self
    }
    /// The token endpoint itself (wins over `auth_base_url`).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }
    /// The authorization endpoint itself (wins over `auth_base_url`).
    pub fn authorize_url(mut self, url: impl Into<String>) -> Self {
        self.authorize_url = Some(url.into());
        self
    }
    /// The OAuth2 client id Marktplaats registered for the application. Needed for
    /// authorization URLs and every token request.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }
    /// The OAuth2 client secret (a [`Secret`]: never printed). Needed for every token request.
    pub fn client_secret(mut self, s: impl Into<Secret>) -> Self {
        self.client_secret = Some(s.into());
        self
    }
    /// Start from a stored access token; it is used until it expires (`expires_in`, when known)
    /// or the server refuses it; then the refresh token, if any, gets a new one.
    pub fn access_token(mut self, t: impl Into<Secret>) -> Self {
        self.access_token = Some(t.into());
        self
    }
    /// Seconds the stored access token stays valid from now.
    pub fn access_token_expires_in(mut self, seconds: u64) -> Self {
        self.access_token_expires_in = Some(seconds);
        self
    }
    /// Start from a stored refresh token (with `client_id` and `client_secret`).
    pub fn refresh_token(mut self, t: impl Into<Secret>) -> Self {
        self.refresh_token = Some(t.into());
        self
    }
    /// Receives every new token set before its access token is used (persist the refresh token
    /// there). An error from it fails the call that needed the token.
    pub fn on_token(mut self, f: impl Fn(&TokenSet) -> Result<()> + Send + Sync + 'static) -> Self {
        self.on_token = Some(Arc::new(f));
        self
    }
    /// The same, from an `Arc` (for the bindings).
    pub fn on_token_arc(mut self, f: OnToken) -> Self {
        self.on_token = Some(f);
        self
    }
    /// The user's locale preference, as far as the caller knows it (see [`Client::resolve_locale`]).
    /// On 2dehands/2ememain a new advertisement without its own `locale` is sent with this one.
    pub fn locale(mut self, l: impl Into<String>) -> Self {
        self.locale = Some(l.into());
        self
    }
    /// `Accept-Language` of every call (`nl`, `en`): the language of error messages and labels.
    pub fn accept_language(mut self, l: impl Into<String>) -> Self {
        self.accept_language = Some(l.into());
        self
    }
    /// `v1` (the default) or `v2`: see [`super::versions`] for which endpoints move to `/v2`.
    pub fn api_version(mut self, v: ApiVersion) -> Self {
        self.api_version = Some(v.as_str().to_owned());
        self
    }
    /// The API version by name (`v1`, `v2`).
    pub fn api_version_name(mut self, v: impl Into<String>) -> Self {
        self.api_version = Some(v.into());
        self
    }
    /// Whether `ads().create`, `replace`, `patch` and `update_from` check an ad against its
    /// category before sending it (`true` by default; see [`super::ads::Ads::validate`]). Each
    /// call can say otherwise ([`super::ads::Ads::with_validation`]).
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = Some(on);
        self
    }
    /// How long the category tree and each leaf's attribute definitions are kept once read
    /// (1 hour by default; zero reads them for every call that needs them).
    pub fn category_cache_ttl(mut self, ttl: Duration) -> Self {
        self.category_cache_ttl = Some(ttl);
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
    /// Retries after the first attempt (2 by default; 0 disables; at most 10).
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
    /// Appended to the `User-Agent` (`my-shop/2.1`).
    pub fn user_agent_suffix(mut self, s: impl Into<String>) -> Self {
        self.http.user_agent_suffix = Some(s.into());
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

    /// Where the tokens are kept: `memory:` (the default: this client's own),
    /// `file:///absolute/path.json` (the processes of one machine) or `redis://host:port/db`
    /// (many machines). Every client sharing a store, platform, client id and user refreshes
    /// once for all, never with a spent refresh token, and waits out a `Retry-After` any of them
    /// received (see [`crate::store`] and [`crate::auth::shared`]). Tokens in the store win over
    /// a `refresh_token` or `access_token` given here, which only start an empty store.
    pub fn token_store(mut self, url: impl Into<String>) -> Self {
        self.token_store = Some(url.into());
        self
    }

    /// Whose tokens these are in the token store (`default` when not given): name each seller
    /// when one application keeps several sellers' tokens in one store.
    pub fn token_store_user(mut self, user: impl Into<String>) -> Self {
        self.token_store_user = Some(user.into());
        self
    }

    /// Every setting not given yet taken from the environment: `SELLKIT_MP_CLIENT_ID`,
    /// `SELLKIT_MP_CLIENT_SECRET`, `SELLKIT_MP_REFRESH_TOKEN`, `SELLKIT_MP_PLATFORM`,
    /// `SELLKIT_MP_BASE_URL`, `SELLKIT_MP_AUTH_BASE_URL`, `SELLKIT_TOKEN_STORE` (an empty
    /// variable counts as unset). Settings given in code win.
    pub fn env_defaults(mut self) -> Self {
        use crate::env::var;
        self.token_store = self.token_store.or_else(|| var(crate::store::ENV_TOKEN_STORE));
        self.client_id = self.client_id.or_else(|| var(ENV_CLIENT_ID));
        self.client_secret = self.client_secret.or_else(|| var(ENV_CLIENT_SECRET).map(Secret::new));
        self.refresh_token = self.refresh_token.or_else(|| var(ENV_REFRESH_TOKEN).map(Secret::new));
        self.platform = self.platform.or_else(|| var(ENV_PLATFORM));
        self.base_url = self.base_url.or_else(|| var(ENV_BASE_URL));
        self.auth_base_url = self.auth_base_url.or_else(|| var(ENV_AUTH_BASE_URL));
        self
    }

    /// Check every setting and make the client. Nothing is sent: the first call fetches a token
    /// when it needs one.
    ///
    /// # Errors
    ///
    /// Invalid input naming the setting:
    /// - `platform`: not `marktplaats`, `2dehands` or `2ememain` (or their domains);
    /// - `environment`: not `production` or `sandbox`;
    /// - `base_url`, `auth_base_url`, `token_url`, `authorize_url`: not a URL, or not `https://`
    ///   (plain `http://` only for loopback);
    /// - `client_id`: empty or with control characters, or missing while a `refresh_token` is
    ///   given (as is a `client_secret`);
    /// - `client_secret`: blank;
    /// - `access_token`, `refresh_token`: blank, or with spaces or control characters;
    /// - `access_token_expires_in`: zero;
    /// - `locale`: not a locale of the platform (code `invalid-locale`);
    /// - `token_store`: not `memory:`, `file:///absolute/path`, `redis://` or `rediss://`;
    /// - `token_store_user`: blank or with control characters;
    /// - `accept_language`: blank or not printable ASCII;
    /// - `api_version`: not `v1` or `v2`;
    /// - `timeout`, `connect_timeout`, `upload_timeout`, `max_response_bytes`: zero;
    ///   `max_retries`: above 10; `user_agent_suffix`: not printable ASCII on one line.
    pub fn build(self) -> Result<Client> {
        let platform: Platform = match &self.platform {
            Some(p) => p.parse()?,
            None => Platform::Marktplaats,
        };
        let environment: MarktplaatsEnvironment = match &self.environment {
            Some(e) => e.parse()?,
            None => MarktplaatsEnvironment::default(),
        };
        let base_url = match &self.base_url {
            Some(u) => parse_base_url("base_url", u)?,
            None => parse_base_url("platform", platform.api_base_url(environment))?,
        };
        let auth_base = match (&self.auth_base_url, &self.base_url) {
            (Some(u), _) => parse_base_url("auth_base_url", u)?,
            (None, Some(_)) => base_url.clone(),
            (None, None) => parse_base_url("platform", platform.auth_base_url(environment))?,
        };
        let join = |base: &Url, path: &str| format!("{}{}", base.as_str().trim_end_matches('/'), path);
        let token_url = endpoint_url("token_url", self.token_url.as_deref(), &join(&auth_base, TOKEN_PATH))?;
        let authorize_url = endpoint_url("authorize_url", self.authorize_url.as_deref(), &join(&auth_base, AUTHORIZE_PATH))?;

        if let Some(id) = &self.client_id {
            if id.trim().is_empty() || id.chars().any(char::is_control) {
                return Err(Error::invalid_input("client_id", "must not be empty or contain control characters"));
            }
        }
        if self.client_secret.as_ref().is_some_and(|s| s.expose().trim().is_empty()) {
            return Err(Error::invalid_input("client_secret", "must not be empty"));
        }
        for (field, t) in [("access_token", &self.access_token), ("refresh_token", &self.refresh_token)] {
            if let Some(t) = t {
                if t.expose().trim().is_empty() || t.expose().chars().any(|c| c.is_control() || c == ' ') {
                    return Err(Error::invalid_input(field, "must not be empty or contain spaces or control characters"));
                }
            }
        }
        if self.refresh_token.is_some() {
            if self.client_id.is_none() {
                return Err(crate::env::missing("client_id", ENV_CLIENT_ID).prefix_message("a refresh token needs a client id"));
            }
            if self.client_secret.is_none() {
                return Err(crate::env::missing("client_secret", ENV_CLIENT_SECRET).prefix_message("a refresh token needs a client secret"));
            }
        }
        if self.access_token_expires_in == Some(0) {
            return Err(Error::invalid_input("access_token_expires_in", "must be a positive number of seconds"));
        }
        let locale = match &self.locale {
            Some(l) => Some(platform.check_locale("locale", l)?),
            None => None,
        };
        if let Some(al) = &self.accept_language {
            if al.trim().is_empty() || !al.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                return Err(Error::invalid_input("accept_language", "must be a language tag list such as \"nl\" or \"en, nl;q=0.5\""));
            }
        }
        let api_version: ApiVersion = match &self.api_version {
            Some(v) => v.parse()?,
            None => ApiVersion::default(),
        };
        if self.token_store_user.as_ref().is_some_and(|u| u.trim().is_empty() || u.chars().any(char::is_control)) {
            return Err(Error::invalid_input("token_store_user", "must not be empty or contain control characters"));
        }
        let store = match &self.token_store {
            Some(url) if !crate::store::is_memory("token_store", url)? => Some(crate::store::open("token_store", url)?),
            _ => None,
        };
        let mut config = self.http.config(base_url.clone())?;
        config.backoff = store.clone().map(|s| Arc::new(crate::transport::SharedBackoff::new(s)));
        let transport = Transport::new(config.clone())?;
        let mut token_origin = token_url.clone();
        token_origin.set_path("");
        token_origin.set_query(None);
        let auth_transport = Transport::new(TransportConfig { base_url: token_origin, ..config })?;
        let endpoint = TokenEndpoint::new(auth_transport, &token_url, self.client_id.clone(), self.client_secret);
        let grant = match self.refresh_token {
            Some(rt) => Grant::RefreshToken(rt),
            None => Grant::None,
        };
        let auth = Arc::new(AuthState::new(
            endpoint,
            self.on_token,
            grant,
            self.access_token.map(|t| (t, self.access_token_expires_in)),
        ));
        // Tokens are the platform's and the authorization server's, for one application and user.
        let store_key = format!(
            "mp/{}/{}/{}",
            platform.as_str(),
            crate::transport::host_key(&token_url),
            self.client_id.as_deref().unwrap_or("-"),
        );
        let user_key = format!("{store_key}/user/{}", self.token_store_user.as_deref().unwrap_or("default"));
        let user_source = UserTokenSource::new(auth.clone());
        let tokens = match &store {
            Some(store) => TokenManager::with_store(user_source, store.clone(), user_key),
            None => TokenManager::new(user_source),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                platform,
                environment,
                locale,
                accept_language: self.accept_language,
                authorize_url,
                client_id: self.client_id,
                tokens,
                auth,
                store: store.map(|s| (s, store_key)),
                client_tokens: tokio::sync::Mutex::new(HashMap::new()),
                api_version,
                validate: self.validate.unwrap_or(true),
                categories: CategoryCache::new(self.category_cache_ttl.unwrap_or(CATEGORY_CACHE_TTL)),
                sync_memory: std::sync::OnceLock::new(),
            }),
            options: CallOptions::default(),
        })
    }
}

fn endpoint_url(field: &str, given: Option<&str>, default: &str) -> Result<Url> {
    let raw = given.unwrap_or(default);
    let url = Url::parse(raw.trim()).map_err(|e| Error::invalid_input(field, format!("not a valid URL ({e})")))?;
    // The same rules as a base URL (https or loopback), checked on the URL without its path.
    let mut origin = url.clone();
    origin.set_path("");
    origin.set_query(None);
    parse_base_url(field, origin.as_str())?;
    Ok(url)
}

/// A Marktplaats / 2dehands / 2ememain client. Cheap to clone: clones share the connection pool
/// and the tokens.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
}

struct Inner {
    transport: Transport,
    platform: Platform,
    environment: MarktplaatsEnvironment,
    locale: Option<Locale>,
    accept_language: Option<String>,
    authorize_url: Url,
    client_id: Option<String>,
    auth: Arc<AuthState>,
    /// The user's token (authorization code / refresh token / stored access token), or the
    /// client's own after [`Client::authenticate_client`].
    tokens: TokenManager,
    /// Client-credentials tokens for the operations that need one (`create_account`,
    /// `confirm_upcall`), one manager per scope set.
    client_tokens: tokio::sync::Mutex<HashMap<String, Arc<TokenManager>>>,
    /// The shared token store and this application's key prefix in it.
    store: Option<(Arc<dyn crate::store::Store>, String)>,
    api_version: ApiVersion,
    /// Whether ads are checked against their category before they are sent, unless a call says.
    validate: bool,
    /// The category tree and attribute definitions read so far (shared by clones).
    categories: CategoryCache,
    /// The `memory:` state store of `ads().sync` (one per client, so that runs see each other).
    sync_memory: std::sync::OnceLock<Arc<dyn crate::store::Store>>,
}

impl Client {
    /// The state store `memory:` names for [`crate::marktplaats::ads::Ads::sync`]: private to
    /// this client and its clones, kept as long as they are.
    pub(crate) fn sync_memory_store(&self) -> Arc<dyn crate::store::Store> {
        self.inner.sync_memory.get_or_init(|| Arc::new(crate::store::MemoryStore::new())).clone()
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("marktplaats::Client")
            .field("platform", &self.inner.platform)
            .field("base_url", &self.inner.transport.base_url().as_str())
            .field("client_id", &self.inner.client_id)
            .field("client_secret", &"***")
            .finish()
    }
}

impl Client {
    /// A client from the environment (see [`ClientBuilder::env_defaults`]).
    pub fn from_env() -> Result<Client> {
        Client::builder().env_defaults().build()
    }

    /// A builder with every setting at its default (Marktplaats, production, no credentials).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the same account with other per-call settings (shares pool and tokens).
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

    /// The platform the client was built for.
    pub fn platform(&self) -> Platform {
        self.inner.platform
    }
    /// The environment named in the builder (production when none was; with a `base_url`, the
    /// name is kept but the base URL is what is called).
    pub fn environment(&self) -> MarktplaatsEnvironment {
        self.inner.environment
    }
    /// The API base URL every path is joined to (with a trailing `/`).
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url().as_str()
    }
    /// The API version the client speaks (see [`super::versions`]).
    pub fn api_version(&self) -> ApiVersion {
        self.inner.api_version
    }
    /// Whether ads are checked against their category before they are sent (the builder's
    /// `validate`, `true` by default).
    pub fn validates(&self) -> bool {
        self.inner.validate
    }
    pub(crate) fn category_cache(&self) -> &CategoryCache {
        &self.inner.categories
    }
    /// The OAuth2 token endpoint this client uses.
    pub fn token_url(&self) -> String {
        self.inner.auth.token_url()
    }
    /// The user's locale preference given to the builder.
    pub fn locale(&self) -> Option<Locale> {
        self.inner.locale
    }
    /// The locale an entity with `entity_locale` gets on this client's platform (see
    /// [`crate::locale::resolve`]), with the builder's `locale` as the user's preference.
    ///
    /// # Errors
    ///
    /// Invalid input for `locale` (code `invalid-locale`) when `entity_locale` is not a locale of
    /// the platform.
    pub fn resolve_locale(&self, entity_locale: Option<&str>) -> Result<Locale> {
        // The caller's argument is `locale` here (`entity_locale` in the free function).
        if let Some(l) = entity_locale.filter(|l| !l.trim().is_empty()) {
            return self.inner.platform.check_locale("locale", l);
        }
        resolve_for(self.inner.platform, None, self.inner.locale.map(|l| l.as_str()))
    }
    /// How many user tokens this client has fetched (refreshes and grants, not the code exchange).
    pub fn token_requests(&self) -> u64 {
        self.inner.tokens.fetch_count()
    }

    /// The URL to send the user to, and the random `state` to compare with the one the redirect
    /// brings back. Scopes default to `read write`.
    ///
    /// # Errors
    ///
    /// Invalid input for `client_id` (not configured), `redirect_uri` (empty or not an absolute
    /// URL), `scopes` (an empty scope or one with whitespace) or `state` (given but blank).
    pub fn authorization_url(&self, redirect_uri: &str, scopes: Option<&[String]>, state: Option<&str>) -> Result<(String, String)> {
        let client_id = self.inner.client_id.as_deref().ok_or_else(|| Error::invalid_input("client_id", "is required for an authorization URL"))?;
        let default = default_scopes();
        build_authorization_url(&self.inner.authorize_url, client_id, redirect_uri, scopes.unwrap_or(&default), state)
    }

    /// Trade the `code` of the redirect for tokens (`grant_type=authorization_code`); the client
    /// uses them from now on. `on_token` sees them first.
    ///
    /// # Errors
    ///
    /// Invalid input for `code` (empty), `redirect_uri`, `client_id` or `client_secret` (not
    /// configured); an authentication error when the auth server refuses the code; the
    /// `on_token` callback's error (the tokens are then not used). A code is never sent twice.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<TokenSet> {
        let (set, token) = self.inner.auth.exchange_code(code, redirect_uri).await?;
        self.inner.tokens.install(token, || self.inner.auth.notify(&set)).await?;
        Ok(set)
    }

    /// Get a client-credentials token (`create_account`, `confirm_upcall`, ...) and use it for
    /// every call from now on, instead of a user's token.
    ///
    /// # Errors
    ///
    /// Invalid input for `client_id` or `client_secret` (not configured); an authentication
    /// error when the auth server refuses them; the `on_token` callback's error.
    pub async fn authenticate_client(&self, scopes: &[String]) -> Result<TokenSet> {
        let (set, token) = self.inner.auth.client_credentials_grant(scopes).await?;
        self.inner.auth.set_grant(Grant::ClientCredentials(scopes.to_vec()));
        // The client's own token must not reach the user's workers through the store.
        self.inner.tokens.detach_store();
        self.inner.tokens.install(token, || self.inner.auth.notify(&set)).await?;
        Ok(set)
    }

    /// Make sure a valid token is at hand (fetching one if needed).
    ///
    /// # Errors
    ///
    /// An authentication error with the code `no-token` when the client has nothing to get a
    /// token with (no access token, refresh token, code exchange or client authentication);
    /// otherwise the errors of [`exchange_code`](Self::exchange_code) for a refresh.
    pub async fn authenticate(&self) -> Result<()> {
        self.inner.tokens.get().await.map(|_| ())
    }

    /// Call any endpoint with the client's auth, headers, retries and errors. `path` is relative
    /// to the base URL (`/v1/...`, query allowed) and sent as given, whatever the client's
    /// `api_version`; the decoded JSON is returned (`null` for an empty body). PATCH bodies are sent as `application/json-patch+json`. `method` is one of
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD` (any case).
    ///
    /// # Errors
    ///
    /// Invalid input for `method` (unsupported) or `path` (not starting with `/`, or an absolute
    /// URL on another host); otherwise the errors of any call.
    pub async fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        self.request_with_accept(method, path, body, None).await
    }

    /// [`Client::request`] with another `Accept` header (for testing what a server does with it).
    pub async fn request_with_accept(&self, method: &str, path: &str, body: Option<&Value>, accept: Option<&str>) -> Result<Value> {
        let method = crate::transport::parse_method(method)?;
        let mut req = Request::new(method.clone(), path);
        if let Some(body) = body {
            req = if method == Method::PATCH { req.body(patch_body(body)?) } else { req.json(body)? };
        }
        req.accept = accept.map(str::to_owned);
        // The caller chose the path: no version mapping.
        self.send_with(req, &self.inner.tokens).await?.json()
    }

    /// A request of a resource method, to its path in the client's API version.
    fn versioned(&self, mut req: Request) -> Request {
        if let std::borrow::Cow::Owned(p) = path_for(self.inner.api_version, &req.path) {
            req.path = p;
        }
        req
    }

    /// Send with the user's token, to the path of the client's API version.
    pub(crate) async fn send(&self, req: Request) -> Result<Response> {
        self.send_with(self.versioned(req), &self.inner.tokens).await
    }

    /// Send with a client-credentials token for `scopes` (users.create, upcall confirmations).
    pub(crate) async fn send_as_client(&self, req: Request, scopes: &[&str]) -> Result<Response> {
        let mut scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        scopes.sort();
        let key = scopes.join(" ");
        let manager = {
            let mut map = self.inner.client_tokens.lock().await;
            map.entry(key.clone())
                .or_insert_with(|| {
                    let source = ClientCredentialsSource { auth: self.inner.auth.clone(), scopes, pending: Default::default() };
                    Arc::new(match &self.inner.store {
                        Some((store, prefix)) => TokenManager::with_store(source, store.clone(), format!("{prefix}/client/{}", key.replace(' ', "+"))),
                        None => TokenManager::new(source),
                    })
                })
                .clone()
        };
        self.send_with(self.versioned(req), &manager).await
    }

    /// Headers and options, a valid token; on a 401, drop that token, refresh once, replay once.
    async fn send_with(&self, mut req: Request, tokens: &TokenManager) -> Result<Response> {
        self.inner.transport.url_for(&req.path)?;
        if req.accept.is_none() {
            req.accept = Some(ACCEPT.to_owned());
        }
        if let Some(al) = &self.inner.accept_language {
            req.extra_headers.push(("accept-language", al.clone()));
        }
        if req.timeout.is_none() {
            req.timeout = self.options.timeout;
        }
        req.max_retries = req.max_retries.or(self.options.max_retries);
        send_authorized(&self.inner.transport, tokens, req, explain_refused).await
    }
}

/// Why a refused access token could not be replaced.
fn explain_refused(refused: &Error, refresh_error: Error) -> Error {
    if refresh_error.code() == "no-token" {
        // Nothing to refresh with: the server's 401 is the answer.
        refused.clone().prefix_message("the access token was refused and there is no refresh token to get another")
    } else if refresh_error.kind() == ErrorKind::Authentication {
        refresh_error.prefix_message("the access token was refused and no new one could be had")
    } else {
        refresh_error
    }
}

/// `read write`, the scopes of the documented authorization-code flow.
pub fn default_scopes() -> Vec<String> {
    vec!["read".to_owned(), "write".to_owned()]
}

/// A JSON Patch body (`application/json-patch+json`).
pub(crate) fn patch_body(ops: &Value) -> Result<Body> {
    Ok(Body::Json { content_type: PATCH_MEDIA_TYPE, bytes: bytes::Bytes::from(serde_json::to_vec(ops)?) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_per_platform_and_environment() {
        let c = Client::builder().platform_name("2ememain").build().unwrap();
        assert_eq!(c.base_url(), "https://api.2ememain.be/");
        assert_eq!(c.inner.auth.token_url(), "https://auth.2ememain.be/accounts/oauth/token");
        let c = Client::builder().environment(MarktplaatsEnvironment::Sandbox).build().unwrap();
        assert_eq!(c.base_url(), "https://api.demo.qa-mp.so/");
        assert_eq!(c.inner.auth.token_url(), "https://auth.demo.qa-mp.so/accounts/oauth/token");
        let c = Client::builder().base_url("http://127.0.0.1:9").build().unwrap();
        assert_eq!(c.inner.auth.token_url(), "http://127.0.0.1:9/accounts/oauth/token");
        let c = Client::builder().token_url("https://sso.example.com/t?x=1").build().unwrap();
        assert_eq!(c.inner.auth.token_url(), "https://sso.example.com/t?x=1");
    }

    #[test]
    fn bad_settings_are_refused_naming_the_field() {
        let f = |b: ClientBuilder| b.build().unwrap_err().field().map(str::to_owned);
        assert_eq!(f(Client::builder().platform_name("ebay")).as_deref(), Some("platform"));
        assert_eq!(f(Client::builder().environment_name("staging")).as_deref(), Some("environment"));
        assert_eq!(f(Client::builder().base_url("http://example.com")).as_deref(), Some("base_url"));
        assert_eq!(f(Client::builder().token_url("http://example.com/token")).as_deref(), Some("token_url"));
        assert_eq!(f(Client::builder().refresh_token("r")).as_deref(), Some("client_id"));
        assert_eq!(f(Client::builder().client_id("")).as_deref(), Some("client_id"));
        let e = Client::builder().locale("fr-BE").build().unwrap_err();
        assert_eq!((e.field(), e.code()), (Some("locale"), "invalid-locale"));
        assert!(Client::builder().platform(Platform::TweedeHands).locale("fr-BE").build().is_ok());
        assert_eq!(f(Client::builder().accept_language("nl\n")).as_deref(), Some("accept_language"));
    }

    #[test]
    fn debug_hides_secrets() {
        let b = Client::builder().client_id("id").client_secret("very-secret").refresh_token("refresh-secret");
        let s = format!("{b:?} {:?}", b.clone().build().unwrap());
        assert!(!s.contains("very-secret") && !s.contains("refresh-secret"), "{s}");
    }
}
