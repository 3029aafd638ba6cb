// WhatsApp Business Cloud API webhook (verify handshake; X-Hub-Signature-256 checked against
// the app secret, unsigned or wrongly signed refused and nothing stored), replies through the
// outbound adapter, and the generic inbound message webhook for other channels.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody } from '../lib/harness.mjs';

const K = '/kanalen/api/v1';
const SECRET = 'app-geheim-123';

function recorder() {
  const rec = { calls: [], status: 200 };
  rec.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      rec.calls.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
      res.statusCode = rec.status;
      res.setHeader('Content-Type', 'application/json');
      res.end('{"messages":[{"id":"wamid.uit"}]}');
    });
  });
  return new Promise((resolve) => rec.server.listen(0, '127.0.0.1', () => {
    rec.url = `http://127.0.0.1:${rec.server.address().port}`;
    resolve(rec);
  }));
}

// An hour ago: within WhatsApp's 24-hour window, so the werkplek may answer in free text.
const TS = Math.floor(Date.now() / 1000) - 3600;

function waPayload({ from = '31612345678', id = 'wamid.1', text = 'Hallo, wanneer wordt het grofvuil opgehaald?', name = 'Kees Visser' } = {}) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id, timestamp: String(TS), type: 'text', text: { body: text } }],
    } }] }],
  };
}

function signed(srv, payload, opts = {}) {
  const raw = JSON.stringify(payload);
  const sig = 'header' in opts ? opts.header
    : `sha256=${createHmac('sha256', opts.secret ?? SECRET).update(raw).digest('hex')}`;
  return srv.req('POST', `${K}/whatsapp/webhook`, { base: true, token: null, raw: true, body: raw,
    headers: { 'Content-Type': 'application/json', ...(sig === null ? {} : { 'X-Hub-Signature-256': sig }) } });
}

let srv, wa, hook;
before(async () => {
  wa = await recorder();
  hook = await recorder();
  srv = await startServer({ args: ['--whatsapp-app-secret', SECRET, '--whatsapp-verify-token', 'verifieer-mij',
    '--whatsapp-api', `${wa.url}/v21.0/106540352242922/messages`, '--whatsapp-token', 'meta-token',
    '--outbound-webhook', `${hook.url}/uit`] });
});
after(async () => {
  await srv?.stop();
  wa?.server.close();
  hook?.server.close();
});

