// Carrying out an erasure request (AVG art. 17) from the request: a preview that says per record
// whether it may go and why not (a legal hold, a zaak, a running retention term), then a
// confirmation that erases what the law allows — judged again, so a hold that came since keeps
// its records — once; the request records what was done; all of it in the Logboek.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody,
  klantcontactBody, request } from '../lib/harness.mjs';

const AVG = '/avg/api/v1';
const K = '/kanalen/api/v1';
const LDV = '/klantbeeld/api/v1/verwerkingen';
const OUD = '2023-03-01T10:00:00Z';
const RECENT = new Date(Date.now() - 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });

let srv, beheerder;
const d = {};
const avg = (method, path, body, token = beheerder) => srv.req(method, `${AVG}${path}`, { base: true, token, body });

async function contactOf(p, onderwerp, plaatsgevondenOp) {
  const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp, plaatsgevondenOp }));
  await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
  return kc;
}
const verzoek = async (bsn, soort = 'wissen') => expectStatus(await avg('POST', '/verzoeken', { soort, bsn }), 201);
const byUuid = (items) => Object.fromEntries(items.map((i) => [i.uuid, i]));

before(async () => {
  srv = await startServer({ args: ['--vernietiging-interval', '0'] });
  beheerder = srv.createToken('privacy-1', 'beheerder');
  d.p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990044')] }));
  d.oud = await contactOf(d.p, 'Wistest oud', OUD);
  d.recent = await contactOf(d.p, 'Wistest recent', RECENT);
  d.zaak = await contactOf(d.p, 'Wistest zaak', OUD);
  await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: d.zaak.uuid }, onderwerpobjectidentificator: {
    objectId: 'zaak-77', codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid' } });
  d.post = expectStatus(await srv.req('POST', `${K}/post`, { base: true, body: { onderwerp: 'Wistest brief',
    inhoud: 'Brief.', partij: { uuid: d.p.uuid }, ontvangenOp: OUD,
    scan: { naam: 'brief.pdf', contentType: 'application/pdf', inhoud: Buffer.from('%PDF-1.4 brief').toString('base64') } } }), 201);
  // Someone else, with an old contact of their own: never touched.
  d.ander = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990056')] }));
  d.anderOud = await contactOf(d.ander, 'Wistest ander', OUD);
  // Someone of whom nothing needs to stay.
  d.los = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [bsnIdf('999990068')] }));
  d.losOud = await contactOf(d.los, 'Wistest los', OUD);
});
after(async () => { await srv?.stop(); });

