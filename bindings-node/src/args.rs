//! The arguments of an operation (or a client's settings) from JS: the positional values and the
//! options object that `lib/client.js` encodes (see `lib/encode.js`), mapped onto the
//! catalogue's parameters: positional values to the required parameters in order, option keys
//! by the camelCase spelling of each parameter's name. `timeout` and `maxRetries` that are not
//! parameters of the operation are the call's settings. Buffers, streams and the one callback a
//! call may carry arrive beside the encoded values, as markers inside them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use napi::bindgen_prelude::{Buffer, Function, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use sellkit::catalogue::{Arg, Args, Carrier, ParamSpec, CALL_OPTIONS};
use sellkit::transport::CallOptions;
use sellkit::upload::{Progress, UploadSource};
use sellkit::{Error, ErrorKind};
use serde_json::{Map, Value};

use crate::completions::{EventArgs, JsFunction, ProgressArgs};
use crate::convert::{JsIn, Stream};

/// `(sent, total) => void`, called on the JS thread through the completion queue.
pub type ProgressFn<'scope> = Function<'scope, ProgressArgs, Unknown<'static>>;

/// `(tokenSetJson, ackId) => void`: JS settles the user's callback and calls `tokenAck`.
pub type TokenFn = ThreadsafeFunction<(String, f64), Unknown<'static>, (String, f64), Status, false, true>;

/// `eventJson => void`: an operation's events (a release's steps), called on the JS thread
/// through the completion queue.
pub type EventFn<'scope> = Function<'scope, EventArgs, Unknown<'static>>;

/// The callback a call carries: upload progress, or a client's `onToken`.
pub enum Callback {
    Progress(Arc<JsFunction<ProgressArgs>>),
    Token(TokenFn),
}

/// What came from JS for one call, decoded.
pub struct Incoming {
    pub positional: Vec<Value>,
    pub options: Map<String, Value>,
    buffers: Vec<Option<Buffer>>,
    callback: Option<Callback>,
    /// The same function as `callback`, as an event receiver (JS hands both; the parameter's
    /// carrier decides which is used).
    events: Option<Arc<JsFunction<EventArgs>>>,
}

impl Incoming {
    /// Decode `[positional, options]` from the encoded form, for `params`: a value that cannot
    /// cross (NaN, a BigInt, a value that contains itself) is refused naming the parameter it
    /// was given for (`fields.self`, `askingPrice`), not its place in the call.
    pub fn decode(
        codes: JsIn,
        text: JsIn,
        buffers: Option<Vec<Buffer>>,
        callback: Option<Callback>,
        params: &[ParamSpec],
    ) -> sellkit::Result<Incoming> {
        let mut stream = Stream::new(codes, text)?;
        let named = |e: Error| name_decoded(e, params);
        let positional = match stream.next_value(ARGUMENTS).map_err(named)? {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            _ => return Err(internal("the positional arguments are not an array")),
        };
        let options = match stream.next_value(OPTIONS).map_err(named)? {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => {
                // Most likely one value too many: name what goes before the options.
                let required: Vec<String> = params.iter().filter(|p| p.required).map(|p| camel(p.name)).collect();
                let takes = if required.is_empty() {
                    "no positional arguments".to_owned()
                } else {
                    format!("the positional arguments ({})", required.join(", "))
                };
                let got = match other {
                    Value::Array(_) => "an array",
                    Value::String(_) => "a string",
                    Value::Number(_) => "a number",
                    _ => "a boolean",
                };
                return Err(Error::invalid_input("options", format!("expected an object after {takes}, got {got}")));
            }
        };
        Ok(Incoming { positional, options, buffers: buffers.unwrap_or_default().into_iter().map(Some).collect(), callback, events: None })
    }

    /// With the event receiver of the call's function.
    pub fn with_events(mut self, events: Option<Arc<JsFunction<EventArgs>>>) -> Incoming {
        self.events = events;
        self
    }

