'use strict';
// The EQP client against the simulator: every operation, results as plain objects.

const test = require('node:test');
const assert = require('node:assert/strict');
const { EqpClient, SellkitError, NotFoundError, ValidationError, InvalidInputError } = require('sellkit');
const { useSimulator, TOKEN, PROFILE, PROFILE_UPDATE } = require('./helpers.js');

const sim = useSimulator();

test('authenticate resolves to the mage_id and the client remembers it', async () => {
  const client = sim().eqpClient();
  assert.equal(client.mageId, null);
  assert.equal(await client.authenticate(), sim().eqpMageId);
  assert.equal(client.mageId, sim().eqpMageId);
  assert.equal(sim().requestCount(TOKEN), 1);
});

test('the constructor takes the documented options', async () => {
  const s = sim();
  const client = new EqpClient({
    appId: s.eqpAppId,
    appSecret: s.eqpAppSecret,
    environment: 'sandbox',
    baseUrl: s.eqpUrl,
    timeout: 5000,
    connectTimeout: 1000,
    uploadTimeout: 60000,
    maxRetries: 1,
    userAgentSuffix: 'tests/1.0',
    tokenLifetime: 600,
  });
  assert.equal(client.baseUrl, `${s.eqpUrl}/`);
  assert.equal(client.environment, 'sandbox');
  assert.equal(await client.authenticate(), s.eqpMageId);
});

test('users.get reads the full profile as a plain object', async () => {
  const client = sim().eqpClient();
  const profile = await client.users.get();
  assert.equal(Object.getPrototypeOf(profile), Object.prototype);
  assert.equal(profile.mage_id, sim().eqpMageId);
  assert.equal(typeof profile.first_name, 'string');
  assert.equal(typeof profile.has_completed_profile, 'boolean');
  assert.ok(Array.isArray(profile.personal_profile.addresses));
  assert.ok('company_profile' in profile);
  // The first call authenticated on the way and learnt the mage_id.
  assert.equal(client.mageId, sim().eqpMageId);
  assert.equal(sim().requestCount(TOKEN), 1);
  assert.equal(sim().requestCount(PROFILE), 1);
});

test('users.get({style: "summary"}) reads the summary', async () => {
  const client = sim().eqpClient();
  const summary = await client.users.get({ style: 'summary' });
  assert.deepEqual(Object.keys(summary).sort(), [
    'adobe_user_id', 'email', 'first_name', 'has_accepted_tos', 'has_completed_profile',
    'last_name', 'mage_id', 'profile_image_artifact', 'screen_name',
  ]);
  const full = await client.users.get({ style: 'full' });
  assert.ok(Object.keys(full).length > Object.keys(summary).length);
});

test('an unknown style is refused before sending', async () => {
  const client = sim().eqpClient();
  await assert.rejects(client.users.get({ style: 'tiny' }), (e) => e instanceof InvalidInputError && e.field === 'style');
  assert.equal(sim().requestCount(PROFILE), 0);
});

test('users.update sends only the changed fields and resolves to the updated profile', async () => {
  const client = sim().eqpClient();
  const bio = `Updated by the Node tests at ${Date.now()}`;
  const updated = await client.users.update({ action: 'draft', personal_profile: { bio } });
  assert.equal(updated.personal_profile.bio, bio);
  assert.equal((await client.users.get()).personal_profile.bio, bio);
  assert.equal(sim().requestCount(PROFILE_UPDATE), 1);
  await assert.rejects(client.users.update({ action: 'publish' }), (e) => e instanceof InvalidInputError && e.field === 'action');
  await assert.rejects(client.users.update({}), (e) => e instanceof InvalidInputError && e.field === 'fields');
  assert.equal(sim().requestCount(PROFILE_UPDATE), 1);
});

