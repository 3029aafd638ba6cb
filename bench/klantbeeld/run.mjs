#!/usr/bin/env node
// Klantbeeld latency benchmark (issue 7): three source systems (BRP, Zaken, KvK doubles) each
// answering after SOURCE_MS (default 50 ms); a partij with a BSN and a KvK number, so every
// klantbeeld asks all three. Measured in one run, same client, same concurrency:
//   1. the ceiling: one source asked directly (p50/p99 ≈ SOURCE_MS plus client overhead);
//   2. the klantbeeld with all three sources (target p99 ≤ 60 ms: parallel, not 150 ms);
//   3. the klantbeeld with BRP hanging and a BRP timeout of HANG_TIMEOUT_MS (default 200 ms)
//      (target: the answer at the timeout + ≤ 10 ms).
// Writes bench/results/YYYY-MM-DD-klantbeeld.md. Loopback only; every process is stopped.
//
// Environment: BENCH_SECONDS (per run, default 10), BENCH_CONNS (concurrent clients, default 8),
// SOURCE_MS (50), HANG_TIMEOUT_MS (200), OMNIKANAAL_BIN (default build/omnikanaal),
// BENCH_RESULTS (results file).
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const BIN = process.env.OMNIKANAAL_BIN || join(root, 'build', 'omnikanaal');
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNS = Number(process.env.BENCH_CONNS || 8);
const SOURCE_MS = Number(process.env.SOURCE_MS || 50);
const HANG_TIMEOUT_MS = Number(process.env.HANG_TIMEOUT_MS || 200);
const today = new Date().toISOString().slice(0, 10);
const RESULTS = process.env.BENCH_RESULTS || join(here, '..', 'results', `${today}-klantbeeld.md`);
const persoon = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'brp', 'personen.json'), 'utf8'))[0];
const bedrijf = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'kvk', 'zoeken.json'), 'utf8'))[0];

const children = [];
const servers = [];
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

function listen(server) {
  servers.push(server);
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));
}

/** A source double that answers `body` after SOURCE_MS, or never when hang is set. */
async function source(body, { hang = false } = {}) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (hang) return;
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      }, SOURCE_MS);
    });
  });
  server.keepAliveTimeout = 60000;
  return `http://127.0.0.1:${await listen(server)}`;
}

async function freePort() {
  const s = http.createServer();
  const p = await listen(s);
  await new Promise((r) => s.close(r));
  return p;
}

async function startOmnikanaal(dir, env) {
  const port = await freePort();
  const db = join(dir, `bench-${port}.db`);
  execFileSync(BIN, ['migrate', '--db', db], { stdio: 'ignore' });
  const token = execFileSync(BIN, ['token', 'create', '--name', 'bench', '--scopes', 'kcm,*', '--db', db]).toString().trim();
  const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--db', db],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
  children.push(proc);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const post = async (path, body) => {
    const r = await fetch(base + path, { method: 'POST', body: JSON.stringify(body),
      headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' } });
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const idf = (soort, objectId, type, reg) => ({ partijIdentificator: {
    codeObjecttype: type, codeSoortObjectId: soort, objectId, codeRegister: reg } });
  const partij = await post('/klantinteracties/api/v1/partijen', {
    soortPartij: 'persoon', indicatieActief: true, indicatieGeheimhouding: false, voorkeurstaal: 'nld',
    partijIdentificatie: { contactnaam: { voorletters: 'F', voornaam: 'Fatima', voorvoegselAchternaam: 'el', achternaam: 'Amrani' } },
    partijIdentificatoren: [idf('bsn', persoon.burgerservicenummer, 'natuurlijk_persoon', 'brp'),
      idf('kvk_nummer', bedrijf.kvkNummer, 'niet_natuurlijk_persoon', 'hr')] });
  return { base, token, partij, proc };
}

/** CONNS clients in a loop for SECONDS; returns sorted latencies (ms) and status counts. */
async function load(fn) {
  const lat = [];
  const statuses = {};
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONNS }, async () => {
    while (Date.now() < end) {
      const t0 = process.hrtime.bigint();
      const status = await fn();
      lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      statuses[status] = (statuses[status] || 0) + 1;
    }
  }));
  lat.sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
  return { n: lat.length, p50: pct(50), p99: pct(99), max: lat[lat.length - 1], statuses };
}

function klantbeeld(kb, check) {
  const body = JSON.stringify({ partij: kb.partij.uuid, verwerkingsactiviteit: 'klantvraag-beantwoorden' });
  return async () => {
    const r = await fetch(`${kb.base}/klantbeeld/api/v1/_zoek`, { method: 'POST', body,
      headers: { Authorization: `Token ${kb.token}`, 'Content-Type': 'application/json' } });
    const json = await r.json();
    return r.status === 200 && check(json.bronnen) ? 'ok' : `wrong:${r.status}:${JSON.stringify(json.bronnen)}`;
  };
}

const fmt = (x) => x.toFixed(1);

