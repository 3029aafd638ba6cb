#!/usr/bin/env node
// The request corpus: several hundred requests over every route of the demo municipality —
// lists with filters, pages and expansions, every object read, searches, and refused requests
// (bad bodies, unknown objects, wrong methods) — sent to a server binary, each answer written
// normalised (uuids numbered in order of first appearance, timestamps, trace ids and ports
// masked) so two binaries can be compared byte for byte. Used to show that a restructuring
// changed no behaviour:
//
//   node scripts/corpus.mjs record BIN OUT.txt     answers of BIN to the corpus
//   node scripts/corpus.mjs compare BIN_A BIN_B    both, then the first difference (exit 1)
//   node scripts/corpus.mjs compare-db BIN         the Klantinteracties part of the corpus on
//                                                  SQLite and on PostgreSQL (a throwaway cluster,
//                                                  tests/api/lib/pg.mjs), the register only
//                                                  (demo --register-only); every difference
//
// Each run loads the demo (same seed) into a fresh database and sends the requests one at a
// time in a fixed order. Almost all of them only read or are refused; the few that create
// (an empty body is a valid onderwerpobject, bijlage, categorie or chat) do so in the same
// order in every run, so the answers stay comparable.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const KI = '/klantinteracties/api/v1';
const KB = '/kennisbank/api/v1';
const KLB = '/klantbeeld/api/v1';
const KAN = '/kanalen/api/v1';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startDemo(bin, { db = null, registerOnly = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'omk-corpus-'));
  db = db || join(dir, 'demo.db');
  execFileSync(bin, ['demo', '--db', db, '--seed', '2026', ...(registerOnly ? ['--register-only'] : [])],
    { stdio: 'ignore' });
  const token = execFileSync(bin, ['token', 'create', '--name', 'corpus', '--db', db], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, token, stop: () => { proc.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

async function send(srv, method, path, body, { token = srv.token, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  if (token) headers.Authorization = `Token ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(srv.base + path, { method, headers, redirect: 'manual',
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  const keep = ['content-type', 'allow', 'location', 'api-version'];
  const hs = keep.filter((k) => res.headers.get(k) !== null).map((k) => `${k}: ${res.headers.get(k)}`);
  return { status: res.status, headers: hs, text };
}

/** Every request of the corpus, built from what the demo holds (found by reading it); with
 * registerOnly the Klantinteracties part alone. */
async function buildCorpus(srv, registerOnly = false) {
  const reqs = [];
  const add = (method, path, body, opts) => reqs.push({ method, path, body, opts });
  const list = async (p) => { const r = await send(srv, 'GET', p); return r.status === 200 ? JSON.parse(r.text) : { results: [] }; };
  const kiResources = ['partijen', 'partij-identificatoren', 'digitaleadressen', 'klantcontacten',
    'betrokkenen', 'actoren', 'actorklantcontacten', 'onderwerpobjecten', 'bijlagen', 'internetaken',
    'rekeningnummers', 'vertegenwoordigingen', 'categorieen', 'categorie-relaties'];
  for (const r of kiResources) {
    add('GET', `${KI}/${r}`);
    add('GET', `${KI}/${r}?pageSize=5`);
    add('GET', `${KI}/${r}?pageSize=3&page=2`);
    add('GET', `${KI}/${r}?onbekend=1`);
    add('GET', `${KI}/${r}/00000000-0000-4000-8000-000000000000`);
    add('POST', `${KI}/${r}`, {});
    add('POST', `${KI}/${r}`, '{"kapot');
    add('PUT', `${KI}/${r}/00000000-0000-4000-8000-000000000000`, {});
    add('DELETE', `${KI}/${r}/niet-een-uuid`);
    const page = await list(`${KI}/${r}?pageSize=6`);
    for (const o of page.results || []) {
      add('GET', `${KI}/${r}/${o.uuid}`);
      add('PATCH', `${KI}/${r}/${o.uuid}`, '[]');
    }
  }
  for (const e of ['betrokkenen', 'betrokkenen.hadKlantcontact', 'digitaleAdressen', 'categorieRelaties']) add('GET', `${KI}/partijen?pageSize=4&expand=${e}`);
  for (const e of ['hadBetrokkenen', 'hadBetrokkenen.wasPartij', 'gingOverOnderwerpobjecten', 'omvatteBijlagen', 'leiddeTotInterneTaken']) add('GET', `${KI}/klantcontacten?pageSize=4&expand=${e}`);
  for (const q of ['kanaal=telefoon', 'kanaal=e-mail&pageSize=4', 'onderwerp=paspoort', 'vertrouwelijk=true',
    'indicatieContactGelukt=false&pageSize=3', 'plaatsgevondenOpVan=2026-01-01T00:00:00Z&pageSize=3']) add('GET', `${KI}/klantcontacten?${q}`);
  for (const q of ['soortPartij=persoon&pageSize=3', 'soortPartij=organisatie', 'indicatieActief=false',
    'partijIdentificator__objectId=999993653', 'naam=jansen']) add('GET', `${KI}/partijen?${q}`);
  add('GET', `${KI}/openapi.json`);
  add('HEAD', `${KI}/partijen`);
  add('GET', `${KI}/partijen/`);
  add('POST', `${KI}/maak-klantcontact`, {});
  if (registerOnly) return reqs;
  // The kennisbank.
  add('GET', `${KB}/artikelen`);
  add('GET', `${KB}/artikelen?pageSize=3`);
  const arts = await list(`${KB}/artikelen?pageSize=8`);
  for (const a of arts.results || []) {
    add('GET', `${KB}/artikelen/${a.uuid}`);
    add('GET', `${KB}/artikelen/${a.uuid}/versies`);
    for (const k of ['web', 'chat', 'telefoon', 'fax']) add('GET', `${KB}/artikelen/${a.uuid}/weergave/${k}`);
  }
  for (const q of ['paspoort', 'verhuizing doorgeven', 'afval', 'parkeervergunning', 'rijbewijs', 'xyzzy', '"paspoort aanvragen"', 'hond']) {
    add('POST', `${KB}/_zoek`, { q });
    add('GET', `${KB}/_zoek?q=${encodeURIComponent(q)}`);
  }
  add('POST', `${KB}/_zoek`, {});
  add('GET', `${KB}/gebruik`);
  add('GET', `${KB}/reviewwachtrij`);
  add('POST', `${KB}/artikelen`, { titel: '' });
  // The klantbeeld.
  const pis = await list(`${KI}/partij-identificatoren?pageSize=10`);
  for (const pi of pis.results || []) {
    const id = pi.partijIdentificator || {};
    if (id.codeSoortObjectId === 'bsn') add('POST', `${KLB}/_zoek`, { bsn: id.objectId, verwerkingsactiviteit: 'klantvraag-beantwoorden' });
  }
  const ps = await list(`${KI}/partijen?pageSize=6`);
  for (const p of ps.results || []) {
    add('POST', `${KLB}/_zoek`, { partij: p.uuid, verwerkingsactiviteit: 'klantvraag-beantwoorden' });
    add('POST', `${KLB}/_zoek`, { partij: p.uuid, verwerkingsactiviteit: 'contactverzoek-afhandelen' });
  }
  for (const b of [{}, { bsn: '123' }, { naam: 'Jansen', verwerkingsactiviteit: 'klantvraag-beantwoorden' }, { email: 'x@y', verwerkingsactiviteit: 'onbekend' }]) add('POST', `${KLB}/_zoek`, b);
  add('GET', `${KLB}/dubbelen`);
  add('GET', `${KLB}/samenvoegingen`);
  add('GET', `${KLB}/openapi.json`);
  // The channels.
  for (const p of ['contactverzoeken', 'contactverzoeken?status=open', 'servicenormen', 'gesprekken', 'oproepen', 'balie/aanmeldingen', 'chat/wachtrij']) add('GET', `${KAN}/${p}`);
  const kvs = await list(`${KAN}/contactverzoeken?pageSize=6`);
  for (const kv of kvs.results || []) add('GET', `${KAN}/contactverzoeken/${kv.uuid}`);
  const gs = await list(`${KAN}/gesprekken?pageSize=6`);
  for (const g of gs.results || []) add('GET', `${KAN}/gesprekken/${g.uuid}`);
  const ns = await list(`${KAN}/servicenormen?pageSize=4`);
  for (const n of ns.results || []) add('GET', `${KAN}/servicenormen/${n.uuid}`);
  for (const [p, b] of [['contactverzoeken', {}], ['berichten', {}], ['cti/events', {}], ['post', {}], ['koppelcodes', {}], ['koppelcodes/_gebruik', { code: '000000' }], ['balie/aanmeldingen', {}], ['chat/sessies', {}]]) add('POST', `${KAN}/${p}`, b);
  add('GET', `${KAN}/openapi.json`);
  // Sessions, the residents' API without a resident, unknown paths, methods, no credential.
  add('GET', '/auth/api/v1/sessie');
  add('POST', '/auth/api/v1/login', { gebruikersnaam: 'niemand', wachtwoord: 'fout1234' });
  add('GET', '/mijn/api/v1/klantcontacten');
  add('GET', '/healthz');
  add('GET', '/bestaat/niet');
  add('DELETE', `${KB}/_zoek`);
  add('GET', `${KI}/partijen`, undefined, { token: null });
  add('GET', `${KI}/partijen`, undefined, { token: 'fout' });
  add('GET', `${KI}/partijen`, undefined, { accept: 'text/html' });
  return reqs;
}

/** Masks what differs per run: uuids (numbered by first appearance), times, ports, trace ids. */
function normalise(text, ids) {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (u) => {
      const k = u.toLowerCase();
      if (!ids.has(k)) ids.set(k, `<uuid-${ids.size + 1}>`);
      return ids.get(k);
    })
    .replace(/127\.0\.0\.1:\d+/g, '<host>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<tijd>')
    .replace(/"(traceId|spanId|trace_id|csrfToken|token|geheim)"\s*:\s*"[^"]*"/g, '"$1":"<x>"');
}

async function record(bin, { db = null, registerOnly = false } = {}) {
  const srv = await startDemo(bin, { db, registerOnly });
  try {
    const reqs = await buildCorpus(srv, registerOnly);
    const ids = new Map();
    const out = [];
    const answers = [];
    for (const r of reqs) {
      const res = await send(srv, r.method, r.path, r.body, r.opts || {});
      const lines = [`### ${r.method} ${normalise(r.path, ids)}${r.body !== undefined ? ' ' + normalise(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), ids) : ''}`,
        `${res.status}`, ...res.headers.map((h) => normalise(h, ids)), normalise(res.text, ids), ''];
      out.push(...lines);
      answers.push(lines.join('\n'));
    }
    return { count: reqs.length, text: out.join('\n'), answers };
  } finally {
    srv.stop();
  }
}

