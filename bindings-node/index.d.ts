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
  /** Largest response body read into memory, in bytes (64 MiB by default); a bigger one rejects with a `DecodeError` coded `response-too-large`. */
  maxResponseBytes?: number;
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
  /** Composer access keys. */
  readonly keys: EqpKeys;
  /** The JSON as sent. */
  reports(kind: 'pageviews' | 'totals' | 'sales' | 'refunds', opts?: CallOptions): Promise<Json>;
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
  readonly callbacks: EqpCallbacks;
  readonly files: EqpFiles;
  readonly packages: EqpPackages;
  readonly testResults: EqpTestResults;
  readonly reports: EqpReports;
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
// EQP: keys, files, packages, batches, test results, callbacks

/** An exact decimal with two places, as a string (`"15.50"`): never a binary float. */
export type Price = string;

/** A Composer access key. */
export interface ComposerKey {
  label?: string;
  user_key?: string;
  password_key?: string;
  is_enabled?: boolean;
  uid?: string;
  [field: string]: unknown;
}
/** `users.keys.list()`: keys by kind. */
export interface ComposerKeys {
  m2?: ComposerKey[];
  m1?: ComposerKey[];
  [field: string]: unknown;
}
export interface NewComposerKey {
  label: string;
  uid?: string;
}

/** One entry of a batch, in input order. A failed item is data, not an exception. */
export interface BatchItem<T = Package> {
  /** Position of the input item. */
  index: number;
  ok: boolean;
  /** The per-item code (200 success; 1208 incomplete submission; 1210 invalid SKU; ...). */
  code: number;
  message: string;
  /** The item's data as the server returned it (null when it sent none). */
  data: T | null;
  /** Whether the item was found already created after a POST lost in transit (not re-sent). */
  recovered: boolean;
  error?: unknown;
}

/** The result of `packages.create/update` and `users.keys.create`. */
export class BatchResult<T = Package> {
  readonly items: BatchItem<T>[];
  readonly allOk: boolean;
  /** The failed entries. */
  readonly failed: BatchItem<T>[];
  /** Their indices. */
  readonly failedIndices: number[];
  /** Throws a `BatchError` listing the failed indices unless every item succeeded. */
  throwForFailures(): this;
  toJSON(): { items: BatchItem<T>[]; allOk: boolean; failed: number[] };
}

/** `BatchResult.throwForFailures()`: some items failed. */
export class BatchError extends SellkitError {
  readonly kind: 'batch';
  readonly failed: BatchItem<unknown>[];
  readonly indices: number[];
}

/** An uploaded file. */
export interface FileRecord {
  file_upload_id: string;
  filename?: string;
  content_type?: string;
  size?: number;
  /** Open enum: `pass`, `passed`, `fail`, `in_progress`, `queued`, ... */
  malware_status?: string;
  file_hash?: string;
  url?: string;
  submission_ids?: string[];
  is_profile_image?: boolean;
  [field: string]: unknown;
}

/** One input of `files.upload`. */
export type UploadInput =
  | string
  | URL
  | { filename: string; data: Buffer | Uint8Array | ArrayBuffer | string; contentType?: string }
  /** Fed to the core chunk by chunk (bounded memory); `length` lets the request carry a Content-Length and progress a total. Not retryable once read. */
  | { filename?: string; stream: NodeJS.ReadableStream; contentType?: string; length?: number }
  | (NodeJS.ReadableStream & { filename?: string; path?: string | Buffer });

export interface UploadOptions extends CallOptions {
  /** Called on the JS thread with bytes sent and the total (at most every 50 ms, and at the end); `total` is 0 when a stream of unknown length is part of the upload. */
  onProgress?: (sent: number, total: number) => void;
}

export interface ScanReport {
  passed: FileRecord[];
  failed: FileRecord[];
  timedOut: string[];
  allPassed: boolean;
}

export interface EqpStatus {
  /** `draft`, `in_progress`, `released_to_store`, `canceled_by_developer`, ... (open enum). */
  overall?: string;
  technical?: string;
  marketing?: string;
  [field: string]: unknown;
}

