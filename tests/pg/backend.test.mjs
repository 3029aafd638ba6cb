// The PostgreSQL backend itself (issue 20), on a cluster of this file's own (tests/api/lib/pg.mjs):
// the writer comes back after the database server restarts, an acknowledged write survives a
// kill -9 of the server (group commit: acknowledged = committed), and what the backend does not
// have yet answers 501 and says so in the log, never an empty answer; two instances starting at
// once migrate once. `make check-pg` runs it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from '../api/lib/pg.mjs';
import { spawn } from 'node:child_process';
import { startServer, persoonBody, expectStatus, sqlQuery, BIN } from '../api/lib/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let cluster;
before(() => { cluster = startCluster(); });
after(() => { cluster.stop(); });

describe('PostgreSQL: the writer after a restart of the database server', () => {
  let srv;
  before(async () => { srv = await startServer({ db: cluster.createDatabase('herstart') }); });
  after(async () => { await srv.stop(); });

  it('writes resume once the server is back, and every 201 is there', async () => {
    const made = [];
    const post = async () => {
      const r = await srv.req('POST', '/partijen', { body: persoonBody() });
      if (r.status === 201) made.push(r.json.uuid);
      return r.status;
    };
    assert.equal(await post(), 201);
    cluster.restart();
    // The writer and every reader find their connection cut when they next use it and open
    // a new one (BEGIN is tried once more), so at most a write in flight sees 503.
    const seen = [];
    for (let i = 0; i < 60 && seen.at(-1) !== 201; i++) {
      seen.push(await post());
      if (seen.at(-1) !== 201) await sleep(500);
    }
    assert.equal(seen.at(-1), 201, `statuses after the restart: ${seen.join(', ')}`);
    assert.ok(seen.every((s) => s === 201 || s === 503), `only 503 before it came back: ${seen.join(', ')}`);
    for (let i = 0; i < 5; i++) assert.equal(await post(), 201);
    for (const uuid of made) expectStatus(await srv.req('GET', `/partijen/${uuid}`), 200);
    const list = expectStatus(await srv.req('GET', '/partijen?pageSize=1'), 200);
    assert.equal(list.count, made.length);
  });
});

describe('PostgreSQL: kill -9 loses no acknowledged write', () => {
  let srv;
  before(async () => { srv = await startServer({ db: cluster.createDatabase('kill9') }); });
  after(async () => { await srv.stop(); });

  it('every partij answered 201 before the kill is there after the restart', async () => {
    const acked = [];
    let stop = false;
    const writer = async () => {
      while (!stop) {
        try {
          const r = await fetch(`${srv.api}/partijen`, { method: 'POST', body: JSON.stringify(persoonBody()),
            headers: { Authorization: `Token ${srv.token}`, 'Content-Type': 'application/json' } });
          const text = await r.text();
          if (r.status === 201) acked.push(JSON.parse(text).uuid);
        } catch { return; } // the server is gone
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    while (acked.length < 40) await sleep(20);
    await srv.kill9();
    stop = true;
    await Promise.all(writers);
    await srv.restart();
    for (const uuid of acked) expectStatus(await srv.req('GET', `/partijen/${uuid}`), 200, `acknowledged ${uuid}`);
    const list = expectStatus(await srv.req('GET', '/partijen?pageSize=1'), 200);
    assert.ok(list.count >= acked.length, `${list.count} stored, ${acked.length} acknowledged`);
  });
});

describe('PostgreSQL: what is not there yet fails loudly', () => {
  let srv;
  before(async () => { srv = await startServer({ db: cluster.createDatabase('ontbreekt') }); });
  after(async () => { await srv.stop(); });

  it('a kennisbank search answers 501 niet_ondersteund and the log names the function', async () => {
    // Plain fetch: 501 is in no API document yet (the spec check would refuse it first).
    const r = await fetch(`${srv.base}/kennisbank/api/v1/_zoek?q=paspoort`, { headers: { Authorization: `Token ${srv.token}` } });
    const body = await r.json();
    assert.equal(r.status, 501, JSON.stringify(body));
    assert.equal(body.code, 'niet_ondersteund');
    assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    // The search asks for the municipality's synonyms first, then the index: the first missing
    // one is named.
    const named = /(synonym list|full-text search \(tsvector 'dutch'\)) is not supported on PostgreSQL yet/;
    for (let i = 0; i < 50 && !named.test(srv.logs()); i++) await sleep(100);
    assert.match(srv.logs(), named);
  });
});

describe('PostgreSQL: two instances starting at once', () => {
  it('migrate the schema once (an advisory lock), both succeed', async () => {
    const db = cluster.createDatabase('tweemaal');
    const run = () => new Promise((resolve) => {
      const p = spawn(BIN, ['migrate', '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => { err += d; });
      p.on('exit', (code) => resolve({ code, err }));
    });
    const [a, b] = await Promise.all([run(), run()]);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const migrated = [a.err, b.err].filter((e) => /migrated schema to version/.test(e));
    assert.equal(migrated.length, 1, `one of them migrates:\n${a.err}\n${b.err}`);
    const latest = Math.max(...[...migrated[0].matchAll(/migrated schema to version (\d+)/g)].map((m) => Number(m[1])));
    assert.ok(latest > 23, `past the baseline: ${latest}`);
    assert.equal(sqlQuery(db, 'SELECT versie FROM omk_schema').trim(), String(latest));
  });
});
