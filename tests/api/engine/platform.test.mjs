// Platform behaviour of /klantinteracties/api/v1: versioning, security headers, auth, routing,
// media types, body limits, hostile input, problem+json shape.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertInvalidParam, expectStatus, header, show, klantcontactBody,
  persoonBody, create, count, rawHttp, API_PATH, API_VERSION, UUID_RE,
} from '../lib/harness.mjs';

let srv;
let counts0; // object counts before the bad-input section
let kc; // an existing klantcontact

before(async () => {
  srv = await startServer();
  kc = await create(srv, 'klantcontacten', klantcontactBody());
  await create(srv, 'partijen', persoonBody());
  counts0 = {
    klantcontacten: await count(srv, '/klantcontacten'),
    partijen: await count(srv, '/partijen'),
    betrokkenen: await count(srv, '/betrokkenen'),
    digitaleadressen: await count(srv, '/digitaleadressen'),
  };
});
after(async () => { if (srv) await srv.stop(); });

function assertSecurityHeaders(res, what) {
  assert.equal(header(res, 'x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(header(res, 'x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  const csp = header(res, 'content-security-policy') || '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: Content-Security-Policy = ${csp}`);
  assert.match(header(res, 'cache-control') || '', /no-store/, `${what}: Cache-Control`);
  assert.equal(header(res, 'referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
}

describe('health and openapi', () => {
  it('GET /healthz → 200 without auth', async () => {
    const res = await srv.req('GET', '/healthz', { base: true, token: null });
    expectStatus(res, 200);
  });

  it('GET /klantinteracties/api/v1/openapi.yaml → 200 without auth, the same document as the JSON', async () => {
    const yaml = await srv.req('GET', '/openapi.yaml', { token: null });
    expectStatus(yaml, 200);
    assert.match(header(yaml, 'content-type') || '', /^application\/yaml/);
    const json = await srv.req('GET', '/openapi.json', { token: null });
    const { load } = await import('js-yaml');
    assert.deepEqual(load(yaml.text), json.json);
  });

  it('GET /klantinteracties/api/v1/openapi.json → 200 without auth, info.version 0.9.0', async () => {
    const res = await srv.req('GET', '/openapi.json', { token: null });
    expectStatus(res, 200);
    assert.match(header(res, 'content-type') || '', /json/);
    assert.ok(res.json, 'body is JSON');
    assert.equal(typeof res.json.openapi, 'string');
    assert.match(res.json.openapi, /^3\./);
    assert.equal(res.json.info.version, API_VERSION);
    assert.equal(header(res, 'api-version'), API_VERSION);
  });
});

describe('API-version header', () => {
  const cases = [
    ['200 list', () => srv.req('GET', '/klantcontacten')],
    ['200 detail', () => srv.req('GET', `/klantcontacten/${kc.uuid}`)],
    ['201 create', () => srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: 'versie' }) })],
    ['400 validation', () => srv.req('POST', '/klantcontacten', { body: {} })],
    ['401 no token', () => srv.req('GET', '/klantcontacten', { token: null })],
    ['404 unknown', () => srv.req('GET', '/bestaatniet')],
    ['404 missing object', () => srv.req('GET', `/klantcontacten/${crypto.randomUUID()}`)],
    ['405', () => srv.req('DELETE', '/klantcontacten')],
    ['415', () => srv.req('POST', '/klantcontacten', { raw: true, body: '{}', headers: { 'Content-Type': 'text/plain' } })],
    ['400 parse error', () => srv.req('POST', '/klantcontacten', { raw: true, body: '{', headers: { 'Content-Type': 'application/json' } })],
  ];
  for (const [name, fn] of cases) {
    it(`${name} carries API-version: ${API_VERSION}`, async () => {
      const res = await fn();
      assert.equal(header(res, 'api-version'), API_VERSION, `${name}: ${show(res)}`);
    });
  }
});

