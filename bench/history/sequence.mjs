// KISS's history calls (behaviour §10 "History") as load. Each virtual user repeatedly takes the
// next id from a shuffled list and runs, in mode
//   klant: GET /betrokkenen?wasPartij__url=<partij url>&pageSize=100, then, one after another,
//          for every betrokkene GET /klantcontacten/{hadKlantcontact.uuid}?expand=gingOverOnderwerpobjecten
//          (the history of one klant; ids are partij uuids, EXPECT the contacts per partij);
//   zaak:  GET /klantcontacten?onderwerpobject__onderwerpobjectidentificatorObjectId=<zaak>
//          &expand=gingOverOnderwerpobjecten (history by zaak; ids are zaak ids, EXPECT 1),
// checking each answer the way KISS reads it (status 200, pagination types, count, _expand).
// Runs WARMUP seconds unrecorded, then SECONDS recorded (a sequence started in time is finished;
// every request has a 120 s timeout). Prints one `RESULT key=value ...` line (latencies in
// microseconds, nearest-rank percentiles), like bench/lua/report.lua.
// Usage: node sequence.mjs MODE BASE_URL TOKEN IDS_FILE EXPECT SECONDS WARMUP USERS
import { readFileSync } from 'node:fs';

const [, , mode, base, token, idFile, perPartijArg, secondsArg, warmupArg, usersArg] = process.argv;
const perPartij = Number(perPartijArg);
const seconds = Number(secondsArg);
const warmup = Number(warmupArg);
const users = Number(usersArg);
const api = `${base}/klantinteracties/api/v1`;
const headers = { Authorization: `Token ${token}`, Accept: 'application/json' };

if (mode !== 'klant' && mode !== 'zaak') throw new Error(`mode must be klant or zaak, not ${mode}`);
const partijen = readFileSync(idFile, 'utf8').split('\n').filter((l) => /^[0-9a-f-]{36}$/.test(l));
if (!partijen.length) throw new Error(`no uuids in ${idFile}`);
// A fixed shuffle (xorshift), so both sizes visit the ids in a comparable, cache-unfriendly order.
let s = 2463534242;
const rand = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 4294967296);
for (let i = partijen.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [partijen[i], partijen[j]] = [partijen[j], partijen[i]];
}

const now = () => performance.now() * 1000; // microseconds
const lat = { seq: [], list: [], detail: [] };
let next = 0, requests = 0, bytes = 0, errors = 0, firstError = '';
let recording = false;

function fail(msg) {
  errors++;
  if (!firstError) firstError = msg.replace(/\s+/g, '_').slice(0, 160);
}

async function getJson(path) {
  let r, text;
  try {
    r = await fetch(`${api}${path}`, { headers, signal: AbortSignal.timeout(120000) });
    text = await r.text();
  } catch (e) {
    return { status: String(e.name || 'error'), body: null };
  }
  if (recording) { requests++; bytes += Buffer.byteLength(text); }
  if (r.status !== 200) return { status: r.status, body: null };
  try {
    return { status: 200, body: JSON.parse(text) };
  } catch {
    return { status: -1, body: null };
  }
}

async function byZaak(zaak) {
  const rec = recording;
  const t0 = now();
  const r = await getJson(`/klantcontacten?onderwerpobject__onderwerpobjectidentificatorObjectId=${zaak}` +
    '&expand=gingOverOnderwerpobjecten');
  const t1 = now();
  if (!rec) return;
  lat.seq.push(t1 - t0);
  lat.list.push(t1 - t0);
  const b = r.body;
  if (!b || b.count !== 1 || !Array.isArray(b.results) ||
      b.results[0]?._expand?.gingOverOnderwerpobjecten?.[0]?.onderwerpobjectidentificator?.objectId !== zaak)
    fail(`klantcontacten by zaak status ${r.status} count ${b?.count}`);
}

async function sequence(partij) {
  if (mode === 'zaak') return byZaak(partij);
  const rec = recording;
  const t0 = now();
  const url = `${api}/partijen/${partij}`;
  const list = await getJson(`/betrokkenen?wasPartij__url=${encodeURIComponent(url)}&pageSize=100`);
  const t1 = now();
  const b = list.body;
  if (!b || typeof b.count !== 'number' || !Array.isArray(b.results) ||
      !(b.next === null || typeof b.next === 'string') || !(b.previous === null || typeof b.previous === 'string')) {
    if (rec) fail(`betrokkenen list status ${list.status}`);
    return;
  }
  if (rec && b.count !== perPartij) fail(`betrokkenen count ${b.count}, expected ${perPartij}`);
  const details = [];
  for (const betr of b.results) {
    if (betr.wasPartij?.uuid !== partij) { if (rec) fail('betrokkene of another partij'); continue; }
    const d0 = now();
    const d = await getJson(`/klantcontacten/${betr.hadKlantcontact.uuid}?expand=gingOverOnderwerpobjecten`);
    details.push(now() - d0);
    const k = d.body;
    if (!k || !Array.isArray(k._expand?.gingOverOnderwerpobjecten) ||
        k._expand.gingOverOnderwerpobjecten.length !== k.gingOverOnderwerpobjecten?.length) {
      if (rec) fail(`klantcontact status ${d.status} or no _expand.gingOverOnderwerpobjecten`);
    }
  }
  if (rec) {
    lat.seq.push(now() - t0);
    lat.list.push(t1 - t0);
    lat.detail.push(...details);
  }
}

async function user(deadline) {
  while (now() < deadline) await sequence(partijen[next++ % partijen.length]);
}

const pct = (a, p) => {
  if (!a.length) return 0;
  const v = a.slice().sort((x, y) => x - y);
  return Math.round(v[Math.max(0, Math.ceil(p * v.length) - 1)]);
};

const start = now();
await Promise.all(Array.from({ length: users }, () => user(start + warmup * 1e6)));
recording = true;
const t0 = now();
await Promise.all(Array.from({ length: users }, () => user(t0 + seconds * 1e6)));
const duration = now() - t0;
const all = lat.list.concat(lat.detail);
const out = {
  sequences: lat.seq.length, requests, duration_us: Math.round(duration), bytes, errors,
  users, per_partij: perPartij,
  seq_p50_us: pct(lat.seq, 0.5), seq_p99_us: pct(lat.seq, 0.99),
  list_p50_us: pct(lat.list, 0.5), list_p99_us: pct(lat.list, 0.99),
  detail_p50_us: pct(lat.detail, 0.5), detail_p99_us: pct(lat.detail, 0.99), details: lat.detail.length,
  req_p50_us: pct(all, 0.5), req_p99_us: pct(all, 0.99),
  first_error: firstError || 'none',
};
console.log('RESULT ' + Object.entries(out).map(([k, v]) => `${k}=${v}`).join(' '));
