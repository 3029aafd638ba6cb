// The chat widget while the resident moves through the municipal website: the chat goes on (its
// session is kept in the tab's sessionStorage), and every page that embeds the widget shows the
// conversation so far — each message once, in order — and who helps, with the panel as the
// resident left it; also when the chat was taken while no page with the widget was open.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible } from './lib/ui.mjs';
import { startWebsite, widgetPage, ok } from './lib/website.mjs';

const K = '/kanalen/api/v1';
let srv, browser, site, siteBase;

/** The website's pages: two with the widget, one without. The title (the chat's onderwerp)
 * carries ?t= so a test finds its own chat in the queue. */
const PAGES = {
  '/afval': { titel: 'Afval en grofvuil', widget: true },
  '/paspoort': { titel: 'Paspoort en id-kaart', widget: true },
  '/contact': { titel: 'Contact', widget: false },
};
before(async () => {
  // srv is started after the site (it must know the site's origin); pages read it on request.
  site = await startWebsite((url) => {
    const page = PAGES[url.pathname];
    if (!page) return null;
    const title = `${page.titel} ${url.searchParams.get('t') || ''}`.trim();
    return widgetPage({ title, heading: page.titel, text: 'Gemeente Voorbeeldstad.',
      server: page.widget ? srv.base : null });
  });
  siteBase = site.base;
  srv = await startUiServer({ extraArgs: ['--chat-origin', siteBase] });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); site?.close(); });

/** Opens the widget on the page and sends the first message; returns the chat's uuid (found in
 * the queue by the page's title, which the widget sends as onderwerp). */
async function startChat(resident, path, tag, tekst) {
  await resident.goto(`${siteBase}${path}?t=${tag}`);
  await resident.getByRole('button', { name: 'Chat', exact: true }).click();
  await resident.getByLabel('Uw bericht').fill(tekst);
  await resident.getByRole('button', { name: 'Verstuur' }).click();
  await resident.getByText('U staat in de wachtrij.').waitFor();
  await resident.locator('.okc-log li:not(.okc-info)', { hasText: tekst }).waitFor(); // sent
  const onderwerp = `${PAGES[path].titel} ${tag}`;
  const queue = await ok(srv.api('GET', `${K}/chat/wachtrij`), 200);
  const gesprek = queue.results.find((g) => g.onderwerp === onderwerp);
  assert.ok(gesprek, `the widget's chat is in the queue: ${JSON.stringify(queue).slice(0, 300)}`);
  return gesprek.uuid;
}

const answer = (uuid, tekst) => ok(srv.api('POST', `${K}/gesprekken/${uuid}/berichten`, { tekst }));
/** The messages in the widget's panel (not its information lines), top to bottom. */
const messages = (page) => page.locator('.okc-log li:not(.okc-info)').allTextContents();

