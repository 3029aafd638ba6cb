// The agent's event stream in the KCC-werkplek — a screen pop for an incoming call — and the
// chats: the queue of waiting web chats (live over the agent's event stream); taking one starts
// a contact session of its own (so a chat is never mixed with the klant of another contact and
// every chat held comes back after a reload, listed under "Actief"); the open contact's chat
// with replies (Enter sends, Shift+Enter is a new line), new messages of the other chats marked
// unread (the employee's last-read mark of each chat is kept on the server, so the marks
// survive a reload); closing it is registering the contact: the chat's questions (onderwerp,
// answer, result, kennisbank articles) go on the transcript's klantcontact, linked to the klant
// confirmed at wrap-up or to nobody (contactmoment.js).
import { api, datum, announce, showErrors, clearErrors, ApiError } from '../app.js';
import { html, render } from '../html.js';
import { KANALEN, WERKPLEK } from '../paden.js';
import { staat, contactPad } from './staat.js';
import { startContact, tekenContacten } from './sessies.js';

const chat = { medewerker: null, sluitend: null /* the gesprek being closed here */ };

// Times as the municipality's clock says them, whatever the browser's time zone (as datum()).
const KLOK = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });
const DAG = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'short', timeZone: 'Europe/Amsterdam' });
const tijd = (s) => (s ? KLOK.format(new Date(s)) : '');
/** When a chat started waiting: the time today, else the date and time. */
const sinds = (s) => (s && DAG.format(new Date(s)) === DAG.format(new Date()) ? tijd(s) : datum(s));

/** Starts the inbox for `medewerker`; `onScreenpop(pop)` runs when the telephone platform
 * offers this medewerker a call. */
export async function startChatInbox(medewerker, onScreenpop) {
  chat.medewerker = medewerker;
  document.getElementById('chat-antwoord').addEventListener('submit', antwoord);
  document.getElementById('chat-tekst').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      document.getElementById('chat-antwoord').requestSubmit();
    }
  });
  // Closing a chat registers it: the registration form below is checked and sent.
  document.getElementById('chat-afsluiten').addEventListener('click', () => {
    document.getElementById('contact-form').requestSubmit();
  });
  await laadWachtrij();
  telOngelezen();
  const stream = new EventSource(`${KANALEN}/gebeurtenissen?medewerker=${encodeURIComponent(medewerker)}`);
  staat.stroom = stream; // the one stream of this page: the werkvoorraad listens to it too
  // The server sends `verbonden` once this stream is registered: from then on nothing is missed.
  const status = document.getElementById('chat-status');
  stream.addEventListener('verbonden', () => { status.dataset.verbonden = 'ja'; });
  stream.addEventListener('error', () => { status.dataset.verbonden = 'nee'; });
  stream.addEventListener('chat-wachtrij', (ev) => {
    laadWachtrij();
    // The resident left the chat on screen: say so (its registration is still to be done).
    const d = JSON.parse(ev.data);
    if (d.actie === 'beeindigd' && staat.contact && staat.contact.gesprek === d.gesprek && chat.sluitend !== d.gesprek) {
      toonChat(staat.contact);
    }
  });
  stream.addEventListener('screenpop', (ev) => { if (onScreenpop) onScreenpop(JSON.parse(ev.data)); });
  // The stream could not replay what it missed while disconnected: catch up from the API.
  stream.addEventListener('verouderd', bijwerken);
  stream.addEventListener('chatbericht', (ev) => {
    const d = JSON.parse(ev.data);
    if (!d.bericht) return;
    const contact = staat.contacten.find((c) => c.gesprek === d.gesprek);
    if (!contact) return;
    if (staat.contact && staat.contact.uuid === contact.uuid) {
      voegToe(d.bericht);
      markeerGelezen(contact, d.bericht.tijdstip);
      announce(`Nieuw chatbericht: ${d.bericht.tekst}`);
    } else if (d.bericht.richting !== 'uit') {
      staat.ongelezen[contact.uuid] = (staat.ongelezen[contact.uuid] || 0) + 1;
      tekenContacten();
      announce(`Nieuw chatbericht in een ander contactmoment.`);
    }
  });
}

