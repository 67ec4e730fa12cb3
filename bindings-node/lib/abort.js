'use strict';
// AbortSignal support: a call whose signal aborts rejects with an `AbortError`, as Node's own
// APIs do (`name` 'AbortError', `code` 'ABORT_ERR', the signal's reason as `cause`).

class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    this.code = 'ABORT_ERR';
  }
}
Object.defineProperty(AbortError.prototype, 'name', { value: 'AbortError', enumerable: false, writable: true, configurable: true });

function abortError(signal) {
  return new AbortError(undefined, signal && signal.reason !== undefined ? { cause: signal.reason } : undefined);
}

module.exports = { AbortError, abortError };
