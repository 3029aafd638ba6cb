// What the werkplek's features share: the login session, the employee's running contacts
// (contact sessions on the server, /werkplek/api/v1/sessies) and the questions of the current
// one. Nothing is kept in the browser: the draft is written to the current contact session on
// the server, so it survives a reload or a crash, belongs to this employee, and is gone when
// they log out. The klant of a contact is what the server says its active partij is.
import { api } from '../app.js';
import { WERKPLEK } from '../paden.js';

const OUDE_CONCEPT = 'omk-werkplek-concept';

export const staat = {
  sessie: null,
  /** The employee's running contacts, oldest first (as GET /sessies gives them). */
  contacten: [],
  /** The current contact session (one of contacten), or null. */
  contact: null,
  /** The klant shown: the current contact's active partij { uuid, naam, soort } or null. */
  partij: null,
  /** The questions of the current contact: { onderwerp, inhoud, reactie, resultaat, artikelen }. */
  vragen: [],
  /** Unread chat messages per contact uuid. */
  ongelezen: {},
  /** The page's event stream (werkplek/chat.js opens it; the werkvoorraad listens too). */
  stroom: null,
};

/** A draft from before contact sessions, left in this browser by anyone: removed unread. */
export function wisOudConcept() {
  try { localStorage.removeItem(OUDE_CONCEPT); } catch { /* storage blocked */ }
}

/** The purpose this session acts under (doelbinding; chosen with PATCH /auth/api/v1/sessie). */
export function doel() {
  const s = staat.sessie;
  return (s && s.verwerkingsactiviteit && s.verwerkingsactiviteit.id) || 'klantvraag-beantwoorden';
}

export function nieuweVraag() {
  return { onderwerp: '', inhoud: '', reactie: '', resultaat: 'zelfstandig afgehandeld', artikelen: [] };
}

/** The current contact's path on the server. */
export function contactPad(sub = '') {
  return `${WERKPLEK}/sessies/${staat.contact.uuid}${sub}`;
}

/** Puts a contact session the server returned into the shared state. */
export function neemContact(c) {
  const i = staat.contacten.findIndex((x) => x.uuid === c.uuid);
  if (c.status !== 'actief') {
    if (i >= 0) staat.contacten.splice(i, 1);
  } else if (i >= 0) staat.contacten[i] = c;
  else staat.contacten.push(c);
  if (staat.contact && staat.contact.uuid === c.uuid) {
    staat.contact = c.status === 'actief' ? c : null;
    staat.partij = staat.contact ? staat.contact.actievePartij : null;
  }
}

let timer = null;
let wachtend = null;

/** The draft of the current contact as the form shows it. */
function conceptNu() {
  const f = document.getElementById('contact-form');
  return {
    vragen: staat.vragen, kanaal: f.elements.kanaal.value,
    cv: { actor: f.elements['cv-actor'].value,
      handeling: f.elements['cv-handeling'].value, toelichting: f.elements['cv-toelichting'].value },
  };
}

/** Writes the draft to the current contact session on the server (debounced). */
export function bewaarConcept() {
  if (!staat.contact) return;
  const uuid = staat.contact.uuid;
  const concept = conceptNu();
  staat.contact.concept = concept;
  wachtend = { uuid, concept };
  clearTimeout(timer);
  timer = setTimeout(bewaarNu, 400);
}

/** Writes a pending draft at once (before switching contacts or wrapping up). */
export async function bewaarNu() {
  clearTimeout(timer);
  const w = wachtend;
  wachtend = null;
  if (!w) return;
  const status = document.getElementById('concept-status');
  try {
    const c = await api('PATCH', `${WERKPLEK}/sessies/${w.uuid}`, { concept: w.concept });
    neemContact(c);
    if (status) status.textContent = 'Concept bewaard bij dit contactmoment.';
  } catch {
    if (status) status.textContent = 'Het concept kon niet worden bewaard. Controleer de verbinding.';
  }
}
