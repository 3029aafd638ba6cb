// The employee's running contacts ("Actief (n)"): each a contact session on the server with its
// own klant(en), draft and chat. "Nieuw contactmoment" starts one; switching saves the draft
// of the one left and shows exactly what the server holds for the one chosen. The current
// contact is remembered in the address (?contact=…) only to pick it again after a reload; the
// server decides whether it is this employee's.
import { api, announce } from '../app.js';
import { html, render } from '../html.js';
import { WERKPLEK } from '../paden.js';
import { staat, neemContact, bewaarNu } from './staat.js';

const AANLEIDING = { nieuw: 'Contact', telefoon: 'Telefoon', chat: 'Chat', werkvoorraad: 'Werkvoorraad' };
/** When a contact started, so two contacts with the same klant can be told apart. */
const START = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });
let toonContact = async () => {};

/** Who a contact is for, in words. */
export function voorWie(c) {
  if (!c) return '';
  return c.actievePartij ? c.actievePartij.naam || 'klant zonder naam' : 'nog geen klant gekozen';
}

/** Draws the "voor:" line and the list of running contacts. */
export function tekenContacten() {
  const voor = document.getElementById('voor');
  voor.textContent = staat.contact ? `Contactmoment voor: ${voorWie(staat.contact)}` : 'Geen contactmoment geopend.';
  document.getElementById('actief-kop').textContent = `Actief (${staat.contacten.length})`;
  const lijst = document.getElementById('actief');
  render(lijst, staat.contacten.map((c) => {
    const huidig = staat.contact && staat.contact.uuid === c.uuid;
    const n = staat.ongelezen[c.uuid] || 0;
    return html`<li><button type="button" class="utrecht-button utrecht-button--secondary-action" data-contact="${c.uuid}"${huidig ? html` aria-current="true"` : ''}>
      ${AANLEIDING[c.aanleiding] || 'Contact'}: ${c.actievePartij ? c.actievePartij.naam : 'Onbekende klant'}${c.gestartOp ? html` <span class="omk-tijd">${START.format(new Date(c.gestartOp))}</span>` : ''}${huidig ? html`<span class="omk-visually-hidden"> (huidig contactmoment)</span>` : ''}${n ? html` <span class="omk-ongelezen">${n}<span class="omk-visually-hidden"> ongelezen</span></span>` : ''}</button></li>`;
  }));
  lijst.querySelectorAll('[data-contact]').forEach((b) => b.addEventListener('click', () => kiesContact(b.dataset.contact)));
  // The list shows two rows and scrolls: the current contact is kept in its view.
  const huidige = lijst.querySelector('[aria-current="true"]');
  if (huidige) lijst.scrollTop = Math.max(0, huidige.offsetTop - lijst.offsetTop - 3);
  document.getElementById('werkvlak').hidden = !staat.contact;
  document.getElementById('geen-contact').hidden = !!staat.contact;
}

/** Makes contact `uuid` the current one (after saving the draft of the one left). */
export async function kiesContact(uuid, { focus = true } = {}) {
  await bewaarNu();
  const c = await api('GET', `${WERKPLEK}/sessies/${uuid}`);
  neemContact(c);
  staat.contact = c.status === 'actief' ? c : null;
  staat.partij = staat.contact ? staat.contact.actievePartij : null;
  delete staat.ongelezen[uuid];
  const url = new URL(location.href);
  if (staat.contact) url.searchParams.set('contact', uuid); else url.searchParams.delete('contact');
  history.replaceState(null, '', url);
  // The form is filled from the server before it is shown, so nothing typed is drawn over.
  const klaar = toonContact(staat.contact);
  tekenContacten();
  await klaar;
  if (staat.contact) announce(`Contactmoment voor ${voorWie(staat.contact)} geopend.`);
  if (focus && staat.contact) document.getElementById('zoekterm').focus();
}

/** Starts a contact session (`body`: aanleiding, kanaal, gesprek, telefoonnummer) and makes it
 * current. Returns it. */
export async function startContact(body = {}) {
  await bewaarNu();
  const c = await api('POST', `${WERKPLEK}/sessies`, body);
  neemContact(c);
  await kiesContact(c.uuid, { focus: false });
  return c;
}

/** Forgets the current contact (after wrap-up) and shows none. */
export async function sluitHuidig(c) {
  neemContact(c);
  staat.contact = null;
  staat.partij = null;
  const url = new URL(location.href);
  url.searchParams.delete('contact');
  history.replaceState(null, '', url);
  tekenContacten();
  await toonContact(null);
}

/** Loads the employee's running contacts and picks the one in the address, if it is theirs.
 * `toon(contact)` fills the screen for a contact (or empties it for null). */
export async function startContacten(toon) {
  toonContact = toon;
  const r = await api('GET', `${WERKPLEK}/sessies`);
  staat.contacten = r.results;
  const nieuw = document.getElementById('nieuw-contact');
  nieuw.addEventListener('click', async () => {
    await startContact({ aanleiding: 'nieuw' });
    document.getElementById('zoekterm').focus();
  });
  // Disabled in the page until here: a click while the werkplek loads would otherwise be lost.
  nieuw.disabled = false;
  const gevraagd = new URL(location.href).searchParams.get('contact');
  if (gevraagd && staat.contacten.some((c) => c.uuid === gevraagd)) {
    await kiesContact(gevraagd, { focus: false });
  } else {
    if (gevraagd) {
      const url = new URL(location.href);
      url.searchParams.delete('contact');
      history.replaceState(null, '', url);
    }
    tekenContacten();
    await toonContact(null);
  }
}
