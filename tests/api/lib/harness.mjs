// Test harness for the Omnikanaal API tests: starts a real server process on a free loopback
// port with a fresh SQLite database in a temp dir, and offers small HTTP helpers.
// OMK_TEST_DB=postgresql gives each server a fresh PostgreSQL database instead (lib/pg.mjs; the
// cluster of OMK_TEST_PG_HOST, as `make check-pg` starts it, or one of this process's own).
// Every response that `request` (and so `srv.req`) receives from one of our APIs is checked
// against that API's OpenAPI document by lib/spec-validator.mjs (Klantinteracties against the
// official file, every other API against src/api/<api>/openapi*.json); a violation fails the
// request with an AssertionError. OMK_SPEC_MODE=report records violations instead of failing
// (to survey them), and OMK_SPEC_REPORT=<file> appends each one as a JSON line.
// OMK_SPEC_COVERAGE=<file> appends {operation, method, status} per checked response (to see which
// operations and statuses the run exercised). OMK_SPEC_SAMPLES=<file> appends every exchange
// (method, url, status, content type, body sent, body received) as a JSON line, to survey the
// real shapes when a document is written or checked. Complete raw-socket responses (`srv.raw`) to a
// well-formed request line are checked too, now that the server's transport-level answers (414,
// 431, 413 …) are its own problem+json; OMK_SPEC_RAW=0 turns that off. Answers libmicrohttpd
// gives itself (heads past its pool) are read with `rawHttp`, which checks nothing.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, existsSync, rmSync, appendFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import assert from 'node:assert/strict';
import { specValidator } from './spec-validator.mjs';
import { ON_PG, pgDatabase, pgCopyDatabase } from './pg.mjs';
import { totpCode } from './totp.mjs';

export { totpCode };

// Load the spec validator (about 3 s of CPU) before any test runs, not in the middle of a burst
// of concurrent requests.
await specValidator();

export const BIN = process.env.OMNIKANAAL_BIN || '/work/main/build/omnikanaal';
export const API_PATH = '/klantinteracties/api/v1';
export const API_VERSION = '0.9.0';
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Environment for child processes: flags must decide, not a stray OMNIKANAAL_DB/LISTEN.
function childEnv() {
  const env = { ...process.env };
  delete env.OMNIKANAAL_DB;
  delete env.OMNIKANAAL_LISTEN;
  return env;
}

function runCli(args, input) {
  if (!existsSync(BIN)) {
    throw new Error(`server binary not found at ${BIN} (build it, or set OMNIKANAAL_BIN)`);
  }
  // A binary being relinked at this moment gives EACCES/ETXTBSY: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      return execFileSync(BIN, args, { env: childEnv(), encoding: 'utf8', timeout: 30000, input,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    } catch (e) {
      if ((e.code === 'EACCES' || e.code === 'ETXTBSY' || e.code === 'ENOENT') && attempt < 20) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
        continue;
      }
      throw new Error(`${BIN} ${args.join(' ')} failed (status ${e.status}): ${e.stderr || e.message}`);
    }
  }
}

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Generic HTTP request with fetch. `url` is absolute.
 * opts: body (object → JSON with Content-Type application/json; string/Buffer → sent as-is
 *       when `raw` is true), headers, token (string; null = no Authorization), raw.
 * Returns {status, headers, json, text}.
 */
