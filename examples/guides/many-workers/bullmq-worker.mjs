// BullMQ workers sharing one Marktplaats account and one EQP key through Redis.
//
// Every worker process makes its own sellkit clients; they share their tokens and back-offs
// through the token store named by SELLKIT_TOKEN_STORE, so the account is refreshed once for all
// of them, a rotated refresh token is never lost, and a Retry-After one of them receives holds
// back the others.
//
// Run (credentials from the environment, see docs/guides/many-workers.md):
//   export SELLKIT_TOKEN_STORE=redis://127.0.0.1:6379/1
//   export SELLKIT_MP_CLIENT_ID=... SELLKIT_MP_CLIENT_SECRET=...
//   export SELLKIT_EQP_APP_ID=... SELLKIT_EQP_APP_SECRET=...
//   node bullmq-worker.mjs          # start as many as you like, on as many machines
// and add jobs from anywhere: new Queue('shop', { connection }).add('reprice', { itemId, cents }).

import { Worker } from 'bullmq';
import { EqpClient, MarktplaatsClient } from 'sellkit';

const redisUrl = new URL(process.env.BULLMQ_REDIS_URL ?? 'redis://127.0.0.1:6379/0');
export const connection = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };

// Settings come from SELLKIT_* variables, the token store included.
const mp = new MarktplaatsClient({});
const eqp = new EqpClient({});

const handlers = {
  /** The Marktplaats user the shared tokens belong to. */
  sellerId: async () => (await mp.users.me()).userId,
  /** Set an ad's asking price (euro cents); the price the server now holds. */
  reprice: async ({ itemId, cents }) => {
    const ad = await mp.ads.patch(itemId, [{ op: 'replace', path: '/priceModel/askingPrice', value: cents }]);
    return ad.priceModel?.askingPrice;
  },
  /** The EQP account's vendor name (one session for every worker). */
  vendorName: async () => (await eqp.users.get()).vendor_name,
};

const worker = new Worker('shop', async (job) => {
  const handler = handlers[job.name];
  if (!handler) throw new Error(`unknown job ${job.name}`);
  return handler(job.data);
}, { connection, concurrency: Number(process.env.CONCURRENCY ?? 4) });

// Stop cleanly on SIGTERM (the process manager's stop), finishing the jobs in hand.
process.on('SIGTERM', async () => {
  await worker.close();
  await mp.close();
  await eqp.close();
  process.exit(0);
});
console.log('ready');
