'use strict';
// `patch`: the community JSON Patch suite (tests/fixtures/json-patch-tests) with the checks of
// core/tests/json_patch_suite.rs, and what the Node surface adds: conversion, errors, atomicity,
// numbers.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { patch, InvalidInputError, ConflictError, SellkitError } = require('sellkit');

const SUITE = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'json-patch-tests');

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

function checkDiff(oldDoc, newDoc) {
  const ops = patch.diff(oldDoc, newDoc);
  for (const op of ops) assert.ok(['add', 'remove', 'replace'].includes(op.op), `diff emitted ${op.op}`);
  patch.validate(ops, { serverSafe: true });
  assert.deepStrictEqual(patch.apply(oldDoc, ops), newDoc, `diff round trip: ${JSON.stringify(ops)}`);
  if (JSON.stringify(oldDoc) === JSON.stringify(newDoc)) assert.deepStrictEqual(ops, []);
  let equal = true;
  try {
    assert.deepStrictEqual(oldDoc, newDoc);
  } catch {
    equal = false;
  }
  if (equal) assert.deepStrictEqual(ops, [], 'the diff of equal values is not empty');
}

function runCase(c) {
  const doc = c.doc;
  const before = JSON.stringify(doc);
  const copy = structuredClone(doc);
  if ('error' in c) {
    // Refused while parsing, or while applying; either way the input is untouched.
    try {
      patch.parse(c.patch);
    } catch (e) {
      assert.ok(e instanceof InvalidInputError, `parse failed with ${e}`);
      return;
    }
    const e = thrown(() => patch.apply(doc, c.patch));
    assert.ok(e instanceof SellkitError, `expected a SellkitError, got ${e}`);
    assert.equal(JSON.stringify(doc), before, 'a failed apply changed the document');
    assert.deepStrictEqual(doc, copy);
    return;
  }
  const ops = patch.parse(c.patch);
  const out = patch.apply(doc, c.patch);
  assert.equal(JSON.stringify(doc), before, 'apply changed its input');
  assert.deepStrictEqual(patch.apply(doc, ops), out, 'the parsed patch applies differently');
  assert.deepStrictEqual(patch.parse(ops), ops, 'the normal form does not survive a round trip');
  if ('expected' in c) {
    assert.deepStrictEqual(out, c.expected);
    checkDiff(doc, c.expected);
  }
}

function runFile(name) {
  const cases = JSON.parse(fs.readFileSync(path.join(SUITE, name), 'utf8'));
  const enabled = cases.filter((c) => c.disabled !== true);
  const failures = [];
  enabled.forEach((c, i) => {
    try {
      runCase(c);
    } catch (e) {
      failures.push(`${name} enabled case ${i} (${c.comment ?? ''}): ${e.message}\n    ${JSON.stringify(c)}`);
    }
  });
  const passed = enabled.length - failures.length;
  console.log(`${name}: passed ${passed} of ${enabled.length} enabled cases (${cases.length - enabled.length} disabled skipped)`);
  return { passed, total: enabled.length, failures };
}

test('the community suite passes', () => {
  const a = runFile('tests.json');
  const b = runFile('spec_tests.json');
  const passed = a.passed + b.passed;
  const total = a.total + b.total;
  console.log(`json-patch-tests: passed ${passed} of ${total} enabled cases`);
  assert.deepStrictEqual([...a.failures, ...b.failures], []);
  assert.equal(passed, total);
  assert.ok(passed >= 100, `only ${passed} cases ran`);
});

// ---- server-safe subset ----

test('move, copy and test are refused by validate({serverSafe: true})', () => {
  for (const unsafe of [
    { op: 'move', from: '/a', path: '/b' },
    { op: 'copy', from: '/a', path: '/b' },
    { op: 'test', path: '/a', value: 1 },
  ]) {
    const ops = [{ op: 'replace', path: '/a', value: 1 }, unsafe];
    patch.validate(ops);
    patch.validate(ops, { serverSafe: false });
    const e = thrown(() => patch.validate(ops, { serverSafe: true }));
    assert.ok(e instanceof InvalidInputError, String(e));
    assert.equal(e.code, 'invalid-patch-operation');
    assert.equal(e.field, 'ops[1].op');
    assert.equal(e.details[0].field, 'ops[1].op');
    assert.match(e.message, new RegExp(`'${unsafe.op}'`));
    assert.equal(patch.isSafeToRepeat(ops), unsafe.op === 'test');
  }
  patch.validate([{ op: 'add', path: '/a', value: 1 }, { op: 'remove', path: '/b' }, { op: 'replace', path: '/c', value: null }],
    { serverSafe: true });
});

