// Storage health, backup and restore (issue 18): a database file that is removed, on a file
// system made read-only, or on a full disk makes /readyz fail and writes answer 503/507 with a
// clear problem — never a 201 that is then lost; `omnikanaal backup` while writes run and
// `omnikanaal restore` give back every write acknowledged before the backup began, with the
// Logboek's hash chain intact.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, existsSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, request, expectStatus, assertProblem, persoonBody, klantcontactBody, BIN } from '../lib/harness.mjs';

const cli = (args) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000 });
const readyz = (srv) => request('GET', `${srv.base}/readyz`);
const newPartij = (srv, naam) => srv.req('POST', '/partijen', { body: persoonBody({
  partijIdentificatie: { contactnaam: { voornaam: naam, achternaam: 'Opslag' } } }) });

/** A small disk for the test: a tmpfs of `size` bytes where the test may mount one (as root, as
 * here and in CI); elsewhere (OMK_TEST_NO_MOUNT=1, or mount refused) a directory whose server
 * runs with a file-size limit of that size (RLIMIT_FSIZE through prlimit: a write past it fails
 * with EFBIG, which SQLite reports as a full disk, as on a full file system). */
function smallDisk(size) {
  const dir = mkdtempSync(join(tmpdir(), 'omk-fs-'));
  const mounted = process.env.OMK_TEST_NO_MOUNT !== '1'
    && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
  return {
    dir,
    mounted,
    prefix: mounted ? null : ['prlimit', `--fsize=${size}`, '--'],
    umount: () => {
      if (mounted) spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('storage health', () => {
  const cleanup = [];
  after(async () => { for (const f of cleanup.reverse()) await f(); });

  it('a removed database file: readiness fails, writes are refused (503), nothing answered 201', async () => {
    const srv = await startServer();
    cleanup.push(() => srv.kill9());
    expectStatus(await readyz(srv), 200);
    expectStatus(await newPartij(srv, 'Voor'), 201);
    unlinkSync(srv.dbPath);
    const ready = await readyz(srv);
    assertProblem(ready, 503, 'opslag_niet_beschikbaar');
    assert.equal(ready.json.detail, 'Het databasebestand is verwijderd of vervangen.');
    assert.ok(!ready.text.includes(srv.dir), 'no file path in a public answer');
    const write = await newPartij(srv, 'Na');
    assertProblem(write, 503, 'opslag_niet_beschikbaar');
    assert.match(write.json.detail, /verwijderd of vervangen/);
    const live = expectStatus(await request('GET', `${srv.base}/healthz`), 200);
    assert.equal(live.opslag, 'Het databasebestand is verwijderd of vervangen.', 'liveness says why');
  });

  it('a database file made read-only: refused with 503 while it lasts, accepted again after', async () => {
    const srv = await startServer();
    cleanup.push(() => srv.kill9());
    const before = expectStatus(await newPartij(srv, 'Voor'), 201);
    chmodSync(srv.dbPath, 0o444);
    const ready = await readyz(srv);
    assertProblem(ready, 503, 'opslag_niet_beschikbaar');
    assert.equal(ready.json.detail, 'Het databasebestand is alleen-lezen.');
    assertProblem(await newPartij(srv, 'Tijdens'), 503);
    expectStatus(await srv.req('GET', `/partijen/${before.uuid}`), 200, 'reads go on');
    chmodSync(srv.dbPath, 0o644);
    expectStatus(await readyz(srv), 200);
    const again = expectStatus(await newPartij(srv, 'Na'), 201);
    await srv.restart();
    for (const p of [before, again]) expectStatus(await srv.req('GET', `/partijen/${p.uuid}`), 200);
    assert.equal((await srv.req('GET', '/partijen?pageSize=100')).json.count, 2, 'the refused one is not there');
  });

  it('a full disk: writes answer 507 with a clear problem; every 201 survives a restart', async () => {
    const fs = smallDisk(3 << 20);
    cleanup.push(() => fs.umount());
    // Every command on it (migrate, token create, serve) without the reserve: the disk itself fills.
    process.env.OMNIKANAAL_MIN_FREE_MB = '0';
    const srv = await startServer({ dir: fs.dir, prefix: fs.prefix, env: { OMNIKANAAL_MIN_FREE_MB: '0' } })
      .finally(() => { delete process.env.OMNIKANAAL_MIN_FREE_MB; });
    cleanup.push(() => srv.kill9());
    const acked = [];
    let full = null;
    const inhoud = 'x'.repeat(1000);
    for (let i = 0; i < 20000 && !full; i++) {
      const res = await srv.req('POST', '/klantcontacten', { body: klantcontactBody({ onderwerp: `vol ${i}`, inhoud }) });
      if (res.status === 201) acked.push(res.json.uuid);
      else full = res;
    }
    assert.ok(full, 'the disk filled up');
    assert.ok(acked.length > 50, `written before it was full: ${acked.length}`);
    assertProblem(full, 507, 'opslag_vol');
    assertProblem(await readyz(srv), 503);
    await srv.restart();
    for (const uuid of [acked[0], acked[Math.floor(acked.length / 2)], acked.at(-1)])
      expectStatus(await srv.req('GET', `/klantcontacten/${uuid}`), 200, 'acknowledged and kept');
    assert.equal((await srv.req('GET', '/klantcontacten?pageSize=1')).json.count, acked.length,
      'exactly the acknowledged contacts');
  });

  it('the reserve (64 MiB by default): refused with 507 once other files fill the disk, accepted when freed', async () => {
    const fs = smallDisk(100 << 20);
    cleanup.push(() => fs.umount());
    if (!fs.mounted) {
      // Without a file system of its own the free space cannot be made scarce: a reserve larger
      // than any disk stands in for it, on a command that writes (every command keeps it).
      const db = join(fs.dir, 'reserve.db');
      assert.equal(spawnSync(BIN, ['migrate', '--db', db]).status, 0);
      const r = spawnSync(BIN, ['token', 'create', '--name', 'x', '--db', db, '--min-free', '100000000'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /De schijf van de database is vol \(minder dan 100000000 MiB vrij\)\./);
      assert.equal(spawnSync(BIN, ['token', 'create', '--name', 'y', '--db', db]).status, 0, 'with room it writes');
      return;
    }
    const srv = await startServer({ dir: fs.dir });
    cleanup.push(() => srv.kill9());
    expectStatus(await newPartij(srv, 'Ruimte'), 201);
    const filler = join(fs.dir, 'iets-anders.bin');
    writeFileSync(filler, Buffer.alloc(50 << 20));
    const res = await newPartij(srv, 'Krap');
    assertProblem(res, 507, 'opslag_vol');
    assert.equal(res.json.detail, 'De schijf van de database is vol (minder dan 64 MiB vrij).');
    assertProblem(await readyz(srv), 503, 'opslag_vol');
    unlinkSync(filler);
    expectStatus(await newPartij(srv, 'Weer ruimte'), 201);
    assert.equal((await srv.req('GET', '/partijen')).json.count, 2);
  });
});

describe('backup and restore', () => {
  it('a backup taken while writes run restores every write acknowledged before it began', async () => {
    const srv = await startServer();
    const out = mkdtempSync(join(tmpdir(), 'omk-backup-'));
    try {
      const acked = [];
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          const res = await newPartij(srv, `Schrijver${i}`);
          if (res.status === 201) acked.push(res.json.uuid);
        }
      })();
      while (acked.length < 30) await new Promise((r) => setTimeout(r, 10));
      // A read of personal data, so the backup holds Logboek records and their chain too.
      expectStatus(await srv.req('GET', `/partijen/${acked[0]}`), 200);
      const before = [...acked];
      const file = join(out, 'kopie.db');
      const b = cli(['backup', '--db', srv.dbPath, '--to', file]);
      assert.equal(b.status, 0, b.stderr);
      writing = false;
      await writer;
      assert.ok(acked.length > before.length, 'writes went on during the backup');
      // Refusals: an existing target; restoring over a database in use; a file that is no backup.
      assert.equal(cli(['backup', '--db', srv.dbPath, '--to', file]).status, 1);
      const busy = cli(['restore', '--from', file, '--db', srv.dbPath]);
      assert.equal(busy.status, 1);
      assert.match(busy.stderr, /in gebruik/);
      const junk = join(out, 'geen.db');
      writeFileSync(junk, 'dit is geen database');
      const bad = cli(['restore', '--from', junk, '--db', join(out, 'doel.db')]);
      assert.equal(bad.status, 1);
      assert.ok(!existsSync(join(out, 'doel.db')), 'nothing written for a bad backup');

      // Restored where a server of the harness will serve it (it adds its token, migrates nothing).
      const target = join(out, 'omnikanaal.db');
      const r = cli(['restore', '--from', file, '--db', target]);
      assert.equal(r.status, 0, r.stderr);
      const v = cli(['logboek', 'verify', '--db', target]);
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, /^logboek in orde: [1-9]\d* records/);
      await srv.stop();
      const again = await startServer({ dir: out });
      try {
        const missing = [];
        for (const uuid of before)
          if ((await again.req('GET', `/partijen/${uuid}`)).status !== 200) missing.push(uuid);
        assert.deepEqual(missing, [], 'every write acknowledged before the backup is restored');
      } finally { await again.stop(); }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
