// /klantcontacten: CRUD, defaults, validation, business rules, cascades.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertInvalidParam, assertReasonAnywhere, expectStatus, create, count,
  persoonBody, klantcontactBody, assertHasRef, show,
  REQUIRED, maxLenReason, UUID_RE,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const post = (body) => srv.req('POST', '/klantcontacten', { body });
const RO_ARRAYS = ['gingOverOnderwerpobjecten', 'hadBetrokkenActoren', 'omvatteBijlagen', 'hadBetrokkenen', 'leiddeTotInterneTaken'];

describe('klantcontacten CRUD', () => {
  let kc;
  it('POST → 201 with uuid, url, given fields, defaults and empty read-only arrays', async () => {
    const body = klantcontactBody({ nummer: '0000000001', referentienummer: '1234', reactie: 'Doorverwezen',
      hoofdOnderwerpType: 'https://zaaktypen.example.nl/verhuizing', metadata: { bron: 'kiss', sessie: 'abc' } });
    kc = expectStatus(await post(body), 201);
    assert.match(kc.uuid, UUID_RE);
    assert.equal(kc.url, `${srv.api}/klantcontacten/${kc.uuid}`);
    for (const k of ['nummer', 'referentienummer', 'kanaal', 'onderwerp', 'inhoud', 'reactie', 'indicatieContactGelukt',
      'hoofdOnderwerpType', 'taal', 'vertrouwelijk']) {
      assert.deepEqual(kc[k], body[k], k);
    }
    assert.deepEqual(kc.metadata, { bron: 'kiss', sessie: 'abc' });
    assert.equal(kc.plaatsgevondenOp, '2024-05-01T10:00:00Z');
    assert.equal(kc.verdereActieOndernomen, false, 'verdereActieOndernomen defaults to false');
    const wrong = RO_ARRAYS.filter((k) => !Array.isArray(kc[k]) || kc[k].length !== 0);
    assert.deepEqual(wrong, [], `these read-only arrays must be [] on a fresh klantcontact: ${wrong.map((k) => `${k}=${JSON.stringify(kc[k])}`).join(', ')}`);
  });
  it('GET → 200 same object', async () => {
    assert.deepEqual(expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200), kc);
  });
  it('201 carries Location: <url> (DRF CreateModelMixin behaviour)', async () => {
    const res = await post(klantcontactBody({ onderwerp: 'location' }));
    expectStatus(res, 201);
    assert.equal(res.headers.get('location'), res.json.url);
  });
  it('GET list → contains it', async () => {
    const l = expectStatus(await srv.req('GET', '/klantcontacten'), 200);
    const r = l.results.find((x) => x.uuid === kc.uuid);
    assert.deepEqual(r, kc);
  });
  it('PUT with all required fields → 200', async () => {
    const got = expectStatus(await srv.req('PUT', `/klantcontacten/${kc.uuid}`, { body: {
      kanaal: 'balie', onderwerp: 'Paspoort aanvragen', taal: 'nld', vertrouwelijk: true } }), 200);
    assert.equal(got.kanaal, 'balie');
    assert.equal(got.onderwerp, 'Paspoort aanvragen');
    assert.equal(got.vertrouwelijk, true);
    assert.equal(got.uuid, kc.uuid);
    assert.deepEqual(expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200), got);
  });
  it('PUT missing taal and vertrouwelijk → 400 both required', async () => {
    const res = await srv.req('PUT', `/klantcontacten/${kc.uuid}`, { body: { kanaal: 'balie', onderwerp: 'x' } });
    assertInvalidParam(res, 'taal', 'required', REQUIRED);
    assertInvalidParam(res, 'vertrouwelijk', 'required', REQUIRED);
  });
  it('PATCH onderwerp → 200, other fields unchanged', async () => {
    const before = expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
    const got = expectStatus(await srv.req('PATCH', `/klantcontacten/${kc.uuid}`, { body: { onderwerp: 'Gewijzigd' } }), 200);
    assert.deepEqual(got, { ...before, onderwerp: 'Gewijzigd' });
  });
  it('DELETE → 204 then GET 404', async () => {
    const del = await srv.req('DELETE', `/klantcontacten/${kc.uuid}`);
    assert.equal(del.status, 204, show(del));
    assertProblem(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 404, 'not_found');
  });
});

