// Steering the channels (/sturing/api/v1): web transactions reported by the website and the
// self-service share per product, balie waits from check-ins, the channel mix per klantgroep
// and onderwerp, the channel-shift what-if from the tariff table and the trend monitor — on a
// small hand-made dataset whose expected figures are written out below; then the incremental
// rollups compared with a recompute (`omnikanaal sturing herbereken --controleer`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, create, expectStatus, assertInvalidParam, assertProblem, persoonBody,
  organisatieBody, klantcontactBody, BIN } from '../lib/harness.mjs';

const ST = '/sturing/api/v1';
const K = '/kanalen/api/v1';

let srv, website, manager, kcm;
before(async () => {
  srv = await startServer();
  website = srv.createToken('t-website', 'kanalen');
  manager = srv.createToken('t-manager', 'manager');
  kcm = srv.createToken('t-kcm', 'kcm');
});
after(async () => { await srv?.stop(); });

const get = (path, token = manager) => srv.req('GET', `${ST}${path}`, { base: true, token });
const web = (body, token = website) => srv.req('POST', `${ST}/webtransacties`, { base: true, token, body });

/** The groups of KPI `kpi` as {key: [waarde, teller, noemer]}. */
async function figures(kpi, query) {
  const body = expectStatus(await get(`/kpis?kpi=${kpi}&${query}`), 200);
  const out = {};
  for (const g of body.groepen) out[Object.values(g.sleutel).join('|')] = [g.waarde, g.teller, g.noemer];
  return out;
}

async function contact(kanaal, onderwerp, at, partij) {
  const kc = await create(srv, 'klantcontacten', klantcontactBody({ kanaal, onderwerp, plaatsgevondenOp: at }));
  if (partij) {
    await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: partij.uuid },
      rol: 'klant', initiator: true });
  }
  return kc;
}