const [cmd, a, b] = process.argv.slice(2);
if (cmd === 'record' && a && b) {
  const r = await record(a);
  writeFileSync(b, r.text);
  console.log(`${r.count} requests recorded in ${b}`);
} else if (cmd === 'compare' && a && b) {
  const [ra, rb] = [await record(a), await record(b)];
  if (ra.count !== rb.count || ra.text !== rb.text) {
    const la = ra.text.split('\n'), lb = rb.text.split('\n');
    let i = 0;
    while (i < la.length && la[i] === lb[i]) i++;
    let h = i;
    while (h > 0 && !la[h].startsWith('### ')) h--;
    console.error(`differs at line ${i + 1} (request ${la[h]}):\n- ${la[i]}\n+ ${lb[i]}`);
    process.exit(1);
  }
  console.log(`${ra.count} requests: identical answers`);
} else if (cmd === 'compare-db' && a) {
  const { startCluster } = await import('../tests/api/lib/pg.mjs');
  const cluster = startCluster();
  let ra, rb;
  try {
    ra = await record(a, { registerOnly: true });
    rb = await record(a, { registerOnly: true, db: cluster.createDatabase('corpus') });
  } finally {
    cluster.stop();
  }
  const differ = [];
  for (let i = 0; i < Math.max(ra.answers.length, rb.answers.length); i++) {
    if (ra.answers[i] !== rb.answers[i]) differ.push(i);
  }
  for (const i of differ.slice(0, 20)) {
    const la = (ra.answers[i] || '').split('\n'), lb = (rb.answers[i] || '').split('\n');
    let k = 0;
    while (k < la.length && la[k] === lb[k]) k++;
    console.error(`${la[0]}\n  sqlite:     ${String(la[k]).slice(0, 300)}\n  postgresql: ${String(lb[k]).slice(0, 300)}`);
  }
  console.log(`${ra.count} requests on SQLite and PostgreSQL: ${ra.count - differ.length} identical, ${differ.length} differ`);
  process.exit(differ.length || ra.count !== rb.count ? 1 : 0);
} else {
  console.error('usage: corpus.mjs record BIN OUT | compare BIN_A BIN_B | compare-db BIN');
  process.exit(2);
}
