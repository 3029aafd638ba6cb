// A chat's questions registered before it is closed (issue 17), with the resident told the
// employee's first name and the unread marks of the chats kept on the server. In Chromium:
// two chats held; a message in the one not on screen is marked unread, and the mark survives a
// reload, as does having read it; the chat on screen gets the resident opened in its contact,
// two questions (an article used, its short answer taken as the answer) and is closed by
// registering them — the transcript's klantcontact carries question 1 for that resident, the
// second sits beside it in the chat's gesprek. A chat the resident left first is still
// registered, anonymously, by keyboard alone at 390 px. axe and screenshots at 1440 and 390 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, demoResident, cli, PASSWORD, expectAccessible, screenshot, actor } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

const CHAT = '/kanalen/api/v1/chat/sessies';
const KI = '/klantinteracties/api/v1';
let srv, browser, resident;
before(async () => {
  srv = await startUiServer();
  for (const u of ['kcm-chatreg', 'kcm-chatreg-390']) {
    cli(['user', 'create', '--username', u, '--role', 'kcm', '--voornaam', 'Sanne', '--db', srv.db], PASSWORD + '\n');
  }
  resident = await demoResident(srv);
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

/** A resident's web chat (the widget's public API) with a first message, and its event stream
 * read as text. */
async function residentChat(naam, tekst) {
  const post = async (path, body, geheim) => {
    const res = await fetch(srv.base + path, { method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(geheim ? { 'X-Chat-Sessie': geheim } : {}) } });
    const text = await res.text();
    assert.ok(res.ok, text);
    return text ? JSON.parse(text) : {};
  };
  const s = await post(CHAT, { naam, onderwerp: 'Gemeente Voorbeeldstad' });
  const ctrl = new AbortController();
  const stream = await fetch(`${srv.base}${CHAT}/${s.sessie}/gebeurtenissen?sessie=${s.geheim}`, { signal: ctrl.signal });
  const reader = stream.body.getReader();
  let seen = '';
  const waitFor = async (text) => {
    const deadline = Date.now() + 30000;
    while (!seen.includes(text)) {
      assert.ok(Date.now() < deadline, `resident stream never showed ${text}: ${seen.slice(-500)}`);
      const { value, done } = await reader.read();
      if (done) break;
      seen += Buffer.from(value).toString('utf8');
    }
    assert.ok(seen.includes(text), `resident stream: ${seen.slice(-500)}`);
  };
  await post(`${CHAT}/${s.sessie}/berichten`, { tekst }, s.geheim);
  return { ...s, waitFor, seen: () => seen, close: () => ctrl.abort(),
    say: (t) => post(`${CHAT}/${s.sessie}/berichten`, { tekst: t }, s.geheim),
    leave: () => post(`${CHAT}/${s.sessie}/beeindigen`, {}, s.geheim) };
}

const chip = (page, naam) => page.locator('#actief li', { hasText: naam });
async function take(page, naam) {
  await page.locator('#chat-wachtrij li', { hasText: naam }).getByRole('button', { name: /^Chat aannemen/ }).click();
  await page.locator('#chat-met', { hasText: naam }).waitFor();
}

describe('a chat registered before it is closed', () => {
  it('unread marks survive a reload; two questions land on the chat\'s klantcontact for the resident', async () => {
    const tag = `r${Date.now()}`;
    const een = await residentChat(`Eerste ${tag}`, `Ik wil een paspoort aanvragen ${tag}`);
    const twee = await residentChat(`Tweede ${tag}`, `Vraag over parkeren ${tag}`);
    const page = await newPage(browser, srv.base);
    await page.setViewportSize({ width: 1440, height: 900 });
    try {
      await loginStaff(page, 'muis', 'kcm-chatreg', '/werkplek');
      await take(page, `Eerste ${tag}`);
      // The resident is told the employee's first name, never the login name.
      await een.waitFor('"medewerker":"Sanne"');
      assert.ok(!een.seen().includes('kcm-chatreg'), 'no login name on the resident\'s stream');
      await take(page, `Tweede ${tag}`);
      await page.locator('#actief-kop', { hasText: 'Actief (2)' }).waitFor();

      // A message in the chat not on screen: unread, and still unread after a reload.
      await een.say(`Hoe lang duurt het? ${tag}`);
      await chip(page, `Chat:`).filter({ hasText: '1 ongelezen' }).waitFor();
      await page.reload();
      await page.locator('#actief-kop', { hasText: 'Actief (2)' }).waitFor();
      await page.locator('#actief .omk-ongelezen', { hasText: '1' }).waitFor();
      const ongelezen = await page.locator('#actief button').filter({ has: page.locator('.omk-ongelezen') });
      assert.equal(await ongelezen.count(), 1, 'only the chat with the new message');
      // Read: the mark is gone, and stays gone after a reload (the server keeps it).
      await ongelezen.click();
      await page.locator('#chat-met', { hasText: `Eerste ${tag}` }).waitFor();
      await page.locator('#chat-berichten li', { hasText: `Hoe lang duurt het? ${tag}` }).waitFor();
      await page.locator('#actief .omk-ongelezen').waitFor({ state: 'detached' });
      await page.waitForLoadState('networkidle');
      await page.reload();
      await page.locator('#chat-met', { hasText: `Eerste ${tag}` }).waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('#actief .omk-ongelezen').count(), 0, 'read before the reload: no mark after it');

      // The resident on the line of chat 1, then its questions.
      await page.getByLabel('Zoeken op').selectOption('telefoonnummer');
      await page.getByLabel('Zoekterm').fill(resident.telefoon);
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
      await page.locator('#voor', { hasText: /^Contactmoment voor: (?!nog geen)/ }).waitFor();
      await page.getByRole('button', { name: 'Chat afsluiten en contactmoment registreren' }).waitFor();
      await page.locator('#v0-onderwerp').fill('Paspoort aanvragen');
      const gebruikt = page.getByRole('button', { name: /^Gebruikt bij vraag 1\W+Paspoort aanvragen$/ });
      await gebruikt.click();
      await page.locator('[data-vraag="0"]').getByText('Paspoort aanvragen', { exact: true }).waitFor();
      await page.waitForFunction(() => document.getElementById('v0-reactie').value.length > 0);
      const antwoord = await page.locator('#v0-reactie').inputValue();
      await page.getByRole('button', { name: 'Nog een vraag toevoegen' }).click();
      await page.locator('#v1-onderwerp').fill(`Parkeervergunning ${tag}`);
      await page.locator('#v1-resultaat').selectOption('doorverbonden');
      assert.equal(await page.locator('#voor-0').isChecked(), true, 'the resident opened in this chat is ticked');
      await expectAccessible(page, 'werkplek: chat met vragen, vóór afsluiten');
      // The chat with its "Chat afsluiten" and question 1 in view.
      await page.evaluate(() => { for (const id of ['paneel-werk', 'paneel-kennisbank']) document.getElementById(id).scrollTop = 0; });
      await screenshot(page, 'werkplek-chat-registreren-1440');

      await page.getByRole('button', { name: 'Chat afsluiten', exact: true }).click();
      await page.getByRole('heading', { name: 'Chat afgesloten en geregistreerd' }).waitFor();
      await page.locator('#contact-resultaat', { hasText: '2 vragen vastgelegd' }).waitFor();
      await een.waitFor('beeindigd');
      await page.locator('#actief-kop', { hasText: 'Actief (1)' }).waitFor();
      await expectAccessible(page, 'werkplek: chat geregistreerd');

      // In the register: the transcript's klantcontact carries question 1, for the resident.
      const g = (await srv.api('GET', `/kanalen/api/v1/gesprekken/${een.sessie}`)).json;
      assert.equal(g.status, 'gesloten');
      const kc = (await srv.api('GET', `${KI}/klantcontacten/${g.klantcontact.uuid}?expand=hadBetrokkenen`)).json;
      assert.equal(kc.onderwerp, 'Paspoort aanvragen');
      assert.equal(kc.reactie, antwoord);
      assert.equal(kc.metadata.resultaat, 'zelfstandig afgehandeld');
      assert.ok(kc.inhoud.includes(`Inwoner: Hoe lang duurt het? ${tag}`), 'the transcript');
      assert.deepEqual(kc._expand.hadBetrokkenen.map((b) => b.wasPartij && b.wasPartij.uuid), [resident.partij]);
      const gebruik = (await srv.api('GET', `/kennisbank/api/v1/gebruik?klantcontact__uuid=${kc.uuid}`)).json;
      assert.equal(gebruik.count, 1, 'the article used, on the chat\'s klantcontact');
      // Question 2 beside it: the same gesprek, the same resident.
      const bij = (await srv.api('GET', `${KI}/klantcontacten?hadBetrokkene__wasPartij__uuid=${resident.partij}&onderwerp=${encodeURIComponent(`Parkeervergunning ${tag}`)}`)).json;
      assert.equal(bij.count, 1, JSON.stringify(bij).slice(0, 300));
      assert.deepEqual([bij.results[0].metadata.gesprek, bij.results[0].metadata.resultaat], [een.sessie, 'doorverbonden']);
      assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
    } finally {
      een.close();
      twee.close();
      await page.context().close();
    }
  });

  it('390 px, keyboard alone: a chat the resident left is registered anonymously', async () => {
    const tag = `k${Date.now()}`;
    const chat = await residentChat(`Derde ${tag}`, `Wanneer is het milieustraat open? ${tag}`);
    const page = await newPage(browser, srv.base);
    await page.setViewportSize({ width: 390, height: 844 });
    const a = actor(page, 'toetsenbord');
    try {
      await loginStaff(page, 'toetsenbord', 'kcm-chatreg-390', '/werkplek');
      const aannemen = page.locator('#chat-wachtrij li', { hasText: `Derde ${tag}` }).getByRole('button', { name: /^Chat aannemen/ });
      await a.click(aannemen);
      await page.locator('#chat-met', { hasText: `Derde ${tag}` }).waitFor();
      await chat.waitFor('"medewerker":"Sanne"');
      await chat.leave();
      await page.getByText('De inwoner heeft de chat beëindigd.').waitFor();
      assert.equal(await page.getByLabel('Uw chatbericht').isVisible(), false, 'no more replies');
      await screenshot(page, 'werkplek-chat-registreren-390');
      // Closing without an onderwerp: the form says what is missing, the chat stays to register.
      await a.click(page.getByRole('button', { name: 'Chat afsluiten', exact: true }));
      await page.locator('#contact-form .omk-summary', { hasText: 'Vul het onderwerp van vraag 1 in.' }).waitFor();
      await expectAccessible(page, 'werkplek 390: chat verlaten, foutmelding');
      await a.fill(page.locator('#v0-onderwerp'), `Openingstijden milieustraat ${tag}`);
      await a.fill(page.locator('#v0-reactie'), 'Zaterdag van 9 tot 16 uur.');
      assert.equal(await page.locator('#voor-anoniem').isChecked(), true, 'nobody opened: anonymous');
      await a.click(page.getByRole('button', { name: 'Chat afsluiten en contactmoment registreren' }));
      await page.getByRole('heading', { name: 'Chat afgesloten en geregistreerd' }).waitFor();
      await page.locator('#contact-resultaat', { hasText: 'Het transcript is bewaard zonder klant (anoniem).' }).waitFor();
      await expectAccessible(page, 'werkplek 390: chat geregistreerd');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `nothing past the right edge at 390 px (scrollWidth ${width})`);

      const g = (await srv.api('GET', `/kanalen/api/v1/gesprekken/${chat.sessie}`)).json;
      const kc = (await srv.api('GET', `${KI}/klantcontacten/${g.klantcontact.uuid}?expand=hadBetrokkenen`)).json;
      assert.equal(kc.onderwerp, `Openingstijden milieustraat ${tag}`);
      assert.equal(kc.reactie, 'Zaterdag van 9 tot 16 uur.');
      assert.ok(kc._expand.hadBetrokkenen.every((b) => !b.wasPartij), 'linked to nobody');
      assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
    } finally {
      chat.close();
      await page.context().close();
    }
  });
});
