// The werkvoorraad (/kanalen/api/v1/werkvoorraad): every inbound item that needs an answer as
// one list — e-mail, WhatsApp, generic webhook, post, a chat waiting, a contactverzoek — with
// filters, deadline order and paging; claims that exactly one of two racing employees wins,
// released by the holder or a team lead and after idle time; routing rules and the least-busy
// assignment; answering through the item's own channel (SMTP sink, a Cloud API double held
// to Meta's request shape) with WhatsApp's 24-hour rule; notes; closing with the result in the
// register; `werkvoorraad` events on the agents' streams.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody, BIN } from '../lib/harness.mjs';
import { smtpSink, waitFor } from '../lib/smtp-sink.mjs';
import { whatsappCloud } from '../lib/whatsapp-cloud.mjs';
import { openEvents } from '../lib/sse.mjs';

const K = '/kanalen/api/v1';
const SECRET = 'app-geheim-wv';

let srv, sink, wa, anna, bram, lead;

function ingest(message) {
  const env = { ...process.env };
  delete env.OMNIKANAAL_DB;
  const r = spawnSync(BIN, ['mail-ingest', '--db', srv.dbPath, '--mail-from', 'info@gemeente.test'],
    { input: message, env, timeout: 30000 });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString().trim();
}

function mail({ id, subject, text = 'Hoe verleng ik mijn vergunning?', from = 'Anna Bakker <anna@example.org>' }) {
  return Buffer.from(`From: ${from}\r\nTo: info@gemeente.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n`
    + `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`);
}

