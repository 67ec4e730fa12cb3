'use strict';
// The app secret and the session token never show: not in inspect, toString or JSON of clients
// and errors, and not in the logs of a process run with SELLKIT_LOG=trace.

const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { EqpClient } = require('sellkit');
const { useSimulator, PROFILE } = require('./helpers.js');

const sim = useSimulator();
const ROOT = path.resolve(__dirname, '..', '..');

function renderings(value) {
  return [
    util.inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    util.inspect(value),
    String(value),
    `${value}`,
    JSON.stringify(value) ?? '',
    util.format('%o %O %j', value, value, value),
  ];
}

test('clients never show the app secret', async () => {
  const secret = sim().eqpAppSecret;
  const client = sim().eqpClient();
  await client.authenticate();
  for (const text of renderings(client)) {
    assert.ok(!text.includes(secret), text);
    assert.ok(!/Bearer|ust/.test(text), text);
  }
  assert.match(util.inspect(client), /EqpClient/);
  assert.match(util.inspect(client), new RegExp(sim().eqpMageId));
  for (const text of renderings(client.withOptions({ timeout: 1000 }))) assert.ok(!text.includes(secret), text);
  for (const text of renderings(client.users)) assert.ok(!text.includes(secret), text);
  assert.ok(!Object.keys(client).length, 'a client has no enumerable own properties');
});

test('errors never show the secret', async () => {
  const secret = 'p4ss-w0rd-that-must-not-leak';
  const wrong = sim().eqpClient({ appSecret: secret });
  const authError = await wrong.authenticate().catch((e) => e);
  assert.equal(authError.name, 'AuthenticationError');
  const real = sim().eqpClient();
  await real.authenticate();
  sim().failNext(PROFILE, { count: 2, status: 401 });
  const replayed = await real.users.get().catch((e) => e);
  let ctorError;
  try {
    new EqpClient({ appId: '', appSecret: secret });
  } catch (e) {
    ctorError = e;
  }
  for (const err of [authError, replayed, ctorError]) {
    for (const text of [...renderings(err), err.stack, String(err.body)]) {
      assert.ok(!text.includes(secret), text);
      assert.ok(!text.includes(sim().eqpAppSecret), text);
      assert.ok(!text.includes('Bearer '), text);
    }
  }
});

function run(script, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30000 }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }));
  });
}

test('SELLKIT_LOG=trace logs calls but neither the secret nor a token', async () => {
  const script = `
    const { startSimulator } = require('sellkit');
    (async () => {
      const sim = await startSimulator();
      const client = sim.eqpClient();
      await client.users.get();
      sim.expireAllTokens();
      await client.users.update({ action: 'draft', personal_profile: { bio: 'logged' } });
      await sim.eqpClient({ appSecret: 'wrong-secret-value' }).authenticate().catch(() => {});
      await sim.stop();
      console.log('done');
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const { error, stdout, stderr } = await run(script, { SELLKIT_LOG: 'trace' });
  assert.equal(error, null, stderr);
  assert.equal(stdout.trim(), 'done');
  assert.ok(stderr.length > 0, 'stderr has logs');
  assert.match(stderr, /sellkit/);
  assert.ok(!stderr.includes(sim().eqpAppSecret), 'the app secret is in the logs');
  assert.ok(!stderr.includes('wrong-secret-value'), 'a wrong secret is in the logs');
  assert.ok(!/Bearer /i.test(stderr), 'a Bearer token is in the logs');
  assert.ok(!/Basic [A-Za-z0-9+/=]{8,}/.test(stderr), 'Basic credentials are in the logs');
  assert.ok(!/"ust"/.test(stderr), 'a session token body is in the logs');
});

test('records sent to a logger hold neither a secret nor a token', async () => {
  const s = sim();
  const records = [];
  const logger = {};
  for (const level of ['debug', 'info', 'warn', 'error']) logger[level] = (message, fields) => records.push(`${message} ${JSON.stringify(fields)}`);
  const eqp = s.eqpClient({ logger, logLevel: 'debug' });
  await eqp.users.get();
  s.expireAllTokens();
  await eqp.users.update({ action: 'draft', personal_profile: { bio: 'logged' } });
  s.failNext(PROFILE, { count: 2, status: 401 });
  await eqp.users.get().catch(() => {});
  await s.eqpClient({ appSecret: 'wrong-secret-value', logger, logLevel: 'debug' }).authenticate().catch(() => {});
  const tokens = [];
  const mp = await s.marktplaatsClient('2dehands', { logger, logLevel: 'debug', onToken: (t) => tokens.push(t.access_token, t.refresh_token) });
  await mp.users.me();
  s.expireAllTokens();
  await mp.users.me();
  const deadline = Date.now() + 5000;
  while (!records.some((r) => r.includes('grant=refresh_token') && r.includes('token granted')) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const text = records.join('\n');
  // Really logged, at every level of detail (so this test can fail).
  assert.ok(records.length > 15, text);
  assert.match(text, /token refused; fetching another once/);
  assert.match(text, /grant=refresh_token/);
  const secrets = { appSecret: s.eqpAppSecret, wrong: 'wrong-secret-value', clientSecret: s.mpClientSecret };
  tokens.filter(Boolean).forEach((t, i) => { secrets[`token ${i}`] = t; });
  assert.ok(Object.keys(secrets).length >= 5, 'tokens were issued');
  assert.deepEqual(Object.entries(secrets).filter(([, v]) => text.includes(v)).map(([k]) => k), []);
  const basic = Buffer.from(`${s.eqpAppId}:${s.eqpAppSecret}`).toString('base64');
  assert.ok(!text.includes(basic), 'Basic credentials are in the records');
  assert.ok(!/Bearer |Authorization:/i.test(text), 'a header is in the records');
});
