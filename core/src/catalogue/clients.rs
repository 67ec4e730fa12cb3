//! How each client is made, and the settings a call may override: declared like operations, so
//! that the Python and Node constructors are derived from here too.

use crate::auth::oauth2::OnToken;
use crate::transport::{CallOptions, HttpSettings};

use super::args::{Arg, Carrier, Param, Seconds};
use super::{Args, ParamDef, ParamSpec};
use crate::error::{Error, Result};
use crate::model::{DecodeError, Describe, Field, Mode, Path, Registry, Ty};

/// How a client (or a set of call settings) is made from named arguments.
pub struct Constructor<T> {
    /// What the client is.
    pub doc: &'static str,
    /// Its settings (all by name).
    pub params: &'static [ParamSpec],
    /// Its settings with types and docs.
    pub describe_params: fn(&mut Registry) -> Vec<ParamDef>,
    /// Check the settings and make it (nothing is sent).
    pub build: fn(Args) -> Result<T>,
}

impl<T> Constructor<T> {
    /// Make it from JSON settings (for tests and tools).
    pub fn build_json(&self, settings: serde_json::Value) -> Result<T> {
        (self.build)(Args::from_json(settings)?)
    }
}

/// Declares a [`Constructor`]: `doc; (settings...) -> Type = body`, the body seeing every
/// setting as an `Option` local.
macro_rules! constructor {
    (
        $(#[doc = $doc:literal])*
        $name:ident: $out:ty = ( $( $(#[doc = $odoc:literal])* $opt:ident : $oty:ty ),* $(,)? ) => $body:expr
    ) => {
        $(#[doc = $doc])*
        pub static $name: Constructor<$out> = Constructor {
            doc: concat!($($doc, "\n"),*),
            params: &[$( ParamSpec { name: stringify!($opt), required: false, carrier: <$oty as Param>::CARRIER }, )*],
            describe_params: {
                fn describe(reg: &mut Registry) -> Vec<ParamDef> {
                    vec![$( ParamDef {
                        name: stringify!($opt),
                        required: false,
                        ty: <$oty as Describe>::describe(reg),
                        doc: crate::model::doc(&[$($odoc),*]),
                    }, )*]
                }
                describe
            },
            build: {
                fn build(mut args: Args) -> Result<$out> {
                    $( let $opt: Option<$oty> = args.optional(stringify!($opt))?; )*
                    args.finish(&[$(stringify!($opt)),*])?;
                    Ok($body)
                }
                build
            },
        };
    };
}

/// The names a [`Name`] setting takes.
pub trait Names {
    /// Every name, as the generated types offer them.
    const NAMES: &'static [&'static str];
}

/// A setting that is one of a fixed set of names (`environment`, `platform`), kept as text: the
/// client's builder reads it, and its error names the setting and the names it takes. Described
/// as the set, so that the generated Python and TypeScript types offer those names only.
pub struct Name<N>(pub String, std::marker::PhantomData<fn() -> N>);

impl<N> Field for Name<N> {
    fn decode(v: &serde_json::Value, path: &Path<'_>) -> std::result::Result<Self, DecodeError> {
        String::decode(v, path).map(|s| Name(s, std::marker::PhantomData))
    }
    fn encode<S: serde::Serializer>(&self, s: S, _: Mode) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<N: Names> Describe for Name<N> {
    fn describe(_: &mut Registry) -> Ty {
        Ty::Literal(N::NAMES)
    }
}

/// The EQP environments.
pub enum EqpEnvironments {}
impl Names for EqpEnvironments {
    const NAMES: &'static [&'static str] = &["production", "sandbox", "legacy-production", "legacy-sandbox"];
}

/// The Marktplaats environments.
pub enum MarktplaatsEnvironments {}
impl Names for MarktplaatsEnvironments {
    const NAMES: &'static [&'static str] = &["production", "sandbox"];
}

/// The Marktplaats API versions.
pub enum ApiVersions {}
impl Names for ApiVersions {
    const NAMES: &'static [&'static str] = &["v1", "v2"];
}

/// The Marktplaats platforms.
pub enum Platforms {}
impl Names for Platforms {
    const NAMES: &'static [&'static str] = &["marktplaats", "2dehands", "2ememain"];
}

/// The `on_token` callback of a Marktplaats client.
pub struct TokenCallback(pub OnToken);

impl Describe for TokenCallback {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::Callback(Box::new(crate::auth::oauth2::TokenSet::describe(reg)))
    }
}

impl Param for TokenCallback {
    const CARRIER: Carrier = Carrier::Callback;
    fn from_arg(arg: Arg, name: &str) -> Result<Self> {
        match arg {
            Arg::OnToken(f) => Ok(TokenCallback(f)),
            other => Err(Error::invalid_input(name, format!("expected a function, got {other:?}"))),
        }
    }
}

