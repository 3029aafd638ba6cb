// The integraal klantbeeld against test doubles of the real source systems (lib/sources.mjs):
// BRP fixtures, the Zaken API served by Prism from its official OpenAPI file, a KvK double and
// a delay/failure proxy. Covers: all sources ok; a source slow past its timeout; a source down;
// nothing configured; doelbinding per role and activity (secret addresses); the Logboek
// Dataverwerkingen records (counted per request and subject); identity matching by phone in
// any notation and e-mail; candidates when a key names several partijen.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, expectStatus, assertProblem, create, persoonBody, organisatieBody,
  klantcontactBody } from '../lib/harness.mjs';
import { startBrp, startKvk, startZakenPrism, startProxy, BRP_PERSONEN } from '../lib/sources.mjs';

const ZOEK = '/klantbeeld/api/v1/_zoek';
const ZAKEN_SECRET = 'zaken-geheim-voor-tests';
const ACT = 'klantvraag-beantwoorden';

const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });
const kvkIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'kvk_nummer', objectId, codeRegister: 'hr' } });

let brp, kvk, prism;
before(async () => {
  [brp, kvk, prism] = await Promise.all([startBrp(), startKvk(), startZakenPrism()]);
  // Prism builds its answers lazily: one request first, so no test pays for that.
  await fetch(`${prism.base}/zaken/_zoek`, { method: 'POST', body: '{}', headers: {
    'Content-Type': 'application/json', 'Accept-Crs': 'EPSG:4326', 'Content-Crs': 'EPSG:4326',
    Authorization: 'Bearer x.y.z' } }).then((r) => r.arrayBuffer());
});
after(async () => { await Promise.all([brp?.close(), kvk?.close(), prism?.close()]); });

// Generous timeouts where a source must answer: Prism's first answers can take seconds on a
// loaded machine. The timeout case sets its own short one.
function sourcesEnv({ brpUrl = brp.base, zakenUrl = prism.base, kvkUrl = kvk.base, timeout = 15000, brpTimeout = timeout } = {}) {
  return {
    OMNIKANAAL_BRP_URL: brpUrl ?? '', OMNIKANAAL_BRP_API_KEY: 'brp-test-key',
    OMNIKANAAL_BRP_TIMEOUT_MS: String(brpTimeout),
    OMNIKANAAL_ZAKEN_URL: zakenUrl ?? '', OMNIKANAAL_ZAKEN_CLIENT_ID: 'omnikanaal-test',
    OMNIKANAAL_ZAKEN_SECRET: ZAKEN_SECRET, OMNIKANAAL_ZAKEN_TIMEOUT_MS: String(timeout),
    OMNIKANAAL_KVK_URL: kvkUrl ?? '', OMNIKANAAL_KVK_API_KEY: 'kvk-test-key',
    OMNIKANAAL_KVK_TIMEOUT_MS: String(timeout),
  };
}