test('request reaches any endpoint with the same auth and errors', async () => {
  const client = sim().eqpClient();
  const mageId = await client.authenticate();
  const profile = await client.request('GET', `/rest/v1/users/${mageId}?style=summary`);
  assert.equal(profile.mage_id, mageId);
  const lower = await client.request('get', `/rest/v1/users/${mageId}`);
  assert.equal(lower.mage_id, mageId);

  const err = await client.request('GET', '/rest/v1/no/such/thing').catch((e) => e);
  assert.ok(err instanceof NotFoundError);
  assert.ok(err instanceof SellkitError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'NotFoundError');
  assert.equal(err.kind, 'not_found');
  assert.equal(err.code, 'not-found');
  assert.equal(err.status, 404);
  assert.equal(err.apiCode, 404);
  assert.deepEqual(err.details, []);
  assert.equal(err.retryAfter, null);
  assert.match(err.body, /no route/);
  assert.match(err.message, /404/);

  const bad = await client.request('PUT', `/rest/v1/users/${mageId}`, { json: { action: 'publish' } }).catch((e) => e);
  assert.ok(bad instanceof ValidationError, String(bad));
  assert.equal(bad.status, 400);

  await assert.rejects(client.request('TELEPORT', '/x'), (e) => e instanceof InvalidInputError && e.field === 'method');
  await assert.rejects(client.request('GET', 'relative'), (e) => e instanceof InvalidInputError && e.field === 'path');
});

test('withOptions shares the session and overrides settings', async () => {
  const client = sim().eqpClient();
  await client.authenticate();
  const quick = client.withOptions({ timeout: 2000, maxRetries: 0 });
  assert.ok(quick instanceof EqpClient);
  assert.equal(quick.mageId, client.mageId);
  await quick.users.get();
  assert.equal(sim().requestCount(TOKEN), 1);
  sim().failNext(PROFILE, { count: 1, status: 503, retryAfter: '0' });
  await assert.rejects(quick.users.get(), { name: 'ServerError', status: 503 });
  assert.throws(() => client.withOptions({ maxRetries: 11 }), (e) => e instanceof InvalidInputError && e.field === 'maxRetries');
  // Per call, too.
  sim().failNext(PROFILE, { count: 1, status: 503, retryAfter: '0' });
  await assert.rejects(client.users.get({ maxRetries: 0 }), { name: 'ServerError' });
});

test('a closed client rejects its calls', async () => {
  const client = sim().eqpClient();
  client.close();
  await assert.rejects(client.users.get(), (e) => e instanceof InvalidInputError && e.code === 'client-closed');
  assert.deepEqual(sim().requestCounts(), {});
});

test('Symbol.dispose and Symbol.asyncDispose close a client (what `using` calls)', async () => {
  assert.equal(typeof Symbol.dispose, 'symbol', 'Node defines Symbol.dispose');
  assert.equal(typeof Symbol.asyncDispose, 'symbol', 'Node defines Symbol.asyncDispose');
  const client = sim().eqpClient();
  await client.authenticate();
  assert.equal(client.closed, false);
  client[Symbol.dispose]();
  assert.equal(client.closed, true);
  await assert.rejects(client.users.get(), (e) => e instanceof InvalidInputError && e.code === 'client-closed');
  client[Symbol.dispose]();

  const other = sim().eqpClient();
  const disposed = other[Symbol.asyncDispose]();
  assert.ok(disposed instanceof Promise);
  assert.equal(await disposed, undefined);
  assert.equal(other.closed, true);
  // A client derived with withOptions is released on its own; the original goes on.
  const base = sim().eqpClient();
  const quick = base.withOptions({ timeout: 1000 });
  quick[Symbol.dispose]();
  assert.equal(quick.closed, true);
  assert.equal((await base.users.get({ style: 'summary' })).mage_id, sim().eqpMageId);
  sim().resetCounters();
  await assert.rejects(other.authenticate(), (e) => e.code === 'client-closed');
  assert.deepEqual(sim().requestCounts(), {});
});

test('the simulator disposes asynchronously too', async () => {
  const { startSimulator } = require('sellkit');
  const s = await startSimulator();
  const client = s.eqpClient({ maxRetries: 0, connectTimeout: 500 });
  assert.equal(await client.authenticate(), s.eqpMageId);
  await s[Symbol.asyncDispose]();
  await assert.rejects(client.users.get(), (e) => e instanceof SellkitError && e.kind === 'connection');
});
