// sellkit demo: everything runs against the embedded simulator.
//
//   npm run build && node examples/node/demo.mjs
//
// Against the real APIs, create the clients with your own credentials instead:
//   new EqpClient({ appId: process.env.EQP_APP_ID, appSecret: process.env.EQP_APP_SECRET, environment: 'sandbox' })
//   new MarktplaatsClient({ platform: '2ememain', clientId, clientSecret, refreshToken, onToken: save })

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startSimulator, SellkitError, MarktplaatsClient, resolveLocale, verifyWebhook, parseWebhook } from 'sellkit';

const sim = await startSimulator();
try {
  // --- EQP: the account -----------------------------------------------------------------------
  console.log(`simulator: EQP API at ${sim.eqpUrl}`);
  const client = sim.eqpClient();

  const mageId = await client.authenticate();
  console.log(`authenticated: app ${sim.eqpAppId} belongs to account ${mageId}`);

  const profile = await client.users.get();
  console.log(`profile: ${profile.first_name} ${profile.last_name} <${profile.email}>, ` +
    `screen name "${profile.screen_name}", ${Object.keys(profile).length} fields`);

  const summary = await client.users.get({ style: 'summary' });
  console.log(`summary: ${Object.keys(summary).length} fields, profile complete: ${summary.has_completed_profile}`);

  const bio = `Updated by the sellkit demo on ${new Date().toISOString().slice(0, 10)}.`;
  const updated = await client.users.update({ personal_profile: { bio } }, { action: 'draft' });
  console.log(`updated: personal bio is now "${updated.personal_profile.bio}"`);

  // --- EQP: a release ---------------------------------------------------------------------------
  console.log('\n== EQP release flow');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sellkit-demo-'));
  const zip = path.join(dir, 'acme_one-click-checkout-1.0.0.zip');
  const pdf = path.join(dir, 'user-guide.pdf');
  fs.writeFileSync(zip, Buffer.alloc(2 * 1024 * 1024, 0x50));
  fs.writeFileSync(pdf, '%PDF-1.4\n% the user guide\n');
  const bar = (sent, total) => {
    const width = 30;
    const done = Math.round((sent / total) * width);
    process.stdout.write(`\rupload: [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(Math.round((sent / total) * 100)).padStart(3)}%`);
  };
  const [zipFile, pdfFile] = await client.files.upload([zip, pdf], { progress: bar });
  process.stdout.write('\n');
  console.log(`uploaded: ${zipFile.filename} (${zipFile.size} bytes), ${pdfFile.filename} (${pdfFile.size} bytes)`);

  // requirePass: a file the scan refused throws, naming it, before a package refers to it.
  const scan = await client.files.waitForScan([zipFile.file_upload_id, pdfFile.file_upload_id], { timeout: 30_000, interval: 100, requirePass: true });
  console.log(`malware scan: ${scan.passed.length} passed, ${scan.failed.length} failed`);

  const batch = await client.packages.create([{
    action: { technical: 'submit', marketing: 'submit' },
    item_id: 'acme-one-click-1.0.0', sku: 'acme/one-click-checkout', type: 'extension', platform: 'M2',
    version_compatibility: [{ edition: 'CE', versions: ['2.4'] }],
    name: 'One Click Checkout', long_description: 'Checkout in one click.', release_notes: 'First release.', version: '1.0.0',
    artifact: { file_upload_id: zipFile.file_upload_id },
    documentation_artifacts: { user: { file_upload_id: pdfFile.file_upload_id } },
    media_artifacts: { icon_image: { file_upload_id: pdfFile.file_upload_id } },
    categories: ['//Extensions//Payments & Security//Checkout Enhancements'],
    license_type: 'mit', launch_on_approval: true,
    prices: [{ edition: 'CE', currency_code: 'USD', price: '15.50' }],
  }]);
  batch.throwForFailures();
  const submitted = batch.items[0].data;
  console.log(`package: submission ${submitted.submission_id}, status ${JSON.stringify(submitted.eqp_status)}`);

  // Reviews finish after a short delay in the simulator.
  await new Promise((r) => setTimeout(r, 800));
  for await (const p of client.packages.list({ sku: 'acme/one-click-checkout', sort: '-version', limit: 5 })) {
    console.log(`listed: ${p.name} ${p.version} (${p.eqp_status.overall}), price ${p.prices[0].price} ${p.prices[0].currency_code}`);
  }
  for (const run of await client.testResults.summary({ submissionId: submitted.submission_id })) {
    console.log(`test result: ${run.name.padEnd(10)} ${run.status}`);
  }

  // --- Marktplaats --------------------------------------------------------------------------
  console.log('\n== Marktplaats (2ememain)');
  let saved = null;
  const mp = new MarktplaatsClient({
    platform: '2ememain', baseUrl: sim.marktplaatsUrl('2ememain'),
    clientId: sim.mpClientId, clientSecret: sim.mpClientSecret,
    onToken: (set) => { saved = set.refresh_token; },   // persist it: it may rotate
  });
  const redirectUri = 'https://app.example.com/callback';
  const [url, state] = await mp.authorizationUrl(redirectUri);
  console.log(`authorize: ${url.split('?')[0]}?… (state ${state.slice(0, 8)}…)`);
  const location = await new Promise((resolve, reject) => {
    http.get(url, (res) => { res.resume(); resolve(new URL(res.headers.location)); }).on('error', reject);
  });
  if (location.searchParams.get('state') !== state) throw new Error('state mismatch');
  await mp.exchangeCode(location.searchParams.get('code'), redirectUri);
  console.log(`logged in as user ${(await mp.users.me()).userId}; refresh token saved: ${saved ? 'yes' : 'no'}`);

  console.log(`locale for a new ad on 2ememain: ${resolveLocale('2ememain')}`);
  const ad = await mp.ads.create({
    categoryId: 35, title: 'Lecteur CD Sony', description: 'Un lecteur cd génial',
    condition: 'Nieuw', delivery: 'Ophalen',
    priceModel: { modelType: 'fixed', askingPrice: 3241 }, location: { postcode: '1097DN' },
  });
  console.log(`placed: ad ${ad.itemId} "${ad.title}" at €${(ad.priceModel.askingPrice / 100).toFixed(2)}, locale ${ad.locale}`);

  const added = await mp.images.add(ad.itemId, ['https://images.example.com/cd-1.jpg', 'https://images.example.com/cd-2.jpg'], { replaceAll: true });
  const images = added._embedded['mp:advertisement-image'];
  await mp.images.waitUntilAvailable(images[0].mediaId, { timeout: 10_000, interval: 50 });
  console.log(`images: ${images.length} added, first available`);

  const current = await mp.ads.get(ad.itemId);
  const cheaper = { ...current, priceModel: { ...current.priceModel, askingPrice: 2999 } };
  const changed = await mp.ads.updateFrom(ad.itemId, current, cheaper);
  console.log(`price changed with updateFrom (one JSON Patch): €${(changed.priceModel.askingPrice / 100).toFixed(2)}`);

  for await (const mine of mp.users.ads({ pageSize: 10 })) {
    console.log(`my ad: ${mine.itemId} "${mine.title}"`);
  }

  const body = '{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}';
  const signature = 'c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97';
  console.log(`webhook: signature valid ${verifyWebhook(body, signature, 's3cr3t')}, ` +
    `forged ${verifyWebhook(body.replace('value', 'forged'), signature, 's3cr3t')}, event ${parseWebhook(body, signature, 's3cr3t').eventType}`);

  const counts = Object.values(sim.requestCounts()).reduce((a, b) => a + b, 0);
  console.log(`\nrequests served by the simulator: ${counts}`);
} catch (e) {
  console.error(e instanceof SellkitError ? `sellkit error [${e.code}]: ${e.message}` : e);
  process.exitCode = 1;
} finally {
  await sim.stop();
}