const isoDaysAgo = (d) => new Date(Date.now() - d * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');

/** A resident in the register: partij with BSN, a phone number and an e-mail, contacts. */
async function resident(srv, bsn, { telefoon, email, contacten = [] } = {}) {
  const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf(bsn)] }));
  const ref = { uuid: p.uuid };
  const adressen = [];
  if (telefoon) adressen.push(await create(srv, 'digitaleadressen', { verstrektDoorPartij: ref, adres: telefoon, soortDigitaalAdres: 'telefoonnummer', omschrijving: 'mobiel' }));
  if (email) adressen.push(await create(srv, 'digitaleadressen', { verstrektDoorPartij: ref, adres: email, soortDigitaalAdres: 'email', omschrijving: 'privé' }));
  const kcs = [];
  for (const c of contacten) {
    const kc = await create(srv, 'klantcontacten', klantcontactBody(c));
    await create(srv, 'betrokkenen', { wasPartij: ref, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    kcs.push(kc);
  }
  return { partij: p, contacten: kcs, adressen };
}

const zoek = (srv, body, token) => srv.req('POST', ZOEK, { base: true, body, token });

/** The beheerder's view of the log for one BSN (all pages), without the records of these
 * searches themselves (each search of the log is logged for the person searched). */
async function logFor(srv, beheerder, bsn) {
  const res = await srv.req('POST', '/klantbeeld/api/v1/verwerkingen/_zoek?pageSize=100',
    { base: true, body: { bsn }, token: beheerder });
  return expectStatus(res, 200, 'log search').results.filter((r) => r.naam !== 'Verwerkingen raadplegen');
}

describe('klantbeeld: all sources answer', () => {
  let srv, kcm, beheerder, r;
  before(async () => {
    srv = await startServer({ env: sourcesEnv() });
    kcm = srv.createToken('kcc', 'kcm');
    beheerder = srv.createToken('privacy', 'beheerder');
    r = await resident(srv, '999990019', { telefoon: '0612345678', email: 'Fatima@Example.nl',
      contacten: [
        { onderwerp: 'Afvalpas', plaatsgevondenOp: isoDaysAgo(3) },
        { onderwerp: 'Afvalpas', plaatsgevondenOp: isoDaysAgo(1), indicatieContactGelukt: false },
        { onderwerp: 'Paspoort', plaatsgevondenOp: isoDaysAgo(200) },
      ] });
  });
  after(async () => { await srv.stop(); });

  it('finds the partij by a phone number typed in another notation, with BRP, zaken and register data', async () => {
    expectStatus(await srv.req('PATCH', `/partijen/${r.partij.uuid}`, { body: { voorkeursDigitaalAdres: { uuid: r.adressen[0].uuid } } }), 200);
    const traceId = crypto.randomBytes(16).toString('hex');
    const before = brp.received.length;
    const res = await srv.req('POST', ZOEK, { base: true, token: kcm,
      body: { telefoonnummer: '+31 (0)6-1234 5678', verwerkingsactiviteit: ACT },
      headers: { traceparent: `00-${traceId}-${crypto.randomBytes(8).toString('hex')}-01` } });
    const kb = expectStatus(res, 200, 'klantbeeld');
    assert.equal(kb.partij.uuid, r.partij.uuid);
    assert.deepEqual(kb.bronnen, { register: 'ok', brp: 'ok', zaken: 'ok', kvk: 'niet-geconfigureerd' });
    const fixture = BRP_PERSONEN.find((p) => p.burgerservicenummer === '999990019');
    assert.equal(kb.persoon.burgerservicenummer, '999990019');
    assert.deepEqual(kb.persoon.naam, fixture.naam);
    assert.deepEqual(kb.persoon.verblijfplaats, fixture.verblijfplaats);
    assert.equal(kb.persoon.adresAfgeschermd, false);
    assert.ok(kb.zaken.length >= 1, `zaken from Prism: ${JSON.stringify(kb.zaken).slice(0, 300)}`);
    assert.equal(typeof kb.zaken[0].identificatie, 'string');
    assert.equal(kb.digitaleAdressen.length, 2);
    assert.deepEqual(kb.voorkeuren, { taal: 'nld', kanaal: 'telefoonnummer', adres: '0612345678', voorkeurskanaal: null, voorkeurskanaalGewijzigdOp: null });
    assert.deepEqual(kb.contacten.map((c) => c.onderwerp), ['Afvalpas', 'Afvalpas', 'Paspoort'], 'newest first');
    assert.equal(kb.aantalContacten, 3);
    const soorten = kb.signalen.map((s) => s.soort).sort();
    assert.deepEqual(soorten, ['contact-niet-gelukt', 'herhaalcontact']);
    assert.match(kb.signalen.find((s) => s.soort === 'herhaalcontact').omschrijving, /2 contacten over "Afvalpas"/);
    // The trace id travels on to the sources.
    assert.equal(kb.traceId, traceId);
    const call = brp.received[before];
    assert.match(call.headers.traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    assert.deepEqual(JSON.parse(call.body).burgerservicenummer, ['999990019']);
    assert.equal(JSON.parse(call.body).type, 'RaadpleegMetBurgerservicenummer');
  });

  it('sends the Zaken API a HS256 JWT it can verify, the CRS headers and the BSN only in the body', async () => {
    // Prism (above) accepted our requests; a plain capture shows exactly what was sent.
    assert.match(prism.log(), /\[HTTP SERVER\] post \/zaken\/_zoek/i);
    assert.doesNotMatch(prism.log(), /999990019/, 'no BSN in a URL');
    const { default: http } = await import('node:http');
    const captured = [];
    const spy = http.createServer((req, resp) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        captured.push({ url: req.url, headers: req.headers, body });
        resp.writeHead(200, { 'Content-Type': 'application/json' });
        resp.end('{"count":0,"next":null,"previous":null,"results":[]}');
      });
    });
    await new Promise((ok) => spy.listen(0, '127.0.0.1', ok));
    const s2 = await startServer({ env: sourcesEnv({ zakenUrl: `http://127.0.0.1:${spy.address().port}/zaken/api/v1` }) });
    try {
      expectStatus(await zoek(s2, { bsn: '999990019', verwerkingsactiviteit: ACT }, s2.createToken('k', 'kcm')), 200);
      const { url, headers: h, body } = captured[0];
      assert.equal(url, '/zaken/api/v1/zaken/_zoek');
      assert.equal(JSON.parse(body).rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn, '999990019');
      assert.equal(h['accept-crs'], 'EPSG:4326');
      assert.equal(h['content-crs'], 'EPSG:4326');
      const [, hd, pl, sig] = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(h.authorization);
      const expected = crypto.createHmac('sha256', ZAKEN_SECRET).update(`${hd}.${pl}`).digest('base64url');
      assert.equal(sig, expected, 'JWT signature');
      const claims = JSON.parse(Buffer.from(pl, 'base64url').toString());
      assert.equal(claims.client_id, 'omnikanaal-test');
      assert.equal(claims.iss, 'omnikanaal-test');
      assert.equal(claims.user_id, 'k');
      assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 60);
      assert.deepEqual(JSON.parse(Buffer.from(hd, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    } finally {
      await s2.stop();
      spy.close();
    }
  });

  it('writes one log record per action for the subject: the klantbeeld and each source asked', async () => {
    const beforeRecs = await logFor(srv, beheerder, '999990019');
    const res = await zoek(srv, { email: 'FATIMA@example.NL', verwerkingsactiviteit: ACT }, kcm);
    const kb = expectStatus(res, 200);
    assert.equal(kb.partij.uuid, r.partij.uuid, 'e-mail matches without case');
    const recs = (await logFor(srv, beheerder, '999990019')).filter((x) => x.traceId === kb.traceId);
    assert.equal(recs.length, 3, `records: ${JSON.stringify(recs)}`);
    assert.equal((await logFor(srv, beheerder, '999990019')).length, beforeRecs.length + 3);
    const root = recs.find((x) => x.naam === 'Klantbeeld raadplegen');
    assert.ok(root);
    for (const x of recs) {
      assert.equal(x.verwerkingsactiviteit, ACT);
      assert.equal(x.betrokkeneType, 'BSN');
      assert.equal(x.rol, 'kcm');
      assert.equal(x.rolOmschrijving, 'Klantcontactcentrum');
      assert.match(x.spanId, /^[0-9a-f]{16}$/);
      assert.ok(x.eindTijd >= x.startTijd);
      assert.ok(!JSON.stringify(x).includes('999990019'), 'the subject is pseudonymised');
    }
    assert.deepEqual(recs.filter((x) => x !== root).map((x) => x.parentSpanId), [root.spanId, root.spanId]);
    assert.deepEqual(recs.map((x) => x.bron).sort(), ['brp', 'register', 'zaken']);
    // Another person's log does not contain these records.
    const other = await logFor(srv, beheerder, '999990020');
    assert.ok(other.every((x) => x.traceId !== kb.traceId));
  });

  it('answers candidates, and logs each, when one e-mail address belongs to two partijen', async () => {
    const a = await create(srv, 'partijen', persoonBody());
    const b = await create(srv, 'partijen', persoonBody());
    for (const p of [a, b]) {
      await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'gezin@example.nl', soortDigitaalAdres: 'email' });
    }
    const kb = expectStatus(await zoek(srv, { email: 'gezin@example.nl', verwerkingsactiviteit: ACT }, kcm), 200);
    assert.equal(kb.partij, null);
    assert.deepEqual(kb.kandidaten.map((k) => k.uuid).sort(), [a.uuid, b.uuid].sort());
    assert.equal(kb.kandidaten[0].naam, 'Jan van der Berg');
    const all = expectStatus(await srv.req('GET', `/klantbeeld/api/v1/verwerkingen?traceId=${kb.traceId}`,
      { base: true, token: beheerder }), 200);
    assert.equal(all.count, 2);
    assert.ok(all.results.every((x) => x.betrokkeneType === 'partij'));
  });

  it('shows open contactverzoeken with their deadline, and flags the overdue', async () => {
    const kv = await srv.req('POST', '/kanalen/api/v1/contactverzoeken', { base: true, body: {
      kanaal: 'telefoon', onderwerp: 'Terugbellen over afvalpas', partij: { uuid: r.partij.uuid },
      toegewezenAan: { soort: 'afdeling', naam: 'Afval' }, ontvangenOp: isoDaysAgo(30) } });
    const verzoek = expectStatus(kv, 201, 'contactverzoek');
    const kb = expectStatus(await zoek(srv, { partij: r.partij.uuid, verwerkingsactiviteit: ACT }, kcm), 200);
    const shown = kb.contactverzoeken.find((v) => v.uuid === verzoek.uuid);
    assert.ok(shown, JSON.stringify(kb.contactverzoeken).slice(0, 300));
    assert.equal(shown.deadline, verzoek.deadline);
    assert.equal(shown.teLaat, true);
    assert.ok(kb.internetaken.some((t) => t.uuid === verzoek.internetaak.uuid), 'its interne taak is open');
    assert.ok(kb.signalen.some((x) => x.soort === 'te-laat'));
    assert.ok(kb.signalen.some((x) => x.soort === 'open-taken'));
  });

  it('finds a business by KvK number with the KvK source', async () => {
    const org = await create(srv, 'partijen', organisatieBody({ partijIdentificatoren: [kvkIdf('69599084')] }));
    const kb = expectStatus(await zoek(srv, { kvkNummer: '69599084', verwerkingsactiviteit: ACT }, kcm), 200);
    assert.equal(kb.partij.uuid, org.uuid);
    assert.equal(kb.bronnen.kvk, 'ok');
    assert.equal(kb.bedrijf.naam, 'Bakkerij De Korenschoof B.V.');
    assert.equal(kb.bronnen.brp, 'niet-geconfigureerd', 'a business has no BRP person');
    assert.equal(kb.persoon, null);
  });

  it('shows the BRP person even when the register has no partij for the BSN', async () => {
    const kb = expectStatus(await zoek(srv, { bsn: '999990032', verwerkingsactiviteit: ACT }, kcm), 200);
    assert.equal(kb.partij, null);
    assert.equal(kb.persoon.naam.volledigeNaam, 'Pieter Bakker');
    assert.ok(kb.signalen.some((s) => s.soort === 'overleden'));
    assert.deepEqual(kb.contacten, []);
  });
});

