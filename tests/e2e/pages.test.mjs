// Every page that has no flow of its own: axe-core (WCAG 2.1 A/AA) in the normal state and
// with an error shown, the skip link, lang="nl", and a role that may not use a page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible, actor, PASSWORD } from './lib/ui.mjs';
import { loginStaff } from './lib/flows.mjs';

let srv, browser;
before(async () => { srv = await startUiServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

async function withPage(fn) {
  const page = await newPage(browser, srv.base);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
  } finally {
    await page.context().close();
  }
}

describe('pages', () => {
  it('login: accessible, skip link first, lang nl; a wrong password shows a tied error, still accessible', () => withPage(async (page) => {
    await page.goto('/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await expectAccessible(page, 'login');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Naar de inhoud');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'inhoud');
    const a = actor(page, 'toetsenbord');
    await a.fill(page.getByLabel('Gebruikersnaam'), 'kcm-test');
    await a.fill(page.getByLabel('Wachtwoord'), 'fout-wachtwoord');
    await a.click(page.getByRole('button', { name: 'Inloggen' }));
    await page.locator('#wachtwoord-fout').waitFor();
    assert.equal(await page.getByLabel('Wachtwoord').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H2', 'the error summary gets focus');
    await expectAccessible(page, 'login (foutmelding)');
  }));

  it('empty required fields are named in the summary and tied to each field', () => withPage(async (page) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.locator('#gebruikersnaam-fout').waitFor();
    await page.locator('#wachtwoord-fout').waitFor();
    assert.equal(await page.locator('.omk-summary li').count(), 2);
  }));

  it('inloggen-inwoner and toegankelijkheid are accessible; the statement is at /toegankelijkheid', () => withPage(async (page) => {
    await page.goto('/inloggen-inwoner');
    await expectAccessible(page, 'inloggen-inwoner');
    await page.goto('/toegankelijkheid');
    await page.getByRole('heading', { name: 'Toegankelijkheidsverklaring' }).waitFor();
    await expectAccessible(page, 'toegankelijkheid');
  }));

  it('a page needs a session: /werkplek without one goes to the login and back after it', () => withPage(async (page) => {
    await page.goto('/werkplek');
    await page.waitForURL('**/login?terug=%2Fwerkplek');
    await page.getByLabel('Gebruikersnaam').fill('kcm-test');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/werkplek');
    // Log out again: a later test relies on this employee having no other live session.
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL('**/login');
  }));

  it('a role that may not use a page gets a clear message, not the page', () => withPage(async (page) => {
    await loginStaff(page, 'muis', 'backoffice-test', '/backoffice');
    await page.goto('/werkplek');
    await page.getByRole('heading', { name: 'Geen toegang' }).waitFor();
    await expectAccessible(page, 'geen toegang');
  }));

  it('logout ends the session: the API answers 401 and the page sends to the login', () => withPage(async (page) => {
    await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL('**/login');
    const r = await page.evaluate(async () => (await fetch('/auth/api/v1/sessie', { headers: { Accept: 'application/json' } })).status);
    assert.equal(r, 401);
  }));

  it('a half-typed contactmoment survives a reload (kept on the server) and is gone after logout', () => withPage(async (page) => {
    await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
    await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
    await page.getByLabel('Onderwerp').first().fill('Half getypt onderwerp');
    await page.getByLabel('Vraag van de klant').first().fill('Nog niet af');
    await page.locator('#concept-status', { hasText: 'Concept bewaard bij dit contactmoment.' }).waitFor();
    await page.reload();
    await page.getByText('Het concept van dit contactmoment is teruggezet zoals de server het bewaarde.').waitFor();
    assert.equal(await page.getByLabel('Onderwerp').first().inputValue(), 'Half getypt onderwerp');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL('**/login');
    await loginStaff(page, 'muis', 'kcm-test', '/werkplek');
    // State that belongs to an employee does not outlive their session.
    await page.locator('#actief-kop', { hasText: 'Actief (0)' }).waitFor();
    await page.getByRole('button', { name: 'Nieuw contactmoment' }).click();
    assert.equal(await page.getByLabel('Vraag van de klant').first().inputValue(), '');
  }));
});
