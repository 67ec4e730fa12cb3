'use strict';
// mp.ads.sync through Node against the simulator: the plan and its counts, a price change as one
// patch, removal with deleteMissing, an invalid item refused locally with its field, a dry run
// that only reads, a create whose answer is lost, state in a file and in Redis.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { useSimulator } = require('./helpers.js');
const { RedisServer } = require('./redis-server.js');

const sim = useSimulator();
const CREATE = 'POST /v1/advertisements';
const PATCH = 'PATCH /v1/advertisements/{itemId}';
const DELETE = 'DELETE /v1/advertisements/{itemId}';

function product(title, cents) {
  return {
    categoryId: 35, title, description: 'Plays every cd', condition: 'Nieuw',
    priceModel: { modelType: 'fixed', askingPrice: cents }, location: { postcode: '1097DN' },
  };
}

function catalogue(prefix, n) {
  const c = {};
  for (let i = 1; i <= n; i += 1) c[`${prefix}-${i}`] = product(`${prefix} player ${i}`, 1000 + i);
  return c;
}

/** How many of the seller's ads carry each title starting with `prefix`. */
async function titles(client, prefix) {
  const seen = {};
  for await (const ad of client.users.ads()) {
    if (ad.title.startsWith(prefix)) seen[ad.title] = (seen[ad.title] ?? 0) + 1;
  }
  return seen;
}

test('plan, counts, one patch for a price change, removal with deleteMissing', async () => {
  const s = sim();
  const client = await s.marktplaatsClient();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-sync-'));
  const state = pathToFileURL(path.join(dir, 'sync.json')).href;
  const cat = catalogue('Plan', 3);
  const first = await client.ads.sync(cat, { state });
  assert.deepEqual(first.items.map((i) => [i.key, i.action]), [['Plan-1', 'created'], ['Plan-2', 'created'], ['Plan-3', 'created']]);
  assert.deepEqual(first.counts, { created: 3, updated: 0, unchanged: 0, deleted: 0, invalid: 0, failed: 0 });

  cat['Plan-1'].priceModel.askingPrice = 1999;
  s.resetCounters();
  const priced = await client.ads.sync(cat, { state });
  assert.deepEqual([priced.counts.updated, priced.counts.unchanged], [1, 2]);
  assert.equal(s.requestCount(PATCH), 1);
  assert.equal((await client.ads.get(priced.items[0].itemId)).priceModel.askingPrice, 1999);

  delete cat['Plan-3'];
  const removed = await client.ads.sync(cat, { state, deleteMissing: true });
  assert.deepEqual(removed.items.at(-1).key, 'Plan-3');
  assert.equal(removed.items.at(-1).action, 'deleted');
  assert.equal(s.requestCount(DELETE), 1);
  assert.deepEqual(await titles(client, 'Plan'), { 'Plan player 1': 1, 'Plan player 2': 1 });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an invalid item is refused with its field; a dry run only reads', async () => {
  const s = sim();
  const client = await s.marktplaatsClient();
  const cat = catalogue('Dry', 2);
  cat['Dry-2'].condition = 'Kapot';
  s.resetCounters();
  const plan = await client.ads.sync(cat, { dryRun: true });
  assert.deepEqual(plan.items.map((i) => i.action), ['created', 'invalid']);
  for (const [route, n] of Object.entries(s.requestCounts())) {
    assert.ok(n === 0 || route.startsWith('GET '), `a dry run sent ${n} × ${route}`);
  }
  const result = await client.ads.sync(cat);
  const { action, error } = result.items[1];
  assert.deepEqual([action, error.field, error.kind], ['invalid', 'condition', 'invalid_input']);
  assert.equal(s.requestCount(CREATE), 1);
  assert.equal((await client.ads.sync(cat)).counts.unchanged, 1, 'memory: is the client\'s own');
});

test('a create whose answer is lost is not sent twice', async () => {
  const s = sim();
  const client = await s.marktplaatsClient();
  const cat = catalogue('Lost', 3);
  s.injectFault(CREATE, 'drop-after');
  const result = await client.ads.sync(cat, { concurrency: 1 });
  assert.equal(result.counts.created, 3, JSON.stringify(result));
  assert.equal(s.requestCount(CREATE), 3);
  assert.deepEqual(await titles(client, 'Lost'), { 'Lost player 1': 1, 'Lost player 2': 1, 'Lost player 3': 1 });
});

test('state in Redis is shared by two clients', async () => {
  const s = sim();
  const redis = await RedisServer.start();
  try {
    const cat = catalogue('Redis', 2);
    const first = await (await s.marktplaatsClient()).ads.sync(cat, { state: redis.url });
    assert.equal(first.counts.created, 2);
    const second = await (await s.marktplaatsClient()).ads.sync(cat, { state: redis.url });
    assert.equal(second.counts.unchanged, 2);
    assert.equal(s.requestCount(CREATE), 2);
  } finally {
    await redis.stop();
  }
});
