// The werkplek's contact sessions (issue 17): a contact never lands on the wrong resident.
// Each case failed on the werkplek before sessions (one klant and a localStorage draft shared by
// whoever used the browser): a second employee on the same browser sees no resident and no
// draft; a search with several results clears the resident; an anonymous chat is never linked
// to the resident open in another contact (and the server refuses it when asked); two chats held
// at once survive a reload.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, demoResident, cli, PASSWORD, expectAccessible } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

const CHAT = '/kanalen/api/v1/chat/sessies';
const WP = '/werkplek/api/v1';
let srv, browser, resident;
before(async () => {
  srv = await startUiServer();
  // One employee per case that counts running contacts (each starts with none).
  for (const u of ['kcm-twee', 'kcm-drie', 'kcm-vier']) cli(['user', 'create', '--username', u, '--role', 'kcm', '--db', srv.db], PASSWORD + '\n');
  resident = await demoResident(srv);
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function withPage(fn) {
  const page = await newPage(browser, srv.base);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
  } finally {
    await page.context().close();
  }
}

/** New contact, then the demo resident found by phone: their klantbeeld is open. */
async function openResident(page) {
  await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
  await page.locator('#voor', { hasText: 'Contactmoment voor: nog geen klant gekozen' }).waitFor();
  await page.getByLabel('Zoeken op').selectOption('telefoonnummer');
  await page.getByLabel('Zoekterm').fill(resident.telefoon);
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
  await page.locator('#voor', { hasText: /^Contactmoment voor: (?!nog geen)/ }).waitFor();
}

/** A resident starts a web chat (the widget's public API) with a first message. */
async function residentChat(naam, onderwerp, tekst) {
  const post = async (path, body, geheim) => {
    const res = await fetch(srv.base + path, { method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(geheim ? { 'X-Chat-Sessie': geheim } : {}) } });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    return JSON.parse(text);
  };
  const s = await post(CHAT, { naam, onderwerp });
  await post(`${CHAT}/${s.sessie}/berichten`, { tekst }, s.geheim);
  return { ...s, say: (t) => post(`${CHAT}/${s.sessie}/berichten`, { tekst: t }, s.geheim) };
}

