'use strict';
// Errors and helpers that keep users safe, against the simulator: a validation error's message
// names each field with the server's reason (a request's and a batch item's), and waitForScan
// with `requirePass` (or `raiseForScanFailures(report)`) stops the release flow, naming the
// files that failed, before a package refers to them (the service refuses such a package: item
// code 1213).

const test = require('node:test');
const assert = require('node:assert/strict');
const {
  ValidationError, BatchError, APITimeoutError, AuthenticationError, verifyWebhook, parseWebhook, signWebhook, raiseForScanFailures,
} = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();

function cdPlayer(title) {
  return {
    categoryId: 35, title, description: 'An awesome cd-player',
    priceModel: { modelType: 'fixed', askingPrice: 3241 }, location: { postcode: '1097DN' },
  };
}

test('a server validation error names each field with its reason', async () => {
  const mp = await sim().marktplaatsClient('2dehands');
  const bad = { ...cdPlayer('ab'), categoryId: 31 }; // a top-level category, not a leaf
  const err = await mp.request('POST', '/v1/advertisements', { json: bad }).catch((e) => e);
  assert.ok(err instanceof ValidationError, String(err));
  assert.ok(err.message.startsWith('HTTP 400 Bad Request: Validation failed: categoryId: Must be the id of a leaf (L2) category; '
    + 'title: Minimum of 3 characters'), err.message);
  assert.deepEqual(err.details.map((d) => d.field), ['categoryId', 'title']);

  const { description, priceModel, location, ...worse } = bad;
  assert.ok(description && priceModel && location);
  const many = await mp.request('POST', '/v1/advertisements', { json: worse }).catch((e) => e);
  assert.equal(many.details.length, 5);
  assert.match(many.message, /description: This field is required and 2 more /);
});

test('a failed batch item names the field in its message', async () => {
  const c = sim().eqpClient();
  const result = await c.packages.create([{ item_id: 'incomplete-1', name: 'Incomplete', action: { technical: 'submit' } }]);
  const [item] = result.items;
  assert.equal(item.ok, false);
  assert.equal(item.code, 1208);
  assert.match(item.message, /missing type/);
  assert.throws(() => result.throwForFailures(), (e) => e instanceof BatchError && /missing type/.test(e.message));
});

test('requirePass names the files that failed before a package uses them', async () => {
  const c = sim().eqpClient();
  const [good, bad] = (await c.files.upload([
    { filename: 'good.zip', data: Buffer.from('PK') },
    { filename: 'malware.zip', data: Buffer.from('PK') },
  ])).map((r) => r.file_upload_id);
  const err = await c.files.waitForScan([good, bad], { timeout: 5000, interval: 50, requirePass: true }).catch((e) => e);
  assert.ok(err instanceof ValidationError, String(err));
  assert.equal(err.code, 'malware-scan-failed');
  assert.ok(err.message.includes(`malware.zip (id ${bad}, status fail)`) && !err.message.includes('good.zip'), err.message);
  assert.deepEqual(err.details.map((d) => [d.field, d.code]), [[bad, 'fail']]);
  const report = await c.files.waitForScan([good, bad], { timeout: 5000, interval: 50 });
  assert.deepEqual(report.failed.map((r) => r.filename), ['malware.zip']);
  assert.throws(() => raiseForScanFailures(report), (e) => e instanceof ValidationError && e.message === err.message);
  const passed = await c.files.waitForScan([good], { timeout: 5000, interval: 50, requirePass: true });
  assert.equal(passed.all_passed, true);
  assert.equal(raiseForScanFailures(passed), null);

  // What the check prevents: the service refuses a package whose artifact failed the scan.
  const result = await c.packages.create([{ item_id: 'unsafe-1', name: 'Unsafe', artifact: { file_upload_id: bad } }]);
  assert.equal(result.items[0].code, 1213);

  sim().setEqpScanDelay(30_000);
  try {
    const [slow] = await c.files.upload([{ filename: 'slow.zip', data: Buffer.from('PK') }]);
    const pending = await c.files.waitForScan([slow.file_upload_id], { timeout: 200, interval: 50, requirePass: true }).catch((e) => e);
    assert.ok(pending instanceof APITimeoutError, String(pending));
    assert.equal(pending.code, 'malware-scan-pending');
    assert.ok(pending.message.includes(slow.file_upload_id));
  } finally {
    sim().setEqpScanDelay(200);
  }
});

test('verifyWebhook is false and parseWebhook an AuthenticationError without a signature', () => {
  const body = '{"id":"1","eventType":"advertisementCreated","created":"2015-01-01T11:00:00.000Z","eventData":{}}';
  for (const missing of [undefined, null, '']) {
    assert.equal(verifyWebhook(body, missing, 's3cr3t'), false);
    assert.throws(() => parseWebhook(Buffer.from(body), missing, 's3cr3t'),
      (e) => e instanceof AuthenticationError && e.code === 'invalid-signature');
  }
  assert.equal(parseWebhook(body, signWebhook(body, 's3cr3t'), 's3cr3t').id, '1');
});
