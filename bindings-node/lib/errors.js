'use strict';
// The error classes. The native layer reports an error as a plain object with every field of
// the core error; `errorFrom` turns it into the subclass named by its `kind`.

/** Base class of every error sellkit reports (except `AbortError`). */
class SellkitError extends Error {
  /**
   * @param {string} message
   * @param {object} [fields] code, kind, status, apiCode, details, field, requestId, retryAfter, body, outcomeUnknown
   */
  constructor(message, fields = {}) {
    super(message);
    this.code = fields.code ?? new.target.defaultCode;
    this.kind = fields.kind ?? new.target.kind;
    this.status = fields.status ?? null;
    this.apiCode = fields.apiCode ?? null;
    this.details = fields.details ?? [];
    this.field = fields.field ?? null;
    this.requestId = fields.requestId ?? null;
    /** Seconds the server asked to wait, or null. */
    this.retryAfter = fields.retryAfter ?? null;
    /** A request reached the server without an answer: it may have been processed. */
    this.outcomeUnknown = fields.outcomeUnknown ?? false;
    // The raw response body (up to 4 KiB): kept out of inspect and JSON output, like the core's Debug.
    Object.defineProperty(this, 'body', { value: fields.body ?? null, enumerable: false, writable: true, configurable: true });
  }

  toJSON() {
    return { name: this.name, message: this.message, ...this };
  }
}

function named(cls, name) {
  Object.defineProperty(cls, 'name', { value: name });
  Object.defineProperty(cls.prototype, 'name', { value: name, enumerable: false, writable: true, configurable: true });
  return cls;
}
named(SellkitError, 'SellkitError');
SellkitError.kind = null;
SellkitError.defaultCode = 'sellkit-error';

/** The members the error table names as mixins (`BatchError` gets these). */
const mixins = {
  BatchFailures: class {
    /** The input positions of the failed items. */
    get indices() { return (this.failed ?? []).map((item) => item.index); }
  },
};

// One class per row of the generated table (core's error tree), parents first.
const classes = { SellkitError };
const byKind = new Map();
for (const [name, parent, kind, defaultCode, members] of require('./error-classes.js')) {
  const cls = named(class extends classes[parent] {}, name);
  if (kind !== null) {
    cls.kind = kind;
    cls.defaultCode = defaultCode;
    byKind.set(kind, cls);
  }
  if (members !== null) {
    const { constructor: _, ...descriptors } = Object.getOwnPropertyDescriptors(mixins[members].prototype);
    Object.defineProperties(cls.prototype, descriptors);
  }
  classes[name] = cls;
}

/** The error object the native layer reported → the right subclass. */
function errorFrom(info) {
  const cls = byKind.get(info.kind) ?? SellkitError;
  const err = new cls(info.text ?? info.message, info);
  Error.captureStackTrace?.(err, errorFrom);
  return err;
}

/** JSON text of a native error → the right subclass. */
function errorFromJson(json) {
  return errorFrom(JSON.parse(json));
}

module.exports = { ...classes, errorFrom, errorFromJson };