function waMessage({ from, id, text, at = Date.now() }) {
  const payload = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
    contacts: [{ profile: { name: 'Kees Visser' }, wa_id: from }],
    messages: [{ from, id, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: text } }] } }] }] };
  const raw = JSON.stringify(payload);
  wa.inbound(from, at);
  return srv.req('POST', `${K}/whatsapp/webhook`, { base: true, token: null, raw: true, body: raw, headers: {
    'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` } });
}

const k = (path, opts = {}) => srv.req(opts.method || 'GET', `${K}${path}`, { base: true, ...opts });
const as = (token) => (method, path, body) => k(path, { method, token, body });

async function itemOf(soort, bron) {
  const list = expectStatus(await k(`/werkvoorraad?soort=${soort}&status=alle&pageSize=200`), 200);
  const it = list.results.find((x) => x.bron.uuid === bron);
  assert.ok(it, `no werkvoorraad item for ${soort} ${bron}: ${JSON.stringify(list.results.map((x) => x.bron.uuid))}`);
  return it;
}

before(async () => {
  sink = await smtpSink();
  wa = await whatsappCloud();
  srv = await startServer({ args: ['--smtp', sink.url, '--mail-from', 'info@gemeente.test',
    '--whatsapp-app-secret', SECRET, '--whatsapp-api', wa.url, '--whatsapp-token', 'meta-token'] });
  anna = as(srv.createToken('anna', 'kcm'));
  bram = as(srv.createToken('bram', 'kcm'));
  lead = as(srv.createToken('teamleider', 'manager'));
});
after(async () => {
  await srv?.stop();
  sink?.server.close();
  wa?.server.close();
});

describe('one list of every channel', () => {
  let ids;
  it('e-mail, WhatsApp, a webhook message, post, a waiting chat and a contactverzoek each become an item', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partij.uuid }, adres: 'anna@example.org',
      soortDigitaalAdres: 'email', omschrijving: 'mail' });
    const kc = ingest(mail({ id: 'lijst-1@example.org', subject: 'Vergunning verlengen' }));
    const mailGesprek = expectStatus(await srv.req('GET', `/klantcontacten/${kc}`), 200).metadata.gesprek;
    const w = expectStatus(await waMessage({ from: '31611110001', id: 'wamid.lijst1', text: 'Wanneer is de markt?' }), 200);
    const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: 'Bankje kapot',
      onderwerp: 'Melding', afzender: { adres: '@buur', soort: 'overig', naam: 'Buur' } } }), 201);
    const p = expectStatus(await k('/post', { method: 'POST', body: { onderwerp: 'Bezwaar WOZ', inhoud: 'Ik maak bezwaar.',
      afzender: { naam: 'J. de Boer' } } }), 201);
    const chat = expectStatus(await k('/chat/sessies', { method: 'POST', token: null, body: { naam: 'Eva', onderwerp: 'Paspoort' } }), 201);
    const cv = expectStatus(await k('/contactverzoeken', { method: 'POST', body: { kanaal: 'telefoon', onderwerp: 'Terugbellen over afval',
      contactgegevens: { naam: 'Piet', telefoonnummer: '0612345678' }, toegewezenAan: { soort: 'afdeling', naam: 'Afval' } } }), 201);
    ids = { mail: mailGesprek, wa: w.ontvangen[0].gesprek, social: s.gesprek, post: p.klantcontact.uuid, chat: chat.sessie, cv: cv.uuid };

    const m = await itemOf('gesprek', ids.mail);
    assert.equal(m.kanaal, 'e-mail');
    assert.equal(m.partij.uuid, partij.uuid, 'matched resident');
    assert.equal(m.status, 'nieuw');
    assert.equal(m.geclaimd, null);
    assert.equal(m.laatsteBericht.tekst, 'Hoe verleng ik mijn vergunning?');
    assert.equal(m.laatsteBericht.richting, 'in');
    assert.equal(m.servicenorm.werkdagen, 2, 'the e-mail norm');
    assert.match(m.deadline, /^\d{4}-\d\d-\d\d$/);
    const wi = await itemOf('gesprek', ids.wa);
    assert.equal(wi.kanaal, 'whatsapp');
    assert.equal(wi.partij, null, 'an unknown number stays onbekend');
    assert.equal(wi.whatsappVenster.open, true);
    assert.equal((await itemOf('gesprek', ids.social)).kanaal, 'social media');
    const pi = await itemOf('post', ids.post);
    assert.equal(pi.kanaal, 'post');
    assert.equal(pi.laatsteBericht.tekst, 'Ik maak bezwaar.');
    assert.equal(pi.servicenorm.werkdagen, 5);
    const ci = await itemOf('gesprek', ids.chat);
    assert.equal(ci.kanaal, 'chat');
    const kv = await itemOf('contactverzoek', ids.cv);
    assert.equal(kv.team, 'Afval', 'a contactverzoek keeps its afdeling as team');
    assert.equal(kv.deadline, cv.deadline);
  });

  it('filters by kanaal, team, soort and status, sorts by deadline and pages', async () => {
    const all = expectStatus(await k('/werkvoorraad?pageSize=200'), 200);
    // Compared as times: a moment on a whole second is written without a fraction ("…05Z"),
    // which sorts after "…05.8Z" as text.
    const keys = all.results.map((x) => [x.deadline, Date.parse(x.wachtSinds)]);
    const sorted = [...keys].sort(([d1, w1], [d2, w2]) => (d1 < d2 ? -1 : d1 > d2 ? 1 : w1 - w2));
    assert.deepEqual(keys, sorted, 'earliest deadline first, then the longest waiting');
    assert.ok(all.results.every((x) => x.status !== 'afgehandeld'), 'the default is the open items');
    const wa1 = expectStatus(await k('/werkvoorraad?kanaal=whatsapp'), 200);
    assert.ok(wa1.count >= 1 && wa1.results.every((x) => x.kanaal === 'whatsapp'));
    const afval = expectStatus(await k('/werkvoorraad?team=Afval'), 200);
    assert.deepEqual(afval.results.map((x) => x.bron.uuid), [ids.cv]);
    const post = expectStatus(await k('/werkvoorraad?soort=post&status=nieuw'), 200);
    assert.ok(post.results.some((x) => x.bron.uuid === ids.post));
    const p1 = expectStatus(await k('/werkvoorraad?pageSize=2'), 200);
    assert.equal(p1.results.length, 2);
    assert.equal(p1.count, all.count);
    assert.ok(p1.next);
    const p2 = expectStatus(await k('/werkvoorraad?pageSize=2&page=2'), 200);
    assert.deepEqual(p2.results.map((x) => x.uuid), all.results.slice(2, 4).map((x) => x.uuid));
    assertInvalidParam(await k('/werkvoorraad?status=zoek'), 'status', 'invalid_choice');
    assertInvalidParam(await k('/werkvoorraad?mijn=ja'), 'mijn', 'invalid');
    assertProblem(await k('/werkvoorraad?onbekend=1'), 400);
  });

  it('a role without the desk cannot read it; a team lead can', async () => {
    assertProblem(await as(srv.createToken('redactie', 'redacteur'))('GET', '/werkvoorraad'), 403);
    expectStatus(await lead('GET', '/werkvoorraad'), 200);
  });
});

