// Registering the contactmoment: one or more questions (onderwerp, the klant's question, the
// answer given, the result, the kennisbank articles used), each a klantcontact in one gesprek,
// and the contactverzoek when a question asks for a hand-over (overdracht.js). A contact with a
// chat is registered as it is closed: the first question goes on the transcript's klantcontact
// (chat.js sluitChat), the others beside it in the chat's gesprek.
import { api, showErrors, clearErrors, ApiError } from '../app.js';
import { html, render } from '../html.js';
import { KENNISBANK } from '../paden.js';
import { staat, nieuweVraag, bewaarConcept, bewaarNu, contactPad } from './staat.js';
import { toonKlantbeeld, verbergKlantbeeld } from './klantbeeld.js';
import { sluitHuidig } from './sessies.js';
import { toonContactverzoek, valideerOverdracht, maakContactverzoek, leegOverdracht } from './overdracht.js';
import { werkKnoppenBij, zoekMee } from './kennisbank.js';
import { sluitChat } from './chat.js';

const RESULTATEN = [
  ['zelfstandig afgehandeld', 'Zelfstandig afgehandeld'],
  ['doorverbonden', 'Doorverbonden'],
  ['contactverzoek', 'Contactverzoek'],
  ['terugbelverzoek', 'Terugbelverzoek'],
];

/** Draws the questions from staat.vragen (after every change to their number or articles). */
export function renderVragen() {
  const box = document.getElementById('vragen');
  render(box, staat.vragen.map((v, i) => html`
    <fieldset class="omk-vraag" data-vraag="${i}">
      <legend>Vraag ${i + 1}</legend>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-onderwerp">Onderwerp</label>
        <input class="utrecht-textbox utrecht-textbox--html-input" id="v${i}-onderwerp" data-veld="v${i}.onderwerp" data-i="${i}" data-k="onderwerp" maxlength="200" value="${v.onderwerp}">
      </div>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-inhoud">Vraag van de klant</label>
        <textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="v${i}-inhoud" data-veld="v${i}.inhoud" data-i="${i}" data-k="inhoud" rows="2" maxlength="1000">${v.inhoud}</textarea>
      </div>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-reactie">Gegeven antwoord</label>
        <textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="v${i}-reactie" data-veld="v${i}.reactie" data-i="${i}" data-k="reactie" rows="2" maxlength="4000">${v.reactie}</textarea>
      </div>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-resultaat">Resultaat</label>
        <select class="utrecht-select utrecht-select--html-select" id="v${i}-resultaat" data-i="${i}" data-k="resultaat">
          ${RESULTATEN.map(([val, txt]) => html`<option value="${val}"${v.resultaat === val ? html` selected` : ''}>${txt}</option>`)}
        </select>
      </div>
      <h3 class="utrecht-heading-4">Gebruikte kennisartikelen</h3>
      ${v.artikelen.length ? html`<ul class="omk-list">${v.artikelen.map((a, j) => html`<li><span class="omk-artikel">${a.titel}</span>
        <button type="button" class="utrecht-button utrecht-button--subtle" data-verwijder="${i}:${j}">Verwijder<span class="omk-visually-hidden"> ${a.titel} bij vraag ${i + 1}</span></button></li>`)}</ul>`
        : html`<p class="omk-hint">Nog geen. Kies "Gebruikt bij vraag" in de kennisbank.</p>`}
      ${staat.vragen.length > 1 ? html`<button type="button" class="utrecht-button utrecht-button--secondary-action" data-weg="${i}">Vraag ${i + 1} weghalen</button>` : ''}
    </fieldset>`));
  box.querySelectorAll('[data-k]').forEach((el) => el.addEventListener('input', () => {
    staat.vragen[Number(el.dataset.i)][el.dataset.k] = el.value;
    if (el.dataset.k === 'resultaat') toonContactverzoek();
    if (el.dataset.k === 'onderwerp') zoekMee(el.value);
    bewaarConcept();
  }));
  box.querySelectorAll('[data-verwijder]').forEach((b) => b.addEventListener('click', () => {
    const [i, j] = b.dataset.verwijder.split(':').map(Number);
    staat.vragen[i].artikelen.splice(j, 1);
    renderVragen();
    bewaarConcept();
    document.getElementById(`v${i}-resultaat`).focus();
  }));
  box.querySelectorAll('[data-weg]').forEach((b) => b.addEventListener('click', () => {
    staat.vragen.splice(Number(b.dataset.weg), 1);
    renderVragen();
    bewaarConcept();
    document.getElementById('vraag-toevoegen').focus();
  }));
  toonContactverzoek();
  werkKnoppenBij();
}

