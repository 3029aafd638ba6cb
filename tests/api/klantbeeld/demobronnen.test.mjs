// `serve --demo-bronnen` (issue 17): the demo's fictional BRP, Zaken and KvK answer in their
// official shapes — each answer checked against the official OpenAPI file (BRP through
// lib/brp-spec.mjs, Zaken with Ajv on the ZGW Zaken spec; the KvK in the fixture's shape) — about
// the register's partijen with test BSNs only, and the klantbeeld built on them says they are
// fictional. Also: the BSN masked (maskeerBsn) and shown whole by POST /bsn/_toon with its own
// Logboek record; candidates of a name search with birth date (one BRP request), address and
// KvK number.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startServer, expectStatus, assertProblem, create, persoonBody, organisatieBody } from '../lib/harness.mjs';
import { brpValidator } from '../lib/brp-spec.mjs';
import { ZAKEN_SPEC, KVK_ZOEKEN } from '../lib/sources.mjs';

const ZOEK = '/klantbeeld/api/v1/_zoek';
const TOON = '/klantbeeld/api/v1/bsn/_toon';
const ACT = 'klantvraag-beantwoorden';
const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });
const adres = (straatnaam, huisnummer, postcode) => ({ straatnaam, huisnummer, postcode, stad: 'Voorbeeldstad', land: 'NL' });