describe('security headers', () => {
  it('on a 200 list', async () => {
    const res = await srv.req('GET', '/klantcontacten');
    expectStatus(res, 200);
    assertSecurityHeaders(res, 'GET list');
  });
  it('on a 401', async () => {
    const res = await srv.req('GET', '/partijen', { token: null });
    assertSecurityHeaders(res, '401');
  });
  it('on a 404', async () => {
    const res = await srv.req('GET', '/nope');
    assertSecurityHeaders(res, '404');
  });
  it('on /healthz', async () => {
    const res = await srv.req('GET', '/healthz', { base: true, token: null });
    assertSecurityHeaders(res, 'healthz');
  });
  it('on a 201 with JSON content type', async () => {
    const res = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: 'headers' }) });
    expectStatus(res, 201);
    assertSecurityHeaders(res, 'POST');
    assert.match(header(res, 'content-type') || '', /^application\/json/);
  });
});

describe('authentication', () => {
  it('missing Authorization → 401 not_authenticated with WWW-Authenticate: Token', async () => {
    const res = await srv.req('GET', '/klantcontacten', { token: null });
    assertProblem(res, 401, 'not_authenticated');
    assert.match(header(res, 'www-authenticate') || '', /^Token\b/);
  });
  it('wrong token → 401 AuthenticationFailed "Ongeldige token." (not the texts of a missing header)', async () => {
    const res = await srv.req('GET', '/klantcontacten', { token: 'ditisgeengeldigetoken0000000000000000000' });
    const p = assertProblem(res, 401, 'authentication_failed');
    assert.equal(p.detail, 'Ongeldige token.');
    assert.match(p.type, /\/ref\/fouten\/AuthenticationFailed\/$/);
    assert.equal(p.title, 'Incorrecte authenticatiegegevens.');
    assert.match(header(res, 'www-authenticate') || '', /^Token\b/);
  });
  it('Bearer scheme with the right token → 401', async () => {
    const res = await srv.req('GET', '/klantcontacten', { token: null, headers: { Authorization: `Bearer ${srv.token}` } });
    assertProblem(res, 401);
  });
  it('"Token" without a key → 401', async () => {
    const res = await srv.req('GET', '/klantcontacten', { token: null, headers: { Authorization: 'Token' } });
    assertProblem(res, 401);
  });
  it('missing token on POST → 401 and nothing created', async () => {
    const res = await srv.req('POST', '/klantcontacten', { token: null, body: klantcontactBody({ onderwerp: 'no auth' }) });
    assertProblem(res, 401, 'not_authenticated');
    const l = await srv.req('GET', '/klantcontacten?onderwerp=no%20auth');
    assert.equal(expectStatus(l, 200).count, 0);
  });
});

