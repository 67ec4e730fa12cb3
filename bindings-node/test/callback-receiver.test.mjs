// The example callback receiver gets the simulator's real callback deliveries and refuses wrong
// credentials.

import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { startSimulator } from 'sellkit';
import { createReceiver } from '../../examples/node/eqp-callback-receiver.mjs';

async function listen(onEvent) {
  const server = createReceiver({ username: 'hook-user', password: 'hook-password' }, onEvent);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}/eqp-callback` };
}

test('the receiver gets the scan callback', async () => {
  const sim = await startSimulator();
  const events = [];
  let arrived;
  const first = new Promise((resolve) => { arrived = resolve; });
  const { server, url } = await listen((event) => { events.push(event); arrived(); });
  try {
    sim.setEqpScanDelay(50);
    const client = sim.eqpClient();
    await client.callbacks.register([{ name: 'ci', url, username: 'hook-user', password: 'hook-password' }]);
    const [record] = await client.files.upload([{ filename: 'guide.pdf', data: Buffer.from('%PDF-1.4 example') }]);
    await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('no callback')), 10_000))]);
    assert.equal(events[0].callback_event, 'malware_scan_complete');
    assert.equal(events[0].update_info.file_upload_id, record.file_upload_id);
    client.close();
  } finally {
    server.close();
    await sim.stop();
  }
});

test('the receiver refuses wrong credentials', async () => {
  const events = [];
  const { server, url } = await listen((event) => events.push(event));
  try {
    const status = await new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { authorization: 'Basic d3Jvbmc6d3Jvbmc=' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end('{"callback_event":"x","update_info":{}}');
    });
    assert.equal(status, 401);
    assert.equal(events.length, 0);
  } finally {
    server.close();
  }
});
