// The package loads as an ES module, with the same classes as through require().

import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from 'sellkit';
import sellkit, { EqpClient, startSimulator, SellkitError, RateLimitError, InvalidInputError } from 'sellkit';

const require = createRequire(import.meta.url);

test('ESM and CommonJS give the same objects', () => {
  const cjs = require('sellkit');
  assert.equal(EqpClient, cjs.EqpClient);
  assert.equal(SellkitError, cjs.SellkitError);
  assert.equal(sellkit, cjs);
  assert.equal(require('../..'), cjs);
  assert.ok(Object.getPrototypeOf(RateLimitError) === esm.APIStatusError && RateLimitError.prototype instanceof SellkitError);
  for (const name of ['MarktplaatsClient', 'BatchResult', 'BatchError', 'parseCallback', 'authorizationUrl',
    'verifyWebhook', 'signWebhook', 'parseWebhook', 'resolveLocale']) {
    assert.equal(typeof sellkit[name], 'function', name);
    assert.equal(sellkit[name], cjs[name], name);
  }
  assert.ok(new sellkit.BatchError('m') instanceof SellkitError);
});

test('the API modules load from ESM with their clients, resources and functions', async () => {
  const { eqp, marktplaats } = await import('sellkit');
  const cjs = require('sellkit');
  assert.equal(eqp, cjs.eqp);
  assert.equal(marktplaats, cjs.marktplaats);
  assert.equal(eqp.EqpClient, EqpClient);
  assert.equal(marktplaats.MarktplaatsClient, cjs.MarktplaatsClient);
  for (const name of ['Users', 'Keys', 'Files', 'Packages', 'TestResults', 'parseCallback']) assert.equal(typeof eqp[name], 'function', name);
  for (const name of ['Ads', 'Bids', 'Orders', 'authorizationUrl', 'signWebhook']) assert.equal(typeof marktplaats[name], 'function', name);
  const [url, state] = marktplaats.authorizationUrl('id', 'https://app.example.com/cb', { state: 's1' });
  assert.ok(url.startsWith('https://') && state === 's1');
});

test('patch loads from ESM: the same object, working', async () => {
  const { patch } = await import('sellkit');
  assert.equal(patch, require('sellkit').patch);
  const ops = patch.diff({ a: 1 }, { a: 2 });
  assert.deepEqual(ops, [{ op: 'replace', path: '/a', value: 2 }]);
  assert.deepEqual(patch.apply({ a: 1 }, ops), { a: 2 });
  assert.throws(() => patch.validate([{ op: 'copy', from: '/a', path: '/b' }], { serverSafe: true }),
    (e) => e instanceof InvalidInputError && e.code === 'invalid-patch-operation');
});

test('every error class is exported from ESM as from CommonJS, one per kind', () => {
  const cjs = require('sellkit');
  const names = Object.keys(cjs).filter((name) => name.endsWith('Error'));
  assert.equal(names.length, 16);
  const kinds = new Set();
  for (const name of names) {
    const cls = esm[name];
    assert.equal(cls, cjs[name], name);
    assert.equal(cls.name, name);
    const e = new cls('m');
    assert.ok(e instanceof SellkitError && e instanceof Error);
    assert.equal(e.name, name);
    if (cls.kind) kinds.add(cls.kind);
  }
  assert.equal(kinds.size, 14);
  assert.equal(cjs.APIError, undefined);
});

test('a call works from ESM', async () => {
  const sim = await startSimulator();
  try {
    const client = sim.eqpClient();
    assert.equal(await client.authenticate(), sim.eqpMageId);
    const summary = await client.users.get({ style: 'summary' });
    assert.equal(summary.mage_id, sim.eqpMageId);
    assert.throws(() => new EqpClient({ appId: '', appSecret: 'x' }), InvalidInputError);
  } finally {
    await sim.stop();
  }
});
