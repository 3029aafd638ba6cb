// Pagination (count/next/previous/results), ordering and list filters.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertInvalidParam, expectStatus, create, show,
  persoonBody, organisatieBody, klantcontactBody, validNine,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

// 7 klantcontacten, created in a shuffled order, with distinct plaatsgevondenOp.
const SEVEN = [
  { plaatsgevondenOp: '2024-01-03T09:00:00Z', kanaal: 'telefoon', onderwerp: 'Verhuizing doorgeven', vertrouwelijk: false, indicatieContactGelukt: true },
  { plaatsgevondenOp: '2024-01-07T09:00:00Z', kanaal: 'email', onderwerp: 'Afvalpas kwijt', vertrouwelijk: true, indicatieContactGelukt: false },
  { plaatsgevondenOp: '2024-01-01T09:00:00Z', kanaal: 'telefoon', onderwerp: 'Paspoort VERHUIS vraag', vertrouwelijk: false, indicatieContactGelukt: true },
  { plaatsgevondenOp: '2024-01-05T09:00:00Z', kanaal: 'balie', onderwerp: 'Parkeervergunning', vertrouwelijk: false, indicatieContactGelukt: null },
  { plaatsgevondenOp: '2024-01-02T09:00:00Z', kanaal: 'telefoon', onderwerp: 'Bijstand', vertrouwelijk: true, indicatieContactGelukt: true },
  { plaatsgevondenOp: '2024-01-06T09:00:00Z', kanaal: 'chat', onderwerp: 'Geluidsoverlast', vertrouwelijk: false, indicatieContactGelukt: false },
  { plaatsgevondenOp: '2024-01-04T09:00:00Z', kanaal: 'Telefoon', onderwerp: 'verhuizing binnen gemeente', vertrouwelijk: false, indicatieContactGelukt: true },
];
const DESC = [...SEVEN].sort((a, b) => b.plaatsgevondenOp.localeCompare(a.plaatsgevondenOp)).map((x) => x.plaatsgevondenOp);

