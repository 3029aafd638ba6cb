// The municipality-wide synonym list of the kennisbank (issue 15): groups of equivalent terms
// the redactie keeps at /kennisbank/api/v1/synoniemen, used by every search at once (no
// reindexing), besides each article's own synonyms. Articles and groups are written with the
// suite's token; a KCC token searches; each role's rights are checked with its own token.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, expectStatus, assertProblem, assertInvalidParam, REQUIRED, UUID_RE, randomUuid } from '../lib/harness.mjs';

let srv;
const tokens = {};
const KB = '/kennisbank/api/v1';
const kb = (method, path, opts = {}) => srv.req(method, KB + path, { base: true, ...opts });

const artikelen = [
  { titel: 'Kapotte afvalcontainer', vragen: ['Mijn kliko is kapot, wat nu?'],
    antwoord: 'Is uw kliko kapot of gestolen? Meld het online. Wij brengen een nieuwe.', product: 'Afval' },
  { titel: 'Paspoort aanvragen', vragen: ['Hoe vraag ik een paspoort aan?'],
    antwoord: 'Maak een afspraak op het gemeentehuis. Neem een pasfoto mee.', product: 'Paspoort' },
  { titel: 'Grofvuil laten ophalen', vragen: ['Hoe laat ik grofvuil ophalen?'],
    antwoord: 'Maak online een afspraak. Zet de grijze container niet bij het grofvuil.', product: 'Afval' },
];

