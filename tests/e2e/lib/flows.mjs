// The end-to-end flows of issue 5, written once and run twice: with the mouse and with the
// keyboard alone (see actor() in ui.mjs). Each step also checks the page with axe-core.
import assert from 'node:assert/strict';
import { PASSWORD, actor, expectAccessible, screenshot } from './ui.mjs';
import { totpCode } from '../../api/lib/totp.mjs';

// axe-core takes seconds per check on this CSS; the mouse run checks every state, the keyboard
// run (same pages, same states) only proves operability.
const axeIn = (mode) => (mode === 'muis' ? expectAccessible : async () => {});

/** Staff login through the form; lands on the role's start page. */
export async function loginStaff(page, mode, username, start) {
  const a = actor(page, mode);
  await page.goto('/');
  await page.waitForURL('**/login');
  await a.fill(page.getByLabel('Gebruikersnaam'), username);
  await a.fill(page.getByLabel('Wachtwoord'), PASSWORD);
  await a.click(page.getByRole('button', { name: 'Inloggen', exact: true }));
  // A beheerder logs in with a second factor: the page enrols an authenticator app the first
  // time (showing its secret once) and asks for the code; the test is the app.
  const naar = page.waitForURL(`**${start}`).then(() => 'start', () => 'niet');
  const code = page.locator('#totp-veld').waitFor().then(() => 'totp', () => 'niet');
  if (await Promise.race([naar, code]) === 'totp' && !page.url().endsWith(start)) {
    if (!TOTP.has(username)) TOTP.set(username, { secret: (await page.locator('#totp-geheim').textContent()).trim(), step: 0 });
    const t = TOTP.get(username);
    t.step = Math.max(t.step + 1, Math.floor(Date.now() / 30000));
    await a.fill(page.getByLabel('Code uit uw authenticator-app'), totpCode(t.secret, t.step));
    await a.click(page.getByRole('button', { name: 'Inloggen', exact: true }));
    await page.waitForURL(`**${start}`);
  }
}

/** The authenticator apps of the accounts the tests enrolled: username → {secret, last step}. */
const TOTP = new Map();

/** KCC: phone with spaces → klantbeeld → kennisbank → contact with two questions (an article
 * used) → contactverzoek. Returns what was registered. */
export async function kccFlow(page, mode, resident, tag) {
  const a = actor(page, mode);
  const axe = axeIn(mode);
  await loginStaff(page, mode, 'kcm-test', '/werkplek');
  await page.getByRole('heading', { name: 'KCC-werkplek' }).waitFor();
  await axe(page, 'werkplek (start)');
  // Every contact is its own session: nothing can be looked up before one is started.
  await page.locator('#voor', { hasText: 'Geen contactmoment geopend.' }).waitFor();
  await a.click(page.getByRole('button', { name: 'Nieuw contactmoment' }));
  await page.locator('#voor', { hasText: 'Contactmoment voor: nog geen klant gekozen' }).waitFor();

  // Typed with spaces, as a resident says it on the phone.
  const spaced = resident.telefoon.replace(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, '$1 $2 $3 $4 $5');
  assert.notEqual(spaced, resident.telefoon);
  await a.select(page.getByLabel('Zoeken op'), 'telefoonnummer');
  await a.fill(page.getByLabel('Zoekterm'), spaced);
  await a.click(page.getByRole('button', { name: 'Zoeken', exact: true }));
  await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
  await page.getByRole('heading', { name: /^Contacthistorie/ }).waitFor();
  // The klant is explicit state of the contact, always shown by name.
  await page.locator('#voor', { hasText: /^Contactmoment voor: \S/ }).waitFor();
  assert.doesNotMatch(await page.locator('#voor').textContent(), /nog geen klant/);
  // The integrated klantbeeld: the status of each source (register always; BRP, Zaken and KvK
  // are not connected in this test).
  await page.locator('.omk-bronnen li', { hasText: 'Klantregister' }).getByText('beschikbaar').waitFor();
  await page.locator('.omk-bronnen li', { hasText: 'BRP' }).getByText('niet aangesloten').waitFor();

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
  await page.locator('#cv-preview', { hasText: handeling }).waitFor();
  await page.locator('#cv-preview', { hasText: /binnen \d+ werkdag/ }).waitFor();

  // An error state first: the handeling emptied → tied error, then axe on the error state.
  await a.fill(page.getByLabel('Gevraagde handeling'), '');
  await a.click(page.getByRole('button', { name: 'Contactmoment registreren' }));
  const err = page.locator('#cv-handeling-fout');
  await err.waitFor();
  assert.equal(await page.getByLabel('Gevraagde handeling').getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByLabel('Gevraagde handeling').getAttribute('aria-describedby'), /cv-handeling-fout/);
  await axe(page, 'werkplek (foutmelding)');
  await a.fill(page.getByLabel('Gevraagde handeling'), handeling);

  if (mode === 'muis') await screenshot(page, 'werkplek');
  await a.click(page.getByRole('button', { name: 'Contactmoment registreren' }));
  await page.getByRole('heading', { name: 'Contactmoment geregistreerd' }).waitFor();
  await page.getByText(/contactverzoek voor Burgerzaken aangemaakt, uiterlijk af op/).waitFor();
  await axe(page, 'werkplek (geregistreerd)');
  return { onderwerp1, onderwerp2, handeling };
}

