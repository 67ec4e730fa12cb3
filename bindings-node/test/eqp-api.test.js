'use strict';
// The whole EQP API through Node against the simulator: keys, reports, callbacks, uploads,
// batches, lists, the review workflow and test results.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { Readable } = require('node:stream');
const {
  BatchResult, BatchError, SellkitError, InvalidInputError, NotFoundError, ValidationError,
  AuthenticationError, parseCallback,
} = require('sellkit');
const { useSimulator } = require('./helpers.js');

const sim = useSimulator();
const POST = 'POST /rest/v1/products/packages';
const LIST = 'GET /rest/v1/products/packages';
const UPLOAD = 'POST /rest/v1/files/uploads';

/** A package with everything both reviews require. */
function complete(name, itemId, extra = {}) {
  return {
    item_id: itemId, type: 'extension', platform: 'M2',
    version_compatibility: [{ edition: 'CE', versions: ['2.4'] }],
    name, long_description: 'Long', release_notes: 'Notes', version: '1.0.0',
    artifact: { file_upload_id: 'zip.1' },
    documentation_artifacts: { user: { file_upload_id: 'pdf.1' } },
    media_artifacts: { icon_image: { file_upload_id: 'png.1' } },
    categories: ['//Extensions//Payments & Security//Checkout Enhancements'],
    license_type: 'mit', launch_on_approval: true,
    prices: [{ edition: 'CE', currency_code: 'USD', price: '15.50' }],
    ...extra,
  };
}

