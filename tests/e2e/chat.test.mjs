// Web chat from the resident's side to the agent's inbox in the KCC-werkplek and back: the
// resident starts a chat (the widget's public API), the agent sees it in the queue live, takes
// it, reads and answers; the answer arrives on the resident's event stream; the resident's next
// message appears live in the werkplek; closing stores the transcript as a klantcontact. Mouse
// and keyboard; axe on the werkplek with the chat open.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible, actor, demoResident } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';
import { startWebsite, widgetPage } from './lib/website.mjs';

const CHAT = '/kanalen/api/v1/chat/sessies';
let srv, browser;
before(async () => { srv = await startUiServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

async function residentChat(naam, onderwerp, eerste, email) {
  const post = async (path, body, geheim) => {
    const res = await fetch(srv.base + path, { method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(geheim ? { 'X-Chat-Sessie': geheim } : {}) } });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    return JSON.parse(text);
  };
  const s = await post(CHAT, { naam, onderwerp, ...(email ? { email } : {}) });
  // The resident's event stream, read as text until what we wait for arrives.
  const ctrl = new AbortController();
  const stream = await fetch(`${srv.base}${CHAT}/${s.sessie}/gebeurtenissen?sessie=${s.geheim}`, { signal: ctrl.signal });
  const reader = stream.body.getReader();
  let seen = '';
  const waitFor = async (text) => {
    const deadline = Date.now() + 20000;
    while (!seen.includes(text)) {
      assert.ok(Date.now() < deadline, `resident stream never showed ${text}: ${seen.slice(-500)}`);
      const { value, done } = await reader.read();
      if (done) break;
      seen += Buffer.from(value).toString('utf8');
    }
    assert.ok(seen.includes(text), `resident stream: ${seen.slice(-500)}`);
  };
  await post(`${CHAT}/${s.sessie}/berichten`, { tekst: eerste }, s.geheim);
  return { ...s, waitFor, say: (tekst) => post(`${CHAT}/${s.sessie}/berichten`, { tekst }, s.geheim), close: () => ctrl.abort() };
}

for (const mode of ['muis', 'toetsenbord']) {
  describe(`chat in the werkplek (${mode})`, () => {
    it('queue → take → answer reaches the resident → live message → close into the register', async () => {
      const tag = `${mode}-${Date.now()}`;
      // The visitor types the e-mail address of a resident in the register: it identifies nobody.
      const adres = (await srv.api('GET', '/klantinteracties/api/v1/digitaleadressen?soortDigitaalAdres=email&pageSize=1'))
        .json.results[0].adres;
      const resident = await residentChat(`Inwoner ${tag}`, 'Grofvuil', `Wanneer halen jullie grofvuil op? ${tag}`, adres);
      const page = await newPage(browser, srv.base);
      const a = actor(page, mode);
      try {
        await loginStaff(page, mode, 'kcm-test', '/werkplek');
        const item = page.locator('#chat-wachtrij li', { hasText: `Inwoner ${tag}` });
        await item.waitFor();
        await a.click(item.getByRole('button', { name: 'Chat aannemen' }));
        await page.locator('#chat-berichten li', { hasText: `grofvuil op? ${tag}` }).waitFor();
        await resident.waitFor('"in_gesprek"');
        const opgegeven = await page.locator('#chat-adres').textContent();
        assert.ok(opgegeven.includes(`${adres} (niet gecontroleerd`), opgegeven);
        if (mode === 'muis') await expectAccessible(page, 'werkplek met chat');

        await a.fill(page.getByLabel('Uw chatbericht'), `Elke eerste maandag van de maand. ${tag}`);
        await a.click(page.getByRole('button', { name: 'Versturen' }));
        await resident.waitFor(`Elke eerste maandag van de maand. ${tag}`);

        await resident.say(`Dank u wel! ${tag}`);
        await page.locator('#chat-berichten li', { hasText: `Dank u wel! ${tag}` }).waitFor();

        // Closing registers the chat: its question first (the onderwerp is required).
        await a.click(page.getByRole('button', { name: 'Chat afsluiten', exact: true }));
        await page.locator('#contact-form .omk-summary', { hasText: 'Vul het onderwerp van vraag 1 in.' }).waitFor();
        assert.equal(await page.locator('#chat-invoer').isVisible(), true, 'not closed: the chat goes on');
        await a.fill(page.locator('#v0-onderwerp'), `Grofvuil ophalen ${tag}`);
        await a.click(page.getByRole('button', { name: 'Chat afsluiten', exact: true }));
        await page.locator('#contact-resultaat', { hasText: 'Het transcript is bewaard zonder klant (anoniem).' }).waitFor();
        await resident.waitFor('beeindigd');
        const kc = await srv.api('GET', `/klantinteracties/api/v1/klantcontacten?kanaal=chat&inhoud=${encodeURIComponent(tag)}`);
        assert.equal(kc.json.count, 1, `transcript in the register: ${JSON.stringify(kc.json).slice(0, 300)}`);
        assert.equal(kc.json.results[0].onderwerp, `Grofvuil ophalen ${tag}`, 'with the registered question');
        assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
      } finally {
        resident.close();
        await page.context().close();
      }
    });
  });
}

describe('the widget on the municipal website', () => {
  let site, siteBase, srv2;
  const title = `Afval en grofvuil ${Date.now()}`;
  before(async () => {
    // The municipality's website (another origin) with the one script tag.
    site = await startWebsite(() => widgetPage({ title, text: 'Informatie over afval.', server: srv2.base }));
    siteBase = site.base;
    srv2 = await startUiServer({ extraArgs: ['--chat-origin', siteBase] });
  });
  after(async () => { site?.close(); await srv2?.stop(); });

  it('a resident chats from the widget (keyboard), the agent answers in the werkplek', async () => {
    const resident = await newPage(browser, siteBase);
    const agent = await newPage(browser, srv2.base);
    try {
      await resident.goto(siteBase + '/');
      const knop = resident.getByRole('button', { name: 'Chat', exact: true });
      await knop.focus();
      await resident.keyboard.press('Enter');
      const invoer = resident.getByLabel('Uw bericht');
      await invoer.waitFor();
      assert.equal(await invoer.evaluate((e) => e === document.activeElement), true, 'the button focuses the message field');
      await resident.keyboard.type('Mag een oude bank bij het grofvuil?');
      await resident.keyboard.press('Enter');
      await resident.getByText('U staat in de wachtrij.').waitFor();
      // The widget says what it is and what happens to what is written, and the place in the queue.
      await resident.getByText('Welkom! Stel hier uw vraag aan de gemeente.').waitFor();
      await resident.getByText(/De gemeente bewaart dit gesprek om uw vraag te beantwoorden\./).waitFor();
      await resident.getByText(/U bent de volgende\.|Er (is|zijn) nog \d+ (persoon|personen) voor u\./).waitFor();
      await expectAccessible(resident, 'website met de chatwidget');

      await loginStaff(agent, 'muis', 'kcm-test', '/werkplek');
      const item = agent.locator('#chat-wachtrij li', { hasText: title });
      await item.waitFor();
      await item.getByRole('button', { name: 'Chat aannemen' }).click();
      await agent.locator('#chat-berichten li', { hasText: 'oude bank' }).waitFor();
      await agent.getByLabel('Uw chatbericht').fill('Ja, meld hem aan via de website.');
      await agent.getByRole('button', { name: 'Versturen' }).click();
      await resident.getByText('Ja, meld hem aan via de website.').waitFor();
      // The employee's first name, never the login name (kcm-test).
      await resident.getByText('Sanne helpt u nu.').waitFor();
      assert.equal(await resident.getByText(/kcm-test/).count(), 0, 'the login name never reaches the resident');
      await resident.keyboard.press('Escape');
      assert.equal(await knop.evaluate((e) => e === document.activeElement), true, 'Escape returns focus to the button');
      assert.deepEqual(agent.problems, [], 'no script errors or CSP violations in the werkplek');
    } finally {
      await resident.context().close();
      await agent.context().close();
    }
  });
});

describe('telephony: the screen pop in the werkplek', () => {
  it('a call offered to the medewerker opens the caller\'s klantbeeld', async () => {
    const caller = await demoResident(srv);
    const page = await newPage(browser, srv.base);
    try {
      await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
      // The queue text comes from a REST call before the stream opens: wait for the stream itself
      // (the server's `verbonden`, sent once the subscription is registered).
      await page.locator('#chat-status[data-verbonden="ja"]').waitFor();
      const offered = await srv.api('POST', '/kanalen/api/v1/cti/events', { gebeurtenis: 'aangeboden',
        gespreksId: `call-${Date.now()}`, telefoonnummer: caller.telefoon, medewerker: 'kcm-test' });
      assert.equal(offered.status, 201, JSON.stringify(offered.json));
      assert.ok(offered.json.schermpopBezorgd >= 1, 'the werkplek was listening');
      await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
      assert.equal(await page.getByLabel('Zoekterm').inputValue(), caller.telefoon);
      assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
    } finally {
      await page.context().close();
    }
  });
});
