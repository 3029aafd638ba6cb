// A chat's registration in the KCC-werkplek, through the employee's contact session: closing
// the chat registers its question (onderwerp, the question in the employee's words, the answer,
// the result) on the transcript's klantcontact, linked to a partij of the session or to nobody;
// a chat the resident ended first gets that registration on the klantcontact it left, once; and
// the per-employee last-read mark of a chat (chatGelezenTot) that survives a reload.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, expectStatus, assertProblem, assertInvalidParam, persoonBody, create, BIN, request } from '../lib/harness.mjs';

const K = '/kanalen/api/v1';
const WP = '/werkplek/api/v1';
const KI = '/klantinteracties/api/v1';
const PASSWORD = 'correct paard batterij';

let srv, sanne;
before(async () => {
  srv = await startServer({ args: ['--dev-login'] });
  srv.createUser('sanne.w', 'kcm', PASSWORD, 'Sanne');
  sanne = await srv.login('sanne.w', PASSWORD);
});
after(async () => { await srv?.stop(); });

/** A request as the employee's web session (cookie and CSRF token). */
const asSanne = (method, path, body) => srv.req(method, path, { base: true, token: null, body,
  headers: { Cookie: sanne.cookie, 'X-CSRF-Token': sanne.csrf } });
const pub = (method, path, body, secret) => srv.req(method, `${K}${path}`, { base: true, token: null, body,
  headers: secret ? { 'X-Chat-Sessie': secret } : {} });

/** A resident's chat with a first message, taken by sanne.w in a contact session of its own. */
async function takenChat(tekst) {
  const s = expectStatus(await pub('POST', '/chat/sessies', { naam: 'Bezoeker', onderwerp: 'Paginatitel' }), 201);
  expectStatus(await pub('POST', `/chat/sessies/${s.sessie}/berichten`, { tekst }, s.geheim), 201);
  expectStatus(await asSanne('POST', `${K}/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'sanne.w' }), 200);
  const sessie = expectStatus(await asSanne('POST', `${WP}/sessies`, { aanleiding: 'chat', gesprek: s.sessie }), 201);
  return { chat: s, sessie };
}

describe('werkplek: a chat registered at closing', () => {
  it('the question, answer and result go on the transcript\'s klantcontact, for the confirmed partij', async () => {
    const tag = `r${Date.now()}`;
    const { chat, sessie } = await takenChat(`Ik ben mijn paspoort kwijt ${tag}`);
    const partij = await create(srv, 'partijen', persoonBody());
    expectStatus(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/partijen`, { uuid: partij.uuid }), 200);
    expectStatus(await asSanne('POST', `${K}/gesprekken/${chat.sessie}/berichten`, { tekst: 'Doe aangifte bij de balie.' }), 201);
    const r = expectStatus(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/chat/afsluiten`, {
      partij: { uuid: partij.uuid }, onderwerp: 'Paspoort kwijt', inhoud: 'Paspoort verloren op vakantie',
      reactie: 'Aangifte van vermissing bij de balie, dan een nieuw paspoort aanvragen.', resultaat: 'zelfstandig afgehandeld',
    }), 200);
    const kc = expectStatus(await srv.req('GET', `${KI}/klantcontacten/${r.klantcontact.uuid}?expand=hadBetrokkenen`, { base: true }), 200);
    assert.equal(kc.onderwerp, 'Paspoort kwijt');
    assert.equal(kc.kanaal, 'chat');
    assert.equal(kc.reactie, 'Aangifte van vermissing bij de balie, dan een nieuw paspoort aanvragen.');
    assert.ok(kc.inhoud.startsWith('Paspoort verloren op vakantie\n\n'), kc.inhoud);
    assert.ok(kc.inhoud.includes(`Inwoner: Ik ben mijn paspoort kwijt ${tag}`), 'the transcript follows');
    assert.deepEqual(kc.metadata, { gesprek: chat.sessie, resultaat: 'zelfstandig afgehandeld', vraag: '1' });
    assert.deepEqual(kc._expand.hadBetrokkenen.map((b) => b.wasPartij && b.wasPartij.uuid), [partij.uuid]);
    // Closed: the same chat cannot be registered twice.
    assertProblem(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/chat/afsluiten`, { onderwerp: 'Nog eens', resultaat: 'doorverbonden' }), 409, 'gesloten');
  });

  it('a chat the resident ended first gets the registration and the partij on the klantcontact it left, once', async () => {
    const tag = `e${Date.now()}`;
    const { chat, sessie } = await takenChat(`Wanneer komt het grofvuil? ${tag}`);
    expectStatus(await pub('POST', `/chat/sessies/${chat.sessie}/beeindigen`, {}, chat.geheim), 200);
    const g = expectStatus(await asSanne('GET', `${K}/gesprekken/${chat.sessie}`), 200);
    assert.equal(g.status, 'gesloten');
    const left = g.klantcontact.uuid;
    const partij = await create(srv, 'partijen', persoonBody());
    expectStatus(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/partijen`, { uuid: partij.uuid }), 200);
    const r = expectStatus(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/chat/afsluiten`, {
      partij: { uuid: partij.uuid }, onderwerp: 'Grofvuil ophalen', resultaat: 'zelfstandig afgehandeld', reactie: 'Elke eerste maandag.',
    }), 200);
    assert.equal(r.klantcontact.uuid, left, 'the klantcontact the chat left, not a new one');
    const kc = expectStatus(await srv.req('GET', `${KI}/klantcontacten/${left}?expand=hadBetrokkenen`, { base: true }), 200);
    assert.deepEqual([kc.onderwerp, kc.reactie, kc.metadata.resultaat], ['Grofvuil ophalen', 'Elke eerste maandag.', 'zelfstandig afgehandeld']);
    assert.ok(kc.inhoud.includes(`Wanneer komt het grofvuil? ${tag}`));
    assert.deepEqual(kc._expand.hadBetrokkenen.map((b) => b.wasPartij && b.wasPartij.uuid), [partij.uuid]);
    assertProblem(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/chat/afsluiten`, { onderwerp: 'Anders', resultaat: 'doorverbonden' }), 409, 'gesloten');
    // The direct route keeps its meaning: an ended chat is not closed again.
    assertProblem(await srv.req('POST', `${K}/chat/sessies/${chat.sessie}/afsluiten`, { base: true, body: {} }), 409, 'gesloten');
  });

  it('bad registration fields → 400 naming the field; nothing changes', async () => {
    const { chat, sessie } = await takenChat('Vraag');
    for (const [body, name] of [[{ resultaat: 'x'.repeat(101) }, 'resultaat'], [{ reactie: 5 }, 'reactie'],
      [{ inhoud: 'x'.repeat(1001) }, 'inhoud']]) {
      assertInvalidParam(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/chat/afsluiten`, body), name);
    }
    const g = expectStatus(await asSanne('GET', `${K}/gesprekken/${chat.sessie}`), 200);
    assert.equal(g.status, 'open');
  });
});