export async function request(method, url, opts = {}) {
  const headers = {};
  if (opts.token) headers['Authorization'] = `Token ${opts.token}`;
  let body;
  if (opts.body !== undefined) {
    if (opts.raw) {
      body = typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
    } else {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  Object.assign(headers, opts.headers || {});
  for (const k of Object.keys(headers)) if (headers[k] === undefined || headers[k] === null) delete headers[k];
  const res = await fetch(url, { method, headers, body, redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeout ?? 30000) });
  const text = await res.text();
  let json;
  try { json = text.length ? JSON.parse(text) : undefined; } catch { json = undefined; }
  const out = { status: res.status, headers: res.headers, json, text };
  if (process.env.OMK_SPEC_SAMPLES) {
    // Real exchanges only (not the altered bodies a test hands conformsToSpec).
    appendFileSync(process.env.OMK_SPEC_SAMPLES, JSON.stringify({ method, url, status: res.status,
      type: res.headers.get('content-type'), text: text.slice(0, 20000),
      sent: opts.body !== undefined && !opts.raw ? opts.body : undefined }) + '\n');
  }
  await conformsToSpec(method, url, out);
  return out;
}

/** Spec conformance of one exchange (see the file comment); throws on a violation
 * (`enforce` throws even under OMK_SPEC_MODE=report). */
export async function conformsToSpec(method, url, res, { enforce = false } = {}) {
  const validator = await specValidator();
  await validator.ready(url);
  const violations = validator.check({ method, url, status: res.status, headers: res.headers, text: res.text });
  if (process.env.OMK_SPEC_COVERAGE) {
    const operation = validator.operationOf(method, url);
    if (operation) appendFileSync(process.env.OMK_SPEC_COVERAGE, JSON.stringify({ operation, method, status: res.status }) + '\n');
  }
  if (violations.length === 0) return;
  if (process.env.OMK_SPEC_REPORT) {
    for (const v of violations) {
      appendFileSync(process.env.OMK_SPEC_REPORT, JSON.stringify({ method, url, status: res.status, violation: v }) + '\n');
    }
  }
  if (process.env.OMK_SPEC_MODE === 'report' && !enforce) return;
  throw new assert.AssertionError({
    message: `response violates the OpenAPI spec (shared/spec/klantinteracties-openapi.yaml or src/api/*/openapi*.json):\n${violations.join('\n')}`
      + `\nbody: ${String(res.text).slice(0, 1500)}`,
    actual: violations, expected: [], operator: 'conformsToSpec',
  });
}

/**
 * Raw HTTP/1.1 over a TCP socket, for requests fetch refuses or normalises (dot segments,
 * huge headers, oversize bodies). `head` is the request line + headers WITHOUT the final
 * blank line; body optional. Resolves {status, headers (lower-case keys), text, error}; status is
 * null when no response came before the connection closed.
 */
export function rawHttp(port, head, body, { timeout = 15000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    let done = false;
    let sockErr = null;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(parseRawResponse(Buffer.concat(chunks), sockErr));
    };
    const timer = setTimeout(() => { sockErr = sockErr || new Error('timeout'); finish(); }, timeout);
    sock.on('data', (d) => {
      chunks.push(d);
      // stop as soon as one complete response is in
      const r = parseRawResponse(Buffer.concat(chunks), null);
      if (r.complete) finish();
    });
    sock.on('error', (e) => { sockErr = e; setTimeout(finish, 50); });
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('connect', () => {
      try {
        sock.write(head + '\r\n\r\n');
        if (body !== undefined && body !== null) sock.write(body, () => {});
      } catch (e) { sockErr = e; }
    });
  });
}

function parseRawResponse(buf, error) {
  const sep = buf.indexOf('\r\n\r\n');
  if (sep < 0) return { status: null, headers: {}, text: buf.toString('utf8'), error, complete: false };
  const headText = buf.subarray(0, sep).toString('latin1');
  const lines = headText.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let rest = buf.subarray(sep + 4);
  let complete = false;
  let text;
  if (headers['transfer-encoding'] && /chunked/i.test(headers['transfer-encoding'])) {
    const out = [];
    let off = 0;
    for (;;) {
      const e = rest.indexOf('\r\n', off);
      if (e < 0) break;
      const n = parseInt(rest.subarray(off, e).toString('latin1'), 16);
      if (Number.isNaN(n)) break;
      if (n === 0) { complete = true; break; }
      if (rest.length < e + 2 + n) break;
      out.push(rest.subarray(e + 2, e + 2 + n));
      off = e + 2 + n + 2;
    }
    text = Buffer.concat(out).toString('utf8');
  } else if (headers['content-length'] !== undefined) {
    const n = parseInt(headers['content-length'], 10);
    complete = rest.length >= n;
    text = rest.subarray(0, n).toString('utf8');
  } else {
    text = rest.toString('utf8');
  }
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: m ? Number(m[1]) : null, headers, text, json, error, complete };
}

/**
 * Runs one SQL query on a database (a SQLite file through sqlite3, or a postgresql:// URL
 * through psql) and returns its output: a line per row, columns separated by '|'. For tests
 * that inspect or tamper with storage.
 */
