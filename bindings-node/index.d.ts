// Types of the `sellkit` package (hand-written; the addon's own generated types are internal).

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
  | 'internal';

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

// ---------------------------------------------------------------------------------------------
// Options

/** The part of an `AbortSignal` sellkit uses (a DOM or Node `AbortSignal` fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Settings of one call. An aborted `signal` rejects the call with an error named `AbortError`. */
export interface CallOptions {
  signal?: AbortSignalLike;
  /** Time for one attempt, in milliseconds. */
  timeout?: number;
  /** Retries after the first attempt (0–10). */
  maxRetries?: number;
}

export type EqpEnvironment = 'production' | 'sandbox' | 'legacy-production' | 'legacy-sandbox';

export interface EqpClientOptions {
  appId: string;
  appSecret: string;
  /** Named environment; `'production'` by default. */
  environment?: EqpEnvironment;
  /** Any base URL (wins over `environment`); `https://` only, except loopback. */
  baseUrl?: string;
  /** Time for one attempt, connect to last byte, in ms (60 000 by default). */
  timeout?: number;
  /** Time to connect, in ms (10 000 by default). */
  connectTimeout?: number;
  /** Time for one upload attempt, in ms (600 000 by default). */
  uploadTimeout?: number;
  /** Retries after the first attempt (2 by default, 0–10). */
  maxRetries?: number;
  /** Appended to the User-Agent (`my-release-bot/1.2`). */
  userAgentSuffix?: string;
  /** Session lifetime to ask for, in seconds (the server clamps it). */
  tokenLifetime?: number;
}

export interface EqpClientSettings {
  timeout?: number;
  maxRetries?: number;
}

// ---------------------------------------------------------------------------------------------
// EQP data (fields as the API sends them; fields the docs leave uncertain are optional, and
// fields the docs do not know are kept)

export interface ProfileImageArtifact {
  file_upload_id?: string;
  filename?: string;
  content_type?: string;
  url?: string;
  size?: number;
  file_hash?: string;
  malware_status?: string;
  [field: string]: unknown;
}

export interface SocialMediaInfo {
  twitter?: string;
  stackexchange_url?: string;
  facebook_url?: string;
  linkedin_url?: string;
  github_username?: string;
  [field: string]: unknown;
}

export interface Address {
  address_key?: number;
  address_line_1?: string;
  address_line_2?: string;
  apt_suite_other?: string;
  city?: string;
  state?: string;
  country?: string;
  postal_code?: string;
  phone?: string;
  country_code?: string;
  is_primary?: boolean;
  [field: string]: unknown;
}

export interface PersonalProfile {
  bio?: string;
  website_url?: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC (hour sometimes unpadded). */
  last_logged_in?: string;
  created_at?: string;
  modified_at?: string;
  social_media_info?: SocialMediaInfo;
  addresses?: Address[];
  [field: string]: unknown;
}

export interface CompanyProfile {
  name?: string;
  bio?: string;
  website_url?: string;
  primary_email?: string;
  support_email?: string;
  created_at?: string;
  modified_at?: string;
  social_media_info?: SocialMediaInfo;
  addresses?: Address[];
  [field: string]: unknown;
}

export interface ApiCallback {
  name?: string;
  url?: string;
  username?: string;
  [field: string]: unknown;
}

export interface Organization {
  org_id?: string;
  org_name?: string;
  [field: string]: unknown;
}

/** `users.get({style: 'summary'})`. */
export interface ProfileSummary {
  mage_id: string;
  adobe_user_id?: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  screen_name?: string;
  has_completed_profile?: boolean;
  has_accepted_tos?: boolean;
  profile_image_artifact?: ProfileImageArtifact;
  [field: string]: unknown;
}

