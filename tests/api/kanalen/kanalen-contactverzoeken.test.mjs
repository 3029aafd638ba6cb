// Contactverzoeken with a service norm (/kanalen/api/v1/contactverzoeken): a klantcontact and
// an interne taak in the register, a deadline in Dutch working days, assignment, listing,
// handling, and escalation of overdue ones with a notification and an e-mail to the assignee.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, create, expectStatus, assertInvalidParam, assertProblem, persoonBody,
  randomUuid } from '../lib/harness.mjs';
import { smtpSink, waitFor } from '../lib/smtp-sink.mjs';

const KV = '/kanalen/api/v1/contactverzoeken';

function subscriber() {
  const sub = { messages: [] };
  sub.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { sub.messages.push(JSON.parse(body)); res.statusCode = 204; res.end(); });
  });
  return new Promise((resolve) => sub.server.listen(0, '127.0.0.1', () => {
    sub.url = `http://127.0.0.1:${sub.server.address().port}/callback`;
    resolve(sub);
  }));
}

function verzoek(over = {}) {
  return {
    kanaal: 'telefoon',
    onderwerp: 'Vraag over paspoort',
    toelichting: 'Wil teruggebeld worden over de levertijd.',
    contactgegevens: { naam: 'Jan de Vries', telefoonnummer: '0612345678' },
    toegewezenAan: { soort: 'afdeling', naam: 'Burgerzaken' },
    ...over,
  };
}

let srv, sink, sub;
before(async () => {
  sink = await smtpSink();
  sub = await subscriber();
  srv = await startServer({ args: ['--smtp', sink.url, '--mail-from', 'kcc@gemeente.test',
    '--notify', sub.url, '--escalatie-interval', '1'] });
});
after(async () => {
  await srv?.stop();
  sink?.server.close();
  sub?.server.close();
});

const post = (body) => srv.req('POST', KV, { base: true, body });

