// KISS v3.0.0 end to end (behaviour §10): its exact call sequences — find klant, read klant,
// create klant, contactmoment, history, contactverzoek, search contactverzoeken — with its exact
// request bodies and query strings, each response checked the way KISS reads it (pagination types
// strictly; the fields listed at the end of §10). Paths are what the BFF forwards below the API.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, validNine, UUID_RE } from '../lib/harness.mjs';

const ID = {
  persoon: { codeRegister: 'brp', codeSoortObjectId: 'bsn', codeObjecttype: 'natuurlijk_persoon' },
  vestiging: { codeRegister: 'hr', codeSoortObjectId: 'vestigingsnummer', codeObjecttype: 'vestiging' },
  kvk: { codeRegister: 'hr', codeSoortObjectId: 'kvk_nummer', codeObjecttype: 'niet_natuurlijk_persoon' },
};

let srv;
const q = (o) => new URLSearchParams(o).toString();

/** KISS's parsePagination: count a number, next/previous string|null, results an array. */
function kissPage(res, what) {
  const body = expectStatus(res, 200, what);
  assert.ok(body && typeof body === 'object', `${what}: body ${res.text}`);
  assert.equal(typeof body.count, 'number', `${what}: count must be a number: ${res.text.slice(0, 300)}`);
  for (const k of ['next', 'previous']) {
    assert.ok(k in body, `${what}: ${k} missing`);
    assert.ok(body[k] === null || typeof body[k] === 'string', `${what}: ${k} must be string|null, got ${JSON.stringify(body[k])}`);
  }
  assert.ok(Array.isArray(body.results), `${what}: results must be an array`);
  return body;
}
/** KISS's enforceOneOrZero. */
function oneOrZero(page, what) {
  assert.ok(page.results.length <= 1, `${what}: KISS expects 0 or 1 result, got ${page.results.length}`);
  return page.results[0] ?? null;
}
function isRef(r, what) {
  assert.ok(r && typeof r === 'object', `${what}: not a reference: ${JSON.stringify(r)}`);
  assert.match(r.uuid, UUID_RE, `${what}.uuid`);
  assert.equal(typeof r.url, 'string', `${what}.url`);
  assert.ok(r.url.endsWith(r.uuid), `${what}.url ends with the uuid`);
}

async function get(path, what = path) { return srv.req('GET', path); }
async function post(path, body) {
  const res = await srv.req('POST', path, { body });
  return expectStatus(res, 201, `POST ${path} ${JSON.stringify(body).slice(0, 300)}`);
}

// --- KISS services/openklant2/service.ts, transcribed -----------------------------------------

async function findKlant(kind, value, kvkNummer) {
  const soortPartij = kind === 'bsn' ? 'persoon' : 'organisatie';
  const codeSoortObjectId = { bsn: 'bsn', kvk: 'kvk_nummer', vestiging: 'vestigingsnummer' }[kind];
  const path = `/partijen?${q({ expand: 'digitaleAdressen', soortPartij,
    partijIdentificator__codeSoortObjectId: codeSoortObjectId, partijIdentificator__objectId: value })}`;
  const page = kissPage(await get(path), `find klant ${kind}=${value}`);
  for (const p of page.results) {
    assert.equal(p.soortPartij, soortPartij);
    assert.ok(p._expand && Array.isArray(p._expand.digitaleAdressen),
      `find klant: _expand.digitaleAdressen must be an array: ${JSON.stringify(p._expand)}`);
  }
  if (kind === 'vestiging') {
    // KISS keeps only the partij whose kvk (via subIdentificatorVan) matches.
    const matches = [];
    for (const p of page.results) {
      const k = await mapPartijToKlant(p);
      if (k.kvkNummer === kvkNummer) matches.push(k);
    }
    return matches[0] ?? null;
  }
  const p = oneOrZero(page, `find klant ${kind}`);
  return p ? mapPartijToKlant(p) : null;
}

async function getIdentificator(uuid) {
  const pi = expectStatus(await get(`/partij-identificatoren/${uuid}`), 200, 'GET partij-identificator');
  assert.equal(pi.uuid, uuid);
  assert.equal(typeof pi.partijIdentificator, 'object');
  for (const k of ['objectId', 'codeSoortObjectId', 'codeObjecttype', 'codeRegister']) {
    assert.equal(typeof pi.partijIdentificator[k], 'string', `partijIdentificator.${k}`);
  }
  return pi;
}

