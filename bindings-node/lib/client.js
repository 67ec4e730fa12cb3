'use strict';
// What every generated client class builds on (lib/eqp.js and lib/marktplaats.js are generated
// from the catalogue of operations in the Rust core): the client base, and the helpers a
// method calls to hand its positional values and its options object to the native layer,
// which maps them onto the operation's parameters by name. Conversion only: every check,
// default and rule is the core's.

const fs = require('node:fs');
const path = require('node:path');
const native = require('./native.js');
const { errorFrom, errorFromJson, InvalidInputError } = require('./errors.js');
const { abortError } = require('./abort.js');
const { withEncoded } = require('./encode.js');

const inspect = Symbol.for('nodejs.util.inspect.custom');
/**
 * Where every call of this JS environment hands its result back: one queue and one wake-up of
 * the event loop for all the results ready at once (see src/completions.rs).
 */
const completions = new native.Completions();
/** The native client of each client object (not reachable from user code). */
const NATIVE = new WeakMap();
/** A native client handed to a client class's constructor by `withOptions` (not reachable from user code). */
class Adopted {
  constructor(native) { this.native = native; }
}

/** Whether `x` is a Node readable stream. */
function isReadable(x) {
  return x != null && typeof x === 'object' && typeof x.pipe === 'function' && typeof x.on === 'function'
    && typeof x[Symbol.asyncIterator] === 'function';
}

/**
 * Where the non-JSON values of one call go: Buffers beside the encoded values, readable streams
 * into native channels (fed by `pump`), and the one function a call may carry.
 */
class Extras {
  constructor(wrapCallback) {
    this.buffers = [];
    this.streams = [];
    this.callback = null;
    /** The call's function as given, for the parameters that receive events. */
    this.rawCallback = null;
    this.wrapCallback = wrapCallback;
  }
  addBuffer(v) {
    const b = Buffer.isBuffer(v) ? v : ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(v);
    this.buffers.push(b);
    return this.buffers.length - 1;
  }
  isStream(v) {
    return isReadable(v);
  }
  /** A readable stream → a native channel; the core decides whether a file behind it is read from disk instead. */
  addStream(stream) {
    const channel = new native.NativeUploadStream();
    this.streams.push({ channel, stream });
    // An fs.ReadStream that reads a whole file from its start names that file.
    const whole = stream instanceof fs.ReadStream && typeof stream.path === 'string' && stream.start === undefined
      && stream.end === Infinity && stream.bytesRead === 0;
    const filename = stream.filename ?? (typeof stream.path === 'string' ? path.basename(stream.path) : null);
    return { $stream: channel.id, path: whole ? stream.path : null, filename, length: typeof stream.length === 'number' ? stream.length : null };
  }
  takeCallback(fn) {
    this.rawCallback = fn;
    this.callback = this.wrapCallback ? this.wrapCallback(fn) : fn;
    return { $callback: 0 };
  }
  /** Feed every stream into its channel (waiting while a channel is full). */
  pumpAll() {
    for (const s of this.streams) pump(s);
  }
  closeAll() {
    for (const { channel } of this.streams) channel.close();
  }
}

async function pump({ channel, stream }) {
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!(await channel.push(buffer))) {
        stream.destroy?.();
        return;
      }
    }
    channel.end();
  } catch (e) {
    channel.fail(`reading the stream failed: ${e?.message ?? e}`);
  }
}

/** `options` without its `signal`, which cannot cross (it cancels the call on this side). */
function withoutSignal(options) {
  if (options == null || typeof options !== 'object' || Array.isArray(options) || !('signal' in options)) {
    return { args: options ?? {}, signal: undefined };
  }
  const { signal, ...args } = options;
  return { args, signal: signal ?? undefined };
}

/** The outcome JSON of a native call → its value, or the error it reports. */
function unwrap(outcomeJson) {
  const outcome = JSON.parse(outcomeJson);
  if (outcome.error) throw errorFrom(outcome.error);
  return outcome;
}

