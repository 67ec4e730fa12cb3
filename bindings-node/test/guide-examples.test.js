'use strict';
// The Node code of docs/guides/networks-and-logging.md, as it is in
// examples/guides/networks-and-logging/logger.mjs, run against the simulator with the credentials
// in the environment: its logger gets one JSON line per record, with the fields as properties.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();
const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'guides', 'networks-and-logging', 'logger.mjs');

test('the guide\'s logger example', async () => {
  const s = sim();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SELLKIT_') && !k.startsWith('COMPANY_')));
  Object.assign(env, { SELLKIT_EQP_APP_ID: s.eqpAppId, SELLKIT_EQP_APP_SECRET: s.eqpAppSecret, SELLKIT_EQP_BASE_URL: s.eqpUrl });
  s.failNext('GET /rest/v1/products/packages', { count: 1, status: 503, retryAfter: '0' });
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, [EXAMPLE], { env, timeout: 60000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve(out)));
  });
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines.at(-1), { summary: { mage_id: s.eqpMageId, packages: 0 } });
  const records = lines.slice(0, -1);
  const profile = `/rest/v1/users/${s.eqpMageId}`;
  const answer = records.find((r) => r.path === profile && r.status === 200);
  assert.deepEqual({ ...answer, elapsed_ms: 0, msg: answer.msg.replace(/elapsed_ms=\d+/, '') }, {
    level: 'debug', msg: `sellkit.http: response method=GET path=${profile} attempt=1 status=200 `,
    logger: 'sellkit.http', method: 'GET', path: profile, attempt: 1, status: 200, elapsed_ms: 0,
  });
  const retry = records.find((r) => r.msg.startsWith('sellkit.http: retrying'));
  assert.deepEqual([retry.level, retry.path, retry.code], ['info', '/rest/v1/products/packages', 'server-error']);
  assert.ok(records.some((r) => r.logger === 'sellkit.auth'), 'token events at debug');
  assert.ok(!stdout.includes(s.eqpAppSecret), 'the secret is in the output');
});
