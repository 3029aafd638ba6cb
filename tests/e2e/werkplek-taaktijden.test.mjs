// The task of docs/werkplek-taaktijden.md, counted: "identify the caller, answer from the
// kennisbank, register two questions, hand over", done in the KCC-werkplek once with the
// keyboard alone and once with the mouse, counting every key, typed character and click the
// run needs (actor() in lib/ui.mjs counts as a user would: Tab to reach a field, Enter in
// the search field, Space on a button, arrows in a select). The doc's "Na" rows must say what
// this run measures: a change that makes the task longer or shorter fails here until the table
// is updated, so its numbers are measured, not guessed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startUiServer, launch, newPage, demoResident, actor, cli, PASSWORD, ROOT } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

const DOC = join(ROOT, 'docs/werkplek-taaktijden.md');
let srv, browser, resident;
before(async () => {
  srv = await startUiServer();
  for (const u of ['kcm-taak-toetsenbord', 'kcm-taak-muis']) {
    cli(['user', 'create', '--username', u, '--role', 'kcm', '--voornaam', 'Sanne', '--db', srv.db], PASSWORD + '\n');
  }
  resident = await demoResident(srv);
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

/** The doc's measured row for `run` (toetsenbord or muis): {toetsen, tekens, klikken}. */
function inDoc(run) {
  const row = readFileSync(DOC, 'utf8').split('\n').find((l) => l.startsWith(`| Na | ${run} |`));
  assert.ok(row, `docs/werkplek-taaktijden.md has a row "| Na | ${run} | …"`);
  const [toetsen, tekens, klikken] = row.split('|').slice(3, 6).map((c) => Number(c.trim()));
  return { toetsen, tekens, klikken };
}

/** The task, from the werkplek as it opens after login to the registration's confirmation.
 * Returns the counts. */
async function taak(page, mode, tag) {
  const tel = { toetsen: 0, tekens: 0, klikken: 0 };
  const a = actor(page, mode, tel);
  const kb = mode === 'toetsenbord';
  await page.getByRole('button', { name: 'Nieuw contactmoment' }).and(page.locator(':enabled')).waitFor();

  // 1. Identify the caller: a new contact, the number the phone shows (the search is on
  //    phone number by default), Enter; one hit opens the klantbeeld.
  await a.click(page.getByRole('button', { name: 'Nieuw contactmoment' }));
  await page.locator('#voor', { hasText: 'Contactmoment voor: nog geen klant gekozen' }).waitFor();
  await a.fill(page.getByLabel('Zoekterm'), resident.telefoon);
  if (kb) await a.press('Enter'); else await a.click(page.getByRole('button', { name: 'Zoeken', exact: true }));
  await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
  await page.locator('#voor', { hasText: /^Contactmoment voor: (?!nog geen)/ }).waitFor();
  await page.getByText(/\d+ van \d+ contacten getoond/).waitFor(); // the klantbeeld is complete

  // 2. Answer from the kennisbank: the question's onderwerp searches along; "Gebruikt bij
  //    vraag 1" records the article and puts its short answer in "Gegeven antwoord".
  await a.fill(page.locator('#v0-onderwerp'), 'Paspoort aanvragen');
  const gebruikt = page.getByRole('button', { name: /^Gebruikt bij vraag 1\W+Paspoort aanvragen$/ });
  await gebruikt.waitFor();
  await a.click(gebruikt);
  await page.locator('[data-vraag="0"]').getByText('Paspoort aanvragen', { exact: true }).waitFor();
  await page.waitForFunction(() => document.getElementById('v0-reactie').value.length > 0);

  // 3. A second question, which asks for a hand-over.
  await a.click(page.getByRole('button', { name: 'Nog een vraag toevoegen' }));
  await a.fill(page.locator('#v1-onderwerp'), `Afvalpas kwijt ${tag}`);
  await a.select(page.locator('#v1-resultaat'), 'contactverzoek');

  // 4. Hand over: to Burgerzaken, what the colleague must do; then register.
  await page.getByRole('group', { name: 'Contactverzoek voor de backoffice' }).waitFor();
  const burgerzaken = await page.getByLabel('Toewijzen aan').locator('option', { hasText: 'Burgerzaken' }).getAttribute('value');
  await a.select(page.getByLabel('Toewijzen aan'), burgerzaken);
  await a.fill(page.getByLabel('Gevraagde handeling'), 'Nieuwe afvalpas opsturen');
  await a.click(page.getByRole('button', { name: 'Contactmoment registreren' }));
  await page.getByRole('heading', { name: 'Contactmoment geregistreerd' }).waitFor();
  await page.getByText(/contactverzoek voor Burgerzaken aangemaakt/).waitFor();
  return tel;
}

describe('task timing: identify the caller, answer from the kennisbank, register two questions, hand over', () => {
  for (const mode of ['toetsenbord', 'muis']) {
    it(`${mode}: the run does the task, and the doc says what it counted`, async () => {
      const tag = Date.now().toString(36); // the same length in both runs: typed, so counted
      const page = await newPage(browser, srv.base);
      try {
        await loginStaff(page, 'muis', `kcm-taak-${mode}`, '/werkplek');
        const tel = await taak(page, mode, tag);
        console.log(`taaktijden ${mode}: ${JSON.stringify(tel)}`);
        // Done for real: both questions for the resident, the article used, the hand-over.
        const kc = await srv.api('GET', `/klantinteracties/api/v1/klantcontacten?hadBetrokkene__wasPartij__uuid=${resident.partij}&pageSize=5`);
        const onderwerpen = kc.json.results.map((k) => k.onderwerp);
        assert.ok(onderwerpen.includes(`Afvalpas kwijt ${tag}`), JSON.stringify(onderwerpen));
        const eerste = kc.json.results.find((k) => k.onderwerp === 'Paspoort aanvragen' && k.metadata.gesprek
          === kc.json.results.find((x) => x.onderwerp === `Afvalpas kwijt ${tag}`).metadata.gesprek);
        assert.ok(eerste, 'question 1 in the same contact');
        assert.ok(eerste.reactie.length > 0, 'the short answer pasted as the answer given');
        const cv = await srv.api('GET', `/kanalen/api/v1/contactverzoeken?partij=${resident.partij}`);
        assert.ok(cv.json.results.some((v) => v.gevraagdeHandeling === 'Nieuwe afvalpas opsturen'), 'the hand-over');
        if (mode === 'toetsenbord') assert.equal(tel.klikken, 0, 'no mouse');
        assert.deepEqual(tel, inDoc(mode), `update the "Na | ${mode}" row of docs/werkplek-taaktijden.md to what was measured`);
        assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
      } finally {
        await page.context().close();
      }
    });
  }
});