describe('klantbeeld: doelbinding', () => {
  let srv, kcm, backoffice, redacteur;
  before(async () => {
    srv = await startServer({ env: sourcesEnv({ zakenUrl: null, kvkUrl: null }) });
    kcm = srv.createToken('kcc', 'kcm');
    backoffice = srv.createToken('bo', 'backoffice');
    redacteur = srv.createToken('red', 'redacteur');
    await resident(srv, '999990020', { contacten: [{ onderwerp: 'Bijstand', inhoud: 'Vertelt over schulden.' }] });
  });
  after(async () => { await srv.stop(); });

  it('hides the address of a person with geheimhouding from the KCC', async () => {
    const kb = expectStatus(await zoek(srv, { bsn: '999990020', verwerkingsactiviteit: ACT }, kcm), 200);
    assert.equal(kb.persoon.naam.volledigeNaam, 'Johannes de Vries');
    assert.equal(kb.persoon.adresAfgeschermd, true);
    assert.equal(kb.persoon.verblijfplaats, undefined);
    assert.equal(kb.persoon.adressering, undefined);
    assert.ok(!JSON.stringify(kb).includes('Lindelaan'), 'the address appears nowhere');
    assert.ok(kb.signalen.some((s) => s.soort === 'geheimhouding'));
  });

  it('shows it to the back office doing a legal task', async () => {
    const kb = expectStatus(await zoek(srv, { bsn: '999990020', verwerkingsactiviteit: 'wettelijke-taak-uitvoeren' }, backoffice), 200);
    assert.equal(kb.persoon.verblijfplaats.verblijfadres.officieleStraatnaam, 'Lindelaan');
    assert.equal(kb.persoon.adresAfgeschermd, false);
  });

  it('gives a contactverzoek-afhandelen KCC view without the BRP address or zaken', async () => {
    const kb = expectStatus(await zoek(srv, { bsn: '999990020', verwerkingsactiviteit: 'contactverzoek-afhandelen' }, kcm), 200);
    assert.equal(kb.persoon.adresAfgeschermd, true);
    assert.equal(kb.bronnen.zaken, 'niet-geconfigureerd');
  });

  it('refuses an activity the role may not perform, and a role without any', async () => {
    assertProblem(await zoek(srv, { bsn: '999990020', verwerkingsactiviteit: 'wettelijke-taak-uitvoeren' }, kcm), 403);
    assertProblem(await zoek(srv, { bsn: '999990020', verwerkingsactiviteit: ACT }, redacteur), 403);
  });

  it('logs nothing for refused requests', async () => {
    const beheerder = srv.createToken('b', 'beheerder');
    const before = (await logFor(srv, beheerder, '999990020')).length;
    await zoek(srv, { bsn: '999990020', verwerkingsactiviteit: 'wettelijke-taak-uitvoeren' }, kcm);
    await zoek(srv, { bsn: '999990020' }, kcm);
    assert.equal((await logFor(srv, beheerder, '999990020')).length, before);
  });
});

