// Errors, retries and outcome-unknown: what to do with each failure sellkit reports.
//
//   npm install sellkit
//   node errors-retries.mjs        # shows each case against the built-in simulator

import { pathToFileURL } from 'node:url';
import {
  APIConnectionError, AuthenticationError, InvalidInputError, RateLimitError, SellkitError,
  ServerError, ValidationError, startSimulator,
} from 'sellkit';

/**
 * Create an ad exactly once, even when the answer to the create is lost.
 *
 * sellkit never repeats a POST that may have reached the server. When the request went out and
 * no answer came back, the error says `outcomeUnknown`: the ad may exist. Look before sending
 * it again.
 */
export async function createAdOnce(client, ad) {
  try {
    return await client.ads.create(ad);
  } catch (err) {
    if (!(err instanceof SellkitError) || !err.outcomeUnknown) throw err; // nothing changed on the server
    for await (const mine of client.users.ads()) {
      if (mine.title === ad.title && mine.description === ad.description) return mine; // created; the answer was lost
    }
    return client.ads.create(ad); // not created: sending it again cannot duplicate it
  }
}

/** What a program would do with each kind of error. */
export function describe(err) {
  if (err instanceof InvalidInputError) return `refused before sending, fix the argument '${err.field}': ${err.message}`;
  if (err instanceof ValidationError) return `the server refused fields (${err.details.map((d) => d.field).join(', ')}): fix and send again`;
  if (err instanceof AuthenticationError) return 'credentials refused: ask the seller to connect again';
  if (err instanceof RateLimitError) return `rate limited: try again in ${err.retryAfter} s (sellkit waits itself up to 60 s)`;
  if (err instanceof ServerError || err instanceof APIConnectionError) {
    return `${err.code} after sellkit's own retries${err.outcomeUnknown ? ' and the outcome is unknown' : ', nothing changed'}: try again later`;
  }
  return `${err.code}: ${err.message}`;
}

const AD = {
  categoryId: 35, title: 'Bicycle lights, front and back', description: 'USB rechargeable.',
  priceModel: { modelType: 'fixed', askingPrice: 1250 }, location: { postcode: '1097DN' },
};

export async function main() {
  const sim = await startSimulator();
  try {
    const client = await sim.marktplaatsClient('marktplaats', { maxRetries: 2 });

    // 1. A 503 is retried (with backoff, honouring Retry-After): the call succeeds.
    sim.failNext('GET /v1/me', { count: 2, status: 503 });
    await client.users.me();
    console.log(`retried     2 x 503, then ok (${sim.requestCount('GET /v1/me')} requests)`);

    // 2. More failures than retries: the error says what happened and what is known.
    sim.failNext('GET /v1/me', { count: 3, status: 503 });
    await client.users.me().catch((err) => console.log(`gave up     ${describe(err)}`));

    // 3. A Retry-After longer than sellkit waits fails at once, carrying the wait.
    sim.failNext('GET /v1/me', { count: 1, status: 429, retryAfter: 120 });
    await client.users.me().catch((err) => console.log(`rate limit  ${describe(err)}`));

    // 4. Invalid input never leaves the process.
    await client.ads.create({ ...AD, priceModel: { modelType: 'fixed', askingPrice: 12.5 } })
      .catch((err) => console.log(`invalid     ${describe(err)}`));

    // 5. The create reaches the server, then the connection drops: outcome unknown.
    sim.injectFault('POST /v1/advertisements', 'drop-after');
    const ad = await createAdOnce(client, AD);
    let same = 0;
    for await (const mine of client.users.ads()) if (mine.title === AD.title) same += 1;
    console.log(`unknown     answer lost, ad ${ad.itemId} found by looking; ${same} such ad on the server`);

    // 6. Per-call settings: a client with other timeouts and retries sharing the connections.
    await client.withOptions({ timeout: 120_000, maxRetries: 5 }).users.me();
    console.log('options     withOptions({ timeout: 120_000, maxRetries: 5 }) for the slow calls');
  } finally {
    await sim.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
