// The redactie keeps the municipality's synonym list on its page (issue 15): the demo's groups
// are listed, a group with one term is refused with the reason at the field, a good group is
// listed and a search finds the article through it at once, and removing it ends that. axe in
// every state.
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
      await sectie.locator('#synoniemen li', { hasText: 'kliko, minicontainer, rolcontainer, vuilnisbak' }).waitFor();
      await expectAccessible(page, 'redactie synoniemen (start)');

      // A term of a demo group in a new group is refused, naming the term.
      await page.getByLabel('Nieuwe groep').fill('zwiebertje, Kliko');
      await sectie.getByRole('button', { name: 'Groep toevoegen' }).click();
      await page.locator('#termen-fout', { hasText: 'Kliko: De term "kliko" staat al in een andere groep synoniemen.' }).waitFor();
      await page.getByLabel('Nieuwe groep').fill('zwiebertje');
      await sectie.getByRole('button', { name: 'Groep toevoegen' }).click();
      await page.locator('#termen-fout', { hasText: 'Een groep heeft minstens 2 verschillende termen.' }).waitFor();
      assert.equal(await page.getByLabel('Nieuwe groep').getAttribute('aria-invalid'), 'true');
      await expectAccessible(page, 'redactie synoniemen (foutmelding)');

      await page.getByLabel('Nieuwe groep').fill('Zwiebertje, Kapotte, kapotte');
      await sectie.getByRole('button', { name: 'Groep toevoegen' }).click();
      await page.locator('#termen-fout', { hasText: 'kapotte: Deze term staat al eerder in de groep.' }).waitFor();
      await page.getByLabel('Nieuwe groep').fill('Zwiebertje, kapotte');
      await sectie.getByRole('button', { name: 'Groep toevoegen' }).click();
      await sectie.getByText('Groep toegevoegd: zwiebertje, kapotte.').waitFor();
      await sectie.locator('#synoniemen li', { hasText: 'zwiebertje, kapotte' }).waitFor();
      await expectAccessible(page, 'redactie synoniemen (toegevoegd)');
      assert.ok((await titels('zwiebertje')).includes('Kapotte afvalcontainer'));

      await sectie.getByRole('button', { name: 'Groep zwiebertje, kapotte verwijderen' }).click();
      await sectie.getByText('Groep verwijderd: zwiebertje, kapotte.').waitFor();
      await sectie.locator('#synoniemen li', { hasText: 'zwiebertje' }).waitFor({ state: 'detached' });
      assert.deepEqual(await titels('zwiebertje'), []);
      assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
    } finally {
      await page.context().close();
    }
  });
});
