// The privacy page under the conditions an officer meets (issue 18): two tabs of one officer —
// approve in one, act in the stale other → a clear message and no second action; a reload; a
// logout in one tab while the other still shows buttons → the login, and nothing done. An
// erasure request carried out from the page (preview, confirm; a stale second confirmation is
// refused with a message). And the resident's download of all their data in Mijn.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible, cli, PASSWORD } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

const AVG = '/avg/api/v1';
const OUD = '2023-03-01T10:00:00Z';
const BSN = '999990044';

let srv, browser;
before(async () => {
  srv = await startUiServer({ extraArgs: ['--vernietiging-interval', '0'] });
  for (const u of ['privacy-een', 'privacy-twee'])
    cli(['user', 'create', '--username', u, '--role', 'beheerder', '--db', srv.db], PASSWORD + '\n');
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

/** A second tab in the same browser context (the same session), failing on console errors. */
async function secondTab(page) {
  const tab = await page.context().newPage();
  tab.problems = [];
  tab.on('pageerror', (e) => tab.problems.push(`pageerror: ${e.message}`));
  tab.on('console', (m) => {
    if (tab.axeRunning && /inline style/.test(m.text())) return;
    if (m.type() === 'error' && !/status of (401|404|400|403|409)/.test(m.text())) tab.problems.push(`console: ${m.text()}`);
  });
  return tab;
}

const lists = async () => (await srv.api('GET', `${AVG}/vernietigingslijsten`)).json.results;

describe('privacy page: stale tabs, reload, logout', () => {
  it('approved in one tab, approved again in the stale other: a clear message, destroyed once', async () => {
    const een = await newPage(browser, srv.base);
    const twee = await newPage(browser, srv.base);
    try {
      await loginStaff(een, 'muis', 'privacy-een', '/privacy');
      await een.getByRole('button', { name: 'Vernietigingslijst voorstellen' }).click();
      await een.locator('#lijsten-melding', { hasText: 'Vernietigingslijst voorgesteld.' }).waitFor();
      const [lijst] = (await lists()).filter((l) => l.status === 'voorgesteld');

      await loginStaff(twee, 'muis', 'privacy-twee', '/privacy');
      const stale = await secondTab(twee);
      await stale.goto('/privacy');
      const item = (page) => page.locator(`#lijsten li[data-lijst="${lijst.uuid}"]`);
      await item(stale).getByRole('button', { name: 'Goedkeuren en vernietigen' }).waitFor();

      await item(twee).getByRole('button', { name: 'Goedkeuren en vernietigen' }).click();
      await item(twee).getByText('Verklaring van vernietiging').waitFor();
      await twee.locator('#lijsten-melding', { hasText: 'De gegevens zijn vernietigd' }).waitFor();

      // The stale tab still offers the button; using it changes nothing and says why.
      await item(stale).getByRole('button', { name: 'Goedkeuren en vernietigen' }).click();
      const melding = stale.locator('#lijsten-melding.omk-error');
      await melding.waitFor();
      assert.match(await melding.textContent(), /al beoordeeld.*ander venster/);
      await item(stale).getByText('Verklaring van vernietiging').waitFor();
      assert.equal(await item(stale).getByRole('button').count(), 0, 'the refreshed list offers nothing more');
      await expectAccessible(stale, 'privacy, verouderd tabblad');
      const after = (await lists()).find((l) => l.uuid === lijst.uuid);
      assert.equal(after.status, 'vernietigd');
      assert.equal(after.beoordeeldDoor, 'privacy-twee');

      // A reload shows the same.
      await stale.reload();
      await item(stale).getByText('Verklaring van vernietiging').waitFor();
      assert.equal(await item(stale).getByRole('button').count(), 0);
      assert.deepEqual(stale.problems, []);
      assert.deepEqual(twee.problems, []);
      assert.deepEqual(een.problems, []);
    } finally {
      await een.context().close();
      await twee.context().close();
    }
  });

  it('logged out in one tab, a button in the other sends to the login and does nothing; after it the work goes on', async () => {
    const een = await newPage(browser, srv.base);
    const twee = await newPage(browser, srv.base);
    try {
      await loginStaff(een, 'muis', 'privacy-een', '/privacy');
      await een.getByRole('button', { name: 'Vernietigingslijst voorstellen' }).click();
      await een.locator('#lijsten-melding', { hasText: 'Vernietigingslijst voorgesteld.' }).waitFor();
      const [lijst] = (await lists()).filter((l) => l.status === 'voorgesteld');

      await loginStaff(twee, 'muis', 'privacy-twee', '/privacy');
      const other = await secondTab(twee);
      await other.goto('/privacy');
      const knop = other.locator(`#lijsten li[data-lijst="${lijst.uuid}"]`).getByRole('button', { name: 'Goedkeuren en vernietigen' });
      await knop.waitFor();
      await twee.getByRole('button', { name: 'Uitloggen' }).click();
      await twee.waitForURL('**/login');

      await knop.click();
      await other.waitForURL('**/login?terug=%2Fprivacy');
      assert.equal((await lists()).find((l) => l.uuid === lijst.uuid).status, 'voorgesteld', 'nothing was destroyed');
      await other.getByLabel('Gebruikersnaam').fill('privacy-twee');
      await other.getByLabel('Wachtwoord').fill(PASSWORD);
      await other.getByRole('button', { name: 'Inloggen' }).click();
      await other.waitForURL('**/privacy');
      await other.locator(`#lijsten li[data-lijst="${lijst.uuid}"]`).getByRole('button', { name: 'Afwijzen' }).click();
      await other.locator('#lijsten-melding', { hasText: 'De lijst is afgewezen.' }).waitFor();
      assert.equal((await lists()).find((l) => l.uuid === lijst.uuid).status, 'afgewezen');
      assert.deepEqual(other.problems, []);
    } finally {
      await een.context().close();
      await twee.context().close();
    }
  });
});

describe('privacy page: an erasure request carried out', () => {
  it('a preview with the reasons, a confirmation; the stale tab\'s second confirmation is refused', async () => {
    // A resident with one contact long past its term and one recent.
    const p = await srv.api('POST', '/klantinteracties/api/v1/partijen', { soortPartij: 'persoon', indicatieActief: true,
      indicatieGeheimhouding: false, partijIdentificatie: { contactnaam: { voornaam: 'Wies', achternaam: 'Wistest' } },
      partijIdentificatoren: [{ partijIdentificator: { codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn',
        objectId: BSN, codeRegister: 'brp' } }] });
    assert.equal(p.status, 201, JSON.stringify(p.json));
    const contact = async (onderwerp, plaatsgevondenOp) => {
      const kc = await srv.api('POST', '/klantinteracties/api/v1/klantcontacten', { kanaal: 'telefoon', onderwerp,
        inhoud: 'Test.', indicatieContactGelukt: true, taal: 'nld', vertrouwelijk: false, plaatsgevondenOp });
      assert.equal(kc.status, 201, JSON.stringify(kc.json));
      const b = await srv.api('POST', '/klantinteracties/api/v1/betrokkenen', { wasPartij: { uuid: p.json.uuid },
        hadKlantcontact: { uuid: kc.json.uuid }, rol: 'klant', initiator: true });
      assert.equal(b.status, 201, JSON.stringify(b.json));
      return kc.json;
    };
    const oud = await contact('Wistest oud', OUD);
    const recent = await contact('Wistest recent', new Date(Date.now() - 86400e3).toISOString());
    const v = await srv.api('POST', `${AVG}/verzoeken`, { soort: 'wissen', bsn: BSN });
    assert.equal(v.status, 201);

    const een = await newPage(browser, srv.base);
    try {
      await loginStaff(een, 'muis', 'privacy-een', '/privacy');
      const stale = await secondTab(een);
      await stale.goto('/privacy');
      for (const page of [een, stale]) {
        await page.locator(`button[data-wissen="${v.json.uuid}"]`).click();
        await page.getByRole('heading', { name: `Wissen voor BSN ${BSN}` }).waitFor();
      }
      const preview = await een.locator('#wissen').textContent();
      assert.match(preview, /1 gegevens mogen worden gewist/);
      assert.match(preview, /Blijft · klantcontact .*Binnen de bewaartermijn tot/);
      await expectAccessible(een, 'privacy, wissen voorbereid');
      assert.equal((await srv.api('GET', `/klantinteracties/api/v1/klantcontacten/${oud.uuid}`)).status, 200, 'a preview erases nothing');

      await een.getByRole('button', { name: 'Bevestigen: 1 gegevens wissen' }).click();
      await een.locator('#wissen-melding', { hasText: 'Gewist: 1 × klantcontact' }).waitFor();
      await een.locator('#verzoeken td', { hasText: 'Gewist op' }).waitFor();
      assert.equal((await srv.api('GET', `/klantinteracties/api/v1/klantcontacten/${oud.uuid}`)).status, 404);
      assert.equal((await srv.api('GET', `/klantinteracties/api/v1/klantcontacten/${recent.uuid}`)).status, 200);

      await stale.getByRole('button', { name: 'Bevestigen: 1 gegevens wissen' }).click();
      const melding = stale.locator('#wissen-melding.omk-error');
      await melding.waitFor();
      assert.match(await melding.textContent(), /al uitgevoerd/);
      await stale.locator('#verzoeken td', { hasText: 'Gewist op' }).waitFor();
      await expectAccessible(stale, 'privacy, wissen al uitgevoerd');
      assert.deepEqual(een.problems, []);
      assert.deepEqual(stale.problems, []);
    } finally {
      await een.context().close();
    }
  });
});

describe('privacy page: a rectification request carried out', () => {
  it('the field as it is, a bad value named at its field, then the change, recorded with the request', async () => {
    const bsn = '999990056';
    const p = await srv.api('POST', '/klantinteracties/api/v1/partijen', { soortPartij: 'persoon', indicatieActief: true,
      indicatieGeheimhouding: false, partijIdentificatie: { contactnaam: { voornaam: 'Rik', achternaam: 'Rectitest' } },
      partijIdentificatoren: [{ partijIdentificator: { codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn',
        objectId: bsn, codeRegister: 'brp' } }] });
    assert.equal(p.status, 201, JSON.stringify(p.json));
    const adres = await srv.api('POST', '/klantinteracties/api/v1/digitaleadressen', { verstrektDoorPartij: { uuid: p.json.uuid },
      adres: 'oud@example.org', soortDigitaalAdres: 'email', omschrijving: 'privé' });
    assert.equal(adres.status, 201, JSON.stringify(adres.json));
    const v = await srv.api('POST', `${AVG}/verzoeken`, { soort: 'rectificatie', bsn });
    assert.equal(v.status, 201);
    const page = await newPage(browser, srv.base);
    try {
      await loginStaff(page, 'muis', 'privacy-een', '/privacy');
      await page.locator(`button[data-rectificeren="${v.json.uuid}"]`).click();
      await page.getByRole('heading', { name: `Rectificatie voor BSN ${bsn}` }).waitFor();
      await page.getByLabel('URL van het gegeven (uit de inzage)').fill(adres.json.url);
      await page.getByLabel('Veld').fill('adres');
      await page.getByLabel('Nieuwe waarde').fill('x'.repeat(1001));
      await page.getByRole('button', { name: 'Voorbeeld tonen' }).click();
      await page.locator('#rect-waarde[aria-invalid="true"]').waitFor();
      await expectAccessible(page, 'privacy, rectificatie met fout');
      await page.getByLabel('Nieuwe waarde').fill('nieuw@example.org');
      await page.getByRole('button', { name: 'Voorbeeld tonen' }).click();
      await page.locator('#rect-voorbeeld', { hasText: 'Nu is adres: "oud@example.org"' }).waitFor();
      assert.equal((await srv.api('GET', `/klantinteracties/api/v1/digitaleadressen/${adres.json.uuid}`)).json.adres, 'oud@example.org');
      await page.getByRole('button', { name: 'Bevestigen: wijzigen' }).click();
      await page.locator('#wissen-melding', { hasText: 'Gewijzigd: adres is nu "nieuw@example.org"' }).waitFor();
      await page.locator('#verzoeken td', { hasText: '1 × gewijzigd' }).waitFor();
      assert.equal((await srv.api('GET', `/klantinteracties/api/v1/digitaleadressen/${adres.json.uuid}`)).json.adres, 'nieuw@example.org');
      const stored = (await srv.api('GET', `${AVG}/verzoeken/${v.json.uuid}`)).json;
      assert.deepEqual(stored.uitvoering.rectificaties.map((r) => r.velden), [['adres']]);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });
});

describe('Mijn: all my data in one download', () => {
  it('what the file holds, readably, and the file to save', async () => {
    const page = await newPage(browser, srv.base);
    try {
      await page.goto('/mijn');
      await page.waitForURL('**/inloggen-inwoner**');
      await page.getByLabel('Burgerservicenummer (BSN)').fill(BSN);
      await page.getByRole('button', { name: /^Inloggen/ }).click();
      await page.waitForURL('**/mijn');
      await page.getByRole('button', { name: 'Mijn gegevens ophalen' }).click();
      const inhoud = page.locator('#download-inhoud');
      await inhoud.waitFor();
      assert.match(await inhoud.textContent(), /Contacten: 1/);
      const link = page.getByRole('link', { name: 'Download mijn-gegevens.json' });
      assert.equal(await link.getAttribute('download'), 'mijn-gegevens.json');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const body = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
      assert.equal(body.bsn, BSN);
      assert.equal(body.gegevens.klantcontacten.items[0].onderwerp, 'Wistest recent');
      await expectAccessible(page, 'mijn, gegevens opgehaald');
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });
});
