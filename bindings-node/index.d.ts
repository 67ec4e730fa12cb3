// Types of the `sellkit` package. The clients, resources, results and inputs of each API are
// generated from the catalogue in the Rust core (types/eqp.d.ts, types/marktplaats.d.ts); this
// file holds the errors, JSON Patch, the simulator, and re-exports the rest.

// ---------------------------------------------------------------------------------------------
// Errors: the root class (hand-written) and the classes generated from core's error table.

export * from './types/error-base';
export * from './types/errors';

// ---------------------------------------------------------------------------------------------
// The clients (generated)

export * from './types/common';
/** The EQP API's resources, results (`eqp.Package`) and inputs (`eqp.PackageInput`). */
export * as eqp from './types/eqp';
/** The Marktplaats API's resources, results (`marktplaats.Advertisement`) and inputs. */
export * as marktplaats from './types/marktplaats';
export { EqpClient, type EqpClientOptions, parseCallback, parseTimestamp, raiseForScanFailures } from './types/eqp';
export { MarktplaatsClient, type MarktplaatsClientOptions, authorizationUrl, verifyWebhook, catalogueFromCsv, catalogueFromJson, signWebhook, parseWebhook, parseTime } from './types/marktplaats';
import type { EqpClient, EqpClientOptions } from './types/eqp';
import type { MarktplaatsClient, MarktplaatsClientOptions, Advertisement } from './types/marktplaats';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The Marktplaats platforms. */
export type Platform = 'marktplaats' | '2dehands' | '2ememain';
/** The locales the platforms allow. */
export type Locale = 'nl-NL' | 'nl-BE' | 'fr-BE';

/**
 * The locale a request on `platform` carries: the entity's own `locale` wins, then the user's
 * preference, then the host's default. A locale the platform does not allow throws an
 * `InvalidInputError`.
 */
export function resolveLocale(platform: Platform, options?: { entityLocale?: string | null; userLocale?: string | null }): Locale;

// ---------------------------------------------------------------------------------------------
// JSON Patch

/**
 * JSON Pointer (RFC 6901) and JSON Patch (RFC 6902), computed by the Rust core.
 *
 * Documents are JSON values; they cross as `JSON.stringify` would send them (`toJSON()` is called,
 * `undefined` members are left out), except that `NaN`, `±Infinity`, BigInts and values that
 * contain themselves throw an `InvalidInputError` naming the path (`doc.ads[3].price`).
 * Numbers are JS numbers: an integer above 2^53 is the double JS holds, kept exactly.
 */
export declare namespace patch {
  interface AddOp { op: 'add'; path: string; value: unknown }
  interface RemoveOp { op: 'remove'; path: string }
  interface ReplaceOp { op: 'replace'; path: string; value: unknown }
  /** Not supported by the Marktplaats server. */
  interface MoveOp { op: 'move'; from: string; path: string }
  /** Not supported by the Marktplaats server. */
  interface CopyOp { op: 'copy'; from: string; path: string }
  /** Not supported by the Marktplaats server. */
  interface TestOp { op: 'test'; path: string; value: unknown }
  /** One RFC 6902 operation. */
  type Operation = AddOp | RemoveOp | ReplaceOp | MoveOp | CopyOp | TestOp;
  /** The operations the Marktplaats server supports (all that `diff` emits). */
  type ServerOperation = AddOp | RemoveOp | ReplaceOp;

  interface ValidateOptions {
    /** Refuse `move`, `copy` and `test` (code `invalid-patch-operation`, `field` like `ops[1].op`). */
    serverSafe?: boolean;
  }

  /**
   * Apply `ops` to a copy of `doc` and return the copy; `doc` is never modified. Atomic: a patch
   * that cannot apply changes nothing and throws a `ConflictError` (code `conflicting-state`,
   * `field` naming the operation: `ops[2]`). A malformed patch throws an `InvalidInputError`
   * (code `invalid-patch`, `field` like `ops[0].from`).
   */
  function apply<T = unknown>(doc: unknown, ops: readonly Operation[]): T;
  /** The `add`, `remove` and `replace` operations that turn `oldDoc` into `newDoc`. */
  function diff(oldDoc: unknown, newDoc: unknown): ServerOperation[];
  /** Check a patch before sending it; throws an `InvalidInputError`. */
  function validate(ops: readonly Operation[], options?: ValidateOptions): void;
  /** Whether sending `ops` twice has the effect of sending them once (a failed PATCH may be retried). */
  function isSafeToRepeat(ops: readonly Operation[]): boolean;
  /** Check a patch and return it in normal form (`{op, from?, path, value?}`, other members dropped). */
  function parse(ops: unknown): Operation[];
}