test('validate refuses a move into its own child, and bad options', () => {
  const e = thrown(() => patch.validate([{ op: 'move', from: '/a', path: '/a/b' }]));
  assert.equal(e.code, 'invalid-patch');
  assert.equal(e.field, 'ops[0].path');
  assert.equal(thrown(() => patch.validate([], { serverSafe: 'yes' })).field, 'serverSafe');
  assert.equal(thrown(() => patch.validate([], true)).field, 'options');
});

test('isSafeToRepeat', () => {
  assert.equal(patch.isSafeToRepeat([]), true);
  assert.equal(patch.isSafeToRepeat([{ op: 'replace', path: '/a', value: 1 }, { op: 'add', path: '/title', value: 'x' }]), true);
  assert.equal(patch.isSafeToRepeat([{ op: 'add', path: '/images/-', value: 1 }]), false);
  assert.equal(patch.isSafeToRepeat([{ op: 'remove', path: '/a' }]), false);
});

// ---- apply: a copy, atomically ----

function deepFreeze(v) {
  if (v && typeof v === 'object') {
    Object.values(v).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

test('apply returns a new document and never touches its input', () => {
  const doc = deepFreeze({ a: { b: [1, 2] }, keep: { x: 1 } });
  const out = patch.apply(doc, [{ op: 'add', path: '/a/b/-', value: 3 }]);
  assert.deepStrictEqual(out, { a: { b: [1, 2, 3] }, keep: { x: 1 } });
  assert.deepStrictEqual(doc, { a: { b: [1, 2] }, keep: { x: 1 } });
  assert.notEqual(out.keep, doc.keep);
  out.keep.x = 2;
  assert.equal(doc.keep.x, 1);
  assert.deepStrictEqual(patch.apply(doc, []), doc);
});

test('a failing patch changes nothing and names the operation', () => {
  const cases = [
    [[{ op: 'remove', path: '/missing' }], 0],
    [[{ op: 'replace', path: '/a', value: 9 }, { op: 'remove', path: '/tags/5' }], 1],
    [[
      { op: 'remove', path: '/tags/0' },
      { op: 'move', from: '/a', path: '/moved' },
      { op: 'add', path: '/n/x', value: 1 },
      { op: 'test', path: '/moved', value: 2 },
    ], 3],
    [[{ op: 'add', path: '/tags/9', value: 1 }], 0],
  ];
  for (const [ops, failing] of cases) {
    const doc = { a: 1, tags: ['x', 'y'], n: {} };
    const before = JSON.stringify(doc);
    const e = thrown(() => patch.apply(doc, ops));
    assert.ok(e instanceof ConflictError, String(e));
    assert.equal(e.code, 'conflicting-state');
    assert.equal(e.kind, 'conflict');
    assert.equal(e.field, `ops[${failing}]`);
    assert.match(e.message, new RegExp(`ops\\[${failing}\\]`));
    assert.equal(JSON.stringify(doc), before);
  }
});

test('malformed patches name the member', () => {
  const cases = [
    [{ op: 'add' }, 'ops'],
    [[1], 'ops[0]'],
    [[{ op: 'add', path: '/a', value: 1 }, { path: '/a' }], 'ops[1].op'],
    [[{ op: 'spam', path: '/a' }], 'ops[0].op'],
    [[{ op: 'add', path: 'a', value: 1 }], 'ops[0].path'],
    [[{ op: 'add', path: '/a' }], 'ops[0].value'],
    [[{ op: 'add', path: '/a', value: undefined }], 'ops[0].value'],
    [[{ op: 'copy', path: '/a', from: '/~x' }], 'ops[0].from'],
  ];
  for (const [ops, field] of cases) {
    for (const call of [() => patch.parse(ops), () => patch.apply({}, ops), () => patch.validate(ops), () => patch.isSafeToRepeat(ops)]) {
      const e = thrown(call);
      assert.ok(e instanceof InvalidInputError, String(e));
      assert.deepEqual([e.code, e.field], ['invalid-patch', field], JSON.stringify(ops));
    }
  }
});

test('parse gives the normal form', () => {
  const ops = patch.parse([{ path: '/~01', op: 'add', value: null, extra: 1 }, { from: '/a', op: 'move', path: '/b' }]);
  assert.deepStrictEqual(ops, [{ op: 'add', path: '/~01', value: null }, { op: 'move', from: '/a', path: '/b' }]);
  assert.deepStrictEqual(ops.map(Object.keys), [['op', 'path', 'value'], ['op', 'from', 'path']]);
});

// ---- keys and values ----

test('unicode keys, and ~ and / in keys', () => {
  const oldDoc = { 'a/b': 1, '~': 1, '': 1, 'ü': { '€': [1] }, '日本': 'x', '🚀': 1 };
  const newDoc = { 'a/b': 2, '~1': 1, 'ü': { '€': [1, 2] }, '日本': 'y', '🚀': 1 };
  const ops = patch.diff(oldDoc, newDoc);
  assert.deepStrictEqual(new Set(ops.map((op) => op.path)), new Set(['/a~1b', '/~0', '/', '/~01', '/ü/€/1', '/日本']));
  assert.deepStrictEqual(patch.apply(oldDoc, ops), newDoc);
  const out = patch.apply({}, [{ op: 'add', path: '/x~1y~0z', value: 1 }, { op: 'copy', from: '/x~1y~0z', path: '/é' }]);
  assert.deepStrictEqual(out, { 'x/y~z': 1, 'é': 1 });
  assert.deepStrictEqual(Object.keys(out), ['x/y~z', 'é']);
  const e = thrown(() => patch.apply({ bad: 'a\ud800b' }, []));
  assert.ok(e instanceof InvalidInputError);
  assert.equal(e.field, 'doc.bad');
});

test('numbers above 2^53: the double JS holds is kept exactly; BigInts are refused', () => {
  // JS numbers are doubles: 2 ** 53 + 1 does not exist as a number, so it is 2 ** 53 before
  // sellkit sees it, and the two "differ" by nothing.
  assert.equal(2 ** 53 + 1, 2 ** 53);
  assert.deepStrictEqual(patch.diff({ n: 2 ** 53 }, { n: 2 ** 53 + 1 }), []);
  // Integral doubles within 64 bits cross as exact integers, beyond as floats; all come back equal.
  for (const n of [2 ** 53, 2 ** 53 + 2, 2 ** 60, 2 ** 63, -(2 ** 63), 2 ** 64 - 2048, 2 ** 64, 1e21, 1.7976931348623157e308, 0.1, -0.5]) {
    const out = patch.apply({ n: 0 }, [{ op: 'replace', path: '/n', value: n }, { op: 'test', path: '/n', value: n }]);
    assert.equal(out.n, n);
    assert.deepStrictEqual(patch.diff({ n: 1 }, { n }), [{ op: 'replace', path: '/n', value: n }]);
    assert.deepStrictEqual(patch.diff({ n }, { n }), []);
  }
  // -0 is 0 in JSON (as in JSON.stringify).
  assert.ok(Object.is(patch.apply({}, [{ op: 'add', path: '/z', value: -0 }]).z, 0));
  // A BigInt, which could hold the exact value, is not JSON: refused, with its path.
  const e = thrown(() => patch.apply({}, [{ op: 'add', path: '/n', value: 9007199254740993n }]));
  assert.ok(e instanceof InvalidInputError);
  assert.equal(e.field, 'ops[0].value');
  assert.match(e.message, /BigInt/);
});

test('NaN and Infinity are refused with their path', () => {
  const cases = [
    [() => patch.apply({ a: [1, { b: NaN }] }, []), 'doc.a[1].b', 'NaN'],
    [() => patch.apply({}, [{ op: 'add', path: '/x', value: Infinity }]), 'ops[0].value', 'Infinity'],
    [() => patch.apply({}, [{ op: 'add', path: '/x', value: { deep: [-Infinity] } }]), 'ops[0].value.deep[0]', '-Infinity'],
    [() => patch.diff({}, { x: NaN }), 'newDoc.x', 'NaN'],
    [() => patch.diff([Infinity], []), 'oldDoc[0]', 'Infinity'],
    [() => patch.validate([{ op: 'test', path: '/x', value: NaN }]), 'ops[0].value', 'NaN'],
    [() => patch.diff(NaN, 1), 'oldDoc', 'NaN'],
  ];
  for (const [call, field, word] of cases) {
    const e = thrown(call);
    assert.ok(e instanceof InvalidInputError, String(e));
    assert.equal(e.code, 'invalid-input');
    assert.equal(e.field, field);
    assert.ok(e.message.includes(word), e.message);
  }
});

test('values cross as JSON.stringify sends them', () => {
  const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  const doc = {
    gone: undefined, fn() {}, [Symbol('s')]: 1, date: when, list: [undefined, () => 1, Symbol('x')],
    custom: { toJSON: () => ({ as: 'json' }) }, nested: { keep: true },
  };
  const out = patch.apply(doc, []);
  assert.deepStrictEqual(out, JSON.parse(JSON.stringify(doc)));
  assert.deepStrictEqual(out, {
    date: '2024-01-02T03:04:05.000Z', list: [null, null, null], custom: { as: 'json' }, nested: { keep: true },
  });
  // A value that contains itself is refused, not a crash.
  const cyclic = { a: {} };
  cyclic.a.self = cyclic;
  const e = thrown(() => patch.apply(cyclic, []));
  assert.ok(e instanceof InvalidInputError);
  assert.match(e.message, /nested deeper/);
  // The document itself must be a JSON value.
  assert.equal(thrown(() => patch.apply(undefined, [])).field, 'doc');
  assert.equal(thrown(() => patch.diff({}, () => 1)).field, 'newDoc');
});

test('a toJSON that calls patch itself gets its own encoder', () => {
  const inner = { toJSON: () => patch.diff({ a: 1 }, { a: 2 }) };
  assert.deepStrictEqual(patch.apply({ x: inner, y: 'after' }, []), {
    x: [{ op: 'replace', path: '/a', value: 2 }], y: 'after',
  });
});

test('a large document (over a megabyte) round trips', () => {
  const oldDoc = { ads: Array.from({ length: 6000 }, (_, i) => ({ id: i, title: `ad ${i} ${'x'.repeat(120)}`, price: { cents: i * 100 }, tags: ['a', 'ü'] })) };
  assert.ok(JSON.stringify(oldDoc).length > 1_000_000);
  const newDoc = structuredClone(oldDoc);
  newDoc.ads[10].price.cents = 1;
  delete newDoc.ads[4000].title;
  newDoc.ads.push({ id: -1 });
  const ops = patch.diff(oldDoc, newDoc);
  assert.deepStrictEqual(ops, [
    { op: 'replace', path: '/ads/10/price/cents', value: 1 },
    { op: 'remove', path: '/ads/4000/title' },
    { op: 'add', path: '/ads/6000', value: { id: -1 } },
  ]);
  assert.deepStrictEqual(patch.apply(oldDoc, ops), newDoc);
  // The encoder's buffer is let go after a big call; small calls still work.
  assert.deepStrictEqual(patch.diff({ a: 1 }, {}), [{ op: 'remove', path: '/a' }]);
});

// diff reads the documents in place: keys in another order, objects large enough to be looked up
// through a sorted index (over 16 members), and non-ASCII keys and strings (copied, not borrowed).
test('diff compares objects by key whatever the order, size or alphabet of their keys', () => {
  const wide = (n, f) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, f(i)]));
  const oldDoc = { big: wide(40, (i) => i), small: { a: 1, b: [1, 2] }, 'clé/ü': 'välue' };
  // The same members, reversed at every level: nothing to do.
  const reversed = (o) => (o && typeof o === 'object' && !Array.isArray(o)
    ? Object.fromEntries(Object.entries(o).reverse().map(([k, v]) => [k, reversed(v)])) : o);
  assert.deepStrictEqual(patch.diff(oldDoc, reversed(oldDoc)), []);
  // Reordered and changed: one replace per changed member, found by key.
  const newDoc = reversed(oldDoc);
  newDoc.big.k7 = 'seven';
  newDoc.small.b = [1, 3];
  newDoc['clé/ü'] = 'välüe';
  assert.deepStrictEqual(patch.diff(oldDoc, newDoc), [
    { op: 'replace', path: '/clé~1ü', value: 'välüe' },
    { op: 'replace', path: '/small/b/1', value: 3 },
    { op: 'replace', path: '/big/k7', value: 'seven' },
  ]);
  // Same size, one key swapped for another: a remove and an add, never a pairing by position.
  const swapped = wide(40, (i) => i);
  delete swapped.k39;
  swapped['ключ'] = 39;
  assert.deepStrictEqual(patch.diff(wide(40, (i) => i), swapped), [
    { op: 'remove', path: '/k39' },
    { op: 'add', path: '/ключ', value: 39 },
  ]);
  checkDiff(oldDoc, newDoc);
  checkDiff(wide(40, (i) => i), swapped);
  // Deep equality of reordered objects inside arrays of different lengths (the common prefix).
  assert.deepStrictEqual(patch.diff([oldDoc, 1], [reversed(oldDoc), 1, 2]), [{ op: 'add', path: '/2', value: 2 }]);
});

test('patch is exported and frozen', () => {
  assert.deepEqual(Object.keys(patch).sort(), ['apply', 'diff', 'isSafeToRepeat', 'parse', 'validate']);
  assert.ok(Object.isFrozen(patch));
});
