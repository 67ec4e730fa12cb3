'use strict';
// The `sellkit` command as the npm package ships it (its `bin`, `npx sellkit`), and
// `client.release` from Node, against the simulator: a release and its re-run (one submission),
// a failed scan (exit 7), bad input (exit 2, nothing sent), `--json`, the JUnit file, and a
// release killed at each step then run again.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { useSimulator } = require('./helpers.js');

const BIN = path.join(__dirname, '..', 'bin', 'sellkit.js');
const SKU = 'acme/one-click';
const PACKAGE = {
  release_notes: 'Faster checkout.',
  version_compatibility: [{ edition: 'CE', versions: ['2.4'] }],
  name: 'One Click Checkout',
  long_description: 'Checkout in one click.',
  categories: ['//Extensions//Payments & Security//Checkout Enhancements'],
  license_type: 'mit',
  launch_on_approval: true,
};

// Node takes durations in milliseconds.
const sim = useSimulator();

/** A folder with a package ZIP, a user guide, an icon and the package fields. */
function files() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-cli-node-'));
  const write = (name, head, n) => fs.writeFileSync(path.join(dir, name), Buffer.concat([Buffer.from(head, 'binary'), crypto.randomBytes(n)]));
  write('ext.zip', 'PK\x03\x04', 40000);
  write('guide.pdf', '%PDF-1.4\n', 3000);
  write('icon.png', '\x89PNG\r\n\x1a\n', 500);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(PACKAGE));
  return { dir, at: (name) => path.join(dir, name) };
}

function releaseArgs(f, version, ...more) {
  return ['eqp', 'release', '--sku', SKU, '--version', version, '--artifact', f.at('ext.zip'), '--docs', f.at('guide.pdf'),
    '--media', f.at('icon.png'), '--package', f.at('package.json'), '--poll-interval', '0.05', ...more];
}

/** Only what points sellkit at the simulator (nothing of the developer's own SELLKIT_*). */
function envFor(s) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SELLKIT_')));
  return { ...env, SELLKIT_EQP_BASE_URL: s.eqpUrl, SELLKIT_EQP_APP_ID: s.eqpAppId, SELLKIT_EQP_APP_SECRET: s.eqpAppSecret };
}

/** Run a Node program (the command's `bin`, or a script) as its own process. */
function run(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: envFor(sim()), timeout: 120000 }, (error, stdout, stderr) => {
      const code = error ? (error.code ?? (error.signal ? -1 : 1)) : 0;
      assert.ok(!stdout.includes(sim().eqpAppSecret) && !stderr.includes(sim().eqpAppSecret), 'the secret was printed');
      resolve({ code: typeof code === 'number' ? code : -1, signal: error?.signal ?? null, stdout, stderr });
    });
  });
}

const sellkit = (...args) => run([BIN, ...args]);

