// Kennisbank: one answer on every channel, with Dutch search (issue "Kennisbank").
// Editors (scope redacteur or *) write; a KCC token (scope kcm) only reads published, valid
// articles.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, expectStatus, assertProblem, assertInvalidParam, create, klantcontactBody } from '../lib/harness.mjs';

let srv, kcc;
const KB = '/kennisbank/api/v1';
const kb = (method, path, opts = {}) => srv.req(method, KB + path, { base: true, ...opts });
const asKcc = (method, path, opts = {}) => kb(method, path, { token: kcc, ...opts });

before(async () => {
  srv = await startServer();
  const r = spawnSync(BIN, ['token', 'create', '--name', 'kcc-medewerker', '--scopes', 'kcm', '--db', srv.dbPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  kcc = r.stdout.trim();
});
after(async () => { await srv?.stop(); });

const artikel = (over = {}) => ({
  titel: 'Verhuizing doorgeven', vragen: ['Hoe geef ik mijn verhuizing door?'],
  kortAntwoord: 'Geef uw verhuizing online door met DigiD.',
  antwoord: '## Verhuizen\n\nGeef uw nieuwe adres door. Dat kan online.\n\n<script>alert(1)</script>',
  laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner', product: 'Verhuizing',
  synoniemen: ['adreswijziging'], trefwoorden: ['verhuizen'], ...over,
});

async function zoek(q, opts = {}) {
  const res = await asKcc('POST', '/_zoek', { body: { q, ...opts } });
  return expectStatus(res, 200);
}

describe('articles', () => {
  let a;
  it('an editor creates an article → 201 with version 1, author and readability', async () => {
    a = expectStatus(await kb('POST', '/artikelen', { body: artikel() }), 201);
    assert.equal(a.versie, 1);
    assert.equal(a.gewijzigdDoor, 'api-tests');
    assert.equal(a.status, 'gepubliceerd');
    assert.deepEqual(a.vragen, ['Hoe geef ik mijn verhuizing door?']);
    assert.equal(typeof a.leesbaarheid.fleschDouma, 'number');
    assert.ok(a.leesbaarheid.zinnen >= 2);
  });

  it('every edit is a new version with who and when; the history lists them newest first', async () => {
    const b = expectStatus(await kb('PATCH', `/artikelen/${a.uuid}`, { body: { kortAntwoord: 'Nieuw kort antwoord.' } }), 200);
    assert.equal(b.versie, 2);
    const h = expectStatus(await kb('GET', `/artikelen/${a.uuid}/versies`), 200);
    assert.equal(h.count, 2);
    assert.deepEqual(h.results.map((v) => v.versie), [2, 1]);
    assert.equal(h.results[0].inhoud.kortAntwoord, 'Nieuw kort antwoord.');
    assert.equal(h.results[1].inhoud.kortAntwoord, 'Geef uw verhuizing online door met DigiD.');
    assert.equal(h.results[0].gewijzigdDoor, 'api-tests');
    assert.deepEqual(h.results[0].gewijzigdeVelden, ['kortAntwoord'], 'what changed');
    assert.ok(h.results[1].gewijzigdeVelden.includes('titel'));
    assert.ok(!h.results[1].gewijzigdeVelden.includes('geldigVan'), 'unset fields are not listed');
  });

  it('a KCC token may not write → 403', async () => {
    assertProblem(await asKcc('POST', '/artikelen', { body: artikel() }), 403, 'permission_denied');
    assertProblem(await asKcc('PATCH', `/artikelen/${a.uuid}`, { body: { titel: 'x' } }), 403);
  });

  it('bad input → 400 with every field', async () => {
    const res = await kb('POST', '/artikelen', { body: { laag: 'landelijk', vragen: 'geen lijst', geldigVan: '2026-05-01', geldigTot: '2026-01-01' } });
    assertInvalidParam(res, 'titel', 'required', 'Dit veld is vereist.');
    assertInvalidParam(res, 'laag', 'invalid_choice', '"landelijk" is een ongeldige keuze.');
    assert.ok(res.json.invalidParams.some((p) => p.name === 'vragen'));
  });

  it('the same article by the same id on every channel: web HTML (no raw HTML), chat, telefoon', async () => {
    const web = expectStatus(await asKcc('GET', `/artikelen/${a.uuid}/weergave/web`), 200);
    assert.equal(web.formaat, 'text/html');
    assert.match(web.inhoud, /<h2>Verhuizen<\/h2>/);
    assert.ok(!web.inhoud.includes('<script>'), 'raw HTML is escaped');
    const chat = expectStatus(await asKcc('GET', `/artikelen/${a.uuid}/weergave/chat`), 200);
    assert.equal(chat.inhoud, 'Nieuw kort antwoord.');
    const tel = expectStatus(await asKcc('GET', `/artikelen/${a.uuid}/weergave/telefoon`), 200);
    assert.equal(tel.inhoud, 'Nieuw kort antwoord.');
    assert.deepEqual(tel.vragen, ['Hoe geef ik mijn verhuizing door?']);
    assertProblem(await asKcc('GET', `/artikelen/${a.uuid}/weergave/fax`), 404);
  });
});

describe('search', () => {
  before(async () => {
    await kb('POST', '/artikelen', { body: artikel({ titel: 'Paspoort aanvragen', product: 'Paspoort', synoniemen: ['reisdocument'], trefwoorden: [], vragen: ['Hoe vraag ik een paspoort aan?'], kortAntwoord: 'Maak een afspraak.', antwoord: 'U vraagt een paspoort aan op het gemeentehuis.' }) });
    await kb('POST', '/artikelen', { body: artikel({ titel: 'Afval scheiden', product: 'Afval', synoniemen: [], trefwoorden: [], vragen: [], kortAntwoord: 'Scheid uw afval.', antwoord: 'Na een verhuizing krijgt u nieuwe containers.' }) });
    await kb('POST', '/artikelen', { body: artikel({ titel: 'Verhuizen naar het buitenland', status: 'concept', synoniemen: [], trefwoorden: [] }) });
    await kb('POST', '/artikelen', { body: artikel({ titel: 'Verhuizen oude regeling', geldigVan: '2020-01-01', geldigTot: '2021-01-01', synoniemen: [], trefwoorden: [] }) });
  });

  it('stemming: "verhuizen" and "verhuizing" find the article about verhuizing', async () => {
    for (const q of ['verhuizen', 'verhuizing', 'VERHUIZINGEN']) {
      const r = await zoek(q);
      assert.ok(r.results.some((x) => x.titel === 'Verhuizing doorgeven'), q);
    }
  });

  it('a synonym finds the article', async () => {
    assert.equal((await zoek('reisdocument')).results[0].titel, 'Paspoort aanvragen');
    assert.equal((await zoek('adreswijziging')).results[0].titel, 'Verhuizing doorgeven');
  });

  it('prefix matching while typing', async () => {
    assert.equal((await zoek('pasp')).results[0].titel, 'Paspoort aanvragen');
  });

  it('ranking puts the title match first; snippets mark the match and escape HTML', async () => {
    const r = await zoek('verhuizing');
    assert.equal(r.results[0].titel, 'Verhuizing doorgeven');
    assert.ok(r.results.findIndex((x) => x.titel === 'Afval scheiden') > 0, 'body-only match ranks lower');
    assert.match(r.results[0].titelMarkering, /<mark>Verhuizing<\/mark>/);
    assert.ok(!JSON.stringify(r.results).includes('<script>'));
  });

  it('unpublished or expired articles never reach a channel', async () => {
    const r = await zoek('verhuizen');
    assert.ok(!r.results.some((x) => x.titel === 'Verhuizen naar het buitenland'), 'concept hidden');
    assert.ok(!r.results.some((x) => x.titel === 'Verhuizen oude regeling'), 'expired hidden');
    const list = expectStatus(await asKcc('GET', '/artikelen?pageSize=100'), 200);
    assert.ok(list.results.every((x) => x.status === 'gepubliceerd'));
    assert.ok(!list.results.some((x) => x.titel === 'Verhuizen oude regeling'));
    const concept = expectStatus(await kb('GET', '/artikelen?status=concept'), 200).results[0];
    assertProblem(await asKcc('GET', `/artikelen/${concept.uuid}`), 404);
    assertProblem(await asKcc('GET', `/artikelen/${concept.uuid}/weergave/web`), 404);
    const editorView = await kb('POST', '/_zoek', { body: { q: 'verhuizen' } });
    assert.ok(expectStatus(editorView, 200).results.some((x) => x.titel === 'Verhuizen naar het buitenland'), 'editors see concepts');
  });

  it('filters and facets', async () => {
    const r = await zoek('verhuizing', { product: 'Afval' });
    assert.deepEqual(r.results.map((x) => x.titel), ['Afval scheiden']);
    const all = await zoek('verhuizing');
    assert.equal(all.facetten.product.Verhuizing, 1);
    assert.equal(all.facetten.product.Afval, 1);
    // Every match has one product, laag and doelgroep, and one or more channels.
    const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
    for (const f of ['product', 'laag', 'doelgroep']) assert.equal(sum(all.facetten[f]), all.count, f);
    assert.ok(sum(all.facetten.kanaal) >= all.count);
    for (const [k, v] of Object.entries(all.facetten.kanaal)) {
      assert.ok(['web', 'chat', 'telefoon'].includes(k), k);
      assert.ok(v >= 1 && v <= all.count);
    }
  });

  it('GET with q works too', async () => {
    const r = expectStatus(await asKcc('GET', '/_zoek?q=paspoort'), 200);
    assert.equal(r.results[0].titel, 'Paspoort aanvragen');
  });

  it('bad input gets a clear 400, never a 500: empty, only syntax, oversized, wrong type', async () => {
    assertInvalidParam(await asKcc('POST', '/_zoek', { body: {} }), 'q', 'required', 'Dit veld is vereist.');
    assertInvalidParam(await asKcc('POST', '/_zoek', { body: { q: '' } }), 'q', 'blank', 'Voer een of meer zoekwoorden in.');
    assertInvalidParam(await asKcc('POST', '/_zoek', { body: { q: '"*() ' } }), 'q', 'blank', 'Voer een of meer zoekwoorden in.');
    assertInvalidParam(await asKcc('POST', '/_zoek', { body: { q: 'a'.repeat(501) } }), 'q', 'max_length', 'Zorg ervoor dat dit veld niet meer dan 500 karakters bevat.');
    assert.equal((await asKcc('POST', '/_zoek', { body: { q: 5 } })).status, 400);
    for (const q of ['"paspoort', 'pas*', 'NEAR(paspoort afval)', 'paspoort AND OR NOT', '((( paspoort', "'; DROP TABLE kb_fts;--"]) {
      const res = await asKcc('POST', '/_zoek', { body: { q } });
      assert.equal(res.status, 200, `${q}: ${res.text.slice(0, 200)}`);
    }
  });
});

describe('use and effectiveness', () => {
  it('records which article answered a klantcontact; the report shows used, never used and gaps', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const art = (await zoek('paspoort')).results[0];
    expectStatus(await asKcc('POST', '/gebruik', { body: { artikel: { uuid: art.uuid }, klantcontact: { uuid: kc.uuid } } }), 201);
    assertInvalidParam(await asKcc('POST', '/gebruik', { body: { artikel: { uuid: art.uuid }, klantcontact: { uuid: kc.uuid } } }), 'nonFieldErrors', 'unique', 'Dit artikel is al vastgelegd bij dit klantcontact.');
    await zoek('hondenbelasting');
    await zoek('hondenbelasting');
    const r = expectStatus(await kb('GET', '/rapport'), 200);
    assert.equal(r.meestGebruikt[0].titel, 'Paspoort aanvragen');
    assert.equal(r.meestGebruikt[0].aantal, 1);
    assert.ok(r.nooitGebruikt.some((x) => x.titel === 'Afval scheiden'));
    assert.deepEqual(r.zoekvragenZonderResultaat.find((g) => g.vraag === 'hondenbelasting'), { vraag: 'hondenbelasting', aantal: 2 });
    assertProblem(await asKcc('GET', '/rapport'), 403);
  });

  it('the review queue lists articles past their review date', async () => {
    const due = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Te reviewen', reviewdatum: '2020-01-01', synoniemen: [], trefwoorden: [] }) }), 201);
    const q = expectStatus(await kb('GET', '/artikelen?reviewdatum__lte=2026-11-28'), 200);
    assert.ok(q.results.some((x) => x.uuid === due.uuid));
  });

  it('openapi.json is served without auth', async () => {
    const res = await kb('GET', '/openapi.json', { token: null });
    assert.equal(res.status, 200);
    assert.equal(res.json.info.title, 'Kennisbank');
  });
});

describe('channels, index upkeep, queries as residents type them', () => {
  let tel;
  before(async () => {
    tel = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Telefoonscript kwijtschelding', product: 'Kwijtschelding', kanalen: ['telefoon'], synoniemen: [], trefwoorden: [], vragen: ['Kan ik kwijtschelding krijgen?'], kortAntwoord: 'Vraag kwijtschelding aan via het formulier.', antwoord: 'Kwijtschelding van gemeentelijke belastingen.' }) }), 201);
  });

  it('an article is on every channel unless it says otherwise; an unknown channel → 400', async () => {
    const a = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Overal', synoniemen: [], trefwoorden: [] }) }), 201);
    assert.deepEqual(a.kanalen, ['web', 'chat', 'telefoon']);
    assert.deepEqual(tel.kanalen, ['telefoon']);
    assertInvalidParam(await kb('POST', '/artikelen', { body: artikel({ kanalen: ['web', 'fax'] }) }), 'kanalen', 'invalid_choice', '"fax" is een ongeldige keuze.');
    expectStatus(await kb('DELETE', `/artikelen/${a.uuid}`), 204);
  });

  it('an article reaches only its own channels: rendition and search with kanaal', async () => {
    assertProblem(await asKcc('GET', `/artikelen/${tel.uuid}/weergave/web`), 404);
    assertProblem(await asKcc('GET', `/artikelen/${tel.uuid}/weergave/chat`), 404);
    assert.equal(expectStatus(await asKcc('GET', `/artikelen/${tel.uuid}/weergave/telefoon`), 200).inhoud, 'Vraag kwijtschelding aan via het formulier.');
    assert.equal(expectStatus(await kb('GET', `/artikelen/${tel.uuid}/weergave/web`), 200).kanaal, 'web', 'editors may preview');
    assert.equal((await zoek('kwijtschelding ', { kanaal: 'web' })).count, 0);
    const t = await zoek('kwijtschelding ', { kanaal: 'telefoon' });
    assert.deepEqual(t.results.map((x) => x.titel), ['Telefoonscript kwijtschelding']);
    assert.deepEqual(t.facetten.kanaal, { telefoon: 1 });
    assertInvalidParam(await asKcc('POST', '/_zoek', { body: { q: 'x', kanaal: 'fax' } }), 'kanaal', 'invalid_choice', 'Ongeldige keuze.');
    assertInvalidParam(await asKcc('POST', '/_zoek', { body: { q: 'x', onbekend: 1 } }), 'onbekend', 'unknown', 'Onbekend zoekveld.');
  });

  it('an edit replaces the index entry; a delete removes it', async () => {
    const a = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Marktvergunning', product: 'Standplaatsen', synoniemen: [], trefwoorden: [], vragen: [], kortAntwoord: 'Vraag een standplaats aan.', antwoord: 'Een standplaats voor uw kraam.' }) }), 201);
    assert.deepEqual((await zoek('marktvergunning ')).results.map((x) => x.uuid), [a.uuid]);
    expectStatus(await kb('PATCH', `/artikelen/${a.uuid}`, { body: { titel: 'Standplaatsvergunning' } }), 200);
    assert.equal((await zoek('marktvergunning ')).count, 0, 'old title no longer indexed');
    const now = await zoek('standplaatsvergunning ');
    assert.deepEqual(now.results.map((x) => x.uuid), [a.uuid], 'indexed once, under the new title');
    expectStatus(await kb('DELETE', `/artikelen/${a.uuid}`), 204);
    assert.equal((await zoek('standplaatsvergunning ')).count, 0);
  });

  it('a whole question as a resident types it finds the article (stopwords do not block)', async () => {
    const r = await zoek('Hoe vraag ik een paspoort aan?');
    assert.equal(r.results[0].titel, 'Paspoort aanvragen');
  });

  it('a phrase in double quotes keeps its words together and in order', async () => {
    assert.equal((await zoek('"paspoort aanvragen"')).results[0].titel, 'Paspoort aanvragen');
    const r = await zoek('"aanvragen paspoort"');
    assert.ok(!r.results.some((x) => x.titel === 'Paspoort aanvragen'), 'words in the other order do not match the phrase');
  });

  it('pages through the results; count and facets cover every match', async () => {
    const all = await zoek('verhuizing ');
    assert.ok(all.count >= 2);
    const p2 = await zoek('verhuizing ', { pageSize: 1, page: 2 });
    assert.equal(p2.count, all.count);
    assert.equal(p2.results.length, 1);
    assert.equal(p2.results[0].uuid, all.results[1].uuid);
    assert.deepEqual(p2.facetten, all.facetten);
    assert.ok(p2.results[0].fragment.length > 0);
  });
});

describe('review queue', () => {
  it('lists articles past their review date, longest overdue first, without archived ones (editors)', async () => {
    const oud = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Review oud', reviewdatum: '2019-03-01', synoniemen: [], trefwoorden: [] }) }), 201);
    const recent = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Review recent', reviewdatum: '2021-06-01', synoniemen: [], trefwoorden: [] }) }), 201);
    const archief = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Review archief', status: 'gearchiveerd', reviewdatum: '2019-01-01', synoniemen: [], trefwoorden: [] }) }), 201);
    const later = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Review later', reviewdatum: '2999-01-01', synoniemen: [], trefwoorden: [] }) }), 201);
    const q = expectStatus(await kb('GET', '/reviewwachtrij'), 200);
    const ids = q.results.map((x) => x.uuid);
    assert.ok(ids.indexOf(oud.uuid) >= 0 && ids.indexOf(oud.uuid) < ids.indexOf(recent.uuid), 'oldest first');
    assert.ok(!ids.includes(archief.uuid), 'archived left out');
    assert.ok(!ids.includes(later.uuid), 'not yet due');
    assert.equal(q.results[ids.indexOf(oud.uuid)].reviewdatum, '2019-03-01');
    const asOf = expectStatus(await kb('GET', '/reviewwachtrij?datum=2020-01-01'), 200);
    assert.ok(asOf.results.some((x) => x.uuid === oud.uuid) && !asOf.results.some((x) => x.uuid === recent.uuid));
    assertInvalidParam(await kb('GET', '/reviewwachtrij?datum=morgen'), 'datum', 'invalid', 'Geen geldige datum (JJJJ-MM-DD).');
    assertProblem(await asKcc('GET', '/reviewwachtrij'), 403);
  });
});

describe('personal articles (laag persoonlijk)', () => {
  let p;
  before(async () => {
    p = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Uw afvalkalender', laag: 'persoonlijk', product: 'Afval', synoniemen: [], trefwoorden: [], vragen: ['Wanneer wordt mijn afval opgehaald?'], kortAntwoord: 'Beste {{naam}}, uw container wordt op {{ophaaldag}} geleegd.', antwoord: '## Ophalen\n\nBeste {{naam}}, zet de container op {{ophaaldag}} voor 7.30 uur buiten.' }) }), 201);
  });

  it('without data the placeholders show and are listed as missing', async () => {
    const r = expectStatus(await asKcc('GET', `/artikelen/${p.uuid}/weergave/chat`), 200);
    assert.equal(r.inhoud, 'Beste «naam», uw container wordt op «ophaaldag» geleegd.');
    assert.deepEqual(r.ontbrekend, ['naam', 'ophaaldag']);
    assert.equal(r.laag, 'persoonlijk');
  });

  it('the channel sends the resident\'s data; the same article is filled on every channel', async () => {
    const gegevens = { naam: 'mevrouw De Vries', ophaaldag: 'dinsdag 3 december' };
    const chat = expectStatus(await asKcc('POST', `/artikelen/${p.uuid}/weergave/chat`, { body: { gegevens } }), 200);
    assert.equal(chat.inhoud, 'Beste mevrouw De Vries, uw container wordt op dinsdag 3 december geleegd.');
    assert.deepEqual(chat.ontbrekend, []);
    const web = expectStatus(await asKcc('POST', `/artikelen/${p.uuid}/weergave/web`, { body: { gegevens } }), 200);
    assert.match(web.inhoud, /<p>Beste mevrouw De Vries, zet de container op dinsdag 3 december voor 7.30 uur buiten.<\/p>/);
  });

  it('placeholder names may be dotted, as in the demo article about a zaak', async () => {
    const z = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Status zaak', laag: 'persoonlijk', synoniemen: [], trefwoorden: [], kortAntwoord: 'Uw aanvraag heeft de status {{zaak.status}}. {{zaak.}} {{1x}}', antwoord: 'x' }) }), 201);
    const r = expectStatus(await asKcc('POST', `/artikelen/${z.uuid}/weergave/telefoon`, { body: { gegevens: { 'zaak.status': 'in behandeling' } } }), 200);
    assert.equal(r.inhoud, 'Uw aanvraag heeft de status in behandeling. «zaak.» {{1x}}');
    assert.deepEqual(r.ontbrekend, ['zaak.']);
  });

  it('a value cannot add markup to the web rendition', async () => {
    const gegevens = { naam: '[klik](javascript:alert(1)) <img src=x onerror=alert(1)> **vet**', ophaaldag: 'maandag' };
    const web = expectStatus(await asKcc('POST', `/artikelen/${p.uuid}/weergave/web`, { body: { gegevens } }), 200);
    assert.ok(!/<a |<img|<strong>/.test(web.inhoud), web.inhoud);
    assert.match(web.inhoud, /\[klik\]\(javascript:alert\(1\)\) &lt;img src=x onerror=alert\(1\)&gt; \*\*vet\*\*/);
  });

  it('bad data → 400; an article the caller may not see stays 404', async () => {
    assertInvalidParam(await asKcc('POST', `/artikelen/${p.uuid}/weergave/chat`, { body: {} }), 'gegevens', 'required', 'Dit veld is vereist.');
    assertInvalidParam(await asKcc('POST', `/artikelen/${p.uuid}/weergave/chat`, { body: { gegevens: { naam: 5 } } }), 'gegevens', 'invalid', 'Ongeldig gegeven "naam": een naam van letters en cijfers en een tekst van ten hoogste 500 tekens.');
    assertInvalidParam(await asKcc('POST', `/artikelen/${p.uuid}/weergave/chat`, { body: { gegevens: {}, bsn: '1' } }), 'bsn', 'unknown', 'Onbekend veld.');
    const c = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: 'Concept persoonlijk', status: 'concept', laag: 'persoonlijk', synoniemen: [], trefwoorden: [] }) }), 201);
    assertProblem(await asKcc('POST', `/artikelen/${c.uuid}/weergave/chat`, { body: { gegevens: {} } }), 404);
  });
});

