'use strict';
// Conformance with the EQP docs' own JSON examples (tests/fixtures/eqp/examples.json, kept
// unedited): every request example is produced through the public Node API and captured by a
// local peer; every response example is served by that peer and decoded through the client
// without losing a field (prices compared as numbers).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { EqpClient, parseCallback, ValidationError } = require('sellkit');

const FIXTURE = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'eqp', 'examples.json');
const examples = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
const requests = examples.map((e, i) => ({ ...e, i })).filter((e) => e.kind === 'request');
const responses = examples.map((e, i) => ({ ...e, i })).filter((e) => e.kind === 'response');
const TOKEN_BODY = examples.find((e) => e.kind === 'response' && e.endpoint === 'POST /rest/v1/app/session/token').body;

/** Prices as numbers ("15.50" and 15.5 are the same price), everything else as is. */
function norm(v, key) {
  if (Array.isArray(v)) return v.map((x) => norm(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x, k)]));
  if ((key === 'price' || key === 'installation_price') && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return v;
}

/** A peer on 127.0.0.1: records every request; answers with `next(req)` or a default. */
async function startPeer() {
  const peer = { captured: [], reply: null };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry = { method: req.method, url: req.url, headers: req.headers, text };
      try { entry.body = JSON.parse(text); } catch { entry.body = undefined; }
      let status = 200;
      let body;
      const headers = { 'content-type': 'application/json' };
      if (req.url.startsWith('/rest/v1/app/session/token')) {
        peer.tokenBodies = [...(peer.tokenBodies ?? []), entry.body];
        body = TOKEN_BODY;
      } else {
        peer.captured.push(entry);
        const r = peer.reply ? peer.reply(entry) : null;
        if (r) {
          status = r.status ?? 200;
          body = r.body;
          Object.assign(headers, r.headers ?? {});
        } else if (req.method === 'POST' && req.url.startsWith('/rest/v1/products/packages')) {
          body = (Array.isArray(entry.body) ? entry.body : [entry.body]).map((_, n) => ({ code: 200, message: 'Success', submission_id: `s${n}` }));
        } else if (req.url.includes('/keys') && req.method !== 'GET') {
          body = { m2: (entry.body?.m2 ?? []).map((k) => ({ label: k.label ?? 'x', is_enabled: true })) };
        } else {
          body = { mage_id: 'MAG123456789' };
        }
      }
      res.writeHead(status, headers);
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  peer.url = `http://127.0.0.1:${server.address().port}`;
  peer.close = () => new Promise((r) => { server.close(r); server.closeAllConnections(); });
  peer.last = () => peer.captured.at(-1);
  return peer;
}

let peer;
let client;
test.before(async () => {
  peer = await startPeer();
  client = new EqpClient({ appId: 'AQ17NZ49WC', appSecret: 'secret', baseUrl: peer.url, maxRetries: 0 });
});
test.after(() => peer.close());
test.beforeEach(() => { peer.reply = null; });

/** Produce request example `e` through the public API; resolves to what went on the wire (or was produced). */
async function produce(e) {
  const ep = e.endpoint;
  const body = e.body;
  peer.reply = null;
  if (ep === 'POST /rest/v1/app/session/token') {
    // `expires_in` goes out when a lifetime is asked for; without one the server's default applies.
    const lifetime = body.expires_in;
    const c = new EqpClient({ appId: 'AQ17NZ49WC', appSecret: 'secret', baseUrl: peer.url, ...(lifetime ? { tokenLifetime: lifetime } : {}) });
    peer.tokenBodies = [];
    await c.authenticate();
    return peer.tokenBodies[0];
  }
  if (ep === 'POST :callback_url') {
    // A callback is sent *to* the vendor: the Node API parses it; re-encoded it must be the same.
    const auth = `Basic ${Buffer.from('key:secret').toString('base64')}`;
    return parseCallback(JSON.stringify(body), { authorization: auth }, 'key', 'secret');
  }
  if (ep === 'PUT /rest/v1/users/:mage_id') {
    if (body.api_callbacks) await client.callbacks.register(body.api_callbacks);
    else await client.users.update(body);
    return peer.last().body;
  }
  if (ep === 'POST /rest/v1/users/:mage_id/keys') {
    await client.users.keys.create(body.m2);
    return peer.last().body;
  }
  if (ep === 'PUT /rest/v1/users/:mage_id/keys/:url_encoded_label_of_m2_key') {
    const [{ is_enabled: enabled, uid }] = body.m2;
    await (enabled ? client.users.keys.enable('key_for_bob', { uid }) : client.users.keys.disable('key_for_bob', { uid }));
    return peer.last().body;
  }
  if (ep === 'PUT /rest/v1/products/packages/:submission_id') {
    peer.reply = () => ({ body: { submission_id: 'f4eacd72be' } });
    const action = body.action;
    if (action.overall === 'remove') await client.packages.remove('f4eacd72be');
    else await client.packages.submit('f4eacd72be', { technical: action.technical === 'submit' || undefined, marketing: action.marketing === 'submit' || undefined });
    return peer.last().body;
  }
  if (ep === 'POST /rest/v1/products/packages') {
    if (Array.isArray(body)) {
      await client.packages.create(body);
      return peer.last().body;
    }
    await client.packages.create([body]);
    const sent = peer.last().body;
    assert.equal(sent.length, 1);
    return sent[0];
  }
  throw new Error(`no way to produce ${ep}`);
}