// ---------------------------------------------------------------------------------------------
// The simulator

export interface SimulatorOptions {
  /** Added to every response, in milliseconds. */
  latency?: number;
  /** Longest EQP session the token endpoint grants, in seconds (7200 by default). */
  eqpMaxTokenLifetime?: number;
}

export type ConnectionFault = 'drop-before' | 'drop-after' | 'stall' | 'truncate';

export interface FailNextOptions {
  /** How many requests fail (1 by default). */
  count?: number;
  /** The status they get (503 by default). */
  status?: number;
  /** `Retry-After` header value: seconds or an HTTP date. */
  retryAfter?: number | string;
}

/**
 * The EQP API served from memory on loopback, with fault injection and request counters.
 * Routes are named `'METHOD /path/{param}'` (`'POST /rest/v1/app/session/token'`,
 * `'GET /rest/v1/users/{mage_id}'`); `'*'` is any route.
 */
export class Simulator {
  private constructor();
  readonly url: string;
  readonly eqpUrl: string;
  readonly eqpAppId: string;
  readonly eqpAppSecret: string;
  readonly eqpMageId: string;
  /** An EqpClient with the simulator's demo credentials and base URL. */
  eqpClient(options?: Partial<EqpClientOptions>): EqpClient;
  failNext(route: string, options?: FailNextOptions): void;
  /**
   * The next `count` requests to `route` meet a connection-level fault: 'drop-before' (closed
   * unanswered, nothing processed), 'drop-after' (processed, then closed unanswered), 'stall'
   * (processed, answered after `stallMs`) or 'truncate' (processed, half the body, then closed).
   */
  injectFault(route: string, fault: ConnectionFault, options?: { count?: number; stallMs?: number }): void;
  clearFaults(): void;
  /** Latency added to every response from now on, in milliseconds. */
  setLatency(ms: number): void;
  expireAllTokens(): void;
  /** Longest session granted from now on, in seconds. */
  setEqpMaxTokenLifetime(seconds: number): void;
  requestCount(route: string): number;
  requestCounts(): Record<string, number>;
  resetCounters(): void;
  /** The raw `path?query` of the recent requests on a route, percent-encoding intact. */
  requests(route: string): string[];
  /** The most requests in flight at once on a route. */
  maxInFlight(route: string): number;
  // EQP controls
  /** ms. */
  setEqpScanDelay(ms: number): void;
  setEqpScanVerdict(verdict: 'pass' | 'fail'): void;
  /** ms; null: reviews wait for `completeEqpReview`. */
  setEqpReviewDelay(ms: number | null): void;
  setEqpReviewVerdict(verdict: 'pass' | 'fail'): void;
  completeEqpReview(submissionId: string, track: 'technical' | 'marketing', verdict?: 'pass' | 'fail'): boolean;
  callbackDeliveries(): Array<{ url: string; body: Json; status: number | null; error: string | null }>;
  eqpPackageCount(): number;
  // Marktplaats controls
  marktplaatsUrl(platform: Platform): string;
  readonly mpClientId: string;
  readonly mpClientSecret: string;
  readonly mpUserId: number;
  setMpTokenLifetime(seconds: number): void;
  setMpRefreshRotation(on: boolean): void;
  /** ms. */
  setMpImageDelay(ms: number): void;
  setMpWebhook(url: string | null, secret: string): void;
  mpWebhookDeliveries(): Array<{ eventId: string; eventType: string; status: number | null }>;
  /** Refresh grants served, rotations, reuse detections, and refresh tokens issued but never spent. */
  mpRefreshStats(): { refreshes: number; rotations: number; reuseDetections: number; unusedRefreshTokens: number };
  /** Requests that arrived at a host while a `Retry-After` it sent was in force (after a 100 ms grace). */
  requestsDuringBackoff(): number;
  /** Returns the bid id. */
  mpPlaceBid(platform: Platform, itemId: string, amount: number, nickName?: string): number;
  mpSendWebhook(eventType: string, eventData?: Record<string, unknown>): void;
  mpAd(platform: Platform, itemId: string): Advertisement | null;
  mpSeedAds(platform: Platform, count: number, titlePrefix?: string): void;
  /** Approve an authorization URL as the demo user would in a browser: `[code, state]`. */
  mpApprove(url: string): [string, string | null];
  mpSetAdExpiry(platform: Platform, itemId: string, days: number): boolean;
  /** A client for `platform` logged in through the code flow (the simulator approves at once). */
  marktplaatsClient(platform?: Platform, options?: Partial<MarktplaatsClientOptions>): Promise<MarktplaatsClient>;
  /** Shut the server down; counters stay readable. */
  stop(): Promise<void>;
}

/** Start a simulator on a free loopback port. */
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
