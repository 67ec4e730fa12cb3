'use strict';
// JS values → the compact form in which they cross to the native layer (decoded by
// src/convert.rs). Conversion only: what a value means is decided by the Rust core.
//
// Why not JSON text or Node-API object walking? Measured on a 1 MB document (Node 20, see
// src/convert.rs for the numbers): reading a value property by property through Node-API costs
// ~400 ns a node (V8 lookups behind every call); JSON.stringify + serde_json costs more and turns
// NaN into null without a word. This walk runs as JIT-compiled JS and hands Rust two things it
// reads in one call each: a Float64Array of tags, lengths and numbers, and all strings (keys and
// values) concatenated into one string.
//
// Values follow JSON.stringify: `toJSON()` is called (a Date becomes its ISO string in UTC,
// which core reads wherever a timestamp goes), members that are undefined, functions or symbols
// are left out (in arrays they become null), symbol keys are skipped. Unlike JSON.stringify, NaN,
// ±Infinity, BigInts and invalid Dates reach the native layer tagged as they are, which refuses
// them with the path of the value. In a call's arguments, a
// `Map` or a fetch `Headers` crosses as the object of its entries.

// Tags (kept in step with src/convert.rs).
const NULL = 0, FALSE = 1, TRUE = 2, NUMBER = 3, STRING = 4, ARRAY = 5, OBJECT = 6, BIGINT = 7, SKIP = 8, DEEP = 9, BUFFER = 10,
  INVALID_DATE = 11;
/** Deeper than this is most likely a value that contains itself (core's limit). */
const { MAX_DEPTH } = require('./native.js');
/** Above this many codes a grown buffer is let go after the call, not kept for the next one. */
const KEEP_CODES = 1 << 16;

class Encoder {
  constructor() {
    this.codes = new Float64Array(4096);
    this.n = 0;
    this.text = '';
    /** For the arguments of a call: where Buffers, streams and the callback go (see `encodeCall`). */
    this.extras = null;
  }

  push(x) {
    if (this.n === this.codes.length) {
      const bigger = new Float64Array(this.codes.length * 2);
      bigger.set(this.codes);
      this.codes = bigger;
    }
    this.codes[this.n++] = x;
  }

  // `typeof x === '...'` comparisons, not a `switch (typeof x)` or a helper taking the
  // typeof string: V8 compiles the comparisons to type checks, while a typeof value it has to
  // materialise costs a builtin call per value (8% of a 1 MB diff).
  value(v, depth) {
    if (typeof v === 'string') {
      this.push(STRING); this.push(v.length); this.text += v;
      return;
    }
    if (typeof v === 'number') {
      this.push(NUMBER); this.push(v);
      return;
    }
    if (typeof v === 'boolean') {
      this.push(v ? TRUE : FALSE);
      return;
    }
    if (typeof v === 'bigint') {
      this.push(BIGINT);
      return;
    }
    if (typeof v === 'function' && this.extras !== null) {
      this.value(this.extras.takeCallback(v), depth);
      return;
    }
    if (typeof v !== 'object') { // undefined, function, symbol: nothing, as in JSON.stringify
      this.push(SKIP);
      return;
    }
    if (v === null) { this.push(NULL); return; }
    if (depth >= MAX_DEPTH) { this.push(DEEP); return; }
    if (this.extras !== null) {
      if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
        this.push(BUFFER); this.push(this.extras.addBuffer(v));
        return;
      }
      if (this.extras.isStream(v)) {
        this.value(this.extras.addStream(v), depth);
        return;
      }
      // A fetch `Headers` or a `Map` (request headers, mostly) crosses as the object of its
      // entries; JSON.stringify would make either `{}`.
      if (v instanceof Map || (typeof Headers === 'function' && v instanceof Headers)) {
        this.value(Object.fromEntries(v), depth);
        return;
      }
    }
    if (Array.isArray(v)) {
      const len = v.length;
      this.push(ARRAY); this.push(len);
      for (let i = 0; i < len; i++) {
        const x = v[i];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') this.push(NULL);
        else this.value(x, depth + 1);
      }
      return;
    }
    if (typeof v.toJSON === 'function') {
      // A Date crosses as its ISO 8601 text in UTC (its toJSON); an invalid one, whose toJSON
      // is null, would silently be an absent value: it is tagged to be refused.
      if (v instanceof Date && Number.isNaN(v.getTime())) {
        this.push(INVALID_DATE);
        return;
      }
      this.value(v.toJSON(), depth + 1);
      return;
    }
    const keys = Object.keys(v);
    this.push(OBJECT);
    const countAt = this.n;
    this.push(0);
    let count = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const x = v[k];
      // A function member is left out, as in JSON.stringify, unless it is a call's callback.
      if (x === undefined || typeof x === 'symbol' || (typeof x === 'function' && this.extras === null)) continue;
      this.push(k.length); this.text += k;
      this.value(x, depth + 1);
      count++;
    }
    this.codes[countAt] = count;
  }
}

/** One encoder is kept between calls; a call made from inside a `toJSON` gets its own. */
let idle = new Encoder();

/**
 * Encode the values in order and pass `(codes, text)` to `use`, which must decode them before it
 * returns (the buffer is reused by the next call). With `extras` (the arguments of a call),
 * Buffers and typed arrays go to `extras.addBuffer` (tagged by index), readable streams to
 * `extras.addStream` and a function to `extras.takeCallback` (each encoded as what those return).
 */
function withEncoded(values, use, extras = null) {
  const e = idle ?? new Encoder();
  idle = null;
  e.n = 0;
  e.text = '';
  e.extras = extras;
  try {
    for (const v of values) e.value(v, 0);
    return use(e.codes.subarray(0, e.n), e.text);
  } finally {
    e.text = '';
    e.extras = null;
    if (e.codes.length > KEEP_CODES) e.codes = new Float64Array(4096);
    idle = e;
  }
}

module.exports = { withEncoded };