describe('klantcontacten pagination', () => {
  before(async () => {
    for (const k of SEVEN) await create(srv, 'klantcontacten', klantcontactBody(k));
  });

  it('pageSize=3 → count 7, 3 results, absolute next with page=2&pageSize=3, previous null', async () => {
    const l = expectStatus(await srv.req('GET', '/klantcontacten?pageSize=3'), 200);
    assert.equal(l.count, 7);
    assert.equal(l.results.length, 3);
    assert.equal(l.previous, null);
    assert.equal(typeof l.next, 'string');
    const next = new URL(l.next);
    assert.equal(`${next.protocol}//${next.host}`, srv.base, `next is absolute on this host: ${l.next}`);
    assert.equal(next.pathname, '/klantinteracties/api/v1/klantcontacten');
    assert.equal(next.searchParams.get('page'), '2');
    assert.equal(next.searchParams.get('pageSize'), '3');
  });

  it('ordered by plaatsgevondenOp descending across pages; following next visits all 7 once', async () => {
    let url = `${srv.api}/klantcontacten?pageSize=3`;
    const seen = [];
    let pages = 0;
    while (url) {
      const l = expectStatus(await srv.req('GET', url), 200);
      seen.push(...l.results);
      url = l.next;
      pages += 1;
      assert.ok(pages <= 3, 'too many pages');
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen.map((r) => r.plaatsgevondenOp), DESC);
    assert.equal(new Set(seen.map((r) => r.uuid)).size, 7);
  });

  it('page=2 has previous pointing at page 1 and next at page 3', async () => {
    const l = expectStatus(await srv.req('GET', '/klantcontacten?page=2&pageSize=3'), 200);
    assert.equal(l.results.length, 3);
    assert.equal(typeof l.previous, 'string');
    const prev = new URL(l.previous);
    assert.ok(prev.searchParams.get('page') === null || prev.searchParams.get('page') === '1', l.previous);
    assert.equal(prev.searchParams.get('pageSize'), '3');
    const p1 = expectStatus(await srv.req('GET', l.previous), 200);
    assert.deepEqual(p1.results.map((r) => r.plaatsgevondenOp), DESC.slice(0, 3));
    assert.equal(new URL(l.next).searchParams.get('page'), '3');
  });

  it('page=3 → 1 result, next null', async () => {
    const l = expectStatus(await srv.req('GET', '/klantcontacten?page=3&pageSize=3'), 200);
    assert.equal(l.count, 7);
    assert.equal(l.results.length, 1);
    assert.equal(l.next, null);
    assert.equal(typeof l.previous, 'string');
    assert.equal(l.results[0].plaatsgevondenOp, DESC[6]);
  });

  it('page=4 → 404 problem+json', async () => {
    assertProblem(await srv.req('GET', '/klantcontacten?page=4&pageSize=3'), 404);
  });

  it('page=abc → 400 or 404 problem+json', async () => {
    const res = await srv.req('GET', '/klantcontacten?page=abc');
    assert.ok(res.status === 400 || res.status === 404, show(res));
    assertProblem(res, res.status);
  });

  it('page=0 → 400 or 404 problem+json', async () => {
    const res = await srv.req('GET', '/klantcontacten?page=0');
    assert.ok(res.status === 400 || res.status === 404, show(res));
    assertProblem(res, res.status);
  });

  it('next keeps filter params', async () => {
    const l = expectStatus(await srv.req('GET', '/klantcontacten?kanaal=telefoon&pageSize=2'), 200);
    assert.equal(l.count, 3);
    const next = new URL(l.next);
    assert.equal(next.searchParams.get('kanaal'), 'telefoon');
    assert.equal(next.searchParams.get('pageSize'), '2');
    assert.equal(next.searchParams.get('page'), '2');
    const l2 = expectStatus(await srv.req('GET', l.next), 200);
    assert.equal(l2.results.length, 1);
    assert.equal(l2.next, null);
    assert.ok(l2.results.every((r) => r.kanaal === 'telefoon'));
  });

  it('next url-encodes filter values with special characters', async () => {
    const l = expectStatus(await srv.req('GET', `/klantcontacten?onderwerp=${encodeURIComponent('a&b=c')}&pageSize=1`), 200);
    assert.equal(l.count, 0);
    assert.equal(l.next, null);
    const all = expectStatus(await srv.req('GET', `/klantcontacten?onderwerp=${encodeURIComponent('e')}&pageSize=1`), 200);
    assert.ok(all.count > 1);
    assert.equal(new URL(all.next).searchParams.get('onderwerp'), 'e');
  });

  it('default page size is 100 (all 7 on one page, next null)', async () => {
    const l = expectStatus(await srv.req('GET', '/klantcontacten'), 200);
    assert.equal(l.results.length, 7);
    assert.equal(l.next, null);
    assert.equal(l.previous, null);
  });
});

describe('klantcontacten filters', () => {
  const q = async (qs) => expectStatus(await srv.req('GET', `/klantcontacten?${qs}`), 200);
  it('kanaal is exact and case-sensitive', async () => {
    assert.equal((await q('kanaal=telefoon')).count, 3);
    assert.equal((await q('kanaal=Telefoon')).count, 1);
    assert.equal((await q('kanaal=tele')).count, 0);
  });
  it('onderwerp is case-insensitive contains', async () => {
    const l = await q('onderwerp=VERHUIZ');
    assert.deepEqual(l.results.map((r) => r.onderwerp).sort(), ['Verhuizing doorgeven', 'verhuizing binnen gemeente']);
    assert.equal((await q('onderwerp=verhuis')).count, 1);
  });
  it('vertrouwelijk true/false', async () => {
    assert.equal((await q('vertrouwelijk=true')).count, 2);
    assert.equal((await q('vertrouwelijk=false')).count, 5);
  });
  it('indicatieContactGelukt true/false', async () => {
    assert.equal((await q('indicatieContactGelukt=true')).count, 4);
    assert.equal((await q('indicatieContactGelukt=false')).count, 2);
  });
  it('filters combine with AND', async () => {
    const l = await q('kanaal=telefoon&vertrouwelijk=true');
    assert.equal(l.count, 1);
    assert.equal(l.results[0].onderwerp, 'Bijstand');
  });
  it('results are still ordered by plaatsgevondenOp descending under a filter', async () => {
    const l = await q('kanaal=telefoon');
    const ts = l.results.map((r) => r.plaatsgevondenOp);
    assert.deepEqual(ts, [...ts].sort().reverse());
  });
});

