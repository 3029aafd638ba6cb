// /digitaleadressen: CRUD, adres validation by soort, isStandaardAdres rules, references.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertInvalidParam, expectStatus, create, count,
  persoonBody, klantcontactBody, assertRef, assertHasRef, show,
  REQUIRED, maxLenReason, choiceReason, MISSING_REF_CODES, missingRefReason, UUID_RE,
} from '../lib/harness.mjs';

let srv;
let partij;
let betrokkene;
before(async () => {
  srv = await startServer();
  partij = await create(srv, 'partijen', persoonBody());
  const kc = await create(srv, 'klantcontacten', klantcontactBody());
  betrokkene = await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
});
after(async () => { if (srv) await srv.stop(); });

const EMAIL_BAD = 'Voer een geldig e-mailadres in.';
const PHONE_BAD = 'Het opgegeven telefoonnummer is ongeldig.';
const post = (body) => srv.req('POST', '/digitaleadressen', { body });

describe('digitaleadressen CRUD', () => {
  let a;
  it('POST email for a partij → 201 with uuid, url and refs', async () => {
    const res = await post({ verstrektDoorPartij: { uuid: partij.uuid }, adres: 'jan@example.nl', soortDigitaalAdres: 'email',
      omschrijving: 'privé', referentie: 'ref-1', isStandaardAdres: false, verificatieDatum: '2024-04-01' });
    a = expectStatus(res, 201);
    assert.match(a.uuid, UUID_RE);
    assert.equal(a.url, `${srv.api}/digitaleadressen/${a.uuid}`);
    assertRef(a.verstrektDoorPartij, partij, 'verstrektDoorPartij');
    assert.equal(a.verstrektDoorBetrokkene, null);
    assert.equal(a.adres, 'jan@example.nl');
    assert.equal(a.soortDigitaalAdres, 'email');
    assert.equal(a.omschrijving, 'privé');
    assert.equal(a.referentie, 'ref-1');
    assert.equal(a.isStandaardAdres, false);
    assert.equal(a.verificatieDatum, '2024-04-01');
  });
  it('GET → 200 same object', async () => {
    assert.deepEqual(expectStatus(await srv.req('GET', `/digitaleadressen/${a.uuid}`), 200), a);
  });
  it('GET list → contains it', async () => {
    const l = expectStatus(await srv.req('GET', '/digitaleadressen'), 200);
    assert.ok(l.results.some((x) => x.uuid === a.uuid));
  });
  it('POST for a betrokkene (KISS contactverzoek) → 201; betrokkene.digitaleAdressen reflects it', async () => {
    const b = expectStatus(await post({ verstrektDoorBetrokkene: { uuid: betrokkene.uuid }, verstrektDoorPartij: null,
      adres: '0612345678', soortDigitaalAdres: 'telefoonnummer', omschrijving: 'onbekend' }), 201);
    assertRef(b.verstrektDoorBetrokkene, betrokkene, 'verstrektDoorBetrokkene');
    assert.equal(b.verstrektDoorPartij, null);
    const got = expectStatus(await srv.req('GET', `/betrokkenen/${betrokkene.uuid}`), 200);
    assertHasRef(got.digitaleAdressen, b, 'betrokkene.digitaleAdressen');
  });
  it('partij.digitaleAdressen reflects the adres', async () => {
    const p = expectStatus(await srv.req('GET', `/partijen/${partij.uuid}`), 200);
    assertHasRef(p.digitaleAdressen, a, 'partij.digitaleAdressen');
  });
  it('PUT → 200 with new values', async () => {
    const got = expectStatus(await srv.req('PUT', `/digitaleadressen/${a.uuid}`, { body: {
      verstrektDoorPartij: { uuid: partij.uuid }, adres: 'jan.nieuw@example.nl', soortDigitaalAdres: 'email', omschrijving: 'werk' } }), 200);
    assert.equal(got.adres, 'jan.nieuw@example.nl');
    assert.equal(got.omschrijving, 'werk');
    assert.equal(got.uuid, a.uuid);
  });
  it('PUT without adres and soortDigitaalAdres → 400 both required', async () => {
    const res = await srv.req('PUT', `/digitaleadressen/${a.uuid}`, { body: { omschrijving: 'x' } });
    assertInvalidParam(res, 'adres', 'required', REQUIRED);
    assertInvalidParam(res, 'soortDigitaalAdres', 'required', REQUIRED);
  });
  it('PATCH omschrijving → 200, rest unchanged', async () => {
    const before = expectStatus(await srv.req('GET', `/digitaleadressen/${a.uuid}`), 200);
    const got = expectStatus(await srv.req('PATCH', `/digitaleadressen/${a.uuid}`, { body: { omschrijving: 'gepatcht' } }), 200);
    assert.deepEqual(got, { ...before, omschrijving: 'gepatcht' });
  });
  it('PATCH adres to an invalid email (soort stays email) → 400 at adres', async () => {
    const res = await srv.req('PATCH', `/digitaleadressen/${a.uuid}`, { body: { adres: 'geen-email' } });
    assertInvalidParam(res, 'adres', undefined, EMAIL_BAD);
  });
  it('DELETE → 204 then GET 404; partij no longer lists it', async () => {
    const del = await srv.req('DELETE', `/digitaleadressen/${a.uuid}`);
    assert.equal(del.status, 204, show(del));
    assertProblem(await srv.req('GET', `/digitaleadressen/${a.uuid}`), 404, 'not_found');
    const p = expectStatus(await srv.req('GET', `/partijen/${partij.uuid}`), 200);
    assert.ok(!p.digitaleAdressen.some((x) => x.uuid === a.uuid));
    expectStatus(await srv.req('GET', `/partijen/${partij.uuid}`), 200);
  });
});

