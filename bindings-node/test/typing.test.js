'use strict';
// index.d.ts: a typed usage file compiles under `tsc --strict`, and misuses stay errors.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { execFile } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

test('tsc --strict accepts test/typing/example.ts', { skip: !fs.existsSync(TSC) && 'typescript is not installed' }, async () => {
  const { error, stdout, stderr } = await new Promise((resolve) => {
    execFile(process.execPath, [TSC, '-p', path.join(__dirname, 'typing', 'tsconfig.json')], { cwd: ROOT, timeout: 120000 },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }));
  });
  assert.equal(error, null, `${stdout}${stderr}`);
});