    /// The arguments for `params`, and the call settings found among the options. An option that
    /// is neither a parameter nor a setting is refused, named as the caller wrote it; errors are
    /// final (their fields spelt for JS).
    pub fn args(mut self, params: &[ParamSpec], settings_allowed: bool) -> sellkit::Result<(Args, Option<CallOptions>)> {
        let mut args = Args::new();
        let positional: Vec<&ParamSpec> = params.iter().filter(|p| p.required).collect();
        if self.positional.len() > positional.len() {
            return Err(Error::invalid_input(
                "arguments",
                format!("expected at most {} positional argument(s), got {}", positional.len(), self.positional.len()),
            ));
        }
        let values: Vec<Value> = std::mem::take(&mut self.positional);
        // A value that cannot be a parameter's names it as JS spells it; an unknown option is
        // named as the caller wrote it (which may be a parameter's snake_case name).
        let js = |e: Error| in_js_names(e, params);
        for (spec, value) in positional.iter().zip(values) {
            if !value.is_null() {
                let arg = self.arg(spec, value).map_err(js)?;
                args.set(spec.name, arg);
            }
        }
        let mut settings = Map::new();
        let options = std::mem::take(&mut self.options);
        for (key, value) in options {
            if let Some(spec) = params.iter().find(|p| !p.required && camel(p.name) == key) {
                if !value.is_null() {
                    let arg = self.arg(spec, value).map_err(js)?;
                    args.set(spec.name, arg);
                }
            } else if settings_allowed && CALL_OPTIONS.params.iter().any(|p| camel(p.name) == key) {
                settings.insert(key, value);
            } else {
                let mut known: Vec<String> = params.iter().filter(|p| !p.required).map(|p| camel(p.name)).collect();
                if settings_allowed {
                    known.extend(["signal", "timeout", "maxRetries"].map(String::from));
                }
                known.dedup();
                return Err(Error::invalid_input(key, format!("unknown option; expected one of: {}", known.join(", "))));
            }
        }
        let settings = if settings.is_empty() { None } else { Some(call_options(settings)?) };
        Ok((args, settings))
    }

    fn arg(&mut self, spec: &ParamSpec, value: Value) -> sellkit::Result<Arg> {
        let name = spec.name;
        Ok(match spec.carrier {
            Carrier::Json => {
                self.refuse_markers(name, &value)?;
                Arg::Json(value)
            }
            Carrier::Seconds => Arg::Json(millis_to_seconds(value)),
            Carrier::Bytes => match value {
                Value::String(s) => Arg::Bytes(Bytes::from(s)),
                other => Arg::Bytes(self.buffer(name, &other)?),
            },
            Carrier::File => Arg::Files(vec![self.file(name, value)?]),
            Carrier::Files => match value {
                Value::Array(items) => {
                    Arg::Files(items.into_iter().enumerate().map(|(i, v)| self.file(&format!("{name}[{i}]"), v)).collect::<Result<_, _>>()?)
                }
                one => Arg::Files(vec![self.file(&format!("{name}[0]"), one)?]),
            },
            Carrier::Progress => match self.callback.take() {
                Some(Callback::Progress(f)) if is_marker(&value, "$callback") => Arg::Progress(progress(f)),
                _ => return Err(Error::invalid_input(name, "expected a function (sent, total)")),
            },
            Carrier::Callback => match self.callback.take() {
                Some(Callback::Token(f)) if is_marker(&value, "$callback") => Arg::OnToken(on_token(f)),
                _ => return Err(Error::invalid_input(name, "expected a function")),
            },
            Carrier::Events => match self.events.take() {
                Some(f) if is_marker(&value, "$callback") => Arg::Events(events(f)),
                _ => return Err(Error::invalid_input(name, "expected a function (event)")),
            },
        })
    }

    /// The buffer a `{"$buffer": i}` marker stands for.
    fn buffer(&mut self, field: &str, value: &Value) -> sellkit::Result<Bytes> {
        let index = value.get("$buffer").and_then(Value::as_u64).filter(|_| value.as_object().is_some_and(|m| m.len() == 1));
        match index.and_then(|i| self.buffers.get_mut(i as usize)).and_then(Option::take) {
            Some(b) => Ok(Bytes::from(b.to_vec())),
            None => Err(Error::invalid_input(field, "expected a Buffer, a Uint8Array or a string")),
        }
    }