function token(name, scopes) {
  const r = spawnSync(BIN, ['token', 'create', '--name', name, '--scopes', scopes, '--db', srv.dbPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

before(async () => {
  srv = await startServer();
  for (const rol of ['kcm', 'redacteur', 'beheerder', 'manager', 'backoffice']) tokens[rol] = token(rol, rol);
  for (const a of artikelen) {
    const body = { laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner', ...a };
    expectStatus(await kb('POST', '/artikelen', { body }), 201);
  }
});
after(async () => { await srv?.stop(); });

const titels = async (q) => {
  const r = expectStatus(await kb('POST', '/_zoek', { token: tokens.kcm, body: { q } }), 200);
  return { titels: r.results.map((x) => x.titel), bedoeldeU: r.bedoeldeU };
};
const maak = async (termen, tok = tokens.redacteur) => kb('POST', '/synoniemen', { token: tok, body: { termen } });

describe('the search uses the list at once', () => {
  let groep;
  it('a word no article holds finds nothing before it is in the list', async () => {
    assert.deepEqual(await titels('rolemmer'), { titels: [], bedoeldeU: null });
  });
  it('POST a group: 201 with its uuid, the terms as stored and who changed it', async () => {
    const r = await maak(['Rolemmer', 'kliko', 'minicontainer']);
    groep = expectStatus(r, 201);
    assert.match(groep.uuid, UUID_RE);
    assert.equal(groep.url, `${srv.base}${KB}/synoniemen/${groep.uuid}`);
    assert.deepEqual(groep.termen, ['rolemmer', 'kliko', 'minicontainer']);
    assert.equal(groep.gewijzigdDoor, 'redacteur');
    assert.match(groep.gewijzigdOp, /^\d{4}-\d\d-\d\dT/);
  });
  it('the next search finds the article by the new synonym, without reindexing', async () => {
    assert.deepEqual(await titels('rolemmer kapot'), { titels: ['Kapotte afvalcontainer'], bedoeldeU: null });
    assert.deepEqual((await titels('minicontainer')).titels, ['Kapotte afvalcontainer']);
  });
  it('PUT replaces the terms, and the search follows at once', async () => {
    const r = expectStatus(await kb('PUT', `/synoniemen/${groep.uuid}`, { token: tokens.redacteur,
      body: { termen: ['rolemmer', 'paspoort'] } }), 200);
    assert.equal(r.uuid, groep.uuid);
    assert.deepEqual(r.termen, ['rolemmer', 'paspoort']);
    assert.deepEqual((await titels('rolemmer')).titels, ['Paspoort aanvragen']);
    assert.deepEqual((await titels('minicontainer')).titels, []);
  });
  it('GET lists the group; GET by uuid reads it', async () => {
    const list = expectStatus(await kb('GET', '/synoniemen', { token: tokens.kcm }), 200);
    assert.equal(list.count, 1);
    assert.equal(list.next, null);
    assert.deepEqual(list.results.map((g) => [g.uuid, g.termen]), [[groep.uuid, ['rolemmer', 'paspoort']]]);
    const one = expectStatus(await kb('GET', `/synoniemen/${groep.uuid}`, { token: tokens.kcm }), 200);
    assert.deepEqual(one.termen, ['rolemmer', 'paspoort']);
  });
  it('DELETE: 204, and the synonym no longer finds the article', async () => {
    const r = await kb('DELETE', `/synoniemen/${groep.uuid}`, { token: tokens.redacteur });
    assert.equal(r.status, 204);
    assert.deepEqual((await titels('rolemmer')).titels, []);
    assertProblem(await kb('GET', `/synoniemen/${groep.uuid}`, { token: tokens.kcm }), 404);
    assert.equal(expectStatus(await kb('GET', '/synoniemen', { token: tokens.kcm }), 200).count, 0);
  });
  it('a term of several words matches as a phrase; spelling, case and accents are folded', async () => {
    const g = expectStatus(await maak(['Huisvuilbák', 'grijze container']), 201);
    assert.deepEqual(g.termen, ['huisvuilbak', 'grijze container']);
    assert.deepEqual((await titels('huisvuilbak')).titels, ['Grofvuil laten ophalen']);
    assert.deepEqual((await titels('HUISVUILBAK')).titels, ['Grofvuil laten ophalen']);
    const m = expectStatus(await maak([' Mini-Kliko ', 'afvalbakje']), 201);
    assert.deepEqual(m.termen, ['mini kliko', 'afvalbakje']);
  });
  it('typed words that make a term of several words find the other terms of its group', async () => {
    assert.deepEqual((await titels('vuilnisbak op wielen')).titels, [], 'no article holds these words');
    const g = expectStatus(await maak(['Vuilnisbak op wielen', 'kliko']), 201);
    for (const q of ['vuilnisbak op wielen', 'Vuilnisbak  op wielen ', 'mijn vuilnisbak op wielen is kapot']) {
      const r = await titels(q);
      assert.deepEqual(r.titels, ['Kapotte afvalcontainer'], q);
      assert.equal(r.bedoeldeU, null, q);
    }
    /* only the whole term: one of its words alone is no synonym */
    assert.deepEqual((await titels('wielen')).titels, []);
    expectStatus(await kb('DELETE', `/synoniemen/${g.uuid}`, { token: tokens.redacteur }), 204);
  });
});

describe('bad input: problem+json naming the field, in Dutch', () => {
  it('no termen', async () => {
    assertInvalidParam(await kb('POST', '/synoniemen', { token: tokens.redacteur, body: {} }), 'termen', 'required', REQUIRED);
  });
  it('termen not a list', async () => {
    assertInvalidParam(await maak('kliko, container'), 'termen', 'invalid', 'Geef een lijst van termen.');
  });
  it('fewer than two different terms', async () => {
    assertInvalidParam(await maak(['alleen']), 'termen', 'min_length', 'Een groep heeft minstens 2 verschillende termen.');
  });
  it('more than 20 terms', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `term${i}`);
    assertInvalidParam(await maak(many), 'termen', 'max_length', 'Een groep heeft hoogstens 20 termen.');
  });
  it('each bad term is named by its position, all at once', async () => {
    const r = await maak(['vuilnisbak', 'Vuilnisbak', 7, '', '--', 'x'.repeat(101), 'Ωmega']);
    assertInvalidParam(r, 'termen.1', 'unique', 'Deze term staat al eerder in de groep.');
    assertInvalidParam(r, 'termen.2', 'invalid', 'Geen geldige string.');
    for (const i of [3, 4, 5, 6]) assertInvalidParam(r, `termen.${i}`, 'invalid', /^Een term bestaat uit een of meer woorden/);
  });
  it('an unknown field', async () => {
    assertInvalidParam(await kb('POST', '/synoniemen', { token: tokens.redacteur, body: { termen: ['a1', 'b1'], soort: 'x' } }),
      'soort', 'unknown', 'Onbekend veld.');
  });
  it('a term that is in another group is refused, and nothing changes', async () => {
    const a = expectStatus(await maak(['stempas', 'stemkaart']), 201);
    const b = expectStatus(await maak(['oproepkaart', 'kiezerspas']), 201);
    assertInvalidParam(await maak(['stemkaart', 'stembiljet']), 'termen.0', 'unique',
      'De term "stemkaart" staat al in een andere groep synoniemen.');
    assertInvalidParam(await kb('PUT', `/synoniemen/${b.uuid}`, { token: tokens.redacteur,
      body: { termen: ['oproepkaart', 'kiezerspas', 'stempas'] } }), 'termen.2', 'unique',
    'De term "stempas" staat al in een andere groep synoniemen.');
    assert.deepEqual(expectStatus(await kb('GET', `/synoniemen/${b.uuid}`, { token: tokens.kcm }), 200).termen, ['oproepkaart', 'kiezerspas']);
    assert.deepEqual(expectStatus(await kb('GET', `/synoniemen/${a.uuid}`, { token: tokens.kcm }), 200).termen, ['stempas', 'stemkaart']);
    // A group may keep its own terms when it is written again (sent back as read).
    const again = expectStatus(await kb('GET', `/synoniemen/${a.uuid}`, { token: tokens.kcm }), 200);
    expectStatus(await kb('PUT', `/synoniemen/${a.uuid}`, { token: tokens.redacteur, body: again }), 200);
  });
  it('an unknown or malformed uuid: 404', async () => {
    const u = randomUuid();
    assertProblem(await kb('GET', `/synoniemen/${u}`, { token: tokens.kcm }), 404);
    assertProblem(await kb('PUT', `/synoniemen/${u}`, { token: tokens.redacteur, body: { termen: ['qq1', 'qq2'] } }), 404);
    assertProblem(await kb('DELETE', `/synoniemen/${u}`, { token: tokens.redacteur }), 404);
    assertProblem(await kb('GET', '/synoniemen/geen-uuid', { token: tokens.kcm }), 404);
  });
  it('an unknown query parameter on the list', async () => {
    assertInvalidParam(await kb('GET', '/synoniemen?page=2', { token: tokens.kcm }), 'page', 'unknown');
  });
});

describe('who may read and change the list', () => {
  it('redacteur and beheerder change it; kcm only reads; manager and backoffice neither', async () => {
    expectStatus(await maak(['beheerterm', 'beheerwoord'], tokens.beheerder), 201);
    assertProblem(await maak(['kcmterm', 'kcmwoord'], tokens.kcm), 403);
    for (const rol of ['kcm', 'redacteur', 'beheerder']) expectStatus(await kb('GET', '/synoniemen', { token: tokens[rol] }), 200, rol);
    for (const rol of ['manager', 'backoffice']) {
      assertProblem(await kb('GET', '/synoniemen', { token: tokens[rol] }), 403);
      assertProblem(await maak(['xterm', 'yterm'], tokens[rol]), 403);
    }
  });
  it('without a token: 401', async () => {
    assertProblem(await kb('GET', '/synoniemen', { token: null }), 401);
  });
});