describe('klantbeeld: doelbinding from a configuration file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omk-doelbinding-'));

  it('replaces the default rules: here the KCC may answer questions without any BRP data', async () => {
    const file = join(dir, 'regels.json');
    writeFileSync(file, JSON.stringify([
      { activiteit: 'klantvraag-beantwoorden', rol: 'kcm', zie: ['contacten', 'taken'] },
    ]));
    const srv = await startServer({ args: ['--doelbinding', file], env: sourcesEnv({ zakenUrl: null, kvkUrl: null }) });
    try {
      const kcm = srv.createToken('kcc', 'kcm');
      const bo = srv.createToken('bo', 'backoffice');
      await resident(srv, '999990019', { contacten: [{ onderwerp: 'Afval', inhoud: 'geheim verhaal' }] });
      const before = brp.received.length;
      const kb = expectStatus(await zoek(srv, { bsn: '999990019', verwerkingsactiviteit: ACT }, kcm), 200);
      assert.equal(kb.persoon, null);
      assert.equal(kb.bronnen.brp, 'niet-geconfigureerd', 'the BRP is not even asked');
      assert.equal(brp.received.length, before);
      assert.equal(kb.contacten.length, 1);
      assert.equal(kb.contacten[0].inhoud, undefined, 'no content without "inhoud"');
      assert.deepEqual(kb.digitaleAdressen, []);
      // Rules not in the file no longer exist.
      assertProblem(await zoek(srv, { bsn: '999990019', verwerkingsactiviteit: 'contactverzoek-afhandelen' }, bo), 403);
    } finally {
      await srv.stop();
    }
  });

  it('refuses to start with a malformed rules file, naming the rule', () => {
    const file = join(dir, 'fout.json');
    writeFileSync(file, JSON.stringify([{ activiteit: 'klantvraag-beantwoorden', rol: 'kcm', zie: ['alles'] }]));
    const r = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', join(dir, 'x.db'), '--doelbinding', file],
      { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 1, `exit status ${r.status} (signal ${r.signal}): ${r.stderr}`);
    assert.match(r.stderr, /regel 1/);
  });
});

