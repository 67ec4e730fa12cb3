'use strict';
// The Marktplaats / 2dehands / 2ememain client through Node against the simulator.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const {
  MarktplaatsClient, authorizationUrl, verifyWebhook, signWebhook, parseWebhook, resolveLocale,
  InvalidInputError, AuthenticationError, NotFoundError, ValidationError, ConflictError, SellkitError,
} = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();
const TOKEN = 'POST /accounts/oauth/token';
const ME = 'GET /v1/me';
const CREATE = 'POST /v1/advertisements';
const PATCH = 'PATCH /v1/advertisements/{itemId}';
const USER_ADS = 'GET /v1/users/{userId}/advertisements';
const SEARCH = 'GET /v1/search';
const REDIRECT = 'https://app.example.com/callback';

function cdPlayer(title) {
  return {
    categoryId: 35, title, description: 'This is an awesome cd-player',
    condition: 'Nieuw', brand: 'Sony', properties: 'Draagbaar', delivery: 'Ophalen',
    priceModel: { modelType: 'fixed', askingPrice: 3241 }, location: { postcode: '1097DN' },
  };
}

function follow(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => { res.resume(); resolve(new URL(res.headers.location)); }).on('error', reject);
  });
}

test('OAuth2 code flow: authorization URL with state, code exchange, onToken, me', async () => {
  const s = sim();
  const seen = [];
  const client = new MarktplaatsClient({
    platform: '2dehands', baseUrl: s.marktplaatsUrl('2dehands'), clientId: s.mpClientId, clientSecret: s.mpClientSecret,
    onToken: (set) => { seen.push(set); },
  });
  const [url, state] = await client.authorizationUrl(REDIRECT);
  assert.ok(url.startsWith(`${s.marktplaatsUrl('2dehands')}/accounts/oauth/authorize?`), url);
  assert.equal(state.length, 32);
  const q = new URL(url).searchParams;
  assert.deepEqual([q.get('client_id'), q.get('redirect_uri'), q.get('scope')], [s.mpClientId, REDIRECT, 'read write']);
  const redirect = await follow(url);
  assert.equal(redirect.searchParams.get('state'), state);
  // The simulator approves as the browser would: [code, state].
  const approved = s.mpApprove(url);
  assert.ok(Array.isArray(approved) && approved.length === 2);
  assert.equal(approved[1], state);
  assert.equal(typeof approved[0], 'string');
  assert.notEqual(approved[0], '');
  const set = await client.exchangeCode(redirect.searchParams.get('code'), REDIRECT);
  assert.equal(typeof set.refresh_token, 'string');
  assert.equal(seen.length, 1);
  assert.equal(seen[0].refresh_token, set.refresh_token);
  const me = await client.users.me();
  assert.equal(me.userId, s.mpUserId);
  assert.equal(me.locale, 'nl-BE');
  await assert.rejects(client.exchangeCode('bogus', REDIRECT), (e) => e instanceof AuthenticationError && e.code === 'invalid_grant');
  // The exported function builds the same kind of URL without a client.
  const [freeUrl, freeState] = authorizationUrl('abc', REDIRECT, { platform: '2ememain', scopes: ['read'], state: 'fixed' });
  assert.equal(freeState, 'fixed');
  assert.ok(freeUrl.includes('client_id=abc') && freeUrl.includes('scope=read') && freeUrl.startsWith('https://'));
  assert.throws(() => authorizationUrl('abc'), (e) => e instanceof InvalidInputError && e.field === 'redirectUri');
});

