'use strict';
// An idle client (or a simulator left running) does not keep the process alive.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

function run(script) {
  return new Promise((resolve) => {
    const started = performance.now();
    execFile(process.execPath, ['-e', script], { cwd: ROOT, timeout: 20000 }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr, ms: performance.now() - started }));
  });
}

test('a script that makes a call and ends exits by itself', async () => {
  const { error, stdout, stderr, ms } = await run(`
    const { startSimulator } = require('sellkit');
    (async () => {
      const sim = await startSimulator();
      const client = sim.eqpClient();
      const profile = await client.users.get();
      console.log(profile.mage_id);
      // Neither the client nor the simulator is closed.
    })();
  `);
  assert.equal(error, null, `exit: ${error?.code ?? error?.signal} ${stderr}`);
  assert.equal(stdout.trim(), 'MAG123456789');
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('a script that only builds a client exits by itself', async () => {
  const { error, ms } = await run(`
    const { EqpClient } = require('sellkit');
    new EqpClient({ appId: 'id', appSecret: 'secret' });
  `);
  assert.equal(error, null);
  assert.ok(ms < 5000, `took ${ms} ms`);
});