test('the bin: a release, JUnit, then a re-run with --json that creates nothing', async () => {
  sim().setEqpScanDelay(50);
  sim().setEqpReviewDelay(300);
  const f = files();
  const junit = f.at('results.xml');
  const r = await sellkit(...releaseArgs(f, '1.2.0', '--wait', '--junit', junit));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(r.stdout.startsWith('Done:') && r.stdout.includes('review: passed'), r.stdout);
  assert.ok(r.stderr.includes('uploading ext.zip') && !r.stderr.includes('\x1b'), r.stderr);
  assert.equal(sim().eqpPackageCount(), 1);

  const xml = fs.readFileSync(junit, 'utf8');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  const cases = xml.match(/<testcase /g) ?? [];
  assert.ok(cases.length > 0);
  assert.match(xml, new RegExp(`<testsuite [^>]*tests="${cases.length}"`));

  const again = await sellkit(...releaseArgs(f, '1.2.0', '--json'));
  assert.equal(again.code, 0, again.stderr);
  const doc = JSON.parse(again.stdout);
  assert.equal(doc.created, false);
  assert.ok(doc.files.every((file) => file.reused));
  assert.equal(sim().eqpPackageCount(), 1);
  assert.equal(sim().requestCount('POST /rest/v1/products/packages'), 1);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

test('the bin: bad input exits 2 and sends nothing; a failed scan exits 7', async () => {
  sim().setEqpScanDelay(50);
  const f = files();
  let r = await sellkit('eqp', 'release', '--sku', 'Not A Sku', '--version', '1.0.0', '--artifact', f.at('ext.zip'));
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /sku/);
  r = await sellkit('eqp', 'release', '--sku', SKU, '--version', '1.0.0');
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--artifact/);
  assert.deepEqual(Object.values(sim().requestCounts()).reduce((a, b) => a + b, 0), 0);

  sim().setEqpScanVerdict('fail');
  r = await sellkit(...releaseArgs(f, '1.0.0', '--json'));
  sim().setEqpScanVerdict('pass');
  assert.equal(r.code, 7, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).error.exit_code, 7);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

test('client.release from Node: the events, and a re-run that finds the submission', async () => {
  sim().setEqpScanDelay(50);
  sim().setEqpReviewDelay(300);
  const f = files();
  const before = sim().eqpPackageCount();
  const client = sim().eqpClient();
  const events = [];
  const options = { docs: [f.at('guide.pdf')], media: [f.at('icon.png')], package: PACKAGE, pollInterval: 50, timeout: 30000 };
  const out = await client.release(SKU, '1.3.0', f.at('ext.zip'), { ...options, wait: true, onEvent: (e) => events.push(e) });
  assert.equal(out.passed, true);
  assert.equal(out.created, true);
  const steps = events.map((e) => e.step);
  for (const step of ['checking', 'uploading', 'uploaded', 'scanning', 'creating', 'submitting', 'waiting_for_review', 'done']) {
    assert.ok(steps.includes(step), `${step} not in ${steps}`);
  }
  const again = await client.release(SKU, '1.3.0', f.at('ext.zip'), options);
  assert.equal(again.submission_id ?? again.submissionId, out.submission_id ?? out.submissionId);
  assert.equal(again.created, false);
  assert.equal(sim().eqpPackageCount(), before + 1);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

// A release that kills its own process when it reaches `step`, then prints the submission.
const KILLER = `
const { EqpClient } = require(${JSON.stringify(path.join(__dirname, '..', 'index.js'))});
// With -e there is no script path: the arguments start at argv[1].
const [step, sku, version, artifact, doc, icon, pkg] = process.argv.slice(1);
const client = new EqpClient();
client.release(sku, version, artifact, {
  docs: [doc], media: [icon], package: JSON.parse(pkg), wait: true, pollInterval: 50, timeout: 30000,
  onEvent: (e) => { if (e.step === step) process.kill(process.pid, 'SIGKILL'); },
}).then((out) => console.log(JSON.stringify(out)), (e) => { console.error(String(e)); process.exit(1); });
`;

for (const [i, step] of ['uploaded', 'scanning', 'creating', 'submitting', 'waiting_for_review'].entries()) {
  test(`a release killed at ${step} and run again makes one submission`, async () => {
    sim().setEqpScanDelay(50);
    sim().setEqpReviewDelay(300);
    const before = sim().eqpPackageCount();
    const f = files();
    const args = [step, SKU, `1.6.${i}`, f.at('ext.zip'), f.at('guide.pdf'), f.at('icon.png'), JSON.stringify(PACKAGE)];
    const killed = await run(['-e', KILLER, ...args]);
    assert.equal(killed.signal, 'SIGKILL', killed.stdout + killed.stderr);
    const done = await run(['-e', KILLER, 'never', ...args.slice(1)]);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(JSON.parse(done.stdout).passed, true);
    // Exactly one submission for this version, however far the killed run got.
    assert.equal(sim().eqpPackageCount(), before + 1);
    fs.rmSync(f.dir, { recursive: true, force: true });
  });
}
