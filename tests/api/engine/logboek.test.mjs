// The Logboek Dataverwerkingen on every API (issue 19): one record per action per person for
// every read and change of personal data — the register, the channels, the Mijn-omgeving —
// counted per request by its trace id; a resident's "who viewed my data" shows the register's
// reads of their partij; `omnikanaal logboek verify` accepts the chain as written and names
// the first record after a record is changed, removed, or the last ones are cut off; with
// --logboek wachten an answer leaves only once its records are on disk.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { startServer, expectStatus, assertProblem, create, persoonBody, klantcontactBody, request, BIN,
  sqlQuery, copyDatabase } from '../lib/harness.mjs';
import { ON_PG } from '../lib/pg.mjs';

const LDV = '/klantbeeld/api/v1/verwerkingen';
const K = '/kanalen/api/v1';

/** The trace and span id our server gave a request (its traceparent answer header). */
function traceOf(res) {
  const tp = res.headers.get('traceparent');
  assert.match(tp || '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/, 'traceparent of the answer');
  return { trace: tp.slice(3, 35), span: tp.slice(36, 52) };
}

const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });

/** A resident's session through the development login. */
async function residentSession(srv, bsn) {
  const res = await request('POST', `${srv.base}/auth/api/v1/dev-login`, { body: { bsn } });
  const body = expectStatus(res, 200, 'dev-login');
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return (method, path, opts = {}) => request(method, srv.base + path, { ...opts,
    headers: { Cookie: cookie, 'X-CSRF-Token': body.csrfToken, ...(opts.headers || {}) } });
}

/** A staff member's web session (an account of this role, logged in through the login). */
async function staffSession(srv, name, role) {
  srv.createUser(name, role, 'geheim-wachtwoord-1');
  const { cookie, csrf } = await srv.login(name, 'geheim-wachtwoord-1');
  return (method, path, opts = {}) => request(method, srv.base + path, { ...opts,
    headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(opts.headers || {}) } });
}

const WA_SECRET = 'logboek-whatsapp-geheim';

/** A WhatsApp Cloud API message notification, signed with the app secret. */
function whatsapp(srv, { from, id, text }) {
  const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{
    field: 'messages', value: { messaging_product: 'whatsapp', contacts: [{ profile: { name: 'Logboek' }, wa_id: from }],
      messages: [{ from, id, timestamp: '1764489600', type: 'text', text: { body: text } }] } }] }] });
  return request('POST', `${srv.base}/kanalen/api/v1/whatsapp/webhook`, { raw: true, body: raw, headers: {
    'Content-Type': 'application/json',
    'X-Hub-Signature-256': `sha256=${createHmac('sha256', WA_SECRET).update(raw).digest('hex')}` } });
}

/** `omnikanaal mail-ingest` of one message into db (another process than the server). */
function mailIngest(db, message) {
  const env = { ...process.env };
  delete env.OMNIKANAAL_DB;
  const r = spawnSync(BIN, ['mail-ingest', '--db', db], { input: message, env, timeout: 30000 });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString().trim();
}