describe('routing', () => {
  it('trailing slash on a collection → 404 problem+json (no redirect)', async () => {
    const res = await srv.req('GET', '/partijen/');
    assertProblem(res, 404);
  });
  it('trailing slash on a detail path → 404', async () => {
    const res = await srv.req('GET', `/klantcontacten/${kc.uuid}/`);
    assertProblem(res, 404);
  });
  it('unknown path → 404 not_found "Niet gevonden."', async () => {
    const res = await srv.req('GET', '/bestaatniet');
    const p = assertProblem(res, 404, 'not_found');
    assert.equal(p.title, 'Niet gevonden.');
    assert.equal(p.detail, 'Niet gevonden.');
  });
  it('unknown object uuid → 404 not_found', async () => {
    const res = await srv.req('GET', `/klantcontacten/${crypto.randomUUID()}`);
    const p = assertProblem(res, 404, 'not_found');
    assert.equal(p.detail, 'Niet gevonden.');
  });
  it('DELETE on a collection → 405 with Allow: GET, POST', async () => {
    const res = await srv.req('DELETE', '/partijen');
    assertProblem(res, 405, 'method_not_allowed');
    const allow = (header(res, 'allow') || '').split(',').map((s) => s.trim().toUpperCase());
    assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${allow}`);
    assert.ok(!allow.includes('DELETE'), `Allow must not list DELETE: ${allow}`);
  });
  it('PUT on a collection → 405', async () => {
    const res = await srv.req('PUT', '/klantcontacten', { body: klantcontactBody() });
    assertProblem(res, 405);
  });
  it('POST on a detail path → 405 with Allow listing GET, PUT, PATCH, DELETE', async () => {
    const res = await srv.req('POST', `/klantcontacten/${kc.uuid}`, { body: klantcontactBody() });
    assertProblem(res, 405);
    const allow = (header(res, 'allow') || '').split(',').map((s) => s.trim().toUpperCase());
    for (const m of ['GET', 'PUT', 'PATCH', 'DELETE']) assert.ok(allow.includes(m), `Allow ${allow} lacks ${m}`);
    assert.ok(!allow.includes('POST'));
  });
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
    it(`${method} with a uuid segment that is not a uuid → 404`, async () => {
      const opts = method === 'PUT' || method === 'PATCH' ? { body: klantcontactBody() } : {};
      const res = await srv.req(method, '/klantcontacten/geen-uuid', opts);
      assertProblem(res, 404);
    });
  }
  it('uuid with an extra character → 404', async () => {
    const res = await srv.req('GET', `/klantcontacten/${kc.uuid}0`);
    assertProblem(res, 404);
  });
});

describe('unknown query parameters', () => {
  const expected = [{ name: 'nonFieldErrors', code: 'unknown-parameters', reason: 'Onbekende query parameters: foo' }];
  it('on a list → 400 unknown-parameters', async () => {
    const res = await srv.req('GET', '/klantcontacten?foo=bar');
    const p = assertProblem(res, 400);
    assert.deepEqual(p.invalidParams, expected);
  });
  it('on a detail → 400 unknown-parameters', async () => {
    const res = await srv.req('GET', `/klantcontacten/${kc.uuid}?foo=bar`);
    const p = assertProblem(res, 400);
    assert.deepEqual(p.invalidParams, expected);
  });
  it('on partijen list, mixed with a known filter → 400 naming only the unknown one', async () => {
    const res = await srv.req('GET', '/partijen?soortPartij=persoon&foo=1');
    const p = assertProblem(res, 400);
    assert.deepEqual(p.invalidParams, expected);
  });
  it('expand[] counts as unknown', async () => {
    const res = await srv.req('GET', '/klantcontacten?expand[]=hadBetrokkenen');
    assertInvalidParam(res, 'nonFieldErrors', 'unknown-parameters', 'Onbekende query parameters: expand[]');
  });
  it('page and pageSize are known', async () => {
    const res = await srv.req('GET', '/klantcontacten?page=1&pageSize=2');
    expectStatus(res, 200);
  });
  it('an empty ?expand= on a detail is accepted (KISS sends it)', async () => {
    const res = await srv.req('GET', `/klantcontacten/${kc.uuid}?expand=`);
    expectStatus(res, 200);
    assert.equal(res.json.uuid, kc.uuid);
  });
});

describe('media types and bodies', () => {
  it('POST with Content-Type text/plain → 415 unsupported_media_type', async () => {
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: JSON.stringify(klantcontactBody()), headers: { 'Content-Type': 'text/plain' },
    });
    assertProblem(res, 415, 'unsupported_media_type');
  });
  it('POST without Content-Type → 415', async () => {
    const res = await srv.req('POST', '/klantcontacten', { raw: true, body: Buffer.from(JSON.stringify(klantcontactBody())) });
    assertProblem(res, 415, 'unsupported_media_type');
  });
  it('POST with application/x-www-form-urlencoded → 415', async () => {
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: 'kanaal=telefoon&onderwerp=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assertProblem(res, 415, 'unsupported_media_type');
  });
  it('PATCH with text/plain → 415', async () => {
    const res = await srv.req('PATCH', `/klantcontacten/${kc.uuid}`, {
      raw: true, body: '{"onderwerp":"x"}', headers: { 'Content-Type': 'text/plain' },
    });
    assertProblem(res, 415, 'unsupported_media_type');
  });
  it('application/json; charset=utf-8 is accepted → 201', async () => {
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: JSON.stringify(klantcontactBody({ onderwerp: 'charset' })),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expectStatus(res, 201);
    assert.match(res.json.uuid, UUID_RE);
  });
  it('malformed JSON → 400 parse_error', async () => {
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: '{"kanaal": "telefoon", ', headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(res, 400, 'parse_error');
  });
  it('empty body with application/json → 400', async () => {
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: '', headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(res, 400);
  });
  for (const [what, body] of [['array', '[]'], ['array of objects', '[{"kanaal":"telefoon"}]'], ['number', '42'],
    ['string', '"klantcontact"'], ['null', 'null'], ['true', 'true']]) {
    it(`JSON ${what} as body → 400`, async () => {
      const res = await srv.req('POST', '/klantcontacten', {
        raw: true, body, headers: { 'Content-Type': 'application/json' },
      });
      assertProblem(res, 400);
    });
  }
  it('trailing garbage after the JSON object → 400', async () => {
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: JSON.stringify(klantcontactBody({ onderwerp: 'garbage' })) + ' x',
      headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(res, 400);
  });
  it('invalid UTF-8 inside a JSON string → 400', async () => {
    const pre = Buffer.from('{"kanaal":"telefoon","onderwerp":"ab');
    const post = Buffer.from('cd","taal":"nld","vertrouwelijk":false}');
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: Buffer.concat([pre, Buffer.from([0xff, 0xfe, 0xc3]), post]),
      headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(res, 400);
  });
  it('overlong UTF-8 encoding (0xC0 0xAF) inside a JSON string → 400', async () => {
    const pre = Buffer.from('{"kanaal":"telefoon","onderwerp":"ab');
    const post = Buffer.from('","taal":"nld","vertrouwelijk":false}');
    const res = await srv.req('POST', '/klantcontacten', {
      raw: true, body: Buffer.concat([pre, Buffer.from([0xc0, 0xaf]), post]),
      headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(res, 400);
  });
  it('body over 1 MiB (Content-Length) → 413 problem+json', async () => {
    const body = JSON.stringify(klantcontactBody({ inhoud: 'x'.repeat(1024 * 1024 + 1024) }));
    const res = await srv.raw([
      `POST ${API_PATH}/klantcontacten HTTP/1.1`,
      `Host: 127.0.0.1:${srv.port}`,
      `Authorization: Token ${srv.token}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ].join('\r\n'), body);
    assert.equal(res.status, 413, `expected 413, got ${res.status} ${res.text.slice(0, 300)} ${res.error || ''}`);
    assert.match(res.headers['content-type'] || '', /^application\/problem\+json/);
    assert.equal(res.json && res.json.status, 413);
    assert.equal(res.headers['api-version'], API_VERSION);
  });
  it('body over 1 MiB (chunked, no Content-Length) → 413', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    let body = '{"kanaal":"telefoon","taal":"nld","vertrouwelijk":false,"onderwerp":"chunk","inhoud":"';
    const parts = [Buffer.from(body)];
    for (let i = 0; i < 20; i++) parts.push(Buffer.from(chunk));
    parts.push(Buffer.from('"}'));
    const enc = [];
    for (const p of parts) enc.push(Buffer.from(p.length.toString(16) + '\r\n'), p, Buffer.from('\r\n'));
    enc.push(Buffer.from('0\r\n\r\n'));
    const res = await srv.raw([
      `POST ${API_PATH}/klantcontacten HTTP/1.1`,
      `Host: 127.0.0.1:${srv.port}`,
      `Authorization: Token ${srv.token}`,
      'Content-Type: application/json',
      'Transfer-Encoding: chunked',
      'Connection: close',
    ].join('\r\n'), Buffer.concat(enc));
    assert.equal(res.status, 413, `expected 413, got ${res.status} ${res.text.slice(0, 300)} ${res.error || ''}`);
  });
  it('deeply nested JSON (100000 levels) → 400, and the server survives', async () => {
    const depth = 100000;
    const body = '{"kanaal":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
    const res = await srv.req('POST', '/klantcontacten', { raw: true, body, headers: { 'Content-Type': 'application/json' } });
    assertProblem(res, 400);
    expectStatus(await srv.req('GET', '/healthz', { base: true, token: null }), 200);
  });
  it('an escaped NUL (\\u0000) in a string → 400, or stored and returned unchanged', async () => {
    const res = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: 'nul\u0000byte' }) });
    if (res.status === 201) {
      const got = expectStatus(await srv.req('GET', `/klantcontacten/${res.json.uuid}`), 200);
      assert.equal(got.onderwerp, 'nul\u0000byte');
      await srv.req('DELETE', `/klantcontacten/${res.json.uuid}`);
    } else {
      assertProblem(res, 400);
    }
  });
  it('auth comes before validation: an invalid body without a token → 401', async () => {
    const res = await srv.req('POST', '/klantcontacten', { token: null, body: {} });
    assertProblem(res, 401);
  });
  it('100 idle connections do not block other clients', async () => {
    const net = await import('node:net');
    const socks = await Promise.all(Array.from({ length: 100 }, () => new Promise((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1', () => resolve(s));
      s.on('error', () => resolve(s));
    })));
    try {
      const t0 = Date.now();
      const res = await srv.req('GET', '/klantcontacten?pageSize=1', { timeout: 5000 });
      expectStatus(res, 200);
      assert.ok(Date.now() - t0 < 5000);
    } finally {
      for (const s of socks) s.destroy();
    }
  });
  it('unknown body fields are ignored → 201', async () => {
    const res = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: 'extra', bestaatNiet: 1, uuid: crypto.randomUUID() }) });
    expectStatus(res, 201);
    assert.equal(res.json.bestaatNiet, undefined);
  });
});