describe('klantcontacten fields', () => {
  it('plaatsgevondenOp defaults to now (UTC, Z)', async () => {
    const body = klantcontactBody();
    delete body.plaatsgevondenOp;
    const kc = await create(srv, 'klantcontacten', body);
    assert.match(kc.plaatsgevondenOp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.ok(Math.abs(Date.parse(kc.plaatsgevondenOp) - Date.now()) < 120000, kc.plaatsgevondenOp);
  });
  it('an offset in plaatsgevondenOp is accepted and returned in UTC with Z', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ plaatsgevondenOp: '2024-05-01T12:00:00+02:00' }));
    assert.equal(kc.plaatsgevondenOp, '2024-05-01T10:00:00Z');
  });
  it('indicatieContactGelukt may be null', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ indicatieContactGelukt: null }));
    assert.equal(kc.indicatieContactGelukt, null);
  });
  it('KISS contactmoment body → 201', async () => {
    const kc = await create(srv, 'klantcontacten', { kanaal: 'Telefoon', onderwerp: 'Vraag over afval', inhoud: 'Wanneer komt de container?',
      indicatieContactGelukt: true, taal: 'nld', vertrouwelijk: false, plaatsgevondenOp: new Date().toISOString() });
    assert.equal(kc.kanaal, 'Telefoon');
  });
  it('metadata: string values round-trip; non-string values are stringified', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ metadata: { a: 'b', n: 5, t: true } }));
    assert.equal(kc.metadata.a, 'b');
    assert.equal(kc.metadata.n, '5');
    assert.equal(typeof kc.metadata.t, 'string');
  });
  it('metadata value over 255 characters → 400', async () => {
    const res = await post(klantcontactBody({ metadata: { lang: 'x'.repeat(256) } }));
    assertProblem(res, 400);
    assert.ok(res.json.invalidParams.some((p) => p.name.startsWith('metadata')), JSON.stringify(res.json.invalidParams));
  });
  it('PUT leaves omitted optional fields unchanged', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ inhoud: 'blijft', reactie: 'blijft ook' }));
    const got = expectStatus(await srv.req('PUT', `/klantcontacten/${kc.uuid}`, { body: {
      kanaal: 'balie', onderwerp: 'Nieuw', taal: 'nld', vertrouwelijk: false } }), 200);
    assert.equal(got.inhoud, 'blijft');
    assert.equal(got.reactie, 'blijft ook');
    assert.equal(got.plaatsgevondenOp, kc.plaatsgevondenOp);
  });
  it('kanaal is a free string (no enum)', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ kanaal: 'postduif' }));
    assert.equal(kc.kanaal, 'postduif');
  });
});

