// Keep a catalogue in sync: node sync.mjs CATALOGUE.csv STATE_URL [--delete-missing] [--dry-run]
//
// Credentials come from the environment (SELLKIT_MP_CLIENT_ID, SELLKIT_MP_CLIENT_SECRET,
// SELLKIT_MP_REFRESH_TOKEN, and SELLKIT_MP_BASE_URL for the simulator).

import { readFileSync } from 'node:fs';
import { MarktplaatsClient, marktplaats } from 'sellkit';

const [csvPath, state, ...flags] = process.argv.slice(2);
const catalogue = marktplaats.catalogueFromCsv(readFileSync(csvPath, 'utf8'));
const client = new MarktplaatsClient();
const result = await client.ads.sync(catalogue, {
  state,
  deleteMissing: flags.includes('--delete-missing'),
  dryRun: flags.includes('--dry-run'),
});
for (const { key, action, itemId, error } of result.items) {
  const note = error ? `${error.field ?? ''}: ${error.message}` : '';
  console.log(`${key.padEnd(8)} ${action.padEnd(10)} ${(itemId ?? '-').padEnd(8)} ${note}`);
}
console.log(Object.entries(result.counts).map(([action, n]) => `${action}=${n}`).join(' '));
client.close();
process.exitCode = result.counts.failed ? 1 : 0;