describe('request head caps (URI 8 KiB, header 8 KiB, headers 32 KiB, 100 fields)', () => {
  // A GET of the klantcontacten list with extra header lines `extra` (and URI `uri`).
  const head = (extra, { method = 'GET', uri = `${API_PATH}/klantcontacten`, body = null } = {}) => [
    `${method} ${uri} HTTP/1.1`, `Host: 127.0.0.1:${srv.port}`, `Authorization: Token ${srv.token}`,
    ...extra, ...(body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
    'Connection: close',
  ].join('\r\n');
  const fields = (n, size) => Array.from({ length: n }, (_, i) => `X-H${i}: ${'v'.repeat(size)}`);
  async function stillServes() {
    expectStatus(await srv.req('GET', '/healthz', { base: true, token: null }), 200);
    expectStatus(await srv.req('GET', '/klantcontacten?pageSize=1'), 200);
  }

  it('a head just inside the caps is served: an 8000-byte header, 84 fields, 31 KiB in all', async () => {
    const res = await srv.raw(head([`X-Big: ${'a'.repeat(8000)}`, ...fields(80, 280)]));
    assert.equal(res.status, 200, `${res.status} ${res.text.slice(0, 300)}`);
  });
  it('one header over 8 KiB (48 KiB) → 431 problem+json naming it, and the server still serves', async () => {
    const res = await srv.raw(head([`X-Huge: ${'a'.repeat(48 * 1024)}`]));
    const p = assertProblem(res, 431, 'request_headers_too_large');
    assert.equal(p.detail, 'De header "X-Huge" is 49160 bytes; het maximum is 8192 bytes per header.');
    assert.equal(res.headers['api-version'], API_VERSION);
    await stillServes();
  });
  it('headers together over 32 KiB (40 of 1000 bytes) → 431 naming the total', async () => {
    const p = assertProblem(await srv.raw(head(fields(40, 1000))), 431, 'request_headers_too_large');
    assert.match(p.detail, /^De headers zijn samen \d+ bytes; het maximum is 32768 bytes\.$/);
    await stillServes();
  });
  it('more than 100 header fields (500) → 431 naming the count', async () => {
    const p = assertProblem(await srv.raw(head(fields(500, 1))), 431, 'request_headers_too_large');
    assert.equal(p.detail, 'Het verzoek heeft 503 headers; het maximum is 100.');
    await stillServes();
  });
  it('a POST with a 16 KiB header → 431 before the handler: nothing is written', async () => {
    const body = JSON.stringify(klantcontactBody({ onderwerp: 'te-grote-header' }));
    const res = await srv.raw(head([`X-Huge: ${'a'.repeat(16 * 1024)}`], { method: 'POST', body }), body);
    assertProblem(res, 431, 'request_headers_too_large');
    assert.equal(await count(srv, '/klantcontacten?onderwerp=te-grote-header'), 0);
    await stillServes();
  });
  it('a URI over 8 KiB (a 48 KiB query string) → 414 problem+json naming the length', async () => {
    const uri = `${API_PATH}/klantcontacten?onderwerp=${'a'.repeat(48 * 1024)}`;
    const p = assertProblem(await srv.raw(head([], { uri })), 414, 'uri_too_long');
    assert.equal(p.detail, `De URI is ${uri.length} tekens lang; het maximum is 8192.`);
    assert.equal((await srv.raw(head([], { uri: `${API_PATH}/klantcontacten?onderwerp=${'a'.repeat(8000)}` }))).status, 200);
    await stillServes();
  });
  it('a head past libmicrohttpd\'s own 64 KiB pool (200 KiB) → its 431, and the server survives', async () => {
    // Not our answer (libmicrohttpd's HTML page, see docs/internals/http.md), so it is read
    // with rawHttp, outside the spec check of srv.raw.
    const res = await rawHttp(srv.port, head([`X-Huge: ${'a'.repeat(200 * 1024)}`]));
    assert.equal(res.status, 431, `${res.status} ${res.text.slice(0, 200)} ${res.error || ''}`);
    await stillServes();
  });
});

describe('path tricks', () => {
  const apiPaths = [
    `${API_PATH}/../../etc/passwd`,
    `${API_PATH}/%2e%2e/%2e%2e/etc/passwd`,
    `${API_PATH}/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd`,
    `${API_PATH}/klantcontacten/..%2f..%2f..%2fetc%2fpasswd`,
    `${API_PATH}/klantcontacten%00`,
    `${API_PATH}/klantcontacten/%00`,
    `${API_PATH}/klantcontacten%00.json`,
    `${API_PATH}//partijen`,
  ];
  for (const p of apiPaths) {
    it(`GET ${p} → 4xx, nothing served`, async () => {
      const res = await srv.raw([`GET ${p} HTTP/1.1`, `Host: 127.0.0.1:${srv.port}`,
        `Authorization: Token ${srv.token}`, 'Connection: close'].join('\r\n'));
      assert.ok(res.status >= 400 && res.status < 500, `${p} → ${res.status} ${res.text.slice(0, 200)}`);
      assert.ok(!/root:.*:0:0:/.test(res.text), 'served /etc/passwd');
      assert.ok(!/"results"/.test(res.text), 'served a list');
    });
  }
  for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd',
    '/static/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%00', '/index.html%00.txt']) {
    it(`GET ${p} (outside the API) → not 2xx, /etc/passwd not served`, async () => {
      const res = await srv.raw([`GET ${p} HTTP/1.1`, `Host: 127.0.0.1:${srv.port}`, 'Connection: close'].join('\r\n'));
      assert.ok(res.status !== null, `no response: ${res.error}`);
      assert.ok(!/root:.*:0:0:/.test(res.text), 'served /etc/passwd');
      assert.ok(res.status >= 300, `${p} → ${res.status}`);
    });
  }
  it('a request line that is not HTTP → 4xx or closed, server survives', async () => {
    const res = await srv.raw('GARBAGE\x01\x02 / FOO/9.9');
    assert.ok(res.status === null || (res.status >= 400 && res.status < 600), `status ${res.status}`);
    expectStatus(await srv.req('GET', '/healthz', { base: true, token: null }), 200);
  });
});

