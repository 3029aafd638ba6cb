// Issue 5's end-to-end flow as one suite, run once per way of operating the page (one test file
// per mode, so the two run in parallel): KCC registers a contact (two questions, an article
// used) and a contactverzoek; the back office closes it; the resident sees both.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, demoResident, launch, newPage } from './ui.mjs';
import { kccFlow, backofficeFlow, mijnFlow, redactieFlow } from './flows.mjs';

/** Registers the flow's tests for MODE ('muis' or 'toetsenbord'). */
export function flowSuite(MODE) {
  let srv, browser, resident, reg;
  before(async () => {
    srv = await startUiServer();
    resident = await demoResident(srv);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  async function run(fn) {
    const page = await newPage(browser, srv.base);
    try {
      const out = await fn(page);
      assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
      return out;
    } finally {
      await page.context().close();
    }
  }

  describe(`issue 5 flow (${MODE})`, () => {
    it('KCC: phone typed with spaces → klantbeeld → kennisbank → contact with two questions and an article → contactverzoek', async () => {
      reg = await run((page) => kccFlow(page, MODE, resident, MODE));
    });
    it('back office: finds the contactverzoek in its team list and closes it', async () => {
      assert.ok(reg, 'the KCC step ran');
      await run((page) => backofficeFlow(page, MODE, reg));
    });
    it('resident: development login, sees the contact and the closed request, sets a preference', async () => {
      assert.ok(reg, 'the KCC step ran');
      await run((page) => mijnFlow(page, MODE, resident, reg));
    });
    it('redacteur: writes an article (error first), publishes it, sees every channel and a second version', async () => {
      await run((page) => redactieFlow(page, MODE, MODE));
    });
  });
}
