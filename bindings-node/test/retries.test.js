'use strict';
// Retries: statuses worth retrying are retried (honouring Retry-After up to 60 s), a longer
// Retry-After fails at once, and a POST that reached the server is never repeated.

const test = require('node:test');
const assert = require('node:assert/strict');
const { RateLimitError, ServerError, SellkitError, APITimeoutError } = require('sellkit');
const { useSimulator, timed, PROFILE } = require('./helpers.js');

const sim = useSimulator();
const PACKAGES = 'POST /rest/v1/products/packages';

test('a 503 with Retry-After: 1 is retried after a second and succeeds', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().failNext(PROFILE, { count: 1, status: 503, retryAfter: '1' });
  const { ms, value, error } = await timed(client.users.get());
  assert.equal(error, undefined);
  assert.equal(value.mage_id, sim().eqpMageId);
  assert.equal(sim().requestCount(PROFILE), 2);
  assert.ok(ms >= 900, `waited ${ms} ms`);
});

test('Retry-After: 120 fails at once with a RateLimitError carrying retryAfter', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().failNext(PROFILE, { count: 1, status: 503, retryAfter: '120' });
  const { ms, error } = await timed(client.users.get());
  assert.ok(error instanceof RateLimitError, String(error));
  assert.ok(error instanceof SellkitError);
  assert.equal(error.kind, 'rate_limited');
  assert.equal(error.code, 'rate-limited');
  assert.equal(error.retryAfter, 120);
  assert.equal(error.status, 503);
  assert.equal(sim().requestCount(PROFILE), 1);
  assert.ok(ms < 2000, `took ${ms} ms`);
});

test('a 429 with a short Retry-After is retried', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().failNext(PROFILE, { count: 2, status: 429, retryAfter: 0 });
  await client.users.get();
  assert.equal(sim().requestCount(PROFILE), 3);
});

test('retries stop after maxRetries', async () => {
  const client = sim().eqpClient({ maxRetries: 1 });
  await client.authenticate();
  sim().failNext(PROFILE, { count: 5, status: 502, retryAfter: '0' });
  const err = await client.users.get().catch((e) => e);
  assert.ok(err instanceof ServerError, String(err));
  assert.equal(err.status, 502);
  assert.equal(sim().requestCount(PROFILE), 2);
});

test('a POST that reached the server is not retried', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().failNext(PACKAGES, { count: 1, status: 503, retryAfter: '0' });
  const err = await client.request('POST', '/rest/v1/products/packages', { json: [{ sku: 'acme/module-demo' }] }).catch((e) => e);
  assert.ok(err instanceof ServerError, String(err));
  assert.equal(err.status, 503);
  assert.equal(sim().requestCount(PACKAGES), 1);
});

test('an answer slower than the timeout is an APITimeoutError', async () => {
  const client = sim().eqpClient({ maxRetries: 0 });
  await client.authenticate();
  sim().setLatency(1500);
  const { ms, error } = await timed(client.users.get({ timeout: 200 }));
  sim().setLatency(0);
  assert.ok(error instanceof APITimeoutError, String(error));
  assert.equal(error.kind, 'timeout');
  assert.ok(ms < 1200, `took ${ms} ms`);
});

for (const fault of ['drop-before', 'drop-after', 'truncate']) {
  test(`a POST whose answer is lost (${fault}) says its outcome is unknown and is not sent again`, async () => {
    const client = sim().eqpClient();
    await client.authenticate();
    const before = sim().eqpPackageCount();
    sim().injectFault(PACKAGES, fault);
    const err = await client.request('POST', '/rest/v1/products/packages', { json: [{ name: 'lost answer', item_id: `lost-${fault}` }] }).catch((e) => e);
    assert.ok(err instanceof SellkitError && err.kind === 'connection', String(err));
    assert.equal(err.outcomeUnknown, true);
    assert.equal(sim().requestCount(PACKAGES), 1);
    assert.equal(sim().eqpPackageCount() - before, fault === 'drop-before' ? 0 : 1);
  });
}

test('a stalled answer is an APITimeoutError of unknown outcome', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().injectFault(PACKAGES, 'stall', { stallMs: 900 });
  const err = await client.request('POST', '/rest/v1/products/packages', { json: [{ name: 'stalled' }], timeout: 300 }).catch((e) => e);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.equal(err.outcomeUnknown, true);
  assert.equal(sim().requestCount(PACKAGES), 1);
});

test('an answered failure changed nothing and says so; a truncated GET is retried', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().failNext(PACKAGES, { count: 1, status: 503 });
  const err = await client.request('POST', '/rest/v1/products/packages', { json: [{ name: 'x' }] }).catch((e) => e);
  assert.ok(err instanceof ServerError, String(err));
  assert.equal(err.outcomeUnknown, false);
  sim().injectFault(PROFILE, 'truncate');
  const me = await client.users.get();
  assert.equal(me.mage_id, sim().eqpMageId);
  assert.equal(sim().requestCount(PROFILE), 2);
});
