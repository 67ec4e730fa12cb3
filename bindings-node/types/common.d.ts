// What the generated declarations of both APIs share (hand-written).

import type { Readable } from 'node:stream';

/** The part of an `AbortSignal` sellkit uses (a DOM or Node `AbortSignal` fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Settings of one call, beside its options. An aborted `signal` rejects the call with an error named `AbortError`. */
export interface CallSettings {
  signal?: AbortSignalLike | undefined;
  /** Time for one attempt, in milliseconds. */
  timeout?: number | undefined;
  /** Retries after the first attempt (0–10). */
  maxRetries?: number | undefined;
}

/** The fields of a log record: the logger it belongs to (`sellkit.http`, `sellkit.auth`, `sellkit`) and the record's own (`method`, `path`, `attempt`, `status`, `elapsed_ms`, ...). */
export interface LogFields {
  logger: string;
  [field: string]: unknown;
}

/** What a client's `logger` must have: one method per level, called with the record's message and its fields (`console`, pino and winston loggers fit). */
export interface Logger {
  debug(message: string, fields: LogFields): unknown;
  info(message: string, fields: LogFields): unknown;
  warn(message: string, fields: LogFields): unknown;
  error(message: string, fields: LogFields): unknown;
}

/** The least severe records a client sends to its `logger`, or `off`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** The settings `withOptions` changes for every call of the derived client. */
export interface ClientSettings {
  /** Time for one attempt, in milliseconds. */
  timeout?: number | undefined;
  /** Retries after the first attempt (0–10). */
  maxRetries?: number | undefined;
}

/**
 * A file to upload: a path, `{filename, data, contentType?}` with a Buffer, a string or a
 * readable stream as `data` (give a stream's `length` in bytes, and the upload's total size is
 * known: a `Content-Length` and a progress total), or a readable stream (an `fs.ReadStream` of a
 * whole file is read from disk, so a retry can send it again; other streams are read once).
 */
export type FileSource =
  | string
  | { filename: string; data: Buffer | Uint8Array | string | Readable; contentType?: string; length?: number }
  | Readable;

/** Called with the bytes sent so far and the total (0 when unknown), at most every 50 ms and at the end. */
export type ProgressCallback = (sent: number, total: number) => void;

/**
 * A lazily paged list: `for await (const item of list)` fetches a page when the previous one is
 * used up; `nextPage()` gives whole pages (`null` at the end). A list is consumed once.
 */
export declare class PagedList<T> implements AsyncIterable<T> {
  private constructor();
  nextPage(): Promise<T[] | null>;
  toArray(): Promise<T[]>;
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

/** The result of a batch: one entry per input item, in input order; a failed item is data. */
export declare class BatchResult<E> {
  private constructor();
  /** One entry per input item. */
  readonly items: E[];
  /** The entries that failed. */
  readonly failed: E[];
  /** Whether every item succeeded. */
  readonly allOk: boolean;
  /** Throw the `BatchError` that reports the failed items, unless every item succeeded. */
  throwForFailures(): this;
  toJSON(): { items: E[]; failed: E[]; allOk: boolean };
}

/** What both clients share. */
export declare class ClientBase {
  /** Whether `close()` was called. */
  readonly closed: boolean;
  /** Release the client: calls already running finish, new calls fail. */
  close(): void;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
}
