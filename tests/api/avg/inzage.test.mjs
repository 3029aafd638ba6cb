// The right of access (AVG art. 15; issue 18, "must show" 2): the export of one person contains
// every record about them across all APIs — a dataset with that person in each kind of record —
// and nothing about anyone else; with the information art. 15(1) requires; only for the privacy
// officer; logged for the person.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody, klantcontactBody, request }
  from '../lib/harness.mjs';

const K = '/kanalen/api/v1';
const INZAGE = '/avg/api/v1/inzage';
const BSN = '999990019';
const ANDER_BSN = '999990020';
const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });
const actorBody = (naam) => ({ naam, soortActor: 'medewerker', indicatieActief: true,
  actoridentificator: { objectId: naam, codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' } });

let srv, beheerder;
const mine = {}; // section → uuids that must be in the person's export
const theirs = []; // uuids of another person's records: never in it

/** A klantcontact of partij p with a betrokkene; returns both. */
async function contactOf(p, onderwerp) {
  const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp }));
  const b = await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid },
    rol: 'klant', initiator: true });
  return { kc, b };
}

const add = (section, obj) => { (mine[section] ||= []).push(obj.uuid); return obj; };

before(async () => {
  srv = await startServer({ args: ['--dev-login'] });
  beheerder = srv.createToken('privacy', 'beheerder');
  // The person, in every kind of record.
  const p = add('partijen', await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf(BSN)] })));
  add('partij-identificatoren', p.partijIdentificatoren[0]);
  add('digitaleadressen', await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid },
    adres: 'inzage@example.org', soortDigitaalAdres: 'email' }));
  add('digitaleadressen', await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid },
    adres: '0612340077', soortDigitaalAdres: 'telefoonnummer' }));
  add('rekeningnummers', await create(srv, 'rekeningnummers', { partij: { uuid: p.uuid }, iban: 'NL91ABNA0417164300' }));
  const cat = await create(srv, 'categorieen', { naam: 'Inzagecategorie' });
  add('categorie-relaties', await create(srv, 'categorie-relaties', { partij: { uuid: p.uuid }, categorie: { uuid: cat.uuid } }));
  const { kc, b } = await contactOf(p, 'Paspoort');
  add('klantcontacten', kc);
  add('betrokkenen', b);
  add('onderwerpobjecten', await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid },
    onderwerpobjectidentificator: { objectId: 'zaak-inzage', codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid' } }));
  add('bijlagen', await create(srv, 'bijlagen', { wasBijlageVanKlantcontact: { uuid: kc.uuid },
    bijlageidentificator: { objectId: 'doc-inzage', codeObjecttype: 'eio', codeRegister: 'drc', codeSoortObjectId: 'uuid' } }));
  const actor = await create(srv, 'actoren', actorBody('inzage-medewerker'));
  add('actorklantcontacten', await create(srv, 'actorklantcontacten', { actor: { uuid: actor.uuid }, klantcontact: { uuid: kc.uuid } }));
  add('internetaken', await create(srv, 'internetaken', { gevraagdeHandeling: 'Terugbellen', aanleidinggevendKlantcontact: { uuid: kc.uuid },
    toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'te_verwerken' }));
  add('contactverzoeken', expectStatus(await srv.req('POST', `${K}/contactverzoeken`, { base: true, body: {
    kanaal: 'telefoon', onderwerp: 'Terugbellen over paspoort', partij: { uuid: p.uuid },
    toegewezenAan: { soort: 'afdeling', naam: 'Burgerzaken' } } }), 201));
  const hook = expectStatus(await srv.req('POST', `${K}/berichten`, { base: true, body: { kanaal: 'website',
    tekst: 'Mijn vraag', externId: 'inzage-1', afzender: { adres: 'inzage@example.org', soort: 'email' } } }), 201);
  (mine.gesprekken ||= []).push(hook.gesprek);
  const call = expectStatus(await srv.req('POST', `${K}/cti/events`, { base: true, body: {
    gebeurtenis: 'aangeboden', gespreksId: 'inzage-call', telefoonnummer: '06 1234 0077' } }), 201);
  add('oproepen', call);
  add('baliebezoeken', expectStatus(await srv.req('POST', `${K}/balie/aanmeldingen`, { base: true, body: {
    reden: 'Paspoort ophalen', partij: { uuid: p.uuid } } }), 201));
  const sessie = expectStatus(await request('POST', `${srv.base}/auth/api/v1/dev-login`, { body: { bsn: BSN } }), 200);
  const cookie = (await request('POST', `${srv.base}/auth/api/v1/dev-login`, { body: { bsn: BSN } }))
    .headers.get('set-cookie').split(';')[0];
  const csrf = (await request('GET', `${srv.base}/auth/api/v1/sessie`, { headers: { Cookie: cookie } })).json.csrfToken;
  assert.ok(sessie && csrf);
  expectStatus(await request('PUT', `${srv.base}/mijn/api/v1/voorkeuren`, { headers: { Cookie: cookie, 'X-CSRF-Token': csrf },
    body: { voorkeurskanaal: 'e-mail', toestemmingDigitaal: true, toestemmingOnderzoek: false } }), 200);

  // Someone else, with records of their own.
  const q = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf(ANDER_BSN)] }));
  theirs.push(q.uuid);
  theirs.push((await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: q.uuid },
    adres: 'iemand.anders@example.org', soortDigitaalAdres: 'email' })).uuid);
  const other = await contactOf(q, 'Iets van een ander');
  theirs.push(other.kc.uuid, other.b.uuid);
});
after(async () => { await srv?.stop(); });

