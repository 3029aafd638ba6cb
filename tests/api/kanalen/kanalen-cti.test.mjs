// Telephony: the CTI webhook's call sequence (aangeboden, aangenomen, beeindigd) pops the
// matched klantbeeld on the agent's event stream (SSE) and registers the call as a klantcontact
// with its duration, linked to the agent.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, create, expectStatus, assertInvalidParam, assertProblem, persoonBody, klantcontactBody } from '../lib/harness.mjs';
import { openEvents } from '../lib/sse.mjs';

const K = '/kanalen/api/v1';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const cti = (body) => srv.req('POST', `${K}/cti/events`, { base: true, body });

describe('cti', () => {
  it('a call sequence pops the klantbeeld to the agent and ends as a klantcontact with its duration', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partij.uuid }, adres: '+31201234567',
      soortDigitaalAdres: 'telefoonnummer', omschrijving: 'vast' });
    const earlier = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'Eerder contact' }));
    await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: earlier.uuid }, wasPartij: { uuid: partij.uuid },
      rol: 'klant', initiator: true });
    const es = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=${encodeURIComponent('Sanne de Wit')}`, { token: srv.token });
    assert.equal(es.status, 200);
    assert.match(es.headers.get('content-type'), /^text\/event-stream/);
    assert.ok(await es.next((e) => e.event === 'verbonden'));
    const offered = expectStatus(await cti({ gebeurtenis: 'aangeboden', gespreksId: 'pbx-1001', telefoonnummer: '020-1234567',
      wachtrij: 'Algemeen', tijdstip: '2026-11-30T09:00:00Z' }), 201);
    assert.equal(offered.status, 'aangeboden');
    assert.equal(offered.partij.uuid, partij.uuid);
    const answered = expectStatus(await cti({ gebeurtenis: 'aangenomen', gespreksId: 'pbx-1001', medewerker: 'Sanne de Wit',
      tijdstip: '2026-11-30T09:00:20Z' }), 200);
    assert.equal(answered.schermpopBezorgd, 1);
    const pop = await es.next((e) => e.event === 'screenpop');
    assert.ok(pop, `no screenpop; events: ${JSON.stringify(es.events)}`);
    assert.equal(pop.data.partij.uuid, partij.uuid);
    assert.equal(pop.data.oproep.uuid, offered.uuid);
    assert.equal(pop.data.telefoonnummer, '020-1234567');
    assert.deepEqual(pop.data.klantbeeld.zoek, { telefoonnummer: '020-1234567' });
    assert.equal(pop.data.recenteKlantcontacten[0].uuid, earlier.uuid);
    const ended = expectStatus(await cti({ gebeurtenis: 'beeindigd', gespreksId: 'pbx-1001',
      tijdstip: '2026-11-30T09:03:45Z' }), 200);
    assert.equal(ended.status, 'beeindigd');
    assert.equal(ended.duurSeconden, 205);
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${ended.klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.kanaal, 'telefoon');
    assert.equal(kc.indicatieContactGelukt, true);
    assert.equal(kc.plaatsgevondenOp, '2026-11-30T09:00:20Z');
    assert.equal(kc.metadata.duurSeconden, '205');
    assert.equal(kc.metadata.wachttijdSeconden, '20');
    assert.match(kc.inhoud, /duur 3:25, aangenomen door Sanne de Wit/);
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    assert.equal(kc.hadBetrokkenActoren.length, 1);
    assert.equal(kc.hadBetrokkenActoren[0].naam, 'Sanne de Wit');
    assert.ok(await es.next((e) => e.event === 'oproep-beeindigd' && e.data.uuid === offered.uuid));
    // Repeated end event: no second klantcontact.
    const again = expectStatus(await cti({ gebeurtenis: 'ended', gespreksId: 'pbx-1001' }), 200);
    assert.equal(again.klantcontact.uuid, ended.klantcontact.uuid);
    es.close();
  });

  it('a missed call is registered as not successful; events for other agents do not pop here', async () => {
    const es = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=Piet`, { token: srv.token });
    expectStatus(await cti({ gebeurtenis: 'offered', gespreksId: 'pbx-2', telefoonnummer: '0612345678', medewerker: 'Klaas',
      tijdstip: '2026-11-30T10:00:00Z' }), 201);
    const ended = expectStatus(await cti({ gebeurtenis: 'ended', gespreksId: 'pbx-2', tijdstip: '2026-11-30T10:00:40Z' }), 200);
    assert.equal(ended.duurSeconden, 0);
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${ended.klantcontact.uuid}`), 200);
    assert.equal(kc.indicatieContactGelukt, false);
    assert.match(kc.inhoud, /Gemist gesprek/);
    assert.equal(es.events.filter((e) => e.event === 'screenpop').length, 0);
    es.close();
    const list = expectStatus(await srv.req('GET', `${K}/oproepen?medewerker=Klaas`, { base: true }), 200);
    assert.equal(list.count, 1);
  });

  it('refuses bad events', async () => {
    const bad = await cti({ gebeurtenis: 'gekke', telefoonnummer: 12 });
    assertInvalidParam(bad, 'gebeurtenis', 'invalid_choice');
    assertInvalidParam(bad, 'gespreksId', 'required');
    assertInvalidParam(bad, 'telefoonnummer', 'invalid');
    assertInvalidParam(await cti({ gebeurtenis: 'aangenomen', gespreksId: 'x' }), 'medewerker', 'required');
    assertInvalidParam(await cti({ gebeurtenis: 'aangeboden', gespreksId: 'x', telefoonnummer: '1', tijdstip: 'gisteren' }), 'tijdstip', 'invalid');
    assertProblem(await srv.req('GET', `${K}/gebeurtenissen`, { base: true }), 400);
    const anon = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=x`, {});
    assert.equal(anon.status, 401);
  });

  it('posting call events needs scope cti (or *): without it 403, nothing stored, no screen pop', async () => {
    const es = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=Wim`, { token: srv.token });
    assert.ok(await es.next((e) => e.event === 'verbonden'));
    const call = { gebeurtenis: 'aangeboden', gespreksId: 'pbx-scope', telefoonnummer: '0201234567', medewerker: 'Wim' };
    assert.throws(() => srv.createToken('tikfout', 'ctix'), 'an unknown scope makes no token');
    for (const scopes of ['kcm', 'redacteur,beheerder']) {
      const token = srv.createToken(`geen-cti-${scopes}`, scopes);
      const p = assertProblem(await srv.req('POST', `${K}/cti/events`, { base: true, token, body: call }), 403, 'permission_denied');
      assert.equal(typeof p.detail, 'string');
    }
    const none = expectStatus(await srv.req('GET', `${K}/oproepen?gespreksId=pbx-scope`, { base: true }), 200);
    assert.equal(none.count, 0, 'a refused event stores no call');
    assertProblem(await srv.req('POST', `${K}/cti/events`, { base: true, token: null, body: call }), 401);
    const pbx = srv.createToken('pbx', 'kcm,cti');
    const ok = expectStatus(await srv.req('POST', `${K}/cti/events`, { base: true, token: pbx, body: call }), 201);
    assert.equal(ok.schermpopBezorgd, 1);
    const pops = await es.next((e) => e.event === 'screenpop');
    assert.equal(pops.data.oproep.gespreksId, 'pbx-scope');
    assert.equal(es.events.filter((e) => e.event === 'screenpop').length, 1, 'only the allowed event popped');
    es.close();
  });

  it('the server stops cleanly (exit 0) with event streams still open, ending them', async () => {
    const a = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=laat`, { token: srv.token });
    const b = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=laat`, { token: srv.token });
    assert.ok(await a.next((e) => e.event === 'verbonden'));
    assert.ok(await b.next((e) => e.event === 'verbonden'));
    await srv.stop();
    await Promise.all([a.done, b.done]);
    assert.equal(a.closed && b.closed, true);
  });
});
