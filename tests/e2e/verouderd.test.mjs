// What the KCC-werkplek and the chat widget do when their event stream comes back with
// `verouderd`: the browser loses its connection (a proxy between browser and server drops it
// and holds the reconnect), meanwhile things happen and more than the server's ring of kept
// events (1,000) is published, so when the browser's EventSource reconnects by itself with
// Last-Event-ID the server can no longer replay what it missed and says `verouderd`. The page
// must then load its state again: the test checks what the user sees afterwards, and (through
// the proxy) that `verouderd` — not a replay — is what reached the browser.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';
import { startNetwerk } from './lib/netwerk.mjs';
import { startWebsite, widgetPage, ok } from './lib/website.mjs';

const K = '/kanalen/api/v1';
// One more than the server keeps (RING_MAX_EVENTS in src/api/kanalen/events.c): afterwards nothing the
// browser missed is still there to replay.
const RING = 1000;

let srv, browser, site, siteBase;
const siteTitle = `Paspoort en id-kaart ${Date.now()}`;
before(async () => {
  // The municipality's website (another origin) with the widget's script tag; the widget talks
  // to the server through the proxy given in ?via=; ?t= is added to the title (the chat's
  // onderwerp), so a test finds its own chat in the queue.
  site = await startWebsite((url) => {
    const q = url.searchParams;
    const title = q.get('t') ? `${siteTitle} ${q.get('t')}` : siteTitle;
    return widgetPage({ title, text: 'Informatie over paspoorten.', server: q.get('via') });
  });
  siteBase = site.base;
  srv = await startUiServer({ extraArgs: ['--chat-origin', siteBase] });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); site?.close(); });

/** A resident's chat started over the public API: {sessie, geheim, say(tekst)}. */
async function residentChat(naam, onderwerp) {
  const post = async (path, body, geheim) => {
    const res = await fetch(srv.base + path, { method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...(geheim ? { 'X-Chat-Sessie': geheim } : {}) } });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    return JSON.parse(text);
  };
  const s = await post(`${K}/chat/sessies`, { naam, onderwerp });
  return { ...s, say: (tekst) => post(`${K}/chat/sessies/${s.sessie}/berichten`, { tekst }, s.geheim) };
}

/** Publishes more events than the server keeps: screen pops for another medewerker (a busy
 * contact centre), a few at a time. */
