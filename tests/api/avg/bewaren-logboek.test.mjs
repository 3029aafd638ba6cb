// Retention, continued (issue 18): legal holds and proposing a list are logged (a hold names a
// partij, or a zaak by its own kind of id); the kennisbank's search log and the Logboek itself
// have a term — the Logboek is pruned to a point from which its hash chain still verifies and
// tampering still shows; a schedule proposes lists that two officers judge.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { BIN, startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody,
  klantcontactBody } from '../lib/harness.mjs';

const AVG = '/avg/api/v1';
const LDV = '/klantbeeld/api/v1/verwerkingen';
const KB = '/kennisbank/api/v1';
const OUD = '2023-03-01T10:00:00Z';
const OUD_MS = Date.parse('2023-01-15T10:00:00Z');

const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });
const traceOf = (res) => res.headers.get('traceparent').slice(3, 35);

function sqlite(db, sql) {
  const which = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  assert.equal(which.status, 0, 'the sqlite3 command is missing: install it with scripts/bootstrap (Debian: sqlite3)');
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}

function verify(db) {
  const r = spawnSync(BIN, ['logboek', 'verify', '--db', db], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function waitFor(what, fn, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function contactOf(srv, p, onderwerp, plaatsgevondenOp) {
  const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp, plaatsgevondenOp }));
  await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
  return kc;
}

