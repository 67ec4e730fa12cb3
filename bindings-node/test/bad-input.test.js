'use strict';
// The bad-input matrix (tests/bad_input/cases.json) through the Node API, one test per case:
// each call must fail with the expected error (InvalidInputError unless the case names another
// kind), name the expected field (a parameter in camelCase, what is inside it as the API spells
// it), send nothing to the simulator, and not be an InternalError (a caught panic). Each case is
// called through the generated method of its operation, as the catalogue declares it. Markers in
// the file become JS values: NaN, ±Infinity, lone surrogates, BigInts, Buffers, 10 MB strings.

const test = require('node:test');
const { before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const sellkit = require('sellkit');
const native = require('../lib/native.js');

const {
  EqpClient, MarktplaatsClient, SellkitError, InvalidInputError, InternalError, patch, resolveLocale, startSimulator,
} = sellkit;

const FILE = path.join(__dirname, '..', '..', 'tests', 'bad_input', 'cases.json');
const CASES = JSON.parse(fs.readFileSync(FILE, 'utf8')).cases.filter((c) => (c.languages ?? ['node']).includes('node'));

/** `page_size` → `pageSize`. */
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** The operations of each API as the core declares them (name, kind, parameters in order). */
const CATALOGUE = JSON.parse(native.catalogue());

/** The catalogue's operation `op` of `api` (a client operation, or a module function). */
function operation(api, op) {
  const found = CATALOGUE[api].operations.find((o) => o.name === op);
  assert.ok(found, `the ${api} catalogue has no operation ${op}`);
  return found;
}

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

/**
 * Call operation `op` of `api` the way its generated method takes it: the catalogue's required
 * parameters by position, in its order, everything else (unknown names too) in the options
 * object, camelCased. `on` is the client, or null for a module function. Lists are read to
 * their first page.
 */
async function callOperation(api, on, op, args) {
  const spec = operation(api, op);
  const rest = { ...args };
  const positional = spec.params.filter((p) => p.required).map((p) => {
    const v = rest[p.name];
    delete rest[p.name];
    return v;
  });
  const options = Object.keys(rest).length > 0 ? [camelKeys(rest)] : [];
  let owner;
  let method;
  if (spec.kind === 'function') {
    owner = sellkit[api];
    method = camel(op);
  } else {
    const parts = op.split('.');
    owner = on;
    for (const p of parts.slice(0, -1)) owner = owner[camel(p)];
    method = camel(parts.at(-1));
  }
  assert.equal(typeof owner?.[method], 'function', `no Node method for ${api} ${op}`);
  const result = owner[method](...positional, ...options);
  if (spec.kind === 'list') return result.nextPage();
  return result;
}

async function run(c, args) {
  switch (c.target) {
    case 'eqp':
      return callOperation('eqp', eqp, c.mode === 'upload' ? 'files.upload' : c.op, args);
    case 'marktplaats':
      return callOperation('marktplaats', await marktplaats(c.platform ?? 'marktplaats'), c.op, args);
    case 'mp_static': {
      if (c.op === 'locale.resolve') {
        const { platform, ...rest } = args;
        return resolveLocale(platform, camelKeys(rest));
      }
      return callOperation('marktplaats', null, c.op, args);
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

/**
 * The spellings of the field that the error may name: a parameter in camelCase, what is inside
 * it as the API spells it (`fields.company_name`, `ad.priceModel.askingPrice`).
 */
function expectedFields(c) {
  const f = c.expect.field;
  const base = typeof f === 'string' ? f : (f.node ?? f.default);
  const m = /^[^.[]+/.exec(base);
  const camelled = m ? camel(m[0]) + base.slice(m[0].length) : base;
  return [...new Set([camelled, ...(c.expect.field_in ?? [])])];
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
