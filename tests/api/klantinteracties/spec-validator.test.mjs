// The spec validator itself (lib/spec-validator.mjs): real responses pass, and a response that
// drifts from the official OpenAPI file is reported — so the conformance check of every other
// API test can actually fail.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, create, persoonBody, organisatieBody, klantcontactBody, API_PATH,
} from '../lib/harness.mjs';
import { specValidator, problemViolations } from '../lib/spec-validator.mjs';

const clone = (o) => structuredClone(o);

describe('spec validator (openapi-enforcer against shared/spec/klantinteracties-openapi.yaml)', () => {
  let srv;
  let v;
  let persoon;
  let organisatie;
  let kc;
  let actor;
  let list;
  before(async () => {
    v = await specValidator();
    srv = await startServer();
    persoon = await create(srv, 'partijen', persoonBody());
    organisatie = await create(srv, 'partijen', organisatieBody());
    kc = await create(srv, 'klantcontacten', klantcontactBody());
    actor = await create(srv, 'actoren', {
      naam: 'Mira Medewerker', soortActor: 'medewerker', indicatieActief: true,
      actoridentificator: { objectId: 'mira@example.nl', codeObjecttype: 'mdw', codeRegister: 'msei', codeSoortObjectId: 'email' },
      actorIdentificatie: { functie: 'KCC', emailadres: 'mira@example.nl', telefoonnummer: '0201234567' },
    });
    list = (await srv.req('GET', '/partijen')).json;
  });
  after(async () => { if (srv) await srv.stop(); });

  const ok = (method, path, status, body) => {
    const got = v.checkBody(method, path, status, body);
    assert.deepEqual(got, [], `expected no violations for ${method} ${path}: ${got.join('\n')}`);
  };
  const bad = (method, path, status, body, re, headers) => {
    const got = v.checkBody(method, path, status, body, headers);
    assert.ok(got.length > 0, `expected a violation for ${method} ${path} ${JSON.stringify(body).slice(0, 300)}`);
    if (re) assert.match(got.join('\n'), re);
    return got;
  };

  it('real responses conform', () => {
    ok('GET', `/partijen/${persoon.uuid}`, 200, persoon);
    ok('GET', `/partijen/${organisatie.uuid}`, 200, organisatie);
    ok('POST', '/klantcontacten', 201, kc);
    ok('GET', `/actoren/${actor.uuid}`, 200, actor);
    ok('GET', '/partijen', 200, list);
  });

  it('reports a wrong type, a missing required field and a bad enum in a partij', () => {
    const a = clone(persoon); a.indicatieActief = 'ja';
    bad('GET', `/partijen/${persoon.uuid}`, 200, a, /indicatieActief/);
    const b = clone(persoon); delete b.url;
    bad('GET', `/partijen/${persoon.uuid}`, 200, b, /required properties missing: url/);
    const c = clone(persoon); c.soortPartij = 'robot';
    bad('GET', `/partijen/${persoon.uuid}`, 200, c);
    const d = clone(persoon); d.uuid = 'niet-een-uuid';
    bad('GET', `/partijen/${persoon.uuid}`, 200, d, /uuid/);
    const e = clone(persoon); e.partijIdentificatie = { contactnaam: persoon.partijIdentificatie.contactnaam };
    bad('GET', `/partijen/${persoon.uuid}`, 200, e, /volledigeNaam/);
  });

  it('reports, instead of throwing, a body the validator library cannot read', async () => {
    const taak = await create(srv, 'internetaken', { gevraagdeHandeling: 'Bellen', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'te_verwerken' });
    ok('POST', '/internetaken', 201, taak);
    const a = clone(taak); a.toegewezenAanActor = null; // an object in the spec (allOf ActorForeignKey)
    bad('GET', `/internetaken/${taak.uuid}`, 200, a, /toegewezenAanActor|could not read/);
  });

  it('reports formats: date-time, uri, a too-long string', () => {
    const a = clone(kc); a.plaatsgevondenOp = 'gisteren';
    bad('GET', `/klantcontacten/${kc.uuid}`, 200, a, /plaatsgevondenOp/);
    const b = clone(kc); b.url = '/relatief/pad';
    bad('GET', `/klantcontacten/${kc.uuid}`, 200, b, /url/);
    const c = clone(kc); c.onderwerp = 'x'.repeat(201);
    bad('GET', `/klantcontacten/${kc.uuid}`, 200, c, /onderwerp/);
    const d = clone(kc); d.hadBetrokkenen = {};
    bad('GET', `/klantcontacten/${kc.uuid}`, 200, d, /hadBetrokkenen/);
  });

  it('checks dates as strings everywhere, also inside the _expand of ExpandPartij (allOf over a oneOf)', () => {
    assert.equal(v.stringDateFields, 23, 'every date/date-time of the spec');
    const da = { uuid: crypto.randomUUID(), url: `http://h${API_PATH}/digitaleadressen/x`, verstrektDoorBetrokkene: null,
      verstrektDoorPartij: null, adres: 'a@b.nl', soortDigitaalAdres: 'email', isStandaardAdres: false, omschrijving: '',
      referentie: '', verificatieDatum: '2024-04-01' };
    const withDa = (d) => ({ ...clone(persoon), _expand: { digitaleAdressen: [d] } });
    ok('GET', `/partijen/${persoon.uuid}`, 200, withDa(da));
    ok('GET', `/partijen/${persoon.uuid}`, 200, withDa({ ...da, verificatieDatum: null }));
    bad('GET', `/partijen/${persoon.uuid}`, 200, withDa({ ...da, verificatieDatum: '2024-02-30' }), /verificatieDatum/);
    bad('GET', `/partijen/${persoon.uuid}`, 200, withDa({ ...da, verificatieDatum: '1-4-2024' }), /verificatieDatum/);
    bad('GET', `/partijen/${persoon.uuid}`, 200, withDa({ ...da, verificatieDatum: 20240401 }), /verificatieDatum/);
    ok('GET', `/klantcontacten/${kc.uuid}`, 200, { ...clone(kc), plaatsgevondenOp: '2024-05-01T10:00:00.123456Z' });
    for (const t of ['2024-05-01 10:00:00Z', '2024-05-01T25:00:00Z', '2024-05-01T10:00:00', '2024-05-01']) {
      bad('GET', `/klantcontacten/${kc.uuid}`, 200, { ...clone(kc), plaatsgevondenOp: t }, /plaatsgevondenOp/);
    }
  });

  it('chooses the polymorphic variant by discriminator (medewerker needs telefoonnummer)', () => {
    const a = clone(actor); delete a.actorIdentificatie.telefoonnummer;
    bad('GET', `/actoren/${actor.uuid}`, 200, a, /telefoonnummer/);
    const b = clone(actor); b.actorIdentificatie.telefoonnummer = '12345';
    bad('GET', `/actoren/${actor.uuid}`, 200, b, /telefoonnummer/);
  });

  it('reports pagination drift: count as a string, next not a uri, results not an array', () => {
    const a = clone(list); a.count = String(a.count);
    bad('GET', '/partijen', 200, a, /count/);
    const b = clone(list); b.next = 5;
    bad('GET', '/partijen', 200, b, /next/);
    const c = clone(list); c.results = {};
    bad('GET', '/partijen', 200, c, /results/);
    const d = clone(list); delete d.count;
    bad('GET', '/partijen', 200, d, /count/);
  });

  it('reports an undeclared status, a body on 204, a missing API-version header, a wrong Content-Type', () => {
    bad('POST', '/klantcontacten', 200, kc, /declares no 200 response/);
    bad('GET', '/partijen', 201, list, /declares no 201/);
    const got = v.check({ method: 'DELETE', url: `http://h${API_PATH}/partijen/${persoon.uuid}`, status: 204,
      headers: { 'api-version': '0.9.0' }, text: '{"x":1}' });
    assert.match(got.join('\n'), /declares no body/);
    bad('GET', `/partijen/${persoon.uuid}`, 200, persoon, /API-version/, { 'api-version': '1.0.0' });
    bad('GET', `/partijen/${persoon.uuid}`, 200, persoon, /Content-Type/, { 'content-type': 'text/html' });
    bad('GET', '/bestaat-niet', 200, {}, /no operation/);
  });

  it('checks error responses for the problem shape, not against the (absent) 4xx schemas', () => {
    const good = { type: 'http://h/ref/fouten/ValidationError/', code: 'invalid', title: 'Invalid input.', status: 400,
      detail: '', instance: 'urn:uuid:00000000-0000-4000-8000-000000000000',
      invalidParams: [{ name: 'kanaal', code: 'required', reason: 'Dit veld is vereist.' }] };
    const ct = { 'content-type': 'application/problem+json', 'api-version': '0.9.0' };
    const chk = (status, body, headers = ct) => v.check({ method: 'POST', url: `http://h${API_PATH}/klantcontacten`,
      status, headers, text: JSON.stringify(body) });
    assert.deepEqual(chk(400, good), []);
    assert.match(chk(400, { ...good, status: '400' }).join('\n'), /problem.status/);
    assert.match(chk(400, { ...good, invalidParams: undefined }).join('\n'), /invalidParams/);
    assert.match(chk(400, good, { 'content-type': 'application/json', 'api-version': '0.9.0' }).join('\n'), /problem\+json/);
    assert.match(chk(404, { ...good, instance: 'abc', invalidParams: undefined }).join('\n'), /instance/);
    assert.match(problemViolations(500, ct, 'oops').join('\n'), /not JSON/);
  });

  it('the harness fails a request whose response drifts', async () => {
    const { conformsToSpec } = await import('../lib/harness.mjs');
    const res = await srv.req('GET', `/partijen/${persoon.uuid}`);
    const mutated = clone(res.json);
    mutated.indicatieActief = 1;
    await assert.rejects(
      conformsToSpec('GET', `${srv.api}/partijen/${persoon.uuid}`, { ...res, text: JSON.stringify(mutated) }, { enforce: true }),
      (e) => e instanceof assert.AssertionError && /violates the OpenAPI spec/.test(e.message) && /indicatieActief/.test(e.message));
  });

  it('NULL_WHEN_NOT_SENT makes exactly maak-klantcontact\'s two optional parts nullable',
    { skip: process.env.OMK_SPEC_STRICT === '1' && 'OMK_SPEC_STRICT=1 turns it off' }, () => {
    assert.deepEqual(v.nullPatched, ['MaakKlantcontact/properties/betrokkene', 'MaakKlantcontact/properties/onderwerpobject']);
    // Still an object when sent: a string there is refused.
    const bad = v.checkBody('POST', '/maak-klantcontact', 201, { klantcontact: null, betrokkene: 'x' });
    assert.ok(bad.length > 0, 'a wrong shape still fails');
  });

  it('BLANK_AS_ABSENT touches exactly these non-required fields (accepting "" only)',
    { skip: process.env.OMK_SPEC_STRICT === '1' && 'OMK_SPEC_STRICT=1 turns it off' }, () => {
    assert.deepEqual(v.blankPatched, [
      'BetrokkeneCorrespondentieadres/properties/land',
      'BetrokkeneCorrespondentieadres/properties/nummeraanduidingId',
      'BetrokkeneCorrespondentieadres/properties/postcode',
      'Bezoekadres/properties/land',
      'Bezoekadres/properties/nummeraanduidingId',
      'Bezoekadres/properties/postcode',
      'DigitaalAdres/properties/referentie',
      'Klantcontact/properties/hoofdOnderwerpType',
      'Medewerker/properties/emailadres',
      'OrganisatorischeEenheid/properties/emailadres',
      'OrganisatorischeEenheid/properties/telefoonnummer',
      'PartijBezoekadres/properties/land',
      'PartijBezoekadres/properties/nummeraanduidingId',
      'PartijBezoekadres/properties/postcode',
      'PartijCorrespondentieadres/properties/land',
      'PartijCorrespondentieadres/properties/nummeraanduidingId',
      'PartijCorrespondentieadres/properties/postcode',
      'Rekeningnummer/properties/bic',
    ].map((s) => `#/components/schemas/${s}`));
    // Non-blank values are still checked.
    const a = clone(persoon);
    a.bezoekadres = { ...(a.bezoekadres || {}), postcode: '1234ab', land: 'N', nummeraanduidingId: '12' };
    const got = bad('GET', `/partijen/${persoon.uuid}`, 200, a);
    assert.match(got.join('\n'), /postcode/);
    assert.match(got.join('\n'), /land/);
    assert.match(got.join('\n'), /nummeraanduidingId/);
    const b = clone(kc); b.hoofdOnderwerpType = 'geen uri';
    bad('GET', `/klantcontacten/${kc.uuid}`, 200, b, /hoofdOnderwerpType/);
  });
});
