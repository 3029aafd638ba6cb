// Shared by every page: the session (role check, CSRF token), API calls with the session
// cookie, the user in the page header, and accessible form errors (tied to their fields,
// summarised and focused). Plain ES module, no framework; markup only through html.js.
import { html, render } from './html.js';
import { AUTH, MIJN } from './paden.js';

let session = null;

/** An error from the API with its problem+json body. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** Calls an API path with the session cookie; JSON in, JSON out. Throws ApiError. A 401 sends
 * the user to the login page (the work in progress stays in local storage). */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session && session.csrfToken) headers['X-CSRF-Token'] = session.csrfToken;
  const res = await fetch(path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (res.status === 401 && !path.startsWith(`${AUTH}/`)) {
    naarLogin();
    throw new ApiError(401, json);
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

function naarLogin() {
  const terug = location.pathname + location.search;
  location.assign((session && session.rol === 'inwoner' ? '/inloggen-inwoner' : '/login') + '?terug=' + encodeURIComponent(terug));
}

/** Loads the session; sends to the login page without one, shows a message when the role
 * may not use this page. Fills the header. Returns the session. */
export async function requireSession(roles, { inwoner = false } = {}) {
  try {
    session = await api('GET', `${AUTH}/sessie`);
  } catch (e) {
    if (e.status === 401) {
      location.replace((inwoner ? '/inloggen-inwoner' : '/login') + '?terug=' + encodeURIComponent(location.pathname));
      return new Promise(() => {});
    }
    throw e;
  }
  renderUser();
  menuVoorRol();
  if (roles && !roles.includes(session.rol) && session.rol !== 'beheerder') {
    const main = document.getElementById('inhoud');
    render(main, html`<h1 class="utrecht-heading-1">Geen toegang</h1>
      <p class="utrecht-paragraph">Uw rol (${session.rol}) geeft geen toegang tot deze pagina.
      ${session.startpagina !== location.pathname ? html`<a class="utrecht-link" href="${session.startpagina}">Naar uw startpagina</a>.` : ''}</p>`);
    return new Promise(() => {});
  }
  return session;
}

export function currentSession() { return session; }

/** Hides the menu items of other roles (scripts/webframe.mjs marks them with data-rollen). */
function menuVoorRol() {
  if (!session || session.rol === 'beheerder') return;
  for (const li of document.querySelectorAll('.omk-header nav li[data-rollen]')) {
    if (!li.dataset.rollen.split(' ').includes(session.rol)) li.hidden = true;
  }
}

function renderUser() {
  const slot = document.getElementById('gebruiker');
  if (!slot || !session) return;
  const inwoner = session.rol === 'inwoner';
  const wie = (naam) => (naam ? html`Ingelogd als <strong>${naam}</strong>` : html`Ingelogd`);
  const naam = inwoner ? '' : session.rol === 'ondernemer' ? `KvK ${session.kvkNummer}` : session.gebruikersnaam;
  render(slot, html`<span id="gebruiker-wie">${wie(naam)}</span>
    <button type="button" class="utrecht-button utrecht-button--secondary-action" id="uitloggen">Uitloggen</button>`);
  document.getElementById('uitloggen').addEventListener('click', async () => {
    let r;
    try { r = await api('POST', `${AUTH}/logout`); } catch { /* already gone */ }
    // A session that began at an OpenID provider (or DigiD/eHerkenning) ends there too.
    if (r && r.uitloggenBijProvider) location.assign(r.uitloggenBijProvider);
    else location.assign(['inwoner', 'ondernemer'].includes(session.rol) ? '/inloggen-inwoner' : '/login');
  });
  // A resident is named as the register knows them; without a name, just "Ingelogd".
  if (inwoner) {
    api('GET', `${MIJN}/profiel`).then((p) => {
      if (p && p.naam) render(document.getElementById('gebruiker-wie'), wie(p.naam));
    }).catch(() => { /* the header stays "Ingelogd" */ });
  }
}

/** Shows the problem's field errors next to the fields of `form` (matched by data-veld or
 * name), with aria-invalid and aria-describedby, and a summary at the top that gets focus. */
export function showErrors(form, err, summaryText = 'Controleer de gemarkeerde velden.') {
  clearErrors(form);
  const params = (err && err.problem && err.problem.invalidParams) || [];
  const summary = form.querySelector('.omk-summary');
  const items = [];
  for (const p of params) {
    const field = form.querySelector(`[data-veld="${CSS.escape(p.name)}"]`) || form.querySelector(`[name="${CSS.escape(p.name)}"]`);
    if (field) {
      const id = `${field.id}-fout`;
      let msg = document.getElementById(id);
      if (!msg) {
        msg = document.createElement('p');
        msg.id = id;
        msg.className = 'omk-error';
        field.insertAdjacentElement('afterend', msg);
      }
      msg.textContent = p.reason;
      field.setAttribute('aria-invalid', 'true');
      const ids = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (!ids.includes(id)) ids.push(id);
      field.setAttribute('aria-describedby', ids.join(' '));
      const label = form.querySelector(`label[for="${field.id}"]`);
      items.push(html`<li><a class="utrecht-link" href="#${field.id}">${label ? label.textContent : p.name}: ${p.reason}</a></li>`);
    } else {
      items.push(html`<li>${p.reason}</li>`);
    }
  }
  if (summary) {
    const detail = params.length ? '' : html`<p class="utrecht-paragraph">${err.message}</p>`;
    render(summary, html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content">
      <h2 class="utrecht-heading-3" tabindex="-1">${params.length ? summaryText : 'Dat lukte niet'}</h2>${detail}
      ${items.length ? html`<ul class="utrecht-unordered-list">${items}</ul>` : ''}</div></div>`);
    summary.querySelector('h2').focus();
  }
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== `${el.id}-fout`);
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
  }
  for (const el of form.querySelectorAll('.omk-error')) el.remove();
  const summary = form.querySelector('.omk-summary');
  if (summary) summary.replaceChildren();
}

/** Announces a message in the page's live region. */
export function announce(text) {
  const live = document.getElementById('meldingen');
  if (live) live.textContent = text;
}

const DATUM = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
/** A date and time as text (html`…` escapes it); an unreadable value is shown as it came. */
export function datum(s) {
  if (!s) return '';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? String(s) : DATUM.format(d);
}

export function naamVan(partij) {
  if (!partij) return '';
  const p = partij.partijIdentificatie || {};
  if (p.naam) return p.naam;
  if (p.contactnaam) {
    const c = p.contactnaam;
    return [c.voornaam || c.voorletters, c.voorvoegselAchternaam, c.achternaam].filter(Boolean).join(' ');
  }
  if (p.volledigeNaam) return p.volledigeNaam;
  return partij.nummer ? `Partij ${partij.nummer}` : 'Onbekende partij';
}
