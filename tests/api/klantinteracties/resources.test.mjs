// The newer Klantinteracties resources (behaviour §4, §7, §8): actoren, actorklantcontacten,
// onderwerpobjecten, bijlagen, internetaken, rekeningnummers, vertegenwoordigingen, categorieen and
// categorie-relaties — CRUD, their rules with status and invalidParams names, and their list filters.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, create, expectStatus, assertInvalidParam, assertProblem, assertRef, assertHasRef,
  klantcontactBody, persoonBody, organisatieBody, UUID_RE, MISSING_REF_CODES,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const get = async (path) => expectStatus(await srv.req('GET', path), 200, `GET ${path}`);
const uuids = (l) => l.results.map((r) => r.uuid).sort();
const sorted = (...xs) => xs.map((x) => x.uuid).sort();
const q = (o) => new URLSearchParams(o).toString();
const ident = (objectId, over = {}) => ({ objectId, codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid', ...over });

function medewerker(over = {}) {
  return {
    naam: 'Marieke de Vries', soortActor: 'medewerker', indicatieActief: true,
    actoridentificator: { objectId: 'mdv', codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' },
    actorIdentificatie: { functie: 'KCC-medewerker', emailadres: 'mdv@gemeente.example', telefoonnummer: '0201234567' },
    ...over,
  };
}

describe('actoren', () => {
  let mdw;
  let auto;
  let afd;
  before(async () => {
    mdw = await create(srv, 'actoren', medewerker());
    auto = await create(srv, 'actoren', { naam: 'Chatbot Gem', soortActor: 'geautomatiseerde_actor', indicatieActief: false,
      actoridentificator: { objectId: 'gem', codeObjecttype: 'bot', codeRegister: 'obj', codeSoortObjectId: 'idf' },
      actorIdentificatie: { functie: 'chatbot', omschrijving: 'Beantwoordt vragen' } });
    afd = await create(srv, 'actoren', { naam: 'Afdeling Burgerzaken', soortActor: 'organisatorische_eenheid', indicatieActief: true,
      actoridentificator: { objectId: 'bz', codeObjecttype: 'afd', codeRegister: 'obj', codeSoortObjectId: 'idf' },
      actorIdentificatie: { omschrijving: 'Burgerzaken', emailadres: 'bz@gemeente.example', faxnummer: '0209999999', telefoonnummer: '+31201234567' } });
  });

  it('POST each soort → 201 with uuid, url and its actorIdentificatie', async () => {
    assert.match(mdw.uuid, UUID_RE);
    assert.equal(mdw.url, `${srv.api}/actoren/${mdw.uuid}`);
    assert.deepEqual(mdw.actorIdentificatie, { functie: 'KCC-medewerker', emailadres: 'mdv@gemeente.example', telefoonnummer: '0201234567' });
    assert.equal(auto.actorIdentificatie.omschrijving, 'Beantwoordt vragen');
    assert.equal(afd.actorIdentificatie.faxnummer, '0209999999');
    assert.deepEqual(afd.actoridentificator, { objectId: 'bz', codeObjecttype: 'afd', codeRegister: 'obj', codeSoortObjectId: 'idf' });
  });
  it('GET, PUT, PATCH round-trip', async () => {
    assert.deepEqual(await get(`/actoren/${mdw.uuid}`), mdw);
    const put = expectStatus(await srv.req('PUT', `/actoren/${auto.uuid}`, { body: { naam: 'Chatbot Gem 2', soortActor: 'geautomatiseerde_actor',
      indicatieActief: false, actorIdentificatie: { functie: 'chatbot', omschrijving: 'v2' } } }), 200);
    assert.equal(put.naam, 'Chatbot Gem 2');
    assert.equal(put.actoridentificator.objectId, 'gem', 'omitted optional group unchanged on PUT');
    const patch = expectStatus(await srv.req('PATCH', `/actoren/${auto.uuid}`, { body: { indicatieActief: true } }), 200);
    assert.equal(patch.indicatieActief, true);
    assert.equal(patch.naam, 'Chatbot Gem 2');
  });
  it('POST {} → 400 naam and soortActor required', async () => {
    const res = await srv.req('POST', '/actoren', { body: {} });
    assertInvalidParam(res, 'naam', 'required');
    assertInvalidParam(res, 'soortActor', 'required');
  });
  it('soortActor "robot" → 400 invalid_choice', async () => {
    assertInvalidParam(await srv.req('POST', '/actoren', { body: medewerker({ soortActor: 'robot' }) }), 'soortActor', ['invalid_choice', 'invalid']);
  });
  it('naam over 200 → 400 max_length', async () => {
    assertInvalidParam(await srv.req('POST', '/actoren', { body: medewerker({ naam: 'x'.repeat(201) }) }), 'naam', 'max_length');
  });
  it('medewerker telefoonnummer not matching the phone pattern → 400 at actorIdentificatie.telefoonnummer', async () => {
    for (const bad of ['12345', '0612345', '+31', '06-12345678']) {
      const res = await srv.req('POST', '/actoren', { body: medewerker({ actorIdentificatie: { functie: 'x', telefoonnummer: bad } }) });
      assertInvalidParam(res, 'actorIdentificatie.telefoonnummer');
    }
    for (const ok of ['0612345678', '+31612345678', '0031612345']) {
      expectStatus(await srv.req('POST', '/actoren', { body: medewerker({ actoridentificator: { objectId: `tel-${ok}`, codeObjecttype: 'mdw',
        codeRegister: 'obj', codeSoortObjectId: 'idf' }, actorIdentificatie: { functie: 'x', telefoonnummer: ok } }) }), 201, ok);
    }
  });
  it('medewerker functie over 40 → 400 at actorIdentificatie.functie', async () => {
    assertInvalidParam(await srv.req('POST', '/actoren', { body: medewerker({ actorIdentificatie: { functie: 'f'.repeat(41), telefoonnummer: '0612345678' } }) }),
      'actorIdentificatie.functie', 'max_length');
  });
  it('filters: naam (case-insensitive contains), soortActor, indicatieActief', async () => {
    assert.deepEqual(uuids(await get('/actoren?naam=BURGERZAKEN')), [afd.uuid]);
    assert.deepEqual(uuids(await get('/actoren?soortActor=organisatorische_eenheid')), [afd.uuid]);
    const inactive = await get('/actoren?indicatieActief=false');
    assert.ok(inactive.results.every((a) => a.indicatieActief === false));
  });
  it('filters: the four actoridentificator parts, each alone and combined', async () => {
    assert.deepEqual(uuids(await get('/actoren?actoridentificatorObjectId=bz')), [afd.uuid]);
    assert.deepEqual(uuids(await get('/actoren?actoridentificatorCodeObjecttype=afd')), [afd.uuid]);
    const obj = await get('/actoren?actoridentificatorCodeRegister=obj&pageSize=500');
    assert.ok(obj.results.some((a) => a.uuid === afd.uuid) && obj.results.some((a) => a.uuid === mdw.uuid));
    assert.deepEqual(uuids(await get(`/actoren?${q({ actoridentificatorObjectId: 'mdv', actoridentificatorCodeObjecttype: 'mdw',
      actoridentificatorCodeRegister: 'obj', actoridentificatorCodeSoortObjectId: 'idf' })}`)), [mdw.uuid]);
    assert.equal((await get('/actoren?actoridentificatorObjectId=mdv&actoridentificatorCodeObjecttype=afd')).count, 0);
  });
  it('soortActor filter with an unknown value → 400', async () => {
    assertProblem(await srv.req('GET', '/actoren?soortActor=robot'), 400);
  });
});

describe('actorklantcontacten', () => {
  let actor;
  let actor2;
  let kc;
  let akc;
  before(async () => {
    actor = await create(srv, 'actoren', medewerker({ naam: 'AKC een', actoridentificator: { objectId: 'akc1', codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' } }));
    actor2 = await create(srv, 'actoren', medewerker({ naam: 'AKC twee', actoridentificator: { objectId: 'akc2', codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' } }));
    kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'akc' }));
    akc = await create(srv, 'actorklantcontacten', { actor: { uuid: actor.uuid }, klantcontact: { uuid: kc.uuid } });
  });
  it('POST → 201 with {uuid,url} refs; klantcontact.hadBetrokkenActoren shows the full actor', async () => {
    assertRef(akc.actor, actor, 'actor');
    assertRef(akc.klantcontact, kc, 'klantcontact');
    const k = await get(`/klantcontacten/${kc.uuid}`);
    assert.equal(k.hadBetrokkenActoren.length, 1);
    assert.deepEqual(k.hadBetrokkenActoren[0], await get(`/actoren/${actor.uuid}`));
  });
  it('the same (actor, klantcontact) pair again → 400 unique', async () => {
    const res = await srv.req('POST', '/actorklantcontacten', { body: { actor: { uuid: actor.uuid }, klantcontact: { uuid: kc.uuid } } });
    assertInvalidParam(res, ['nonFieldErrors', '__all__'], 'unique');
  });
  it('missing refs → 400 required; unknown uuid → 400 at actor.uuid', async () => {
    const res = await srv.req('POST', '/actorklantcontacten', { body: {} });
    assertInvalidParam(res, 'actor', 'required');
    assertInvalidParam(res, 'klantcontact', 'required');
    assertInvalidParam(await srv.req('POST', '/actorklantcontacten', { body: { actor: { uuid: crypto.randomUUID() }, klantcontact: { uuid: kc.uuid } } }),
      'actor.uuid', MISSING_REF_CODES);
  });
  it('filters actor__url|__uuid, klantcontact__url|__uuid', async () => {
    const akc2 = await create(srv, 'actorklantcontacten', { actor: { uuid: actor2.uuid }, klantcontact: { uuid: kc.uuid } });
    assert.deepEqual(uuids(await get(`/actorklantcontacten?actor__uuid=${actor.uuid}`)), [akc.uuid]);
    assert.deepEqual(uuids(await get(`/actorklantcontacten?${q({ actor__url: actor2.url })}`)), [akc2.uuid]);
    assert.deepEqual(uuids(await get(`/actorklantcontacten?klantcontact__uuid=${kc.uuid}`)), sorted(akc, akc2));
    assert.deepEqual(uuids(await get(`/actorklantcontacten?${q({ klantcontact__url: kc.url })}`)), sorted(akc, akc2));
    assert.equal((await get(`/klantcontacten/${kc.uuid}`)).hadBetrokkenActoren.length, 2);
  });
  it('PUT to another actor → 200; DELETE → 204 and the klantcontact no longer lists that actor', async () => {
    const other = await create(srv, 'klantcontacten', klantcontactBody());
    const a = await create(srv, 'actorklantcontacten', { actor: { uuid: actor.uuid }, klantcontact: { uuid: other.uuid } });
    const put = expectStatus(await srv.req('PUT', `/actorklantcontacten/${a.uuid}`, { body: { actor: { uuid: actor2.uuid }, klantcontact: { uuid: other.uuid } } }), 200);
    assert.equal(put.actor.uuid, actor2.uuid);
    expectStatus(await srv.req('DELETE', `/actorklantcontacten/${a.uuid}`), 204);
    assert.deepEqual((await get(`/klantcontacten/${other.uuid}`)).hadBetrokkenActoren, []);
  });
});

describe('onderwerpobjecten', () => {
  let kc;
  let kcWas;
  let o1;
  let o2;
  before(async () => {
    kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'onderwerpobjecten' }));
    kcWas = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'was' }));
    o1 = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, wasKlantcontact: { uuid: kcWas.uuid },
      onderwerpobjectidentificator: ident('zaak-1') });
    o2 = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, wasKlantcontact: null,
      onderwerpobjectidentificator: ident('doc-1', { codeObjecttype: 'document', codeRegister: 'drc', codeSoortObjectId: 'url' }) });
  });
  it('POST → 201 with refs and identificator; klantcontact.gingOverOnderwerpobjecten lists both', async () => {
    assertRef(o1.klantcontact, kc);
    assertRef(o1.wasKlantcontact, kcWas);
    assert.equal(o2.wasKlantcontact, null);
    assert.deepEqual(o1.onderwerpobjectidentificator, ident('zaak-1'));
    const k = await get(`/klantcontacten/${kc.uuid}`);
    assertHasRef(k.gingOverOnderwerpobjecten, o1);
    assertHasRef(k.gingOverOnderwerpobjecten, o2);
  });
  it('POST with no klantcontact at all → 201 (both links are optional)', async () => {
    const o = await create(srv, 'onderwerpobjecten', { onderwerpobjectidentificator: ident('los') });
    assert.equal(o.klantcontact, null);
  });
  it('an identificator part over 200 → 400 at onderwerpobjectidentificator.objectId', async () => {
    assertInvalidParam(await srv.req('POST', '/onderwerpobjecten', { body: { klantcontact: { uuid: kc.uuid },
      onderwerpobjectidentificator: ident('x'.repeat(201)) } }), 'onderwerpobjectidentificator.objectId', 'max_length');
  });
  it('filters klantcontact__url|__uuid, wasKlantcontact__url|__uuid and the four identificator parts', async () => {
    assert.deepEqual(uuids(await get(`/onderwerpobjecten?klantcontact__uuid=${kc.uuid}`)), sorted(o1, o2));
    assert.deepEqual(uuids(await get(`/onderwerpobjecten?${q({ klantcontact__url: kc.url })}`)), sorted(o1, o2));
    assert.deepEqual(uuids(await get(`/onderwerpobjecten?wasKlantcontact__uuid=${kcWas.uuid}`)), [o1.uuid]);
    assert.deepEqual(uuids(await get(`/onderwerpobjecten?${q({ wasKlantcontact__url: kcWas.url })}`)), [o1.uuid]);
    assert.deepEqual(uuids(await get('/onderwerpobjecten?onderwerpobjectidentificatorObjectId=zaak-1')), [o1.uuid]);
    assert.deepEqual(uuids(await get('/onderwerpobjecten?onderwerpobjectidentificatorCodeObjecttype=document')), [o2.uuid]);
    assert.deepEqual(uuids(await get('/onderwerpobjecten?onderwerpobjectidentificatorCodeRegister=drc')), [o2.uuid]);
    assert.deepEqual(uuids(await get('/onderwerpobjecten?onderwerpobjectidentificatorCodeSoortObjectId=url')), [o2.uuid]);
  });
  it('PATCH wasKlantcontact null → 200; kcWas no longer finds it', async () => {
    const p = expectStatus(await srv.req('PATCH', `/onderwerpobjecten/${o1.uuid}`, { body: { wasKlantcontact: null } }), 200);
    assert.equal(p.wasKlantcontact, null);
    assert.equal((await get(`/onderwerpobjecten?wasKlantcontact__uuid=${kcWas.uuid}`)).count, 0);
  });
});