test('onToken: a rotated refresh token reaches onToken (async) before the new access token is used', async () => {
  const s = sim();
  s.setMpRefreshRotation(true);
  try {
    const seen = [];
    const client = await s.marktplaatsClient('marktplaats', {
      onToken: async (set) => {
        await new Promise((r) => setTimeout(r, 20));
        seen.push([set.refresh_token, s.requestCount(ME)]);
      },
    });
    s.resetCounters();
    await client.users.me();
    s.expireAllTokens();
    await client.users.me();
    assert.equal(seen.length, 2, 'code exchange, then one refresh');
    assert.notEqual(seen[0][0], seen[1][0], 'rotated');
    assert.equal(seen[1][1], 2, 'onToken ran after the refused call and before the replay');
    assert.equal(s.requestCount(ME), 3);
    // The spent refresh token is refused; the persisted new one works.
    const base = { platform: 'marktplaats', baseUrl: s.marktplaatsUrl('marktplaats'), clientId: s.mpClientId, clientSecret: s.mpClientSecret };
    await assert.rejects(new MarktplaatsClient({ ...base, refreshToken: seen[0][0] }).users.me(), (e) => e.code === 'invalid_grant');
    assert.equal((await new MarktplaatsClient({ ...base, refreshToken: seen[1][0] }).users.me()).userId, s.mpUserId);
  } finally {
    s.setMpRefreshRotation(false);
  }
});

test('onToken: a throw or a rejected Promise fails the call with a typed error; the token is not used', async () => {
  const s = sim();
  for (const failing of [() => { throw new Error('disk full'); }, async () => { throw new Error('disk full'); }]) {
    let fail = false;
    const client = await s.marktplaatsClient('marktplaats', { onToken: (set) => (fail ? failing(set) : undefined) });
    await client.users.me();
    s.expireAllTokens();
    fail = true;
    s.resetCounters();
    await assert.rejects(client.users.me(), (e) => {
      assert.ok(e instanceof AuthenticationError, e.name);
      assert.match(e.message, /disk full/);
      assert.match(e.message, /on_token|onToken/);
      return true;
    });
    assert.equal(s.requestCount(ME), 1, 'not replayed with the unpersisted token');
    fail = false;
    await client.users.me();
  }
});

test('client credentials: users.create', async () => {
  const s = sim();
  const client = new MarktplaatsClient({ baseUrl: s.marktplaatsUrl('marktplaats'), clientId: s.mpClientId, clientSecret: s.mpClientSecret });
  const set = await client.authenticateClient({ scopes: ['create_account'] });
  assert.equal(set.refresh_token, undefined);
  const user = await client.users.create({ email: 'node-new@example.com' });
  assert.equal(user.status, 'unconfirmed');
  await assert.rejects(client.users.create({ email: 'x@y.nl', phoneNumber: '0906292818' }), (e) => e.field === 'phoneNumber');
});

test('resolveLocale: precedence and refusal naming the allowed locales', async () => {
  assert.equal(resolveLocale('2ememain'), 'fr-BE');
  assert.equal(resolveLocale('2dehands', {}), 'nl-BE');
  assert.equal(resolveLocale('2dehands', { userLocale: 'fr-BE' }), 'fr-BE');
  assert.equal(resolveLocale('2ememain', { entityLocale: 'nl-BE', userLocale: 'fr-BE' }), 'nl-BE');
  assert.equal(resolveLocale('marktplaats'), 'nl-NL');
  assert.throws(() => resolveLocale('marktplaats', { entityLocale: 'fr-BE' }), (e) => e instanceof InvalidInputError && e.code === 'invalid-locale' && /nl-NL/.test(e.message));
  assert.throws(() => resolveLocale('ebay'), InvalidInputError);
  const s = sim();
  const fr = await s.marktplaatsClient('2ememain');
  assert.equal(await fr.resolveLocale(), 'fr-BE');
  assert.equal((await fr.ads.create(cdPlayer('Lecteur cd'))).locale, 'fr-BE');
  const mp = await s.marktplaatsClient('marktplaats');
  s.resetCounters();
  await assert.rejects(mp.ads.create({ ...cdPlayer('Speler'), locale: 'fr-BE' }), (e) => e.code === 'invalid-locale' && e.field === 'locale');
  assert.equal(s.requestCount(CREATE), 0);
  assert.throws(() => new MarktplaatsClient({ platform: 'marktplaats', locale: 'nl-BE', clientId: 'x' }), (e) => e.code === 'invalid-locale' && e.field === 'locale');
});