describe('the resident never reads the login name', () => {
  it('Mijn gesprekken: the chat registered for the resident, without medewerker or afzender', async () => {
    const bsn = '999993653';
    const { chat, sessie } = await takenChat('Wanneer is de milieustraat open?');
    const partij = await create(srv, 'partijen', persoonBody({ partijIdentificatoren: [{ partijIdentificator: {
      codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId: bsn, codeRegister: 'brp' } }] }));
    expectStatus(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/partijen`, { uuid: partij.uuid }), 200);
    expectStatus(await asSanne('POST', `${K}/gesprekken/${chat.sessie}/berichten`, { tekst: 'Zaterdag tot vier uur.' }), 201);
    expectStatus(await asSanne('POST', `${WP}/sessies/${sessie.uuid}/chat/afsluiten`, {
      partij: { uuid: partij.uuid }, onderwerp: 'Milieustraat', resultaat: 'zelfstandig afgehandeld' }), 200);
    const login = await request('POST', `${srv.base}/auth/api/v1/dev-login`, { body: { bsn } });
    const s = expectStatus(login, 200);
    const mijn = expectStatus(await request('GET', `${srv.base}/mijn/api/v1/gesprekken`, {
      headers: { Cookie: login.headers.get('set-cookie').split(';')[0], 'X-CSRF-Token': s.csrfToken } }), 200);
    const g = mijn.results.find((x) => x.uuid === chat.sessie);
    assert.ok(g, 'the chat is among the resident\'s conversations');
    assert.deepEqual(g.berichten.map((b) => [b.richting, b.tekst]), [['in', 'Wanneer is de milieustraat open?'], ['uit', 'Zaterdag tot vier uur.']]);
    assert.ok(!('medewerker' in g) && g.berichten.every((b) => !('afzender' in b)), 'no login name fields');
    assert.ok(!JSON.stringify(mijn).includes('sanne.w'), 'the login name appears nowhere');
  });
});

describe('werkplek: the last-read mark of a chat', () => {
  it('is kept per contact session, never moves back, and is the employee\'s own', async () => {
    const { sessie } = await takenChat('Hallo');
    assert.equal(sessie.chatGelezenTot, null);
    const t1 = '2026-12-06T10:00:00.000000Z';
    let s = expectStatus(await asSanne('PATCH', `${WP}/sessies/${sessie.uuid}`, { chatGelezenTot: t1 }), 200);
    assert.equal(Date.parse(s.chatGelezenTot), Date.parse(t1));
    s = expectStatus(await asSanne('PATCH', `${WP}/sessies/${sessie.uuid}`, { chatGelezenTot: '2026-12-06T09:00:00Z' }), 200);
    assert.equal(Date.parse(s.chatGelezenTot), Date.parse(t1), 'an older mark changes nothing');
    const list = expectStatus(await asSanne('GET', `${WP}/sessies`), 200);
    assert.equal(Date.parse(list.results.find((x) => x.uuid === sessie.uuid).chatGelezenTot), Date.parse(t1), 'after a reload');
    assertInvalidParam(await asSanne('PATCH', `${WP}/sessies/${sessie.uuid}`, { chatGelezenTot: 'gisteren' }), 'chatGelezenTot');
    // Another employee does not see it at all.
    srv.createUser('ahmed.y', 'kcm', PASSWORD, 'Ahmed');
    const ahmed = await srv.login('ahmed.y', PASSWORD);
    const other = await srv.req('PATCH', `${WP}/sessies/${sessie.uuid}`, { base: true, token: null, body: { chatGelezenTot: t1 },
      headers: { Cookie: ahmed.cookie, 'X-CSRF-Token': ahmed.csrf } });
    assertProblem(other, 404);
  });
});

describe('the first name residents are shown: omnikanaal user voornaam', () => {
  const cli = (args) => {
    try {
      execFileSync(BIN, [...args, '--db', srv.dbPath], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      return { status: 0 };
    } catch (e) {
      return { status: e.status, stderr: e.stderr };
    }
  };

  it('sets, changes and removes it; the next chat taken says so; bad use is refused', async () => {
    srv.createUser('kees.b', 'kcm', PASSWORD);
    const toldFor = async () => {
      const s = expectStatus(await pub('POST', '/chat/sessies', { naam: 'Bezoeker' }), 201);
      expectStatus(await srv.req('POST', `${K}/chat/sessies/${s.sessie}/toewijzen`, { base: true, body: { medewerker: 'kees.b' } }), 200);
      return expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200).medewerker;
    };
    assert.equal(await toldFor(), 'Een medewerker', 'created without one');
    assert.equal(cli(['user', 'voornaam', '--username', 'kees.b', '--voornaam', 'Kees']).status, 0);
    assert.equal(await toldFor(), 'Kees');
    assert.equal(cli(['user', 'voornaam', '--username', 'kees.b', '--voornaam', '']).status, 0);
    assert.equal(await toldFor(), 'Een medewerker', 'removed');
    const onbekend = cli(['user', 'voornaam', '--username', 'niemand', '--voornaam', 'X']);
    assert.equal(onbekend.status, 1);
    assert.match(onbekend.stderr, /no such account/);
    assert.equal(cli(['user', 'voornaam', '--username', 'kees.b']).status, 2, '--voornaam is needed');
    assert.equal(cli(['user', 'voornaam', '--username', 'kees.b', '--voornaam', 'x'.repeat(101)]).status, 2);
    assert.equal(cli(['user', 'wijzig', '--username', 'kees.b']).status, 2);
  });
});

describe('taking a chat: for oneself only', () => {
  it('a web session cannot put a chat on a colleague\'s name; an integration\'s token names whom it acts for', async () => {
    const s = expectStatus(await pub('POST', '/chat/sessies', { naam: 'Bezoeker', onderwerp: 'Afval' }), 201);
    assertProblem(await asSanne('POST', `${K}/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'kees.b' }), 403);
    let g = expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200);
    assert.deepEqual([g.status, g.medewerker], ['wachtend', null], 'nothing changed');
    const wachtrij = expectStatus(await asSanne('GET', `${K}/chat/wachtrij`), 200);
    assert.ok(wachtrij.results.some((c) => c.uuid === s.sessie), 'still in the queue');
    expectStatus(await asSanne('POST', `${K}/chat/sessies/${s.sessie}/toewijzen`, { medewerker: 'sanne.w' }), 200);
    g = expectStatus(await pub('GET', `/chat/sessies/${s.sessie}/berichten`, undefined, s.geheim), 200);
    assert.deepEqual([g.status, g.medewerker], ['in_gesprek', 'Sanne']);
    // The telephony or chat platform's token (scope *) acts for the medewerker it names.
    const t = expectStatus(await pub('POST', '/chat/sessies', { naam: 'Bezoeker 2' }), 201);
    expectStatus(await srv.req('POST', `${K}/chat/sessies/${t.sessie}/toewijzen`, { base: true, body: { medewerker: 'sanne.w' } }), 200);
  });
});