/** Back office: finds the contactverzoek in Burgerzaken's open list, opens it, tries to close
 * it without saying what was done (tied error), then closes it. */
export async function backofficeFlow(page, mode, reg) {
  const a = actor(page, mode);
  const axe = axeIn(mode);
  await loginStaff(page, mode, 'backoffice-test', '/backoffice');
  await page.getByRole('heading', { name: /^Backoffice/ }).waitFor();
  await page.getByText(/open contactverzoek/).waitFor();
  await axe(page, 'backoffice (lijst)');
  await a.select(page.getByLabel('Toegewezen aan'), 'afdeling=Burgerzaken');
  await a.click(page.getByRole('button', { name: 'Toon', exact: true }));
  const open = page.getByRole('button', { name: new RegExp(`^Open\\W+${reg.onderwerp2}$`) });
  await a.click(open);
  await page.getByRole('heading', { name: `Contactverzoek: ${reg.onderwerp2}` }).waitFor();
  await page.locator('#detail-inhoud').getByText(reg.handeling, { exact: true }).waitFor();
  await a.click(page.getByRole('button', { name: 'Afhandelen en sluiten' }));
  await page.locator('#resultaat-fout').waitFor();
  assert.equal(await page.getByLabel('Wat is er gedaan?').getAttribute('aria-invalid'), 'true');
  await axe(page, 'backoffice (foutmelding)');
  await a.fill(page.getByLabel('Wat is er gedaan?'), 'Nieuwe afvalpas verstuurd.');
  await a.select(page.getByLabel('Contact opgenomen via'), 'telefoon');
  if (mode === 'muis') await screenshot(page, 'backoffice');
  await a.click(page.getByRole('button', { name: 'Afhandelen en sluiten' }));
  await page.getByText(/^Afgehandeld\./).waitFor();
  assert.equal(await page.getByRole('button', { name: new RegExp(`^Open\\W+${reg.onderwerp2}$`) }).count(), 0);
  await axe(page, 'backoffice (afgehandeld)');
}

/** The resident logs in with the development login and sees the contact and the closed
 * request; saves a preference. An invalid BSN first shows a tied error. */