async function laadWachtrij() {
  const lijst = document.getElementById('chat-wachtrij');
  const r = await api('GET', `${KANALEN}/chat/wachtrij`);
  document.getElementById('chat-status').textContent =
    r.count ? `${r.count} chat${r.count === 1 ? '' : 's'} wacht${r.count === 1 ? '' : 'en'}.` : 'Geen wachtende chats.';
  render(lijst, r.results.map((g) => html`<li>
      <span><strong>${g.naam || 'Inwoner'}</strong>${g.onderwerp ? `: ${g.onderwerp}` : ''}</span>
      <span class="omk-hint">sinds ${sinds(g.aangemaaktOp)}</span>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" data-chat="${g.uuid}">Chat aannemen<span class="omk-visually-hidden"> van ${g.naam || 'inwoner'}</span></button>
    </li>`));
  lijst.querySelectorAll('[data-chat]').forEach((b) => b.addEventListener('click', () => aannemen(b.dataset.chat)));
}

async function aannemen(uuid) {
  document.getElementById('chat-melding').textContent = '';
  await api('POST', `${KANALEN}/chat/sessies/${uuid}/toewijzen`, { medewerker: chat.medewerker });
  await startContact({ aanleiding: 'chat', kanaal: 'chat', gesprek: uuid });
  await laadWachtrij();
  document.getElementById('chat-tekst').focus();
}

/** The employee has read chat contact `c` up to `tijdstip` (a message's): the mark is kept on
 * the server, with the contact session, only ever moved forward. */
async function markeerGelezen(c, tijdstip) {
  if (!tijdstip || (c.chatGelezenTot && Date.parse(c.chatGelezenTot) >= Date.parse(tijdstip))) return;
  c.chatGelezenTot = tijdstip;
  try {
    const nieuw = await api('PATCH', `${WERKPLEK}/sessies/${c.uuid}`, { chatGelezenTot: tijdstip });
    const oud = staat.contacten.find((x) => x.uuid === nieuw.uuid);
    if (oud) oud.chatGelezenTot = nieuw.chatGelezenTot;
  } catch { /* the mark is a convenience: the next message or view sets it again */ }
}

/** After a (re)load: the unread messages of each chat contact not on screen, from the
 * server's last-read mark (a chat never read counts every message of the resident). */
async function telOngelezen() {
  for (const c of staat.contacten.filter((x) => x.gesprek)) {
    if (staat.contact && staat.contact.uuid === c.uuid) continue;
    try {
      const g = await api('GET', `${KANALEN}/gesprekken/${c.gesprek}`);
      const sinds = c.chatGelezenTot ? Date.parse(c.chatGelezenTot) : -Infinity;
      const n = (g.berichten || []).filter((b) => b.richting !== 'uit' && Date.parse(b.tijdstip) > sinds).length;
      if (n) staat.ongelezen[c.uuid] = n; else delete staat.ongelezen[c.uuid];
    } catch { /* a chat that cannot be read now shows no mark */ }
  }
  tekenContacten();
}

