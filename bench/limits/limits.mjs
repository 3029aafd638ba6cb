// Limits benchmark (bench/limits/run; docs/limieten.md): what other clients see while
//  A. 1,500 idle or trickling connections come from one address (127.0.0.2), the server at
//     1,024 open files (prlimit): the latency of GET /healthz from 127.0.0.1, each on a fresh
//     connection as a health checker makes them;
//  B. 32 wrong log-ins run in parallel without pause (each from its own address, each for
//     another account, the per-address and per-account limits raised so that every attempt
//     reaches the password check: the worst case for the check's cost): the latency of
//     GET /healthz and of a list of the Klantinteracties API (keep-alive, as a client makes
//     them), sequentially for the whole run.
// Each scenario is measured next to its quiet baseline in the same run, against this build and,
// when BEFORE_BIN is given, against an older build (the peer: a server without these limits).
// Prints JSON. Environment: OMNIKANAAL_BIN, BEFORE_BIN, BENCH_SECONDS (10), BENCH_TMPDIR.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startServer(bin, { prefix = [], args = [] } = {}) {
  const dir = mkdtempSync(join(process.env.BENCH_TMPDIR || tmpdir(), 'omk-limits-'));
  const db = join(dir, 'db');
  execFileSync(bin, ['migrate', '--db', db], { stdio: 'ignore' });
  const token = execFileSync(bin, ['token', 'create', '--name', 'bench', '--db', db], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const cmd = [...prefix, bin, 'serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args];
  const proc = spawn(cmd[0], cmd.slice(1), { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try { if ((await get(port, '/healthz', { timeout: 1000 })).status === 200) break; } catch { /* not up */ }
    await sleep(50);
  }
  return { port, token, stop: async () => { proc.kill('SIGTERM'); await new Promise((r) => proc.on('exit', r)); rmSync(dir, { recursive: true, force: true }); } };
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** A request; resolves {status, ms}. agent false: a fresh connection. */
function get(port, path, { agent = false, headers = {}, timeout = 30000, method = 'GET', body, from } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const data = body === undefined ? undefined : JSON.stringify(body);
    const h = { ...headers };
    if (data) Object.assign(h, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers: h, timeout, localAddress: from }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p) => s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2) : null;
  return { n: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s.length ? +s[s.length - 1].toFixed(2) : null };
}

/** Sequential requests for `seconds`; latencies of the 200s, and how many were not 200. */
async function probe(port, path, seconds, opts) {
  const ms = [];
  let failed = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    try {
      const r = await get(port, path, opts);
      if (r.status === 200) ms.push(r.ms); else failed++;
    } catch { failed++; }
  }
  return { ...stats(ms), failed };
}

/** 1,500 connections from 127.0.0.2 in a child process (its own event loop), every other one
 * trickling a head; kept up (reopened when closed) until stopped. */
function flood(port) {
  const code = `
    const net = require('node:net');
    let live = 0;
    function one(i) {
      const s = net.connect({ port: ${port}, host: '127.0.0.1', localAddress: '127.0.0.2' });
      s.on('connect', () => { live++; if (i % 2) s.write('GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nX-Langzaam: '); });
      s.on('error', () => {});
      s.on('close', () => { live = Math.max(0, live - 1); setTimeout(() => one(i), 1000); });
      if (i % 2) { const t = setInterval(() => { if (s.writable) s.write('a'); else clearInterval(t); }, 1000); }
    }
    for (let i = 0; i < 1500; i++) one(i);
    setInterval(() => process.stdout.write(live + '\\n'), 1000);
  `;
  const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  p.stdout.on('data', () => {});
  return { stop: () => p.kill('SIGKILL') };
}

/** 32 log-in loops in a child process (its own event loop, so that the probes' timings are
 * not its), each from its own address, every attempt for a new account, for `seconds`.
 * Resolves the count of answers by status. */
function wrongLogins(port, seconds) {
  const code = `
    const http = require('node:http');
    const counts = {};
    const stopAt = Date.now() + ${seconds * 1000};
    const post = (from, body) => new Promise((resolve) => {
      const data = JSON.stringify(body);
      const req = http.request({ host: '127.0.0.1', port: ${port}, path: '/auth/api/v1/login', method: 'POST',
        agent: false, localAddress: from, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } },
        (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
      req.on('error', () => resolve('error'));
      req.end(data);
    });
    const loops = Array.from({ length: 32 }, async (_, i) => {
      for (let k = 0; Date.now() < stopAt; k++) {
        const status = await post('127.0.5.' + (i + 1), { gebruikersnaam: 'bench-' + i + '-' + k, wachtwoord: 'fout' });
        counts[status] = (counts[status] || 0) + 1;
        // An attacker does not honour Retry-After; a short pause keeps the generator from
        // taking the machine's cores itself.
        if (status === 503 || status === 429) await new Promise((r) => setTimeout(r, 50));
      }
    });
    Promise.all(loops).then(() => { process.stdout.write(JSON.stringify(counts)); });
  `;
  const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  return new Promise((resolve) => p.on('exit', () => { try { resolve(JSON.parse(out)); } catch { resolve({}); } }));
}

async function scenarioConnections(bin) {
  const srv = await startServer(bin, { prefix: ['prlimit', '--nofile=1024'] });
  try {
    const quiet = await probe(srv.port, '/healthz', SECONDS / 2, {});
    const f = flood(srv.port);
    await sleep(3000); // the connections are made
    const loaded = await probe(srv.port, '/healthz', SECONDS, { timeout: 5000 });
    f.stop();
    return { quiet, loaded };
  } finally { await srv.stop(); }
}

async function scenarioLogins(bin, isNew) {
  const args = isNew ? ['--login-limit-address', '1000000', '--login-limit-account', '1000000'] : [];
  const srv = await startServer(bin, { args });
  try {
    const auth = { Authorization: `Token ${srv.token}` };
    const list = '/klantinteracties/api/v1/partijen?pageSize=1';
    const quiet = {
      healthz: await probe(srv.port, '/healthz', SECONDS / 2, { agent: keepAlive }),
      list: await probe(srv.port, list, SECONDS / 2, { agent: keepAlive, headers: auth }),
    };
    const attack = wrongLogins(srv.port, SECONDS + 1.5);
    await sleep(1000);
    const [healthz, listed] = await Promise.all([
      probe(srv.port, '/healthz', SECONDS, { agent: keepAlive }),
      probe(srv.port, list, SECONDS, { agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), headers: auth }),
    ]);
    return { quiet, loaded: { healthz, list: listed }, logins: await attack };
  } finally { await srv.stop(); }
}

const out = { seconds: SECONDS, load: [] };
const loadavg = () => execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
for (const [name, bin, isNew] of [['after', process.env.OMNIKANAAL_BIN, true], ['before', process.env.BEFORE_BIN, false]]) {
  if (!bin) continue;
  out.load.push(`${name} connections: ${loadavg()}`);
  const connections = await scenarioConnections(bin);
  out.load.push(`${name} logins: ${loadavg()}`);
  const logins = await scenarioLogins(bin, isNew);
  out[name] = { bin, connections, logins };
}
out.load.push(`end: ${loadavg()}`);
console.log(JSON.stringify(out));
process.exit(0);
