'use strict';
// The bad-input matrix (tests/bad_input/cases.json) through the Node API, one test per case:
// each call must fail with the expected error (InvalidInputError unless the case names another
// kind), name the expected field (as the caller spelt it), send nothing to the simulator, and not
// be an InternalError (a caught panic). Markers in the file become JS values: NaN, ±Infinity,
// lone surrogates, BigInts, Buffers, 10 MB strings.

const test = require('node:test');
const { before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  EqpClient, MarktplaatsClient, SellkitError, InvalidInputError, InternalError, patch, resolveLocale,
  authorizationUrl, startSimulator,
} = require('sellkit');

const FILE = path.join(__dirname, '..', '..', 'tests', 'bad_input', 'cases.json');
const CASES = JSON.parse(fs.readFileSync(FILE, 'utf8')).cases.filter((c) => (c.languages ?? ['node']).includes('node'));

/** `page_size` → `pageSize`. */
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * How each core operation is called in Node: the method, and the arguments it takes by position;
 * the other arguments go into its options object, camelCased.
 */
const METHODS = {
  // EQP
  'packages.create': ['packages.create', ['items']],
  'packages.update': ['packages.update', ['items']],
  'packages.update_one': ['packages.updateOne', ['submission_id', 'fields']],
  'packages.get': ['packages.get', ['submission_id']],
  'packages.remove': ['packages.remove', ['submission_id']],
  'packages.submit': ['packages.submit', ['submission_id']],
  'packages.by_item_id': ['packages.byItemId', ['item_id']],
  'packages.list': ['packages.list', []],
  'packages.by_sku': ['packages.bySku', ['sku']],
  'packages.skus': ['packages.skus', []],
  'files.list': ['files.list', []],
  'files.get': ['files.get', ['file_upload_id']],
  'files.wait_for_scan': ['files.waitForScan', ['ids']],
  'users.get': ['users.get', []],
  'users.update': ['users.update', ['fields']],
  'users.reports': ['users.reports', ['kind']],
  'users.keys.list': ['users.keys.list', []],
  'users.keys.create': ['users.keys.create', ['keys']],
  'users.keys.enable': ['users.keys.enable', ['label']],
  'users.keys.delete': ['users.keys.delete', ['label']],
  'callbacks.register': ['callbacks.register', ['callbacks']],
  'test_results.summary': ['testResults.summary', []],
  'test_results.detail': ['testResults.detail', ['submission_id', 'tool', 'run_id']],
  'reports.metrics': ['reports.metrics', ['name']],
  request: ['request', ['method', 'path', 'json']],
  // Marktplaats
  'ads.create': ['ads.create', ['ad']],
  'ads.get': ['ads.get', ['item_id']],
  'ads.replace': ['ads.replace', ['item_id', 'ad']],
  'ads.patch': ['ads.patch', ['item_id', 'ops']],
  'ads.update_from': ['ads.updateFrom', ['item_id', 'old', 'new']],
  'ads.delete': ['ads.delete', ['item_id']],
  'images.list': ['images.list', ['item_id']],
  'images.add': ['images.add', ['item_id', 'urls']],
  'images.get': ['images.get', ['media_id']],
  'images.meta': ['images.meta', ['media_id', 'size']],
  'images.wait_until_available': ['images.waitUntilAvailable', ['media_id']],
  'features.get': ['features.get', ['item_id', 'name']],
  'transactions.create': ['transactions.create', ['item_id', 'transaction']],
  'bids.get': ['bids.get', ['item_id', 'bid_id']],
  'bids.ask_bidder_question': ['bids.askBidderQuestion', ['item_id', 'bid_id']],
  'categories.get': ['categories.get', ['l1_category_id', 'l2_category_id']],
  'users.create': ['users.create', ['user']],
  'users.ads': ['users.ads', ['user_id']],
  'users.ads_page': ['users.adsPage', ['user_id']],
  'users.patch_profile': ['users.patchProfile', ['user_id', 'ops']],
  'users.patch_review_settings': ['users.patchReviewSettings', ['user_id', 'ops']],
  'users.profile_image.get': ['users.profileImage.get', ['user_id', 'kind']],
  search: ['search', []],
  'search.page': ['searchPage', []],
  resolve_locale: ['resolveLocale', ['locale']],
  exchange_code: ['exchangeCode', ['code']],
};

let sim;
let eqp;
const mp = new Map();
let tmp;

before(async () => {
  sim = await startSimulator();
  eqp = sim.eqpClient();
  await eqp.authenticate();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-bad-input-'));
});

