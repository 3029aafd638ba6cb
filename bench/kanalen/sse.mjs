// SSE fan-out benchmark. Against our server (OMK_BASE, OMK_TOKEN) and the bare Node.js ceiling
// (BASELINE_PORT), with SESSIONS (500) concurrent streams each:
//  1. one-to-one: every chat session has its resident stream open; agents answer each session
//     (POST /gesprekken/{uuid}/berichten, 32 in flight); latency = POST sent → event received
//     on that session's stream. ROUNDS rounds over all sessions.
//  2. fan-out: SESSIONS agent streams open; a new chat (POST /chat/sessies) is announced to
//     every agent stream (chat-wachtrij); latency = POST sent → event received, per stream.
// Prints JSON with p50/p90/p99/max in ms for both servers.
import http from 'node:http';

const SESSIONS = Number(process.env.SESSIONS || 500);
const ROUNDS = Number(process.env.ROUNDS || 4);
const FANOUTS = Number(process.env.FANOUTS || 20);
const INFLIGHT = 32;
const agent = new http.Agent({ keepAlive: true, maxSockets: INFLIGHT + 8 });

function request(port, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port, method, path, agent,
      headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}), ...headers } },
    (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** Opens a stream on its own socket; onEvent(name, data, now). Resolves once connected. */
function stream(port, path, headers, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent: false,
      headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${path}: ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        const now = performance.now();
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let name = 'message', data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) name = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (block.startsWith(':')) continue;
          if (name === 'verbonden') resolve(req);
          else onEvent(name, data, now);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function pct(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), max: r(s[s.length - 1]) };
}

async function pool(items, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: INFLIGHT }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const waiting = new Map(); // key → {sent, resolve}
function expect(key) {
  return new Promise((resolve) => waiting.set(key, { resolve, sent: 0 }));
}
function arrived(key, now) {
  const w = waiting.get(key);
  if (w) { waiting.delete(key); w.resolve(now); }
}

async function oneToOne(kind, port, auth) {
  const sessions = [];
  for (let i = 0; i < SESSIONS; i++) {
    if (kind === 'omk') {
      const s = await request(port, 'POST', '/kanalen/api/v1/chat/sessies', { naam: `bench ${i}` });
      sessions.push({ id: s.json.sessie, geheim: s.json.geheim });
    } else sessions.push({ id: `s${i}` });
  }
  const socks = [];
  await pool(sessions, async (s) => {
    const path = kind === 'omk' ? `/kanalen/api/v1/chat/sessies/${s.id}/gebeurtenissen?sessie=${s.geheim}` : `/stream?topic=chat:${s.id}`;
    socks.push(await stream(port, path, {}, (name, data, now) => {
      const m = /"tekst":"(r\d+-\d+)"/.exec(data);
      if (m) arrived(m[1], now);
    }));
  });
  const lat = [];
  for (let r = 0; r < ROUNDS; r++) {
    await pool(sessions.map((s, i) => [s, i]), async ([s, i]) => {
      const key = `r${r}-${i}`;
      const got = expect(key);
      const sent = performance.now();
      const res = kind === 'omk'
        ? await request(port, 'POST', `/kanalen/api/v1/gesprekken/${s.id}/berichten`, { tekst: key }, auth)
        : await request(port, 'POST', `/publish?topic=chat:${s.id}`, { tekst: key });
      if (res.status !== 201) throw new Error(`reply ${res.status}`);
      lat.push((await got) - sent);
    });
  }
  for (const s of socks) s.destroy();
  return pct(lat);
}

async function fanOut(kind, port, auth) {
  const lat = [];
  let expected = 0;
  let pending = null;
  const socks = [];
  const names = Array.from({ length: SESSIONS }, (_, i) => `agent${i}`);
  await pool(names, async (n) => {
    const path = kind === 'omk' ? `/kanalen/api/v1/gebeurtenissen?medewerker=${n}` : `/stream?topic=medewerker:${n}`;
    socks.push(await stream(port, path, auth, (name, data, now) => {
      if (pending && data.includes(pending.key)) {
        lat.push(now - pending.sent);
        if (--expected === 0) pending.done();
      }
    }));
  });
  for (let r = 0; r < FANOUTS; r++) {
    const key = `fan${r}x${Math.random().toString(36).slice(2)}`;
    await new Promise((done) => {
      expected = SESSIONS;
      pending = { key, sent: performance.now(), done };
      if (kind === 'omk') request(port, 'POST', '/kanalen/api/v1/chat/sessies', { naam: key });
      else request(port, 'POST', '/publish?prefix=medewerker:', { naam: key });
    });
  }
  for (const s of socks) s.destroy();
  return pct(lat);
}

const omkPort = Number(new URL(process.env.OMK_BASE).port);
const auth = { Authorization: `Token ${process.env.OMK_TOKEN}` };
const basePort = Number(process.env.BASELINE_PORT);
const out = { sessions: SESSIONS, rounds: ROUNDS, fanouts: FANOUTS };
out.oneToOne = { omk: await oneToOne('omk', omkPort, auth), node: await oneToOne('node', basePort, {}) };
out.fanOut = { omk: await fanOut('omk', omkPort, auth), node: await fanOut('node', basePort, {}) };
console.log(JSON.stringify(out));
process.exit(0);