async function mapPartijToKlant(partij, identificatoren) {
  assert.match(partij.uuid, UUID_RE);
  assert.equal(typeof partij.url, 'string');
  assert.ok(partij.nummer === null || typeof partij.nummer === 'string', 'nummer string|null');
  assert.ok(partij.partijIdentificatie && typeof partij.partijIdentificatie === 'object', 'partijIdentificatie');
  assert.ok(Array.isArray(partij.partijIdentificatoren), 'partijIdentificatoren array');
  if (!identificatoren || !identificatoren.length) {
    identificatoren = await Promise.all(partij.partijIdentificatoren.map(({ uuid }) => getIdentificator(uuid)));
  }
  const byType = (soort) => identificatoren.find((x) => x.partijIdentificator.objectId
    && x.partijIdentificator.codeSoortObjectId === soort)?.partijIdentificator.objectId;
  const vest = identificatoren.find((x) => x.subIdentificatorVan && x.partijIdentificator.codeSoortObjectId === 'vestigingsnummer');
  let kvkNummer = byType('kvk_nummer');
  if (vest) kvkNummer = (await getIdentificator(vest.subIdentificatorVan.uuid)).partijIdentificator.objectId;
  const ex = (partij._expand && partij._expand.digitaleAdressen) || [];
  return {
    id: partij.uuid, url: partij.url, klantnummer: partij.nummer || '',
    bedrijfsnaam: partij.partijIdentificatie.naam,
    ...(partij.partijIdentificatie.contactnaam || {}),
    telefoonnummers: ex.filter((x) => x.adres && x.soortDigitaalAdres === 'telefoonnummer').map((x) => x.adres),
    emailadressen: ex.filter((x) => x.adres && x.soortDigitaalAdres === 'email').map((x) => x.adres),
    bsn: byType('bsn'), vestigingsnummer: byType('vestigingsnummer'), kvkNummer,
  };
}

const findIdentificator = async (codeSoort, objectId) => oneOrZero(kissPage(await get(
  `/partij-identificatoren?${q({ partijIdentificatorCodeSoortObjectId: codeSoort, partijIdentificatorObjectId: objectId })}`),
'find partij-identificator'), 'find partij-identificator');

async function createPartij(partijIdentificatie, soortPartij) {
  return post('/partijen', {
    digitaleAdressen: [], betrokkenen: [], categorieRelaties: [], voorkeursDigitaalAdres: null,
    vertegenwoordigden: [], rekeningnummers: [], partijIdentificatoren: [], voorkeursRekeningnummer: null,
    indicatieGeheimhouding: false, indicatieActief: true, partijIdentificatie, soortPartij,
  });
}

async function createKlant(params) {
  let partijIdentificatie;
  let partijIdentificator;
  let soortPartij;
  if (params.bsn) {
    soortPartij = 'persoon';
    partijIdentificatie = { contactnaam: null };
    partijIdentificator = { ...ID.persoon, objectId: params.bsn };
  } else {
    soortPartij = 'organisatie';
    partijIdentificatie = { naam: '' };
    partijIdentificator = params.vestigingsnummer
      ? { ...ID.vestiging, objectId: params.vestigingsnummer }
      : { ...ID.kvk, objectId: params.kvkNummer };
  }
  const partij = await createPartij(partijIdentificatie, soortPartij);
  const payload = { identificeerdePartij: { url: partij.url, uuid: partij.uuid }, partijIdentificator };
  const ids = [];
  if (params.bsn) {
    ids.push(await post('/partij-identificatoren', payload));
  } else {
    let kvk = await findIdentificator('kvk_nummer', params.kvkNummer);
    if (params.vestigingsnummer) {
      if (!kvk) {
        kvk = await post('/partij-identificatoren', { identificeerdePartij: null,
          partijIdentificator: { ...ID.kvk, objectId: params.kvkNummer } });
      }
      ids.push(await post('/partij-identificatoren', { ...payload, subIdentificatorVan: { uuid: kvk.uuid } }));
    } else if (kvk) {
      const res = await srv.req('PUT', `/partij-identificatoren/${kvk.uuid}`, { body: payload });
      ids.push(expectStatus(res, 200, 'PUT partij-identificator (link kvk)'));
    } else {
      ids.push(await post('/partij-identificatoren', payload));
    }
  }
  return { partij, klant: await mapPartijToKlant(partij, ids), ids };
}

