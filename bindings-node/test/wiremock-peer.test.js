'use strict';
// tests/wiremock/scenarios.json and malformed.json against WireMock, an HTTP server that shares
// no code with sellkit; its request journal tells what was sent. The Rust and Python suites run
// the same files. Needs `java` and the jar `npm install` puts in node_modules/wiremock/build/:
// without them these tests fail.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const util = require('node:util');
const { spawn } = require('node:child_process');
const { EqpClient, MarktplaatsClient, SellkitError } = require('../..');

const root = path.join(__dirname, '..', '..');
const files = Object.fromEntries(['scenarios.json', 'malformed.json'].map((name) => [
  name, JSON.parse(fs.readFileSync(path.join(root, 'tests', 'wiremock', name), 'utf8')),
]));

/** One WireMock process on a free loopback port. */
async function startWireMock() {
  const dir = path.join(root, 'node_modules', 'wiremock', 'build');
  const jar = fs.existsSync(dir) && fs.readdirSync(dir).find((n) => /^wiremock-standalone-.*\.jar$/.test(n));
  assert.ok(jar, `no wiremock-standalone jar in ${dir}; run \`npm install\``);
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-wiremock-'));
  const child = spawn('java', ['-jar', path.join(dir, jar), '--port', '0', '--bind-address', '127.0.0.1',
    '--disable-banner', '--root-dir', rootDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`could not run java (needed for WireMock): ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`WireMock exited (${code}) before printing its port`)));
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^\s*port:\s*(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  async function admin(method, p, body) {
    const resp = await fetch(`${url}/__admin${p}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await resp.text();
    assert.ok(resp.ok, `WireMock admin ${p}: ${resp.status} ${text}`);
    return text.trim() ? JSON.parse(text) : null;
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await admin('GET', '/health');
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error('WireMock did not answer /__admin/health within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    admin,
    stop() {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
      fs.rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

/** `{repeat, times}` bodies become `repeat` repeated `times` times. */
function expand(stub) {
  const body = stub.response && stub.response.body;
  if (body !== null && typeof body === 'object') {
    return { ...stub, response: { ...stub.response, body: body.repeat.repeat(body.times) } };
  }
  return stub;
}

function contains(actual, expected) {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    return actual !== null && typeof actual === 'object' &&
      Object.entries(expected).every(([k, v]) => k in actual && contains(actual[k], v));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function makeClient(file, c, url) {
  const s = c.client ?? {};
  const settings = { baseUrl: url };
  if (s.timeout_ms !== undefined) settings.timeout = s.timeout_ms;
  if (s.max_retries !== undefined) settings.maxRetries = s.max_retries;
  if (s.max_response_bytes !== undefined) settings.maxResponseBytes = s.max_response_bytes;
  if (c.api === 'eqp') {
    return new EqpClient({ appId: file.clients.eqp.app_id, appSecret: file.clients.eqp.app_secret, ...settings });
  }
  return new MarktplaatsClient({ accessToken: file.clients.marktplaats.access_token, ...settings });
}

function run(client, api, op, args) {
  const key = `${api} ${op}`;
  switch (key) {
    case 'eqp users.get': return client.users.get(args);
    case 'eqp request': return client.request(args.method, args.path, { json: args.json });
    case 'marktplaats ads.get': return client.ads.get(args.item_id);
    case 'marktplaats ads.patch': return client.ads.patch(args.item_id, args.ops);
    case 'marktplaats users.get': return client.users.get(args.user_id);
    case 'marktplaats users.brands': return client.users.brands(args.user_id);
    default: throw new Error(`unknown op ${key}`);
  }
}

function header(req, name) {
  const hit = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return hit ? hit[1] : undefined;
}

test('maxResponseBytes is checked, naming the option', () => {
  for (const bad of [0, -1, 'big']) {
    assert.throws(() => new EqpClient({ appId: 'a', appSecret: 's', baseUrl: 'http://127.0.0.1:9', maxResponseBytes: bad }),
      (e) => e instanceof SellkitError && e.kind === 'invalid_input' && e.field === 'maxResponseBytes');
    assert.throws(() => new MarktplaatsClient({ accessToken: 't', baseUrl: 'http://127.0.0.1:9', maxResponseBytes: bad }),
      (e) => e instanceof SellkitError && e.kind === 'invalid_input' && e.field === 'maxResponseBytes');
  }
});

test('both files have cases', () => {
  for (const f of Object.values(files)) assert.ok(f.cases.length >= 10);
});

test('WireMock peer', async (t) => {
  const wm = await startWireMock();
  try {
    for (const [fileName, file] of Object.entries(files)) {
      for (const c of file.cases) {
        await t.test(`${fileName}: ${c.name}`, async () => {
          await wm.admin('POST', '/reset');
          for (const stub of [...file.common_stubs[c.api], ...c.stubs]) await wm.admin('POST', '/mappings', expand(stub));
          const client = makeClient(file, c, wm.url);
          const started = Date.now();
          let result;
          let error;
          try {
            result = await run(client, c.api, c.call.op, c.call.args ?? {});
          } catch (e) {
            error = e;
          }
          const elapsed = (Date.now() - started) / 1000;
          client.close();
          const expect = c.expect;
          if (expect.error) {
            assert.ok(error instanceof SellkitError, `expected an error, got ${JSON.stringify(result)} / ${error}`);
            const fields = {
              kind: error.kind,
              code: error.code,
              status: error.status,
              retry_after: error.retryAfter === null ? null : Math.trunc(error.retryAfter),
              outcome_unknown: error.outcomeUnknown,
            };
            assert.ok(contains(fields, expect.error), `${JSON.stringify(fields)}: ${error.message}`);
            for (const s of expect.message_contains ?? []) assert.ok(error.message.includes(s), error.message);
            for (const s of expect.message_lacks ?? []) assert.ok(!error.message.includes(s), error.message);
            const printed = `${error.message} ${util.inspect(error)} ${error.body}`;
            for (const s of expect.nowhere ?? []) assert.ok(!printed.includes(s), printed);
            if (expect.message_max_chars !== undefined) {
              assert.ok([...error.message].length <= expect.message_max_chars, error.message);
            }
          } else {
            assert.equal(error, undefined, `unexpected error ${error}`);
            assert.ok(contains(result, expect.result), JSON.stringify(result));
          }
          assert.ok(elapsed >= (expect.min_seconds ?? 0), `took ${elapsed}s`);

          const journal = await wm.admin('GET', '/requests');
          const requests = journal.requests.map((e) => e.request).reverse();
          assert.deepEqual(requests.map((r) => `${r.method} ${r.url}`), c.journal);
          for (const check of c.sent ?? []) {
            const req = requests[check.at];
            for (const [h, v] of Object.entries(check.headers ?? {})) assert.equal(header(req, h), v, `#${check.at} ${h}`);
            for (const [h, v] of Object.entries(check.header_prefix ?? {})) {
              assert.ok((header(req, h) ?? '').startsWith(v), `#${check.at} ${h}: ${header(req, h)}`);
            }
            for (const h of check.header_present ?? []) assert.ok(header(req, h) !== undefined, `#${check.at} lacks ${h}`);
            if (check.json_body !== undefined) {
              assert.ok(contains(JSON.parse(req.body || 'null'), check.json_body), `#${check.at} body ${req.body}`);
            }
          }
        });
      }
    }
  } finally {
    wm.stop();
  }
});
