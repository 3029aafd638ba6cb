// The Mijn-omgeving side of the klantbeeld: a resident (development login standing in for
// DigiD) sees their own klantbeeld and who viewed their data and why — and never another
// resident's klantbeeld or log, whatever they send.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, assertProblem, create, persoonBody, request } from '../lib/harness.mjs';

const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });

/** A resident's session: cookie + CSRF token, through the development login. */
async function residentSession(srv, bsn) {
  const res = await request('POST', `${srv.base}/auth/api/v1/dev-login`, { body: { bsn } });
  const body = expectStatus(res, 200, 'dev-login');
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const call = (method, path, opts = {}) => request(method, srv.base + path, { ...opts,
    headers: { Cookie: cookie, ...(opts.csrf === false ? {} : { 'X-CSRF-Token': body.csrfToken }), ...(opts.headers || {}) } });
  return { call, cookie };
}

describe('klantbeeld for residents', () => {
  let srv, kcm, beheerder, a, b, kbA, kbB;
  before(async () => {
    srv = await startServer({ args: ['--dev-login'] });
    kcm = srv.createToken('kcc', 'kcm');
    beheerder = srv.createToken('fb', 'beheerder');
    await create(srv, 'partijen', persoonBody({ interneNotitie: 'Let op: belt vaak boos.', partijIdentificatoren: [bsnIdf('999990019')] }));
    await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990020')] }));
    // The KCC looks both up (two processings, logged per person).
    const zoek = (bsn) => srv.req('POST', '/klantbeeld/api/v1/_zoek', { base: true, token: kcm,
      body: { bsn, verwerkingsactiviteit: 'klantvraag-beantwoorden' } });
    kbA = expectStatus(await zoek('999990019'), 200);
    kbB = expectStatus(await zoek('999990020'), 200);
    a = await residentSession(srv, '999990019');
    b = await residentSession(srv, '999990020');
  });
  after(async () => { await srv.stop(); });

  it('a resident sees their own klantbeeld', async () => {
    const kb = expectStatus(await a.call('POST', '/klantbeeld/api/v1/_zoek',
      { body: { bsn: '999990019', verwerkingsactiviteit: 'mijn-gegevens-inzien' } }), 200);
    assert.equal(kb.partij.uuid, kbA.partij.uuid);
    assert.equal(kb.partij.interneNotitie, undefined, 'internal notes stay internal');
    assert.equal(kbA.partij.interneNotitie, 'Let op: belt vaak boos.', 'staff see them');
  });

  it("never another resident's klantbeeld, by any key or activity", async () => {
    const tries = [
      { bsn: '999990020', verwerkingsactiviteit: 'mijn-gegevens-inzien' },
      { partij: kbB.partij.uuid, verwerkingsactiviteit: 'mijn-gegevens-inzien' },
      { telefoonnummer: '0612345678', verwerkingsactiviteit: 'mijn-gegevens-inzien' },
      { bsn: '999990019', verwerkingsactiviteit: 'klantvraag-beantwoorden' },
    ];
    for (const body of tries) {
      const res = await a.call('POST', '/klantbeeld/api/v1/_zoek', { body });
      assertProblem(res, 403);
      assert.ok(!res.text.includes(kbB.partij.uuid), JSON.stringify(body));
    }
  });

  it('sees who viewed their data and why — only their own records', async () => {
    const page = expectStatus(await a.call('GET', '/klantbeeld/api/v1/verwerkingen?pageSize=100'), 200);
    const traces = new Set(page.results.map((x) => x.traceId));
    assert.ok(traces.has(kbA.traceId), 'the KCC view of A is shown to A');
    assert.ok(!traces.has(kbB.traceId), "B's records are not shown to A");
    const kccView = page.results.find((x) => x.traceId === kbA.traceId);
    assert.equal(kccView.rolOmschrijving, 'Klantcontactcentrum');
    assert.equal(kccView.verwerkingsactiviteitOmschrijving, 'Beantwoorden van uw vraag aan de gemeente');
    const pageB = expectStatus(await b.call('GET', '/klantbeeld/api/v1/verwerkingen?pageSize=100'), 200);
    assert.ok(pageB.results.some((x) => x.traceId === kbB.traceId));
    assert.ok(pageB.results.every((x) => x.traceId !== kbA.traceId));
    // The imposed filter cannot be named or widened from outside.
    assertProblem(await a.call('GET', '/klantbeeld/api/v1/verwerkingen?_betrokkene=x'), 400);
    assertProblem(await a.call('POST', '/klantbeeld/api/v1/verwerkingen/_zoek', { body: { bsn: '999990020' } }), 403);
  });

  it('cannot reach the register or the management endpoints, and needs the CSRF token', async () => {
    assertProblem(await a.call('GET', '/klantinteracties/api/v1/partijen'), 403);
    assertProblem(await a.call('GET', '/klantbeeld/api/v1/dubbelen'), 403);
    assertProblem(await a.call('POST', '/klantbeeld/api/v1/_zoek', { csrf: false,
      body: { bsn: '999990019', verwerkingsactiviteit: 'mijn-gegevens-inzien' } }), 403);
  });
});
