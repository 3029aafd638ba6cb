// /partij-identificatoren: CRUD, elfproef, lengths, register hierarchy, uniqueness,
// subIdentificatorVan rules.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertInvalidParam, assertReasonAnywhere, expectStatus, create, count,
  persoonBody, organisatieBody, assertRef, assertHasRef, validNine, elfproef, show,
  REQUIRED, choiceReason, maxLenReason, MISSING_REF_CODES, missingRefReason, UUID_RE,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const PI = (codeRegister, codeObjecttype, codeSoortObjectId, objectId) =>
  ({ codeObjecttype, codeSoortObjectId, objectId, codeRegister });
const bsn = (id) => PI('brp', 'natuurlijk_persoon', 'bsn', id);
const rsin = (id) => PI('hr', 'niet_natuurlijk_persoon', 'rsin', id);
const kvk = (id) => PI('hr', 'niet_natuurlijk_persoon', 'kvk_nummer', id);
const vestiging = (id) => PI('hr', 'vestiging', 'vestigingsnummer', id);

// Reference names the objectId error "partijIdentificatorObjectId" (flattened); the brief says
// "partijIdentificator.objectId". Both are accepted.
const OBJID = ['partijIdentificator.objectId', 'partijIdentificatorObjectId'];
const UNIQUE_REASON = '`PartijIdentificator` moet uniek zijn, er bestaat er al een met deze gegevenscombinatie.';

async function post(body) { return srv.req('POST', '/partij-identificatoren', { body }); }

describe('sanity of the test data', () => {
  it('known valid and invalid elfproef numbers', () => {
    for (const s of ['999993653', '999990019', '296648875', '123456782', '111222333']) assert.ok(elfproef(s), s);
    for (const s of ['123456789', '111111111']) assert.ok(!elfproef(s), s);
  });
});