const inzage = (body, token = beheerder) => srv.req('POST', INZAGE, { base: true, token, body });

describe('AVG art. 15: everything about one person', () => {
  let out;
  it('the export holds every record of the person, in its section', async () => {
    const res = await inzage({ bsn: BSN });
    out = expectStatus(res, 200);
    assert.equal(out.bsn, BSN);
    assert.equal(out.partijen.length, 1);
    const missing = [];
    for (const [section, uuids] of Object.entries(mine)) {
      const got = new Set((out.gegevens[section] || []).map((o) => o.uuid));
      for (const u of uuids) if (!got.has(u)) missing.push(`${section}/${u}`);
    }
    assert.deepEqual(missing, []);
    const gesprek = out.gegevens.gesprekken.find((g) => g.uuid === mine.gesprekken[0]);
    assert.equal(gesprek.berichten[0].tekst, 'Mijn vraag', 'the messages come with the conversation');
    assert.equal(out.gegevens.kanaalvoorkeuren.voorkeurskanaal, 'e-mail');
    assert.ok(out.gegevens.verwerkingen.length > 0 && out.aantalVerwerkingen >= out.gegevens.verwerkingen.length,
      'the Logboek records about them');
  });

  it('nothing about anyone else', () => {
    const text = JSON.stringify(out);
    for (const u of theirs) assert.ok(!text.includes(u), `another person's record ${u} is in the export`);
    assert.ok(!text.includes(ANDER_BSN));
    assert.ok(!text.includes('iemand.anders@example.org'));
  });

  it('with what art. 15(1) asks beside the data', () => {
    for (const k of ['doelen', 'categorieen', 'ontvangers', 'bewaartermijn', 'rechten', 'klacht', 'bron'])
      assert.ok(out.toelichting[k] && out.toelichting[k].length, `toelichting.${k}`);
    assert.ok(out.toelichting.doelen.every((d) => d.verwerkingsactiviteit && d.omschrijving));
    assert.match(out.toelichting.klacht, /Autoriteit Persoonsgegevens/);
  });

  it('the export is logged for the person; only the privacy officer may ask; a bad BSN is refused', async () => {
    const res = await inzage({ bsn: BSN });
    expectStatus(res, 200);
    const trace = res.headers.get('traceparent').slice(3, 35);
    const recs = expectStatus(await srv.req('GET', `/klantbeeld/api/v1/verwerkingen?traceId=${trace}`,
      { base: true, token: beheerder }), 200).results;
    assert.ok(recs.length >= 1 && recs.every((r) => r.naam === 'Inzageverzoek: gegevens verstrekken'));
    assert.ok(recs.some((r) => r.betrokkeneType === 'BSN'));
    assertProblem(await inzage({ bsn: BSN }, srv.createToken('kcc', 'kcm')), 403);
    assertInvalidParam(await inzage({ bsn: '123456789' }), 'bsn');
    assertInvalidParam(await inzage({}), 'bsn', 'required');
    assertInvalidParam(await inzage({ bsn: BSN, naam: 'x' }), 'bsn', 'invalid');
  });

  it('a person the register does not know: an empty export, still with the explanation', async () => {
    const none = expectStatus(await inzage({ bsn: '999990032' }), 200);
    assert.deepEqual(none.partijen, []);
    assert.deepEqual(none.gegevens.klantcontacten, []);
    assert.ok(none.toelichting.rechten);
  });
});
