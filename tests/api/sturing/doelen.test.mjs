// SMART goals (/sturing/api/v1/doelen) with owner, KPI, baseline, target, deadline and level
// (strategisch → tactisch → operationeel), their progress computed from the KPI rollups, and
// the PDCA log (/sturing/api/v1/pdca).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, create, expectStatus, assertInvalidParam, assertProblem, persoonBody,
  klantcontactBody } from '../lib/harness.mjs';

const ST = '/sturing/api/v1';

let srv;
before(async () => {
  srv = await startServer();
  // March 2026: two contacts of one partij on different onderwerpen, one of which failed:
  // FCR 1 of 2 = 50 %.
  const p = await create(srv, 'partijen', persoonBody());
  for (const [onderwerp, gelukt] of [['Paspoort', true], ['Afval', false]]) {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp, indicatieContactGelukt: gelukt,
      plaatsgevondenOp: '2026-03-10T10:00:00Z' }));
    await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: p.uuid }, rol: 'klant', initiator: true });
  }
});
after(async () => { await srv?.stop(); });

const post = (path, body, token) => srv.req('POST', `${ST}${path}`, { base: true, body, ...(token ? { token } : {}) });
const doel = (over = {}) => ({ titel: 'Meer vragen in één keer goed', eigenaar: 'Directeur Dienstverlening',
  kpi: 'fcr', niveau: 'strategisch', nulmeting: 40, streefwaarde: 80, startdatum: '2026-03-01',
  deadline: '2026-03-31', ...over });

describe('doelen', () => {
  let strategisch;

  it('a SMART goal shows its progress from the KPI: measured 50 of 40 → 80 is 25 % of the way', async () => {
    strategisch = expectStatus(await post('/doelen', doel()), 201);
    assert.equal(strategisch.niveau, 'strategisch');
    assert.equal(strategisch.hoofddoel, null);
    const lees = expectStatus(await srv.req('GET', `${ST}/doelen/${strategisch.uuid}`, { base: true }), 200);
    assert.deepEqual(lees.voortgang, { huidigeWaarde: 50, van: '2026-03-01', tot: '2026-03-31', procentVanDoel: 25,
      status: 'niet-behaald' });
  });

  it('is reached when the KPI passes the target, also for a target below the baseline', async () => {
    const omlaag = expectStatus(await post('/doelen', doel({ titel: 'Minder mislukte contacten', kpi: 'fcr',
      nulmeting: 90, streefwaarde: 60 })), 201);
    assert.equal(omlaag.voortgang.status, 'behaald');
    assert.equal(omlaag.voortgang.procentVanDoel, 133.3);
    const leeg = expectStatus(await post('/doelen', doel({ titel: 'Bereikbaarheid', kpi: 'bereikbaarheid',
      nulmeting: 70, streefwaarde: 90 })), 201);
    assert.deepEqual(leeg.voortgang, { huidigeWaarde: null, van: '2026-03-01', tot: '2026-03-31',
      procentVanDoel: null, status: 'geen-meting' });
  });

  it('cascades: tactisch under strategisch, operationeel under tactisch, nothing else', async () => {
    assertInvalidParam(await post('/doelen', doel({ niveau: 'tactisch' })), 'hoofddoel', 'required');
    const tactisch = expectStatus(await post('/doelen', doel({ niveau: 'tactisch', titel: 'KCC beantwoordt meer zelf',
      eigenaar: 'Teamleider KCC', hoofddoel: { uuid: strategisch.uuid }, filter: { afdeling: 'KCC' } })), 201);
    assert.equal(tactisch.hoofddoel.uuid, strategisch.uuid);
    assert.deepEqual(tactisch.filter, { kanaal: '', afdeling: 'KCC', onderwerp: '' });
    assertInvalidParam(await post('/doelen', doel({ niveau: 'operationeel', hoofddoel: { uuid: strategisch.uuid } })),
      'hoofddoel', 'invalid');
    assertInvalidParam(await post('/doelen', doel({ hoofddoel: { uuid: tactisch.uuid } })), 'hoofddoel', 'invalid');
    expectStatus(await post('/doelen', doel({ niveau: 'operationeel', hoofddoel: { uuid: tactisch.uuid } })), 201);
    const lijst = expectStatus(await srv.req('GET', `${ST}/doelen?hoofddoel=${strategisch.uuid}`, { base: true }), 200);
    assert.deepEqual(lijst.results.map((d) => d.uuid), [tactisch.uuid]);
    // A goal with goals under it stays (the engine's answer for a protected object).
    assertInvalidParam(await srv.req('DELETE', `${ST}/doelen/${strategisch.uuid}`, { base: true }),
      'nonFieldErrors', 'protected');
  });

  it('refuses what is not SMART, every reason at once', async () => {
    const res = await post('/doelen', doel({ kpi: 'omzet', streefwaarde: 40, deadline: '2026-02-01', niveau: 'hoog' }));
    assertInvalidParam(res, 'kpi', 'invalid_choice');
    assertInvalidParam(res, 'niveau', 'invalid_choice');
    const res2 = await post('/doelen', doel({ streefwaarde: 40, deadline: '2026-02-01' }));
    assertInvalidParam(res2, 'streefwaarde', 'invalid');
    assertInvalidParam(res2, 'deadline', 'invalid');
    assertInvalidParam(await post('/doelen', {}), 'titel', 'required');
  });

  it('keeps a PDCA log per goal, written by whoever writes it', async () => {
    const stappen = [['plan', 'Top-10 vragen in de kennisbank herschrijven.'], ['do', 'Tien artikelen herschreven.'],
      ['check', 'FCR steeg van 40 naar 50 %.'], ['act', 'Ook de chatscripts aanpassen.']];
    for (const [fase, tekst] of stappen) {
      const s = expectStatus(await post('/pdca', { doel: { uuid: strategisch.uuid }, fase, tekst, door: 'iemand anders' }), 201);
      assert.equal(s.door, 'api-tests');
    }
    const d = expectStatus(await srv.req('GET', `${ST}/doelen/${strategisch.uuid}`, { base: true }), 200);
    assert.deepEqual(d.pdca.map((s) => s.fase), ['plan', 'do', 'check', 'act']);
    assertInvalidParam(await post('/pdca', { doel: { uuid: strategisch.uuid }, fase: 'klaar', tekst: 'x' }), 'fase', 'invalid_choice');
  });

  it('the manager sets goals; teams and beheer read them', async () => {
    const kcm = srv.createToken('kcm', 'kcm');
    expectStatus(await srv.req('GET', `${ST}/doelen`, { base: true, token: kcm }), 200);
    assertProblem(await post('/doelen', doel(), kcm), 403);
    assertProblem(await post('/pdca', { doel: { uuid: strategisch.uuid }, fase: 'do', tekst: 'x' }, kcm), 403);
    const manager = srv.createToken('manager', 'manager');
    expectStatus(await post('/doelen', doel({ titel: 'Van de manager' }), manager), 201);
    assertProblem(await srv.req('GET', `${ST}/doelen`, { base: true, token: srv.createToken('red', 'redacteur') }), 403);
  });
});
