// KPIs from the register (/sturing/api/v1/kpis): every KPI computed on a small hand-made
// dataset whose expected figures are written out below, with the edge cases of issue 13 (a
// contact across midnight and across a month, a repeat contact just outside the window, an
// unknown partij, a referral), the incremental rollups compared with a recompute from scratch
// (`omnikanaal sturing herbereken --controleer`), CSV, and the access rules.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, create, expectStatus, assertInvalidParam, assertProblem, persoonBody,
  klantcontactBody, BIN } from '../lib/harness.mjs';

const ST = '/sturing/api/v1';
const K = '/kanalen/api/v1';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const kpis = (query, opts = {}) => srv.req('GET', `${ST}/kpis?${query}`, { base: true, ...opts });
const one = async (query) => expectStatus(await kpis(query), 200);

/** The groups of KPI `kpi` as {key: [waarde, teller, noemer]}, key = the sleutel's values joined by '|'. */
async function figures(kpi, query) {
  const body = await one(`kpi=${kpi}&${query}`);
  assert.equal(body.kpi, kpi);
  assert.ok(body.definitie.length > 40, 'every figure comes with its definition');
  const out = {};
  for (const g of body.groepen) out[Object.values(g.sleutel).join('|')] = [g.waarde, g.teller, g.noemer];
  return out;
}

async function contact({ kanaal, onderwerp, at, partij, afdeling, gelukt = true }) {
  const kc = await create(srv, 'klantcontacten', klantcontactBody({ kanaal, onderwerp, plaatsgevondenOp: at,
    indicatieContactGelukt: gelukt }));
  if (partij) {
    await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: partij.uuid },
      rol: 'klant', initiator: true });
  }
  if (afdeling) await create(srv, 'actorklantcontacten', { actor: { uuid: afdeling.uuid }, klantcontact: { uuid: kc.uuid } });
  return kc;
}

const eenheid = (naam) => create(srv, 'actoren', { naam, soortActor: 'organisatorische_eenheid', indicatieActief: true });

async function cti(body) {
  const res = await srv.req('POST', `${K}/cti/events`, { base: true, body });
  assert.ok(res.status === 201 || res.status === 200, `CTI ${body.gebeurtenis}: ${res.status} ${res.text}`);
}

