// The agent's event stream (GET /kanalen/api/v1/gebeurtenissen) is bound to the caller: a web
// session gets only its own user's stream (screen pops carry caller data, chats the resident's
// words); only an API token with scope * (a service integration) may name any medewerker.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, assertProblem, validNine } from '../lib/harness.mjs';
import { openEvents } from '../lib/sse.mjs';

const K = '/kanalen/api/v1';
const PASSWORD = 'correct paard batterij';

let srv, sanne, ahmed;
before(async () => {
  srv = await startServer({ args: ['--dev-login'] });
  srv.createUser('sanne', 'kcm', PASSWORD);
  srv.createUser('ahmed', 'kcm', PASSWORD);
  sanne = await srv.login('sanne', PASSWORD);
  ahmed = await srv.login('ahmed', PASSWORD);
});
after(async () => { await srv?.stop(); });

const stream = (query, opts) => openEvents(`${srv.base}${K}/gebeurtenissen${query}`, opts);
const asSession = (s) => ({ headers: { Cookie: s.cookie } });
/** The refusal of a stream as a response assertProblem can read. */
const problemOf = (es) => ({ status: es.status, headers: es.headers, text: es.text, json: JSON.parse(es.text) });
const cti = (body) => srv.req('POST', `${K}/cti/events`, { base: true, body });

describe('gebeurtenissen: whose stream', () => {
  it('a session opens its own stream, with or without naming itself', async () => {
    const own = await stream('', asSession(sanne));
    assert.equal(own.status, 200, own.text);
    assert.deepEqual((await own.next((e) => e.event === 'verbonden')).data, { medewerker: 'sanne' });
    const named = await stream('?medewerker=sanne', asSession(sanne));
    assert.equal(named.status, 200, named.text);
    assert.ok(await named.next((e) => e.event === 'verbonden'));
    own.close();
    named.close();
  });

  it('a session naming another medewerker → 403 problem+json; nothing of theirs reaches it', async () => {
    const other = await stream('?medewerker=ahmed', asSession(sanne));
    const p = assertProblem(problemOf(other), 403, 'permission_denied');
    assert.equal(p.detail, 'Je kunt alleen je eigen gebeurtenissen volgen.');
    // Ahmed's screen pop goes to Ahmed's own stream only.
    const mine = await stream('', asSession(sanne));
    const his = await stream('', asSession(ahmed));
    assert.ok(await mine.next((e) => e.event === 'verbonden'));
    assert.ok(await his.next((e) => e.event === 'verbonden'));
    expectStatus(await cti({ gebeurtenis: 'aangeboden', gespreksId: 'pbx-g1', telefoonnummer: '0201234567' }), 201);
    const answered = expectStatus(await cti({ gebeurtenis: 'aangenomen', gespreksId: 'pbx-g1', medewerker: 'ahmed' }), 200);
    assert.equal(answered.schermpopBezorgd, 1);
    const pop = await his.next((e) => e.event === 'screenpop');
    assert.equal(pop.data.telefoonnummer, '0201234567');
    assert.equal(mine.events.filter((e) => e.event === 'screenpop').length, 0);
    mine.close();
    his.close();
  });

  it('without credentials, or with a session that is gone → 401 problem+json', async () => {
    assertProblem(problemOf(await stream('?medewerker=sanne', {})), 401);
    assertProblem(problemOf(await stream('', { headers: { Cookie: `omk_sessie=${'0'.repeat(64)}` } })), 401);
  });

  it('an API token with scope * names any medewerker, and must name one', async () => {
    const es = await stream('?medewerker=ahmed', { token: srv.token });
    assert.equal(es.status, 200, es.text);
    assert.deepEqual((await es.next((e) => e.event === 'verbonden')).data, { medewerker: 'ahmed' });
    es.close();
    const res = problemOf(await stream('', { token: srv.token }));
    assertProblem(res, 400);
    assert.equal(res.json.invalidParams[0].name, 'medewerker');
    assert.equal(res.json.invalidParams[0].code, 'required');
  });

  it('an API token without scope * → 403, even for the name it carries', async () => {
    const kcc = srv.createToken('kcc', 'kcm');
    for (const q of ['?medewerker=ahmed', '?medewerker=kcc', '']) {
      const p = assertProblem(problemOf(await stream(q, { token: kcc })), 403, 'permission_denied');
      assert.match(p.detail, /scope \*/);
    }
  });

  it('a resident\'s session → 403', async () => {
    const res = await fetch(`${srv.base}/auth/api/v1/dev-login`, { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ bsn: validNine(7) }) });
    assert.equal(res.status, 200, await res.clone().text());
    const cookie = res.headers.get('set-cookie').split(';')[0];
    assertProblem(problemOf(await stream('', { headers: { Cookie: cookie } })), 403);
  });
});