async function eventually(f, ms = 5000) {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function tmpFile(name, bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

test('users.keys: list, create (batch), disable, enable, delete', async () => {
  const c = sim().eqpClient();
  const created = await c.users.keys.create([{ label: 'node-a' }, { label: 'node-b' }]);
  assert.ok(created instanceof BatchResult);
  assert.equal(created.allOk, true);
  assert.deepEqual(created.items.map((i) => i.index), [0, 1]);
  const all = await c.users.keys.list();
  assert.ok(all.m2.some((k) => k.label === 'node-a'));
  const filtered = await c.users.keys.list({ type: 'm2', label: 'node-b' });
  assert.deepEqual(filtered.m2.map((k) => k.label), ['node-b']);
  const disabled = await c.users.keys.disable('node-a');
  assert.ok(Array.isArray(disabled) && disabled.some((k) => k.label === 'node-a'), 'the m2 keys');
  await c.users.keys.enable('node-a', {});
  assert.equal(await c.users.keys.delete('node-b'), null);
  const after = await c.users.keys.list({ type: 'm2' });
  assert.ok(!after.m2.some((k) => k.label === 'node-b'));
  await assert.rejects(c.users.keys.create([{ label: 'x' }, { label: 'x' }]), (e) => e instanceof InvalidInputError && e.field === 'keys[1].label');
});

test('users.reports, reports.metrics and users.update', async () => {
  const c = sim().eqpClient();
  for (const kind of ['pageviews', 'totals', 'sales', 'refunds']) {
    assert.notEqual(await c.users.reports(kind), undefined);
  }
  await assert.rejects(c.users.reports('weekly'), (e) => e instanceof InvalidInputError && e.field === 'kind');
  assert.notEqual(await c.reports.metrics(), undefined);
  assert.notEqual(await c.reports.metrics({ name: 'installs' }), undefined);
});

test('callbacks.register, delivery and parseCallback (good and bad credentials)', async () => {
  const c = sim().eqpClient();
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${server.address().port}/hook`;
    const profile = await c.callbacks.register([{ name: 'node hook', url, username: 'key', password: 's3cret-value' }]);
    assert.equal(profile.api_callbacks[0].url, url);
    assert.ok(!JSON.stringify(profile).includes('s3cret-value'));
    const [file] = await c.files.upload([{ filename: 'a.zip', data: Buffer.from([1]) }]);
    const { headers, body } = await eventually(() => received[0]);
    const env = parseCallback(body, headers, 'key', 's3cret-value');
    assert.equal(env.callback_event, 'malware_scan_complete');
    assert.equal(JSON.stringify(env).includes(file.file_upload_id), true);
    // The body as a string, Headers object: the same.
    const env2 = parseCallback(body.toString(), new Headers({ Authorization: headers.authorization }), 'key', 's3cret-value');
    assert.deepEqual(env2, env);
    for (const [u, p, h] of [['key', 'wrong', headers], ['other', 's3cret-value', headers], ['key', 's3cret-value', {}]]) {
      assert.throws(() => parseCallback(body, h, u, p),
        (e) => e instanceof AuthenticationError && e.code === 'invalid-callback-credentials');
    }
    const deliveries = await eventually(() => sim().callbackDeliveries().length >= 1 && sim().callbackDeliveries());
    assert.equal(deliveries[0].status, 200);
  } finally {
    server.close();
    server.closeAllConnections();
  }
});

test('uploads: a path, a buffer, a Uint8Array and streams; progress monotonic to the total', async () => {
  const c = sim().eqpClient();
  const zip = tmpFile('release.zip', Buffer.alloc(300_000, 7));
  const seen = [];
  const records = await c.files.upload([
    zip,
    { filename: 'guide.pdf', data: Buffer.from('%PDF-1.4 guide'), contentType: 'application/pdf' },
    { filename: 'raw.bin', data: new Uint8Array([1, 2, 3]) },
    { filename: 'streamed.zip', data: Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(500, 2)]), length: 1500 },
    fs.createReadStream(zip),
  ], { progress: (sent, total) => seen.push([sent, total]) });
  assert.deepEqual(records.map((r) => r.filename), ['release.zip', 'guide.pdf', 'raw.bin', 'streamed.zip', 'release.zip']);
  assert.deepEqual(records.map((r) => r.size), [300_000, 14, 3, 1500, 300_000]);
  assert.equal(records[1].content_type, 'application/pdf');
  assert.ok(seen.length >= 1);
  const total = seen[0][1];
  assert.ok(total > 601_500, `total ${total} covers the multipart body`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0], 'monotonic');
  assert.deepEqual(seen.at(-1), [total, total]);
  assert.equal(sim().requestCount(UPLOAD), 1);
  // get and the scan.
  const got = await c.files.get(records[0].file_upload_id);
  assert.equal(got.size, 300_000);
  const report = await c.files.waitForScan(records.map((r) => r.file_upload_id), { timeout: 5000, interval: 50 });
  assert.equal(report.all_passed, true);
  assert.equal(report.passed.length, 5);
  assert.deepEqual(report.timed_out, []);
  // Bad input is refused before sending.
  await assert.rejects(c.files.upload([{ data: Buffer.from('x') }]), (e) => e instanceof InvalidInputError && e.field === 'files[0].filename');
  await assert.rejects(c.files.upload(['/no/such/file.zip']), SellkitError);
});

test('a progress callback that throws does not fail the upload; it is reported as a warning', async () => {
  const c = sim().eqpClient();
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const records = await c.files.upload([{ filename: 'a.zip', data: Buffer.alloc(100_000, 1) }], {
      progress: () => { throw new Error('the bar broke'); },
    });
    assert.equal(records[0].size, 100_000);
    await new Promise((r) => setImmediate(r));
    assert.ok(warnings.length >= 1);
    assert.equal(warnings[0].code, 'SELLKIT_PROGRESS_CALLBACK');
    assert.match(warnings[0].message, /the bar broke/);
  } finally {
    process.off('warning', onWarning);
  }
});

test('waitForScan reports failed scans and times out', async () => {
  const c = sim().eqpClient();
  const [bad] = await c.files.upload([{ filename: 'malware.zip', data: Buffer.from('x') }]);
  const r = await c.files.waitForScan([bad.file_upload_id], { timeout: 5000, interval: 50 });
  assert.equal(r.all_passed, false);
  assert.deepEqual(r.failed.map((f) => f.file_upload_id), [bad.file_upload_id]);
  sim().setEqpScanDelay(10_000);
  try {
    const [slow] = await c.files.upload([{ filename: 'slow.zip', data: Buffer.from('x') }]);
    const t = await c.files.waitForScan([slow.file_upload_id], { timeout: 200, interval: 50 });
    assert.deepEqual(t.timed_out, [slow.file_upload_id]);
  } finally {
    sim().setEqpScanDelay(200);
  }
});

test('an aborted upload rejects with an AbortError', async () => {
  const c = sim().eqpClient();
  await c.authenticate();
  sim().setLatency(500);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(c.files.upload([{ filename: 'a.zip', data: Buffer.from('x') }], { signal: ac.signal }), { name: 'AbortError' });
});

test('batches: per-item results in input order, failures are data, throwForFailures', async () => {
  const c = sim().eqpClient();
  const r = await c.packages.create([
    { name: 'No tech info', action: { technical: 'submit' } },
    { name: 'Bad sku', sku: 'Not A Sku' },
    { name: 'Fine draft', item_id: 'node-fine-1', prices: [{ edition: 'CE', price: 15.5 }] },
  ]);
  assert.deepEqual(r.items.map((i) => i.code), [1208, 1210, 200]);
  assert.deepEqual(r.items.map((i) => i.index), [0, 1, 2]);
  assert.deepEqual(r.items.map((i) => i.ok), [false, false, true]);
  assert.equal(r.allOk, false);
  assert.deepEqual(r.failed.map((f) => f.index), [0, 1]);
  assert.match(r.items[0].message, /Insufficient information for Technical Submission/);
  const ok = r.items[2].data;
  assert.throws(() => r.throwForFailures(), (e) => {
    assert.ok(e instanceof BatchError && e instanceof SellkitError);
    assert.deepEqual(e.indices, [0, 1]);
    assert.deepEqual(e.failed, r.failed, 'the failed entries');
    assert.deepEqual(e.failed.map((f) => f.code), [1208, 1210]);
    assert.match(e.message, /#0.*#1/);
    assert.doesNotMatch(e.message, /#2/);
    return true;
  });
  const got = await c.packages.get(ok.submission_id);
  assert.equal(got.prices[0].price, '15.50', 'prices are exact decimal strings');
  assert.equal((await c.packages.byItemId('node-fine-1')).submission_id, ok.submission_id);
  // Batch update, with a per-item failure.
  const u = await c.packages.update([{ submission_id: ok.submission_id, name: 'renamed' }, { submission_id: 'nope', name: 'x' }]);
  assert.equal(u.items[0].ok, true);
  assert.equal(u.items[1].code, 1216);
  assert.equal(new BatchResult({ items: [], all_ok: true, failed: [] }).throwForFailures().allOk, true);
  // A whole-request 4xx rejects.
  sim().failNext(POST, { status: 403 });
  await assert.rejects(c.packages.create([{ name: 'x' }]), { name: 'PermissionDeniedError' });
  // Argument checks name the path.
  await assert.rejects(c.packages.create([{ prices: [{ price: '1.234' }] }]), (e) => e.field === 'items[0].prices[0].price');
  await assert.rejects(c.packages.create([{ name: 'a' }], { chunkSize: 0 }), (e) => e.field === 'chunkSize');
});

test('batches: 120 items with chunkSize 50 → 3 POSTs, order kept', async () => {
  const c = sim().eqpClient();
  await c.authenticate();
  sim().resetCounters();
  const items = Array.from({ length: 120 }, (_, i) => ({ name: `chunk ${i}`, item_id: `chunk-${i}` }));
  const r = await c.packages.create(items, { chunkSize: 50, concurrency: 2 });
  assert.equal(r.allOk, true);
  assert.equal(r.items.length, 120);
  r.items.forEach((item, i) => {
    assert.equal(item.index, i);
    assert.equal(item.data.item_id, `chunk-${i}`);
  });
  assert.equal(sim().requestCount(POST), 3);
  assert.ok(sim().maxInFlight(POST) <= 2);
});

test('lists: lazy pages, limit, filters, sort sent as %2B, bySku, skus, items', async () => {
  const c = sim().eqpClient();
  const names = ['Gamma Checkout', 'alpha theme', 'Beta Checkout', 'delta', 'Epsilon', 'zeta', 'Eta Checkout'];
  const seeded = await c.packages.create(names.map((n, i) => ({
    name: n, type: i === 1 ? 'theme' : 'extension', platform: 'M2', item_id: `ls-${i}`, version: `1.0.${i}`,
    sku: `lists/p${i % 3}`, prices: [{ edition: 'CE', currency_code: 'USD', price: 10.1 }],
  })));
  assert.equal(seeded.allOk, true);
  sim().resetCounters();
  // limit 3 with the default page size: one page.
  const list = c.packages.list({ limit: 3 });
  assert.equal(sim().requestCount(LIST), 0, 'nothing fetched before iteration');
  const firstThree = [];
  for await (const p of list) firstThree.push(p);
  assert.equal(firstThree.length, 3);
  assert.equal(sim().requestCount(LIST), 1);
  // Pages of 2, pulled lazily.
  sim().resetCounters();
  const iter = c.packages.list({ pageSize: 2, name: 'Checkout' })[Symbol.asyncIterator]();
  await iter.next();
  // The second page is read ahead while the caller works through the first: one page, no more
  // (it is the last: shorter than the page size).
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(sim().requestCount(LIST), 2, 'one page read ahead');
  await iter.next();
  await iter.next();
  assert.equal(sim().requestCount(LIST), 2);
  await iter.return();
  // Filters and sort.
  const ofType = await c.packages.list({ type: 'theme' }).toArray();
  assert.deepEqual(ofType.map((p) => p.name), ['alpha theme']);
  const asc = await c.packages.list({ name: 'Checkout', sort: '+name' }).toArray();
  assert.deepEqual(asc.map((p) => p.name), ['Beta Checkout', 'Eta Checkout', 'Gamma Checkout']);
  const desc = await c.packages.list({ name: 'Checkout', sort: ['-name'] }).toArray();
  assert.deepEqual(desc.map((p) => p.name), ['Gamma Checkout', 'Eta Checkout', 'Beta Checkout']);
  assert.ok(sim().requests(LIST).some((q) => q.includes('sort=%2Bname')), 'the + goes out as %2B');
  assert.equal(asc[0].prices[0].price, '10.10');
  // nextPage gives whole pages, null at the end.
  const pages = c.packages.list({ pageSize: 4, platform: 'M2', licenseType: undefined });
  assert.equal((await pages.nextPage()).length, 4);
  assert.ok((await pages.nextPage()).length >= 3);
  // bySku, skus, items.
  const bySku = await c.packages.bySku('lists/p0').toArray();
  assert.deepEqual(bySku.map((p) => p.version), ['1.0.0', '1.0.3', '1.0.6']);
  assert.equal((await c.packages.bySku('lists/p0', { version: '1.0.3' }).toArray()).length, 1);
  assert.ok(sim().requests('GET /rest/v1/products/packages/skus/{sku}')[0].includes('lists%2Fp0'));
  assert.ok((await c.packages.items().toArray()).length >= 7);
  assert.equal((await c.packages.skus({ limit: 2 }).toArray()).length, 2);
  assert.ok(Array.isArray(await c.files.list({ pageSize: 2 }).toArray()));
  // Bad filters are refused at once, by name.
  assert.throws(() => c.packages.list({ colour: 'red' }), (e) => e instanceof InvalidInputError && e.field === 'colour');
  assert.throws(() => c.packages.list({ sort: '+bogus' }), (e) => e.field === 'sort');
});

test('an aborted list page rejects with an AbortError', async () => {
  const c = sim().eqpClient();
  await c.authenticate();
  sim().setLatency(500);
  const ac = new AbortController();
  const list = c.packages.list({ signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(list.nextPage(), { name: 'AbortError' });
});

test('workflow: submit, review, remove, recall, cancel, updateOne', async () => {
  const c = sim().eqpClient();
  sim().setEqpReviewDelay(null);
  try {
    const r = await c.packages.create([complete('One Click', 'node-wf-1'), { name: 'draft only' }]);
    const id = r.items[0].data.submission_id;
    const draft = r.items[1].data.submission_id;
    assert.equal((await c.packages.get(id)).eqp_status.overall, 'draft');
    const p = await c.packages.submit(id);
    assert.equal(p.eqp_status.technical, 'in_automation');
    assert.equal(p.eqp_status.marketing, 'awaiting_marketing_review');
    await assert.rejects(c.packages.updateOne(id, { name: 'changed' }), (e) => e instanceof ValidationError && e.apiCode === 1221);
    assert.equal(sim().completeEqpReview(id, 'technical', 'pass'), true);
    assert.equal(sim().completeEqpReview(id, 'marketing', 'pass'), true);
    assert.equal((await c.packages.get(id)).eqp_status.overall, 'released_to_store');
    assert.equal((await c.packages.remove(id)).eqp_status.overall, 'developer_removed_from_store');
    assert.equal((await c.packages.submit(id, { marketing: true })).eqp_status.marketing, 'awaiting_marketing_review');
    await assert.rejects(c.packages.recall(draft, { marketing: true }), (e) => e.apiCode === 1220);
    await assert.rejects(c.packages.submit(draft, { technical: false, marketing: false }), (e) => e.field === 'technical');
    const renamed = await c.packages.updateOne(draft, { name: 'renamed draft' });
    assert.ok(renamed === null || renamed.name === 'renamed draft');
    assert.equal((await c.packages.cancel(draft)).eqp_status.overall, 'canceled_by_developer');
    await assert.rejects(c.packages.get('missing'), NotFoundError);
    const r2 = await c.packages.create([complete('Recall me', 'node-wf-2')]);
    const id2 = r2.items[0].data.submission_id;
    await c.packages.submit(id2, { technical: true });
    assert.equal((await c.packages.recall(id2, { technical: true })).eqp_status.technical, 'recalled');
  } finally {
    sim().setEqpReviewDelay(500);
  }
});

test('test results: summary by submission, sku and item; detail', async () => {
  const c = sim().eqpClient();
  sim().setEqpReviewDelay(null);
  try {
    const r = await c.packages.create([complete('Tested', 'node-wf-4', { sku: 'acme/node-tested', action: { technical: 'submit', marketing: 'submit' } })]);
    const id = r.items[0].data.submission_id;
    sim().completeEqpReview(id, 'technical', 'pass');
    sim().completeEqpReview(id, 'marketing', 'fail');
    for (const target of [{ submissionId: id }, { sku: 'acme/node-tested' }, { itemId: 'node-wf-4' }]) {
      const runs = await c.testResults.summary(target);
      assert.deepEqual(runs.map((x) => x.name), ['phpcs', 'varnish', 'marketing']);
    }
    const runs = await c.testResults.summary({ submissionId: id });
    const runOf = (n) => runs.find((x) => x.name === n).tool_run_id;
    const phpcs = await c.testResults.detail(id, 'phpcs', runOf('phpcs'));
    assert.equal(phpcs.status, 'PASS');
    assert.equal(phpcs.reports.length, 2);
    const marketing = await c.testResults.detail(id, 'marketing', Number(runOf('marketing')));
    // Marketing sends its one report as an object; the view is a list all the same.
    assert.equal(marketing.tool, 'marketing');
    assert.ok(Array.isArray(marketing.reports) && marketing.reports.length === 1, 'marketing reports read as a list of one');
    await assert.rejects(c.testResults.summary({}), (e) => e instanceof InvalidInputError && e.field === 'submissionId');
    await assert.rejects(c.testResults.summary({ sku: 'a/b', itemId: 'c' }), (e) => e.field === 'itemId');
  } finally {
    sim().setEqpReviewDelay(500);
  }
});

test('uploads: a readable stream is fed to the core chunk by chunk (not read ahead)', async () => {
  const c = sim().eqpClient();
  let produced = 0;
  let maxAhead = 0;
  let sentSoFar = 0;
  const chunk = Buffer.alloc(64 * 1024, 3);
  async function* generate() {
    for (let i = 0; i < 80; i++) { // 5 MiB
      produced += chunk.length;
      maxAhead = Math.max(maxAhead, produced - sentSoFar);
      yield chunk;
    }
  }
  const seen = [];
  const [record] = await c.files.upload([{ filename: 'big.zip', data: Readable.from(generate()), length: 80 * chunk.length }], {
    progress: (sent, total) => { sentSoFar = sent; seen.push([sent, total]); },
  });
  assert.equal(record.size, 80 * chunk.length);
  assert.ok(maxAhead < 80 * chunk.length, `the reader never ran the whole file ahead (${maxAhead})`);
  assert.ok(seen.at(-1)[0] >= 80 * chunk.length);
  // A failing stream fails the upload.
  const broken = new Readable({ read() { this.destroy(new Error('disk on fire')); } });
  await assert.rejects(c.files.upload([{ filename: 'broken.zip', data: broken }]), (e) => e instanceof SellkitError && /disk on fire/.test(e.message));
});