test('ads: create, get, replace, patch, updateFrom (server state equals new), delete', async () => {
  const s = sim();
  const client = await s.marktplaatsClient('marktplaats');
  const created = await client.ads.create(cdPlayer('Test cd player'));
  const id = created.itemId;
  assert.match(id, /^m/);
  assert.equal(created.priceModel.askingPrice, 3241);
  assert.ok(created._links.self, 'HAL links kept');
  assert.equal((await client.ads.get(id)).title, 'Test cd player');
  const replaced = await client.ads.replace(id, { ...created, title: 'Updated title' });
  assert.equal(replaced.title, 'Updated title');
  assert.equal(s.mpAd('marktplaats', id).title, 'Updated title');
  const patched = await client.ads.patch(id, [{ op: 'replace', path: '/title', value: 'the new title' }]);
  assert.equal(patched.title, 'the new title');
  s.resetCounters();
  await assert.rejects(client.ads.patch(id, [{ op: 'move', from: '/title', path: '/description' }]), (e) => e instanceof InvalidInputError && e.code === 'invalid-patch-operation');
  assert.equal(s.requestCount(PATCH), 0);
  await assert.rejects(client.ads.patch(id, [{ op: 'replace', path: '/nothing/here', value: 1 }]), (e) => e instanceof ConflictError && e.code === 'conflicting-state' && e.status === 409);
  const old = await client.ads.get(id);
  const next = { ...old, title: 'A better title', priceModel: { modelType: 'bidding', minimalBid: 500 }, brand: 'Philips', color: 'black' };
  delete next.delivery;
  s.resetCounters();
  const result = await client.ads.updateFrom(id, old, next);
  assert.equal(s.requestCount(PATCH), 1);
  assert.deepEqual(result, next);
  assert.deepEqual(s.mpAd('marktplaats', id), next);
  await client.ads.updateFrom(id, next, next);
  assert.equal(s.requestCount(PATCH), 1, 'no difference, no PATCH');
  assert.equal((await client.request('PATCH', `/v1/advertisements/${id}`, { json: [{ op: 'replace', path: '/title', value: 'Raw title' }] })).title, 'Raw title');
  assert.ok(await client.ads.collection());
  assert.equal(await client.ads.delete(id), null);
  await assert.rejects(client.ads.get(id), (e) => e instanceof NotFoundError && e.code === 'advertisement-not-found' && e.apiCode === 'advertisement-not-found');
});

test('client-side checks: float cents are refused naming the field; server codes and details', async () => {
  const s = sim();
  const client = await s.marktplaatsClient('marktplaats');
  s.resetCounters();
  for (const [pm, field] of [
    [{ modelType: 'fixed', askingPrice: 15.5 }, 'priceModel.askingPrice'],
    [{ modelType: 'fixed', askingPrice: -100 }, 'priceModel.askingPrice'],
    [{ modelType: 'fixed', askingPrice: 100, minimalBid: 50 }, 'priceModel.minimalBid'],
  ]) {
    await assert.rejects(client.ads.create({ ...cdPlayer('Valid title'), priceModel: pm }), (e) => {
      assert.ok(e instanceof InvalidInputError);
      assert.equal(e.field, field);
      assert.ok(e.message.includes(field), e.message);
      return true;
    });
  }
  await assert.rejects(client.ads.create(cdPlayer('ab')), (e) => e.field === 'title');
  assert.equal(s.requestCount(CREATE), 0);
  const bad = cdPlayer('ab');
  delete bad.location;
  await assert.rejects(client.request('POST', '/v1/advertisements', { json: bad }), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.code, 'validation-failure');
    assert.equal(e.apiCode, 'validation-failure');
    assert.deepEqual(e.details.map((d) => d.field), ['title', 'location.postcode']);
    assert.equal(e.details[0].code, 'input-too-short');
    assert.match(e.requestId, /^sim-/);
    return true;
  });
});

