// The "before" row of docs/werkplek-taaktijden.md: the same task ("identify the caller, answer
// from the kennisbank, register two questions, hand over") counted on the FIRST werkplek
// (commit 756571e, web/werkplek.html's first version), with the counting actor of
// tests/e2e/lib/ui.mjs — keyboard alone and mouse. Run against a build of that commit:
//
//   git archive 756571e | tar -x -C /tmp/voor && cmake -S /tmp/voor -B /tmp/voor/build && cmake --build /tmp/voor/build
//   cp -r web/vendor /tmp/voor/web/
//   OMNIKANAAL_BIN=/tmp/voor/build/omnikanaal OMNIKANAAL_WEB=/tmp/voor/web node bench/werkplek/taaktijden-voor.mjs
//
// The first werkplek had no contact sessions (the search is the first step), no search along
// with the onderwerp (the kennisbank is searched by typing) and no answer taken over from the
// article (the short answer is copied and pasted into "Gegeven antwoord"). Prints the counts.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.OMNIKANAAL_BIN;
const WEB = process.env.OMNIKANAAL_WEB;
if (!BIN || !WEB) throw new Error('set OMNIKANAAL_BIN and OMNIKANAAL_WEB to the first werkplek\'s build and web/');
const { actor, launch, newPage, demoResident, PASSWORD } = await import('../../tests/e2e/lib/ui.mjs');

const dir = mkdtempSync(join(tmpdir(), 'omk-voor-'));
const db = join(dir, 'omnikanaal.db');
const cli = (args, input) => execFileSync(BIN, args, { input, encoding: 'utf8' });
cli(['demo', '--db', db]);
cli(['user', 'create', '--username', 'kcm-test', '--role', 'kcm', '--db', db], `${PASSWORD}\n`);
const token = cli(['token', 'create', '--name', 'voor', '--db', db]).trim();
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', WEB], { stdio: 'ignore' });
for (let i = 0; i < 200; i++) {
  try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
  await new Promise((r) => setTimeout(r, 50));
}
const api = async (method, path) => {
  const res = await fetch(base + path, { method, headers: { Authorization: `Token ${token}`, Accept: 'application/json' } });
  return { status: res.status, json: await res.json() };
};
const resident = await demoResident({ api });
const browser = await launch();

async function taak(mode) {
  const page = await newPage(browser, base);
  await page.goto('/login');
  await page.getByLabel('Gebruikersnaam').fill('kcm-test');
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL('**/werkplek');
  await page.getByRole('heading', { name: 'KCC-werkplek' }).waitFor();
  await page.waitForLoadState('networkidle');
  const tel = { toetsen: 0, tekens: 0, klikken: 0 };
  const a = actor(page, mode, tel);
  const kb = mode === 'toetsenbord';
  const tag = Date.now().toString(36);
  // 1. Identify the caller (the search is on phone number by default).
  await a.fill(page.getByLabel('Zoekterm'), resident.telefoon);
  if (kb) await a.press('Enter'); else await a.click(page.getByRole('button', { name: 'Zoeken', exact: true }));
  await page.getByRole('heading', { name: /^Klantbeeld: / }).waitFor();
  await page.getByRole('heading', { name: /^Contacthistorie/ }).waitFor();
  await page.waitForLoadState('networkidle');
  // 2. Answer from the kennisbank: search it, type the onderwerp, copy the short answer into
  //    "Gegeven antwoord", mark the article as used.
  await a.fill(page.getByLabel('Zoek in de kennisbank'), 'Paspoort aanvragen');
  const gebruikt = page.getByRole('button', { name: /^Gebruikt bij vraag 1\W+Paspoort aanvragen$/ });
  await gebruikt.waitFor();
  await a.fill(page.locator('#v0-onderwerp'), 'Paspoort aanvragen');
  await a.click(page.getByRole('button', { name: /^Kopieer kort antwoord van Paspoort aanvragen$/ }));
  await a.focus(page.locator('#v0-reactie'));
  await a.press('Control+V');
  await page.waitForFunction(() => document.getElementById('v0-reactie').value.length > 0);
  await a.click(gebruikt);
  await page.locator('[data-vraag="0"]').getByText('Paspoort aanvragen', { exact: true }).waitFor();
  // 3. A second question that asks for a hand-over.
  await a.click(page.getByRole('button', { name: 'Nog een vraag toevoegen' }));
  await a.fill(page.locator('#v1-onderwerp'), `Afvalpas kwijt ${tag}`);
  await a.select(page.locator('#v1-resultaat'), 'contactverzoek');
  // 4. Hand over (the deadline is filled in by the page), register.
  await page.getByRole('group', { name: 'Contactverzoek voor de backoffice' }).waitFor();
  const burgerzaken = await page.getByLabel('Toewijzen aan').locator('option', { hasText: 'Burgerzaken' }).getAttribute('value');
  await a.select(page.getByLabel('Toewijzen aan'), burgerzaken);
  await a.fill(page.getByLabel('Gevraagde handeling'), 'Nieuwe afvalpas opsturen');
  await a.click(page.getByRole('button', { name: 'Contactmoment registreren' }));
  await page.getByRole('heading', { name: 'Contactmoment geregistreerd' }).waitFor();
  await page.context().close();
  return tel;
}

try {
  for (const mode of ['toetsenbord', 'muis']) console.log(`voor ${mode}: ${JSON.stringify(await taak(mode))}`);
} finally {
  await browser.close();
  proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
