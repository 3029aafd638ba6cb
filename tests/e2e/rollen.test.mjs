// Every role has a start page and sees only the menu items it may use: the manager lands on
// /sturing (the KPI dashboard and today's counts, no personal data) instead of "Geen
// toegang"; a page asks for the favicon that exists. axe and screenshots at 1440 and 390 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible, screenshot, cli, PASSWORD } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

let srv, browser;
before(async () => {
  srv = await startUiServer();
  cli(['user', 'create', '--username', 'manager-test', '--role', 'manager', '--db', srv.db], PASSWORD + '\n');
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function withPage(fn, viewport) {
  const page = await newPage(browser, srv.base);
  if (viewport) await page.setViewportSize(viewport);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
  } finally {
    await page.context().close();
  }
}

const zichtbareMenu = (page) => page.locator('.omk-header nav li:visible').allTextContents();

describe('roles', () => {
  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`the manager lands on the dashboard with the KPIs and today's figures (${viewport.width} px)`, () => withPage(async (page) => {
      const favicon = [];
      page.on('response', (r) => { if (/favicon/.test(r.url())) favicon.push(r.status()); });
      await loginStaff(page, 'muis', 'manager-test', '/sturing');
      await page.getByRole('heading', { name: 'Sturing', level: 1 }).waitFor();
      await page.locator('#kpis table').waitFor();
      await page.locator('#contacten tbody tr').first().waitFor();
      await page.locator('#contacten').getByText('Telefoon', { exact: true }).waitFor();
      await page.locator('#verzoeken').getByText('over de servicenorm').waitFor();
      await page.locator('#kennisbank').getByText('zoekvragen zonder resultaat').waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Geen toegang' }).count(), 0);
      assert.deepEqual(await zichtbareMenu(page), ['Sturing']);
      assert.ok(favicon.length && favicon.every((s) => s === 200), `favicon: ${favicon}`);
      await expectAccessible(page, `sturing (${viewport.width} px)`);
      await screenshot(page, `sturing-${viewport.width}`);
      // A page the manager may not use says so, with a link to the start page that is not itself.
      await page.goto('/backoffice');
      await page.getByRole('heading', { name: 'Geen toegang' }).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Naar uw startpagina' }).getAttribute('href'), '/sturing');
    }, viewport));
  }

  it('each role sees only its own menu item', () => withPage(async (page) => {
    await loginStaff(page, 'muis', 'backoffice-test', '/backoffice');
    await page.getByRole('heading', { name: /^Backoffice/ }).waitFor();
    assert.deepEqual(await zichtbareMenu(page), ['Backoffice']);
    const r = await page.evaluate(async () => (await fetch('/favicon.svg')).status);
    assert.equal(r, 200);
  }));

  it('the figures are counts only and the manager may not read the requests themselves', async () => {
    const s = await srv.api('GET', '/kanalen/api/v1/statistieken');
    assert.equal(s.status, 200);
    assert.deepEqual(Object.keys(s.json), ['klantcontacten', 'contactverzoeken']);
    assert.ok(s.json.klantcontacten.totaal >= Object.values(s.json.klantcontacten.perKanaal).reduce((a, b) => a + b, 0));
  });
});