describe('legal holds, the search log and the Logboek under retention', () => {
  let srv, eerste, tweede;
  const avg = (method, path, token, body) => srv.req(method, `${AVG}${path}`, { base: true, token, body });
  const records = async (trace) => expectStatus(await srv.req('GET', `${LDV}?traceId=${trace}&pageSize=500`,
    { base: true, token: eerste }), 200).results;
  const ofBsn = async (bsn) => expectStatus(await srv.req('POST', `${LDV}/_zoek?pageSize=500`,
    { base: true, token: eerste, body: { bsn } }), 200).results;
  const OLD_ROWS = 5;

  before(async () => {
    // A log that began long ago: five records (each about one person) written before the term,
    // as another process would write them (the server chains them at its next commit), and two
    // old searches, one without a result that named someone.
    srv = await startServer({ args: ['--vernietiging-interval', '0'] });
    await srv.stop({ keepDir: true });
    assert.equal(sqlite(srv.dbPath, 'SELECT count(*) FROM dataverwerkingen'), '0');
    const rows = [];
    for (let i = 0; i < OLD_ROWS; i++) {
      const person = `04${randomBytes(16).toString('hex')}`;
      rows.push(`('${randomBytes(16).toString('hex')}', '${randomBytes(8).toString('hex')}', 'Partij raadplegen',`
        + ` ${OUD_MS + i * 1000}, ${OUD_MS + i * 1000 + 5}, 'Ok', 'klantvraag-beantwoorden', 'kcm', 1, X'${person}')`);
    }
    sqlite(srv.dbPath, 'INSERT INTO dataverwerkingen (trace_id, span_id, naam, start_ms, eind_ms, status,'
      + ` verwerkingsactiviteit, rol, aantal, betrokkenen) VALUES ${rows.join(', ')};`
      + ` INSERT INTO kb_zoekvragen (uuid, vraag, resultaten, tijdstip) VALUES`
      + ` ('${randomUUID()}', 'huurachterstand familie Oudezoek', 0, ${OUD_MS * 1000}),`
      + ` ('${randomUUID()}', 'parkeervergunning oud', 0, ${OUD_MS * 1000});`);
    await srv.restart();
    eerste = srv.createToken('privacy-1', 'beheerder');
    tweede = srv.createToken('privacy-2', 'beheerder');
  });
  after(async () => { await srv?.stop(); });

  it('a hold on a partij is logged for that partij, a hold on a zaak for the zaak', async () => {
    const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990020')] }));
    const made = await avg('POST', '/bewaarplichten', eerste, { soort: 'partij', objectId: p.uuid, reden: 'Rechtszaak' });
    const hold = expectStatus(made, 201);
    let recs = await records(traceOf(made));
    assert.deepEqual(recs.map((r) => [r.naam, r.betrokkeneType]), [['Bewaarplicht registreren', 'partij']]);
    assert.ok((await ofBsn('999990020')).some((r) => r.naam === 'Bewaarplicht registreren'),
      'the resident sees it among the processings of their data');

    const zaak = await avg('POST', '/bewaarplichten', eerste, { soort: 'zaak', objectId: randomUUID(), reden: 'Bezwaar' });
    const zaakHold = expectStatus(zaak, 201);
    recs = await records(traceOf(zaak));
    assert.deepEqual(recs.map((r) => [r.naam, r.betrokkeneType]), [['Bewaarplicht registreren', 'zaak']]);

    const list = await avg('GET', '/bewaarplichten', eerste);
    expectStatus(list, 200);
    recs = await records(traceOf(list));
    assert.deepEqual(recs.map((r) => r.betrokkeneType).sort(), ['partij', 'zaak']);
    assert.ok(recs.every((r) => r.naam === 'Bewaarplichten opvragen'));
    const one = await avg('GET', `/bewaarplichten/${hold.uuid}`, eerste);
    expectStatus(one, 200);
    assert.deepEqual((await records(traceOf(one))).map((r) => [r.naam, r.betrokkeneType]),
      [['Bewaarplicht raadplegen', 'partij']]);
    const gone = await srv.req('DELETE', `${AVG}/bewaarplichten/${zaakHold.uuid}`, { base: true, token: eerste });
    expectStatus(gone, 204);
    assert.deepEqual((await records(traceOf(gone))).map((r) => [r.naam, r.betrokkeneType]),
      [['Bewaarplicht verwijderen', 'zaak']]);
  });

  it('a hold on a partij must name one that exists; nothing is stored otherwise', async () => {
    const before = expectStatus(await avg('GET', '/bewaarplichten', eerste), 200).count;
    for (const objectId of [randomUUID(), 'geen-uuid']) {
      const res = await avg('POST', '/bewaarplichten', eerste, { soort: 'partij', objectId, reden: 'x' });
      assertInvalidParam(res, 'objectId', 'does_not_exist');
      assert.match(res.text, /Er is geen partij met deze uuid/);
    }
    assert.equal(expectStatus(await avg('GET', '/bewaarplichten', eerste), 200).count, before);
  });

  it('proposing a list reads the register: logged for the persons on it', async () => {
    const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990032')] }));
    const kc = await contactOf(srv, p, 'Bewaartest voorstel', OUD);
    const res = await avg('POST', '/vernietigingslijsten', eerste);
    const lijst = expectStatus(res, 201);
    assert.ok(lijst.items.some((i) => i.uuid === kc.uuid));
    const recs = await records(traceOf(res));
    assert.ok(recs.length >= 1 && recs.every((r) => r.naam === 'Vernietigingslijst opstellen'));
    assert.ok((await ofBsn('999990032')).some((r) => r.naam === 'Vernietigingslijst opstellen'));
    expectStatus(await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_afwijzen`, tweede), 200);
  });

  it('the search log and the Logboek have their own terms', async () => {
    const terms = expectStatus(await avg('GET', '/bewaartermijnen', eerste), 200).results;
    const zoek = terms.find((t) => t.soort === 'zoekvraag');
    const log = terms.find((t) => t.soort === 'logboek');
    assert.equal(zoek.termijnMaanden, 6);
    assert.match(zoek.grond, /19\.1\.24/);
    assert.equal(log.termijnMaanden, 24);
    assert.match(log.grond, /art\. 5\(2\)/);
    expectStatus(await avg('PUT', '/bewaartermijnen/logboek', eerste, { termijnMaanden: 36 }), 200);
    expectStatus(await avg('PUT', '/bewaartermijnen/logboek', eerste, { termijnMaanden: 24 }), 200);
  });

  it('old searches (also without a result) and old Logboek records go; the chain verifies from its point', async () => {
    // A recent search without a result stays.
    expectStatus(await srv.req('POST', `${KB}/_zoek`, { base: true, body: { q: 'kwijtgeraakte vlindernet recent' } }), 200);
    const gapsBefore = expectStatus(await srv.req('GET', `${KB}/rapport`, { base: true }), 200).zoekvragenZonderResultaat;
    assert.ok(gapsBefore.some((g) => /parkeervergunning oud/.test(g.vraag)));
    const before = verify(srv.dbPath);
    assert.equal(before.status, 0, before.out);

    const lijst = expectStatus(await avg('POST', '/vernietigingslijsten', eerste), 201);
    const log = lijst.items.filter((i) => i.soort === 'logboek');
    assert.equal(log.length, 1, 'the Logboek is one item: up to a point');
    assert.equal(log[0].tot, OLD_ROWS);
    assert.equal(log[0].aantal, OLD_ROWS);
    const zoek = lijst.items.filter((i) => i.soort === 'zoekvraag');
    assert.equal(zoek.length, 2, 'the two old searches, not the recent one');

    const done = expectStatus(await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_goedkeuren`, tweede), 200);
    assert.equal(done.status, 'vernietigd');
    const per = Object.fromEntries(done.verklaring.perSoort.map((s) => [s.soort, s]));
    assert.equal(per.logboek.aantal, OLD_ROWS);
    assert.equal(per.zoekvraag.aantal, 2);
    assert.match(per.zoekvraag.grond, /19\.1\.24/);

    const gaps = expectStatus(await srv.req('GET', `${KB}/rapport`, { base: true }), 200).zoekvragenZonderResultaat;
    assert.ok(!gaps.some((g) => /parkeervergunning oud/.test(g.vraag)), 'the old search is gone');
    assert.ok(gaps.some((g) => /vlindernet/.test(g.vraag)), 'the recent one stays');
    assert.equal(sqlite(srv.dbPath, `SELECT count(*) FROM dataverwerkingen WHERE id <= ${OLD_ROWS}`), '0');

    const after = await waitFor('the pruning record chained', async () => {
      const v = verify(srv.dbPath);
      return v.status === 0 && /ingekort tot en met record/.test(v.out) ? v : null;
    });
    assert.match(after.out, new RegExp(`logboek in orde: .*ingekort tot en met record ${OLD_ROWS}\\)`));
    // A next list proposes no more of the Logboek.
    const next = expectStatus(await avg('POST', '/vernietigingslijsten', eerste), 201);
    assert.ok(!next.items.some((i) => i.soort === 'logboek'));
    expectStatus(await avg('POST', `/vernietigingslijsten/${next.uuid}/_afwijzen`, tweede), 200);

    // Tampering after the pruning still shows: a changed record, and the point moved on.
    const copy = (name) => {
      const p = join(srv.dir, name);
      sqlite(srv.dbPath, `VACUUM INTO '${p}'`);
      return p;
    };
    const changed = copy('changed.db');
    sqlite(changed, `UPDATE dataverwerkingen SET naam = naam || ' (gewijzigd)' WHERE id = ${OLD_ROWS + 2}`);
    const bad = verify(changed);
    assert.equal(bad.status, 1, bad.out);
    assert.match(bad.out, new RegExp(`record ${OLD_ROWS + 2} klopt niet met de hashketen`));
    const moved = copy('moved.db');
    const next1 = OLD_ROWS + 1;
    sqlite(moved, `UPDATE dataverwerkingen_snoeipunt SET tot = ${next1}, hash = (SELECT hash FROM dataverwerkingen`
      + ` WHERE id = ${next1}), verwerkingen = verwerkingen + 1, records = records + (SELECT aantal FROM`
      + ` dataverwerkingen WHERE id = ${next1}); DELETE FROM dataverwerkingen WHERE id = ${next1};`);
    const bad2 = verify(moved);
    assert.equal(bad2.status, 1, bad2.out);
    assert.match(bad2.out, /snoeipunt/);
  });

  it('with the schedule off, no list proposes itself', async () => {
    const lists = expectStatus(await avg('GET', '/vernietigingslijsten', eerste), 200).results;
    assert.ok(lists.length >= 3 && lists.every((l) => l.opgesteldDoor !== 'planning'));
  });
});

