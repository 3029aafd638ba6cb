// The klantbeeld of the chosen klant: partij, digital addresses, open contactverzoeken and the
// contact history from the register, and — when the server has the integrated klantbeeld API —
// per source its status, signals, the person (BRP) and zaken.
import { api, datum, naamVan, announce } from '../app.js';
import { html, render } from '../html.js';
import { KLANTBEELD, KLANTINTERACTIES } from '../paden.js';
import { doel } from './staat.js';

let klantbeeldApi = null;

/** Whether this server offers the integrated klantbeeld API (it lands separately). */
export async function heeftKlantbeeld() {
  if (klantbeeldApi === null) {
    const r = await fetch(`${KLANTBEELD}/openapi.json`, { headers: { Accept: 'application/json' } });
    klantbeeldApi = r.ok;
  }
  return klantbeeldApi;
}

const GEEN = html`<p class="utrecht-paragraph">Geen.</p>`;

/** Hides the klantbeeld (no klant active in the current contact). */
export function verbergKlantbeeld() {
  document.getElementById('klantbeeld').hidden = true;
  document.getElementById('klantbeeld-inhoud').replaceChildren();
}

/** Shows the klantbeeld of `partij` (the current contact's active klant). */
export async function toonKlantbeeld(partij) {
  if (partij._klantbeeld === undefined && await heeftKlantbeeld()) {
    try {
      const kb = await api('POST', `${KLANTBEELD}/_zoek`, { partij: partij.uuid, verwerkingsactiviteit: doel() });
      partij = { ...partij, _klantbeeld: kb };
    } catch { /* the register's own view below still works */ }
  }
  const sectie = document.getElementById('klantbeeld');
  const inhoud = document.getElementById('klantbeeld-inhoud');
  sectie.hidden = false;
  inhoud.textContent = 'Klantbeeld laden…';
  const [volledig, contacten] = await Promise.all([
    api('GET', `${KLANTINTERACTIES}/partijen/${partij.uuid}?expand=digitaleAdressen`),
    api('GET', `${KLANTINTERACTIES}/klantcontacten?hadBetrokkene__wasPartij__uuid=${partij.uuid}&pageSize=15&expand=leiddeTotInterneTaken`),
  ]);
  const adressen = (volledig._expand && volledig._expand.digitaleAdressen) || [];
  const kb = partij._klantbeeld || null;
  const ids = (volledig.partijIdentificatoren || []).length;
  const taken = [];
  for (const kc of contacten.results) {
    for (const t of (kc._expand && kc._expand.leiddeTotInterneTaken) || []) if (t.status === 'te_verwerken') taken.push({ ...t, kc });
  }
  document.getElementById('klantbeeld-kop').textContent = `Klantbeeld: ${naamVan(volledig)}`;
  render(inhoud, html`${kb ? klantbeeldExtra(kb) : ''}
    <dl class="omk-dl">
      <dt>Soort</dt><dd>${volledig.soortPartij}</dd>
      <dt>Klantnummer</dt><dd>${volledig.nummer || '—'}</dd>
      <dt>Identificatoren</dt><dd>${ids}</dd>
    </dl>
    <h3 class="utrecht-heading-3">Digitale adressen</h3>
    ${adressen.length ? html`<ul class="omk-list">${adressen.map((d) => html`<li>${d.soortDigitaalAdres}: ${d.adres}${d.isStandaardAdres ? html` <span class="omk-badge">voorkeur</span>` : ''}</li>`)}</ul>` : GEEN}
    <h3 class="utrecht-heading-3">Open contactverzoeken (${taken.length})</h3>
    ${taken.length ? html`<ul class="omk-list">${taken.map((t) => html`<li>${t.gevraagdeHandeling} <span class="omk-badge">sinds ${datum(t.toegewezenOp)}</span></li>`)}</ul>` : GEEN}
    <h3 class="utrecht-heading-3">Contacthistorie (alle kanalen, ${contacten.count})</h3>
    <table class="utrecht-table"><caption class="omk-visually-hidden">Laatste contacten van deze klant</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Datum</th><th class="utrecht-table__header-cell" scope="col">Kanaal</th><th class="utrecht-table__header-cell" scope="col">Onderwerp</th></tr></thead>
      <tbody class="utrecht-table__body">${contacten.results.map((kc) => html`<tr class="utrecht-table__row"><td class="utrecht-table__cell">${datum(kc.plaatsgevondenOp)}</td><td class="utrecht-table__cell">${kc.kanaal}</td><td class="utrecht-table__cell">${kc.onderwerp}</td></tr>`)}</tbody>
    </table>`);
  document.getElementById('klantbeeld-kop').focus();
  announce(`Klantbeeld van ${naamVan(volledig)} geladen.`);
}

const BRONNEN = { register: 'Klantregister', brp: 'BRP', zaken: 'Zaken', kvk: 'KvK' };
const BRONSTATUS = { ok: 'beschikbaar', timeout: 'reageert niet (time-out)', error: 'fout', 'niet-geconfigureerd': 'niet aangesloten' };

/** What only the integrated klantbeeld knows: per-source status, signals, person, zaken. */
function klantbeeldExtra(kb) {
  const bronnen = Object.entries(kb.bronnen || {}).map(([b, st]) =>
    html`<li>${BRONNEN[b] || b}: <span class="omk-badge ${st === 'ok' ? 'omk-badge--ok' : st === 'niet-geconfigureerd' ? '' : 'omk-badge--fout'}">${BRONSTATUS[st] || st}</span></li>`);
  const signalen = (kb.signalen || []).map((x) => html`<li><span class="omk-badge omk-badge--fout">${x.soort}</span> ${x.omschrijving || ''}</li>`);
  const zaken = (kb.zaken || []).map((z) => html`<li>${z.omschrijving || z.identificatie || ''}${z.status ? html` <span class="omk-badge">${z.status.statustoelichting || z.status.omschrijving || z.status.statustype?.omschrijving || ''}</span>` : ''}</li>`);
  const p = kb.persoon || null;
  return html`<h3 class="utrecht-heading-3">Bronnen</h3><ul class="omk-list omk-bronnen">${bronnen}</ul>
    ${signalen.length ? html`<h3 class="utrecht-heading-3">Signalen</h3><ul class="omk-list">${signalen}</ul>` : ''}
    ${p ? html`<h3 class="utrecht-heading-3">Persoon (BRP)</h3><p class="utrecht-paragraph">${p.naam?.volledigeNaam || p.volledigeNaam || ''}${p.geboorte?.datum?.langFormaat ? `, geboren ${p.geboorte.datum.langFormaat}` : ''}</p>` : ''}
    ${kb.bronnen && kb.bronnen.zaken && kb.bronnen.zaken !== 'niet-geconfigureerd' ? html`<h3 class="utrecht-heading-3">Zaken</h3>${zaken.length ? html`<ul class="omk-list">${zaken}</ul>` : html`<p class="utrecht-paragraph">Geen lopende zaken.</p>`}` : ''}`;
}
