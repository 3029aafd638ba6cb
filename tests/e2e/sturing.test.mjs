// The manager's dashboard (/sturing) on the demo municipality, with the keyboard only: the KPIs
// with their definitions, the charts (uPlot) each with its table, the filters (kept in the
// address bar, so a reload shows the same), the CSV export, the goals with their progress (the
// demo's own goals too), the trend monitor, the channel mix per klantgroep and the channel-shift
// what-if; axe at 1440 and 390 px, screenshots in docs/screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible, screenshot, cli, actor, PASSWORD } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

let srv, browser;
before(async () => {
  srv = await startUiServer();
  cli(['user', 'create', '--username', 'manager-sturing', '--role', 'manager', '--db', srv.db], PASSWORD + '\n');
  const vandaag = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const d = await srv.api('POST', '/sturing/api/v1/doelen', { titel: 'Meer vragen in één keer goed', eigenaar: 'Directeur Dienstverlening',
    kpi: 'fcr', niveau: 'strategisch', nulmeting: 40, streefwaarde: 95, startdatum: '2025-01-01', deadline: `${Number(vandaag.slice(0, 4)) + 1}-12-31` });
  assert.equal(d.status, 201, JSON.stringify(d.json));
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

describe('the manager\'s dashboard', () => {
  it('shows the KPIs, charts and goals, filters by keyboard, exports CSV (1440 px)', () => withPage(async (page) => {
    const a = actor(page, 'toetsenbord');
    await loginStaff(page, 'toetsenbord', 'manager-sturing', '/sturing');
    const kpis = page.locator('#kpis table');
    await kpis.waitFor();
    // Every figure with its definition next to it.
    const contacten = page.locator('#kpis tr[data-kpi="contacten"]');
    assert.match(await contacten.locator('td').first().textContent(), /^\d[\d.]*$/);
    assert.match(await contacten.textContent(), /Het aantal klantcontacten in het register/);
    assert.match(await page.locator('#kpis tr[data-kpi="fcr"]').textContent(), /in één keer is afgehandeld/);
    // The charts are drawn, each with its data as a table and a text alternative.
    await page.locator('#grafiek-contacten canvas').first().waitFor();
    await page.locator('#grafiek-fcr canvas').first().waitFor();
    assert.equal(await page.locator('#grafiek-contacten [role="img"]').getAttribute('aria-label'),
      'Klantcontacten per kanaal en periode; dezelfde cijfers staan in de tabel hieronder.');
    await page.getByRole('table', { name: 'Klantcontacten per kanaal en periode' }).waitFor();
    // The goal and its progress; the demo's goals are there for a newcomer.
    await page.locator('#doelen').getByText('Meer vragen in één keer goed').waitFor();
    await page.locator('#doelen').getByText('Dienstverlening gemakkelijk af te nemen: 60% selfservice').waitFor();
    assert.match(await page.locator('#kpis tr[data-kpi="selfservice"]').textContent(), /\d+(,\d)?%/, 'self-service share from the demo\'s web transactions');
    // The trend monitor: every KPI with its signal and the rule in words.
    const trend = page.locator('#trends tr[data-kpi="contacten"]');
    await trend.waitFor();
    assert.match(await trend.textContent(), /Stijgt|Daalt|Geen signaal|Te weinig gegevens/);
    assert.match(await page.locator('#trends').textContent(), /twee standaardafwijkingen/);
    await page.locator('#stijgend p').first().waitFor();
    // The channel mix per klantgroep, with its CSV.
    const mix = page.getByRole('table', { name: 'Kanaalmix per klantgroep' });
    await mix.waitFor();
    assert.deepEqual((await mix.locator('tbody th').allTextContents()).sort(), ['Inwoners', 'Onbekend', 'Organisaties']);
    // Against the demo's channel strategy: the website's target share and course for residents.
    assert.match(await mix.locator('tbody tr', { hasText: 'Inwoners' }).textContent(), /\(35%, investeren\)/);
    const mixCsv = await page.getByRole('link', { name: 'Download de kanaalmix als CSV' }).getAttribute('href');
    assert.match(decodeURIComponent(mixCsv), /^data:text\/csv;charset=utf-8,klantgroep,kanaal,contacten,aandeel,gewenstAandeel,koers\r\n(?:(?:persoon|organisatie|contactpersoon|onbekend),[^,]+,\d+,[\d.]+,\d*,[a-z]*\r\n)+$/);
    // The what-if, by keyboard: a fifth of the phone calls to the website.
    await a.fill(page.getByLabel('Percentage dat verschuift'), '20');
    await a.select(page.getByLabel('Naar kanaal'), 'website');
    await a.click(page.getByRole('button', { name: 'Reken uit' }));
    const uitkomst = page.locator('#wat-als-tekst');
    await uitkomst.waitFor();
    assert.match(await uitkomst.textContent(), /contacten via Telefoon.*Verschuift 20%.*naar Website.*Kosten nu €\s[\d.]+,\d\d, daarna €\s[\d.]+,\d\d: €\s[\d.]+,\d\d minder/s);
    // The same channel twice is named at its field.
    await a.select(page.getByLabel('Naar kanaal'), 'telefoon');
    await a.click(page.getByRole('button', { name: 'Reken uit' }));
    await page.locator('#naar-kanaal[aria-invalid="true"]').waitFor();
    await a.select(page.getByLabel('Naar kanaal'), 'website');
    await a.click(page.getByRole('button', { name: 'Reken uit' }));
    await page.locator('#wat-als-tekst').waitFor();
    await expectAccessible(page, 'sturing dashboard (1440 px)');
    await screenshot(page, 'sturing-dashboard-1440');

    // Filters with the keyboard: per month, only the telephone.
    await a.select(page.getByLabel('Per', { exact: true }), 'maand');
    await a.select(page.getByLabel('Kanaal', { exact: true }), 'telefoon');
    await a.click(page.getByRole('button', { name: 'Toon cijfers' }));
    await page.waitForURL(/periode=maand/);
    assert.match(page.url(), /kanaal=telefoon/);
    await page.locator('#kpis').getByText('kanaal Telefoon').waitFor();
    const tabel = page.getByRole('table', { name: 'Klantcontacten per kanaal en periode' });
    await tabel.waitFor();
    assert.deepEqual(await tabel.locator('thead th').allTextContents(), ['Periode', 'Telefoon']);
    assert.ok((await tabel.locator('tbody th').allTextContents()).every((p) => /^\d{4}-\d{2}$/.test(p)), 'months');

    // The CSV of the same figures.
    const href = await page.getByRole('link', { name: 'Download de kengetallen als CSV' }).getAttribute('href');
    assert.match(href, /formaat=csv/);
    assert.match(href, /kanaal=telefoon/);
    const csv = await page.evaluate(async (h) => { const r = await fetch(h); return [r.status, r.headers.get('content-type'), await r.text()]; }, href);
    assert.equal(csv[0], 200);
    assert.match(csv[1], /^text\/csv/);
    assert.match(csv[2], /^kpi,waarde,teller,noemer,eenheid,van,tot\r\ncontacten,\d+,/);

    // A reload shows the same filters and figures.
    await page.reload();
    await page.locator('#kpis').getByText('kanaal Telefoon').waitFor();
    assert.equal(await page.getByLabel('Per', { exact: true }).inputValue(), 'maand');
    assert.equal(await page.getByLabel('Kanaal', { exact: true }).inputValue(), 'telefoon');
  }, { width: 1440, height: 1000 }));

  it('a bad period is named at its field (390 px)', () => withPage(async (page) => {
    await loginStaff(page, 'muis', 'manager-sturing', '/sturing');
    await page.goto('/sturing?van=2026-03-10&tot=2026-03-01');
    await page.locator('#filters [aria-invalid="true"]').first().waitFor();
    assert.equal(await page.getByLabel('Tot en met').getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'sturing dashboard with an error (390 px)');
    await page.goto('/sturing');
    await page.locator('#grafiek-contacten canvas').first().waitFor();
    // Nothing makes the page scroll sideways on a phone (WCAG 1.4.10); wide tables scroll in
    // their own keyboard-reachable region.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390),
      `page width ${await page.evaluate(() => document.documentElement.scrollWidth)} px`);
    await expectAccessible(page, 'sturing dashboard (390 px)');
    await screenshot(page, 'sturing-dashboard-390');
  }, { width: 390, height: 844 }));
});