/** `users.get()`: the whole profile. */
export interface Profile extends ProfileSummary {
  is_company?: boolean;
  send_newsletter?: boolean;
  tos_accepted_version?: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  tos_accepted_date?: string;
  vendor_name?: string;
  locale?: string;
  timezone?: string;
  privacy_policy_url?: string;
  partner_level?: number;
  payment_type?: number;
  /** A JSON document encoded as a string (`{"paypal_email": ...}`). */
  payment_info?: string;
  taxpayer_type?: number;
  tax_review_status?: number;
  tax_withhold_percent?: number;
  extension_share_percent?: number;
  theme_share_percent?: number;
  install_share_percent?: number;
  support_share_percent?: number;
  api_callbacks?: ApiCallback[];
  personal_profile?: PersonalProfile;
  company_profile?: CompanyProfile;
  organizations?: Organization[];
  show_extension_workflow?: boolean;
  show_theme_workflow?: boolean;
}

/** `users.update(fields)`: only the fields to change, and optionally what to do with the profile. */
export interface ProfileUpdate {
  /** `'submit'` publishes the profile once complete; `'draft'` only saves. */
  action?: 'submit' | 'draft';
  first_name?: string;
  last_name?: string;
  screen_name?: string;
  is_company?: boolean;
  send_newsletter?: boolean;
  vendor_name?: string;
  locale?: string;
  timezone?: string;
  privacy_policy_url?: string;
  api_callbacks?: Array<ApiCallback & { password?: string }>;
  personal_profile?: PersonalProfile;
  company_profile?: CompanyProfile;
  [field: string]: unknown;
}

/** Any JSON value (what `request` sends and resolves to). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------------------------
// The EQP client

export interface EqpUsers {
  /** `GET /rest/v1/users/:mage_id`. */
  get(params?: { style?: 'full' }, opts?: CallOptions): Promise<Profile>;
  get(params: { style: 'summary' }, opts?: CallOptions): Promise<ProfileSummary>;
  get(params?: { style?: 'full' | 'summary' }, opts?: CallOptions): Promise<Profile | ProfileSummary>;
  /** `PUT /rest/v1/users/:mage_id` with only the fields to change; resolves to the updated profile. */
  update(fields: ProfileUpdate, opts?: CallOptions): Promise<Profile>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/**
 * A client of the Adobe Commerce Marketplace EQP API. Session tokens are obtained, cached,
 * refreshed and replayed on a 401 by the client; calls retry what is safe to retry.
 */
export class EqpClient {
  constructor(options: EqpClientOptions);
  /** The account id, known after the first authenticated call; null before. */
  readonly mageId: string | null;
  readonly baseUrl: string;
  readonly environment: EqpEnvironment;
  readonly users: EqpUsers;
  /** Obtain a session token now (if none is cached); resolves to the account's mage_id. */
  authenticate(opts?: CallOptions): Promise<string>;
  /**
   * Call any endpoint (`path` relative to the base URL, `/rest/v1/...`) with the client's auth,
   * retries and errors; resolves to the decoded JSON, or null for an empty body.
   */
  request<T = Json>(method: HttpMethod | Lowercase<HttpMethod>, path: string, json?: unknown, opts?: CallOptions): Promise<T>;
  /** A client sharing this one's connections and session, with other settings. */
  withOptions(settings: EqpClientSettings): EqpClient;
  /** Release this handle's connections; later calls reject with code `client-closed`. */
  close(): void;
  /** `{baseUrl, environment, mageId, closed}`; never the secret or a token. */
  toJSON(): { baseUrl: string; environment: EqpEnvironment; mageId: string | null; closed: boolean };
  toString(): string;
}

// ---------------------------------------------------------------------------------------------
// The simulator

export interface SimulatorOptions {
  /** Added to every response, in milliseconds. */
  latency?: number;
  /** Longest EQP session the token endpoint grants, in seconds (7200 by default). */
  eqpMaxTokenLifetime?: number;
}

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
  clearFaults(): void;
  /** Latency added to every response from now on, in milliseconds. */
  setLatency(ms: number): void;
  expireAllTokens(): void;
  /** Longest session granted from now on, in seconds. */
  setEqpMaxTokenLifetime(seconds: number): void;
  requestCount(route: string): number;
  requestCounts(): Record<string, number>;
  resetCounters(): void;
  /** Shut the server down; counters stay readable. */
  stop(): Promise<void>;
}

/** Start a simulator on a free loopback port. */
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
