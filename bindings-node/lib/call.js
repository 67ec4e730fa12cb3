'use strict';
// What every client method shares: arguments → JSON (camelCase option keys → the core's
// snake_case argument names, in this one place), per-call settings, AbortSignal, outcome →
// value or SellkitError, and lazily paged lists as async iterables.

const { errorFrom, errorFromJson, InvalidInputError } = require('./errors.js');
const { abortError } = require('./abort.js');

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

/** `pageSize` → `page_size`: the core's name of an argument. */
function snake(key) {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Keys of the per-call settings (everything else in an options object is an argument). */
const SETTINGS = ['signal', 'timeout', 'maxRetries'];

/**
 * Split `options` into the operation's arguments (top-level keys snake_cased, `undefined`
 * dropped) and the call settings (`signal`, `timeout`, `maxRetries`). Keys in `argKeys` are
 * arguments even when they share a setting's name (`timeout` of a wait).
 */
function split(options, argKeys = []) {
  const args = {};
  const settings = {};
  if (options == null) return { args, settings };
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidInputError('options: expected an object', { field: 'options' });
  }
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (SETTINGS.includes(k) && !argKeys.includes(k)) settings[k] = v;
    else args[snake(k)] = v;
  }
  return { args, settings };
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

/** Run `op` on a native client; resolves to the plain result, rejects with a SellkitError. */
async function invoke(native, handle, op, args, settings) {
  const signal = settings?.signal ?? undefined;
  const argsJson = toJson('args', args);
  const options = settingsJson(settings);
  return withSignal(native, signal, (token) => handle.call(op, argsJson, options, token));
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
  constructor(native, paginator, signal) {
    this.#native = native;
    this.#paginator = paginator;
    this.#signal = signal;
  }
  /** The next page of items, or null when the list is done. */
  nextPage() {
    return withSignal(this.#native, this.#signal, (token) => this.#paginator.nextPage(token));
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
function list(native, handle, op, args, settings) {
  const started = handle.list(op, toJson('args', args));
  if (typeof started === 'string') throw errorFromJson(started);
  return new PagedList(native, started, settings?.signal ?? undefined);
}

module.exports = { toJson, snake, split, settingsJson, withSignal, invoke, unwrap, list, PagedList };