describe('digitaleadressen validation', () => {
  it('POST {} → 400 adres and soortDigitaalAdres required together', async () => {
    const res = await post({});
    assertInvalidParam(res, 'adres', 'required', REQUIRED);
    assertInvalidParam(res, 'soortDigitaalAdres', 'required', REQUIRED);
  });
  it('soortDigitaalAdres "fax" → 400 invalid_choice', async () => {
    assertInvalidParam(await post({ adres: 'x', soortDigitaalAdres: 'fax' }), 'soortDigitaalAdres', 'invalid_choice', choiceReason('fax'));
  });
  it('adres over 80 characters → 400 max_length', async () => {
    assertInvalidParam(await post({ adres: 'a'.repeat(81), soortDigitaalAdres: 'overig' }), 'adres', 'max_length', maxLenReason(80));
  });
  it('omschrijving over 40 characters → 400 max_length', async () => {
    assertInvalidParam(await post({ adres: 'x', soortDigitaalAdres: 'overig', omschrijving: 'o'.repeat(41) }),
      'omschrijving', 'max_length', maxLenReason(40));
  });
  it('isStandaardAdres "ja" → 400 invalid', async () => {
    assertInvalidParam(await post({ adres: 'x', soortDigitaalAdres: 'overig', isStandaardAdres: 'ja' }), 'isStandaardAdres', 'invalid');
  });
  it('referentie with a space → 400 at referentie', async () => {
    assertInvalidParam(await post({ adres: 'x', soortDigitaalAdres: 'overig', referentie: 'met spatie' }), 'referentie');
  });
  it('verificatieDatum not a date → 400 at verificatieDatum', async () => {
    assertInvalidParam(await post({ adres: 'x', soortDigitaalAdres: 'overig', verificatieDatum: '2024-13-01' }), 'verificatieDatum', 'invalid');
  });
  it('verstrektDoorPartij that does not exist → 400 at verstrektDoorPartij.uuid', async () => {
    const res = await post({ verstrektDoorPartij: { uuid: crypto.randomUUID() }, adres: 'x@example.nl', soortDigitaalAdres: 'email' });
    assertInvalidParam(res, 'verstrektDoorPartij.uuid', MISSING_REF_CODES, missingRefReason('Partij'));
  });
  it('verstrektDoorBetrokkene that does not exist → 400 at verstrektDoorBetrokkene.uuid', async () => {
    const res = await post({ verstrektDoorBetrokkene: { uuid: crypto.randomUUID() }, adres: 'x@example.nl', soortDigitaalAdres: 'email' });
    assertInvalidParam(res, 'verstrektDoorBetrokkene.uuid', MISSING_REF_CODES, missingRefReason('Betrokkene'));
  });
  it('a reference uuid that is not a uuid → 400 at verstrektDoorPartij.uuid', async () => {
    const res = await post({ verstrektDoorPartij: { uuid: 'geen-uuid' }, adres: 'x@example.nl', soortDigitaalAdres: 'email' });
    assertInvalidParam(res, 'verstrektDoorPartij.uuid');
  });

  describe('email', () => {
    for (const ok of ['a@b.nl', 'jan.de.vries+kcc@gemeente.example.nl', 'x_y@sub-domain.example.com']) {
      it(`"${ok}" → 201`, async () => { expectStatus(await post({ adres: ok, soortDigitaalAdres: 'email' }), 201); });
    }
    for (const bad of ['geen-email', 'a@', '@b.nl', 'a b@c.nl', 'jan@@example.nl', 'jan@example']) {
      it(`"${bad}" → 400 "${EMAIL_BAD}"`, async () => {
        assertInvalidParam(await post({ adres: bad, soortDigitaalAdres: 'email' }), 'adres', undefined, EMAIL_BAD);
      });
    }
  });

  describe('telefoonnummer', () => {
    for (const ok of ['0612345678', '+31612345678', '0031612345678', '0201234567']) {
      it(`"${ok}" → 201`, async () => { expectStatus(await post({ adres: ok, soortDigitaalAdres: 'telefoonnummer' }), 201); });
    }
    for (const bad of ['0800123456', '0900123456', '14020', '140201', '1400', 'abc', '061234567', '06123456789', '+3161234', '06-12345678']) {
      it(`"${bad}" → 400 "${PHONE_BAD}"`, async () => {
        assertInvalidParam(await post({ adres: bad, soortDigitaalAdres: 'telefoonnummer' }), 'adres', undefined, PHONE_BAD);
      });
    }
  });

  it('overig accepts any text', async () => {
    expectStatus(await post({ adres: '@gemeente op X', soortDigitaalAdres: 'overig' }), 201);
  });
  it('rejected adressen were not stored', async () => {
    assert.equal(await count(srv, '/digitaleadressen?adres=geen-email'), 0);
    assert.equal(await count(srv, '/digitaleadressen?adres=0800123456'), 0);
  });
});

