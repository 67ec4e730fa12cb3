// sellkit in Node behind a company network, logging to a JSON pipeline.
//
// Reads the credentials from the environment (SELLKIT_EQP_APP_ID, SELLKIT_EQP_APP_SECRET, and
// SELLKIT_EQP_BASE_URL for another host than production) and, when they are set, COMPANY_PROXY
// and COMPANY_CA_BUNDLE (this example's own names). Writes one JSON object per sellkit log record
// to stdout, then a summary line.
//
//   node examples/guides/networks-and-logging/logger.mjs

import { EqpClient } from 'sellkit';

// sellkit calls `logger.debug/info/warn/error(message, fields)`, as console and winston take
// them. pino and bunyan take `(fields, message)`: `pino()` works as it is (the message holds
// every field as key=value), and this adapter keeps the fields as JSON properties.
function fieldsFirst(log) {
  const adapted = {};
  for (const level of ['debug', 'info', 'warn', 'error']) adapted[level] = (message, fields) => log[level](fields, message);
  return adapted;
}

// A stand-in for `pino()` so that the example needs no dependency: one JSON line per record.
const log = {};
for (const level of ['debug', 'info', 'warn', 'error']) {
  log[level] = (fields, msg) => process.stdout.write(`${JSON.stringify({ level, msg, ...fields })}\n`);
}

const client = new EqpClient({
  // undefined (the variable unset) leaves the setting at its default: HTTPS_PROXY / NO_PROXY and
  // the system's proxy; NODE_EXTRA_CA_CERTS, else the system's trusted roots.
  proxy: process.env.COMPANY_PROXY,
  caBundle: process.env.COMPANY_CA_BUNDLE,
  logger: fieldsFirst(log),
  // Without it: the level SELLKIT_LOG names, else 'warn'.
  logLevel: 'debug',
});

const profile = await client.users.get();
let packages = 0;
for await (const _ of client.packages.list({ limit: 5 })) packages += 1;
client.close();
console.log(JSON.stringify({ summary: { mage_id: profile.mage_id, packages } }));