/** The source doubles run in their own process, so the load client does not slow them. */
async function sourcesProcess() {
  const brpBody = { type: 'RaadpleegMetBurgerservicenummer', personen: [persoon] };
  const zakenBody = { count: 1, next: null, previous: null, results: [{ url: 'http://zaken.test/zaken/1', identificatie: 'ZAAK-1', omschrijving: 'Parkeervergunning', startdatum: '2026-10-01', einddatum: null }] };
  const kvkBody = { pagina: 1, resultatenPerPagina: 10, totaal: 1, resultaten: [bedrijf] };
  const urls = await Promise.all([source(brpBody), source(zakenBody), source(kvkBody), source(null, { hang: true })]);
  process.stdout.write(JSON.stringify(urls) + '\n');
}

function startSources() {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), 'sources'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  return new Promise((resolve) => {
    let out = '';
    proc.stdout.on('data', (c) => { out += c; if (out.includes('\n')) resolve(JSON.parse(out)); });
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'omk-bench-kb-'));
  const [brp, zaken, kvk, brpHang] = await startSources();
  const env = { OMNIKANAAL_BRP_URL: brp, OMNIKANAAL_ZAKEN_URL: zaken, OMNIKANAAL_ZAKEN_CLIENT_ID: 'bench',
    OMNIKANAAL_ZAKEN_SECRET: 'bench', OMNIKANAAL_KVK_URL: kvk };
  const all = await startOmnikanaal(dir, env);
  const hang = await startOmnikanaal(dir, { ...env, OMNIKANAAL_BRP_URL: brpHang, OMNIKANAAL_BRP_TIMEOUT_MS: String(HANG_TIMEOUT_MS) });
  const load1 = loadavg()[0];

  const direct = await load(async () => {
    const r = await fetch(`${zaken}/zaken/_zoek`, { method: 'POST', body: '{}' });
    await r.arrayBuffer();
    return r.status === 200 ? 'ok' : `wrong:${r.status}`;
  });
  const okAll = (b) => b.brp === 'ok' && b.zaken === 'ok' && b.kvk === 'ok';
  const three = await load(klantbeeld(all, okAll));
  const okHang = (b) => b.brp === 'timeout' && b.zaken === 'ok' && b.kvk === 'ok';
  const hung = await load(klantbeeld(hang, okHang));
  const load2 = loadavg()[0];

  const rows = [
    ['one source directly (ceiling)', direct, `${SOURCE_MS} ms`],
    ['klantbeeld, 3 sources ok', three, `p99 ≤ ${SOURCE_MS + 10} ms`],
    [`klantbeeld, BRP hangs (timeout ${HANG_TIMEOUT_MS} ms)`, hung, `p99 ≤ ${HANG_TIMEOUT_MS + 10} ms`],
  ];
  const met3 = three.p99 <= SOURCE_MS + 10;
  const metHang = hung.p99 <= HANG_TIMEOUT_MS + 10;
  const table = ['| run | requests | p50 ms | p99 ms | max ms | answers | target |', '|---|---:|---:|---:|---:|---|---|',
    ...rows.map(([name, r, target]) => `| ${name} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${JSON.stringify(r.statuses)} | ${target} |`)];
  const md = `# Klantbeeld latency — ${today}

Machine: ${cpus().length} cores (${cpus()[0].model}); load average ${load1.toFixed(2)} before, ${load2.toFixed(2)} after
(other work on the machine shares the cores). ${CONNS} concurrent clients, ${SECONDS} s per run, every
source answering after ${SOURCE_MS} ms; the partij has a BSN and a KvK number so each klantbeeld asks
BRP, Zaken and KvK. Each klantbeeld also writes its Logboek Dataverwerkingen records durably
(one fsync'd group commit) before answering.

${table.join('\n')}

- Sequential fetching would cost ≥ ${3 * SOURCE_MS} ms per klantbeeld; measured p99 is
  ${fmt(three.p99)} ms = ${fmt(three.p99 / direct.p99 * 100)}% of one source's own p99 (${fmt(direct.p99)} ms):
  target p99 ≤ ${SOURCE_MS + 10} ms ${met3 ? 'met' : 'NOT met'}.
- With BRP hanging: p99 ${fmt(hung.p99)} ms against a timeout of ${HANG_TIMEOUT_MS} ms
  (+${fmt(hung.p99 - HANG_TIMEOUT_MS)} ms): target ≤ +10 ms ${metHang ? 'met' : 'NOT met'}.
- "answers" counts responses whose per-source status was as expected ("ok"); anything else is listed.

Run with \`node bench/klantbeeld/run.mjs\` (see the file header for the settings).
`;
  writeFileSync(RESULTS, md);
  process.stdout.write(md);
  for (const c of children) c.kill('SIGTERM');
  for (const s of servers) s.closeAllConnections?.(), s.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

if (process.argv[2] === 'sources') sourcesProcess();
else main().catch((e) => { console.error(e); process.exit(1); });