describe('KPIs on a hand-made dataset (March 2026)', () => {
  let p1, p2, kcc, burgerzaken, k6;

  before(async () => {
    p1 = await create(srv, 'partijen', persoonBody());
    p2 = await create(srv, 'partijen', persoonBody());
    // p2 registered a kanaalvoorkeur: a preferred digital address.
    const adres = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p2.uuid },
      adres: 'p2@example.org', soortDigitaalAdres: 'email', omschrijving: 'privé' });
    expectStatus(await srv.req('PATCH', `/partijen/${p2.uuid}`, { body: { voorkeursDigitaalAdres: { uuid: adres.uuid } } }), 200);
    kcc = await eenheid('KCC');
    burgerzaken = await eenheid('Burgerzaken');
    // K1 and K2: p1 about the same onderwerp (case and spaces do not matter) 3 days apart: K2
    // repeats K1, so K1 was not resolved in the first contact.
    await contact({ kanaal: 'telefoon', onderwerp: 'Verhuizing', at: '2026-03-02T09:00:00Z', partij: p1, afdeling: kcc });
    await contact({ kanaal: 'e-mail', onderwerp: ' verhuizing ', at: '2026-03-05T10:00:00Z', partij: p1, afdeling: kcc });
    // K3: one second past the 7-day window after K2: no repeat, and K2 counts as resolved.
    await contact({ kanaal: 'telefoon', onderwerp: 'VERHUIZING', at: '2026-03-12T10:00:01Z', partij: p1, afdeling: kcc });
    // K4: 23:30 UTC on 2 March is 00:30 on 3 March in Amsterdam: it belongs to 3 March.
    await contact({ kanaal: 'balie', onderwerp: 'Paspoort', at: '2026-03-02T23:30:00Z', partij: p2, afdeling: burgerzaken });
    // K5: 22:30 UTC on 31 March is 00:30 on 1 April (summer time): April; no partij known.
    await contact({ kanaal: 'telefoon', onderwerp: 'Afval', at: '2026-03-31T22:30:00Z' });
    // K6: p1 about bijstand, handed over to another afdeling with a contactverzoek.
    k6 = await contact({ kanaal: 'telefoon', onderwerp: 'Bijstand', at: '2026-03-10T08:00:00Z', partij: p1, afdeling: kcc });
    expectStatus(await srv.req('POST', `${K}/contactverzoeken`, { base: true, body: {
      kanaal: 'telefoon', onderwerp: 'Bijstand', klantcontact: { uuid: k6.uuid }, partij: { uuid: p1.uuid },
      ontvangenOp: '2026-03-10T08:05:00Z', contactgegevens: { naam: 'Jan', telefoonnummer: '0612345678' },
      toegewezenAan: { soort: 'afdeling', naam: 'Sociaal domein' } } }), 201);
  });

  it('contacten per kanaal, per day (across midnight) and per month (across the month)', async () => {
    assert.deepEqual(await figures('contacten', 'van=2026-03-01&tot=2026-04-30&groepeerOp=kanaal'), {
      'balie': [1, 1, null], 'e-mail': [1, 1, null], 'telefoon': [4, 4, null] });
    assert.deepEqual(await figures('contacten', 'van=2026-03-01&tot=2026-04-30&groepeerOp=dag'), {
      '2026-03-02': [1, 1, null], '2026-03-03': [1, 1, null], '2026-03-05': [1, 1, null],
      '2026-03-10': [1, 1, null], '2026-03-12': [1, 1, null], '2026-04-01': [1, 1, null] });
    assert.deepEqual(await figures('contacten', 'van=2026-03-01&tot=2026-04-30&groepeerOp=maand'), {
      '2026-03': [5, 5, null], '2026-04': [1, 1, null] });
    assert.deepEqual(await figures('contacten', 'van=2026-03-01&tot=2026-03-31&groepeerOp=week'), {
      '2026-W10': [3, 3, null], '2026-W11': [2, 2, null] });
    // A period that ends on 2 March does not see K4 (3 March local time).
    assert.deepEqual(await figures('contacten', 'van=2026-03-02&tot=2026-03-02'), { '': [1, 1, null] });
  });

  it('first contact resolution, repeat contact, referral', async () => {
    // Resolved: K2 (K3 is outside the window), K3, K4, K5 (unknown partij, no verzoek) = 4 of 6.
    assert.deepEqual(await figures('fcr', 'van=2026-03-01&tot=2026-04-30'), { '': [66.67, 4, 6] });
    assert.deepEqual(await figures('fcr', 'van=2026-03-01&tot=2026-04-30&groepeerOp=afdeling'), {
      '': [100, 1, 1], 'Burgerzaken': [100, 1, 1], 'KCC': [50, 2, 4] });
    // Only K2 repeats K1; K3 is one second too late.
    assert.deepEqual(await figures('herhaalcontact', 'van=2026-03-01&tot=2026-04-30&groepeerOp=onderwerp'), {
      'afval': [0, 0, 1], 'bijstand': [0, 0, 1], 'paspoort': [0, 0, 1], 'verhuizing': [33.33, 1, 3] });
    // K6 went to Sociaal domein, another afdeling than its own (KCC).
    assert.deepEqual(await figures('doorverwijzing', 'van=2026-03-01&tot=2026-04-30&groepeerOp=afdeling'), {
      '': [0, 0, 1], 'Burgerzaken': [0, 0, 1], 'KCC': [25, 1, 4] });
  });

  it('drills down to the contacts behind a figure, for a purpose that shows contacts, logged', async () => {
    const dk = (q, opts = {}) => srv.req('GET', `${ST}/kpis/_contacten?${q}`, { base: true, ...opts });
    const niet = expectStatus(await dk('kpi=fcr&uitkomst=nee&van=2026-03-01&tot=2026-04-30'), 200);
    assert.equal(niet.count, 2);
    assert.deepEqual(niet.results.map((r) => [r.dag, r.kanaal, r.onderwerp, r.opgelost, r.doorverwezen]),
      [['2026-03-10', 'telefoon', 'bijstand', false, true], ['2026-03-02', 'telefoon', 'verhuizing', false, false]]);
    assert.equal(niet.results[0].klantcontact.uuid, k6.uuid);
    assert.match(niet.results[0].klantcontact.url, new RegExp(`/klantinteracties/api/v1/klantcontacten/${k6.uuid}$`));
    assert.ok(!JSON.stringify(niet).includes('Jan'), 'no names');
    const alle = expectStatus(await dk('van=2026-03-01&tot=2026-04-30&pageSize=4'), 200);
    assert.equal(alle.count, 6);
    assert.equal(alle.results.length, 4);
    assert.match(alle.next, /page=2/);
    // The manager sees the figures only; a figure that is not about contacts has none.
    assertProblem(await dk('kpi=fcr', { token: srv.createToken('dk-manager', 'manager') }), 403);
    const bad = await dk('kpi=bereikbaarheid&uitkomst=misschien&pageSize=500');
    assertInvalidParam(bad, 'kpi', 'invalid_choice');
    assertInvalidParam(bad, 'pageSize', 'invalid');
    // One record per drill-down for the one partij behind each page (p1; K5 has none).
    const beheerder = srv.createToken('dk-beheerder', 'beheerder');
    let records = [];
    for (let i = 0; i < 40 && records.length < 2; i++) {
      const log = expectStatus(await srv.req('GET', '/klantbeeld/api/v1/verwerkingen?pageSize=100', { base: true, token: beheerder }), 200);
      records = log.results.filter((x) => x.naam === 'Klantcontacten achter een kengetal opvragen');
      if (records.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(records.length, 2, 'each drill-down is in the Logboek, the refused ones are not');
    assert.ok(records.every((x) => x.verwerkingsactiviteit === 'klantvraag-beantwoorden'));
  });

  it('share with a known partij and with a registered kanaalvoorkeur', async () => {
    assert.deepEqual(await figures('partijBekend', 'van=2026-03-01&tot=2026-04-30'), { '': [83.33, 5, 6] });
    assert.deepEqual(await figures('kanaalvoorkeurBekend', 'van=2026-03-01&tot=2026-04-30'), { '': [16.67, 1, 6] });
  });

  it('filters narrow the buckets read', async () => {
    assert.deepEqual(await figures('contacten', 'van=2026-03-01&tot=2026-04-30&kanaal=telefoon&groepeerOp=maand'), {
      '2026-03': [3, 3, null], '2026-04': [1, 1, null] });
    assert.deepEqual(await figures('fcr', 'van=2026-03-01&tot=2026-04-30&afdeling=KCC&onderwerp=verhuizing'), {
      '': [66.67, 2, 3] });
  });

  it('a later change is taken in: the contact moved outside the window is no repeat any more', async () => {
    const k7 = await contact({ kanaal: 'chat', onderwerp: 'Paspoort', at: '2026-03-04T12:00:00Z', partij: p2 });
    assert.deepEqual(await figures('herhaalcontact', 'van=2026-03-01&tot=2026-03-31&onderwerp=paspoort'), { '': [50, 1, 2] });
    expectStatus(await srv.req('PATCH', `/klantcontacten/${k7.uuid}`, { body: { plaatsgevondenOp: '2026-03-20T12:00:00Z' } }), 200);
    assert.deepEqual(await figures('herhaalcontact', 'van=2026-03-01&tot=2026-03-31&onderwerp=paspoort'), { '': [0, 0, 2] });
    expectStatus(await srv.req('DELETE', `/klantcontacten/${k7.uuid}`), 204);
    assert.deepEqual(await figures('contacten', 'van=2026-03-01&tot=2026-03-31&onderwerp=paspoort'), { '': [1, 1, null] });
  });

  it('contactverzoeken: received, handled late against a deadline of 1 werkdag', async () => {
    assert.deepEqual(await figures('contactverzoeken', 'van=2026-03-01&tot=2026-03-31&groepeerOp=afdeling'), {
      'Sociaal domein': [1, 1, null] });
    assert.deepEqual(await figures('slaRealisatie', 'van=2026-03-01&tot=2026-03-31'), { '': [null, 0, 0] });
    const open = expectStatus(await srv.req('GET', `${K}/contactverzoeken?status=open`, { base: true }), 200);
    const cv = open.results.find((r) => r.klantcontact?.uuid === k6.uuid);
    assert.equal(cv.deadline, '2026-03-11');
    expectStatus(await srv.req('POST', `${K}/contactverzoeken/${cv.uuid}/afhandelen`, { base: true,
      body: { resultaat: 'Teruggebeld.' } }), 200);
    // Handled today, months after its deadline: late.
    assert.deepEqual(await figures('slaRealisatie', 'van=2026-03-01&tot=2026-03-31'), { '': [0, 0, 1] });
  });
});