/** `omnikanaal logboek verify --db db`: {status, stdout, stderr}. */
function verify(db) {
  const r = spawnSync(BIN, ['logboek', 'verify', '--db', db], { encoding: 'utf8', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One query on db (sqlite3 on a file, psql on a postgresql:// URL; scripts/bootstrap installs
 * both), its output trimmed. */
function sqlite(db, sql) {
  return sqlQuery(db, sql).trim();
}

describe('Logboek Dataverwerkingen: one record per action per person', () => {
  let srv, kcm, backoffice, beheerder, partijen, contacten, resident, residentPartij;
  /** The beheerder's view of the records of one trace (the log read waits for queued ones). */
  const records = async (trace) => expectStatus(await srv.req('GET', `${LDV}?traceId=${trace}&pageSize=500`,
    { base: true, token: beheerder }), 200, 'log').results;

  before(async () => {
    srv = await startServer({ args: ['--dev-login', '--whatsapp-app-secret', WA_SECRET] });
    kcm = srv.createToken('kcc', 'kcm');
    backoffice = srv.createToken('bo', 'backoffice');
    beheerder = srv.createToken('privacy', 'beheerder');
    // 20 klantcontacten (one channel of their own), each with a betrokkene of its own partij.
    partijen = [];
    contacten = [];
    for (let i = 0; i < 20; i++) {
      const p = await create(srv, 'partijen', persoonBody());
      const kc = await create(srv, 'klantcontacten', klantcontactBody({ kanaal: 'logboektest',
        plaatsgevondenOp: `2025-01-01T10:${String(i).padStart(2, '0')}:00Z` }));
      await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid },
        rol: 'klant', initiator: true });
      partijen.push(p);
      contacten.push(kc);
    }
    // A resident with a partij of their own (BSN identificator) and two contacts.
    residentPartij = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990019')] }));
    for (const onderwerp of ['Afvalpas', 'Paspoort']) {
      const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp }));
      await create(srv, 'betrokkenen', { wasPartij: { uuid: residentPartij.uuid }, hadKlantcontact: { uuid: kc.uuid },
        rol: 'klant', initiator: true });
    }
    resident = await residentSession(srv, '999990019');
  });
  after(async () => { await srv.stop(); });

  it('a list of 20 klantcontacten of 20 partijen: 20 records for that request', async () => {
    const res = await srv.req('GET', '/klantcontacten?kanaal=logboektest&pageSize=20', { token: kcm });
    expectStatus(res, 200);
    assert.equal(res.json.results.length, 20);
    const { trace, span } = traceOf(res);
    const recs = await records(trace);
    assert.equal(recs.length, 20, JSON.stringify(recs.slice(0, 2)));
    for (const r of recs) {
      assert.equal(r.naam, 'Klantcontacten opvragen');
      assert.equal(r.betrokkeneType, 'partij');
      assert.equal(r.rol, 'kcm');
      assert.equal(r.verwerkingsactiviteit, 'klantvraag-beantwoorden');
      assert.equal(r.parentSpanId, span, 'one child span per person under the request\'s span');
      assert.equal(r.status, 'Ok');
      assert.ok(r.eindTijd >= r.startTijd);
      for (const p of partijen) assert.ok(!JSON.stringify(r).includes(p.uuid), 'the person is pseudonymised');
    }
    assert.equal(new Set(recs.map((r) => r.spanId)).size, 20, 'each person its own span');
  });

  it('one record per person, not per row: 2 contacts of one partij are 1 record', async () => {
    const p = partijen[0];
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ kanaal: 'eenpersoon' }));
    await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    const kc2 = await create(srv, 'klantcontacten', klantcontactBody({ kanaal: 'eenpersoon' }));
    await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc2.uuid }, rol: 'klant', initiator: true });
    const res = await srv.req('GET', '/klantcontacten?kanaal=eenpersoon', { token: kcm });
    assert.equal(expectStatus(res, 200).count, 2);
    assert.equal((await records(traceOf(res).trace)).length, 1);
  });

  it('a read of a partij: 1 record, its own span', async () => {
    const res = await srv.req('GET', `/partijen/${partijen[3].uuid}`, { token: kcm });
    expectStatus(res, 200);
    const { trace, span } = traceOf(res);
    const recs = await records(trace);
    assert.equal(recs.length, 1);
    assert.equal(recs[0].naam, 'Partij raadplegen');
    assert.equal(recs[0].spanId, span);
  });

  it('reads of related resources name the partij they are about', async () => {
    const kc = contacten[5];
    for (const path of [`/klantcontacten/${kc.uuid}`, `/betrokkenen?hadKlantcontact__uuid=${kc.uuid}`,
      `/partij-identificatoren?partijIdentificatorObjectId=999990019`]) {
      const res = await srv.req('GET', path, { token: kcm });
      expectStatus(res, 200, path);
      assert.equal((await records(traceOf(res).trace)).length, 1, path);
    }
  });

  it('a list that shows nobody writes no record; neither does a refused request', async () => {
    const none = await srv.req('GET', '/klantcontacten?kanaal=bestaatniet', { token: kcm });
    expectStatus(none, 200);
    assert.equal((await records(traceOf(none).trace)).length, 0);
    const cats = await srv.req('GET', '/categorieen', { token: kcm });
    expectStatus(cats, 200);
    assert.equal((await records(traceOf(cats).trace)).length, 0);
    const refused = await srv.req('GET', `/partijen/${partijen[0].uuid}`, { token: srv.createToken('red', 'redacteur') });
    assertProblem(refused, 403);
    assert.equal((await records(traceOf(refused).trace)).length, 0);
  });

  it('changes are logged with the change: the persons before and after it', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ kanaal: 'wijziging' }));
    const created = await srv.req('POST', '/betrokkenen', { token: kcm, body: { wasPartij: { uuid: partijen[1].uuid },
      hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true } });
    expectStatus(created, 201);
    const c = await records(traceOf(created).trace);
    assert.deepEqual(c.map((r) => r.naam), ['Betrokkene registreren']);
    // Moved to another partij: both are concerned.
    const moved = await srv.req('PATCH', `/betrokkenen/${created.json.uuid}`, { token: kcm,
      body: { wasPartij: { uuid: partijen[2].uuid } } });
    expectStatus(moved, 200);
    const m = await records(traceOf(moved).trace);
    assert.equal(m.length, 2);
    assert.ok(m.every((r) => r.naam === 'Betrokkene wijzigen'));
    // Deleting the klantcontact concerns the partij of its betrokkene.
    const del = await srv.req('DELETE', `/klantcontacten/${kc.uuid}`, { token: beheerder });
    assert.equal(del.status, 204);
    const d = await records(traceOf(del).trace);
    assert.deepEqual(d.map((r) => [r.naam, r.rol, r.verwerkingsactiviteit]),
      [['Klantcontact verwijderen', 'beheerder', 'klantgegevens-beheren']]);
    // POST /maak-klantcontact with a betrokkene.
    const made = await srv.req('POST', '/maak-klantcontact', { token: kcm, body: {
      klantcontact: klantcontactBody({ kanaal: 'maak' }),
      betrokkene: { wasPartij: { uuid: partijen[4].uuid }, rol: 'klant', initiator: true } } });
    expectStatus(made, 201);
    assert.deepEqual((await records(traceOf(made).trace)).map((r) => r.naam), ['Klantcontact registreren']);
  });

  it('channels: a contactverzoek, its list, and a call that names a partij', async () => {
    const kv = await srv.req('POST', `${K}/contactverzoeken`, { base: true, token: kcm, body: {
      kanaal: 'telefoon', onderwerp: 'Terugbellen', partij: { uuid: partijen[6].uuid },
      toegewezenAan: { soort: 'afdeling', naam: 'Burgerzaken' } } });
    expectStatus(kv, 201);
    assert.deepEqual((await records(traceOf(kv).trace)).map((r) => r.naam), ['Contactverzoek registreren']);
    const read = await srv.req('GET', `${K}/contactverzoeken/${kv.json.uuid}`, { base: true, token: backoffice });
    expectStatus(read, 200);
    const rr = await records(traceOf(read).trace);
    assert.equal(rr.length, 1);
    assert.deepEqual([rr[0].naam, rr[0].rol, rr[0].verwerkingsactiviteit],
      ['Contactverzoek raadplegen', 'backoffice', 'contactverzoek-afhandelen']);
    const list = await srv.req('GET', `${K}/contactverzoeken?partij=${partijen[6].uuid}`, { base: true, token: backoffice });
    expectStatus(list, 200);
    assert.equal((await records(traceOf(list).trace)).length, 1);
    // A call from a number of a partij: the event, then reading the call.
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partijen[7].uuid }, adres: '0201234599',
      soortDigitaalAdres: 'telefoonnummer' });
    const pbx = srv.createToken('pbx', 'cti');
    const ev = await srv.req('POST', `${K}/cti/events`, { base: true, token: pbx, body: {
      gebeurtenis: 'aangeboden', gespreksId: 'ldv-1', telefoonnummer: '020 123 4599' } });
    expectStatus(ev, 201);
    assert.equal(ev.json.partij.uuid, partijen[7].uuid);
    assert.deepEqual((await records(traceOf(ev).trace)).map((r) => r.naam), ['Telefoongesprek registreren']);
    const call = await srv.req('GET', `${K}/oproepen/${ev.json.uuid}`, { base: true, token: kcm });
    expectStatus(call, 200);
    assert.deepEqual((await records(traceOf(call).trace)).map((r) => r.naam), ['Telefoongesprek raadplegen']);
  });

  it('the Mijn API: a resident reading their own data is a processing too (rol inwoner)', async () => {
    const res = await resident('GET', '/mijn/api/v1/klantcontacten');
    expectStatus(res, 200);
    assert.equal(res.json.count, 2);
    const recs = await records(traceOf(res).trace);
    assert.equal(recs.length, 1, 'one person: the resident');
    assert.deepEqual([recs[0].rol, recs[0].rolOmschrijving, recs[0].verwerkingsactiviteit],
      ['inwoner', 'Uzelf', 'mijn-gegevens-inzien']);
  });

  it('the Mijn API: reading and changing their kanaalvoorkeuren are logged, the change with it', async () => {
    const read = await resident('GET', '/mijn/api/v1/voorkeuren');
    expectStatus(read, 200);
    const r = await records(traceOf(read).trace);
    assert.deepEqual(r.map((x) => [x.naam, x.rol, x.verwerkingsactiviteit]),
      [['Kanaalvoorkeuren raadplegen', 'inwoner', 'mijn-gegevens-inzien']]);
    const put = await resident('PUT', '/mijn/api/v1/voorkeuren', { body: {
      voorkeurskanaal: 'e-mail', toestemmingDigitaal: true, toestemmingOnderzoek: false } });
    expectStatus(put, 200);
    assert.deepEqual((await records(traceOf(put).trace)).map((x) => x.naam), ['Kanaalvoorkeuren wijzigen']);
    // A refused change (a wrong channel) changes nothing and logs nothing.
    const bad = await resident('PUT', '/mijn/api/v1/voorkeuren', { body: {
      voorkeurskanaal: 'duif', toestemmingDigitaal: true, toestemmingOnderzoek: false } });
    assertProblem(bad, 400);
    assert.deepEqual(await records(traceOf(bad).trace), []);
  });

  it("a resident's \"who viewed my data\" shows the register's reads of their partij", async () => {
    const read = await srv.req('GET', `/partijen/${residentPartij.uuid}`, { token: kcm });
    expectStatus(read, 200);
    const other = await srv.req('GET', `/partijen/${partijen[0].uuid}`, { token: kcm });
    expectStatus(other, 200);
    const page = expectStatus(await resident('GET', `${LDV}?pageSize=100`), 200);
    const traces = new Set(page.results.map((r) => r.traceId));
    assert.ok(traces.has(traceOf(read).trace), 'the KCC read of their partij is shown');
    assert.ok(!traces.has(traceOf(other).trace), "another person's record is not");
    const shown = page.results.find((r) => r.traceId === traceOf(read).trace);
    assert.deepEqual([shown.naam, shown.rolOmschrijving], ['Partij raadplegen', 'Klantcontactcentrum']);
    assert.ok(page.results.some((r) => r.rol === 'inwoner'), 'their own reads are there too');
    assert.equal(page.count, page.results.length);
    // The beheerder's search by BSN finds the same: the BSN and every partij with it.
    const byBsn = expectStatus(await srv.req('POST', `${LDV}/_zoek?pageSize=500`, { base: true, token: beheerder,
      body: { bsn: '999990019' } }), 200);
    assert.ok(byBsn.results.some((r) => r.traceId === traceOf(read).trace));
    // Reading one person's records is itself logged, for that person (the resident sees it).
    const search = await srv.req('POST', `${LDV}/_zoek?pageSize=1`, { base: true, token: beheerder,
      body: { bsn: '999990019' } });
    expectStatus(search, 200);
    assert.deepEqual((await records(traceOf(search).trace)).map((r) => [r.naam, r.rol, r.betrokkeneType]),
      [['Verwerkingen raadplegen', 'beheerder', 'BSN']]);
    const own = await resident('GET', `${LDV}?pageSize=1`);
    expectStatus(own, 200);
    assert.deepEqual((await records(traceOf(own).trace)).map((r) => [r.naam, r.rol]),
      [['Verwerkingen raadplegen', 'inwoner']]);
    const seen = expectStatus(await resident('GET', `${LDV}?pageSize=500`), 200).results;
    assert.ok(seen.some((r) => r.traceId === traceOf(search).trace), "the beheerder's search shows in their overview");
    // Paging: page 2 of one record each continues where page 1 stopped.
    // (A resident's own read adds a record each time, so the pages are walked on one trace.)
    const lst = await srv.req('GET', '/klantcontacten?kanaal=logboektest&pageSize=20', { token: kcm });
    const pageOf = async (n) => expectStatus(await srv.req('GET',
      `${LDV}?traceId=${traceOf(lst).trace}&pageSize=1&page=${n}`, { base: true, token: beheerder }), 200);
    const p1 = await pageOf(1);
    assert.match(p1.next, /[?&]page=2(&|$)/);
    const p2 = await pageOf(2);
    assert.equal(p2.results.length, 1);
    assert.notEqual(p1.results[0].traceId + p1.results[0].spanId, p2.results[0].traceId + p2.results[0].spanId);
    assertProblem(await resident('GET', `${LDV}?_betrokkene=x`), 400);
  });

  it('what arrives through a channel names its partij: the generic webhook, WhatsApp, e-mail', async () => {
    const p = partijen[8];
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'ldv.webhook@example.org',
      soortDigitaalAdres: 'email' });
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: '0612340019',
      soortDigitaalAdres: 'telefoonnummer' });
    const kanalen = srv.createToken('site', 'kanalen');
    const msg = { kanaal: 'website', tekst: 'Mijn vraag over de afvalpas', externId: 'ldv-web-1',
      afzender: { adres: 'ldv.webhook@example.org', soort: 'email' } };
    const hook = await srv.req('POST', `${K}/berichten`, { base: true, token: kanalen, body: msg });
    expectStatus(hook, 201);
    assert.equal(hook.json.partij, p.uuid);
    assert.deepEqual((await records(traceOf(hook).trace)).map((r) => [r.naam, r.rol]),
      [['Bericht ontvangen', 'kanalen']]);
    // A redelivery stores nothing and logs nothing; a sender nobody knows concerns no partij.
    const again = await srv.req('POST', `${K}/berichten`, { base: true, token: kanalen, body: msg });
    assert.equal(expectStatus(again, 200).dubbel, true);
    assert.deepEqual(await records(traceOf(again).trace), []);
    const stranger = await srv.req('POST', `${K}/berichten`, { base: true, token: kanalen, body: {
      kanaal: 'website', tekst: 'Wie ben ik?', afzender: { adres: 'onbekend@example.org', soort: 'email' } } });
    expectStatus(stranger, 201);
    assert.deepEqual(await records(traceOf(stranger).trace), []);

    // The WhatsApp webhook is signed, not a credential: the system processes it.
    const wa = await whatsapp(srv, { from: '31612340019', id: 'wamid.ldv.1', text: 'Hallo' });
    expectStatus(wa, 200);
    assert.deepEqual((await records(traceOf(wa).trace)).map((r) => [r.naam, r.rol, r.verwerkingsactiviteit]),
      [['Bericht ontvangen', 'systeem', 'klantvraag-beantwoorden']]);

    // mail-ingest (its own process, its own trace): found through the resident's own overview.
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: residentPartij.uuid },
      adres: 'bewoner.ldv@example.org', soortDigitaalAdres: 'email' });
    const kc = mailIngest(srv.dbPath, Buffer.from(['From: Bewoner <bewoner.ldv@example.org>',
      'To: info@gemeente.test', 'Subject: Vraag over mijn paspoort', 'Date: Mon, 30 Nov 2026 10:00:00 +0100',
      'Message-ID: <ldv-mail-1@example.org>', 'Content-Type: text/plain; charset=utf-8', '',
      'Wanneer is mijn paspoort klaar?', ''].join('\r\n')));
    assert.match(kc, /^[0-9a-f-]{36}$/);
    const mine = expectStatus(await resident('GET', `${LDV}?pageSize=100`), 200).results;
    const mail = mine.filter((r) => r.naam === 'E-mail ontvangen');
    assert.equal(mail.length, 1, JSON.stringify(mine.map((r) => r.naam)));
    assert.deepEqual([mail[0].rol, mail[0].rolOmschrijving], ['systeem', 'Automatische verwerking (e-mail, WhatsApp)']);
  });

  it('an attachment read by its uuid names the partijen of the contact it came with', async () => {
    const p = partijen[9];
    const post = expectStatus(await srv.req('POST', `${K}/post`, { base: true, body: { onderwerp: 'Bezwaar',
      inhoud: 'Per post.', partij: { uuid: p.uuid },
      scan: { naam: 'bezwaar.pdf', contentType: 'application/pdf', inhoud: Buffer.from('%PDF-1.4\n').toString('base64') } } }), 201);
    const file = await request('GET', post.scan.url, { headers: { Authorization: `Token ${kcm}` } });
    assert.equal(file.status, 200);
    const recs = await records(traceOf(file).trace);
    assert.deepEqual(recs.map((r) => [r.naam, r.rol]), [['Bestand raadplegen', 'kcm']]);
    // The same file read about the partij: the resident's own overview would show it.
    const viaPartij = expectStatus(await srv.req('POST', `${LDV}/_zoek?pageSize=500`, { base: true, token: beheerder,
      body: { bsn: '999990019' } }), 200);
    assert.ok(!viaPartij.results.some((r) => r.traceId === traceOf(file).trace), 'not about the resident');
  });

  it("the resident's own chat, held by its secret, is logged once it concerns a known partij", async () => {
    // The e-mail address typed in the chat identifies nobody: before the KCC links the chat to
    // a resident, the visitor's start, messages and reads concern no partij and log nothing.
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partijen[10].uuid },
      adres: 'chat.ldv@example.org', soortDigitaalAdres: 'email' });
    const start = await request('POST', `${srv.base}${K}/chat/sessies`, { body: { naam: 'Chat', email: 'chat.ldv@example.org',
      onderwerp: 'Afval' } });
    expectStatus(start, 201);
    const chat = start.json;
    const asVisitor = (method, path, body) => request(method, `${srv.base}${K}/chat/sessies/${chat.sessie}${path}`,
      { body, headers: { 'X-Chat-Sessie': chat.geheim } });
    assert.deepEqual(await records(traceOf(start).trace), []);
    const said = await asVisitor('POST', '/berichten', { tekst: 'Wanneer komt het grofvuil?' });
    expectStatus(said, 201);
    assert.deepEqual(await records(traceOf(said).trace), []);
    // The employee identified the resident and closed the chat for her (logged as the KCC's).
    expectStatus(await srv.req('POST', `${K}/chat/sessies/${chat.sessie}/toewijzen`, { base: true, token: kcm,
      body: { medewerker: 'ldv' } }), 200);
    const closed = await srv.req('POST', `${K}/chat/sessies/${chat.sessie}/afsluiten`, { base: true, token: kcm,
      body: { partij: { uuid: partijen[10].uuid } } });
    expectStatus(closed, 200);
    assert.deepEqual((await records(traceOf(closed).trace)).map((r) => [r.naam, r.rol]), [['Gesprek afsluiten', 'kcm']]);
    // Whoever holds the secret now reads a conversation of a known partij.
    const read = await asVisitor('GET', '/berichten');
    expectStatus(read, 200);
    assert.deepEqual((await records(traceOf(read).trace)).map((r) => [r.naam, r.rol, r.rolOmschrijving]),
      [['Chatgesprek raadplegen', 'chatbezoeker', 'Iemand in de chat op de website']]);
  });

  it('opening a resident in a werkplek contact session is logged', async () => {
    const desk = await staffSession(srv, 'ldv-kcm', 'kcm');
    const sessie = expectStatus(await desk('POST', '/werkplek/api/v1/sessies', { body: { aanleiding: 'nieuw' } }), 201);
    const open = await desk('POST', `/werkplek/api/v1/sessies/${sessie.uuid}/partijen`, { body: { uuid: partijen[11].uuid } });
    expectStatus(open, 200);
    assert.deepEqual((await records(traceOf(open).trace)).map((r) => [r.naam, r.rol]),
      [['Klant openen in contactmoment', 'kcm']]);
    // A partij that does not exist: refused, nothing logged.
    const bad = await desk('POST', `/werkplek/api/v1/sessies/${sessie.uuid}/partijen`,
      { body: { uuid: '00000000-0000-4000-8000-000000000000' } });
    assertProblem(bad, 400);
    assert.deepEqual(await records(traceOf(bad).trace), []);
  });

  it('logboek verify: whole after all this; a changed, removed or cut-off record is named', async () => {
    const ok = verify(srv.dbPath);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^logboek in orde: \d+ records in \d+ verwerkingen; laatste hash [0-9a-f]{64}\n$/);
    await srv.stop({ keepDir: true });
    const copy = (name) => copyDatabase(srv, name);
    const last = Number(sqlite(srv.dbPath, 'SELECT max(id) FROM dataverwerkingen'));
    assert.ok(last > 10);
    const cases = [
      ['changed', 'UPDATE dataverwerkingen SET rol = \'beheerder\' WHERE id = 5', /^omnikanaal: logboek: record 5 klopt niet/],
      ['removed', 'DELETE FROM dataverwerkingen WHERE id = 7', /^omnikanaal: logboek: record 8 volgt niet op record 6/],
      ['cut off', `DELETE FROM dataverwerkingen WHERE id >= ${last - 1}`,
        new RegExp(`^omnikanaal: logboek: record ${last - 1} ontbreekt: de laatste records`)],
      ['persons changed', `UPDATE dataverwerkingen SET betrokkenen = ${ON_PG
        ? "decode(repeat('00', length(betrokkenen)), 'hex')" : 'zeroblob(length(betrokkenen))'} WHERE id = 3`,
        /^omnikanaal: logboek: record 3 klopt niet/],
    ];
    for (const [what, sql, message] of cases) {
      const db = copy(`tampered-${what.replace(' ', '-')}.db`);
      sqlite(db, sql);
      const r = verify(db);
      assert.equal(r.status, 1, `${what}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, what);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
    const bad = spawnSync(BIN, ['logboek', 'check'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    await srv.restart();
  });
});

describe('--logboek wachten: an answer leaves after its records are on disk', () => {
  let srv;
  before(async () => { srv = await startServer({ args: ['--logboek', 'wachten'] }); });
  after(async () => { await srv.stop(); });

  it('the records of a read are committed when its answer arrives', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    for (let i = 0; i < 5; i++) {
      const res = await srv.req('GET', `/partijen/${p.uuid}`);
      expectStatus(res, 200);
      const n = sqlite(srv.dbPath, `SELECT coalesce(sum(aantal), 0) FROM dataverwerkingen WHERE trace_id = '${traceOf(res).trace}'`);
      assert.equal(n, '1', `read ${i}`);
    }
  });

  it('serve refuses an unknown mode (exit 2)', () => {
    const r = spawnSync(BIN, ['serve', '--logboek', 'soms', '--db', join(srv.dir, 'x.db'), '--listen', '127.0.0.1:1'],
      { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--logboek/);
  });
});
