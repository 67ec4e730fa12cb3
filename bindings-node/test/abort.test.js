'use strict';
// AbortSignal cancels a call: the promise rejects promptly with an error named AbortError.

const test = require('node:test');
const assert = require('node:assert/strict');
const { SellkitError } = require('sellkit');
const { useSimulator, timed, PROFILE } = require('./helpers.js');

const sim = useSimulator();

function isAbortError(e) {
  return e instanceof Error && e.name === 'AbortError' && e.code === 'ABORT_ERR' && !(e instanceof SellkitError);
}

test('aborting a slow call rejects promptly with AbortError', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().setLatency(5000);
  const controller = new AbortController();
  const call = client.users.get({ signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  const { ms, error } = await timed(call);
  assert.ok(isAbortError(error), String(error));
  assert.ok(ms < 1000, `took ${ms} ms`);
  sim().setLatency(0);
  // The client still works afterwards.
  assert.equal((await client.users.get()).mage_id, sim().eqpMageId);
});

test('AbortSignal.timeout cancels too, and the reason is the cause', async () => {
  const client = sim().eqpClient();
  sim().setLatency(5000);
  const { ms, error } = await timed(client.authenticate({ signal: AbortSignal.timeout(150) }));
  assert.ok(isAbortError(error), String(error));
  assert.equal(error.cause?.name, 'TimeoutError');
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.equal(client.mageId, null);
});

test('an already aborted signal rejects without sending', async () => {
  const client = sim().eqpClient();
  const controller = new AbortController();
  controller.abort(new Error('changed my mind'));
  const error = await client.users.get({ signal: controller.signal }).catch((e) => e);
  assert.ok(isAbortError(error), String(error));
  assert.equal(error.cause.message, 'changed my mind');
  assert.deepEqual(sim().requestCounts(), {});
});

test('a signal that never aborts changes nothing, and its listener is removed', async () => {
  const client = sim().eqpClient();
  const controller = new AbortController();
  let added = 0;
  let removed = 0;
  const { signal } = controller;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...a) => { added++; return add(...a); };
  signal.removeEventListener = (...a) => { removed++; return remove(...a); };
  const profile = await client.users.get({ style: 'summary', signal });
  assert.equal(profile.mage_id, sim().eqpMageId);
  await client.request('GET', '/rest/v1/nope', { signal }).catch(() => {});
  assert.equal(added, 2);
  assert.equal(removed, 2);
  controller.abort();
});

test('aborting while a token is being fetched leaves the next call working', async () => {
  const client = sim().eqpClient();
  sim().setLatency(2000);
  const controller = new AbortController();
  const first = client.users.get({ signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  assert.ok(isAbortError(await first.catch((e) => e)));
  sim().setLatency(0);
  assert.equal((await client.users.get()).mage_id, sim().eqpMageId);
  assert.ok(sim().requestCount(PROFILE) >= 1);
});