describe('bereikbaarheid from CTI events (4 May 2026)', () => {
  before(async () => {
    // Events of one call are sent one after the other (each awaited).
    const seq = async (id, ...t) => {
      await cti({ gebeurtenis: 'aangeboden', gespreksId: id, telefoonnummer: '0201234567', wachtrij: 'KCC', tijdstip: t[0] });
      if (t[1]) await cti({ gebeurtenis: 'aangenomen', gespreksId: id, medewerker: 'Sanne', tijdstip: t[1] });
      await cti({ gebeurtenis: 'beeindigd', gespreksId: id, tijdstip: t[2] });
    };
    await seq('c1', '2026-05-04T08:00:00Z', '2026-05-04T08:00:20Z', '2026-05-04T08:05:00Z'); // 20 s: within 30 s
    await seq('c2', '2026-05-04T08:10:00Z', '2026-05-04T08:10:45Z', '2026-05-04T08:15:00Z'); // 45 s: outside
    await seq('c3', '2026-05-04T08:20:00Z', null, '2026-05-04T08:20:03Z'); // hung up after 3 s: short abandon
    await seq('c4', '2026-05-04T08:30:00Z', null, '2026-05-04T08:31:00Z'); // abandoned after a minute
    // A call still ringing is not counted yet.
    await cti({ gebeurtenis: 'aangeboden', gespreksId: 'c5', telefoonnummer: '0201234567', wachtrij: 'KCC', tijdstip: '2026-05-04T09:00:00Z' });
  });

  it('offered, answered, abandoned, wait and service level', async () => {
    const q = 'van=2026-05-04&tot=2026-05-04&kanaal=telefoon';
    assert.deepEqual(await figures('bereikbaarheid', q), { '': [50, 2, 4] });
    assert.deepEqual(await figures('verlaten', q), { '': [50, 2, 4] });
    assert.deepEqual(await figures('wachttijd', q), { '': [32.5, 65000, 2] });
    // 1 answered within 30 s of (4 offered − 1 short abandon).
    assert.deepEqual(await figures('servicelevel', `${q}&groepeerOp=afdeling`), { 'KCC': [33.33, 1, 3] });
    // Every ended call is a klantcontact; the unanswered ones failed, so they are not resolved.
    assert.deepEqual(await figures('fcr', q), { '': [50, 2, 4] });
  });
});

