// A real OpenID provider for the identity tests: panva's oidc-provider (OpenID-certified, MIT),
// started on loopback by the tests themselves, with two clients — the municipality's staff
// login (ID tokens RS256) and a DigiD/eHerkenning broker (ID tokens ES256) — and test users for
// staff, residents (BSN, level of assurance, machtiging) and businesses (KvK claims).
// The login screen is a plain form (POST login=<user>); consent is implicit (first-party
// clients). For the failure cases the provider's own token answer can be altered on its way
// out (`op.tamperNext`): another audience, an expired token, a replayed earlier ID token, a key
// the provider never published — the flow itself (PKCE, code, state) stays the real one.
// `op.rotate()` adds a new signing key to the published key set and signs with it from then on.
// Also a small browser for API tests: `browse()` follows the flow with cookie jars.
import Provider from 'oidc-provider';
import * as jose from 'jose';
import { freePort } from './harness.mjs';

export const ACR = {
  basis: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  midden: 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract',
  substantieel: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard',
  eh2: 'urn:etoegang:core:assurance-class:loa2',
  eh3: 'urn:etoegang:core:assurance-class:loa3',
};

// Test BSNs pass the elfproef (9999xxxxx, the test range).
export const USERS = {
  'kcm-anne': { claims: { preferred_username: 'anne.kcm', roles: ['kcc-medewerkers', 'iedereen'] } },
  'beheer-bram': { claims: { preferred_username: 'bram.beheer', roles: ['functioneel-beheer'] } },
  'zonder-rol': { claims: { preferred_username: 'zonder.rol', roles: ['iedereen'] } },
  'inwoner-midden': { acr: ACR.midden, claims: { bsn: '999993653' } },
  'inwoner-basis': { acr: ACR.basis, claims: { bsn: '999993653' } },
  'gemachtigde': { acr: ACR.midden, claims: {
    'urn:nl-eid-gdi:1.0:LegalSubjectID': '999991772',
    'urn:nl-eid-gdi:1.0:ActingSubjectID': '999993653',
    'urn:nl-eid-gdi:1.0:ServiceUUID': 'b1a5e1c2-0000-4000-8000-000000000001' } },
  'bedrijf': { acr: ACR.eh3, claims: {
    'urn:etoegang:core:LegalSubjectID': '69599084',
    'urn:etoegang:1.9:ServiceRestriction:Vestigingsnr': '000038509490',
    'urn:etoegang:core:ActingSubjectID': 'medewerker-4711' } },
  'bedrijf-eh2': { acr: ACR.eh2, claims: { 'urn:etoegang:core:LegalSubjectID': '69599084' } },
};

const CLAIM_NAMES = [...new Set(Object.values(USERS).flatMap((u) => Object.keys(u.claims)))];

async function signingKey(alg, kid) {
  const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid, alg, use: 'sig' };
}

const publicOf = (jwk) => {
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  return pub;
};

/**
 * Starts the provider. redirectUris: the relying party's callback URL(s). Returns
 * { issuer, stop, tamperNext(fn), rotate(), foreignKey(), signedWith(...), lastIdToken }.
 */
