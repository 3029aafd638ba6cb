// Kennisbank safety: searches without a result are kept for the redactie's content-gaps report
// without the personal data people type into a search box (a BSN, an e-mail address, a phone
// number).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, expectStatus } from './lib/harness.mjs';

let srv, kcc;
const KB = '/kennisbank/api/v1';
const kb = (method, path, opts = {}) => srv.req(method, KB + path, { base: true, ...opts });

before(async () => {
  srv = await startServer();
  kcc = srv.createToken('kcc-medewerker', 'kcm');
});
after(async () => { await srv?.stop(); });

/** The stored queries of searches without a result, as the table holds them. */
const stored = () => execFileSync('sqlite3', [srv.dbPath, 'SELECT vraag FROM kb_zoekvragen ORDER BY id'],
  { encoding: 'utf8' }).split('\n').filter((l) => l.length);

describe('searches without a result: kept without personal data', () => {
  it('a BSN, an e-mail address and phone numbers are replaced by markers, in the table and in the report', async () => {
    const queries = [
      'uitkering 111222333 Jansen',
      'wijziging j.jansen@example.nl aanvragen',
      'terugbellen 06-12345678',
      'terugbellen +31 (0)20 123 4567',
      'paspoort 123.456.782 kwijt',
    ];
    for (const q of queries) {
      const r = expectStatus(await kb('POST', '/_zoek', { token: kcc, body: { q } }), 200);
      assert.equal(r.count, 0, q);
    }
    assert.deepEqual(stored(), [
      'uitkering [bsn] Jansen',
      'wijziging [e-mail] aanvragen',
      'terugbellen [telefoonnummer]',
      'terugbellen [telefoonnummer]',
      'paspoort [bsn] kwijt',
    ]);
    const rapport = expectStatus(await kb('GET', '/rapport'), 200);
    const vragen = rapport.zoekvragenZonderResultaat.map((g) => g.vraag);
    assert.ok(vragen.includes('uitkering [bsn] Jansen'), JSON.stringify(vragen));
    assert.deepEqual(rapport.zoekvragenZonderResultaat.find((g) => g.vraag === 'terugbellen [telefoonnummer]'),
      { vraag: 'terugbellen [telefoonnummer]', aantal: 2 });
    assert.ok(!JSON.stringify(rapport).match(/111222333|example\.nl|12345678|123\.456\.782/), JSON.stringify(rapport));
  });

  it('a query that is only personal data is not kept at all; other numbers stay', async () => {
    const n = stored().length;
    for (const q of ['999993653', 'jan@example.nl', '0612345678', '  +31612345678  ']) {
      expectStatus(await kb('GET', `/_zoek?q=${encodeURIComponent(q)}`, { token: kcc }), 200);
    }
    assert.equal(stored().length, n);
    expectStatus(await kb('POST', '/_zoek', { token: kcc, body: { q: 'formulier 123456789 uit 2024' } }), 200);
    assert.equal(stored().at(-1), 'formulier 123456789 uit 2024', 'nine digits failing the elfproef are no BSN');
  });
});
