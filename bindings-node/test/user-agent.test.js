'use strict';
// The User-Agent names the Node version (set when the package loads) and the caller's suffix.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { EqpClient, APIConnectionError } = require('sellkit');

test('User-Agent is sellkit/<version> (node x.y; <os>) <suffix>', async (t) => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ mage_id: 'MAG1', ust: 'tok', expires_in: 600 }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const client = new EqpClient({
    appId: 'id', appSecret: 'secret', baseUrl: `http://127.0.0.1:${server.address().port}`, userAgentSuffix: 'ua-test/1.0',
  });
  assert.equal(await client.authenticate(), 'MAG1');
  const [major, minor] = process.versions.node.split('.');
  const ua = seen[0]['user-agent'];
  assert.match(ua, /^sellkit\/\d+\.\d+\.\d+ \(/);
  assert.ok(ua.includes(`(node ${major}.${minor}; `), ua);
  assert.ok(ua.endsWith(' ua-test/1.0'), ua);
  server.closeAllConnections();
});

test('a refused connection is an APIConnectionError', async (t) => {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  await new Promise((resolve) => server.close(resolve));
  const client = new EqpClient({ appId: 'id', appSecret: 'secret', baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
  const err = await client.authenticate().catch((e) => e);
  assert.ok(err instanceof APIConnectionError, String(err));
  assert.equal(err.kind, 'connection');
  assert.equal(err.status, null);
});