describe('partij-identificatoren CRUD', () => {
  let partij;
  let idf;

  before(async () => { partij = await create(srv, 'partijen', persoonBody()); });

  it('POST bsn for a partij → 201 with uuid, url, identificeerdePartij', async () => {
    const res = await post({ identificeerdePartij: { uuid: partij.uuid }, anderePartijIdentificator: 'iets',
      partijIdentificator: bsn('999993653') });
    idf = expectStatus(res, 201);
    assert.match(idf.uuid, UUID_RE);
    assert.equal(idf.url, `${srv.api}/partij-identificatoren/${idf.uuid}`);
    assertRef(idf.identificeerdePartij, partij, 'identificeerdePartij');
    assert.equal(idf.anderePartijIdentificator, 'iets');
    assert.deepEqual(idf.partijIdentificator, bsn('999993653'));
    assert.equal(idf.subIdentificatorVan, null);
  });

  it('GET → 200 same object; partij.partijIdentificatoren reflects it', async () => {
    const got = expectStatus(await srv.req('GET', `/partij-identificatoren/${idf.uuid}`), 200);
    assert.deepEqual(got, idf);
    const p = expectStatus(await srv.req('GET', `/partijen/${partij.uuid}`), 200);
    assertHasRef(p.partijIdentificatoren, idf, 'partij.partijIdentificatoren');
  });

  it('GET list → contains it', async () => {
    const l = expectStatus(await srv.req('GET', '/partij-identificatoren'), 200);
    assert.ok(l.results.some((x) => x.uuid === idf.uuid));
    assert.equal(typeof l.count, 'number');
  });

  it('POST without a partij (identificeerdePartij omitted or null) → 201 with identificeerdePartij null', async () => {
    const a = expectStatus(await post({ partijIdentificator: bsn('999990019') }), 201);
    assert.equal(a.identificeerdePartij, null);
    const b = expectStatus(await post({ identificeerdePartij: null, partijIdentificator: bsn('296648875') }), 201);
    assert.equal(b.identificeerdePartij, null);
  });

  it('PUT → 200, moves it to another partij', async () => {
    const other = await create(srv, 'partijen', persoonBody());
    const res = await srv.req('PUT', `/partij-identificatoren/${idf.uuid}`, { body: {
      identificeerdePartij: { uuid: other.uuid }, anderePartijIdentificator: 'changed', partijIdentificator: bsn('999993653') } });
    const got = expectStatus(res, 200);
    assertRef(got.identificeerdePartij, other, 'identificeerdePartij');
    assert.equal(got.anderePartijIdentificator, 'changed');
    const p = expectStatus(await srv.req('GET', `/partijen/${partij.uuid}`), 200);
    assert.ok(!p.partijIdentificatoren.some((x) => x.uuid === idf.uuid), 'old partij still lists it');
    const q = expectStatus(await srv.req('GET', `/partijen/${other.uuid}`), 200);
    assertHasRef(q.partijIdentificatoren, idf, 'new partij');
  });

  it('PUT without partijIdentificator → 400 required', async () => {
    const res = await srv.req('PUT', `/partij-identificatoren/${idf.uuid}`, { body: { anderePartijIdentificator: 'x' } });
    assertInvalidParam(res, 'partijIdentificator', 'required', REQUIRED);
  });

  it('PATCH anderePartijIdentificator → 200, rest unchanged', async () => {
    const before = expectStatus(await srv.req('GET', `/partij-identificatoren/${idf.uuid}`), 200);
    const got = expectStatus(await srv.req('PATCH', `/partij-identificatoren/${idf.uuid}`, { body: { anderePartijIdentificator: 'patched' } }), 200);
    assert.deepEqual(got, { ...before, anderePartijIdentificator: 'patched' });
  });

  it('PATCH with partijIdentificator {} → 400, all four sub-fields required; nothing changes', async () => {
    // The group is all-or-nothing even on PATCH: Open Klant's own test
    // (test_partij_identificator.py::test_invalid_update_partial_partij_identificator) sends
    // PATCH {"identificeerdePartij": null, "partijIdentificator": {}} and expects 400 with
    // partijIdentificator.objectId "required", and the same for a group missing only objectId.
    const before = expectStatus(await srv.req('GET', `/partij-identificatoren/${idf.uuid}`), 200);
    const res = await srv.req('PATCH', `/partij-identificatoren/${idf.uuid}`, { body: { partijIdentificator: {} } });
    for (const f of ['codeObjecttype', 'codeSoortObjectId', 'objectId', 'codeRegister']) {
      assertInvalidParam(res, `partijIdentificator.${f}`, 'required', REQUIRED);
    }
    const res2 = await srv.req('PATCH', `/partij-identificatoren/${idf.uuid}`, { body: { identificeerdePartij: null,
      partijIdentificator: { codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'rsin', codeRegister: 'brp' } } });
    assertInvalidParam(res2, 'partijIdentificator.objectId', 'required', REQUIRED);
    assert.deepEqual(expectStatus(await srv.req('GET', `/partij-identificatoren/${idf.uuid}`), 200), before);
  });

  it('DELETE → 204 then GET 404', async () => {
    const d = expectStatus(await post({ partijIdentificator: bsn(validNine(1)) }), 201);
    const del = await srv.req('DELETE', `/partij-identificatoren/${d.uuid}`);
    assert.equal(del.status, 204, show(del));
    assertProblem(await srv.req('GET', `/partij-identificatoren/${d.uuid}`), 404, 'not_found');
  });

  it('KISS lookup by partijIdentificatorCodeSoortObjectId + partijIdentificatorObjectId', async () => {
    const k = expectStatus(await post({ partijIdentificator: kvk('69599084') }), 201);
    const l = expectStatus(await srv.req('GET',
      '/partij-identificatoren?partijIdentificatorCodeSoortObjectId=kvk_nummer&partijIdentificatorObjectId=69599084'), 200);
    assert.equal(l.count, 1);
    assert.equal(l.results[0].uuid, k.uuid);
    const none = expectStatus(await srv.req('GET', '/partij-identificatoren?partijIdentificatorObjectId=00000000'), 200);
    assert.equal(none.count, 0);
    // KISS then links it to a new partij with PUT
    const org = await create(srv, 'partijen', organisatieBody());
    const put = expectStatus(await srv.req('PUT', `/partij-identificatoren/${k.uuid}`, { body: {
      identificeerdePartij: { uuid: org.uuid, url: org.url }, partijIdentificator: kvk('69599084') } }), 200);
    assertRef(put.identificeerdePartij, org);
    const o = expectStatus(await srv.req('GET', `/partijen/${org.uuid}`), 200);
    assertHasRef(o.partijIdentificatoren, k, 'organisatie.partijIdentificatoren');
  });
});