describe('whatsapp webhook', () => {
  it('answers the verify handshake only with the right token', async () => {
    const ok = await srv.req('GET', `${K}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=verifieer-mij&hub.challenge=1158201444`,
      { base: true, token: null });
    assert.equal(ok.status, 200);
    assert.equal(ok.text, '1158201444');
    assertProblem(await srv.req('GET', `${K}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=fout&hub.challenge=1`,
      { base: true, token: null }), 403);
    assertProblem(await srv.req('GET', `${K}/whatsapp/webhook`, { base: true, token: null }), 403);
  });

  it('a signed message lands in the register, matched to the partij by phone number', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partij.uuid }, adres: '0612345678',
      soortDigitaalAdres: 'telefoonnummer', omschrijving: 'mobiel' });
    const res = await signed(srv, waPayload());
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.ontvangen.length, 1);
    const { klantcontact, gesprek } = res.json.ontvangen[0];
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${klantcontact}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.kanaal, 'whatsapp');
    assert.equal(kc.inhoud, 'Hallo, wanneer wordt het grofvuil opgehaald?');
    assert.equal(kc.plaatsgevondenOp, new Date(TS * 1000).toISOString().replace('.000Z', 'Z'));
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    // The next message from the same number continues the conversation; a redelivery is not stored twice.
    const second = await signed(srv, waPayload({ id: 'wamid.2', text: 'Ik woon op de Dorpsstraat.' }));
    assert.equal(second.json.ontvangen[0].gesprek, gesprek);
    const again = await signed(srv, waPayload({ id: 'wamid.2', text: 'Ik woon op de Dorpsstraat.' }));
    assert.equal(again.json.ontvangen[0].dubbel, true);
    const conv = expectStatus(await srv.req('GET', `${K}/gesprekken/${gesprek}`, { base: true }), 200);
    assert.equal(conv.berichten.length, 2);
    assert.equal(conv.partij.uuid, partij.uuid);
    // The werkplek replies: the Cloud API gets a text message to that number.
    const reply = expectStatus(await srv.req('POST', `${K}/gesprekken/${gesprek}/berichten`, { base: true,
      body: { tekst: 'Het grofvuil wordt dinsdag opgehaald.' } }), 201);
    assert.equal(reply.status, 'verzonden');
    const call = wa.calls.at(-1);
    assert.equal(call.url, '/v21.0/106540352242922/messages');
    assert.equal(call.auth, 'Bearer meta-token');
    assert.deepEqual(call.body, { messaging_product: 'whatsapp', to: '+31612345678', type: 'text',
      text: { body: 'Het grofvuil wordt dinsdag opgehaald.' } });
    // When the Cloud API refuses, the reply is kept as failed and the caller hears 503.
    wa.status = 500;
    const failed = await srv.req('POST', `${K}/gesprekken/${gesprek}/berichten`, { base: true, body: { tekst: 'nog een' } });
    assertProblem(failed, 503);
    wa.status = 200;
    const after = expectStatus(await srv.req('GET', `${K}/gesprekken/${gesprek}`, { base: true }), 200);
    assert.match(after.berichten.at(-1).status, /^mislukt: /);
  });

  it('refuses unsigned, wrongly signed and tampered messages, storing nothing', async () => {
    const before = (await srv.req('GET', '/klantcontacten?kanaal=whatsapp')).json.count;
    assertProblem(await signed(srv, waPayload({ id: 'wamid.x1' }), { header: null }), 401);
    assertProblem(await signed(srv, waPayload({ id: 'wamid.x2' }), { secret: 'verkeerd' }), 401);
    assertProblem(await signed(srv, waPayload({ id: 'wamid.x3' }), { header: 'sha256=' + '0'.repeat(64) }), 401);
    assertProblem(await signed(srv, waPayload({ id: 'wamid.x4' }), { header: 'sha1=abc' }), 401);
    // Signed for one body, sent with another.
    const good = JSON.stringify(waPayload({ id: 'wamid.x5' }));
    const sig = `sha256=${createHmac('sha256', SECRET).update(good).digest('hex')}`;
    const tampered = good.replace('grofvuil', 'GROFVUIL');
    assertProblem(await srv.req('POST', `${K}/whatsapp/webhook`, { base: true, token: null, raw: true, body: tampered,
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': sig } }), 401);
    assert.equal((await srv.req('GET', '/klantcontacten?kanaal=whatsapp')).json.count, before);
    // Signed but not a webhook body: 400, not a crash.
    assertProblem(await signed(srv, { object: 'x' }), 400);
    const status = await signed(srv, { object: 'whatsapp_business_account', entry: [{ changes: [{ value: { statuses: [{ id: 'wamid.1', status: 'read' }] } }] }] });
    assert.equal(status.status, 200);
    assert.deepEqual(status.json.ontvangen, []);
  });
});

describe('generic inbound berichten', () => {
  it('stores a message of another channel and replies through the outbound webhook', async () => {
    const res = expectStatus(await srv.req('POST', `${K}/berichten`, { base: true, body: {
      kanaal: 'social media', tekst: 'Lantaarnpaal kapot in de Kerkstraat', onderwerp: 'Melding openbare ruimte',
      afzender: { adres: '@buurman', soort: 'overig', naam: 'Buurman' }, sleutel: 'x-dm-42', externId: 'dm-1' } }), 201);
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${res.klantcontact}`), 200);
    assert.equal(kc.kanaal, 'social media');
    assert.equal(kc.onderwerp, 'Melding openbare ruimte');
    const dup = expectStatus(await srv.req('POST', `${K}/berichten`, { base: true, body: {
      kanaal: 'social media', tekst: 'Lantaarnpaal kapot in de Kerkstraat', externId: 'dm-1' } }), 200);
    assert.equal(dup.dubbel, true);
    const next = expectStatus(await srv.req('POST', `${K}/berichten`, { base: true, body: {
      kanaal: 'social media', tekst: 'Nummer 12', sleutel: 'x-dm-42', afzender: { adres: '@buurman', soort: 'overig' } } }), 201);
    assert.equal(next.gesprek, res.gesprek);
    expectStatus(await srv.req('POST', `${K}/gesprekken/${res.gesprek}/berichten`, { base: true,
      body: { tekst: 'Dank u, we sturen iemand.' } }), 201);
    assert.deepEqual(hook.calls.at(-1).body, { gesprek: res.gesprek, kanaal: 'social media', naar: '@buurman',
      tekst: 'Dank u, we sturen iemand.' });
  });

  it('an address two partijen share is matched to neither: an employee chooses, the channel never guesses', async () => {
    const a = await create(srv, 'partijen', persoonBody());
    const b = await create(srv, 'partijen', persoonBody());
    for (const p of [a, b])
      await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: p.uuid }, adres: 'gezin.devries@example.org',
        soortDigitaalAdres: 'email' });
    const res = expectStatus(await srv.req('POST', `${K}/berichten`, { base: true, body: { kanaal: 'website',
      tekst: 'Vraag over onze aanslag', afzender: { adres: 'Gezin.DeVries@example.org', soort: 'email' } } }), 201);
    assert.equal(res.partij, null, JSON.stringify(res));
    const g = expectStatus(await srv.req('GET', `${K}/gesprekken/${res.gesprek}`, { base: true }), 200);
    assert.equal(g.partij, null);
    // One owner: matched as before.
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: a.uuid }, adres: 'alleen.a@example.org',
      soortDigitaalAdres: 'email' });
    const own = expectStatus(await srv.req('POST', `${K}/berichten`, { base: true, body: { kanaal: 'website',
      tekst: 'Nog een vraag', afzender: { adres: 'alleen.a@example.org', soort: 'email' } } }), 201);
    assert.equal(own.partij, a.uuid);
  });

  it('refuses bad input, and needs a token', async () => {
    const bad = await srv.req('POST', `${K}/berichten`, { base: true, body: { afzender: { soort: 'duif' }, gesprek: 'abc' } });
    assertInvalidParam(bad, 'kanaal', 'required');
    assertInvalidParam(bad, 'tekst', 'required');
    assertInvalidParam(bad, 'afzender.soort', 'invalid_choice');
    assertInvalidParam(bad, 'gesprek', 'invalid');
    // Free text of every channel API is read one way: too long, or not a string, is named.
    const long = await srv.req('POST', `${K}/berichten`, { base: true, body: { kanaal: 'sms', tekst: 'x',
      onderwerp: 'o'.repeat(201), afzender: { naam: 12 } } });
    assertInvalidParam(long, 'onderwerp', 'max_length', 'Zorg ervoor dat dit veld niet meer dan 200 karakters bevat.');
    assertInvalidParam(long, 'afzender.naam', 'invalid');
    const missing = await srv.req('POST', `${K}/berichten`, { base: true, body: { kanaal: 'sms', tekst: 'x',
      gesprek: '00000000-0000-4000-8000-000000000000' } });
    assertInvalidParam(missing, 'gesprek', 'does_not_exist');
    assertProblem(await srv.req('POST', `${K}/berichten`, { base: true, token: null, body: { kanaal: 'sms', tekst: 'x' } }), 401);
  });
});