export interface FileRef {
  file_upload_id?: string;
  [field: string]: unknown;
}

export interface PriceEntry {
  edition?: string;
  currency_code?: string;
  /** Exact decimal as a string in results (`"15.50"`); a number or a numeric string in arguments. */
  price?: Price | number;
  installation_price?: Price | number;
  [field: string]: unknown;
}

/** A package (reference §7.4). Unknown fields are kept. */
export interface Package {
  submission_id?: string;
  item_id?: string;
  action?: { technical?: 'submit' | 'recall'; marketing?: 'submit' | 'recall'; overall?: 'remove' | 'cancel' } | Record<string, string>;
  type?: 'extension' | 'theme' | 'shared_package' | string;
  platform?: 'M1' | 'M2' | string;
  version_compatibility?: Array<{ edition?: string; versions?: string[] }>;
  name?: string;
  short_description?: string;
  long_description?: string;
  release_notes?: string;
  version?: string;
  sku?: string;
  artifact?: FileRef;
  documentation_artifacts?: Record<string, FileRef>;
  media_artifacts?: { icon_image?: FileRef; gallery_images?: FileRef[]; video_urls?: string[]; [field: string]: unknown };
  shared_packages?: Array<{ artifact?: FileRef; [field: string]: unknown }>;
  categories?: string[];
  license_type?: string;
  prices?: PriceEntry[];
  pricing_model?: { pricing_type?: string; payment_period?: number; [field: string]: unknown };
  support_tiers?: unknown[];
  options?: Record<string, unknown>;
  browsers?: string[];
  browser_os_compatibility?: Record<string, unknown>;
  launch_on_approval?: boolean;
  eqp_status?: EqpStatus;
  /** Decoded from both documented shapes. */
  actions_now_available?: unknown;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  created_at?: string;
  modified_at?: string;
  latest_launch_date?: string;
  [field: string]: unknown;
}

export interface BatchOptions extends CallOptions {
  /** Items per POST (50 by default). */
  chunkSize?: number;
  /** POSTs in flight at once (4 by default). */
  concurrency?: number;
}

export interface ListOptions extends CallOptions {
  /** Stop after this many items. */
  limit?: number;
  /** Items per request (50 by default). */
  pageSize?: number;
}

/** Filters of `packages.list` (exact and substring fields per reference §4). */
export interface PackageListOptions extends ListOptions {
  /** `'-platform,+name'` or `['-platform', '+name']`; `+` is sent as `%2B`. */
  sort?: string | string[];
  type?: string;
  platform?: string;
  licenseType?: string;
  isPatch?: string | boolean;
  sku?: string;
  name?: string;
  [filter: string]: unknown;
}

/** A lazily paged list: `for await` pulls one page at a time; `nextPage()` gives whole pages. */
export interface PagedList<T> extends AsyncIterable<T> {
  /** The next page, or null when the list is done. */
  nextPage(): Promise<T[] | null>;
  /** Every item (fetching every page). */
  toArray(): Promise<T[]>;
}

export interface Tracks extends CallOptions {
  technical?: boolean;
  marketing?: boolean;
}

/** One tool run of `testResults.summary`. */
export interface TestRunSummary {
  tool_run_id?: string;
  name?: string;
  /** Compared case-insensitively (`pass`, `PASS`, `fail`, ...). */
  status?: string;
  date?: string;
  [field: string]: unknown;
}

/** `testResults.detail`: `reports` as sent (an array, or one object). */
export interface TestDetail {
  tool?: string;
  status?: string;
  reports?: Array<Record<string, unknown>> | Record<string, unknown>;
  [field: string]: unknown;
}

export type TestTarget = { submissionId: string } | { sku: string } | { itemId: string };

