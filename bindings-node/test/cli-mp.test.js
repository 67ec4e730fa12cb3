'use strict';
// `sellkit mp login` and `sellkit mp sync` through the npm package's `bin` against the
// simulator: a login driven by the simulator's approval (the tokens go to the default file store,
// never to the output), then a catalogue synced from CSV, run again (all unchanged) with `--json`
// parsed, and bad input refused with exit 2 before anything is sent.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { useSimulator } = require('./helpers.js');

const BIN = path.join(__dirname, '..', 'bin', 'sellkit.js');
const PRODUCTS = `key,title,description,category_id,price,price_model,postcode,attr.condition,attr.brand
cd-100,Sony CDP-XE270 cd player,Plays every cd; remote included.,35,32.50,fixed,1097DN,Gebruikt,Sony
cd-200,Philips CD 723 cd player,Serviced last month.,35,45,fixed,1097DN,Zo goed als nieuw,Philips
`;

const sim = useSimulator();

/** The simulator's application and a config folder of the test's own. */
function envFor(config) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SELLKIT_')));
  return {
    ...env,
    XDG_CONFIG_HOME: config,
    SELLKIT_MP_BASE_URL: sim().marktplaatsUrl('marktplaats'),
    SELLKIT_MP_CLIENT_ID: sim().mpClientId,
    SELLKIT_MP_CLIENT_SECRET: sim().mpClientSecret,
  };
}

function sellkit(config, ...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: envFor(config), timeout: 120000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `mp login`, the browser's part played by the simulator's approval and a GET of the redirect URI. */
async function login(config) {
  const child = spawn(process.execPath, [BIN, 'mp', 'login', '--port', '0', '--no-browser', '--json'], { env: envFor(config) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  const exited = new Promise((resolve) => child.on('close', resolve));
  let url = null;
  for await (const line of readline.createInterface({ input: child.stderr })) {
    stderr += `${line}\n`;
    if (url === null && line.includes('/accounts/oauth/authorize')) {
      url = line.trim();
      const [code, state] = sim().mpApprove(url);
      const redirect = new URL(url).searchParams.get('redirect_uri');
      const page = await fetch(`${redirect}?${new URLSearchParams({ code, state })}`);
      assert.equal(page.status, 200);
    }
  }
  const code = await exited;
  assert.ok(url, `no URL printed: ${stderr}`);
  assert.equal(code, 0, stdout + stderr);
  return { doc: JSON.parse(stdout), printed: stdout + stderr };
}

/** Every string under a `*token*` member of the token store's file. */
function storedTokens(file) {
  const found = [];
  const walk = (v, key) => {
    if (typeof v === 'string' && /token/i.test(key) && v.length >= 8) found.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, Array.isArray(v) ? key : k);
  };
  walk(JSON.parse(fs.readFileSync(file, 'utf8')), '');
  return found;
}

test('the bin: mp login, then mp whoami and mp sync from the stored tokens', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-cli-mp-node-'));
  const config = path.join(dir, 'config');
  const { doc, printed } = await login(config);
  assert.equal(doc.user_id, sim().mpUserId);
  const tokens = path.join(config, 'sellkit', 'tokens.json');
  assert.equal(fs.statSync(tokens).mode & 0o777, 0o600);

  const who = await sellkit(config, 'mp', 'whoami', '--json');
  assert.equal(who.code, 0, who.stderr);
  assert.equal(JSON.parse(who.stdout).userId, sim().mpUserId);

  const products = path.join(dir, 'products.csv');
  fs.writeFileSync(products, PRODUCTS);
  sim().resetCounters();
  const bad = await sellkit(config, 'mp', 'sync', '--catalogue', products, '--state', 'memory:');
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--state/);
  const sent = Object.values(sim().requestCounts()).reduce((a, b) => a + b, 0);
  assert.equal(sent, 0);

  const first = await sellkit(config, 'mp', 'sync', '--catalogue', products, '--json');
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const result = JSON.parse(first.stdout);
  assert.deepEqual(result.counts, { created: 2, updated: 0, unchanged: 0, deleted: 0, invalid: 0, failed: 0 });
  assert.deepEqual(result.items.map((i) => i.key), ['cd-100', 'cd-200']);
  assert.equal(sim().mpAd('marktplaats', result.items[1].itemId).priceModel.askingPrice, 4500);
  const again = await sellkit(config, 'mp', 'sync', '--catalogue', products);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /created=0 updated=0 unchanged=2 deleted=0 invalid=0 failed=0/);

  const stored = storedTokens(tokens);
  assert.ok(stored.length > 0, 'the store holds the tokens');
  const everything = printed + who.stdout + who.stderr + first.stdout + first.stderr + again.stdout + again.stderr;
  for (const t of stored) assert.ok(!everything.includes(t), 'a token was printed');
  fs.rmSync(dir, { recursive: true, force: true });
});
