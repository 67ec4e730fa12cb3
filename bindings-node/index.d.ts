// Types of the `sellkit` package. The clients, resources, results and inputs of each API are
// generated from the catalogue in the Rust core (types/eqp.d.ts, types/marktplaats.d.ts); this
// file holds the errors, JSON Patch, the simulator, and re-exports the rest.

// ---------------------------------------------------------------------------------------------
// Errors

/** What kind of failure an error is; one subclass of `SellkitError` per kind. */
export type ErrorKind =
  | 'invalid_input'
  | 'authentication'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'validation'
  | 'rate_limited'
  | 'server'
  | 'api'
  | 'timeout'
  | 'connection'
  | 'decode'
  | 'internal'
  | 'batch';

/** One field-level problem, from client-side checks or from the server's `details`. */
export interface FieldDetail {
  /** Path of the field (`app_id`, `personal_profile.bio`, `items[3].sku`). */
  field: string | null;
  code: string | null;
  message: string | null;
  /** The server's `value` (a limit, a pattern), as it came. */
  value: unknown;
}

export interface SellkitErrorFields {
  code?: string;
  kind?: ErrorKind | null;
  status?: number | null;
  apiCode?: number | string | null;
  details?: FieldDetail[];
  field?: string | null;
  requestId?: string | null;
  retryAfter?: number | null;
  body?: string | null;
  outcomeUnknown?: boolean;
}

/** Base class of every error sellkit reports. Never contains a secret or a token. */
export class SellkitError extends Error {
  constructor(message: string, fields?: SellkitErrorFields);
  /** Stable machine code: `invalid-input`, `rate-limited`, `not-found`, `client-closed`, ... */
  readonly code: string;
  readonly kind: ErrorKind | null;
  /** HTTP status, when a server answered. */
  readonly status: number | null;
  /** The API's own error code (EQP: a number such as 1208). */
  readonly apiCode: number | string | null;
  readonly details: FieldDetail[];
  /** The option or argument an `InvalidInputError` is about (`appId`, `baseUrl`, `style`, ...). */
  readonly field: string | null;
  readonly requestId: string | null;
  /** Seconds the server asked to wait before trying again. */
  readonly retryAfter: number | null;
  /** The raw response body (at most 4 KiB); not shown by `inspect` or `JSON.stringify`. */
  readonly body: string | null;
  /**
   * A request reached the server and the connection broke or timed out before an answer, so the
   * server may have processed it; `false` means the call changed nothing on the server. Look the
   * object up before sending a create again.
   */
  readonly outcomeUnknown: boolean;
}
/** Bad input, caught before anything was sent. */
export class InvalidInputError extends SellkitError { readonly kind: 'invalid_input'; }
/** 401, or credentials refused by the token endpoint. */
export class AuthenticationError extends SellkitError { readonly kind: 'authentication'; }
/** 403. */
export class PermissionDeniedError extends SellkitError { readonly kind: 'permission_denied'; }
/** 404. */
export class NotFoundError extends SellkitError { readonly kind: 'not_found'; }
/** 409. */
export class ConflictError extends SellkitError { readonly kind: 'conflict'; }
/** 400 / 422: the server understood the request and refused it. */
export class ValidationError extends SellkitError { readonly kind: 'validation'; }
/** 429, or a `Retry-After` longer than the client waits (see `retryAfter`). */
export class RateLimitError extends SellkitError { readonly kind: 'rate_limited'; }
/** 5xx. */
export class ServerError extends SellkitError { readonly kind: 'server'; }
/** Any other HTTP error status (405, 406, 410, ...). */
export class APIError extends SellkitError { readonly kind: 'api'; }
/** The request or the connection timed out. */
export class APITimeoutError extends SellkitError { readonly kind: 'timeout'; }
/** The connection could not be made or broke. */
export class APIConnectionError extends SellkitError { readonly kind: 'connection'; }
/** The response could not be decoded. */
export class DecodeError extends SellkitError { readonly kind: 'decode'; }
/** A bug inside sellkit; please report it. */
export class InternalError extends SellkitError { readonly kind: 'internal'; }

/** Some items of a batch failed (from `BatchResult.throwForFailures()`); `failed` lists their entries. */
export class BatchError extends SellkitError {
  readonly kind: 'batch';
  /** The failed entries (`{index, ok, code, message, data, ...}`). */
  readonly failed: unknown[];
  /** Their input positions. */
  readonly indices: number[];
}

// ---------------------------------------------------------------------------------------------
// The clients (generated)

export * from './types/common';
/** The EQP API's resources, results (`eqp.Package`) and inputs (`eqp.PackageInput`). */
export * as eqp from './types/eqp';
/** The Marktplaats API's resources, results (`marktplaats.Advertisement`) and inputs. */
export * as marktplaats from './types/marktplaats';
export { EqpClient, type EqpClientOptions, parseCallback } from './types/eqp';
export { MarktplaatsClient, type MarktplaatsClientOptions, authorizationUrl, verifyWebhook, catalogueFromCsv, catalogueFromJson, signWebhook, parseWebhook } from './types/marktplaats';
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