export function sqlQuery(db, query) {
  return /^postgres(ql)?:\/\//.test(db)
    ? execFileSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', query], { encoding: 'utf8', timeout: 60000 })
    : execFileSync('sqlite3', [db, query], { encoding: 'utf8', timeout: 60000 });
}

/**
 * A copy of the stopped server's database named `name` (a file in its dir, with its -wal; or a
 * PostgreSQL database made from it as a template). Returns the copy's path or URL.
 */
export function copyDatabase(srv, name) {
  if (ON_PG) return pgCopyDatabase(srv.dbPath, name.replace(/[^a-z0-9_]/gi, '_').toLowerCase());
  const p = join(srv.dir, name);
  for (const ext of ['', '-wal', '-shm']) rmSync(p + ext, { force: true });
  copyFileSync(srv.dbPath, p);
  if (existsSync(srv.dbPath + '-wal')) copyFileSync(srv.dbPath + '-wal', p + '-wal');
  return p;
}

/**
 * Starts a server with a fresh database (`args`: extra `serve` options). Returns an object with
 * {base, api, port, token, dbPath, dir, logPath, proc, req, stop, kill9, restart, logs}.
 * `req(method, path, opts)`: path relative to `api` unless it is absolute (http…) or
 * opts.base is true (then relative to `base`). The server token is used unless opts.token
 * is given (null → no Authorization header).
 */
