// /partijen: persoon, organisatie, contactpersoon; nested partijIdentificatoren; reverse arrays;
// validation; cascades.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertInvalidParam, assertReasonAnywhere, expectStatus, create, count,
  persoonBody, organisatieBody, klantcontactBody, assertRef, assertHasRef, validNine, show,
  REQUIRED, maxLenReason, choiceReason, MISSING_REF_CODES, missingRefReason, UUID_RE,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const bsnIdf = (objectId) => ({
  partijIdentificator: { codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' },
});
const kvkIdf = (objectId) => ({
  partijIdentificator: { codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'kvk_nummer', objectId, codeRegister: 'hr' },
});

describe('partijen CRUD', () => {
  let persoon;
  let organisatie;
  let contactpersoon;

  it('POST persoon → 201 with uuid, absolute url, volledigeNaam and empty reverse arrays', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ interneNotitie: 'eerste notitie' }) });
    persoon = expectStatus(res, 201);
    assert.match(persoon.uuid, UUID_RE);
    assert.equal(persoon.url, `${srv.api}/partijen/${persoon.uuid}`);
    assert.equal(persoon.soortPartij, 'persoon');
    assert.equal(persoon.indicatieActief, true);
    assert.equal(persoon.indicatieGeheimhouding, false);
    assert.equal(persoon.voorkeurstaal, 'nld');
    assert.equal(persoon.interneNotitie, 'eerste notitie');
    assert.deepEqual(persoon.partijIdentificatie.contactnaam,
      { voorletters: 'J', voornaam: 'Jan', voorvoegselAchternaam: 'van der', achternaam: 'Berg' });
    assert.equal(persoon.partijIdentificatie.volledigeNaam, 'Jan van der Berg');
    const arrays = ['betrokkenen', 'digitaleAdressen', 'partijIdentificatoren', 'vertegenwoordigden', 'categorieRelaties', 'rekeningnummers'];
    const wrong = arrays.filter((k) => !Array.isArray(persoon[k]) || persoon[k].length !== 0);
    assert.deepEqual(wrong, [], `these must be [] on a fresh partij: ${wrong.map((k) => `${k}=${JSON.stringify(persoon[k])}`).join(', ')}`);
    const nulls = ['voorkeursDigitaalAdres', 'voorkeursRekeningnummer'].filter((k) => persoon[k] !== null);
    assert.deepEqual(nulls, [], `these must be null on a fresh partij: ${nulls.map((k) => `${k}=${JSON.stringify(persoon[k])}`).join(', ')}`);
  });

  it('GET persoon → 200 with the same representation', async () => {
    const got = expectStatus(await srv.req('GET', `/partijen/${persoon.uuid}`), 200);
    assert.deepEqual(got, persoon);
  });

  it('POST organisatie → 201 with partijIdentificatie.naam', async () => {
    organisatie = await create(srv, 'partijen', organisatieBody());
    assert.equal(organisatie.soortPartij, 'organisatie');
    assert.equal(organisatie.partijIdentificatie.naam, 'Bakkerij De Korenbloem');
    assert.equal(organisatie.url, `${srv.api}/partijen/${organisatie.uuid}`);
  });

  it('POST contactpersoon working for the organisatie → 201 with werkteVoorPartij {uuid,url}', async () => {
    contactpersoon = await create(srv, 'partijen', {
      soortPartij: 'contactpersoon',
      indicatieActief: true,
      partijIdentificatie: {
        werkteVoorPartij: { uuid: organisatie.uuid },
        contactnaam: { voorletters: 'A', voornaam: 'Anna', voorvoegselAchternaam: '', achternaam: 'Bakker' },
      },
    });
    assert.equal(contactpersoon.soortPartij, 'contactpersoon');
    assertRef(contactpersoon.partijIdentificatie.werkteVoorPartij, organisatie, 'werkteVoorPartij');
    assert.equal(contactpersoon.partijIdentificatie.volledigeNaam, 'Anna Bakker');
  });

  it('contactpersoon whose werkteVoorPartij is a persoon → 400', async () => {
    const res = await srv.req('POST', '/partijen', { body: {
      soortPartij: 'contactpersoon', indicatieActief: true,
      partijIdentificatie: { werkteVoorPartij: { uuid: persoon.uuid }, contactnaam: { achternaam: 'X' } },
    } });
    assertProblem(res, 400);
    const hit = res.json.invalidParams.find((p) => /werkteVoorPartij/.test(p.name));
    assert.ok(hit, `invalidParams should name werkteVoorPartij: ${JSON.stringify(res.json.invalidParams)}`);
  });

  it('contactpersoon whose werkteVoorPartij does not exist → 400 at …werkteVoorPartij…', async () => {
    const res = await srv.req('POST', '/partijen', { body: {
      soortPartij: 'contactpersoon', indicatieActief: true,
      partijIdentificatie: { werkteVoorPartij: { uuid: crypto.randomUUID() }, contactnaam: { achternaam: 'X' } },
    } });
    assertProblem(res, 400);
    const hit = res.json.invalidParams.find((p) => /werkteVoorPartij/.test(p.name));
    assert.ok(hit, `invalidParams should name werkteVoorPartij: ${JSON.stringify(res.json.invalidParams)}`);
  });

  it('volledigeNaam skips empty parts', async () => {
    const p = await create(srv, 'partijen', persoonBody({
      partijIdentificatie: { contactnaam: { voorletters: '', voornaam: '', voorvoegselAchternaam: '', achternaam: 'Jansen' } },
    }));
    assert.equal(p.partijIdentificatie.volledigeNaam, 'Jansen');
    const q = await create(srv, 'partijen', persoonBody({
      partijIdentificatie: { contactnaam: { voornaam: 'Piet', voorvoegselAchternaam: '', achternaam: 'Jansen' } },
    }));
    assert.equal(q.partijIdentificatie.volledigeNaam, 'Piet Jansen');
  });

  it('GET list → 200 with count/next/previous/results containing the created partijen', async () => {
    const l = expectStatus(await srv.req('GET', '/partijen'), 200);
    assert.deepEqual(Object.keys(l).sort(), ['count', 'next', 'previous', 'results']);
    assert.ok(l.count >= 3);
    assert.equal(l.next, null);
    assert.equal(l.previous, null);
    for (const o of [persoon, organisatie, contactpersoon]) {
      const r = l.results.find((x) => x.uuid === o.uuid);
      assert.ok(r, `list lacks ${o.uuid}`);
      assert.equal(r.url, o.url);
    }
  });

  it('PUT with all required fields → 200 and the new values', async () => {
    const body = persoonBody({
      interneNotitie: 'via PUT', voorkeurstaal: 'eng', indicatieActief: false,
      partijIdentificatie: { contactnaam: { voorletters: 'K', voornaam: 'Kees', voorvoegselAchternaam: 'de', achternaam: 'Vries' } },
    });
    const res = await srv.req('PUT', `/partijen/${persoon.uuid}`, { body });
    const p = expectStatus(res, 200);
    assert.equal(p.uuid, persoon.uuid);
    assert.equal(p.interneNotitie, 'via PUT');
    assert.equal(p.voorkeurstaal, 'eng');
    assert.equal(p.indicatieActief, false);
    assert.equal(p.partijIdentificatie.volledigeNaam, 'Kees de Vries');
    const got = expectStatus(await srv.req('GET', `/partijen/${persoon.uuid}`), 200);
    assert.deepEqual(got, p);
  });

  it('PUT without indicatieActief → 400 required', async () => {
    const body = persoonBody();
    delete body.indicatieActief;
    const res = await srv.req('PUT', `/partijen/${persoon.uuid}`, { body });
    assertInvalidParam(res, 'indicatieActief', 'required', REQUIRED);
  });

  it('PATCH one field → 200, other fields unchanged', async () => {
    const before = expectStatus(await srv.req('GET', `/partijen/${persoon.uuid}`), 200);
    const res = await srv.req('PATCH', `/partijen/${persoon.uuid}`, { body: { interneNotitie: 'via PATCH' } });
    const p = expectStatus(res, 200);
    assert.equal(p.interneNotitie, 'via PATCH');
    assert.deepEqual({ ...p, interneNotitie: before.interneNotitie }, before);
  });

  it('PATCH {} → 200 and nothing changes', async () => {
    const before = expectStatus(await srv.req('GET', `/partijen/${organisatie.uuid}`), 200);
    const p = expectStatus(await srv.req('PATCH', `/partijen/${organisatie.uuid}`, { body: {} }), 200);
    assert.deepEqual(p, before);
  });

  it('DELETE → 204, then GET → 404', async () => {
    const victim = await create(srv, 'partijen', organisatieBody({ partijIdentificatie: { naam: 'Weg BV' } }));
    const del = await srv.req('DELETE', `/partijen/${victim.uuid}`);
    assert.equal(del.status, 204, show(del));
    assert.equal(del.text, '');
    assertProblem(await srv.req('GET', `/partijen/${victim.uuid}`), 404, 'not_found');
    assertProblem(await srv.req('DELETE', `/partijen/${victim.uuid}`), 404);
  });

  it('PUT/PATCH on a missing partij → 404', async () => {
    const u = crypto.randomUUID();
    assertProblem(await srv.req('PUT', `/partijen/${u}`, { body: persoonBody() }), 404);
    assertProblem(await srv.req('PATCH', `/partijen/${u}`, { body: { interneNotitie: 'x' } }), 404);
  });
});

