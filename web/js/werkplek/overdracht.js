// Hand-over to the back office: when a question ends in a contactverzoek or terugbelverzoek, the
// contactverzoek's fields (to whom, the requested action, a note for the colleague), the service
// norm of the kanaal and what the resident will see in Mijn Voorbeeldstad; on registering, the
// contactverzoek is made through the channels API (its deadline comes from the service norm).
import { api } from '../app.js';
import { html, render } from '../html.js';
import { KANALEN, KLANTINTERACTIES } from '../paden.js';
import { staat, bewaarConcept, contactPad } from './staat.js';

let actoren = [];
let normen = [];

/** Loads the afdelingen and medewerkers to assign to, and the service norms. */
export async function laadActoren() {
  try {
    const r = await api('GET', `${KLANTINTERACTIES}/actoren?pageSize=100`);
    actoren = r.results.filter((a) => a.indicatieActief !== false);
  } catch { actoren = []; }
  try {
    normen = (await api('GET', `${KANALEN}/servicenormen?pageSize=100`)).results;
  } catch { normen = []; }
  render(document.getElementById('cv-actor'), html`<option value="">Kies een afdeling of medewerker</option>${actoren.map((a) => {
    const soort = a.soortActor === 'medewerker' ? 'medewerker' : 'afdeling';
    return html`<option value="${soort}|${a.naam}">${a.naam} (${soort})</option>`;
  })}`);
}

/** The service norm for a kanaal (no product chosen): werkdagen and omschrijving. */
function normVoor(kanaal) {
  return normen.find((n) => n.kanaal === kanaal && !n.product) || normen.find((n) => !n.kanaal && !n.product) || null;
}

function isVerzoek(v) {
  return v.resultaat === 'contactverzoek' || v.resultaat === 'terugbelverzoek';
}

/** Whether a question of the contactmoment asks for a hand-over. */
export function heeftVerzoek() {
  return staat.vragen.some(isVerzoek);
}

/** Shows the contactverzoek's fields when a question asks for them. */
export function toonContactverzoek() {
  const box = document.getElementById('contactverzoek');
  box.hidden = !heeftVerzoek();
  werkPreviewBij();
}

function werkPreviewBij() {
  const f = document.getElementById('contact-form');
  const [, naam] = (f.elements['cv-actor'].value || '|').split('|');
  const handeling = f.elements['cv-handeling'].value || '(gevraagde handeling)';
  const norm = normVoor(f.elements.kanaal.value);
  const termijn = norm ? `${norm.werkdagen} ${norm.werkdagen === 1 ? 'werkdag' : 'werkdagen'}` : 'de afgesproken termijn';
  document.getElementById('cv-norm').textContent = norm ? `${norm.omschrijving || termijn} (kanaal ${f.elements.kanaal.value})` : 'Geen servicenorm gevonden; de algemene termijn geldt.';
  document.getElementById('cv-preview').textContent =
    `Uw verzoek: ${handeling}\nStatus: in behandeling${naam ? ` bij ${naam}` : ''}\nU hoort binnen ${termijn} van ons.`;
}

/** The field errors of the contactverzoek's part of form `f` (none without a hand-over). */
export function valideerOverdracht(f) {
  const fouten = [];
  if (heeftVerzoek()) {
    if (!f.elements['cv-actor'].value) fouten.push({ name: 'toegewezenAan', reason: 'Kies aan wie het contactverzoek gaat.' });
    if (!f.elements['cv-handeling'].value.trim()) fouten.push({ name: 'gevraagdeHandeling', reason: 'Vul in wat de collega moet doen.' });
  }
  return fouten;
}

/** Makes the contactverzoek for the first question that asks for one, linked to its
 * klantcontact (`gemaakt[i]`, in question order) and to `partij` (a klant of the current
 * contact, or null), through the current contact session. Returns it, or null without a
 * hand-over. */
export async function maakContactverzoek(f, gemaakt, partij) {
  if (!heeftVerzoek()) return null;
  const i = staat.vragen.findIndex(isVerzoek);
  const [soort, naam] = f.elements['cv-actor'].value.split('|');
  return api('POST', contactPad('/contactverzoeken'), {
    kanaal: f.elements.kanaal.value,
    onderwerp: staat.vragen[i].onderwerp.trim(),
    toelichting: f.elements['cv-toelichting'].value.slice(0, 1000),
    gevraagdeHandeling: f.elements['cv-handeling'].value.trim(),
    ...(partij ? { partij: { uuid: partij } } : {}),
    klantcontact: { uuid: gemaakt[i].uuid },
    toegewezenAan: { soort, naam },
  });
}

/** Empties the contactverzoek's fields after a registration. */
export function leegOverdracht(f) {
  f.elements['cv-handeling'].value = '';
  f.elements['cv-toelichting'].value = '';
  f.elements['cv-actor'].value = '';
}

export function koppelOverdracht() {
  const f = document.getElementById('contact-form');
  for (const n of ['kanaal', 'cv-actor', 'cv-handeling', 'cv-toelichting']) {
    f.elements[n].addEventListener('input', () => { werkPreviewBij(); bewaarConcept(); });
    f.elements[n].addEventListener('change', () => { werkPreviewBij(); bewaarConcept(); });
  }
}
