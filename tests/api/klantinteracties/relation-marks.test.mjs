// The to-many relations a row shows (hadBetrokkenen, digitaleAdressen, hadBetrokkenActoren …)
// stay right through every kind of change. The store keeps per row which relations have rows at
// all (schema 13, child_mask, kept by triggers) and skips the queries of the empty ones; so every
// way a child can appear, move or disappear is checked here, both on GET and on a list page
// (which reads the children of all its rows at once).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, create, expectStatus, klantcontactBody, persoonBody,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const get = async (path) => expectStatus(await srv.req('GET', path), 200, `GET ${path}`);
const del = async (path) => expectStatus(await srv.req('DELETE', path), 204, `DELETE ${path}`);
const refs = (arr) => arr.map((x) => x.uuid).sort();
const actorBody = (naam) => ({ naam, soortActor: 'organisatorische_eenheid', indicatieActief: true,
  actoridentificator: { objectId: naam, codeObjecttype: 'afd', codeRegister: 'obj', codeSoortObjectId: 'idf' } });

/* The uuids row `uuid` of `resource` shows in `field`, read by GET and from a list page of
 * `listQuery` (which must hold the row and at least one other); both must agree. */
async function shown(resource, uuid, field, listQuery) {
  const one = await get(`/${resource}/${uuid}`);
  const page = await get(`/${resource}?${listQuery}`);
  assert.ok(page.results.length >= 2, `the list page of ${resource} has more than this row`);
  const inPage = page.results.find((r) => r.uuid === uuid);
  assert.ok(inPage, `${uuid} is on the list page of ${resource}?${listQuery}`);
  assert.deepEqual(refs(inPage[field]), refs(one[field]), `${resource}.${field}: list page and GET agree`);
  return refs(one[field]);
}

describe('relations of klantcontacten', () => {
  const tag = 'relmarks';
  const list = `onderwerp=${tag}&pageSize=100`;
  let k1;
  let k2;
  let partij;
  before(async () => {
    k1 = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: `${tag} 1` }));
    k2 = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: `${tag} 2` }));
    partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'partijen', persoonBody()); // a second row for the partijen list page
  });
  const betrokkene = (kc, over = {}) => create(srv, 'betrokkenen',
    { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: partij.uuid }, rol: 'klant', initiator: true, ...over });

  it('a new klantcontact shows every relation empty', async () => {
    for (const f of ['hadBetrokkenen', 'gingOverOnderwerpobjecten', 'omvatteBijlagen', 'leiddeTotInterneTaken', 'hadBetrokkenActoren']) {
      assert.deepEqual(await shown('klantcontacten', k1.uuid, f, list), [], f);
    }
  });

  it('betrokkenen: added, a second added, one deleted, the last deleted', async () => {
    const a = await betrokkene(k1);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenen', list), [a.uuid]);
    const b = await betrokkene(k1);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenen', list), refs([a, b]));
    await del(`/betrokkenen/${a.uuid}`);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenen', list), [b.uuid]);
    await del(`/betrokkenen/${b.uuid}`);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenen', list), []);
  });

  it('a betrokkene moved to another klantcontact by PATCH leaves the first and shows on the second', async () => {
    const b = await betrokkene(k1);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenen', list), [b.uuid]);
    expectStatus(await srv.req('PATCH', `/betrokkenen/${b.uuid}`, { body: { hadKlantcontact: { uuid: k2.uuid } } }), 200);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenen', list), []);
    assert.deepEqual(await shown('klantcontacten', k2.uuid, 'hadBetrokkenen', list), [b.uuid]);
    await del(`/betrokkenen/${b.uuid}`);
  });

  it('actors linked through actorklantcontacten appear and disappear', async () => {
    const actor = await create(srv, 'actoren', actorBody('relmarks-actor'));
    const link = await create(srv, 'actorklantcontacten', { actor: { uuid: actor.uuid }, klantcontact: { uuid: k1.uuid } });
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenActoren', list), [actor.uuid]);
    await del(`/actorklantcontacten/${link.uuid}`);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'hadBetrokkenActoren', list), []);
  });

  it('onderwerpobjecten, bijlagen and interne taken appear and disappear', async () => {
    const ow = await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: k1.uuid },
      onderwerpobjectidentificator: { objectId: 'zaak-rm', codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid' } });
    const bijlage = await create(srv, 'bijlagen', { wasBijlageVanKlantcontact: { uuid: k1.uuid },
      bijlageidentificator: { objectId: 'doc-rm', codeObjecttype: 'doc', codeRegister: 'drc', codeSoortObjectId: 'uuid' } });
    const actor = await create(srv, 'actoren', actorBody('relmarks-taak'));
    const taak = await create(srv, 'internetaken', { gevraagdeHandeling: 'Terugbellen', aanleidinggevendKlantcontact: { uuid: k1.uuid },
      toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'te_verwerken' });
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'gingOverOnderwerpobjecten', list), [ow.uuid]);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'omvatteBijlagen', list), [bijlage.uuid]);
    assert.deepEqual(await shown('klantcontacten', k1.uuid, 'leiddeTotInterneTaken', list), [taak.uuid]);
    await del(`/onderwerpobjecten/${ow.uuid}`);
    await del(`/bijlagen/${bijlage.uuid}`);
    await del(`/internetaken/${taak.uuid}`);
    for (const f of ['gingOverOnderwerpobjecten', 'omvatteBijlagen', 'leiddeTotInterneTaken']) {
      assert.deepEqual(await shown('klantcontacten', k1.uuid, f, list), [], f);
    }
  });

  it('deleting a klantcontact removes its betrokkenen from their partij (cascade)', async () => {
    const k3 = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: `${tag} 3` }));
    const b = await betrokkene(k3);
    const partijen = 'pageSize=100';
    assert.ok((await shown('partijen', partij.uuid, 'betrokkenen', partijen)).includes(b.uuid));
    await del(`/klantcontacten/${k3.uuid}`);
    assert.ok(!(await shown('partijen', partij.uuid, 'betrokkenen', partijen)).includes(b.uuid));
    expectStatus(await srv.req('GET', `/betrokkenen/${b.uuid}`), 404);
  });
});

