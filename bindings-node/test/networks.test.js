'use strict';
// Corporate networks: an explicit proxy (proxy.py, a real proxy), a private CA (a TLS endpoint
// whose certificate trustme's CA signed), NODE_EXTRA_CA_CERTS, and proxies from the environment
// that never capture loopback. The peers run on the repository's Python (.venv).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const sellkit = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();
const ROOT = path.resolve(__dirname, '..', '..');
const PYTHON = process.env.SELLKIT_PYTHON
  ?? path.join(ROOT, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');

/** Start proxy.py on a free port; resolves to { url, log, stop }. */
async function startProxy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-proxy-'));
  const portFile = path.join(dir, 'port');
  const log = path.join(dir, 'access.log');
  const child = spawn(PYTHON, ['-m', 'proxy', '--hostname', '127.0.0.1', '--port', '0', '--port-file', portFile,
    '--num-workers', '1', '--num-acceptors', '1', '--log-file', log], { stdio: 'ignore' });
  const deadline = Date.now() + 20000;
  while (!(fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim())) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`proxy.py did not start (${PYTHON})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
  return { url, log, stop: () => child.kill() };
}

/** Start the TLS endpoint in front of the simulator; resolves to { baseUrl, ca, stop }. */
async function startTls() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-tls-'));
  const target = sim().url.replace('http://', '');
  const child = spawn(PYTHON, [path.join(ROOT, 'tests', 'peers', 'tls_endpoint.py'), '--target', target, '--dir', dir],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the TLS endpoint exited (${code})`)));
  });
  const ready = JSON.parse(line);
  const apiPath = sim().eqpUrl.slice(sim().url.length);
  return { baseUrl: `https://127.0.0.1:${ready.port}${apiPath}`, ca: ready.ca, stop: () => child.stdin.end() };
}

/** Whether proxy.py logged a request containing `text` (within a few seconds). */
async function proxied(log, text) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes(text)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

let proxy;
test.before(async () => { proxy = await startProxy(); });
test.after(() => proxy?.stop());

test('an explicit proxy carries every request, loopback included', async () => {
  const client = sim().eqpClient({ proxy: proxy.url });
  assert.equal((await client.users.get()).mage_id, sim().eqpMageId);
  await client.close();
  // proxy.py logs a connection's first request (the session token, here) when it is served.
  assert.ok(await proxied(proxy.log, `POST ${sim().url.replace('http://', '')}/rest/v1/app/session/token`));
});

test('a private CA is trusted through caBundle, through the proxy too', async () => {
  const tls = await startTls();
  try {
    const client = sim().eqpClient({ baseUrl: tls.baseUrl, caBundle: tls.ca });
    assert.equal((await client.users.get()).mage_id, sim().eqpMageId);
    const viaProxy = sim().eqpClient({ baseUrl: tls.baseUrl, caBundle: tls.ca, proxy: proxy.url });
    assert.equal((await viaProxy.users.get()).mage_id, sim().eqpMageId);
    // proxy.py logs a tunnel when it closes.
    await viaProxy.close();
    assert.ok(await proxied(proxy.log, `CONNECT ${new URL(tls.baseUrl).host}`));
  } finally {
    tls.stop();
  }
});

test('an untrusted certificate is an APIConnectionError that names caBundle', async () => {
  const tls = await startTls();
  try {
    const client = sim().eqpClient({ baseUrl: tls.baseUrl, maxRetries: 0 });
    const err = await client.authenticate().then(() => null, (e) => e);
    assert.equal(err?.constructor, sellkit.APIConnectionError, String(err));
    assert.equal(err.code, 'untrusted-certificate');
    assert.match(err.message, /not trusted.*caBundle.*NODE_EXTRA_CA_CERTS/);
    assert.equal(err.outcomeUnknown, false);
  } finally {
    tls.stop();
  }
});

/** Run `body` with environment variables set (and restored after). */
async function withEnv(vars, body) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  try {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }
}

test('NODE_EXTRA_CA_CERTS is honoured, and a missing file names it', async () => {
  const tls = await startTls();
  try {
    await withEnv({ NODE_EXTRA_CA_CERTS: tls.ca }, async () => {
      const client = sim().eqpClient({ baseUrl: tls.baseUrl });
      assert.equal((await client.users.get()).mage_id, sim().eqpMageId);
    });
    await withEnv({ NODE_EXTRA_CA_CERTS: path.join(path.dirname(tls.ca), 'missing.pem') }, async () => {
      assert.throws(() => sim().eqpClient({ baseUrl: tls.baseUrl }),
        (e) => e instanceof sellkit.InvalidInputError && e.field === 'caBundle' && /NODE_EXTRA_CA_CERTS/.test(e.message));
    });
  } finally {
    tls.stop();
  }
});

test('proxies from the environment never capture loopback', async () => {
  const dead = 'http://127.0.0.1:9';
  await withEnv({ HTTP_PROXY: dead, HTTPS_PROXY: dead, ALL_PROXY: dead, http_proxy: dead, https_proxy: dead, all_proxy: dead,
    NO_PROXY: undefined, no_proxy: undefined }, async () => {
    const client = sim().eqpClient({ maxRetries: 0 });
    assert.equal((await client.users.get()).mage_id, sim().eqpMageId);
  });
});

test('proxies from the environment carry other hosts, except those in NO_PROXY', async () => {
  // The proxy resolves the host, not the client: a name that resolves nowhere shows up in the
  // proxy's log as the tunnel asked for.
  const host = 'eqp-node.sellkit-proxy-test.invalid';
  const other = 'mp-node.sellkit-proxy-test.invalid';
  await withEnv({ HTTPS_PROXY: proxy.url, https_proxy: proxy.url, NO_PROXY: other, no_proxy: other }, async () => {
    for (const name of [host, other]) {
      const client = new sellkit.EqpClient({ appId: 'APP', appSecret: 'secret', baseUrl: `https://${name}/rest/v1`, maxRetries: 0 });
      await assert.rejects(client.authenticate(), sellkit.APIConnectionError);
    }
  });
  assert.ok(await proxied(proxy.log, `CONNECT ${host}:443`));
  assert.equal(await proxied(proxy.log, `CONNECT ${other}`), false);
});

test('bad network settings name their option', () => {
  for (const [options, field, words] of [
    [{ proxy: 'ftp://127.0.0.1:21' }, 'proxy', /http:\/\/, https:\/\/ or socks5:\/\//],
    [{ caBundle: '/nonexistent/ca.pem' }, 'caBundle', /cannot read/],
  ]) {
    assert.throws(() => sim().eqpClient(options), (e) => e instanceof sellkit.InvalidInputError && e.field === field && words.test(e.message));
  }
});
