'use strict';
// What every client method shares: arguments → the native layer (camelCase option keys → the
// core's snake_case argument names, in this one place, and back in the field of an error),
// per-call settings, AbortSignal, outcome → value or SellkitError, and lazily paged lists as
// async iterables.

const { errorFrom, errorFromJson, InvalidInputError } = require('./errors.js');
const { abortError } = require('./abort.js');
const { withEncoded } = require('./encode.js');

/** Deeper than this is most likely a value that contains itself (JSON.stringify reports it). */
const MAX_DEPTH = 128;

/**
 * The path of the first value in `value` that JSON text would change without a word (NaN and
 * ±Infinity become null) or cannot carry (a lone surrogate), with why; null when there is none.
 */
function unsendable(value, path, depth = 0) {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? null : { path, why: `${value} is not a JSON number (NaN and Infinity have no JSON form)` };
    case 'string':
      return value.isWellFormed() ? null : { path, why: 'the string holds a lone surrogate, which is not valid Unicode' };
    case 'object':
      break;
    default:
      return null;
  }
  if (value === null || depth >= MAX_DEPTH) return null;
  if (typeof value.toJSON === 'function') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsendable(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const k of Object.keys(value)) {
    const found = unsendable(value[k], path ? `${path}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * JSON text of `value` (options and other small objects), or an InvalidInputError naming the
 * value that cannot be sent: its path inside `value` (`timeout`), or `name` for `value` itself.
 */
function toJson(name, value) {
  const bad = unsendable(value, '');
  if (bad) {
    const field = bad.path || name;
    throw new InvalidInputError(`${field}: ${bad.why}`, {
      field,
      details: [{ field, code: null, message: bad.why, value: null }],
    });
  }
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

/** `pageSize` → `page_size`: the core's name of an argument. */
function snake(key) {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Keys of the per-call settings (everything else in an options object is an argument). */
const SETTINGS = ['signal', 'timeout', 'maxRetries'];

/**
 * Split `options` into the operation's arguments (top-level keys snake_cased, `undefined`
 * dropped) and the call settings (`signal`, `timeout`, `maxRetries`). Keys in `argKeys` are
 * arguments even when they share a setting's name (`timeout` of a wait). `names` maps each
 * snake_cased key back to the caller's spelling, for the field of an error.
 */
function split(options, argKeys = []) {
  const args = {};
  const settings = {};
  const names = new Map();
  if (options == null) return { args, settings, names };
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidInputError('options: expected an object', { field: 'options' });
  }
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (SETTINGS.includes(k) && !argKeys.includes(k)) {
      settings[k] = v;
    } else {
      const core = snake(k);
      args[core] = v;
      if (core !== k) names.set(core, k);
    }
  }
  return { args, settings, names };
}

/** `page_size` → `pageSize` in `field` (its first step only), when the caller wrote `pageSize`. */
function callerField(field, names) {
  if (typeof field !== 'string' || names == null || names.size === 0) return field;
  const m = /^[^.[]+/.exec(field);
  const mine = m && names.get(m[0]);
  return mine ? mine + field.slice(m[0].length) : field;
}

/** `e` with its field and details named as the caller wrote them (see `split`). */
function asCallerWrote(e, names) {
  if (!(e instanceof InvalidInputError) || names == null || names.size === 0) return e;
  const field = callerField(e.field, names);
  if (field !== e.field) {
    e.message = e.message.replace(e.field, field);
    e.field = field;
  }
  e.details = e.details.map((d) => ({ ...d, field: callerField(d.field, names) }));
  return e;
}

/** The per-call settings the native layer applies (everything except `signal`), as JSON or null. */
function settingsJson(settings) {
  if (settings == null) return null;
  if (typeof settings !== 'object') {
    throw new InvalidInputError('options: expected an object', { field: 'options' });
  }
  const { signal, ...rest } = settings;
  return Object.keys(rest).length === 0 ? null : toJson('options', rest);
}

/** Run `start(token)` (a native call resolving to outcome JSON) with the signal wired to a cancel token. */
async function withSignal(native, signal, start) {
  if (signal?.aborted) throw abortError(signal);
  let token = null;
  let onAbort = null;
  if (signal) {
    token = new native.CancelToken();
    onAbort = () => token.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
  }
  let outcome;
  try {
    outcome = JSON.parse(await start(token));
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  if (outcome.error) throw errorFrom(outcome.error);
  if (outcome.aborted) throw abortError(signal);
  return outcome.value;
}

/**
 * Run `op` on a native client; resolves to the plain result, rejects with a SellkitError (its
 * field spelt as in `names`, see `split`). The arguments cross in the encoded form of
 * `encode.js`; the native layer refuses values JSON has no form for, naming their path.
 */
async function invoke(native, handle, op, args, settings, names) {
  const signal = settings?.signal ?? undefined;
  try {
    const options = settingsJson(settings);
    return await withSignal(native, signal, (token) => withEncoded([args], (codes, text) => handle.call(op, codes, text, options, token)));
  } catch (e) {
    throw asCallerWrote(e, names);
  }
}

/** An outcome JSON computed synchronously → value or thrown SellkitError. */
function unwrap(outcomeJson) {
  const outcome = JSON.parse(outcomeJson);
  if (outcome.error) throw errorFrom(outcome.error);
  return outcome.value;
}

/**
 * A lazily paged list. `for await (const item of list)` pulls one page when the previous one is
 * used up; `nextPage()` gives whole pages (`null` at the end). The core decides the offsets,
 * the limit and when to stop. A list is consumed once.
 */
class PagedList {
  #native;
  #paginator;
  #signal;
  #names;
  constructor(native, paginator, signal, names) {
    this.#native = native;
    this.#paginator = paginator;
    this.#signal = signal;
    this.#names = names;
  }
  /** The next page of items, or null when the list is done. */
  async nextPage() {
    try {
      return await withSignal(this.#native, this.#signal, (token) => this.#paginator.nextPage(token));
    } catch (e) {
      throw asCallerWrote(e, this.#names);
    }
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

/** Start list `op` on a native client (synchronously refusing bad arguments). */
function list(native, handle, op, args, settings, names) {
  const started = withEncoded([args], (codes, text) => handle.list(op, codes, text));
  if (typeof started === 'string') throw asCallerWrote(errorFromJson(started), names);
  return new PagedList(native, started, settings?.signal ?? undefined, names);
}

module.exports = { toJson, snake, split, settingsJson, withSignal, invoke, unwrap, list, PagedList };
