// Logging in through a real OpenID provider in Chromium (issue 22): the tests start panva's
// oidc-provider on loopback (tests/api/lib/oidc-op.mjs) as the municipality's staff provider
// and as the DigiD/eHerkenning broker. A staff member lands on their role's page and logs out
// at the provider too; a resident sees only their own Mijn; a business sees its company's
// contacts; a part of Mijn above the resident's level of assurance, a level too low to log in,
// a callback that does not belong to the browser, no role, and an expired, foreign-audience,
// unknown-key or replayed ID token are refused with a clear Dutch message.
// The development login is off here, and its form and banner are not shown. axe on each page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUiServer, launch, newPage, expectAccessible, screenshot } from './lib/ui.mjs';
import { startOp, serveArgs } from '../api/lib/oidc-op.mjs';
import { freePort } from '../api/lib/harness.mjs';

let srv, op, browser;

const bsnIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'natuurlijk_persoon', codeSoortObjectId: 'bsn', objectId, codeRegister: 'brp' } });
const kvkIdf = (objectId) => ({ partijIdentificator: {
  codeObjecttype: 'niet_natuurlijk_persoon', codeSoortObjectId: 'kvk_nummer', objectId, codeRegister: 'hr' } });

async function partijMetContact(partij, onderwerp) {
  const KI = '/klantinteracties/api/v1';
  const p = await srv.api('POST', `${KI}/partijen`, partij);
  assert.equal(p.status, 201, JSON.stringify(p.json));
  const kc = await srv.api('POST', `${KI}/klantcontacten`, { kanaal: 'telefoon', onderwerp, inhoud: onderwerp,
    indicatieContactGelukt: true, taal: 'nld', vertrouwelijk: false, plaatsgevondenOp: '2026-11-02T10:00:00Z' });
  assert.equal(kc.status, 201, JSON.stringify(kc.json));
  const b = await srv.api('POST', `${KI}/betrokkenen`, { wasPartij: { uuid: p.json.uuid }, hadKlantcontact: { uuid: kc.json.uuid },
    rol: 'klant', initiator: true });
  assert.equal(b.status, 201, JSON.stringify(b.json));
}

const persoon = (idf) => ({ soortPartij: 'persoon', indicatieActief: true, indicatieGeheimhouding: false, voorkeurstaal: 'nld',
  partijIdentificatie: { contactnaam: { voorletters: 'T', voornaam: 'Test', voorvoegselAchternaam: '', achternaam: 'Persoon' } },
  partijIdentificatoren: [idf] });
const organisatie = (idf, naam) => ({ soortPartij: 'organisatie', indicatieActief: true, partijIdentificatie: { naam },
  partijIdentificatoren: [idf] });

/** At the test provider: log in as `user`. */
async function bijProvider(page, user) {
  await page.getByRole('heading', { name: 'Test-inlogdienst' }).waitFor();
  await page.getByLabel('Testgebruiker').fill(user);
  await page.getByRole('button', { name: 'Inloggen bij de test-inlogdienst' }).click();
}

before(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  op = await startOp({ redirectUris: [`${base}/auth/api/v1/oidc/terug`],
    postLogoutUris: [`${base}/login`, `${base}/inloggen-inwoner`] });
  const { args, env } = serveArgs(op, base, ['--niveau', 'inloggen=eh2+', '--niveau', 'contactverzoeken=midden']);
  srv = await startUiServer({ port, devLogin: false, extraArgs: args, extraEnv: env });
  await partijMetContact(persoon(bsnIdf('999993653')), 'Afvalpas van de inwoner');
  await partijMetContact(persoon(bsnIdf('999991772')), 'Parkeervergunning van de moeder');
  await partijMetContact(organisatie(kvkIdf('69599084'), 'Bakkerij Testbrood'), 'Terrasvergunning van het bedrijf');
  await partijMetContact(organisatie(kvkIdf('12345678'), 'Ander Bedrijf'), 'Vraag van een ander bedrijf');
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await op?.stop(); });

