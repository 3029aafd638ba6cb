// The werkvoorraad in the KCC-werkplek (Chromium): an employee opens the werkvoorraad, filters
// by channel, claims an e-mail and a WhatsApp message and answers each from the item — the SMTP
// sink and the WhatsApp Cloud API double receive the replies — with the mouse and with the
// keyboard alone; outside WhatsApp's 24-hour window the form offers only approved templates and
// says why; two employees race to claim one item and exactly one wins, the other is told who
// has it. axe at 1440 and 390 px, screenshots werkvoorraad-1440 and werkvoorraad-390.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { startUiServer, launch, newPage, expectAccessible, actor, screenshot, cli, BIN, PASSWORD } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';
import { smtpSink, waitFor } from '../api/lib/smtp-sink.mjs';
import { whatsappCloud } from '../api/lib/whatsapp-cloud.mjs';

const K = '/kanalen/api/v1';
const SECRET = 'e2e-wa-geheim';
let srv, browser, sink, wa;

before(async () => {
  sink = await smtpSink();
  wa = await whatsappCloud();
  srv = await startUiServer({ extraArgs: ['--smtp', sink.url, '--mail-from', 'info@gemeente.test',
    '--whatsapp-app-secret', SECRET, '--whatsapp-api', wa.url, '--whatsapp-token', 'meta-token'] });
  cli(['user', 'create', '--username', 'kcm-twee', '--role', 'kcm', '--db', srv.db], PASSWORD + '\n');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  sink?.server.close();
  wa?.server.close();
});

function mail(tag, subject) {
  const msg = `From: Anna Bakker <anna.${tag}@example.org>\r\nTo: info@gemeente.test\r\nSubject: ${subject}\r\n`
    + `Message-ID: <${tag}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`
    + `Mijn vraag ${tag}: hoe verleng ik mijn parkeervergunning?\r\n`;
  const env = { ...process.env };
  delete env.OMNIKANAAL_DB;
  const r = spawnSync(BIN, ['mail-ingest', '--db', srv.db, '--mail-from', 'info@gemeente.test'], { input: msg, env, timeout: 30000 });
  assert.equal(r.status, 0, r.stderr.toString());
}

async function whatsapp(tag, from, { at = Date.now() } = {}) {
  const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', contacts: [{ profile: { name: `Kees ${tag}` }, wa_id: from }],
    messages: [{ from, id: `wamid.${tag}`, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: `WhatsApp-vraag ${tag}` } }] } }] }] });
  wa.inbound(from, at);
  const res = await fetch(`${srv.base}${K}/whatsapp/webhook`, { method: 'POST', body: raw, headers: {
    'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` } });
  assert.equal(res.status, 200, await res.text());
}

/** Opens the werkvoorraad, filtered to one channel, and the item whose subject or preview has `tekst`. */
async function openItem(page, a, kanaal, tekst) {
  const schakel = page.locator('#wv-schakel');
  if ((await schakel.getAttribute('aria-expanded')) !== 'true') await a.click(schakel);
  await page.locator('#werkvoorraad').waitFor();
  await a.select(page.locator('#wv-kanaal'), kanaal);
  const rij = page.locator('#wv-rijen tr', { hasText: tekst });
  await rij.waitFor({ timeout: 20000 });
  await a.click(rij.locator('button.omk-wv-open'));
  await page.locator('#wv-draad-kop').waitFor();
  await page.locator('.omk-wv-draad li', { hasText: tekst }).waitFor();
}

for (const mode of ['muis', 'toetsenbord']) {
  describe(`werkvoorraad (${mode})`, () => {
    it('answers an e-mail and a WhatsApp message from the werkvoorraad; the sink and the Cloud API double receive them', async () => {
      const tag = `${mode}${Date.now()}`;
      mail(tag, `Parkeervergunning ${tag}`);
      await whatsapp(tag, mode === 'muis' ? '31622220001' : '31622220002');
      const page = await newPage(browser, srv.base);
      const a = actor(page, mode);
      try {
        await loginStaff(page, mode, 'kcm-test', '/werkplek');
        await page.getByRole('heading', { name: 'KCC-werkplek' }).waitFor();

        // E-mail: open, claim, answer.
        await openItem(page, a, 'e-mail', `Mijn vraag ${tag}`);
        await a.click(page.getByRole('button', { name: 'Claimen' }));
        await page.locator('#wv-item dd', { hasText: 'Door u' }).waitFor();
        await a.fill(page.getByLabel('Uw antwoord'), `U verlengt de vergunning online. ${tag}`);
        if (mode === 'muis') {
          await expectAccessible(page, 'werkvoorraad met e-mail open (1280)');
          await page.setViewportSize({ width: 1440, height: 900 });
          await expectAccessible(page, 'werkvoorraad 1440');
          await screenshot(page, 'werkvoorraad-1440');
          // The page keeps to the viewport at 1440: the list and the item scroll on their own.
          const h = await page.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight]);
          assert.ok(h[0] <= h[1] + 1, `page height ${h[0]} within the viewport ${h[1]}`);
          await page.setViewportSize({ width: 390, height: 844 });
          await expectAccessible(page, 'werkvoorraad 390');
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `nothing past the right edge at 390 px (${overflow})`);
          await screenshot(page, 'werkvoorraad-390');
          await page.setViewportSize({ width: 1280, height: 900 });
        }
        await a.click(page.getByRole('button', { name: 'Antwoord versturen' }));
        await page.locator('.omk-wv-draad li.omk-bericht--uit', { hasText: `U verlengt de vergunning online. ${tag}` }).waitFor();
        assert.ok(await waitFor(() => sink.messages.some((m) => m.data.includes(`U verlengt de vergunning online. ${tag}`)), 15000),
          'the SMTP sink received the answer');
        const m = sink.messages.find((x) => x.data.includes(`online. ${tag}`));
        assert.deepEqual(m.to, [`anna.${tag}@example.org`]);
        assert.match(m.data, new RegExp(`In-Reply-To: <${tag}@example\\.org>`));

        // WhatsApp: within the window free text goes out.
        await openItem(page, a, 'whatsapp', `WhatsApp-vraag ${tag}`);
        await a.click(page.getByRole('button', { name: 'Claimen' }));
        await page.locator('#wv-item dd', { hasText: 'Door u' }).waitFor();
        await page.locator('#wv-venster-hint', { hasText: 'Vrije tekst kan tot' }).waitFor();
        await a.fill(page.getByLabel('Uw antwoord'), `Het stadhuis is open tot 17.00 uur. ${tag}`);
        await a.click(page.getByRole('button', { name: 'Antwoord versturen' }));
        await page.locator('.omk-wv-draad li.omk-bericht--uit', { hasText: `tot 17.00 uur. ${tag}` }).waitFor();
        assert.ok(await waitFor(() => wa.messages.some((x) => x.body.text?.body === `Het stadhuis is open tot 17.00 uur. ${tag}`), 15000),
          'the Cloud API double received the answer');
        assert.deepEqual(wa.rejected, [], 'every request was valid for the Cloud API');
        // Closing registers the result.
        await a.fill(page.locator('#wv-resultaat'), `Openingstijden gegeven ${tag}`);
        await a.click(page.getByRole('button', { name: 'Item afsluiten' }));
        await page.locator('#wv-item dd', { hasText: `Afgehandeld: Openingstijden gegeven ${tag}` }).waitFor();
        assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
      } finally {
        await page.context().close();
      }
    });
  });
}

