// The klantbeeld of the chosen klant: from the integrated klantbeeld API (when the server has it)
// the person from the BRP (address, the BSN masked with "Toon BSN", age), the preferred channel,
// the business from the KvK, the zaken, the signals and per source its status — a source that
// failed is said as an error, never as "none" — and from the register the digital addresses,
// open contactverzoeken and the contact history.
import { api, datum, naamVan, announce, ApiError } from '../app.js';
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

/** The klantbeeld API's search: the BSN always masked on screen ("Toon BSN" asks for it). */
export function zoekKlantbeeld(vraag) {
  return api('POST', `${KLANTBEELD}/_zoek`, { ...vraag, verwerkingsactiviteit: doel(), maskeerBsn: true });
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
      partij = { ...partij, _klantbeeld: await zoekKlantbeeld({ partij: partij.uuid }) };
    } catch { /* the register's own view below still works */ }
  }
  const sectie = document.getElementById('klantbeeld');
  const inhoud = document.getElementById('klantbeeld-inhoud');
  sectie.hidden = false;
  inhoud.textContent = 'Klantbeeld laden…';
  const kb = partij._klantbeeld && partij._klantbeeld.partij ? partij._klantbeeld : null;
  // With the klantbeeld the register's partij comes from it (its BSN masked); without, from the
  // register itself.
  const [volledig, contacten] = await Promise.all([
    kb ? { ...kb.partij, _expand: { digitaleAdressen: kb.digitaleAdressen || [] } }
      : api('GET', `${KLANTINTERACTIES}/partijen/${partij.uuid}?expand=digitaleAdressen`),
    api('GET', `${KLANTINTERACTIES}/klantcontacten?hadBetrokkene__wasPartij__uuid=${partij.uuid}&pageSize=15&expand=leiddeTotInterneTaken`),
  ]);
  const adressen = (volledig._expand && volledig._expand.digitaleAdressen) || [];
  const taken = [];
  for (const kc of contacten.results) {
    for (const t of (kc._expand && kc._expand.leiddeTotInterneTaken) || []) if (t.status === 'te_verwerken') taken.push({ ...t, kc });
  }
  document.getElementById('klantbeeld-kop').textContent = `Klantbeeld: ${naamVan(volledig)}`;
  render(inhoud, html`${kb ? klantbeeldExtra(kb, volledig) : registerIdentiteit(volledig)}
    <h3 class="utrecht-heading-3">Digitale adressen</h3>
    ${adressen.length ? html`<ul class="omk-list">${adressen.map((d) => html`<li>${SOORT_ADRES[d.soortDigitaalAdres] || d.soortDigitaalAdres}: ${d.adres}${d.isStandaardAdres ? html` <span class="omk-badge">standaard</span>` : ''}</li>`)}</ul>` : GEEN}
    <h3 class="utrecht-heading-3">Open contactverzoeken (${taken.length})</h3>
    ${taken.length ? html`<ul class="omk-list">${taken.map((t) => html`<li>${t.gevraagdeHandeling} <span class="omk-badge">sinds ${datum(t.toegewezenOp)}</span></li>`)}</ul>` : GEEN}
    <h3 class="utrecht-heading-3">Contacthistorie (alle kanalen, ${contacten.count})</h3>
    <table class="utrecht-table"><caption class="omk-visually-hidden">Laatste contacten van deze klant</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Datum</th><th class="utrecht-table__header-cell" scope="col">Kanaal</th><th class="utrecht-table__header-cell" scope="col">Onderwerp</th></tr></thead>
      <tbody class="utrecht-table__body">${contacten.results.map((kc) => html`<tr class="utrecht-table__row"><td class="utrecht-table__cell">${datum(kc.plaatsgevondenOp)}</td><td class="utrecht-table__cell">${kc.kanaal}</td><td class="utrecht-table__cell">${kc.onderwerp}</td></tr>`)}</tbody>
    </table>`);
  inhoud.querySelector('[data-toon-bsn]')?.addEventListener('click', (ev) => toonBsn(ev.currentTarget, partij.uuid));
  const { _klantbeeld, ...zonder } = partij;
  inhoud.querySelectorAll('[data-opnieuw]').forEach((b) => b.addEventListener('click', () => toonKlantbeeld(zonder)));
  document.getElementById('klantbeeld-kop').focus();
  announce(`Klantbeeld van ${naamVan(volledig)} geladen.`);
}

