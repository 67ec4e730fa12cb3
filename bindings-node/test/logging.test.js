'use strict';
// sellkit's logs in each client's `logger` at its `logLevel`: records of real calls to the
// simulator reach the logger of the client that made them, with the message first and the fields
// second; `off` sends nothing; `SELLKIT_LOG` sets the default level; a bad logger or level is
// refused naming the option. secrets.test.js checks that no record holds a secret.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { EqpClient, InvalidInputError } = require('sellkit');
const { useSimulator, PROFILE } = require('./helpers.js');

const sim = useSimulator();
const ROOT = path.resolve(__dirname, '..', '..');
const LIST = 'GET /rest/v1/products/packages';

/** A console-like logger that keeps what it is given: `{level, message, fields}`. */
function recorder() {
  const records = [];
  const logger = {};
  for (const level of ['debug', 'info', 'warn', 'error']) logger[level] = (message, fields) => records.push({ level, message, fields });
  return { logger, records };
}

/** What a call logs reaches the logger before the call's promise settles: `check` holds by then. */
function already(check, what) {
  assert.ok(check(), `${what}: not with the logger when the call settled`);
}

function eqpClient(options) {
  const s = sim();
  return new EqpClient({ appId: s.eqpAppId, appSecret: s.eqpAppSecret, baseUrl: s.eqpUrl, ...options });
}

test('a client\'s logger gets its requests, retries and tokens, message first and fields second', async () => {
  const { logger, records } = recorder();
  const client = eqpClient({ logger, logLevel: 'debug' });
  await client.users.get();
  sim().failNext(PROFILE, { count: 1, status: 503, retryAfter: '0' });
  await client.users.get();
  const profile = `/rest/v1/users/${sim().eqpMageId}`;
  already(() => records.some((r) => r.fields.attempt === 2 && r.message.includes(' response ')), 'the retried response');

  const retried = records.find((r) => r.fields.attempt === 2 && r.message.includes(' response '));
  assert.equal(retried.level, 'debug');
  assert.match(retried.message, new RegExp(`^sellkit\\.http: response method=GET path=${profile} attempt=2 status=200 elapsed_ms=\\d+$`));
  assert.deepEqual({ ...retried.fields, elapsed_ms: 0 }, { logger: 'sellkit.http', method: 'GET', path: profile, attempt: 2, status: 200, elapsed_ms: 0 });
  const retry = records.find((r) => r.message.startsWith('sellkit.http: retrying'));
  assert.equal(retry.level, 'info');
  assert.equal(retry.fields.code, 'server-error');
  const failed = records.find((r) => r.message.startsWith('sellkit.http: attempt failed'));
  assert.equal(failed.fields.status, 503);
  const token = records.find((r) => r.fields.logger === 'sellkit.auth');
  assert.match(token.message, /^sellkit\.auth: token fetched ttl_s=\d+$/);
  assert.ok(token.fields.ttl_s > 0);
});

test('records reach the logger of the client that made the request, and only at its level', async () => {
  const a = recorder();
  const b = recorder();
  const quiet = recorder();
  const eqp = eqpClient({ logger: a.logger, logLevel: 'debug' });
  const mp = await sim().marktplaatsClient('2dehands', { logger: b.logger, logLevel: 'debug' });
  const off = eqpClient({ logger: quiet.logger, logLevel: 'off' });
  const infoOnly = recorder();
  const info = eqpClient({ logger: infoOnly.logger, logLevel: 'info' });
  sim().failNext(PROFILE, { count: 1, status: 503, retryAfter: '0' });
  await Promise.all([
    ...Array.from({ length: 5 }, () => eqp.users.get()),
    ...Array.from({ length: 5 }, () => mp.users.me()),
    ...Array.from({ length: 5 }, () => off.users.get()),
    info.users.get(),
  ]);
  already(() => a.records.filter((r) => r.message.includes(' response ') && r.fields.path.startsWith('/rest/v1/users/')).length === 5, 'the EQP responses');
  already(() => b.records.filter((r) => r.message.includes(' response ') && r.fields.path === '/v1/me').length === 5, 'the Marktplaats responses');
  assert.ok(a.records.every((r) => r.fields.path === undefined || r.fields.path.startsWith('/rest/v1/')), 'only EQP paths for the EQP client');
  assert.ok(b.records.every((r) => r.fields.path === undefined || !r.fields.path.startsWith('/rest/v1/')), 'no EQP path for the Marktplaats client');
  assert.ok(b.records.some((r) => r.fields.logger === 'sellkit.auth' && /grant=authorization_code/.test(r.message)));
  // Give any stray record time to arrive before looking for it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(quiet.records, []);
  assert.ok(infoOnly.records.every((r) => r.level !== 'debug'), 'info: no debug record');
});

