'use strict';
// The Node surface against the catalogue in the Rust core (`catalogue()` of the native module):
// every operation is a method of the right object (a resource, the client, or a module function)
// that takes exactly the required parameters by position, in order, then one options object; the
// TypeScript declarations declare the same methods with the camelCase names of the other
// parameters as options; resource objects and clients hold nothing else. lib/eqp.js,
// lib/marktplaats.js and types/*.d.ts are generated from the catalogue: a hand edit that changes
// what they offer fails here (and `cargo run -p sellkit-codegen -- --check` catches any edit).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const native = require('../lib/native.js');
const sellkit = require('sellkit');

const CATALOGUE = JSON.parse(native.catalogue());
const APIS = ['eqp', 'marktplaats'];
const CLIENTS = { eqp: sellkit.EqpClient, marktplaats: sellkit.MarktplaatsClient };
const SETTINGS = ['signal', 'timeout', 'maxRetries'];
const HELPERS = { call: 'invoke', upload: 'invoke', batch: 'invokeBatch', list: 'openList', function: 'callFunction' };

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) => camel(s).replace(/^./, (c) => c.toUpperCase());

/** A client made without sending anything. */
function client(api) {
  return api === 'eqp'
    ? new sellkit.EqpClient({ appId: 'id', appSecret: 'secret', baseUrl: 'http://127.0.0.1:9' })
    : new sellkit.MarktplaatsClient({ accessToken: 'token', baseUrl: 'http://127.0.0.1:9' });
}

/** The catalogue's view of one API: its operations, functions and resources. */
function described(api) {
  const ops = CATALOGUE[api].operations;
  const resources = new Set();
  for (const op of ops) {
    if (op.kind === 'function') continue;
    const parts = op.name.split('.').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) resources.add(parts.slice(0, i).join('.'));
  }
  const split = (op) => {
    const at = op.name.lastIndexOf('.');
    return at < 0 ? ['', op.name] : [op.name.slice(0, at), op.name.slice(at + 1)];
  };
  return {
    ops: ops.filter((o) => o.kind !== 'function').map((o) => ({ ...o, resource: split(o)[0], method: split(o)[1] })),
    functions: ops.filter((o) => o.kind === 'function'),
    resources: [...resources],
    children: (parent) => [...resources].filter((r) => (parent === '' ? !r.includes('.') : r.startsWith(`${parent}.`) && !r.slice(parent.length + 1).includes('.'))),
    properties: CATALOGUE[api].properties,
  };
}

/** The object at resource `path` of `c` (`users.keys` → c.users.keys). */
function resourceOf(c, p) {
  return p === '' ? c : p.split('.').reduce((o, k) => o?.[camel(k)], c);
}

/** A function's parameter names, from its source (`get(itemId, options) {`). */
function parameterNames(fn) {
  const src = Function.prototype.toString.call(fn);
  const m = /^[^(]*\(([^)]*)\)/.exec(src);
  assert.ok(m, `cannot read the parameters of ${src.slice(0, 80)}`);
  return m[1].split(',').map((s) => s.trim()).filter(Boolean);
}