const SOORT_ADRES = { telefoonnummer: 'Telefoon', email: 'E-mail', overig: 'Overig' };
const BRONNEN = { register: 'Klantregister', brp: 'BRP', zaken: 'Zaken', kvk: 'KvK' };
const BRONSTATUS = { ok: 'beschikbaar', timeout: 'reageert niet (time-out)', error: 'fout', 'niet-geconfigureerd': 'niet aangesloten' };
const SIGNAAL = {
  herhaalcontact: 'Herhaalcontact', 'contact-niet-gelukt': 'Contact niet gelukt', 'open-taken': 'Open taken',
  'te-laat': 'Te laat', geheimhouding: 'Geheimhouding', overleden: 'Overleden',
};
const KANAAL = {
  'e-mail': 'e-mail', email: 'e-mail', telefoon: 'telefoon', telefoonnummer: 'telefoon', post: 'post',
  balie: 'balie', whatsapp: 'WhatsApp', website: 'website',
};

/** Why a source gave nothing, as the employee should say it: an error is never "none". */
function bronFout(wat, status) {
  const waarom = status === 'timeout' ? 'het systeem reageerde niet op tijd' : 'het systeem gaf een fout';
  return html`<div class="omk-bronfout" role="alert"><p class="utrecht-paragraph"><strong>${wat} konden niet worden opgehaald</strong> (${waarom}). Zeg de inwoner niet dat er niets is.</p>
    <button type="button" class="utrecht-button utrecht-button--secondary-action" data-opnieuw>Klantbeeld opnieuw ophalen</button></div>`;
}

/** "12 januari 1957 (69 jaar)" from the BRP's geboorte and leeftijd. */
function geboren(p) {
  const d = p.geboorte && p.geboorte.datum;
  const tekst = d && (d.langFormaat || d.datum);
  let jaar = p.leeftijd;
  if (jaar === undefined && d && d.datum) {
    const g = new Date(d.datum);
    const nu = new Date();
    jaar = nu.getFullYear() - g.getFullYear() - (nu < new Date(nu.getFullYear(), g.getMonth(), g.getDate()) ? 1 : 0);
  }
  if (!tekst) return 'Onbekend';
  return jaar === undefined ? tekst : `${tekst} (${jaar} jaar)`;
}

function adresVan(p) {
  if (p.adresAfgeschermd) return html`<span class="omk-badge omk-badge--let-op">Afgeschermd</span> (geheimhouding of geen recht op het adres voor dit doel)`;
  const a = p.adressering;
  if (a && a.adresregel1) return html`${a.adresregel1}<br>${(a.adresregel2 || '').replace(/\s{2,}/g, ' ')}`;
  const v = p.verblijfplaats && p.verblijfplaats.verblijfadres;
  if (v) return `${v.officieleStraatnaam || v.korteStraatnaam || ''} ${v.huisnummer || ''}${v.huisletter || ''}, ${v.postcode || ''} ${v.woonplaats || ''}`;
  return 'Onbekend';
}

/** The BSN row: masked, with a button that asks the server for the whole number (logged). */
function bsnRij(bsn) {
  if (!bsn) return '';
  return html`<dt class="omk-bsn">BSN</dt><dd class="omk-bsn"><span data-bsn tabindex="-1">${bsn}</span>
    <button type="button" class="utrecht-button utrecht-button--subtle omk-knop-nowrap" data-toon-bsn>Toon BSN</button></dd>`;
}

/** "Toon BSN": the server gives the whole number and writes it in the Logboek. */
async function toonBsn(knop, partijUuid) {
  knop.disabled = true;
  try {
    const r = await api('POST', `${KLANTBEELD}/bsn/_toon`, { partij: partijUuid, verwerkingsactiviteit: doel() });
    const plek = knop.parentElement.querySelector('[data-bsn]');
    plek.textContent = r.bsn;
    knop.replaceWith(Object.assign(document.createElement('span'), { className: 'omk-hint', textContent: ' (getoond; vastgelegd in het logboek)' }));
    plek.focus();
    announce(`BSN getoond: ${r.bsn.split('').join(' ')}. Dit is vastgelegd in het logboek.`);
  } catch (e) {
    knop.disabled = false;
    announce(e instanceof ApiError && e.status === 403 ? 'U mag het BSN voor dit doel niet zien.' : 'Het BSN kon niet worden getoond.');
  }
}

/** The BSN the register has (masked by the klantbeeld), for when the BRP gave no person. */
function registerBsn(partij) {
  const id = (partij.partijIdentificatoren || []).find((x) => x.partijIdentificator && x.partijIdentificator.codeSoortObjectId === 'bsn');
  return id ? id.partijIdentificator.objectId : null;
}

