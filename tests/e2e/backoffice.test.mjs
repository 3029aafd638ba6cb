// The back office works a call-back request from the hand-over: the call-back number and
// availability are on screen; a call that does not reach the resident is recorded as an attempt
// and the request stays open — and the resident then reads "niet bereikt" in Mijn
// Voorbeeldstad, never "Afgehandeld". Also: in behandeling, forwarding, the history of closed
// requests, axe in every state, screenshots at 1440 and 390 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible, screenshot, demoResident } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

const KV = '/kanalen/api/v1/contactverzoeken';
let srv, browser, resident;
before(async () => { srv = await startUiServer(); browser = await launch(); resident = await demoResident(srv); });
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

async function verzoek(onderwerp, over = {}) {
  const r = await srv.api('POST', KV, { kanaal: 'telefoon', onderwerp, partij: { uuid: resident.partij },
    gevraagdeHandeling: 'Terugbellen', toelichting: 'Vraagt naar de status van haar aanvraag.',
    contactgegevens: { naam: 'Inwoner', telefoonnummer: '0612345678', bereikbaarheid: 'Werkdagen na 14.00 uur' },
    toegewezenAan: { soort: 'afdeling', naam: 'Burgerzaken' }, ...over });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

async function openVerzoek(page, onderwerp) {
  await page.getByLabel('Toegewezen aan').selectOption('afdeling=Burgerzaken');
  await page.getByRole('button', { name: 'Toon', exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^Open\\W+${onderwerp}$`) }).click();
  await page.getByRole('heading', { name: `Contactverzoek: ${onderwerp}` }).waitFor();
}

describe('back office: contact attempts', () => {
  it('a failed call attempt keeps the request open, and the resident does not see "Afgehandeld"', async () => {
    const onderwerp = `Terugbellen paspoort ${Date.now() % 100000}`;
    const kv = await verzoek(onderwerp);
    await withPage(async (page) => {
      await loginStaff(page, 'muis', 'backoffice-test', '/backoffice');
      await openVerzoek(page, onderwerp);
      const detail = page.locator('#detail-inhoud');
      await detail.getByRole('link', { name: '0612345678' }).waitFor();
      assert.equal(await detail.getByRole('link', { name: '0612345678' }).getAttribute('href'), 'tel:0612345678');
      await detail.getByText('Werkdagen na 14.00 uur').waitFor();
      await expectAccessible(page, 'backoffice (verzoek open)');
      await page.getByLabel('Wat is er gedaan?').fill('Gebeld, voicemail ingesproken.');
      await page.getByLabel('Contact opgenomen via').selectOption('telefoon');
      await page.getByRole('button', { name: 'Niet bereikt, verzoek blijft open' }).click();
      await page.getByRole('heading', { name: 'Contactpogingen' }).waitFor();
      await detail.getByText('Niet bereikt (1×)').waitFor();
      // Still in the open list, marked as not reached.
      const rij = page.locator('#lijst tr', { hasText: onderwerp });
      await rij.getByText('Niet bereikt (1×)').waitFor();
      await expectAccessible(page, 'backoffice (na poging)');
      await screenshot(page, 'backoffice-poging-1440');
    }, { width: 1440, height: 1000 });
    const na = await srv.api('GET', `${KV}/${kv.uuid}`);
    assert.equal(na.json.status, 'open');
    assert.equal(na.json.pogingen.length, 1);
    const taak = await srv.api('GET', `/klantinteracties/api/v1/internetaken/${kv.internetaak.uuid}`);
    assert.equal(taak.json.status, 'te_verwerken');

    for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
      await withPage(async (page) => {
        await page.goto('/mijn');
        await page.waitForURL('**/inloggen-inwoner**');
        await page.getByLabel('Burgerservicenummer (BSN)').fill(resident.bsn);
        await page.getByRole('button', { name: /^Inloggen/ }).click();
        await page.waitForURL('**/mijn');
        const item = page.locator('#verzoeken li', { hasText: onderwerp });
        await item.getByText('Wij konden u niet bereiken').waitFor();
        await item.getByText(/geprobeerd u te bellen/).waitFor();
        assert.equal(await item.getByText('Afgehandeld').count(), 0, await item.textContent());
        // The header names the resident, not "inwoner".
        await page.locator('#gebruiker-wie strong').waitFor();
        assert.doesNotMatch(await page.locator('#gebruiker-wie').textContent(), /inwoner/);
        await expectAccessible(page, `mijn (niet bereikt, ${viewport.width} px)`);
        await screenshot(page, `mijn-niet-bereikt-${viewport.width}`);
      }, viewport);
    }
  });

  it('in behandeling, forwarding, closing and the history; errors are tied to their fields', () => withPage(async (page) => {
    const tag = Date.now() % 100000;
    const onderwerp = `Vergunning uitrit ${tag}`;
    const afdeling = `Team Uitritten ${tag}`;
    await verzoek(onderwerp);
    await loginStaff(page, 'muis', 'backoffice-test', '/backoffice');
    await openVerzoek(page, onderwerp);
    await page.getByRole('button', { name: 'In behandeling nemen' }).click();
    await page.locator('#detail-inhoud').getByText('In behandeling: backoffice-test').waitFor();
    await page.getByRole('button', { name: 'Doorsturen' }).click();
    await page.locator('#door-naam-fout').waitFor();
    assert.equal(await page.getByLabel('Naam').getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'backoffice (foutmelding doorsturen)');
    await page.getByLabel('Naar').selectOption('afdeling');
    await page.getByLabel('Naam').fill(afdeling);
    await page.getByRole('button', { name: 'Doorsturen' }).click();
    await page.getByText(`Doorgestuurd naar ${afdeling}.`, { exact: false }).first().waitFor();
    const fwd = (await srv.api('GET', `${KV}?afdeling=${encodeURIComponent(afdeling)}&status=open`)).json.results.find((x) => x.onderwerp === onderwerp);
    assert.ok(fwd);
    assert.equal(fwd.inBehandeling, null);
    // Close it, then find it in the history.
    await page.reload();
    await page.getByLabel('Toegewezen aan').locator('option', { hasText: afdeling }).first().waitFor({ state: 'attached' });
    await page.getByLabel('Toegewezen aan').selectOption(`afdeling=${afdeling}`);
    await page.getByRole('button', { name: 'Toon', exact: true }).click();
    await page.getByRole('button', { name: new RegExp(`^Open\\W+${onderwerp}$`) }).click();
    await page.getByLabel('Wat is er gedaan?').fill('Teruggebeld, vergunning uitgelegd.');
    await page.getByLabel('Contact opgenomen via').selectOption('telefoon');
    await page.getByRole('button', { name: 'Afhandelen en sluiten' }).click();
    await page.getByText(/^Afgehandeld\./).waitFor();
    await page.getByLabel('Toon', { exact: true }).selectOption('afgehandeld');
    await page.getByRole('button', { name: 'Toon', exact: true }).click();
    await page.getByRole('heading', { name: 'Afgehandelde contactverzoeken' }).waitFor();
    const rij = page.locator('#lijst tbody tr').first();
    await rij.getByRole('cell', { name: onderwerp, exact: true }).waitFor();
    await rij.getByText('Teruggebeld, vergunning uitgelegd.').waitFor();
    await expectAccessible(page, 'backoffice (historie)');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, 'backoffice (historie, 390 px)');
    await screenshot(page, 'backoffice-historie-390');
    // An empty choice says so.
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.getByLabel('Toegewezen aan').selectOption(`afdeling=${afdeling}`);
    await page.getByLabel('Toon', { exact: true }).selectOption('te-laat');
    await page.getByRole('button', { name: 'Toon', exact: true }).click();
    await page.getByText('Er zijn geen open contactverzoeken voor deze keuze.').waitFor();
    await expectAccessible(page, 'backoffice (leeg)');
  }));
});
