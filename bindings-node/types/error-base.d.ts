// The root of sellkit's errors and the members some error classes add (hand-written). The
// classes under `SellkitError` are generated from core's error table (types/errors.d.ts).

import type { ErrorKind } from './errors';

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

/** What a `BatchError` adds: the failed entries and their input positions. */
export interface BatchFailures {
  /** The failed entries (`{index, ok, code, message, data, ...}`). */
  readonly failed: unknown[];
  /** Their input positions. */
  readonly indices: number[];
}
