// Security of the web sessions and the Mijn-omgeving, over plain HTTP (no browser): cookie
// flags, CSRF, residents see only their own data, staff-only APIs refuse residents, headers,
// static files, idle timeout, development login off by default, account creation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startUiServer, demoResident, cli, PASSWORD } from './lib/ui.mjs';

let srv, alice, bob;
before(async () => {
  // The test client stands in for the TLS-terminating reverse proxy (X-Forwarded-Proto).
  srv = await startUiServer({ extraArgs: ['--trusted-proxy', '127.0.0.1'] });
  alice = await demoResident(srv);
  // A second resident with a BSN (any other persoon).
  const pis = await srv.api('GET', '/klantinteracties/api/v1/partij-identificatoren?partijIdentificatorCodeSoortObjectId=bsn&pageSize=20');
  const other = pis.json.results.find((p) => p.partijIdentificator.objectId !== alice.bsn);
  bob = { bsn: other.partijIdentificator.objectId, partij: other.identificeerdePartij.uuid };
});
after(async () => { await srv?.stop(); });

async function http(method, path, { cookie, csrf, body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (cookie) h.Cookie = cookie;
  if (csrf) h['X-CSRF-Token'] = csrf;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(srv.base + path, { method, headers: h, redirect: 'manual', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

async function login(path, body, headers) {
  const r = await http('POST', path, { body, headers });
  assert.equal(r.status, 200, r.text);
  const set = r.headers.get('set-cookie');
  return { set, cookie: set.split(';')[0], csrf: r.json.csrfToken, json: r.json };
}
const staff = (name = 'kcm-test', headers) => login('/auth/api/v1/login', { gebruikersnaam: name, wachtwoord: PASSWORD }, headers);
const resident = (bsn) => login('/auth/api/v1/dev-login', { bsn });

describe('session cookie and CSRF', () => {
  it('the cookie is HttpOnly, SameSite=Strict, Path=/; Secure behind TLS (X-Forwarded-Proto: https from a trusted proxy)', async () => {
    const s = await staff();
    assert.match(s.set, /^omk_sessie=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
    const tls = await staff('kcm-test', { 'X-Forwarded-Proto': 'https' });
    assert.match(tls.set, /; HttpOnly; SameSite=Strict; Secure$/);
    assert.match(s.csrf, /^[0-9a-f]{64}$/);
  });

  it('a wrong password or unknown name → 401 with the same message; nothing is set', async () => {
    for (const body of [{ gebruikersnaam: 'kcm-test', wachtwoord: 'fout' }, { gebruikersnaam: 'niemand', wachtwoord: 'fout' }]) {
      const r = await http('POST', '/auth/api/v1/login', { body });
      assert.equal(r.status, 401);
      assert.equal(r.json.detail, 'Onjuiste gebruikersnaam of wachtwoord.');
      assert.equal(r.headers.get('set-cookie'), null);
    }
    const r = await http('POST', '/auth/api/v1/login', { body: {} });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json.invalidParams.map((p) => p.name), ['gebruikersnaam', 'wachtwoord']);
  });

  it('state-changing requests with the cookie need the CSRF token: none or a wrong one → 403, nothing written', async () => {
    const s = await staff();
    const body = { soortPartij: 'persoon', indicatieActief: true, partijIdentificatie: { contactnaam: { voornaam: 'Csrf', achternaam: 'Test' } } };
    const before = (await srv.api('GET', '/klantinteracties/api/v1/partijen?pageSize=1')).json.count;
    for (const csrf of [undefined, 'f'.repeat(64), s.csrf.slice(0, 63)]) {
      const r = await http('POST', '/klantinteracties/api/v1/partijen', { cookie: s.cookie, csrf, body });
      assert.equal(r.status, 403, r.text);
      assert.equal(r.json.code, 'csrf');
    }
    assert.equal((await srv.api('GET', '/klantinteracties/api/v1/partijen?pageSize=1')).json.count, before);
    const ok = await http('POST', '/klantinteracties/api/v1/partijen', { cookie: s.cookie, csrf: s.csrf, body });
    assert.equal(ok.status, 201, ok.text);
    // Reads need no token; logout is state-changing too.
    assert.equal((await http('GET', '/auth/api/v1/sessie', { cookie: s.cookie })).status, 200);
    assert.equal((await http('POST', '/auth/api/v1/logout', { cookie: s.cookie })).status, 403);
  });

  it('logout ends the session and clears the cookie; the old cookie then gets 401', async () => {
    const s = await staff();
    const r = await http('POST', '/auth/api/v1/logout', { cookie: s.cookie, csrf: s.csrf });
    assert.equal(r.status, 204);
    assert.match(r.headers.get('set-cookie'), /^omk_sessie=; .*Max-Age=0/);
    assert.equal((await http('GET', '/auth/api/v1/sessie', { cookie: s.cookie })).status, 401);
    assert.equal((await http('GET', '/klantinteracties/api/v1/partijen', { cookie: s.cookie })).status, 401);
  });

  it('a forged or malformed cookie → 401', async () => {
    for (const cookie of ['omk_sessie=' + '0'.repeat(64), 'omk_sessie=abc', 'omk_sessie=' + 'Z'.repeat(64), 'x=1']) {
      assert.equal((await http('GET', '/klantinteracties/api/v1/partijen', { cookie })).status, 401, cookie);
    }
  });

  it('/ redirects to the login without a session and to the role\'s start page with one', async () => {
    const r = await http('GET', '/', { headers: { Accept: 'text/html' } });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), '/login');
    const s = await staff('backoffice-test');
    const r2 = await http('GET', '/', { cookie: s.cookie, headers: { Accept: 'text/html' } });
    assert.equal(r2.headers.get('location'), '/backoffice');
  });
});

describe('residents see only their own data', () => {
  it('a resident session is refused (403) by the staff APIs: register, kennisbank, kanalen', async () => {
    const s = await resident(alice.bsn);
    for (const path of ['/klantinteracties/api/v1/partijen', `/klantinteracties/api/v1/partijen/${bob.partij}`,
      '/klantinteracties/api/v1/klantcontacten', '/kennisbank/api/v1/artikelen', '/kanalen/api/v1/contactverzoeken']) {
      assert.equal((await http('GET', path, { cookie: s.cookie })).status, 403, path);
    }
  });

  it('/mijn/api/v1 answers with the resident\'s own contacts, requests and addresses only', async () => {
    const a = await resident(alice.bsn);
    const own = (await srv.api('GET', `/klantinteracties/api/v1/klantcontacten?hadBetrokkene__wasPartij__uuid=${alice.partij}&pageSize=500`)).json;
    const mine = (await http('GET', '/mijn/api/v1/klantcontacten?pageSize=500', { cookie: a.cookie })).json;
    assert.ok(own.count > 0);
    assert.equal(mine.count, own.count);
    assert.deepEqual(mine.results.map((k) => k.uuid).sort(), own.results.map((k) => k.uuid).sort());
    const adressen = (await http('GET', '/mijn/api/v1/digitaleadressen', { cookie: a.cookie })).json;
    assert.ok(adressen.results.length > 0);
    for (const d of adressen.results) assert.equal(d.verstrektDoorPartij.uuid, alice.partij);
    const bobs = (await srv.api('GET', `/klantinteracties/api/v1/klantcontacten?hadBetrokkene__wasPartij__uuid=${bob.partij}&pageSize=500`)).json;
    const bobIds = new Set(bobs.results.map((k) => k.uuid));
    assert.ok(!mine.results.some((k) => bobIds.has(k.uuid)), 'none of another resident\'s contacts');
    const taken = (await http('GET', '/mijn/api/v1/contactverzoeken?pageSize=500', { cookie: a.cookie })).json;
    const ownIds = new Set(own.results.map((k) => k.uuid));
    for (const t of taken.results) assert.ok(ownIds.has(t.aanleidinggevendKlantcontact.uuid));
  });

  it('/mijn/api/v1/gesprekken: the resident\'s own conversations with their messages, nobody else\'s', async () => {
    // A message from one of Alice's addresses lands in a conversation matched to her partij.
    const adressen = (await srv.api('GET', `/klantinteracties/api/v1/digitaleadressen?verstrektDoorPartij__uuid=${alice.partij}`)).json.results;
    const adres = adressen.find((d) => ['email', 'telefoonnummer'].includes(d.soortDigitaalAdres));
    assert.ok(adres, `Alice has an e-mail address or phone number in the demo: ${JSON.stringify(adressen)}`);
    const inbound = await srv.api('POST', '/kanalen/api/v1/berichten', {
      kanaal: 'website', onderwerp: 'Vraag via het webformulier', tekst: 'Wanneer wordt mijn container geleegd?',
      afzender: { adres: adres.adres, soort: adres.soortDigitaalAdres } });
    assert.equal(inbound.status, 201, JSON.stringify(inbound.json));
    assert.equal(inbound.json.partij, alice.partij);
    const own = (await srv.api('GET', `/kanalen/api/v1/gesprekken?partij__uuid=${alice.partij}&pageSize=100`)).json.results;
    const a = await resident(alice.bsn);
    const mine = (await http('GET', '/mijn/api/v1/gesprekken?pageSize=100', { cookie: a.cookie })).json;
    assert.deepEqual(mine.results.map((g) => g.uuid).sort(), own.map((g) => g.uuid).sort());
    const g = mine.results.find((x) => x.uuid === inbound.json.gesprek);
    assert.ok(g, 'the new conversation is listed');
    assert.equal(g.berichten[0].tekst, 'Wanneer wordt mijn container geleegd?');
    assert.equal(g.berichten[0].richting, 'in');
    for (const x of mine.results) {
      assert.equal(x.sleutel, undefined);
      assert.equal(x.geheim, undefined);
    }
    const b = await resident(bob.bsn);
    const theirs = (await http('GET', '/mijn/api/v1/gesprekken?pageSize=100', { cookie: b.cookie })).json;
    assert.ok(!theirs.results.some((x) => x.uuid === inbound.json.gesprek), 'not in another resident\'s list');
    assert.equal((await http('GET', `/mijn/api/v1/gesprekken?partij__uuid=${bob.partij}`, { cookie: a.cookie })).status, 400);
    assert.equal((await srv.api('GET', '/mijn/api/v1/gesprekken')).status, 403);
  });

  it('filters and expansions that could reach further are refused (400), not ignored', async () => {
    const a = await resident(alice.bsn);
    for (const q of [`hadBetrokkene__wasPartij__uuid=${bob.partij}`, 'expand=hadBetrokkenen.wasPartij', 'onderwerp=x']) {
      const r = await http('GET', `/mijn/api/v1/klantcontacten?${q}`, { cookie: a.cookie });
      assert.equal(r.status, 400, q);
    }
  });

  it('a resident without a partij sees empty lists; a staff session gets 403 on /mijn', async () => {
    const nobody = await resident('999990019');
    assert.equal((await http('GET', '/mijn/api/v1/klantcontacten', { cookie: nobody.cookie })).json.count, 0);
    const s = await staff();
    assert.equal((await http('GET', '/mijn/api/v1/klantcontacten', { cookie: s.cookie })).status, 403);
    assert.equal((await srv.api('GET', '/mijn/api/v1/klantcontacten')).status, 403);
  });

  it('voorkeuren: own only, validated, CSRF-protected', async () => {
    const a = await resident(alice.bsn);
    const b = await resident(bob.bsn);
    // The demo gives most residents a preferred channel: Bob's must stay what it was.
    const bobVoor = (await http('GET', '/mijn/api/v1/voorkeuren', { cookie: b.cookie })).json.voorkeurskanaal;
    const body = { voorkeurskanaal: bobVoor === 'post' ? 'balie' : 'post', toestemmingDigitaal: false, toestemmingOnderzoek: true };
    assert.equal((await http('PUT', '/mijn/api/v1/voorkeuren', { cookie: a.cookie, body })).status, 403);
    const ok = await http('PUT', '/mijn/api/v1/voorkeuren', { cookie: a.cookie, csrf: a.csrf, body });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await http('GET', '/mijn/api/v1/voorkeuren', { cookie: a.cookie })).json.voorkeurskanaal, body.voorkeurskanaal);
    assert.equal((await http('GET', '/mijn/api/v1/voorkeuren', { cookie: b.cookie })).json.voorkeurskanaal, bobVoor);
    const bad = await http('PUT', '/mijn/api/v1/voorkeuren', { cookie: a.cookie, csrf: a.csrf, body: { voorkeurskanaal: 'duif', toestemmingDigitaal: 'ja', x: 1 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.invalidParams.map((p) => p.name).sort(), ['toestemmingDigitaal', 'toestemmingOnderzoek', 'voorkeurskanaal', 'x']);
  });

  it('the development login checks the BSN (elfproef)', async () => {
    const r = await http('POST', '/auth/api/v1/dev-login', { body: { bsn: '123456789' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.invalidParams[0].name, 'bsn');
  });
});

describe('headers and static files', () => {
  it('pages carry a strict CSP and the security headers; API answers keep theirs', async () => {
    const page = await http('GET', '/werkplek', { headers: { Accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html; charset=utf-8/);
    const csp = page.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe/);
    for (const [h, v] of [['x-frame-options', 'DENY'], ['x-content-type-options', 'nosniff'], ['referrer-policy', 'no-referrer']]) {
      assert.equal(page.headers.get(h), v, h);
    }
    const api = await http('GET', '/auth/api/v1/sessie');
    assert.equal(api.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    assert.equal(api.headers.get('cache-control'), 'no-store');
  });

  it('content types, caching and revalidation', async () => {
    const js = await http('GET', '/js/app.js');
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    assert.equal(js.headers.get('cache-control'), 'no-cache');
    const etag = js.headers.get('etag');
    assert.ok(etag);
    const again = await http('GET', '/js/app.js', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const css = await http('GET', '/vendor/utrecht.css');
    assert.match(css.headers.get('content-type'), /^text\/css/);
    assert.match(css.headers.get('cache-control'), /max-age=86400/);
    const font = await http('GET', '/vendor/fira-sans/files/fira-sans-latin-400-normal.woff2');
    assert.equal(font.headers.get('content-type'), 'font/woff2');
  });

  it('no directory traversal, hidden files, node_modules or unknown types', async () => {
    const raw = (path) => new Promise((resolve) => {
      const s = net.connect(Number(new URL(srv.base).port), '127.0.0.1', () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      let d = '';
      s.on('data', (c) => { d += c; });
      s.on('end', () => resolve(Number(d.slice(9, 12))));
    });
    for (const p of ['/../src/main.c', '/js/../../CMakeLists.txt', '/%2e%2e/CMakeLists.txt', '/vendor/.copied', '/.gitignore',
      '/node_modules/@utrecht/component-library-css/package.json', '/package.json', '/js//app.js', '/js/app.js%00.css', '/nope']) {
      assert.equal(await raw(p), 404, p);
    }
  });
});

describe('configuration and accounts', () => {
  it('the development login is off unless configured', async () => {
    const off = await startUiServer({ devLogin: false });
    try {
      const r = await fetch(off.base + '/auth/api/v1/dev-login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ bsn: alice.bsn }) });
      assert.equal(r.status, 404);
      const s = await fetch(off.base + '/auth/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ gebruikersnaam: 'kcm-test', wachtwoord: PASSWORD }) });
      assert.equal((await s.json()).ontwikkelLogin, false);
      // No --trusted-proxy here: a client's X-Forwarded-Proto is not believed.
      const t = await fetch(off.base + '/auth/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' }, body: JSON.stringify({ gebruikersnaam: 'kcm-test', wachtwoord: PASSWORD }) });
      assert.doesNotMatch(t.headers.get('set-cookie'), /Secure/);
    } finally {
      await off.stop();
    }
  });

  it('an idle session ends after --session-idle seconds', async () => {
    const short = await startUiServer({ idle: 1 });
    try {
      const r = await fetch(short.base + '/auth/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ gebruikersnaam: 'kcm-test', wachtwoord: PASSWORD }) });
      const cookie = r.headers.get('set-cookie').split(';')[0];
      assert.equal((await fetch(short.base + '/auth/api/v1/sessie', { headers: { Cookie: cookie } })).status, 200);
      await new Promise((res) => setTimeout(res, 2200));
      assert.equal((await fetch(short.base + '/auth/api/v1/sessie', { headers: { Cookie: cookie } })).status, 401);
    } finally {
      await short.stop();
    }
  });

  it('user create: role, BSN, password length and a taken name are checked; only a hash is stored', async () => {
    const fails = (args, input, status) => {
      try { cli(['user', 'create', ...args, '--db', srv.db], input); } catch (e) { assert.equal(e.status, status, e.stderr); return e.stderr; }
      assert.fail(`user create ${args.join(' ')} succeeded`);
    };
    fails(['--username', 'x', '--role', 'baas'], 'wachtwoord1\n', 2);
    fails(['--username', 'x', '--role', 'inwoner'], 'wachtwoord1\n', 2);
    fails(['--username', 'x', '--role', 'kcm', '--bsn', '999906550'], 'wachtwoord1\n', 2);
    fails(['--username', 'x', '--role', 'kcm'], 'kort\n', 1);
    assert.match(fails(['--username', 'kcm-test', '--role', 'kcm'], 'wachtwoord1\n', 1), /taken/);
    const stored = execFileSync('sqlite3', [srv.db, "SELECT wachtwoord_hash FROM gebruikers WHERE gebruikersnaam = 'kcm-test'"], { encoding: 'utf8' });
    assert.match(stored, /^\$argon2id\$v=19\$/);
    assert.ok(!stored.includes(PASSWORD));
  });
});