describe('klantbeeld: search by name', () => {
  let srv, esmee;
  const naam = (voornaam, voorvoegselAchternaam, achternaam) => persoonBody({ partijIdentificatie: {
    contactnaam: { voorletters: voornaam[0], voornaam, voorvoegselAchternaam, achternaam } } });
  before(async () => {
    srv = await startServer();
    esmee = await create(srv, 'partijen', naam('Esmée', '', 'Oudenaarden'));
    await create(srv, 'partijen', naam('Jan', 'van der', 'Berg'));
    await create(srv, 'partijen', naam('Janneke', 'van den', 'Berg'));
    await create(srv, 'partijen', organisatieBody({ partijIdentificatie: { naam: 'Bakkerij De Korenbloem' } }));
  });
  after(async () => { await srv.stop(); });

  it('one match gives the whole klantbeeld; words in any order and case', async () => {
    const kb = expectStatus(await zoek(srv, { naam: 'oudenaarden esmée', verwerkingsactiviteit: ACT }), 200);
    assert.equal(kb.partij.uuid, esmee.uuid);
    assert.equal(kb.kandidaten, undefined);
  });

  it('several matches give candidates; an organisation is found by its name', async () => {
    let kb = expectStatus(await zoek(srv, { naam: 'jan berg', verwerkingsactiviteit: ACT }), 200);
    assert.equal(kb.partij, null);
    assert.deepEqual(kb.kandidaten.map((k) => k.naam).sort(), ['Jan van der Berg', 'Janneke van den Berg']);
    assert.equal(kb.meerKandidaten, false);
    kb = expectStatus(await zoek(srv, { naam: 'korenbloem', verwerkingsactiviteit: ACT }), 200);
    assert.equal(kb.partij.partijIdentificatie.naam, 'Bakkerij De Korenbloem');
  });

  it('finds one person among hundreds with the same surname, by the starts of the words', async () => {
    for (let i = 0; i < 210; i += 30) {
      await Promise.all(Array.from({ length: 30 }, (_, k) => create(srv, 'partijen', naam(`Kees${i + k}`, '', 'Jansen'))));
    }
    const piet = await create(srv, 'partijen', naam('Piet', '', 'Jansen'));
    for (const q of ['piet jansen', 'Jansen, Piet', 'pie jans']) {
      const kb = expectStatus(await zoek(srv, { naam: q, verwerkingsactiviteit: ACT }), 200);
      assert.equal(kb.partij?.uuid, piet.uuid, q);
    }
    const many = expectStatus(await zoek(srv, { naam: 'jansen', verwerkingsactiviteit: ACT }), 200);
    assert.equal(many.partij, null);
    assert.equal(many.kandidaten.length, 20);
    assert.equal(many.meerKandidaten, true);
  });

  it('no match gives no partij, and a one-letter name is refused', async () => {
    const kb = expectStatus(await zoek(srv, { naam: 'Xylofoonstra', verwerkingsactiviteit: ACT }), 200);
    assert.equal(kb.partij, null);
    assert.deepEqual(kb.contacten, []);
    const res = await zoek(srv, { naam: 'x', verwerkingsactiviteit: ACT });
    assertProblem(res, 400);
    assert.equal(res.json.invalidParams[0].name, 'naam');
  });
});

