// Requests under the AVG as tasks with their statutory term (issue 18; AVG art. 12(3)): one
// month from receipt, extendable once by two months within that month; the open ones by
// deadline with the days left and the late ones marked; the decision recorded (a refusal with
// its reasons); every step in the Logboek for the requester.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, assertProblem, assertInvalidParam } from '../lib/harness.mjs';

const V = '/avg/api/v1/verzoeken';
const daysAgo = (n) => new Date(Date.now() - n * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
const monthsAfter = (iso, m) => { const d = new Date(iso); d.setUTCMonth(d.getUTCMonth() + m); return d.toISOString().replace(/\.\d+Z$/, 'Z'); };

let srv, beheerder;
before(async () => { srv = await startServer(); beheerder = srv.createToken('privacy', 'beheerder'); });
after(async () => { await srv?.stop(); });
const call = (method, path, body, token = beheerder) => srv.req(method, path, { base: true, token, body });

describe('AVG requests with their term', () => {
  let recent, late;
  it('registered with a term of one month from receipt; the late ones marked, the most urgent first', async () => {
    const ontvangen = daysAgo(10);
    const created = await call('POST', V, { soort: 'inzage', bsn: '999990019', ontvangenOp: ontvangen });
    recent = expectStatus(created, 201);
    assert.equal(recent.termijn, monthsAfter(ontvangen, 1));
    assert.equal(recent.status, 'open');
    assert.equal(recent.teLaat, false);
    assert.ok(recent.dagenOver >= 17 && recent.dagenOver <= 21, `dagenOver ${recent.dagenOver}`);
    late = expectStatus(await call('POST', V, { soort: 'wissen', bsn: '999990020', ontvangenOp: daysAgo(45) }), 201);
    assert.equal(late.teLaat, true);
    assert.ok(late.dagenOver < 0);
    const open = expectStatus(await call('GET', `${V}?status=open`), 200);
    assert.deepEqual(open.results.map((r) => r.uuid), [late.uuid, recent.uuid]);
    // The registration is in the Logboek for the requester.
    const trace = created.headers.get('traceparent').slice(3, 35);
    const recs = expectStatus(await call('GET', `/klantbeeld/api/v1/verwerkingen?traceId=${trace}`), 200).results;
    assert.deepEqual(recs.map((r) => [r.naam, r.betrokkeneType]), [['AVG-verzoek registreren', 'BSN']]);
  });

  it('extended once by two months, only within the first month, with a reason', async () => {
    assertInvalidParam(await call('POST', `${V}/${recent.uuid}/_verlengen`, {}), 'reden', 'required');
    const ext = expectStatus(await call('POST', `${V}/${recent.uuid}/_verlengen`, { reden: 'Veel gegevens in drie systemen.' }), 200);
    assert.equal(ext.verlengd, true);
    assert.equal(ext.termijn, monthsAfter(recent.termijn, 2));
    assertProblem(await call('POST', `${V}/${recent.uuid}/_verlengen`, { reden: 'nog eens' }), 409);
    const tooLate = await call('POST', `${V}/${late.uuid}/_verlengen`, { reden: 'te laat' });
    assertProblem(tooLate, 409);
    assert.match(tooLate.json.detail, /eerste maand/);
  });

  it('decided: a refusal needs its reasons; then it leaves the open list', async () => {
    assertInvalidParam(await call('POST', `${V}/${late.uuid}/_afhandelen`, { besluit: 'afgewezen' }), 'toelichting', 'required');
    const done = expectStatus(await call('POST', `${V}/${late.uuid}/_afhandelen`, { besluit: 'afgewezen',
      toelichting: 'Wissen kan niet: de gemeente bewaart deze gegevens voor een wettelijke taak (AVG art. 17 lid 3).' }), 200);
    assert.equal(done.status, 'afgehandeld');
    assert.equal(done.dagenOver, null);
    assertProblem(await call('POST', `${V}/${late.uuid}/_afhandelen`, { besluit: 'toegewezen' }), 409);
    assert.deepEqual(expectStatus(await call('GET', `${V}?status=open`), 200).results.map((r) => r.uuid), [recent.uuid]);
    assert.deepEqual(expectStatus(await call('GET', `${V}?status=afgehandeld`), 200).results.map((r) => r.uuid), [late.uuid]);
    expectStatus(await call('GET', `${V}/${late.uuid}`), 200);
  });

  it('bad input is refused naming each field; only the privacy officer', async () => {
    const bad = await call('POST', V, { soort: 'taart', bsn: '123456789', ontvangenOp: 'gisteren' });
    assertInvalidParam(bad, 'soort', 'invalid_choice');
    assertInvalidParam(bad, 'bsn');
    assertInvalidParam(bad, 'ontvangenOp', 'invalid');
    assertInvalidParam(await call('GET', `${V}?status=alles`), 'status');
    assertProblem(await call('GET', V, undefined, srv.createToken('kcc', 'kcm')), 403);
  });
});