describe('partijen validation', () => {
  it('POST {} → 400 listing every required field at once', async () => {
    const res = await srv.req('POST', '/partijen', { body: {} });
    assertInvalidParam(res, 'soortPartij', 'required', REQUIRED);
    assertInvalidParam(res, 'indicatieActief', 'required', REQUIRED);
  });

  it('indicatieActief "ja" → 400 invalid', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ indicatieActief: 'ja' }) });
    assertInvalidParam(res, 'indicatieActief', 'invalid');
  });

  it('voorkeurstaal over 3 characters → 400 max_length', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ voorkeurstaal: 'nlde' }) });
    assertInvalidParam(res, 'voorkeurstaal', 'max_length', maxLenReason(3));
  });

  it('maxLength counts characters, not bytes (3 multibyte chars fit in voorkeurstaal)', async () => {
    const p = await create(srv, 'partijen', persoonBody({ voorkeurstaal: 'ëëë' }));
    assert.equal(p.voorkeurstaal, 'ëëë');
  });

  it('interneNotitie of 1001 characters → 400 max_length 1000; 1000 is fine', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ interneNotitie: 'x'.repeat(1001) }) });
    assertInvalidParam(res, 'interneNotitie', 'max_length', maxLenReason(1000));
    await create(srv, 'partijen', persoonBody({ interneNotitie: 'x'.repeat(1000) }));
  });

  it('organisatie naam over 200 → 400 at partijIdentificatie.naam', async () => {
    const res = await srv.req('POST', '/partijen', { body: organisatieBody({ partijIdentificatie: { naam: 'n'.repeat(201) } }) });
    assertInvalidParam(res, 'partijIdentificatie.naam', 'max_length', maxLenReason(200));
  });

  it('contactnaam.voorletters over 10 → 400 at partijIdentificatie.contactnaam.voorletters', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({
      partijIdentificatie: { contactnaam: { voorletters: 'ABCDEFGHIJK', achternaam: 'X' } } }) });
    assertInvalidParam(res, 'partijIdentificatie.contactnaam.voorletters', 'max_length', maxLenReason(10));
  });

  it('soortPartij "x" → 400 invalid_choice', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ soortPartij: 'x' }) });
    assertInvalidParam(res, 'soortPartij', 'invalid_choice', choiceReason('x'));
  });

  it('several errors in one request are all reported', async () => {
    const res = await srv.req('POST', '/partijen', { body: { soortPartij: 'x', indicatieActief: 'ja', voorkeurstaal: 'abcd' } });
    assertInvalidParam(res, 'indicatieActief', 'invalid');
    assertInvalidParam(res, 'voorkeurstaal', 'max_length');
    assertInvalidParam(res, 'soortPartij', 'invalid_choice');
  });

  it('voorkeursDigitaalAdres pointing to a missing adres → 400 at voorkeursDigitaalAdres.uuid', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ voorkeursDigitaalAdres: { uuid: crypto.randomUUID() } }) });
    assertInvalidParam(res, 'voorkeursDigitaalAdres.uuid', MISSING_REF_CODES, missingRefReason('DigitaalAdres'));
  });

  it('voorkeursDigitaalAdres must be one of the partij\'s own adressen', async () => {
    const owner = await create(srv, 'partijen', persoonBody());
    const other = await create(srv, 'partijen', persoonBody());
    const adres = await create(srv, 'digitaleadressen', {
      verstrektDoorPartij: { uuid: other.uuid }, adres: 'ander@example.nl', soortDigitaalAdres: 'email',
    });
    const res = await srv.req('PATCH', `/partijen/${owner.uuid}`, { body: { voorkeursDigitaalAdres: { uuid: adres.uuid } } });
    assertProblem(res, 400);
    const own = await create(srv, 'digitaleadressen', {
      verstrektDoorPartij: { uuid: owner.uuid }, adres: 'eigen@example.nl', soortDigitaalAdres: 'email',
    });
    const ok = expectStatus(await srv.req('PATCH', `/partijen/${owner.uuid}`, { body: { voorkeursDigitaalAdres: { uuid: own.uuid } } }), 200);
    assertRef(ok.voorkeursDigitaalAdres, own, 'voorkeursDigitaalAdres');
  });

  it('POST takes digitaleAdressen and rekeningnummers (existing uuids) and links them, so a preference from them is valid', async () => {
    const adres = await create(srv, 'digitaleadressen', { verstrektDoorPartij: null, adres: 'nieuw@example.nl',
      soortDigitaalAdres: 'email' });
    const rek = await create(srv, 'rekeningnummers', { partij: null, iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' });
    const p = expectStatus(await srv.req('POST', '/partijen', { body: persoonBody({
      digitaleAdressen: [{ uuid: adres.uuid }], voorkeursDigitaalAdres: { uuid: adres.uuid },
      rekeningnummers: [{ uuid: rek.uuid }], voorkeursRekeningnummer: { uuid: rek.uuid } }) }), 201);
    assertRef(p.voorkeursDigitaalAdres, adres, 'voorkeursDigitaalAdres');
    assertRef(p.voorkeursRekeningnummer, rek, 'voorkeursRekeningnummer');
    assert.deepEqual(p.digitaleAdressen.map((d) => d.uuid), [adres.uuid]);
    assert.deepEqual(p.rekeningnummers.map((r) => r.uuid), [rek.uuid]);
    const da = expectStatus(await srv.req('GET', `/digitaleadressen/${adres.uuid}`), 200);
    assertRef(da.verstrektDoorPartij, p, 'the address now belongs to the partij');
    // PUT with another list: the new one is linked, the old one let go (and the preference must follow).
    const adres2 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: null, adres: 'tweede@example.nl',
      soortDigitaalAdres: 'email' });
    const stale = await srv.req('PATCH', `/partijen/${p.uuid}`, { body: { digitaleAdressen: [{ uuid: adres2.uuid }] } });
    assertInvalidParam(stale, 'voorkeursDigitaalAdres', 'invalid', 'Het voorkeursadres moet een gelinkt digitaal adres zijn.');
    const moved = expectStatus(await srv.req('PATCH', `/partijen/${p.uuid}`, { body: {
      digitaleAdressen: [{ uuid: adres2.uuid }], voorkeursDigitaalAdres: { uuid: adres2.uuid } } }), 200);
    assert.deepEqual(moved.digitaleAdressen.map((d) => d.uuid), [adres2.uuid]);
    assert.equal(expectStatus(await srv.req('GET', `/digitaleadressen/${adres.uuid}`), 200).verstrektDoorPartij, null);
  });

  it('digitaleAdressen naming a missing or malformed address → 400 per item, nothing created', async () => {
    const before = await count(srv, '/partijen');
    const res = await srv.req('POST', '/partijen', { body: persoonBody({
      digitaleAdressen: [{ uuid: crypto.randomUUID() }, { uuid: 'geen-uuid' }, {}] }) });
    assertInvalidParam(res, 'digitaleAdressen.0.uuid', 'does_not_exist', missingRefReason('DigitaalAdres'));
    assertInvalidParam(res, 'digitaleAdressen.1.uuid', 'invalid');
    assertInvalidParam(res, 'digitaleAdressen.2.uuid', 'required');
    assert.equal(await count(srv, '/partijen'), before);
    assertInvalidParam(await srv.req('POST', '/partijen', { body: persoonBody({ rekeningnummers: 'x' }) }),
      'rekeningnummers', 'not_a_list');
  });

  it('bezoekadres round-trips', async () => {
    const adres = { nummeraanduidingId: '0363200000123456', straatnaam: 'Amstel', huisnummer: 1, huisnummertoevoeging: 'A',
      postcode: '1011 PN', stad: 'Amsterdam', adresregel1: 'Amstel 1A', adresregel2: '1011 PN Amsterdam', adresregel3: '', land: 'NL' };
    const p = await create(srv, 'partijen', persoonBody({ bezoekadres: adres }));
    for (const [k, v] of Object.entries(adres)) assert.deepEqual(p.bezoekadres[k], v, `bezoekadres.${k}`);
  });
  it('bezoekadres with bad postcode, lower-case land and huisnummer 0 → 400 for each', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ bezoekadres: { postcode: '1011pn', land: 'nl', huisnummer: 0 } }) });
    assertInvalidParam(res, 'bezoekadres.postcode');
    assertInvalidParam(res, 'bezoekadres.land');
    assertInvalidParam(res, 'bezoekadres.huisnummer');
  });
  it('a uuid in the body is ignored (server generates it)', async () => {
    const u = crypto.randomUUID();
    const p = await create(srv, 'partijen', persoonBody({ uuid: u }));
    assert.notEqual(p.uuid, u);
  });
});

