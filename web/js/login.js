// Login pages: staff (gebruikersnaam + wachtwoord) and the residents' development login (BSN).
import { api, showErrors, clearErrors, ApiError } from './app.js';
import { AUTH } from './paden.js';

function terug(fallback) {
  const t = new URLSearchParams(location.search).get('terug');
  // Only paths on this site: never an absolute URL (open redirect).
  return t && /^\/[a-z]/.test(t) && !t.startsWith('//') ? t : fallback;
}

async function submit(form, path, body) {
  clearErrors(form);
  try {
    const s = await api('POST', path, body);
    location.assign(terug(s.startpagina));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      e.problem.invalidParams = [{ name: 'wachtwoord', reason: 'Onjuiste gebruikersnaam of wachtwoord.' }];
    }
    if (e instanceof ApiError && e.status === 404 && path.includes('dev-login')) {
      e.problem.invalidParams = [{ name: 'bsn', reason: 'De ontwikkel-login staat uit op deze server.' }];
    }
    showErrors(form, e);
  }
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
    submit(staff, `${AUTH}/login`, {
      gebruikersnaam: staff.elements.gebruikersnaam.value.trim(),
      wachtwoord: staff.elements.wachtwoord.value,
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