describe('klantbeeld: bad input', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.stop(); });

  const cases = [
    ['no key', { verwerkingsactiviteit: ACT }, 'nonFieldErrors'],
    ['two keys', { bsn: '999990019', email: 'a@example.nl', verwerkingsactiviteit: ACT }, 'nonFieldErrors'],
    ['bad BSN', { bsn: '123456789', verwerkingsactiviteit: ACT }, 'bsn'],
    ['bad KvK', { kvkNummer: '1234', verwerkingsactiviteit: ACT }, 'kvkNummer'],
    ['bad vestigingsnummer', { vestigingsnummer: 'abc', verwerkingsactiviteit: ACT }, 'vestigingsnummer'],
    ['bad uuid', { partij: 'x', verwerkingsactiviteit: ACT }, 'partij'],
    ['bad phone', { telefoonnummer: '06-abc', verwerkingsactiviteit: ACT }, 'telefoonnummer'],
    ['bad e-mail', { email: 'geen-adres', verwerkingsactiviteit: ACT }, 'email'],
    ['unknown field', { bsn: '999990019', verwerkingsactiviteit: ACT, extra: 1 }, 'extra'],
    ['missing activity', { bsn: '999990019' }, 'verwerkingsactiviteit'],
    ['unknown activity', { bsn: '999990019', verwerkingsactiviteit: 'nieuwsgierigheid' }, 'verwerkingsactiviteit'],
    ['number as BSN', { bsn: 999990019, verwerkingsactiviteit: ACT }, 'bsn'],
  ];
  for (const [name, body, field] of cases) {
    it(`${name} → 400 naming ${field}`, async () => {
      const res = await zoek(srv, body);
      assertProblem(res, 400);
      assert.ok(res.json.invalidParams.some((p) => p.name === field), res.text);
    });
  }

  it('malformed JSON → 400, no BSN via GET', async () => {
    assertProblem(await srv.req('POST', ZOEK, { base: true, body: '{"bsn":', raw: true,
      headers: { 'Content-Type': 'application/json' } }), 400);
    const res = await srv.req('GET', ZOEK, { base: true });
    assert.equal(res.status, 405);
  });

  it('serves its OpenAPI document without authentication', async () => {
    const res = await srv.req('GET', '/klantbeeld/api/v1/openapi.json', { base: true, token: null });
    const doc = expectStatus(res, 200);
    assert.equal(doc.openapi, '3.0.3');
    assert.deepEqual(Object.keys(doc.paths).sort(),
      ['/_zoek', '/bsn/_toon', '/dubbelen', '/samenvoegingen', '/verwerkingen', '/verwerkingen/_zoek']);
    assert.ok(res.headers.get('api-version'));
  });

  it('needs authentication', async () => {
    assertProblem(await zoek(srv, { bsn: '999990019', verwerkingsactiviteit: ACT }, null), 401);
  });

  it('the log is for the beheerder only', async () => {
    const kcm = srv.createToken('k', 'kcm');
    assertProblem(await srv.req('GET', '/klantbeeld/api/v1/verwerkingen', { base: true, token: kcm }), 403);
    assertProblem(await srv.req('POST', '/klantbeeld/api/v1/verwerkingen/_zoek', { base: true, token: kcm, body: { bsn: '999990019' } }), 403);
    const b = srv.createToken('b', 'beheerder');
    const res = await srv.req('POST', '/klantbeeld/api/v1/verwerkingen/_zoek', { base: true, token: b, body: { bsn: '12' } });
    assertProblem(res, 400);
    assert.equal(res.json.invalidParams[0].name, 'bsn');
  });
});

