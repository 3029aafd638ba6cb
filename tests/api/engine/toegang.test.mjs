// The access matrix (issue 19): generated from the route table that `omnikanaal toegang` prints,
// every route is tried with every role — the staff roles and integration scopes as API tokens,
// the resident through a (development) DigiD session — and without a credential. A role the
// matrix leaves out gets exactly the matrix's 403; a role it names is never refused by the
// matrix (the handler may still answer 400, 404, or its own 403 with its own reason); a public
// route needs no credential, every other one answers 401 without. Then the findings of the
// security review, one test each.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  BIN, startServer, expectStatus, assertProblem, persoonBody, create, randomUuid, request,
} from '../lib/harness.mjs';

const MATRIX_DETAIL = 'U heeft geen toestemming om deze actie uit te voeren.';
const TOKEN_ROLES = ['kcm', 'backoffice', 'redacteur', 'manager', 'beheerder', 'cti', 'kanalen',
  'klantinteracties-lezen', 'klantinteracties-schrijven'];
const KI = '/klantinteracties/api/v1';

const matrix = JSON.parse(execFileSync(BIN, ['toegang'], { encoding: 'utf8' }));

let srv;
const creds = {}; // role -> {headers}
before(async () => {
  srv = await startServer({ args: ['--dev-login'] });
  for (const r of TOKEN_ROLES) creds[r] = { headers: { Authorization: `Token ${srv.createToken(`t-${r}`, r)}` } };
  const res = await fetch(`${srv.base}/auth/api/v1/dev-login`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ bsn: '999993653' }) });
  assert.equal(res.status, 200);
  const body = await res.json();
  creds.inwoner = { headers: { Cookie: res.headers.get('set-cookie').split(';')[0], 'X-CSRF-Token': body.csrfToken } };
});
after(async () => { await srv?.stop(); });