describe('bereikbaarheid of the chat (today)', () => {
  it('a chat the KCC answered counts as answered within the norm, one left unanswered as a short abandon', async () => {
    const pub = (path, body, secret) => srv.req('POST', `${K}${path}`, { base: true, token: null, body,
      headers: secret ? { 'X-Chat-Sessie': secret } : {} });
    const a = expectStatus(await pub('/chat/sessies', { naam: 'Lotte', onderwerp: 'Afvalpas' }), 201);
    expectStatus(await srv.req('POST', `${K}/gesprekken/${a.sessie}/berichten`, { base: true, body: { tekst: 'Goedemorgen!' } }), 201);
    const b = expectStatus(await pub('/chat/sessies', { naam: 'Piet', onderwerp: 'Parkeren' }), 201);
    expectStatus(await pub(`/chat/sessies/${b.sessie}/beeindigen`, undefined, b.geheim), 200);
    const day = (d) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(d);
    const q = `van=${day(new Date(Date.now() - 86400000))}&tot=${day(new Date(Date.now() + 86400000))}&kanaal=chat`;
    assert.deepEqual(await figures('bereikbaarheid', q), { '': [50, 1, 2] });
    // 1 answered within 30 s of (2 offered − 1 that left within 5 s).
    assert.deepEqual(await figures('servicelevel', q), { '': [100, 1, 1] });
  });
});

describe('cost per contact from the tariff table', () => {
  it('is unknown until beheer sets tariffs, then weighs each kanaal by its contacts', async () => {
    const q = 'van=2026-03-01&tot=2026-03-31';
    assert.deepEqual(await figures('kostenPerContact', q), { '': [null, 0, 0] });
    const list = expectStatus(await srv.req('GET', `${ST}/tarieven`, { base: true }), 200);
    const by = Object.fromEntries(list.results.map((t) => [t.kanaal, t]));
    assert.equal(by.balie.bedragInCenten, null);
    const set = (kanaal, cent) => srv.req('PATCH', `${ST}/tarieven/${by[kanaal].uuid}`, { base: true,
      body: { bedragInCenten: cent, bron: 'Eigen kostprijsberekening 2026 (test)' } });
    expectStatus(await set('telefoon', 550), 200);
    expectStatus(await set('balie', 1200), 200);
    // March: telefoon 3 × €5.50 + balie 1 × €12.00 = €28.50 over 4 contacts; e-mail has no tariff.
    assert.deepEqual(await figures('kostenPerContact', q), { '': [7.13, 28.5, 4] });
    assertInvalidParam(await set('telefoon', -1), 'bedragInCenten', 'min_value');
  });
});

