'use strict';
// Time as JS has it: a `Date` wherever a timestamp goes in (sent as its UTC instant; EQP gets its
// own `YYYY-MM-DD HH:MM:SS`), an invalid Date refused naming the field, and `parseTimestamp` /
// `parseTime` reading the timestamps of responses into Dates through core's parser. Real calls
// to the simulator.

const test = require('node:test');
const assert = require('node:assert/strict');
const { parseTimestamp, parseTime, eqp, marktplaats, InvalidInputError } = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();
const LIST = 'GET /rest/v1/products/packages';

function draft(name) {
  return { name, type: 'extension', platform: 'M2', prices: [{ edition: 'CE', currency_code: 'USD', price: '10.00' }] };
}

function sentFilters(key) {
  return sim().requests(LIST).map((r) => new URL(r, 'http://x').searchParams.get(key)).filter((v) => v !== null);
}

test('parseTimestamp and parseTime give Dates', () => {
  assert.equal(parseTimestamp, eqp.parseTimestamp);
  assert.equal(parseTime, marktplaats.parseTime);
  const t = parseTimestamp('2020-07-21 8:09:10');
  assert.ok(t instanceof Date);
  assert.equal(t.toISOString(), '2020-07-21T08:09:10.000Z');
  assert.equal(parseTimestamp('2020-07-21T10:09:10.25+02:00').toISOString(), '2020-07-21T08:09:10.250Z');
  assert.equal(parseTime('2014-12-23T16:59:39Z').getTime(), Date.UTC(2014, 11, 23, 16, 59, 39));
  assert.throws(() => parseTimestamp('21/07/2020'), (e) => e instanceof InvalidInputError && e.field === 'text');
});

test('Date filters are sent as EQP timestamps and match', async () => {
  const client = sim().eqpClient();
  const created = await client.packages.create([draft('Dated')]);
  const id = created.items[0].data.submission_id;
  const pkg = await client.packages.get(id);
  const at = parseTimestamp(pkg.created_at);
  assert.deepEqual((await client.packages.list({ createdAt: at }).toArray()).map((p) => p.submission_id), [id]);
  assert.deepEqual(sentFilters('created_at'), [pkg.created_at]);
  assert.deepEqual(await client.packages.list({ createdAt: new Date(at.getTime() + 1000) }).toArray(), []);
  // A day as text matches the whole day.
  assert.equal((await client.packages.list({ createdAt: pkg.created_at.slice(0, 10) }).toArray()).length, 1);
});

test('a Date field is written the EQP way', async () => {
  const client = sim().eqpClient();
  const created = await client.packages.create([draft('Launch')]);
  const id = created.items[0].data.submission_id;
  await client.packages.updateOne(id, { requested_launch_date: new Date(Date.UTC(2031, 2, 4, 5, 8, 9, 250)) });
  const pkg = await client.packages.get(id);
  assert.equal(pkg.requested_launch_date, '2031-03-04 05:08:09');
});

test('an invalid Date is refused naming the field, before anything is sent', async () => {
  const client = sim().eqpClient();
  // A list's arguments are checked when it is opened.
  assert.throws(() => client.packages.list({ createdAt: new Date('nonsense') }),
    (e) => e instanceof InvalidInputError && e.field === 'createdAt' && /invalid Date/.test(e.message));
  await assert.rejects(client.packages.updateOne('any', { requested_launch_date: new Date(NaN) }),
    (e) => e instanceof InvalidInputError && e.field === 'fields.requested_launch_date');
  assert.equal(sim().requestCount(LIST), 0);
});

test('Dates inside a Marktplaats body', async () => {
  const client = await sim().marktplaatsClient('marktplaats');
  const ad = await client.ads.create({
    categoryId: 35, title: 'Upcall lamp', description: 'An ad to confirm an upcall for.',
    priceModel: { modelType: 'fixed', askingPrice: 1000 }, location: { postcode: '1097DN' },
  });
  assert.ok(Math.abs(Date.now() - parseTime(ad.startDate).getTime()) < 5 * 60 * 1000);
  const start = new Date();
  await client.upcalls.confirm(ad.itemId, { callerPhoneNumber: '0612345678', calleePhoneNumber: '0687654321', startTime: start, endTime: new Date(start.getTime() + 180000) });
  await assert.rejects(client.upcalls.confirm(ad.itemId, { callerPhoneNumber: '0612345678', calleePhoneNumber: '0687654321', startTime: start, endTime: new Date('x') }),
    (e) => e instanceof InvalidInputError && e.field === 'confirmation.endTime');
});