describe('nested partijIdentificatoren', () => {
  const bsn1 = validNine(101);
  const bsn2 = validNine(102);
  const bsn3 = validNine(103);
  let p;

  it('POST persoon with a nested BSN identificator → 201, identificator linked both ways', async () => {
    p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf(bsn1)] }));
    assert.equal(p.partijIdentificatoren.length, 1);
    const idf = p.partijIdentificatoren[0];
    assert.match(idf.uuid, UUID_RE);
    assert.equal(idf.url, `${srv.api}/partij-identificatoren/${idf.uuid}`);
    assertRef(idf.identificeerdePartij, p, 'identificeerdePartij');
    assert.deepEqual(idf.partijIdentificator, bsnIdf(bsn1).partijIdentificator);
    const got = expectStatus(await srv.req('GET', `/partij-identificatoren/${idf.uuid}`), 200);
    assertRef(got.identificeerdePartij, p, 'identificeerdePartij');
    assert.deepEqual(got.partijIdentificator, bsnIdf(bsn1).partijIdentificator);
  });

  it('organisatie with nested kvk_nummer → 201', async () => {
    const o = await create(srv, 'partijen', organisatieBody({ partijIdentificatoren: [kvkIdf('69599084')] }));
    assert.equal(o.partijIdentificatoren.length, 1);
    assert.equal(o.partijIdentificatoren[0].partijIdentificator.objectId, '69599084');
  });

  it('an invalid nested BSN → 400 at partijIdentificatoren.0…objectId and NO partij created', async () => {
    const before = await count(srv, '/partijen');
    const beforeIdf = await count(srv, '/partij-identificatoren');
    const res = await srv.req('POST', '/partijen', { body: persoonBody({
      interneNotitie: 'mag niet bestaan', partijIdentificatoren: [bsnIdf('123456789')] }) });
    assertInvalidParam(res,
      ['partijIdentificatoren.0.partijIdentificator.objectId', 'partijIdentificatoren.0.partijIdentificatorObjectId'],
      undefined, /Onjuist BSN nummer/);
    assert.equal(await count(srv, '/partijen'), before);
    assert.equal(await count(srv, '/partij-identificatoren'), beforeIdf);
  });

  it('second nested item invalid → 400 at index 1; the valid first item is not created either', async () => {
    const before = await count(srv, '/partijen');
    const res = await srv.req('POST', '/partijen', { body: organisatieBody({
      partijIdentificatoren: [kvkIdf('12345678'), { partijIdentificator: {
        codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'rsin', objectId: '12345', codeRegister: 'hr' } }],
    }) });
    assertInvalidParam(res,
      ['partijIdentificatoren.1.partijIdentificator.objectId', 'partijIdentificatoren.1.partijIdentificatorObjectId'],
      undefined, /Waarde moet 9 tekens lang zijn/);
    assert.equal(await count(srv, '/partijen'), before);
    assert.equal(await count(srv, '/partij-identificatoren?partijIdentificatorObjectId=12345678'), 0);
  });

  it('two nested BSNs for one partij → 400 and nothing created', async () => {
    const before = await count(srv, '/partijen');
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ partijIdentificatoren: [bsnIdf(bsn2), bsnIdf(bsn3)] }) });
    assertProblem(res, 400);
    assert.equal(await count(srv, '/partijen'), before);
    assert.equal(await count(srv, `/partij-identificatoren?partijIdentificatorObjectId=${bsn2}`), 0);
  });

  it('a nested BSN that another partij already has → 400, nothing created', async () => {
    const before = await count(srv, '/partijen');
    const res = await srv.req('POST', '/partijen', { body: persoonBody({ partijIdentificatoren: [bsnIdf(bsn1)] }) });
    assertReasonAnywhere(res, /`PartijIdentificator` moet uniek zijn, er bestaat er al een met deze gegevenscombinatie\./);
    assert.equal(await count(srv, '/partijen'), before);
  });

  it('nested item with a missing field → 400 required at partijIdentificatoren.0.partijIdentificator.codeRegister', async () => {
    const body = persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
      codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: bsn2 } }] });
    const res = await srv.req('POST', '/partijen', { body });
    assertInvalidParam(res, 'partijIdentificatoren.0.partijIdentificator.codeRegister', 'required', REQUIRED);
  });

  it('nested item with a uuid that does not exist → 400 at partijIdentificatoren.0.uuid', async () => {
    const res = await srv.req('POST', '/partijen', { body: persoonBody({
      partijIdentificatoren: [{ uuid: crypto.randomUUID(), ...bsnIdf(validNine(105)) }] }) });
    assertInvalidParam(res, 'partijIdentificatoren.0.uuid', MISSING_REF_CODES, missingRefReason('PartijIdentificator'));
  });

  it('PATCH with the existing identificator (by uuid) keeps it', async () => {
    const idf = p.partijIdentificatoren[0];
    const res = await srv.req('PATCH', `/partijen/${p.uuid}`, { body: {
      partijIdentificatoren: [{ uuid: idf.uuid, ...bsnIdf(bsn1) }] } });
    const q = expectStatus(res, 200);
    assert.deepEqual(q.partijIdentificatoren.map((x) => x.uuid), [idf.uuid]);
  });

  it('PATCH with a new list replaces identificators not sent by uuid', async () => {
    const old = p.partijIdentificatoren[0];
    const fresh = validNine(104);
    const res = await srv.req('PATCH', `/partijen/${p.uuid}`, { body: { partijIdentificatoren: [bsnIdf(fresh)] } });
    const q = expectStatus(res, 200);
    assert.equal(q.partijIdentificatoren.length, 1);
    assert.notEqual(q.partijIdentificatoren[0].uuid, old.uuid);
    assert.equal(q.partijIdentificatoren[0].partijIdentificator.objectId, fresh);
    assertProblem(await srv.req('GET', `/partij-identificatoren/${old.uuid}`), 404);
    p = q;
  });

  it('an invalid nested item on PATCH → 400 and the partij is unchanged', async () => {
    const before = expectStatus(await srv.req('GET', `/partijen/${p.uuid}`), 200);
    const res = await srv.req('PATCH', `/partijen/${p.uuid}`, { body: {
      interneNotitie: 'mag niet', partijIdentificatoren: [bsnIdf('111111111')] } });
    assertProblem(res, 400);
    const after = expectStatus(await srv.req('GET', `/partijen/${p.uuid}`), 200);
    assert.deepEqual(after, before);
  });
});

