// Operations beyond CRUD: POST /maak-klantcontact (one transaction) and
// DELETE /onderwerpobjecten/{uuid}?cascade=true (behaviour file §3 and §8).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, klantcontactBody, persoonBody, count } from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const ident = (objectId) => ({ objectId, codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid' });

describe('maak-klantcontact', () => {
  it('creates klantcontact, betrokkene and onderwerpobject linked together → 201', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const res = await srv.req('POST', '/maak-klantcontact', { body: {
      klantcontact: klantcontactBody({ kanaal: 'balie' }),
      betrokkene: { wasPartij: { uuid: p.uuid }, rol: 'klant', initiator: true, contactnaam: { voornaam: 'Anna', achternaam: 'Visser' } },
      onderwerpobject: { onderwerpobjectidentificator: ident('zaak-123') },
    } });
    const got = expectStatus(res, 201);
    assert.equal(got.klantcontact.kanaal, 'balie');
    assert.equal(got.betrokkene.hadKlantcontact.uuid, got.klantcontact.uuid);
    assert.equal(got.betrokkene.volledigeNaam, 'Anna Visser');
    assert.equal(got.onderwerpobject.klantcontact.uuid, got.klantcontact.uuid);
    assert.deepEqual(got.klantcontact.hadBetrokkenen.map((b) => b.uuid), [got.betrokkene.uuid]);
    assert.deepEqual(got.klantcontact.gingOverOnderwerpobjecten.map((o) => o.uuid), [got.onderwerpobject.uuid]);
    expectStatus(await srv.req('GET', `/klantcontacten/${got.klantcontact.uuid}`), 200);
  });

  it('only the klantcontact is required; the parts left out are answered as null, as the reference does', async () => {
    const got = expectStatus(await srv.req('POST', '/maak-klantcontact', { body: { klantcontact: klantcontactBody() } }), 201);
    assert.ok('betrokkene' in got && 'onderwerpobject' in got, JSON.stringify(Object.keys(got)));
    assert.equal(got.betrokkene, null);
    assert.equal(got.onderwerpobject, null);
  });

  it('an invalid part → 400 with prefixed names and nothing created', async () => {
    const before = await count(srv, '/klantcontacten');
    const res = await srv.req('POST', '/maak-klantcontact', { body: {
      klantcontact: klantcontactBody(), betrokkene: { rol: 'baas', initiator: true } } });
    assertInvalidParam(res, 'betrokkene.rol', 'invalid_choice', '"baas" is een ongeldige keuze.');
    assert.equal(await count(srv, '/klantcontacten'), before);
  });

  it('missing klantcontact → 400 at klantcontact; every part\'s errors at once', async () => {
    assertInvalidParam(await srv.req('POST', '/maak-klantcontact', { body: {} }), 'klantcontact', 'required', 'Dit veld is vereist.');
    const res = await srv.req('POST', '/maak-klantcontact', { body: { klantcontact: { kanaal: 'x' }, betrokkene: { initiator: true } } });
    assertInvalidParam(res, 'klantcontact.onderwerp', 'required', 'Dit veld is vereist.');
    assertInvalidParam(res, 'betrokkene.rol', 'required', 'Dit veld is vereist.');
  });
});

describe('DELETE onderwerpobjecten', () => {
  it('without cascade → 204, the klantcontact stays', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const ow = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, onderwerpobjectidentificator: ident('a') });
    assert.equal((await srv.req('DELETE', `/onderwerpobjecten/${ow.uuid}`)).status, 204);
    expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
  });

  it('cascade=true removes a klantcontact no other onderwerpobject uses, and its betrokkene-only adressen', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const b = await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    const a = await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b.uuid }, adres: 'a@voorbeeld.nl', soortDigitaalAdres: 'email' });
    const p = await create(srv, 'partijen', persoonBody());
    const keep = await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b.uuid }, verstrektDoorPartij: { uuid: p.uuid }, adres: 'b@voorbeeld.nl', soortDigitaalAdres: 'email' });
    const ow = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, onderwerpobjectidentificator: ident('b') });
    const res = await srv.req('DELETE', `/onderwerpobjecten/${ow.uuid}?cascade=true`);
    assert.deepEqual(expectStatus(res, 200), { behouden: [] });
    assertProblem(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 404);
    assertProblem(await srv.req('GET', `/digitaleadressen/${a.uuid}`), 404);
    expectStatus(await srv.req('GET', `/digitaleadressen/${keep.uuid}`), 200);
  });

  it('cascade=true keeps a klantcontact another onderwerpobject still uses → behouden lists it', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const ow1 = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, onderwerpobjectidentificator: ident('c1') });
    await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, onderwerpobjectidentificator: ident('c2') });
    const res = await srv.req('DELETE', `/onderwerpobjecten/${ow1.uuid}?cascade=true`);
    assert.deepEqual(expectStatus(res, 200), { behouden: [kc.url] });
    expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
  });

  it('unknown parameter or a non-boolean cascade → 400; unknown uuid → 404', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const ow = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid } });
    assertInvalidParam(await srv.req('DELETE', `/onderwerpobjecten/${ow.uuid}?foo=1`), 'nonFieldErrors', 'unknown-parameters', 'Onbekende query parameters: foo');
    assertInvalidParam(await srv.req('DELETE', `/onderwerpobjecten/${ow.uuid}?cascade=ja`), 'cascade', 'invalid', 'Moet een geldige boolean zijn.');
    expectStatus(await srv.req('GET', `/onderwerpobjecten/${ow.uuid}`), 200);
    assertProblem(await srv.req('DELETE', '/onderwerpobjecten/00000000-0000-4000-8000-000000000000?cascade=true'), 404);
  });
});

describe('voorkeursRekeningnummer (behaviour §8)', () => {
  it('must be one of the partij\'s own rekeningnummers → otherwise 400 at voorkeursRekeningnummer', async () => {
    const owner = await create(srv, 'partijen', persoonBody());
    const other = await create(srv, 'partijen', persoonBody());
    const r = await create(srv, 'rekeningnummers', { partij: { uuid: owner.uuid }, iban: 'NL91ABNA0417164300' });
    const res = await srv.req('PATCH', `/partijen/${other.uuid}`, { body: { voorkeursRekeningnummer: { uuid: r.uuid } } });
    assertInvalidParam(res, 'voorkeursRekeningnummer', 'invalid', 'Het voorkeursrekeningnummer moet een gelinkt rekeningnummer zijn.');
    expectStatus(await srv.req('PATCH', `/partijen/${owner.uuid}`, { body: { voorkeursRekeningnummer: { uuid: r.uuid } } }), 200);
  });
});
