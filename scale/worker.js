'use strict';
// One Node worker of the scale run (see scripts/scale): an EQP client and a Marktplaats client
// configured from the environment (credentials, base URLs and SELLKIT_TOKEN_STORE), making calls
// in several lanes until the deadline, then one JSON line of counts on stdout.
//
//   node scale/worker.js SECONDS LANES PAUSE_MS

const { EqpClient, MarktplaatsClient, SellkitError } = require('sellkit');

async function main() {
  const [seconds, lanes, pauseMs] = process.argv.slice(2).map(Number);
  const eqp = new EqpClient({});
  const mp = new MarktplaatsClient({});
  const counts = {};
  const deadline = Date.now() + seconds * 1000;
  const lane = async (n) => {
    for (let i = n; Date.now() < deadline; i++) {
      try {
        if (i % 2) await eqp.users.get({ style: 'summary' });
        else await mp.users.me();
        counts.ok = (counts.ok ?? 0) + 1;
      } catch (e) {
        if (!(e instanceof SellkitError)) throw e;
        counts[e.code] = (counts[e.code] ?? 0) + 1;
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, n) => lane(n)));
  await eqp.close();
  await mp.close();
  const failures = Object.fromEntries(Object.entries(counts).filter(([k]) => k !== 'ok'));
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ worker: 'node', calls: failed + (counts.ok ?? 0), failed, failures }));
}

main().catch((e) => { console.error(e); process.exit(1); });
