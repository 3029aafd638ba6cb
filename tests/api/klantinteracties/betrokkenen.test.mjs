// /betrokkenen: CRUD, volledigeNaam, references, reverse arrays, validation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertInvalidParam, expectStatus, create,
  persoonBody, klantcontactBody, assertRef, assertHasRef, show,
  REQUIRED, maxLenReason, choiceReason, MISSING_REF_CODES, missingRefReason, UUID_RE,
} from '../lib/harness.mjs';

let srv;
let kc;
let partij;
before(async () => {
  srv = await startServer();
  kc = await create(srv, 'klantcontacten', klantcontactBody());
  partij = await create(srv, 'partijen', persoonBody());
});
after(async () => { if (srv) await srv.stop(); });

const post = (body) => srv.req('POST', '/betrokkenen', { body });
const base = (over = {}) => ({ hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true, ...over });

describe('betrokkenen CRUD', () => {
  let b;
  it('POST → 201 with uuid, url, refs, volledigeNaam and empty digitaleAdressen', async () => {
    const res = await post(base({ wasPartij: { uuid: partij.uuid }, organisatienaam: 'Eigen BV',
      contactnaam: { voorletters: 'J', voornaam: 'Jan', voorvoegselAchternaam: 'de', achternaam: 'Vries' } }));
    b = expectStatus(res, 201);
    assert.match(b.uuid, UUID_RE);
    assert.equal(b.url, `${srv.api}/betrokkenen/${b.uuid}`);
    assertRef(b.wasPartij, partij, 'wasPartij');
    assertRef(b.hadKlantcontact, kc, 'hadKlantcontact');
    assert.equal(b.rol, 'klant');
    assert.equal(b.initiator, true);
    assert.equal(b.organisatienaam, 'Eigen BV');
    assert.deepEqual(b.contactnaam, { voorletters: 'J', voornaam: 'Jan', voorvoegselAchternaam: 'de', achternaam: 'Vries' });
    assert.equal(b.volledigeNaam, 'Jan de Vries');
    assert.deepEqual(b.digitaleAdressen, []);
  });
  it('GET → 200 same object', async () => {
    assert.deepEqual(expectStatus(await srv.req('GET', `/betrokkenen/${b.uuid}`), 200), b);
  });
  it('GET list → contains it', async () => {
    const l = expectStatus(await srv.req('GET', '/betrokkenen'), 200);
    assert.ok(l.results.some((x) => x.uuid === b.uuid));
  });
  it('klantcontact.hadBetrokkenen and partij.betrokkenen reflect it', async () => {
    const k = expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
    assertHasRef(k.hadBetrokkenen, b, 'klantcontact.hadBetrokkenen');
    const p = expectStatus(await srv.req('GET', `/partijen/${partij.uuid}`), 200);
    assertHasRef(p.betrokkenen, b, 'partij.betrokkenen');
  });
  it('betrokkene.digitaleAdressen reflects an adres it provided', async () => {
    const a = await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b.uuid }, adres: 'jan@example.nl', soortDigitaalAdres: 'email' });
    const got = expectStatus(await srv.req('GET', `/betrokkenen/${b.uuid}`), 200);
    assertHasRef(got.digitaleAdressen, a, 'betrokkene.digitaleAdressen');
    b = got;
  });
  it('PUT with all required fields → 200; volledigeNaam recomputed', async () => {
    const kc2 = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'Tweede' }));
    const got = expectStatus(await srv.req('PUT', `/betrokkenen/${b.uuid}`, { body: {
      hadKlantcontact: { uuid: kc2.uuid }, wasPartij: null, rol: 'vertegenwoordiger', initiator: false,
      contactnaam: { voorletters: 'P', voornaam: 'Piet', voorvoegselAchternaam: '', achternaam: 'Jansen' } } }), 200);
    assertRef(got.hadKlantcontact, kc2);
    assert.equal(got.wasPartij, null);
    assert.equal(got.rol, 'vertegenwoordiger');
    assert.equal(got.initiator, false);
    assert.equal(got.volledigeNaam, 'Piet Jansen');
    const k1 = expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
    assert.ok(!k1.hadBetrokkenen.some((x) => x.uuid === b.uuid), 'old klantcontact still lists the betrokkene');
    const k2 = expectStatus(await srv.req('GET', `/klantcontacten/${kc2.uuid}`), 200);
    assertHasRef(k2.hadBetrokkenen, got);
    const p = expectStatus(await srv.req('GET', `/partijen/${partij.uuid}`), 200);
    assert.ok(!p.betrokkenen.some((x) => x.uuid === b.uuid), 'partij still lists the betrokkene after wasPartij=null');
    b = got;
  });
  it('PUT without rol and initiator → 400 both required', async () => {
    const res = await srv.req('PUT', `/betrokkenen/${b.uuid}`, { body: { hadKlantcontact: { uuid: kc.uuid } } });
    assertInvalidParam(res, 'rol', 'required', REQUIRED);
    assertInvalidParam(res, 'initiator', 'required', REQUIRED);
  });
  it('PATCH organisatienaam → 200, rest unchanged', async () => {
    const before = expectStatus(await srv.req('GET', `/betrokkenen/${b.uuid}`), 200);
    const got = expectStatus(await srv.req('PATCH', `/betrokkenen/${b.uuid}`, { body: { organisatienaam: 'Andere BV' } }), 200);
    assert.deepEqual(got, { ...before, organisatienaam: 'Andere BV' });
  });
  it('PATCH contactnaam → volledigeNaam follows', async () => {
    const got = expectStatus(await srv.req('PATCH', `/betrokkenen/${b.uuid}`, { body: {
      contactnaam: { voorletters: '', voornaam: 'Els', voorvoegselAchternaam: 'van', achternaam: 'Dijk' } } }), 200);
    assert.equal(got.volledigeNaam, 'Els van Dijk');
  });
  it('DELETE → 204 then GET 404; its adres survives with verstrektDoorBetrokkene null', async () => {
    const adresRef = b.digitaleAdressen[0];
    const del = await srv.req('DELETE', `/betrokkenen/${b.uuid}`);
    assert.equal(del.status, 204, show(del));
    assertProblem(await srv.req('GET', `/betrokkenen/${b.uuid}`), 404, 'not_found');
    const a = expectStatus(await srv.req('GET', `/digitaleadressen/${adresRef.uuid}`), 200);
    assert.equal(a.verstrektDoorBetrokkene, null);
  });
});