// One request to a route's pattern with placeholders filled; only the status and the problem
// detail are read (a stream's body is never waited for).
async function call(route, headers) {
  const path = route.pattern.replace('{kanaal}', 'web').replace(/\{[^}]+\}/g, randomUuid());
  const h = { Accept: 'application/json', ...headers };
  let body;
  if (['POST', 'PUT', 'PATCH'].includes(route.method)) {
    h['Content-Type'] = 'application/json';
    body = '{}';
  }
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 10000);
  try {
    const res = await fetch(srv.base + path, { method: route.method, headers: h, body, redirect: 'manual', signal: ac.signal });
    let detail = null;
    if ((res.headers.get('content-type') || '').includes('json')) {
      try { detail = (await res.json()).detail; } catch { /* not JSON after all */ }
    }
    return { status: res.status, detail };
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

describe('access matrix: every route × every role', () => {
  it('the matrix covers every route and names only known roles', () => {
    assert.ok(matrix.routes.length > 150, `only ${matrix.routes.length} routes`);
    for (const r of matrix.routes) {
      assert.ok(r.rollen.length > 0, `${r.method} ${r.pattern} has no roles`);
      for (const role of r.rollen) assert.ok(role === 'publiek' || matrix.rollen.includes(role), role);
    }
  });

  // Logging out ends the resident's session: that route goes last.
  const routes = [...matrix.routes].sort((a, b) => a.pattern.endsWith('/logout') - b.pattern.endsWith('/logout'));
  for (const role of [...TOKEN_ROLES, 'inwoner']) {
    it(`role ${role}`, async () => {
      const wrong = [];
      for (const route of routes) {
        if (route.rollen.includes('publiek')) continue;
        const res = await call(route, creds[role].headers);
        const refused = res.status === 403 && res.detail === MATRIX_DETAIL;
        const allowed = route.rollen.includes(role);
        if (res.status === 401 || refused === allowed) {
          wrong.push(`${route.method} ${route.pattern}: ${res.status} ${res.detail ?? ''} (matrix: ${allowed ? 'allowed' : 'refused'})`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('without a credential: public routes answer (their own checks aside), every other route 401', async () => {
    const wrong = [];
    const AUTH_DETAIL = 'Authenticatie gegevens zijn niet opgegeven.';
    for (const route of matrix.routes) {
      const res = await call(route, {});
      const pub = route.rollen.includes('publiek');
      const refused = (res.status === 401 && res.detail === AUTH_DETAIL) || (res.status === 403 && res.detail === MATRIX_DETAIL);
      if (pub ? refused : !(res.status === 401 && res.detail === AUTH_DETAIL)) wrong.push(`${route.method} ${route.pattern}: ${res.status} ${res.detail}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('findings of the security review', () => {
  it('tokens of the telephony, the redactie and the kennisbank cannot read the register or its BSNs', async () => {
    for (const role of ['cti', 'redacteur', 'manager', 'kanalen']) {
      for (const path of ['/partijen', '/partij-identificatoren', '/klantcontacten']) {
        const res = await request('GET', srv.base + KI + path, { headers: creds[role].headers });
        assertProblem(res, 403, 'permission_denied');
      }
    }
  });

  it('a kcm token cannot delete klantcontacten or partijen; the register keeps them', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    const kc = await create(srv, 'klantcontacten', { kanaal: 'telefoon', onderwerp: 'blijft', taal: 'nld', vertrouwelijk: false });
    assertProblem(await request('DELETE', `${srv.base}${KI}/klantcontacten/${kc.uuid}`, { headers: creds.kcm.headers }), 403, 'permission_denied');
    assertProblem(await request('DELETE', `${srv.base}${KI}/partijen/${p.uuid}`, { headers: creds.kcm.headers }), 403, 'permission_denied');
    expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200);
    expectStatus(await srv.req('GET', `/partijen/${p.uuid}`), 200);
    // The writing integration and functioneel beheer may.
    expectStatus(await request('DELETE', `${srv.base}${KI}/klantcontacten/${kc.uuid}`, { headers: creds['klantinteracties-schrijven'].headers }), 204);
  });

  it('an address under geheimhouding is not shown to the KCC, nor filterable, on the register API', async () => {
    const adres = { straatnaam: 'Geheimstraat', huisnummer: 7, postcode: '1234 AB', stad: 'Voorbeeldstad', land: 'NL' };
    const geheim = await create(srv, 'partijen', persoonBody({ indicatieGeheimhouding: true, bezoekadres: adres }));
    const open = await create(srv, 'partijen', persoonBody({ indicatieGeheimhouding: false, bezoekadres: { ...adres, straatnaam: 'Openstraat' } }));
    const kcm = creds.kcm.headers;
    const g = expectStatus(await request('GET', `${srv.base}${KI}/partijen/${geheim.uuid}`, { headers: kcm }), 200);
    assert.equal(g.bezoekadres, null, 'the secret address is hidden from kcm');
    const o = expectStatus(await request('GET', `${srv.base}${KI}/partijen/${open.uuid}`, { headers: kcm }), 200);
    assert.equal(o.bezoekadres.straatnaam, 'Openstraat', 'an ordinary address is shown to kcm');
    const listRes = await request('GET', `${srv.base}${KI}/partijen?pageSize=500`, { headers: kcm });
    const list = expectStatus(listRes, 200);
    const inList = list.results.find((x) => x.uuid === geheim.uuid);
    assert.ok(inList);
    assert.equal(inList.bezoekadres, null, 'hidden in lists too');
    assert.ok(!listRes.text.includes('Geheimstraat'));
    // Filtering on the address would tell who lives there: refused.
    assertProblem(await request('GET', `${srv.base}${KI}/partijen?bezoekadresAdresregel1=Geheim`, { headers: kcm }), 403);
    // The system token (every role, every field) and the back office doing a legal task see it.
    const full = expectStatus(await srv.req('GET', `/partijen/${geheim.uuid}`), 200);
    assert.equal(full.bezoekadres.straatnaam, 'Geheimstraat');
    const wt = srv.createToken('bo-wettelijk', 'backoffice');
    const boRes = await request('GET', `${srv.base}${KI}/partijen/${geheim.uuid}`, { headers: { Authorization: `Token ${wt}` } });
    assert.equal(expectStatus(boRes, 200).bezoekadres, null, 'backoffice doing contactverzoek-afhandelen: no secret address');
    const legal = execFileSync(BIN, ['token', 'create', '--name', 'bo-legal', '--scopes', 'backoffice',
      '--verwerkingsactiviteit', 'wettelijke-taak-uitvoeren', '--db', srv.dbPath], { encoding: 'utf8' }).trim();
    const lg = expectStatus(await request('GET', `${srv.base}${KI}/partijen/${geheim.uuid}`, { headers: { Authorization: `Token ${legal}` } }), 200);
    assert.equal(lg.bezoekadres.straatnaam, 'Geheimstraat');
  });

  it('contents of contacts follow the purpose: hidden for a purpose without inhoud', async () => {
    const kc = await create(srv, 'klantcontacten', { kanaal: 'telefoon', onderwerp: 'Schuldhulp', inhoud: 'Vertelde over schulden', taal: 'nld', vertrouwelijk: false });
    const beheer = expectStatus(await request('GET', `${srv.base}${KI}/klantcontacten/${kc.uuid}`, { headers: creds.beheerder.headers }), 200);
    assert.equal(beheer.inhoud, '', 'klantgegevens-beheren does not include what was said');
    const kcm = expectStatus(await request('GET', `${srv.base}${KI}/klantcontacten/${kc.uuid}`, { headers: creds.kcm.headers }), 200);
    assert.equal(kcm.inhoud, 'Vertelde over schulden');
    assertProblem(await request('GET', `${srv.base}${KI}/klantcontacten?inhoud=schulden`, { headers: creds.beheerder.headers }), 403);
  });

  it('a token is bound to a known verwerkingsactiviteit; unknown scopes and activities make no token', () => {
    const fails = (args) => assert.throws(() => execFileSync(BIN, ['token', 'create', '--name', 'x', ...args, '--db', srv.dbPath], { stdio: 'pipe' }),
      (e) => e.status === 2);
    fails(['--scopes', 'kcm,beheerderr']);
    fails(['--scopes', 'inwoner']);
    fails(['--scopes', 'kcm', '--verwerkingsactiviteit', 'nieuwsgierigheid']);
  });

  it('an employee chooses the purpose of the session; only one their role may do', async () => {
    srv.createUser('kcm-doel', 'kcm', 'wachtwoord1');
    const s = await srv.login('kcm-doel', 'wachtwoord1');
    const h = { Cookie: s.cookie, 'X-CSRF-Token': s.csrf };
    const me = expectStatus(await request('GET', `${srv.base}/auth/api/v1/sessie`, { headers: h }), 200);
    assert.equal(me.verwerkingsactiviteit.id, 'klantvraag-beantwoorden');
    const ch = expectStatus(await request('PATCH', `${srv.base}/auth/api/v1/sessie`, { headers: h, body: { verwerkingsactiviteit: 'contactverzoek-afhandelen' } }), 200);
    assert.equal(ch.verwerkingsactiviteit.id, 'contactverzoek-afhandelen');
    // kcm doing contactverzoek-afhandelen: person, no address.
    const adres = { straatnaam: 'Dorpsstraat', huisnummer: 1, postcode: '1234 AB', stad: 'Voorbeeldstad', land: 'NL' };
    const p = await create(srv, 'partijen', persoonBody({ bezoekadres: adres }));
    const seen = expectStatus(await request('GET', `${srv.base}${KI}/partijen/${p.uuid}`, { headers: h }), 200);
    assert.equal(seen.bezoekadres, null);
    assertProblem(await request('PATCH', `${srv.base}/auth/api/v1/sessie`, { headers: h, body: { verwerkingsactiviteit: 'wettelijke-taak-uitvoeren' } }), 403);
    const bad = await request('PATCH', `${srv.base}/auth/api/v1/sessie`, { headers: h, body: { verwerkingsactiviteit: 'x' } });
    assertProblem(bad, 400);
    const again = expectStatus(await request('GET', `${srv.base}/auth/api/v1/sessie`, { headers: h }), 200);
    assert.equal(again.verwerkingsactiviteit.id, 'contactverzoek-afhandelen', 'the choice stays with the session');
  });
});

describe('the klantbeeld follows the same field rules for its register part', () => {
  it('no register address for a purpose without the address, nor a secret one without that view', async () => {
    const adres = { straatnaam: 'Kerkweg', huisnummer: 3, postcode: '1234 AB', stad: 'Voorbeeldstad', land: 'NL' };
    const open = await create(srv, 'partijen', persoonBody({ bezoekadres: adres }));
    const geheim = await create(srv, 'partijen', persoonBody({ indicatieGeheimhouding: true, bezoekadres: { ...adres, straatnaam: 'Verborgenlaan' } }));
    const zoek = (partij, verwerkingsactiviteit) => request('POST', `${srv.base}/klantbeeld/api/v1/_zoek`,
      { headers: creds.kcm.headers, body: { partij, verwerkingsactiviteit } });
    const a = expectStatus(await zoek(open.uuid, 'contactverzoek-afhandelen'), 200);
    assert.equal(a.partij.bezoekadres, null, 'kcm doing contactverzoek-afhandelen: person, no address');
    const b = expectStatus(await zoek(open.uuid, 'klantvraag-beantwoorden'), 200);
    assert.equal(b.partij.bezoekadres.straatnaam, 'Kerkweg');
    const c = expectStatus(await zoek(geheim.uuid, 'klantvraag-beantwoorden'), 200);
    assert.equal(c.partij.bezoekadres, null, 'no secret address for kcm');
    assert.ok(!JSON.stringify(c).includes('Verborgenlaan'));
  });
});

describe('docs/toegang.md', () => {
  it('holds the matrix as the binary prints it', () => {
    const md = execFileSync(BIN, ['toegang', '--format', 'markdown'], { encoding: 'utf8' });
    const doc = readFileSync(new URL('../../../docs/toegang.md', import.meta.url), 'utf8');
    const m = /<!-- begin: omnikanaal toegang --format markdown -->\n([\s\S]*)<!-- end -->/.exec(doc);
    assert.ok(m, 'markers in docs/toegang.md');
    assert.equal(m[1].trim(), md.trim(), 'regenerate the table: omnikanaal toegang --format markdown');
  });
});