export async function startServer({ env = {}, args = [], dir: inDir = null, prefix = null, db = null, port = null } = {}) {
  // prefix: a command the server runs under (e.g. prlimit with a file-size limit).
  // port: the port to listen on when the test must know it first (an OpenID provider's
  // registered redirect URI); a free one otherwise.
  // inDir: an existing directory for the database (a file system a test made); kept at stop.
  // db: an empty database to use (a postgresql:// URL in a cluster the test controls).
  const dir = inDir || mkdtempSync(join(tmpdir(), 'omk-api-'));
  // On PostgreSQL dbPath is the database's URL: every `--db` takes it alike.
  const dbPath = db || (ON_PG ? pgDatabase() : join(dir, 'omnikanaal.db'));
  runCli(['migrate', '--db', dbPath]);
  const token = runCli(['token', 'create', '--name', 'api-tests', '--db', dbPath]).trim();
  assert.ok(token.length > 0 && !/\s/.test(token), `token create printed ${JSON.stringify(token)}`);

  const srv = { dir, dbPath, token, proc: null, port: null, base: null, api: null, logPath: null, runs: 0 };

  async function launch(port) {
    srv.runs += 1;
    srv.port = port;
    srv.base = `http://127.0.0.1:${port}`;
    srv.api = srv.base + API_PATH;
    srv.logPath = join(dir, `server-${srv.runs}.stderr.log`);
    const errFd = openSync(srv.logPath, 'a');
    const outFd = openSync(join(dir, `server-${srv.runs}.stdout.log`), 'a');
    const serveArgs = ['serve', '--listen', `127.0.0.1:${port}`, '--db', dbPath, ...args];
    const proc = spawn(prefix ? prefix[0] : BIN, prefix ? [...prefix.slice(1), BIN, ...serveArgs] : serveArgs, {
      env: { ...childEnv(), ...env }, stdio: ['ignore', outFd, errFd],
    });
    closeSync(errFd);
    closeSync(outFd);
    srv.proc = proc;
    proc.exitInfo = null;
    proc.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => { proc.exitInfo = { code, signal }; resolve(proc.exitInfo); });
    });
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline) {
      if (proc.exitInfo) break;
      try {
        const r = await fetch(srv.base + '/healthz', { signal: AbortSignal.timeout(1000) });
        await r.arrayBuffer();
        if (r.status === 200) return true;
      } catch { /* not up yet */ }
      await sleep(50);
    }
    if (!proc.exitInfo) {
      proc.kill('SIGKILL');
      await proc.exited;
    }
    return false;
  }

  /** A further API token with these scopes (comma-separated); returns the token. */
  srv.createToken = (name, scopes) =>
    runCli(['token', 'create', '--name', name, '--scopes', scopes, '--db', dbPath]).trim();

  /** A web UI account (`omnikanaal user create`) with this role and password (and the first
   * name residents are shown, if given). */
  srv.createUser = (name, role, password, voornaam) =>
    runCli(['user', 'create', '--username', name, '--role', role, ...(voornaam ? ['--voornaam', voornaam] : []),
      '--db', dbPath], password + '\n');

  /** Logs in through the web UI's login; returns {cookie, csrf} of the new session. A
   * beheerder needs a second factor: the first login enrols an authenticator (the secret kept
   * in srv.totpSecrets), every login sends a code no earlier login of that account used. */
  srv.totpSecrets = new Map();
  srv.login = async (name, password) => {
    // Through `request`, so the answer is held to the auth API's document too.
    const url = `${srv.base}/auth/api/v1/login`;
    let res = await request('POST', url, { body: { gebruikersnaam: name, wachtwoord: password } });
    if (res.status === 403 && res.json?.code === 'totp_inschrijving_vereist') {
      const enrol = await request('POST', `${srv.base}/auth/api/v1/totp/inschrijven`, { body: { gebruikersnaam: name, wachtwoord: password } });
      assert.equal(enrol.status, 201, `TOTP enrolment of ${name}: ${JSON.stringify(enrol.json)}`);
      srv.totpSecrets.set(name, { secret: enrol.json.geheim, step: 0 });
    }
    const t = srv.totpSecrets.get(name);
    for (let attempt = 0; t && res.status !== 200 && attempt < 3; attempt++) {
      // The window accepts the next step too; beyond it, wait for time to catch up.
      const now = Math.floor(Date.now() / 30000);
      if (t.step >= now + 1) await sleep((t.step - now) * 30000 - (Date.now() % 30000) + 100);
      t.step = Math.max(t.step + 1, Math.floor(Date.now() / 30000));
      res = await request('POST', url, { body: { gebruikersnaam: name, wachtwoord: password, totp: totpCode(t.secret, t.step) } });
    }
    const body = res.json;
    assert.equal(res.status, 200, `login ${name}: ${JSON.stringify(body)}`);
    return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: body.csrfToken };
  };

  /** sqlQuery on the server's database. */
  srv.sql = (query) => sqlQuery(dbPath, query);

  srv.logs = () => (srv.logPath && existsSync(srv.logPath) ? readFileSync(srv.logPath, 'utf8') : '');

  async function launchOrThrow(preferredPort) {
    if (preferredPort && (await launch(preferredPort))) return;
    if (await launch(await freePort())) return;
    throw new Error(`server did not become ready within 10 s; stderr:\n${srv.logs().slice(-4000)}`);
  }

  await launchOrThrow(port);

  srv.req = (method, path, opts = {}) => {
    const url = /^https?:\/\//.test(path) ? path : (opts.base ? srv.base : srv.api) + path;
    const token = opts.token === undefined ? srv.token : opts.token;
    return request(method, url, { ...opts, token });
  };
  srv.raw = async (head, body, o) => {
    const res = await rawHttp(srv.port, head, body, o);
    // A complete response to a well-formed request line is held to the spec like any other.
    const line = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(String(head).split('\r\n')[0]);
    if (process.env.OMK_SPEC_RAW !== '0' && line && res.status !== null && res.complete) {
      let url = null;
      try { url = new URL(line[2], srv.base).href; } catch { /* not a URL: nothing to check */ }
      if (url) await conformsToSpec(line[1], url, res);
    }
    return res;
  };

  /** SIGTERM and wait; asserts a clean exit (code 0). */
  srv.stop = async ({ keepDir = false } = {}) => {
    const proc = srv.proc;
    if (!proc) return;
    srv.proc = null;
    if (!proc.exitInfo) proc.kill('SIGTERM');
    let timer;
    const info = await Promise.race([proc.exited,
      new Promise((r) => { timer = setTimeout(() => r(null), 15000); })]);
    clearTimeout(timer);
    if (!info) {
      proc.kill('SIGKILL');
      await proc.exited;
      throw new Error(`server did not exit within 15 s of SIGTERM; stderr tail:\n${srv.logs().slice(-2000)}`);
    }
    if (!keepDir && !process.env.OMK_KEEP_TMP && info.code === 0) {
      if (!inDir) rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(info.code, 0,
      `server exit after SIGTERM: ${JSON.stringify(info)} (logs in ${dir}); stderr tail:\n${srv.logs().slice(-2000)}`);
  };

  /** SIGKILL and wait (no clean shutdown). */
  srv.kill9 = async () => {
    const proc = srv.proc;
    if (!proc) return;
    srv.proc = null;
    proc.kill('SIGKILL');
    await proc.exited;
  };

  /** Start again on the same database (same port when possible). */
  srv.restart = async () => {
    if (srv.proc) await srv.stop({ keepDir: true });
    await launchOrThrow(srv.port);
  };

  return srv;
}

