//! JS option objects (as JSON text, camelCase keys) → core builder settings.
//!
//! Only conversion: names, milliseconds → `Duration`, JSON types → Rust types. Whether a value
//! is acceptable is decided by the core, whose errors name its own (snake_case) settings; those
//! names are translated back to the option names a JS caller wrote (`app_id` → `appId`).

use std::time::Duration;

use sellkit::eqp::{CallOptions, ClientBuilder};
use sellkit::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// JS option name → core setting name, for every option of `new EqpClient({...})`.
const CLIENT_OPTIONS: [(&str, &str); 11] = [
    ("appId", "app_id"),
    ("appSecret", "app_secret"),
    ("environment", "environment"),
    ("baseUrl", "base_url"),
    ("timeout", "timeout"),
    ("connectTimeout", "connect_timeout"),
    ("uploadTimeout", "upload_timeout"),
    ("maxRetries", "max_retries"),
    ("userAgentSuffix", "user_agent_suffix"),
    ("maxResponseBytes", "max_response_bytes"),
    ("tokenLifetime", "token_lifetime"),
];

/// JS option name → core setting name, for every option of `new MarktplaatsClient({...})`
/// (`onToken` is passed separately, as a function).
const MP_CLIENT_OPTIONS: [(&str, &str); 18] = [
    ("platform", "platform"),
    ("environment", "environment"),
    ("baseUrl", "base_url"),
    ("authBaseUrl", "auth_base_url"),
    ("tokenUrl", "token_url"),
    ("authorizeUrl", "authorize_url"),
    ("clientId", "client_id"),
    ("clientSecret", "client_secret"),
    ("accessToken", "access_token"),
    ("accessTokenExpiresIn", "access_token_expires_in"),
    ("refreshToken", "refresh_token"),
    ("locale", "locale"),
    ("acceptLanguage", "accept_language"),
    ("timeout", "timeout"),
    ("connectTimeout", "connect_timeout"),
    ("maxRetries", "max_retries"),
    ("userAgentSuffix", "user_agent_suffix"),
    ("maxResponseBytes", "max_response_bytes"),
];

/// Build the settings of `new MarktplaatsClient(options)` (without `onToken`).
pub fn mp_client_builder(options_json: &str) -> Result<sellkit::marktplaats::ClientBuilder> {
    let options = Options::parse(options_json, "options", |k| MP_CLIENT_OPTIONS.iter().any(|(js, _)| *js == k))?;
    let mut b = sellkit::marktplaats::Client::builder();
    let s = |name: &str| options.string(name);
    if let Some(v) = s("platform")? {
        b = b.platform_name(v);
    }
    if let Some(v) = s("environment")? {
        b = b.environment_name(v);
    }
    if let Some(v) = s("baseUrl")? {
        b = b.base_url(v);
    }
    if let Some(v) = s("authBaseUrl")? {
        b = b.auth_base_url(v);
    }
    if let Some(v) = s("tokenUrl")? {
        b = b.token_url(v);
    }
    if let Some(v) = s("authorizeUrl")? {
        b = b.authorize_url(v);
    }
    if let Some(v) = s("clientId")? {
        b = b.client_id(v);
    }
    if let Some(v) = s("clientSecret")? {
        b = b.client_secret(v);
    }
    if let Some(v) = s("accessToken")? {
        b = b.access_token(v);
    }
    if let Some(v) = options.whole("accessTokenExpiresIn")? {
        b = b.access_token_expires_in(v);
    }
    if let Some(v) = s("refreshToken")? {
        b = b.refresh_token(v);
    }
    if let Some(v) = s("locale")? {
        b = b.locale(v);
    }
    if let Some(v) = s("acceptLanguage")? {
        b = b.accept_language(v);
    }
    if let Some(v) = options.millis("timeout")? {
        b = b.timeout(v);
    }
    if let Some(v) = options.millis("connectTimeout")? {
        b = b.connect_timeout(v);
    }
    if let Some(v) = options.whole("maxRetries")? {
        b = b.max_retries(u32::try_from(v).unwrap_or(u32::MAX));
    }
    if let Some(v) = s("userAgentSuffix")? {
        b = b.user_agent_suffix(v);
    }
    if let Some(v) = options.whole("maxResponseBytes")? {
        b = b.max_response_bytes(usize::try_from(v).unwrap_or(usize::MAX));
    }
    Ok(b)
}

/// The options `withOptions({...})` and each call's `opts` may set.
const CALL_OPTIONS: [&str; 2] = ["timeout", "maxRetries"];

