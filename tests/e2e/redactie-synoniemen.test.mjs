// The redactie keeps the municipality's synonym list on its page (issue 15): a group with one
// term is refused with the reason at the field, a good group is listed and a search by the
// KCC finds the article through it at once, and removing it ends that. axe in every state.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

const ZOEK = '/kennisbank/api/v1/_zoek';
let srv, browser;
before(async () => { srv = await startUiServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const titels = async (q) => {
  const r = await srv.api('POST', ZOEK, { q });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.results.map((x) => x.titel);
};

describe('redactie: synoniemen van de gemeente', () => {
  it('adds a group (an error first), the search uses it at once, and removes it', async () => {
    assert.deepEqual(await titels('zwiebertje'), []);
    const page = await newPage(browser, srv.base);
    try {
      await loginStaff(page, 'muis', 'redacteur-test', '/redactie');
      const sectie = page.locator('section', { has: page.getByRole('heading', { name: 'Synoniemen van de gemeente' }) });
      await sectie.getByText('Nog geen synoniemen.').waitFor();
      await expectAccessible(page, 'redactie synoniemen (start)');

      await page.getByLabel('Nieuwe groep').fill('zwiebertje');
      await sectie.getByRole('button', { name: 'Groep toevoegen' }).click();
      await page.locator('#termen-fout', { hasText: 'Een groep heeft minstens 2 verschillende termen.' }).waitFor();
      assert.equal(await page.getByLabel('Nieuwe groep').getAttribute('aria-invalid'), 'true');
      await expectAccessible(page, 'redactie synoniemen (foutmelding)');

      await page.getByLabel('Nieuwe groep').fill('Zwiebertje, Kliko, kliko');
      await sectie.getByRole('button', { name: 'Groep toevoegen' }).click();
      await page.locator('#termen-fout', { hasText: 'kliko: Deze term staat al eerder in de groep.' }).waitFor();
      await page.getByLabel('Nieuwe groep').fill('Zwiebertje, kliko');
      await sectie.getByRole('button', { name: 'Groep toevoegen' }).click();
      await sectie.getByText('Groep toegevoegd: zwiebertje, kliko.').waitFor();
      await sectie.locator('#synoniemen li', { hasText: 'zwiebertje, kliko' }).waitFor();
      await expectAccessible(page, 'redactie synoniemen (toegevoegd)');
      assert.ok((await titels('zwiebertje')).includes('Kapotte afvalcontainer'));

      await sectie.getByRole('button', { name: 'Groep zwiebertje, kliko verwijderen' }).click();
      await sectie.getByText('Groep verwijderd: zwiebertje, kliko.').waitFor();
      await sectie.getByText('Nog geen synoniemen.').waitFor();
      assert.deepEqual(await titels('zwiebertje'), []);
      assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
    } finally {
      await page.context().close();
    }
  });
});