describe('erasure from an AVG request (art. 17)', () => {
  let eerste;
  it('the preview says per record whether it may go, and why not; nothing changes', async () => {
    eerste = await verzoek('999990044');
    const res = await avg('POST', `/verzoeken/${eerste.uuid}/_wissen`, {});
    const out = expectStatus(res, 200);
    assert.equal(out.bevestigd, false);
    const items = byUuid(out.items);
    assert.equal(items[d.oud.uuid].wissen, true);
    assert.equal(items[d.post.klantcontact.uuid].wissen, true);
    assert.equal(items[d.recent.uuid].wissen, false);
    assert.match(items[d.recent.uuid].reden, /Binnen de bewaartermijn tot \d{4}-\d\d-\d\d .*6\.1\.3.*art\. 17 lid 3/);
    assert.equal(items[d.zaak.uuid].wissen, false);
    assert.match(items[d.zaak.uuid].reden, /zaak/);
    assert.equal(items[d.p.uuid].soort, 'partij');
    assert.equal(items[d.p.uuid].wissen, false, 'the partij stays while records about it stay');
    assert.ok(!items[d.anderOud.uuid], 'nothing of anyone else');
    assert.equal(out.teWissen, 2);
    expectStatus(await srv.req('GET', `/klantcontacten/${d.oud.uuid}`), 200, 'a preview erases nothing');
    assert.equal(out.verzoek.uitvoering, null);
    const recs = expectStatus(await srv.req('GET', `${LDV}?traceId=${res.headers.get('traceparent').slice(3, 35)}`,
      { base: true, token: beheerder }), 200).results;
    assert.ok(recs.length >= 2 && recs.every((r) => r.naam === 'Wissen op verzoek voorbereiden'));
    assert.deepEqual([...new Set(recs.map((r) => r.betrokkeneType))].sort(), ['BSN', 'partij']);
  });

  it('a hold that came after the preview keeps its records at the confirmation; it is done once', async () => {
    const hold = expectStatus(await avg('POST', '/bewaarplichten', { soort: 'partij', objectId: d.p.uuid, reden: 'Rechtszaak' }), 201);
    const out = expectStatus(await avg('POST', `/verzoeken/${eerste.uuid}/_wissen`, { bevestigen: true }), 200);
    assert.equal(out.bevestigd, true);
    assert.equal(out.teWissen, 0);
    assert.ok(out.items.every((i) => !i.wissen && /bewaarplicht/.test(i.reden)));
    expectStatus(await srv.req('GET', `/klantcontacten/${d.oud.uuid}`), 200);
    const u = out.verzoek.uitvoering;
    assert.equal(u.handeling, 'wissen');
    assert.equal(u.door, 'privacy-1');
    assert.deepEqual(u.gewist, []);
    assert.ok(u.behouden.some((b) => b.uuid === d.oud.uuid && /bewaarplicht/.test(b.reden)));
    assertProblem(await avg('POST', `/verzoeken/${eerste.uuid}/_wissen`, { bevestigen: true }), 409);
    expectStatus(await srv.req('DELETE', `${AVG}/bewaarplichten/${hold.uuid}`, { base: true, token: beheerder }), 204);
  });

  it('confirmed: what may go is gone with its files, the rest stays; the request records it; logged', async () => {
    const v = await verzoek('999990044');
    const res = await avg('POST', `/verzoeken/${v.uuid}/_wissen`, { bevestigen: true });
    const out = expectStatus(res, 200);
    assert.equal(out.teWissen, 2);
    assertProblem(await srv.req('GET', `/klantcontacten/${d.oud.uuid}`), 404);
    assertProblem(await srv.req('GET', `/klantcontacten/${d.post.klantcontact.uuid}`), 404);
    const file = await request('GET', d.post.scan.url, { headers: { Authorization: `Token ${srv.token}` } });
    assert.equal(file.status, 404, 'the scan went with its contact');
    for (const kept of [d.recent, d.zaak, d.anderOud]) expectStatus(await srv.req('GET', `/klantcontacten/${kept.uuid}`), 200);
    expectStatus(await srv.req('GET', `/partijen/${d.p.uuid}`), 200);
    const stored = expectStatus(await avg('GET', `/verzoeken/${v.uuid}`), 200);
    assert.deepEqual(stored.uitvoering.gewist, [{ soort: 'klantcontact', aantal: 2 }]);
    assert.deepEqual(stored.uitvoering.behouden.map((b) => b.uuid).sort(), [d.recent.uuid, d.zaak.uuid, d.p.uuid].sort());
    const recs = expectStatus(await srv.req('GET', `${LDV}?traceId=${res.headers.get('traceparent').slice(3, 35)}`,
      { base: true, token: beheerder }), 200).results;
    assert.ok(recs.some((r) => r.naam === 'Gegevens wissen op verzoek' && r.betrokkeneType === 'partij'));
    // Then the decision, with the reasons for what stayed.
    expectStatus(await avg('POST', `/verzoeken/${v.uuid}/_afhandelen`, { besluit: 'deels_toegewezen',
      toelichting: 'Gewist wat na de bewaartermijn was; de rest valt onder art. 17 lid 3.' }), 200);
    assertProblem(await avg('POST', `/verzoeken/${v.uuid}/_wissen`, {}), 409);
  });

  it('a person of whom nothing has to stay: the partij goes too', async () => {
    const v = await verzoek('999990068');
    const out = expectStatus(await avg('POST', `/verzoeken/${v.uuid}/_wissen`, { bevestigen: true }), 200);
    assert.equal(out.behouden, 0);
    assertProblem(await srv.req('GET', `/klantcontacten/${d.losOud.uuid}`), 404);
    assertProblem(await srv.req('GET', `/partijen/${d.los.uuid}`), 404);
    assert.deepEqual(out.verzoek.uitvoering.gewist.map((g) => g.soort).sort(), ['klantcontact', 'partij']);
  });

  it('only for an open erasure request, with a valid body, by the privacy officer', async () => {
    const inzage = await verzoek('999990056', 'inzage');
    assertProblem(await avg('POST', `/verzoeken/${inzage.uuid}/_wissen`, {}), 409);
    const v = await verzoek('999990056');
    assertInvalidParam(await avg('POST', `/verzoeken/${v.uuid}/_wissen`, { bevestigen: 'ja' }), 'bevestigen');
    assertInvalidParam(await avg('POST', `/verzoeken/${v.uuid}/_wissen`, { alles: true }), 'alles');
    const kcm = srv.createToken('kcc', 'kcm');
    assertProblem(await avg('POST', `/verzoeken/${v.uuid}/_wissen`, { bevestigen: true }, kcm), 403);
    expectStatus(await srv.req('GET', `/klantcontacten/${d.anderOud.uuid}`), 200, 'nothing happened');
  });
});