describe('the chat widget on another page of the website', () => {
  it('shows the conversation so far, in order and once each, and who helps; the chat goes on', async () => {
    const tag = `h${Date.now()}`;
    const resident = await newPage(browser, siteBase);
    try {
      const said = [`Mag een oude bank bij het grofvuil? ${tag}`, `Ja, meld hem aan via de website. ${tag}`,
        `En een koelkast? ${tag}`, `Die ook, het kost niets. ${tag}`];
      const uuid = await startChat(resident, '/afval', tag, said[0]);
      await ok(srv.api('POST', `${K}/chat/sessies/${uuid}/toewijzen`, { medewerker: 'kcm-test' }), 200);
      await answer(uuid, said[1]);
      await resident.getByText(said[1]).waitFor();
      await resident.getByText('Sanne helpt u nu.').waitFor();
      await resident.getByLabel('Uw bericht').fill(said[2]);
      await resident.getByRole('button', { name: 'Verstuur' }).click();
      await resident.getByText(said[2]).waitFor();
      await answer(uuid, said[3]);
      await resident.getByText(said[3]).waitFor();
      assert.deepEqual(await messages(resident), said);

      // Another page: the panel is open as the resident left it, without taking the focus.
      await resident.goto(`${siteBase}/paspoort?t=${tag}`);
      const knop = resident.getByRole('button', { name: 'Chat', exact: true });
      await resident.getByText('Sanne helpt u nu.').waitFor();
      assert.deepEqual(await messages(resident), said, 'the conversation so far, in order, once each');
      assert.equal(await knop.getAttribute('aria-expanded'), 'true');
      assert.equal(await resident.evaluate(() => document.activeElement === document.body), true,
        'the page keeps the focus');
      assert.equal(await resident.getByText('U staat in de wachtrij.').count(), 0, 'no longer waiting');

      // The chat goes on from here, both ways.
      const more = [`Kan ik ook bellen? ${tag}`, `Ja, via 14 020. ${tag}`];
      await resident.getByLabel('Uw bericht').fill(more[0]);
      await resident.getByRole('button', { name: 'Verstuur' }).click();
      // Sent (the widget shows its own message when the server has it), and only then answered:
      // as an employee does, and as the earlier exchange above waits too.
      await resident.locator('.okc-log li:not(.okc-info)', { hasText: more[0] }).waitFor();
      await answer(uuid, more[1]);
      await resident.getByText(more[1]).waitFor();
      assert.deepEqual(await messages(resident), [...said, ...more]);
      assert.equal(await resident.getByText('Sanne helpt u nu.').count(), 1);
      const gesprek = await ok(srv.api('GET', `${K}/gesprekken/${uuid}`), 200);
      assert.deepEqual(gesprek.berichten.map((b) => b.tekst), [...said, ...more], 'the server has the same');
      await expectAccessible(resident, 'chatwidget op een andere pagina');

      // Closed, it stays closed on the next page; opened, it shows the conversation.
      await resident.getByRole('button', { name: 'Sluiten' }).click();
      await resident.goto(`${siteBase}/afval?t=${tag}`);
      await knop.waitFor();
      assert.equal(await knop.getAttribute('aria-expanded'), 'false');
      await knop.click();
      await resident.getByText(more[1]).waitFor();
      assert.deepEqual(await messages(resident), [...said, ...more]);
      assert.deepEqual(resident.problems, [], 'no script errors or CSP violations');
    } finally {
      await resident.context().close();
    }
  });

  it('shows who helps when the chat was taken while no page with the widget was open', async () => {
    const tag = `w${Date.now()}`;
    const resident = await newPage(browser, siteBase);
    try {
      const vraag = `Hoe lang duurt een paspoort? ${tag}`;
      const uuid = await startChat(resident, '/paspoort', tag, vraag);
      // The resident reads a page without the widget; meanwhile a medewerker takes the chat.
      await resident.goto(`${siteBase}/contact?t=${tag}`);
      await ok(srv.api('POST', `${K}/chat/sessies/${uuid}/toewijzen`, { medewerker: 'Ahmed Yilmaz' }), 200); // no account: no first name
      const antwoord = `Ongeveer vijf werkdagen. ${tag}`;
      await answer(uuid, antwoord);

      await resident.goto(`${siteBase}/afval?t=${tag}`);
      await resident.getByText('Een medewerker helpt u nu.').waitFor();
      await resident.getByText(antwoord).waitFor();
      assert.deepEqual(await messages(resident), [vraag, antwoord]);
      assert.equal(await resident.getByText('U staat in de wachtrij.').count(), 0, 'no longer waiting');
      await expectAccessible(resident, 'chatwidget na overname');
      assert.deepEqual(resident.problems, [], 'no script errors or CSP violations');
    } finally {
      await resident.context().close();
    }
  });

  it('a chat that ended meanwhile shows the conversation and the end, and is forgotten', async () => {
    const tag = `e${Date.now()}`;
    const resident = await newPage(browser, siteBase);
    try {
      const vraag = `Is het milieustraat open? ${tag}`;
      const uuid = await startChat(resident, '/afval', tag, vraag);
      await resident.goto(`${siteBase}/contact?t=${tag}`);
      await ok(srv.api('POST', `${K}/chat/sessies/${uuid}/toewijzen`, { medewerker: 'kcm-test' }), 200);
      const antwoord = `Ja, tot vijf uur. ${tag}`;
      await answer(uuid, antwoord);
      await ok(srv.api('POST', `${K}/chat/sessies/${uuid}/afsluiten`, {}), 200);

      await resident.goto(`${siteBase}/paspoort?t=${tag}`);
      await resident.getByText('Het gesprek is beëindigd. Bedankt!').waitFor();
      assert.deepEqual(await messages(resident), [vraag, antwoord]);
      assert.equal(await resident.evaluate(() => sessionStorage.getItem('omnikanaal-chat')), null,
        'the ended chat is forgotten');
      // The next page starts afresh: a closed panel, no conversation.
      await resident.goto(`${siteBase}/afval?t=${tag}`);
      const knop = resident.getByRole('button', { name: 'Chat', exact: true });
      await knop.waitFor();
      assert.equal(await knop.getAttribute('aria-expanded'), 'false');
      assert.deepEqual(await messages(resident), []);
      assert.deepEqual(resident.problems, [], 'no script errors or CSP violations');
    } finally {
      await resident.context().close();
    }
  });
});