describe('bijlagen', () => {
  let kc;
  let b1;
  let b2;
  before(async () => {
    kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'bijlagen' }));
    b1 = await create(srv, 'bijlagen', { wasBijlageVanKlantcontact: { uuid: kc.uuid },
      bijlageidentificator: { objectId: 'doc-1', codeObjecttype: 'enkelvoudiginformatieobject', codeRegister: 'drc', codeSoortObjectId: 'uuid' } });
    b2 = await create(srv, 'bijlagen', { wasBijlageVanKlantcontact: { uuid: kc.uuid },
      bijlageidentificator: { objectId: 'doc-2', codeObjecttype: 'foto', codeRegister: 'fs', codeSoortObjectId: 'pad' } });
  });
  it('POST → 201; klantcontact.omvatteBijlagen lists them', async () => {
    assertRef(b1.wasBijlageVanKlantcontact, kc);
    assert.equal(b1.bijlageidentificator.objectId, 'doc-1');
    const k = await get(`/klantcontacten/${kc.uuid}`);
    assertHasRef(k.omvatteBijlagen, b1);
    assertHasRef(k.omvatteBijlagen, b2);
  });
  it('filters klantcontact__uuid and the four bijlageidentificator parts', async () => {
    assert.deepEqual(uuids(await get(`/bijlagen?klantcontact__uuid=${kc.uuid}`)), sorted(b1, b2));
    assert.deepEqual(uuids(await get('/bijlagen?bijlageidentificatorObjectId=doc-2')), [b2.uuid]);
    assert.deepEqual(uuids(await get('/bijlagen?bijlageidentificatorCodeObjecttype=foto')), [b2.uuid]);
    assert.deepEqual(uuids(await get('/bijlagen?bijlageidentificatorCodeRegister=drc')), [b1.uuid]);
    assert.deepEqual(uuids(await get('/bijlagen?bijlageidentificatorCodeSoortObjectId=pad')), [b2.uuid]);
  });
  it('unknown klantcontact → 400 at wasBijlageVanKlantcontact.uuid', async () => {
    assertInvalidParam(await srv.req('POST', '/bijlagen', { body: { wasBijlageVanKlantcontact: { uuid: crypto.randomUUID() } } }),
      'wasBijlageVanKlantcontact.uuid', MISSING_REF_CODES);
  });
});