const ensureKlant = async (params, kind, value) => (await findKlant(kind, value, params.kvkNummer))
  ?? (await createKlant(params)).klant;

async function saveKlantContact(kanaal, onderwerp, inhoud) {
  return post('/klantcontacten', { kanaal, onderwerp, inhoud, indicatieContactGelukt: true, taal: 'nld',
    vertrouwelijk: false, plaatsgevondenOp: new Date().toISOString() });
}

/** The BFF after POST /api/postklantcontacten: find or create the medewerker, link it. */
async function linkMedewerker(klantcontact, email, naam) {
  const page = kissPage(await get(`/actoren?${q({ actoridentificatorObjectId: email })}`), 'actor by email');
  let actorUuid = page.results[0]?.uuid;
  if (!actorUuid) {
    const actor = await post('/actoren', {
      naam, soortActor: 'medewerker', indicatieActief: true,
      actoridentificator: { objectId: email, codeObjecttype: 'mdw', codeRegister: 'msei', codeSoortObjectId: 'email' },
      medewerkerIdentificatie: { identificatie: email, achternaam: naam.split(' ').pop(), voorletters: naam[0], voorvoegselAchternaam: '' },
    });
    assert.equal(actor.soortActor, 'medewerker');
    assert.equal(actor.actoridentificator.objectId, email);
    assert.ok(!('medewerkerIdentificatie' in actor), 'the unknown medewerkerIdentificatie field is ignored');
    actorUuid = actor.uuid;
  }
  const akc = await post('/actorklantcontacten', { actor: { uuid: actorUuid }, klantcontact: { uuid: klantcontact.uuid } });
  isRef(akc.actor, 'actorklantcontact.actor');
  isRef(akc.klantcontact, 'actorklantcontact.klantcontact');
  return actorUuid;
}

function saveBetrokkene({ partijId, klantcontactId, organisatienaam, voornaam, voorvoegselAchternaam, achternaam }) {
  const voorletters = voornaam ? voornaam.charAt(0) : undefined;
  return post('/betrokkenen', {
    wasPartij: partijId ? { uuid: partijId } : null,
    hadKlantcontact: { uuid: klantcontactId },
    rol: 'klant', initiator: true,
    organisatienaam: organisatienaam || '',
    contactnaam: { voorletters: voorletters || '', voornaam: voornaam || '',
      voorvoegselAchternaam: voorvoegselAchternaam || '', achternaam: achternaam || '' },
  });
}