/** Without the klantbeeld API: what the register itself says. */
function registerIdentiteit(p) {
  return html`<dl class="omk-dl">
      <dt>Soort</dt><dd>${p.soortPartij}</dd>
      <dt>Klantnummer</dt><dd>${p.nummer || '—'}</dd>
    </dl>`;
}

function voorkeur(kb) {
  const v = kb.voorkeuren || {};
  if (v.voorkeurskanaal) return html`${KANAAL[v.voorkeurskanaal] || v.voorkeurskanaal} <span class="omk-hint">(door de inwoner gekozen in Mijn Voorbeeldstad${v.voorkeurskanaalGewijzigdOp ? `, ${datum(v.voorkeurskanaalGewijzigdOp)}` : ''})</span>`;
  if (v.kanaal) return html`${KANAAL[v.kanaal] || v.kanaal}${v.adres ? `: ${v.adres}` : ''} <span class="omk-hint">(voorkeursadres in het klantregister)</span>`;
  return 'Niet bekend';
}

function persoonBlok(kb, partij) {
  const p = kb.persoon;
  const st = (kb.bronnen || {}).brp;
  const rijen = p ? html`
      <dt>Naam</dt><dd>${(p.naam && p.naam.volledigeNaam) || naamVan(partij)}</dd>
      ${bsnRij(p.burgerservicenummer || registerBsn(partij))}
      <dt>Geboren</dt><dd>${geboren(p)}</dd>
      <dt>Adres</dt><dd>${adresVan(p)}</dd>`
    : html`<dt>Naam</dt><dd>${naamVan(partij)}</dd>${bsnRij(registerBsn(partij))}`;
  return html`<h3 class="utrecht-heading-3">Persoon${p ? ' (BRP)' : ''}</h3>
    ${st === 'error' || st === 'timeout' ? bronFout('Persoonsgegevens uit de BRP', st) : ''}
    ${!p && st === 'ok' ? html`<p class="utrecht-paragraph omk-bronfout" role="alert"><strong>De BRP kent dit BSN niet.</strong> Controleer de identiteit op een andere manier.</p>` : ''}
    ${!p && st === 'niet-geconfigureerd' ? html`<p class="omk-hint">De BRP is niet aangesloten: adres en leeftijd zijn niet beschikbaar.</p>` : ''}
    <dl class="omk-dl">${rijen}
      <dt>Voorkeurskanaal</dt><dd>${voorkeur(kb)}</dd>
      ${partij.nummer ? html`<dt>Klantnummer</dt><dd>${partij.nummer}</dd>` : ''}
    </dl>`;
}

function bedrijfBlok(kb, partij) {
  const b = kb.bedrijf;
  const st = (kb.bronnen || {}).kvk;
  const a = b && b.adres && b.adres.binnenlandsAdres;
  return html`<h3 class="utrecht-heading-3">Bedrijf${b ? ' (KvK)' : ''}</h3>
    ${st === 'error' || st === 'timeout' ? bronFout('Gegevens uit de KvK', st) : ''}
    <dl class="omk-dl">
      <dt>Naam</dt><dd>${(b && b.naam) || naamVan(partij)}</dd>
      ${b ? html`<dt>KvK-nummer</dt><dd>${b.kvkNummer}</dd>
      ${b.vestigingsnummer ? html`<dt>Vestigingsnummer</dt><dd>${b.vestigingsnummer}</dd>` : ''}
      <dt>Adres</dt><dd>${a ? `${a.straatnaam || ''} ${a.huisnummer || ''}, ${a.postcode || ''} ${a.plaats || ''}` : 'Onbekend'}</dd>` : ''}
      <dt>Voorkeurskanaal</dt><dd>${voorkeur(kb)}</dd>
      ${partij.nummer ? html`<dt>Klantnummer</dt><dd>${partij.nummer}</dd>` : ''}
    </dl>`;
}