test('every request example is produced through the Node API', async () => {
  let produced = 0;
  for (const e of requests) {
    const got = await produce(e);
    assert.deepEqual(norm(got), norm(e.body), `example #${e.i} ${e.endpoint}`);
    produced += 1;
  }
  console.log(`EQP conformance (Node): ${produced}/${requests.length} request examples produced`);
  assert.equal(requests.length, 26);
  assert.equal(produced, 26);
});

/** Serve response example `e` and decode it through the client; resolves to [decoded, expected]. */
async function decode(e) {
  const ep = e.endpoint;
  const status = e.status ?? 200;
  peer.reply = () => ({ status, body: e.body, headers: Array.isArray(e.body) ? { 'x-total-count': String(e.body.length) } : {} });
  switch (ep) {
    case 'POST /rest/v1/app/session/token': {
      // The session token is a secret the client keeps: only the mage_id is shown.
      await client.authenticate();
      return [{ mage_id: client.mageId }, { mage_id: e.body.mage_id }];
    }
    case 'PUT /rest/v1/users/:mage_id':
      return [await client.callbacks.register([{ name: 'n', url: 'https://developer.example.com/cb', username: 'key', password: 'p' }]), e.body];
    case 'GET /rest/v1/files/uploads/:file_upload_id':
      return [await client.files.get('5c129cd41ba478.65767699.1'), e.body];
    case 'POST /rest/v1/files/uploads': {
      const files = e.body.map((f) => ({ filename: f.filename, data: Buffer.from('x') }));
      return [await client.files.upload(files), e.body];
    }
    case 'ANY /rest/v1/*': {
      peer.reply = () => ({ status: 400, body: e.body });
      const err = await client.packages.get('x').then(() => null, (x) => x);
      assert.ok(err instanceof ValidationError);
      return [{ code: err.apiCode, message: err.message.includes(e.body.message) ? e.body.message : err.message }, e.body];
    }
    case 'POST /rest/v1/products/packages': {
      const r = await client.packages.create(e.body.map((_, n) => ({ name: `p${n}` })));
      return [r.items.map((it) => ({ code: it.code, message: it.message, ...(it.data ?? {}) })), e.body];
    }
    case 'GET /rest/v1/products/packages':
      return [await client.packages.list().toArray(), e.body];
    case 'GET /rest/v1/products/packages/:submission_id':
      return [await client.packages.get('f4eacd72be'), e.body];
    case 'GET /rest/v1/products/packages/:submission_id/status':
      return [await client.testResults.summary({ submissionId: 'f4eacd72be' }), e.body];
    case 'GET /rest/v1/products/packages/:submission_id/status/:tool_name/:tool_run_id': {
      // Marketing sends its one report as an object; the view reads every `reports` as a list.
      const want = Array.isArray(e.body.reports) ? e.body : { ...e.body, reports: [e.body.reports] };
      return [await client.testResults.detail('f4eacd72be', e.body.tool, '5'), want];
    }
    case 'GET /rest/v1/users/:mage_id':
      return [await client.users.get(), e.body];
    case 'GET /rest/v1/users/:mage_id?style=summary':
      return [await client.users.get({ style: 'summary' }), e.body];
    case 'GET /rest/v1/users/:mage_id/keys':
      return [await client.users.keys.list(), e.body];
    case 'POST /rest/v1/users/:mage_id/keys': {
      const r = await client.users.keys.create(e.body.m2.map((k) => ({ label: k.label })));
      return [{ m2: r.items.map((it) => ({ ...it.data, code: it.code, message: it.message })) }, e.body];
    }
    case 'PUT /rest/v1/users/:mage_id/keys/:url_encoded_label_of_m2_key':
      // enable resolves to the m2 keys.
      return [{ m2: await client.users.keys.enable('key_for_bob') }, e.body];
    default:
      throw new Error(`no way to decode ${ep}`);
  }
}

test('every response example decodes through the Node client without losing a field', async () => {
  let decoded = 0;
  for (const e of responses) {
    const [got, want] = await decode(e);
    assert.deepEqual(norm(got), norm(want), `example #${e.i} ${e.endpoint}`);
    decoded += 1;
  }
  console.log(`EQP conformance (Node): ${decoded}/${responses.length} response examples decoded`);
  assert.equal(responses.length, 19);
  assert.equal(decoded, 19);
});
