// Durability: acknowledged writes survive SIGKILL; the database stays consistent.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, expectStatus, klantcontactBody, show } from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const TOTAL = 300;
const IN_FLIGHT = 30;
const KILL_AFTER = 150;

describe('durability under SIGKILL', () => {
  const acked = [];
  let failedAfterKill = 0;
  let killed = false;

  it(`${TOTAL} concurrent POSTs, SIGKILL after ${KILL_AFTER} acks`, async (t) => {
    let next = 0;
    let killPromise = null;
    const unexpected = [];
    async function worker() {
      while (next < TOTAL) {
        const i = next++;
        try {
          const res = await srv.req('POST', '/klantcontacten', {
            body: klantcontactBody({ onderwerp: `duurzaam ${i}`, nummer: String(1000000 + i) }), timeout: 10000,
          });
          if (res.status === 201) {
            acked.push({ i, uuid: res.json.uuid });
            if (acked.length >= KILL_AFTER && !killed) {
              killed = true;
              killPromise = srv.kill9();
            }
          } else if (!killed) {
            unexpected.push(show(res));
          }
        } catch (e) {
          if (!killed) unexpected.push(String(e));
          else failedAfterKill += 1;
        }
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    if (killPromise) await killPromise;
    t.diagnostic(`acknowledged ${acked.length}, failed after the kill ${failedAfterKill}`);
    assert.deepEqual(unexpected, [], 'requests failed before the kill');
    assert.ok(killed, `the kill happened (acked ${acked.length})`);
    assert.ok(acked.length >= KILL_AFTER);
  });

  it('after restart on the same db every acknowledged klantcontact is readable', async () => {
    await srv.restart();
    const missing = [];
    for (let i = 0; i < acked.length; i += 20) {
      const batch = acked.slice(i, i + 20);
      const rs = await Promise.all(batch.map((a) => srv.req('GET', `/klantcontacten/${a.uuid}`)));
      rs.forEach((r, j) => {
        if (r.status !== 200) missing.push(`${batch[j].uuid}: ${r.status}`);
        else assert.equal(r.json.onderwerp, `duurzaam ${batch[j].i}`);
      });
    }
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes lost`);
    const l = expectStatus(await srv.req('GET', '/klantcontacten?pageSize=1'), 200);
    assert.ok(l.count >= acked.length, `count ${l.count} < acknowledged ${acked.length}`);
    assert.ok(l.count <= TOTAL, `count ${l.count} > attempted ${TOTAL}`);
  });

  it('the restarted server accepts writes, and nummer uniqueness still holds', async () => {
    const r = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: 'na herstart' }) });
    expectStatus(r, 201);
    const dup = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ nummer: String(1000000 + acked[0].i) }) });
    assert.equal(dup.status, 400, show(dup));
  });

  it('SIGTERM during concurrent writes: clean exit 0, every acknowledged write survives', async () => {
    const acks = [];
    let next = 0;
    let stopping = null;
    async function worker() {
      while (next < 120) {
        const i = next++;
        try {
          const res = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: `sigterm ${i}` }), timeout: 10000 });
          if (res.status === 201) {
            acks.push(res.json.uuid);
            if (acks.length >= 40 && !stopping) stopping = srv.stop({ keepDir: true });
          }
        } catch { /* connection refused/reset once the server is going down */ }
      }
    }
    await Promise.all(Array.from({ length: 20 }, worker));
    assert.ok(stopping, 'the stop happened');
    await stopping; // asserts exit code 0
    await srv.restart();
    const rs = await Promise.all(acks.map((u) => srv.req('GET', `/klantcontacten/${u}`)));
    const lost = rs.filter((r) => r.status !== 200).length;
    assert.equal(lost, 0, `${lost} of ${acks.length} acknowledged writes lost after SIGTERM`);
  });

  it('PRAGMA integrity_check → ok after a clean stop', async () => {
    await srv.stop({ keepDir: true });
    const out = execFileSync('sqlite3', [srv.dbPath, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
    assert.equal(out, 'ok');
    await srv.restart();
  });
});
