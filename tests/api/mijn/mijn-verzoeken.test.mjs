// What a resident reads of their own contactverzoeken (/mijn/api/v1/verzoeken): the state in
// their words — ontvangen, in behandeling, niet bereikt, afgehandeld — never the assignee, the
// employee or internal notes; a failed contact attempt keeps it open ("niet-bereikt", never
// "afgehandeld"); one raised from a vertrouwelijk contact is not shown. And /profiel: the name
// the register knows the resident by.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, create, persoonBody, klantcontactBody, request } from '../lib/harness.mjs';

const BSN = '999993653';
const KV = '/kanalen/api/v1/contactverzoeken';

async function residentSession(srv, bsn) {
  const res = await request('POST', `${srv.base}/auth/api/v1/dev-login`, { body: { bsn } });
  const body = expectStatus(res, 200, 'dev-login');
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return (method, path) => request(method, srv.base + path, { headers: { Cookie: cookie, 'X-CSRF-Token': body.csrfToken } });
}

let srv, inwoner, partij;
before(async () => {
  srv = await startServer({ args: ['--dev-login'] });
  partij = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
    codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: BSN, codeRegister: 'brp' } }] }));
  inwoner = await residentSession(srv, BSN);
});
after(async () => { await srv?.stop(); });

const verzoek = (over = {}) => srv.req('POST', KV, { base: true, body: {
  kanaal: 'telefoon', onderwerp: 'Vraag over afvalpas', partij: { uuid: partij.uuid },
  toelichting: 'Intern: klant was boos', contactgegevens: { telefoonnummer: '0612345678', bereikbaarheid: 'Na 14.00 uur' },
  toegewezenAan: { soort: 'medewerker', naam: 'Fatima El Amrani' }, ...over } });

describe('/mijn/api/v1/verzoeken', () => {
  it('follows one request from ontvangen through niet bereikt to afgehandeld, without internal details', async () => {
    const kv = expectStatus(await verzoek(), 201);
    const stand = async () => {
      const r = expectStatus(await inwoner('GET', '/mijn/api/v1/verzoeken'), 200);
      const mine = r.results.find((x) => x.internetaak === kv.internetaak.uuid);
      assert.ok(mine, JSON.stringify(r));
      return mine;
    };
    let v = await stand();
    assert.equal(v.stand, 'ontvangen');
    assert.equal(v.onderwerp, 'Vraag over afvalpas');
    assert.equal(v.uiterlijk, kv.deadline);
    assert.deepEqual(v.pogingen, []);
    expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/oppakken`, { base: true }), 200);
    assert.equal((await stand()).stand, 'in-behandeling');
    const poging = expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/pogingen`, { base: true,
      body: { kanaal: 'telefoon', toelichting: 'Intern: voicemail vol' } }), 200);
    v = await stand();
    assert.equal(v.stand, 'niet-bereikt');
    assert.deepEqual(v.pogingen, [{ tijdstip: poging.pogingen[0].tijdstip, kanaal: 'telefoon' }]);
    assert.equal(v.afgehandeldOp, null);
    const text = JSON.stringify(v);
    for (const secret of ['Intern', 'Fatima', 'api-tests', '0612345678']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    // The register's own interne taak stays open too.
    const taken = expectStatus(await inwoner('GET', '/mijn/api/v1/contactverzoeken'), 200);
    assert.equal(taken.results.find((t) => t.uuid === kv.internetaak.uuid).status, 'te_verwerken');
    expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/afhandelen`, { base: true,
      body: { resultaat: 'Teruggebeld.', contactGelukt: true, kanaal: 'telefoon' } }), 200);
    v = await stand();
    assert.equal(v.stand, 'afgehandeld');
    assert.equal(v.contactGelukt, true);
    assert.match(v.afgehandeldOp, /^\d{4}-/);
  });

  it('leaves out a request raised from a vertrouwelijk contact, and refuses filters and staff', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'Geheim', vertrouwelijk: true }));
    const geheim = expectStatus(await verzoek({ onderwerp: 'Geheim', klantcontact: { uuid: kc.uuid } }), 201);
    const r = expectStatus(await inwoner('GET', '/mijn/api/v1/verzoeken?pageSize=100'), 200);
    assert.ok(!r.results.some((x) => x.internetaak === geheim.internetaak.uuid));
    assert.equal(r.count, r.results.length);
    expectStatus(await inwoner('GET', '/mijn/api/v1/verzoeken?status=open'), 400);
    expectStatus(await inwoner('GET', '/mijn/api/v1/verzoeken?pageSize=1000'), 400);
    expectStatus(await srv.req('GET', '/mijn/api/v1/verzoeken', { base: true }), 403);
  });

  it('/profiel gives the name the register has for the resident', async () => {
    const p = expectStatus(await inwoner('GET', '/mijn/api/v1/profiel'), 200);
    assert.deepEqual(p, { naam: 'Jan van der Berg' });
    const onbekend = await residentSession(srv, '999990019');
    assert.deepEqual(expectStatus(await onbekend('GET', '/mijn/api/v1/profiel'), 200), { naam: null });
  });
});
