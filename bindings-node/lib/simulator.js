'use strict';
// The simulator: the EQP API served from memory on loopback, with fault injection and
// per-route request counters. Routes are named like 'GET /rest/v1/users/{mage_id}'; '*' is any.

const native = require('./native.js');
const { EqpClient } = require('./eqp-client.js');

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

class Simulator {
  #native;

  /** Use `startSimulator()`. */
  constructor(handle) {
    if (!(handle instanceof native.NativeSimulator)) {
      throw new TypeError('use startSimulator() to start a simulator');
    }
    this.#native = handle;
  }

  /** Root of everything served, `http://127.0.0.1:PORT`. */
  get url() { return this.#native.url; }
  /** Base URL of the EQP API (pass it as `baseUrl`). */
  get eqpUrl() { return this.#native.eqpUrl; }
  get eqpAppId() { return this.#native.eqpAppId; }
  get eqpAppSecret() { return this.#native.eqpAppSecret; }
  get eqpMageId() { return this.#native.eqpMageId; }

  /** An EqpClient for this simulator with its demo credentials; `options` override or add settings. */
  eqpClient(options = {}) {
    return new EqpClient({ appId: this.eqpAppId, appSecret: this.eqpAppSecret, baseUrl: this.eqpUrl, ...options });
  }

  /** The next `count` requests to `route` get `status` (and a Retry-After header when given). */
  failNext(route, { count = 1, status = 503, retryAfter } = {}) {
    this.#native.failNext(route, count, status, retryAfter == null ? null : String(retryAfter));
  }
  /** Remove queued faults and the added latency. */
  clearFaults() { this.#native.clearFaults(); }
  /** Latency added to every response from now on, in milliseconds. */
  setLatency(ms) { this.#native.setLatency(ms); }
  /** Every session token issued so far stops working now. */
  expireAllTokens() { this.#native.expireAllTokens(); }
  /** Longest EQP session granted from now on, in seconds. */
  setEqpMaxTokenLifetime(seconds) { this.#native.setEqpMaxTokenLifetime(seconds); }
  /** Requests received on one route since start or the last reset. */
  requestCount(route) { return this.#native.requestCount(route); }
  /** Requests received per route, as `{route: count}`. */
  requestCounts() { return JSON.parse(this.#native.requestCountsJson()); }
  resetCounters() { this.#native.resetCounters(); }
  /** Shut the server down. Counters stay readable. */
  stop() { return this.#native.stop(); }

  toJSON() { return { url: this.url }; }
  toString() { return `Simulator(${this.url})`; }
  [inspectCustom]() { return `Simulator { url: '${this.url}' }`; }
}

if (typeof Symbol.asyncDispose === 'symbol') {
  Simulator.prototype[Symbol.asyncDispose] = function asyncDispose() { return this.stop(); };
}

/** Start a simulator on a free loopback port. `latency` in ms, `eqpMaxTokenLifetime` in s. */
async function startSimulator({ latency, eqpMaxTokenLifetime } = {}) {
  return new Simulator(native.NativeSimulator.start({ latency, eqpMaxTokenLifetime }));
}

module.exports = { Simulator, startSimulator };