describe('relations of partijen, betrokkenen and interne taken', () => {
  it('partijIdentificatoren given with the partij, then replaced by PUT', async () => {
    await create(srv, 'partijen', persoonBody()); // a second row for the list page
    const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
      codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: '111222333', codeRegister: 'brp' } }] }));
    const shownIds = await shown('partijen', p.uuid, 'partijIdentificatoren', 'pageSize=100');
    assert.equal(shownIds.length, 1);
    assert.deepEqual(shownIds, refs(p.partijIdentificatoren));
    const body = { ...persoonBody(), partijIdentificatoren: [] };
    expectStatus(await srv.req('PUT', `/partijen/${p.uuid}`, { body }), 200);
    assert.deepEqual(await shown('partijen', p.uuid, 'partijIdentificatoren', 'pageSize=100'), []);
  });

  it('digitale adressen of a partij and of a betrokkene; moving one from partij to betrokkene', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'relmarks da' }));
    const b = await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: false });
    const da = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'rm@example.nl', soortDigitaalAdres: 'email' });
    assert.deepEqual(await shown('partijen', p.uuid, 'digitaleAdressen', 'pageSize=100'), [da.uuid]);
    assert.deepEqual(await shown('betrokkenen', b.uuid, 'digitaleAdressen', 'pageSize=100'), []);
    expectStatus(await srv.req('PATCH', `/digitaleadressen/${da.uuid}`, { body: {
      verstrektDoorPartij: null, verstrektDoorBetrokkene: { uuid: b.uuid } } }), 200);
    assert.deepEqual(await shown('partijen', p.uuid, 'digitaleAdressen', 'pageSize=100'), []);
    assert.deepEqual(await shown('betrokkenen', b.uuid, 'digitaleAdressen', 'pageSize=100'), [da.uuid]);
    await del(`/betrokkenen/${b.uuid}`);
    const left = expectStatus(await srv.req('GET', `/digitaleadressen/${da.uuid}`), 200);
    assert.equal(left.verstrektDoorBetrokkene, null, 'the adres stays, without its betrokkene');
  });

  it('the actors of an interne taak follow a PATCH that replaces them', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'relmarks taak' }));
    const a1 = await create(srv, 'actoren', actorBody('relmarks-a1'));
    const a2 = await create(srv, 'actoren', actorBody('relmarks-a2'));
    await create(srv, 'internetaken', { gevraagdeHandeling: 'Ander', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: a1.uuid }], status: 'te_verwerken' });
    const t = await create(srv, 'internetaken', { gevraagdeHandeling: 'Bellen', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: a1.uuid }], status: 'te_verwerken' });
    assert.deepEqual(await shown('internetaken', t.uuid, 'toegewezenAanActoren', 'pageSize=100'), [a1.uuid]);
    expectStatus(await srv.req('PATCH', `/internetaken/${t.uuid}`, { body: { toegewezenAanActoren: [{ uuid: a2.uuid }] } }), 200);
    assert.deepEqual(await shown('internetaken', t.uuid, 'toegewezenAanActoren', 'pageSize=100'), [a2.uuid]);
    expectStatus(await srv.req('PATCH', `/internetaken/${t.uuid}`, { body: { toegewezenAanActoren: [{ uuid: a1.uuid }, { uuid: a2.uuid }] } }), 200);
    assert.deepEqual(await shown('internetaken', t.uuid, 'toegewezenAanActoren', 'pageSize=100'), refs([a1, a2]));
    await del(`/actoren/${a2.uuid}`); // its links go with it
    assert.deepEqual(await shown('internetaken', t.uuid, 'toegewezenAanActoren', 'pageSize=100'), [a1.uuid]);
  });
});

