'use strict';
// A real Redis for the tests: Debian's `redis-server` on a free loopback port, without
// persistence (a restart loses everything: the worst case). scripts/test installs it.

const { spawn, execFileSync } = require('node:child_process');
const net = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** One command in Redis's inline form: the first line of the reply ('' when down). */
function command(port, line) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.setTimeout(500, () => { sock.destroy(); resolve(data.split('\r\n')[0]); });
    sock.on('error', () => resolve(''));
    sock.on('data', (d) => { data += d; if (data.includes('\r\n')) { sock.end(); resolve(data.split('\r\n')[0]); } });
    sock.on('connect', () => sock.write(`${line}\r\n`));
  });
}

class RedisServer {
  static async start() {
    try { execFileSync('redis-server', ['--version'], { stdio: 'ignore' }); } catch {
      throw new Error('redis-server is not installed: apt-get install redis-server (scripts/test does)');
    }
    const r = new RedisServer(await freePort());
    await r.spawn();
    return r;
  }
  constructor(port) { this.port = port; this.child = null; }
  get url() { return `redis://127.0.0.1:${this.port}/0`; }
  async spawn() {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10000;
    while ((await command(this.port, 'PING')) !== '+PONG') {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async stop() {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  async restart() { await this.stop(); await this.spawn(); }
  command(line) { return command(this.port, line); }
}

module.exports = { RedisServer };