describe('reverse arrays and cascades', () => {
  it('partij.betrokkenen, .digitaleAdressen and .partijIdentificatoren reflect children', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const b = await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    const a = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'jan@example.nl', soortDigitaalAdres: 'email' });
    const i = await create(srv, 'partij-identificatoren', { identificeerdePartij: { uuid: p.uuid }, ...bsnIdf(validNine(201)) });
    const got = expectStatus(await srv.req('GET', `/partijen/${p.uuid}`), 200);
    assertHasRef(got.betrokkenen, b, 'betrokkenen');
    assertHasRef(got.digitaleAdressen, a, 'digitaleAdressen');
    assertHasRef(got.partijIdentificatoren, i, 'partijIdentificatoren');
    // the list representation carries the same
    const l = expectStatus(await srv.req('GET', '/partijen?pageSize=500'), 200);
    const r = l.results.find((x) => x.uuid === p.uuid);
    assertHasRef(r.betrokkenen, b, 'list betrokkenen');
  });

  it('DELETE partij cascades its digitaleadressen, identificatoren and betrokkenen (klantcontact stays)', async () => {
    const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf(validNine(301))] }));
    const idf = p.partijIdentificatoren[0];
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const b = await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    const a = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'weg@example.nl', soortDigitaalAdres: 'email' });
    const del = await srv.req('DELETE', `/partijen/${p.uuid}`);
    assert.equal(del.status, 204, show(del));
    assertProblem(await srv.req('GET', `/partijen/${p.uuid}`), 404);
    assertProblem(await srv.req('GET', `/partij-identificatoren/${idf.uuid}`), 404);
    assertProblem(await srv.req('GET', `/digitaleadressen/${a.uuid}`), 404);
    assertProblem(await srv.req('GET', `/betrokkenen/${b.uuid}`), 404);
    const k = expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
    assert.deepEqual(k.hadBetrokkenen, []);
  });
});
