// A minimal receiver of EQP callbacks: checks the Basic credentials, prints each event.
//
//   node examples/node/eqp-callback-receiver.mjs --port 8080 --username hook-user --password '...'
//
// Register its URL with `client.callbacks.register([{ url, username, password }])`. In production
// the URL must be HTTPS: put this behind your TLS-terminating server, answer quickly, and re-fetch
// the file or package by id before acting (callback payloads are not signed).

import http from 'node:http';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parseCallback, AuthenticationError, SellkitError } from 'sellkit';

/** An HTTP server that verifies and parses each POST and hands the event to `onEvent`. */
export function createReceiver({ username, password }, onEvent) {
  return http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let status = 200;
      try {
        onEvent(parseCallback(Buffer.concat(chunks), req.headers, username, password));
      } catch (e) {
        status = e instanceof AuthenticationError ? 401 : e instanceof SellkitError ? 400 : 500;
      }
      res.writeHead(status, { 'content-length': 0 }).end();
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      username: { type: 'string' },
      password: { type: 'string' },
    },
  });
  if (!values.username || !values.password) {
    console.error('usage: eqp-callback-receiver.mjs --username U --password P [--port 8080]');
    process.exit(2);
  }
  const server = createReceiver(values, (event) => {
    console.log(event.callback_event, JSON.stringify(event.update_info ?? {}));
  });
  server.listen(Number(values.port), values.host, () => {
    console.log(`listening on http://${values.host}:${server.address().port}/`);
  });
}