describe('February 2026: web transactions, self-service, channel mix, what-if', () => {
  let persoon, organisatie;
  before(async () => {
    persoon = await create(srv, 'partijen', persoonBody());
    organisatie = await create(srv, 'partijen', organisatieBody());
    await contact('telefoon', 'Verhuizing doorgeven', '2026-02-02T09:00:00Z', persoon);
    await contact('telefoon', 'Verhuizing doorgeven', '2026-02-03T09:00:00Z', organisatie);
    await contact('balie', 'Paspoort', '2026-02-03T10:00:00Z');
    await contact('e-mail', 'Verhuizing doorgeven', '2026-02-04T09:00:00Z', persoon);
    // The website reports counts per day and product; the product matches the onderwerp
    // without case and surrounding spaces.
    expectStatus(await web({ dag: '2026-02-02', product: 'Verhuizing doorgeven', aantal: 6, bron: 'e-loket' }), 201);
    expectStatus(await web({ dag: '2026-02-03', product: ' verhuizing doorgeven', aantal: 2, bron: 'e-loket' }), 201);
    expectStatus(await web({ dag: '2026-02-05', product: 'Parkeervergunning', aantal: 4 }), 201);
  });

  it('reports web transactions, refuses a second count for the same day, product and source, and bad counts', async () => {
    assertInvalidParam(await web({ dag: '2026-02-02', product: 'Verhuizing doorgeven', aantal: 1, bron: 'e-loket' }),
      'nonFieldErrors', 'unique');
    const bad = await web({ dag: '2026-02-30', product: 'X', aantal: -1 });
    assertInvalidParam(bad, 'dag', 'invalid');
    assertInvalidParam(bad, 'aantal', 'min_value');
    assertProblem(await web({ dag: '2026-02-06', product: 'X', aantal: 1 }, manager), 403);
    const list = expectStatus(await get('/webtransacties?dag=2026-02-05'), 200);
    assert.deepEqual(list.results.map((w) => [w.product, w.aantal]), [['Parkeervergunning', 4]]);
  });

  it('self-service share = web transactions / (web transactions + contacts), per product', async () => {
    const q = 'van=2026-02-01&tot=2026-02-28';
    assert.deepEqual(await figures('webtransacties', q), { '': [12, 12, null] });
    // 12 / (12 + 4 contacts) = 75 %.
    assert.deepEqual(await figures('selfservice', q), { '': [75, 12, 16] });
    assert.deepEqual(await figures('selfservice', `${q}&groepeerOp=onderwerp`), {
      'parkeervergunning': [100, 4, 4],
      'paspoort': [0, 0, 1],
      'verhuizing doorgeven': [72.73, 8, 11], // 8 / (8 + 3)
    });
  });

  it('a correction by the website is in the figures at once', async () => {
    const list = expectStatus(await get('/webtransacties?dag=2026-02-05'), 200);
    expectStatus(await srv.req('PATCH', `${ST}/webtransacties/${list.results[0].uuid}`, { base: true, token: website,
      body: { aantal: 0 } }), 200);
    assert.deepEqual(await figures('selfservice', 'van=2026-02-01&tot=2026-02-28'), { '': [66.67, 8, 12] });
  });

  it('channel mix per klantgroep (the partij\'s soort) and per onderwerp', async () => {
    const mix = expectStatus(await get('/kanaalmix?van=2026-02-01&tot=2026-02-28'), 200);
    assert.deepEqual(mix.groepeerOp, ['klantgroep']);
    const plat = Object.fromEntries(mix.groepen.map((g) => [g.sleutel.klantgroep,
      [g.contacten, g.kanalen.map((k) => `${k.kanaal}:${k.contacten}:${k.aandeel}`)]]));
    assert.deepEqual(plat, {
      onbekend: [1, ['balie:1:100']],
      organisatie: [1, ['telefoon:1:100']],
      persoon: [2, ['e-mail:1:50', 'telefoon:1:50']],
    });
    // Against the desired mix: the manager sets a share and a course per kanaal.
    const doel = (body) => srv.req('POST', `${ST}/kanaalmixdoelen`, { base: true, token: manager, body });
    expectStatus(await doel({ klantgroep: 'persoon', kanaal: 'telefoon', gewenstAandeel: 30, koers: 'reduceren' }), 201);
    expectStatus(await doel({ klantgroep: 'persoon', kanaal: 'website', gewenstAandeel: 50, koers: 'investeren' }), 201);
    assertInvalidParam(await doel({ klantgroep: 'persoon', kanaal: 'website', gewenstAandeel: 40, koers: 'investeren' }),
      'nonFieldErrors', 'unique');
    const slecht = await doel({ klantgroep: 'jongeren', kanaal: 'chat', gewenstAandeel: 101, koers: 'groeien' });
    assertInvalidParam(slecht, 'klantgroep', 'invalid_choice');
    assertInvalidParam(slecht, 'gewenstAandeel', 'max_value');
    assertInvalidParam(slecht, 'koers', 'invalid_choice');
    assertProblem(await srv.req('POST', `${ST}/kanaalmixdoelen`, { base: true, token: kcm,
      body: { klantgroep: 'persoon', kanaal: 'chat', gewenstAandeel: 10, koers: 'investeren' } }), 403);
    const met = expectStatus(await get('/kanaalmix?van=2026-02-01&tot=2026-02-28'), 200);
    const persoonMix = met.groepen.find((g) => g.sleutel.klantgroep === 'persoon').kanalen
      .map((k) => [k.kanaal, k.aandeel, k.gewenstAandeel, k.koers]);
    assert.deepEqual(persoonMix, [['e-mail', 50, null, null], ['telefoon', 50, 30, 'reduceren'], ['website', 0, 50, 'investeren']]);
    const per = expectStatus(await get('/kanaalmix?van=2026-02-01&tot=2026-02-28&groepeerOp=onderwerp'), 200);
    assert.deepEqual(per.groepen.map((g) => [g.sleutel.onderwerp, g.contacten]),
      [['paspoort', 1], ['verhuizing doorgeven', 3]]);
    assertInvalidParam(await get('/kanaalmix?groepeerOp=leeftijd'), 'groepeerOp', 'invalid_choice');
  });

  it('channel-shift what-if: cost before and after from the tariff table', async () => {
    const q = '/kanaalverschuiving?vanKanaal=telefoon&naarKanaal=website&percentage=50'
      + '&onderwerp=verhuizing%20doorgeven&van=2026-02-01&tot=2026-02-28';
    let w = expectStatus(await get(q), 200);
    assert.equal(w.contacten, 2);
    assert.equal(w.verschoven, 1);
    assert.equal(w.verschil, null, 'no tariffs yet: no cost');
    assert.deepEqual(w.ontbrekendeTarieven, ['telefoon', 'website']);
    const list = expectStatus(await srv.req('GET', `${ST}/tarieven`, { base: true }), 200);
    const by = Object.fromEntries(list.results.map((t) => [t.kanaal, t.uuid]));
    for (const [kanaal, cent] of [['telefoon', 600], ['website', 40]]) {
      expectStatus(await srv.req('PATCH', `${ST}/tarieven/${by[kanaal]}`, { base: true,
        body: { bedragInCenten: cent, bron: 'test' } }), 200);
    }
    w = expectStatus(await get(q), 200);
    // 2 × €6.00 = €12.00 before; 1 × €6.00 + 1 × €0.40 = €6.40 after.
    assert.deepEqual([w.kostenVoor, w.kostenNa, w.verschil, w.tariefVan, w.tariefNaar], [12, 6.4, -5.6, 6, 0.4]);
    const bad = await get('/kanaalverschuiving?vanKanaal=telefoon&naarKanaal=telefoon&percentage=0');
    assertInvalidParam(bad, 'naarKanaal', 'invalid');
    assertInvalidParam(bad, 'percentage', 'invalid');
    assertInvalidParam(await get('/kanaalverschuiving?vanKanaal=fax&naarKanaal=website&percentage=10'),
      'vanKanaal', 'invalid_choice');
    assertProblem(await get(q, kcm), 403);
  });
});

