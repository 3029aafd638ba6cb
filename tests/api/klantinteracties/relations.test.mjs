// Relations between resources: the klantcontacten filters of behaviour §7 over joins (with no
// duplicate results), the expand combinations of §6 (nested, [] for an empty to-many, 400 for an
// unknown value, repeated expand parameters), and the delete cascades of §8.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, create, expectStatus, assertProblem, klantcontactBody, persoonBody,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const get = async (path) => expectStatus(await srv.req('GET', path), 200, `GET ${path}`);
const uuids = (l) => l.results.map((r) => r.uuid).sort();
const sorted = (...xs) => xs.map((x) => x.uuid).sort();
const q = (o) => new URLSearchParams(o).toString();
const ident = (objectId, over = {}) => ({ objectId, codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid', ...over });
const actorBody = (naam, objectId) => ({ naam, soortActor: 'organisatorische_eenheid', indicatieActief: true,
  actoridentificator: { objectId, codeObjecttype: 'afd', codeRegister: 'obj', codeSoortObjectId: 'idf' } });

describe('klantcontacten filters over relations', () => {
  let kcA; // two onderwerpobjecten on the same zaak, two interne taken
  let kcB; // one onderwerpobject (other zaak), was-link to zaak-1 object
  let kcC; // nothing
  let oA1;
  let oA2;
  let oB;
  before(async () => {
    const tag = 'relfilter';
    kcA = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: `${tag} A` }));
    kcB = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: `${tag} B` }));
    kcC = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: `${tag} C` }));
    oA1 = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kcA.uuid }, wasKlantcontact: { uuid: kcB.uuid }, onderwerpobjectidentificator: ident('zaak-1') });
    oA2 = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kcA.uuid }, onderwerpobjectidentificator: ident('zaak-1', { codeSoortObjectId: 'url' }) });
    oB = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kcB.uuid }, onderwerpobjectidentificator: ident('zaak-2', { codeObjecttype: 'zgw-Document', codeRegister: 'drc' }) });
    const actor = await create(srv, 'actoren', actorBody('Filters', 'flt'));
    for (let i = 0; i < 2; i++) {
      await create(srv, 'internetaken', { gevraagdeHandeling: 'x', aanleidinggevendKlantcontact: { uuid: kcA.uuid },
        toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'te_verwerken' });
    }
  });
  const list = async (params) => uuids(await get(`/klantcontacten?${q({ onderwerp: 'relfilter', ...params })}`));

  it('leiddeTotInterneTaken=true → kcA once (two taken); false → the others', async () => {
    const t = await get(`/klantcontacten?${q({ onderwerp: 'relfilter', leiddeTotInterneTaken: 'true' })}`);
    assert.deepEqual(uuids(t), [kcA.uuid]);
    assert.equal(t.count, 1);
    assert.deepEqual(await list({ leiddeTotInterneTaken: 'false' }), sorted(kcB, kcC));
  });
  it('onderwerpobject__uuid|__url', async () => {
    assert.deepEqual(await list({ onderwerpobject__uuid: oA2.uuid }), [kcA.uuid]);
    assert.deepEqual(await list({ onderwerpobject__url: oB.url }), [kcB.uuid]);
  });
  it('onderwerpobject__onderwerpobjectidentificator{ObjectId,CodeObjecttype,CodeRegister,CodeSoortObjectId} — no duplicates', async () => {
    const byZaak = await get(`/klantcontacten?${q({ onderwerp: 'relfilter', onderwerpobject__onderwerpobjectidentificatorObjectId: 'zaak-1' })}`);
    assert.deepEqual(uuids(byZaak), [kcA.uuid], 'two matching onderwerpobjecten, one result');
    assert.equal(byZaak.count, 1);
    assert.deepEqual(await list({ onderwerpobject__onderwerpobjectidentificatorCodeObjecttype: 'zgw-Document' }), [kcB.uuid]);
    assert.deepEqual(await list({ onderwerpobject__onderwerpobjectidentificatorCodeRegister: 'openzaak' }), [kcA.uuid]);
    assert.deepEqual(await list({ onderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId: 'url' }), [kcA.uuid]);
    assert.deepEqual(await list({ onderwerpobject__onderwerpobjectidentificatorObjectId: 'zaak-9' }), []);
  });
  it('wasOnderwerpobject__uuid|__url and wasOnderwerpobject__onderwerpobjectidentificator*', async () => {
    assert.deepEqual(await list({ wasOnderwerpobject__uuid: oA1.uuid }), [kcB.uuid]);
    assert.deepEqual(await list({ wasOnderwerpobject__url: oA1.url }), [kcB.uuid]);
    assert.deepEqual(await list({ wasOnderwerpobject__onderwerpobjectidentificatorObjectId: 'zaak-1' }), [kcB.uuid]);
    assert.deepEqual(await list({ wasOnderwerpobject__onderwerpobjectidentificatorCodeObjecttype: 'zgw-Zaak' }), [kcB.uuid]);
    assert.deepEqual(await list({ wasOnderwerpobject__onderwerpobjectidentificatorCodeRegister: 'openzaak' }), [kcB.uuid]);
    assert.deepEqual(await list({ wasOnderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId: 'uuid' }), [kcB.uuid]);
  });
  it('hadBetrokkene__wasPartij__partijIdentificator__* and hadBetrokkene__digitaaladres__adres__icontains — no duplicates', async () => {
    const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
      codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: '296648875', codeRegister: 'brp' } }] }));
    const b1 = await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kcC.uuid }, rol: 'klant', initiator: true });
    await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kcC.uuid }, rol: 'vertegenwoordiger', initiator: false });
    await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b1.uuid }, adres: 'Twee@Example.nl', soortDigitaalAdres: 'email' });
    await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b1.uuid }, adres: 'twee@example.org', soortDigitaalAdres: 'email' });
    const r = await get(`/klantcontacten?${q({ hadBetrokkene__wasPartij__partijIdentificator__objectId: '296648875' })}`);
    assert.deepEqual(uuids(r), [kcC.uuid]);
    assert.equal(r.count, 1);
    assert.deepEqual(await list({ hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId: 'bsn' }), [kcC.uuid]);
    const a = await get(`/klantcontacten?${q({ hadBetrokkene__digitaaladres__adres__icontains: 'TWEE@' })}`);
    assert.deepEqual(uuids(a), [kcC.uuid]);
    assert.equal(a.count, 1);
    assert.deepEqual(await list({ hadBetrokkene__wasPartij: 'true' }), [kcC.uuid]);
  });
});

