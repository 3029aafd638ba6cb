// Login pages: staff (the municipality's account through OpenID Connect, or a local account
// with gebruikersnaam + wachtwoord and, when enrolled or for a beheerder, a TOTP code), and
// residents and businesses (DigiD and eHerkenning through the broker; the development login
// only when the server has it on, and then it says so).
import { api, showErrors, clearErrors, ApiError } from './app.js';
import { AUTH } from './paden.js';

function terug(fallback) {
  const t = new URLSearchParams(location.search).get('terug');
  // Only paths on this site: never an absolute URL (open redirect).
  return t && /^\/[a-z]/.test(t) && !t.startsWith('//') ? t : fallback;
}

// Why a login through the provider or the broker was refused (the server's ?fout= codes).
const FOUTEN = {
  state: 'De inlogpoging is verlopen of niet herkend. Probeer opnieuw in te loggen.',
  geweigerd: 'Het inloggen is afgebroken of geweigerd bij de inlogdienst.',
  issuer: 'Het antwoord kwam niet van de ingestelde inlogdienst. Probeer opnieuw in te loggen.',
  token: 'De inlogdienst gaf geen geldig bewijs van inloggen. Probeer het opnieuw; lukt het niet, neem dan contact op met de gemeente.',
  nonce: 'Dit bewijs van inloggen hoorde bij een eerdere inlogpoging en wordt niet nog eens geaccepteerd. Log opnieuw in.',
  verlopen: 'Het bewijs van inloggen is verlopen. Log opnieuw in.',
  audience: 'Het bewijs van inloggen was niet voor deze toepassing bedoeld. Log opnieuw in.',
  sleutel_onbekend: 'Het bewijs van inloggen is ondertekend met een onbekende sleutel en wordt niet vertrouwd.',
  handtekening: 'De ondertekening van het bewijs van inloggen klopt niet; het wordt niet vertrouwd.',
  geen_rol: 'U bent ingelogd bij de gemeente, maar uw account heeft geen rol in Omnikanaal. Vraag functioneel beheer om een rol.',
  geen_bsn: 'De inlogdienst gaf geen geldig burgerservicenummer door. U kunt niet inloggen op Mijn Voorbeeldstad.',
  geen_kvk: 'De inlogdienst gaf geen geldig KvK-nummer door. Uw bedrijf kan niet inloggen op Mijn Voorbeeldstad.',
  machtiging_onbekend: 'Deze soort machtiging wordt niet ondersteund.',
  niveau_te_laag: 'U bent ingelogd met een te laag betrouwbaarheidsniveau. Log opnieuw in met een hoger niveau: bij DigiD met de DigiD-app of een sms-controle, bij eHerkenning met een middel van een hoger niveau.',
  inlogdienst_onbereikbaar: 'De inlogdienst is nu niet bereikbaar. Probeer het over een paar minuten opnieuw.',
};

const fout = new URLSearchParams(location.search).get('fout');
if (fout && document.getElementById('inlog-fout')) {
  document.getElementById('inlog-fout-tekst').textContent = FOUTEN[fout] || 'Inloggen is niet gelukt. Probeer het opnieuw.';
  document.getElementById('inlog-fout').hidden = false;
}

// Which ways to log in this server offers.
api('GET', `${AUTH}/inlogmethoden`).then((m) => {
  const naar = (id, soort) => {
    const a = document.getElementById(id);
    const t = terug('');
    if (a) a.href = `${AUTH}/oidc/inloggen?soort=${soort}${t ? `&terug=${encodeURIComponent(t)}` : ''}`;
  };
  const toon = (id, ja) => { const el = document.getElementById(id); if (el) el.hidden = !ja; };
  toon('oidc-medewerker', m.medewerker);
  naar('oidc-medewerker-link', 'medewerker');
  toon('broker', m.digid || m.eherkenning);
  toon('digid-link', m.digid);
  toon('eherkenning-link', m.eherkenning);
  naar('digid-link', 'digid');
  naar('eherkenning-link', 'eherkenning');
  toon('dev-login', m.ontwikkelLogin);
  toon('dev-banner', m.ontwikkelLogin);
  toon('geen-inlog', !m.digid && !m.eherkenning && !m.ontwikkelLogin);
}).catch(() => { /* the local login stays usable */ });

async function submit(form, path, body) {
  clearErrors(form);
  try {
    const s = await api('POST', path, body);
    location.assign(terug(s.startpagina));
  } catch (e) {
    if (e instanceof ApiError && path.endsWith('/login') && await tweedeFactor(form, body, e)) return;
    if (e instanceof ApiError && e.status === 401 && e.problem?.code === 'authentication_failed') {
      e.problem.invalidParams = [{ name: 'wachtwoord', reason: 'Onjuiste gebruikersnaam of wachtwoord.' }];
    }
    if (e instanceof ApiError && e.status === 404 && path.includes('dev-login')) {
      e.problem.invalidParams = [{ name: 'bsn', reason: 'De ontwikkel-login staat uit op deze server.' }];
    }
    showErrors(form, e);
  }
}

/** The second factor: asks for the code, or enrols an authenticator app first (a beheerder
 * without one). True when the form now shows what to do next. */
async function tweedeFactor(form, body, e) {
  const code = e.problem?.code;
  const veld = document.getElementById('totp-veld');
  if (code === 'totp_vereist' || code === 'totp_onjuist') {
    const eerder = !veld.hidden;
    veld.hidden = false;
    if (code === 'totp_onjuist' || eerder) e.problem.invalidParams = [{ name: 'totp', reason: e.problem.detail }];
    else e.problem.invalidParams = [{ name: 'totp', reason: 'Voer de code uit uw authenticator-app in.' }];
    showErrors(form, e, 'Vul de code uit uw authenticator-app in.');
    return true;
  }
  if (code !== 'totp_inschrijving_vereist') return false;
  if (!body.totp && !form.dataset.ingeschreven) {
    try {
      const r = await api('POST', `${AUTH}/totp/inschrijven`, { gebruikersnaam: body.gebruikersnaam, wachtwoord: body.wachtwoord });
      document.getElementById('totp-geheim').textContent = r.geheim;
      document.getElementById('totp-uri').href = r.otpauthUri;
      document.getElementById('totp-inschrijving').hidden = false;
      form.dataset.ingeschreven = '1';
    } catch { /* already enrolled and pending: the code field below completes it */ }
  }
  veld.hidden = false;
  e.problem.invalidParams = [{ name: 'totp', reason: e.problem.detail }];
  showErrors(form, e, 'Vul de code uit uw authenticator-app in.');
  return true;
}

function required(form, names) {
  const missing = names.filter((n) => !form.elements[n].value.trim())
    .map((name) => ({ name, reason: 'Dit veld is vereist.' }));
  if (missing.length) showErrors(form, new ApiError(400, { invalidParams: missing }));
  return missing.length === 0;
}

const staff = document.getElementById('login-form');
if (staff) {
  staff.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!required(staff, ['gebruikersnaam', 'wachtwoord'])) return;
    const totp = staff.elements.totp.value.replace(/\s/g, '');
    submit(staff, `${AUTH}/login`, {
      gebruikersnaam: staff.elements.gebruikersnaam.value.trim(),
      wachtwoord: staff.elements.wachtwoord.value,
      ...(totp ? { totp } : {}),
    });
  });
}

const dev = document.getElementById('dev-login-form');
if (dev) {
  dev.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!required(dev, ['bsn'])) return;
    submit(dev, `${AUTH}/dev-login`, { bsn: dev.elements.bsn.value.replace(/\s/g, '') });
  });
}