/// Build the settings of `new EqpClient(options)`.
pub fn client_builder(options_json: &str) -> Result<ClientBuilder> {
    let options = Options::parse(options_json, "options", |k| CLIENT_OPTIONS.iter().any(|(js, _)| *js == k))?;
    let mut b = sellkit::eqp::Client::builder();
    if let Some(v) = options.string("appId")? {
        b = b.app_id(v);
    }
    if let Some(v) = options.string("appSecret")? {
        b = b.app_secret(v);
    }
    if let Some(v) = options.string("environment")? {
        b = b.environment_name(v);
    }
    if let Some(v) = options.string("baseUrl")? {
        b = b.base_url(v);
    }
    if let Some(v) = options.millis("timeout")? {
        b = b.timeout(v);
    }
    if let Some(v) = options.millis("connectTimeout")? {
        b = b.connect_timeout(v);
    }
    if let Some(v) = options.millis("uploadTimeout")? {
        b = b.upload_timeout(v);
    }
    if let Some(v) = options.whole("maxRetries")? {
        b = b.max_retries(u32::try_from(v).unwrap_or(u32::MAX));
    }
    if let Some(v) = options.string("userAgentSuffix")? {
        b = b.user_agent_suffix(v);
    }
    if let Some(v) = options.whole("maxResponseBytes")? {
        b = b.max_response_bytes(usize::try_from(v).unwrap_or(usize::MAX));
    }
    if let Some(v) = options.whole("tokenLifetime")? {
        b = b.token_lifetime(v);
    }
    Ok(b)
}

/// `{timeout, maxRetries}` of `withOptions` or of one call; `None` when neither is set.
pub fn call_options(options_json: &str) -> Result<Option<CallOptions>> {
    let options = Options::parse(options_json, "options", |k| CALL_OPTIONS.contains(&k))?;
    let timeout = options.millis("timeout")?;
    let max_retries = options.whole("maxRetries")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    Ok((timeout.is_some() || max_retries.is_some()).then_some(CallOptions { timeout, max_retries }))
}

/// Name a core setting the way a JS caller spells it. Other errors pass unchanged.
pub fn js_names(e: Error) -> Error {
    if e.kind() != ErrorKind::InvalidInput {
        return e;
    }
    let Some(core_name) = e.field() else { return e };
    let Some((js, _)) = CLIENT_OPTIONS.iter().chain(MP_CLIENT_OPTIONS.iter()).find(|(js, core)| *core == core_name && js != core) else {
        return e;
    };
    let detail = e.details().first().and_then(|d| d.message.clone()).unwrap_or_else(|| e.message().to_owned());
    Error::invalid_input(*js, detail).with_code(e.code().to_owned())
}

struct Options(Map<String, Value>);

impl Options {
    /// A JSON object (or `null`) whose keys are all known option names.
    fn parse(json: &str, what: &str, known: impl Fn(&str) -> bool) -> Result<Options> {
        let map = match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(m)) => m,
            Ok(Value::Null) => Map::new(),
            Ok(_) | Err(_) => return Err(Error::invalid_input(what, "expected an object")),
        };
        if let Some(unknown) = map.keys().find(|k| !known(k)) {
            return Err(Error::invalid_input(unknown.as_str(), "unknown option"));
        }
        Ok(Options(map))
    }

    /// The value of `name`; `null` counts as not set.
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    fn string(&self, name: &str) -> Result<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::invalid_input(name, "expected a string")),
        }
    }

    /// A whole number that is not negative (the core decides what range it accepts).
    fn whole(&self, name: &str) -> Result<Option<u64>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
                (Some(u), _) => Ok(Some(u)),
                (None, Some(f)) if f.fract() == 0.0 && f > 0.0 => Ok(Some(u64::MAX)),
                _ => Err(Error::invalid_input(name, format!("expected a whole number that is not negative, got {n}"))),
            },
            Some(_) => Err(Error::invalid_input(name, "expected a number")),
        }
    }

    /// Milliseconds → `Duration`. Zero or less becomes zero, which the core refuses by name.
    fn millis(&self, name: &str) -> Result<Option<Duration>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                let ms = n.as_f64().unwrap_or(0.0);
                Ok(Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(if ms > 0.0 {
                    Duration::MAX
                } else {
                    Duration::ZERO
                })))
            }
            Some(_) => Err(Error::invalid_input(name, "expected a number of milliseconds")),
        }
    }
}
