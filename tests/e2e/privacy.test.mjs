// The privacy officer's page in Chromium (issue 18): a beheerder lands on /privacy, answers an
// inzageverzoek for a demo resident (readable, sections that open, the explanation, a JSON
// download), registers an AVG request and sees its deadline, proposes a destruction list that
// only a second officer (another browser) can approve, who then sees the verklaring. axe 0 on
// each state; screenshots at 1440 and 390 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, demoResident, expectAccessible, screenshot, cli, PASSWORD } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

let srv, browser, resident;
before(async () => {
  srv = await startUiServer();
  for (const u of ['privacy-een', 'privacy-twee'])
    cli(['user', 'create', '--username', u, '--role', 'beheerder', '--db', srv.db], PASSWORD + '\n');
  browser = await launch();
  resident = await demoResident(srv);
});
after(async () => { await browser?.close(); await srv?.stop(); });

describe('privacy and retention page', () => {
  it('an inzageverzoek, an AVG request and a destruction list with four eyes', async () => {
    const een = await newPage(browser, srv.base);
    const twee = await newPage(browser, srv.base);
    try {
      await loginStaff(een, 'muis', 'privacy-een', '/privacy');
      await expectAccessible(een, 'privacy, leeg');

      // Inzage: a bad BSN is named at its field; a demo resident's data is shown readably.
      await een.getByLabel('BSN van de betrokkene').fill('123456789');
      await een.getByRole('button', { name: 'Gegevens verzamelen' }).click();
      await een.locator('#inzage-bsn[aria-invalid="true"]').waitFor();
      await expectAccessible(een, 'privacy, foute BSN');
      await een.getByLabel('BSN van de betrokkene').fill(resident.bsn);
      await een.getByRole('button', { name: 'Gegevens verzamelen' }).click();
      await een.getByRole('heading', { name: `Gegevens over BSN ${resident.bsn}` }).waitFor();
      const contacten = een.locator('details', { hasText: 'Contacten met de gemeente' });
      await contacten.locator('summary').click();
      assert.ok(await contacten.locator('li').count() > 0, 'the resident\'s contacts are listed');
      assert.match(await een.locator('.omk-toelichting').textContent(), /Autoriteit Persoonsgegevens/);
      const link = een.getByRole('link', { name: 'Download als JSON' });
      assert.match(await link.getAttribute('download'), new RegExp(`^inzage-${resident.bsn}-`));
      await expectAccessible(een, 'privacy, inzage');

      // An AVG request: registered, then listed with its deadline.
      await een.getByLabel('Soort verzoek').selectOption('wissen');
      await een.locator('#verzoek-bsn').fill(resident.bsn);
      await een.getByRole('button', { name: 'Registreren' }).click();
      await een.locator('#verzoeken').getByRole('cell', { name: 'Wissen', exact: true }).waitFor();
      assert.match(await een.locator('#verzoeken').textContent(), /\d+ dagen/);

      // A destruction list: the proposer cannot approve it; the second officer can.
      await een.getByRole('button', { name: 'Vernietigingslijst voorstellen' }).click();
      await een.locator('#lijsten li', { hasText: 'voorgesteld door privacy-een' }).waitFor();
      assert.equal(await een.getByRole('button', { name: 'Goedkeuren en vernietigen' }).count(), 0, 'no approve button for the proposer');
      await een.setViewportSize({ width: 1440, height: 900 });
      await screenshot(een, 'privacy-1440');
      await een.setViewportSize({ width: 390, height: 844 });
      await screenshot(een, 'privacy-390');
      await expectAccessible(een, 'privacy, 390 px');

      await loginStaff(twee, 'muis', 'privacy-twee', '/privacy');
      await twee.getByRole('button', { name: 'Goedkeuren en vernietigen' }).click();
      await twee.locator('#lijsten li', { hasText: 'Verklaring van vernietiging' }).waitFor();
      assert.match(await twee.locator('#lijsten').textContent(), /goedgekeurd door privacy-twee/);
      await expectAccessible(twee, 'privacy, na vernietiging');
      assert.deepEqual(een.problems, []);
      assert.deepEqual(twee.problems, []);
    } finally {
      await een.context().close();
      await twee.context().close();
    }
  });
});