const postOnderwerpobject = (klantcontactUuid, zaakUuid) => post('/onderwerpobjecten', {
  klantcontact: { uuid: klantcontactUuid }, wasKlantcontact: null,
  onderwerpobjectidentificator: { objectId: zaakUuid, codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid' },
});

/** KISS ensureActoren → getOrCreateActor for one actor. */
async function getOrCreateActor(naam, identificatie, type) {
  const cfg = type === 'afdeling' ? { codeObjecttype: 'afd', soortActor: 'organisatorische_eenheid', codeRegister: 'obj', codeSoortObjectId: 'idf' }
    : type === 'groep' ? { codeObjecttype: 'grp', soortActor: 'organisatorische_eenheid', codeRegister: 'obj', codeSoortObjectId: 'idf' }
      : { codeObjecttype: 'mdw', soortActor: 'medewerker', codeRegister: 'handmatig', codeSoortObjectId: 'email' };
  const ai = { objectId: identificatie, codeObjecttype: cfg.codeObjecttype, codeRegister: cfg.codeRegister, codeSoortObjectId: cfg.codeSoortObjectId };
  const page = kissPage(await get(`/actoren?${q({ actoridentificatorObjectId: ai.objectId,
    actoridentificatorCodeRegister: ai.codeRegister, actoridentificatorCodeSoortObjectId: ai.codeSoortObjectId,
    actoridentificatorCodeObjecttype: ai.codeObjecttype })}`), 'actor by actoridentificator');
  if (page.results.length === 0) {
    return { uuid: (await post('/actoren', { naam, soortActor: cfg.soortActor, indicatieActief: true, actoridentificator: ai })).uuid, created: true };
  }
  for (const a of page.results) assert.deepEqual(a.actoridentificator, ai, 'the four filters all apply');
  return { uuid: page.results[0].uuid, created: false };
}

async function saveInternetaak(toelichting, klantcontactUuid, actorenIds) {
  return post('/internetaken', {
    nummer: '', gevraagdeHandeling: 'Contact opnemen met betrokkene',
    aanleidinggevendKlantcontact: { uuid: klantcontactUuid },
    toegewezenAanActoren: actorenIds.map((uuid) => ({ uuid })), toelichting, status: 'te_verwerken',
  });
}

async function saveDigitaleAdressen(adressen, betrokkeneUuid) {
  const out = [];
  for (const a of adressen) {
    const r = await post('/digitaleadressen', { verstrektDoorBetrokkene: { uuid: betrokkeneUuid }, verstrektDoorPartij: null,
      adres: a.adres, soortDigitaalAdres: a.soortDigitaalAdres, omschrijving: a.omschrijving || 'onbekend' });
    out.push({ uuid: r.uuid, url: r.url });
  }
  return out;
}

/** KISS fetchKlantcontact: `?expand=a,b`, and `?expand=` when the list is empty, `?` when absent. */
async function fetchKlantcontact(uuid, expand) {
  const query = new URLSearchParams();
  if (expand) query.append('expand', expand.join(','));
  const res = await get(`/klantcontacten/${uuid}?${query}`);
  const kc = expectStatus(res, 200, `GET klantcontacten/${uuid}?${query}`);
  assert.equal(kc.uuid, uuid);
  for (const k of ['kanaal', 'inhoud', 'onderwerp']) assert.equal(typeof kc[k], 'string', `klantcontact.${k}`);
  assert.ok(kc.indicatieContactGelukt === null || typeof kc.indicatieContactGelukt === 'boolean');
  assert.match(kc.plaatsgevondenOp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'plaatsgevondenOp in UTC with Z');
  assert.ok(Array.isArray(kc.hadBetrokkenActoren), 'hadBetrokkenActoren array');
  assert.ok(Array.isArray(kc.gingOverOnderwerpobjecten), 'gingOverOnderwerpobjecten array');
  for (const e of expand || []) {
    assert.ok(kc._expand && Array.isArray(kc._expand[e]), `_expand.${e} must be an array: ${JSON.stringify(kc._expand)}`);
  }
  return kc;
}

// ------------------------------------------------------------------------------------------------

describe('KISS v3.0.0 call sequences (behaviour §10)', () => {
  const bsn = validNine(4242);
  const kvkA = '69599084';
  const vestA = '000038509504';
  const zaak1 = crypto.randomUUID();
  const zaak2 = crypto.randomUUID();
  const medewerkerEmail = 'm.devries@gemeente.example';
  let persoonKlant;
  let orgVestiging;
  let orgKvk;

  before(async () => { srv = await startServer(); });
  after(async () => { if (srv) await srv.stop(); });

  describe('find and create klant', () => {
    it('bsn: not found → create with the exact KISS body (empty RO arrays, null voorkeurs*, contactnaam null) → found', async () => {
      assert.equal(await findKlant('bsn', bsn), null);
      const { partij, klant, ids } = await createKlant({ bsn });
      assert.equal(partij.soortPartij, 'persoon');
      assert.equal(partij.indicatieGeheimhouding, false);
      assert.equal(partij.voorkeursDigitaalAdres, null);
      assert.equal(partij.voorkeursRekeningnummer, null);
      assert.deepEqual(partij.digitaleAdressen, []);
      assert.ok(partij.partijIdentificatie.contactnaam === null || typeof partij.partijIdentificatie.contactnaam === 'object');
      assert.equal(ids[0].identificeerdePartij.uuid, partij.uuid);
      assert.equal(klant.bsn, bsn);
      persoonKlant = await findKlant('bsn', bsn);
      assert.ok(persoonKlant, 'found after creation');
      assert.equal(persoonKlant.id, partij.uuid);
      assert.equal(persoonKlant.bsn, bsn);
      assert.deepEqual(persoonKlant.emailadressen, []);
    });

    it('ensureKlant a second time finds the same partij (no duplicate)', async () => {
      const k = await ensureKlant({ bsn }, 'bsn', bsn);
      assert.equal(k.id, persoonKlant.id);
      const page = kissPage(await get(`/partijen?${q({ soortPartij: 'persoon' })}`), 'all personen');
      assert.equal(page.count, 1);
    });

    it('read klant: GET partijen/{u}?expand=digitaleAdressen, then each partij-identificator', async () => {
      await post('/digitaleadressen', { verstrektDoorPartij: { uuid: persoonKlant.id }, adres: 'jan@example.nl', soortDigitaalAdres: 'email' });
      await post('/digitaleadressen', { verstrektDoorPartij: { uuid: persoonKlant.id }, adres: '0612345678', soortDigitaalAdres: 'telefoonnummer' });
      const p = expectStatus(await get(`/partijen/${persoonKlant.id}?${q({ expand: 'digitaleAdressen' })}`), 200);
      const k = await mapPartijToKlant(p);
      assert.deepEqual(k.emailadressen, ['jan@example.nl']);
      assert.deepEqual(k.telefoonnummers, ['0612345678']);
      assert.equal(k.bsn, bsn);
      assert.equal(p.partijIdentificatoren.length, 1);
      assert.match(p.partijIdentificatoren[0].uuid, UUID_RE);
    });

    it('vestiging: kvk identificator created without partij, vestiging under it; found by vestigingsnummer with its kvk', async () => {
      assert.equal(await findKlant('vestiging', vestA, kvkA), null);
      assert.equal(await findIdentificator('kvk_nummer', kvkA), null);
      const { partij, klant, ids } = await createKlant({ vestigingsnummer: vestA, kvkNummer: kvkA });
      assert.equal(partij.soortPartij, 'organisatie');
      assert.equal(partij.partijIdentificatie.naam, '');
      assert.equal(klant.vestigingsnummer, vestA);
      assert.equal(klant.kvkNummer, kvkA);
      const kvk = await findIdentificator('kvk_nummer', kvkA);
      assert.ok(kvk, 'the kvk identificator exists');
      assert.equal(kvk.identificeerdePartij, null);
      assert.equal(ids[0].subIdentificatorVan.uuid, kvk.uuid);
      orgVestiging = await findKlant('vestiging', vestA, kvkA);
      assert.ok(orgVestiging);
      assert.equal(orgVestiging.id, partij.uuid);
      assert.equal(orgVestiging.kvkNummer, kvkA);
      assert.equal(await findKlant('vestiging', vestA, '12345678'), null, 'another kvk does not match client-side');
    });

    it('kvk: not found as organisatie → create, and the existing kvk identificator is linked via GET + PUT', async () => {
      assert.equal(await findKlant('kvk', kvkA), null, 'an identificator without partij finds no partij');
      const before = await findIdentificator('kvk_nummer', kvkA);
      const { partij, ids } = await createKlant({ kvkNummer: kvkA });
      assert.equal(ids[0].uuid, before.uuid, 'the same identificator was updated');
      assert.equal(ids[0].identificeerdePartij.uuid, partij.uuid);
      orgKvk = await findKlant('kvk', kvkA);
      assert.equal(orgKvk.id, partij.uuid);
      assert.equal(orgKvk.kvkNummer, kvkA);
      // the vestiging keeps pointing at it as its parent
      const again = await findKlant('vestiging', vestA, kvkA);
      assert.equal(again.id, orgVestiging.id);
    });

    it('kvk with a fresh number: POST identificator directly', async () => {
      const { klant } = await createKlant({ kvkNummer: '12345678' });
      assert.equal(klant.kvkNummer, '12345678');
      assert.equal((await findKlant('kvk', '12345678')).id, klant.id);
    });
  });

  describe('contactmoment and history', () => {
    let kc1;
    let kc2;
    let kcAnon;
    let actorUuid;

    it('POST klantcontacten (KISS body, plaatsgevondenOp with milliseconds) → 201', async () => {
      kc1 = await saveKlantContact('telefoon', 'Vraag over afvalpas (pas kwijt)', 'Inwoner belt over een nieuwe afvalpas.');
      assert.match(kc1.uuid, UUID_RE);
      assert.equal(kc1.kanaal, 'telefoon');
      assert.equal(kc1.indicatieContactGelukt, true);
      kc2 = await saveKlantContact('e-mail', 'Parkeervergunning', 'Vraag over de parkeervergunning.');
      kcAnon = await saveKlantContact('balie', 'Anonieme vraag', '');
    });

    it('the BFF finds or creates the medewerker (extra medewerkerIdentificatie ignored) and links it', async () => {
      actorUuid = await linkMedewerker(kc1, medewerkerEmail, 'Marieke de Vries');
      const second = await linkMedewerker(kc2, medewerkerEmail, 'Marieke de Vries');
      assert.equal(second, actorUuid, 'the second contactmoment reuses results[0]');
      const page = kissPage(await get(`/actoren?${q({ actoridentificatorObjectId: medewerkerEmail })}`), 'actoren');
      assert.equal(page.count, 1);
      const kc = await fetchKlantcontact(kc1.uuid);
      assert.equal(kc.hadBetrokkenActoren.length, 1);
      const a = kc.hadBetrokkenActoren[0];
      assert.equal(a.uuid, actorUuid);
      assert.equal(a.soortActor, 'medewerker');
      assert.equal(a.naam, 'Marieke de Vries');
      assert.equal(a.actoridentificator.objectId, medewerkerEmail);
    });

    it('POST betrokkenen with empty-string contactnaam fields, for a partij and anonymous', async () => {
      const b1 = await saveBetrokkene({ partijId: persoonKlant.id, klantcontactId: kc1.uuid });
      assert.deepEqual(b1.contactnaam, { voorletters: '', voornaam: '', voorvoegselAchternaam: '', achternaam: '' });
      assert.equal(b1.wasPartij.uuid, persoonKlant.id);
      await saveBetrokkene({ partijId: persoonKlant.id, klantcontactId: kc2.uuid, voornaam: 'Jan', achternaam: 'Jansen' });
      const anon = await saveBetrokkene({ klantcontactId: kcAnon.uuid, voornaam: 'Piet', voorvoegselAchternaam: 'de', achternaam: 'Boer' });
      assert.equal(anon.wasPartij, null);
      assert.equal(anon.contactnaam.voorletters, 'P');
      assert.equal(anon.volledigeNaam, 'Piet de Boer');
    });

    it('POST onderwerpobjecten per zaak (wasKlantcontact null)', async () => {
      const o = await postOnderwerpobject(kc1.uuid, zaak1);
      assert.equal(o.klantcontact.uuid, kc1.uuid);
      assert.equal(o.wasKlantcontact, null);
      assert.equal(o.onderwerpobjectidentificator.objectId, zaak1);
      await postOnderwerpobject(kc1.uuid, zaak2);
      await postOnderwerpobject(kc2.uuid, zaak1);
    });

    it('history: betrokkenen?wasPartij__url=…&pageSize=100, then each klantcontact with expand', async () => {
      const partijUrl = `${srv.api}/partijen/${persoonKlant.id}`;
      const page = kissPage(await get(`/betrokkenen?${q({ wasPartij__url: partijUrl, pageSize: '100' })}`), 'history');
      assert.equal(page.count, 2);
      const seen = [];
      for (const b of page.results) {
        assert.equal(b.wasPartij.uuid, persoonKlant.id);
        assert.ok(Array.isArray(b.digitaleAdressen));
        const kc = await fetchKlantcontact(b.hadKlantcontact.uuid, ['gingOverOnderwerpobjecten']);
        seen.push(kc.uuid);
        for (const o of kc._expand.gingOverOnderwerpobjecten) {
          assert.equal(o.onderwerpobjectidentificator.codeObjecttype, 'zgw-Zaak');
        }
        const withTaken = await fetchKlantcontact(b.hadKlantcontact.uuid, ['leiddeTotInterneTaken', 'gingOverOnderwerpobjecten']);
        assert.deepEqual(withTaken._expand.leiddeTotInterneTaken, [], 'a contactmoment led to no interne taak');
      }
      assert.deepEqual(seen.sort(), [kc1.uuid, kc2.uuid].sort());
      const k1 = await fetchKlantcontact(kc1.uuid, ['gingOverOnderwerpobjecten']);
      assert.deepEqual(k1._expand.gingOverOnderwerpobjecten.map((o) => o.onderwerpobjectidentificator.objectId).sort(), [zaak1, zaak2].sort());
    });

    it('an empty ?expand= (KISS with an empty expand list) and a bare ? are accepted', async () => {
      const kc = await fetchKlantcontact(kc1.uuid, []);
      assert.equal(kc.uuid, kc1.uuid);
      const res = await get(`/klantcontacten/${kc1.uuid}?`);
      expectStatus(res, 200);
      const list = kissPage(await get('/klantcontacten?expand='), 'list with empty expand');
      assert.equal(list.count, 3);
    });

    it('by zaak: klantcontacten?onderwerpobject__onderwerpobjectidentificatorObjectId=<zaak>&expand=gingOverOnderwerpobjecten', async () => {
      const page = kissPage(await get(`/klantcontacten?${q({ onderwerpobject__onderwerpobjectidentificatorObjectId: zaak1,
        expand: 'gingOverOnderwerpobjecten' })}`), 'by zaak');
      assert.deepEqual(page.results.map((k) => k.uuid).sort(), [kc1.uuid, kc2.uuid].sort());
      for (const k of page.results) {
        assert.ok(k._expand.gingOverOnderwerpobjecten.some((o) => o.onderwerpobjectidentificator.objectId === zaak1));
      }
      const two = kissPage(await get(`/klantcontacten?${q({ onderwerpobject__onderwerpobjectidentificatorObjectId: zaak2 })}`), 'zaak2');
      assert.deepEqual(two.results.map((k) => k.uuid), [kc1.uuid]);
    });

    it('klantcontacten?hadBetrokkene__uuid (KISS fetchKlantcontacten)', async () => {
      const b = kissPage(await get(`/betrokkenen?${q({ hadKlantcontact__uuid: kcAnon.uuid })}`), 'betrokkenen of anon');
      assert.equal(b.count, 1);
      const page = kissPage(await get(`/klantcontacten?${q({ hadBetrokkene__uuid: b.results[0].uuid, expand: 'hadBetrokkenen' })}`), 'by betrokkene');
      assert.deepEqual(page.results.map((k) => k.uuid), [kcAnon.uuid]);
      assert.equal(page.results[0]._expand.hadBetrokkenen[0].volledigeNaam, 'Piet de Boer');
    });
  });

  describe('contactverzoek and searching contactverzoeken', () => {
    const adres = 'terugbellen@example.nl';
    const verzoeken = [];
    let afdeling;
    let medewerker;

    it('actor lookup by the four actoridentificator filters: created once, found afterwards, no cross-match', async () => {
      // a decoy with the same objectId in another register must not match
      await post('/actoren', { naam: 'Decoy', soortActor: 'medewerker', indicatieActief: true,
        actoridentificator: { objectId: 'afd-burgerzaken', codeObjecttype: 'mdw', codeRegister: 'handmatig', codeSoortObjectId: 'email' } });
      afdeling = await getOrCreateActor('Burgerzaken', 'afd-burgerzaken', 'afdeling');
      assert.equal(afdeling.created, true);
      const again = await getOrCreateActor('Burgerzaken', 'afd-burgerzaken', 'afdeling');
      assert.deepEqual(again, { uuid: afdeling.uuid, created: false });
      medewerker = await getOrCreateActor('Marieke de Vries', medewerkerEmail, 'medewerker');
      assert.equal(medewerker.created, true, 'the msei actor of the contactmoment has another register');
      const a = expectStatus(await get(`/actoren/${afdeling.uuid}`), 200);
      assert.equal(a.soortActor, 'organisatorische_eenheid');
    });

    it('three contactverzoeken: klantcontact, betrokkene, digitaleadressen, internetaak with nummer "" (no clash)', async () => {
      for (let i = 0; i < 3; i++) {
        const kc = await saveKlantContact('telefoon', `Terugbelverzoek ${i}`, `Graag terugbellen ${i}`);
        const b = await saveBetrokkene({ partijId: i === 0 ? persoonKlant.id : undefined, klantcontactId: kc.uuid,
          voornaam: 'Kees', achternaam: `Klant${i}` });
        const adressen = await saveDigitaleAdressen([
          { adres, soortDigitaalAdres: 'email' },
          { adres: '0201234567', soortDigitaalAdres: 'telefoonnummer', omschrijving: 'werk' },
        ], b.uuid);
        const actoren = i === 2 ? [afdeling.uuid] : [medewerker.uuid, afdeling.uuid];
        const taak = await saveInternetaak(`Toelichting ${i}`, kc.uuid, actoren);
        assert.match(taak.uuid, UUID_RE);
        assert.ok(taak.nummer === null || taak.nummer === '' || typeof taak.nummer === 'string');
        assert.deepEqual(taak.toegewezenAanActoren.map((x) => x.uuid), actoren);
        assert.equal(taak.toegewezenAanActor.uuid, actoren[0], 'toegewezenAanActor is the first actor');
        assert.equal(taak.status, 'te_verwerken');
        assert.equal(taak.afgehandeldOp, null);
        assert.equal(typeof taak.toegewezenOp, 'string');
        verzoeken.push({ kc, b, adressen, taak, actoren });
      }
      // an adres that only contains the searched one must not be found by the exact filter
      await saveDigitaleAdressen([{ adres: `x${adres}`, soortDigitaalAdres: 'email' }], verzoeken[0].b.uuid);
    });

    it('101 more adressen with the same adres (a contactmoment betrokkene) make a second page', async () => {
      const kc = await saveKlantContact('e-mail', 'Veel adressen', '');
      const b = await saveBetrokkene({ klantcontactId: kc.uuid });
      await Promise.all(Array.from({ length: 101 }, () => srv.req('POST', '/digitaleadressen', { body: {
        verstrektDoorBetrokkene: { uuid: b.uuid }, verstrektDoorPartij: null, adres, soortDigitaalAdres: 'email', omschrijving: 'onbekend' } })
        .then((r) => expectStatus(r, 201))));
    });

    it('search: digitaleadressen?adres=…&page=N&expand=verstrektDoorBetrokkene until next is null, then the KISS reads', async () => {
      const all = [];
      let page = 1;
      for (;;) {
        const p = kissPage(await get(`/digitaleadressen?${q({ adres, page: String(page) })}&expand=verstrektDoorBetrokkene`), `search page ${page}`);
        assert.equal(p.count, 104);
        all.push(...p.results);
        if (page === 1) {
          assert.equal(p.previous, null);
          assert.ok(p.next, 'a second page');
          const n = new URL(p.next);
          assert.equal(n.searchParams.get('page'), '2');
          assert.equal(n.searchParams.get('adres'), adres);
          assert.equal(n.searchParams.get('expand'), 'verstrektDoorBetrokkene');
        }
        if (p.next === null) break;
        page += 1;
        assert.ok(page < 5, 'pagination ends');
      }
      assert.equal(page, 2);
      assert.equal(all.length, 104);
      assert.equal(new Set(all.map((a) => a.uuid)).size, 104, 'no adres twice across pages');
      for (const a of all) {
        assert.equal(a.adres, adres);
        assert.equal(a.soortDigitaalAdres, 'email');
        assert.ok(a._expand && 'verstrektDoorBetrokkene' in a._expand, `_expand.verstrektDoorBetrokkene: ${JSON.stringify(a._expand)}`);
      }

      // KISS: enrichBetrokkeneWithKlantContact → filterOutContactmomenten → actoren → digitale adressen
      const found = [];
      const betrokkenen = new Map();
      for (const a of all) {
        const b = a._expand.verstrektDoorBetrokkene;
        assert.ok(b && b.hadKlantcontact, 'an adres of a betrokkene expands it');
        betrokkenen.set(b.uuid, b);
      }
      for (const b of betrokkenen.values()) {
        const kc = await fetchKlantcontact(b.hadKlantcontact.uuid, ['leiddeTotInterneTaken', 'gingOverOnderwerpobjecten']);
        if (!kc._expand.leiddeTotInterneTaken.length) continue; // a contactmoment, not a verzoek
        const taak = kc._expand.leiddeTotInterneTaken[0];
        const actoren = [];
        for (const ref of taak.toegewezenAanActoren) {
          const actor = expectStatus(await get(`/actoren/${ref.uuid}`), 200);
          assert.equal(typeof actor.soortActor, 'string');
          assert.equal(typeof actor.naam, 'string');
          actoren.push(actor);
        }
        const shown = actoren.find((x) => x.soortActor === 'medewerker') || actoren.find((x) => x.soortActor === 'organisatorische_eenheid');
        const expanded = [];
        for (const da of b.digitaleAdressen) {
          const d = expectStatus(await get(`/digitaleadressen/${da.uuid}?`), 200);
          assert.equal(typeof d.adres, 'string');
          assert.equal(typeof d.soortDigitaalAdres, 'string');
          expanded.push(d);
        }
        found.push({ kc, taak, shown, expanded });
      }
      assert.equal(found.length, 3, 'the three contactverzoeken, not the contactmoment');
      for (const v of verzoeken) {
        const f = found.find((x) => x.kc.uuid === v.kc.uuid);
        assert.ok(f, `contactverzoek ${v.kc.onderwerp} found`);
        assert.equal(f.taak.uuid, v.taak.uuid);
        assert.equal(f.taak.toelichting, v.taak.toelichting);
        assert.equal(f.shown.uuid, v.actoren.length === 2 ? medewerker.uuid : afdeling.uuid);
        assert.deepEqual(f.expanded.map((d) => d.adres).sort(), (v === verzoeken[0]
          ? [adres, `x${adres}`, '0201234567'] : [adres, '0201234567']).sort());
      }
    });
  });
});
