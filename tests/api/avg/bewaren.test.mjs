// Retention and destruction (issue 18, "must show" 1): a destruction run on a test dataset —
// the proposed list, the approval by a second officer, everything belonging to the records gone
// (rows, attachments, what a search finds), the verklaring van vernietiging kept without
// personal data, a legal hold respected, a contact of a zaak left to the zaak's own term.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody, klantcontactBody, request }
  from '../lib/harness.mjs';

const AVG = '/avg/api/v1';
const K = '/kanalen/api/v1';
const OUD = '2023-03-01T10:00:00Z'; // more than the default year ago
const RECENT = new Date(Date.now() - 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');

let srv, eerste, tweede;
const d = {}; // the dataset

async function contactOf(p, onderwerp, plaatsgevondenOp) {
  const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp, plaatsgevondenOp }));
  await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
  return kc;
}
const avg = (method, path, token, body) => srv.req(method, `${AVG}${path}`, { base: true, token, body });

before(async () => {
  srv = await startServer();
  eerste = srv.createToken('privacy-1', 'beheerder');
  tweede = srv.createToken('privacy-2', 'beheerder');
  d.held = await create(srv, 'partijen', persoonBody());
  d.free = await create(srv, 'partijen', persoonBody());
  d.heldOld = await contactOf(d.held, 'Vernietigtest vastgehouden', OUD);
  d.freeOld = await contactOf(d.free, 'Vernietigtest oud', OUD);
  d.freeRecent = await contactOf(d.free, 'Vernietigtest recent', RECENT);
  d.zaakOld = await contactOf(d.free, 'Vernietigtest bij zaak', OUD);
  await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: d.zaakOld.uuid }, onderwerpobjectidentificator: {
    objectId: 'zaak-123', codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid' } });
  // A letter with its scan, received long ago: the contact and the file go together.
  d.post = expectStatus(await srv.req('POST', `${K}/post`, { base: true, body: { onderwerp: 'Vernietigtest brief',
    inhoud: 'Brief.', partij: { uuid: d.free.uuid }, ontvangenOp: OUD,
    scan: { naam: 'brief.pdf', contentType: 'application/pdf', inhoud: Buffer.from('%PDF-1.4 brief').toString('base64') } } }), 201);
  expectStatus(await avg('POST', '/bewaarplichten', eerste, { soort: 'partij', objectId: d.held.uuid,
    reden: 'Lopende rechtszaak' }), 201);
});
after(async () => { await srv?.stop(); });

