// Finding the klant: by telephone number, BSN, e-mail address, KvK number or name — through the
// integrated klantbeeld API when the server has it, else the register's own filters — and the
// screen pop: an incoming call searches the caller's number at once.
import { api, naamVan, showErrors, clearErrors, announce, ApiError } from '../app.js';
import { html, render } from '../html.js';
import { KLANTINTERACTIES } from '../paden.js';
import { staat, contactPad, neemContact } from './staat.js';
import { heeftKlantbeeld, toonKlantbeeld, verbergKlantbeeld, zoekKlantbeeld } from './klantbeeld.js';
import { tekenContacten } from './sessies.js';
import { renderVoorWie } from './contactmoment.js';

/** Opens `partij` in the current contact: the server adds it to the contact's klanten and makes
 * it the active one; the klantbeeld follows what the server then says. */
export async function openPartij(partij) {
  const c = await api('POST', contactPad('/partijen'), { uuid: partij.uuid });
  neemContact(c);
  tekenContacten();
  renderVoorWie();
  await toonKlantbeeld(partij);
}

/** No klant active in the current contact any more (a new search that found none or several). */
async function geenActieveKlant() {
  verbergKlantbeeld();
  if (!staat.contact || !staat.contact.actievePartij) return;
  const c = await api('PATCH', contactPad(), { actievePartij: null });
  neemContact(c);
  tekenContacten();
  renderVoorWie();
}

/** "06 12 34 56 78", "+31 6-1234 5678", "0031612345678" → "0612345678". */
export function normaliseerTelefoon(s) {
  let t = s.replace(/[\s\-().]/g, '');
  if (t.startsWith('+31')) t = '0' + t.slice(3);
  else if (t.startsWith('0031')) t = '0' + t.slice(4);
  return t;
}

async function zoekPartijen(zoekop, term) {
  zoekPartijen.brp = null;
  zoekPartijen.meer = false;
  // The integrated klantbeeld API, when this server has it; else the register itself.
  if (await heeftKlantbeeld()) {
    try {
      const kb = await zoekKlantbeeld({ [zoekop]: term });
      if (kb && kb.partij) return [{ ...kb.partij, _klantbeeld: kb }];
      if (kb && Array.isArray(kb.kandidaten)) {
        zoekPartijen.brp = (kb.bronnen || {}).brp;
        zoekPartijen.meer = kb.meerKandidaten;
        return kb.kandidaten.map((k) => ({ ...k, _naam: k.naam }));
      }
      return [];
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return [];
      throw e;
    }
  }
  if (zoekop === 'naam') return []; // only the klantbeeld API searches by name
  if (zoekop === 'bsn' || zoekop === 'kvkNummer') {
    const r = await api('GET', `${KLANTINTERACTIES}/partijen?partijIdentificator__objectId=${encodeURIComponent(term)}&pageSize=10`);
    return r.results;
  }
  const soort = zoekop === 'email' ? 'email' : 'telefoonnummer';
  const r = await api('GET', `${KLANTINTERACTIES}/digitaleadressen?adres=${encodeURIComponent(term)}&soortDigitaalAdres=${soort}&pageSize=10`);
  const uuids = [...new Set(r.results.map((d) => d.verstrektDoorPartij && d.verstrektDoorPartij.uuid).filter(Boolean))];
  return Promise.all(uuids.map((u) => api('GET', `${KLANTINTERACTIES}/partijen/${u}`)));
}

function valideerZoekterm(zoekop, term) {
  if (!term) return 'Vul een zoekterm in.';
  if (zoekop === 'bsn' && !/^\d{9}$/.test(term)) return 'Een BSN heeft 9 cijfers.';
  if (zoekop === 'kvkNummer' && !/^\d{8}$/.test(term)) return 'Een KvK-nummer heeft 8 cijfers.';
  if (zoekop === 'telefoonnummer' && !/^\+?\d{6,15}$/.test(term)) return 'Vul een telefoonnummer in, bijvoorbeeld 06 12 34 56 78.';
  if (zoekop === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(term)) return 'Vul een e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.';
  if (zoekop === 'naam' && term.length < 2) return 'Vul minstens twee letters van de naam in.';
  return null;
}