/** A date without time: "26 sep. 2026". */
function dag(s) {
  if (!s) return '—';
  const d = new Date(`${String(s).slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(s) : DAG.format(d);
}
const DAG = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' });

/** An open zaak whose planned end date has passed. */
function verstreken(z) {
  return z.open && z.einddatumGepland && String(z.einddatumGepland).slice(0, 10) < new Date().toISOString().slice(0, 10);
}

function zakenBlok(kb) {
  const st = (kb.bronnen || {}).zaken;
  if (!st || st === 'niet-geconfigureerd') {
    return html`<h3 class="utrecht-heading-3">Zaken</h3><p class="omk-hint">Het zaaksysteem is niet aangesloten.</p>`;
  }
  if (st !== 'ok') return html`<h3 class="utrecht-heading-3">Zaken</h3>${bronFout('Zaken', st)}`;
  const zaken = kb.zaken || [];
  const open = zaken.filter((z) => z.open).length;
  if (!zaken.length) return html`<h3 class="utrecht-heading-3">Zaken</h3><p class="utrecht-paragraph">Geen zaken bekend in het zaaksysteem.</p>`;
  return html`<h3 class="utrecht-heading-3" id="zaken-kop">Zaken (${open} lopend, ${zaken.length - open} afgerond)</h3>
    <table class="utrecht-table omk-tabel-kaarten" aria-labelledby="zaken-kop">
      <thead class="utrecht-table__header"><tr class="utrecht-table__row">
        <th class="utrecht-table__header-cell" scope="col">Zaaknummer</th><th class="utrecht-table__header-cell" scope="col">Omschrijving</th>
        <th class="utrecht-table__header-cell" scope="col">Status</th><th class="utrecht-table__header-cell" scope="col">Gestart</th>
        <th class="utrecht-table__header-cell" scope="col">Afgerond of gepland</th></tr></thead>
      <tbody class="utrecht-table__body">${zaken.map((z) => html`<tr class="utrecht-table__row">
        <td class="utrecht-table__cell" data-label="Zaaknummer">${z.url ? html`<a class="utrecht-link omk-knop-nowrap" href="${z.url}" target="_blank" rel="noopener">${z.identificatie || 'Zaak'}<span class="omk-visually-hidden"> (opent in het zaaksysteem)</span></a>` : z.identificatie}</td>
        <td class="utrecht-table__cell" data-label="Omschrijving">${z.omschrijving || ''}${z.zaaktype && z.zaaktype !== z.omschrijving && !/^https?:/.test(z.zaaktype) ? html`<br><span class="omk-hint">${z.zaaktype}</span>` : ''}</td>
        <td class="utrecht-table__cell" data-label="Status"><strong>${(z.status && z.status.omschrijving) || (z.open ? 'Lopend' : 'Afgerond')}</strong>${z.status && z.status.datumStatusGezet ? html`<br><span class="omk-hint">sinds ${dag(z.status.datumStatusGezet)}</span>` : ''}</td>
        <td class="utrecht-table__cell omk-knop-nowrap" data-label="Gestart">${dag(z.startdatum)}</td>
        <td class="utrecht-table__cell" data-label="Afgerond of gepland">${z.einddatum ? `afgerond ${dag(z.einddatum)}` : z.einddatumGepland ? html`gepland ${dag(z.einddatumGepland)}${verstreken(z) ? html` <span class="omk-badge omk-badge--let-op">termijn verstreken</span>` : ''}` : '—'}</td>
      </tr>`)}</tbody>
    </table>`;
}

/** What only the integrated klantbeeld knows: per-source status, signals, person or business,
 * preferred channel, zaken. */
function klantbeeldExtra(kb, partij) {
  const bronnen = Object.entries(kb.bronnen || {}).map(([b, st]) =>
    html`<li>${BRONNEN[b] || b}: <span class="omk-badge ${st === 'ok' ? 'omk-badge--ok' : st === 'niet-geconfigureerd' ? '' : 'omk-badge--fout'}">${BRONSTATUS[st] || st}</span>${(kb.fictieveBronnen || []).includes(b) ? html` <span class="omk-badge omk-badge--let-op">fictief</span>` : ''}</li>`);
  const signalen = (kb.signalen || []).map((x) => html`<li><span class="omk-badge omk-badge--fout">${SIGNAAL[x.soort] || x.soort}</span> ${x.omschrijving || ''}</li>`);
  const fictief = (kb.fictieveBronnen || []).map((b) => BRONNEN[b] || b);
  const organisatie = partij.soortPartij === 'organisatie';
  return html`${fictief.length ? html`<p class="omk-demo-bronnen" role="note"><strong>Demo:</strong> de gegevens uit ${fictief.join(' en ')} zijn verzonnen, geen echte gegevens.</p>` : ''}
    ${signalen.length ? html`<h3 class="utrecht-heading-3">Signalen</h3><ul class="omk-list">${signalen}</ul>` : ''}
    ${organisatie ? bedrijfBlok(kb, partij) : persoonBlok(kb, partij)}
    ${zakenBlok(kb)}
    <h3 class="utrecht-heading-3">Bronnen</h3><ul class="omk-list omk-bronnen">${bronnen}</ul>`;
}