describe('rectification from an AVG request (art. 16)', () => {
  let v, adres;
  before(async () => {
    adres = await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: d.ander.uuid }, adres: 'oud@example.org',
      soortDigitaalAdres: 'email', omschrijving: 'privé' });
    v = await verzoek('999990056', 'rectificatie');
  });

  it('a preview shows the record as it is; nothing changes', async () => {
    const out = expectStatus(await avg('POST', `/verzoeken/${v.uuid}/_rectificeren`,
      { object: adres.url, wijzigingen: { adres: 'nieuw@example.org' } }), 200);
    assert.equal(out.bevestigd, false);
    assert.equal(out.voor.adres, 'oud@example.org');
    assert.equal(out.na, null);
    assert.equal(expectStatus(await srv.req('GET', `/digitaleadressen/${adres.uuid}`), 200).adres, 'oud@example.org');
  });

  it('confirmed: changed by the register\'s own rules, recorded in the request, logged', async () => {
    const res = await avg('POST', `/verzoeken/${v.uuid}/_rectificeren`,
      { object: adres.url, wijzigingen: { adres: 'nieuw@example.org' }, bevestigen: true });
    const out = expectStatus(res, 200);
    assert.equal(out.na.adres, 'nieuw@example.org');
    assert.equal(expectStatus(await srv.req('GET', `/digitaleadressen/${adres.uuid}`), 200).adres, 'nieuw@example.org');
    const r = out.verzoek.uitvoering.rectificaties;
    assert.equal(r.length, 1);
    assert.equal(r[0].object, adres.url);
    assert.deepEqual(r[0].velden, ['adres']);
    assert.equal(r[0].door, 'privacy-1');
    const recs = expectStatus(await srv.req('GET', `${LDV}?traceId=${res.headers.get('traceparent').slice(3, 35)}`,
      { base: true, token: beheerder }), 200).results;
    assert.ok(recs.some((x) => x.naam === 'Gegevens rectificeren op verzoek' && x.betrokkeneType === 'partij'));
    assert.ok(recs.some((x) => x.naam === 'Gegevens rectificeren op verzoek' && x.betrokkeneType === 'BSN'));
  });

  it('refused: a bad value (named inside wijzigingen), someone else\'s record, not a record, another kind of request', async () => {
    assertInvalidParam(await avg('POST', `/verzoeken/${v.uuid}/_rectificeren`,
      { object: adres.url, wijzigingen: { adres: 'x'.repeat(1001) }, bevestigen: true }), 'wijzigingen.adres');
    const res = await avg('POST', `/verzoeken/${v.uuid}/_rectificeren`,
      { object: d.recent.url, wijzigingen: { onderwerp: 'Anders' }, bevestigen: true });
    assertInvalidParam(res, 'object');
    assert.match(res.text, /gaat niet over de verzoeker/);
    assertInvalidParam(await avg('POST', `/verzoeken/${v.uuid}/_rectificeren`,
      { object: 'https://elders.example/iets', wijzigingen: { adres: 'a@b.nl' } }), 'object');
    assertInvalidParam(await avg('POST', `/verzoeken/${v.uuid}/_rectificeren`, { object: adres.url }), 'wijzigingen');
    const wis = await verzoek('999990056');
    assertProblem(await avg('POST', `/verzoeken/${wis.uuid}/_rectificeren`,
      { object: adres.url, wijzigingen: { adres: 'c@d.nl' } }), 409);
    expectStatus(await srv.req('GET', `/klantcontacten/${d.recent.uuid}`), 200);
    assert.equal(expectStatus(await srv.req('GET', `/digitaleadressen/${adres.uuid}`), 200).adres, 'nieuw@example.org');
  });
});