describe('volledigeNaam', () => {
  const cases = [
    [{ voornaam: 'Jan', voorvoegselAchternaam: 'van der', achternaam: 'Berg' }, 'Jan van der Berg'],
    [{ voornaam: 'Piet', voorvoegselAchternaam: '', achternaam: 'Jansen' }, 'Piet Jansen'],
    [{ voornaam: '', voorvoegselAchternaam: '', achternaam: 'Jansen' }, 'Jansen'],
    [{ voornaam: 'Mo', voorvoegselAchternaam: '', achternaam: '' }, 'Mo'],
    [{ voorletters: 'A.B.', voornaam: 'Anna', achternaam: 'Smit' }, 'Anna Smit'],
    [{ voorletters: '', voornaam: '', voorvoegselAchternaam: '', achternaam: '' }, ''],
  ];
  for (const [contactnaam, expected] of cases) {
    it(`${JSON.stringify(contactnaam)} → "${expected}"`, async () => {
      const b = await create(srv, 'betrokkenen', base({ contactnaam }));
      assert.equal(b.volledigeNaam, expected);
    });
  }
  it('KISS betrokkene (wasPartij null, empty strings) → 201', async () => {
    const b = await create(srv, 'betrokkenen', { wasPartij: null, hadKlantcontact: { uuid: kc.uuid, url: kc.url }, rol: 'klant', initiator: true,
      organisatienaam: '', contactnaam: { voorletters: '', voornaam: '', voorvoegselAchternaam: '', achternaam: '' } });
    assert.equal(b.wasPartij, null);
    assert.equal(b.volledigeNaam, '');
  });
  it('a url in a reference is read-only and ignored', async () => {
    const b = await create(srv, 'betrokkenen', base({ hadKlantcontact: { uuid: kc.uuid, url: 'http://elders.example/x' } }));
    assertRef(b.hadKlantcontact, kc);
  });
});

describe('betrokkenen validation', () => {
  it('POST {} → 400 hadKlantcontact, rol, initiator all required', async () => {
    const res = await post({});
    for (const f of ['hadKlantcontact', 'rol', 'initiator']) assertInvalidParam(res, f, 'required', REQUIRED);
  });
  it('rol "x" → 400 invalid_choice', async () => {
    assertInvalidParam(await post(base({ rol: 'x' })), 'rol', 'invalid_choice', choiceReason('x'));
  });
  it('initiator "ja" → 400 invalid', async () => {
    assertInvalidParam(await post(base({ initiator: 'ja' })), 'initiator', 'invalid');
  });
  it('hadKlantcontact that does not exist → 400 at hadKlantcontact.uuid', async () => {
    const res = await post(base({ hadKlantcontact: { uuid: crypto.randomUUID() } }));
    assertInvalidParam(res, 'hadKlantcontact.uuid', MISSING_REF_CODES, missingRefReason('Klantcontact'));
  });
  it('wasPartij that does not exist → 400 at wasPartij.uuid', async () => {
    const res = await post(base({ wasPartij: { uuid: crypto.randomUUID() } }));
    assertInvalidParam(res, 'wasPartij.uuid', MISSING_REF_CODES, missingRefReason('Partij'));
  });
  it('hadKlantcontact without uuid → 400 at hadKlantcontact.uuid required', async () => {
    assertInvalidParam(await post(base({ hadKlantcontact: {} })), 'hadKlantcontact.uuid', 'required', REQUIRED);
  });
  it('hadKlantcontact null → 400', async () => {
    assertInvalidParam(await post(base({ hadKlantcontact: null })), 'hadKlantcontact');
  });
  it('contactnaam.voorletters over 10 → 400 at contactnaam.voorletters', async () => {
    assertInvalidParam(await post(base({ contactnaam: { voorletters: 'ABCDEFGHIJK' } })), 'contactnaam.voorletters', 'max_length', maxLenReason(10));
  });
  it('contactnaam.voorvoegselAchternaam over 10 and organisatienaam over 200 → both reported', async () => {
    const res = await post(base({ organisatienaam: 'o'.repeat(201), contactnaam: { voorvoegselAchternaam: 'v'.repeat(11) } }));
    assertInvalidParam(res, 'organisatienaam', 'max_length', maxLenReason(200));
    assertInvalidParam(res, 'contactnaam.voorvoegselAchternaam', 'max_length', maxLenReason(10));
  });
  it('volledigeNaam in the body is read-only and ignored', async () => {
    const b = await create(srv, 'betrokkenen', base({ volledigeNaam: 'Hacker', contactnaam: { achternaam: 'Echt' } }));
    assert.equal(b.volledigeNaam, 'Echt');
  });
});