/** A parsed EQP callback. Unknown events are kept. */
export interface CallbackEvent {
  /** `malware_scan_complete`, `eqp_status_update`, or any other. */
  callback_event: string;
  update_info: {
    file_upload_id?: string;
    tool_result?: string;
    submission_id?: string;
    item_id?: string;
    eqp_flow?: string;
    current_status?: string;
    eqp_status?: EqpStatus;
    modified_at?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface CallbackRegistration {
  name?: string;
  url: string;
  username: string;
  password: string;
}

export interface EqpKeys {
  list(filter?: { type?: 'm1' | 'm2' | 'all'; label?: string; uid?: string } & CallOptions): Promise<ComposerKeys>;
  create(keys: NewComposerKey[], opts?: CallOptions): Promise<BatchResult<ComposerKey>>;
  enable(label: string, options?: { uid?: string } & CallOptions): Promise<ComposerKeys>;
  disable(label: string, options?: { uid?: string } & CallOptions): Promise<ComposerKeys>;
  /** Resolves to null (204). */
  delete(label: string, options?: { uid?: string } & CallOptions): Promise<null>;
}

export interface EqpCallbacks {
  /** Register callback URLs (https, or loopback http); resolves to the profile. */
  register(callbacks: CallbackRegistration[], opts?: CallOptions): Promise<Profile>;
}

export interface EqpFiles {
  /** Upload; one record per input, in order. Paths are streamed from disk by the core (re-opened on a retry); readable streams are fed to the core chunk by chunk. */
  upload(files: UploadInput | UploadInput[], options?: UploadOptions): Promise<FileRecord[]>;
  get(fileUploadId: string, opts?: CallOptions): Promise<FileRecord>;
  list(options?: ListOptions): PagedList<FileRecord>;
  /** Poll until scanned: `timeout` and `interval` in milliseconds (300 000 and 2 000). */
  waitForScan(ids: string | string[], options?: { timeout?: number; interval?: number; signal?: AbortSignalLike; maxRetries?: number }): Promise<ScanReport>;
}

export interface EqpPackages {
  create(items: Package[], options?: BatchOptions): Promise<BatchResult<Package>>;
  update(items: Array<Package & { submission_id: string }>, options?: BatchOptions): Promise<BatchResult<Package>>;
  updateOne(submissionId: string, fields: Package, opts?: CallOptions): Promise<Package | null>;
  get(submissionId: string, opts?: CallOptions): Promise<Package>;
  list(options?: PackageListOptions): PagedList<Package>;
  bySku(sku: string, options?: ListOptions & { version?: string }): PagedList<Package>;
  byItemId(itemId: string, opts?: CallOptions): Promise<Package>;
  skus(options?: ListOptions): PagedList<Package>;
  items(options?: ListOptions): PagedList<Package>;
  /** Both tracks when neither is given. */
  submit(submissionId: string, options?: Tracks): Promise<Package | null>;
  recall(submissionId: string, options?: Tracks): Promise<Package | null>;
  remove(submissionId: string, opts?: CallOptions): Promise<Package | null>;
  cancel(submissionId: string, opts?: CallOptions): Promise<Package | null>;
}

export interface EqpTestResults {
  summary(target: TestTarget & CallOptions, opts?: CallOptions): Promise<TestRunSummary[]>;
  detail(submissionId: string, tool: string, runId: string | number, opts?: CallOptions): Promise<TestDetail>;
}

export interface EqpReports {
  /** The JSON as sent. */
  metrics(name?: string, opts?: CallOptions): Promise<Json>;
}

/**
 * Parse an EQP callback body and check its Basic credentials in constant time. Throws an
 * `AuthenticationError` (code `invalid-callback-credentials`) for wrong credentials.
 */
export function parseCallback(
  body: Buffer | Uint8Array | string,
  headers: Record<string, string | string[] | undefined> | { get(name: string): string | null } | string[],
  credentials: { username: string; password: string },
): CallbackEvent;

// ---------------------------------------------------------------------------------------------
// Marktplaats / 2dehands / 2ememain (results are the API's JSON as sent; HAL `_links` and
// `_embedded` kept; amounts are integer euro cents)

export type Platform = 'marktplaats' | '2dehands' | '2ememain';
export type Locale = 'nl-NL' | 'nl-BE' | 'fr-BE';

/** HAL links and embedded resources, kept in every result. */
export interface Hal {
  _links?: Record<string, unknown>;
  _embedded?: Record<string, unknown>;
}

/** Fields allowed per `modelType`; amounts are integer cents (a float or a negative amount is refused, naming the field). */
export interface PriceModel {
  modelType: 'fixed' | 'bidding' | 'free' | 'see-description' | 'on-request' | 'exchange' | 'reserved' | string;
  askingPrice?: number;
  minimalBid?: number;
  [field: string]: unknown;
}

/** An advertisement. Category attributes are extra top-level fields (kept). */
export interface Ad extends Hal {
  itemId?: string;
  categoryId?: number;
  title?: string;
  description?: string;
  priceModel?: PriceModel;
  location?: { postcode?: string; cityName?: string; [field: string]: unknown };
  /** 2dehands / 2ememain only: `nl-BE` or `fr-BE`. */
  locale?: Locale;
  status?: string;
  renewalPossible?: boolean;
  [attribute: string]: unknown;
}

export interface Image extends Hal {
  mediaId?: string;
  status?: string;
  url?: string;
  [field: string]: unknown;
}

export interface Category extends Hal {
  categoryId?: number;
  name?: string;
  parentId?: number;
  [field: string]: unknown;
}

export interface User extends Hal {
  userId?: number;
  name?: string;
  email?: string;
  locale?: Locale;
  status?: string;
  [field: string]: unknown;
}

export interface Order extends Hal {
  orderId?: number;
  status?: string;
  [field: string]: unknown;
}

/** What `exchangeCode`, `authenticateClient` and `onToken` receive (OAuth2 names; secrets included: persist them safely). */
export interface TokenSet {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  [field: string]: unknown;
}

/** A webhook envelope. */
export interface WebhookEvent {
  id?: string;
  eventType: string;
  created?: string;
  eventData: Record<string, unknown>;
  [field: string]: unknown;
}

export interface MarktplaatsClientOptions {
  platform?: Platform;
  environment?: 'production' | 'sandbox';
  /** Any base URL (https, or loopback http). */
  baseUrl?: string;
  authBaseUrl?: string;
  tokenUrl?: string;
  authorizeUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** A stored access token (with `accessTokenExpiresIn` seconds left, when known). */
  accessToken?: string;
  accessTokenExpiresIn?: number;
  /** Start from a stored refresh token alone. */
  refreshToken?: string;
  /** Receives every new token set before its access token is used; a throw or a rejected Promise fails the call. */
  onToken?: (tokenSet: TokenSet) => void | Promise<void>;
  /** The user's locale preference (checked against the platform). */
  locale?: Locale;
  acceptLanguage?: string;
  /** ms. */
  timeout?: number;
  connectTimeout?: number;
  maxRetries?: number;
  userAgentSuffix?: string;
  /** Largest response body read into memory, in bytes (64 MiB by default); a bigger one rejects with a `DecodeError` coded `response-too-large`. */
  maxResponseBytes?: number;
}

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export interface MpAds {
  collection(opts?: CallOptions): Promise<Json>;
  create(ad: Ad, opts?: CallOptions): Promise<Ad>;
  get(itemId: string, opts?: CallOptions): Promise<Ad>;
  replace(itemId: string, ad: Ad, opts?: CallOptions): Promise<Ad>;
  patch(itemId: string, ops: JsonPatchOperation[], opts?: CallOptions): Promise<Ad>;
  updateFrom(itemId: string, oldAd: Ad, newAd: Ad, opts?: CallOptions): Promise<Ad>;
  delete(itemId: string, opts?: CallOptions): Promise<null>;
  renew(itemId: string, options?: { orderId?: number } & CallOptions): Promise<Order>;
  statistics(itemId: string, opts?: CallOptions): Promise<Record<string, unknown>>;
  fitments(itemId: string, options?: { ktype?: boolean } & CallOptions): Promise<Json>;
}
export interface MpImages {
  list(itemId: string, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  add(itemId: string, urls: string[], options?: { replaceAll?: boolean } & CallOptions): Promise<Hal & Record<string, unknown>>;
  get(mediaId: string, opts?: CallOptions): Promise<Image>;
  /** `timeout` and `interval` in milliseconds (60 000 and 500). */
  waitUntilAvailable(mediaId: string, options?: { timeout?: number; interval?: number; signal?: AbortSignalLike; maxRetries?: number }): Promise<Image>;
  meta(mediaId: string, size: string, opts?: CallOptions): Promise<Json>;
}
export interface MpCategories {
  list(categoryId?: number, opts?: CallOptions): Promise<Category>;
  get(l1CategoryId: number, l2CategoryId?: number, opts?: CallOptions): Promise<Category>;
  attributes(l1CategoryId: number, l2CategoryId: number, opts?: CallOptions): Promise<Json>;
  fees(l1CategoryId: number, l2CategoryId: number, opts?: CallOptions): Promise<Json>;
}
export interface MpFeatures {
  list(itemId: string, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  get(itemId: string, name: string, opts?: CallOptions): Promise<Record<string, unknown>>;
  buy(itemId: string, name: string, options?: { orderId?: number } & CallOptions): Promise<Order>;
  purchased(itemId: string, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
}
export interface MpTransactions {
  list(itemId: string, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  get(itemId: string, transactionId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
  create(itemId: string, transaction: { buyerId: number; amount: number; shippingCosts: number }, opts?: CallOptions): Promise<Record<string, unknown>>;
}
export interface MpBids {
  list(itemId: string, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  get(itemId: string, bidId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
  delete(itemId: string, bidId: number, opts?: CallOptions): Promise<Json>;
  askBidderQuestion(itemId: string, bidId: number, options: { message: string; phoneNumber: string } & CallOptions): Promise<Json>;
}
export interface MpUpcalls {
  confirm(itemId: string, confirmation: Record<string, unknown>, opts?: CallOptions): Promise<null>;
}
export type ProfileImageKind = 'profile' | 'backdrop' | 'logo';
export interface MpUsers {
  me(opts?: CallOptions): Promise<User>;
  get(userId: number, opts?: CallOptions): Promise<User>;
  collection(opts?: CallOptions): Promise<Json>;
  create(user: Record<string, unknown>, opts?: CallOptions): Promise<User>;
  changeEmail(userId: number, newEmail: string, opts?: CallOptions): Promise<Record<string, unknown>>;
  /** A user's ads (`null`: the current user), paged lazily by offset. */
  ads(userId?: number | null, options?: ListOptions): PagedList<Ad>;
  adsPage(userId: number, options?: { offset?: number; limit?: number } & CallOptions): Promise<Hal & Record<string, unknown>>;
  brands(userId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
  profile(userId: number, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  replaceProfile(userId: number, profile: Record<string, unknown>, opts?: CallOptions): Promise<Record<string, unknown>>;
  patchProfile(userId: number, ops: JsonPatchOperation[], opts?: CallOptions): Promise<Record<string, unknown>>;
  readonly profileImage: {
    get(userId: number, kind: ProfileImageKind, opts?: CallOptions): Promise<Image>;
    add(userId: number, kind: ProfileImageKind, url: string, opts?: CallOptions): Promise<Image>;
    delete(userId: number, kind: ProfileImageKind, opts?: CallOptions): Promise<null>;
  };
  reviews(userId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
  reviewSettings(userId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
  replaceReviewSettings(userId: number, settings: Record<string, unknown>, opts?: CallOptions): Promise<Record<string, unknown>>;
  patchReviewSettings(userId: number, ops: JsonPatchOperation[], opts?: CallOptions): Promise<Record<string, unknown>>;
  features(userId: number, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  buyFeature(userId: number, name: string, options?: { orderId?: number } & CallOptions): Promise<Order>;
  statistics(userId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
  legalStatus(userId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
}
export interface MpOrders {
  get(orderId: number, opts?: CallOptions): Promise<Order>;
  products(orderId: number, opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  product(orderId: number, productId: number, opts?: CallOptions): Promise<Record<string, unknown>>;
}
export interface MpLocations {
  byPostcode(postcode: string, opts?: CallOptions): Promise<Record<string, unknown>>;
}

export interface SearchOptions extends CallOptions {
  query?: string;
  categoryId?: number;
  withImages?: boolean;
  searchDescription?: boolean;
  sellerId?: number;
  postCode?: string;
  distance?: number;
  sortBy?: string;
  sortOrder?: 'asc' | 'desc' | string;
  locale?: Locale;
  /** 1–200 (30). */
  pageSize?: number;
  /** At most 5000. */
  limit?: number;
}

/** A client of the Marktplaats API on one platform. Tokens are refreshed by the client. */
export class MarktplaatsClient {
  constructor(options: MarktplaatsClientOptions);
  readonly platform: Platform;
  readonly environment: string;
  readonly baseUrl: string;
  readonly ads: MpAds;
  readonly images: MpImages;
  readonly categories: MpCategories;
  readonly features: MpFeatures;
  readonly transactions: MpTransactions;
  readonly bids: MpBids;
  readonly upcalls: MpUpcalls;
  readonly users: MpUsers;
  readonly orders: MpOrders;
  readonly locations: MpLocations;
  authorizationUrl(options: { redirectUri: string; scopes?: string[]; state?: string } & CallOptions): Promise<{ url: string; state: string }>;
  exchangeCode(code: string, options: { redirectUri: string } & CallOptions): Promise<TokenSet>;
  authenticateClient(options: { scopes: string[] } & CallOptions): Promise<TokenSet>;
  authenticate(opts?: CallOptions): Promise<null>;
  /** The locale an entity with `locale` (or none) gets from this client. */
  resolveLocale(locale?: Locale | null, opts?: CallOptions): Promise<Locale>;
  root(opts?: CallOptions): Promise<Hal & Record<string, unknown>>;
  search(options: SearchOptions): PagedList<Ad>;
  searchPage(options: SearchOptions & { offset?: number }): Promise<Hal & Record<string, unknown>>;
  request<T = Json>(method: HttpMethod | Lowercase<HttpMethod>, path: string, json?: unknown, opts?: CallOptions): Promise<T>;
  withOptions(settings: { timeout?: number; maxRetries?: number }): MarktplaatsClient;
  close(): void;
  toJSON(): { platform: Platform; environment: string; baseUrl: string; closed: boolean };
  toString(): string;
}

/** The authorization URL and the `state` to check on the redirect (fresh and random unless given). */
export function authorizationUrl(options: {
  clientId: string;
  redirectUri: string;
  platform?: Platform;
  environment?: 'production' | 'sandbox';
  authBaseUrl?: string;
  authorizeUrl?: string;
  scopes?: string[];
  state?: string;
}): { url: string; state: string };
/** Check `X-Ecg-Signature` (hex HMAC-SHA256 of the raw body) in constant time. */
export function verifyWebhook(body: Buffer | Uint8Array | string, signature: string, secret: string): boolean;
/** The hex signature of a body. */
export function signWebhook(body: Buffer | Uint8Array | string, secret: string): string;
export function parseWebhook(body: Buffer | Uint8Array | string): WebhookEvent;
/** Entity locale, else user preference, else host default; refused (InvalidInputError) when the platform does not allow it. */
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
  /** Returns the bid id. */
  mpPlaceBid(platform: Platform, itemId: string, amount: number, nickName?: string): number;
  mpSendWebhook(eventType: string, eventData?: Record<string, unknown>): void;
  mpAd(platform: Platform, itemId: string): Ad | null;
  mpSeedAds(platform: Platform, count: number, titlePrefix?: string): void;
  /** Approve an authorization URL as the demo user would in a browser. */
  mpApprove(url: string): { code: string; state: string | null };
  mpSetAdExpiry(platform: Platform, itemId: string, days: number): boolean;
  /** A client for `platform` logged in through the code flow (the simulator approves at once). */
  marktplaatsClient(platform?: Platform, options?: Partial<MarktplaatsClientOptions>): Promise<MarktplaatsClient>;
  /** Shut the server down; counters stay readable. */
  stop(): Promise<void>;
}

/** Start a simulator on a free loopback port. */
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