async function zoek(ev) {
  ev.preventDefault();
  const form = ev.target;
  clearErrors(form);
  const zoekop = form.elements.zoekop.value;
  let term = form.elements.zoekterm.value.trim();
  if (zoekop === 'telefoonnummer') term = normaliseerTelefoon(term);
  if (zoekop === 'bsn' || zoekop === 'kvkNummer') term = term.replace(/\s/g, '');
  const fout = valideerZoekterm(zoekop, term);
  if (fout) {
    showErrors(form, new ApiError(400, { invalidParams: [{ name: 'zoekterm', reason: fout }] }));
    return;
  }
  const uit = document.getElementById('zoekresultaten');
  if (!staat.contact) {
    showErrors(form, new ApiError(400, { invalidParams: [{ name: 'zoekterm', reason: 'Start eerst een nieuw contactmoment.' }] }));
    return;
  }
  uit.textContent = 'Zoeken…';
  let partijen;
  try {
    partijen = await zoekPartijen(zoekop, term);
  } catch (e) {
    uit.textContent = '';
    showErrors(form, e);
    return;
  }
  if (partijen.length !== 1) {
    try { await geenActieveKlant(); } catch (e) { showErrors(form, e); return; }
  }
  if (!partijen.length) {
    render(uit, html`<p class="utrecht-paragraph">Geen klant gevonden.</p>`);
    return;
  }
  render(uit, kandidatenLijst(partijen));
  uit.querySelectorAll('[data-kies]').forEach((b) => b.addEventListener('click', () => openPartij(partijen[Number(b.dataset.kies)]).catch((e) => showErrors(form, e))));
  if (partijen.length === 1) await openPartij(partijen[0]).catch((e) => showErrors(form, e));
  else announce(`${partijen.length} klanten gevonden. Kies de juiste klant.`);
}

/** One candidate as a button whose name tells it apart: birth date and address for a person
 * (from the BRP), KvK number and address for an organisation. */
function kandidaat(p, i) {
  const org = p.soortPartij === 'organisatie';
  const details = org
    ? [p.kvkNummer && `KvK ${p.kvkNummer}`, p.adres]
    : [p.geboorte ? `geboren ${p.geboorte}` : (zoekPartijen.brp && zoekPartijen.brp !== 'ok' ? 'geboortedatum niet beschikbaar' : null), p.adres];
  const regel = [...details, p.nummer && `klantnummer ${p.nummer}`].filter(Boolean).join(' · ');
  return html`<li><button type="button" class="utrecht-button utrecht-button--subtle omk-kandidaat" data-kies="${i}">
    <span class="omk-kandidaat-naam">${p._naam || naamVan(p)}</span>${regel ? html`<span class="omk-kandidaat-details">${regel}</span>` : ''}</button></li>`;
}

/** The search's results: people apart from organisations. */
function kandidatenLijst(partijen) {
  const groep = (soort) => partijen.map((p, i) => [p, i]).filter(([p]) => (p.soortPartij === 'organisatie') === (soort === 'organisatie'));
  const personen = groep('persoon');
  const organisaties = groep('organisatie');
  const brpFout = zoekPartijen.brp === 'error' || zoekPartijen.brp === 'timeout';
  const lijst = (id, kop, items) => (items.length ? html`<h3 class="utrecht-heading-4" id="${id}">${kop} (${items.length})</h3>
    <ul class="omk-list omk-kandidaten" aria-labelledby="${id}">${items.map(([p, i]) => kandidaat(p, i))}</ul>` : '');
  // One result is opened at once: a line says so, the klantbeeld below is the rest.
  if (partijen.length === 1) return html`<p class="utrecht-paragraph">1 klant gevonden: <strong>${partijen[0]._naam || naamVan(partijen[0])}</strong>, hieronder geopend.</p>`;
  return html`<p class="utrecht-paragraph">${partijen.length} klanten gevonden. Kies de juiste klant.</p>
    ${zoekPartijen.meer ? html`<p class="omk-hint">Er zijn meer treffers dan deze 20. Zoek preciezer, bijvoorbeeld met voor- en achternaam.</p>` : ''}
    ${brpFout ? html`<p class="utrecht-paragraph omk-bronfout" role="alert"><strong>Geboortedatums konden niet worden opgehaald</strong> (de BRP gaf geen antwoord). Controleer de identiteit op een andere manier.</p>` : ''}
    ${lijst('kandidaten-personen', 'Personen', personen)}
    ${lijst('kandidaten-organisaties', 'Organisaties', organisaties)}`;
}

/** An incoming call offered to this medewerker: a new contact for the call, and the caller's
 * number searched at once. */
export async function schermpop(pop, startContact) {
  if (!pop.telefoonnummer) return;
  await startContact({ aanleiding: 'telefoon', kanaal: 'telefoon', telefoonnummer: String(pop.telefoonnummer).slice(0, 32) });
  const form = document.getElementById('zoek-form');
  form.elements.zoekop.value = 'telefoonnummer';
  form.elements.zoekterm.value = pop.telefoonnummer;
  announce(`Inkomend gesprek van ${pop.telefoonnummer}.`);
  form.requestSubmit();
}

export function koppelZoeken() {
  document.getElementById('zoek-form').addEventListener('submit', zoek);
}
