// sellkit demo: start the EQP simulator, then authenticate, read and update the profile.
//
//   npm run build && node examples/node/demo.mjs
//
// Against the real API, create the client with your own key instead:
//   new EqpClient({ appId: process.env.EQP_APP_ID, appSecret: process.env.EQP_APP_SECRET, environment: 'sandbox' })

import { startSimulator, SellkitError } from 'sellkit';

const sim = await startSimulator();
try {
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
  const updated = await client.users.update({ action: 'draft', personal_profile: { bio } });
  console.log(`updated: personal bio is now "${updated.personal_profile.bio}"`);

  const counts = Object.entries(sim.requestCounts()).map(([route, n]) => `${route} ×${n}`).join(', ');
  console.log(`requests: ${counts}`);
} catch (e) {
  console.error(e instanceof SellkitError ? `sellkit error [${e.code}]: ${e.message}` : e);
  process.exitCode = 1;
} finally {
  await sim.stop();
}
