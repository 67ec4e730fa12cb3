'use strict';
// The Node program of docs/guides/catalogue-sync.md, run for real against the simulator: the CSV
// goes live, then a price change, then a removal.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();
const GUIDE = path.join(__dirname, '..', '..', 'examples', 'guides', 'catalogue-sync');

test('the guide program: live, a price change, a removal', async () => {
  const s = sim();
  const tokens = [];
  const client = await s.marktplaatsClient('marktplaats', { onToken: (t) => { tokens.push(t); } });
  const env = {
    ...process.env,
    SELLKIT_MP_BASE_URL: s.marktplaatsUrl('marktplaats'),
    SELLKIT_MP_CLIENT_ID: s.mpClientId,
    SELLKIT_MP_CLIENT_SECRET: s.mpClientSecret,
    SELLKIT_MP_REFRESH_TOKEN: tokens.at(-1).refresh_token,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-guide-'));
  const state = pathToFileURL(path.join(dir, 'sync-state.json')).href;
  const run = (csv, ...flags) => execFileSync(process.execPath, [path.join(GUIDE, 'sync.mjs'), path.join(GUIDE, csv), state, ...flags], { env, encoding: 'utf8' })
    .trim().split('\n');

  assert.equal(run('products.csv', '--dry-run').at(-1), 'created=3 updated=0 unchanged=0 deleted=0 invalid=0 failed=0');
  const live = run('products.csv');
  assert.equal(live.at(-1), 'created=3 updated=0 unchanged=0 deleted=0 invalid=0 failed=0');
  const itemId = live[0].split(/\s+/)[2];
  assert.equal((await client.ads.get(itemId)).priceModel.askingPrice, 3250);
  const priced = run('products-price-change.csv');
  assert.equal(priced.at(-1), 'created=0 updated=1 unchanged=2 deleted=0 invalid=0 failed=0');
  assert.equal((await client.ads.get(itemId)).priceModel.askingPrice, 2999);
  const removed = run('products-removal.csv', '--delete-missing');
  assert.equal(removed.at(-1), 'created=0 updated=0 unchanged=2 deleted=1 invalid=0 failed=0');
  assert.ok(removed[2].startsWith('cd-200   deleted'), removed[2]);
  client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