describe('pageSize cap', () => {
  before(async () => {
    const bodies = [];
    for (let i = 0; i < 502; i++) bodies.push(organisatieBody({ partijIdentificatie: { naam: `Org ${i}` } }));
    for (let i = 0; i < bodies.length; i += 25) {
      await Promise.all(bodies.slice(i, i + 25).map((b) => create(srv, 'partijen', b)));
    }
  });
  it('pageSize=1000 is capped at 500', async () => {
    const l = expectStatus(await srv.req('GET', '/partijen?pageSize=1000&soortPartij=organisatie'), 200);
    assert.equal(l.count, 502);
    assert.equal(l.results.length, 500);
    assert.equal(typeof l.next, 'string');
    assert.equal(new URL(l.next).searchParams.get('page'), '2');
    const l2 = expectStatus(await srv.req('GET', l.next), 200);
    assert.equal(l2.results.length, 2);
  });
  it('without pageSize the page holds 100', async () => {
    const l = expectStatus(await srv.req('GET', '/partijen?soortPartij=organisatie'), 200);
    assert.equal(l.results.length, 100);
    assert.equal(new URL(l.next).searchParams.get('page'), '2');
  });
  it('pagination over 502 partijen returns each exactly once', async () => {
    const seen = new Set();
    let url = `${srv.api}/partijen?soortPartij=organisatie&pageSize=200`;
    while (url) {
      const l = expectStatus(await srv.req('GET', url), 200);
      for (const r of l.results) { assert.ok(!seen.has(r.uuid), `duplicate ${r.uuid}`); seen.add(r.uuid); }
      url = l.next;
    }
    assert.equal(seen.size, 502);
  });
});

