// Sanity check of a generated database through the API, before anything is measured: a few
// objects of every generated kind are read over HTTP and compared with their rows (read with the
// sqlite3 CLI), and the benchmarked page is checked for shape, order and nested expansion.
// Exits non-zero with the first mismatches; prints one line `CHECK ok key=value ...` otherwise.
// Usage: node check.mjs BASE_URL TOKEN DB_FILE CONTACTS_PER_PARTIJ
import { execFileSync } from 'node:child_process';

const [, , base, token, dbFile, perPartijArg] = process.argv;
const perPartij = Number(perPartijArg);
const api = `${base}/klantinteracties/api/v1`;
const headers = { Authorization: `Token ${token}`, Accept: 'application/json' };
const problems = [];
let gets = 0;

const sql = (q) => JSON.parse(execFileSync('sqlite3', ['-json', dbFile, q], { encoding: 'utf8' }) || '[]');
const iso = (us) => new Date(Number(us) / 1000).toISOString().replace('.000Z', 'Z');
function expect(what, got, want) {
  if (got !== want) problems.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
async function get(path) {
  const r = await fetch(`${api}${path}`, { headers });
  const text = await r.text();
  gets++;
  if (r.status !== 200) {
    problems.push(`GET ${path}: status ${r.status}: ${text.slice(0, 200)}`);
    return null;
  }
  try {
    return { body: JSON.parse(text), bytes: Buffer.byteLength(text) };
  } catch (e) {
    problems.push(`GET ${path}: not JSON: ${text.slice(0, 200)}`);
    return null;
  }
}

// A partij with its identificator, digitaal adres and betrokkenen.
const [p] = sql(`SELECT p.uuid, p.cn_voornaam, p.cn_achternaam, i.object_id AS bsn,
  (SELECT count(*) FROM betrokkenen b WHERE b.was_partij = p.uuid) AS betrokkenen
  FROM partijen p JOIN partij_identificatoren i ON i.identificeerde_partij = p.uuid WHERE p.id = 1`);
const partij = (await get(`/partijen/${p.uuid}`))?.body;
if (partij) {
  expect('partij.uuid', partij.uuid, p.uuid);
  expect('partij.soortPartij', partij.soortPartij, 'persoon');
  expect('partij.indicatieActief', partij.indicatieActief, true);
  expect('partij.contactnaam.voornaam', partij.partijIdentificatie?.contactnaam?.voornaam, p.cn_voornaam);
  expect('partij.contactnaam.achternaam', partij.partijIdentificatie?.contactnaam?.achternaam, p.cn_achternaam);
  expect('partij.bezoekadres.straatnaam', partij.bezoekadres?.straatnaam, '');
  expect('partij.betrokkenen.length', partij.betrokkenen?.length, p.betrokkenen);
  expect('partij.betrokkenen (per partij)', p.betrokkenen, perPartij);
  expect('partij.partijIdentificatoren.length', partij.partijIdentificatoren?.length, 1);
  expect('partij.digitaleAdressen.length', partij.digitaleAdressen?.length, 1);
}
const pi = (await get(`/partij-identificatoren?partijIdentificatorObjectId=${p.bsn}`))?.body;
if (pi) {
  expect('identificator count', pi.count, 1);
  expect('identificator partij', pi.results?.[0]?.identificeerdePartij?.uuid, p.uuid);
}

// A klantcontact with a zaak (every 10th) and its betrokkene, actor and onderwerpobject.
const [k] = sql(`SELECT k.uuid, k.kanaal, k.onderwerp, k.plaatsgevonden_op AS t, k.indicatie_contact_gelukt AS ok,
  b.uuid AS betr, b.was_partij AS partij, o.uuid AS ow, o.oi_object_id AS zaak
  FROM klantcontacten k JOIN betrokkenen b ON b.had_klantcontact = k.uuid
  JOIN onderwerpobjecten o ON o.klantcontact = k.uuid WHERE k.id = 10`);
const kc = (await get(`/klantcontacten/${k.uuid}?expand=gingOverOnderwerpobjecten`))?.body;
if (kc) {
  expect('klantcontact.uuid', kc.uuid, k.uuid);
  expect('klantcontact.kanaal', kc.kanaal, k.kanaal);
  expect('klantcontact.onderwerp', kc.onderwerp, k.onderwerp);
  expect('klantcontact.plaatsgevondenOp', kc.plaatsgevondenOp, iso(k.t));
  expect('klantcontact.indicatieContactGelukt', kc.indicatieContactGelukt, k.ok === 1);
  expect('klantcontact.reactie', kc.reactie, '');
  expect('klantcontact.nummer', kc.nummer, null);
  expect('klantcontact.hadBetrokkenen', kc.hadBetrokkenen?.map((x) => x.uuid).join(), k.betr);
  expect('klantcontact.hadBetrokkenActoren.length', kc.hadBetrokkenActoren?.length, 1);
  expect('klantcontact.gingOverOnderwerpobjecten', kc.gingOverOnderwerpobjecten?.map((x) => x.uuid).join(), k.ow);
  expect('klantcontact._expand zaak', kc._expand?.gingOverOnderwerpobjecten?.[0]?.onderwerpobjectidentificator?.objectId, k.zaak);
}
const betr = (await get(`/betrokkenen/${k.betr}`))?.body;
if (betr) {
  expect('betrokkene.wasPartij', betr.wasPartij?.uuid, k.partij);
  expect('betrokkene.hadKlantcontact', betr.hadKlantcontact?.uuid, k.uuid);
  expect('betrokkene.rol', betr.rol, 'klant');
  expect('betrokkene.initiator', betr.initiator, true);
}
const [t] = sql(`SELECT uuid, status, toegewezen_op AS t, afgehandeld_op AS a FROM internetaken ORDER BY id LIMIT 1`);
const taak = (await get(`/internetaken/${t.uuid}`))?.body;
if (taak) {
  expect('internetaak.status', taak.status, t.status);
  expect('internetaak.toegewezenOp', taak.toegewezenOp, iso(t.t));
  expect('internetaak.afgehandeldOp', taak.afgehandeldOp, t.a === null ? null : iso(t.a));
  expect('internetaak.toegewezenAanActoren.length', taak.toegewezenAanActoren?.length, 1);
}

// The benchmarked page: newest first, nested expansion down to the partij.
const [n] = sql(`SELECT count(*) AS c FROM klantcontacten`);
const newest = sql(`SELECT uuid FROM klantcontacten ORDER BY plaatsgevonden_op DESC, id DESC LIMIT 100`);
const page = await get('/klantcontacten?expand=hadBetrokkenen,hadBetrokkenen.wasPartij&pageSize=100');
if (page) {
  const b = page.body;
  expect('page.count', b.count, n.c);
  expect('page.results.length', b.results?.length, 100);
  expect('page order (uuids)', b.results?.map((x) => x.uuid).join(), newest.map((x) => x.uuid).join());
  const e = b.results?.[0]?._expand?.hadBetrokkenen?.[0];
  expect('page nested wasPartij', e?._expand?.wasPartij?.uuid, e?.wasPartij?.uuid);
  expect('page nested partij betrokkenen', e?._expand?.wasPartij?.betrokkenen?.length, perPartij);
}

// The KISS history list for the partij above.
const hist = (await get(`/betrokkenen?wasPartij__url=${encodeURIComponent(`${api}/partijen/${p.uuid}`)}&pageSize=100`))?.body;
if (hist) {
  expect('history count', hist.count, perPartij);
  expect('history results', hist.results?.length, Math.min(perPartij, 100));
}

if (problems.length) {
  console.error(`check: ${problems.length} problem(s) with ${dbFile}:\n  ${problems.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
console.log(`CHECK ok gets=${gets} page_bytes=${page.bytes} count=${page.body.count}`);