describe('logging in through OpenID Connect', () => {
  it('a staff member logs in with the municipality\'s account, lands on the werkplek and logs out at the provider', async () => {
    const page = await newPage(browser, srv.base);
    try {
      await page.goto('/login');
      const knop = page.getByRole('link', { name: 'Inloggen met uw gemeente-account' });
      await knop.waitFor();
      await expectAccessible(page, 'login met gemeente-account');
      await knop.click();
      await bijProvider(page, 'kcm-anne');
      await page.waitForURL('**/werkplek');
      await page.getByRole('heading', { name: 'KCC-werkplek' }).waitFor();
      assert.match(await page.locator('#gebruiker-wie').textContent(), /anne\.kcm/);
      await page.getByRole('button', { name: 'Uitloggen' }).click();
      await page.getByRole('heading', { name: 'Uitloggen bij de test-inlogdienst' }).waitFor();
      assert.ok(page.url().startsWith(`${op.issuer}/session/end`), page.url());
      await page.getByRole('button', { name: 'Ja, uitloggen' }).click();
      await page.waitForURL('**/login');
      // The session is gone here: the werkplek sends back to the login.
      await page.goto('/werkplek');
      await page.waitForURL('**/login?terug=%2Fwerkplek');
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });

  it('a resident logs in with DigiD and sees only their own Mijn; a part above their level says why', async () => {
    const page = await newPage(browser, srv.base);
    try {
      await page.goto('/inloggen-inwoner');
      await page.getByRole('link', { name: 'Inloggen met DigiD' }).waitFor();
      assert.equal(await page.locator('#dev-login-form').isVisible(), false, 'no development login in production');
      assert.equal(await page.getByText('Testomgeving — ontwikkel-login in plaats van DigiD').isVisible(), false);
      await expectAccessible(page, 'inloggen inwoner met DigiD en eHerkenning');
      await screenshot(page, 'inloggen-digid-eherkenning');
      await page.getByRole('link', { name: 'Inloggen met DigiD' }).click();
      await bijProvider(page, 'inwoner-basis');
      await page.waitForURL('**/mijn');
      const contacten = page.locator('#contacten');
      await contacten.getByText('Afvalpas van de inwoner').waitFor();
      assert.doesNotMatch(await contacten.textContent(), /Parkeervergunning van de moeder|Terrasvergunning/);
      // DigiD Basis: the requests need Midden here, and the page says so in their place.
      await page.locator('#verzoeken').getByText('moet u inloggen met DigiD Midden of hoger').waitFor();
      assert.match(await page.locator('#verzoeken').textContent(), /U bent ingelogd met DigiD Basis\./);
      await expectAccessible(page, 'mijn met DigiD Basis');
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });

  it('acting on behalf of someone: their Mijn, with a notice that says so', async () => {
    const page = await newPage(browser, srv.base);
    try {
      await page.goto('/inloggen-inwoner');
      await page.getByRole('link', { name: 'Inloggen met DigiD' }).click();
      await bijProvider(page, 'gemachtigde');
      await page.waitForURL('**/mijn');
      await page.getByText('U handelt namens iemand anders (machtiging).').waitFor();
      await page.locator('#contacten').getByText('Parkeervergunning van de moeder').waitFor();
      assert.doesNotMatch(await page.locator('#contacten').textContent(), /Afvalpas van de inwoner/);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });

  it('a business logs in with eHerkenning and sees its company\'s contacts only', async () => {
    const page = await newPage(browser, srv.base);
    try {
      await page.goto('/inloggen-inwoner');
      await page.getByRole('link', { name: 'Inloggen met eHerkenning' }).click();
      await bijProvider(page, 'bedrijf');
      await page.waitForURL('**/mijn');
      await page.getByRole('heading', { name: 'Mijn Voorbeeldstad voor uw bedrijf' }).waitFor();
      assert.match(await page.locator('#bedrijf-wie').textContent(), /KvK-nummer 69599084 \(vestigingsnummer 000038509490\)/);
      await page.locator('#contacten').getByText('Terrasvergunning van het bedrijf').waitFor();
      assert.doesNotMatch(await page.locator('#contacten').textContent(), /ander bedrijf|Afvalpas/i);
      await page.locator('#vragen').getByText('Uw bedrijf heeft geen open vragen bij de gemeente.').waitFor();
      await expectAccessible(page, 'mijn voor een bedrijf');
      await screenshot(page, 'mijn-bedrijf');
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });

  it('refusals are shown in Dutch on the login page', async () => {
    const page = await newPage(browser, srv.base);
    try {
      // eHerkenning EH2 is below the minimum to log in (EH2+).
      await page.goto('/inloggen-inwoner');
      await page.getByRole('link', { name: 'Inloggen met eHerkenning' }).click();
      await bijProvider(page, 'bedrijf-eh2');
      await page.waitForURL('**/inloggen-inwoner?fout=niveau_te_laag');
      await page.getByRole('alert').getByText('U bent ingelogd met een te laag betrouwbaarheidsniveau.').waitFor();
      await expectAccessible(page, 'inloggen geweigerd');
      // A callback this browser did not start (a forged or replayed link).
      await page.goto('/auth/api/v1/oidc/terug?state=vreemd&code=vreemd');
      await page.waitForURL('**/login?fout=state');
      await page.getByRole('alert').getByText('De inlogpoging is verlopen of niet herkend. Probeer opnieuw in te loggen.').waitFor();
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
    // A staff account without a role in Omnikanaal; and ID tokens that must not be trusted
    // (each in a browser without a provider session).
    const now = Math.floor(Date.now() / 1000);
    const gevallen = [
      ['zonder-rol', null, 'geen_rol', 'uw account heeft geen rol in Omnikanaal'],
      ['kcm-anne', () => (t) => op.resign(t, { iat: now - 900, exp: now - 600 }), 'verlopen', 'Het bewijs van inloggen is verlopen. Log opnieuw in.'],
      ['kcm-anne', () => (t) => op.resign(t, { aud: 'ander-systeem' }), 'audience', 'Het bewijs van inloggen was niet voor deze toepassing bedoeld.'],
      ['kcm-anne', () => async (t) => op.resign(t, {}, await op.foreignKey()), 'sleutel_onbekend', 'ondertekend met een onbekende sleutel'],
      // The staff ID token of the login before, replayed.
      ['kcm-anne', () => { const eerder = op.idTokens.at(-1); return async () => eerder; }, 'nonce', 'hoorde bij een eerdere inlogpoging'],
    ];
    for (const [user, maak, code, tekst] of gevallen) {
      const staff = await newPage(browser, srv.base);
      try {
        if (maak) op.tamperNext(maak());
        await staff.goto('/login');
        await staff.getByRole('link', { name: 'Inloggen met uw gemeente-account' }).click();
        await bijProvider(staff, user);
        await staff.waitForURL(`**/login?fout=${code}`);
        await staff.getByRole('alert').getByText(tekst).waitFor();
        assert.deepEqual(staff.problems, []);
      } finally {
        await staff.context().close();
      }
    }
  });
});
