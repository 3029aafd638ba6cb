// Klantcontacten marked vertrouwelijk stay with the municipality: a resident's session never
// shows them — not in the Mijn API's contacts, not as the contactverzoek raised from one, not
// as the conversation whose message one registered, and not in the resident's own klantbeeld —
// while staff still see everything.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, create, persoonBody, klantcontactBody, request } from '../lib/harness.mjs';

const BSN = '999993653';
const GEHEIM = 'Melding huiselijk geweld, niet terugbellen op het vaste nummer';

/** A resident's session (development login), with a helper for GET/POST under the base. */
async function residentSession(srv, bsn) {
  const res = await request('POST', `${srv.base}/auth/api/v1/dev-login`, { body: { bsn } });
  const body = expectStatus(res, 200, 'dev-login');
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return (method, path, opts = {}) => request(method, srv.base + path, { ...opts,
    headers: { Cookie: cookie, 'X-CSRF-Token': body.csrfToken } });
}

let srv, inwoner, open, geheim, kvOpen, kvGeheim, gesprekOpen, gesprekGeheim;
before(async () => {
  srv = await startServer({ args: ['--dev-login'] });
  const p = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
    codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: BSN, codeRegister: 'brp' } }] }));
  await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'inwoner@example.nl',
    soortDigitaalAdres: 'email' });
  const contact = async (over) => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody(over));
    await create(srv, 'betrokkenen', { wasPartij: { uuid: p.uuid }, hadKlantcontact: { uuid: kc.uuid }, rol: 'klant', initiator: true });
    return kc;
  };
  open = await contact({ onderwerp: 'Afvalpas', inhoud: 'Afvalpas kwijt.' });
  geheim = await contact({ onderwerp: 'Melding', inhoud: GEHEIM, vertrouwelijk: true });
  const verzoek = (kc) => srv.req('POST', '/kanalen/api/v1/contactverzoeken', { base: true, body: {
    kanaal: 'telefoon', onderwerp: kc.onderwerp, partij: { uuid: p.uuid }, klantcontact: { uuid: kc.uuid },
    toegewezenAan: { soort: 'afdeling', naam: 'Zorg' } } });
  kvOpen = expectStatus(await verzoek(open), 201);
  kvGeheim = expectStatus(await verzoek(geheim), 201);
  // Two conversations; the klantcontact of one message is marked vertrouwelijk afterwards.
  const bericht = (onderwerp, tekst) => srv.req('POST', '/kanalen/api/v1/berichten', { base: true, body: {
    kanaal: 'social media', onderwerp, tekst, afzender: { adres: 'inwoner@example.nl', soort: 'email', naam: 'Inwoner' } } });
  gesprekOpen = expectStatus(await bericht('Parkeren', 'Waar kan ik parkeren?'), 201);
  gesprekGeheim = expectStatus(await bericht('Hulp', 'Ik heb hulp nodig thuis.'), 201);
  assert.equal(gesprekGeheim.partij, p.uuid);
  expectStatus(await srv.req('PATCH', `/klantcontacten/${gesprekGeheim.klantcontact}`, { body: { vertrouwelijk: true } }), 200);
  inwoner = await residentSession(srv, BSN);
});
after(async () => { await srv?.stop(); });

