// Shared by the Node benchmarks: interleaved measurement, medians, result files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const RESULTS = process.env.BENCH_RESULTS ?? join(here, '..', 'results');
export const QUICK = process.env.BENCH_QUICK === '1';
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 7));
export const MIN_TIME = Number(process.env.BENCH_MIN_TIME ?? (QUICK ? 0.08 : 0.25)) * 1000;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function order(names, r) {
  const k = r % names.length;
  const rot = [...names.slice(k), ...names.slice(0, k)];
  return r % 2 === 0 ? rot : rot.reverse();
}

/** contenders: {name: async () => opsDone}; every round runs each once, alternating order. */
export async function interleave(contenders, rounds = ROUNDS, minTime = MIN_TIME) {
  for (const fn of Object.values(contenders)) await fn();
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const n of order(names, r)) {
      const fn = contenders[n];
      let ops = 0;
      const t0 = performance.now();
      let el;
      for (;;) {
        ops += await fn();
        el = performance.now() - t0;
        if (el >= minTime) break;
      }
      samples[n].push((ops / el) * 1000);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { median: median(samples[n]), samples: samples[n] }]));
}

export class Results {
  constructor(name) { this.name = name; this.rows = []; }
  add(section, scenario, measured, unit = 'ops/s', extra = {}) {
    const names = Object.keys(measured);
    const base = measured[names[0]].median;
    const cells = [];
    for (const n of names) {
      const m = measured[n];
      this.rows.push({ section, scenario, contender: n, median: m.median, unit, samples: m.samples.map((x) => +x.toFixed(3)), ...(extra[n] ?? {}) });
      const note = extra[n] && 'ok' in extra[n] ? (extra[n].ok ? ' ok' : ' WRONG') : '';
      cells.push(`${n} ${m.median.toFixed(1)}${note}` + (n === names[0] ? '' : ` (${names[0]} ${(base / m.median).toFixed(2)}x)`));
    }
    console.log(`  [${section}] ${scenario}: ${cells.join(' | ')}`);
  }
  save() {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `${this.name}.json`), JSON.stringify(this.rows, null, 1));
  }
}
