'use strict';
// Shared by the tests: one simulator per test file, fresh counters and faults per test.

const { before, after, beforeEach } = require('node:test');
const { startSimulator } = require('sellkit');

const TOKEN = 'POST /rest/v1/app/session/token';
const PROFILE = 'GET /rest/v1/users/{mage_id}';
const PROFILE_UPDATE = 'PUT /rest/v1/users/{mage_id}';

/** Starts a simulator for the file; `sim()` returns it inside tests. */
function useSimulator(options) {
  let sim = null;
  before(async () => {
    sim = await startSimulator(options);
  });
  after(async () => {
    await sim?.stop();
  });
  beforeEach(() => {
    sim.clearFaults();
    sim.resetCounters();
  });
  return () => sim;
}

/** How long `promise` takes to settle, in ms, and how it settled. */
async function timed(promise) {
  const started = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

module.exports = { useSimulator, timed, TOKEN, PROFILE, PROFILE_UPDATE };