describe('expand', () => {
  let p;
  let kc;
  let kcEmpty;
  let b;
  let adres;
  let taak;
  let o;
  let bijlage;
  let cat;
  before(async () => {
    p = await create(srv, 'partijen', persoonBody());
    kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'expand vol' }));
    kcEmpty = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'expand leeg' }));
    b = await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    adres = await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b.uuid }, verstrektDoorPartij: { uuid: p.uuid }, adres: 'x@example.nl', soortDigitaalAdres: 'email' });
    const actor = await create(srv, 'actoren', actorBody('Expand', 'exp'));
    taak = await create(srv, 'internetaken', { gevraagdeHandeling: 'bellen', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'te_verwerken' });
    o = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, onderwerpobjectidentificator: ident('zaak-x') });
    bijlage = await create(srv, 'bijlagen', { wasBijlageVanKlantcontact: { uuid: kc.uuid },
      bijlageidentificator: { objectId: 'doc', codeObjecttype: 'eio', codeRegister: 'drc', codeSoortObjectId: 'uuid' } });
    const c = await create(srv, 'categorieen', { naam: 'ExpandCat' });
    cat = await create(srv, 'categorie-relaties', { partij: { uuid: p.uuid }, categorie: { uuid: c.uuid } });
  });

  it('klantcontacten: every value at once on a detail, each expanded to the full objects', async () => {
    const all = 'hadBetrokkenen,hadBetrokkenen.digitaleAdressen,hadBetrokkenen.wasPartij,leiddeTotInterneTaken,gingOverOnderwerpobjecten,omvatteBijlagen';
    const k = await get(`/klantcontacten/${kc.uuid}?expand=${all}`);
    const ex = k._expand;
    assert.deepEqual(ex.hadBetrokkenen.map((x) => x.uuid), [b.uuid]);
    assert.equal(ex.hadBetrokkenen[0].rol, 'klant');
    assert.deepEqual(ex.hadBetrokkenen[0]._expand.digitaleAdressen.map((x) => x.uuid), [adres.uuid]);
    assert.equal(ex.hadBetrokkenen[0]._expand.digitaleAdressen[0].adres, 'x@example.nl');
    assert.equal(ex.hadBetrokkenen[0]._expand.wasPartij.uuid, p.uuid);
    assert.equal(ex.hadBetrokkenen[0]._expand.wasPartij.soortPartij, 'persoon');
    assert.deepEqual(ex.leiddeTotInterneTaken.map((x) => x.uuid), [taak.uuid]);
    assert.equal(ex.leiddeTotInterneTaken[0].gevraagdeHandeling, 'bellen');
    assert.deepEqual(ex.gingOverOnderwerpobjecten.map((x) => x.uuid), [o.uuid]);
    assert.equal(ex.gingOverOnderwerpobjecten[0].onderwerpobjectidentificator.objectId, 'zaak-x');
    assert.deepEqual(ex.omvatteBijlagen.map((x) => x.uuid), [bijlage.uuid]);
  });
  it('an empty to-many gives []', async () => {
    const k = await get(`/klantcontacten/${kcEmpty.uuid}?expand=hadBetrokkenen,leiddeTotInterneTaken,gingOverOnderwerpobjecten,omvatteBijlagen`);
    assert.deepEqual(k._expand, { hadBetrokkenen: [], leiddeTotInterneTaken: [], gingOverOnderwerpobjecten: [], omvatteBijlagen: [] });
  });
  it('repeated expand parameters equal the comma form (list)', async () => {
    const a = await get(`/klantcontacten?${q({ onderwerp: 'expand vol' })}&expand=hadBetrokkenen&expand=hadBetrokkenen.wasPartij&expand=omvatteBijlagen`);
    const b2 = await get(`/klantcontacten?${q({ onderwerp: 'expand vol' })}&expand=hadBetrokkenen,hadBetrokkenen.wasPartij,omvatteBijlagen`);
    assert.deepEqual(a, b2);
    assert.equal(a.results[0]._expand.hadBetrokkenen[0]._expand.wasPartij.uuid, p.uuid);
    assert.deepEqual(a.results[0]._expand.omvatteBijlagen.map((x) => x.uuid), [bijlage.uuid]);
  });
  it('only the asked relations appear in _expand', async () => {
    const k = await get(`/klantcontacten/${kc.uuid}?expand=omvatteBijlagen`);
    assert.deepEqual(Object.keys(k._expand), ['omvatteBijlagen']);
    const none = await get(`/klantcontacten/${kc.uuid}`);
    assert.ok(!none._expand || Object.keys(none._expand).length === 0, `no _expand without expand: ${JSON.stringify(none._expand)}`);
  });
  it('an unknown value → 400 on list and detail, also next to valid values', async () => {
    for (const path of [`/klantcontacten?expand=bestaatniet`, `/klantcontacten/${kc.uuid}?expand=hadBetrokkenen,bestaatniet`,
      '/klantcontacten?expand=wasPartij', '/partijen?expand=hadBetrokkenen', `/betrokkenen/${b.uuid}?expand=wasPartij`,
      '/digitaleadressen?expand=verstrektDoorPartij', '/klantcontacten?expand=hadBetrokkenen.wasPartij.betrokkenen']) {
      assertProblem(await srv.req('GET', path), 400);
    }
  });
  it('partijen: betrokkenen, betrokkenen.hadKlantcontact, categorieRelaties, digitaleAdressen', async () => {
    const x = await get(`/partijen/${p.uuid}?expand=betrokkenen,betrokkenen.hadKlantcontact,categorieRelaties,digitaleAdressen`);
    assert.deepEqual(x._expand.betrokkenen.map((y) => y.uuid), [b.uuid]);
    assert.equal(x._expand.betrokkenen[0]._expand.hadKlantcontact.uuid, kc.uuid);
    assert.equal(x._expand.betrokkenen[0]._expand.hadKlantcontact.onderwerp, 'expand vol');
    assert.deepEqual(x._expand.categorieRelaties.map((y) => y.uuid), [cat.uuid]);
    assert.equal(x._expand.categorieRelaties[0].categorie.naam, 'ExpandCat');
    assert.deepEqual(x._expand.digitaleAdressen.map((y) => y.uuid), [adres.uuid]);
    const empty = await create(srv, 'partijen', persoonBody());
    const e = await get(`/partijen/${empty.uuid}?expand=betrokkenen,categorieRelaties,digitaleAdressen`);
    assert.deepEqual(e._expand, { betrokkenen: [], categorieRelaties: [], digitaleAdressen: [] });
  });
  it('betrokkenen: digitaleAdressen', async () => {
    const x = await get(`/betrokkenen/${b.uuid}?expand=digitaleAdressen`);
    assert.deepEqual(x._expand.digitaleAdressen.map((y) => y.uuid), [adres.uuid]);
    const l = await get(`/betrokkenen?hadKlantcontact__uuid=${kc.uuid}&expand=digitaleAdressen`);
    assert.equal(l.results[0]._expand.digitaleAdressen[0].adres, 'x@example.nl');
  });
  it('digitaleadressen: verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken (three levels)', async () => {
    const x = await get(`/digitaleadressen/${adres.uuid}?expand=verstrektDoorBetrokkene,verstrektDoorBetrokkene.hadKlantcontact,verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken`);
    const vb = x._expand.verstrektDoorBetrokkene;
    assert.equal(vb.uuid, b.uuid);
    const hk = vb._expand.hadKlantcontact;
    assert.equal(hk.uuid, kc.uuid);
    assert.deepEqual(hk._expand.leiddeTotInterneTaken.map((t) => t.uuid), [taak.uuid]);
  });
  it('digitaleadressen: verstrektDoorBetrokkene null when the adres has none', async () => {
    const a = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'y@example.nl', soortDigitaalAdres: 'email' });
    const x = await get(`/digitaleadressen/${a.uuid}?expand=verstrektDoorBetrokkene`);
    assert.deepEqual(x._expand, { verstrektDoorBetrokkene: null });
  });
});