after(async () => {
  await sim?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A logged-in Marktplaats client of `platform` (made once; logging in sends requests). */
async function marktplaats(platform) {
  if (!mp.has(platform)) mp.set(platform, await sim.marktplaatsClient(platform));
  return mp.get(platform);
}

function simValue(name) {
  if (name.startsWith('mp_url:')) return sim.marktplaatsUrl(name.slice('mp_url:'.length));
  return { eqp_url: sim.eqpUrl, eqp_app_id: sim.eqpAppId, eqp_app_secret: sim.eqpAppSecret, mp_client_id: sim.mpClientId, mp_client_secret: sim.mpClientSecret }[name];
}

/** The case's JSON with its markers replaced by JS values. */
function decode(v) {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const arg = v[keys[0]];
    switch (keys[0]) {
      case '$nan': return NaN;
      case '$inf': return arg * Infinity;
      case '$repeat': return arg[0].repeat(arg[1]);
      case '$lone_surrogate': return `${arg}\ud800`;
      case '$bigint': return BigInt(arg);
      case '$bytes': return Buffer.from(arg);
      case '$sim': return simValue(arg);
      case '$tempfile': {
        const p = path.join(tmp, arg);
        fs.writeFileSync(p, 'PK\x03\x04 bad-input fixture');
        return p;
      }
      default: throw new Error(`unknown marker ${keys[0]}`);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, decode(v[k])]));
}

/** Options objects are camelCase in Node. */
function camelKeys(args) {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [camel(k), v]));
}

/** Call `op` on `client` the Node way (see METHODS); lists are read to their first page. */
async function callMethod(client, op, args) {
  const spec = METHODS[op];
  assert.ok(spec, `no Node method listed for ${op}`);
  const [name, positional] = spec;
  const parts = name.split('.');
  let owner = client;
  for (const p of parts.slice(0, -1)) owner = owner[p];
  const rest = { ...args };
  const params = positional.map((k) => {
    const v = rest[k];
    delete rest[k];
    return v;
  });
  const hasOptions = Object.keys(rest).length > 0;
  const result = owner[parts.at(-1)](...params, ...(hasOptions ? [camelKeys(rest)] : []));
  if (result && typeof result.nextPage === 'function') return result.nextPage();
  return result;
}

async function run(c, args) {
  switch (c.target) {
    case 'eqp':
      if (c.mode === 'upload') return eqp.files.upload(args.files);
      return callMethod(eqp, c.op, args);
    case 'marktplaats':
      return callMethod(await marktplaats(c.platform ?? 'marktplaats'), c.op, args);
    case 'mp_static': {
      if (c.op === 'authorization_url') return authorizationUrl(camelKeys(args));
      const { platform, ...rest } = args;
      return resolveLocale(platform, camelKeys(rest));
    }
    case 'patch':
      return c.op === 'validate' ? patch.validate(args.ops) : patch.apply(args.doc, args.ops);
    case 'eqp_client':
      return new EqpClient(camelKeys(args));
    case 'mp_client':
      return new MarktplaatsClient(camelKeys(args));
    default:
      throw new Error(`unknown target ${c.target}`);
  }
}

/** The spellings of the field that the error may name. */
function expectedFields(c) {
  const f = c.expect.field;
  const base = typeof f === 'string' ? f : (f.node ?? f.default);
  const m = /^[^.[]+/.exec(base);
  const camelled = m ? camel(m[0]) + base.slice(m[0].length) : base;
  return [...new Set([base, camelled, ...(c.expect.field_in ?? [])])];
}

const sent = () => Object.values(sim.requestCounts()).reduce((a, b) => a + b, 0);

function short(e) {
  const s = `${e?.name}: ${e?.message} (field ${e?.field}, kind ${e?.kind})`;
  return s.length > 600 ? `${s.slice(0, 600)}...` : s;
}

test('the matrix is big enough', () => {
  assert.ok(CASES.length >= 100, `${CASES.length} cases`);
});

for (const c of CASES) {
  test(c.id, async () => {
    const args = decode(c.args);
    if (c.target === 'marktplaats') await marktplaats(c.platform ?? 'marktplaats');
    const before = sent();
    let error = null;
    let result;
    try {
      result = await run(c, args);
    } catch (e) {
      error = e;
    }
    const delta = sent() - before;
    assert.ok(error !== null, `the call succeeded (${delta} requests sent): ${String(JSON.stringify(result)).slice(0, 300)}`);
    assert.ok(error instanceof SellkitError, `expected a SellkitError, got ${error?.stack ?? error}`);
    assert.ok(!(error instanceof InternalError), `internal error (a panic?): ${short(error)}`);
    assert.equal(error.kind, c.expect.kind, short(error));
    if (c.expect.kind === 'invalid_input') assert.ok(error instanceof InvalidInputError, short(error));
    if (c.expect.code) assert.equal(error.code, c.expect.code, short(error));
    const fields = expectedFields(c);
    const named = [error.field, ...error.details.map((d) => d.field)];
    assert.ok(named.some((f) => fields.includes(f)), `expected the field ${JSON.stringify(fields)}, got ${short(error)}`);
    assert.equal(delta, 0, `${delta} requests were sent before the error: ${short(error)}`);
  });
}
