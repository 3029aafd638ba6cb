// Web chat from widget to agent and back (POST messages, Server-Sent Events both ways), the
// queue and assignment, the transcript stored as a klantcontact with betrokkene, a chat that
// ends in a contactverzoek; and the koppelcode: chat, code, phone call continues with the
// chat's context; expired, reused and guessed codes refused; brute force rate-limited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody, BIN } from '../lib/harness.mjs';
import { openEvents } from '../lib/sse.mjs';

const K = '/kanalen/api/v1';
const VALID_S = 6;

let srv;
const ORIGIN = 'https://www.gemeente.test';
before(async () => { srv = await startServer({ args: ['--koppelcode-geldig', String(VALID_S), '--chat-origin', ORIGIN] }); });
after(async () => { await srv?.stop(); });

const pub = (method, path, body, secret) => srv.req(method, `${K}${path}`, { base: true, token: null, body,
  headers: secret ? { 'X-Chat-Sessie': secret } : {} });
const staff = (method, path, body, token) => srv.req(method, `${K}${path}`, { base: true, body, ...(token ? { token } : {}) });

function newToken(name) {
  const env = { ...process.env };
  delete env.OMNIKANAAL_DB;
  const r = spawnSync(BIN, ['token', 'create', '--name', name, '--db', srv.dbPath], { env });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString().trim();
}

async function startChat(over = {}) {
  const s = expectStatus(await pub('POST', '/chat/sessies', { naam: 'Lotte', onderwerp: 'Afvalpas', ...over }), 201);
  assert.match(s.geheim, /^[0-9a-f]{64}$/);
  return s;
}