// The marks themselves, after all of the above: each parent's bit must equal a recount, also
// where a child left (a bit left set would only cost a needless query, so the API cannot show it).
describe('the stored marks', () => {
  const RELATIONS = [
    ['partijen', 'betrokkenen', 'was_partij', 0], ['partijen', 'digitale_adressen', 'verstrekt_door_partij', 1],
    ['partijen', 'vertegenwoordigingen', 'vertegenwoordigende_partij', 2], ['partijen', 'rekeningnummers', 'partij', 3],
    ['partijen', 'partij_identificatoren', 'identificeerde_partij', 4],
    ['klantcontacten', 'onderwerpobjecten', 'klantcontact', 0], ['klantcontacten', 'actorklantcontacten', 'klantcontact', 1],
    ['klantcontacten', 'bijlagen', 'was_bijlage_van_klantcontact', 2], ['klantcontacten', 'betrokkenen', 'had_klantcontact', 3],
    ['klantcontacten', 'internetaken', 'aanleidinggevend_klantcontact', 4],
    ['betrokkenen', 'digitale_adressen', 'verstrekt_door_betrokkene', 0], ['internetaken', 'internetaak_actoren', 'internetaak', 0],
  ];
  it('every parent row has exactly the bits of the relations that have rows', () => {
    const sql = RELATIONS.map(([p, c, col, bit]) => `SELECT '${p}.${bit}', count(*) FROM ${p} t`
      + ` WHERE ((t.child_mask >> ${bit}) & 1) != CASE WHEN EXISTS (SELECT 1 FROM ${c} WHERE ${col} = t.uuid)`
      + ' THEN 1 ELSE 0 END').join(' UNION ALL ');
    const out = srv.sql(sql).trim().split('\n');
    assert.equal(out.length, RELATIONS.length);
    const wrong = out.filter((line) => !line.endsWith('|0'));
    assert.deepEqual(wrong, [], 'relations whose marks differ from a recount (relation|rows)');
    const set = srv.sql('SELECT count(*) FROM klantcontacten WHERE child_mask != 0');
    assert.ok(Number(set) > 0, 'some klantcontacten have marks set (the check is not vacuous)');
  });
});