/** Run `start(token)` (a native call resolving to outcome JSON or a Buffer) with `signal` wired to a cancel token. */
async function withSignal(signal, start) {
  if (signal?.aborted) throw abortError(signal);
  let token = null;
  let onAbort = null;
  if (signal) {
    token = new native.CancelToken();
    onAbort = () => token.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
  }
  let result;
  try {
    result = await start(token);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  if (Buffer.isBuffer(result)) return { value: result };
  const outcome = unwrap(result);
  if (outcome.aborted) throw abortError(signal);
  return outcome;
}

/**
 * A call's callback (upload progress) gets `(sent, total)`. It runs outside the call's promise,
 * so what it throws could only crash the process: a progress bar that fails does not fail the
 * upload, and is reported as a warning.
 */
const asProgress = (fn) => (sent, total) => {
  try {
    fn(sent, total);
  } catch (e) {
    process.emitWarning(`the upload progress callback threw: ${e?.message ?? e}`, { code: 'SELLKIT_PROGRESS_CALLBACK' });
  }
};

/**
 * An operation's event callback (a release's `onEvent`) gets each event as an object; the
 * native layer passes its JSON text. As with progress, what it throws is a warning.
 */
const asEvents = (fn) => (json) => {
  try {
    fn(JSON.parse(json));
  } catch (e) {
    process.emitWarning(`the event callback threw: ${e?.message ?? e}`, { code: 'SELLKIT_EVENT_CALLBACK' });
  }
};

/**
 * A method takes its required parameters and one options object; more arguments are refused
 * rather than dropped (`get({}, {signal})` would otherwise never see its signal).
 */
function checkCount(positional, argc, hasOptions = true) {
  const most = positional.length + (hasOptions ? 1 : 0);
  if (argc > most) {
    const what = hasOptions ? `${positional.length} positional argument(s) and an options object` : `${positional.length} argument(s)`;
    throw new InvalidInputError(`arguments: expected at most ${what}, got ${argc} arguments [invalid-input]`, { field: 'arguments' });
  }
}

async function run(client, op, positional, options, argc) {
  checkCount(positional, argc);
  const { args, signal } = withoutSignal(options);
  const nativeClient = NATIVE.get(client);
  const extras = new Extras(asProgress);
  return withSignal(signal, async (token) => {
    const pending = withEncoded([positional, args], (codes, text) =>
      nativeClient.call(completions, op, codes, text, extras.buffers, extras.callback, token,
        extras.rawCallback ? asEvents(extras.rawCallback) : null), extras);
    extras.pumpAll();
    try {
      return await pending;
    } finally {
      extras.closeAll();
    }
  });
}

/** Run operation `op`; resolves to its result. */
async function invoke(client, op, positional, options, argc = 0) {
  return (await run(client, op, positional, options, argc)).value;
}

/** Run batch operation `op`; resolves to a `BatchResult`. */
async function invokeBatch(client, op, positional, options, argc = 0) {
  const outcome = await run(client, op, positional, options, argc);
  return new BatchResult(outcome.value, outcome.batchError ? errorFrom(outcome.batchError) : null);
}

/** Open list operation `op` (its arguments are checked now); pages are fetched as it is iterated. */
function openList(client, op, positional, options, argc = 0) {
  checkCount(positional, argc);
  const { args, signal } = withoutSignal(options);
  const started = withEncoded([positional, args], (codes, text) => NATIVE.get(client).list(op, codes, text));
  if (typeof started === 'string') throw errorFromJson(started);
  return new PagedList(started, signal);
}

/** Run the function `name` of `api` (it needs no client); `options` is null for a function that takes none. */
function callFunction(api, name, positional, options, argc = 0) {
  checkCount(positional, argc, options !== null);
  const extras = new Extras(null);
  const outcome = withEncoded([positional, options ?? {}], (codes, text) =>
    native.callFunction(api, name, codes, text, extras.buffers), extras);
  return unwrap(outcome).value;
}

/** A client property (`mageId`, `platform`...). */
function property(client, name) {
  return unwrap(NATIVE.get(client).property(name)).value;
}

/** The methods a `logger` option must have, one per level a record can have. */
const LOG_METHODS = ['debug', 'info', 'warn', 'error'];
let stderrConsole = null;

/** Where records go when no `logger` is given: a console that writes to stderr. */
function defaultLogger() {
  stderrConsole ??= new console.Console({ stdout: process.stderr, stderr: process.stderr });
  return stderrConsole;
}

/**
 * The `logger` and `logLevel` options (the Node clients' own settings, declared with the other
 * settings in the generated types) taken out of `options`; the rest goes to the core.
 */
function splitLogging(options) {
  if (options == null || typeof options !== 'object' || Array.isArray(options)) return { settings: options, logger: undefined, logLevel: undefined };
  const { logger, logLevel, ...settings } = options;
  if (logger != null && (typeof logger !== 'object' && typeof logger !== 'function' || LOG_METHODS.some((m) => typeof logger[m] !== 'function'))) {
    throw new InvalidInputError('logger: expected an object with debug, info, warn and error methods (console, a pino or winston logger) [invalid-input]', { field: 'logger' });
  }
  if (logLevel != null && typeof logLevel !== 'string') {
    throw new InvalidInputError(`logLevel: expected 'debug', 'info', 'warn', 'error' or 'off', got ${typeof logLevel} [invalid-input]`, { field: 'logLevel' });
  }
  return { settings, logger: logger ?? undefined, logLevel: logLevel ?? undefined };
}

/**
 * The sink the native layer calls with each record of a client: `logger[level](message, fields)`.
 * It runs outside any call's promise, so what the logger throws could only crash the process: it
 * is reported as a warning instead.
 */
function logSink(logger) {
  return (level, name, message, fieldsJson) => {
    try {
      logger[level](message, { logger: name, ...JSON.parse(fieldsJson) });
    } catch (e) {
      process.emitWarning(`the sellkit logger threw: ${e?.message ?? e}`, { code: 'SELLKIT_LOGGER' });
    }
  };
}

/** What `toString`, `toJSON` and `inspect` show of a client of each API: never a secret or a token. */
const SHOWN = {
  eqp: ['environment', 'base_url', 'mage_id'],
  marktplaats: ['platform', 'environment', 'base_url'],
};
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** The base of `EqpClient` and `MarktplaatsClient`. */
class ClientBase {
  #api;
  constructor(api, options) {
    this.#api = api;
    if (options instanceof Adopted) {
      NATIVE.set(this, options.native);
      return;
    }
    // `onToken` (a client's one function) is awaited by the core before a new token is used:
    // it gets the token set, and its settling is reported back.
    const extras = new Extras((fn) => ([json, id]) => {
      Promise.resolve()
        .then(() => fn(JSON.parse(json)))
        .then(() => native.tokenAck(id, null), (e) => native.tokenAck(id, String(e?.message ?? e)));
    });
    const { settings, logger, logLevel } = splitLogging(options);
    const opened = withEncoded([[], settings ?? {}], (codes, text) => native.openClient(api, codes, text, extras.callback), extras);
    if (typeof opened === 'string') throw errorFromJson(opened);
    // The level is the core's to read (`SELLKIT_LOG` when none is given).
    const refused = opened.logTo(completions, logLevel ?? null, logSink(logger ?? defaultLogger()));
    if (refused) throw errorFromJson(refused);
    NATIVE.set(this, opened);
  }

  /** A client with other call settings (`{timeout, maxRetries}`, milliseconds) that shares this one's connections and tokens. */
  withOptions(options) {
    const derived = withEncoded([[], options ?? {}], (codes, text) => NATIVE.get(this).withOptions(codes, text));
    if (typeof derived === 'string') throw errorFromJson(derived);
    return new this.constructor(new Adopted(derived));
  }

  /** Whether `close()` was called. */
  get closed() { return NATIVE.get(this).closed; }

  /** Release the client: calls already running finish, new calls fail. */
  close() { NATIVE.get(this).close(); }

  [Symbol.dispose]() { this.close(); }
  async [Symbol.asyncDispose]() { this.close(); }

  /** What may be shown of the client. */
  #describe() {
    if (this.closed) return { closed: true };
    const shown = {};
    for (const name of SHOWN[this.#api] ?? []) shown[camel(name)] = property(this, name);
    return { ...shown, closed: false };
  }

  toJSON() { return this.#describe(); }

  toString() {
    const d = this.#describe();
    return `${this.constructor.name}(${Object.entries(d).map(([k, v]) => `${k}=${v}`).join(', ')})`;
  }

  [inspect](depth, options, show) {
    const d = this.#describe();
    return `${this.constructor.name} ${show ? show(d, options) : JSON.stringify(d)}`;
  }
}

/**
 * A lazily paged list. `for await (const item of list)` pulls one page when the previous one is
 * used up; `nextPage()` gives whole pages (`null` at the end). The core decides the offsets, the
 * limit and when to stop. A list is consumed once.
 */
class PagedList {
  #paginator;
  #signal;
  constructor(paginator, signal) {
    this.#paginator = paginator;
    this.#signal = signal;
  }
  /** The next page of items, or null when the list is done. */
  async nextPage() {
    return (await withSignal(this.#signal, (token) => this.#paginator.nextPage(completions, token))).value;
  }
  async *[Symbol.asyncIterator]() {
    for (;;) {
      const page = await this.nextPage();
      if (page == null) return;
      yield* page;
    }
  }
  /** Every item (fetching every page). */
  async toArray() {
    const all = [];
    for await (const item of this) all.push(item);
    return all;
  }
}

/** The result of a batch: one entry per input, in input order; failed items are data. */
class BatchResult {
  #error;
  constructor(view, error) {
    /** One entry per input: `{index, ok, code, message, data, recovered, error?}`. */
    this.items = view.items;
    /** The entries that failed. */
    this.failed = view.failed;
    /** Whether every item succeeded. */
    this.allOk = view.all_ok;
    this.#error = error;
    if (error) error.failed = view.failed;
  }
  /** Throw the `BatchError` that reports the failed items, unless every item succeeded. */
  throwForFailures() {
    if (this.#error) throw this.#error;
    return this;
  }
  toJSON() { return { items: this.items, failed: this.failed, allOk: this.allOk }; }
}

module.exports = { ClientBase, invoke, invokeBatch, openList, callFunction, property, inspect, PagedList, BatchResult, withSignal };
