'use strict';
// Token stores from Node: clients sharing one Marktplaats grant and one EQP session through a
// real Redis and through a file, with refresh-token rotation and reuse detection on; Redis
// restarted mid-run; a Retry-After shared; bad settings.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { MarktplaatsClient, EqpClient, InvalidInputError, startSimulator } = require('sellkit');
const { RedisServer } = require('./redis-server.js');

const ME = 'GET /v1/me';
const EQP_TOKEN = 'POST /rest/v1/app/session/token';

function mp(sim, tokenStore) {
  return new MarktplaatsClient({ baseUrl: sim.marktplaatsUrl('marktplaats'), clientId: sim.mpClientId, clientSecret: sim.mpClientSecret, tokenStore });
}

async function withEverything(fn) {
  const sim = await startSimulator();
  const redis = await RedisServer.start();
  try {
    sim.setMpRefreshRotation(true);
    await fn(sim, redis);
  } finally {
    await redis.stop();
    await sim.stop();
  }
}

async function shareOneGrant(sim, store) {
  await sim.marktplaatsClient('marktplaats', { tokenStore: store });
  const clients = Array.from({ length: 4 }, () => mp(sim, store));
  for (let round = 0; round < 3; round++) {
    sim.expireAllTokens();
    const mes = await Promise.all(clients.flatMap((c) => Array.from({ length: 5 }, () => c.users.me())));
    assert.ok(mes.every((m) => m.userId === sim.mpUserId));
  }
  const stats = sim.mpRefreshStats();
  assert.deepEqual([stats.refreshes, stats.reuseDetections, stats.unusedRefreshTokens], [3, 0, 1], JSON.stringify(stats));
}

test('clients sharing Redis refresh once per expiry, never with a spent refresh token', () =>
  withEverything((sim, redis) => shareOneGrant(sim, redis.url)));

test('clients sharing a file refresh once per expiry', () =>
  withEverything(async (sim) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-store-'));
    try {
      const file = path.join(dir, 'tokens.json');
      await shareOneGrant(sim, pathToFileURL(file).href);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }));

test('EQP clients share one session', () =>
  withEverything(async (sim, redis) => {
    const clients = Array.from({ length: 3 }, () => sim.eqpClient({ tokenStore: redis.url }));
    await Promise.all(clients.map((c) => c.users.get()));
    assert.equal(sim.requestCount(EQP_TOKEN), 1);
    sim.expireAllTokens();
    await Promise.all(clients.map((c) => c.users.get()));
    assert.equal(sim.requestCount(EQP_TOKEN), 2);
    assert.ok(clients.every((c) => c.mageId === sim.eqpMageId));
  }));

test('Redis restarted mid-run: no call fails, no refresh token is lost or reused', () =>
  withEverything(async (sim, redis) => {
    sim.setMpTokenLifetime(2);
    await sim.marktplaatsClient('marktplaats', { tokenStore: redis.url });
    const clients = Array.from({ length: 3 }, () => mp(sim, redis.url));
    const failures = [];
    const stopAt = Date.now() + 5000;
    const work = async (c) => {
      while (Date.now() < stopAt) {
        try { await c.users.me(); } catch (e) { failures.push(String(e)); }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const running = Promise.all(clients.map(work));
    await new Promise((r) => setTimeout(r, 1000));
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.restart();
    await running;
    assert.deepEqual(failures, []);
    const stats = sim.mpRefreshStats();
    assert.equal(stats.reuseDetections, 0, JSON.stringify(stats));
    assert.equal(stats.unusedRefreshTokens, 1, JSON.stringify(stats));
    assert.notEqual(await redis.command('DBSIZE'), ':0', 'the tokens were written back');
  }));

test('a Retry-After received by one client holds back the others', () =>
  withEverything(async (sim, redis) => {
    const a = await sim.marktplaatsClient('marktplaats', { tokenStore: redis.url });
    const b = mp(sim, redis.url);
    await b.users.me();
    sim.failNext(ME, { count: 1, status: 429, retryAfter: '1' });
    const started = performance.now();
    const aCall = a.users.me();
    await new Promise((r) => setTimeout(r, 200));
    await b.users.me();
    assert.ok(performance.now() - started >= 950, `${performance.now() - started} ms`);
    await aCall;
    assert.equal(sim.requestsDuringBackoff(), 0);
  }));

test('bad store settings name the setting', () => {
  assert.throws(() => new EqpClient({ appId: 'a', appSecret: 's', tokenStore: 'ftp://nowhere' }), (e) => e instanceof InvalidInputError && e.field === 'tokenStore');
  assert.throws(() => new MarktplaatsClient({ tokenStore: 'file://relative.json' }), (e) => e instanceof InvalidInputError && e.field === 'tokenStore');
  assert.throws(() => new MarktplaatsClient({ tokenStoreUser: ' ' }), (e) => e instanceof InvalidInputError && e.field === 'tokenStoreUser');
});