// ---------------------------------------------------------------------------------------------
// Assertion helpers

export function header(res, name) {
  if (typeof res.headers.get === 'function') return res.headers.get(name);
  return res.headers[name.toLowerCase()] ?? null;
}

function show(res) {
  return `HTTP ${res.status} ${res.text ? res.text.slice(0, 1500) : ''}`;
}
export { show };

/** Asserts a status and returns the json. */
export function expectStatus(res, status, msg = '') {
  assert.equal(res.status, status, `${msg} expected HTTP ${status}, got ${show(res)}`);
  return res.json;
}

/** Asserts a problem+json response of the given status (and code when given). */
export function assertProblem(res, status, code) {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${show(res)}`);
  const ct = header(res, 'content-type') || '';
  assert.match(ct, /^application\/problem\+json/, `Content-Type for ${status}: ${ct}`);
  const p = res.json;
  assert.ok(p && typeof p === 'object' && !Array.isArray(p), `problem body is not an object: ${res.text}`);
  assert.equal(typeof p.type, 'string', `problem.type: ${res.text}`);
  assert.equal(typeof p.code, 'string', `problem.code: ${res.text}`);
  assert.equal(typeof p.title, 'string', `problem.title: ${res.text}`);
  assert.ok(p.title.length > 0, 'problem.title not empty');
  assert.equal(p.status, status, `problem.status must be the number ${status}: ${res.text}`);
  assert.equal(typeof p.detail, 'string', `problem.detail: ${res.text}`);
  assert.equal(typeof p.instance, 'string', `problem.instance: ${res.text}`);
  assert.match(p.instance, /^urn:uuid:[0-9a-f-]{36}$/, `problem.instance: ${p.instance}`);
  if (code !== undefined) assert.equal(p.code, code, `problem.code: ${res.text}`);
  if (p.invalidParams !== undefined) assert.ok(Array.isArray(p.invalidParams), `invalidParams must be an array: ${res.text}`);
  return p;
}

/** All invalidParams entries with a given name (name may be an array of accepted names). */
export function paramsNamed(res, name) {
  const names = Array.isArray(name) ? name : [name];
  return ((res.json && res.json.invalidParams) || []).filter((p) => names.includes(p.name));
}

/**
 * Asserts a 400 with an invalidParams entry at `name` (string or array of accepted names),
 * with `code` (string, array of accepted codes, or undefined) and a reason that equals
 * `reason` (string), matches it (RegExp), or is not checked (undefined).
 */
export function assertInvalidParam(res, name, code, reason) {
  assertProblem(res, 400);
  assert.ok(Array.isArray(res.json.invalidParams), `400 needs invalidParams: ${res.text}`);
  const found = paramsNamed(res, name);
  assert.ok(found.length > 0,
    `expected invalidParams entry named ${JSON.stringify(name)}; got ${JSON.stringify(res.json.invalidParams)}`);
  const ok = found.find((p) => {
    if (code !== undefined && !(Array.isArray(code) ? code.includes(p.code) : p.code === code)) return false;
    if (reason instanceof RegExp) return reason.test(p.reason);
    if (typeof reason === 'string') return p.reason === reason;
    return true;
  });
  assert.ok(ok, `invalidParams at ${JSON.stringify(name)} expected code ${JSON.stringify(code)} reason ${reason}; got ${JSON.stringify(found)}`);
  for (const p of res.json.invalidParams) {
    assert.equal(typeof p.name, 'string');
    assert.equal(typeof p.code, 'string');
    assert.equal(typeof p.reason, 'string');
  }
  return ok;
}

/** Asserts some invalidParams entry (any name) has a reason matching `reason`. */
export function assertReasonAnywhere(res, reason) {
  assertProblem(res, 400);
  const ps = res.json.invalidParams || [];
  const hit = ps.find((p) => (reason instanceof RegExp ? reason.test(p.reason) : p.reason === reason));
  assert.ok(hit, `expected an invalidParams reason ${reason}; got ${JSON.stringify(ps)}`);
  return hit;
}

export const REQUIRED = 'Dit veld is vereist.';
export const maxLenReason = (n) => `Zorg ervoor dat dit veld niet meer dan ${n} karakters bevat.`;
export const choiceReason = (v) => `"${v}" is een ongeldige keuze.`;
/** Reference-to-missing-object: the reference (Open Klant) answers code "invalid" with
 * "<Model> object bestaat niet."; our brief names the code "does_not_exist". Accept both codes. */
export const MISSING_REF_CODES = ['does_not_exist', 'invalid'];
export const missingRefReason = (model) => `${model} object bestaat niet.`;

/** Asserts a {uuid,url} reference to `obj` (an object with uuid and url). */
export function assertRef(ref, obj, what = 'reference') {
  assert.ok(ref && typeof ref === 'object', `${what} is not an object: ${JSON.stringify(ref)}`);
  assert.equal(ref.uuid, obj.uuid, `${what}.uuid`);
  assert.equal(ref.url, obj.url, `${what}.url`);
}

/** Asserts that array `arr` contains a {uuid,url} reference to obj. */
export function assertHasRef(arr, obj, what = 'array') {
  assert.ok(Array.isArray(arr), `${what} is not an array: ${JSON.stringify(arr)}`);
  const r = arr.find((x) => x && x.uuid === obj.uuid);
  assert.ok(r, `${what} lacks ${obj.uuid}: ${JSON.stringify(arr)}`);
  assert.equal(r.url, obj.url, `${what} entry url`);
}

export function randomUuid() {
  return crypto.randomUUID();
}

// ---------------------------------------------------------------------------------------------
// Identifiers that pass the elfproef (BSN/RSIN): weights 9..2 and -1 on the last digit.

export function elfproef(s) {
  if (!/^\d{9}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(s[i]) * (9 - i);
  sum -= Number(s[8]);
  return sum % 11 === 0;
}

/** n-th valid 9-digit elfproef number starting from `start` (8-digit prefix). */
export function validNine(seed) {
  let prefix = 10000000 + ((seed * 7919) % 89999999);
  for (;;) {
    const p = String(prefix).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(p[i]) * (9 - i);
    const d = sum % 11;
    if (d <= 9) {
      const s = p + d;
      if (elfproef(s)) return s;
    }
    prefix += 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Small object factories used by several files.

export function klantcontactBody(over = {}) {
  return {
    kanaal: 'telefoon',
    onderwerp: 'Verhuizing doorgeven',
    inhoud: 'Inwoner belt over verhuizing.',
    indicatieContactGelukt: true,
    taal: 'nld',
    vertrouwelijk: false,
    plaatsgevondenOp: '2024-05-01T10:00:00Z',
    ...over,
  };
}

export function persoonBody(over = {}) {
  return {
    soortPartij: 'persoon',
    indicatieActief: true,
    indicatieGeheimhouding: false,
    voorkeurstaal: 'nld',
    partijIdentificatie: {
      contactnaam: { voorletters: 'J', voornaam: 'Jan', voorvoegselAchternaam: 'van der', achternaam: 'Berg' },
    },
    ...over,
  };
}

export function organisatieBody(over = {}) {
  return {
    soortPartij: 'organisatie',
    indicatieActief: true,
    partijIdentificatie: { naam: 'Bakkerij De Korenbloem' },
    ...over,
  };
}

/** POST and assert 201; returns the created object. */
export async function create(srv, resource, body) {
  const res = await srv.req('POST', `/${resource}`, { body });
  assert.equal(res.status, 201, `POST /${resource} ${JSON.stringify(body).slice(0, 400)} → ${show(res)}`);
  return res.json;
}

/** GET list count (asserts 200). */
export async function count(srv, pathWithQuery) {
  const res = await srv.req('GET', pathWithQuery);
  assert.equal(res.status, 200, `GET ${pathWithQuery} → ${show(res)}`);
  assert.equal(typeof res.json.count, 'number');
  return res.json.count;
}