describe('klantcontacten validation', () => {
  it('POST {} → 400 with kanaal, onderwerp, taal, vertrouwelijk all required', async () => {
    const res = await post({});
    for (const f of ['kanaal', 'onderwerp', 'taal', 'vertrouwelijk']) assertInvalidParam(res, f, 'required', REQUIRED);
    assert.equal(res.json.invalidParams.length, 4, JSON.stringify(res.json.invalidParams));
  });
  it('vertrouwelijk "ja" → 400 invalid', async () => {
    assertInvalidParam(await post(klantcontactBody({ vertrouwelijk: 'ja' })), 'vertrouwelijk', 'invalid');
  });
  it('indicatieContactGelukt as an object → 400 invalid', async () => {
    assertInvalidParam(await post(klantcontactBody({ indicatieContactGelukt: { a: 1 } })), 'indicatieContactGelukt', 'invalid');
  });
  it('onderwerp as a list → 400 invalid', async () => {
    assertInvalidParam(await post(klantcontactBody({ onderwerp: ['lijst'] })), 'onderwerp', 'invalid');
  });
  it('kanaal 51, onderwerp 201, taal 4 characters → three max_length errors at once', async () => {
    const res = await post(klantcontactBody({ kanaal: 'k'.repeat(51), onderwerp: 'o'.repeat(201), taal: 'nlde' }));
    assertInvalidParam(res, 'kanaal', 'max_length', maxLenReason(50));
    assertInvalidParam(res, 'onderwerp', 'max_length', maxLenReason(200));
    assertInvalidParam(res, 'taal', 'max_length', maxLenReason(3));
  });
  it('inhoud 1001 → max_length 1000; reactie 4001 → max_length 4000', async () => {
    const res = await post(klantcontactBody({ inhoud: 'i'.repeat(1001), reactie: 'r'.repeat(4001) }));
    assertInvalidParam(res, 'inhoud', 'max_length', maxLenReason(1000));
    assertInvalidParam(res, 'reactie', 'max_length', maxLenReason(4000));
  });
  it('exact maximum lengths are accepted', async () => {
    await create(srv, 'klantcontacten', klantcontactBody({ kanaal: 'k'.repeat(50), onderwerp: 'ö'.repeat(200), inhoud: 'i'.repeat(1000), reactie: 'r'.repeat(4000) }));
  });
  it('plaatsgevondenOp "gisteren" → 400 invalid', async () => {
    assertInvalidParam(await post(klantcontactBody({ plaatsgevondenOp: 'gisteren' })), 'plaatsgevondenOp', 'invalid');
  });
  it('indicatieContactGelukt=true with verdereActieOndernomen=true → 400 nonFieldErrors', async () => {
    const res = await post(klantcontactBody({ indicatieContactGelukt: true, verdereActieOndernomen: true }));
    assertInvalidParam(res, 'nonFieldErrors', 'no-further-action-when-contact-succesful');
  });
  it('indicatieContactGelukt=false with verdereActieOndernomen=true → 201', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ indicatieContactGelukt: false, verdereActieOndernomen: true }));
    assert.equal(kc.verdereActieOndernomen, true);
  });
  it('a duplicate nummer → 400 "Er bestaat al een klantcontact met eenzelfde nummer."', async () => {
    await create(srv, 'klantcontacten', klantcontactBody({ nummer: '7777777777' }));
    const before = await count(srv, '/klantcontacten?nummer=7777777777');
    const res = await post(klantcontactBody({ nummer: '7777777777' }));
    assertReasonAnywhere(res, 'Er bestaat al een klantcontact met eenzelfde nummer.');
    assert.equal(await count(srv, '/klantcontacten?nummer=7777777777'), before);
    assert.equal(before, 1);
  });
  it('20 concurrent POSTs with the same nummer → exactly one 201, the rest 400', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, () => post(klantcontactBody({ nummer: '8888888888' }))));
    const statuses = rs.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
    assert.equal(statuses.filter((s) => s === 400).length, 19, `statuses ${statuses}`);
    assert.equal(await count(srv, '/klantcontacten?nummer=8888888888'), 1);
  });
  it('nummer is not auto-generated and null twice is fine', async () => {
    const a = await create(srv, 'klantcontacten', klantcontactBody());
    const b = await create(srv, 'klantcontacten', klantcontactBody({ nummer: null }));
    assert.ok(a.nummer === null || a.nummer === undefined || a.nummer === '', `nummer ${a.nummer}`);
    assert.ok(b.nummer === null || b.nummer === '', `nummer ${b.nummer}`);
  });
  it('nummer over 10 → 400 max_length', async () => {
    assertInvalidParam(await post(klantcontactBody({ nummer: '12345678901' })), 'nummer', 'max_length', maxLenReason(10));
  });
  it('read-only arrays in the body are ignored', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ hadBetrokkenen: [{ uuid: crypto.randomUUID() }] }));
    assert.deepEqual(kc.hadBetrokkenen, []);
  });
});

describe('klantcontact relations', () => {
  it('hadBetrokkenen reflects created betrokkenen as {uuid,url}', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const p = await create(srv, 'partijen', persoonBody());
    const b1 = await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: p.uuid }, rol: 'klant', initiator: true });
    const b2 = await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, rol: 'vertegenwoordiger', initiator: false });
    const got = expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
    assert.equal(got.hadBetrokkenen.length, 2);
    assertHasRef(got.hadBetrokkenen, b1, 'hadBetrokkenen');
    assertHasRef(got.hadBetrokkenen, b2, 'hadBetrokkenen');
  });
  it('DELETE klantcontact cascades its betrokkenen (and their partij stays)', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const p = await create(srv, 'partijen', persoonBody());
    const b = await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: p.uuid }, rol: 'klant', initiator: true });
    const a = await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b.uuid }, adres: 'b@example.nl', soortDigitaalAdres: 'email' });
    assert.equal((await srv.req('DELETE', `/klantcontacten/${kc.uuid}`)).status, 204);
    assertProblem(await srv.req('GET', `/betrokkenen/${b.uuid}`), 404);
    assert.equal(await count(srv, `/betrokkenen?hadKlantcontact__uuid=${kc.uuid}`), 0);
    const pp = expectStatus(await srv.req('GET', `/partijen/${p.uuid}`), 200);
    assert.deepEqual(pp.betrokkenen, []);
    // the betrokkene's adres survives with verstrektDoorBetrokkene null
    const aa = expectStatus(await srv.req('GET', `/digitaleadressen/${a.uuid}`), 200);
    assert.equal(aa.verstrektDoorBetrokkene, null);
  });
});
