'use strict';
// Session tokens: one token serves many calls; a stale token is refreshed once for everyone;
// a 401 is answered by one refresh and one replay.

const test = require('node:test');
const assert = require('node:assert/strict');
const { AuthenticationError } = require('sellkit');
const { useSimulator, TOKEN, PROFILE } = require('./helpers.js');

const sim = useSimulator();

test('one token request serves many calls', async () => {
  const client = sim().eqpClient();
  for (let i = 0; i < 5; i++) await client.users.get({ style: 'summary' });
  await Promise.all(Array.from({ length: 20 }, () => client.users.get()));
  assert.equal(sim().requestCount(TOKEN), 1);
  assert.equal(sim().requestCount(PROFILE), 25);
});

test('many concurrent first calls share one token request', async () => {
  const client = sim().eqpClient();
  await Promise.all(Array.from({ length: 30 }, () => client.users.get()));
  assert.equal(sim().requestCount(TOKEN), 1);
});

test('50 concurrent calls after expireAllTokens cause exactly one more token request', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  assert.equal(sim().requestCount(TOKEN), 1);
  sim().expireAllTokens();
  const profiles = await Promise.all(Array.from({ length: 50 }, () => client.users.get({ style: 'summary' })));
  assert.equal(profiles.length, 50);
  assert.ok(profiles.every((p) => p.mage_id === sim().eqpMageId));
  assert.equal(sim().requestCount(TOKEN), 2);
});

test('a 401 on a call is answered by one refresh and one replay', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().resetCounters();
  sim().failNext(PROFILE, { count: 1, status: 401 });
  const profile = await client.users.get();
  assert.equal(profile.mage_id, sim().eqpMageId);
  assert.equal(sim().requestCount(TOKEN), 1);
  assert.equal(sim().requestCount(PROFILE), 2);
});

test('a second 401 is an AuthenticationError', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  sim().resetCounters();
  sim().failNext(PROFILE, { count: 2, status: 401 });
  const err = await client.users.get().catch((e) => e);
  assert.ok(err instanceof AuthenticationError, String(err));
  assert.equal(err.status, 401);
  assert.equal(err.kind, 'authentication');
  assert.equal(sim().requestCount(TOKEN), 1);
  assert.equal(sim().requestCount(PROFILE), 2);
});

test('wrong credentials are an AuthenticationError from the token endpoint', async () => {
  const client = sim().eqpClient({ appSecret: 'not-the-secret' });
  const err = await client.authenticate().catch((e) => e);
  assert.ok(err instanceof AuthenticationError, String(err));
  assert.equal(err.status, 401);
  assert.equal(client.mageId, null);
});