describe('SQL-looking input is data', () => {
  const evil = "'); DROP TABLE klantcontacten;--";
  it('is stored verbatim and returned unchanged', async () => {
    const body = klantcontactBody({ onderwerp: evil, inhoud: "x' OR '1'='1", kanaal: 'mail"; --' });
    const created = await create(srv, 'klantcontacten', body);
    assert.equal(created.onderwerp, evil);
    const got = expectStatus(await srv.req('GET', `/klantcontacten/${created.uuid}`), 200);
    assert.equal(got.onderwerp, evil);
    assert.equal(got.inhoud, "x' OR '1'='1");
    assert.equal(got.kanaal, 'mail"; --');
    // the table still exists and the filter finds exactly this one
    const l = expectStatus(await srv.req('GET', `/klantcontacten?onderwerp=${encodeURIComponent(evil)}`), 200);
    assert.equal(l.count, 1);
    assert.equal(l.results[0].uuid, created.uuid);
  });
  it('LIKE wildcards in a contains-filter are literal (% and _)', async () => {
    const a = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'Voor 100% zeker' }));
    await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'Afspraak_maken' }));
    const pct = expectStatus(await srv.req('GET', '/klantcontacten?onderwerp=%25'), 200);
    assert.equal(pct.count, 1, `onderwerp=% must match only the onderwerp containing "%": ${JSON.stringify(pct.results.map((r) => r.onderwerp))}`);
    assert.equal(pct.results[0].uuid, a.uuid);
    const us = expectStatus(await srv.req('GET', '/klantcontacten?onderwerp=_'), 200);
    assert.equal(us.count, 1, `onderwerp=_ must match only the one containing "_": ${JSON.stringify(us.results.map((r) => r.onderwerp))}`);
  });
  it('unicode round-trips unchanged', async () => {
    const s = 'Zoë — ĳsvrij 🐝 “quotes” \\ backslash \u2028 ok';
    const created = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: s }));
    const got = expectStatus(await srv.req('GET', `/klantcontacten/${created.uuid}`), 200);
    assert.equal(got.onderwerp, s);
  });
  it('SQL in a query parameter value for a uuid filter does not error', async () => {
    const res = await srv.req('GET', `/betrokkenen?hadKlantcontact__uuid=${encodeURIComponent("' OR 1=1 --")}`);
    assert.ok(res.status === 400 || (res.status === 200 && res.json.count === 0), show(res));
  });
});