describe('werkvoorraad: WhatsApp outside the 24-hour window', () => {
  it('offers only approved templates, says why, and the double receives a template', async () => {
    const tag = `venster${Date.now()}`;
    const sj = await srv.api('POST', `${K}/whatsappsjablonen`, { naam: 'vervolg_vraag', goedgekeurd: true,
      tekst: 'Beste {{1}}, er is een antwoord op uw vraag. Reageer op dit bericht om het te lezen.' });
    assert.equal(sj.status, 201, JSON.stringify(sj.json));
    await whatsapp(tag, '31622220003', { at: Date.now() - 50 * 3600 * 1000 });
    const page = await newPage(browser, srv.base);
    const a = actor(page, 'muis');
    try {
      await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
      await openItem(page, a, 'whatsapp', `WhatsApp-vraag ${tag}`);
      await a.click(page.getByRole('button', { name: 'Claimen' }));
      await page.locator('#wv-venster', { hasText: 'Het 24-uursvenster van WhatsApp is gesloten' }).waitFor();
      assert.equal(await page.getByLabel('Uw antwoord').count(), 0, 'no free text box outside the window');
      await expectAccessible(page, 'werkvoorraad, WhatsApp-venster gesloten');
      await a.select(page.getByLabel('Sjabloon', { exact: true }), 'vervolg_vraag');
      await a.fill(page.getByLabel('Waarden voor het sjabloon'), 'Kees');
      await a.click(page.getByRole('button', { name: 'Sjabloon versturen' }));
      await page.locator('.omk-wv-draad li.omk-bericht--uit', { hasText: 'Beste Kees, er is een antwoord op uw vraag.' }).waitFor();
      const got = wa.messages.at(-1).body;
      assert.equal(got.type, 'template');
      assert.equal(got.template.name, 'vervolg_vraag');
      assert.deepEqual(wa.rejected, []);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });
});

describe('werkvoorraad: two employees race for one item', () => {
  it('exactly one claim wins; the other sees who has it', async () => {
    const tag = `race${Date.now()}`;
    mail(tag, `Race ${tag}`);
    const pages = [await newPage(browser, srv.base), await newPage(browser, srv.base)];
    try {
      await loginStaff(pages[0], 'muis', 'kcm-test', '/werkplek');
      await loginStaff(pages[1], 'muis', 'kcm-twee', '/werkplek');
      for (const p of pages) await openItem(p, actor(p, 'muis'), 'e-mail', `Mijn vraag ${tag}`);
      await Promise.all(pages.map((p) => p.getByRole('button', { name: 'Claimen' }).click()));
      const uitkomst = await Promise.all(pages.map(async (p) => {
        const gewonnen = p.locator('#wv-item dd', { hasText: 'Door u' });
        const verloren = p.locator('#wv-melding', { hasText: 'Dit item is al geclaimd door' });
        await gewonnen.or(verloren).waitFor({ timeout: 20000 });
        return (await gewonnen.count()) ? 'gewonnen' : 'verloren';
      }));
      assert.deepEqual([...uitkomst].sort(), ['gewonnen', 'verloren'], `exactly one wins: ${uitkomst}`);
      const winnaar = uitkomst[0] === 'gewonnen' ? 'kcm-test' : 'kcm-twee';
      const lijst = await srv.api('GET', `${K}/werkvoorraad?kanaal=e-mail&pageSize=200`);
      const item = lijst.json.results.find((x) => x.laatsteBericht.tekst.includes(tag));
      assert.equal(item.geclaimd.door, winnaar);
      const verliezer = pages[uitkomst[0] === 'gewonnen' ? 1 : 0];
      const melding = await verliezer.locator('#wv-melding').textContent();
      assert.match(melding, new RegExp(`Dit item is al geclaimd door ${winnaar}`));
      // The loser's browser logs the refused request (409) itself; nothing else may go wrong.
      for (const p of pages) assert.deepEqual(p.problems.filter((x) => !/status of 409/.test(x)), []);
    } finally {
      for (const p of pages) await p.context().close();
    }
  });
});
