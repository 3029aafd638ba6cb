// The chat widget when the server refuses a new chat (docs/limieten.md): the resident reads the
// server's Dutch reason in the panel — here a full queue — and what they typed stays.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage } from './lib/ui.mjs';
import { startWebsite, widgetPage } from './lib/website.mjs';

const K = '/kanalen/api/v1';
let srv, browser, site;

before(async () => {
  site = await startWebsite((url) => (url.pathname === '/afval'
    ? widgetPage({ title: 'Afval', text: 'Gemeente Voorbeeldstad.', server: srv.base }) : null));
  srv = await startUiServer({ extraArgs: ['--chat-origin', site.base, '--chat-queue-max', '1',
    '--chat-limit-address', '1000'] });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); site?.close(); });

describe('the chat widget and a full queue', () => {
  it('shows why the chat did not start, and keeps the message typed', async () => {
    // Fill the queue (the demo may have left chats waiting already).
    let full = false;
    for (let i = 0; i < 5 && !full; i++) {
      const r = await fetch(`${srv.base}${K}/chat/sessies`, { method: 'POST',
        headers: { 'Content-Type': 'application/json' }, body: '{}' });
      full = r.status === 503;
    }
    assert.ok(full, 'the queue is full');
    const resident = await newPage(browser, site.base);
    try {
      await resident.goto(`${site.base}/afval`);
      await resident.getByRole('button', { name: 'Chat', exact: true }).click();
      await resident.getByLabel('Uw bericht').fill('Wanneer wordt het grofvuil opgehaald?');
      await resident.getByRole('button', { name: 'Verstuur' }).click();
      await resident.getByText(/Uw bericht is niet verstuurd\. Er wachten nu zoveel mensen op een medewerker/).waitFor();
      assert.equal(await resident.getByLabel('Uw bericht').inputValue(), 'Wanneer wordt het grofvuil opgehaald?');
    } finally { await resident.context().close(); }
  });
});
