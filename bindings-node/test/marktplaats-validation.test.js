'use strict';
// Marktplaats ads checked against their category through Node against the simulator: refused
// locally with the attribute's field and nothing sent, the category cache's time to live, the
// validate switch (then the simulator refuses the same), update_from without server members,
// apiVersion v2.

const test = require('node:test');
const assert = require('node:assert/strict');
const { InvalidInputError, ValidationError } = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();
const CREATE = 'POST /v1/advertisements';
const ATTRIBUTES = 'GET /v1/categories/{l1}/{l2}/attributes';

function car(title, changes = {}) {
  const ad = {
    categoryId: 92, title, description: 'Netjes onderhouden',
    priceModel: { modelType: 'fixed', askingPrice: 1450000 }, location: { postcode: '1097DN' },
    constructionYear: 2019, mileage: 64000, fuel: 'Benzine',
  };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete ad[k]; else ad[k] = v;
  }
  return ad;
}

test('refused locally with the field named and nothing sent; switched off, the simulator refuses', async () => {
  const s = sim();
  const mp = await s.marktplaatsClient('marktplaats');
  s.resetCounters();
  const bad = car('Alfa Romeo Giulia', { fuel: undefined, transmission: 'automaat' });
  await assert.rejects(mp.ads.create(bad), (e) => {
    assert.ok(e instanceof InvalidInputError, String(e));
    assert.deepEqual(e.details.map((d) => [d.field, d.code]), [['transmission', 'input-invalid'], ['fuel', 'missing-required-field']]);
    assert.equal(e.field, 'transmission');
    return true;
  });
  assert.equal(s.requestCount(CREATE), 0);
  const array = car('Alfa Romeo Giulia', { fuel: undefined, attributes: [{ key: 'fuel', value: 'Benzine' }, { key: 'transmission', value: 'Tiptronic' }] });
  await assert.rejects(mp.ads.validate(array), (e) => e instanceof InvalidInputError && e.field === 'attributes[1].value');
  assert.equal(s.requestCount(CREATE), 0);
  assert.equal(s.requestCount(ATTRIBUTES), 1);

  await assert.rejects(mp.ads.create(bad, { validate: false }), (e) => e instanceof ValidationError && e.status === 400);
  assert.equal(s.requestCount(CREATE), 1);
  const unchecked = await s.marktplaatsClient('marktplaats', { validate: false });
  assert.equal(unchecked.validate, false);
  await assert.rejects(unchecked.ads.create(bad), ValidationError);
  const placed = await mp.ads.create(car('Alfa Romeo Giulia'));
  assert.match(placed.itemId, /^m/);
});

test('the category cache keeps attribute definitions for categoryCacheTtl milliseconds', async () => {
  const s = sim();
  const mp = await s.marktplaatsClient('marktplaats', { categoryCacheTtl: 200 });
  s.resetCounters();
  await mp.ads.validate(car('Auto'));
  await mp.ads.validate(car('Auto'));
  assert.equal(s.requestCount(ATTRIBUTES), 1);
  await new Promise((r) => setTimeout(r, 300));
  await mp.ads.validate(car('Auto'));
  assert.equal(s.requestCount(ATTRIBUTES), 2);
});

test('updateFrom leaves server members out and refuses attributes that are not updateable', async () => {
  const s = sim();
  const mp = await s.marktplaatsClient('marktplaats');
  const ad = await mp.ads.create(car('Alfa Romeo Giulia'));
  s.resetCounters();
  const same = await mp.ads.updateFrom(ad.itemId, ad, { ...ad, itemId: 'x' });
  assert.equal(same.itemId, ad.itemId);
  await assert.rejects(mp.ads.updateFrom(ad.itemId, ad, { ...ad, constructionYear: 2020 }),
    (e) => e instanceof InvalidInputError && e.field === 'constructionYear');
  assert.equal(s.requestCount('PATCH /v1/advertisements/{itemId}'), 0);
});

test('apiVersion v2 calls the /v2 paths; v1 is the default', async () => {
  const s = sim();
  const v2 = await s.marktplaatsClient('marktplaats', { apiVersion: 'v2' });
  assert.equal(v2.apiVersion, 'v2');
  s.resetCounters();
  await assert.rejects(v2.ads.create(car('Alfa Romeo Giulia', { constructionYear: 1850 })), (e) => e.field === 'constructionYear');
  const placed = await v2.ads.create(car('Alfa Romeo Giulia'));
  assert.equal((await v2.ads.get(placed.itemId)).title, 'Alfa Romeo Giulia');
  assert.equal(s.requestCount('POST /v2/advertisements'), 1);
  assert.equal(s.requestCount('GET /v2/categories/{l1}/{l2}/attributes'), 1);
  assert.deepEqual(Object.keys(s.requestCounts()).filter((k) => k.split(' ')[1].startsWith('/v1/')), []);

  const v1 = await s.marktplaatsClient('marktplaats');
  assert.equal(v1.apiVersion, 'v1');
  await v1.ads.create(car('Alfa Romeo Giulia'));
  assert.equal(s.requestCount(CREATE), 1);
});
