// A typed usage of the package, checked by `tsc --strict` (npm run typecheck, and typing.test.js).
// Lines marked @ts-expect-error must stay errors: they prove the types refuse misuse.

import {
  EqpClient,
  startSimulator,
  SellkitError,
  RateLimitError,
  InvalidInputError,
  type FieldDetail,
  type Simulator,
  MarktplaatsClient,
  BatchError,
  parseCallback,
  raiseForScanFailures,
  verifyWebhook,
  signWebhook,
  parseWebhook,
  resolveLocale,
  authorizationUrl,
  type BatchResult,
  type PagedList,
  type Locale,
  type eqp,
  type marktplaats,
  patch,
  ConflictError,
} from 'sellkit';

// Keys the API always returns are required members (no `?.`, no `!`); the others optional.
export function commonFields(
  profile: eqp.Profile, pkg: eqp.Package, item: eqp.PackageBatchItem, ad: marktplaats.Advertisement, user: marktplaats.User,
): [string, string, boolean, string, string | undefined, string, string, number, boolean, string, string, string, number, string, string, number, string | undefined] {
  // @ts-expect-error a draft may have no name: it is optional
  const name: string = pkg.name;
  return [
    profile.mage_id, profile.email, profile.has_accepted_tos, pkg.submission_id, name ?? pkg.name, pkg.eqp_status.overall, pkg.created_at,
    item.index, item.ok, item.message, item.data.submission_id,
    ad.itemId, ad.categoryId, ad.title, ad.location.postcode, user.userId, user.name,
  ];
}