/** A kennisbank article used for question `vi` (once per question). Its short answer becomes
 * the answer given while the employee has typed none (never over what they typed). */
export function voegArtikelToe(vi, art) {
  const v = staat.vragen[vi];
  if (!v.artikelen.some((x) => x.uuid === art.uuid)) v.artikelen.push({ uuid: art.uuid, titel: art.titel });
  if (!v.reactie.trim() && art.kortAntwoord) v.reactie = art.kortAntwoord.slice(0, 4000);
  renderVragen();
  bewaarConcept();
}

/** The choice "for whom": every klant opened in this contact (the active one ticked) and
 * "anoniem". */
export function renderVoorWie() {
  const box = document.getElementById('voor-wie-keuzes');
  const c = staat.contact;
  const partijen = c ? c.partijen : [];
  const actief = c && c.actievePartij ? c.actievePartij.uuid : null;
  render(box, html`${partijen.map((p, i) => html`<div class="utrecht-form-field utrecht-form-field--checkbox">
      <input type="checkbox" class="utrecht-checkbox utrecht-checkbox--html-input" id="voor-${i}" name="voor" value="${p.uuid}"${p.uuid === actief ? html` checked` : ''}>
      <label class="utrecht-form-label utrecht-form-label--checkbox" for="voor-${i}">${p.naam || 'Klant zonder naam'}${p.uuid === actief ? ' (actieve klant)' : ''}</label></div>`)}
    <div class="utrecht-form-field utrecht-form-field--checkbox">
      <input type="checkbox" class="utrecht-checkbox utrecht-checkbox--html-input" id="voor-anoniem" name="anoniem" value="ja" data-veld="voor"${partijen.length ? '' : html` checked`}>
      <label class="utrecht-form-label utrecht-form-label--checkbox" for="voor-anoniem">Anoniem (geen klant)</label></div>`);
}

/** Fills the form with the draft the server holds for contact `c` (or empties it). */
export function toonConcept(c) {
  const concept = (c && c.concept) || {};
  const f = document.getElementById('contact-form');
  staat.vragen = Array.isArray(concept.vragen) && concept.vragen.length ? concept.vragen : [nieuweVraag()];
  f.elements.kanaal.value = concept.kanaal || (c && c.kanaal) || 'telefoon';
  f.elements['cv-actor'].value = concept.cv?.actor || '';
  f.elements['cv-handeling'].value = concept.cv?.handeling || '';
  f.elements['cv-toelichting'].value = concept.cv?.toelichting || '';
  clearErrors(f);
  document.getElementById('contact-resultaat').replaceChildren();
  document.getElementById('zoekresultaten').replaceChildren();
  const heeftTekst = staat.vragen.some((v) => v.onderwerp || v.inhoud || v.reactie);
  document.getElementById('concept-status').textContent = heeftTekst
    ? 'Het concept van dit contactmoment is teruggezet zoals de server het bewaarde.'
    : 'Wat u typt wordt bij dit contactmoment op de server bewaard tot u het afrondt.';
  renderVragen();
  renderVoorWie();
  if (c && c.actievePartij) toonKlantbeeld(c.actievePartij).catch(() => {});
  else verbergKlantbeeld();
}

/** The klanten ticked under "voor wie" and whether "anoniem" is. */
function gekozen(f) {
  const voor = [...f.querySelectorAll('input[name="voor"]:checked')].map((x) => x.value);
  return { voor, anoniem: f.querySelector('#voor-anoniem').checked };
}

function valideerContact(f) {
  const fouten = [];
  const { voor, anoniem } = gekozen(f);
  if (!voor.length && !anoniem) fouten.push({ name: 'voor', reason: 'Kies voor welke klant(en) u dit contact vastlegt, of anoniem.' });
  if (voor.length && anoniem) fouten.push({ name: 'voor', reason: 'Kies klant(en) óf anoniem, niet allebei.' });
  staat.vragen.forEach((v, i) => {
    if (!v.onderwerp.trim()) fouten.push({ name: `v${i}.onderwerp`, reason: `Vul het onderwerp van vraag ${i + 1} in.` });
  });
  return fouten.concat(valideerOverdracht(f));
}

/** The chat klantcontact a registration made, per contact, until the registration is done. */
const vastgelegd = new Map();

/** Question `v`'s klantcontact `kc`: the further klanten confirmed (`verder`) and the
 * kennisbank articles used. */