describe('isStandaardAdres', () => {
  it('true without verstrektDoorPartij → 400 at isStandaardAdres', async () => {
    const res = await post({ adres: 'los@example.nl', soortDigitaalAdres: 'email', isStandaardAdres: true });
    assertInvalidParam(res, 'isStandaardAdres');
  });

  it('a second default of the same soort for the same partij clears the first; other soort and other partij untouched', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const other = await create(srv, 'partijen', persoonBody());
    const e1 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'e1@example.nl', soortDigitaalAdres: 'email', isStandaardAdres: true });
    const t1 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: '0612345678', soortDigitaalAdres: 'telefoonnummer', isStandaardAdres: true });
    const o1 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: other.uuid }, adres: 'o1@example.nl', soortDigitaalAdres: 'email', isStandaardAdres: true });
    assert.equal(e1.isStandaardAdres, true);
    const e2 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'e2@example.nl', soortDigitaalAdres: 'email', isStandaardAdres: true });
    assert.equal(e2.isStandaardAdres, true);
    const get = async (x) => expectStatus(await srv.req('GET', `/digitaleadressen/${x.uuid}`), 200).isStandaardAdres;
    assert.equal(await get(e1), false, 'first email default must be cleared');
    assert.equal(await get(e2), true);
    assert.equal(await get(t1), true, 'telefoonnummer default must stay');
    assert.equal(await get(o1), true, 'other partij default must stay');

    // PATCH the first back to default → the second is cleared
    const p1 = expectStatus(await srv.req('PATCH', `/digitaleadressen/${e1.uuid}`, { body: { isStandaardAdres: true } }), 200);
    assert.equal(p1.isStandaardAdres, true);
    assert.equal(await get(e2), false);
    // the filter shows exactly one default email for p
    const l = expectStatus(await srv.req('GET',
      `/digitaleadressen?verstrektDoorPartij__uuid=${p.uuid}&soortDigitaalAdres=email&isStandaardAdres=true`), 200);
    assert.equal(l.count, 1);
    assert.equal(l.results[0].uuid, e1.uuid);
  });

  it('20 concurrent default adressen of one soort for one partij → exactly one stays default', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => post({
      verstrektDoorPartij: { uuid: p.uuid }, adres: `race${i}@example.nl`, soortDigitaalAdres: 'email', isStandaardAdres: true })));
    for (const r of rs) expectStatus(r, 201);
    const l = expectStatus(await srv.req('GET', `/digitaleadressen?verstrektDoorPartij__uuid=${p.uuid}&pageSize=100`), 200);
    assert.equal(l.count, 20);
    const defaults = l.results.filter((x) => x.isStandaardAdres === true);
    assert.equal(defaults.length, 1, `defaults: ${defaults.map((x) => x.adres)}`);
  });

  it('PATCH isStandaardAdres=true on an adres without partij → 400', async () => {
    const x = await create(srv, 'digitaleadressen', { adres: 'zonder@example.nl', soortDigitaalAdres: 'email' });
    const res = await srv.req('PATCH', `/digitaleadressen/${x.uuid}`, { body: { isStandaardAdres: true } });
    assertInvalidParam(res, 'isStandaardAdres');
  });

  it('deleting the partij\'s voorkeursDigitaalAdres sets it to null on the partij', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const a = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'voorkeur@example.nl', soortDigitaalAdres: 'email' });
    const q = expectStatus(await srv.req('PATCH', `/partijen/${p.uuid}`, { body: { voorkeursDigitaalAdres: { uuid: a.uuid } } }), 200);
    assertRef(q.voorkeursDigitaalAdres, a);
    assert.equal((await srv.req('DELETE', `/digitaleadressen/${a.uuid}`)).status, 204);
    const r = expectStatus(await srv.req('GET', `/partijen/${p.uuid}`), 200);
    assert.equal(r.voorkeursDigitaalAdres, null);
    assert.deepEqual(r.digitaleAdressen, []);
  });

  it('(partij, soort, referentie) is unique → 400', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'r1@example.nl', soortDigitaalAdres: 'email', referentie: 'thuis' });
    const res = await post({ verstrektDoorPartij: { uuid: p.uuid }, adres: 'r2@example.nl', soortDigitaalAdres: 'email', referentie: 'thuis' });
    assertProblem(res, 400);
    // an empty referentie is never a conflict
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'r3@example.nl', soortDigitaalAdres: 'email', referentie: '' });
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'r4@example.nl', soortDigitaalAdres: 'email', referentie: '' });
  });
});