/// The HTTP settings both constructors take.
#[allow(clippy::too_many_arguments)]
fn http(
    timeout: Option<Seconds>,
    connect_timeout: Option<Seconds>,
    upload_timeout: Option<Seconds>,
    max_retries: Option<u32>,
    max_response_bytes: Option<u64>,
    user_agent_suffix: Option<String>,
    proxy: Option<String>,
    ca_bundle: Option<String>,
) -> HttpSettings {
    HttpSettings {
        timeout: timeout.map(|s| s.0),
        connect_timeout: connect_timeout.map(|s| s.0),
        upload_timeout: upload_timeout.map(|s| s.0),
        max_retries,
        user_agent_suffix,
        max_response_bytes: max_response_bytes.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        proxy,
        ca_bundle: ca_bundle.map(Into::into),
    }
}

constructor! {
    /// A client of the EQP API. Nothing is sent until the first call. Settings not given are
    /// read from `SELLKIT_EQP_APP_ID`, `SELLKIT_EQP_APP_SECRET`, `SELLKIT_EQP_ENVIRONMENT`,
    /// `SELLKIT_EQP_BASE_URL` and `SELLKIT_TOKEN_STORE`.
    EQP_CLIENT: crate::eqp::Client = (
        /// The application id of an EQP API access key.
        app_id: String,
        /// Its application secret (never printed, logged or put in an error).
        app_secret: crate::Secret,
        /// `production` (the default), `sandbox`, or the magento.com hosts `legacy-production`
        /// and `legacy-sandbox`.
        environment: Name<EqpEnvironments>,
        /// Any base URL instead (`https://` only, except loopback addresses).
        base_url: String,
        /// Seconds for one attempt, from connecting until the whole response is read (60).
        timeout: Seconds,
        /// Seconds to establish a connection (10).
        connect_timeout: Seconds,
        /// Seconds for one upload attempt (600).
        upload_timeout: Seconds,
        /// Retries after the first attempt (0–10; 2).
        max_retries: u32,
        /// Largest response body read into memory, in bytes (64 MiB); a bigger one fails the
        /// call with a decode error (`response-too-large`).
        max_response_bytes: u64,
        /// Appended to the `User-Agent` (`my-release-bot/1.2`).
        user_agent_suffix: String,
        /// Session lifetime to ask for, in seconds (the server may grant less).
        token_lifetime: u64,
        /// A proxy for every request, loopback included (`http://`, `https://`, `socks5://`).
        /// Without one, the environment's proxies (`HTTPS_PROXY`, `NO_PROXY`) and the system's
        /// apply, never to loopback.
        proxy: String,
        /// A PEM file of certificates to trust besides the system's (a private CA).
        ca_bundle: String,
        /// Where the session token is kept: `memory:` (the default, this client's own),
        /// `file:///absolute/path.json` (processes of one machine) or `redis://host:port/db`
        /// (many machines): every client sharing it fetches one session and waits out a
        /// `Retry-After` any of them received.
        token_store: String,
    ) => {
        let mut b = crate::eqp::Client::builder().http(http(timeout, connect_timeout, upload_timeout, max_retries, max_response_bytes, user_agent_suffix, proxy, ca_bundle));
        if let Some(v) = app_id { b = b.app_id(v); }
        if let Some(v) = app_secret { b = b.app_secret(v); }
        if let Some(v) = environment { b = b.environment_name(v.0); }
        if let Some(v) = base_url { b = b.base_url(v); }
        if let Some(v) = token_lifetime { b = b.token_lifetime(v); }
        if let Some(v) = token_store { b = b.token_store(v); }
        b.env_defaults().build()?
    }
}

