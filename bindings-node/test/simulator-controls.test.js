'use strict';
// The simulator's controls from Node.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { verifyWebhook } = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();

test('EQP controls: scan verdict, review verdict, package count', async () => {
  const s = sim();
  const c = s.eqpClient();
  s.setEqpScanVerdict('fail');
  try {
    const [f] = await c.files.upload([{ filename: 'clean.zip', data: Buffer.from('x') }]);
    const r = await c.files.waitForScan([f.file_upload_id], { timeout: 5000, interval: 50 });
    assert.equal(r.failed.length, 1);
  } finally {
    s.setEqpScanVerdict('pass');
  }
  const before = s.eqpPackageCount();
  s.setEqpReviewDelay(50);
  s.setEqpReviewVerdict('fail');
  try {
    const r = await c.packages.create([{ name: 'ctl', item_id: 'ctl-1' }]);
    assert.equal(s.eqpPackageCount(), before + 1);
    assert.equal(s.completeEqpReview(r.items[0].data.submission_id, 'technical', 'pass'), false, 'not in review');
  } finally {
    s.setEqpReviewVerdict('pass');
    s.setEqpReviewDelay(500);
  }
  assert.throws(() => s.setEqpScanVerdict('maybe'), /verdict/);
});

test('Marktplaats controls: token lifetime, sent webhooks, URLs per platform', async () => {
  const s = sim();
  const urls = ['marktplaats', '2dehands', '2ememain'].map((p) => s.marktplaatsUrl(p));
  assert.equal(new Set(urls).size, 3);
  assert.throws(() => s.marktplaatsUrl('ebay'), /platform/);
  s.setMpTokenLifetime(1);
  try {
    const client = await s.marktplaatsClient('marktplaats');
    await new Promise((r) => setTimeout(r, 1100));
    s.resetCounters();
    await client.users.me();
    assert.equal(s.requestCount('POST /accounts/oauth/token'), 1, 'refreshed');
  } finally {
    s.setMpTokenLifetime(43199);
  }
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => { got.push({ sig: req.headers['x-ecg-signature'], body: Buffer.concat(chunks) }); res.end(); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    s.setMpWebhook(`http://127.0.0.1:${server.address().port}/h`, 'k3y');
    s.mpSendWebhook('customEvent', { a: 1 });
    for (let i = 0; i < 250 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(verifyWebhook(got[0].body, got[0].sig, 'k3y'), true);
    const deliveries = s.mpWebhookDeliveries();
    assert.equal(deliveries.at(-1).eventType, 'customEvent');
  } finally {
    s.setMpWebhook(null, '');
    server.close();
    server.closeAllConnections();
  }
  assert.equal(s.mpAd('marktplaats', 'm-none'), null);
});
