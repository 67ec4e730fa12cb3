// Child of bench/python/mem_start.py: upload FILE through sellkit, print peak RSS (VmHWM)
// before and after as JSON. Usage: node upload_child.mjs EQP_URL APP_ID APP_SECRET FILE
import { readFileSync } from 'node:fs';
import sellkit from '../../bindings-node/index.js';

const hwmKib = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
const [url, appId, appSecret, path] = process.argv.slice(2);
const c = new sellkit.EqpClient({ appId, appSecret, baseUrl: url, uploadTimeout: 600000 });
await c.users.get();
const before = hwmKib();
const result = await c.files.upload([path]);
const after = hwmKib();
c.close();
console.log(JSON.stringify({ before_kib: before, after_kib: after, result: result[0] }));