describe('after all bad input', () => {
  it('no objects were created by rejected requests and the server still works', async () => {
    // Successful creates in this file: count them from the list by onderwerp markers.
    const expectedNew = ['versie', 'headers', 'charset', 'extra', "'); DROP TABLE klantcontacten;--", 'Voor 100% zeker',
      'Afspraak_maken'];
    const l = expectStatus(await srv.req('GET', '/klantcontacten?pageSize=500'), 200);
    const unexpected = l.results.filter((r) => r.uuid !== kc.uuid && !expectedNew.includes(r.onderwerp)
      && !r.onderwerp.startsWith('Zoë'));
    assert.deepEqual(unexpected.map((r) => r.onderwerp), [], 'klantcontacten created by rejected requests');
    assert.equal(l.count, counts0.klantcontacten + expectedNew.length + 1);
    assert.equal(await count(srv, '/partijen'), counts0.partijen);
    assert.equal(await count(srv, '/betrokkenen'), counts0.betrokkenen);
    assert.equal(await count(srv, '/digitaleadressen'), counts0.digitaleadressen);
    const res = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: 'nog steeds ok' }) });
    expectStatus(res, 201);
    expectStatus(await srv.req('GET', `/klantcontacten/${res.json.uuid}`), 200);
  });
  it('every request was access-logged as one JSON line on stderr', async () => {
    const lines = srv.logs().split('\n').filter((l) => l.trim().startsWith('{'));
    const recs = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean);
    const access = recs.filter((r) => r.method && r.path && r.status);
    assert.ok(access.length >= 50, `expected many access-log lines, got ${access.length}`);
    for (const r of access.slice(0, 20)) {
      assert.deepEqual(Object.keys(r), ['time', 'method', 'path', 'status', 'bytes', 'duration_ms', 'trace_id', 'span_id']);
      assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      assert.equal(typeof r.status, 'number');
      assert.ok(Number.isInteger(r.bytes) && r.bytes >= 0, `bytes in ${JSON.stringify(r)}`);
      assert.ok(typeof r.duration_ms === 'number' && r.duration_ms >= 0 && r.duration_ms < 60000, `duration_ms in ${JSON.stringify(r)}`);
      assert.match(r.trace_id, /^[0-9a-f]{32}$/, `trace_id in ${JSON.stringify(r)}`);
      assert.match(r.span_id, /^[0-9a-f]{16}$/, `span_id in ${JSON.stringify(r)}`);
    }
    const raw = srv.logs().split('\n').filter((l) => l.includes('"duration_ms":'));
    assert.ok(raw.every((l) => /"duration_ms":\d+\.\d{3},/.test(l)), 'duration_ms has three decimals');
    // the token must never appear in logs
    assert.ok(!srv.logs().includes(srv.token), 'token leaked into the log');
  });
  it('access lines are batched but written within a fraction of a second, also when idle', async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await srv.req('GET', '/klantcontacten?pageSize=1', {
      headers: { traceparent: `00-${trace}-00f067aa0ba902b7-01` } });
    expectStatus(res, 200);
    const started = Date.now();
    let line;
    while (!line && Date.now() - started < 3000) {
      await new Promise((done) => setTimeout(done, 50));
      line = srv.logs().split('\n').find((l) => l.includes(`"trace_id":"${trace}"`));
    }
    assert.ok(line, 'the access line of an idle server was not written within 3 s');
    assert.equal(JSON.parse(line).status, 200);
  });
});