describe('delete cascades (§8)', () => {
  const gone = async (path) => assertProblem(await srv.req('GET', path), 404);
  const present = async (path) => expectStatus(await srv.req('GET', path), 200, path);

  it('klantcontact → its betrokkenen, onderwerpobjecten (both links), bijlagen, internetaken, actorklantcontacten; the actor and partij stay', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const other = await create(srv, 'klantcontacten', klantcontactBody());
    const b = await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    const o1 = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid }, onderwerpobjectidentificator: ident('c1') });
    const o2 = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: other.uuid }, wasKlantcontact: { uuid: kc.uuid }, onderwerpobjectidentificator: ident('c2') });
    const bij = await create(srv, 'bijlagen', { wasBijlageVanKlantcontact: { uuid: kc.uuid } });
    const actor = await create(srv, 'actoren', actorBody('Cascade', 'cas'));
    const t = await create(srv, 'internetaken', { gevraagdeHandeling: 'x', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'te_verwerken' });
    const akc = await create(srv, 'actorklantcontacten', { actor: { uuid: actor.uuid }, klantcontact: { uuid: kc.uuid } });
    expectStatus(await srv.req('DELETE', `/klantcontacten/${kc.uuid}`), 204);
    await gone(`/betrokkenen/${b.uuid}`);
    await gone(`/onderwerpobjecten/${o1.uuid}`);
    await gone(`/onderwerpobjecten/${o2.uuid}`);
    await gone(`/bijlagen/${bij.uuid}`);
    await gone(`/internetaken/${t.uuid}`);
    await gone(`/actorklantcontacten/${akc.uuid}`);
    await present(`/actoren/${actor.uuid}`);
    await present(`/klantcontacten/${other.uuid}`);
    assert.deepEqual((await get(`/partijen/${p.uuid}`)).betrokkenen, []);
  });
  it('partij → its betrokkenen, digitaleadressen, rekeningnummers, identificatoren, vertegenwoordigingen; others stay', async () => {
    const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
      codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: '111222333', codeRegister: 'brp' } }] }));
    const p2 = await create(srv, 'partijen', persoonBody());
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const b = await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    const a = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'c@example.nl', soortDigitaalAdres: 'email' });
    const r = await create(srv, 'rekeningnummers', { partij: { uuid: p.uuid }, iban: 'NL91ABNA0417164300' });
    const v1 = await create(srv, 'vertegenwoordigingen', { vertegenwoordigendePartij: { uuid: p.uuid }, vertegenwoordigdePartij: { uuid: p2.uuid } });
    const v2 = await create(srv, 'vertegenwoordigingen', { vertegenwoordigendePartij: { uuid: p2.uuid }, vertegenwoordigdePartij: { uuid: p.uuid } });
    const pi = p.partijIdentificatoren[0];
    expectStatus(await srv.req('DELETE', `/partijen/${p.uuid}`), 204);
    await gone(`/betrokkenen/${b.uuid}`);
    await gone(`/digitaleadressen/${a.uuid}`);
    await gone(`/rekeningnummers/${r.uuid}`);
    await gone(`/partij-identificatoren/${pi.uuid}`);
    await gone(`/vertegenwoordigingen/${v1.uuid}`);
    await gone(`/vertegenwoordigingen/${v2.uuid}`);
    await present(`/klantcontacten/${kc.uuid}`);
    assert.deepEqual((await get(`/partijen/${p2.uuid}`)).vertegenwoordigden, []);
  });
  it('betrokkene → its adressen stay with verstrektDoorBetrokkene null', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const b = await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    const a = await create(srv, 'digitaleadressen', { verstrektDoorBetrokkene: { uuid: b.uuid }, adres: 'd@example.nl', soortDigitaalAdres: 'email' });
    expectStatus(await srv.req('DELETE', `/betrokkenen/${b.uuid}`), 204);
    assert.equal((await get(`/digitaleadressen/${a.uuid}`)).verstrektDoorBetrokkene, null);
  });
  it('actor → its actorklantcontacten go; the klantcontact stays', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const actor = await create(srv, 'actoren', actorBody('Weg', 'weg'));
    const akc = await create(srv, 'actorklantcontacten', { actor: { uuid: actor.uuid }, klantcontact: { uuid: kc.uuid } });
    expectStatus(await srv.req('DELETE', `/actoren/${actor.uuid}`), 204);
    await gone(`/actorklantcontacten/${akc.uuid}`);
    assert.deepEqual((await get(`/klantcontacten/${kc.uuid}`)).hadBetrokkenActoren, []);
  });
});
