// Log-in through OpenID Connect against a real provider (issue 22): panva's oidc-provider,
// started here on loopback (lib/oidc-op.mjs) as the municipality's staff provider (RS256) and
// as the DigiD/eHerkenning broker (ES256). The happy paths for staff, a resident, a resident
// acting on behalf of someone (machtiging) and a business; and each refusal: a wrong state, a
// callback in another browser, a replayed ID token (nonce), an expired token, a token for
// another audience, a key the provider never published (and a rotated one that it did), a
// provider error, no role, a level of assurance too low (to log in, and per part of Mijn);
// logout at the provider.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, startServer, freePort, request, expectStatus, assertProblem, create, persoonBody, organisatieBody,
  klantcontactBody } from '../lib/harness.mjs';
import { startOp, serveArgs, browse, finish, Jar } from '../lib/oidc-op.mjs';

const AUTH = '/auth/api/v1';
const LDV = '/klantbeeld/api/v1/verwerkingen';
let srv, op, base, beheerder;

const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });
const kvkIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'kvk_nummer', objectId, codeRegister: 'hr' } });

/** A partij with one contact of its own (onderwerp). */
async function partijMetContact(body, onderwerp) {
  const p = await create(srv, 'partijen', body);
  const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp }));
  await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid },
    rol: 'klant', initiator: true });
  return p;
}

/** Logs in through the provider as `user` (soort medewerker|digid|eherkenning); returns the
 * callback's answer and, when a session started, a request function with its cookie. */
async function login(soort, user, { terug } = {}) {
  const start = `${AUTH}/oidc/inloggen?soort=${soort}${terug ? `&terug=${encodeURIComponent(terug)}` : ''}`;
  const { jar, callback } = await browse(base, start, user);
  assert.ok(callback, `the provider sent ${user} back to Omnikanaal`);
  const res = await finish(jar, callback);
  assert.equal(res.status, 303, `callback for ${user}`);
  const cookie = jar.get(base, 'omk_sessie');
  let csrf = null;
  const as = async (method, path, opts = {}) => request(method, base + path, { ...opts,
    headers: { Cookie: `omk_sessie=${cookie}`, ...(csrf ? { 'X-CSRF-Token': csrf } : {}), ...(opts.headers || {}) } });
  if (cookie) csrf = expectStatus(await as('GET', `${AUTH}/sessie`), 200).csrfToken;
  return { res, location: res.headers.get('location'), cookie, as, jar, callback };
}

/** The Logboek records of the trace of an answer, as the beheerder reads them. */
async function records(res) {
  const trace = res.headers.get('traceparent').slice(3, 35);
  return expectStatus(await srv.req('GET', `${LDV}?traceId=${trace}&pageSize=500`,
    { base: true, token: beheerder }), 200).results;
}

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  op = await startOp({ redirectUris: [`${base}${AUTH}/oidc/terug`],
    postLogoutUris: [`${base}/login`, `${base}/inloggen-inwoner`] });
  const { args, env } = serveArgs(op, base, ['--niveau', 'inloggen=basis', '--niveau', 'inloggen=eh2+',
    '--niveau', 'contactverzoeken=midden', '--niveau', 'verwerkingen=midden', '--niveau', 'bedrijf=eh3']);
  srv = await startServer({ port, args, env });
  assert.equal(srv.base, base, 'the server listens where the provider sends browsers back');
  beheerder = srv.createToken('privacy', 'beheerder');
  await partijMetContact(persoonBody({ partijIdentificatoren: [bsnIdf('999993653')] }), 'Afvalpas van de inwoner');
  await partijMetContact(persoonBody({ partijIdentificatoren: [bsnIdf('999991772')] }), 'Parkeervergunning van de moeder');
  await partijMetContact(organisatieBody({ partijIdentificatoren: [kvkIdf('69599084')] }), 'Terrasvergunning van het bedrijf');
  await partijMetContact(organisatieBody({ partijIdentificatoren: [kvkIdf('12345678')] }), 'Ander bedrijf');
});
after(async () => { await srv?.stop(); await op?.stop(); });

