'use strict';
// The EQP client. Every operation goes through the native `call(op, args)`; adding one is a
// one-line method here and an entry in index.d.ts.

const native = require('./native.js');
const { errorFrom, errorFromJson, InvalidInputError } = require('./errors.js');
const { abortError } = require('./abort.js');

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
/** Lets `withOptions` construct a client around an existing native handle. */
const FROM_NATIVE = Symbol('sellkit.fromNative');

/** JSON text of `value`, or an InvalidInputError naming the argument that cannot be sent. */
function toJson(name, value) {
  let json;
  try {
    json = JSON.stringify(value === undefined ? null : value);
  } catch (e) {
    throw new InvalidInputError(`${name}: cannot be sent as JSON (${e.message})`, {
      field: name,
      details: [{ field: name, code: null, message: `cannot be sent as JSON (${e.message})`, value: null }],
    });
  }
  return json ?? 'null';
}

/** The per-call settings the native layer applies (everything in `opts` except `signal`). */
function callSettings(opts) {
  if (opts == null) return null;
  if (typeof opts !== 'object') {
    throw new InvalidInputError('options: expected an object', { field: 'options' });
  }
  const { signal, ...settings } = opts;
  return Object.keys(settings).length === 0 ? null : toJson('options', settings);
}

/** Run `op` on a native client; resolves to the plain result, rejects with a SellkitError. */
async function invoke(handle, op, args, opts) {
  const signal = opts?.signal ?? undefined;
  if (signal?.aborted) throw abortError(signal);
  const argsJson = toJson('args', args);
  const settings = callSettings(opts);
  let token = null;
  let onAbort = null;
  if (signal) {
    token = new native.CancelToken();
    onAbort = () => token.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
  }
  let outcome;
  try {
    outcome = JSON.parse(await handle.call(op, argsJson, settings, token));
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  if (outcome.error) throw errorFrom(outcome.error);
  if (outcome.aborted) throw abortError(signal);
  return outcome.value;
}

/** `client.users`: the key's account profile. */
class EqpUsers {
  #run;
  constructor(run) {
    this.#run = run;
  }
  /** `GET /rest/v1/users/:mage_id`; `{style: 'summary'}` for the short form. */
  get(params = {}, opts) { return this.#run('users.get', params, opts); }
  /** `PUT /rest/v1/users/:mage_id` with only the fields to change (and `action`). */
  update(fields, opts) { return this.#run('users.update', { fields }, opts); }

  [inspectCustom]() { return 'EqpUsers {}'; }
}

class EqpClient {
  #native;
  #users;
  #baseUrl;
  #environment;

  /**
   * @param {object} options appId, appSecret, environment, baseUrl, timeout (ms),
   *   connectTimeout (ms), uploadTimeout (ms), maxRetries, userAgentSuffix, tokenLifetime (s)
   */
  constructor(options = {}, handle = undefined) {
    if (options === FROM_NATIVE) {
      this.#native = handle;
    } else {
      if (options === null || typeof options !== 'object') {
        throw new InvalidInputError('options: expected an object', { field: 'options' });
      }
      const built = native.buildEqpClient(toJson('options', options));
      if (typeof built === 'string') throw errorFromJson(built);
      this.#native = built;
    }
    this.#baseUrl = this.#native.baseUrl;
    this.#environment = this.#native.environment;
    const run = (op, args, opts) => invoke(this.#native, op, args, opts);
    this.#users = new EqpUsers(run);
  }

  /** The account id, once a session was obtained (after `authenticate()` or any call); else null. */
  get mageId() { return this.#native.mageId ?? null; }
  get baseUrl() { return this.#baseUrl; }
  get environment() { return this.#environment; }
  get users() { return this.#users; }

  /** Obtain a session token (if none is cached); resolves to the account's mage_id. */
  async authenticate(opts) {
    return (await invoke(this.#native, 'authenticate', {}, opts)).mage_id;
  }

  /** Call any endpoint with the client's auth, retries and errors; resolves to the decoded JSON (null when empty). */
  request(method, path, json, opts) {
    return invoke(this.#native, 'request', json === undefined ? { method, path } : { method, path, json }, opts);
  }

  /** A client for the same account and session with other settings (`{timeout, maxRetries}`). */
  withOptions(options = {}) {
    const derived = this.#native.withOptions(toJson('options', options));
    if (typeof derived === 'string') throw errorFromJson(derived);
    return new EqpClient(FROM_NATIVE, derived);
  }

  /** Release this client's connections; later calls reject. */
  close() { this.#native.close(); }

  /** What may be shown of a client: never the secret or a token. */
  #describe() {
    return { baseUrl: this.baseUrl, environment: this.environment, mageId: this.mageId, closed: this.#native.closed };
  }
  toJSON() { return this.#describe(); }
  toString() {
    const d = this.#describe();
    return `EqpClient(baseUrl=${d.baseUrl}, environment=${d.environment}, mageId=${d.mageId})`;
  }
  [inspectCustom](depth, options, inspect) {
    const body = inspect ? inspect(this.#describe(), options) : JSON.stringify(this.#describe());
    return `EqpClient ${body}`;
  }
}

module.exports = { EqpClient, EqpUsers };
