'use strict';
// The EQP client. Every operation goes through the native `call(op, args)` (or `list`,
// `upload`); a method here only names the operation and places its arguments. Option keys
// are camelCase and become the core's snake_case names in `call.js`; every check is the core's.

const fs = require('node:fs');
const path = require('node:path');
const native = require('./native.js');
const { errorFromJson, BatchError, InvalidInputError } = require('./errors.js');
const { toJson, split, invoke, withSignal, settingsJson, list, unwrap } = require('./call.js');

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
/** Lets `withOptions` construct a client around an existing native handle. */
const FROM_NATIVE = Symbol('sellkit.fromNative');

/** The result of a batch: one entry per input, in input order; failed items are data. */
class BatchResult {
  constructor(raw) {
    /** `{index, ok, code, message, data, recovered, error?}` per input. */
    this.items = raw.items;
    /** Whether every item succeeded. */
    this.allOk = raw.all_ok;
    Object.defineProperty(this, 'failedIndices', { value: raw.failed, enumerable: false });
  }
  /** The entries that failed (per-item code other than success). */
  get failed() {
    const indices = new Set(this.failedIndices);
    return this.items.filter((item) => indices.has(item.index));
  }
  /** Throw a `BatchError` naming the failed indices, unless every item succeeded. */
  throwForFailures() {
    if (this.allOk) return this;
    const failed = this.failed;
    const list = failed.map((f) => `#${f.index} (${f.code}: ${f.message})`).join(', ');
    throw new BatchError(`${failed.length} of ${this.items.length} batch items failed: ${list}`, { failed });
  }
  toJSON() { return { items: this.items, allOk: this.allOk, failed: this.failedIndices }; }
}

