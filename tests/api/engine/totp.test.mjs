// TOTP (RFC 6238) as the second factor of local accounts (issue 22): required for a beheerder,
// optional for other roles once enrolled; enrolment shows the secret once (base32 and an
// otpauth:// URI) and the first right code confirms it; a code counts for its time step and one
// either side, and never twice.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, expectStatus, assertProblem, totpCode } from '../lib/harness.mjs';

const AUTH = '/auth/api/v1';
const PW = 'geheim-wachtwoord-1';
let srv;
const step = () => Math.floor(Date.now() / 30000);
const login = (gebruikersnaam, totp) => request('POST', `${srv.base}${AUTH}/login`,
  { body: { gebruikersnaam, wachtwoord: PW, ...(totp ? { totp } : {}) } });
const enrol = (gebruikersnaam, wachtwoord = PW) => request('POST', `${srv.base}${AUTH}/totp/inschrijven`,
  { body: { gebruikersnaam, wachtwoord } });

before(async () => {
  srv = await startServer();
  srv.createUser('beheer-totp', 'beheerder', PW);
  srv.createUser('kcm-totp', 'kcm', PW);
  srv.createUser('beheer-helper', 'beheerder', PW);
});
after(async () => { await srv?.stop(); });

describe('TOTP second factor', () => {
  it('a beheerder enrols, confirms with the first code, and never reuses one', async () => {
    const first = await login('beheer-totp');
    assertProblem(first, 403, 'totp_inschrijving_vereist');
    assert.equal(first.json.detail, 'Als beheerder logt u in met een tweede factor. Schrijf eerst een authenticator-app in.');

    assertProblem(await enrol('beheer-totp', 'fout-wachtwoord'), 401, 'authentication_failed');
    const e = expectStatus(await enrol('beheer-totp'), 201);
    assert.match(e.geheim, /^[A-Z2-7]{32}$/, '160 bits in base32');
    assert.equal(e.otpauthUri, `otpauth://totp/Omnikanaal:beheer-totp?secret=${e.geheim}&issuer=Omnikanaal&algorithm=SHA1&digits=6&period=30`);
    assert.deepEqual([e.cijfers, e.periodeSeconden], [6, 30]);

    // Pending: without a code still refused, with a wrong one too.
    const pending = await login('beheer-totp');
    assertProblem(pending, 403, 'totp_inschrijving_vereist');
    assert.match(pending.json.detail, /inschrijving af te ronden/);
    const now = step();
    const wrong = String((Number(totpCode(e.geheim, now)) + 1) % 1000000).padStart(6, '0');
    assertProblem(await login('beheer-totp', wrong), 401, 'totp_onjuist');

    // The right code confirms and logs in.
    expectStatus(await login('beheer-totp', totpCode(e.geheim, now)), 200);
    // The same code again: refused; so is an older step's.
    const again = await login('beheer-totp', totpCode(e.geheim, now));
    assertProblem(again, 401, 'totp_onjuist');
    assert.equal(again.json.detail, 'De code klopt niet of is al gebruikt. Wacht op de volgende code en probeer het opnieuw.');
    assertProblem(await login('beheer-totp', totpCode(e.geheim, now - 1)), 401, 'totp_onjuist');
    // The next step's code is within the window; three steps ahead is not.
    expectStatus(await login('beheer-totp', totpCode(e.geheim, now + 1)), 200);
    assertProblem(await login('beheer-totp', totpCode(e.geheim, now + 4)), 401, 'totp_onjuist');
    // Confirmed: no code is required → asked for.
    assertProblem(await login('beheer-totp'), 401, 'totp_vereist');
    // A confirmed secret is not replaced by enrolling again.
    assertProblem(await enrol('beheer-totp'), 409, 'totp_al_ingeschreven');
    // Malformed codes are simply wrong.
    assertProblem(await login('beheer-totp', '12345'), 401, 'totp_onjuist');
    assertProblem(await login('beheer-totp', 'abcdef'), 401, 'totp_onjuist');
  });

  it('other roles may enrol; then the code is required for them too', async () => {
    expectStatus(await login('kcm-totp'), 200);
    const e = expectStatus(await enrol('kcm-totp'), 201);
    // Until confirmed, the password alone still works for a non-beheerder.
    expectStatus(await login('kcm-totp'), 200);
    expectStatus(await login('kcm-totp', totpCode(e.geheim, step())), 200);
    assertProblem(await login('kcm-totp'), 401, 'totp_vereist');
  });

  it('the test harness logs a beheerder in with fresh codes', async () => {
    const a = await srv.login('beheer-helper', PW);
    const b = await srv.login('beheer-helper', PW);
    assert.notEqual(a.cookie, b.cookie);
    const me = expectStatus(await request('GET', `${srv.base}${AUTH}/sessie`, { headers: { Cookie: b.cookie } }), 200);
    assert.equal(me.rol, 'beheerder');
    assert.equal(me.inlogmethode, 'lokaal');
  });
});
