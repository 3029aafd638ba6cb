// The complete klantbeeld on the werkplek (issue 17), on the demo with its fictional sources
// (serve --demo-bronnen). Each case failed on the werkplek before: the BRP address, the BSN
// (masked, "Toon BSN") and the age were not shown; a reveal wrote nothing to the Logboek; a Zaken
// failure was followed by "Geen lopende zaken."; a name search listed bare names, people and
// businesses mixed. Screenshots at 1440 and 390 px go to docs/screenshots.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, demoResident, expectAccessible, screenshot } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';
import { startProxy } from '../api/lib/sources.mjs';

const LOG = '/klantbeeld/api/v1/verwerkingen/_zoek?pageSize=100';
let srv, browser, resident;
before(async () => {
  srv = await startUiServer({ extraArgs: ['--demo-bronnen'] });
  resident = await demoResident(srv);
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function withPage(server, fn, viewport = { width: 1440, height: 900 }) {
  const page = await newPage(browser, server.base);
  await page.setViewportSize(viewport);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
  } finally {
    await page.context().close();
  }
}

/** Logged in as KCC, a new contact, the demo resident found by phone: their klantbeeld. */
async function openResident(page, res = resident) {
  await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
  await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
  await page.locator('#voor', { hasText: 'nog geen klant gekozen' }).waitFor();
  await page.getByLabel('Zoeken op').selectOption('telefoonnummer');
  await page.getByLabel('Zoekterm').fill(res.telefoon);
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
  return page.locator('#klantbeeld');
}

/** The value next to a term of the klantbeeld's lists. */
const waarde = (kb, term) => kb.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

async function bsnRecords(bsn) {
  const r = await srv.api('POST', LOG, { bsn });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.results.filter((x) => x.naam === 'BSN tonen');
}

describe('werkplek: the complete klantbeeld', () => {
  it('shows the BRP address, the BSN masked, the age, the preferred channel and the zaken', async () => {
    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      await withPage(srv, async (page) => {
        const kb = await openResident(page);
        const straat = resident.naam.bezoekadres.straatnaam;
        await waarde(kb, 'Adres').filter({ hasText: straat }).waitFor();
        assert.match(await waarde(kb, 'Adres').innerText(), new RegExp(`${straat} ${resident.naam.bezoekadres.huisnummer}\\b`));
        assert.equal((await waarde(kb, 'BSN').locator('[data-bsn]').innerText()).trim(), `******${resident.bsn.slice(-3)}`);
        assert.equal((await page.content()).includes(resident.bsn), false, 'the whole BSN is not on the page before "Toon BSN"');
        assert.match(await waarde(kb, 'Geboren').innerText(), /^\d{1,2} [a-z]+ \d{4} \(\d{1,3} jaar\)$/);
        assert.notEqual((await waarde(kb, 'Voorkeurskanaal').innerText()).trim(), '');
        await kb.getByText('zijn verzonnen, geen echte gegevens').waitFor();
        // Zaken (their own tab): number (a link to the zaak), omschrijving, status, start date.
        await kb.getByRole('tab', { name: /^Zaken \d+ lopend/ }).click();
        const rij = kb.locator('table', { has: page.getByRole('columnheader', { name: 'Zaaknummer' }) }).locator('tbody tr').first();
        await rij.waitFor();
        const link = rij.getByRole('link', { name: /^ZAAK-\d{4}-\d{7}/ });
        assert.match(await link.getAttribute('href'), /\/zaken\/api\/v1\/zaken\/[0-9a-f-]{36}$/);
        assert.match(await rij.locator('td').nth(3).innerText(), /\d{4}/, 'a start date');
        assert.notEqual((await rij.locator('td').nth(2).innerText()).trim(), '', 'a status');
        await kb.getByRole('heading', { name: /^Zaken \(\d+ lopend, \d+ afgerond\)$/ }).waitFor();
        assert.equal(await kb.getByText(/Geen (lopende )?zaken/).count(), 0);
        if (viewport.width === 1440) await expectAccessible(page, 'werkplek (klantbeeld compleet)');
        // At 1440 px the klant pane scrolls by itself: the screenshot shows it at the tabs.
        await kb.getByRole('tab', { name: /^Zaken/ }).evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await screenshot(page, `werkplek-klantbeeld-${viewport.width}`);
      }, viewport);
    }
  });

  it('"Toon BSN" shows the whole number and writes a Logboek record through the API', async () => {
    const voor = (await bsnRecords(resident.bsn)).length;
    await withPage(srv, async (page) => {
      const kb = await openResident(page);
      await kb.getByRole('button', { name: 'Toon BSN' }).click();
      await waarde(kb, 'BSN').locator('[data-bsn]', { hasText: resident.bsn }).waitFor();
      await kb.getByText('vastgelegd in het logboek').waitFor();
      assert.equal(await kb.getByRole('button', { name: 'Toon BSN' }).count(), 0);
    });
    const na = await bsnRecords(resident.bsn);
    assert.equal(na.length, voor + 1, 'one "BSN tonen" record more');
    assert.equal(na[0].verwerkingsactiviteit, 'klantvraag-beantwoorden');
  });

  it('a Zaken source failure is said as an error, never followed by "Geen lopende zaken"', async () => {
    const stuk = await startProxy('http://127.0.0.1:9', { mode: 'status500' });
    const srv2 = await startUiServer({ extraArgs: ['--demo-bronnen'], extraEnv: { OMNIKANAAL_ZAKEN_URL: stuk.base } });
    try {
      await withPage(srv2, async (page) => {
        const kb = await openResident(page, await demoResident(srv2));
        await kb.getByRole('alert').filter({ hasText: 'Zaken konden niet worden opgehaald' }).waitFor();
        assert.equal(await kb.getByText(/Geen (lopende )?zaken/).count(), 0, 'no "none" after an error');
        await kb.locator('.omk-bronnen li', { hasText: 'Zaken' }).getByText('fout').waitFor();
        await waarde(kb, 'Geboren').waitFor(); // the BRP still answered
        // Asking again asks the sources again (and still says the error).
        await kb.getByRole('button', { name: 'Klantbeeld opnieuw ophalen' }).click();
        await kb.getByRole('alert').filter({ hasText: 'Zaken konden niet worden opgehaald' }).waitFor();
        await expectAccessible(page, 'werkplek (klantbeeld, Zaken fout)');
        await screenshot(page, 'werkplek-klantbeeld-zaken-fout-1440');
      });
    } finally {
      await srv2.stop();
      await stuk.close();
    }
  });

  it('a business found by KvK number shows its KvK data and zaken', async () => {
    const ids = await srv.api('GET', '/klantinteracties/api/v1/partij-identificatoren?partijIdentificatorCodeSoortObjectId=kvk_nummer&pageSize=1');
    const kvk = ids.json.results.find((i) => i.partijIdentificator.codeSoortObjectId === 'kvk_nummer').partijIdentificator.objectId;
    await withPage(srv, async (page) => {
      await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
      await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
      await page.getByLabel('Zoeken op').selectOption('kvkNummer');
      await page.getByLabel('Zoekterm').fill(kvk);
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      const kb = page.locator('#klantbeeld');
      await kb.getByRole('heading', { name: 'Bedrijf (KvK)' }).waitFor();
      assert.equal((await waarde(kb, 'KvK-nummer').innerText()).trim(), kvk);
      assert.match(await waarde(kb, 'Adres').innerText(), /\d{4}[A-Z]{2} Voorbeeldstad$/);
      assert.equal(await kb.getByRole('button', { name: 'Toon BSN' }).count(), 0);
      await kb.getByRole('tab', { name: /^Zaken/ }).click();
      await kb.getByRole('heading', { name: /^Zaken \(\d+ lopend, \d+ afgerond\)$/ }).waitFor();
      await kb.getByText('de gegevens uit Zaken en KvK zijn verzonnen').waitFor();
    });
  });

  it('a name search shows birth date and address, people apart from businesses', async () => {
    // A surname the demo gives to several people and to a business.
    const ps = await srv.api('GET', '/klantinteracties/api/v1/partijen?pageSize=500');
    const personen = {};
    for (const p of ps.json.results) {
      const a = p.partijIdentificatie?.contactnaam?.achternaam;
      if (a) personen[a] = (personen[a] || 0) + 1;
    }
    const org = ps.json.results.filter((p) => p.soortPartij === 'organisatie')
      .map((p) => p.partijIdentificatie.naam.split(' ').pop())
      .find((a) => personen[a] >= 2 && personen[a] <= 15);
    assert.ok(org, 'the demo has a surname of people and a business');
    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      await withPage(srv, async (page) => {
        await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
        await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
        await page.getByLabel('Zoeken op').selectOption('naam');
        await page.getByLabel('Zoekterm').fill(org);
        await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
        const uit = page.locator('#zoekresultaten');
        await uit.getByRole('heading', { name: /^Personen \(\d+\)$/ }).waitFor();
        await uit.getByRole('heading', { name: /^Organisaties \(\d+\)$/ }).waitFor();
        const mensen = uit.getByRole('list', { name: /^Personen/ }).getByRole('button');
        const bedrijven = uit.getByRole('list', { name: /^Organisaties/ }).getByRole('button');
        assert.ok(await mensen.count() >= 2);
        for (const b of await mensen.all()) {
          const t = await b.innerText();
          assert.match(t, /geboren \d{1,2} [a-z]+ \d{4}/, `birth date: ${t}`);
          assert.match(t, /\d{4} [A-Z]{2} /, `address: ${t}`);
        }
        for (const b of await bedrijven.all()) assert.match(await b.innerText(), /KvK \d{8}/);
        if (viewport.width === 1440) await expectAccessible(page, 'werkplek (zoeken op naam)');
        await screenshot(page, `werkplek-zoeken-naam-${viewport.width}`);
      }, viewport);
    }
  });
});