describe('claiming without double work', () => {
  it('two employees race for one item: exactly one wins, the other hears who has it', async () => {
    const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: 'Race', onderwerp: 'Wie eerst' } }), 201);
    const item = await itemOf('gesprek', s.gesprek);
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([anna('POST', `/werkvoorraad/${item.uuid}/claimen`), bram('POST', `/werkvoorraad/${item.uuid}/claimen`)]);
      const statuses = [a.status, b.status].sort();
      assert.deepEqual(statuses, [200, 409], `round ${round}: ${a.status} ${b.status}`);
      const winner = a.status === 200 ? 'anna' : 'bram';
      const loser = a.status === 200 ? b : a;
      assertProblem(loser, 409, 'geclaimd');
      assert.match(loser.json.detail, new RegExp(`^Dit item is al geclaimd door ${winner} \\(sinds \\d\\d:\\d\\d\\)\\. `));
      const now = expectStatus(await k(`/werkvoorraad/${item.uuid}`), 200);
      assert.equal(now.geclaimd.door, winner);
      assert.equal(now.status, 'in_behandeling');
      // The holder releases it for the next round.
      expectStatus(await (winner === 'anna' ? anna : bram)('POST', `/werkvoorraad/${item.uuid}/vrijgeven`), 200);
      assert.equal(expectStatus(await k(`/werkvoorraad/${item.uuid}`), 200).geclaimd, null);
    }
  });

  it('only the holder or a team lead releases; mine lists what I hold; hand-over moves the claim', async () => {
    const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: 'Vrijgeven', onderwerp: 'Claim' } }), 201);
    const item = await itemOf('gesprek', s.gesprek);
    expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    const mine = expectStatus(await anna('GET', '/werkvoorraad?mijn=true'), 200);
    assert.ok(mine.results.some((x) => x.uuid === item.uuid));
    assert.ok(mine.results.every((x) => x.geclaimd.door === 'anna'));
    assert.ok(!expectStatus(await bram('GET', '/werkvoorraad?mijn=true'), 200).results.some((x) => x.uuid === item.uuid));
    const refused = assertProblem(await bram('POST', `/werkvoorraad/${item.uuid}/vrijgeven`), 403, 'geen_teamleider');
    assert.match(refused.detail, /geclaimd door anna .*Alleen die medewerker of een teamleider/);
    assert.equal(expectStatus(await k(`/werkvoorraad/${item.uuid}`), 200).geclaimd.door, 'anna', 'a refusal changes nothing');
    const released = expectStatus(await lead('POST', `/werkvoorraad/${item.uuid}/vrijgeven`), 200);
    assert.equal(released.geclaimd, null);
    assert.equal(released.status, 'nieuw');
    // Hand-over: anna claims and gives it to bram, who then holds it.
    expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    assertProblem(await bram('POST', `/werkvoorraad/${item.uuid}/overdragen`, { medewerker: 'bram' }), 409, 'geclaimd');
    const over = expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/overdragen`, { medewerker: 'bram' }), 200);
    assert.equal(over.geclaimd.door, 'bram');
    assertInvalidParam(await bram('POST', `/werkvoorraad/${item.uuid}/overdragen`, {}), 'medewerker', 'required');
    const team = expectStatus(await bram('POST', `/werkvoorraad/${item.uuid}/overdragen`, { team: 'Wijkbeheer' }), 200);
    assert.equal(team.team, 'Wijkbeheer');
    assert.equal(team.geclaimd, null);
  });

  it('a team lead closes an item another employee holds; a colleague cannot; unclaimed ones are listed apart', async () => {
    const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: 'Teamleider', onderwerp: 'Teamleider sluit' } }), 201);
    const item = await itemOf('gesprek', s.gesprek);
    assert.ok(expectStatus(await k('/werkvoorraad?geclaimd=false&pageSize=200'), 200).results.some((x) => x.uuid === item.uuid));
    expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    assert.ok(!expectStatus(await k('/werkvoorraad?geclaimd=false&pageSize=200'), 200).results.some((x) => x.uuid === item.uuid));
    assertProblem(await bram('POST', `/werkvoorraad/${item.uuid}/afsluiten`, { resultaat: 'Niet van mij' }), 409, 'geclaimd');
    const closed = expectStatus(await lead('POST', `/werkvoorraad/${item.uuid}/afsluiten`, { resultaat: 'Dubbele melding' }), 200);
    assert.equal(closed.status, 'afgehandeld');
    assert.equal(closed.afgehandeldDoor, 'teamleider');
    assertProblem(await lead('POST', `/werkvoorraad/${item.uuid}/claimen`), 403, undefined);
  });

  it('answering or closing needs the claim', async () => {
    const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: 'Zonder claim', onderwerp: 'Claim nodig' } }), 201);
    const item = await itemOf('gesprek', s.gesprek);
    const p = assertProblem(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { tekst: 'Hallo' }), 409, 'niet_geclaimd');
    assert.match(p.detail, /Claim dit item eerst/);
    assertProblem(await anna('POST', `/werkvoorraad/${item.uuid}/afsluiten`, { resultaat: 'Klaar' }), 409, 'niet_geclaimd');
    expectStatus(await bram('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    assertProblem(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { tekst: 'Hallo' }), 409, 'geclaimd');
  });
});

describe('routing rules and automatic assignment', () => {
  it('the first matching rule by volgorde routes by kanaal, onderwerp, product and language', async () => {
    const r1 = expectStatus(await lead('POST', '/routeringsregels', { naam: 'Engelstalig', volgorde: 5, taal: 'eng', team: 'International' }), 201);
    assert.equal(r1.automatisch, false);
    expectStatus(await lead('POST', '/routeringsregels', { naam: 'Afval per WhatsApp', volgorde: 20, kanaal: 'whatsapp',
      onderwerpBevat: 'container', team: 'Afval', vaardigheid: 'afval' }), 201);
    const def = expectStatus(await lead('POST', '/routeringsregels', { naam: 'Paspoort', product: 'paspoort', team: 'Burgerzaken' }), 201);
    assert.equal(def.volgorde, 100, 'the default order');
    const ev = (body) => lead('POST', '/routeringsregels/_evalueer', body);
    let r = expectStatus(await ev({ kanaal: 'e-mail', onderwerp: 'Question', taal: 'eng' }), 200);
    assert.equal(r.team, 'International');
    assert.equal(r.regel.naam, 'Engelstalig');
    r = expectStatus(await ev({ kanaal: 'whatsapp', onderwerp: 'Mijn CONTAINER is vol' }), 200);
    assert.deepEqual([r.team, r.vaardigheid], ['Afval', 'afval']);
    r = expectStatus(await ev({ kanaal: 'e-mail', onderwerp: 'Mijn container is vol' }), 200);
    assert.equal(r.regel, null, 'another channel: that rule does not apply');
    assert.equal(r.team, '');
    r = expectStatus(await ev({ kanaal: 'telefoon', onderwerp: 'x', product: 'paspoort', taal: 'eng' }), 200);
    assert.equal(r.team, 'International', 'the lower volgorde wins');
    assertInvalidParam(await ev({ onderwerp: 'x' }), 'kanaal', 'required');
    assertInvalidParam(await lead('POST', '/routeringsregels', { naam: 'Zonder team' }), 'team', 'required');
    assertProblem(await anna('POST', '/routeringsregels', { naam: 'x', team: 'y' }), 403);
  });

  it('assigns automatically to the least busy available employee of the team with the skill', async () => {
    for (const m of [{ naam: 'tom', teams: ['Parkeren'], vaardigheden: ['parkeren'] },
      { naam: 'sara', teams: ['Parkeren'], vaardigheden: ['parkeren'] },
      { naam: 'rik', teams: ['Parkeren'], vaardigheden: ['parkeren'], beschikbaar: false },
      { naam: 'ugo', teams: ['Parkeren'], vaardigheden: ['paspoort'] }]) {
      const mw = expectStatus(await lead('POST', '/medewerkers', m), 201);
      assert.equal(mw.maxItems, 10);
    }
    assertInvalidParam(await lead('POST', '/medewerkers', { naam: 'tom' }), 'naam', 'unique');
    expectStatus(await lead('POST', '/routeringsregels', { naam: 'Parkeren', volgorde: 1, onderwerpBevat: 'parkeer',
      team: 'Parkeren', vaardigheid: 'parkeren', automatisch: true }), 201);
    const got = [];
    for (let i = 0; i < 4; i++) {
      const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: `Parkeren ${i}`,
        onderwerp: `Parkeervergunning ${i}` } }), 201);
      const it = await itemOf('gesprek', s.gesprek);
      assert.equal(it.team, 'Parkeren');
      assert.equal(it.geclaimd.automatisch, true);
      got.push(it.geclaimd.door);
    }
    // Ties go by name: sara, then tom (sara has one), then sara, then tom. Never the
    // unavailable rik nor ugo without the skill.
    assert.deepEqual(got, ['sara', 'tom', 'sara', 'tom']);
    // Unavailable and over the maximum are skipped.
    const tom = expectStatus(await lead('GET', '/medewerkers?naam=tom'), 200).results[0];
    expectStatus(await lead('PATCH', `/medewerkers/${tom.uuid}`, { beschikbaar: false }), 200);
    const r = expectStatus(await lead('POST', '/routeringsregels/_evalueer', { kanaal: 'e-mail', onderwerp: 'parkeerplaats' }), 200);
    assert.equal(r.medewerker, 'sara');
    const sara = expectStatus(await lead('GET', '/medewerkers?naam=sara'), 200).results[0];
    expectStatus(await lead('PATCH', `/medewerkers/${sara.uuid}`, { maxItems: 2 }), 200);
    const none = expectStatus(await lead('POST', '/routeringsregels/_evalueer', { kanaal: 'e-mail', onderwerp: 'parkeerplaats' }), 200);
    assert.equal(none.medewerker, null, 'nobody available below their maximum');
    assert.equal(none.team, 'Parkeren');
  });
});

describe('answering through the item\'s own channel', () => {
  it('an e-mail answer goes out over SMTP in the thread and the item is beantwoord', async () => {
    const kc = ingest(mail({ id: 'antwoord-1@example.org', subject: 'Afvalpas kwijt', text: 'Mijn afvalpas is kwijt.' }));
    const gesprek = expectStatus(await srv.req('GET', `/klantcontacten/${kc}`), 200).metadata.gesprek;
    const item = await itemOf('gesprek', gesprek);
    expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    const sent = expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { tekst: 'U krijgt een nieuwe pas.' }), 201);
    assert.equal(sent.status, 'verzonden');
    assert.ok(await waitFor(() => sink.messages.some((m) => m.data.includes('U krijgt een nieuwe pas.'))));
    const m = sink.messages.find((x) => x.data.includes('U krijgt een nieuwe pas.'));
    assert.deepEqual(m.to, ['anna@example.org']);
    assert.match(m.data, /In-Reply-To: <antwoord-1@example\.org>/);
    assert.match(m.data, /Subject: Re: Afvalpas kwijt/);
    const after = expectStatus(await k(`/werkvoorraad/${item.uuid}`), 200);
    assert.equal(after.status, 'beantwoord');
    assert.equal(after.laatsteBericht.richting, 'uit');
    assert.deepEqual(after.draad.map((b) => b.richting), ['in', 'uit']);
    // The answer is the klantcontact's reactie in the register.
    assert.equal(expectStatus(await srv.req('GET', `/klantcontacten/${kc}`), 200).reactie, 'U krijgt een nieuwe pas.');
    // The resident writes again: waiting again, with the claim kept.
    ingest(mail({ id: 'antwoord-2@example.org', subject: 'Re: Afvalpas kwijt', text: 'Dank, wanneer komt hij?' }).toString()
      .replace('Message-ID: <antwoord-2@example.org>', 'Message-ID: <antwoord-2@example.org>\r\nIn-Reply-To: <antwoord-1@example.org>'));
    const again = expectStatus(await k(`/werkvoorraad/${item.uuid}`), 200);
    assert.equal(again.status, 'in_behandeling');
    assert.equal(again.geclaimd.door, 'anna');
  });

  it('WhatsApp: free text within 24 hours reaches the Cloud API', async () => {
    const w = expectStatus(await waMessage({ from: '31611110002', id: 'wamid.venster1', text: 'Is het stadhuis open?' }), 200);
    const item = await itemOf('gesprek', w.ontvangen[0].gesprek);
    expectStatus(await bram('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    const sent = expectStatus(await bram('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { tekst: 'Ja, tot 17.00 uur.' }), 201);
    assert.equal(sent.status, 'verzonden');
    const got = wa.messages.at(-1);
    assert.deepEqual(got.body, { messaging_product: 'whatsapp', to: '+31611110002', type: 'text', text: { body: 'Ja, tot 17.00 uur.' } });
    assert.equal(wa.rejected.length, 0, JSON.stringify(wa.rejected));
  });

  it('WhatsApp: outside the 24-hour window free text is refused in Dutch and only an approved template goes out', async () => {
    const twoDaysAgo = Date.now() - 49 * 3600 * 1000;
    const w = expectStatus(await waMessage({ from: '31611110003', id: 'wamid.venster2', text: 'Heeft u mijn aanvraag?', at: twoDaysAgo }), 200);
    const item = await itemOf('gesprek', w.ontvangen[0].gesprek);
    assert.equal(item.whatsappVenster.open, false);
    expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    const before = wa.messages.length;
    const p = assertProblem(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { tekst: 'Ja, die hebben we.' }), 409, 'whatsapp_venster_gesloten');
    assert.match(p.detail, /^Het 24-uursvenster van WhatsApp is gesloten: het laatste bericht van de inwoner is van \d{4}-\d\d-\d\d \d\d:\d\d\. Buiten dat venster mag alleen een goedgekeurd sjabloonbericht worden verstuurd/);
    // The same rule on the conversation's own route.
    assertProblem(await k(`/gesprekken/${w.ontvangen[0].gesprek}/berichten`, { method: 'POST', body: { tekst: 'x' } }), 409, 'whatsapp_venster_gesloten');
    assert.equal(wa.messages.length, before, 'nothing reached the Cloud API');
    assert.equal(wa.rejected.length, 0, 'refused by us, not by Meta');
    // Templates: not approved, unknown, wrong parameters → 400; approved → sent as a template.
    expectStatus(await k('/whatsappsjablonen', { method: 'POST', body: { naam: 'concept_sjabloon', tekst: 'Beste {{1}}' } }), 201);
    const sj = expectStatus(await k('/whatsappsjablonen', { method: 'POST', body: { naam: 'vraag_opvolging', goedgekeurd: true,
      tekst: 'Beste {{1}}, er is een antwoord op uw vraag over {{2}}. Reageer om het te lezen.' } }), 201);
    assert.deepEqual([sj.taal, sj.categorie], ['nl', 'utility']);
    assertProblem(await anna('POST', '/whatsappsjablonen', { naam: 'x', tekst: 'y' }), 403);
    assertInvalidParam(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { sjabloon: { naam: 'concept_sjabloon', parameters: ['Kees'] } }),
      'sjabloon.naam', 'niet_goedgekeurd');
    assertInvalidParam(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { sjabloon: { naam: 'bestaat_niet' } }), 'sjabloon.naam');
    assertInvalidParam(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { sjabloon: { naam: 'vraag_opvolging', parameters: ['Kees'] } }),
      'sjabloon.parameters', 'invalid', 'Dit sjabloon verwacht 2 parameter(s).');
    assert.equal(wa.messages.length, before);
    const sent = expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`,
      { sjabloon: { naam: 'vraag_opvolging', parameters: ['Kees', 'uw aanvraag'] } }), 201);
    assert.equal(sent.tekst, 'Beste Kees, er is een antwoord op uw vraag over uw aanvraag. Reageer om het te lezen.');
    const got = wa.messages.at(-1);
    assert.deepEqual(got.body, { messaging_product: 'whatsapp', to: '+31611110003', type: 'template', template: {
      name: 'vraag_opvolging', language: { code: 'nl' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Kees' }, { type: 'text', text: 'uw aanvraag' }] }] } });
    assert.equal(wa.rejected.length, 0, JSON.stringify(wa.rejected));
    // A template is for WhatsApp only.
    const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: 't', onderwerp: 'Sjabloon elders' } }), 201);
    assertInvalidParam(await k(`/gesprekken/${s.gesprek}/berichten`, { method: 'POST', body: { sjabloon: { naam: 'vraag_opvolging' } } }), 'sjabloon');
  });

  it('a letter or a contactverzoek is not answered through a channel: the reason says how', async () => {
    const p = expectStatus(await k('/post', { method: 'POST', body: { onderwerp: 'Brief', inhoud: 'Per post' } }), 201);
    const item = await itemOf('post', p.klantcontact.uuid);
    expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    const r = assertProblem(await anna('POST', `/werkvoorraad/${item.uuid}/antwoorden`, { tekst: 'x' }), 409, 'geen_kanaal');
    assert.match(r.detail, /Een brief beantwoordt u per post/);
  });
});

