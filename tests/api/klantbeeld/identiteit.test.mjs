// Identity matching beyond the klantbeeld search: probable duplicates (two partijen sharing a
// phone number in any notation or an e-mail address in any case) and merging two partijen —
// everything moves, the partij that goes stays inactive with a note, the merge record keeps
// what is needed to undo it, and both persons get a Logboek Dataverwerkingen record.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, assertProblem, create, persoonBody, klantcontactBody } from '../lib/harness.mjs';

const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });

describe('duplicates and merging partijen', () => {
  let srv, beheerder, kcm, a, b, kc;
  before(async () => {
    srv = await startServer();
    beheerder = srv.createToken('fb', 'beheerder');
    kcm = srv.createToken('kcc', 'kcm');
    a = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990019')] }));
    b = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: a.uuid }, adres: '0612345678', soortDigitaalAdres: 'telefoonnummer', isStandaardAdres: true });
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: b.uuid }, adres: '+31612345678', soortDigitaalAdres: 'telefoonnummer', isStandaardAdres: true });
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: b.uuid }, adres: 'b@example.nl', soortDigitaalAdres: 'email' });
    kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'Verhuizing' }));
    await create(srv, 'betrokkenen', { wasPartij: { uuid: b.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
  });
  after(async () => { await srv.stop(); });

  it('lists the two partijen with the same phone number in other notations as probable duplicates', async () => {
    const page = expectStatus(await srv.req('GET', '/klantbeeld/api/v1/dubbelen', { base: true, token: beheerder }), 200);
    assert.equal(page.count, 1, JSON.stringify(page));
    const d = page.results[0];
    assert.deepEqual([d.partijA.uuid, d.partijB.uuid].sort(), [a.uuid, b.uuid].sort());
    assert.equal(d.soortDigitaalAdres, 'telefoonnummer');
    assertProblem(await srv.req('GET', '/klantbeeld/api/v1/dubbelen', { base: true, token: kcm }), 403);
  });

  it('refuses a merge without reason, with itself, with unknown fields, or of an unknown partij', async () => {
    const post = (body) => srv.req('POST', '/klantbeeld/api/v1/samenvoegingen', { base: true, token: beheerder, body });
    let res = await post({ behouden: a.uuid, opheffen: b.uuid });
    assertProblem(res, 400);
    assert.equal(res.json.invalidParams[0].name, 'reden');
    res = await post({ behouden: a.uuid, opheffen: a.uuid, reden: 'x' });
    assertProblem(res, 400);
    res = await post({ behouden: a.uuid, opheffen: b.uuid, reden: 'x', extra: true });
    assertProblem(res, 400);
    assert.equal(res.json.invalidParams[0].name, 'extra');
    res = await post({ behouden: a.uuid, opheffen: '00000000-0000-4000-8000-000000000000', reden: 'x' });
    assertProblem(res, 404);
    assertProblem(await srv.req('POST', '/klantbeeld/api/v1/samenvoegingen', { base: true, token: kcm,
      body: { behouden: a.uuid, opheffen: b.uuid, reden: 'x' } }), 403);
  });

  it('refuses to merge two persons with different BSNs, changing nothing', async () => {
    const c = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990020')] }));
    const res = await srv.req('POST', '/klantbeeld/api/v1/samenvoegingen', { base: true, token: beheerder,
      body: { behouden: a.uuid, opheffen: c.uuid, reden: 'zelfde telefoon' } });
    assertProblem(res, 409);
    const still = expectStatus(await srv.req('GET', `/partijen/${c.uuid}`), 200);
    assert.equal(still.indicatieActief, true);
    assert.equal(still.partijIdentificatoren.length, 1);
  });

  it('merges: addresses and contacts move, the other partij stays inactive, the record allows undoing', async () => {
    const res = await srv.req('POST', '/klantbeeld/api/v1/samenvoegingen', { base: true, token: beheerder,
      body: { behouden: a.uuid, opheffen: b.uuid, reden: 'Dubbel ingevoerd bij telefoongesprek' } });
    const m = expectStatus(res, 201, 'merge');
    assert.equal(m.behouden.uuid, a.uuid);
    assert.equal(m.opgeheven.uuid, b.uuid);
    assert.equal(m.uitgevoerdDoor, 'fb');
    assert.equal(m.opgehevenGegevens.uuid, b.uuid, 'the former partij as it was');
    assert.equal(m.verplaatst.digitaleAdressen.length, 2);
    assert.equal(m.verplaatst.betrokkenen.length, 1);

    const kept = expectStatus(await srv.req('GET', `/partijen/${a.uuid}`), 200);
    assert.equal(kept.digitaleAdressen.length, 3);
    assert.equal(kept.betrokkenen.length, 1);
    const defaults = [];
    for (const ref of kept.digitaleAdressen) {
      const da = expectStatus(await srv.req('GET', `/digitaleadressen/${ref.uuid}`), 200);
      if (da.isStandaardAdres) defaults.push(da.adres);
    }
    assert.deepEqual(defaults, ['0612345678'], 'the kept partij keeps its own default');
    const gone = expectStatus(await srv.req('GET', `/partijen/${b.uuid}`), 200);
    assert.equal(gone.indicatieActief, false);
    assert.match(gone.interneNotitie, new RegExp(a.uuid));
    assert.equal(gone.digitaleAdressen.length, 0);

    // The klantbeeld now shows the contact under the kept partij; no duplicates remain.
    const kb = expectStatus(await srv.req('POST', '/klantbeeld/api/v1/_zoek', { base: true, token: kcm,
      body: { telefoonnummer: '06 12345678', verwerkingsactiviteit: 'klantvraag-beantwoorden' } }), 200);
    assert.equal(kb.partij.uuid, a.uuid);
    assert.deepEqual(kb.contacten.map((c) => c.uuid), [kc.uuid]);
    const page = expectStatus(await srv.req('GET', '/klantbeeld/api/v1/dubbelen', { base: true, token: beheerder }), 200);
    assert.equal(page.count, 0);
    const list = expectStatus(await srv.req('GET', '/klantbeeld/api/v1/samenvoegingen', { base: true, token: beheerder }), 200);
    assert.equal(list.count, 1);
    // Logged for both persons.
    const log = expectStatus(await srv.req('POST', '/klantbeeld/api/v1/verwerkingen/_zoek', { base: true,
      token: beheerder, body: { bsn: '999990019' } }), 200);
    assert.ok(log.results.some((x) => x.naam === 'Partijen samenvoegen' && x.verwerkingsactiviteit === 'klantgegevens-beheren'));
    const all = expectStatus(await srv.req('GET', '/klantbeeld/api/v1/verwerkingen?verwerkingsactiviteit=klantgegevens-beheren',
      { base: true, token: beheerder }), 200);
    // One record per person: the merge names both partijen (reading the duplicates and the
    // merges before it was logged too, under the same activity).
    assert.equal(all.results.filter((x) => x.naam === 'Partijen samenvoegen').length, 2);
    assert.ok(all.results.some((x) => x.naam === 'Mogelijke dubbelen opvragen'));
  });
});
