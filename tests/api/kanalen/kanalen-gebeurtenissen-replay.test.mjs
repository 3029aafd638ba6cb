// Replay of Server-Sent Events on reconnect: a stream opened with Last-Event-ID (what a
// browser's EventSource sends when it reconnects by itself) first gets every kept event of its
// own topic after that id, in order, then live ones, with no gap and no duplicate; an id the
// server cannot replay from gets `verouderd`; a first connection gets no replay, but its
// `verbonden` carries the id to come back with; topics do not
// leak into each other; the kept events are bounded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, assertProblem } from '../lib/harness.mjs';
import { openEvents } from '../lib/sse.mjs';

const K = '/kanalen/api/v1';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const staff = (method, path, body) => srv.req(method, `${K}${path}`, { base: true, body });
const pub = (method, path, body, secret) => srv.req(method, `${K}${path}`, { base: true, token: null, body,
  headers: secret ? { 'X-Chat-Sessie': secret } : {} });
const lastId = (id) => (id === undefined ? {} : { 'Last-Event-ID': id });
/** An agent's stream (through an API token with scope *), optionally reconnecting after `id`. */
async function agent(naam, id) {
  const es = await openEvents(`${srv.base}${K}/gebeurtenissen?medewerker=${encodeURIComponent(naam)}`,
    { token: srv.token, headers: lastId(id) });
  assert.equal(es.status, 200, es.text);
  return es;
}
/** A resident's chat stream, optionally reconnecting after `id`. */
async function resident(s, id) {
  const es = await openEvents(`${srv.base}${K}/chat/sessies/${s.sessie}/gebeurtenissen?sessie=${s.geheim}`,
    { headers: lastId(id) });
  assert.equal(es.status, 200, es.text);
  return es;
}
/** A call offered to `naam`: a screen pop on their stream. */
const pop = async (naam, gespreksId) => expectStatus(await staff('POST', '/cti/events', { gebeurtenis: 'aangeboden',
  gespreksId, telefoonnummer: '0201234567', medewerker: naam }), 201);
const isPop = (gid) => (e) => e.event === 'screenpop' && e.data.oproep.gespreksId === gid;
const startChat = async (naam) => expectStatus(await pub('POST', '/chat/sessies', { naam, onderwerp: 'Paspoort' }), 201);
const reply = async (s, tekst) => expectStatus(await staff('POST', `/gesprekken/${s.sessie}/berichten`, { tekst }), 201);
/** The events after `verbonden`, as comparable [id, event, data] triples. */
// The werkvoorraad's events (a chat starting or a message arriving changes its item) are
// published when their request is done, so their place among the others is not fixed; these
// tests are about screen pops and chats and leave them out.
const after1 = (es) => es.events.filter((e) => e.event !== 'verbonden' && e.event !== 'werkvoorraad')
  .map((e) => [e.id, e.event, e.raw]);
/** What a stream that never disconnected saw after the event with id `id`. */
const seenAfter = (es, id) => after1(es).filter(([i]) => BigInt(i) > BigInt(id));
const assertIncreasing = (triples) => triples.forEach(([id], i) =>
  assert.ok(i === 0 || BigInt(id) > BigInt(triples[i - 1][0]), `ids increase: ${triples.map((t) => t[0])}`));