describe('notes, closing and events', () => {
  it('an internal note stays internal; closing registers the result and leaves the open list', async () => {
    const events = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=anna`, { token: srv.token });
    assert.equal(events.status, 200);
    const kc = ingest(mail({ id: 'sluiten-1@example.org', subject: 'Hondenbelasting' }));
    const gesprek = expectStatus(await srv.req('GET', `/klantcontacten/${kc}`), 200).metadata.gesprek;
    const item = await itemOf('gesprek', gesprek);
    const nieuw = await events.next((e) => e.event === 'werkvoorraad' && e.data.item === item.uuid && e.data.actie === 'nieuw');
    assert.ok(nieuw, 'the new item was announced');
    assert.equal(nieuw.data.kanaal, 'e-mail');
    assert.equal(nieuw.data.onderwerp, undefined, 'the broadcast carries no resident data');
    expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
    assert.ok(await events.next((e) => e.event === 'werkvoorraad' && e.data.item === item.uuid && e.data.actie === 'geclaimd' && e.data.geclaimdDoor === 'anna'));
    const mails = sink.messages.length;
    const noted = expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/notities`, { tekst: 'Eerst navragen bij Belastingen.' }), 201);
    assert.equal(noted.notities.length, 1);
    assert.equal(noted.notities[0].door, 'anna');
    assert.equal(noted.draad.length, 1, 'a note is no message in the thread');
    assert.equal(sink.messages.length, mails, 'and is never sent');
    assertInvalidParam(await anna('POST', `/werkvoorraad/${item.uuid}/notities`, {}), 'tekst', 'required');
    assertInvalidParam(await anna('POST', `/werkvoorraad/${item.uuid}/afsluiten`, {}), 'resultaat', 'required');
    const closed = expectStatus(await anna('POST', `/werkvoorraad/${item.uuid}/afsluiten`, { resultaat: 'Doorverwezen naar Belastingen' }), 200);
    assert.equal(closed.status, 'afgehandeld');
    assert.equal(closed.resultaat, 'Doorverwezen naar Belastingen');
    assert.equal(closed.afgehandeldDoor, 'anna');
    assert.ok(await events.next((e) => e.event === 'werkvoorraad' && e.data.item === item.uuid && e.data.actie === 'afgehandeld'));
    const reg = expectStatus(await srv.req('GET', `/klantcontacten/${kc}`), 200);
    assert.equal(reg.metadata.resultaat, 'Doorverwezen naar Belastingen');
    assert.equal(expectStatus(await k(`/gesprekken/${gesprek}`), 200).status, 'gesloten');
    assert.ok(!expectStatus(await k('/werkvoorraad?pageSize=200'), 200).results.some((x) => x.uuid === item.uuid));
    assertProblem(await anna('POST', `/werkvoorraad/${item.uuid}/claimen`), 409, 'afgehandeld');
    events.close();
  });

  it('closing a contactverzoek item closes the contactverzoek with a klantcontact of the result', async () => {
    const cv = expectStatus(await k('/contactverzoeken', { method: 'POST', body: { kanaal: 'telefoon', onderwerp: 'Terugbellen WOZ',
      contactgegevens: { naam: 'Piet', telefoonnummer: '0612345679' }, toegewezenAan: { soort: 'medewerker', naam: 'bram' } } }), 201);
    const item = await itemOf('contactverzoek', cv.uuid);
    assert.equal(item.geclaimd.door, 'bram', 'assigned to an employee: theirs');
    const closed = expectStatus(await bram('POST', `/werkvoorraad/${item.uuid}/afsluiten`, { resultaat: 'Teruggebeld, uitgelegd', contactGelukt: true }), 200);
    assert.equal(closed.status, 'afgehandeld');
    const after = expectStatus(await k(`/contactverzoeken/${cv.uuid}`), 200);
    assert.equal(after.status, 'afgehandeld');
    assert.equal(after.afhandeling.resultaat, 'Teruggebeld, uitgelegd');
    assert.ok(after.afhandeling.klantcontact, 'the call back is a klantcontact');
    // And the other way: closing through the contactverzoek's own route updates the item.
    const cv2 = expectStatus(await k('/contactverzoeken', { method: 'POST', body: { kanaal: 'e-mail', onderwerp: 'Mail terug',
      contactgegevens: { email: 'x@example.org' }, toegewezenAan: { soort: 'groep', naam: 'KCC' } } }), 201);
    expectStatus(await k(`/contactverzoeken/${cv2.uuid}/afhandelen`, { method: 'POST', body: { resultaat: 'Gemaild' } }), 200);
    const it2 = await itemOf('contactverzoek', cv2.uuid);
    assert.equal(it2.status, 'afgehandeld');
    assert.equal(it2.resultaat, 'Gemaild');
  });

  it('claiming, reading and answering an item of a known resident are in the Logboek', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partij.uuid }, adres: '0687654321',
      soortDigitaalAdres: 'telefoonnummer', omschrijving: 'mobiel' });
    const s = expectStatus(await k('/berichten', { method: 'POST', body: { kanaal: 'social media', tekst: 'Logboek',
      onderwerp: 'Logboek', afzender: { adres: '0687654321', soort: 'telefoonnummer' } } }), 201);
    const item = await itemOf('gesprek', s.gesprek);
    assert.equal(item.partij.uuid, partij.uuid);
    const beheer = srv.createToken('privacy', 'beheerder');
    const records = async (res) => {
      const tp = res.headers.get('traceparent');
      return expectStatus(await srv.req('GET', `/klantbeeld/api/v1/verwerkingen?traceId=${tp.slice(3, 35)}&pageSize=50`,
        { base: true, token: beheer }), 200).results.map((r) => [r.naam, r.betrokkeneType]);
    };
    const claim = await anna('POST', `/werkvoorraad/${item.uuid}/claimen`);
    expectStatus(claim, 200);
    assert.deepEqual(await records(claim), [['Werkvoorraaditem claimen', 'partij']]);
    const read = await anna('GET', `/werkvoorraad/${item.uuid}`);
    assert.deepEqual(await records(read), [['Werkvoorraaditem raadplegen', 'partij']]);
    const list = await anna('GET', '/werkvoorraad?mijn=true');
    assert.ok((await records(list)).some(([naam]) => naam === 'Werkvoorraaditems opvragen'));
  });
});