export async function startOp({ redirectUris, postLogoutUris = [] }) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const rsa = await signingKey('RS256', 'rsa-1');
  const ec = await signingKey('ES256', 'ec-1');
  const extra = []; // keys added by rotate(): published and used to re-sign
  const op = { issuer, tamper: null, idTokens: [], extra };

  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'omnikanaal-medewerkers', client_secret: 'geheim-medewerkers',
        redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutUris,
        response_types: ['code'], grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'RS256' },
      { client_id: 'omnikanaal-burgers', client_secret: 'geheim-burgers',
        redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutUris,
        response_types: ['code'], grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256' },
    ],
    jwks: { keys: [rsa, ec] },
    pkce: { required: () => true },
    claims: { acr: null, sid: null, auth_time: null, openid: ['sub', 'acr', ...CLAIM_NAMES] },
    acrValues: Object.values(ACR),
    conformIdTokenClaims: false, // the claims go in the ID token, as brokers send them
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = `<!doctype html><html lang="nl"><title>Uitloggen</title><main><h1>Uitloggen bij de test-inlogdienst</h1>
${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Ja, uitloggen</button></main></html>`;
      } } },
    cookies: { keys: ['alleen-voor-tests'] },
    ttl: { IdToken: 300 }, // OpenID NLGov: at most 5 minutes
    findAccount: async (ctx, id) => USERS[id] && {
      accountId: id,
      claims: async () => ({ sub: id, ...USERS[id].claims }),
    },
    // First-party clients: no consent screen; every scope and claim is granted.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid');
      grant.addOIDCClaims([...CLAIM_NAMES, 'acr', 'sid', 'auth_time']);
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  provider.proxy = false;

  provider.use(async (ctx, next) => {
    const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (m && ctx.method === 'GET' && !m[2]) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="nl"><title>Test-inlogdienst</title><main><h1>Test-inlogdienst</h1>
<form method="post" action="/interaction/${details.uid}/login"><label for="login">Testgebruiker</label>
<input id="login" name="login"><button type="submit">Inloggen bij de test-inlogdienst</button></form></main></html>`;
      return;
    }
    if (m && ctx.method === 'POST' && m[2]) {
      let raw = '';
      for await (const chunk of ctx.req) raw += chunk;
      const login = new URLSearchParams(raw).get('login');
      const user = USERS[login];
      const result = user ? { login: { accountId: login, ...(user.acr ? { acr: user.acr } : {}) } }
        : { error: 'access_denied', error_description: 'onbekende testgebruiker' };
      await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    await next();
    if (ctx.path === '/jwks' && ctx.status === 200 && extra.length) {
      const body = typeof ctx.body === 'string' ? JSON.parse(ctx.body) : ctx.body;
      ctx.body = { keys: [...body.keys, ...extra.map(publicOf)] };
    }
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
      op.idTokens.push(ctx.body.id_token);
      if (op.tamper) {
        const fn = op.tamper;
        op.tamper = null;
        ctx.body = { ...ctx.body, id_token: await fn(ctx.body.id_token) };
      } else if (op.rotated) {
        ctx.body = { ...ctx.body, id_token: await op.resign(ctx.body.id_token, {}, op.rotated) };
      }
    }
  });

  const server = provider.listen(port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));

  /** Re-signs an ID token with its claims changed (`changes`; undefined removes) and `key`
   * (a private JWK; default: the provider's own key of the token's algorithm). */
  op.resign = async (token, changes = {}, key = null) => {
    const header = jose.decodeProtectedHeader(token);
    const claims = { ...jose.decodeJwt(token), ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete claims[k];
    const jwk = key || (header.alg === 'ES256' ? ec : rsa);
    return new jose.SignJWT(claims).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'JWT' })
      .sign(await jose.importJWK(jwk, jwk.alg));
  };
  /** The next token answer's ID token is replaced by fn(idToken) (a promise of a token). */
  op.tamperNext = (fn) => { op.tamper = fn; };
  /** A key the provider never publishes. */
  op.foreignKey = (alg = 'RS256') => signingKey(alg, `vreemd-${alg}`);
  /** Key rotation: a new key is published and every later ID token is signed with it. */
  op.rotate = async (alg = 'RS256') => {
    const key = await signingKey(alg, `${alg.toLowerCase()}-${extra.length + 2}`);
    extra.push(key);
    op.rotated = key;
    return key;
  };
  op.stop = () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); });
  return op;
}

/** Serve options for an Omnikanaal server using this provider for staff and as the broker. */
export function serveArgs(op, base, extra = []) {
  const cb = `${base}/auth/api/v1/oidc/terug`;
  return {
    args: ['--oidc-issuer', op.issuer, '--oidc-client-id', 'omnikanaal-medewerkers',
      '--oidc-redirect', cb, '--oidc-scopes', 'openid',
      '--oidc-logout-redirect', `${base}/login`,
      '--oidc-rol', 'functioneel-beheer=beheerder', '--oidc-rol', 'kcc-medewerkers=kcm',
      '--broker-issuer', op.issuer, '--broker-client-id', 'omnikanaal-burgers',
      '--broker-redirect', cb, '--broker-logout-redirect', `${base}/inloggen-inwoner`,
      ...extra],
    env: { OMNIKANAAL_OIDC_CLIENT_SECRET: 'geheim-medewerkers',
      OMNIKANAAL_BROKER_CLIENT_SECRET: 'geheim-burgers' },
  };
}

/** A cookie jar of name=value per origin host:port, enough for these flows. */
class Jar {
  constructor() { this.c = new Map(); }
  key(url) { return new URL(url).host; }
  store(url, res) {
    const k = this.key(url);
    const m = this.c.get(k) || new Map();
    for (const line of res.headers.getSetCookie?.() || []) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (!value || attrs.some((a) => /max-age=0/i.test(a.trim()))) m.delete(name);
      else m.set(name, value);
    }
    this.c.set(k, m);
  }
  header(url) {
    const m = this.c.get(this.key(url));
    return m ? [...m].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  get(url, name) { return this.c.get(this.key(url))?.get(name); }
}

/**
 * Follows a login like a browser without JavaScript: start at Omnikanaal (`start`, a path),
 * to the provider, log in as `user`, and stop at the redirect back to Omnikanaal's callback.
 * Returns { jar, callback } — the callback URL not yet visited — or { jar, stopped } when
 * Omnikanaal answered the start with something other than a redirect.
 */
export async function browse(base, start, user, jar = new Jar()) {
  let url = new URL(start, base).href;
  for (let hop = 0; hop < 12; hop++) {
    const u = new URL(url);
    if (u.pathname === '/auth/api/v1/oidc/terug') return { jar, callback: url };
    const isLogin = /\/interaction\/[^/]+$/.test(u.pathname) && hop > 0;
    const res = isLogin
      ? await fetch(`${url}/login`, { method: 'POST', redirect: 'manual',
        headers: { Cookie: jar.header(url), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: user }) })
      : await fetch(url, { redirect: 'manual', headers: { Cookie: jar.header(url) } });
    jar.store(url, res);
    await res.arrayBuffer();
    const loc = res.headers.get('location');
    if (!loc) return { jar, stopped: res };
    url = new URL(loc, url).href;
  }
  throw new Error('too many redirects');
}

/** Visits the callback (with the jar's cookies for Omnikanaal); returns the raw response. */
export async function finish(jar, callback, { cookieOverride } = {}) {
  const res = await fetch(callback, { redirect: 'manual',
    headers: { Cookie: cookieOverride ?? jar.header(callback) } });
  jar.store(callback, res);
  await res.arrayBuffer();
  return res;
}

export { Jar };