/** Shows the chat of contact `c` (or hides the chat panel when it has none). */
export async function toonChat(c) {
  const paneel = document.getElementById('chat-paneel');
  if (!c || !c.gesprek) {
    paneel.hidden = true;
    staat.chatOpen = false;
    tekenAfsluitknop();
    return;
  }
  paneel.hidden = false;
  document.getElementById('chat-gesprek').hidden = false;
  const g = await api('GET', `${KANALEN}/gesprekken/${c.gesprek}`);
  staat.chatOpen = g.status === 'open';
  // The resident left: no more replies; the registration is still the employee's to do.
  document.getElementById('chat-verlaten').hidden = staat.chatOpen;
  document.getElementById('chat-invoer').hidden = !staat.chatOpen;
  document.getElementById('chat-versturen').hidden = !staat.chatOpen;
  tekenAfsluitknop();
  document.getElementById('chat-met').textContent = `Chat met ${g.naam || 'inwoner'}${g.onderwerp ? ` over ${g.onderwerp}` : ''}`;
  // What the visitor typed identifies nobody: the employee checks who it is before linking.
  const adres = document.getElementById('chat-adres');
  adres.textContent = g.adres ? `Opgegeven e-mailadres: ${g.adres} (niet gecontroleerd; zoek en controleer de klant zelf).` : '';
  adres.hidden = !g.adres;
  document.getElementById('chat-berichten').replaceChildren();
  for (const b of g.berichten || []) voegToe(b);
  const laatste = (g.berichten || []).at(-1);
  if (laatste) markeerGelezen(c, laatste.tijdstip);
}

/** The registration's button says that it closes the chat too, while the contact has one. */
function tekenAfsluitknop() {
  const knop = document.getElementById('registreer');
  const chat = staat.contact && staat.contact.gesprek;
  knop.textContent = chat ? 'Chat afsluiten en contactmoment registreren' : 'Contactmoment registreren';
}

/** Closes the current contact's chat with its first question `v` registered on the
 * transcript's klantcontact, for `partij` (a klant confirmed at wrap-up) or nobody; returns
 * that klantcontact ({uuid, url}). A chat the resident ended gets it on the klantcontact it
 * left. Field errors are named as the form's (v0.onderwerp, …). */
export async function sluitChat(v, partij) {
  chat.sluitend = staat.contact.gesprek;
  try {
    const r = await api('POST', contactPad('/chat/afsluiten'), {
      onderwerp: v.onderwerp.trim(), inhoud: v.inhoud, reactie: v.reactie, resultaat: v.resultaat,
      ...(partij ? { partij: { uuid: partij } } : {}),
    });
    staat.chatOpen = false;
    return r.klantcontact;
  } catch (e) {
    chat.sluitend = null;
    if (e.problem && e.problem.invalidParams) {
      e.problem.invalidParams = e.problem.invalidParams.map((p) => ({ ...p, name: `v0.${p.name}` }));
    }
    throw e;
  }
}

/** After a reconnect whose missed events the server no longer had: reloads the queue and the
 * open chat; a screen pop that was missed cannot come back, so the agent is told. */
async function bijwerken() {
  await laadWachtrij();
  if (staat.contact) await toonChat(staat.contact);
  announce('De verbinding was even weg. Wachtrij en chat zijn bijgewerkt; een gemiste oproep ziet u niet terug.');
}

function voegToe(b) {
  const li = document.createElement('li');
  const uit = b.richting === 'uit';
  li.className = uit ? 'omk-bericht omk-bericht--uit' : 'omk-bericht';
  const wie = uit ? (b.afzender || chat.medewerker) : 'Inwoner';
  const wanneer = b.tijdstip;
  render(li, html`<strong>${wie}</strong>${wanneer ? html` <span class="omk-hint">${tijd(wanneer)}</span>` : ''}: ${b.tekst}`);
  document.getElementById('chat-berichten').append(li);
}

async function antwoord(ev) {
  ev.preventDefault();
  const form = ev.target;
  clearErrors(form);
  const tekst = form.elements['chat-tekst'].value.trim();
  if (!tekst) {
    showErrors(form, new ApiError(400, { invalidParams: [{ name: 'chat-tekst', reason: 'Typ eerst een antwoord.' }] }));
    return;
  }
  try {
    const b = await api('POST', `${KANALEN}/gesprekken/${staat.contact.gesprek}/berichten`, { tekst });
    voegToe(b.bericht || b);
    form.elements['chat-tekst'].value = '';
  } catch (e) {
    showErrors(form, e);
  }
}