describe('klantbeeld: sources that fail', () => {
  it('a source slower than its timeout is reported as timeout; the rest still answers in time', async () => {
    const hang = await startProxy(brp.base, { mode: 'hang' });
    const srv = await startServer({ env: sourcesEnv({ brpUrl: hang.base, zakenUrl: null, kvkUrl: null, brpTimeout: 400 }) });
    try {
      await resident(srv, '999990019', { contacten: [{ onderwerp: 'Parkeren' }] });
      const t0 = Date.now();
      const kb = expectStatus(await zoek(srv, { bsn: '999990019', verwerkingsactiviteit: ACT }), 200);
      const elapsed = Date.now() - t0;
      assert.equal(kb.bronnen.brp, 'timeout');
      assert.equal(kb.persoon, null);
      assert.equal(kb.contacten.length, 1);
      assert.match(kb.bronMeldingen.brp, /tijdslimiet/);
      assert.ok(elapsed >= 380 && elapsed < 1500, `answered after ${elapsed} ms (timeout 400 ms)`);
    } finally {
      await srv.stop();
      await hang.close();
    }
  });

  it('klantbeelden waiting for a hanging source hold no worker: the server keeps answering', async () => {
    const hang = await startProxy(brp.base, { mode: 'hang' });
    const srv = await startServer({ env: sourcesEnv({ brpUrl: hang.base, zakenUrl: null, kvkUrl: null, brpTimeout: 3000 }) });
    try {
      await resident(srv, '999990019');
      // Far more waiting klantbeelden than the server has worker threads (4 per core).
      const waiting = Array.from({ length: 40 }, () =>
        zoek(srv, { bsn: '999990019', verwerkingsactiviteit: ACT }));
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      expectStatus(await srv.req('GET', '/partijen?pageSize=1'), 200);
      expectStatus(await srv.req('GET', '/healthz', { base: true }), 200);
      const elapsed = Date.now() - t0;
      assert.ok(elapsed < 1500, `other requests waited ${elapsed} ms behind the klantbeelden`);
      const answers = await Promise.all(waiting);
      for (const res of answers) assert.equal(expectStatus(res, 200).bronnen.brp, 'timeout');
    } finally {
      await srv.stop();
      await hang.close();
    }
  });

  it('a source that is down, resets or fails is reported as error', async () => {
    const reset = await startProxy(brp.base, { mode: 'reset' });
    const fail = await startProxy(brp.base, { mode: 'status500' });
    const closed = await startProxy(brp.base);
    const closedUrl = closed.base;
    await closed.close();
    const srv = await startServer({ env: sourcesEnv({ brpUrl: reset.base, zakenUrl: closedUrl, kvkUrl: fail.base }) });
    try {
      const org = await create(srv, 'partijen', organisatieBody({ partijIdentificatoren: [kvkIdf('69599084')] }));
      let kb = expectStatus(await zoek(srv, { bsn: '999990019', verwerkingsactiviteit: ACT }), 200);
      assert.equal(kb.bronnen.brp, 'error');
      assert.equal(kb.bronnen.zaken, 'error');
      kb = expectStatus(await zoek(srv, { partij: org.uuid, verwerkingsactiviteit: ACT }), 200);
      assert.equal(kb.bronnen.kvk, 'error');
      assert.match(kb.bronMeldingen.kvk, /HTTP 500/);
      assert.equal(kb.partij.uuid, org.uuid);
    } finally {
      await srv.stop();
      await reset.close();
      await fail.close();
    }
  });

  it('with no sources configured the register still answers', async () => {
    const srv = await startServer();
    try {
      const r = await resident(srv, '999990019', { telefoon: '+31612345678', contacten: [{ onderwerp: 'Afval' }] });
      const kb = expectStatus(await zoek(srv, { telefoonnummer: '06-12 34 56 78', verwerkingsactiviteit: ACT }), 200);
      assert.equal(kb.partij.uuid, r.partij.uuid);
      assert.deepEqual(kb.bronnen, { register: 'ok', brp: 'niet-geconfigureerd', zaken: 'niet-geconfigureerd', kvk: 'niet-geconfigureerd' });
      assert.equal(kb.contacten.length, 1);
    } finally {
      await srv.stop();
    }
  });
});