async function koppelVerder(kc, v, verder) {
  for (const p of verder) {
    await api('POST', contactPad('/betrokkenen'), { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: p }, rol: 'klant', initiator: false });
  }
  for (const a of v.artikelen) {
    await api('POST', `${KENNISBANK}/gebruik`, { artikel: { uuid: a.uuid }, klantcontact: { uuid: kc.uuid } });
  }
}

async function registreer(ev) {
  ev.preventDefault();
  const f = ev.target;
  clearErrors(f);
  const fouten = valideerContact(f);
  if (fouten.length) {
    showErrors(f, new ApiError(400, { invalidParams: fouten }));
    return;
  }
  const knop = f.querySelector('button[type="submit"]');
  knop.disabled = true;
  const chat = staat.contact.gesprek;
  // The questions of one contact share a gesprek: the chat's, else a new one.
  const gesprek = chat || crypto.randomUUID();
  const gemaakt = [];
  const { voor, anoniem } = gekozen(f);
  const [eerste, ...verder] = anoniem ? [] : voor;
  try {
    await bewaarNu();
    for (const [i, v] of staat.vragen.entries()) {
      if (i === 0 && chat) {
        // Kept for a retry after a later step failed: the chat is closed once.
        const kc = vastgelegd.get(staat.contact.uuid) || await sluitChat(v, eerste || null);
        vastgelegd.set(staat.contact.uuid, kc);
        gemaakt.push(kc);
        await koppelVerder(kc, v, verder);
        continue;
      }
      let r;
      try {
        r = await api('POST', contactPad('/klantcontacten'), {
          klantcontact: {
            kanaal: f.elements.kanaal.value, onderwerp: v.onderwerp.trim(), inhoud: v.inhoud, reactie: v.reactie,
            taal: 'nld', vertrouwelijk: false, indicatieContactGelukt: true,
            metadata: { resultaat: v.resultaat, gesprek, vraag: String(i + 1) },
          },
          betrokkene: eerste ? { wasPartij: { uuid: eerste }, rol: 'klant', initiator: true } : null,
        });
      } catch (e) {
        if (e.problem && e.problem.invalidParams) {
          e.problem.invalidParams = e.problem.invalidParams.map((p) => ({ ...p, name: p.name.replace(/^klantcontact\./, `v${i}.`) }));
        }
        throw e;
      }
      const kc = r.klantcontact;
      gemaakt.push(kc);
      await koppelVerder(kc, v, verder);
    }
    const verzoek = await maakContactverzoek(f, gemaakt, eerste || null);
    const klaar = await api('POST', contactPad('/afronden'), anoniem ? { anoniem: true } : { voor });
    const namen = anoniem ? 'anoniem' : staat.contact.partijen.filter((p) => voor.includes(p.uuid)).map((p) => p.naam).join(', ');
    vastgelegd.delete(staat.contact.uuid);
    await sluitHuidig(klaar);
    const uit = document.getElementById('contact-resultaat');
    render(uit, html`<div class="utrecht-alert utrecht-alert--ok" role="status"><div class="utrecht-alert__content">
      <h3 class="utrecht-heading-3" tabindex="-1" id="geregistreerd">${chat ? 'Chat afgesloten en geregistreerd' : 'Contactmoment geregistreerd'}</h3>
      <p class="utrecht-paragraph">${chat ? `Het transcript is bewaard ${anoniem ? 'zonder klant (anoniem)' : `bij ${namen}`}. ` : ''}${gemaakt.length} ${gemaakt.length === 1 ? 'vraag' : 'vragen'} vastgelegd voor ${namen}${verzoek ? `; contactverzoek voor ${verzoek.toegewezenAan.naam} aangemaakt, uiterlijk af op ${new Date(verzoek.deadline + 'T12:00:00').toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' })}` : ''}.</p></div></div>`);
    staat.vragen = [nieuweVraag()];
    leegOverdracht(f);
    renderVragen();
    document.getElementById('geregistreerd').focus();
  } catch (e) {
    showErrors(f, e);
  } finally {
    knop.disabled = false;
  }
}

export function koppelContactmoment() {
  document.getElementById('contact-form').addEventListener('submit', registreer);
  document.getElementById('vraag-toevoegen').addEventListener('click', () => {
    staat.vragen.push(nieuweVraag());
    renderVragen();
    bewaarConcept();
    document.getElementById(`v${staat.vragen.length - 1}-onderwerp`).focus();
  });
}
