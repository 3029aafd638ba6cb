// Kennisbank search that understands Dutch as residents and employees type it (issue 15):
// inflections ("verhuisd"), compounds ("vergunning parkeren" finds "parkeervergunning"), typos
// with "bedoelde u" ("paspoord"). Articles are written by an editor; a KCC token searches.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, expectStatus } from '../lib/harness.mjs';

let srv, kcc;
const KB = '/kennisbank/api/v1';
const kb = (method, path, opts = {}) => srv.req(method, KB + path, { base: true, ...opts });

const artikelen = {
  verhuizing: { titel: 'Verhuizing doorgeven', vragen: ['Hoe geef ik mijn verhuizing door?'],
    antwoord: 'Geef uw nieuwe adres door aan de gemeente.', product: 'Verhuizing' },
  parkeren: { titel: 'Parkeervergunning voor bewoners', vragen: ['Hoe krijg ik een parkeervergunning?'],
    antwoord: 'Woont u in een betaald-parkeergebied? Vraag online een vergunning aan.', product: 'Parkeren' },
  evenement: { titel: 'Evenementenvergunning', vragen: ['Heb ik een vergunning nodig voor een buurtfeest?'],
    antwoord: 'Vraag 8 weken van tevoren een vergunning aan.', product: 'Evenementen' },
  hond: { titel: 'Hondenbelasting', vragen: ['Moet ik betalen voor mijn hond?'],
    antwoord: 'Heeft u een hond? Dan betaalt u elk jaar hondenbelasting.', product: 'Belastingen' },
  paspoort: { titel: 'Paspoort aanvragen', vragen: ['Hoe vraag ik een paspoort aan?'],
    antwoord: 'Maak een afspraak op het gemeentehuis. Neem een pasfoto mee.', product: 'Paspoort' },
  rijbewijs: { titel: 'Rijbewijs verlengen', vragen: ['Mijn rijbewijs verloopt, wat moet ik doen?'],
    antwoord: 'Vraag online een nieuw rijbewijs aan met DigiD.', product: 'Rijbewijs' },
};
const uuid = {};

