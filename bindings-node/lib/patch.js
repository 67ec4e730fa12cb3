'use strict';
// `patch`: JSON Pointer (RFC 6901) and JSON Patch (RFC 6902), computed by the Rust core.
// This file only moves values across (lib/encode.js) and turns errors into SellkitError classes.

const native = require('./native.js');
const { withEncoded } = require('./encode.js');
const { errorFrom, InvalidInputError } = require('./errors.js');

/** Outcome JSON of a native call → its value, or the SellkitError it reports. */
function settle(outcomeJson) {
  const outcome = JSON.parse(outcomeJson);
  if (outcome.error) throw errorFrom(outcome.error);
  return outcome.value;
}

/**
 * Apply `ops` to a copy of `doc` and return the copy; `doc` is never modified. Atomic: a patch
 * that fails changes nothing and throws a ConflictError (code `conflicting-state`, `details[0].field`
 * naming the operation, `ops[i]`). A malformed patch throws an InvalidInputError (code `invalid-patch`).
 */
function apply(doc, ops) {
  return settle(withEncoded([doc, ops], (codes, text) => native.patchApply(codes, text)));
}

/** The operations (`add`, `remove`, `replace` only) that turn `oldDoc` into `newDoc`. */
function diff(oldDoc, newDoc) {
  return settle(withEncoded([oldDoc, newDoc], (codes, text) => native.patchDiff(codes, text)));
}

/**
 * Check a patch before sending it; throws an InvalidInputError naming the operation. With
 * `{serverSafe: true}`, `move`, `copy` and `test` (which the Marktplaats server does not support)
 * are refused with code `invalid-patch-operation` and `field` like `ops[1].op`.
 */
function validate(ops, options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new InvalidInputError('options: expected an object such as {serverSafe: true}', { field: 'options' });
  }
  const serverSafe = options.serverSafe ?? false;
  if (typeof serverSafe !== 'boolean') {
    throw new InvalidInputError('serverSafe: expected a boolean', { field: 'serverSafe' });
  }
  settle(withEncoded([ops], (codes, text) => native.patchValidate(codes, text, serverSafe)));
}

/** Whether sending `ops` twice has the effect of sending them once (so a failed PATCH may be retried). */
function isSafeToRepeat(ops) {
  return settle(withEncoded([ops], (codes, text) => native.patchIsSafeToRepeat(codes, text)));
}

/** Check `ops` and return them in their normal form: `{op, from?, path, value?}`, other members dropped. */
function parse(ops) {
  return settle(withEncoded([ops], (codes, text) => native.patchParse(codes, text)));
}

const patch = Object.freeze({ apply, diff, validate, isSafeToRepeat, parse });

module.exports = { patch };