/** `client.users.keys`: Composer access keys. */
class EqpKeys {
  #run;
  constructor(run) { this.#run = run; }
  /** `{type: 'm1'|'m2'|'all', label, uid}` → `{m2: [key], m1: [key]}`. */
  list(filter = {}) { return this.#run('users.keys.list', filter); }
  /** `[{label, uid?}]` → BatchResult of keys. */
  async create(keys, options) { return new BatchResult(await this.#run('users.keys.create', options, { keys })); }
  enable(label, options) { return this.#run('users.keys.enable', options, { label }); }
  disable(label, options) { return this.#run('users.keys.disable', options, { label }); }
  /** Resolves to null (204). */
  delete(label, options) { return this.#run('users.keys.delete', options, { label }); }
  [inspectCustom]() { return 'EqpKeys {}'; }
}

/** `client.users`: the key's account profile, keys and reports. */
class EqpUsers {
  #run;
  #keys;
  constructor(run) {
    this.#run = run;
    this.#keys = new EqpKeys(run);
  }
  get keys() { return this.#keys; }
  /** `GET /rest/v1/users/:mage_id`; `{style: 'summary'}` for the short form. */
  get(params = {}, opts) { return this.#run('users.get', { ...params, ...opts }); }
  /** `PUT /rest/v1/users/:mage_id` with only the fields to change (and `action`). */
  update(fields, opts) { return this.#run('users.update', opts, { fields }); }
  /** `kind`: 'pageviews' | 'totals' | 'sales' | 'refunds'; the JSON as sent. */
  reports(kind, opts) { return this.#run('users.reports', opts, { kind }); }
  [inspectCustom]() { return 'EqpUsers {}'; }
}

/** `client.callbacks`. */
class EqpCallbacks {
  #run;
  constructor(run) { this.#run = run; }
  /** `[{name?, url, username, password}]` → the profile. */
  register(callbacks, opts) { return this.#run('callbacks.register', opts, { callbacks }); }
  [inspectCustom]() { return 'EqpCallbacks {}'; }
}

/** Whether `x` is a Node readable stream. */
function isReadable(x) {
  return x != null && typeof x === 'object' && typeof x.pipe === 'function' && typeof x.on === 'function'
    && typeof x[Symbol.asyncIterator] === 'function';
}

/**
 * Upload inputs → the native specs, buffers and streams. A path is streamed from disk by the
 * core (and re-opened on a retry); an fs.ReadStream of a whole file is passed as its path;
 * other readable streams are fed to the core chunk by chunk through a bounded channel (memory
 * does not grow with the size; such an upload cannot be retried once its stream was read).
 */
function uploadSources(files) {
  if (!Array.isArray(files)) files = [files];
  const specs = [];
  const buffers = [];
  const streams = [];
  for (const [i, f] of files.entries()) {
    if (typeof f === 'string' || f instanceof URL) {
      specs.push({ path: typeof f === 'string' ? f : require('node:url').fileURLToPath(f) });
      continue;
    }
    if (f == null || typeof f !== 'object') {
      throw new InvalidInputError(`files[${i}]: expected a path, {filename, data} or a readable stream`, { field: `files[${i}]` });
    }
    let { filename, contentType, length } = f;
    let data = f.data ?? f.stream;
    if (isReadable(f)) {
      data = f;
      filename = f.filename;
    }
    if (data instanceof fs.ReadStream && typeof data.path === 'string' && data.start === undefined && data.end === Infinity && data.bytesRead === 0) {
      if (filename == null || filename === path.basename(data.path)) {
        data.destroy();
        specs.push({ path: data.path });
        continue;
      }
    }
    if (filename == null && data && typeof data.path === 'string') filename = path.basename(data.path);
    const spec = { filename: filename ?? null, content_type: contentType ?? null };
    if (isReadable(data)) {
      const channel = new native.NativeUploadStream();
      spec.stream = channel.id;
      if (typeof length === 'number') spec.length = length;
      streams.push({ channel, stream: data });
    } else {
      if (data instanceof ArrayBuffer) data = Buffer.from(data);
      else if (ArrayBuffer.isView(data) && !Buffer.isBuffer(data)) data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      else if (typeof data === 'string') data = Buffer.from(data);
      if (Buffer.isBuffer(data)) {
        spec.buffer = buffers.length;
        buffers.push(data);
      }
    }
    specs.push(spec);
  }
  return { specs, buffers, streams };
}

/** Feed one readable stream into its native channel (waiting while the channel is full). */
async function pump({ channel, stream }) {
  try {
    for await (const chunk of stream) {
      if (!(await channel.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)))) {
        stream.destroy?.();
        return;
      }
    }
    channel.end();
  } catch (e) {
    channel.fail(`reading the stream failed: ${e?.message ?? e}`);
  }
}

/** `client.files`: uploads and their malware scans. */
class EqpFiles {
  #run;
  #handle;
  #list;
  constructor(run, handle, listOp) {
    this.#run = run;
    this.#handle = handle;
    this.#list = listOp;
  }
  /**
   * Upload files; resolves to one record per input, in order. `files`: paths, `{filename, data,
   * contentType?}` or readable streams (`{filename, stream}` or a stream with `.filename`/`.path`).
   * `onProgress(sent, total)` is called on the JS thread (at most every 50 ms, and at the end).
   */
  async upload(files, options = {}) {
    const { onProgress, ...rest } = options ?? {};
    const { settings } = split(rest);
    const { specs, buffers, streams } = uploadSources(files);
    const progress = typeof onProgress === 'function'
      ? ([sent, total]) => {
        // The native side passes `[sent, total]`; a failing callback does not fail the upload.
        try { onProgress(sent, total); } catch { /* ignored */ }
      }
      : null;
    const options_ = settingsJson(settings);
    try {
      return await withSignal(native, settings.signal, (token) => {
        const started = this.#handle().upload(JSON.stringify(specs), buffers, progress, options_, token);
        for (const s of streams) pump(s);
        return started;
      });
    } finally {
      for (const { channel } of streams) channel.close();
    }
  }
  get(fileUploadId, opts) { return this.#run('files.get', opts, { file_upload_id: fileUploadId }); }
  /** All uploads, paged lazily: `{limit, pageSize}`. */
  list(options) { return this.#list('files.list', options); }
  /**
   * Poll until every file is scanned: `{timeout, interval}` in milliseconds (defaults 300 s, 2 s).
   * Resolves to `{passed, failed, timedOut, allPassed}`.
   */
  async waitForScan(ids, options = {}) {
    const { timeout, interval, ...rest } = options ?? {};
    const r = await this.#run('files.wait_for_scan', rest, {
      ids: Array.isArray(ids) ? ids : [ids],
      timeout: timeout == null ? undefined : timeout / 1000,
      interval: interval == null ? undefined : interval / 1000,
    });
    return { passed: r.passed, failed: r.failed, timedOut: r.timed_out, allPassed: r.all_passed };
  }
  [inspectCustom]() { return 'EqpFiles {}'; }
}

/** `client.packages`: batches, lists and the submission workflow. */
class EqpPackages {
  #run;
  #list;
  constructor(run, listOp) {
    this.#run = run;
    this.#list = listOp;
  }
  /** Batch create (`{chunkSize, concurrency}`); failed items are data (see `BatchResult`). */
  async create(items, options) { return new BatchResult(await this.#run('packages.create', options, { items })); }
  /** Batch update; every item carries its `submission_id`. */
  async update(items, options) { return new BatchResult(await this.#run('packages.update', options, { items })); }
  updateOne(submissionId, fields, opts) { return this.#run('packages.update_one', opts, { submission_id: submissionId, fields }); }
  get(submissionId, opts) { return this.#run('packages.get', opts, { submission_id: submissionId }); }
  /** Filters (`type`, `platform`, `sku`, `name`, ...), `sort: '-platform,+name'`, `limit`, `pageSize`. */
  list(options) { return this.#list('packages.list', options); }
  bySku(sku, options) { return this.#list('packages.by_sku', options, { sku }); }
  byItemId(itemId, opts) { return this.#run('packages.by_item_id', opts, { item_id: itemId }); }
  skus(options) { return this.#list('packages.skus', options); }
  items(options) { return this.#list('packages.items', options); }
  /** `{technical, marketing}` (both when neither is given). */
  submit(submissionId, options) { return this.#run('packages.submit', options, { submission_id: submissionId }); }
  recall(submissionId, options) { return this.#run('packages.recall', options, { submission_id: submissionId }); }
  remove(submissionId, opts) { return this.#run('packages.remove', opts, { submission_id: submissionId }); }
  cancel(submissionId, opts) { return this.#run('packages.cancel', opts, { submission_id: submissionId }); }
  [inspectCustom]() { return 'EqpPackages {}'; }
}

/** `client.testResults`. */
class EqpTestResults {
  #run;
  constructor(run) { this.#run = run; }
  /** Exactly one of `{submissionId}`, `{sku}`, `{itemId}` → tool runs. */
  summary(target, opts) { return this.#run('test_results.summary', { ...target, ...opts }); }
  detail(submissionId, tool, runId, opts) {
    return this.#run('test_results.detail', opts, { submission_id: submissionId, tool, run_id: runId });
  }
  [inspectCustom]() { return 'EqpTestResults {}'; }
}

/** `client.reports`. */
class EqpReports {
  #run;
  constructor(run) { this.#run = run; }
  metrics(name, opts) { return this.#run('reports.metrics', opts, { name }); }
  [inspectCustom]() { return 'EqpReports {}'; }
}

class EqpClient {
  #native;
  #users;
  #callbacks;
  #files;
  #packages;
  #testResults;
  #reports;
  #baseUrl;
  #environment;

  /**
   * @param {object} options appId, appSecret, environment, baseUrl, timeout (ms),
   *   connectTimeout (ms), uploadTimeout (ms), maxRetries, userAgentSuffix, tokenLifetime (s),
   *   maxResponseBytes
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
    // run(op, options, fixed): options = the caller's object (arguments + call settings).
    const run = async (op, options, fixed = {}) => {
      const { args, settings, names } = split(options);
      return invoke(native, this.#native, op, { ...args, ...fixed }, settings, names);
    };
    const listOp = (op, options, fixed = {}) => {
      const { args, settings, names } = split(options);
      return list(native, this.#native, op, { ...args, ...fixed }, settings, names);
    };
    this.#users = new EqpUsers(run);
    this.#callbacks = new EqpCallbacks(run);
    this.#files = new EqpFiles(run, () => this.#native, listOp);
    this.#packages = new EqpPackages(run, listOp);
    this.#testResults = new EqpTestResults(run);
    this.#reports = new EqpReports(run);
  }

  /** The account id, once a session was obtained (after `authenticate()` or any call); else null. */
  get mageId() { return this.#native.mageId ?? null; }
  get baseUrl() { return this.#baseUrl; }
  get environment() { return this.#environment; }
  get users() { return this.#users; }
  get callbacks() { return this.#callbacks; }
  get files() { return this.#files; }
  get packages() { return this.#packages; }
  get testResults() { return this.#testResults; }
  get reports() { return this.#reports; }

  /** Obtain a session token (if none is cached); resolves to the account's mage_id. */
  async authenticate(opts) {
    return (await invoke(native, this.#native, 'authenticate', {}, opts)).mage_id;
  }

  /** Call any endpoint with the client's auth, retries and errors; resolves to the decoded JSON (null when empty). */
  request(method, path, json, opts) {
    return invoke(native, this.#native, 'request', json === undefined ? { method, path } : { method, path, json }, opts);
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

/** The `Authorization` header of `headers` (a plain object in any case, a `Headers`, or a raw array). */
function authorizationOf(headers) {
  if (headers == null) return null;
  if (typeof headers.get === 'function') return headers.get('authorization');
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === 'authorization') return String(headers[i + 1]);
    }
    return null;
  }
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === 'authorization') return Array.isArray(v) ? String(v[0]) : String(v);
  }
  return null;
}

/**
 * Parse an EQP callback body and check its Basic credentials (constant time, in the core).
 * Throws an AuthenticationError for wrong credentials, a DecodeError for a bad body.
 */
function parseCallback(body, headers, { username, password } = {}) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body
    : ArrayBuffer.isView(body) ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : body;
  if (!Buffer.isBuffer(bytes)) throw new InvalidInputError('body: expected a Buffer or a string', { field: 'body' });
  return unwrap(native.parseEqpCallback(bytes, authorizationOf(headers), String(username ?? ''), String(password ?? '')));
}

module.exports = { EqpClient, EqpUsers, BatchResult, BatchError, parseCallback };
