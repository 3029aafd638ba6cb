// What the werkplek's features share: the session, the klant shown and the questions of the
// contactmoment being registered. The half-typed contactmoment (with the klant and the
// contactverzoek's fields) is kept in localStorage, so it survives a reload or a new login.
const CONCEPT = 'omk-werkplek-concept';

export const staat = {
  sessie: null,
  /** The klant in the klantbeeld: { uuid, nummer, soortPartij, partijIdentificatie } or null. */
  partij: null,
  /** The questions of the contactmoment: { onderwerp, inhoud, reactie, resultaat, artikelen }. */
  vragen: [],
};

/** The purpose this session acts under (doelbinding; chosen with PATCH /auth/api/v1/sessie). */
export function doel() {
  const s = staat.sessie;
  return (s && s.verwerkingsactiviteit && s.verwerkingsactiviteit.id) || 'klantvraag-beantwoorden';
}

export function nieuweVraag() {
  return { onderwerp: '', inhoud: '', reactie: '', resultaat: 'zelfstandig afgehandeld', artikelen: [] };
}

/** Writes the contactmoment as it stands to localStorage. */
export function bewaarConcept() {
  const f = document.getElementById('contact-form');
  const concept = {
    partij: staat.partij, vragen: staat.vragen, kanaal: f.elements.kanaal.value,
    cv: { actor: f.elements['cv-actor'].value,
      handeling: f.elements['cv-handeling'].value, toelichting: f.elements['cv-toelichting'].value },
  };
  localStorage.setItem(CONCEPT, JSON.stringify(concept));
}

/** The saved contactmoment, or null. */
export function leesConcept() {
  try { return JSON.parse(localStorage.getItem(CONCEPT) || 'null'); } catch { return null; }
}

export function wisConcept() {
  localStorage.removeItem(CONCEPT);
}
