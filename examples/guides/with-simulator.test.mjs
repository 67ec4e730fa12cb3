// Test your own integration against sellkit's simulator: real HTTP on loopback, no mocks.
//
//   npm install sellkit
//   node --test with-simulator.test.mjs
//
// `reprice` stands for your code; the tests drive it against the simulator and check what
// reached the server, including when the network misbehaves.

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { ServerError, startSimulator } from 'sellkit';

// --- your code -------------------------------------------------------------------------------

/** Lower or raise an ad's price with one JSON Patch of what changed. */
export async function reprice(client, itemId, cents) {
  const old = await client.ads.get(itemId);
  await client.ads.updateFrom(itemId, old, { ...old, priceModel: { ...old.priceModel, askingPrice: cents } });
  return client.ads.get(itemId);
}

// --- the tests -------------------------------------------------------------------------------

let sim;
let shop;
before(async () => {
  sim = await startSimulator(); // a free loopback port, in milliseconds
  shop = await sim.marktplaatsClient('2dehands'); // logged in through the OAuth code flow
});
after(() => sim.stop());
beforeEach(() => {
  sim.clearFaults();
  sim.resetCounters();
});

async function ownAd(cents) {
  const ad = await shop.ads.create({
    categoryId: 35, title: 'Espresso machine', description: 'Descaled last week.',
    priceModel: { modelType: 'fixed', askingPrice: cents }, location: { postcode: '2000' },
  });
  sim.resetCounters();
  return ad.itemId;
}

test('reprice changes only the price', async () => {
  const itemId = await ownAd(12000);
  assert.equal((await reprice(shop, itemId, 9900)).priceModel.askingPrice, 9900);
  assert.equal(sim.mpAd('2dehands', itemId).title, 'Espresso machine');
  assert.equal(sim.requestCount('PATCH /v1/advertisements/{itemId}'), 1);
});

test('reprice survives a busy server', async () => {
  const itemId = await ownAd(12000);
  sim.failNext('GET /v1/advertisements/{itemId}', { count: 2, status: 503 }); // retried: GET is safe
  assert.equal((await reprice(shop, itemId, 9500)).priceModel.askingPrice, 9500);
  assert.equal(sim.requestCount('GET /v1/advertisements/{itemId}'), 4); // 2 failed, 2 served
});

test('reprice reports a server that stays down', async () => {
  const itemId = await ownAd(12000);
  sim.failNext('PATCH /v1/advertisements/{itemId}', { count: 10, status: 503 });
  await assert.rejects(reprice(shop, itemId, 9000), (err) => err instanceof ServerError && err.status === 503);
  assert.equal(sim.mpAd('2dehands', itemId).priceModel.askingPrice, 12000);
});

test('expired tokens are refreshed', async () => {
  const itemId = await ownAd(5000);
  sim.expireAllTokens();
  assert.equal((await reprice(shop, itemId, 4500)).priceModel.askingPrice, 4500);
});