export async function mijnFlow(page, mode, resident, reg) {
  const a = actor(page, mode);
  const axe = axeIn(mode);
  await page.goto('/mijn');
  await page.waitForURL('**/inloggen-inwoner**');
  await page.getByText('Ontwikkel-login: dit is geen DigiD').waitFor();
  await a.fill(page.getByLabel('Burgerservicenummer (BSN)'), '123456789');
  await a.click(page.getByRole('button', { name: /^Inloggen/ }));
  await page.locator('#bsn-fout').waitFor();
  assert.match(await page.getByLabel('Burgerservicenummer (BSN)').getAttribute('aria-describedby'), /bsn-fout/);
  await axe(page, 'inloggen inwoner (foutmelding)');
  await a.fill(page.getByLabel('Burgerservicenummer (BSN)'), resident.bsn);
  await a.click(page.getByRole('button', { name: /^Inloggen/ }));
  await page.waitForURL('**/mijn');
  await page.getByRole('cell', { name: reg.onderwerp1, exact: true }).waitFor();
  await page.getByRole('cell', { name: reg.onderwerp2, exact: true }).waitFor();
  const verzoek = page.locator('#verzoeken li', { hasText: reg.handeling });
  await verzoek.getByText('Afgehandeld', { exact: true }).waitFor();
  await page.locator('#adressen').getByText(resident.telefoon).waitFor();
  // The conversations section has loaded (a list, or the sentence that there are none).
  await page.waitForFunction(() => !document.getElementById('gesprekken').textContent.includes('Laden'));
  await page.getByRole('heading', { name: 'Mijn gesprekken' }).waitFor();
  await a.select(page.getByLabel('Hoe wilt u het liefst contact met de gemeente?'), 'e-mail');
  await a.click(page.getByLabel('Ik ontvang berichten van de gemeente liever digitaal dan per post'));
  await a.click(page.getByRole('button', { name: 'Voorkeuren opslaan' }));
  await page.getByText('Uw voorkeuren zijn opgeslagen.').waitFor();
  // The KCC's view of this resident is in the Logboek Dataverwerkingen: who (role) and why.
  const inzage = page.locator('#inzage tbody tr', { hasText: 'Klantcontactcentrum' });
  await inzage.first().waitFor();
  await inzage.first().getByText('Uw vraag beantwoorden').waitFor();
  await axe(page, 'mijn omgeving');
  if (mode === 'muis') await screenshot(page, 'mijn-omgeving');
  await page.reload();
  // The saved preferences come back after a reload (filled in once the page has loaded them).
  await page.waitForFunction(() => document.getElementById('voorkeurskanaal').value !== '');
  assert.equal(await page.getByLabel('Hoe wilt u het liefst contact met de gemeente?').inputValue(), 'e-mail');
  assert.equal(await page.getByLabel('Ik ontvang berichten van de gemeente liever digitaal dan per post').isChecked(), true);
}

/** Redacteur: a new article (an error first), published; every channel's rendition, the B1
 * score; an edit makes version 2. */
export async function redactieFlow(page, mode, tag) {
  const a = actor(page, mode);
  const axe = axeIn(mode);
  await loginStaff(page, mode, 'redacteur-test', '/redactie');
  await page.getByRole('heading', { name: 'Nieuw artikel' }).waitFor();
  await page.getByRole('heading', { name: 'Reviewwachtrij' }).waitFor();
  await axe(page, 'redactie (start)');
  const titel = `Hondenbelasting betalen ${tag}`;
  await a.fill(page.getByLabel('Kort antwoord (telefoon en chat)'), 'U betaalt hondenbelasting per jaar.');
  await a.click(page.getByRole('button', { name: 'Opslaan', exact: true }));
  await page.locator('#titel-fout').waitFor();
  await axe(page, 'redactie (foutmelding)');
  await a.fill(page.getByLabel('Titel'), titel);
  await a.fill(page.getByLabel('Vragen van inwoners'), 'Moet ik belasting betalen voor mijn hond?');
  await a.fill(page.getByLabel('Antwoord (Markdown)'), '## Hondenbelasting\n\nHeeft u een hond? Dan betaalt u elk jaar belasting.\n\n- Meld uw hond aan.\n- U krijgt een aanslag.');
  await a.fill(page.getByLabel('Product'), 'Hondenbelasting');
  await a.click(page.getByRole('button', { name: 'Opslaan en publiceren' }));
  await page.getByText('Opgeslagen als versie 1 (gepubliceerd).').waitFor();
  await page.locator('[data-kanaal="web"] li', { hasText: 'Meld uw hond aan.' }).waitFor();
  await page.locator('[data-kanaal="telefoon"]', { hasText: 'U betaalt hondenbelasting per jaar.' }).waitFor();
  await page.locator('[data-kanaal="chat"]').waitFor();
  await page.getByText(/^Leesbaarheid van de opgeslagen versie: /).waitFor();
  await a.fill(page.getByLabel('Antwoord (Markdown)'), '## Hondenbelasting\n\nHeeft u een hond? Dan betaalt u elk jaar belasting.');
  // The preview follows the typing before anything is saved.
  await page.getByRole('heading', { name: 'Voorbeeld van uw tekst (nog niet opgeslagen)' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-kanaal="web"]').textContent.includes('Meld uw hond aan.'));
  await a.click(page.getByRole('button', { name: 'Opslaan', exact: true }));
  await page.getByText('Opgeslagen als versie 2 (gepubliceerd).').waitFor();
  await page.locator('#versies li').nth(1).waitFor();
  await axe(page, 'redactie (opgeslagen)');
  if (mode === 'muis') await screenshot(page, 'redactie');
}