describe('internetaken', () => {
  let kc;
  let kc2;
  let a1;
  let a2;
  before(async () => {
    kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'taken 1' }));
    kc2 = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'taken 2', nummer: '7001', referentienummer: '8001' }));
    a1 = await create(srv, 'actoren', medewerker({ naam: 'Taak Eerste', actoridentificator: { objectId: 't1', codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' } }));
    a2 = await create(srv, 'actoren', medewerker({ naam: 'Taak Tweede', actoridentificator: { objectId: 't2', codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' } }));
  });
  const body = (over = {}) => ({ gevraagdeHandeling: 'Terugbellen', aanleidinggevendKlantcontact: { uuid: kc.uuid },
    toegewezenAanActoren: [{ uuid: a1.uuid }], toelichting: 'graag vandaag', status: 'te_verwerken', ...over });

  it('POST te_verwerken → 201, toegewezenOp set, afgehandeldOp null; klantcontact.leiddeTotInterneTaken lists it', async () => {
    const t = await create(srv, 'internetaken', body());
    assert.equal(t.status, 'te_verwerken');
    assert.match(t.toegewezenOp, /Z$/);
    assert.equal(t.afgehandeldOp, null);
    assertRef(t.aanleidinggevendKlantcontact, kc);
    assertHasRef((await get(`/klantcontacten/${kc.uuid}`)).leiddeTotInterneTaken, t);
  });
  it('toegewezenAanActor shows the first of toegewezenAanActoren', async () => {
    const t = await create(srv, 'internetaken', body({ toegewezenAanActoren: [{ uuid: a2.uuid }, { uuid: a1.uuid }] }));
    assert.deepEqual(t.toegewezenAanActoren.map((x) => x.uuid), [a2.uuid, a1.uuid]);
    assertRef(t.toegewezenAanActor, a2, 'toegewezenAanActor');
  });
  it('the deprecated toegewezenAanActor alone → 201 with toegewezenAanActoren [it]', async () => {
    const b = body({ toegewezenAanActor: { uuid: a2.uuid } });
    delete b.toegewezenAanActoren;
    const t = await create(srv, 'internetaken', b);
    assertRef(t.toegewezenAanActor, a2);
    assert.deepEqual(t.toegewezenAanActoren.map((x) => x.uuid), [a2.uuid]);
  });
  it('both toegewezenAanActor and toegewezenAanActoren → 400; neither on POST → 400', async () => {
    const both = await srv.req('POST', '/internetaken', { body: body({ toegewezenAanActor: { uuid: a2.uuid } }) });
    assertProblem(both, 400);
    const neither = body();
    delete neither.toegewezenAanActoren;
    assertProblem(await srv.req('POST', '/internetaken', { body: neither }), 400);
  });
  it('PATCH with neither actor field is allowed', async () => {
    const t = await create(srv, 'internetaken', body());
    const p = expectStatus(await srv.req('PATCH', `/internetaken/${t.uuid}`, { body: { toelichting: 'bijgewerkt' } }), 200);
    assert.equal(p.toelichting, 'bijgewerkt');
    assert.deepEqual(p.toegewezenAanActoren.map((x) => x.uuid), [a1.uuid]);
  });
  it('status verwerkt without afgehandeldOp fills it with now; back to te_verwerken clears it', async () => {
    const t = await create(srv, 'internetaken', body());
    const t0 = Date.now();
    const done = expectStatus(await srv.req('PATCH', `/internetaken/${t.uuid}`, { body: { status: 'verwerkt' } }), 200);
    assert.equal(done.status, 'verwerkt');
    assert.ok(done.afgehandeldOp, 'afgehandeldOp filled');
    assert.ok(Math.abs(Date.parse(done.afgehandeldOp) - t0) < 60000, `afgehandeldOp is now: ${done.afgehandeldOp}`);
    const back = expectStatus(await srv.req('PATCH', `/internetaken/${t.uuid}`, { body: { status: 'te_verwerken' } }), 200);
    assert.equal(back.afgehandeldOp, null);
  });
  it('POST verwerkt with an explicit afgehandeldOp keeps it', async () => {
    const t = await create(srv, 'internetaken', body({ status: 'verwerkt', afgehandeldOp: '2024-03-01T12:00:00Z' }));
    assert.equal(Date.parse(t.afgehandeldOp), Date.parse('2024-03-01T12:00:00Z'));
  });
  it('afgehandeldOp with status te_verwerken → 400 at afgehandeldOp', async () => {
    assertInvalidParam(await srv.req('POST', '/internetaken', { body: body({ afgehandeldOp: '2024-03-01T12:00:00Z' }) }), 'afgehandeldOp');
  });
  it('status "klaar" → 400 invalid_choice; missing gevraagdeHandeling/aanleidinggevendKlantcontact/status → 400 required', async () => {
    assertInvalidParam(await srv.req('POST', '/internetaken', { body: body({ status: 'klaar' }) }), 'status', ['invalid_choice', 'invalid']);
    const res = await srv.req('POST', '/internetaken', { body: { toegewezenAanActoren: [{ uuid: a1.uuid }] } });
    for (const f of ['gevraagdeHandeling', 'aanleidinggevendKlantcontact', 'status']) assertInvalidParam(res, f, 'required');
  });
  it('an unknown actor in toegewezenAanActoren → 400 at toegewezenAanActoren.0.uuid', async () => {
    assertInvalidParam(await srv.req('POST', '/internetaken', { body: body({ toegewezenAanActoren: [{ uuid: crypto.randomUUID() }] }) }),
      ['toegewezenAanActoren.0.uuid', 'toegewezenAanActoren'], MISSING_REF_CODES);
  });
  it('nummer "" twice (KISS) → both 201; a real nummer twice → 400', async () => {
    await create(srv, 'internetaken', body({ nummer: '' }));
    await create(srv, 'internetaken', body({ nummer: '' }));
    await create(srv, 'internetaken', body({ nummer: '0000000042' }));
    assertProblem(await srv.req('POST', '/internetaken', { body: body({ nummer: '0000000042' }) }), 400);
  });
  describe('filters', () => {
    let f1;
    let f2;
    before(async () => {
      f1 = await create(srv, 'internetaken', body({ aanleidinggevendKlantcontact: { uuid: kc2.uuid }, nummer: '555', referentienummer: '9001',
        toegewezenAanActoren: [{ uuid: a2.uuid }, { uuid: a1.uuid }] }));
      f2 = await create(srv, 'internetaken', body({ aanleidinggevendKlantcontact: { uuid: kc2.uuid }, status: 'verwerkt',
        toegewezenAanActoren: [{ uuid: a2.uuid }] }));
    });
    it('nummer, referentienummer, status', async () => {
      assert.deepEqual(uuids(await get('/internetaken?nummer=555')), [f1.uuid]);
      assert.deepEqual(uuids(await get('/internetaken?referentienummer=9001')), [f1.uuid]);
      const v = await get('/internetaken?status=verwerkt&pageSize=500');
      assert.ok(v.results.some((t) => t.uuid === f2.uuid));
      assert.ok(v.results.every((t) => t.status === 'verwerkt'));
    });
    it('klantcontact__uuid|__nummer|__referentienummer and aanleidinggevendKlantcontact__url|__uuid', async () => {
      for (const p of [`klantcontact__uuid=${kc2.uuid}`, 'klantcontact__nummer=7001', 'klantcontact__referentienummer=8001',
        `aanleidinggevendKlantcontact__uuid=${kc2.uuid}`, q({ aanleidinggevendKlantcontact__url: kc2.url })]) {
        assert.deepEqual(uuids(await get(`/internetaken?${p}`)), sorted(f1, f2), p);
      }
    });
    it('toegewezenAanActor__url|__uuid and actoren__naam match each actor of the taak once (no duplicates)', async () => {
      const byA2 = await get(`/internetaken?toegewezenAanActor__uuid=${a2.uuid}&aanleidinggevendKlantcontact__uuid=${kc2.uuid}`);
      assert.deepEqual(uuids(byA2), sorted(f1, f2));
      const byA1 = await get(`/internetaken?${q({ toegewezenAanActor__url: a1.url, aanleidinggevendKlantcontact__uuid: kc2.uuid })}`);
      assert.deepEqual(uuids(byA1), [f1.uuid]);
      const byNaam = await get(`/internetaken?${q({ actoren__naam: 'Taak Tweede', klantcontact__uuid: kc2.uuid })}`);
      assert.deepEqual(uuids(byNaam), sorted(f1, f2));
      assert.equal(byNaam.count, 2);
    });
  });
});

describe('rekeningnummers', () => {
  let p;
  let r;
  before(async () => {
    p = await create(srv, 'partijen', persoonBody());
    r = await create(srv, 'rekeningnummers', { partij: { uuid: p.uuid }, iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' });
  });
  it('POST → 201; partij.rekeningnummers lists it; it can be the voorkeursRekeningnummer', async () => {
    assertRef(r.partij, p);
    assert.equal(r.iban, 'NL91ABNA0417164300');
    assertHasRef((await get(`/partijen/${p.uuid}`)).rekeningnummers, r);
    const patched = expectStatus(await srv.req('PATCH', `/partijen/${p.uuid}`, { body: { voorkeursRekeningnummer: { uuid: r.uuid } } }), 200);
    assertRef(patched.voorkeursRekeningnummer, r);
  });
  it('iban format: ^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$, at most 34', async () => {
    for (const bad of ['91NLABNA0417164300', 'NL9ABNA', 'NL91 ABNA 0417 1643 00', 'NL91ABNA041716430012345678901234567']) {
      assertInvalidParam(await srv.req('POST', '/rekeningnummers', { body: { iban: bad } }), 'iban', undefined);
    }
    assertInvalidParam(await srv.req('POST', '/rekeningnummers', { body: {} }), 'iban', 'required');
    expectStatus(await srv.req('POST', '/rekeningnummers', { body: { iban: 'de89370400440532013000' } }), 201);
  });
  it('bic: 8–11 characters without spaces', async () => {
    for (const bad of ['ABNANL2', 'ABNANL2AXXXX', 'ABNA NL2A']) {
      assertInvalidParam(await srv.req('POST', '/rekeningnummers', { body: { iban: 'NL91ABNA0417164300', bic: bad } }), 'bic', undefined);
    }
    expectStatus(await srv.req('POST', '/rekeningnummers', { body: { iban: 'NL91ABNA0417164300', bic: 'ABNANL2AXXX' } }), 201);
  });
  it('filters uuid, iban, bic', async () => {
    assert.deepEqual(uuids(await get(`/rekeningnummers?uuid=${r.uuid}`)), [r.uuid]);
    const byIban = await get('/rekeningnummers?iban=NL91ABNA0417164300');
    assert.ok(byIban.results.some((x) => x.uuid === r.uuid) && byIban.results.every((x) => x.iban === 'NL91ABNA0417164300'));
    assert.deepEqual(uuids(await get('/rekeningnummers?bic=ABNANL2A')), [r.uuid]);
  });
});

describe('vertegenwoordigingen', () => {
  let org;
  let pers;
  let pers2;
  let v;
  before(async () => {
    org = await create(srv, 'partijen', organisatieBody());
    pers = await create(srv, 'partijen', persoonBody());
    pers2 = await create(srv, 'partijen', persoonBody());
    v = await create(srv, 'vertegenwoordigingen', { vertegenwoordigendePartij: { uuid: pers.uuid }, vertegenwoordigdePartij: { uuid: org.uuid } });
  });
  it('POST → 201; the vertegenwoordigende partij lists it in vertegenwoordigden', async () => {
    assertRef(v.vertegenwoordigendePartij, pers);
    assertRef(v.vertegenwoordigdePartij, org);
    const p = await get(`/partijen/${pers.uuid}`);
    assert.ok(Array.isArray(p.vertegenwoordigden) && p.vertegenwoordigden.length === 1, JSON.stringify(p.vertegenwoordigden));
  });
  it('a partij cannot represent itself → 400 at vertegenwoordigdePartij', async () => {
    assertInvalidParam(await srv.req('POST', '/vertegenwoordigingen', { body: { vertegenwoordigendePartij: { uuid: pers.uuid },
      vertegenwoordigdePartij: { uuid: pers.uuid } } }), ['vertegenwoordigdePartij', 'vertegenwoordigdePartij.uuid']);
  });
  it('the same pair again → 400 unique', async () => {
    const res = await srv.req('POST', '/vertegenwoordigingen', { body: { vertegenwoordigendePartij: { uuid: pers.uuid }, vertegenwoordigdePartij: { uuid: org.uuid } } });
    assertInvalidParam(res, ['nonFieldErrors', '__all__'], 'unique');
  });
  it('both required', async () => {
    const res = await srv.req('POST', '/vertegenwoordigingen', { body: {} });
    assertInvalidParam(res, 'vertegenwoordigendePartij', 'required');
    assertInvalidParam(res, 'vertegenwoordigdePartij', 'required');
  });
  it('filters on both sides by url and uuid; partijen?vertegenwoordigdePartij__uuid', async () => {
    const v2 = await create(srv, 'vertegenwoordigingen', { vertegenwoordigendePartij: { uuid: pers2.uuid }, vertegenwoordigdePartij: { uuid: org.uuid } });
    assert.deepEqual(uuids(await get(`/vertegenwoordigingen?vertegenwoordigendePartij__uuid=${pers.uuid}`)), [v.uuid]);
    assert.deepEqual(uuids(await get(`/vertegenwoordigingen?${q({ vertegenwoordigendePartij__url: pers2.url })}`)), [v2.uuid]);
    assert.deepEqual(uuids(await get(`/vertegenwoordigingen?vertegenwoordigdePartij__uuid=${org.uuid}`)), sorted(v, v2));
    assert.deepEqual(uuids(await get(`/vertegenwoordigingen?${q({ vertegenwoordigdePartij__url: org.url })}`)), sorted(v, v2));
    const reps = await get(`/partijen?vertegenwoordigdePartij__uuid=${org.uuid}`);
    assert.deepEqual(uuids(reps), sorted(pers, pers2), 'the partijen representing org, each once');
    assert.deepEqual(uuids(await get(`/partijen?${q({ vertegenwoordigdePartij__url: org.url })}`)), sorted(pers, pers2));
  });
});

describe('categorieen and categorie-relaties', () => {
  let cA;
  let cB;
  let p1;
  let p2;
  let r1;
  let r2;
  let r3;
  before(async () => {
    cA = await create(srv, 'categorieen', { naam: 'Ondernemer' });
    cB = await create(srv, 'categorieen', { naam: 'Vip' });
    p1 = await create(srv, 'partijen', persoonBody({ nummer: '4401' }));
    p2 = await create(srv, 'partijen', organisatieBody());
    r1 = await create(srv, 'categorie-relaties', { partij: { uuid: p1.uuid }, categorie: { uuid: cA.uuid }, beginDatum: '2024-01-01', eindDatum: '2024-12-31' });
    r2 = await create(srv, 'categorie-relaties', { partij: { uuid: p1.uuid }, categorie: { uuid: cB.uuid }, beginDatum: '2024-06-01', eindDatum: null });
    r3 = await create(srv, 'categorie-relaties', { partij: { uuid: p2.uuid }, categorie: { uuid: cA.uuid } });
  });
  it('categorie: POST/GET/PATCH; naam over 80 → 400', async () => {
    assert.equal(cA.naam, 'Ondernemer');
    assert.deepEqual(await get(`/categorieen/${cA.uuid}`), cA);
    assertInvalidParam(await srv.req('POST', '/categorieen', { body: { naam: 'x'.repeat(81) } }), 'naam', 'max_length');
  });
  it('categorie-relatie: the categorie reference carries naam', async () => {
    assert.equal(r1.categorie.uuid, cA.uuid);
    assert.equal(r1.categorie.url, cA.url);
    assert.equal(r1.categorie.naam, 'Ondernemer');
    assertRef(r1.partij, p1);
    assert.equal(r1.beginDatum, '2024-01-01');
    assert.equal(r1.eindDatum, '2024-12-31');
  });
  it('partij.categorieRelaties shows {uuid, url, categorieNaam, beginDatum, eindDatum}', async () => {
    const p = await get(`/partijen/${p1.uuid}`);
    const rel = p.categorieRelaties.find((x) => x.uuid === r1.uuid);
    assert.deepEqual(rel, { uuid: r1.uuid, url: r1.url, categorieNaam: 'Ondernemer', beginDatum: '2024-01-01', eindDatum: '2024-12-31' });
    const rel2 = p.categorieRelaties.find((x) => x.uuid === r2.uuid);
    assert.deepEqual(rel2, { uuid: r2.uuid, url: r2.url, categorieNaam: 'Vip', beginDatum: '2024-06-01', eindDatum: null });
  });
  it('renaming the categorie shows in the relatie and on the partij', async () => {
    const c = await create(srv, 'categorieen', { naam: 'Tijdelijk' });
    const r = await create(srv, 'categorie-relaties', { partij: { uuid: p2.uuid }, categorie: { uuid: c.uuid } });
    expectStatus(await srv.req('PATCH', `/categorieen/${c.uuid}`, { body: { naam: 'Hernoemd' } }), 200);
    assert.equal((await get(`/categorie-relaties/${r.uuid}`)).categorie.naam, 'Hernoemd');
    assert.equal((await get(`/partijen/${p2.uuid}`)).categorieRelaties.find((x) => x.uuid === r.uuid).categorieNaam, 'Hernoemd');
    expectStatus(await srv.req('DELETE', `/categorie-relaties/${r.uuid}`), 204);
  });
  it('filters partij__url|__uuid|__nummer, categorie__url|__uuid|__naam, beginDatum, eindDatum', async () => {
    assert.deepEqual(uuids(await get(`/categorie-relaties?partij__uuid=${p1.uuid}`)), sorted(r1, r2));
    assert.deepEqual(uuids(await get(`/categorie-relaties?${q({ partij__url: p2.url })}`)), [r3.uuid]);
    assert.deepEqual(uuids(await get('/categorie-relaties?partij__nummer=4401')), sorted(r1, r2));
    assert.deepEqual(uuids(await get(`/categorie-relaties?categorie__uuid=${cA.uuid}`)), sorted(r1, r3));
    assert.deepEqual(uuids(await get(`/categorie-relaties?${q({ categorie__url: cB.url })}`)), [r2.uuid]);
    assert.deepEqual(uuids(await get('/categorie-relaties?categorie__naam=Vip')), [r2.uuid]);
    assert.deepEqual(uuids(await get('/categorie-relaties?beginDatum=2024-06-01')), [r2.uuid]);
    assert.deepEqual(uuids(await get('/categorie-relaties?eindDatum=2024-12-31')), [r1.uuid]);
  });
  it('partijen?categorierelatie__categorie__naam=a,b → each partij once', async () => {
    assert.deepEqual(uuids(await get('/partijen?categorierelatie__categorie__naam=Vip')), [p1.uuid]);
    const both = await get('/partijen?categorierelatie__categorie__naam=Ondernemer,Vip');
    assert.deepEqual(uuids(both), sorted(p1, p2));
    assert.equal(both.count, 2, 'p1 has two matching relaties but appears once');
  });
  it('unknown categorie → 400 at categorie.uuid', async () => {
    assertInvalidParam(await srv.req('POST', '/categorie-relaties', { body: { partij: { uuid: p1.uuid }, categorie: { uuid: crypto.randomUUID() } } }),
      'categorie.uuid', MISSING_REF_CODES);
  });
});