describe('destruction on a schedule', () => {
  let srv, eerste, tweede;
  const avg = (method, path, token, body) => srv.req(method, `${AVG}${path}`, { base: true, token, body });
  const planned = async () => expectStatus(await avg('GET', '/vernietigingslijsten', eerste), 200).results
    .filter((l) => l.opgesteldDoor === 'planning');

  before(async () => {
    srv = await startServer({ args: ['--vernietiging-interval', '1'] });
    eerste = srv.createToken('privacy-1', 'beheerder');
    tweede = srv.createToken('privacy-2', 'beheerder');
  });
  after(async () => { await srv?.stop(); });

  it('proposes a list once records pass their term, and no second while it is open', async () => {
    assert.equal((await planned()).length, 0, 'nothing past its term: no list');
    const p = await create(srv, 'partijen', persoonBody());
    const kc = await contactOf(srv, p, 'Bewaartest gepland', OUD);
    const [lijst] = await waitFor('a planned list', async () => {
      const l = await planned();
      return l.length ? l : null;
    });
    assert.equal(lijst.status, 'voorgesteld');
    assert.ok(lijst.items.some((i) => i.uuid === kc.uuid));
    await contactOf(srv, p, 'Bewaartest gepland twee', OUD);
    await new Promise((r) => setTimeout(r, 2500)); // two more ticks at least
    assert.equal((await planned()).length, 1, 'one open list at a time');
    expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200, 'nothing destroyed without the officers');
  });

  it('two officers judge it: the first approval destroys nothing, the same one cannot give the second', async () => {
    const [lijst] = await planned();
    const first = expectStatus(await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_goedkeuren`, eerste), 200);
    assert.equal(first.status, 'voorgesteld');
    assert.equal(first.voorbeoordeeldDoor, 'privacy-1');
    const kc = lijst.items.find((i) => i.soort === 'klantcontact');
    expectStatus(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 200, 'still there after one approval');
    assertProblem(await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_goedkeuren`, eerste), 403);
    const done = expectStatus(await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_goedkeuren`, tweede), 200);
    assert.equal(done.status, 'vernietigd');
    assertProblem(await srv.req('GET', `/klantcontacten/${kc.uuid}`), 404);
    // The contact that came meanwhile is proposed by the next tick.
    const [next] = await waitFor('the next planned list', async () => {
      const l = (await planned()).filter((x) => x.status === 'voorgesteld');
      return l.length ? l : null;
    });
    assert.ok(next.items.length >= 1);
  });
});