/** A second web session of the same employee, straight on the API (cookie and CSRF token). */
async function employeeApi(username) {
  const r = await fetch(`${srv.base}/auth/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ gebruikersnaam: username, wachtwoord: PASSWORD }) });
  const body = await r.json();
  const cookie = r.headers.get('set-cookie').split(';')[0];
  return async (method, path, json) => {
    const res = await fetch(srv.base + path, { method, headers: { Cookie: cookie, 'X-CSRF-Token': body.csrfToken, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
}

describe('werkplek contact sessions', () => {
  it('a second employee on the same browser sees no resident and no draft', async () => {
    await withPage(async (page) => {
      await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
      await openResident(page);
      await page.getByLabel('Onderwerp').first().fill('Half getypt concept van collega één');
      await page.locator('#concept-status', { hasText: 'Concept bewaard bij dit contactmoment.' }).waitFor();
      const url = page.url();
      assert.match(url, /contact=/);
      await page.getByRole('button', { name: 'Uitloggen' }).click();
      await page.waitForURL('**/login**');

      await loginStaff(page, 'muis', 'kcm-twee', '/werkplek');
      await page.locator('#actief-kop', { hasText: 'Actief (0)' }).waitFor();
      await page.locator('#voor', { hasText: 'Geen contactmoment geopend.' }).waitFor();
      assert.equal(await page.getByRole('heading', { name: /^Klantbeeld: / }).isVisible(), false);
      assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0, 'nothing of an employee is kept in the browser');
      // The first employee's address, with their contact in it, shows the second nothing.
      await page.goto(url);
      await page.locator('#voor', { hasText: 'Geen contactmoment geopend.' }).waitFor();
      await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
      await page.locator('#voor', { hasText: 'nog geen klant gekozen' }).waitFor();
      assert.equal(await page.getByLabel('Onderwerp').first().inputValue(), '');
      assert.equal(await page.getByRole('heading', { name: /^Klantbeeld: / }).isVisible(), false);
      await expectAccessible(page, 'werkplek (nieuw contactmoment, leeg)');
    });
    // And the first employee's contacts ended with their logout.
    const eerste = await employeeApi('kcm-test');
    assert.equal((await eerste('GET', `${WP}/sessies`)).json.count, 0);
  });

  it('a search with several results clears the resident', async () => {
    const ps = await srv.api('GET', '/klantinteracties/api/v1/partijen?soortPartij=persoon&pageSize=500');
    const tel = {};
    for (const p of ps.json.results) {
      const a = p.partijIdentificatie?.contactnaam?.achternaam;
      if (a) tel[a] = (tel[a] || 0) + 1;
    }
    const naam = Object.entries(tel).sort((x, y) => y[1] - x[1])[0][0];
    assert.ok(tel[naam] >= 2, 'the demo has a surname shared by several people');
    await withPage(async (page) => {
      await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
      await openResident(page);
      await page.getByLabel('Zoeken op').selectOption('naam');
      await page.getByLabel('Zoekterm').fill(naam);
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      await page.locator('#zoekresultaten', { hasText: /\d+ klanten gevonden/ }).waitFor();
      await page.locator('#voor', { hasText: 'Contactmoment voor: nog geen klant gekozen' }).waitFor();
      assert.equal(await page.locator('#klantbeeld').isVisible(), false, 'no klantbeeld of the previous resident');
      // Nobody is ticked for the registration: the previous resident is only offered.
      assert.equal(await page.locator('#voor-0').isChecked(), false);
      // The server says the same after a reload.
      await page.reload();
      await page.locator('#voor', { hasText: 'Contactmoment voor: nog geen klant gekozen' }).waitFor();
      assert.equal(await page.locator('#klantbeeld').isVisible(), false);
    });
  });

  it('an anonymous chat is never linked to the resident open before', async () => {
    const tag = `anoniem-${Date.now()}`;
    await withPage(async (page) => {
      await loginStaff(page, 'muis', 'kcm-drie', '/werkplek');
      await openResident(page);
      const chat = await residentChat(`Onbekend ${tag}`, 'Parkeren', `Waar kan ik parkeren? ${tag}`);
      const item = page.locator('#chat-wachtrij li', { hasText: `Onbekend ${tag}` });
      await item.getByRole('button', { name: /^Chat aannemen/ }).click();
      await page.locator('#chat-berichten li', { hasText: `parkeren? ${tag}` }).waitFor();
      await page.locator('#voor', { hasText: 'Contactmoment voor: nog geen klant gekozen' }).waitFor();
      await page.locator('#actief-kop', { hasText: 'Actief (2)' }).waitFor();

      // A stale page or a crafted request cannot put the chat on the other contact's resident.
      const api = await employeeApi('kcm-drie');
      const mine = (await api('GET', `${WP}/sessies`)).json.results;
      const chatSessie = mine.find((s) => s.gesprek === chat.sessie);
      assert.ok(chatSessie, 'the chat is a contact session of its own');
      const refused = await api('POST', `${WP}/sessies/${chatSessie.uuid}/chat/afsluiten`, { partij: { uuid: resident.partij } });
      assert.equal(refused.status, 409, JSON.stringify(refused.json));
      assert.equal(refused.json.code, 'partij_niet_in_sessie');
      const direct = await api('POST', `/kanalen/api/v1/chat/sessies/${chat.sessie}/afsluiten`, { partij: { uuid: resident.partij } });
      assert.equal(direct.status, 403, 'the desk closes chats only through a contact session');

      await page.locator('#v0-onderwerp').fill('Parkeren');
      await page.getByRole('button', { name: 'Chat afsluiten', exact: true }).click();
      await page.locator('#contact-resultaat', { hasText: 'Het transcript is bewaard zonder klant (anoniem).' }).waitFor();
    });
    const kc = await srv.api('GET', `/klantinteracties/api/v1/klantcontacten?kanaal=chat&inhoud=${encodeURIComponent(tag)}&expand=hadBetrokkenen`);
    assert.equal(kc.json.count, 1, JSON.stringify(kc.json).slice(0, 300));
    const betrokkenen = kc.json.results[0]._expand?.hadBetrokkenen || [];
    assert.ok(betrokkenen.every((b) => !b.wasPartij || b.wasPartij.uuid !== resident.partij), 'not linked to the resident open before');
    const bijHaar = await srv.api('GET', `/klantinteracties/api/v1/klantcontacten?kanaal=chat&hadBetrokkene__wasPartij__uuid=${resident.partij}&inhoud=${encodeURIComponent(tag)}`);
    assert.equal(bijHaar.json.count, 0);
  });

  it('two chats held at once survive a reload, each with its own messages', async () => {
    const tag = `twee-${Date.now()}`;
    const een = await residentChat(`Eerste ${tag}`, 'Afval', `Vraag over afval ${tag}`);
    await residentChat(`Tweede ${tag}`, 'Paspoort', `Vraag over paspoort ${tag}`);
    await withPage(async (page) => {
      await loginStaff(page, 'muis', 'kcm-vier', '/werkplek');
      for (const naam of [`Eerste ${tag}`, `Tweede ${tag}`]) {
        await page.locator('#chat-wachtrij li', { hasText: naam }).getByRole('button', { name: /^Chat aannemen/ }).click();
        await page.locator('#chat-met', { hasText: naam }).waitFor();
      }
      await page.locator('#actief-kop', { hasText: 'Actief (2)' }).waitFor();
      await page.reload();
      await page.locator('#actief-kop', { hasText: 'Actief (2)' }).waitFor();
      // The current one (the second) is back with its own message only.
      await page.locator('#chat-berichten li', { hasText: `paspoort ${tag}` }).waitFor();
      assert.equal(await page.locator('#chat-berichten li', { hasText: `afval ${tag}` }).count(), 0);
      // A message in the other chat marks it unread; switching shows it. (Sent once the reloaded
      // page's event stream is registered: an unread mark is not kept across a reload.)
      await page.locator('#chat-status[data-verbonden="ja"]').waitFor();
      await een.say(`Nog een vraag ${tag}`);
      await page.locator('#actief .omk-ongelezen').waitFor();
      await page.locator('#actief button:not([aria-current])').first().click();
      await page.locator('#chat-met', { hasText: `Eerste ${tag}` }).waitFor();
      await page.locator('#chat-berichten li', { hasText: `Nog een vraag ${tag}` }).waitFor();
      assert.equal(await page.locator('#chat-berichten li', { hasText: `paspoort ${tag}` }).count(), 0);
      // Enter sends.
      await page.getByLabel('Uw chatbericht').fill(`Antwoord met Enter ${tag}`);
      await page.getByLabel('Uw chatbericht').press('Enter');
      await page.locator('#chat-berichten li', { hasText: `Antwoord met Enter ${tag}` }).waitFor();
      assert.equal(await page.getByLabel('Uw chatbericht').inputValue(), '');
      await expectAccessible(page, 'werkplek (twee chats)');
    });
  });
});