test('images: add with replaceAll, waitUntilAvailable, list, get', async () => {
  const s = sim();
  s.setMpImageDelay(300);
  try {
    const client = await s.marktplaatsClient('marktplaats');
    const { itemId } = await client.ads.create(cdPlayer('With images'));
    const added = await client.images.add(itemId, ['http://www.marktplaats.nl/i/a.png', 'http://www.marktplaats.nl/i/b.jpg'], { replaceAll: true });
    const images = added._embedded['mp:advertisement-image'];
    assert.equal(images.length, 2);
    const started = Date.now();
    const ready = await client.images.waitUntilAvailable(images[0].mediaId, { timeout: 5000, interval: 50 });
    assert.ok(Date.now() - started >= 150);
    assert.equal(ready.mediaId, images[0].mediaId);
    assert.ok(await client.images.get(images[0].mediaId));
    await client.images.add(itemId, ['http://www.marktplaats.nl/i/c.jpg'], { replaceAll: true });
    assert.equal((await client.images.list(itemId))._embedded['mp:advertisement-image'].length, 1);
    s.setMpImageDelay(30_000);
    const slow = await client.images.add(itemId, ['http://www.marktplaats.nl/i/slow.jpg']);
    await assert.rejects(client.images.waitUntilAvailable(slow._embedded['mp:advertisement-image'][0].mediaId, { timeout: 200, interval: 50 }),
      (e) => e.code === 'image-not-available');
    await assert.rejects(client.images.add(itemId, ['ftp://x/y.jpg']), (e) => e.field === 'urls[0]');
  } finally {
    s.setMpImageDelay(200);
  }
});

test('users.ads pages lazily by offset (a multiple of the limit); adsPage', async () => {
  const s = sim();
  const client = await s.marktplaatsClient('2dehands');
  for (let i = 0; i < 7; i++) await client.ads.create(cdPlayer(`Player number ${i}`));
  s.mpSeedAds('2dehands', 5, 'Not mine');
  const me = s.mpUserId;
  s.resetCounters();
  const all = await client.users.ads({ userId: me, pageSize: 3 }).toArray();
  assert.equal(all.length, 7);
  assert.equal(s.requestCount(USER_ADS), 3);
  assert.equal(all[6].title, 'Player number 6');
  s.resetCounters();
  const firstFour = [];
  for await (const ad of client.users.ads({ limit: 4, pageSize: 2 })) firstFour.push(ad);
  assert.equal(firstFour.length, 4);
  assert.equal(s.requestCount(USER_ADS), 2);
  const page = await client.users.adsPage(me, { offset: 3, limit: 3 });
  assert.equal(page.totalCount, 7);
  await assert.rejects(client.users.adsPage(me, { offset: 2, limit: 3 }), (e) => e.code === 'pagination-invalid' && e.field === 'offset');
  assert.throws(() => client.users.ads({ userId: me, pageSize: 101 }), (e) => e.field === 'pageSize');
});

test('search iterates by next links, limit stops early', async () => {
  const s = sim();
  s.mpSeedAds('marktplaats', 450, 'Vintage lamp');
  const client = await s.marktplaatsClient('marktplaats');
  s.resetCounters();
  const some = await client.search({ query: 'vintage', pageSize: 200, limit: 250 }).toArray();
  assert.equal(some.length, 250);
  assert.equal(s.requestCount(SEARCH), 2);
  let n = 0;
  for await (const ad of client.search({ query: 'vintage', pageSize: 200 })) {
    assert.match(ad.title, /^Vintage lamp/);
    n++;
  }
  assert.equal(n, 450);
  const page = await client.searchPage({ query: 'vintage', pageSize: 100 });
  assert.equal(page.totalCount, 450);
  assert.throws(() => client.search({}), (e) => e.field === 'query');
});