describe('vertrouwelijk klantcontacten and residents', () => {
  it('/mijn/api/v1/klantcontacten leaves out the vertrouwelijke contacts (and counts without them)', async () => {
    const page = expectStatus(await inwoner('GET', '/mijn/api/v1/klantcontacten?pageSize=100'), 200);
    const uuids = page.results.map((k) => k.uuid);
    assert.ok(uuids.includes(open.uuid), JSON.stringify(uuids));
    assert.ok(!uuids.includes(geheim.uuid) && !uuids.includes(gesprekGeheim.klantcontact), JSON.stringify(uuids));
    assert.equal(page.count, page.results.length);
    assert.ok(!JSON.stringify(page).includes(GEHEIM));
  });

  it('/mijn/api/v1/contactverzoeken leaves out the one raised from a vertrouwelijk contact', async () => {
    const page = expectStatus(await inwoner('GET', '/mijn/api/v1/contactverzoeken?pageSize=100'), 200);
    const uuids = page.results.map((t) => t.uuid);
    assert.deepEqual(uuids, [kvOpen.internetaak.uuid], JSON.stringify(page));
    assert.ok(!JSON.stringify(page).includes(geheim.uuid));
  });

  it('/mijn/api/v1/gesprekken leaves out the conversation whose message is a vertrouwelijk contact', async () => {
    const page = expectStatus(await inwoner('GET', '/mijn/api/v1/gesprekken?pageSize=100'), 200);
    assert.deepEqual(page.results.map((g) => g.uuid), [gesprekOpen.gesprek], JSON.stringify(page));
    assert.equal(page.count, 1);
    assert.ok(!JSON.stringify(page).includes('hulp nodig'));
  });

  it("the resident's own klantbeeld shows no vertrouwelijk contact, nor the tasks and requests from it", async () => {
    const kb = expectStatus(await inwoner('POST', '/klantbeeld/api/v1/_zoek',
      { body: { bsn: BSN, verwerkingsactiviteit: 'mijn-gegevens-inzien' } }), 200);
    const contacten = kb.contacten.map((c) => c.uuid);
    assert.ok(contacten.includes(open.uuid));
    assert.ok(!contacten.includes(geheim.uuid) && !contacten.includes(gesprekGeheim.klantcontact), JSON.stringify(contacten));
    assert.equal(kb.aantalContacten, contacten.length);
    assert.deepEqual(kb.internetaken.map((t) => t.uuid), [kvOpen.internetaak.uuid]);
    assert.deepEqual(kb.contactverzoeken.map((v) => v.uuid), [kvOpen.uuid]);
    assert.ok(!JSON.stringify(kb).includes(GEHEIM));
  });

  it('the download of all my data (AVG art. 15/20) holds what Mijn shows and nothing vertrouwelijk; logged as my own read', async () => {
    const res = await inwoner('GET', '/mijn/api/v1/gegevens');
    const out = expectStatus(res, 200);
    assert.match(res.headers.get('content-disposition') || '', /attachment; filename="mijn-gegevens\.json"/);
    const g = out.gegevens;
    const text = JSON.stringify(out);
    for (const secret of [GEHEIM, 'hulp nodig', geheim.uuid, gesprekGeheim.klantcontact, kvGeheim.internetaak.uuid])
      assert.ok(!text.includes(secret), `nothing of ${secret}`);
    // The same as the Mijn lists, section by section.
    const list = async (path) => expectStatus(await inwoner('GET', `/mijn/api/v1/${path}?pageSize=100`), 200);
    for (const [section, path] of [['klantcontacten', 'klantcontacten'], ['contactverzoeken', 'contactverzoeken'],
      ['gesprekken', 'gesprekken'], ['digitaleadressen', 'digitaleadressen']]) {
      const page = await list(path);
      assert.deepEqual(g[section].items.map((x) => x.uuid).sort(), page.results.map((x) => x.uuid).sort(), section);
      assert.equal(g[section].aantal, page.count, section);
    }
    assert.deepEqual(g.verzoeken.items, (await list('verzoeken')).results);
    assert.ok(g.klantcontacten.items.some((k) => k.uuid === open.uuid));
    assert.ok(g.digitaleadressen.items.some((a) => a.adres === 'inwoner@example.nl'));
    assert.equal(typeof g.voorkeuren.toestemmingDigitaal, 'boolean');
    assert.ok(g.verwerkingen.aantal >= 1 && Array.isArray(g.verwerkingen.items));
    assert.match(out.toelichting.rechten, /art\. 16/);
    assert.match(out.toelichting.weggelaten, /vertrouwelijk/);
    const mine = expectStatus(await inwoner('GET', '/klantbeeld/api/v1/verwerkingen?pageSize=100'), 200).results;
    assert.ok(mine.some((v) => v.naam === 'Mijn gegevens downloaden' && v.rol === 'inwoner'), 'in the Logboek as my own read');
    assert.equal((await inwoner('GET', '/mijn/api/v1/gegevens?pageSize=1')).status, 400);
    assert.equal((await srv.req('GET', '/mijn/api/v1/gegevens', { base: true })).status, 403, 'staff get no resident download');
  });

  it('staff still see every contact, task and request', async () => {
    const kcm = srv.createToken('kcc', 'kcm');
    const kb = expectStatus(await srv.req('POST', '/klantbeeld/api/v1/_zoek', { base: true, token: kcm,
      body: { bsn: BSN, verwerkingsactiviteit: 'klantvraag-beantwoorden' } }), 200);
    const contacten = kb.contacten.map((c) => c.uuid);
    assert.ok(contacten.includes(geheim.uuid) && contacten.includes(gesprekGeheim.klantcontact));
    assert.equal(kb.contactverzoeken.length, 2);
    assert.ok(kb.contactverzoeken.some((v) => v.uuid === kvGeheim.uuid));
    const g = expectStatus(await srv.req('GET', '/kanalen/api/v1/gesprekken?pageSize=100', { base: true }), 200);
    assert.ok(g.results.some((x) => x.uuid === gesprekGeheim.gesprek));
  });
});
