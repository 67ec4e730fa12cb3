// A typed usage of the package, checked by `tsc --strict` (npm run typecheck, and typing.test.js).
// Lines marked @ts-expect-error must stay errors: they prove the types refuse misuse.

import {
  EqpClient,
  startSimulator,
  SellkitError,
  RateLimitError,
  InvalidInputError,
  type Profile,
  type ProfileSummary,
  type FieldDetail,
  type Simulator,
} from 'sellkit';

async function main(): Promise<void> {
  const sim: Simulator = await startSimulator({ latency: 0, eqpMaxTokenLifetime: 3600 });
  const client = new EqpClient({
    appId: sim.eqpAppId,
    appSecret: sim.eqpAppSecret,
    baseUrl: sim.eqpUrl,
    environment: 'sandbox',
    timeout: 30_000,
    maxRetries: 3,
    userAgentSuffix: 'typing-example/1.0',
  });
  const mageId: string = await client.authenticate();
  const known: string | null = client.mageId;

  const profile: Profile = await client.users.get();
  const summary: ProfileSummary = await client.users.get({ style: 'summary' });
  const bio: string | undefined = profile.personal_profile?.bio;
  const extra: unknown = profile['some_future_field'];
  const updated: Profile = await client.users.update({ action: 'draft', personal_profile: { bio: 'Hello' } });

  const controller = new AbortController();
  await client.users.get({}, { signal: controller.signal, timeout: 5_000 });
  const raw = await client.request<{ mage_id: string }>('GET', `/rest/v1/users/${mageId}`);
  const anyJson = await client.request('POST', '/rest/v1/products/packages', [{ sku: 'acme/demo' }]);

  const quick: EqpClient = client.withOptions({ timeout: 1_000, maxRetries: 0 });

  sim.failNext('GET /rest/v1/users/{mage_id}', { count: 1, status: 503, retryAfter: 120 });
  try {
    await quick.users.get();
  } catch (e) {
    if (e instanceof RateLimitError) {
      const wait: number | null = e.retryAfter;
      console.log(wait);
    } else if (e instanceof InvalidInputError) {
      const field: string | null = e.field;
      const details: FieldDetail[] = e.details;
      console.log(field, details);
    } else if (e instanceof SellkitError) {
      console.log(e.code, e.kind, e.status, e.apiCode, e.requestId);
    }
  }
  const counts: Record<string, number> = sim.requestCounts();
  const one: number = sim.requestCount('POST /rest/v1/app/session/token');
  console.log(known, summary.mage_id, bio, extra, updated.mage_id, raw.mage_id, anyJson, counts, one);
  client.close();
  await sim.stop();

  // @ts-expect-error appSecret is required
  new EqpClient({ appId: 'id' });
  // @ts-expect-error no such environment
  new EqpClient({ appId: 'id', appSecret: 's', environment: 'staging' });
  // @ts-expect-error no such style
  await client.users.get({ style: 'tiny' });
  // @ts-expect-error timeouts are numbers of milliseconds
  client.withOptions({ timeout: '5s' });
  // @ts-expect-error mageId is read-only
  client.mageId = 'x';
  // @ts-expect-error simulators come from startSimulator()
  new (sim.constructor as typeof Simulator)();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