/** How a generated method hands its arguments on: the helper, the operation and the positional values. */
function forwarding(fn) {
  const src = Function.prototype.toString.call(fn);
  // A function whose result is an instant wraps the call in `new Date(...)`.
  const m = /return (?:new Date\()?(\w+)\((?:this\.#client|this|"\w+"), "([^"]+)"(?:, "([^"]+)")?, \[([^\]]*)\], (options|null), arguments\.length\)/.exec(src);
  assert.ok(m, `not a generated method: ${src}`);
  const [, helper, first, second, values, options] = m;
  return { helper, op: second ?? first, values: values.split(',').map((s) => s.trim()).filter(Boolean), options };
}

/** What an object's prototype defines besides its constructor (string keys only). */
function protoNames(obj) {
  return Object.getOwnPropertyNames(Object.getPrototypeOf(obj)).filter((n) => n !== 'constructor').sort();
}

// ---------------------------------------------------------------------------------------------
// The declarations, read from types/<api>.d.ts (the generated shape: one member per line).

/** `a, b: {x; y}, c` → its parts at depth 0. */
function splitTop(text, sep) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ('([{<'.includes(c)) depth++;
    else if (')]}'.includes(c) || (c === '>' && text[i - 1] !== '=')) depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((s) => s.trim()).filter(Boolean);
}

/** A declared parameter list → `[{name, optional, type}]`. */
function declaredParams(list) {
  return splitTop(list, ',').map((p) => {
    const m = /^(\w+)(\??):\s*([\s\S]*)$/.exec(p);
    assert.ok(m, `cannot read the parameter ${p}`);
    return { name: m[1], optional: m[2] === '?', type: m[3] };
  });
}

/** The member names of an options type (`{ a?: T; b?: U } & CallSettings`), and whether the call settings are in it. */
function optionNames(type) {
  const names = [];
  const object = /^\{([\s\S]*)\}/.exec(type);
  if (object) {
    for (const member of splitTop(object[1], ';')) {
      const m = /^(\w+)\?:/.exec(member);
      assert.ok(m, `an option that is not optional: ${member}`);
      names.push(m[1]);
    }
  }
  return { names, settings: /\bCallSettings\b/.test(type), omitted: [...type.matchAll(/Omit<CallSettings, ([^>]*)>/g)].flatMap((m) => m[1].split('|').map((s) => JSON.parse(s.trim()))) };
}

/** The classes and functions declared in `types/<api>.d.ts`. */
function declarations(api) {
  const text = fs.readFileSync(path.join(__dirname, '..', 'types', `${api}.d.ts`), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '');
  const classes = {};
  for (const m of text.matchAll(/^export declare class (\w+)(?: extends \w+)? \{\n([\s\S]*?)^\}/gm)) {
    const members = { methods: {}, readonly: {}, other: [] };
    for (const raw of m[2].split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      let x;
      if ((x = /^readonly (\w+): (.*);$/.exec(line))) members.readonly[x[1]] = x[2];
      else if ((x = /^(\w+)(?:<[^>(]*>)?\(([\s\S]*)\): ([^:]*);$/.exec(line))) members.methods[x[1]] = { params: declaredParams(x[2]), returns: x[3] };
      else members.other.push(line);
    }
    classes[m[1]] = members;
  }
  const functions = {};
  for (const m of text.matchAll(/^export declare function (\w+)\(([^\n]*)\): ([^\n]*);$/gm)) {
    functions[m[1]] = { params: declaredParams(m[2]), returns: m[3] };
  }
  const optionsInterface = new RegExp(`^export interface ${CLIENTS[api].name}Options \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(text);
  const clientOptions = optionsInterface ? [...optionsInterface[1].matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]) : null;
  return { classes, functions, clientOptions };
}

// ---------------------------------------------------------------------------------------------

test('the catalogue lists both APIs with operations of every kind', () => {
  assert.deepEqual(Object.keys(CATALOGUE).sort(), APIS);
  const kinds = new Set(APIS.flatMap((api) => CATALOGUE[api].operations.map((o) => o.kind)));
  assert.deepEqual([...kinds].sort(), ['batch', 'call', 'function', 'list', 'upload']);
  assert.ok(APIS.every((api) => CATALOGUE[api].operations.length >= 20));
});

for (const api of APIS) {
  const d = described(api);

  test(`${api}: every operation is a method taking its required parameters by position, then options`, () => {
    const c = client(api);
    for (const op of d.ops) {
      const owner = resourceOf(c, op.resource);
      assert.ok(owner, `${op.name}: no object at ${op.resource}`);
      const fn = owner[camel(op.method)];
      assert.equal(typeof fn, 'function', `${op.name}: no method ${camel(op.method)}`);
      const required = op.params.filter((p) => p.required).map((p) => camel(p.name));
      assert.deepEqual(parameterNames(fn), [...required, 'options'], `${op.name}: parameters`);
      assert.equal(fn.length, required.length + 1, `${op.name}: length`);
      const f = forwarding(fn);
      assert.equal(f.op, op.name, `${camel(op.method)} runs another operation`);
      assert.equal(f.helper, HELPERS[op.kind], `${op.name}: a ${op.kind} is run by ${HELPERS[op.kind]}`);
      assert.deepEqual(f.values, required, `${op.name}: the positional values passed on`);
      assert.equal(f.options, 'options', `${op.name}: the options passed on`);
    }
  });

  test(`${api}: every function is a module function of the same shape`, () => {
    const mod = sellkit[api];
    for (const op of d.functions) {
      const fn = mod[camel(op.name)];
      assert.equal(typeof fn, 'function', `no function ${camel(op.name)}`);
      const required = op.params.filter((p) => p.required).map((p) => camel(p.name));
      const takesOptions = op.params.some((p) => !p.required);
      assert.deepEqual(parameterNames(fn), takesOptions ? [...required, 'options'] : required, `${op.name}: parameters`);
      const f = forwarding(fn);
      assert.deepEqual([f.helper, f.op, f.values, f.options], ['callFunction', op.name, required, takesOptions ? 'options' : 'null']);
      // The package's root exports the same function.
      assert.equal(sellkit[camel(op.name)], fn, `sellkit.${camel(op.name)}`);
    }
  });

  test(`${api}: resource objects and the client hold their operations and resources, nothing else`, () => {
    const c = client(api);
    for (const r of d.resources) {
      const obj = resourceOf(c, r);
      const want = [...d.ops.filter((o) => o.resource === r).map((o) => camel(o.method)), ...d.children(r).map((x) => camel(x.split('.').at(-1)))];
      assert.deepEqual(protoNames(obj), want.sort(), `client.${r}`);
      assert.deepEqual(Object.keys(obj), [], `client.${r} has no own enumerable properties`);
      assert.equal(obj.constructor.name, pascal(r.split('.').at(-1)));
    }
    const want = [
      ...d.ops.filter((o) => o.resource === '').map((o) => camel(o.method)),
      ...d.children('').map(camel),
      ...d.properties.map(camel),
    ];
    assert.deepEqual(protoNames(c), want.sort(), `${CLIENTS[api].name}`);
    assert.deepEqual(Object.keys(c), []);
    // What every client shares, beside the generated members.
    assert.deepEqual(protoNames(Object.getPrototypeOf(c)), ['close', 'closed', 'toJSON', 'toString', 'withOptions']);
    // A derived client has the same shape.
    assert.deepEqual(protoNames(c.withOptions({ timeout: 1000 })), want.sort());
    // The module exports the client, its functions and its resource classes.
    const exported = [CLIENTS[api].name, ...d.functions.map((o) => camel(o.name)), ...d.resources.map((r) => pascal(r.split('.').at(-1)))];
    assert.deepEqual(Object.keys(sellkit[api]).sort(), [...new Set(exported)].sort());
  });

  test(`${api}: the TypeScript declarations declare the same methods and options`, () => {
    const { classes, functions, clientOptions } = declarations(api);
    const clientName = CLIENTS[api].name;
    const classOf = (r) => (r === '' ? clientName : pascal(r.split('.').at(-1)));
    const declaredClasses = new Set([clientName, ...d.resources.map(classOf)]);
    assert.deepEqual(Object.keys(classes).sort(), [...declaredClasses].sort(), 'the declared classes');
    for (const r of ['', ...d.resources]) {
      const cls = classes[classOf(r)];
      const ops = d.ops.filter((o) => o.resource === r);
      const extra = r === '' ? ['withOptions'] : [];
      assert.deepEqual(Object.keys(cls.methods).sort(), [...ops.map((o) => camel(o.method)), ...extra].sort(), `${classOf(r)}: methods`);
      const readonly = [...d.children(r).map((x) => camel(x.split('.').at(-1))), ...(r === '' ? d.properties.map(camel) : [])];
      assert.deepEqual(Object.keys(cls.readonly).sort(), readonly.sort(), `${classOf(r)}: read-only members`);
      for (const child of d.children(r)) assert.equal(cls.readonly[camel(child.split('.').at(-1))], classOf(child));
      assert.deepEqual(cls.other, r === '' ? [`constructor(options?: ${clientName}Options);`] : ['private constructor();'], `${classOf(r)}: nothing else`);
      for (const op of ops) {
        const params = cls.methods[camel(op.method)].params;
        const required = op.params.filter((p) => p.required).map((p) => camel(p.name));
        const named = op.params.filter((p) => !p.required).map((p) => camel(p.name));
        assert.deepEqual(params.map((p) => p.name), [...required, 'options'], `${op.name}: declared parameters`);
        assert.ok(params.slice(0, -1).every((p) => !p.optional), `${op.name}: required parameters are not optional`);
        const options = params.at(-1);
        assert.ok(options.optional, `${op.name}: the options object is optional`);
        const o = optionNames(options.type);
        assert.deepEqual(o.names, named, `${op.name}: declared options`);
        assert.ok(o.settings, `${op.name}: the call settings are options too`);
        assert.deepEqual(o.omitted, SETTINGS.filter((s) => named.includes(s)), `${op.name}: a parameter named like a setting replaces it`);
        const returns = cls.methods[camel(op.method)].returns;
        if (op.kind === 'list') assert.match(returns, /^PagedList</, `${op.name}: a list is a PagedList`);
        else if (op.kind === 'batch') assert.match(returns, /^Promise<BatchResult</, `${op.name}: a batch resolves to a BatchResult`);
        else assert.match(returns, /^Promise</, `${op.name}: a call resolves to its result`);
      }
    }
    assert.deepEqual(Object.keys(functions).sort(), d.functions.map((o) => camel(o.name)).sort(), 'the declared functions');
    for (const op of d.functions) {
      const params = functions[camel(op.name)].params;
      const required = op.params.filter((p) => p.required).map((p) => camel(p.name));
      const named = op.params.filter((p) => !p.required).map((p) => camel(p.name));
      assert.deepEqual(params.map((p) => p.name), named.length ? [...required, 'options'] : required, `${op.name}: declared parameters`);
      if (named.length) {
        const o = optionNames(params.at(-1).type);
        assert.deepEqual([o.names, o.settings], [named, false], `${op.name}: a function's options, no call settings`);
      }
    }
    // Then the Node clients' own settings, which the core never sees (see logging.test.js).
    assert.deepEqual(clientOptions, [...CATALOGUE[api].client.map((p) => camel(p.name)), 'logger', 'logLevel'], `${clientName}Options`);
  });
}

test('the constructor settings are the catalogue\'s, in camelCase, and nothing else', () => {
  for (const api of APIS) {
    for (const p of CATALOGUE[api].client) {
      // Each setting is read: a wrong type is refused naming it (what it is checked against is the core's).
      assert.throws(() => new CLIENTS[api]({ [camel(p.name)]: [[]] }),
        (e) => e instanceof sellkit.InvalidInputError && e.field === camel(p.name), `${api} ${p.name}`);
    }
    assert.throws(() => new CLIENTS[api]({ notASetting: 1 }), (e) => e instanceof sellkit.InvalidInputError && e.field === 'notASetting');
  }
});
