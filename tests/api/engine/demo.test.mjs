// `omnikanaal demo` loads a believable municipality through the API's own validation:
// a few hundred partijen with valid test BSNs, digital addresses, several thousand
// klantcontacten over every channel in the last year, actors, zaken and contactverzoeken.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, elfproef, count, expectStatus } from '../lib/harness.mjs';

let srv;
before(async () => {
  srv = await startServer();
  const r = spawnSync(BIN, ['demo', '--db', srv.dbPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /loaded kennisbank articles, \d+ afdelingen/);
});
after(async () => { await srv?.stop(); });

describe('demo municipality', () => {
  it('has a few hundred partijen, every BSN passing the elfproef', async () => {
    assert.ok(await count(srv, '/partijen') >= 300);
    const ids = expectStatus(await srv.req('GET', '/partij-identificatoren?partijIdentificatorCodeSoortObjectId=bsn&pageSize=500'), 200);
    assert.ok(ids.count >= 300);
    for (const i of ids.results) assert.ok(elfproef(i.partijIdentificator.objectId), i.partijIdentificator.objectId);
    assert.equal(new Set(ids.results.map((i) => i.partijIdentificator.objectId)).size, ids.results.length, 'BSNs are unique');
  });

  it('has several thousand klantcontacten over all eight channels within the last year', async () => {
    assert.ok(await count(srv, '/klantcontacten') >= 3000);
    for (const kanaal of ['balie', 'telefoon', 'e-mail', 'chat', 'whatsapp', 'social media', 'post', 'website']) {
      assert.ok(await count(srv, `/klantcontacten?kanaal=${encodeURIComponent(kanaal)}`) > 50, kanaal);
    }
    const page = expectStatus(await srv.req('GET', '/klantcontacten?pageSize=500'), 200).results;
    const yearAgo = Date.now() - 366 * 86400e3;
    for (const kc of page) {
      const t = Date.parse(kc.plaatsgevondenOp);
      assert.ok(t > yearAgo && t <= Date.now(), kc.plaatsgevondenOp);
    }
  });

  it('has digital addresses, actors, zaken and open and closed contactverzoeken', async () => {
    assert.ok(await count(srv, '/digitaleadressen?soortDigitaalAdres=email') > 100);
    assert.ok(await count(srv, '/digitaleadressen?soortDigitaalAdres=telefoonnummer') > 100);
    assert.ok(await count(srv, '/actoren?soortActor=medewerker') >= 5);
    assert.ok(await count(srv, '/actoren?soortActor=organisatorische_eenheid') >= 5);
    assert.ok(await count(srv, '/onderwerpobjecten?onderwerpobjectidentificatorCodeObjecttype=zgw-Zaak') > 100);
    assert.ok(await count(srv, '/internetaken?status=te_verwerken') > 0);
    assert.ok(await count(srv, '/internetaken?status=verwerkt') > 0);
  });

  it('has published kennisbank articles that search finds in Dutch', async () => {
    const list = await srv.req('GET', '/kennisbank/api/v1/artikelen?pageSize=100', { base: true });
    assert.equal(list.status, 200);
    assert.ok(list.json.count >= 150);
    // 'kliko' is a synonym only (in no article's text); alone it names two articles (a broken
    // one and a bigger one), so the query says which.
    for (const [q, titel] of [['verhuizen', 'Verhuizing doorgeven'], ['paspoort', 'Paspoort aanvragen'], ['kliko kapot', 'Kapotte afvalcontainer']]) {
      const r = await srv.req('POST', '/kennisbank/api/v1/_zoek', { base: true, body: { q } });
      assert.equal(r.status, 200);
      assert.equal(r.json.results[0].titel, titel, q);
    }
  });

  it('has a municipality-wide synonym list that search uses', async () => {
    const groepen = await srv.req('GET', '/kennisbank/api/v1/synoniemen', { base: true });
    assert.equal(groepen.status, 200);
    assert.ok(groepen.json.count >= 3);
    assert.ok(groepen.json.results.some((g) => g.termen.includes('rolcontainer') && g.termen.includes('kliko')));
    // "rolcontainer" is in no article: the list makes it find the ones about the kliko.
    const r = await srv.req('POST', '/kennisbank/api/v1/_zoek', { base: true, body: { q: 'rolcontainer kapot' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.results[0].titel, 'Kapotte afvalcontainer');
  });

  it('running demo again does not duplicate anything', async () => {
    const before = await count(srv, '/klantcontacten');
    const r = spawnSync(BIN, ['demo', '--db', srv.dbPath], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(await count(srv, '/klantcontacten'), before);
  });
});

describe('demo municipality: channels', () => {
  it('has contactverzoeken (open, overdue and handled), conversations, a chat queue and balie check-ins', async () => {
    const K = '/kanalen/api/v1';
    const open = expectStatus(await srv.req('GET', `${K}/contactverzoeken?status=open&pageSize=500`, { base: true }), 200);
    const done = expectStatus(await srv.req('GET', `${K}/contactverzoeken?status=afgehandeld`, { base: true }), 200);
    assert.ok(open.count >= 10 && done.count >= 5, `${open.count} open, ${done.count} afgehandeld`);
    assert.ok(open.results.some((c) => c.teLaat), 'some are overdue');
    const deadlines = open.results.map((c) => c.deadline);
    assert.deepEqual(deadlines, [...deadlines].sort());
    // Assigned to the demo's own actors, not to duplicates of them.
    assert.equal(await count(srv, `/actoren?naam=${encodeURIComponent('Burgerzaken')}&soortActor=organisatorische_eenheid`), 1);
    const mails = expectStatus(await srv.req('GET', `${K}/gesprekken?kanaal=e-mail`, { base: true }), 200);
    assert.ok(mails.count >= 3);
    const queue = expectStatus(await srv.req('GET', `${K}/chat/wachtrij`, { base: true }), 200);
    assert.ok(queue.count >= 1);
    const balie = expectStatus(await srv.req('GET', `${K}/balie/aanmeldingen?status=wachtend`, { base: true }), 200);
    assert.ok(balie.count >= 3);
  });
});
