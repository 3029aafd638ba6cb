// Limits that hold (docs/limieten.md): idle and trickling connections, log-in attempts, the
// anonymous chat and the webhooks cannot take the server from everyone else. Clients on other
// loopback addresses (127.0.0.2 and up; Linux routes all of 127/8 to lo without setup) play
// the attacker; 127.0.0.1 is everyone else (and, by default, the health checks). Timings are
// measured in bench/limits, not asserted here: a test asserts that the others are answered.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { startServer, conformsToSpec, BIN } from '../lib/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until cond() is true (polling), or fails after `ms`. */
async function until(cond, ms, what) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(50);
  }
}

/** One HTTP request from a chosen local address, on a connection of its own. Resolves
 * {status, headers, text, json}; status null when the connection closed without an answer.
 * Answers of our APIs are held to their OpenAPI documents. */
function call(srv, method, path, { from = '127.0.0.1', body, headers = {}, timeout = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const h = { ...headers };
    if (data !== undefined) Object.assign(h, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path, localAddress: from,
      agent: false, headers: h, timeout }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', async () => {
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        const out = { status: res.statusCode, headers: new Headers(res.headers), text, json };
        try {
          await conformsToSpec(method, srv.base + path, out);
          resolve(out);
        } catch (e) { reject(e); }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeout} ms`)));
    req.on('error', (e) => (e.code === 'ECONNRESET' ? resolve({ status: null, error: e }) : reject(e)));
    if (data !== undefined) req.write(data);
    req.end();
  });
}

function assertProblem(res, status, code) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/);
  assert.equal(res.json.status, status);
  assert.equal(res.json.code, code, res.text);
  assert.ok(res.json.detail && /[a-z]/.test(res.json.detail), 'a reason in words');
}

function assertRetryAfter(res) {
  const ra = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(ra) && ra >= 1, `Retry-After: ${res.headers.get('retry-after')}`);
  return ra;
}

/** Opens n TCP connections from `from`; every other one sends an unfinished head and then
 * trickles a byte every 200 ms. Returns {socks, open(), closed(), stop()}. */
function flood(port, n, from) {
  const socks = [];
  let closed = 0;
  for (let i = 0; i < n; i++) {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: from });
    s.on('connect', () => { if (i % 2) s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Langzaam: '); });
    s.on('close', () => { closed++; });
    s.on('error', () => {});
    socks.push(s);
  }
  const trickle = setInterval(() => {
    socks.forEach((s, i) => { if (i % 2 && s.writable) s.write('a'); });
  }, 200);
  return {
    socks,
    closed: () => closed,
    connected: () => socks.filter((s) => !s.connecting).length,
    stop: () => { clearInterval(trickle); for (const s of socks) s.destroy(); },
  };
}

describe('connections: 1,500 idle or trickling from one address, at 1,024 open files', () => {
  let srv;
  before(async () => {
    srv = await startServer({ prefix: ['prlimit', '--nofile=1024'], args: ['--head-timeout', '2'] });
  });
  after(async () => { await srv?.stop(); });

  it('/healthz and the API still answer others; the address keeps its cap; trickling heads are closed', async () => {
    const f = flood(srv.port, 1500, '127.0.0.2');
    try {
      // Every attempt was accepted by the kernel and either kept or closed by the server.
      await until(() => f.connected() === 1500, 30000, 'all 1,500 connection attempts done');
      const health = await call(srv, 'GET', '/healthz', { timeout: 20000 });
      assert.equal(health.status, 200, 'the health check from another address answers');
      const list = await srv.req('GET', '/partijen', { timeout: 20000 });
      assert.equal(list.status, 200, 'an API request from another address answers');
      // At most the per-address cap (64) stays open; two threads accepting at once may each
      // pass it by one.
      await until(() => 1500 - f.closed() <= 64 + 16, 10000,
        `the address keeps at most its 64 connections (open: ${1500 - f.closed()})`);
      // The kept ones trickle forever or say nothing: none completes a head, so the head
      // deadline (2 s here) closes every one, however the bytes keep coming.
      await until(() => f.closed() === 1500, 20000, `every connection closed (${1500 - f.closed()} open)`);
      const again = await call(srv, 'GET', '/healthz', { from: '127.0.0.2' });
      assert.equal(again.status, 200, 'the address may connect again once its connections are gone');
    } finally { f.stop(); }
    assert.equal(srv.proc.exitInfo, null, 'the server is still running');
  });
});

describe('connections: headroom for the health checks when the cap is reached', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--max-connections', '40', '--max-connections-per-address', '10'] });
  });
  after(async () => { await srv?.stop(); });

  it('at the cap another client is refused, the health address still gets /healthz', async () => {
    const floods = [];
    try {
      for (let k = 10; k < 16; k++) floods.push(flood(srv.port, 10, `127.0.0.${k}`));
      await until(() => floods.every((f) => f.connected() === 10), 20000, 'all attempts done');
      await until(() => floods.reduce((n, f) => n + 10 - f.closed(), 0) <= 40 + 8, 10000, 'the cap holds');
      const open = floods.reduce((n, f) => n + 10 - f.closed(), 0);
      // 40 in all: the harness's own kept-alive connections from 127.0.0.1 count too.
      assert.ok(open >= 36, `the cap admits 40 connections (ours open: ${open})`);
      const other = await call(srv, 'GET', '/healthz', { from: '127.0.0.3' });
      assert.equal(other.status, null, 'past the cap a client not among the health addresses is refused');
      const health = await call(srv, 'GET', '/healthz', { timeout: 20000 });
      assert.equal(health.status, 200, 'the health address uses the headroom');
    } finally { for (const f of floods) f.stop(); }
  });
});

describe('log-in attempts', () => {
  let srv;
  const PW = 'een-lang-goed-wachtwoord';
  before(async () => {
    srv = await startServer({ args: ['--login-limit-account', '8'] });
    srv.createUser('mira', 'kcm', PW);
    srv.createUser('joost', 'kcm', PW);
  });
  after(async () => { await srv?.stop(); });
  const login = (name, pw, from) => call(srv, 'POST', '/auth/api/v1/login',
    { from, body: { gebruikersnaam: name, wachtwoord: pw } });

  it('32 parallel wrong log-ins: at most 5 checked, the rest 429 at once; others are answered meanwhile', async () => {
    const attack = Promise.all(Array.from({ length: 32 }, () => login('mira', 'fout', '127.0.0.2')));
    const others = await Promise.all([
      call(srv, 'GET', '/healthz'),
      srv.req('GET', '/partijen'),
    ]);
    for (const o of others) assert.equal(o.status, 200);
    const res = await attack;
    const by = (s) => res.filter((r) => r.status === s);
    assert.equal(by(401).length + by(429).length, 32, res.map((r) => r.status).join(','));
    assert.ok(by(401).length <= 5, `at most the 5 free failures are checked (${by(401).length})`);
    for (const r of by(429)) {
      assertProblem(r, 429, 'te_veel_pogingen');
      assertRetryAfter(r);
      assert.match(r.json.detail, /Probeer het over \d+ (seconde|seconden|minuten) opnieuw\./);
    }
    // The real user, from their own address, is not locked out by this.
    const ok = await login('mira', PW, '127.0.0.1');
    assert.equal(ok.status, 200, ok.text);
  });

  it('after the free failures each attempt of the pair waits longer (Retry-After grows)', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await login('joost', 'fout', '127.0.0.5')).status, 401);
    assert.equal((await login('joost', 'fout', '127.0.0.5')).status, 401, 'the 6th is checked…');
    const r = await login('joost', 'fout', '127.0.0.5');
    assertProblem(r, 429, 'te_veel_pogingen');
    const first = assertRetryAfter(r);
    await sleep(first * 1000 + 100);
    assert.equal((await login('joost', 'fout', '127.0.0.5')).status, 401, '…and one more after the wait');
    const second = assertRetryAfter(await login('joost', 'fout', '127.0.0.5'));
    assert.ok(second > first || second >= 2, `the wait grows: ${first} s, then ${second} s`);
    // Even the right password waits from this address; another address is not held.
    assert.equal((await login('joost', PW, '127.0.0.5')).status, 429);
    assert.equal((await login('joost', PW, '127.0.0.6')).status, 200);
  });

  it('an account tried from many addresses is held for new addresses, not for its own', async () => {
    srv.createUser('anna', 'kcm', PW);
    assert.equal((await login('anna', PW, '127.0.0.1')).status, 200, 'anna logs in from her own address');
    // 8 failures an hour from addresses anna never used (--login-limit-account 8).
    for (let k = 0; k < 8; k++) assert.equal((await login('anna', 'fout', `127.0.2.${k + 1}`)).status, 401);
    const held = await login('anna', PW, '127.0.2.100');
    assertProblem(held, 429, 'te_veel_pogingen');
    assert.match(held.json.detail, /onbekende adressen/);
    assert.equal((await login('anna', PW, '127.0.0.1')).status, 200, 'her own address still logs her in');
  });

  it('too many password checks at once: 503 with Retry-After at once, not a queue', async () => {
    const s2 = await startServer({ args: ['--login-parallel', '1'] });
    try {
      // 64 different accounts from 64 addresses: no per-pair or per-address limit applies.
      const res = await Promise.all(Array.from({ length: 64 }, (_, i) =>
        call(s2, 'POST', '/auth/api/v1/login', { from: `127.0.3.${i + 1}`, body: { gebruikersnaam: `u${i}`, wachtwoord: 'fout' } })));
      const busy = res.filter((r) => r.status === 503);
      assert.equal(busy.length + res.filter((r) => r.status === 401).length, 64, res.map((r) => r.status).join(','));
      assert.ok(busy.length > 0, 'some are refused while one checker is busy');
      for (const r of busy) {
        assertProblem(r, 503, 'te_druk');
        assert.equal(r.headers.get('retry-after'), '1');
      }
    } finally { await s2.stop(); }
  });
});

describe('the anonymous chat and the webhooks', () => {
  let srv;
  const SITE = 'https://www.voorbeeldstad.test';
  const K = '/kanalen/api/v1';
  before(async () => {
    srv = await startServer({ args: ['--chat-origin', SITE, '--chat-origin', 'https://chat.voorbeeldstad.test',
      '--webhook-limit-address', '5', '--whatsapp-verify-token', 'vt'] });
  });
  after(async () => { await srv?.stop(); });
  const startChat = (from, headers = {}) => call(srv, 'POST', `${K}/chat/sessies`, { from, body: { naam: 'Test' }, headers });

  it('300 new chats from one address: limited (429), the queue intact for others', async () => {
    const res = [];
    for (let i = 0; i < 300; i += 30) {
      res.push(...await Promise.all(Array.from({ length: 30 }, () => startChat('127.0.0.2'))));
    }
    const made = res.filter((r) => r.status === 201).length;
    const limited = res.filter((r) => r.status === 429);
    assert.equal(made + limited.length, 300, res.map((r) => r.status).join(','));
    assert.ok(made <= 20, `at most 20 chats an hour from one address (made ${made})`);
    assertProblem(limited[0], 429, 'te_veel_chats');
    assertRetryAfter(limited[0]);
    // Another resident starts a chat and is in the queue behind at most those 20.
    const mine = await startChat('127.0.0.1');
    assert.equal(mine.status, 201, mine.text);
    const msgs = await call(srv, 'GET', `${K}/chat/sessies/${mine.json.sessie}/berichten`, { headers: { 'X-Chat-Sessie': mine.json.geheim } });
    assert.equal(msgs.status, 200);
    assert.ok(msgs.json.positie >= 1 && msgs.json.positie <= made + 1, `place in the queue: ${msgs.json.positie}`);
    const queue = await srv.req('GET', `${K}/chat/wachtrij`, { base: true });
    assert.equal(queue.status, 200);
    assert.equal(queue.json.count, made + 1);
  });

  it('the chat only from the configured websites (Origin), with CORS for them', async () => {
    const ok = await startChat('127.0.0.7', { Origin: 'https://chat.voorbeeldstad.test' });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://chat.voorbeeldstad.test');
    const foreign = await startChat('127.0.0.7', { Origin: 'https://elders.example' });
    assertProblem(foreign, 403, 'herkomst_niet_toegestaan');
    const read = await call(srv, 'GET', `${K}/chat/sessies/${ok.json.sessie}/berichten`,
      { from: '127.0.0.7', headers: { 'X-Chat-Sessie': ok.json.geheim, Origin: 'https://elders.example' } });
    assertProblem(read, 403, 'herkomst_niet_toegestaan');
    const pre = await call(srv, 'OPTIONS', `${K}/chat/sessies`,
      { from: '127.0.0.7', headers: { Origin: 'https://elders.example', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(pre.status, 403);
    const own = await startChat('127.0.0.7', { Origin: srv.base });
    assert.equal(own.status, 201, 'the server\'s own pages may use it');
  });

  it('webhook calls are limited per address', async () => {
    const path = '/kanalen/api/v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42';
    const res = [];
    for (let i = 0; i < 8; i++) res.push(await call(srv, 'GET', path, { from: '127.0.0.8' }));
    assert.deepEqual(res.slice(0, 5).map((r) => r.status), [200, 200, 200, 200, 200]);
    assertProblem(res[7], 429, 'te_veel_aanroepen');
    assertRetryAfter(res[7]);
    assert.equal((await call(srv, 'GET', path, { from: '127.0.0.9' })).status, 200, 'another address is not held');
  });
});

describe('the chat queue is capped', () => {
  let srv;
  before(async () => { srv = await startServer({ args: ['--chat-queue-max', '3'] }); });
  after(async () => { await srv?.stop(); });

  it('past the cap a new chat gets a clear Dutch refusal (503); once one is taken there is room', async () => {
    const K = '/kanalen/api/v1';
    const made = [];
    for (let k = 1; k <= 3; k++) {
      const r = await call(srv, 'POST', `${K}/chat/sessies`, { from: `127.0.4.${k}`, body: {} });
      assert.equal(r.status, 201, r.text);
      made.push(r.json);
    }
    const full = await call(srv, 'POST', `${K}/chat/sessies`, { from: '127.0.4.9', body: {} });
    assertProblem(full, 503, 'wachtrij_vol');
    assertRetryAfter(full);
    assert.match(full.json.detail, /Probeer het later opnieuw/);
    const taken = await srv.req('POST', `${K}/chat/sessies/${made[0].sessie}/toewijzen`, { base: true, body: { medewerker: 'Ahmed' } });
    assert.equal(taken.status, 200, taken.text);
    const now = await call(srv, 'POST', `${K}/chat/sessies`, { from: '127.0.4.9', body: {} });
    assert.equal(now.status, 201, now.text);
  });
});

describe('a trickled head is closed at its deadline', () => {
  let srv;
  before(async () => { srv = await startServer({ args: ['--head-timeout', '1'] }); });
  after(async () => { await srv?.stop(); });

  it('a byte every 200 ms does not keep the connection', async () => {
    const f = flood(srv.port, 2, '127.0.0.2'); // one idle, one trickling
    try {
      await until(() => f.closed() === 2, 20000, 'both closed');
    } finally { f.stop(); }
    const ok = await call(srv, 'GET', '/healthz', { from: '127.0.0.2' });
    assert.equal(ok.status, 200, 'a complete head is answered');
  });
});

describe('the client address behind a trusted proxy', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1', '--chat-limit-address', '2'] });
  });
  after(async () => { await srv?.stop(); });
  const start = (from, headers) => call(srv, 'POST', '/kanalen/api/v1/chat/sessies', { from, body: {}, headers });

  it('counts per forwarded client from the proxy, and ignores forwarding headers from anyone else', async () => {
    const a = { 'X-Forwarded-For': '203.0.113.5' };
    assert.equal((await start('127.0.0.1', a)).status, 201);
    assert.equal((await start('127.0.0.1', a)).status, 201);
    assertProblem(await start('127.0.0.1', a), 429, 'te_veel_chats');
    assert.equal((await start('127.0.0.1', { Forwarded: 'for="[2001:db8::7]:4711";proto=https' })).status, 201,
      'another client behind the proxy has its own count');
    // IPv6 counts by /64: one subscriber's network, not one of its 2^64 addresses.
    assert.equal((await start('127.0.0.1', { Forwarded: 'for="[2001:db8::8]"' })).status, 201);
    assertProblem(await start('127.0.0.1', { Forwarded: 'for="[2001:db8::9:1]"' }), 429, 'te_veel_chats');
    assert.equal((await start('127.0.0.1', { Forwarded: 'for="[2001:db8:0:1::7]"' })).status, 201, 'another /64');
    assert.equal((await start('127.0.0.1', { 'X-Forwarded-For': '203.0.113.6, 127.0.0.1' })).status, 201,
      'the last address that is not a trusted proxy counts');
    // Not from the proxy: a client cannot choose its address by a header.
    assert.equal((await start('127.0.0.2', { 'X-Forwarded-For': '198.51.100.1' })).status, 201);
    assert.equal((await start('127.0.0.2', { 'X-Forwarded-For': '198.51.100.2' })).status, 201);
    assertProblem(await start('127.0.0.2', { 'X-Forwarded-For': '198.51.100.3' }), 429, 'te_veel_chats');
  });
});

describe('a resident\'s chat messages', () => {
  let srv;
  before(async () => { srv = await startServer({ args: ['--chat-limit-address', '1'] }); });
  after(async () => { await srv?.stop(); });

  it('are limited per address too: 30 an hour for each chat it may start', async () => {
    const K = '/kanalen/api/v1';
    const chat = await call(srv, 'POST', `${K}/chat/sessies`, { from: '127.0.0.2', body: {} });
    assert.equal(chat.status, 201, chat.text);
    const say = (i) => call(srv, 'POST', `${K}/chat/sessies/${chat.json.sessie}/berichten`,
      { from: '127.0.0.2', body: { tekst: `bericht ${i}` }, headers: { 'X-Chat-Sessie': chat.json.geheim } });
    for (let i = 0; i < 30; i++) assert.equal((await say(i)).status, 201);
    const over = await say(30);
    assertProblem(over, 429, 'te_veel_berichten');
    assertRetryAfter(over);
  });
});

describe('limits checked at start-up', () => {
  it('refuses a --max-connections the open-files limit cannot hold, and malformed values (exit 2)', () => {
    const run = (args, prefix = []) => {
      const cmd = [...prefix, BIN, 'serve', '--db', '/nonexistent/omk.db', '--listen', '127.0.0.1:1', ...args];
      return spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 30000 });
    };
    const big = run(['--max-connections', '5000'], ['prlimit', '--nofile=1024']);
    assert.equal(big.status, 2, big.stderr);
    assert.match(big.stderr, /--max-connections 5000: the open-files limit leaves room for \d+ connections/);
    assert.equal(run(['--head-timeout', '0']).status, 2);
    assert.equal(run(['--health-from', '10.0.0.300']).status, 2);
  });
});
