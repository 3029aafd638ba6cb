// Balie check-in (reason, queue number, called by a medewerker, finished with the result) and
// incoming post (scanned letter as bijlage) become klantcontacten, so these channels count
// like all others.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, create, expectStatus, assertInvalidParam, assertProblem, persoonBody } from '../lib/harness.mjs';

const K = '/kanalen/api/v1';
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });
const req = (method, path, body) => srv.req(method, `${K}${path}`, { base: true, body });

describe('balie', () => {
  it('check-in gets the next queue number, is called and finished, and is a klantcontact', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    const a = expectStatus(await req('POST', '/balie/aanmeldingen', { reden: 'Paspoort ophalen', wachtrij: 'Burgerzaken',
      partij: { uuid: partij.uuid } }), 201);
    const b = expectStatus(await req('POST', '/balie/aanmeldingen', { reden: 'Rijbewijs aanvragen', wachtrij: 'Burgerzaken' }), 201);
    const c = expectStatus(await req('POST', '/balie/aanmeldingen', { reden: 'Vraag over belasting' }), 201);
    assert.equal(a.volgnummer, 'B001');
    assert.equal(b.volgnummer, 'B002');
    assert.equal(c.volgnummer, 'A001');
    assert.equal(a.status, 'wachtend');
    const queue = expectStatus(await req('GET', '/balie/aanmeldingen?status=wachtend&wachtrij=Burgerzaken'), 200);
    assert.deepEqual(queue.results.map((x) => x.volgnummer), ['B001', 'B002']);
    const called = expectStatus(await req('POST', `/balie/aanmeldingen/${a.uuid}/oproepen`, { medewerker: 'Joyce', balie: '3' }), 200);
    assert.equal(called.status, 'in_behandeling');
    assert.equal(called.geholpenDoor, 'Joyce');
    assertProblem(await req('POST', `/balie/aanmeldingen/${a.uuid}/oproepen`, { medewerker: 'Bert' }), 409);
    const done = expectStatus(await req('POST', `/balie/aanmeldingen/${a.uuid}/afronden`, { resultaat: 'Paspoort meegegeven.' }), 200);
    assert.equal(done.status, 'afgerond');
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${a.klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.kanaal, 'balie');
    assert.equal(kc.onderwerp, 'Paspoort ophalen');
    assert.match(kc.inhoud, /volgnummer B001/);
    assert.equal(kc.reactie, 'Paspoort meegegeven.');
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    assert.equal(kc.hadBetrokkenActoren[0].naam, 'Joyce');
    assertInvalidParam(await req('POST', '/balie/aanmeldingen', {}), 'reden', 'required');
    assertInvalidParam(await req('POST', `/balie/aanmeldingen/${b.uuid}/oproepen`, {}), 'medewerker', 'required');
    const balie = await srv.req('GET', '/klantcontacten?kanaal=balie');
    assert.equal(balie.json.count, 3);
  });
});

describe('post', () => {
  it('registers a letter with its scan as bijlage', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    const scan = Buffer.from('%PDF-1.4\nbrief van mevrouw Jansen\n');
    const res = expectStatus(await req('POST', '/post', { onderwerp: 'Bezwaar WOZ-beschikking', inhoud: 'Bezwaarschrift per post.',
      afzender: { naam: 'M. Jansen', adres: 'Dorpsstraat 1, Voorbeeldstad' }, partij: { uuid: partij.uuid },
      ontvangenOp: '2026-11-27T09:30:00Z', kenmerk: 'POST-2026-0042',
      scan: { naam: 'bezwaar.pdf', contentType: 'application/pdf', inhoud: scan.toString('base64') } }), 201);
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${res.klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.kanaal, 'post');
    assert.equal(kc.plaatsgevondenOp, '2026-11-27T09:30:00Z');
    assert.equal(kc.metadata.kenmerk, 'POST-2026-0042');
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    assert.equal(kc.omvatteBijlagen.length, 1);
    const bijlage = expectStatus(await srv.req('GET', `/bijlagen/${kc.omvatteBijlagen[0].uuid}`), 200);
    assert.equal(bijlage.bijlageidentificator.objectId, res.scan.uuid);
    const file = await fetch(res.scan.url, { headers: { Authorization: `Token ${srv.token}` } });
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), scan);
    const bad = await req('POST', '/post', { scan: { inhoud: '!!niet base64!!' }, partij: { uuid: 'x' } });
    assertInvalidParam(bad, 'onderwerp', 'required');
    assertInvalidParam(bad, 'scan.inhoud', 'invalid');
    assertInvalidParam(bad, 'partij.uuid', 'invalid');
    assertInvalidParam(await req('POST', '/post', { onderwerp: 'x', afzender: { naam: 'n'.repeat(201) } }),
      'afzender.naam', 'max_length', 'Zorg ervoor dat dit veld niet meer dan 200 karakters bevat.');
    assertInvalidParam(await req('POST', '/post', { onderwerp: 'x', partij: { uuid: '00000000-0000-4000-8000-000000000000' } }),
      'partij.uuid', 'does_not_exist');
  });
});