describe('chat', () => {
  it('widget to agent and back, recorded in the register, ending in a contactverzoek', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partij.uuid }, adres: 'lotte@example.org',
      soortDigitaalAdres: 'email', omschrijving: 'privé' });
    const agent = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=Ahmed`, { token: srv.token });
    const s = await startChat({ email: 'lotte@example.org' });
    assert.ok(await agent.next((e) => e.event === 'chat-wachtrij' && e.data.gesprek === s.sessie && e.data.actie === 'nieuw'));
    const resident = await openEvents(`${srv.base}${K}/chat/sessies/${s.sessie}/gebeurtenissen?sessie=${s.geheim}`);
    assert.equal(resident.status, 200);
    const hello = await resident.next((e) => e.event === 'verbonden');
    assert.equal(hello.data.status, 'wachtend');
    const m1 = expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Mijn afvalpas is kwijt.' }, s.geheim), 201);
    assert.equal(m1.richting, 'in');
    assert.ok(await agent.next((e) => e.event === 'chatbericht' && e.data.bericht.uuid === m1.uuid));
    const q = expectStatus(await staff('GET', '/chat/wachtrij'), 200);
    assert.ok(q.results.some((g) => g.uuid === s.sessie));
    const taken = expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'Ahmed' }), 200);
    assert.equal(taken.medewerker, 'Ahmed');
    assert.equal(taken.partij, null, 'the typed e-mail address does not identify anyone');
    assert.equal(taken.adres, 'lotte@example.org', 'it is kept for the employee');
    assertProblem(await staff('POST', `/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'Bea' }), 409);
    // 'Ahmed' is no account with a first name: the resident is told "Een medewerker".
    assert.ok(await resident.next((e) => e.event === 'status' && e.data.medewerker === 'Een medewerker'));
    const q2 = expectStatus(await staff('GET', '/chat/wachtrij'), 200);
    assert.ok(!q2.results.some((g) => g.uuid === s.sessie));
    const reply = expectStatus(await staff('POST', `/gesprekken/${s.sessie}/berichten`, { tekst: 'Ik vraag een nieuwe pas voor u aan.' }), 201);
    const got = await resident.next((e) => e.event === 'bericht' && e.data.uuid === reply.uuid);
    assert.equal(got.data.tekst, 'Ik vraag een nieuwe pas voor u aan.');
    assert.equal(got.data.richting, 'uit');
    assert.equal(got.data.afzender, 'Een medewerker', 'signed for the resident, not with the agent\'s name');
    const m2 = expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Dank u!' }, s.geheim), 201);
    assert.ok(await agent.next((e) => e.event === 'chatbericht' && e.data.bericht.uuid === m2.uuid));
    // The employee identified Lotte in the conversation and closes the chat for her.
    const closed = expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/afsluiten`, {
      onderwerp: 'Afvalpas kwijt', partij: { uuid: partij.uuid }, contactverzoek: { toegewezenAan: { soort: 'afdeling', naam: 'Afvalbeheer' },
        toelichting: 'Nieuwe afvalpas opsturen' } }), 200);
    assert.equal(closed.gesprek.status, 'gesloten');
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${closed.klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.kanaal, 'chat');
    assert.equal(kc.onderwerp, 'Afvalpas kwijt');
    assert.equal(kc.inhoud, 'Inwoner: Mijn afvalpas is kwijt.\nAhmed: Ik vraag een nieuwe pas voor u aan.\nInwoner: Dank u!');
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    assert.equal(kc.hadBetrokkenActoren[0].naam, 'Ahmed');
    const kv = expectStatus(await srv.req('GET', `${K}/contactverzoeken/${closed.contactverzoek.uuid}`, { base: true }), 200);
    assert.equal(kv.klantcontact.uuid, kc.uuid);
    assert.equal(kv.kanaal, 'chat');
    assert.equal(kv.partij.uuid, partij.uuid);
    assert.equal(kv.toegewezenAan.naam, 'Afvalbeheer');
    assert.ok(await resident.next((e) => e.event === 'status' && e.data.status === 'beeindigd'));
    await resident.done;
    assert.equal(resident.closed, true, 'the resident stream ends with the chat');
    assertProblem(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'nog iets' }, s.geheim), 409);
    agent.close();
  });

  it("a visitor who types a resident's e-mail address is not linked to that resident", async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partij.uuid }, adres: 'sanne@example.org',
      soortDigitaalAdres: 'email' });
    const s = await startChat({ naam: 'Sanne', email: 'Sanne@Example.org' });
    expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Wat staat er over mij geregistreerd?' },
      s.geheim), 201);
    const g = expectStatus(await srv.req('GET', `${K}/gesprekken/${s.sessie}`, { base: true }), 200);
    assert.equal(g.partij, null, 'neither the start nor a message links the conversation');
    expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'Ahmed' }), 200);
    // Closed without choosing anyone: the transcript is anonymous, not the address owner's.
    const closed = expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/afsluiten`, {}), 200);
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${closed.klantcontact.uuid}?expand=hadBetrokkenen`), 200);
    assert.deepEqual((kc._expand?.hadBetrokkenen || []).map((b) => b.wasPartij), [null],
      'the betrokkene is the visitor by the name they gave, no partij');
    const mine = expectStatus(await srv.req('GET', `${K}/gesprekken?partij__uuid=${partij.uuid}`, { base: true }), 200);
    assert.equal(mine.count, 0, "nothing in the resident's conversations");
  });

  it('a waiting resident learns their place in the queue, first come first served', async () => {
    // Chats waiting from earlier tests count too: places are relative.
    const eerste = await startChat({ naam: 'Eerste' });
    const tweede = await startChat({ naam: 'Tweede' });
    const plek = async (s) => expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200).positie;
    const p1 = await plek(eerste);
    assert.ok(p1 >= 1);
    assert.equal(await plek(tweede), p1 + 1);
    // The first one writes again: it keeps its place (the queue is by start, not by latest message).
    expectStatus(await pub('POST', `/chat/sessies/${eerste.sessie}/berichten`, { tekst: 'Hallo?' }, eerste.geheim), 201);
    assert.equal(await plek(tweede), p1 + 1);
    const q = expectStatus(await staff('GET', '/chat/wachtrij'), 200).results.map((g) => g.uuid);
    assert.ok(q.indexOf(eerste.sessie) < q.indexOf(tweede.sessie), 'the queue serves the longest waiting first');
    expectStatus(await staff('POST', `/chat/sessies/${eerste.sessie}/toewijzen`, { medewerker: 'Ahmed' }), 200);
    assert.equal(await plek(tweede), p1, 'one place up once the first is taken');
    assert.equal(await plek(eerste), null, 'a chat being answered has no place');
  });

  it('refuses a wrong secret, bad input and a bad contactverzoek without closing the chat', async () => {
    const s = await startChat();
    assertProblem(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'x' }, 'f'.repeat(64)), 404);
    assertProblem(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'x' }), 404);
    const ev = await openEvents(`${srv.base}${K}/chat/sessies/${s.sessie}/gebeurtenissen?sessie=fout`);
    assert.equal(ev.status, 404);
    assertInvalidParam(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, {}, s.geheim), 'tekst', 'required');
    assertInvalidParam(await pub('POST', '/chat/sessies', { email: 'geen-mail' }), 'email', 'invalid');
    const bad = await staff('POST', `/chat/sessies/${s.sessie}/afsluiten`, { contactverzoek: { toegewezenAan: { soort: 'x' } } });
    assertInvalidParam(bad, 'contactverzoek.toegewezenAan.soort', 'invalid_choice');
    const still = expectStatus(await staff('GET', `/gesprekken/${s.sessie}`), 200);
    assert.equal(still.status, 'open');
    // The resident may leave: the transcript is stored all the same.
    expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Laat maar.' }, s.geheim), 201);
    const left = expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/beeindigen`, undefined, s.geheim), 200);
    assert.equal(left.gesprek.status, 'gesloten');
  });
});