    /// One file: a path, `{filename, data, contentType?}` (data a Buffer, a string or a readable
    /// stream, whose byte `length` may be given beside it), or a readable stream
    /// (`{"$stream": id, "path"?, "filename"?, "length"?}` from `lib/client.js`).
    fn file(&mut self, field: &str, value: Value) -> sellkit::Result<UploadSource> {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        match value {
            Value::String(path) => Ok(UploadSource::path(path)),
            Value::Object(m) if m.contains_key("$stream") => {
                let id = m.get("$stream").and_then(Value::as_u64).ok_or_else(|| internal("a stream marker without an id"))?;
                let open = crate::upload_stream::factory(id as u32)
                    .ok_or_else(|| Error::invalid_input(field, "this stream was already used by another upload"))?;
                let length = m.get("length").and_then(Value::as_u64);
                Ok(UploadSource::reader(text(m.get("path")).map(Into::into), text(m.get("filename")), text(m.get("contentType")), length, open))
            }
            Value::Object(m) if m.contains_key("$buffer") => {
                Err(Error::invalid_input(field, "a Buffer needs a file name: pass {filename, data}"))
            }
            Value::Object(mut m) => {
                let filename = text(m.get("filename"));
                let content_type = text(m.get("contentType"));
                let data = m.remove("data").ok_or_else(|| Error::invalid_input(format!("{field}.data"), "is required"))?;
                if let Value::Object(mut stream) = data {
                    if stream.contains_key("$stream") {
                        // `{filename, data: stream, length?}`: the outer name, type and length win.
                        if let Some(f) = filename {
                            stream.insert("filename".into(), Value::String(f));
                        }
                        if let Some(c) = content_type {
                            stream.insert("contentType".into(), Value::String(c));
                        }
                        match m.remove("length") {
                            Some(n @ Value::Number(_)) if n.as_u64().is_some() => {
                                stream.insert("length".into(), n);
                            }
                            None | Some(Value::Null) => {}
                            Some(_) => return Err(Error::invalid_input(format!("{field}.length"), "expected a whole number of bytes")),
                        }
                        return self.file(field, Value::Object(stream));
                    }
                    let filename = filename.ok_or_else(|| Error::invalid_input(format!("{field}.filename"), "is required"))?;
                    let bytes = self.buffer(&format!("{field}.data"), &Value::Object(stream))?;
                    return Ok(UploadSource::Bytes { filename, content_type, bytes });
                }
                let filename = filename.ok_or_else(|| Error::invalid_input(format!("{field}.filename"), "is required"))?;
                let bytes = match data {
                    Value::String(s) => Bytes::from(s),
                    other => self.buffer(&format!("{field}.data"), &other)?,
                };
                Ok(UploadSource::Bytes { filename, content_type, bytes })
            }
            _ => Err(Error::invalid_input(field, "expected a path, {filename, data} or a readable stream")),
        }
    }

    /// A JSON parameter holding a Buffer or a function would silently become an object.
    fn refuse_markers(&self, field: &str, value: &Value) -> sellkit::Result<()> {
        if self.buffers.is_empty() && self.callback.is_none() {
            return Ok(());
        }
        match value {
            Value::Object(m) if m.len() == 1 && (m.contains_key("$buffer") || m.contains_key("$callback")) => {
                Err(Error::invalid_input(field, "expected a JSON value, not a Buffer or a function"))
            }
            Value::Object(m) => m.iter().try_for_each(|(k, v)| self.refuse_markers(&format!("{field}.{k}"), v)),
            Value::Array(items) => items.iter().enumerate().try_for_each(|(i, v)| self.refuse_markers(&format!("{field}[{i}]"), v)),
            _ => Ok(()),
        }
    }
}

/// What the decoder calls the positional values and the options object.
const ARGUMENTS: &str = "arguments";
const OPTIONS: &str = "options";

/// A decoding error's field in the caller's terms: `arguments[1].x` → the second required
/// parameter (`fields.x`), `options.pageSize` → `pageSize`.
fn name_decoded(e: Error, params: &[ParamSpec]) -> Error {
    e.rename_fields(|field| {
        if let Some(rest) = field.strip_prefix(OPTIONS).and_then(|r| r.strip_prefix('.')) {
            return Some(rest.to_owned());
        }
        let rest = field.strip_prefix(ARGUMENTS)?.strip_prefix('[')?;
        let (index, rest) = rest.split_once(']')?;
        let spec = params.iter().filter(|p| p.required).nth(index.parse().ok()?)?;
        Some(format!("{}{rest}", camel(spec.name)))
    })
}

