// Browser-test harness: a real server (demo data, accounts, the web UI, development login) on a
// free loopback port, Debian's Chromium driven by playwright-core, axe-core checks, screenshots,
// and an "actor" that performs a flow either with the mouse or with the keyboard alone.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, closeSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../../..');
export const BIN = process.env.OMNIKANAAL_BIN || join(ROOT, 'build/omnikanaal');
export const WEB = process.env.OMNIKANAAL_WEB || join(ROOT, 'web');
export const SCREENSHOTS = process.env.OMK_SCREENSHOTS || join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'wachtwoord-voor-tests';

function env() {
  const e = { ...process.env };
  delete e.OMNIKANAAL_DB;
  delete e.OMNIKANAAL_LISTEN;
  delete e.OMNIKANAAL_WEB;
  return e;
}

export function cli(args, input) {
  return execFileSync(BIN, args, { env: env(), encoding: 'utf8', input, timeout: 60000, stdio: ['pipe', 'pipe', 'pipe'] });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

/** Starts a server on a fresh demo database with one account per staff role (extraArgs: more
 * `serve` options; extraEnv: more environment, e.g. a source system's URL; port: listen there). */
export async function startUiServer({ idle, devLogin = true, extraArgs = [], extraEnv = {}, port: wanted = null } = {}) {
  assert.ok(existsSync(join(WEB, 'vendor/utrecht.css')), `web/vendor is missing: run scripts/bootstrap (looked in ${WEB})`);
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium (scripts/bootstrap does)`);
  const dir = mkdtempSync(join(tmpdir(), 'omk-e2e-'));
  const db = join(dir, 'omnikanaal.db');
  cli(['demo', '--db', db]);
  // Each with the first name residents are shown (a chat's "Sanne helpt u nu.").
  for (const [role, voornaam] of [['kcm', 'Sanne'], ['backoffice', 'Ahmed'], ['redacteur', 'Lotte']]) {
    cli(['user', 'create', '--username', `${role}-test`, '--role', role, '--voornaam', voornaam, '--db', db], PASSWORD + '\n');
  }
  const token = cli(['token', 'create', '--name', 'e2e', '--db', db]).trim();
  // wanted: a port the test chose first (an OpenID provider's registered redirect URI).
  const port = wanted || await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = join(dir, 'server.log');
  const fd = openSync(log, 'a');
  const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', WEB];
  if (devLogin) args.push('--dev-login');
  if (idle) args.push('--session-idle', String(idle));
  args.push(...extraArgs);
  const proc = spawn(BIN, args, { env: { ...env(), ...extraEnv }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = null;
  proc.on('exit', (code, signal) => { exited = { code, signal }; });
  for (let i = 0; i < 200 && !exited; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(exited, null, `server exited: ${readFileSync(log, 'utf8').slice(-2000)}`);
  const api = async (method, path, body) => {
    const res = await fetch(base + path, { method, headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  return {
    base, db, dir, token, api, proc,
    logs: () => readFileSync(log, 'utf8'),
    async stop() {
      if (!exited) {
        proc.kill('SIGTERM');
        await new Promise((r) => (exited ? r() : proc.on('exit', r)));
      }
      if (!process.env.OMK_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A demo resident that has a phone number: {bsn, telefoon, partij}. */
export async function demoResident(srv) {
  const da = await srv.api('GET', '/klantinteracties/api/v1/digitaleadressen?soortDigitaalAdres=telefoonnummer&pageSize=50');
  for (const d of da.json.results) {
    const partij = d.verstrektDoorPartij && d.verstrektDoorPartij.uuid;
    if (!partij) continue;
    const p = await srv.api('GET', `/klantinteracties/api/v1/partijen/${partij}`);
    if (p.json.soortPartij !== 'persoon') continue;
    for (const ref of p.json.partijIdentificatoren) {
      const pi = await srv.api('GET', `/klantinteracties/api/v1/partij-identificatoren/${ref.uuid}`);
      if (pi.json.partijIdentificator.codeSoortObjectId === 'bsn') {
        return { bsn: pi.json.partijIdentificator.objectId, telefoon: d.adres, partij, naam: p.json };
      }
    }
  }
  throw new Error('no demo resident with a phone number and a BSN');
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A new page that fails the test on console errors and CSP violations. */
export async function newPage(browser, base) {
  const context = await browser.newContext({ baseURL: base, locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // axe-core sets inline styles while it measures; the CSP blocks those, harmlessly.
    if (page.axeRunning && /inline style/.test(m.text())) return;
    if (m.type() === 'error' && !/status of (401|404|400|403)/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

/** No WCAG 2.1 A/AA violation on the page as it is now. */
export async function expectAccessible(page, what) {
  page.axeRunning = true;
  const t0 = Date.now();
  let r;
  try {
    r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  } finally {
    page.axeRunning = false;
    if (process.env.OMK_E2E_TIMING) console.error(`axe ${what}: ${Date.now() - t0} ms`);
  }
  const msg = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  assert.equal(r.violations.length, 0, `axe on ${what}:\n${msg}`);
  return r.passes.length;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Performs form actions either with the mouse (click/fill) or with the keyboard alone: Tab (and
 * Shift+Tab) until the element has focus, then type, Space/Enter or arrow keys. Only the keyboard
 * actor proves the flow is operable without a mouse.
 */
export function actor(page, mode, tel = null) {
  const kb = mode === 'toetsenbord';
  // With `tel` ({toetsen, tekens, klikken}) every action is counted as a user would do it:
  // toetsen are keys that move or act (Tab, Enter, Space, arrows, a shortcut), tekens the
  // characters typed, klikken mouse clicks (a select: open and choose). A field is only
  // emptied first when it holds something.
  const count = (k, n = 1) => { if (tel) tel[k] += n; };
  const press = async (key) => { count('toetsen'); await page.keyboard.press(key); };
  async function isFocused(loc) {
    return loc.evaluate((el) => el === document.activeElement).catch(() => false);
  }
  /** Counting: whether `loc` comes before the focus in the tab order (then Shift+Tab is the
   * shorter way, as a user takes it). */
  async function before(loc) {
    return loc.evaluate((target) => {
      const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length);
      const from = all.indexOf(document.activeElement);
      const to = all.indexOf(target);
      return from >= 0 && to >= 0 && to < from;
    }).catch(() => false);
  }
  async function focus(loc) {
    await loc.waitFor({ state: 'visible' });
    const back = tel ? await before(loc) : false;
    for (let i = 0; i < 200; i++) {
      if (await isFocused(loc)) return;
      await press(back !== (i >= 150) ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`could not reach ${loc} with the Tab key`);
  }
  return {
    mode,
    async fill(loc, text) {
      count('tekens', text.length);
      if (!kb) {
        count('klikken');
        return loc.fill(text);
      }
      await focus(loc);
      if (!tel || await loc.inputValue()) {
        await press('Control+A');
        await press('Delete');
      }
      await page.keyboard.type(text);
    },
    async click(loc) {
      if (!kb) {
        count('klikken');
        return loc.click();
      }
      await focus(loc);
      const tag = await loc.evaluate((el) => el.tagName);
      await press(tag === 'A' || tag === 'SUMMARY' ? 'Enter' : 'Space');
    },
    async select(loc, value) {
      if (!kb) {
        count('klikken', 2);
        return loc.selectOption(value);
      }
      await focus(loc);
      const values = await loc.evaluate((el) => [...el.options].map((o) => o.value));
      const target = values.indexOf(value);
      assert.ok(target >= 0, `option ${value} not in ${values}`);
      for (let i = 0; i < values.length + 1; i++) {
        const cur = values.indexOf(await loc.inputValue());
        if (cur === target) return;
        await press(cur < target ? 'ArrowDown' : 'ArrowUp');
      }
      assert.equal(await loc.inputValue(), value);
    },
    async submit(loc) { return this.click(loc); },
    /** A key in the focused element (Enter in a search field, Control+V): counted in both modes. */
    async press(key) { await press(key); },
    /** Puts the focus in `loc` as the mode does (Tab, or a click). */
    async focus(loc) {
      if (kb) return focus(loc);
      count('klikken');
      return loc.click();
    },
  };
}