describe('balie waits from check-ins (today)', () => {
  it('a visitor called to a desk counts with the wait from check-in to called', async () => {
    const a = expectStatus(await srv.req('POST', `${K}/balie/aanmeldingen`, { base: true,
      body: { reden: 'Rijbewijs', wachtrij: 'Burgerzaken' } }), 201);
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    const q = `van=${day}&tot=${day}`;
    assert.deepEqual(await figures('baliewachttijd', q), { '': [null, 0, 0] }, 'not called yet: not counted');
    expectStatus(await srv.req('POST', `${K}/balie/aanmeldingen/${a.uuid}/oproepen`, { base: true,
      body: { medewerker: 'Sanne', balie: '3' } }), 200);
    assert.deepEqual(await figures('balieBinnenNorm', `${q}&groepeerOp=afdeling`), { 'Burgerzaken': [100, 1, 1] });
    const [w, teller, noemer] = (await figures('baliewachttijd', q))[''];
    assert.equal(noemer, 1);
    // teller: the wait in milliseconds; waarde in minutes.
    assert.ok(w >= 0 && w < 15 && Math.abs(w - teller / 60000) < 0.01, `waited ${w} minutes (${teller} ms)`);
  });
});

describe('the trend monitor (2–6 March 2026, per day)', () => {
  before(async () => {
    // One contact a day about the afvalpas, then six on Friday.
    for (const d of ['02', '03', '04', '05']) await contact('telefoon', 'Afvalpas kwijt', `2026-03-${d}T09:00:00Z`);
    for (let i = 0; i < 6; i++) await contact('chat', 'Afvalpas kwijt', `2026-03-06T09:0${i}:00Z`);
  });

  it('signals a rise against the mean of the periods before, and lists the rising onderwerp', async () => {
    const t = expectStatus(await get('/trends?kpi=contacten,fcr&periode=dag&perioden=5&tot=2026-03-06'), 200);
    assert.equal(t.van, '2026-03-02');
    assert.match(t.regel, /twee standaardafwijkingen/);
    const c = t.resultaten.find((r) => r.kpi === 'contacten');
    assert.deepEqual(c.reeks.map((r) => r.waarde), [1, 1, 1, 1, 6]);
    assert.deepEqual(c.trend, { gemiddelde: 1, afwijking: 5, signaal: 'stijging' });
    assert.equal(t.resultaten.find((r) => r.kpi === 'fcr').trend.signaal, 'geen');
    assert.deepEqual(t.stijgendeOnderwerpen.map((o) => [o.onderwerp, o.laatste]), [['afvalpas kwijt', 6]]);
    const zonder = expectStatus(await get('/trends?kpi=contacten&periode=dag&perioden=5&tot=2026-03-06&onderwerpen=nee'), 200);
    assert.deepEqual([zonder.stijgendeOnderwerpen, zonder.resultaten[0].trend.signaal], [[], 'stijging']);
    // Too few periods with a value before the last: no contacts on 28 February and 1 March.
    const kort = expectStatus(await get('/trends?kpi=fcr&periode=dag&perioden=4&tot=2026-03-03'), 200);
    assert.deepEqual(kort.resultaten[0].reeks.map((r) => r.waarde), [null, null, 100, 100]);
    assert.deepEqual(kort.resultaten[0].trend, { gemiddelde: null, afwijking: null, signaal: 'onvoldoende-gegevens' });
    const bad = await get('/trends?periode=jaar&perioden=2&tot=morgen');
    assertInvalidParam(bad, 'periode', 'invalid_choice');
    assertInvalidParam(bad, 'perioden', 'invalid');
    assertInvalidParam(bad, 'tot', 'invalid');
    expectStatus(await get('/trends?kpi=contacten', kcm), 200);
  });
});

describe('rising kennisbank searches (today)', () => {
  it('a search asked six times today and never before is listed', async () => {
    for (let i = 0; i < 6; i++) {
      expectStatus(await srv.req('POST', '/kennisbank/api/v1/_zoek', { base: true, token: kcm, body: { q: i % 2 ? 'Hondenbelasting ' : 'hondenbelasting' } }), 200);
    }
    expectStatus(await srv.req('POST', '/kennisbank/api/v1/_zoek', { base: true, token: kcm, body: { q: 'kapvergunning' } }), 200);
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    const t = expectStatus(await get(`/trends?kpi=contacten&periode=dag&perioden=5&tot=${day}`), 200);
    assert.deepEqual(t.stijgendeZoekvragen.map((z) => [z.zoekvraag, z.laatste, z.trend.signaal]), [['hondenbelasting', 6, 'stijging']]);
    const metFilter = expectStatus(await get(`/trends?kpi=contacten&periode=dag&perioden=5&tot=${day}&kanaal=telefoon`), 200);
    assert.deepEqual(metFilter.stijgendeZoekvragen, [], 'searches have no kanaal: not shown under a filter');
  });
});

describe('incremental rollups equal a recompute from scratch', () => {
  it('omnikanaal sturing herbereken --controleer finds no difference', async () => {
    expectStatus(await get('/kpis?kpi=contacten'), 200); // takes every queued change in
    const out = execFileSync(BIN, ['sturing', 'herbereken', '--controleer', '--db', srv.dbPath], { encoding: 'utf8' });
    assert.match(out, /0 van de bijgehouden regels weken af/);
  });
});