describe('partij-identificatoren validation', () => {
  it('POST {} → 400 partijIdentificator required', async () => {
    assertInvalidParam(await post({}), 'partijIdentificator', 'required', REQUIRED);
  });

  it('POST with partijIdentificator {} → all four sub-fields reported at once', async () => {
    const res = await post({ partijIdentificator: {} });
    for (const f of ['codeObjecttype', 'codeSoortObjectId', 'objectId', 'codeRegister']) {
      assertInvalidParam(res, `partijIdentificator.${f}`, 'required', REQUIRED);
    }
  });

  it('invalid enums → invalid_choice for each', async () => {
    const res = await post({ partijIdentificator: { codeObjecttype: 'x', codeSoortObjectId: 'y', objectId: '1', codeRegister: 'z' } });
    assertInvalidParam(res, 'partijIdentificator.codeObjecttype', 'invalid_choice', choiceReason('x'));
    assertInvalidParam(res, 'partijIdentificator.codeSoortObjectId', 'invalid_choice', choiceReason('y'));
    assertInvalidParam(res, 'partijIdentificator.codeRegister', 'invalid_choice', choiceReason('z'));
  });

  it('objectId over 200 → 400 max_length', async () => {
    const res = await post({ partijIdentificator: PI('brp', 'natuurlijk_persoon', 'bsn', '1'.repeat(201)) });
    assertProblem(res, 400);
    const hit = res.json.invalidParams.find((p) => OBJID.includes(p.name));
    assert.ok(hit, JSON.stringify(res.json.invalidParams));
  });

  it('anderePartijIdentificator over 200 → 400 max_length', async () => {
    const res = await post({ anderePartijIdentificator: 'a'.repeat(201), partijIdentificator: bsn(validNine(2)) });
    assertInvalidParam(res, 'anderePartijIdentificator', 'max_length', maxLenReason(200));
  });

  it('identificeerdePartij that does not exist → 400 at identificeerdePartij.uuid', async () => {
    const res = await post({ identificeerdePartij: { uuid: crypto.randomUUID() }, partijIdentificator: bsn(validNine(3)) });
    assertInvalidParam(res, 'identificeerdePartij.uuid', MISSING_REF_CODES, missingRefReason('Partij'));
  });

  it('subIdentificatorVan that does not exist → 400 at subIdentificatorVan.uuid', async () => {
    const res = await post({ subIdentificatorVan: { uuid: crypto.randomUUID() }, partijIdentificator: vestiging('000012345678') });
    assertInvalidParam(res, 'subIdentificatorVan.uuid', MISSING_REF_CODES, missingRefReason('PartijIdentificator'));
  });

  describe('BSN', () => {
    it('123456789 (fails elfproef) → 400 "Onjuist BSN nummer"', async () => {
      assertInvalidParam(await post({ partijIdentificator: bsn('123456789') }), OBJID, undefined, /Onjuist BSN nummer/);
    });
    it('non-digit → 400 "Voer een numerieke waarde in"', async () => {
      assertInvalidParam(await post({ partijIdentificator: bsn('12345678a') }), OBJID, undefined, /Voer een numerieke waarde in/);
    });
    it('8 digits → 400 "Waarde moet 9 tekens lang zijn"', async () => {
      assertInvalidParam(await post({ partijIdentificator: bsn('12345678') }), OBJID, undefined, /Waarde moet 9 tekens lang zijn/);
    });
    it('10 digits → 400 "Waarde moet 9 tekens lang zijn"', async () => {
      assertInvalidParam(await post({ partijIdentificator: bsn('1234567890') }), OBJID, undefined, /Waarde moet 9 tekens lang zijn/);
    });
    it('nothing was created by the rejected BSNs', async () => {
      assert.equal(await count(srv, '/partij-identificatoren?partijIdentificatorObjectId=123456789'), 0);
      assert.equal(await count(srv, '/partij-identificatoren?partijIdentificatorObjectId=12345678a'), 0);
    });
  });

  describe('RSIN', () => {
    it('valid RSIN → 201', async () => {
      expectStatus(await post({ partijIdentificator: rsin(validNine(10)) }), 201);
    });
    it('123456789 → 400 "Onjuist RSIN nummer"', async () => {
      assertInvalidParam(await post({ partijIdentificator: rsin('123456789') }), OBJID, undefined, /Onjuist RSIN nummer/);
    });
    it('8 digits → 400 "Waarde moet 9 tekens lang zijn"', async () => {
      assertInvalidParam(await post({ partijIdentificator: rsin('12345678') }), OBJID, undefined, /Waarde moet 9 tekens lang zijn/);
    });
    it('non-digit → 400 "Voer een numerieke waarde in"', async () => {
      assertInvalidParam(await post({ partijIdentificator: rsin('ABCDEFGHI') }), OBJID, undefined, /Voer een numerieke waarde in/);
    });
  });

  describe('KvK-nummer', () => {
    it('8 digits → 201', async () => {
      expectStatus(await post({ partijIdentificator: kvk('12345678') }), 201);
    });
    it('7 digits → 400 "Waarde moet 8 tekens lang zijn"', async () => {
      assertInvalidParam(await post({ partijIdentificator: kvk('1234567') }), OBJID, undefined, /Waarde moet 8 tekens lang zijn/);
    });
    it('9 digits → 400 "Waarde moet 8 tekens lang zijn"', async () => {
      assertInvalidParam(await post({ partijIdentificator: kvk('123456789') }), OBJID, undefined, /Waarde moet 8 tekens lang zijn/);
    });
    it('non-digit → 400 "Voer een numerieke waarde in"', async () => {
      assertInvalidParam(await post({ partijIdentificator: kvk('1234567a') }), OBJID, undefined, /Voer een numerieke waarde in/);
    });
  });

  describe('vestigingsnummer and subIdentificatorVan', () => {
    let kvkParent;
    let bsnOther;
    before(async () => {
      kvkParent = expectStatus(await post({ partijIdentificator: kvk('87654321') }), 201);
      bsnOther = expectStatus(await post({ partijIdentificator: bsn(validNine(20)) }), 201);
    });

    it('without subIdentificatorVan → 400 at subIdentificatorVan', async () => {
      const res = await post({ partijIdentificator: vestiging('000012345678') });
      assertInvalidParam(res, 'subIdentificatorVan');
    });
    it('with subIdentificatorVan pointing to a bsn → 400 at subIdentificatorVan, in the reference\'s words', async () => {
      const res = await post({ subIdentificatorVan: { uuid: bsnOther.uuid }, partijIdentificator: vestiging('000012345678') });
      assertInvalidParam(res, 'subIdentificatorVan', 'invalid',
        'Het is alleen mogelijk om een subIdentifierVan te selecteren met codeSoortObjectId = `kvk_nummer`.');
    });
    it('11 digits → 400 "Waarde moet 12 tekens lang zijn"', async () => {
      const res = await post({ subIdentificatorVan: { uuid: kvkParent.uuid }, partijIdentificator: vestiging('00001234567') });
      assertInvalidParam(res, OBJID, undefined, /Waarde moet 12 tekens lang zijn/);
    });
    it('non-digit → 400 "Voer een numerieke waarde in"', async () => {
      const res = await post({ subIdentificatorVan: { uuid: kvkParent.uuid }, partijIdentificator: vestiging('00001234567x') });
      assertInvalidParam(res, OBJID, undefined, /Voer een numerieke waarde in/);
    });

    let vest;
    it('12 digits with a kvk_nummer parent → 201 with subIdentificatorVan {uuid,url}', async () => {
      const org = await create(srv, 'partijen', organisatieBody());
      vest = expectStatus(await post({ identificeerdePartij: { uuid: org.uuid }, subIdentificatorVan: { uuid: kvkParent.uuid },
        partijIdentificator: vestiging('000012345678') }), 201);
      assertRef(vest.subIdentificatorVan, kvkParent, 'subIdentificatorVan');
    });
    it('the same vestigingsnummer under the same kvk again → 400 unique', async () => {
      const res = await post({ subIdentificatorVan: { uuid: kvkParent.uuid }, partijIdentificator: vestiging('000012345678') });
      assertReasonAnywhere(res, UNIQUE_REASON);
    });
    it('the same vestigingsnummer under another kvk → 201', async () => {
      const other = expectStatus(await post({ partijIdentificator: kvk('11223344') }), 201);
      expectStatus(await post({ subIdentificatorVan: { uuid: other.uuid }, partijIdentificator: vestiging('000012345678') }), 201);
    });
    it('PATCH subIdentificatorVan null on a vestigingsnummer → 400', async () => {
      const res = await srv.req('PATCH', `/partij-identificatoren/${vest.uuid}`, { body: { subIdentificatorVan: null } });
      assertInvalidParam(res, 'subIdentificatorVan');
    });
    it('a parent with children cannot be deleted → 400, both still exist', async () => {
      const res = await srv.req('DELETE', `/partij-identificatoren/${kvkParent.uuid}`);
      assertProblem(res, 400);
      expectStatus(await srv.req('GET', `/partij-identificatoren/${kvkParent.uuid}`), 200);
      expectStatus(await srv.req('GET', `/partij-identificatoren/${vest.uuid}`), 200);
    });
    it('a parent with children cannot change its codeSoortObjectId → 400', async () => {
      const res = await srv.req('PUT', `/partij-identificatoren/${kvkParent.uuid}`, { body: { partijIdentificator: rsin(validNine(30)) } });
      assertProblem(res, 400);
      const got = expectStatus(await srv.req('GET', `/partij-identificatoren/${kvkParent.uuid}`), 200);
      assert.equal(got.partijIdentificator.codeSoortObjectId, 'kvk_nummer');
    });
    it('an identificator cannot be its own subIdentificatorVan → 400', async () => {
      const k = expectStatus(await post({ partijIdentificator: kvk('55667788') }), 201);
      const res = await srv.req('PATCH', `/partij-identificatoren/${k.uuid}`, { body: { subIdentificatorVan: { uuid: k.uuid } } });
      assertProblem(res, 400);
      const got = expectStatus(await srv.req('GET', `/partij-identificatoren/${k.uuid}`), 200);
      assert.equal(got.subIdentificatorVan, null);
    });
    it('after deleting the child, the parent can be deleted', async () => {
      assert.equal((await srv.req('DELETE', `/partij-identificatoren/${vest.uuid}`)).status, 204);
      // the other vestiging hangs under another kvk, so this parent is free now
      assert.equal((await srv.req('DELETE', `/partij-identificatoren/${kvkParent.uuid}`)).status, 204);
    });
  });

  describe('register hierarchy', () => {
    const wrong = [
      ['brp / niet_natuurlijk_persoon / rsin', PI('brp', 'niet_natuurlijk_persoon', 'rsin', validNine(40))],
      ['brp / natuurlijk_persoon / kvk_nummer', PI('brp', 'natuurlijk_persoon', 'kvk_nummer', '12345678')],
      ['hr / natuurlijk_persoon / bsn', PI('hr', 'natuurlijk_persoon', 'bsn', validNine(41))],
      ['hr / niet_natuurlijk_persoon / bsn', PI('hr', 'niet_natuurlijk_persoon', 'bsn', validNine(42))],
      ['hr / vestiging / kvk_nummer', PI('hr', 'vestiging', 'kvk_nummer', '12345678')],
      ['hr / niet_natuurlijk_persoon / vestigingsnummer', PI('hr', 'niet_natuurlijk_persoon', 'vestigingsnummer', '000012345679')],
      ['brp / vestiging / vestigingsnummer', PI('brp', 'vestiging', 'vestigingsnummer', '000012345679')],
    ];
    for (const [name, pi] of wrong) {
      it(`${name} → 400`, async () => {
        const before = await count(srv, '/partij-identificatoren');
        const res = await post({ partijIdentificator: pi });
        assertProblem(res, 400);
        assert.equal(await count(srv, '/partij-identificatoren'), before);
      });
    }
    it('hr / niet_natuurlijk_persoon / rsin and kvk_nummer are allowed', async () => {
      expectStatus(await post({ partijIdentificator: rsin(validNine(43)) }), 201);
      expectStatus(await post({ partijIdentificator: kvk('24681357') }), 201);
    });
  });

  describe('uniqueness', () => {
    it('the same 4-tuple twice (no subIdentificatorVan) → 400 with the uniqueness reason', async () => {
      const id = validNine(50);
      expectStatus(await post({ partijIdentificator: bsn(id) }), 201);
      const res = await post({ partijIdentificator: bsn(id) });
      assertInvalidParam(res, '__all__', 'unique', UNIQUE_REASON);
      assert.equal(await count(srv, `/partij-identificatoren?partijIdentificatorObjectId=${id}`), 1);
    });
    it('the same 4-tuple on another partij → 400', async () => {
      const id = validNine(51);
      const a = await create(srv, 'partijen', persoonBody());
      const b = await create(srv, 'partijen', persoonBody());
      expectStatus(await post({ identificeerdePartij: { uuid: a.uuid }, partijIdentificator: bsn(id) }), 201);
      assertReasonAnywhere(await post({ identificeerdePartij: { uuid: b.uuid }, partijIdentificator: bsn(id) }), UNIQUE_REASON);
    });
    it('PUT onto an existing 4-tuple → 400', async () => {
      const id1 = validNine(52);
      const id2 = validNine(53);
      expectStatus(await post({ partijIdentificator: bsn(id1) }), 201);
      const x = expectStatus(await post({ partijIdentificator: bsn(id2) }), 201);
      const res = await srv.req('PUT', `/partij-identificatoren/${x.uuid}`, { body: { partijIdentificator: bsn(id1) } });
      assertReasonAnywhere(res, UNIQUE_REASON);
    });
    it('PUT of an identificator onto its own values → 200 (not a conflict with itself)', async () => {
      const id = validNine(54);
      const x = expectStatus(await post({ partijIdentificator: bsn(id) }), 201);
      expectStatus(await srv.req('PUT', `/partij-identificatoren/${x.uuid}`, { body: { partijIdentificator: bsn(id) } }), 200);
    });
    it('codeSoortObjectId is unique per partij: a second bsn for the same partij → 400', async () => {
      const p = await create(srv, 'partijen', persoonBody());
      expectStatus(await post({ identificeerdePartij: { uuid: p.uuid }, partijIdentificator: bsn(validNine(55)) }), 201);
      const res = await post({ identificeerdePartij: { uuid: p.uuid }, partijIdentificator: bsn(validNine(56)) });
      assertInvalidParam(res, '__all__', 'unique', '`CodeSoortObjectId` moet uniek zijn voor de Partij.');
    });
    it('moving an identificator to a partij that already has that soort → 400', async () => {
      const p = await create(srv, 'partijen', persoonBody());
      expectStatus(await post({ identificeerdePartij: { uuid: p.uuid }, partijIdentificator: bsn(validNine(57)) }), 201);
      const loose = expectStatus(await post({ partijIdentificator: bsn(validNine(58)) }), 201);
      const res = await srv.req('PATCH', `/partij-identificatoren/${loose.uuid}`, { body: { identificeerdePartij: { uuid: p.uuid } } });
      assertReasonAnywhere(res, '`CodeSoortObjectId` moet uniek zijn voor de Partij.');
    });
    it('10 concurrent POSTs of the same 4-tuple → exactly one 201', async () => {
      const id = validNine(60);
      const rs = await Promise.all(Array.from({ length: 10 }, () => post({ partijIdentificator: bsn(id) })));
      const statuses = rs.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
      assert.equal(statuses.filter((s) => s === 400).length, 9, `statuses ${statuses}`);
      assert.equal(await count(srv, `/partij-identificatoren?partijIdentificatorObjectId=${id}`), 1);
    });
    it('one partij may have a kvk_nummer and an rsin', async () => {
      const o = await create(srv, 'partijen', organisatieBody());
      expectStatus(await post({ identificeerdePartij: { uuid: o.uuid }, partijIdentificator: kvk('13572468') }), 201);
      expectStatus(await post({ identificeerdePartij: { uuid: o.uuid }, partijIdentificator: rsin(validNine(59)) }), 201);
      const got = expectStatus(await srv.req('GET', `/partijen/${o.uuid}`), 200);
      assert.equal(got.partijIdentificatoren.length, 2);
    });
  });
});
