// HTTP calls in Node against one simulator: sellkit vs fetch and undici.request written by
// hand (session token once, Bearer header, JSON decode). Sequential and at 64 concurrent.
import { request } from 'undici';
import sellkit from '../../bindings-node/index.js';
import { Results, interleave } from './common.mjs';

const { startSimulator, MarktplaatsClient } = sellkit;
const CONC = 64;
const PAGE = 100;
const N_LIST = 2000;
const BURST = { get: 256, post50: 64, list2000: 64, patch: 256 };
const REDIRECT = 'https://app.example.com/callback';

const sim = await startSimulator();
const EQP = sim.eqpUrl;
const USER_URL = `${EQP}/rest/v1/users/${sim.eqpMageId}`;
const PKG_URL = `${EQP}/rest/v1/products/packages`;
const MPURL = sim.marktplaatsUrl('marktplaats');
const res = new Results('node_http');

const packages = (tag, n = 50) => Array.from({ length: n }, (_, i) => ({
  name: `Bench ${tag} ${i}`, type: 'extension', platform: 'M2', version: `1.0.${i}`, sku: `bench/${tag}`,
  prices: [{ edition: 'CE', currency_code: 'USD', price: '15.50' }],
}));
const BATCH = packages('post');

// Set-up: 2,000 packages seeded with sellkit, an ad, tokens obtained once as a user would.
const client = sim.eqpClient();
for (let k = 0; k < N_LIST / 50; k++) await client.packages.create(packages(`seed${k}`));
if (sim.eqpPackageCount() !== N_LIST) throw new Error('seed');
const mp = new MarktplaatsClient({ platform: 'marktplaats', baseUrl: MPURL, clientId: sim.mpClientId, clientSecret: sim.mpClientSecret });
const [url] = await mp.authorizationUrl(REDIRECT);
const loc = (await fetch(url, { redirect: 'manual' })).headers.get('location');
const tokens = await mp.exchangeCode(new URL(loc).searchParams.get('code'), REDIRECT);
const ad = await mp.ads.create({ categoryId: 35, title: 'Bench cd player', description: 'This is an awesome cd-player', condition: 'Nieuw', brand: 'Sony',
  properties: 'Draagbaar', delivery: 'Ophalen', priceModel: { modelType: 'fixed', askingPrice: 3241 }, location: { postcode: '1097DN' } });
const AD_URL = `${MPURL}/v1/advertisements/${ad.itemId}`;
const basic = Buffer.from(`${sim.eqpAppId}:${sim.eqpAppSecret}`).toString('base64');
const tokRes = await fetch(`${EQP}/rest/v1/app/session/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'session' }) });
const EQP_AUTH = `Bearer ${(await tokRes.json()).ust}`;
const MP_HDR = { authorization: `Bearer ${tokens.access_token}`, accept: 'application/hal+json, application/json', 'content-type': 'application/json-patch+json' };
let n = 0;
const ops = () => [{ op: 'replace', path: '/title', value: `Bench cd player ${n++ % 1000}` }];

const sk = {
  get: () => client.users.get(),
  post50: () => client.packages.create(BATCH),
  list2000: async () => { let c = 0; for await (const _ of client.packages.list({ pageSize: PAGE })) c++; if (c !== N_LIST) throw new Error(`list ${c}`); },
  patch: () => mp.ads.patch(ad.itemId, ops()),
};

function raw(call) {
  // call(method, url, headers, body) -> decoded JSON, throwing on an error status
  return {
    get: () => call('GET', USER_URL, { authorization: EQP_AUTH }),
    post50: () => call('POST', PKG_URL, { authorization: EQP_AUTH, 'content-type': 'application/json' }, JSON.stringify(BATCH)),
    list2000: async () => {
      const items = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await call('GET', `${PKG_URL}?offset=${offset}&limit=${PAGE}`, { authorization: EQP_AUTH });
        items.push(...page);
        if (page.length < PAGE) break;
      }
      if (items.length !== N_LIST) throw new Error(`list ${items.length}`);
    },
    patch: () => call('PATCH', AD_URL, MP_HDR, JSON.stringify(ops())),
  };
}

const viaFetch = raw(async (method, url, headers, body) => {
  const r = await fetch(url, { method, headers, body });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return r.json();
});
const viaUndici = raw(async (method, url, headers, body) => {
  const r = await request(url, { method, headers, body });
  if (r.statusCode >= 400) { await r.body.dump(); throw new Error(`HTTP ${r.statusCode}`); }
  return r.body.json();
});

const suite = { sellkit: sk, fetch: viaFetch, 'undici.request': viaUndici };
const once = (fn) => async () => { await fn(); return 1; };
const gathered = (fn, burst) => async () => {
  let next = 0;
  const worker = async () => { while (next++ < burst) await fn(); };
  await Promise.all(Array.from({ length: CONC }, worker));
  return burst;
};

// See bench/python/bench_http.py: the list runs sequentially only; the batch POST goes last.
// BENCH_ONLY=post50 (comma-separated) runs only those operations, for profiling.
const only = process.env.BENCH_ONLY?.split(',');
for (const op of ['get', 'list2000', 'patch', 'post50'].filter((o) => !only || only.includes(o))) {
  res.add('node-seq', op, await interleave(Object.fromEntries(Object.entries(suite).map(([k, f]) => [k, once(f[op])]))));
  if (op !== 'list2000') {
    res.add('node-64', op, await interleave(Object.fromEntries(Object.entries(suite).map(([k, f]) => [k, gathered(f[op], BURST[op])]))));
  }
}
res.save();
await sim.stop();
