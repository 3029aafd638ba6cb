// The end-to-end flows of issue 5, written once and run twice: with the mouse and with the
// keyboard alone (see actor() in ui.mjs). Each step also checks the page with axe-core.
import assert from 'node:assert/strict';
import { PASSWORD, actor, expectAccessible, screenshot } from './ui.mjs';

/** Staff login through the form; lands on the role's start page. */
export async function loginStaff(page, mode, username, start) {
  const a = actor(page, mode);
  await page.goto('/');
  await page.waitForURL('**/login');
  await a.fill(page.getByLabel('Gebruikersnaam'), username);
  await a.fill(page.getByLabel('Wachtwoord'), PASSWORD);
  await a.click(page.getByRole('button', { name: 'Inloggen' }));
  await page.waitForURL(`**${start}`);
}

/** KCC: phone with spaces → klantbeeld → kennisbank → contact with two questions (an article
 * used) → contactverzoek. Returns what was registered. */
export async function kccFlow(page, mode, resident, tag) {
  const a = actor(page, mode);
  await loginStaff(page, mode, 'kcm-test', '/werkplek');
  await page.getByRole('heading', { name: 'KCC-werkplek' }).waitFor();
  await expectAccessible(page, 'werkplek (start)');

  // Typed with spaces, as a resident says it on the phone.
  const spaced = resident.telefoon.replace(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, '$1 $2 $3 $4 $5');
  assert.notEqual(spaced, resident.telefoon);
  await a.select(page.getByLabel('Zoeken op'), 'telefoonnummer');
  await a.fill(page.getByLabel('Zoekterm'), spaced);
  await a.click(page.getByRole('button', { name: 'Zoeken', exact: true }));
  await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
  await page.getByRole('heading', { name: /^Contacthistorie/ }).waitFor();

  // Kennisbank beside it: search as you type.
  await a.fill(page.getByLabel('Zoek in de kennisbank'), 'paspoort');
  await page.getByRole('heading', { name: 'Paspoort aanvragen' }).waitFor();

  // Two questions; the article is used for the first.
  const onderwerp1 = `Paspoort aanvragen ${tag}`;
  await a.fill(page.getByLabel('Onderwerp').first(), onderwerp1);
  await a.fill(page.getByLabel('Vraag van de klant').first(), 'Hoe lang duurt een nieuw paspoort?');
  await a.fill(page.getByLabel('Gegeven antwoord').first(), 'Vijf werkdagen na de aanvraag.');
  await a.click(page.getByRole('button', { name: /^Gebruikt bij vraag 1\W+Paspoort aanvragen/ }));
  await page.locator('[data-vraag="0"]').getByText('Paspoort aanvragen', { exact: true }).waitFor();
  await a.click(page.getByRole('button', { name: 'Nog een vraag toevoegen' }));
  const onderwerp2 = `Afvalpas kwijt ${tag}`;
  await a.fill(page.locator('#v1-onderwerp'), onderwerp2);
  await a.fill(page.locator('#v1-inhoud'), 'Mijn afvalpas is kwijt, kan ik een nieuwe krijgen?');
  await a.select(page.locator('#v1-resultaat'), 'contactverzoek');

  // The contactverzoek: assigned to an afdeling, with a deadline and a preview.
  await page.getByRole('group', { name: 'Contactverzoek voor de backoffice' }).waitFor();
  await a.select(page.getByLabel('Toewijzen aan'), await page.getByLabel('Toewijzen aan').locator('option', { hasText: 'Burgerzaken' }).getAttribute('value'));
  const handeling = `Nieuwe afvalpas opsturen ${tag}`;
  await a.fill(page.getByLabel('Gevraagde handeling'), handeling);
  await a.fill(page.getByLabel('Toelichting voor de collega'), 'Adres gecontroleerd.');
  await assert.doesNotReject(page.locator('#cv-preview', { hasText: handeling }).waitFor());

  // An error state first: the handeling emptied → tied error, then axe on the error state.
  await a.fill(page.getByLabel('Gevraagde handeling'), '');
  await a.click(page.getByRole('button', { name: 'Contactmoment registreren' }));
  const err = page.locator('#cv-handeling-fout');
  await err.waitFor();
  assert.equal(await page.getByLabel('Gevraagde handeling').getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByLabel('Gevraagde handeling').getAttribute('aria-describedby'), /cv-handeling-fout/);
  await expectAccessible(page, 'werkplek (foutmelding)');
  await a.fill(page.getByLabel('Gevraagde handeling'), handeling);

  if (mode === 'muis') await screenshot(page, 'werkplek');
  await a.click(page.getByRole('button', { name: 'Contactmoment registreren' }));
  await page.getByRole('heading', { name: 'Contactmoment geregistreerd' }).waitFor();
  await expectAccessible(page, 'werkplek (geregistreerd)');
  return { onderwerp1, onderwerp2, handeling };
}