/** OpenAPI 3.0's `nullable` beside an allOf (no `type`) as JSON Schema: "that, or null". */
function nullables(node) {
  if (Array.isArray(node)) return node.map(nullables);
  if (!node || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, nullables(v)]));
  if (out.nullable === true && out.type === undefined) {
    const { nullable, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

let zakenAjv;
/** A validator for one schema of the official ZGW Zaken spec (Ajv knows `nullable` with a type). */
function zakenValidator(name) {
  if (!zakenAjv) {
    const spec = yaml.load(readFileSync(ZAKEN_SPEC, 'utf8'));
    zakenAjv = new Ajv({ strict: false, allErrors: true });
    addFormats(zakenAjv);
    zakenAjv.addSchema({ $id: 'zaken', components: nullables(spec.components) });
  }
  const ajv = zakenAjv;
  return ajv.getSchema(`zaken#/components/schemas/${name}`);
}

/** The compact HS256 JWT a ZGW client sends. */
function jwt(secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'test', client_id: 'test', iat: Math.floor(Date.now() / 1000) })}`;
  return `${head}.${crypto.createHmac('sha256', secret).update(head).digest('base64url')}`;
}

let srv, bron, beheerder, fatima, pieter, jansen, bedrijf, echt;
before(async () => {
  srv = await startServer({ args: ['--demo-bronnen'] });
  beheerder = srv.createToken('privacy', 'beheerder');
  const m = /FICTIEVE bronnen voor de demo op (http:\/\/127\.0\.0\.1:\d+)/.exec(srv.logs());
  assert.ok(m, `the server says where its fictional sources are: ${srv.logs().slice(-1500)}`);
  bron = m[1];
  fatima = await create(srv, 'partijen', persoonBody({ partijIdentificatie: { contactnaam: { voorletters: 'F', voornaam: 'Fatima', voorvoegselAchternaam: 'el', achternaam: 'Jansen' } },
    bezoekadres: adres('Stationsstraat', 12, '1234 AB'), partijIdentificatoren: [bsnIdf('999990019')] }));
  pieter = await create(srv, 'partijen', persoonBody({ partijIdentificatie: { contactnaam: { voorletters: 'P', voornaam: 'Pieter', voorvoegselAchternaam: '', achternaam: 'Jansen' } },
    indicatieGeheimhouding: true, bezoekadres: adres('Lindelaan', 7, '1235 CD'), partijIdentificatoren: [bsnIdf('999990020')] }));
  jansen = await create(srv, 'partijen', organisatieBody({ partijIdentificatie: { naam: 'Jansen Installatietechniek' }, bezoekadres: adres('Marktplein', 3, '1236 EF') }));
  const kvk = await create(srv, 'partij-identificatoren', { identificeerdePartij: { uuid: jansen.uuid },
    partijIdentificator: { codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'kvk_nummer', objectId: '69599084', codeRegister: 'hr' } });
  await create(srv, 'partij-identificatoren', { identificeerdePartij: { uuid: jansen.uuid }, subIdentificatorVan: { uuid: kvk.uuid },
    partijIdentificator: { codeObjecttype: 'vestiging', codeSoortObjectId: 'vestigingsnummer', objectId: '000038509504', codeRegister: 'hr' } });
  bedrijf = jansen;
  // A BSN outside the test range: the fictional BRP must never make a person of it.
  echt = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('123456782')] }));
});
after(async () => { await srv?.stop(); });

const personen = (bsns, fields = ['burgerservicenummer', 'naam', 'geboorte', 'geslacht', 'leeftijd', 'verblijfplaats', 'adressering', 'overlijden'], key = 'fictief-brp') =>
  fetch(`${bron}/haalcentraal/api/brp/personen`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-API-KEY': key },
    body: JSON.stringify({ type: 'RaadpleegMetBurgerservicenummer', burgerservicenummer: bsns, fields }) });

describe('demo-bronnen: the fictional source systems', () => {
  it('BRP: persons in the official shape, from the register, test BSNs only', async () => {
    const res = await personen(['999990019', '999990020', '123456782']);
    assert.equal(res.status, 200);
    const body = await res.json();
    const valid = brpValidator('RaadpleegMetBurgerservicenummerResponse');
    assert.ok(valid(body), JSON.stringify(valid.errors, null, 1));
    assert.deepEqual(body.personen.map((p) => p.burgerservicenummer), ['999990019', '999990020'], 'no person for a BSN outside the test range');
    const [f, p] = body.personen;
    assert.equal(f.naam.volledigeNaam, 'Fatima el Jansen');
    assert.equal(f.geslacht.code, 'V');
    assert.equal(f.verblijfplaats.verblijfadres.officieleStraatnaam, 'Stationsstraat');
    assert.equal(f.verblijfplaats.verblijfadres.postcode, '1234AB');
    assert.equal(f.adressering.adresregel1, 'Stationsstraat 12');
    assert.equal(typeof f.leeftijd, 'number');
    assert.equal(p.geheimhoudingPersoonsgegevens, true);
  });

  it('BRP: only the fields asked for; a wrong key or request is refused', async () => {
    const body = await (await personen(['999990019'], ['burgerservicenummer', 'geboorte.datum'])).json();
    assert.deepEqual(Object.keys(body.personen[0]).sort(), ['burgerservicenummer', 'geboorte']);
    assert.equal((await personen(['999990019'], undefined, 'fout')).status, 401);
    assert.equal((await personen(['12'])).status, 400);
  });

  it('Zaken: the official PaginatedZaakList with the expand the klantbeeld asks', async () => {
    const zoek = (token, crs = 'EPSG:4326') => fetch(`${bron}/zaken/api/v1/zaken/_zoek`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Crs': crs, 'Content-Crs': crs, Authorization: `Bearer ${token}` },
      body: JSON.stringify({ rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn: '999990019', expand: 'status,status.statustype,zaaktype' }) });
    const res = await zoek(jwt('fictief-zaken-geheim'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-crs'), 'EPSG:4326');
    const body = await res.json();
    const valid = zakenValidator('PaginatedZaakList');
    assert.ok(valid(body), JSON.stringify(valid.errors, null, 1));
    assert.ok(body.count >= 1 && body.count === body.results.length);
    for (const z of body.results) {
      assert.match(z.identificatie, /^ZAAK-\d{4}-\d{7}$/);
      assert.equal(typeof z._expand.status._expand.statustype.omschrijving, 'string');
      const een = await fetch(z.url, { headers: { Accept: 'application/json' } });
      assert.equal(een.status, 200, 'the klantbeeld\'s link to the zaak opens');
      const zaak = await een.json();
      assert.ok(zakenValidator('Zaak')(zaak));
      assert.equal(zaak.identificatie, z.identificatie);
    }
    assert.equal((await zoek(jwt('ander-geheim'))).status, 403, 'a JWT signed with another secret');
    assert.equal((await zoek(jwt('fictief-zaken-geheim'), 'EPSG:28992')).status, 412);
  });

  it('KvK: Zoeken v2 in the fixture\'s shape, by KvK number and by vestigingsnummer', async () => {
    for (const q of ['kvkNummer=69599084', 'vestigingsnummer=000038509504']) {
      const res = await fetch(`${bron}/api/v2/zoeken?${q}`, { headers: { Accept: 'application/json', apikey: 'fictief-kvk' } });
      assert.equal(res.status, 200, q);
      const body = await res.json();
      assert.deepEqual(Object.keys(body).sort(), ['links', 'pagina', 'resultaten', 'resultatenPerPagina', 'totaal']);
      const r = body.resultaten[0];
      assert.deepEqual(Object.keys(r).sort(), Object.keys(KVK_ZOEKEN[0]).sort());
      assert.deepEqual(Object.keys(r.adres.binnenlandsAdres).sort(), Object.keys(KVK_ZOEKEN[0].adres.binnenlandsAdres).sort());
      assert.equal(r.naam, 'Jansen Installatietechniek');
      assert.equal(r.kvkNummer, '69599084');
      assert.equal(r.vestigingsnummer, '000038509504');
    }
    assert.equal((await fetch(`${bron}/api/v2/zoeken?kvkNummer=11111111`, { headers: { Accept: 'application/json', apikey: 'fictief-kvk' } })).status, 404);
  });

  it('the klantbeeld on them is complete and names the fictional sources', async () => {
    const kb = expectStatus(await srv.req('POST', ZOEK, { base: true, body: { bsn: '999990019', verwerkingsactiviteit: ACT } }), 200, 'klantbeeld');
    assert.deepEqual(kb.bronnen, { register: 'ok', brp: 'ok', zaken: 'ok', kvk: 'niet-geconfigureerd' });
    assert.deepEqual(kb.fictieveBronnen, ['brp', 'zaken']);
    assert.equal(kb.persoon.naam.volledigeNaam, 'Fatima el Jansen');
    assert.equal(typeof kb.persoon.leeftijd, 'number', 'the klantbeeld asks the BRP for leeftijd');
    assert.ok(kb.zaken.length >= 1 && kb.zaken[0].identificatie && kb.zaken[0].status.omschrijving);
    const org = expectStatus(await srv.req('POST', ZOEK, { base: true, body: { kvkNummer: '69599084', verwerkingsactiviteit: ACT } }), 200, 'bedrijf');
    assert.equal(org.bedrijf.naam, 'Jansen Installatietechniek');
    assert.deepEqual(org.fictieveBronnen, ['zaken', 'kvk']);
  });
});

describe('klantbeeld: the BSN masked, "Toon BSN" logged', () => {
  const log = async () => expectStatus(await srv.req('POST', '/klantbeeld/api/v1/verwerkingen/_zoek?pageSize=100',
    { base: true, body: { bsn: '999990019' }, token: beheerder }), 200, 'log').results;

  it('maskeerBsn shows ******019 in the person and the partij; without it the whole number', async () => {
    const kb = expectStatus(await srv.req('POST', ZOEK, { base: true, body: { partij: fatima.uuid, verwerkingsactiviteit: ACT, maskeerBsn: true } }), 200, 'masked');
    assert.equal(kb.persoon.burgerservicenummer, '******019');
    assert.equal(kb.partij.partijIdentificatoren[0].partijIdentificator.objectId, '******019');
    const waar = JSON.stringify(kb).indexOf('999990019');
    assert.equal(waar, -1, `the whole BSN is nowhere in the answer: …${JSON.stringify(kb).slice(waar - 200, waar + 20)}`);
    const heel = expectStatus(await srv.req('POST', ZOEK, { base: true, body: { partij: fatima.uuid, verwerkingsactiviteit: ACT } }), 200, 'whole');
    assert.equal(heel.persoon.burgerservicenummer, '999990019');
    assertProblem(await srv.req('POST', ZOEK, { base: true, body: { partij: fatima.uuid, verwerkingsactiviteit: ACT, maskeerBsn: 'ja' } }), 400);
  });

  it('POST /bsn/_toon gives the number and writes one "BSN tonen" record about that person', async () => {
    const kcm = srv.createToken('kcc-toon', 'kcm');
    const voor = (await log()).filter((r) => r.handelingNaam === 'BSN tonen' || r.naam === 'BSN tonen').length;
    const r = expectStatus(await srv.req('POST', TOON, { base: true, token: kcm, body: { partij: fatima.uuid, verwerkingsactiviteit: ACT } }), 200, 'toon');
    assert.deepEqual(r, { partij: fatima.uuid, bsn: '999990019', verwerkingsactiviteit: ACT });
    const records = (await log()).filter((x) => x.handelingNaam === 'BSN tonen' || x.naam === 'BSN tonen');
    assert.equal(records.length, voor + 1, JSON.stringify((await log()).slice(0, 2)));
  });

  it('refuses a purpose that may not see the person, a partij without BSN, bad input', async () => {
    const kcm = srv.createToken('kcc-toon-2', 'kcm');
    assertProblem(await srv.req('POST', TOON, { base: true, token: kcm, body: { partij: fatima.uuid, verwerkingsactiviteit: 'wettelijke-taak-uitvoeren' } }), 403);
    assertProblem(await srv.req('POST', TOON, { base: true, token: kcm, body: { partij: bedrijf.uuid, verwerkingsactiviteit: ACT } }), 404);
    assertProblem(await srv.req('POST', TOON, { base: true, token: kcm, body: { partij: 'geen-uuid', verwerkingsactiviteit: ACT, bsn: '1' } }), 400);
    assertProblem(await srv.req('POST', TOON, { base: true, token: srv.createToken('redactie', 'redacteur'), body: { partij: fatima.uuid, verwerkingsactiviteit: ACT } }), 403);
  });
});

describe('klantbeeld: candidates of a name search', () => {
  it('tell people apart by birth date and address, businesses by KvK number', async () => {
    const kb = expectStatus(await srv.req('POST', ZOEK, { base: true, body: { naam: 'Jansen', verwerkingsactiviteit: ACT } }), 200, 'naam');
    assert.equal(kb.partij, null);
    const by = Object.fromEntries(kb.kandidaten.map((k) => [k.uuid, k]));
    assert.equal(Object.keys(by).length, 3);
    assert.match(by[fatima.uuid].geboortedatum, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(by[fatima.uuid].geboorte, /^\d{1,2} [a-z]+ \d{4}$/);
    assert.equal(by[fatima.uuid].adres, 'Stationsstraat 12, 1234 AB VOORBEELDSTAD');
    assert.equal(by[pieter.uuid].adres, undefined, 'no address under geheimhouding for the KCC');
    assert.equal(by[jansen.uuid].soortPartij, 'organisatie');
    assert.equal(by[jansen.uuid].kvkNummer, '69599084');
    assert.equal(by[jansen.uuid].adres, 'Marktplein 3, 1236 EF Voorbeeldstad');
    assert.ok(!JSON.stringify(kb).includes('99999'), 'no BSN in the candidates');
    assert.equal(kb.bronnen.brp, 'ok');
    assert.equal(echt.uuid.length, 36);
  });
});
