// Every API is held to its own OpenAPI document (issue 14): the harness validates each response
// (lib/spec-validator.mjs). This file drives the routes that the other API tests reach only
// through the web UI — the auth API's login, session and logout, the werkplek's contact
// sessions — so their answers are validated too, and it shows that the validator can fail: a
// deliberately wrong response shape for the Mijn and Werkplek APIs, an operation the document
// lacks, an undeclared status, a problem without invalidParams and a wrong API-version are each
// reported.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  startServer, request, expectStatus, create, persoonBody, conformsToSpec,
} from '../lib/harness.mjs';
import { specValidator, APIS } from '../lib/spec-validator.mjs';

const PASSWORD = 'geheim-wachtwoord-1';
const MIJN = '/mijn/api/v1';
const WERKPLEK = '/werkplek/api/v1';

describe('responses of every API conform to their OpenAPI document', () => {
  let srv;
  let v;
  let desk;
  let sessie;
  let partij;
  before(async () => {
    v = await specValidator();
    await v.readyAll();
    srv = await startServer({ args: ['--dev-login'] });
    partij = await create(srv, 'partijen', persoonBody());
    srv.createUser('mira', 'kcm', PASSWORD);
    const { cookie, csrf } = await srv.login('mira', PASSWORD);
    desk = (method, path, opts = {}) => request(method, srv.base + path, { ...opts, token: null,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(opts.headers || {}) } });
  });
  after(async () => { if (srv) await srv.stop(); });

  it('the validator knows a document for every API base, with its version', () => {
    assert.deepEqual(v.apis.map((a) => a.base).sort(), APIS.map((a) => a.base).sort());
    for (const a of v.apis) {
      const doc = JSON.parse(readFileSync(a.file, 'utf8'));
      assert.equal(a.version, doc.info.version);
    }
  });

  it('the auth API: session, activity and logout conform', async () => {
    srv.createUser('bert', 'kcm', PASSWORD);
    const { cookie, csrf } = await srv.login('bert', PASSWORD);
    const h = { Cookie: cookie, 'X-CSRF-Token': csrf };
    const s = expectStatus(await request('GET', `${srv.base}/auth/api/v1/sessie`, { token: null, headers: h }), 200);
    assert.equal(s.gebruikersnaam, 'bert');
    const bad = await request('PATCH', `${srv.base}/auth/api/v1/sessie`, { token: null, headers: h, body: {} });
    assert.equal(bad.status, 400);
    const out = await request('POST', `${srv.base}/auth/api/v1/logout`, { token: null, headers: h });
    assert.equal(out.status, 204);
    const wrong = await request('POST', `${srv.base}/auth/api/v1/login`, { token: null, body: { gebruikersnaam: 'bert', wachtwoord: 'fout' } });
    assert.equal(wrong.status, 401);
  });

  it('the werkplek API: a contact session from start to wrap-up conforms', async () => {
    sessie = expectStatus(await desk('POST', `${WERKPLEK}/sessies`, { body: { aanleiding: 'telefoon', telefoonnummer: '0201234567' } }), 201);
    expectStatus(await desk('GET', `${WERKPLEK}/sessies/${sessie.uuid}`), 200);
    expectStatus(await desk('GET', `${WERKPLEK}/sessies`), 200);
    expectStatus(await desk('PATCH', `${WERKPLEK}/sessies/${sessie.uuid}`, { body: { concept: { notitie: 'Belt over verhuizing' } } }), 200);
    const open = expectStatus(await desk('POST', `${WERKPLEK}/sessies/${sessie.uuid}/partijen`, { body: { uuid: partij.uuid } }), 200);
    assert.equal(open.actievePartij.uuid, partij.uuid);
    const invalid = await desk('PATCH', `${WERKPLEK}/sessies/${sessie.uuid}`, { body: { concept: 'geen object' } });
    assert.equal(invalid.status, 400);
    const done = expectStatus(await desk('POST', `${WERKPLEK}/sessies/${sessie.uuid}/afronden`, { body: { voor: [partij.uuid] } }), 200);
    assert.equal(done.status, 'afgerond');
    const closed = await desk('PATCH', `${WERKPLEK}/sessies/${sessie.uuid}`, { body: { concept: {} } });
    assert.equal(closed.status, 409);
  });

  it('a wrong response shape for the Mijn API is reported (so the validation can fail)', async () => {
    assert.deepEqual(v.checkOurBody(MIJN, 'GET', '/profiel', 200, { naam: 'Jan de Vries' }), []);
    const wrongType = v.checkOurBody(MIJN, 'GET', '/profiel', 200, { naam: 42 });
    assert.ok(wrongType.length > 0, 'naam as a number must be reported');
    assert.match(wrongType.join('\n'), /naam/);
    const prefs = { voorkeurskanaal: 'e-mail', toestemmingDigitaal: true, toestemmingOnderzoek: false,
      gewijzigdOp: '2026-12-06T10:00:00Z', kanalen: ['e-mail', 'telefoon'] };
    assert.deepEqual(v.checkOurBody(MIJN, 'GET', '/voorkeuren', 200, prefs), []);
    const { toestemmingDigitaal, ...missing } = prefs;
    assert.ok(v.checkOurBody(MIJN, 'GET', '/voorkeuren', 200, missing).length > 0, 'a missing required field must be reported');
    assert.ok(v.checkOurBody(MIJN, 'GET', '/voorkeuren', 200, { ...prefs, toestemmingDigitaal: 'ja' }).length > 0);
  });

  it('a wrong werkplek session shape is reported, a real one is not', async () => {
    const real = expectStatus(await desk('GET', `${WERKPLEK}/sessies/${sessie.uuid}`), 200);
    assert.deepEqual(v.checkOurBody(WERKPLEK, 'GET', `/sessies/${sessie.uuid}`, 200, real), []);
    assert.ok(v.checkOurBody(WERKPLEK, 'GET', `/sessies/${sessie.uuid}`, 200, { ...real, partijen: 'geen lijst' }).length > 0);
    const { uuid, ...noUuid } = real;
    assert.ok(v.checkOurBody(WERKPLEK, 'GET', `/sessies/${sessie.uuid}`, 200, noUuid).length > 0);
  });

  it('an operation missing from the document, an undeclared status, a bad problem and a wrong version are reported', () => {
    assert.match(v.checkOurBody(MIJN, 'GET', '/onbekend', 200, {}).join('\n'), /no operation GET \/onbekend/);
    assert.match(v.checkOurBody(MIJN, 'GET', '/profiel', 202, { naam: null }).join('\n'), /declares no 202/);
    const problem = { type: 'x', code: 'invalid', title: 'Ongeldige invoer.', status: 400, detail: 'd', instance: 'urn:uuid:8f7d1c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f' };
    assert.match(v.checkOurBody(MIJN, 'PUT', '/voorkeuren', 400, problem).join('\n'), /invalidParams/);
    assert.deepEqual(v.checkOurBody(MIJN, 'PUT', '/voorkeuren', 400, { ...problem, invalidParams: [{ name: 'voorkeurskanaal', code: 'required', reason: 'Dit veld is vereist.' }] }), []);
    assert.match(v.checkOurBody(MIJN, 'GET', '/profiel', 200, { naam: null }, { 'api-version': '9.9.9' }).join('\n'), /API-version/);
  });

  it('the harness fails a request whose answer breaks the document', async () => {
    const res = await desk('GET', `${WERKPLEK}/sessies/${sessie.uuid}`);
    const text = JSON.stringify({ ...res.json, versie: 'een' });
    await assert.rejects(conformsToSpec('GET', `${srv.base}${WERKPLEK}/sessies/${sessie.uuid}`, { ...res, text }, { enforce: true }),
      (e) => e instanceof assert.AssertionError && /violates the OpenAPI spec/.test(e.message) && /versie/.test(e.message));
  });
});
