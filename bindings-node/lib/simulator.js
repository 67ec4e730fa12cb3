'use strict';
// The simulator: the EQP and Marktplaats APIs served from memory on loopback, with fault
// injection and per-route request counters. Routes are named like
// 'GET /rest/v1/users/{mage_id}'; '*' is any.

const native = require('./native.js');
const { EqpClient } = require('./eqp.js');
const { MarktplaatsClient } = require('./marktplaats.js');

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
const REDIRECT = 'https://app.example.com/callback';

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
  /**
   * The next `count` requests to `route` meet a connection-level fault: 'drop-before' (closed
   * unanswered, nothing processed), 'drop-after' (processed, then closed unanswered), 'stall'
   * (processed, answered after `stallMs`) or 'truncate' (processed, half the body, then closed).
   */
  injectFault(route, fault, { count = 1, stallMs = 5000 } = {}) {
    this.#native.injectFault(route, fault, count, stallMs);
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
  /** The raw `path?query` of the recent requests on a route, percent-encoding intact, oldest first. */
  requests(route) { return this.#native.requests(route); }
  /** The most requests in flight at once on a route. */
  maxInFlight(route) { return this.#native.maxInFlight(route); }

  // --- EQP ---
  /** How long malware scans take from now on (ms). */
  setEqpScanDelay(ms) { this.#native.setEqpScanDelay(ms); }
  /** 'pass' | 'fail' (a file whose name contains `malware` always fails). */
  setEqpScanVerdict(verdict) { this.#native.setEqpScanVerdict(verdict); }
  /** How long reviews take (ms); null: until `completeEqpReview`. */
  setEqpReviewDelay(ms) { this.#native.setEqpReviewDelay(ms ?? null); }
  setEqpReviewVerdict(verdict) { this.#native.setEqpReviewVerdict(verdict); }
  /** Finish one track ('technical' | 'marketing') of a submission now; whether it was in review. */
  completeEqpReview(submissionId, track, verdict = 'pass') { return this.#native.completeEqpReview(submissionId, track, verdict); }
  /** Every callback POST so far: `{url, body, status, error}`. */
  callbackDeliveries() { return JSON.parse(this.#native.callbackDeliveriesJson()); }
  eqpPackageCount() { return this.#native.eqpPackageCount(); }

  // --- Marktplaats ---
  /** Base URL of one platform ('marktplaats' | '2dehands' | '2ememain'); OAuth is served there too. */
  marktplaatsUrl(platform) { return this.#native.marktplaatsUrl(platform); }
  get mpClientId() { return this.#native.mpClientId; }
  get mpClientSecret() { return this.#native.mpClientSecret; }
  /** The user the authorization endpoint approves as. */
  get mpUserId() { return this.#native.mpUserId; }
  setMpTokenLifetime(seconds) { this.#native.setMpTokenLifetime(seconds); }
  /** Rotate refresh tokens on every refresh (a spent one → `invalid_grant`). */
  setMpRefreshRotation(on) { this.#native.setMpRefreshRotation(Boolean(on)); }
  /** Time an added image stays `downloading` (ms). */
  setMpImageDelay(ms) { this.#native.setMpImageDelay(ms); }
  /** Where webhooks go (null stops them) and their signing secret. */
  setMpWebhook(url, secret) { this.#native.setMpWebhook(url ?? null, secret); }
  /** `{eventId, eventType, status}` per delivery attempt. */
  mpWebhookDeliveries() { return JSON.parse(this.#native.mpWebhookDeliveriesJson()); }
  /** Refresh grants served, rotations, reuse detections and refresh tokens never spent. */
  mpRefreshStats() { return JSON.parse(this.#native.mpRefreshStatsJson()); }
  /** Requests that arrived at a host while a `Retry-After` it sent was in force. */
  requestsDuringBackoff() { return this.#native.requestsDuringBackoff(); }
  /** A buyer bids `amount` cents on an ad (delivers a BidPlacedEvent); the bid id. */
  mpPlaceBid(platform, itemId, amount, nickName = 'buyer') { return this.#native.mpPlaceBid(platform, itemId, amount, nickName); }
  mpSendWebhook(eventType, eventData = {}) { this.#native.mpSendWebhook(eventType, JSON.stringify(eventData)); }
  /** The stored ad as the API shows it, or null. */
  mpAd(platform, itemId) {
    const json = this.#native.mpAdJson(platform, itemId);
    return json == null ? null : JSON.parse(json);
  }
  /** Place `count` ads by another seller (titles `"<prefix> <n>"`). */
  mpSeedAds(platform, count, titlePrefix = 'Seeded ad') { this.#native.mpSeedAds(platform, count, titlePrefix); }
  /** Approve an authorization URL as the demo user would in a browser: `[code, state]` (state null when the URL had none). */
  mpApprove(url) {
    const { code, state } = JSON.parse(this.#native.mpApprove(url));
    return [code, state ?? null];
  }
  mpSetAdExpiry(platform, itemId, days) { return this.#native.mpSetAdExpiry(platform, itemId, days); }

  /**
   * A MarktplaatsClient for `platform`, logged in through the authorization-code flow (the
   * simulator approves at once); `options` add settings (`onToken`, `locale`, ...).
   */
  async marktplaatsClient(platform = 'marktplaats', options = {}) {
    const client = new MarktplaatsClient({
      platform,
      baseUrl: this.marktplaatsUrl(platform),
      clientId: this.mpClientId,
      clientSecret: this.mpClientSecret,
      ...options,
    });
    const [url, state] = await client.authorizationUrl(REDIRECT);
    const [code, returned] = this.mpApprove(url);
    if (returned !== state) throw new Error('state mismatch');
    await client.exchangeCode(code, REDIRECT);
    return client;
  }

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

module.exports = { Simulator, startSimulator, REDIRECT };
