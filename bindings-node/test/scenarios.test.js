'use strict';
// The cross-language scenarios in tests/scenarios/eqp_foundation.json. The Rust and Python
// suites run the same file; all three must agree.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { EqpClient, SellkitError, startSimulator } = require('../..');

const file = path.join(__dirname, '..', '..', 'tests', 'scenarios', 'eqp_foundation.json');
const { cases } = JSON.parse(fs.readFileSync(file, 'utf8'));

function contains(actual, expected) {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    return actual !== null && typeof actual === 'object' &&
      Object.entries(expected).every(([k, v]) => k in actual && contains(actual[k], v));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function run(client, op, args = {}) {
  switch (op) {
    case 'authenticate': return client.authenticate().then((mageId) => ({ mage_id: mageId }));
    case 'users.get': return client.users.get(args);
    case 'users.update': return client.users.update(args.fields);
    case 'request': return client.request(args.method, args.path, { json: args.json });
    default: throw new Error(`unknown op ${op}`);
  }
}

test('the scenario file is not empty', () => {
  assert.ok(cases.length >= 10);
});

for (const c of cases) {
  test(`scenario: ${c.name}`, async () => {
    const sim = await startSimulator();
    try {
      const settings = c.client ?? {};
      const client = new EqpClient({
        appId: settings.app_id ?? sim.eqpAppId,
        appSecret: settings.app_secret ?? sim.eqpAppSecret,
        baseUrl: sim.eqpUrl,
        ...(settings.max_retries !== undefined ? { maxRetries: settings.max_retries } : {}),
      });
      for (const step of c.setup ?? []) await run(client, step.op, step.args);
      sim.resetCounters();
      for (const f of c.faults ?? []) {
        sim.failNext(f.route, { count: f.count, status: f.status, retryAfter: f.retry_after });
      }
      let result;
      let error;
      try {
        result = await run(client, c.call.op, c.call.args);
      } catch (e) {
        error = e;
      }
      if (c.expect.error) {
        assert.ok(error instanceof SellkitError, `expected an error, got ${JSON.stringify(result)}`);
        const fields = {
          kind: error.kind,
          code: error.code,
          status: error.status,
          field: error.field,
          retry_after: error.retryAfter === null ? null : Math.trunc(error.retryAfter),
          api_code: error.apiCode,
        };
        assert.ok(contains(fields, c.expect.error), JSON.stringify(fields));
      } else {
        assert.equal(error, undefined, `unexpected error ${error}`);
        assert.ok(contains(result, c.expect.result ?? {}), JSON.stringify(result));
      }
      for (const [route, want] of Object.entries(c.expect.counts ?? {})) {
        assert.equal(sim.requestCount(route), want, `${route}: ${JSON.stringify(sim.requestCounts())}`);
      }
      client.close();
    } finally {
      await sim.stop();
    }
  });
}