describe('contactverzoeken: create', () => {
  it('puts a klantcontact, betrokkene and interne taak in the register, assigned to the actor', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    const kv = expectStatus(await post(verzoek({ partij: { uuid: partij.uuid }, product: 'paspoort' })), 201);
    assert.equal(kv.status, 'open');
    assert.equal(kv.teLaat, false);
    assert.equal(kv.gevraagdeHandeling, 'Contact opnemen met de klant');
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${kv.klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.kanaal, 'telefoon');
    assert.equal(kc.onderwerp, 'Vraag over paspoort');
    assert.equal(kc._expand.hadBetrokkenen.length, 1);
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    const taak = expectStatus(await srv.req('GET', `/internetaken/${kv.internetaak.uuid}`), 200);
    assert.equal(taak.status, 'te_verwerken');
    assert.equal(taak.aanleidinggevendKlantcontact.uuid, kc.uuid);
    assert.equal(taak.toegewezenAanActoren.length, 1);
    assert.equal(taak.toegewezenAanActoren[0].uuid, kv.toegewezenAan.actor.uuid);
    const actor = expectStatus(await srv.req('GET', `/actoren/${kv.toegewezenAan.actor.uuid}`), 200);
    assert.equal(actor.naam, 'Burgerzaken');
    assert.equal(actor.soortActor, 'organisatorische_eenheid');
    // The same afdeling again: the same actor.
    const again = expectStatus(await post(verzoek()), 201);
    assert.equal(again.toegewezenAan.actor.uuid, kv.toegewezenAan.actor.uuid);
    const read = expectStatus(await srv.req('GET', `${KV}/${kv.uuid}`, { base: true }), 200);
    assert.deepEqual(read, kv);
  });

  it('deadline: 1 werkdag for telefoon over Christmas and a weekend, 2 for e-mail over Easter', async () => {
    // Wednesday 24 December 2025 → Thursday and Friday are Kerstdagen, then the weekend.
    const tel = expectStatus(await post(verzoek({ ontvangenOp: '2025-12-24T09:00:00Z' })), 201);
    assert.deepEqual(tel.servicenorm, { werkdagen: 1, bron: 'kanaal' });
    assert.equal(tel.deadline, '2025-12-29');
    // Thursday 2 April 2026: Goede Vrijdag counts, Tweede Paasdag (6 April) does not.
    const mail = expectStatus(await post(verzoek({ kanaal: 'e-mail', ontvangenOp: '2026-04-02T08:00:00Z',
      contactgegevens: { email: 'jan@example.org' } })), 201);
    assert.deepEqual(mail.servicenorm, { werkdagen: 2, bron: 'kanaal' });
    assert.equal(mail.deadline, '2026-04-07');
    // Received on Saturday 23:30 UTC is Sunday in Amsterdam: the first working day is Monday.
    const zat = expectStatus(await post(verzoek({ ontvangenOp: '2026-11-28T23:30:00Z' })), 201);
    assert.equal(zat.deadline, '2026-11-30');
  });

  it('a norm per product wins over the kanaal norm; an unknown kanaal gets the default', async () => {
    const norm = expectStatus(await srv.req('POST', '/kanalen/api/v1/servicenormen', { base: true,
      body: { kanaal: 'telefoon', product: 'rijbewijs', werkdagen: 3, omschrijving: 'Rijbewijs: 3 werkdagen' } }), 201);
    assert.equal(norm.werkdagen, 3);
    const kv = expectStatus(await post(verzoek({ product: 'rijbewijs', ontvangenOp: '2025-12-24T09:00:00Z' })), 201);
    assert.deepEqual(kv.servicenorm, { werkdagen: 3, bron: 'kanaal en product' });
    assert.equal(kv.deadline, '2025-12-31');
    const other = expectStatus(await post(verzoek({ kanaal: 'postduif', ontvangenOp: '2025-12-24T09:00:00Z' })), 201);
    assert.deepEqual(other.servicenorm, { werkdagen: 3, bron: 'standaard' });
    const dup = await srv.req('POST', '/kanalen/api/v1/servicenormen', { base: true,
      body: { kanaal: 'telefoon', product: 'rijbewijs', werkdagen: 2 } });
    assertInvalidParam(dup, 'nonFieldErrors', 'unique');
    const list = expectStatus(await srv.req('GET', '/kanalen/api/v1/servicenormen?kanaal=e-mail', { base: true }), 200);
    assert.equal(list.count, 1);
    assert.equal(list.results[0].werkdagen, 2);
  });

  it('refuses bad input with every error at once and writes nothing', async () => {
    const before = expectStatus(await srv.req('GET', `${KV}?pageSize=1`, { base: true }), 200).count;
    const res = await post({ toegewezenAan: { soort: 'iedereen' }, contactgegevens: { email: 'geen-adres' } });
    assertInvalidParam(res, 'kanaal', 'required');
    assertInvalidParam(res, 'onderwerp', 'required');
    assertInvalidParam(res, 'toegewezenAan.soort', 'invalid_choice');
    assertInvalidParam(res, 'toegewezenAan.naam', 'required');
    assertInvalidParam(res, 'contactgegevens.email', 'invalid');
    const missing = await post(verzoek({ partij: { uuid: randomUuid() } }));
    assertInvalidParam(missing, ['partij', 'partij.uuid'], undefined, /bestaat niet/);
    assertProblem(await srv.req('POST', KV, { base: true, body: '{"kanaal":', raw: true,
      headers: { 'Content-Type': 'application/json' } }), 400);
    const after = expectStatus(await srv.req('GET', `${KV}?pageSize=1`, { base: true }), 200).count;
    assert.equal(after, before);
    assertProblem(await srv.req('GET', `${KV}/${randomUuid()}`, { base: true }), 404);
  });
});

