// The werkplek on one screen (issue 17), on the demo with its fictional sources. Each case
// failed on the werkplek before: it was one 3,600 px page of two columns (no panes, the page
// scrolled); the history showed the latest 15 of a count it never reached and its rows could
// not be opened; the kennisbank gave only the short answer. Screenshots at 1440 and 390 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, demoResident, expectAccessible, screenshot, cli, PASSWORD } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

const KI = '/klantinteracties/api/v1';
const tag = `scherm-${Date.now()}`;
let srv, browser, resident, oudste, medewerker;

before(async () => {
  srv = await startUiServer({ extraArgs: ['--demo-bronnen'] });
  resident = await demoResident(srv);
  // The screenshots show one employee's first contact, not the contacts the other cases left.
  cli(['user', 'create', '--username', 'kcm-scherm', '--role', 'kcm', '--db', srv.db], PASSWORD + '\n');
  // Eleven older contacts, so the history has more than one page whatever the demo gave this
  // resident; the oldest has notes and an employee of its own.
  medewerker = (await srv.api('GET', `${KI}/actoren?soortActor=medewerker&pageSize=1`)).json.results[0];
  for (let i = 0; i < 11; i++) {
    const eerste = i === 0;
    const r = await srv.api('POST', `${KI}/maak-klantcontact`, {
      klantcontact: {
        kanaal: eerste ? 'balie' : 'telefoon', onderwerp: eerste ? `Oudste contact ${tag}` : `Ouder contact ${i} ${tag}`,
        inhoud: eerste ? `Vraag bij de balie ${tag}` : 'Vraag', reactie: eerste ? `Notitie van de medewerker ${tag}` : 'Antwoord',
        taal: 'nld', vertrouwelijk: false, indicatieContactGelukt: true,
        plaatsgevondenOp: `${eerste ? 2018 : 2019}-0${1 + (i % 9)}-0${1 + (i % 9)}T09:30:00Z`,
      },
      betrokkene: { wasPartij: { uuid: resident.partij }, rol: 'klant', initiator: true },
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    if (eerste) {
      oudste = r.json.klantcontact;
      const a = await srv.api('POST', `${KI}/actorklantcontacten`, { actor: { uuid: medewerker.uuid }, klantcontact: { uuid: oudste.uuid } });
      assert.equal(a.status, 201, JSON.stringify(a.json));
    }
  }
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function withPage(viewport, fn) {
  const page = await newPage(browser, srv.base);
  await page.setViewportSize(viewport);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
  } finally {
    await page.context().close();
  }
}

/** Logged in as KCC, a new contact, the demo resident found by phone: their klantbeeld. */
async function openResident(page, medewerkerNaam = 'kcm-test') {
  await loginStaff(page, 'muis', medewerkerNaam, '/werkplek');
  await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
  await page.locator('#voor', { hasText: 'nog geen klant gekozen' }).waitFor();
  await page.getByLabel('Zoeken op').selectOption('telefoonnummer');
  await page.getByLabel('Zoekterm').fill(resident.telefoon);
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
  await page.getByRole('heading', { name: /^Contacthistorie/ }).waitFor();
}

const box = (page, sel) => page.locator(sel).evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { x: r.x, y: r.y, w: r.width, h: r.height, right: r.right, bottom: r.bottom };
});
/** The boxes of several elements in page coordinates, measured in one frame (the page may be
 * scrolling to the resident just opened: boxes measured one by one would mix scroll offsets). */
const boxes = (page, sels) => page.evaluate((ss) => ss.map((sel) => {
  const r = document.querySelector(sel).getBoundingClientRect();
  const y = r.y + scrollY;
  return { x: r.x, y, w: r.width, h: r.height, right: r.right, bottom: y + r.height };
}), sels);

describe('werkplek: one screen', () => {
  it('at 1440 px: three panes side by side that scroll on their own; the page fits the viewport', async () => {
    await withPage({ width: 1440, height: 900 }, async (page) => {
      await openResident(page);
      const [klant, werk, kb] = await boxes(page, ['#paneel-klant', '#paneel-werk', '#paneel-kennisbank']);
      assert.ok(klant.right <= werk.x && werk.right <= kb.x, `side by side: ${JSON.stringify([klant, werk, kb])}`);
      for (const p of [klant, werk, kb]) {
        assert.ok(p.w >= 300, `a pane is wide enough: ${JSON.stringify(p)}`);
        assert.ok(Math.abs(p.y - klant.y) < 2, 'the panes start at the same height');
        assert.ok(p.bottom <= 900, `a pane ends inside the viewport: ${JSON.stringify(p)}`);
      }
      const pagina = await page.evaluate(() => ({ hoog: document.scrollingElement.scrollHeight, venster: innerHeight }));
      assert.ok(pagina.hoog <= pagina.venster + 4, `the page does not scroll: ${JSON.stringify(pagina)}`);
      // The klant pane has more than it shows and scrolls by itself; the page and its header stay.
      const rol = await page.locator('#paneel-klant').evaluate((el) => {
        const voor = el.scrollHeight > el.clientHeight;
        el.scrollTop = 400;
        return { voor, top: el.scrollTop, pagina: document.scrollingElement.scrollTop, kop: document.querySelector('.omk-header').getBoundingClientRect().top };
      });
      assert.ok(rol.voor && rol.top > 0, `the klant pane scrolls: ${JSON.stringify(rol)}`);
      assert.equal(rol.pagina, 0);
      assert.equal(rol.kop, 0, 'the header stays in view');
      // The chat queue and the running contacts are in the bar above the panes.
      assert.ok((await box(page, '#chat-wachtrij')).bottom <= klant.y);
      assert.ok((await box(page, '#actief')).bottom <= klant.y);
    });
  });

  it('the history pages to the oldest contact; a row opens and closes with the keyboard', async () => {
    const alle = (await srv.api('GET', `${KI}/klantcontacten?hadBetrokkene__wasPartij__uuid=${resident.partij}&pageSize=1`)).json.count;
    assert.ok(alle > 10, `more than one page (${alle})`);
    await withPage({ width: 1440, height: 900 }, async (page) => {
      await openResident(page);
      const kb = page.locator('#klantbeeld');
      await kb.getByRole('tab', { name: /^Contactmomenten/ }).waitFor();
      assert.equal(await kb.getByRole('tab', { name: /^Contactmomenten/ }).getAttribute('aria-selected'), 'true');
      await kb.getByRole('heading', { name: `Contacthistorie (alle kanalen, ${alle})` }).waitFor();
      const rij = kb.getByRole('button', { name: `Oudste contact ${tag}` });
      assert.equal(await rij.count(), 0, 'the oldest contact is not on the first page');
      await kb.getByText(`10 van ${alle} contacten getoond.`).waitFor();
      for (let i = 0; i < 20 && !(await rij.count()); i++) {
        await kb.getByRole('button', { name: 'Meer laden' }).click();
        await page.waitForFunction((n) => document.querySelectorAll('#historie [data-open]').length > n, 10 * (i + 1) - 1);
      }
      await rij.waitFor();
      await kb.getByText(`${alle} van ${alle} contacten getoond (alle).`).waitFor();
      assert.equal(await kb.getByRole('button', { name: 'Meer laden' }).count(), 0);
      assert.equal(await kb.locator('#historie [data-open]').count(), alle, 'every contact once');

      // Keyboard: Enter opens the row's details, Space closes them.
      assert.equal(await rij.getAttribute('aria-expanded'), 'false');
      const detail = page.locator(`#${await rij.getAttribute('aria-controls')}`);
      assert.equal(await detail.isVisible(), false);
      await rij.focus();
      await page.keyboard.press('Enter');
      await detail.waitFor();
      assert.equal(await rij.getAttribute('aria-expanded'), 'true');
      const dd = (term) => detail.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
      assert.equal(await dd('Vraag').innerText(), `Vraag bij de balie ${tag}`);
      assert.equal(await dd('Antwoord en notities').innerText(), `Notitie van de medewerker ${tag}`);
      assert.equal(await dd('Medewerker').innerText(), medewerker.naam);
      assert.equal(await dd('Kanaal').innerText(), 'balie');
      assert.equal(await dd('Resultaat').innerText(), 'Afgehandeld');
      assert.match(await dd('Tijdstip').innerText(), /2018/);
      await expectAccessible(page, 'werkplek (historie uitgeklapt)');
      await page.keyboard.press('Space');
      await detail.waitFor({ state: 'hidden' });
      assert.equal(await rij.getAttribute('aria-expanded'), 'false');
    });
  });

  it('the klantbeeld\'s tabs work with the arrow keys', async () => {
    await withPage({ width: 1440, height: 900 }, async (page) => {
      await openResident(page);
      const kb = page.locator('#klantbeeld');
      await kb.getByRole('tab', { name: /^Contactmomenten/ }).focus();
      await page.keyboard.press('ArrowRight');
      const zaken = kb.getByRole('tab', { name: /^Zaken/ });
      assert.equal(await zaken.getAttribute('aria-selected'), 'true');
      assert.equal(await zaken.evaluate((el) => el === document.activeElement), true);
      await kb.getByRole('tabpanel', { name: /^Zaken/ }).getByRole('heading', { name: /^Zaken \(\d+ lopend, \d+ afgerond\)$/ }).waitFor();
      assert.equal(await kb.getByRole('heading', { name: /^Contacthistorie/ }).isVisible(), false);
      await page.keyboard.press('End');
      await kb.getByRole('tabpanel', { name: /^Verzoeken/ }).getByRole('heading', { name: /^Open contactverzoeken \(\d+\)$/ }).waitFor();
      await page.keyboard.press('ArrowRight');
      await kb.getByRole('heading', { name: /^Contacthistorie/ }).waitFor();
    });
  });

  it('the kennisbank shows the whole article, its markup rebuilt, never inserted', async () => {
    const gevonden = await srv.api('POST', '/kennisbank/api/v1/_zoek', { q: 'paspoort aanvragen', pageSize: 5 });
    const artikel = gevonden.json.results.find((a) => a.titel === 'Paspoort aanvragen');
    assert.ok(artikel, 'the demo has "Paspoort aanvragen"');
    const vol = (await srv.api('GET', `/kennisbank/api/v1/artikelen/${artikel.uuid}`)).json;
    // A line of the full answer that the short answer does not have.
    const regel = vol.antwoord.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/^[-*#\s]+/, '').replace(/[;.]$/, '').trim())
      .find((l) => l.length > 8 && !vol.kortAntwoord.includes(l));
    assert.ok(regel, 'the full answer says more than the short one');
    // An article whose text tries markup: it must arrive as text.
    const eng = await srv.api('POST', '/kennisbank/api/v1/artikelen', {
      titel: `Proefartikel ${tag}`, vragen: ['Werkt dit?'], kortAntwoord: 'Kort antwoord.', laag: 'gemeentelijk', status: 'gepubliceerd', doelgroep: 'inwoner',
      antwoord: `## Uitleg\n\nTekst met <img src=x onerror=alert(1)> en <script>alert(2)</script>.\n\n- [Lees verder](https://www.voorbeeldstad.nl/${tag})\n- [Niet dit](javascript:alert(3))`,
    });
    assert.equal(eng.status, 201, JSON.stringify(eng.json));
    await withPage({ width: 1440, height: 900 }, async (page) => {
      await openResident(page);
      const paneel = page.locator('#paneel-kennisbank');
      await page.getByLabel('Zoek in de kennisbank').fill('paspoort aanvragen');
      const item = paneel.locator('li', { has: page.getByRole('heading', { name: 'Paspoort aanvragen', exact: true }) });
      await item.waitFor();
      assert.equal(await item.getByText(regel).count(), 0, 'not shown before it is asked for');
      await item.getByText('Lees het hele artikel').click();
      const tekst = item.getByRole('region', { name: 'Paspoort aanvragen' });
      await tekst.getByText(regel).waitFor();
      assert.ok(await tekst.locator('li, p').count() >= 2, 'the structure of the article stays');
      await item.getByText('Lees het hele artikel').click();
      await tekst.waitFor({ state: 'hidden' });

      await page.getByLabel('Zoek in de kennisbank').fill(`Proefartikel ${tag}`);
      const proef = paneel.locator('li', { has: page.getByRole('heading', { name: `Proefartikel ${tag}` }) });
      await proef.waitFor();
      await proef.locator('summary').focus();
      await page.keyboard.press('Enter');
      const uitleg = proef.getByRole('region', { name: `Proefartikel ${tag}` });
      await uitleg.getByText('<img src=x onerror=alert(1)>', { exact: false }).waitFor();
      assert.equal(await uitleg.locator('img, script, [onerror], [style]').count(), 0);
      assert.equal(await uitleg.getByRole('link', { name: 'Lees verder' }).getAttribute('href'), `https://www.voorbeeldstad.nl/${tag}`);
      assert.equal(await uitleg.locator('a[href^="javascript"]').count(), 0);
      await uitleg.getByRole('heading', { name: 'Uitleg', level: 4 }).waitFor();
    });
  });

  it('the kennisbank searches along with the subject typed, never over a search of one\'s own', async () => {
    await withPage({ width: 1440, height: 900 }, async (page) => {
      await openResident(page);
      const zoek = page.getByLabel('Zoek in de kennisbank');
      assert.equal(await zoek.inputValue(), '');
      await page.getByLabel('Onderwerp').first().fill('Paspoort aanvragen');
      await page.locator('#kb-status', { hasText: /artikelen? gevonden bij het onderwerp$/ }).waitFor();
      assert.equal(await zoek.inputValue(), 'Paspoort aanvragen');
      await page.locator('#kb-resultaten').getByRole('heading', { name: 'Paspoort aanvragen', exact: true }).waitFor();
      await zoek.fill('grofvuil');
      await page.locator('#kb-status', { hasText: /gevonden$/ }).waitFor();
      await page.getByLabel('Onderwerp').first().fill('Paspoort kwijt');
      await page.waitForTimeout(900);
      assert.equal(await zoek.inputValue(), 'grofvuil', 'the employee\'s own search stays');
    });
  });

  it('screenshots: the klant, a history row and an article at 1440; one column at 390 with nothing cut off', async () => {
    await withPage({ width: 1440, height: 900 }, async (page) => {
      await openResident(page, 'kcm-scherm');
      await page.getByLabel('Zoek in de kennisbank').fill('paspoort aanvragen');
      const item = page.locator('#kb-resultaten li', { has: page.getByRole('heading', { name: 'Paspoort aanvragen', exact: true }) });
      await item.getByText('Lees het hele artikel').click();
      await item.getByRole('region').locator('li').first().waitFor();
      await page.locator('#historie [data-open]').first().click();
      await page.getByLabel('Onderwerp').first().fill('Paspoort aanvragen');
      await page.getByLabel('Vraag van de klant').first().fill('Hoe lang duurt een nieuw paspoort?');
      await page.locator('#paneel-klant').evaluate((el) => { el.scrollTop = 0; });
      await screenshot(page, 'werkplek-scherm-1440');
    });
    await withPage({ width: 390, height: 844 }, async (page) => {
      await openResident(page, 'kcm-scherm');
      const [klant, werk, kb] = await boxes(page, ['#paneel-klant', '#paneel-werk', '#paneel-kennisbank']);
      assert.ok(klant.bottom <= werk.y && werk.bottom <= kb.y, 'one column: klant, then the contactmoment, then the kennisbank');
      await page.locator('#historie [data-open]').first().click();
      // The history as cards: no column headers on screen, every card within the width.
      assert.equal(await page.locator('#historie thead').evaluate((el) => el.getBoundingClientRect().height <= 1), true);
      const breed = await page.evaluate(() => ({ pagina: document.scrollingElement.scrollWidth, venster: innerWidth }));
      assert.ok(breed.pagina <= breed.venster, `no sideways scrolling: ${JSON.stringify(breed)}`);
      const buiten = await page.evaluate(() => [...document.querySelectorAll('main button, main input, main select, main textarea, main td, main a')]
        .filter((el) => el.offsetParent && el.getBoundingClientRect().right > innerWidth + 0.5)
        .map((el) => el.outerHTML.slice(0, 80)));
      assert.deepEqual(buiten, [], 'nothing cut off at the right');
      await expectAccessible(page, 'werkplek (390 px)');
      await screenshot(page, 'werkplek-scherm-390');
    });
  });
});