describe('gebeurtenissen: replay on reconnect', () => {
  it('an agent reconnecting gets exactly what it missed, in order, then live events; nobody else\'s', async () => {
    const watcher = await agent('Sanne'); // stays connected: what the agent should have seen
    const first = await agent('Sanne');
    const ahmed = await agent('Ahmed');
    await pop('Sanne', 'r1');
    const seen = await first.next(isPop('r1'));
    assert.match(seen.id, /^\d+$/);
    first.close();
    // While Sanne is away: her screen pops, Ahmed's, and a chat waiting in the queue (queue
    // and message events go to every agent; the resident's own stream gets its message too).
    await pop('Sanne', 'r2');
    await pop('Ahmed', 'r3');
    const s = await startChat('Joris');
    const inbound = expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Hallo?' }, s.geheim), 201);
    await pop('Sanne', 'r4');
    assert.ok(await watcher.next(isPop('r4')));

    const fresh = await agent('Sanne'); // a first connection: no replay
    const again = await agent('Sanne', seen.id);
    assert.ok(await again.next(isPop('r4')), 'the missed events are replayed');
    await pop('Sanne', 'r5');
    for (const es of [again, watcher, fresh]) assert.ok(await es.next(isPop('r5')), 'live after replay');

    assert.equal(again.events[0].event, 'verbonden');
    const missed = seenAfter(watcher, seen.id);
    assert.deepEqual(missed.map(([, ev]) => ev), ['screenpop', 'chat-wachtrij', 'chatbericht', 'screenpop', 'screenpop']);
    assert.deepEqual(after1(again), missed, 'the same events, ids and data as the stream that stayed');
    assertIncreasing(after1(again));
    assert.equal(JSON.parse(missed[2][2]).bericht.uuid, inbound.uuid);
    assert.ok(!after1(again).some(([, , raw]) => raw.includes('"r3"')), 'not Ahmed\'s screen pop');
    assert.ok(await ahmed.next(isPop('r3')));
    assert.deepEqual(after1(fresh), after1(watcher).slice(-1), 'a first connection only gets live events');
    for (const es of [watcher, again, fresh, ahmed]) es.close();
  });

  it('a first connection\'s verbonden carries the id to come back with; a reconnect\'s none', async () => {
    // Without it a browser whose stream broke before any other event would reconnect without
    // Last-Event-ID: a first connection again, and what happened meanwhile would be lost.
    const first = await agent('Iris');
    const hello = await first.next((e) => e.event === 'verbonden');
    assert.match(hello.id, /^\d+$/);
    first.close();
    await pop('Iris', 'i1'); // missed: the only event after the greeting
    const again = await agent('Iris', hello.id);
    assert.ok(await again.next(isPop('i1')), 'replayed from the greeting\'s id');
    assert.deepEqual(again.events.map((e) => [e.event, e.id === null]), [['verbonden', true], ['screenpop', false]]);
    assert.ok(BigInt(again.events[1].id) > BigInt(hello.id));
    again.close();
  });

  it('reconnecting while events are being published: no gap, no duplicate', async () => {
    const watcher = await agent('Pim');
    await pop('Pim', 'c0');
    const seen = (await watcher.next(isPop('c0'))).id;
    for (let i = 1; i <= 10; i++) await pop('Pim', `c${i}`); // missed
    const burst = Array.from({ length: 30 }, (_, i) => pop('Pim', `c${i + 11}`)); // racing the reconnects
    const reconnects = [agent('Pim', seen), agent('Pim', seen), agent('Pim', seen)];
    await Promise.all(burst);
    const streams = await Promise.all(reconnects);
    await pop('Pim', 'c-end');
    for (const es of [watcher, ...streams]) assert.ok(await es.next(isPop('c-end')));
    const all = seenAfter(watcher, seen);
    assert.equal(all.length, 41);
    for (const es of streams) {
      assert.deepEqual(after1(es), all);
      es.close();
    }
    watcher.close();
  });

  it('a resident reconnecting gets the answers it missed, then live ones; not another chat\'s', async () => {
    const s = await startChat('Lotte');
    const other = await startChat('Kees');
    const watcher = await resident(s);
    const first = await resident(s);
    expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'Bea' }), 200);
    const status = await first.next((e) => e.event === 'status');
    assert.equal(status.data.status, 'in_gesprek');
    first.close();
    const a1 = await reply(s, 'Goedemorgen, waarmee kan ik helpen?');
    const mine = expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Mijn paspoort' }, s.geheim), 201);
    expectStatus(await staff('POST', `/chat/sessies/${other.sessie}/toewijzen`, { medewerker: 'Bea' }), 200);
    const elsewhere = await reply(other, 'Dit is voor Kees');
    const a2 = await reply(s, 'Dat kan online.');
    assert.ok(await watcher.next((e) => e.event === 'bericht' && e.data.uuid === a2.uuid));

    const again = await resident(s, status.id);
    assert.ok(await again.next((e) => e.event === 'bericht' && e.data.uuid === a2.uuid));
    const a3 = await reply(s, 'Nog iets?');
    assert.ok(await again.next((e) => e.event === 'bericht' && e.data.uuid === a3.uuid));
    assert.ok(await watcher.next((e) => e.event === 'bericht' && e.data.uuid === a3.uuid));
    assert.deepEqual(after1(again), seenAfter(watcher, status.id));
    assert.deepEqual(after1(again).map(([, , raw]) => JSON.parse(raw).uuid), [a1.uuid, mine.uuid, a2.uuid, a3.uuid]);
    assert.ok(!after1(again).some(([, , raw]) => raw.includes(elsewhere.uuid)), 'not another chat\'s answer');
    watcher.close();
    again.close();
  });

  it('an id the server cannot replay from → verouderd (with an id to resume from), then live events', async () => {
    const w = await agent('Mila');
    await pop('Mila', 'v1');
    const now = (await w.next(isPop('v1'))).id;
    // Before this process started (ids start at its start time), not a number, not yet issued.
    for (const id of ['1', 'abc', String(BigInt(now) + 1000n), '-5']) {
      const es = await agent('Mila', id);
      const v = await es.next((e) => e.event === 'verouderd');
      assert.ok(v, `verouderd for ${id}`);
      assert.match(v.id, /^\d+$/);
      assert.ok(BigInt(v.id) >= BigInt(now));
      assert.ok(!es.events.some(isPop('v1')), 'nothing replayed with it');
      await pop('Mila', `live-${id}`);
      assert.ok(await es.next(isPop(`live-${id}`)));
      es.close();
      // Its id is one the stream can resume from.
      const resumed = await agent('Mila', v.id);
      assert.ok(await resumed.next(isPop(`live-${id}`)));
      assert.ok(!resumed.events.some((e) => e.event === 'verouderd'));
      resumed.close();
    }
    // The id of the newest event: nothing missed, nothing sent. The watcher must have
    // received the last live event first (on a loaded machine its reader may lag behind).
    assert.ok(await w.next(isPop('live--5')));
    const idle = await agent('Mila', w.events.at(-1).id);
    await pop('Mila', 'v2');
    assert.ok(await idle.next(isPop('v2')));
    assert.deepEqual(after1(idle).map(([, ev]) => ev), ['screenpop']);
    idle.close();
    w.close();
  });

  it('kept events are bounded: past the bound the oldest are gone (verouderd), recent ones still replay', async () => {
    const kees = await agent('Kees');
    await pop('Kees', 'b1');
    const old = (await kees.next(isPop('b1'))).id;
    kees.close();
    const s = await startChat('Vera');
    expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'Bea' }), 200);
    const watcher = await resident(s);
    const big = '€'.repeat(20000); // 60 kB of UTF-8 a message: 75 of them pass the 4 MiB bound
    const sent = [];
    for (let i = 0; i < 75; i++) sent.push(await reply(s, big));
    assert.ok(await watcher.next((e) => e.event === 'bericht' && e.data.uuid === sent.at(-1).uuid, 20000));
    // Kees missed nothing of his own, but the ring no longer reaches back to his id.
    const stale = await agent('Kees', old);
    assert.ok(await stale.next((e) => e.event === 'verouderd'), 'the oldest event is gone');
    stale.close();
    // The last four are still there (the id of the fifth-last as Last-Event-ID).
    const bits = after1(watcher);
    const from = bits.at(-5)[0];
    const again = await resident(s, from);
    assert.ok(await again.next((e) => e.event === 'bericht' && e.data.uuid === sent.at(-1).uuid, 20000));
    assert.deepEqual(after1(again), bits.slice(-4));
    again.close();
    // Too much to replay at once (more than the stream's queue can take): verouderd instead.
    const tooMuch = await resident(s, bits.at(-20)[0]);
    assert.ok(await tooMuch.next((e) => e.event === 'verouderd'));
    assert.ok(!tooMuch.events.some((e) => e.event === 'bericht'));
    tooMuch.close();
    watcher.close();
  });
});

