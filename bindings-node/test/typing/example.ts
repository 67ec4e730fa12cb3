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
  MarktplaatsClient,
  BatchError,
  parseCallback,
  verifyWebhook,
  parseWebhook,
  resolveLocale,
  authorizationUrl,
  type Package,
  type BatchResult,
  type BatchItem,
  type FileRecord,
  type TestRunSummary,
  type TestDetail,
  type CallbackEvent,
  type ComposerKeys,
  type EqpStatus,
  type Ad,
  type TokenSet,
  type WebhookEvent,
  type Locale,
  type User,
  type Image,
  patch,
  ConflictError,
} from 'sellkit';

async function eqpAndMarktplaats(sim: Simulator, client: EqpClient): Promise<void> {
  const keys: ComposerKeys = await client.users.keys.list({ type: 'm2' });
  const records: FileRecord[] = await client.files.upload(
    ['release.zip', { filename: 'guide.pdf', data: Buffer.from('%PDF') }],
    { onProgress: (sent: number, total: number) => console.log(sent / total) },
  );
  const scan = await client.files.waitForScan(records.map((r) => r.file_upload_id), { timeout: 10_000 });
  const batch: BatchResult<Package> = await client.packages.create([{ name: 'x', prices: [{ edition: 'CE', price: '15.50' }] }], { chunkSize: 50 });
  const first: BatchItem<Package> = batch.items[0];
  const price: string | number | undefined = first.data?.prices?.[0]?.price;
  try {
    batch.throwForFailures();
  } catch (e) {
    if (e instanceof BatchError) console.log(e.indices);
  }
  for await (const p of client.packages.list({ type: 'extension', sort: '+name', limit: 3 })) {
    const status: EqpStatus | undefined = p.eqp_status;
    console.log(status?.overall);
  }
  const runs: TestRunSummary[] = await client.testResults.summary({ submissionId: 'abc' });
  const detail: TestDetail = await client.testResults.detail('abc', 'phpcs', 5);
  const event: CallbackEvent = parseCallback('{}', { authorization: 'Basic x' }, { username: 'u', password: 'p' });

  const tokens: TokenSet[] = [];
  const mp = new MarktplaatsClient({
    platform: '2ememain', baseUrl: sim.marktplaatsUrl('2ememain'), clientId: sim.mpClientId, clientSecret: sim.mpClientSecret,
    onToken: async (set: TokenSet) => { tokens.push(set); },
  });
  const { url, state } = await mp.authorizationUrl({ redirectUri: 'https://app.example.com/cb' });
  const ad: Ad = await mp.ads.create({ title: 'Lecteur cd', priceModel: { modelType: 'fixed', askingPrice: 3241 } });
  const updated: Ad = await mp.ads.updateFrom(ad.itemId!, ad, { ...ad, priceModel: { modelType: 'fixed', askingPrice: 2999 } });
  const image: Image = await mp.images.waitUntilAvailable('media', { timeout: 5_000 });
  for await (const mine of mp.users.ads(null, { pageSize: 10 })) console.log(mine.title);
  const me: User = await mp.users.me();
  const locale: Locale = resolveLocale('2ememain', { userLocale: 'fr-BE' });
  const ok: boolean = verifyWebhook(Buffer.from('{}'), 'sig', 'secret');
  const hook: WebhookEvent = parseWebhook('{}');
  const free = authorizationUrl({ clientId: 'id', redirectUri: 'https://app.example.com/cb' });
  const logged: MarktplaatsClient = await sim.marktplaatsClient('2dehands', { locale: 'fr-BE' });
  console.log(keys, scan.allPassed, price, runs, detail, event.callback_event, url, state, updated, image, me.userId, locale, ok, hook, free.url, logged);

  // @ts-expect-error prices come back as exact decimal strings, not numbers only
  const wrong: number = (await client.packages.get('x')).prices![0].price;
  // @ts-expect-error no such platform
  new MarktplaatsClient({ platform: 'ebay' });
  console.log(wrong);
}
void eqpAndMarktplaats;

function jsonPatch(): number {
  const oldAd = { title: 'Bike', price: { cents: 10_000 }, tags: ['a', 'b'] };
  const newAd = { title: 'Red bike', price: { cents: 9_000 }, tags: ['a'] };
  const ops: patch.ServerOperation[] = patch.diff(oldAd, newAd);
  patch.validate(ops, { serverSafe: true });
  const applied = patch.apply<typeof newAd>(oldAd, ops);
  const title: string = applied.title;
  const any: unknown = patch.apply(oldAd, ops);
  const written: patch.Operation[] = [
    { op: 'replace', path: '/title', value: 'x' },
    { op: 'move', from: '/tags/0', path: '/first' },
  ];
  const repeat: boolean = patch.isSafeToRepeat(written);
  for (const op of patch.parse(written)) {
    if (op.op === 'move') console.log(op.from);
  }
  try {
    patch.apply(oldAd, [{ op: 'remove', path: '/missing' }]);
  } catch (e) {
    if (e instanceof ConflictError) console.log(e.code, e.field);
  }
  // @ts-expect-error no such operation
  patch.apply(oldAd, [{ op: 'ad', path: '/a', value: 1 }]);
  // @ts-expect-error move needs from
  patch.validate([{ op: 'move', path: '/a' }]);
  // @ts-expect-error serverSafe is a boolean
  patch.validate(ops, { serverSafe: 'yes' });
  console.log(title, any, repeat);
  return ops.length;
}
void jsonPatch;

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
