// Absolute URLs (pagination next/previous, `url` fields, Location, notification resourceUrls)
// come from `serve --public-url` when it is set, whatever Host, X-Forwarded-Host or Forwarded a
// client sends; without it, forwarded headers count only from a `--trusted-proxy` peer and the
// Host header otherwise — so a client cannot point notification subscribers at its own host.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { startServer, klantcontactBody, API_PATH, BIN } from '../lib/harness.mjs';

const PUBLIC = 'https://klant.gemeente.nl';
const EVIL = { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http',
  Forwarded: 'for=192.0.2.1;proto=http;host=evil.example' };

/** A notification subscriber on loopback that records the messages it receives. */
function subscriber() {
  const sub = { messages: [] };
  sub.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { sub.messages.push(JSON.parse(body)); res.statusCode = 204; res.end(); });
  });
  return new Promise((resolve) => sub.server.listen(0, '127.0.0.1', () => {
    sub.url = `http://127.0.0.1:${sub.server.address().port}/callback`;
    resolve(sub);
  }));
}

async function waitFor(pred, ms = 8000) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pred();
}

/** A request over a raw socket (fetch does not let a test choose the Host header). */
function raw(srv, method, path, headers = {}, body) {
  const h = { Host: `127.0.0.1:${srv.port}`, Authorization: `Token ${srv.token}`, Connection: 'close', ...headers };
  let text;
  if (body !== undefined) {
    text = JSON.stringify(body);
    Object.assign(h, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  }
  const head = [`${method} ${path} HTTP/1.1`, ...Object.entries(h).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return srv.raw(head, text);
}

const create = async (srv, headers) => {
  const res = await raw(srv, 'POST', `${API_PATH}/klantcontacten`, headers, klantcontactBody());
  assert.equal(res.status, 201, res.text);
  return res;
};

describe('--public-url', () => {
  let srv, sub;
  before(async () => {
    sub = await subscriber();
    srv = await startServer({ args: ['--public-url', `${PUBLIC}/`, '--notify', sub.url] });
  });
  after(async () => {
    await srv?.stop();
    sub?.server.close();
  });

  it('url, Location and the notification resourceUrl use the public URL, whatever Host and forwarded headers say', async () => {
    const res = await create(srv, EVIL);
    const url = res.json.url;
    assert.equal(url, `${PUBLIC}${API_PATH}/klantcontacten/${res.json.uuid}`);
    assert.equal(res.headers.location, url);
    assert.ok(await waitFor(() => sub.messages.some((m) => m.hoofdObject === url)), JSON.stringify(sub.messages));
    const msg = sub.messages.find((m) => m.hoofdObject === url);
    assert.equal(msg.resourceUrl, url);
    assert.ok(!JSON.stringify(sub.messages).includes('evil.example'));
  });

  it('next and previous use the public URL', async () => {
    await create(srv, EVIL);
    const page = await raw(srv, 'GET', `${API_PATH}/klantcontacten?pageSize=1&page=2`, EVIL);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.next, null);
    assert.equal(page.json.previous, `${PUBLIC}${API_PATH}/klantcontacten?pageSize=1`);
    const first = await raw(srv, 'GET', `${API_PATH}/klantcontacten?pageSize=1`, EVIL);
    assert.equal(first.json.next, `${PUBLIC}${API_PATH}/klantcontacten?page=2&pageSize=1`);
    assert.ok(first.json.results.every((k) => k.url.startsWith(`${PUBLIC}/`)));
  });

  it('refuses a malformed --public-url or --trusted-proxy at start-up (exit 2)', async () => {
    for (const args of [['--public-url', 'klant.gemeente.nl'], ['--public-url', 'https://evil example/'],
      ['--trusted-proxy', '10.0.0.0/33'], ['--trusted-proxy', 'proxy.gemeente.nl']]) {
      const r = spawnSync(BIN, ['serve', '--db', `${srv.dir}/nooit.db`, '--listen', '127.0.0.1:0', ...args], { encoding: 'utf8', timeout: 10000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^omnikanaal: --(public-url|trusted-proxy)/);
    }
  });
});

describe('forwarded headers without --public-url', () => {
  let trusted, untrusted;
  before(async () => {
    trusted = await startServer({ args: ['--trusted-proxy', '192.0.2.0/24', '--trusted-proxy', '127.0.0.1'] });
    untrusted = await startServer({ args: ['--trusted-proxy', '10.0.0.0/8,::1'] });
  });
  after(async () => {
    await trusted?.stop();
    await untrusted?.stop();
  });

  it('from a trusted proxy: X-Forwarded-Host and -Proto are honoured', async () => {
    const res = await create(trusted, { Host: 'intern:8080', 'X-Forwarded-Host': 'klant.gemeente.nl, proxy.intern',
      'X-Forwarded-Proto': 'https' });
    assert.equal(res.json.url, `https://klant.gemeente.nl${API_PATH}/klantcontacten/${res.json.uuid}`);
    assert.equal(res.headers.location, res.json.url);
  });

  it('from a trusted proxy: Forwarded (RFC 7239) is honoured and wins over X-Forwarded-*', async () => {
    const res = await create(trusted, { Host: 'intern:8080', Forwarded: 'for=192.0.2.60;proto=https;host="kcc.gemeente.nl:8443", for=10.1.1.1',
      'X-Forwarded-Host': 'other.example' });
    assert.equal(res.json.url, `https://kcc.gemeente.nl:8443${API_PATH}/klantcontacten/${res.json.uuid}`);
    const page = await raw(trusted, 'GET', `${API_PATH}/klantcontacten?pageSize=1`, { Host: 'intern:8080', 'X-Forwarded-Host': 'klant.gemeente.nl', 'X-Forwarded-Proto': 'https' });
    assert.equal(page.json.next, `https://klant.gemeente.nl${API_PATH}/klantcontacten?page=2&pageSize=1`);
  });

  it('from any other peer: forwarded headers are ignored, the Host header counts (as before)', async () => {
    const res = await create(untrusted, EVIL);
    assert.equal(res.json.url, `http://evil.example${API_PATH}/klantcontacten/${res.json.uuid}`);
    const own = await create(untrusted, { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' });
    assert.equal(own.json.url, `http://127.0.0.1:${untrusted.port}${API_PATH}/klantcontacten/${own.json.uuid}`);
  });
});