test('webhooks: the docs vector, sign/verify/parse, and a signed delivery', async () => {
  const body = '{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}';
  const sig = 'c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97';
  assert.equal(verifyWebhook(body, sig, 's3cr3t'), true);
  assert.equal(verifyWebhook(Buffer.from(body), sig, 's3cr3t'), true);
  assert.equal(verifyWebhook(body, sig, 'wrong'), false);
  assert.equal(verifyWebhook(`${body} `, sig, 's3cr3t'), false);
  assert.equal(signWebhook(body, 's3cr3t'), sig);
  const event = parseWebhook(body, sig, 's3cr3t');
  assert.equal(event.eventType, 'EventType');
  assert.deepEqual(event.eventData, { property: 'value' });
  assert.equal(parseWebhook(Buffer.from(body), sig, 's3cr3t').id, 'id');
  // A missing or empty signature is `false` to verify, and an authentication error to parse.
  for (const missing of [undefined, null, '']) {
    assert.equal(verifyWebhook(body, missing, 's3cr3t'), false);
    assert.throws(() => parseWebhook(body, missing, 's3cr3t'),
      (e) => e instanceof AuthenticationError && e.code === 'invalid-signature' && e.status === 401);
  }
  assert.throws(() => parseWebhook(body, sig, 'wrong'), (e) => e instanceof AuthenticationError && e.code === 'invalid-signature');

  const s = sim();
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => { got.push({ headers: req.headers, body: Buffer.concat(chunks) }); res.end(); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    s.setMpWebhook(`http://127.0.0.1:${server.address().port}/hooks`, 's3cr3t');
    const client = await s.marktplaatsClient('2dehands');
    const { itemId } = await client.ads.create(cdPlayer('Bid on me'));
    const bidId = s.mpPlaceBid('2dehands', itemId, 1100, 'Joe');
    for (let i = 0; i < 250 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const [delivery] = got;
    assert.equal(verifyWebhook(delivery.body, delivery.headers['x-ecg-signature'], 's3cr3t'), true);
    assert.equal(parseWebhook(delivery.body, delivery.headers['x-ecg-signature'], 's3cr3t').eventData.bidId, bidId);
    assert.ok(s.mpWebhookDeliveries().length >= 1);
    // Bids, statistics, transactions.
    assert.equal((await client.bids.get(itemId, bidId)).amount, 1100);
    assert.equal((await client.bids.list(itemId))._embedded['mp:bid'].length, 1);
    await client.bids.askBidderQuestion(itemId, bidId, 'Hi, you can purchase this item for the offered price', '0113293823');
    await assert.rejects(client.bids.askBidderQuestion(itemId, bidId, 'Hi', '0900998877'), (e) => e.field === 'phoneNumber');
    assert.equal((await client.ads.statistics(itemId)).numberOfBids, 1);
    await client.bids.delete(itemId, bidId);
    const t = await client.transactions.create(itemId, { buyerId: 6789, amount: 1200, shippingCosts: 100 });
    assert.equal((await client.transactions.get(itemId, t.transactionId)).amount, 1200);
    assert.ok(await client.transactions.list(itemId));
    await assert.rejects(client.transactions.create(itemId, { buyerId: 1, amount: 12.5, shippingCosts: 0 }), (e) => e.field === 'amount');
    await client.upcalls.confirm(itemId, { callerPhoneNumber: '0615420879', calleePhoneNumber: '0113293823', startTime: '2014-12-02T09:34:21+00:00', endTime: '2014-12-02T09:34:23+00:00' });
  } finally {
    s.setMpWebhook(null, '');
    server.close();
    server.closeAllConnections();
  }
});

test('features, orders, renewal, categories, locations, users', async () => {
  const s = sim();
  const client = await s.marktplaatsClient('marktplaats');
  const { itemId } = await client.ads.create(cdPlayer('Featured'));
  assert.ok((await client.features.list(itemId))._embedded);
  const order = await client.features.buy(itemId, 'dagtopper');
  assert.equal(order.status, 'paid');
  assert.equal((await client.orders.get(order.orderId)).orderId, order.orderId);
  assert.ok(await client.orders.products(order.orderId));
  assert.ok(await client.orders.product(order.orderId, 1));
  assert.equal((await client.features.get(itemId, 'dagtopper')).active, true);
  assert.ok(await client.features.purchased(itemId));
  await assert.rejects(client.ads.renew(itemId), (e) => e.code === 'invalid-expiration');
  assert.equal(s.mpSetAdExpiry('marktplaats', itemId, 3), true);
  assert.ok((await client.ads.renew(itemId)).orderId);
  assert.equal((await client.categories.get(31, { l2CategoryId: 35 })).name, 'Cd-spelers');
  assert.equal((await client.categories.list({ categoryId: 35 })).categoryId, 35);
  assert.ok(await client.categories.list());
  assert.ok(Array.isArray(await client.categories.attributes(31, 35)) || typeof (await client.categories.attributes(31, 35)) === 'object');
  assert.ok(await client.categories.fees(91, 93));
  assert.equal((await client.locations.byPostcode('8301 AA')).city, 'Emmeloord');
  assert.ok(await client.root());
  const me = s.mpUserId;
  assert.equal((await client.users.get(me)).userId, me);
  assert.ok(await client.users.collection());
  assert.match((await client.users.changeEmail(me, 'new@example.com')).message, /@/);
  assert.equal((await client.users.replaceProfile(me, { title: 'Super shop', description: 'Better' })).title, 'Super shop');
  assert.equal((await client.users.patchProfile(me, [{ op: 'replace', path: '/title', value: 'Mega shop' }])).title, 'Mega shop');
  assert.equal((await client.users.profile(me)).title, 'Mega shop');
  await client.users.setProfileImage(me, 'backdrop', 'http://remote.host/images/image1.jpg');
  assert.equal((await client.users.profileImage(me, 'backdrop')).url, 'http://remote.host/images/image1.jpg');
  await client.users.deleteProfileImage(me, 'backdrop');
  assert.equal((await client.users.replaceReviewSettings(me, { reviewsPlatform: 'tevreden', reviewsUser: 'handyHarry' })).reviewsUser, 'handyHarry');
  assert.equal((await client.users.patchReviewSettings(me, [{ op: 'replace', path: '/reviewsUser', value: 'harry' }])).reviewsUser, 'harry');
  assert.equal((await client.users.reviewSettings(me)).reviewsPlatform, 'tevreden');
  assert.equal((await client.users.reviews(me)).numberOfReviews, 1);
  assert.equal((await client.users.brands(me)).brands.length, 2);
  assert.equal((await client.users.legalStatus(me)).dsaApproved, true);
  assert.ok((await client.users.buyFeature(me, 'bedrijfsprofilering')).orderId);
  assert.ok(await client.users.features(me));
  assert.ok('numberOfAdvertisements' in (await client.users.statistics(me)));
  assert.ok(String(client).includes('marktplaats'));
  assert.ok(!JSON.stringify(client).includes(s.mpClientSecret));
  await assert.rejects(client.ads.get(5), SellkitError);
});

test('a webhook body that is not UTF-8 verifies over its raw bytes', () => {
  const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"\xff\xfe"}
  const expected = require('node:crypto').createHmac('sha256', 'k3y').update(body).digest('hex');
  assert.equal(signWebhook(body, 'k3y'), expected);
  assert.equal(verifyWebhook(body, expected, 'k3y'), true);
  // Decoding to a string first would replace the bytes and change the signature.
  assert.equal(verifyWebhook(body.toString('utf8'), expected, 'k3y'), false);
});