describe('chat: the widget catches up after verouderd or on another page', () => {
  it('GET /chat/sessies/{uuid}/berichten gives the resident the conversation so far and who helps', async () => {
    const s = await startChat('Noor');
    const m = expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst: 'Vraag' }, s.geheim), 201);
    let got = expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200);
    assert.deepEqual(got, { berichten: got.berichten, status: 'wachtend', medewerker: null, positie: got.positie });
    assert.ok(Number.isInteger(got.positie) && got.positie >= 1, 'waiting: its place in the queue');
    assert.deepEqual(got.berichten.map((b) => [b.uuid, b.tekst, b.richting]), [[m.uuid, 'Vraag', 'in']]);
    // The resident is told the employee's first name (the account's voornaam), never the login name.
    srv.createUser('bea.devries', 'kcm', 'wachtwoord-bea', 'Bea');
    expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'bea.devries' }), 200);
    const a = await reply(s, 'Antwoord');
    got = expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200);
    // Who helps: the name the live `status` event and the stream's `verbonden` show, nothing more.
    assert.deepEqual(Object.keys(got).sort(), ['berichten', 'medewerker', 'positie', 'status']);
    assert.equal(got.positie, null, 'being answered: no place in the queue');
    const spec = expectStatus(await pub('GET', '/openapi.json'), 200);
    const schema = spec.paths['/chat/sessies/{uuid}/berichten'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual([...schema.required].sort(), Object.keys(got).sort(), 'as the kanalen OpenAPI document says');
    assert.ok(schema.properties.status.enum.includes(got.status));
    assert.equal(got.status, 'in_gesprek');
    assert.equal(got.medewerker, 'Bea');
    assert.deepEqual(got.berichten.map((b) => b.uuid), [m.uuid, a.uuid]);
    assert.equal(got.berichten[1].afzender, 'Bea', 'the reply is signed with the first name too');
    assert.ok(!JSON.stringify(got).includes('bea.devries'), 'the login name never reaches the resident');
    const hello = await resident(s);
    const verbonden = await hello.next((e) => e.event === 'verbonden');
    hello.close();
    assert.ok(verbonden, 'the stream says verbonden');
    assert.equal(verbonden.data.medewerker, got.medewerker, 'the same name as the stream gives');
    expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/afsluiten`, {}), 200);
    got = expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200);
    assert.deepEqual([got.status, got.medewerker, got.berichten.length], ['beeindigd', 'Bea', 2]);
    assertProblem(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, 'f'.repeat(64)), 404, 'sessie_ongeldig');
    assertProblem(await pub('GET', `/chat/sessies/${s.sessie}/berichten`), 404);
  });

  it('an employee without a first name is "Een medewerker" to the resident, everywhere; never the login name', async () => {
    srv.createUser('kcm.zonder.voornaam', 'kcm', 'wachtwoord-zonder');
    const s = await startChat('Iris');
    const live = await resident(s);
    expectStatus(await staff('POST', `/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'kcm.zonder.voornaam' }), 200);
    const status = await live.next((e) => e.event === 'status');
    assert.deepEqual(status.data, { status: 'in_gesprek', medewerker: 'Een medewerker' });
    const a = await reply(s, 'Goedemiddag');
    const delivered = await live.next((e) => e.event === 'bericht' && e.data.uuid === a.uuid);
    assert.equal(delivered.data.afzender, 'Een medewerker');
    live.close();
    const hello = await resident(s);
    const verbonden = await hello.next((e) => e.event === 'verbonden');
    hello.close();
    assert.equal(verbonden.data.medewerker, 'Een medewerker');
    const got = expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200);
    assert.equal(got.medewerker, 'Een medewerker');
    assert.deepEqual(got.berichten.map((b) => b.afzender), ['Een medewerker']);
    for (const seen of [status.raw, delivered.raw, verbonden.raw, JSON.stringify(got)]) {
      assert.ok(!seen.includes('kcm.zonder.voornaam'), `no login name in ${seen}`);
    }
    // The employee's own view keeps who wrote it (the transcript in the register names them).
    const g = expectStatus(await staff('GET', `/gesprekken/${s.sessie}`), 200);
    assert.equal(g.medewerker, 'kcm.zonder.voornaam');
    assert.equal(g.berichten[0].afzender, 'kcm.zonder.voornaam');
  });
});