describe('contactverzoeken: list, assign, close', () => {
  it('lists per medewerker, afdeling and groep, open or overdue, earliest deadline first', async () => {
    const naam = `Team ${randomUuid().slice(0, 8)}`;
    const late = expectStatus(await post(verzoek({ toegewezenAan: { soort: 'groep', naam }, ontvangenOp: '2025-06-02T09:00:00Z' })), 201);
    const later = expectStatus(await post(verzoek({ toegewezenAan: { soort: 'groep', naam }, ontvangenOp: '2025-07-01T09:00:00Z' })), 201);
    const future = expectStatus(await post(verzoek({ toegewezenAan: { soort: 'groep', naam } })), 201);
    const list = expectStatus(await srv.req('GET', `${KV}?groep=${encodeURIComponent(naam)}`, { base: true }), 200);
    assert.deepEqual(list.results.map((x) => x.uuid), [late.uuid, later.uuid, future.uuid]);
    const overdue = expectStatus(await srv.req('GET', `${KV}?groep=${encodeURIComponent(naam)}&teLaat=true`, { base: true }), 200);
    assert.deepEqual(overdue.results.map((x) => x.uuid), [late.uuid, later.uuid]);
    assert.ok(overdue.results.every((x) => x.teLaat === true));
    const onTime = expectStatus(await srv.req('GET', `${KV}?groep=${encodeURIComponent(naam)}&teLaat=false`, { base: true }), 200);
    assert.deepEqual(onTime.results.map((x) => x.uuid), [future.uuid]);
    const asAfdeling = expectStatus(await srv.req('GET', `${KV}?afdeling=${encodeURIComponent(naam)}`, { base: true }), 200);
    assert.equal(asAfdeling.count, 0);
    const page = expectStatus(await srv.req('GET', `${KV}?groep=${encodeURIComponent(naam)}&pageSize=2`, { base: true }), 200);
    assert.equal(page.count, 3);
    assert.equal(page.results.length, 2);
    assert.match(page.next, /page=2/);
    assertInvalidParam(await srv.req('GET', `${KV}?teLaat=misschien`, { base: true }), 'teLaat', 'invalid');
    assertInvalidParam(await srv.req('GET', `${KV}?onbekend=1`, { base: true }), 'nonFieldErrors', 'unknown-parameters');
  });

  it('reassigns to a medewerker, then closes with what was done; a second close is refused', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    const kv = expectStatus(await post(verzoek({ partij: { uuid: partij.uuid } })), 201);
    const moved = expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/toewijzen`, { base: true,
      body: { toegewezenAan: { soort: 'medewerker', naam: 'Fatima El Amrani', email: 'fatima@gemeente.test' } } }), 200);
    assert.equal(moved.toegewezenAan.soort, 'medewerker');
    assert.notEqual(moved.toegewezenAan.actor.uuid, kv.toegewezenAan.actor.uuid);
    const mine = expectStatus(await srv.req('GET', `${KV}?medewerker=${encodeURIComponent('Fatima El Amrani')}&status=open`, { base: true }), 200);
    assert.ok(mine.results.some((x) => x.uuid === kv.uuid));
    const taak = expectStatus(await srv.req('GET', `/internetaken/${kv.internetaak.uuid}`), 200);
    assert.equal(taak.toegewezenAanActoren[0].uuid, moved.toegewezenAan.actor.uuid);
    assertInvalidParam(await srv.req('POST', `${KV}/${kv.uuid}/afhandelen`, { base: true, body: {} }), 'resultaat', 'required');
    const done = expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/afhandelen`, { base: true,
      body: { resultaat: 'Teruggebeld, levertijd uitgelegd.', contactGelukt: true, kanaal: 'telefoon' } }), 200);
    assert.equal(done.status, 'afgehandeld');
    assert.equal(done.afhandeling.resultaat, 'Teruggebeld, levertijd uitgelegd.');
    assert.equal(done.afhandeling.contactGelukt, true);
    assert.equal(done.afhandeling.door, 'api-tests');
    assert.match(done.afgehandeldOp, /^\d{4}-/);
    const terug = expectStatus(await srv.req('GET', `/klantcontacten/${done.afhandeling.klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.equal(terug.kanaal, 'telefoon');
    assert.equal(terug.inhoud, 'Teruggebeld, levertijd uitgelegd.');
    assert.equal(terug._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    const taakNa = expectStatus(await srv.req('GET', `/internetaken/${kv.internetaak.uuid}`), 200);
    assert.equal(taakNa.status, 'verwerkt');
    assert.ok(taakNa.afgehandeldOp);
    assertProblem(await srv.req('POST', `${KV}/${kv.uuid}/afhandelen`, { base: true,
      body: { resultaat: 'nogmaals' } }), 409);
    const closed = expectStatus(await srv.req('GET', `${KV}?status=afgehandeld&medewerker=${encodeURIComponent('Fatima El Amrani')}`, { base: true }), 200);
    assert.deepEqual(closed.results.map((x) => x.uuid), [kv.uuid]);
  });
});

describe('contactverzoeken: call-back details, attempts, in behandeling, forwarding, history', () => {
  it('keeps the call-back number and availability; availability without a number or address is refused', async () => {
    const kv = expectStatus(await post(verzoek({ contactgegevens: { naam: 'Jan de Vries', telefoonnummer: '0612345678',
      bereikbaarheid: 'Werkdagen na 14.00 uur' } })), 201);
    assert.deepEqual(kv.contactgegevens, { naam: 'Jan de Vries', telefoonnummer: '0612345678', email: '',
      bereikbaarheid: 'Werkdagen na 14.00 uur' });
    assert.equal(kv.inBehandeling, null);
    assert.equal(kv.laatstePogingOp, null);
    assert.deepEqual(kv.pogingen, []);
    const bad = await post(verzoek({ contactgegevens: { naam: 'Jan', bereikbaarheid: 'x'.repeat(201) } }));
    assertInvalidParam(bad, 'contactgegevens.bereikbaarheid', 'max_length');
    assertInvalidParam(await post(verzoek({ contactgegevens: { naam: 'Jan', bereikbaarheid: "'s Ochtends" } })),
      'contactgegevens.bereikbaarheid', 'geen-contactgegevens');
    assertInvalidParam(await post(verzoek({ contactgegevens: { telefoonnummer: '12' } })),
      'contactgegevens.telefoonnummer', 'invalid');
  });

  it('a failed attempt is recorded and keeps the request and its interne taak open', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    const kv = expectStatus(await post(verzoek({ partij: { uuid: partij.uuid } })), 201);
    const na = expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/pogingen`, { base: true,
      body: { kanaal: 'telefoon', toelichting: 'Voicemail ingesproken.' } }), 200);
    assert.equal(na.status, 'open');
    assert.equal(na.afhandeling, null);
    assert.equal(na.pogingen.length, 1);
    assert.equal(na.pogingen[0].kanaal, 'telefoon');
    assert.equal(na.pogingen[0].toelichting, 'Voicemail ingesproken.');
    assert.equal(na.pogingen[0].door, 'api-tests');
    assert.equal(na.laatstePogingOp, na.pogingen[0].tijdstip);
    assert.equal(na.inBehandeling.door, 'api-tests', 'an attempt takes the request in hand');
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${na.pogingen[0].klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.indicatieContactGelukt, false);
    assert.equal(kc.kanaal, 'telefoon');
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    const taak = expectStatus(await srv.req('GET', `/internetaken/${kv.internetaak.uuid}`), 200);
    assert.equal(taak.status, 'te_verwerken');
    const twee = expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/pogingen`, { base: true, body: {} }), 200);
    assert.equal(twee.pogingen.length, 2);
    assert.equal(twee.pogingen[1].kanaal, 'telefoon');
    const gepoogd = expectStatus(await srv.req('GET', `${KV}?gepoogd=true&partij=${partij.uuid}`, { base: true }), 200);
    assert.deepEqual(gepoogd.results.map((x) => x.uuid), [kv.uuid]);
    assertInvalidParam(await srv.req('POST', `${KV}/${kv.uuid}/pogingen`, { base: true, body: { kanaal: 'duif' } }),
      'kanaal', 'invalid_choice');
    assertProblem(await srv.req('POST', `${KV}/${randomUuid()}/pogingen`, { base: true, body: {} }), 404);
    expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/afhandelen`, { base: true,
      body: { resultaat: 'Alsnog bereikt.', contactGelukt: true } }), 200);
    assertProblem(await srv.req('POST', `${KV}/${kv.uuid}/pogingen`, { base: true, body: {} }), 409);
  });

  it('in behandeling, then forwarded to another afdeling: nobody there has it in hand yet', async () => {
    const kv = expectStatus(await post(verzoek()), 201);
    const bezig = expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/oppakken`, { base: true }), 200);
    assert.equal(bezig.inBehandeling.door, 'api-tests');
    assert.match(bezig.inBehandeling.sinds, /^\d{4}-/);
    assert.equal(bezig.status, 'open');
    const inHand = expectStatus(await srv.req('GET', `${KV}?inBehandeling=true&pageSize=500`, { base: true }), 200);
    assert.ok(inHand.results.some((x) => x.uuid === kv.uuid));
    const naam = `Vergunningen ${randomUuid().slice(0, 6)}`;
    const door = expectStatus(await srv.req('POST', `${KV}/${kv.uuid}/toewijzen`, { base: true,
      body: { toegewezenAan: { soort: 'afdeling', naam } } }), 200);
    assert.equal(door.toegewezenAan.naam, naam);
    assert.equal(door.inBehandeling, null);
    const nieuw = expectStatus(await srv.req('GET', `${KV}?afdeling=${encodeURIComponent(naam)}&inBehandeling=false`, { base: true }), 200);
    assert.deepEqual(nieuw.results.map((x) => x.uuid), [kv.uuid]);
  });

  it('the history of closed requests lists the most recently closed first', async () => {
    const naam = `Historie ${randomUuid().slice(0, 6)}`;
    const a = expectStatus(await post(verzoek({ toegewezenAan: { soort: 'groep', naam }, ontvangenOp: '2025-06-02T09:00:00Z' })), 201);
    const b = expectStatus(await post(verzoek({ toegewezenAan: { soort: 'groep', naam } })), 201);
    for (const x of [b, a]) {
      expectStatus(await srv.req('POST', `${KV}/${x.uuid}/afhandelen`, { base: true, body: { resultaat: 'Gedaan.' } }), 200);
      await new Promise((r) => setTimeout(r, 5));
    }
    const closed = expectStatus(await srv.req('GET', `${KV}?groep=${encodeURIComponent(naam)}&status=afgehandeld`, { base: true }), 200);
    assert.deepEqual(closed.results.map((x) => x.uuid), [a.uuid, b.uuid]);
  });
});

describe('contactverzoeken: escalation', () => {
  it('an overdue one escalates once: notification and e-mail to the assignee; on-time ones do not', async () => {
    const kv = expectStatus(await post(verzoek({ onderwerp: 'Bezwaar parkeerboete',
      toegewezenAan: { soort: 'medewerker', naam: 'Pieter Jansen', email: 'pieter@gemeente.test' },
      ontvangenOp: '2025-03-03T09:00:00Z' })), 201);
    const ontime = expectStatus(await post(verzoek({ toegewezenAan: { soort: 'medewerker', naam: 'Pieter Jansen', email: 'pieter@gemeente.test' } })), 201);
    assert.equal(kv.teLaat, true);
    // The background check runs every second here.
    assert.ok(await waitFor(async () => {
      const r = await srv.req('GET', `${KV}/${kv.uuid}`, { base: true });
      return r.json.escalatieMail === 'verzonden';
    }), 'escalated and mailed');
    const esc = expectStatus(await srv.req('GET', `${KV}/${kv.uuid}`, { base: true }), 200);
    assert.match(esc.geescaleerdOp, /^\d{4}-/);
    const mail = sink.messages.find((m) => m.data.includes(kv.uuid));
    assert.ok(mail, 'mail arrived at the SMTP server');
    assert.equal(mail.from, 'kcc@gemeente.test');
    assert.deepEqual(mail.to, ['pieter@gemeente.test']);
    assert.match(mail.data, /^Subject: Contactverzoek over de termijn: Bezwaar parkeerboete\r$/m);
    assert.match(mail.data, /Beste Pieter Jansen/);
    assert.ok(await waitFor(() => sub.messages.some((m) => m.kanaal === 'contactverzoeken' && m.resourceUrl === kv.url)));
    const note = sub.messages.find((m) => m.kanaal === 'contactverzoeken' && m.resourceUrl === kv.url);
    assert.equal(note.actie, 'escalatie');
    assert.equal(note.kenmerken.toegewezenAanNaam, 'Pieter Jansen');
    assert.equal(note.kenmerken.deadline, kv.deadline);
    // Once only: the on-demand check finds nothing new for it.
    const again = expectStatus(await srv.req('POST', `${KV}/_escaleer`, { base: true }), 200);
    assert.ok(!again.geescaleerd.includes(kv.uuid));
    assert.equal(sink.messages.filter((m) => m.data.includes(kv.uuid)).length, 1);
    const notLate = expectStatus(await srv.req('GET', `${KV}/${ontime.uuid}`, { base: true }), 200);
    assert.equal(notLate.geescaleerdOp, null);
    assert.equal(notLate.escalatieMail, '');
  });
});
