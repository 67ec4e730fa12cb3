'use strict';
// Bad settings are refused before anything is sent, naming the option as the caller wrote it.

const test = require('node:test');
const assert = require('node:assert/strict');
const { EqpClient, InvalidInputError, SellkitError, authorizationUrl, signWebhook } = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();

function refused(options, field) {
  let caught;
  try {
    new EqpClient(options);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InvalidInputError, `expected InvalidInputError, got ${caught}`);
  assert.ok(caught instanceof SellkitError);
  assert.equal(caught.kind, 'invalid_input');
  assert.equal(caught.code, 'invalid-input');
  assert.equal(caught.field, field, caught.message);
  assert.equal(caught.status, null);
  return caught;
}

test('an http:// base URL that is not loopback is refused', () => {
  const s = sim();
  const e = refused({ appId: s.eqpAppId, appSecret: s.eqpAppSecret, baseUrl: 'http://example.com' }, 'baseUrl');
  assert.match(e.message, /https/);
  assert.deepEqual(s.requestCounts(), {});
});

test('an empty appId is refused', () => {
  const s = sim();
  refused({ appId: '', appSecret: s.eqpAppSecret, baseUrl: s.eqpUrl }, 'appId');
  refused({ appSecret: s.eqpAppSecret, baseUrl: s.eqpUrl }, 'appId');
  refused({ appId: s.eqpAppId, appSecret: '  ', baseUrl: s.eqpUrl }, 'appSecret');
  assert.deepEqual(s.requestCounts(), {});
});

test('an unknown environment is refused', () => {
  const s = sim();
  const e = refused({ appId: s.eqpAppId, appSecret: s.eqpAppSecret, environment: 'staging' }, 'environment');
  assert.match(e.message, /sandbox/);
  assert.deepEqual(s.requestCounts(), {});
});

test('other settings name their option', () => {
  const base = { appId: 'id', appSecret: 'secret' };
  refused({ ...base, timeout: 0 }, 'timeout');
  refused({ ...base, connectTimeout: -5 }, 'connectTimeout');
  refused({ ...base, maxRetries: 11 }, 'maxRetries');
  refused({ ...base, maxRetries: -1 }, 'maxRetries');
  refused({ ...base, maxRetries: 1.5 }, 'maxRetries');
  refused({ ...base, tokenLifetime: 0 }, 'tokenLifetime');
  refused({ ...base, userAgentSuffix: 'bad\nsuffix' }, 'userAgentSuffix');
  refused({ ...base, appId: 42 }, 'appId');
  refused({ ...base, appID: 'typo' }, 'appID');
  refused({ ...base, environment: 'sandbox', baseUrl: 'ftp://example.com' }, 'baseUrl');
  assert.throws(() => new EqpClient(null), InvalidInputError);
});

test('loopback http:// and the named environments are accepted', () => {
  for (const baseUrl of ['http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9']) {
    assert.ok(new EqpClient({ appId: 'id', appSecret: 'secret', baseUrl }));
  }
  for (const environment of ['production', 'sandbox', 'legacy-production', 'legacy-sandbox']) {
    const c = new EqpClient({ appId: 'id', appSecret: 'secret', environment });
    assert.equal(c.environment, environment);
    assert.match(c.baseUrl, /^https:\/\//);
  }
  assert.equal(new EqpClient({ appId: 'id', appSecret: 'secret' }).environment, 'production');
});

test('arguments that cannot be sent as JSON are refused before sending', async () => {
  const s = sim();
  const client = s.eqpClient();
  const cyclic = {};
  cyclic.self = cyclic;
  await assert.rejects(client.users.update(cyclic), (e) => e instanceof InvalidInputError && e.field.startsWith('fields.self.self'));
  await assert.rejects(client.request('POST', '/rest/v1/x', { n: 1n }), (e) => e instanceof InvalidInputError);
  assert.deepEqual(s.requestCounts(), {});
});

test('an unknown option is refused by name, before sending', async () => {
  const s = sim();
  const mp = await s.marktplaatsClient('marktplaats');
  const eqp = s.eqpClient();
  await eqp.authenticate();
  s.resetCounters();
  await assert.rejects(mp.ads.renew('m1', { orderID: 5 }), (e) => {
    assert.ok(e instanceof InvalidInputError, String(e));
    assert.equal(e.field, 'orderID');
    assert.match(e.message, /orderId/, 'the options it takes are listed');
    return true;
  });
  // snake_case is not the Node spelling; call settings are known to every method.
  await assert.rejects(mp.ads.renew('m1', { order_id: 5 }), (e) => e instanceof InvalidInputError && e.field === 'order_id');
  await assert.rejects(eqp.users.get({ styel: 'summary' }), (e) => e instanceof InvalidInputError && e.field === 'styel');
  await assert.rejects(eqp.users.get({ max_retries: 0 }), (e) => e instanceof InvalidInputError && e.field === 'max_retries');
  assert.throws(() => eqp.packages.list({ pagesize: 2 }), (e) => e instanceof InvalidInputError && e.field === 'pagesize');
  assert.throws(() => authorizationUrl('a', 'https://app.example.com/cb', { scope: ['read'] }),
    (e) => e instanceof InvalidInputError && e.field === 'scope');
  assert.deepEqual(s.requestCounts(), {});
});

test('an argument too many is refused, not dropped', async () => {
  const s = sim();
  const eqp = s.eqpClient();
  await eqp.authenticate();
  s.resetCounters();
  // The shape of the old surface: parameters, then call settings. The settings would be lost.
  await assert.rejects(eqp.users.get({}, { maxRetries: 0 }), (e) => e instanceof InvalidInputError && e.field === 'arguments');
  await assert.rejects(eqp.packages.get('s1', {}, {}), (e) => e instanceof InvalidInputError && e.field === 'arguments');
  assert.throws(() => eqp.packages.list({}, {}), (e) => e instanceof InvalidInputError && e.field === 'arguments');
  assert.throws(() => signWebhook('{}', 'secret', {}), (e) => e instanceof InvalidInputError && e.field === 'arguments');
  // A value where the options object goes names what comes first.
  await assert.rejects(eqp.packages.get('s1', 's2'), (e) => e instanceof InvalidInputError && e.field === 'options' && /submissionId/.test(e.message));
  assert.deepEqual(s.requestCounts(), {});
});