describe('OpenID Connect log-in', () => {
  it('a wrong configuration stops the server at start, naming the option', () => {
    for (const [args, env, msg] of [
      [['--oidc-issuer', 'http://idp.example.org', '--oidc-client-id', 'x', '--oidc-redirect', 'https://x/terug'], {},
        /the staff issuer must be an https URL \(http only on loopback\)/],
      [['--broker-issuer', 'https://broker.example.org'], {}, /the broker provider needs a client id and a redirect URI/],
      [['--oidc-rol', 'burgers=inwoner'], {}, /--oidc-rol burgers=inwoner: expected CLAIMVALUE=ROLE with a staff role/],
      [['--oidc-claim', 'telefoon=phone'], {}, /--oidc-claim telefoon=phone: expected NAME=CLAIM/],
      [[], { OMNIKANAAL_NIVEAUS: 'inloggen=midden,voorkeuren=eh9' }, /--niveau voorkeuren=eh9: expected PART=LEVEL/],
    ]) {
      const r = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', `${srv.dir}/nooit.db`, ...args],
        { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 10000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
  });

  it('the login pages learn which ways to log in are configured', async () => {
    const m = expectStatus(await request('GET', `${base}${AUTH}/inlogmethoden`), 200);
    assert.deepEqual(m, { lokaal: true, ontwikkelLogin: false, medewerker: true, digid: true, eherkenning: true });
  });

  it('the authorization request: code flow, PKCE S256, state and nonce, bound to this browser', async () => {
    const res = await fetch(`${base}${AUTH}/oidc/inloggen?soort=medewerker`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const loc = new URL(res.headers.get('location'));
    assert.equal(loc.origin, op.issuer);
    const q = loc.searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), 'omnikanaal-medewerkers');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    assert.match(q.get('state'), /^[A-Za-z0-9_-]{32}$/, '192 bits of state');
    assert.match(q.get('nonce'), /^[A-Za-z0-9_-]{32}$/, '192 bits of nonce');
    assert.match(q.get('scope'), /\bopenid\b/);
    assert.match(res.headers.getSetCookie().join('\n'), /omk_oidc=[0-9a-f]{64}; Path=\/auth\/api\/v1\/oidc; HttpOnly; SameSite=Lax/);
  });

  it('bad parameters of the start are named', async () => {
    const res = await request('GET', `${base}${AUTH}/oidc/inloggen?soort=facebook&terug=https://evil.example`);
    assertProblem(res, 400);
    assert.deepEqual(res.json.invalidParams.map((p) => p.name).sort(), ['soort', 'terug']);
  });

  it('a staff member logs in and lands on their role\'s page; the session is as today (cookie + CSRF)', async () => {
    const s = await login('medewerker', 'kcm-anne');
    assert.equal(s.location, '/werkplek');
    assert.match(s.res.headers.getSetCookie().join('\n'), /omk_sessie=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict/);
    const me = expectStatus(await s.as('GET', `${AUTH}/sessie`), 200);
    assert.equal(me.gebruikersnaam, 'anne.kcm');
    assert.equal(me.rol, 'kcm');
    assert.equal(me.inlogmethode, 'oidc');
    assert.equal(me.startpagina, '/werkplek');
    // A change without the CSRF token is refused, as for a local login.
    assertProblem(await request('POST', `${base}${AUTH}/logout`, { headers: { Cookie: `omk_sessie=${s.cookie}` } }), 403);
    const b = await login('medewerker', 'beheer-bram', { terug: '/privacy' });
    assert.equal(b.location, '/privacy');
    assert.equal(expectStatus(await b.as('GET', `${AUTH}/sessie`), 200).rol, 'beheerder');
  });

  it('without a mapped role: refused, no session', async () => {
    const s = await login('medewerker', 'zonder-rol');
    assert.equal(s.location, '/login?fout=geen_rol');
    assert.equal(s.cookie, undefined);
  });

  it('a wrong state, or the callback in another browser: refused', async () => {
    const { jar, callback } = await browse(base, `${AUTH}/oidc/inloggen?soort=medewerker`, 'kcm-anne');
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'A'.repeat(32));
    const res = await finish(jar, wrong.href);
    assert.equal(res.headers.get('location'), '/login?fout=state');
    assert.equal(jar.get(base, 'omk_sessie'), undefined);
    // The right state, but without this browser's binding cookie (login CSRF): refused, and
    // the pending login is gone, so the real browser cannot use it either.
    const other = await finish(new Jar(), callback);
    assert.equal(other.headers.get('location'), '/login?fout=state');
    const late = await finish(jar, callback);
    assert.equal(late.headers.get('location'), '/login?fout=state');
  });

  it('a callback used twice: the second is refused', async () => {
    const { jar, callback } = await browse(base, `${AUTH}/oidc/inloggen?soort=medewerker`, 'kcm-anne');
    assert.equal((await finish(jar, callback)).headers.get('location'), '/werkplek');
    const again = await finish(jar, callback);
    assert.equal(again.headers.get('location'), '/login?fout=state');
  });

  it('a replayed ID token (an earlier login\'s nonce): refused', async () => {
    await login('medewerker', 'kcm-anne');
    const earlier = op.idTokens.at(-1);
    op.tamperNext(async () => earlier);
    const s = await login('medewerker', 'kcm-anne');
    assert.equal(s.location, '/login?fout=nonce');
    assert.equal(s.cookie, undefined);
  });

  it('an expired ID token: refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    op.tamperNext((t) => op.resign(t, { iat: now - 900, exp: now - 600 }));
    const s = await login('medewerker', 'kcm-anne');
    assert.equal(s.location, '/login?fout=verlopen');
    assert.equal(s.cookie, undefined);
  });

  it('an ID token for another audience, or from another issuer: refused', async () => {
    op.tamperNext((t) => op.resign(t, { aud: 'ander-systeem' }));
    assert.equal((await login('medewerker', 'kcm-anne')).location, '/login?fout=audience');
    op.tamperNext((t) => op.resign(t, { aud: ['omnikanaal-medewerkers', 'ander-systeem'], azp: 'ander-systeem' }));
    assert.equal((await login('medewerker', 'kcm-anne')).location, '/login?fout=audience');
    op.tamperNext((t) => op.resign(t, { iss: 'https://nep.example' }));
    assert.equal((await login('medewerker', 'kcm-anne')).location, '/login?fout=issuer');
  });

  it('a token signed with a key the provider never published, or with a bad signature: refused', async () => {
    const foreign = await op.foreignKey('RS256');
    op.tamperNext((t) => op.resign(t, {}, foreign));
    const s = await login('medewerker', 'kcm-anne');
    assert.equal(s.location, '/login?fout=sleutel_onbekend');
    assert.equal(s.cookie, undefined);
    // The provider's own kid, but another key's signature.
    op.tamperNext((t) => op.resign(t, {}, { ...foreign, kid: 'rsa-1' }));
    assert.equal((await login('medewerker', 'kcm-anne')).location, '/login?fout=handtekening');
    // alg "none" is never accepted.
    op.tamperNext(async (t) => {
      const [, payload] = t.split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'rsa-1' })).toString('base64url')}.${payload}.`;
    });
    assert.equal((await login('medewerker', 'kcm-anne')).location, '/login?fout=handtekening');
  });

  it('key rotation: a token with a newly published key (PS256) is accepted (the key set is fetched again)', async () => {
    // The server refetches the key set on an unknown kid at most every 5 s; the tests above
    // may just have made it fetch. Wait that long, so this login is the one that refetches.
    await new Promise((r) => setTimeout(r, 5200));
    await op.rotate('PS256');
    try {
      const s = await login('medewerker', 'kcm-anne');
      assert.equal(s.location, '/werkplek');
      assert.ok(s.cookie);
    } finally {
      op.rotated = null;
    }
  });

  it('the provider refuses (unknown user): back to the login page with the reason', async () => {
    const s = await login('medewerker', 'niemand');
    assert.equal(s.location, '/login?fout=geweigerd');
  });

  it('a resident logs in with DigiD claims and sees only their own Mijn, within their level', async () => {
    const s = await login('digid', 'inwoner-midden');
    assert.equal(s.location, '/mijn');
    const me = expectStatus(await s.as('GET', `${AUTH}/sessie`), 200);
    assert.equal(me.rol, 'inwoner');
    assert.equal(me.bsn, '999993653');
    assert.equal(me.inlogmethode, 'digid');
    assert.deepEqual(me.betrouwbaarheidsniveau, { waarde: 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract', naam: 'DigiD Midden' });
    const kc = expectStatus(await s.as('GET', '/mijn/api/v1/klantcontacten'), 200);
    assert.deepEqual(kc.results.map((k) => k.onderwerp), ['Afvalpas van de inwoner']);
    expectStatus(await s.as('GET', '/mijn/api/v1/contactverzoeken'), 200);
    assertProblem(await s.as('GET', '/mijn/api/v1/bedrijf/klantcontacten'), 403);
    assertProblem(await s.as('GET', '/klantinteracties/api/v1/klantcontacten'), 403);
  });

  it('DigiD Basis: Mijn opens, a part that needs Midden is refused in Dutch', async () => {
    const s = await login('digid', 'inwoner-basis');
    assert.equal(s.location, '/mijn');
    expectStatus(await s.as('GET', '/mijn/api/v1/klantcontacten'), 200);
    const res = await s.as('GET', '/mijn/api/v1/contactverzoeken');
    assertProblem(res, 403, 'niveau_te_laag');
    assert.equal(res.json.detail, 'Voor dit onderdeel van Mijn Voorbeeldstad moet u inloggen met DigiD Midden of '
      + 'hoger. U bent ingelogd met DigiD Basis. Log uit en log opnieuw in met een hoger betrouwbaarheidsniveau.');
    // Who viewed my data is a part of Mijn too.
    assertProblem(await s.as('GET', `${LDV}?pageSize=10`), 403, 'niveau_te_laag');
  });

  it('acting on behalf of someone (DigiD machtigen): their Mijn, shown and logged as a machtiging', async () => {
    const s = await login('digid', 'gemachtigde');
    const me = expectStatus(await s.as('GET', `${AUTH}/sessie`), 200);
    assert.equal(me.bsn, '999991772', 'the session is for whom they act');
    assert.equal(me.machtiging.soort, 'digid-machtigen');
    assert.equal(me.machtiging.dienst, 'b1a5e1c2-0000-4000-8000-000000000001');
    const res = await s.as('GET', '/mijn/api/v1/klantcontacten');
    assert.deepEqual(expectStatus(res, 200).results.map((k) => k.onderwerp), ['Parkeervergunning van de moeder']);
    const recs = await records(res);
    assert.ok(recs.length > 0);
    for (const r of recs) assert.equal(r.rol, 'gemachtigde');
    // The represented person sees it in "who viewed my data", described as such.
    const own = expectStatus(await s.as('GET', `${LDV}?pageSize=100`), 200).results;
    const shown = own.find((r) => r.traceId === res.headers.get('traceparent').slice(3, 35));
    assert.equal(shown.rolOmschrijving, 'Iemand die met een machtiging namens u handelt');
  });

  it('a business logs in with eHerkenning claims and sees only its company\'s contacts', async () => {
    const s = await login('eherkenning', 'bedrijf');
    assert.equal(s.location, '/mijn');
    const me = expectStatus(await s.as('GET', `${AUTH}/sessie`), 200);
    assert.equal(me.rol, 'ondernemer');
    assert.equal(me.kvkNummer, '69599084');
    assert.equal(me.vestigingsnummer, '000038509490');
    assert.equal(me.bsn, undefined);
    const bedrijf = expectStatus(await s.as('GET', '/mijn/api/v1/bedrijf'), 200);
    assert.equal(bedrijf.kvkNummer, '69599084');
    assert.equal(bedrijf.ingelogdAls, 'eherkenning:medewerker-4711');
    const res = await s.as('GET', '/mijn/api/v1/bedrijf/klantcontacten');
    assert.deepEqual(expectStatus(res, 200).results.map((k) => k.onderwerp), ['Terrasvergunning van het bedrijf']);
    for (const r of await records(res)) assert.equal(r.rol, 'ondernemer');
    expectStatus(await s.as('GET', '/mijn/api/v1/bedrijf/contactverzoeken'), 200);
    assertProblem(await s.as('GET', '/mijn/api/v1/klantcontacten'), 403);
    assertProblem(await s.as('GET', '/mijn/api/v1/profiel'), 403);
  });

  it('eHerkenning below the minimum to log in (EH2 < EH2+): refused', async () => {
    const s = await login('eherkenning', 'bedrijf-eh2');
    assert.equal(s.location, '/inloggen-inwoner?fout=niveau_te_laag');
    assert.equal(s.cookie, undefined);
  });

  it('logout ends the session here and names the provider\'s logout', async () => {
    const s = await login('medewerker', 'kcm-anne');
    const res = expectStatus(await s.as('POST', `${AUTH}/logout`), 200);
    const url = new URL(res.uitloggenBijProvider);
    assert.equal(`${url.origin}${url.pathname}`, `${op.issuer}/session/end`);
    assert.equal(url.searchParams.get('client_id'), 'omnikanaal-medewerkers');
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${base}/login`);
    assert.equal(url.searchParams.get('id_token_hint').split('.').length, 3);
    assertProblem(await s.as('GET', `${AUTH}/sessie`), 401);
    // The provider accepts it: its confirmation page, not an error.
    const end = await fetch(url, { headers: { Cookie: s.jar.header(op.issuer) } });
    assert.equal(end.status, 200);
    assert.match(await end.text(), /logout|uitlog|form/i);
    // A local session's logout stays 204.
    srv.createUser('lokaal-kcm', 'kcm', 'geheim-wachtwoord-1');
    const { cookie, csrf } = await srv.login('lokaal-kcm', 'geheim-wachtwoord-1');
    const local = await request('POST', `${base}${AUTH}/logout`, { headers: { Cookie: cookie, 'X-CSRF-Token': csrf } });
    assert.equal(local.status, 204);
  });
});
