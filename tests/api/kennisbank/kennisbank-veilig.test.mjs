// Kennisbank safety: searches without a result are kept for the redactie's content-gaps report
// without the personal data people type into a search box (a BSN, an e-mail address, a phone
// number), and no rendition of an article emits a link or image with a scheme outside http,
// https, mailto and tel (javascript:, data:, vbscript: in any spelling show as text only).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, expectStatus } from '../lib/harness.mjs';

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

describe('link-scheme allowlist in every rendition', () => {
  const antwoord = [
    'Lees [de regels](https://www.gemeente.nl/regels), [mail ons](mailto:info@gemeente.nl),',
    '[bel ons](tel:+31201234567), [het formulier](/formulieren/afval?x=1&y=2) of [onder](#onder).',
    '',
    'Niet: [js](javascript:alert(1)) [JS](JaVaScRiPt:alert(2)) [entity](&#106;avascript:alert(3))',
    '[hex](&#x6A;avascript:alert(4)) [tab](java&#x09;script:alert(5)) [spatie]( javascript:alert(6))',
    '[vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(7)>',
    '[ref][kwaad]',
    '',
    '![logo](https://www.gemeente.nl/logo.png) ![plaatje](data:image/svg+xml;base64,PHN2Zz4=)',
    '![ander *plaatje*](JAVASCRIPT:alert(8) "titel")',
    '',
    '[kwaad]: javascript:alert(9)',
  ].join('\n');
  let art;

  before(async () => {
    art = expectStatus(await kb('POST', '/artikelen', { body: {
      titel: 'Contact met de gemeente', vragen: ['Hoe neem ik contact op?'], kortAntwoord: '',
      antwoord, laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner', product: 'Contact',
      synoniemen: [], trefwoorden: [], kanalen: ['web', 'chat', 'telefoon'] } }), 201);
  });

  it('web: allowed links and images stay; javascript:, data: and vbscript: ones show their text only', async () => {
    const w = expectStatus(await kb('GET', `/artikelen/${art.uuid}/weergave/web`, { token: kcc }), 200);
    assert.equal(w.formaat, 'text/html');
    const html = w.inhoud;
    const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    for (const h of ['https://www.gemeente.nl/regels', 'mailto:info@gemeente.nl', 'tel:+31201234567',
      '/formulieren/afval?x=1&amp;y=2', '#onder']) assert.ok(hrefs.includes(h), `${h} kept: ${html}`);
    // Every other href has no scheme a browser would see ("java%09script:" is a relative path).
    const schemes = hrefs.map((h) => /^([a-z][a-z0-9+.-]*):/i.exec(h)?.[1].toLowerCase()).filter(Boolean);
    assert.deepEqual([...new Set(schemes)].sort(), ['https', 'mailto', 'tel'], html);
    const srcs = [...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(srcs, ['https://www.gemeente.nl/logo.png'], html);
    assert.doesNotMatch(html, /(href|src)="\s*(javascript|vbscript|data):/i, html);
    // The text of each refused link or image is still there, as text.
    const text = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    assert.match(text, /Niet: js JS entity hex tab spatie vb data javascript:alert\(7\) ref/, text);
    assert.match(text, / plaatje ander plaatje/, text);
    // Every <a> that is opened is closed, and nothing else is.
    assert.equal((html.match(/<a /g) || []).length, (html.match(/<\/a>/g) || []).length, html);
  });

  it('chat and telefoon: plain text, no link or image markup', async () => {
    for (const kanaal of ['chat', 'telefoon']) {
      const w = expectStatus(await kb('GET', `/artikelen/${art.uuid}/weergave/${kanaal}`, { token: kcc }), 200);
      assert.equal(w.formaat, 'text/plain');
      assert.doesNotMatch(w.inhoud, /<a |<img |\]\(|href=/i, `${kanaal}: ${w.inhoud}`);
    }
  });
});
