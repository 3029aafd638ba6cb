// Test doubles of the source systems the klantbeeld reads, each speaking its official API:
// - BRP: Haal Centraal BRP Personen `POST /haalcentraal/api/brp/personen` answering from the
//   fixture file tests/fixtures/brp/personen.json (checked against the official spec by
//   brp-fixtures.test.mjs);
// - Zaken: Prism serving the official ZGW Zaken OpenAPI file (it validates our request:
//   JWT bearer, Accept-Crs, Content-Crs, the ZaakZoek body);
// - KvK: Zoeken v2 `GET /zoeken?kvkNummer=…` from tests/fixtures/kvk/zoeken.json;
// - a delay/failure proxy that puts latency, a hang or a reset in front of any of them.
// Every double records the requests it received (method, url, headers, body).
import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', '..', 'fixtures');
export const BRP_PERSONEN = JSON.parse(readFileSync(join(fixtures, 'brp', 'personen.json'), 'utf8'));
export const KVK_ZOEKEN = JSON.parse(readFileSync(join(fixtures, 'kvk', 'zoeken.json'), 'utf8'));
export const ZAKEN_SPEC = join(here, '..', '..', '..', '..', 'shared', 'spec', 'zgw-zaken-api-1.5.1.openapi.yaml');

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function problem(res, status, title, extra = {}) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `https://example.invalid/${status}`, title, status, ...extra }));
}

async function startDouble(handler) {
  const received = [];
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({ method: req.method, url: req.url, headers: req.headers, body });
    handler(req, res, body);
  });
  const port = await listen(server);
  return {
    port, received, url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

/** BRP double; `apiKey` is required in X-API-KEY. */
export async function startBrp({ apiKey = 'brp-test-key' } = {}) {
  const d = await startDouble((req, res, body) => {
    if (req.method !== 'POST' || req.url !== '/haalcentraal/api/brp/personen') return problem(res, 404, 'Not Found');
    if (req.headers['x-api-key'] !== apiKey) return problem(res, 401, 'Niet geauthenticeerd.');
    let q;
    try { q = JSON.parse(body); } catch { return problem(res, 400, 'Ongeldige JSON.'); }
    if (q.type !== 'RaadpleegMetBurgerservicenummer' || !Array.isArray(q.burgerservicenummer) ||
        !Array.isArray(q.fields) || q.fields.length === 0 ||
        !q.burgerservicenummer.every((b) => /^[0-9]{9}$/.test(b))) {
      return problem(res, 400, 'Een of meerdere parameters zijn niet correct.',
        { invalidParams: [{ name: 'type', code: 'value', reason: 'Ongeldige waarde.' }] });
    }
    const personen = BRP_PERSONEN.filter((p) => q.burgerservicenummer.includes(p.burgerservicenummer));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ type: 'RaadpleegMetBurgerservicenummer', personen }));
  });
  d.base = `${d.url}/haalcentraal/api/brp`;
  return d;
}

/** KvK Zoeken v2 double; `apiKey` is required in the apikey header. */
export async function startKvk({ apiKey = 'kvk-test-key' } = {}) {
  const d = await startDouble((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (req.method !== 'GET' || u.pathname !== '/api/v2/zoeken') return problem(res, 404, 'Not Found');
    if (req.headers.apikey !== apiKey) return problem(res, 401, 'Unauthorized');
    const kvk = u.searchParams.get('kvkNummer');
    const vest = u.searchParams.get('vestigingsnummer');
    const resultaten = KVK_ZOEKEN.filter((r) => (kvk && r.kvkNummer === kvk) || (vest && r.vestigingsnummer === vest));
    if (resultaten.length === 0) return problem(res, 404, 'Geen resultaten');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ pagina: 1, resultatenPerPagina: 10, totaal: resultaten.length, resultaten, links: [] }));
  });
  d.base = `${d.url}/api/v2`;
  return d;
}

/** Prism mocking the official Zaken API; resolves once it answers. */
export async function startZakenPrism() {
  const port = await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
  const bin = join(here, '..', '..', 'node_modules', '.bin', 'prism');
  const proc = spawn(bin, ['mock', '-h', '127.0.0.1', '-p', String(port), ZAKEN_SPEC],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (c) => { log += c; });
  proc.stderr.on('data', (c) => { log += c; });
  const deadline = Date.now() + 60000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prism exited: ${log.slice(-2000)}`);
    if (/Prism is listening/.test(log)) break;
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`prism did not start: ${log.slice(-2000)}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, base: `http://127.0.0.1:${port}`, log: () => log,
    close: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }),
  };
}

/**
 * A proxy in front of `target` (base URL). mode: 'delay' (forward after delayMs), 'hang'
 * (accept and never answer), 'reset' (close the connection), 'status500'.
 */
export async function startProxy(target, { mode = 'delay', delayMs = 0 } = {}) {
  const t = new URL(target);
  const sockets = new Set();
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    if (mode === 'hang') return;
    if (mode === 'reset') { req.socket.destroy(); return; }
    if (mode === 'status500') return problem(res, 500, 'Interne fout');
    setTimeout(() => {
      const up = http.request({ host: t.hostname, port: t.port, method: req.method,
        path: t.pathname.replace(/\/$/, '') + req.url, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode, ur.headers);
        ur.pipe(res);
      });
      up.on('error', () => { res.writeHead(502); res.end(); });
      up.end(body);
    }, delayMs);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  const port = await listen(server);
  return {
    port, base: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }),
  };
}