constructor! {
    /// A client of the Marktplaats / 2dehands / 2ememain API. Nothing is sent until the first
    /// call. Settings not given are read from `SELLKIT_MP_CLIENT_ID`, `SELLKIT_MP_CLIENT_SECRET`,
    /// `SELLKIT_MP_REFRESH_TOKEN`, `SELLKIT_MP_PLATFORM`, `SELLKIT_MP_BASE_URL`,
    /// `SELLKIT_MP_AUTH_BASE_URL` and `SELLKIT_TOKEN_STORE`.
    MARKTPLAATS_CLIENT: crate::marktplaats::Client = (
        /// `marktplaats` (the default), `2dehands` or `2ememain`.
        platform: Name<Platforms>,
        /// `production` (the default) or `sandbox`.
        environment: Name<MarktplaatsEnvironments>,
        /// Any API base URL instead (`https://` only, except loopback addresses).
        base_url: String,
        /// The authorization server (token and authorize endpoints) instead of the platform's.
        auth_base_url: String,
        /// The token endpoint itself.
        token_url: String,
        /// The authorization endpoint itself.
        authorize_url: String,
        /// Your application's client id.
        client_id: String,
        /// Its client secret (never printed, logged or put in an error).
        client_secret: crate::Secret,
        /// An access token to start with.
        access_token: crate::Secret,
        /// Seconds the `access_token` stays valid.
        access_token_expires_in: u64,
        /// A stored refresh token (needs `client_id` and `client_secret`).
        refresh_token: crate::Secret,
        /// Called with every new token set before its access token is used: persist the
        /// (rotated) refresh token here. An error it raises fails the call.
        on_token: TokenCallback,
        /// The locale of your ads on 2dehands/2ememain (`nl-BE` or `fr-BE`).
        locale: String,
        /// An `Accept-Language` header for every request.
        accept_language: String,
        /// Seconds for one attempt, from connecting until the whole response is read (60).
        timeout: Seconds,
        /// Seconds to establish a connection (10).
        connect_timeout: Seconds,
        /// Retries after the first attempt (0–10; 2).
        max_retries: u32,
        /// Largest response body read into memory, in bytes (64 MiB).
        max_response_bytes: u64,
        /// Appended to the `User-Agent`.
        user_agent_suffix: String,
        /// A proxy for every request, loopback included (`http://`, `https://`, `socks5://`).
        proxy: String,
        /// A PEM file of certificates to trust besides the system's (a private CA).
        ca_bundle: String,
        /// Where the tokens are kept: `memory:` (the default, this client's own),
        /// `file:///absolute/path.json` (processes of one machine) or `redis://host:port/db`
        /// (many machines): every client sharing it refreshes once, never with a spent refresh
        /// token, and waits out a `Retry-After` any of them received. Tokens in the store win
        /// over `refresh_token` and `access_token`, which only start an empty store.
        token_store: String,
        /// Whose tokens these are in the token store (`default`): name each seller when one
        /// application keeps several sellers' tokens in one store.
        token_store_user: String,
        /// `v1` (the default) or `v2`: the API paths to call. Under `v2` every endpoint the v2
        /// docs list goes to `/v2/...`; the few they do not list (category fees, fitments,
        /// seller profile and its images, review settings, user features) stay on `/v1`.
        api_version: Name<ApiVersions>,
        /// Check ads against their category before `ads.create`, `replace`, `patch` and
        /// `update_from` send them (on by default; each of those calls can say
        /// otherwise with its own `validate`).
        validate: bool,
        /// Seconds the category tree and each category's attribute definitions are kept once
        /// read (3600, at most a day).
        category_cache_ttl: Seconds,
    ) => {
        let mut b = crate::marktplaats::Client::builder().http(http(timeout, connect_timeout, None, max_retries, max_response_bytes, user_agent_suffix, proxy, ca_bundle));
        if let Some(v) = platform { b = b.platform_name(v.0); }
        if let Some(v) = environment { b = b.environment_name(v.0); }
        if let Some(v) = base_url { b = b.base_url(v); }
        if let Some(v) = auth_base_url { b = b.auth_base_url(v); }
        if let Some(v) = token_url { b = b.token_url(v); }
        if let Some(v) = authorize_url { b = b.authorize_url(v); }
        if let Some(v) = client_id { b = b.client_id(v); }
        if let Some(v) = client_secret { b = b.client_secret(v); }
        if let Some(v) = access_token { b = b.access_token(v); }
        if let Some(v) = access_token_expires_in { b = b.access_token_expires_in(v); }
        if let Some(v) = refresh_token { b = b.refresh_token(v); }
        if let Some(v) = on_token { b = b.on_token_arc(v.0); }
        if let Some(v) = locale { b = b.locale(v); }
        if let Some(v) = accept_language { b = b.accept_language(v); }
        if let Some(v) = token_store { b = b.token_store(v); }
        if let Some(v) = token_store_user { b = b.token_store_user(v); }
        if let Some(v) = api_version { b = b.api_version_name(v.0); }
        if let Some(v) = validate { b = b.validate(v); }
        if let Some(v) = category_cache_ttl { b = b.category_cache_ttl(v.0); }
        b.env_defaults().build()?
    }
}

constructor! {
    /// Settings one call (or a client derived with `with_options`) may override; the rest are
    /// the client's.
    CALL_OPTIONS: CallOptions = (
        /// Seconds for one attempt.
        timeout: Seconds,
        /// Retries after the first attempt (0–10).
        max_retries: u32,
    ) => {
        let options = CallOptions { timeout: timeout.map(|s| s.0), max_retries };
        options.validate()?;
        options
    }
}
