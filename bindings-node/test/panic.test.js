'use strict';
// A Rust panic never crashes Node: inside a call it rejects the promise with an InternalError,
// in a native task it rejects the promise, in a synchronous function it throws; the process and
// its clients go on.

const test = require('node:test');
const assert = require('node:assert/strict');
const native = require('../lib/native.js');
const { withSignal } = require('../lib/client.js');
const { InternalError } = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();

test('a panic inside a call rejects with an InternalError', async () => {
  const err = await withSignal(undefined, () => native.panicInCall('boom in a call')).catch((e) => e);
  assert.ok(err instanceof InternalError, String(err));
  assert.equal(err.kind, 'internal');
  assert.match(err.message, /boom in a call/);
  assert.equal((await withSignal(undefined, () => native.panicInCall(''))).value, null);
});

test('a panic in a native task rejects its promise; one in a synchronous function throws', async () => {
  await assert.rejects(native.panicInTask('boom in the task'));
  assert.throws(() => native.panicNow('boom now'), /boom now/);
  assert.equal(native.panicNow(''), '');
  const profile = await sim().eqpClient().users.get();
  assert.equal(profile.mage_id, sim().eqpMageId, 'the runtime survived');
});
