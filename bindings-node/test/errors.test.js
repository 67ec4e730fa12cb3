'use strict';
// The error tree (generated from core's table): each class under the parent users expect, and
// errors from real responses landing in the right class.

const test = require('node:test');
const assert = require('node:assert/strict');
const sellkit = require('sellkit');
const { useSimulator, PROFILE } = require('./helpers.js');

const sim = useSimulator();

const PARENTS = {
  APIConnectionError: 'SellkitError',
  APITimeoutError: 'APIConnectionError',
  APIStatusError: 'SellkitError',
  AuthenticationError: 'APIStatusError',
  PermissionDeniedError: 'APIStatusError',
  NotFoundError: 'APIStatusError',
  ConflictError: 'APIStatusError',
  ValidationError: 'APIStatusError',
  RateLimitError: 'APIStatusError',
  ServerError: 'APIStatusError',
  UnexpectedStatusError: 'APIStatusError',
  InvalidInputError: 'SellkitError',
  DecodeError: 'SellkitError',
  InternalError: 'SellkitError',
  BatchError: 'SellkitError',
};

test('each class extends the parent users expect', () => {
  for (const [name, parent] of Object.entries(PARENTS)) {
    assert.equal(Object.getPrototypeOf(sellkit[name]), sellkit[parent], name);
  }
  const exported = Object.keys(sellkit).filter((name) => name.endsWith('Error')).sort();
  assert.deepEqual(exported, [...Object.keys(PARENTS), 'SellkitError'].sort());
});

test('a BatchError lists the indices of its failed entries', () => {
  const e = new sellkit.BatchError('2 items failed', { kind: 'batch' });
  e.failed = [{ index: 1 }, { index: 4 }];
  assert.deepEqual(e.indices, [1, 4]);
  assert.equal(e.code, 'batch-items-failed');
});

for (const [status, name, code] of [[410, 'UnexpectedStatusError', 'unexpected-status'], [409, 'ConflictError', 'conflict']]) {
  test(`HTTP ${status} is a ${name}, an APIStatusError`, async () => {
    const client = sim().eqpClient({ maxRetries: 0 });
    await client.authenticate();
    sim().failNext(PROFILE, { status });
    const err = await client.users.get().then(() => null, (e) => e);
    assert.ok(err instanceof sellkit[name] && err instanceof sellkit.APIStatusError, String(err));
    assert.equal(err.constructor, sellkit[name]);
    assert.equal(err.status, status);
    assert.equal(err.code, code);
  });
}

test('a timeout is an APIConnectionError, not an APIStatusError', async () => {
  const client = sim().eqpClient({ maxRetries: 0, timeout: 300 });
  await client.authenticate();
  sim().injectFault(PROFILE, 'stall', { stallMs: 2000 });
  const err = await client.users.get().then(() => null, (e) => e);
  assert.equal(err?.constructor, sellkit.APITimeoutError);
  assert.ok(err instanceof sellkit.APIConnectionError && !(err instanceof sellkit.APIStatusError));
  assert.equal(err.outcomeUnknown, true);
});