async function overflowRing(tag) {
  let next = 0;
  const worker = async () => {
    while (next <= RING) {
      const i = next++;
      await ok(srv.api('POST', `${K}/cti/events`, { gebeurtenis: 'aangeboden', gespreksId: `druk-${tag}-${i}`,
        telefoonnummer: '0201234567', medewerker: `Collega ${tag}` }));
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** The events that reached the browser through `net` since `from` (an index into its list). */
const since = (net, from) => net.events().slice(from);
/** The page's problems, less the one the cut itself causes: Chromium reports the event stream
 * that ended mid-response. */
const problems = (page) => page.problems.filter((p) => !/ERR_INCOMPLETE_CHUNKED_ENCODING/.test(p));

describe('verouderd in the KCC-werkplek', () => {
  it('after a connection loss the ring no longer covers, the queue and the open chat are current again', async () => {
    const tag = `w${Date.now()}`;
    const net = await startNetwerk(srv.base);
    const page = await newPage(browser, net.base);
    try {
      const open = await residentChat(`Inwoner ${tag}-A`, 'Verhuizing');
      await open.say(`Ik ga verhuizen. ${tag}`);
      const waiting = await residentChat(`Inwoner ${tag}-C`, 'Afval');
      await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
      await page.locator('#chat-status[data-verbonden="ja"]').waitFor();
      const itemA = page.locator('#chat-wachtrij li', { hasText: `Inwoner ${tag}-A` });
      const itemB = page.locator('#chat-wachtrij li', { hasText: `Inwoner ${tag}-B` });
      const itemC = page.locator('#chat-wachtrij li', { hasText: `Inwoner ${tag}-C` });
      await itemC.waitFor();
      await itemA.getByRole('button', { name: 'Chat aannemen' }).click();
      await page.locator('#chat-berichten li', { hasText: `Ik ga verhuizen. ${tag}` }).waitFor();
      // A live message: the stream has delivered an event with an id, so the browser will
      // reconnect with Last-Event-ID.
      await open.say(`Per 1 maart. ${tag}`);
      await page.locator('#chat-berichten li', { hasText: `Per 1 maart. ${tag}` }).waitFor();

      const mark = net.events().length;
      net.cut();
      // While the werkplek is offline: the open chat goes on, a new chat arrives, a colleague
      // takes the waiting one, and the contact centre is busy enough to push it all out of the ring.
      await open.say(`Mijn nieuwe adres is Dorpsstraat 1. ${tag}`);
      await residentChat(`Inwoner ${tag}-B`, 'Rijbewijs');
      await ok(srv.api('POST', `${K}/chat/sessies/${waiting.sessie}/toewijzen`, { medewerker: `Collega ${tag}` }), 200);
      await overflowRing(tag);
      assert.deepEqual(since(net, mark), [], 'nothing reached the werkplek while it was offline');
      net.restore();

      await page.locator('#chat-berichten li', { hasText: `Mijn nieuwe adres is Dorpsstraat 1. ${tag}` }).waitFor();
      await itemB.waitFor();
      await itemC.waitFor({ state: 'detached' });
      await page.locator('#meldingen', { hasText: 'De verbinding was even weg.' }).waitFor();
      assert.deepEqual(since(net, mark), ['verbonden', 'verouderd'], 'the server could not replay and said so');
      assert.equal(await page.locator('#chat-berichten li', { hasText: `Per 1 maart. ${tag}` }).count(), 1,
        'the reloaded chat shows each message once');
      await expectAccessible(page, 'werkplek na verouderd');
      assert.deepEqual(problems(page), [], 'no script errors or CSP violations');
    } finally {
      await page.context().close();
      await net.stop();
    }
  });
});

describe('verouderd in an idle KCC-werkplek', () => {
  it('a werkplek whose stream had no event yet still learns of the chat that came during the loss', async () => {
    // Its only event so far is `verbonden`: that one must give the browser an id to come back
    // with, or the reconnect is a first connection and what happened meanwhile is lost.
    const tag = `i${Date.now()}`;
    const net = await startNetwerk(srv.base);
    const page = await newPage(browser, net.base);
    try {
      await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
      await page.locator('#chat-status[data-verbonden="ja"]').waitFor();
      const mark = net.events().length;
      assert.deepEqual(net.events(), ['verbonden'], 'no event yet but the greeting');
      net.cut();
      await residentChat(`Inwoner ${tag}`, 'Parkeervergunning');
      await overflowRing(tag);
      net.restore();

      await page.locator('#chat-wachtrij li', { hasText: `Inwoner ${tag}` }).waitFor();
      await page.locator('#meldingen', { hasText: 'De verbinding was even weg.' }).waitFor();
      assert.deepEqual(since(net, mark), ['verbonden', 'verouderd'], 'the server could not replay and said so');
      assert.deepEqual(problems(page), [], 'no script errors or CSP violations');
    } finally {
      await page.context().close();
      await net.stop();
    }
  });
});

describe('verouderd in the chat widget', () => {
  it('after a connection loss the ring no longer covers, the widget shows the missed answer and the end', async () => {
    const tag = `c${Date.now()}`;
    const net = await startNetwerk(srv.base);
    const resident = await newPage(browser, siteBase);
    try {
      await resident.goto(`${siteBase}/?via=${encodeURIComponent(net.base)}`);
      await resident.getByRole('button', { name: 'Chat', exact: true }).click();
      await resident.getByLabel('Uw bericht').fill(`Is mijn paspoort al klaar? ${tag}`);
      await resident.getByRole('button', { name: 'Verstuur' }).click();
      await resident.getByText('U staat in de wachtrij.').waitFor();
      // The widget's stream is registered (the server's `verbonden`), so the status event below
      // reaches it live.
      await net.waitForEvent('verbonden');
      const queue = await ok(srv.api('GET', `${K}/chat/wachtrij`), 200);
      const gesprek = queue.results.find((g) => g.onderwerp === siteTitle);
      assert.ok(gesprek, `the widget's chat is in the queue: ${JSON.stringify(queue).slice(0, 300)}`);
      await ok(srv.api('POST', `${K}/chat/sessies/${gesprek.uuid}/toewijzen`, { medewerker: 'kcm-test' }), 200);
      // The status event has an id, so the widget will reconnect with Last-Event-ID.
      await resident.getByText('Sanne helpt u nu.').waitFor();
      // The connection's catch-up load (history and status, after `verbonden`) is done, so the
      // cut below cannot land in the middle of it.
      await resident.locator('#okc-paneel[data-verbonden="ja"]').waitFor();

      const mark = net.events().length;
      net.cut();
      // While the resident is offline: the agent answers and closes the chat.
      await ok(srv.api('POST', `${K}/gesprekken/${gesprek.uuid}/berichten`, { tekst: `Ja, u kunt hem ophalen. ${tag}` }));
      await ok(srv.api('POST', `${K}/chat/sessies/${gesprek.uuid}/afsluiten`, {}), 200);
      await overflowRing(tag);
      net.restore();

      await resident.getByText(`Ja, u kunt hem ophalen. ${tag}`).waitFor();
      await resident.getByText('Het gesprek is beëindigd. Bedankt!').waitFor();
      assert.deepEqual(since(net, mark), ['verbonden', 'verouderd'], 'the server could not replay and said so');
      assert.equal(await resident.evaluate(() => sessionStorage.getItem('omnikanaal-chat')), null,
        'the ended chat is forgotten');
      await expectAccessible(resident, 'chatwidget na verouderd');
      assert.deepEqual(problems(resident), [], 'no script errors or CSP violations');
    } finally {
      await resident.context().close();
      await net.stop();
    }
  });
});

describe('a chat taken while the widget was offline', () => {
  it('after a connection loss the ring no longer covers, the widget shows who helps now', async () => {
    const tag = `o${Date.now()}`;
    const net = await startNetwerk(srv.base);
    const resident = await newPage(browser, siteBase);
    try {
      await resident.goto(`${siteBase}/?via=${encodeURIComponent(net.base)}&t=${tag}`);
      await resident.getByRole('button', { name: 'Chat', exact: true }).click();
      await resident.getByLabel('Uw bericht').fill(`Kan ik een afspraak maken? ${tag}`);
      await resident.getByRole('button', { name: 'Verstuur' }).click();
      await resident.getByText('U staat in de wachtrij.').waitFor();
      await resident.locator('.okc-log li:not(.okc-info)', { hasText: `afspraak maken? ${tag}` }).waitFor();
      // The stream is registered; its `verbonden` is the only event (with the id to come back
      // with), and the widget has loaded the conversation it announces.
      await net.waitForEvent('verbonden');
      await resident.locator('#okc-paneel[data-verbonden="ja"]').waitFor();
      const queue = await ok(srv.api('GET', `${K}/chat/wachtrij`), 200);
      const gesprek = queue.results.find((g) => g.onderwerp === `${siteTitle} ${tag}`);
      assert.ok(gesprek, `the widget's chat is in the queue: ${JSON.stringify(queue).slice(0, 300)}`);

      const mark = net.events().length;
      net.cut();
      await resident.locator('#okc-paneel[data-verbonden="nee"]').waitFor();
      // While the resident is offline a medewerker takes the chat (no answer yet), and the
      // contact centre is busy enough that the status event is no longer kept to replay.
      await ok(srv.api('POST', `${K}/chat/sessies/${gesprek.uuid}/toewijzen`, { medewerker: 'Ahmed Yilmaz' }), 200); // no account: no first name
      await overflowRing(tag);
      net.restore();

      await resident.getByText('Een medewerker helpt u nu.').waitFor();
      assert.deepEqual(since(net, mark), ['verbonden', 'verouderd'], 'the server could not replay and said so');
      assert.deepEqual(await resident.locator('.okc-log li:not(.okc-info)').allTextContents(),
        [`Kan ik een afspraak maken? ${tag}`], 'the conversation once');
      await expectAccessible(resident, 'chatwidget na overname tijdens verbindingsverlies');
      assert.deepEqual(problems(resident), [], 'no script errors or CSP violations');
    } finally {
      await resident.context().close();
      await net.stop();
    }
  });
});