describe('retention and destruction', () => {
  let lijst;
  it('the terms: defaults with their ground, configurable per kind', async () => {
    const terms = expectStatus(await avg('GET', '/bewaartermijnen', eerste), 200).results;
    const kc = terms.find((t) => t.soort === 'klantcontact');
    assert.equal(kc.termijnMaanden, 12);
    assert.match(kc.grond, /Selectielijst gemeenten 2020, 6\.1\.3/);
    const set = expectStatus(await avg('PUT', '/bewaartermijnen/oproep', eerste, { termijnMaanden: 24 }), 200);
    assert.equal(set.termijnMaanden, 24);
    assert.equal(expectStatus(await avg('GET', '/bewaartermijnen', eerste), 200).results
      .find((t) => t.soort === 'oproep').termijnMaanden, 24);
    assertInvalidParam(await avg('PUT', '/bewaartermijnen/oproep', eerste, { termijnMaanden: 0 }), 'termijnMaanden');
    assertProblem(await avg('PUT', '/bewaartermijnen/bestaatniet', eerste, { termijnMaanden: 12 }), 404);
  });

  it('a proposed list holds what passed its term, and not what a hold, a zaak or the term keeps', async () => {
    lijst = expectStatus(await avg('POST', '/vernietigingslijsten', eerste), 201);
    assert.equal(lijst.status, 'voorgesteld');
    assert.equal(lijst.opgesteldDoor, 'privacy-1');
    const uuids = new Set(lijst.items.filter((i) => i.soort === 'klantcontact').map((i) => i.uuid));
    assert.ok(uuids.has(d.freeOld.uuid), 'past its term');
    assert.ok(uuids.has(d.post.klantcontact.uuid), 'the letter');
    assert.ok(!uuids.has(d.heldOld.uuid), 'a legal hold on the partij keeps it');
    assert.ok(!uuids.has(d.zaakOld.uuid), 'a contact of a zaak follows the zaak');
    assert.ok(!uuids.has(d.freeRecent.uuid), 'within its term');
  });

  it('the one who proposed it cannot approve it (four eyes); a second officer can', async () => {
    assertProblem(await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_goedkeuren`, eerste), 403);
    const done = await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_goedkeuren`, tweede);
    const out = expectStatus(done, 200);
    assert.equal(out.status, 'vernietigd');
    assert.equal(out.beoordeeldDoor, 'privacy-2');
    assert.deepEqual(out.items, [], 'which records it were is not kept');
    const kc = out.verklaring.perSoort.find((s) => s.soort === 'klantcontact');
    assert.equal(kc.aantal, lijst.items.filter((i) => i.soort === 'klantcontact').length);
    assert.match(kc.grond, /6\.1\.3/);
    const text = JSON.stringify(out.verklaring);
    for (const x of [d.freeOld.uuid, d.free.uuid, 'Vernietigtest']) assert.ok(!text.includes(x), `no ${x} in the verklaring`);
    // The destruction is logged for the persons of the records.
    const trace = done.headers.get('traceparent').slice(3, 35);
    const recs = expectStatus(await srv.req('GET', `/klantbeeld/api/v1/verwerkingen?traceId=${trace}`,
      { base: true, token: eerste }), 200).results;
    assert.ok(recs.length >= 1 && recs.every((r) => r.naam === 'Vernietigen na de bewaartermijn'));
    assertProblem(await avg('POST', `/vernietigingslijsten/${lijst.uuid}/_goedkeuren`, tweede), 409);
  });

  it('everything belonging to the records is gone; what was kept is there', async () => {
    assertProblem(await srv.req('GET', `/klantcontacten/${d.freeOld.uuid}`), 404);
    assertProblem(await srv.req('GET', `/klantcontacten/${d.post.klantcontact.uuid}`), 404);
    const file = await request('GET', d.post.scan.url, { headers: { Authorization: `Token ${srv.token}` } });
    assert.equal(file.status, 404, 'the scan went with its contact');
    const search = expectStatus(await srv.req('GET', '/klantcontacten?onderwerp=Vernietigtest%20oud'), 200);
    assert.equal(search.count, 0, 'a search no longer finds it');
    const betr = expectStatus(await srv.req('GET', `/betrokkenen?hadKlantcontact__uuid=${d.freeOld.uuid}`), 200);
    assert.equal(betr.count, 0, 'its betrokkenen went with it');
    for (const kept of [d.heldOld, d.zaakOld, d.freeRecent])
      expectStatus(await srv.req('GET', `/klantcontacten/${kept.uuid}`), 200);
    expectStatus(await srv.req('GET', `/partijen/${d.free.uuid}`), 200, 'the partij itself is not a contact record');
    const stored = expectStatus(await avg('GET', `/vernietigingslijsten/${lijst.uuid}`, eerste), 200);
    assert.equal(stored.status, 'vernietigd');
    assert.ok(stored.verklaring.wijze);
  });

  it('a rejected list destroys nothing; only the privacy officer may do any of this', async () => {
    const hold = expectStatus(await avg('GET', `/bewaarplichten?objectId=${d.held.uuid}`, eerste), 200).results[0];
    expectStatus(await srv.req('DELETE', `${AVG}/bewaarplichten/${hold.uuid}`, { base: true, token: eerste }), 204);
    const next = expectStatus(await avg('POST', '/vernietigingslijsten', eerste), 201);
    assert.ok(next.items.some((i) => i.uuid === d.heldOld.uuid), 'without its hold it is proposed');
    const rejected = expectStatus(await avg('POST', `/vernietigingslijsten/${next.uuid}/_afwijzen`, tweede), 200);
    assert.equal(rejected.status, 'afgewezen');
    expectStatus(await srv.req('GET', `/klantcontacten/${d.heldOld.uuid}`), 200);
    const kcm = srv.createToken('kcc', 'kcm');
    assertProblem(await avg('POST', '/vernietigingslijsten', kcm), 403);
    assertProblem(await avg('GET', '/bewaartermijnen', kcm), 403);
    assertInvalidParam(await avg('POST', '/bewaarplichten', eerste, { soort: 'boom', objectId: 'x' }), 'soort');
  });
});