async function eqpAndMarktplaats(sim: Simulator, client: EqpClient): Promise<void> {
  const keys: eqp.KeyList = await client.users.keys.list({ type: 'm2' });
  const enabled: eqp.ComposerKey[] = await client.users.keys.enable('label', { uid: 'all' });
  const records: eqp.FileRecord[] = await client.files.upload(
    ['release.zip', { filename: 'guide.pdf', data: Buffer.from('%PDF') }],
    { progress: (sent: number, total: number) => console.log(sent / total) },
  );
  const scan: eqp.ScanReport = await client.files.waitForScan(records.flatMap((r) => r.file_upload_id ?? []), { timeout: 10_000, interval: 500 });
  raiseForScanFailures(scan);
  const batch: BatchResult<eqp.PackageBatchItem> = await client.packages.create([{ name: 'x', prices: [{ edition: 'CE', price: '15.50' }] }], { chunkSize: 50 });
  const first: eqp.PackageBatchItem = batch.items[0];
  const price: string | undefined = first.data?.prices?.[0]?.price;
  const failed: eqp.PackageBatchItem[] = batch.failed;
  try {
    batch.throwForFailures();
  } catch (e) {
    if (e instanceof BatchError) console.log(e.indices, e.failed);
  }
  const list: PagedList<eqp.Package> = client.packages.list({ type: 'extension', sort: '+name', limit: 3, signal: AbortSignal.timeout(5_000) });
  for await (const p of list) {
    const status: eqp.EqpStatus | undefined = p.eqp_status;
    console.log(status?.overall);
  }
  const runs: eqp.ToolRun[] = await client.testResults.summary({ submissionId: 'abc' });
  const detail: eqp.TestDetail = await client.testResults.detail('abc', 'phpcs', 5);
  const envelope: eqp.CallbackEnvelope = parseCallback('{}', { authorization: 'Basic x' }, 'u', 'p');
  const metrics = await client.reports.metrics<{ installs: number }>({ name: 'installs' });

  const tokens: marktplaats.TokenSet[] = [];
  const mp = new MarktplaatsClient({
    platform: '2ememain', baseUrl: sim.marktplaatsUrl('2ememain'), clientId: sim.mpClientId, clientSecret: sim.mpClientSecret,
    onToken: async (set: marktplaats.TokenSet) => { tokens.push(set); },
  });
  const [url, state]: [string, string] = await mp.authorizationUrl('https://app.example.com/cb', { scopes: ['read'] });
  const set: marktplaats.TokenSet = await mp.exchangeCode('code', 'https://app.example.com/cb');
  const ad: marktplaats.Advertisement = await mp.ads.create({ title: 'Lecteur cd', categoryId: 1953, location: { postcode: '1000' },
    priceModel: { modelType: 'fixed', askingPrice: 3241 } });
  const updated: marktplaats.Advertisement = await mp.ads.updateFrom(ad.itemId!, ad, { ...ad, priceModel: { modelType: 'fixed', askingPrice: 2999 } });
  const order: marktplaats.Order = await mp.ads.renew(ad.itemId!, { orderId: 5 });
  const image: marktplaats.Image = await mp.images.waitUntilAvailable('media', { timeout: 5_000 });
  const backdrop: marktplaats.Image = await mp.users.profileImage(1, 'backdrop');
  for await (const mine of mp.users.ads({ pageSize: 10 })) console.log(mine.title);
  for await (const found of mp.search({ query: 'lamp', limit: 10 })) console.log(found.title);
  const page: marktplaats.Collection = await mp.searchPage({ query: 'lamp', offset: 30 });
  const bid: marktplaats.Bid = await mp.bids.get(ad.itemId!, 2);
  const me: marktplaats.User = await mp.users.me();
  const locale: Locale = resolveLocale('2ememain', { userLocale: 'fr-BE' });
  const signature: string = signWebhook('{}', 'secret');
  const ok: boolean = verifyWebhook(Buffer.from('{}'), undefined, 'secret');
  const hook: marktplaats.WebhookEvent = parseWebhook('{}', signature, 'secret');
  const [freeUrl, freeState]: [string, string] = authorizationUrl('id', 'https://app.example.com/cb');
  const logged: MarktplaatsClient = await sim.marktplaatsClient('2dehands', { locale: 'fr-BE' });
  const [code, returned]: [string, string | null] = sim.mpApprove(url);
  console.log(keys, enabled, scan.all_passed, price, failed, runs, detail, envelope.callback_event, metrics.installs, url, state, set,
    updated, order, image, backdrop, page, bid, me.userId, locale, signature, ok, hook, freeUrl, freeState, logged, code, returned);

  // @ts-expect-error prices come back as exact decimal strings, not numbers
  const wrong: number = (await client.packages.get('x')).prices![0].price;
  // @ts-expect-error no such option
  await mp.ads.renew('m1', { orderID: 5 });
  // @ts-expect-error the item id is positional
  await mp.ads.get({ itemId: 'm1' });
  // @ts-expect-error no such kind of profile image
  await mp.users.profileImage(1, 'avatar');
  // @ts-expect-error a list is not a promise
  const notAwaited: marktplaats.Advertisement[] = await mp.search({ query: 'x' });
  console.log(wrong, notAwaited);
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

  const profile: eqp.Profile = await client.users.get();
  const summary: eqp.Profile = await client.users.get({ style: 'summary' });
  const bio: string | undefined = profile.personal_profile?.bio;
  const extra: unknown = profile['some_future_field'];
  const updated: eqp.Profile = await client.users.update({ personal_profile: { bio: 'Hello' } }, { action: 'draft' });

  const controller = new AbortController();
  await client.users.get({ signal: controller.signal, timeout: 5_000 });
  const raw = await client.request<{ mage_id: string }>('GET', `/rest/v1/users/${mageId}`);
  const anyJson: unknown = await client.request('POST', '/rest/v1/products/packages', { json: [{ sku: 'acme/demo' }], maxRetries: 0 });

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
  client[Symbol.dispose]();
  await client[Symbol.asyncDispose]();
  await sim.stop();

  // @ts-expect-error no such style
  await client.users.get({ style: 'tiny' });
  // @ts-expect-error no such option
  await client.users.get({ styel: 'summary' });
  // @ts-expect-error timeouts are numbers of milliseconds
  client.withOptions({ timeout: '5s' });
  // @ts-expect-error the ids are a list
  await client.files.waitForScan('one-id');
  // @ts-expect-error upload progress is `progress`
  await client.files.upload(['a.zip'], { onProgress: () => {} });
  // @ts-expect-error mageId is read-only
  client.mageId = 'x';
  // @ts-expect-error resources are read-only
  client.users = client.users;
  // @ts-expect-error simulators come from startSimulator()
  new (sim.constructor as typeof Simulator)();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