describe('filters on partijen, betrokkenen, digitaleadressen', () => {
  let pBsn;
  let pOther;
  let org;
  let kc1;
  let kc2;
  let b1;
  let b2;
  let b3;
  let a1;
  let a2;
  let a3;
  const bsn = validNine(777);

  before(async () => {
    pBsn = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
      codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: bsn, codeRegister: 'brp' } }] }));
    pOther = await create(srv, 'partijen', persoonBody());
    org = await create(srv, 'partijen', organisatieBody({ partijIdentificatoren: [{ partijIdentificator: {
      codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'kvk_nummer', objectId: '90001234', codeRegister: 'hr' } }] }));
    kc1 = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'filter 1' }));
    kc2 = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'filter 2' }));
    b1 = await create(srv, 'betrokkenen', { wasPartij: { uuid: pBsn.uuid }, hadKlantcontact: { uuid: kc1.uuid }, rol: 'klant', initiator: true });
    b2 = await create(srv, 'betrokkenen', { wasPartij: { uuid: pBsn.uuid }, hadKlantcontact: { uuid: kc2.uuid }, rol: 'klant', initiator: true });
    b3 = await create(srv, 'betrokkenen', { wasPartij: { uuid: pOther.uuid }, hadKlantcontact: { uuid: kc2.uuid }, rol: 'vertegenwoordiger', initiator: false });
    a1 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: pBsn.uuid }, adres: 'piet@example.nl', soortDigitaalAdres: 'email' });
    a2 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: pBsn.uuid }, adres: '0612345678', soortDigitaalAdres: 'telefoonnummer' });
    a3 = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: pOther.uuid }, adres: 'piet@example.nl', soortDigitaalAdres: 'email' });
  });

  const uuids = (l) => l.results.map((r) => r.uuid).sort();
  const get = async (path) => expectStatus(await srv.req('GET', path), 200);

  it('partijen?soortPartij=persoon / organisatie', async () => {
    const pers = await get('/partijen?soortPartij=persoon&pageSize=500');
    assert.ok(pers.results.every((r) => r.soortPartij === 'persoon'));
    assert.ok(pers.results.some((r) => r.uuid === pBsn.uuid));
    assert.equal(pers.count, 2);
    const orgs = await get('/partijen?soortPartij=organisatie&pageSize=500');
    assert.ok(orgs.results.every((r) => r.soortPartij === 'organisatie'));
  });
  it('find-klant by bsn (soortPartij + partijIdentificator__codeSoortObjectId + __objectId) → exactly that partij', async () => {
    const l = await get(`/partijen?soortPartij=persoon&partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId=${bsn}`);
    assert.equal(l.count, 1);
    assert.equal(l.results[0].uuid, pBsn.uuid);
  });
  it('KISS find-klant exactly as KISS sends it (with expand=digitaleAdressen) → that partij with _expand.digitaleAdressen', async () => {
    const l = await get(`/partijen?expand=digitaleAdressen&soortPartij=persoon&partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId=${bsn}`);
    assert.equal(l.count, 1);
    assert.equal(l.results[0].uuid, pBsn.uuid);
    const ex = l.results[0]._expand && l.results[0]._expand.digitaleAdressen;
    assert.ok(Array.isArray(ex), `_expand.digitaleAdressen: ${JSON.stringify(l.results[0]._expand)}`);
    assert.deepEqual(ex.map((a) => a.uuid).sort(), [a1.uuid, a2.uuid].sort());
  });
  it('find-klant without expand, by kvk_nummer for an organisatie', async () => {
    const l = await get('/partijen?soortPartij=organisatie&partijIdentificator__codeSoortObjectId=kvk_nummer&partijIdentificator__objectId=90001234');
    assert.deepEqual(uuids(l), [org.uuid]);
  });
  it('find-klant with an unknown bsn → 0', async () => {
    const l = await get(`/partijen?soortPartij=persoon&partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId=${validNine(778)}`);
    assert.equal(l.count, 0);
    assert.deepEqual(l.results, []);
  });
  it('find-klant with the wrong soortPartij → 0', async () => {
    const l = await get(`/partijen?soortPartij=organisatie&partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId=${bsn}`);
    assert.equal(l.count, 0);
  });
  it('betrokkenen?wasPartij__uuid', async () => {
    assert.deepEqual(uuids(await get(`/betrokkenen?wasPartij__uuid=${pBsn.uuid}`)), [b1.uuid, b2.uuid].sort());
    assert.deepEqual(uuids(await get(`/betrokkenen?wasPartij__uuid=${pOther.uuid}`)), [b3.uuid]);
    assert.equal((await get(`/betrokkenen?wasPartij__uuid=${crypto.randomUUID()}`)).count, 0);
  });
  it('betrokkenen?wasPartij__url (full URL, KISS history) with pageSize=100', async () => {
    const l = await get(`/betrokkenen?wasPartij__url=${encodeURIComponent(pBsn.url)}&pageSize=100`);
    assert.deepEqual(uuids(l), [b1.uuid, b2.uuid].sort());
  });
  it('betrokkenen?hadKlantcontact__uuid', async () => {
    assert.deepEqual(uuids(await get(`/betrokkenen?hadKlantcontact__uuid=${kc2.uuid}`)), [b2.uuid, b3.uuid].sort());
    assert.deepEqual(uuids(await get(`/betrokkenen?hadKlantcontact__uuid=${kc1.uuid}`)), [b1.uuid]);
  });
  it('betrokkenen: filters combine', async () => {
    assert.deepEqual(uuids(await get(`/betrokkenen?hadKlantcontact__uuid=${kc2.uuid}&wasPartij__uuid=${pBsn.uuid}`)), [b2.uuid]);
  });
  it('digitaleadressen?adres (exact)', async () => {
    assert.deepEqual(uuids(await get('/digitaleadressen?adres=piet%40example.nl')), [a1.uuid, a3.uuid].sort());
    assert.equal((await get('/digitaleadressen?adres=piet')).count, 0);
  });
  it('digitaleadressen?soortDigitaalAdres', async () => {
    assert.deepEqual(uuids(await get('/digitaleadressen?soortDigitaalAdres=telefoonnummer')), [a2.uuid]);
  });
  it('digitaleadressen?verstrektDoorPartij__uuid', async () => {
    assert.deepEqual(uuids(await get(`/digitaleadressen?verstrektDoorPartij__uuid=${pBsn.uuid}`)), [a1.uuid, a2.uuid].sort());
    assert.deepEqual(uuids(await get(`/digitaleadressen?verstrektDoorPartij__uuid=${pBsn.uuid}&soortDigitaalAdres=email`)), [a1.uuid]);
  });
  it('an invalid enum value in a filter → 400 at that parameter', async () => {
    const res = await srv.req('GET', '/partijen?soortPartij=x');
    assertInvalidParam(res, 'soortPartij');
  });
  it('a malformed uuid in a __uuid filter → 400 (not 500)', async () => {
    const res = await srv.req('GET', '/betrokkenen?wasPartij__uuid=geen-uuid');
    assert.ok(res.status === 400 || (res.status === 200 && res.json.count === 0), show(res));
  });
});