fn is_marker(value: &Value, key: &str) -> bool {
    value.as_object().is_some_and(|m| m.len() == 1 && m.contains_key(key))
}

fn internal(message: &str) -> Error {
    Error::new(ErrorKind::Internal, message)
}

/// `page_size` → `pageSize`: how Node spells a parameter.
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Milliseconds (how Node gives durations) → seconds (how core reads them).
fn millis_to_seconds(value: Value) -> Value {
    match value.as_f64() {
        Some(ms) if value.is_number() => serde_json::Number::from_f64(ms / 1000.0).map(Value::Number).unwrap_or(value),
        _ => value,
    }
}

/// The call settings `{timeout (ms), maxRetries}`.
pub fn call_options(settings: Map<String, Value>) -> sellkit::Result<CallOptions> {
    let mut args = Args::new();
    for (key, value) in settings {
        let spec = CALL_OPTIONS.params.iter().find(|p| camel(p.name) == key).ok_or_else(|| {
            Error::invalid_input(key.clone(), "unknown setting; expected one of: timeout, maxRetries")
        })?;
        let value = if spec.carrier == Carrier::Seconds { millis_to_seconds(value) } else { value };
        args.set(spec.name, Arg::Json(value));
    }
    (CALL_OPTIONS.build)(args).map_err(|e| in_js_names(e, CALL_OPTIONS.params))
}

/// An error whose fields name parameters (`page_size`, `items[2].price`), spelt the way a JS
/// caller wrote them (`pageSize`, `items[2].price`).
pub fn in_js_names(e: Error, params: &[ParamSpec]) -> Error {
    e.rename_fields(|field| {
        let end = field.find(['.', '[']).unwrap_or(field.len());
        let head = &field[..end];
        params.iter().any(|p| p.name == head).then(|| format!("{}{}", camel(head), &field[end..])).filter(|f| f != field)
    })
}

/// Progress to JS, fire and forget (core throttles the calls).
fn progress(f: Arc<JsFunction<ProgressArgs>>) -> Progress {
    Arc::new(move |sent: u64, total: u64| f.call((sent as f64, total as f64).into()))
}

/// Events to JS as JSON text, fire and forget.
fn events(f: Arc<JsFunction<EventArgs>>) -> sellkit::catalogue::EventSink {
    Arc::new(move |event: Value| f.call((event.to_string(),).into()))
}

/// Token sets handed to JS and not yet acknowledged: id → where the answer goes.
fn pending() -> &'static Mutex<HashMap<u64, mpsc::Sender<Option<String>>>> {
    static PENDING: OnceLock<Mutex<HashMap<u64, mpsc::Sender<Option<String>>>>> = OnceLock::new();
    PENDING.get_or_init(Default::default)
}

/// JS reports that `onToken` for token set `id` finished: `error` is null on success.
#[napi]
pub fn token_ack(id: f64, error: Option<String>) {
    if let Some(tx) = pending().lock().unwrap_or_else(|p| p.into_inner()).remove(&(id as u64)) {
        let _ = tx.send(error);
    }
}

/// The `onToken` function as a core callback: core waits (off the JS thread) until JS has
/// settled the user's callback, so a rotated refresh token is stored before it is used.
fn on_token(f: TokenFn) -> sellkit::auth::oauth2::OnToken {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Arc::new(move |set: &sellkit::auth::oauth2::TokenSet| {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        pending().lock().unwrap_or_else(|p| p.into_inner()).insert(id, tx);
        let status = f.call((set.to_json().to_string(), id as f64), ThreadsafeFunctionCallMode::NonBlocking);
        if status != Status::Ok {
            pending().lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
            return Err(Error::new(ErrorKind::Authentication, format!("onToken could not be called ({status})")).with_code("on-token-failed"));
        }
        let wait = || rx.recv();
        let answer = match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(wait),
            _ => wait(),
        };
        match answer {
            Ok(None) => Ok(()),
            Ok(Some(message)) => Err(Error::new(ErrorKind::Authentication, format!("onToken failed: {message}")).with_code("on-token-failed")),
            Err(_) => Err(Error::new(ErrorKind::Authentication, "onToken never answered").with_code("on-token-failed")),
        }
    })
}
