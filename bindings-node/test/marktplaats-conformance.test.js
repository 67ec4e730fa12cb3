'use strict';
// Conformance with the docs' Marktplaats examples (the API A entries of
// tests/fixtures/marktplaats/examples.json) through the public Node API: each request example
// is produced by a Node call and captured by a local peer; each response example is served by
// the peer and decoded by the matching Node call, and compared whole.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { MarktplaatsClient, ValidationError, signWebhook, verifyWebhook, parseWebhook } = require('sellkit');

const FIXTURE = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'marktplaats', 'examples.json');
const TOKEN = { access_token: 'cc-token', token_type: 'bearer', expires_in: 3600 };
const ITEM = 'm1000';

async function startPeer() {
  const peer = { reply: [200, {}], tokenReply: TOKEN, seen: [] };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let status = 200;
      let out;
      if (req.url.startsWith('/accounts/oauth/token')) {
        out = peer.tokenReply;
      } else {
        peer.seen.push({ method: req.method, path: req.url, headers: req.headers, body: raw ? JSON.parse(raw) : null });
        [status, out] = peer.reply;
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  peer.url = `http://127.0.0.1:${server.address().port}`;
  peer.client = () => new MarktplaatsClient({ baseUrl: peer.url, clientId: 'id', clientSecret: 'secret', accessToken: 'user-token', maxRetries: 0,
    // The capture peer is no Marktplaats: validation would read categories from it first.
    validate: false });
  peer.close = () => new Promise((r) => { server.close(r); server.closeAllConnections(); });
  return peer;
}

function apiA() {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8'))
    .filter((e) => e.source.includes('api.marktplaats.nl/docs') || e.source.includes('ecg-marktplaats.github.io'));
}

/** Make request example `e` through the public API; resolves to [method, expected path] or null. */
async function produce(c, e) {
  const body = e.body;
  const [method, rest] = [e.endpoint.split(' ')[0], e.endpoint.slice(e.endpoint.indexOf(' ') + 1)];
  const p = rest.split(' (')[0];
  const is = (m, x) => method === m && p === x;
  if (is('POST', '/v1/advertisements')) { await c.ads.create(body); return ['POST', '/v1/advertisements']; }
  if (is('PUT', '/v1/advertisements/{itemId}')) { await c.ads.replace(ITEM, body); return ['PUT', `/v1/advertisements/${ITEM}`]; }
  if (is('PATCH', '/v1/advertisements/{itemId}')) { await c.ads.patch(ITEM, body); return ['PATCH', `/v1/advertisements/${ITEM}`]; }
  if (p === '/v1/advertisements/{itemId}/renew') { await c.ads.renew(ITEM, { orderId: body.orderId }); return ['POST', `/v1/advertisements/${ITEM}/renew`]; }
  if (p === '/v1/advertisements/{itemId}/features/{featureName}/buy-feature') {
    await c.features.buy(ITEM, 'topadvertentie', { orderId: body.orderId });
    return ['POST', `/v1/advertisements/${ITEM}/features/topadvertentie/buy-feature`];
  }
  if (p === '/v1/advertisements/{itemId}/upcall-confirmations') { await c.upcalls.confirm(ITEM, body); return ['POST', `/v1/advertisements/${ITEM}/upcall-confirmations`]; }
  if (p === '/v1/advertisements/{itemId}/bids/{bidId}/actions/ask-bidder-question') {
    await c.bids.askBidderQuestion(ITEM, 2, body.message, body.phoneNumber);
    return ['POST', `/v1/advertisements/${ITEM}/bids/2/actions/ask-bidder-question`];
  }
  if (p === '/v1/advertisements/{itemId}/transactions') { await c.transactions.create(ITEM, body); return ['POST', `/v1/advertisements/${ITEM}/transactions`]; }
  if (p === '/v1/advertisements/{itemId}/images') { await c.images.add(ITEM, body.urls, { replaceAll: body.replaceAll }); return ['POST', `/v1/advertisements/${ITEM}/images`]; }
  if (is('POST', '/v1/users')) { await c.users.create(body); return ['POST', '/v1/users']; }
  if (p === '/v1/users/{userId}/change-email') { await c.users.changeEmail(1, body.newEmail); return ['POST', '/v1/users/1/change-email']; }
  if (p === '/v1/users/{userId}/features/{featureName}/buy-feature') {
    await c.users.buyFeature(1, 'klantscore', { orderId: body.orderId });
    return ['POST', '/v1/users/1/features/klantscore/buy-feature'];
  }
  if (p === '/v1/users/{userId}/profile') { await c.users.replaceProfile(1, body); return ['PUT', '/v1/users/1/profile']; }
  if (p.startsWith('/v1/users/{userId}/profile/')) {
    const kind = p.endsWith('profile-image') ? 'profile' : 'backdrop';
    await c.users.setProfileImage(1, kind, body.url);
    return ['POST', `/v1/users/1/profile/${p.split('/').at(-1)}`];
  }
  if (p === '/v1/users/{userId}/userreviews') {
    // The guide's path; the API's current one is /reviews-settings.
    await c.users.replaceReviewSettings(1, body);
    return ['PUT', '/v1/users/1/reviews-settings'];
  }
  return null;
}

/** Decode response example `e` (served by the peer) through the matching Node call. */
function decode(c, e) {
  const [method, rest] = [e.endpoint.split(' ')[0], e.endpoint.slice(e.endpoint.indexOf(' ') + 1)];
  const key = `${method} ${rest.split(' (')[0]}`;
  const calls = {
    'GET /v1/advertisements': () => c.ads.collection(),
    'POST /v1/advertisements/{itemId}/renew': () => c.ads.renew(ITEM),
    'POST /v1/advertisements/{itemId}/features/{featureName}/buy-feature': () => c.features.buy(ITEM, 'topadvertentie'),
    'GET /v1/advertisements/{itemId}/bids/{bidId}': () => c.bids.get(ITEM, 2),
    'GET /v1/advertisements/{itemId}/transactions/{transactionId}': () => c.transactions.get(ITEM, 2),
    'GET /v1/users': () => c.users.collection(),
    'GET /v1/users/{userId}/brands': () => c.users.brands(1),
    'POST /v1/users/{userId}/change-email': () => c.users.changeEmail(1, 'new-email@marktplaats.com'),
    'GET /v1/users/{userId}/reviews': () => c.users.reviews(1),
    'GET /v1/images/{mediaId}': () => c.images.get('a64976eb-4adb-4af6-aa0f-3756740d8556'),
    'GET /v1/orders/{orderId}': () => c.orders.get(123),
    'GET /v1/locations?postcode={postcode}': () => c.locations.byPostcode('8311AA'),
    'GET /v1/categories/{l1CategoryId}/{l2CategoryId}/fees': () => c.categories.fees(1, 4),
    'GET /v2/users/{userId}/legal-status': () => c.users.legalStatus(1),
    'POST /v1/advertisements/{itemId}/transactions': () => c.transactions.create(ITEM, { buyerId: 6789, amount: 1200, shippingCosts: 100 }),
    'GET /v1/advertisements/{itemId}/transactions': () => c.transactions.list(ITEM),
    'POST /v1/users': () => c.users.create({ email: 'user@host.nl', name: 'Spiderman', postcode: '1097DN' }),
    'GET /v1/categories': () => c.categories.list(),
    'GET /v1/categories/{l1CategoryId}/{l2CategoryId}/attributes': () => c.categories.attributes(1, 2),
    'POST /v1/advertisements/{itemId}/images': () => c.images.add(ITEM, ['http://www.marktplaats.nl/i/a.png']),
    'GET /v1/advertisements/{itemId}/features': () => c.features.list(ITEM),
    'GET /v1/users/{userId}/features': () => c.users.features(1),
    'GET /v1/users/{userId}/profile': () => c.users.profile(1),
    'GET /v1/users/{userId}/userreviews': () => c.users.reviewSettings(1),
  };
  if (!calls[key]) throw new Error(`no Node call for ${key}`);
  return calls[key]();
}

test('Marktplaats API A examples through Node', async () => {
  const peer = await startPeer();
  const failures = [];
  let produced = 0;
  let decoded = 0;
  try {
    for (const e of apiA()) {
      const endpoint = e.endpoint;
      if (e.kind === 'request' && endpoint.startsWith('WEBHOOK')) {
        const body = JSON.stringify(e.body);
        const signature = e.note.split(/\s+/).at(-1);
        const ok = signWebhook(body, 's3cr3t') === signature && verifyWebhook(body, signature, 's3cr3t');
        try { assert.deepEqual(parseWebhook(body, signature, 's3cr3t'), e.body); } catch { failures.push('webhook: parse'); continue; }
        if (ok) produced += 1; else failures.push(`webhook example: signature ${signature} not reproduced`);
        continue;
      }
      const client = peer.client();
      peer.seen = [];
      if (e.kind === 'request') {
        peer.reply = [200, { itemId: ITEM }];
        let target;
        try {
          target = await produce(client, e);
        } catch (err) {
          failures.push(`request ${endpoint}: ${err.message}`);
          continue;
        }
        if (!target) { failures.push(`request ${endpoint}: no Node call`); continue; }
        const { method, path: p, headers, body } = peer.seen[0];
        const ct = method === 'PATCH' ? 'application/json-patch+json' : 'application/json';
        try {
          assert.deepEqual([method, p.split('?')[0]], target);
          assert.deepEqual(body, e.body);
          assert.equal(headers['content-type'], ct);
          assert.ok((headers.accept ?? '').includes('application/json'));
          produced += 1;
        } catch (err) {
          failures.push(`request ${endpoint}: ${err.message}`);
        }
      } else if (endpoint.startsWith('ANY')) {
        peer.reply = [Number(e.status), e.body];
        const err = await client.ads.get('m1').then(() => null, (x) => x);
        assert.ok(err instanceof ValidationError);
        assert.deepEqual([err.code, err.status, err.apiCode, err.requestId], ['validation-failure', 400, 'validation-failure', '4298asfpohsa98yasohq97q3yff22']);
        assert.equal(err.details.length, 5);
        assert.equal(err.details[1].field, 'name');
        assert.equal(err.details[1].value, '15');
        decoded += 1;
      } else if (endpoint.includes('oauth/token')) {
        peer.tokenReply = e.body;
        const got = await client.authenticateClient({ scopes: ['create_account'] });
        peer.tokenReply = TOKEN;
        if (Object.entries(e.body).every(([k, v]) => JSON.stringify(got[k]) === JSON.stringify(v))) decoded += 1;
        else failures.push(`response ${endpoint}: ${JSON.stringify(got)}`);
      } else {
        peer.reply = [Number(e.status), e.body];
        // The attributes of a category read as a list, also when the server sends one object.
        const want = e.endpoint.includes('/attributes') && !Array.isArray(e.body) ? [e.body] : e.body;
        try {
          assert.deepEqual(await decode(client, e), want);
          decoded += 1;
        } catch (err) {
          failures.push(`response ${endpoint}: ${err.message}`);
        }
      }
      client.close();
    }
  } finally {
    await peer.close();
  }
  console.log(`Marktplaats API A (Node): ${produced} request examples produced, ${decoded} response examples decoded`);
  assert.deepEqual(failures, []);
  assert.deepEqual([produced, decoded], [22, 28]);
});
