'use strict';
// The BullMQ example of docs/guides/many-workers.md, run for real: two worker processes, Redis
// as queue and token store, the simulator with refresh-token rotation on. Each process makes its
// own clients; they refresh once for all.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Queue, QueueEvents } = require('bullmq');
const { startSimulator } = require('sellkit');
const { RedisServer } = require('./redis-server.js');

const WORKER = path.join(__dirname, '..', '..', 'examples', 'guides', 'many-workers', 'bullmq-worker.mjs');

function startWorker(env) {
  const child = spawn(process.execPath, [WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });
  return { child, ready };
}

test('BullMQ workers share one grant', async () => {
  const sim = await startSimulator();
  const redis = await RedisServer.start();
  const workers = [];
  let queue; let events;
  try {
    sim.setMpRefreshRotation(true);
    const store = `redis://127.0.0.1:${redis.port}/1`;
    await sim.marktplaatsClient('marktplaats', { tokenStore: store });
    const env = {
      SELLKIT_TOKEN_STORE: store,
      SELLKIT_MP_CLIENT_ID: sim.mpClientId,
      SELLKIT_MP_CLIENT_SECRET: sim.mpClientSecret,
      SELLKIT_MP_BASE_URL: sim.marktplaatsUrl('marktplaats'),
      SELLKIT_EQP_APP_ID: sim.eqpAppId,
      SELLKIT_EQP_APP_SECRET: sim.eqpAppSecret,
      SELLKIT_EQP_BASE_URL: sim.eqpUrl,
      BULLMQ_REDIS_URL: `redis://127.0.0.1:${redis.port}/0`,
    };
    for (let i = 0; i < 2; i++) workers.push(startWorker(env));
    await Promise.all(workers.map((w) => w.ready));
    const connection = { host: '127.0.0.1', port: redis.port };
    queue = new Queue('shop', { connection });
    events = new QueueEvents('shop', { connection });
    await events.waitUntilReady();
    const run = async (name, data) => (await queue.add(name, data)).waitUntilFinished(events, 30000);
    const sellers = await Promise.all(Array.from({ length: 10 }, () => run('sellerId', {})));
    assert.deepEqual(sellers, Array(10).fill(sim.mpUserId));
    assert.ok(await run('vendorName', {}));
    sim.expireAllTokens();
    const again = await Promise.all(Array.from({ length: 10 }, () => run('sellerId', {})));
    assert.deepEqual(again, Array(10).fill(sim.mpUserId));
    const stats = sim.mpRefreshStats();
    assert.deepEqual([stats.refreshes, stats.reuseDetections, stats.unusedRefreshTokens], [1, 0, 1], JSON.stringify(stats));
    assert.equal(sim.requestCount('POST /rest/v1/app/session/token'), 1);
  } finally {
    await queue?.close();
    await events?.close();
    await Promise.all(workers.map(({ child }) => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
    await redis.stop();
    await sim.stop();
  }
});