describe('idle claims are released', () => {
  it('a claim without activity past --claim-timeout goes back to the team; a chat keeps its agent', async () => {
    const s2 = await startServer({ args: ['--claim-timeout', '1'] });
    try {
      const t = s2.createToken('anna', 'kcm');
      const annaS2 = (method, path) => s2.req(method, `${K}${path}`, { base: true, token: t });
      const m = expectStatus(await s2.req('POST', `${K}/berichten`, { base: true, body: { kanaal: 'social media', tekst: 'Stil', onderwerp: 'Idle' } }), 201);
      const chat = expectStatus(await s2.req('POST', `${K}/chat/sessies`, { base: true, token: null, body: { naam: 'Eva' } }), 201);
      const list = expectStatus(await s2.req('GET', `${K}/werkvoorraad`, { base: true }), 200).results;
      const item = list.find((x) => x.bron.uuid === m.gesprek);
      const chatItem = list.find((x) => x.bron.uuid === chat.sessie);
      expectStatus(await annaS2('POST', `/werkvoorraad/${item.uuid}/claimen`), 200);
      // Claiming a waiting chat takes the chat too (as "Chat aannemen").
      expectStatus(await annaS2('POST', `/werkvoorraad/${chatItem.uuid}/claimen`), 200);
      assert.equal(expectStatus(await s2.req('GET', `${K}/gesprekken/${chat.sessie}`, { base: true }), 200).medewerker, 'anna');
      const released = await waitFor(async () => {
        const r = expectStatus(await s2.req('GET', `${K}/werkvoorraad/${item.uuid}`, { base: true }), 200);
        return r.geclaimd === null && r.status === 'nieuw';
      }, 20000);
      assert.ok(released, 'the ticker released the idle claim');
      const c = expectStatus(await s2.req('GET', `${K}/werkvoorraad/${chatItem.uuid}`, { base: true }), 200);
      assert.equal(c.geclaimd.door, 'anna', 'a chat\'s claim ends with the chat');
      // By hand (beheer): nothing left to release.
      assert.deepEqual(expectStatus(await s2.req('POST', `${K}/werkvoorraad/_verlopen`, { base: true }), 200).vrijgegeven, []);
    } finally {
      await s2.stop();
    }
  });
});