before(async () => {
  srv = await startServer();
  const r = spawnSync(BIN, ['token', 'create', '--name', 'kcc', '--scopes', 'kcm', '--db', srv.dbPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  kcc = r.stdout.trim();
  for (const [key, a] of Object.entries(artikelen)) {
    const body = { laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner', ...a };
    uuid[key] = expectStatus(await kb('POST', '/artikelen', { body }), 201).uuid;
  }
});
after(async () => { await srv?.stop(); });

async function zoek(q) {
  return expectStatus(await kb('POST', '/_zoek', { token: kcc, body: { q } }), 200);
}
const titels = (r) => r.results.map((x) => x.titel);

describe('inflections', () => {
  it('"verhuisd" (a past participle) finds the article about "verhuizing"', async () => {
    const r = await zoek('verhuisd ');
    assert.deepEqual(titels(r), ['Verhuizing doorgeven']);
    assert.equal(r.bedoeldeU, null, 'no typo: nothing was corrected');
  });
  it('"ik ben verhuisd" and "verhuisde" find it too', async () => {
    assert.deepEqual(titels(await zoek('ik ben verhuisd')), ['Verhuizing doorgeven']);
    assert.deepEqual(titels(await zoek('verhuisde ')), ['Verhuizing doorgeven']);
  });
  it('"paspoort aangevraagd" finds "Paspoort aanvragen"', async () => {
    assert.deepEqual(titels(await zoek('paspoort aangevraagd ')), ['Paspoort aanvragen']);
  });
});

describe('compounds', () => {
  it('"vergunningen" finds both articles whose title is a compound ending in vergunning', async () => {
    const r = await zoek('vergunningen ');
    assert.deepEqual(titels(r).sort(), ['Evenementenvergunning', 'Parkeervergunning voor bewoners']);
  });
  it('"parkeren vergunning" and "vergunning parkeren" find the parkeervergunning first', async () => {
    for (const q of ['parkeren vergunning ', 'vergunning parkeren ']) {
      const r = await zoek(q);
      assert.equal(r.results[0].titel, 'Parkeervergunning voor bewoners', q);
      assert.ok(!titels(r).includes('Evenementenvergunning'), `${q}: every word must match`);
    }
  });
  it('"belasting voor mijn hond" finds Hondenbelasting, with the title marked', async () => {
    const r = await zoek('belasting voor mijn hond ');
    assert.equal(r.results[0].titel, 'Hondenbelasting');
  });
  it('a typed compound is split only when no article holds it whole', async () => {
    const extra = expectStatus(await kb('POST', '/artikelen', { body: {
      titel: 'Vergunning', vragen: [], antwoord: 'Een vergunning om te parkeren op straat.',
      laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner' } }), 201);
    assert.deepEqual(titels(await zoek('parkeervergunning ')), ['Parkeervergunning voor bewoners']);
    expectStatus(await kb('DELETE', `/artikelen/${uuid.parkeren}`), 204);
    assert.deepEqual(titels(await zoek('parkeervergunning ')), ['Vergunning'], 'its parts apart');
    uuid.parkeren = expectStatus(await kb('POST', '/artikelen', { body: {
      laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner', ...artikelen.parkeren } }), 201).uuid;
    expectStatus(await kb('DELETE', `/artikelen/${extra.uuid}`), 204);
  });
});

describe('ranking: the word itself before a longer word that starts with it or holds it', () => {
  const extra = [];
  before(async () => {
    for (const a of [
      { titel: 'Kwijtschelding gemeentelijke belastingen', vragen: ['Kan ik kwijtschelding krijgen?'],
        antwoord: 'Vraag kwijtschelding aan. Neem uw paspoort of ID-kaart mee. Kwijtschelding geldt een jaar.' },
      { titel: 'Vermissing van een reisdocument', vragen: ['Wat moet ik doen als mijn reisdocument weg is?'],
        antwoord: 'Bent u uw paspoort kwijt? Doe aangifte van vermissing.' },
      { titel: 'Status van uw aanvraag', vragen: ['Hoe ver is mijn aanvraag?'],
        antwoord: 'Kijk online hoe ver uw aanvraag is.' },
      { titel: 'Dagbesteding', vragen: ['Waar vind ik een dagactiviteit?'],
        antwoord: 'Een dagactiviteit bij u in de buurt. Vraag het aan bij het wijkteam.' },
    ]) {
      const body = { laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner', ...a };
      extra.push(expectStatus(await kb('POST', '/artikelen', { body }), 201).uuid);
    }
  });
  after(async () => {
    for (const u of extra) expectStatus(await kb('DELETE', `/artikelen/${u}`), 204);
  });
  it('"paspoort kwijt" (still typing "kwijt") ranks the lost passport above "Kwijtschelding"', async () => {
    const r = await zoek('paspoort kwijt');
    assert.equal(r.results[0].titel, 'Vermissing van een reisdocument');
  });
  it('"dagactiviteit aanvragen": with no article holding both, the rare word decides, not a title with "aanvraag"', async () => {
    const r = await zoek('dagactiviteit aanvragen ');
    assert.equal(r.results[0].titel, 'Dagbesteding');
  });
  it('"paspoort aanvragen" ranks "Paspoort aanvragen" first', async () => {
    const r = await zoek('paspoort aanvragen ');
    assert.equal(r.results[0].titel, 'Paspoort aanvragen');
  });
});

describe('typos: "bedoelde u"', () => {
  it('"paspoord" answers the articles for "paspoort" and says so', async () => {
    const r = await zoek('paspoord ');
    assert.equal(r.bedoeldeU, 'paspoort');
    assert.deepEqual(titels(r), ['Paspoort aanvragen']);
  });
  it('"rijbewys verlengen": y typed for ij', async () => {
    const r = await zoek('rijbewys verlengen');
    assert.equal(r.bedoeldeU, 'rijbewijs verlengen');
    assert.equal(r.results[0].titel, 'Rijbewijs verlengen');
  });
  it('a search that finds something is never corrected', async () => {
    const r = await zoek('paspoort');
    assert.equal(r.bedoeldeU, null);
    assert.equal(r.results[0].titel, 'Paspoort aanvragen');
  });
  it('nothing near: no suggestion, no results, the search is recorded as a content gap', async () => {
    const r = await zoek('xqzwvbk ');
    assert.equal(r.count, 0);
    assert.equal(r.bedoeldeU, null);
  });
});
