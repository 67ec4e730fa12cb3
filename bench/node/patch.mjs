// JSON Patch in Node: sellkit.patch (Rust core, conversion included) vs fast-json-patch.
// Usage: node patch.mjs DOCS_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fjp from 'fast-json-patch';
import sellkit from '../../bindings-node/index.js';
import { Results, interleave } from './common.mjs';

const { patch } = sellkit;
const docs = process.argv[2];
const res = new Results('node_patch');
const cloneJson = (v) => JSON.parse(JSON.stringify(v));

for (const size of ['1KB', '100KB', '1MB']) {
  const { old, new: neu, ops: ref } = JSON.parse(readFileSync(join(docs, `${size}.json`), 'utf8'));
  const snapshot = cloneJson(old);
  const skOps = patch.diff(old, neu);
  const fjOps = fjp.compare(old, neu);
  // fast-json-patch's applyPatch with mutateDocument=false deep-clones first, like sellkit.
  const fjApply = (doc, ops) => fjp.applyPatch(doc, ops, false, false).newDocument;
  const okDiff = { sellkit: isDeepStrictEqual(patch.apply(old, skOps), neu), 'fast-json-patch': isDeepStrictEqual(fjApply(old, fjOps), neu) };
  const okApply = { sellkit: isDeepStrictEqual(patch.apply(old, ref), neu), 'fast-json-patch': isDeepStrictEqual(fjApply(old, ref), neu) };
  if (!isDeepStrictEqual(old, snapshot)) throw new Error('a contender changed its input');
  const diff = await interleave({
    sellkit: async () => { patch.diff(old, neu); return 1; },
    'fast-json-patch': async () => { fjp.compare(old, neu); return 1; },
  });
  res.add('patch-diff', size, diff, 'ops/s', { sellkit: { ok: okDiff.sellkit, ops: skOps.length }, 'fast-json-patch': { ok: okDiff['fast-json-patch'], ops: fjOps.length } });
  const apply = await interleave({
    sellkit: async () => { patch.apply(old, ref); return 1; },
    'fast-json-patch': async () => { fjApply(old, ref); return 1; },
  });
  res.add('patch-apply', size, apply, 'ops/s', { sellkit: { ok: okApply.sellkit }, 'fast-json-patch': { ok: okApply['fast-json-patch'] } });
}
res.save();