test('derived clients and lists log to the same logger', async () => {
  const { logger, records } = recorder();
  const client = eqpClient({ logger, logLevel: 'debug' });
  await client.packages.create(Array.from({ length: 3 }, (_, i) => ({ name: `Logged ${i}`, type: 'extension' })));
  const strict = client.withOptions({ maxRetries: 0 });
  sim().failNext(PROFILE, { count: 1, status: 503, retryAfter: '0' });
  await assert.rejects(strict.users.get());
  const packages = await client.packages.list({ pageSize: 1 }).toArray();
  assert.equal(packages.length, 3);
  const pages = () => records.filter((r) => r.fields.method === 'GET' && r.fields.path === '/rest/v1/products/packages' && r.message.includes(' response '));
  already(() => pages().length >= 3, 'a response per page');
  assert.ok(records.some((r) => r.message.includes('attempt failed') && r.fields.status === 503), 'the derived client logged its failure');
  assert.ok(sim().requestCount(LIST) >= 3);
});

test('a logger that throws does not fail the call; it is reported as a warning', async () => {
  const warned = new Promise((resolve) => process.once('warning', resolve));
  const thrower = { debug() { throw new Error('the logger broke'); }, info() {}, warn() {}, error() {} };
  const client = eqpClient({ logger: thrower, logLevel: 'debug' });
  assert.equal((await client.users.get()).mage_id, sim().eqpMageId);
  const warning = await warned;
  assert.equal(warning.code, 'SELLKIT_LOGGER');
  assert.match(warning.message, /the logger broke/);
});

test('a bad logger or level is refused naming the option', () => {
  for (const [options, field] of [
    [{ logLevel: 'verbose' }, 'logLevel'],
    [{ logLevel: 3 }, 'logLevel'],
    [{ logger: { info() {} } }, 'logger'],
    [{ logger: 'console' }, 'logger'],
  ]) {
    assert.throws(() => eqpClient(options), (e) => e instanceof InvalidInputError && e.field === field, JSON.stringify(options));
  }
  // console, and any object with the four methods, is a logger.
  eqpClient({ logger: console, logLevel: 'error' });
});

function run(script, env) {
  const clean = { ...process.env };
  delete clean.SELLKIT_LOG;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { cwd: ROOT, env: { ...clean, ...env }, timeout: 30000 }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }));
  });
}

const SCRIPT = `
  const { startSimulator } = require('sellkit');
  (async () => {
    const sim = await startSimulator();
    const client = sim.eqpClient();
    await client.users.get();
    sim.failNext('GET /rest/v1/users/{mage_id}', { count: 1, status: 503, retryAfter: '0' });
    await client.users.get();
    await sim.stop();
    console.log('done');
  })().catch((e) => { console.error(e); process.exit(1); });
`;

test('SELLKIT_LOG sets the default level; the default logger writes to stderr', async () => {
  const debug = await run(SCRIPT, { SELLKIT_LOG: 'debug' });
  assert.equal(debug.error, null, debug.stderr);
  assert.equal(debug.stdout.trim(), 'done');
  assert.match(debug.stderr, /^sellkit\.http: response method=GET path=\/rest\/v1\/users\/\S+ attempt=1 status=200/m);
  assert.match(debug.stderr, /^sellkit\.http: retrying /m);
  assert.match(debug.stderr, /^sellkit\.auth: token fetched ttl_s=\d+/m);
  const info = await run(SCRIPT, { SELLKIT_LOG: 'sellkit=info,reqwest=trace' });
  assert.match(info.stderr, /^sellkit\.http: retrying /m);
  assert.doesNotMatch(info.stderr, /response method=/);
  // Without it: `warn`, and a call that goes well (a retry included) writes nothing.
  const quiet = await run(SCRIPT, {});
  assert.equal(quiet.error, null, quiet.stderr);
  assert.equal(quiet.stderr, '');
});