describe('incremental rollups equal a recompute from scratch', () => {
  it('omnikanaal sturing herbereken --controleer finds no difference', async () => {
    await one('kpi=contacten'); // takes every queued change in
    const out = execFileSync(BIN, ['sturing', 'herbereken', '--controleer', '--db', srv.dbPath], { encoding: 'utf8' });
    assert.match(out, /0 van de bijgehouden regels weken af/);
  });
});

describe('the API', () => {
  it('answers every KPI with its definition when none is named, and lists the definitions', async () => {
    const all = await one('van=2026-03-01&tot=2026-03-31&groepeerOp=kanaal,maand');
    assert.deepEqual(all.groepeerOp, ['kanaal', 'maand']);
    assert.equal(all.achterstand, 0, 'every change is in the figures');
    const names = all.resultaten.map((r) => r.kpi);
    const defs = expectStatus(await srv.req('GET', `${ST}/kpis/_definities`, { base: true }), 200);
    assert.deepEqual(names, defs.kpis.map((d) => d.kpi));
    for (const n of ['contacten', 'fcr', 'herhaalcontact', 'doorverwijzing', 'bereikbaarheid', 'servicelevel',
      'slaRealisatie', 'kanaalvoorkeurBekend', 'kostenPerContact']) assert.ok(names.includes(n), n);
    const tel = all.resultaten[0].groepen.find((g) => g.sleutel.kanaal === 'telefoon');
    assert.deepEqual(tel.sleutel, { kanaal: 'telefoon', maand: '2026-03' });
  });

  it('serves its OpenAPI document without authentication, naming every route', async () => {
    const res = await srv.req('GET', `${ST}/openapi.json`, { base: true, token: null });
    const doc = expectStatus(res, 200);
    assert.equal(doc.openapi, '3.0.3');
    const matrix = JSON.parse(execFileSync(BIN, ['toegang'], { encoding: 'utf8' }));
    const routes = matrix.routes.filter((r) => r.pattern.startsWith(`${ST}/`))
      .map((r) => `${r.method} ${r.pattern.slice(ST.length)}`).sort();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${path}`)).sort();
    assert.deepEqual(documented, routes);
  });

  it('exports CSV with Accept: text/csv or formaat=csv', async () => {
    for (const opts of [{ headers: { Accept: 'text/csv' } }, {}]) {
      const q = `kpi=contacten&van=2026-03-01&tot=2026-04-30&groepeerOp=maand${opts.headers ? '' : '&formaat=csv'}`;
      const res = await kpis(q, opts);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/csv/);
      assert.equal(res.text, 'kpi,maand,waarde,teller,noemer,eenheid,van,tot\r\n'
        + 'contacten,2026-03,5,5,,aantal,2026-03-01,2026-04-30\r\n'
        + 'contacten,2026-04,1,1,,aantal,2026-03-01,2026-04-30\r\n');
    }
  });

  it('refuses bad parameters with every reason in Dutch', async () => {
    const res = await kpis('kpi=omzet&van=2026-13-01&tot=gisteren&groepeerOp=dag,week&foo=1');
    assertInvalidParam(res, 'kpi', 'invalid_choice');
    assertInvalidParam(res, 'van', 'invalid');
    assertInvalidParam(res, 'tot', 'invalid');
    assertInvalidParam(res, 'groepeerOp', 'invalid');
    assertInvalidParam(res, 'foo', 'unknown');
    assertInvalidParam(await kpis('van=2026-03-02&tot=2026-03-01'), 'tot', 'invalid');
  });

  it('manager and beheerder read, teams read, others are refused; tariffs are beheer\'s', async () => {
    for (const role of ['manager', 'beheerder', 'kcm', 'backoffice']) {
      expectStatus(await kpis('kpi=contacten', { token: srv.createToken(`t-${role}`, role) }), 200);
    }
    for (const role of ['redacteur', 'klantinteracties-lezen']) {
      assertProblem(await kpis('kpi=contacten', { token: srv.createToken(`t-${role}`, role) }), 403);
    }
    assertProblem(await kpis('kpi=contacten', { token: null }), 401);
    const list = expectStatus(await srv.req('GET', `${ST}/tarieven`, { base: true }), 200);
    assertProblem(await srv.req('PATCH', `${ST}/tarieven/${list.results[0].uuid}`, { base: true,
      token: srv.createToken('t-manager2', 'manager'), body: { bedragInCenten: 1 } }), 403);
  });
});