describe('redactie: B1 verdict and the live preview of a draft', () => {
  it('a long sentence makes the verdict "moeilijker dan B1"; headings and list fragments are no sentences', async () => {
    const kort = 'Vraag uw paspoort aan bij de balie.';
    const easy = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: `B1 ${Date.now()}`, kortAntwoord: kort,
      antwoord: '## Wat neemt u mee\n\n- uw oude paspoort\n- een pasfoto\n\nU maakt eerst een afspraak. Dat kan online.' }) }), 201);
    assert.equal(easy.leesbaarheid.zinnen, 3);
    assert.equal(easy.leesbaarheid.aantalLangeZinnen, 0);
    const lang = 'U kunt uw paspoort aanvragen bij de balie van het stadskantoor wanneer u een afspraak heeft gemaakt en alle benodigde documenten zoals uw oude paspoort meeneemt.';
    const hard = expectStatus(await kb('PATCH', `/artikelen/${easy.uuid}`, { body: { antwoord: `${lang} Dat kan online.` } }), 200);
    assert.equal(hard.leesbaarheid.aantalLangeZinnen, 1);
    assert.deepEqual(hard.leesbaarheid.langeZinnen, [lang]);
    assert.equal(hard.leesbaarheid.niveau, 'moeilijker dan B1');
  });

  it('POST …/weergave/{kanaal} with a concept renders the draft (editors only) and scores it', async () => {
    const a = expectStatus(await kb('POST', '/artikelen', { body: artikel({ titel: `Concept ${Date.now()}` }) }), 201);
    const w = expectStatus(await kb('POST', `/artikelen/${a.uuid}/weergave/web`, { body: { concept: { antwoord: '## Nieuw\n\nDit is **nieuw**.' } } }), 200);
    assert.match(w.inhoud, /<strong>nieuw<\/strong>/);
    assert.equal(w.leesbaarheid.zinnen, 2);
    const stored = expectStatus(await kb('GET', `/artikelen/${a.uuid}`), 200);
    assert.match(stored.antwoord, /Geef uw nieuwe adres door/, 'the preview stores nothing');
    const tel = expectStatus(await kb('POST', `/artikelen/${a.uuid}/weergave/telefoon`, { body: { concept: { kortAntwoord: 'Bel ons.' } } }), 200);
    assert.equal(tel.inhoud, 'Bel ons.');
    expectStatus(await asKcc('POST', `/artikelen/${a.uuid}/weergave/web`, { body: { concept: { antwoord: 'x' } } }), 403);
    const bad = await kb('POST', `/artikelen/${a.uuid}/weergave/web`, { body: { concept: { titel: 'x', antwoord: 5 } } });
    assertInvalidParam(bad, 'concept.titel', 'unknown');
    assertInvalidParam(bad, 'concept.antwoord', 'invalid');
  });
});