describe('chat widget', () => {
  it('serves the embeddable script and lets the website origin call the chat (CORS)', async () => {
    const js = await srv.req('GET', '/kanalen/widget/omnikanaal-chat.js', { base: true, token: null });
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    assert.match(js.text, /EventSource/);
    assert.match(js.text, /aria-live/);
    const pre = await srv.req('OPTIONS', `${K}/chat/sessies`, { base: true, token: null,
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(pre.headers.get('access-control-allow-headers'), /X-Chat-Sessie/);
    // A browser on the website sends its Origin: the answer lets that origin read it.
    const s = await srv.req('POST', `${K}/chat/sessies`, { base: true, token: null, body: {},
      headers: { Origin: ORIGIN } });
    assert.equal(s.status, 201);
    assert.equal(s.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(s.headers.get('vary') || '', /Origin/);
  });
});

describe('koppelcode', () => {
  it('chat, code issued, the phone contact continues with the chat context', async () => {
    const s = await startChat({ onderwerp: 'Bijstand aanvragen' });
    expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Ik wil bijstand aanvragen maar heb vragen.' }, s.geheim), 201);
    const code = expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/koppelcode`, undefined, s.geheim), 201);
    assert.match(code.code, /^\d{6}$/);
    assert.equal(code.gesprek.uuid, s.sessie);
    expectStatus(await staff('POST', '/cti/events', { gebeurtenis: 'aangeboden', gespreksId: 'kc-call-1', telefoonnummer: '0687654321' }), 201);
    expectStatus(await staff('POST', '/cti/events', { gebeurtenis: 'aangenomen', gespreksId: 'kc-call-1', medewerker: 'Ahmed' }), 200);
    const spoken = `${code.code.slice(0, 3)} ${code.code.slice(3)}`;
    const used = expectStatus(await staff('POST', '/koppelcodes/_gebruik', { code: spoken, oproep: 'kc-call-1' }), 200);
    assert.equal(used.gesprek.uuid, s.sessie);
    assert.equal(used.gesprek.berichten[0].tekst, 'Ik wil bijstand aanvragen maar heb vragen.');
    const ended = expectStatus(await staff('POST', '/cti/events', { gebeurtenis: 'beeindigd', gespreksId: 'kc-call-1' }), 200);
    assert.equal(ended.gekoppeldGesprek.uuid, s.sessie);
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${ended.klantcontact.uuid}`), 200);
    assert.equal(kc.onderwerp, 'Vervolg: Bijstand aanvragen');
    assert.equal(kc.metadata.gesprek, s.sessie);
    // Single use.
    assertProblem(await staff('POST', '/koppelcodes/_gebruik', { code: code.code }), 404);
  });

  it('a code asked on the website carries the page the resident was on', async () => {
    const code = expectStatus(await staff('POST', '/koppelcodes/website', { onderwerp: 'Hulp bij aanvraag parkeervergunning',
      pagina: 'https://www.gemeente.test/parkeren/vergunning' }), 201);
    const used = expectStatus(await staff('POST', '/koppelcodes/_gebruik', { code: code.code }), 200);
    assert.equal(used.gesprek.kanaal, 'website');
    assert.equal(used.gesprek.onderwerp, 'Hulp bij aanvraag parkeervergunning');
    assert.match(used.gesprek.berichten[0].tekst, /pagina https:\/\/www\.gemeente\.test\/parkeren\/vergunning/);
    assertInvalidParam(await staff('POST', '/koppelcodes/website', { pagina: 12 }), 'pagina', 'invalid');
  });

  it('an expired code is refused', async () => {
    const s = await startChat();
    const code = expectStatus(await staff('POST', '/koppelcodes', { gesprek: { uuid: s.sessie } }), 201);
    assert.ok(Date.parse(code.geldigTot) - Date.now() <= VALID_S * 1000 + 1000);
    await new Promise((r) => setTimeout(r, VALID_S * 1000 + 1200));
    const res = await staff('POST', '/koppelcodes/_gebruik', { code: code.code });
    assertProblem(res, 404);
    assert.equal(res.json.detail, 'Deze koppelcode is onbekend, verlopen of al gebruikt.');
  });

  it('guessed codes are refused and brute force is rate-limited, even for a right code', async () => {
    const token = newToken('raadpoging');
    const s = await startChat();
    const code = expectStatus(await staff('POST', '/koppelcodes', { gesprek: { uuid: s.sessie } }), 201);
    const wrong = code.code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await staff('POST', '/koppelcodes/_gebruik', { code: i === 0 ? 'abcdef' : wrong }, token);
      assertProblem(r, 404);
    }
    const limited = await staff('POST', '/koppelcodes/_gebruik', { code: code.code }, token);
    assertProblem(limited, 429);
    assert.equal(limited.headers.get('retry-after'), '60');
    // Another credential is not blocked by this one, and the code was not used up.
    expectStatus(await staff('POST', '/koppelcodes/_gebruik', { code: code.code }), 200);
    assertInvalidParam(await staff('POST', '/koppelcodes', { gesprek: { uuid: 'x' } }), 'gesprek.uuid', 'invalid');
    assertInvalidParam(await staff('POST', '/koppelcodes', { gesprek: { uuid: '00000000-0000-4000-8000-000000000000' } }), 'gesprek', 'does_not_exist');
  });
});
