// Every operation of the official OpenAPI file answers one of its declared success statuses at
// least once, with fully populated objects (every optional field filled, every expand), so that each
// declared 2xx response schema — not only the ones other files happen to reach — goes through the
// harness's conformance check (lib/spec-validator.mjs). Driven by the spec: an operation the spec
// declares and this file does not reach fails the last test.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startServer, expectStatus, validNine } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const spec = JSON.parse(readFileSync(join(here, '../../../src/api/klantinteracties/openapi.json'), 'utf8'));

/** operationId → {method, template, statuses}, for every operation of the spec. */
const OPS = new Map();
for (const [template, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (op && op.operationId) {
      OPS.set(op.operationId, { method: method.toUpperCase(), template,
        statuses: Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s)).map(Number) });
    }
  }
}
const TEMPLATES = [...OPS.entries()].map(([id, o]) => ({ id, ...o,
  re: new RegExp(`^${o.template.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
/** operationId → set of 2xx statuses seen. */
const reached = new Map();

let srv;
/** A request whose 2xx answers are recorded per operation (the harness validates every answer). */
async function call(method, path, body, status) {
  const res = await srv.req(method, path, body === undefined ? {} : { body });
  const got = expectStatus(res, status, `${method} ${path} ${body ? JSON.stringify(body).slice(0, 300) : ''}`);
  const bare = path.split('?')[0];
  const op = TEMPLATES.find((t) => t.method === method && t.re.test(bare));
  assert.ok(op, `${method} ${bare} is no operation of the spec`);
  if (!reached.has(op.id)) reached.set(op.id, new Set());
  reached.get(op.id).add(status);
  return got;
}

const ident = (objectId, over = {}) => ({ objectId, codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid', ...over });
const adres = (n) => ({ nummeraanduidingId: `036320000012345${n}`, straatnaam: 'Amstel', huisnummer: 1 + n, huisnummertoevoeging: 'A',
  postcode: '1011 PN', stad: 'Amsterdam', adresregel1: `Amstel ${1 + n}A`, adresregel2: '1011 PN Amsterdam', adresregel3: 'Nederland', land: 'NL' });
const contactnaam = { voorletters: 'J', voornaam: 'Jan', voorvoegselAchternaam: 'van der', achternaam: 'Berg' };

describe('every operation of the spec, with fully populated objects', () => {
  const o = {}; // the objects created, by name
  before(async () => { srv = await startServer(); });
  after(async () => { if (srv) await srv.stop(); });

  // Bodies, as functions of the objects created before them. PUT sends the same body again.
  const bodies = {
    persoon: () => ({ soortPartij: 'persoon', nummer: '7001', interneNotitie: 'notitie', indicatieGeheimhouding: true,
      voorkeurstaal: 'nld', indicatieActief: true, bezoekadres: adres(1), correspondentieadres: adres(2),
      partijIdentificatie: { contactnaam } }),
    organisatie: () => ({ soortPartij: 'organisatie', indicatieActief: true, voorkeurstaal: 'eng',
      bezoekadres: adres(3), correspondentieadres: adres(4), partijIdentificatie: { naam: 'Bakkerij De Korenbloem' } }),
    contactpersoon: () => ({ soortPartij: 'contactpersoon', indicatieActief: true,
      partijIdentificatie: { werkteVoorPartij: { uuid: o.organisatie.uuid }, contactnaam } }),
    partijIdentificator: () => ({ identificeerdePartij: { uuid: o.persoon.uuid },
      partijIdentificator: { objectId: validNine(7), codeObjecttype: 'natuurlijk_persoon', codeRegister: 'brp', codeSoortObjectId: 'bsn' } }),
    digitaalAdresPartij: () => ({ verstrektDoorPartij: { uuid: o.persoon.uuid }, adres: 'jan@example.nl', soortDigitaalAdres: 'email',
      isStandaardAdres: true, omschrijving: 'privé', referentie: 'ref-1', verificatieDatum: '2024-04-01' }),
    rekeningnummer: () => ({ partij: { uuid: o.persoon.uuid }, iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' }),
    vertegenwoordiging: () => ({ vertegenwoordigendePartij: { uuid: o.organisatie.uuid }, vertegenwoordigdePartij: { uuid: o.persoon.uuid } }),
    categorie: () => ({ naam: 'Vaste klant' }),
    categorieRelatie: () => ({ partij: { uuid: o.persoon.uuid }, categorie: { uuid: o.categorie.uuid },
      beginDatum: '2024-01-01', eindDatum: '2025-01-01' }),
    klantcontact: () => ({ nummer: '8001', kanaal: 'telefoon', onderwerp: 'Verhuizing', inhoud: 'Belt over verhuizing.',
      indicatieContactGelukt: true, taal: 'nld', vertrouwelijk: false, plaatsgevondenOp: '2024-05-01T10:00:00Z',
      referentienummer: '1001', hoofdOnderwerpType: 'https://catalogi.example/api/v1/zaaktypen/1' }),
    betrokkene: () => ({ wasPartij: { uuid: o.persoon.uuid }, hadKlantcontact: { uuid: o.klantcontact.uuid },
      bezoekadres: adres(5), correspondentieadres: adres(6), contactnaam, rol: 'klant', organisatienaam: 'Korenbloem', initiator: true }),
    digitaalAdresBetrokkene: () => ({ verstrektDoorBetrokkene: { uuid: o.betrokkene.uuid }, verstrektDoorPartij: null,
      adres: '0612345678', soortDigitaalAdres: 'telefoonnummer', omschrijving: 'mobiel', referentie: 'ref-2' }),
    medewerker: () => ({ naam: 'Marieke de Vries', soortActor: 'medewerker', indicatieActief: true,
      actoridentificator: { objectId: 'mdv', codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' },
      actorIdentificatie: { functie: 'KCC', emailadres: 'mdv@gemeente.example', telefoonnummer: '0201234567' } }),
    afdeling: () => ({ naam: 'Burgerzaken', soortActor: 'organisatorische_eenheid', indicatieActief: true,
      actoridentificator: { objectId: 'bz', codeObjecttype: 'afd', codeRegister: 'obj', codeSoortObjectId: 'idf' },
      actorIdentificatie: { omschrijving: 'Burgerzaken', emailadres: 'bz@gemeente.example', faxnummer: '0209999999', telefoonnummer: '+31201234567' } }),
    bot: () => ({ naam: 'Chatbot', soortActor: 'geautomatiseerde_actor', indicatieActief: false,
      actoridentificator: { objectId: 'bot', codeObjecttype: 'bot', codeRegister: 'obj', codeSoortObjectId: 'idf' },
      actorIdentificatie: { functie: 'chatbot', omschrijving: 'Beantwoordt vragen' } }),
    actorklantcontact: () => ({ actor: { uuid: o.medewerker.uuid }, klantcontact: { uuid: o.klantcontact.uuid } }),
    onderwerpobject: () => ({ klantcontact: { uuid: o.klantcontact.uuid }, wasKlantcontact: { uuid: o.klantcontact2.uuid },
      onderwerpobjectidentificator: ident(crypto.randomUUID()) }),
    bijlage: () => ({ wasBijlageVanKlantcontact: { uuid: o.klantcontact.uuid },
      bijlageidentificator: { objectId: 'doc-1', codeObjecttype: 'enkelvoudiginformatieobject', codeRegister: 'drc', codeSoortObjectId: 'uuid' } }),
    internetaak: () => ({ nummer: '9001', gevraagdeHandeling: 'Terugbellen', aanleidinggevendKlantcontact: { uuid: o.klantcontact.uuid },
      toegewezenAanActoren: [{ uuid: o.medewerker.uuid }, { uuid: o.afdeling.uuid }], toelichting: 'graag vandaag', status: 'verwerkt',
      afgehandeldOp: '2024-05-02T09:30:00Z' }),
  };
  // name → collection, in creation order (later ones refer to earlier ones).
  const ORDER = [
    ['organisatie', 'partijen'], ['persoon', 'partijen'], ['contactpersoon', 'partijen'],
    ['partijIdentificator', 'partij-identificatoren'], ['digitaalAdresPartij', 'digitaleadressen'],
    ['rekeningnummer', 'rekeningnummers'], ['vertegenwoordiging', 'vertegenwoordigingen'],
    ['categorie', 'categorieen'], ['categorieRelatie', 'categorie-relaties'],
    ['klantcontact', 'klantcontacten'], ['klantcontact2', 'klantcontacten'], ['betrokkene', 'betrokkenen'],
    ['digitaalAdresBetrokkene', 'digitaleadressen'], ['medewerker', 'actoren'], ['afdeling', 'actoren'], ['bot', 'actoren'],
    ['actorklantcontact', 'actorklantcontacten'], ['onderwerpobject', 'onderwerpobjecten'], ['bijlage', 'bijlagen'],
    ['internetaak', 'internetaken'],
  ];
  bodies.klantcontact2 = () => ({ ...bodies.klantcontact(), nummer: '8002', referentienummer: '1002' });

  it('POST every resource (201), and POST /maak-klantcontact', async () => {
    for (const [name, coll] of ORDER) o[name] = await call('POST', `/${coll}`, bodies[name](), 201);
    // the partij's preferences point at its own adres and rekeningnummer
    await call('PATCH', `/partijen/${o.persoon.uuid}`, { voorkeursDigitaalAdres: { uuid: o.digitaalAdresPartij.uuid },
      voorkeursRekeningnummer: { uuid: o.rekeningnummer.uuid } }, 200);
    const m = await call('POST', '/maak-klantcontact', { klantcontact: { ...bodies.klantcontact(), nummer: '8003', referentienummer: '1003' },
      betrokkene: { wasPartij: { uuid: o.persoon.uuid }, rol: 'klant', initiator: true, contactnaam },
      onderwerpobject: { onderwerpobjectidentificator: ident(crypto.randomUUID()) } }, 201);
    assert.ok(m.klantcontact && m.betrokkene && m.onderwerpobject);
  });

  it('GET every list, plain and with every expand, and every object by uuid', async () => {
    // every expand value the spec declares for the collection
    const expands = {};
    for (const [template, item] of Object.entries(spec.paths)) {
      const e = item.get && (item.get.parameters || []).find((p) => p.name === 'expand');
      if (e && !template.includes('{')) expands[template.slice(1)] = e.schema.items.enum.join(',');
    }
    assert.deepEqual(Object.keys(expands).sort(), ['betrokkenen', 'digitaleadressen', 'klantcontacten', 'partijen']);
    const colls = [...new Set(ORDER.map(([, c]) => c))];
    for (const coll of colls) {
      const page = await call('GET', `/${coll}`, undefined, 200);
      assert.ok(page.count > 0, `${coll} lists what was created`);
      if (expands[coll]) await call('GET', `/${coll}?expand=${expands[coll]}`, undefined, 200);
    }
    for (const [name, coll] of ORDER) {
      await call('GET', `/${coll}/${o[name].uuid}`, undefined, 200);
      if (expands[coll]) await call('GET', `/${coll}/${o[name].uuid}?expand=${expands[coll]}`, undefined, 200);
    }
  });

  it('PUT (the full body again) and PATCH every resource → 200', async () => {
    const patches = {
      partijen: { indicatieActief: true }, 'partij-identificatoren': { identificeerdePartij: { uuid: o.persoon.uuid } },
      digitaleadressen: { omschrijving: 'gewijzigd' }, rekeningnummers: { bic: 'INGBNL2A' },
      vertegenwoordigingen: { vertegenwoordigdePartij: { uuid: o.persoon.uuid } }, categorieen: { naam: 'Vaste klant 2' },
      'categorie-relaties': { eindDatum: '2026-01-01' }, klantcontacten: { inhoud: 'gewijzigd' }, betrokkenen: { rol: 'klant' },
      actoren: { indicatieActief: true }, actorklantcontacten: { actor: { uuid: o.afdeling.uuid } },
      onderwerpobjecten: { wasKlantcontact: null }, bijlagen: { bijlageidentificator: { objectId: 'doc-2', codeObjecttype: 'foto', codeRegister: 'fs', codeSoortObjectId: 'pad' } },
      internetaken: { toelichting: 'gewijzigd' },
    };
    for (const [name, coll] of ORDER) {
      await call('PUT', `/${coll}/${o[name].uuid}`, bodies[name](), 200);
      await call('PATCH', `/${coll}/${o[name].uuid}`, patches[coll], 200);
    }
  });

  it('DELETE every resource → 204 (and onderwerpobjecten?cascade=true → 200)', async () => {
    const cascade = await call('POST', '/onderwerpobjecten', { klantcontact: { uuid: o.klantcontact2.uuid },
      onderwerpobjectidentificator: ident(crypto.randomUUID()) }, 201);
    const kept = await call('DELETE', `/onderwerpobjecten/${cascade.uuid}?cascade=true`, undefined, 200);
    assert.ok(kept && Array.isArray(kept.behouden), `cascade answers {behouden: [...]}: ${JSON.stringify(kept)}`);
    // dependants first
    for (const [name, coll] of [...ORDER].reverse()) {
      if (name === 'klantcontact2') continue; // removed by the cascade
      await call('DELETE', `/${coll}/${o[name].uuid}`, undefined, 204);
    }
  });

  it('every operation of the spec was reached with each of its declared 2xx statuses', () => {
    const missing = [];
    for (const [id, op] of OPS) {
      for (const s of op.statuses) if (!reached.get(id)?.has(s)) missing.push(`${id} (${op.method} ${op.template}) ${s}`);
    }
    assert.deepEqual(missing, [], `operations whose success response this run never validated:\n${missing.join('\n')}`);
  });
});
