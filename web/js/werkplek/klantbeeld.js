// The klantbeeld of the chosen klant: from the integrated klantbeeld API (when the server has it)
// the person from the BRP (address, the BSN masked with "Toon BSN", age), the preferred channel,
// the business from the KvK, the zaken, the signals and per source its status — a source that
// failed is said as an error above the tabs, never as "none" — and from the register the digital
// addresses. Below the identity three tabs: Contactmomenten (the history, paged through the
// register's API with "Meer laden", each row opening its details), Zaken, Verzoeken (the
// channels' contactverzoeken and the register's interne taken).
import { api, datum, naamVan, announce, ApiError } from '../app.js';
import { html, render } from '../html.js';
import { KANALEN, KLANTBEELD, KLANTINTERACTIES } from '../paden.js';
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

/** Hides the klantbeeld (no klant active in the current contact). */
export function verbergKlantbeeld() {
  beurt += 1;
  historie = null;
  document.getElementById('klantbeeld').hidden = true;
  document.getElementById('klantbeeld-inhoud').replaceChildren();
}

let beurt = 0;
/** The tab shown in the klantbeeld; it stays chosen when the klantbeeld is drawn again. */
let tabKeuze = 'contacten';
/** The contact history as far as it has been paged in: { partij, results, count, page, open }. */
let historie = null;
const PAGINA = 10;

function historiePad(uuid, page) {
  return `${KLANTINTERACTIES}/klantcontacten?hadBetrokkene__wasPartij__uuid=${uuid}&page=${page}&pageSize=${PAGINA}`;
}

/** Shows the klantbeeld of `partij` (the current contact's active klant). */
export async function toonKlantbeeld(partij) {
  const mijn = ++beurt;
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
  const [volledig, contacten, verzoeken] = await Promise.all([
    kb ? { ...kb.partij, _expand: { digitaleAdressen: kb.digitaleAdressen || [] } }
      : api('GET', `${KLANTINTERACTIES}/partijen/${partij.uuid}?expand=digitaleAdressen`),
    api('GET', historiePad(partij.uuid, 1)),
    laadVerzoeken(partij.uuid),
  ]);
  if (mijn !== beurt) return; // another klant was asked for meanwhile
  historie = { partij: partij.uuid, results: contacten.results, count: contacten.count, page: 1, volgende: !!contacten.next, open: new Set() };
  const adressen = (volledig._expand && volledig._expand.digitaleAdressen) || [];
  const zaken = zakenBlok(kb || {});
  const open = verzoeken.filter((v) => v.open).length;
  const tabs = [
    ['contacten', html`Contactmomenten <span class="omk-badge">${contacten.count}</span>`, html`<div id="historie">${historieInhoud()}</div>`],
    ['zaken', html`Zaken ${zaken.label}`, zaken.inhoud],
    ['verzoeken', html`Verzoeken <span class="omk-badge${open ? ' omk-badge--let-op' : ''}">${open} open</span>`, verzoekenInhoud(verzoeken)],
  ];
  if (!tabs.some(([id]) => id === tabKeuze)) tabKeuze = 'contacten';
  document.getElementById('klantbeeld-kop').textContent = `Klantbeeld: ${naamVan(volledig)}`;
  render(inhoud, html`${kb ? klantbeeldExtra(kb, volledig, adressen) : registerIdentiteit(volledig, adressen)}
    ${zaken.fout}
    <div class="omk-tabs" role="tablist" aria-label="Gegevens van de klant">${tabs.map(([id, label]) => html`<button type="button" role="tab" class="omk-tab" id="tab-${id}" aria-controls="paneel-${id}" aria-selected="${id === tabKeuze ? 'true' : 'false'}" tabindex="${id === tabKeuze ? '0' : '-1'}" data-tab="${id}">${label}</button>`)}</div>
    ${tabs.map(([id, , body]) => html`<div class="omk-tabpaneel" role="tabpanel" id="paneel-${id}" aria-labelledby="tab-${id}" tabindex="0"${id === tabKeuze ? '' : html` hidden`}>${body}</div>`)}
    ${bronnenRij(kb)}`);
  koppelTabs(inhoud);
  koppelHistorie();
  inhoud.querySelector('[data-toon-bsn]')?.addEventListener('click', (ev) => toonBsn(ev.currentTarget, partij.uuid));
  const { _klantbeeld, ...zonder } = partij;
  inhoud.querySelectorAll('[data-opnieuw]').forEach((b) => b.addEventListener('click', () => toonKlantbeeld(zonder)));
  document.getElementById('klantbeeld-kop').focus();
  announce(`Klantbeeld van ${naamVan(volledig)} geladen.`);
}

/** Tabs as the ARIA pattern has them: one tab stop, arrow keys, Home and End move and show. */
function koppelTabs(box) {
  const tabs = [...box.querySelectorAll('[role="tab"]')];
  const kies = (t, focus) => {
    tabKeuze = t.dataset.tab;
    for (const x of tabs) {
      const aan = x === t;
      x.setAttribute('aria-selected', aan ? 'true' : 'false');
      x.tabIndex = aan ? 0 : -1;
      document.getElementById(x.getAttribute('aria-controls')).hidden = !aan;
    }
    if (focus) t.focus();
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => kies(t, false));
    t.addEventListener('keydown', (ev) => {
      const n = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
      if (n === undefined) return;
      ev.preventDefault();
      kies(tabs[(n + tabs.length) % tabs.length], true);
    });
  });
}

const RESULTAAT = {
  'zelfstandig afgehandeld': 'Zelfstandig afgehandeld', doorverbonden: 'Doorverbonden',
  contactverzoek: 'Contactverzoek', terugbelverzoek: 'Terugbelverzoek',
};

/** What came of a contact, in words: the werkplek's own result, else what the register says. */
function resultaatVan(kc) {
  const r = kc.metadata && kc.metadata.resultaat;
  if (r) return RESULTAAT[r] || r;
  if ((kc.leiddeTotInterneTaken || []).length) return 'Contactverzoek';
  if (kc.indicatieContactGelukt === false) return 'Contact niet gelukt';
  if (kc.indicatieContactGelukt === true) return 'Afgehandeld';
  return 'Niet vastgelegd';
}

/** "9 nov 2026 12:16" that wraps between the date and the time only. */
function wanneer(s) {
  const d = new Date(s);
  if (!s || Number.isNaN(d.getTime())) return datum(s);
  return html`<span class="omk-nowrap">${DAG.format(d)}</span> <span class="omk-nowrap">${KLOK.format(d)}</span>`;
}
const KLOK = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });

const medewerkerVan = (kc) => (kc.hadBetrokkenActoren || []).map((a) => a.naam).filter(Boolean).join(', ') || 'Onbekend';

/** The history table: every row a button that opens its details (vraag, antwoord, medewerker,
 * resultaat, kanaal, tijdstip), and "Meer laden" while the register has older contacts. */
function historieInhoud() {
  const h = historie;
  if (!h.results.length) return html`<h3 class="utrecht-heading-3">Contacthistorie (alle kanalen, 0)</h3><p class="utrecht-paragraph">Nog geen contacten met deze klant.</p>`;
  return html`<h3 class="utrecht-heading-3" id="historie-kop">Contacthistorie (alle kanalen, ${h.count})</h3>
    <table class="utrecht-table omk-tabel-kaarten omk-historie" aria-labelledby="historie-kop">
      <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Datum</th><th class="utrecht-table__header-cell" scope="col">Kanaal</th><th class="utrecht-table__header-cell" scope="col">Onderwerp</th><th class="utrecht-table__header-cell" scope="col">Resultaat</th></tr></thead>
      <tbody class="utrecht-table__body">${h.results.map((kc, i) => {
    const open = h.open.has(kc.uuid);
    return html`<tr class="utrecht-table__row" data-rij="${i}">
        <td class="utrecht-table__cell" data-label="Datum">${wanneer(kc.plaatsgevondenOp)}</td>
        <td class="utrecht-table__cell" data-label="Kanaal">${kc.kanaal}</td>
        <td class="utrecht-table__cell" data-label="Onderwerp"><button type="button" class="omk-historie-open" aria-expanded="${open ? 'true' : 'false'}" aria-controls="kc-detail-${i}" data-open="${i}">${kc.onderwerp}</button></td>
        <td class="utrecht-table__cell" data-label="Resultaat">${resultaatVan(kc)}</td>
      </tr>
      <tr class="utrecht-table__row omk-historie-detail" id="kc-detail-${i}"${open ? '' : html` hidden`}><td class="utrecht-table__cell" colspan="4">
        <dl class="omk-dl">
          <dt>Vraag</dt><dd>${kc.inhoud || '—'}</dd>
          <dt>Antwoord en notities</dt><dd>${kc.reactie || '—'}</dd>
          <dt>Medewerker</dt><dd>${medewerkerVan(kc)}</dd>
          <dt>Resultaat</dt><dd>${resultaatVan(kc)}</dd>
          <dt>Kanaal</dt><dd>${kc.kanaal}</dd>
          <dt>Tijdstip</dt><dd>${datum(kc.plaatsgevondenOp)}</dd>
        </dl></td></tr>`;
  })}</tbody>
    </table>
    <div class="omk-meer"><p class="omk-hint" id="historie-stand">${h.results.length} van ${h.count} contacten getoond${h.volgende ? '' : ' (alle)'}.</p>
      ${h.volgende ? html`<button type="button" class="utrecht-button utrecht-button--secondary-action" data-meer aria-describedby="historie-stand">Meer laden</button>` : ''}</div>`;
}

function koppelHistorie() {
  const box = document.getElementById('historie');
  if (!box) return;
  box.querySelectorAll('[data-open]').forEach((b) => b.addEventListener('click', () => {
    const kc = historie.results[Number(b.dataset.open)];
    const open = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', open ? 'true' : 'false');
    document.getElementById(b.getAttribute('aria-controls')).hidden = !open;
    if (open) historie.open.add(kc.uuid); else historie.open.delete(kc.uuid);
  }));
  box.querySelector('[data-meer]')?.addEventListener('click', meerLaden);
}

/** The next page of the history, added below; focus goes to the first contact added. */
async function meerLaden(ev) {
  const knop = ev.currentTarget;
  const h = historie;
  knop.disabled = true;
  try {
    const r = await api('GET', historiePad(h.partij, h.page + 1));
    if (historie !== h) return;
    const eerst = h.results.length;
    const bekend = new Set(h.results.map((kc) => kc.uuid));
    h.results.push(...r.results.filter((kc) => !bekend.has(kc.uuid)));
    h.page += 1;
    h.count = r.count;
    h.volgende = !!r.next;
    render(document.getElementById('historie'), historieInhoud());
    koppelHistorie();
    const volgende = document.querySelector(`#historie [data-open="${eerst}"]`);
    if (volgende) volgende.focus();
    announce(`${h.results.length - eerst} oudere contacten geladen; ${h.results.length} van ${h.count} getoond.`);
  } catch {
    knop.disabled = false;
    announce('Oudere contacten konden niet worden geladen.');
  }
}

/** The klant's contactverzoeken: the channels' (deadline, assignee) and the register's own
 * interne taken that are not one of those, open ones first. */
async function laadVerzoeken(uuid) {
  const [open, klaar, register] = await Promise.all([
    api('GET', `${KANALEN}/contactverzoeken?partij=${uuid}&status=open&pageSize=50`).catch(() => ({ results: [] })),
    api('GET', `${KANALEN}/contactverzoeken?partij=${uuid}&status=afgehandeld&pageSize=10`).catch(() => ({ results: [] })),
    api('GET', `${KLANTINTERACTIES}/klantcontacten?hadBetrokkene__wasPartij__uuid=${uuid}&leiddeTotInterneTaken=true&expand=leiddeTotInterneTaken&pageSize=100`).catch(() => ({ results: [] })),
  ]);
  const lijst = [...open.results, ...klaar.results].map((v) => ({
    open: v.status === 'open', wat: v.gevraagdeHandeling, onderwerp: v.onderwerp, aan: v.toegewezenAan && v.toegewezenAan.naam,
    sinds: v.ontvangenOp, deadline: v.deadline, teLaat: v.teLaat, klaar: v.afgehandeldOp, taak: v.internetaak && v.internetaak.uuid,
  }));
  const bekend = new Set(lijst.map((v) => v.taak));
  for (const kc of register.results) {
    for (const t of (kc._expand && kc._expand.leiddeTotInterneTaken) || []) {
      if (bekend.has(t.uuid)) continue;
      lijst.push({ open: t.status === 'te_verwerken', wat: t.gevraagdeHandeling, onderwerp: kc.onderwerp, sinds: t.toegewezenOp, klaar: t.afgehandeldOp });
    }
  }
  return lijst.sort((a, b) => (a.open === b.open ? String(b.sinds).localeCompare(String(a.sinds)) : a.open ? -1 : 1));
}

function verzoekenInhoud(lijst) {
  const open = lijst.filter((v) => v.open).length;
  if (!lijst.length) return html`<h3 class="utrecht-heading-3">Open contactverzoeken (0)</h3><p class="utrecht-paragraph">Geen contactverzoeken voor deze klant.</p>`;
  return html`<h3 class="utrecht-heading-3" id="verzoeken-kop">Open contactverzoeken (${open})</h3>
    <table class="utrecht-table omk-tabel-kaarten" aria-labelledby="verzoeken-kop">
      <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Onderwerp</th><th class="utrecht-table__header-cell" scope="col">Bij</th><th class="utrecht-table__header-cell" scope="col">Status</th><th class="utrecht-table__header-cell" scope="col">Sinds</th></tr></thead>
      <tbody class="utrecht-table__body">${lijst.map((v) => html`<tr class="utrecht-table__row">
        <td class="utrecht-table__cell" data-label="Onderwerp"><strong>${v.onderwerp || v.wat}</strong>${v.onderwerp && v.wat ? html`<br><span class="omk-hint">${v.wat}</span>` : ''}</td>
        <td class="utrecht-table__cell" data-label="Bij">${v.aan || '—'}</td>
        <td class="utrecht-table__cell" data-label="Status">${v.open ? html`open${v.deadline ? html`, uiterlijk ${dag(v.deadline)}` : ''}${v.teLaat ? html` <span class="omk-badge omk-badge--let-op">te laat</span>` : ''}` : html`afgehandeld${v.klaar ? ` ${dag(v.klaar)}` : ''}`}</td>
        <td class="utrecht-table__cell omk-nowrap" data-label="Sinds">${dag(v.sinds)}</td></tr>`)}</tbody>
    </table>`;
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

/** The klant's digital addresses, as one row of the identity list. */
function adressenRij(adressen) {
  return html`<dt>Digitale adressen</dt><dd>${adressen.length
    ? html`<ul class="omk-inline-lijst">${adressen.map((d) => html`<li>${SOORT_ADRES[d.soortDigitaalAdres] || d.soortDigitaalAdres}: ${d.adres}${d.isStandaardAdres ? html` <span class="omk-badge">standaard</span>` : ''}</li>`)}</ul>`
    : 'Geen'}</dd>`;
}

/** Without the klantbeeld API: what the register itself says. */
function registerIdentiteit(p, adressen) {
  return html`<dl class="omk-dl">
      <dt>Soort</dt><dd>${p.soortPartij}</dd>
      <dt>Klantnummer</dt><dd>${p.nummer || '—'}</dd>
      ${adressenRij(adressen)}
    </dl>`;
}

function voorkeur(kb) {
  const v = kb.voorkeuren || {};
  if (v.voorkeurskanaal) return html`${KANAAL[v.voorkeurskanaal] || v.voorkeurskanaal} <span class="omk-hint">(door de inwoner gekozen in Mijn Voorbeeldstad${v.voorkeurskanaalGewijzigdOp ? `, ${datum(v.voorkeurskanaalGewijzigdOp)}` : ''})</span>`;
  if (v.kanaal) return html`${KANAAL[v.kanaal] || v.kanaal}${v.adres ? `: ${v.adres}` : ''} <span class="omk-hint">(voorkeursadres in het klantregister)</span>`;
  return 'Niet bekend';
}

function persoonBlok(kb, partij, adressen) {
  const p = kb.persoon;
  const st = (kb.bronnen || {}).brp;
  const rijen = p ? html`
      <dt>Naam</dt><dd>${(p.naam && p.naam.volledigeNaam) || naamVan(partij)}</dd>
      ${bsnRij(p.burgerservicenummer || registerBsn(partij))}
      <dt>Geboren</dt><dd>${geboren(p)}</dd>
      ${partij.nummer ? html`<dt>Klantnummer</dt><dd>${partij.nummer}</dd>` : ''}
      <dt>Adres</dt><dd>${adresVan(p)}</dd>`
    : html`<dt>Naam</dt><dd>${naamVan(partij)}</dd>${bsnRij(registerBsn(partij))}
      ${partij.nummer ? html`<dt>Klantnummer</dt><dd>${partij.nummer}</dd>` : ''}`;
  return html`<h3 class="utrecht-heading-3">Persoon${p ? ' (BRP)' : ''}</h3>
    ${st === 'error' || st === 'timeout' ? bronFout('Persoonsgegevens uit de BRP', st) : ''}
    ${!p && st === 'ok' ? html`<p class="utrecht-paragraph omk-bronfout" role="alert"><strong>De BRP kent dit BSN niet.</strong> Controleer de identiteit op een andere manier.</p>` : ''}
    ${!p && st === 'niet-geconfigureerd' ? html`<p class="omk-hint">De BRP is niet aangesloten: adres en leeftijd zijn niet beschikbaar.</p>` : ''}
    <dl class="omk-dl">${rijen}
      <dt>Voorkeurskanaal</dt><dd>${voorkeur(kb)}</dd>
      ${adressenRij(adressen)}
    </dl>`;
}

function bedrijfBlok(kb, partij, adressen) {
  const b = kb.bedrijf;
  const st = (kb.bronnen || {}).kvk;
  const a = b && b.adres && b.adres.binnenlandsAdres;
  return html`<h3 class="utrecht-heading-3">Bedrijf${b ? ' (KvK)' : ''}</h3>
    ${st === 'error' || st === 'timeout' ? bronFout('Gegevens uit de KvK', st) : ''}
    <dl class="omk-dl">
      <dt>Naam</dt><dd>${(b && b.naam) || naamVan(partij)}</dd>
      ${b ? html`<dt>KvK-nummer</dt><dd>${b.kvkNummer}</dd>
      ${b.vestigingsnummer ? html`<dt>Vestigingsnummer</dt><dd>${b.vestigingsnummer}</dd>` : ''}` : ''}
      ${partij.nummer ? html`<dt>Klantnummer</dt><dd>${partij.nummer}</dd>` : ''}
      ${b ? html`<dt>Adres</dt><dd>${a ? `${a.straatnaam || ''} ${a.huisnummer || ''}, ${a.postcode || ''} ${a.plaats || ''}` : 'Onbekend'}</dd>` : ''}
      <dt>Voorkeurskanaal</dt><dd>${voorkeur(kb)}</dd>
      ${adressenRij(adressen)}
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

/** The zaken tab: its label, its content, and a failure said above the tabs (an error must
 * not hide behind a tab). */
function zakenBlok(kb) {
  const st = (kb.bronnen || {}).zaken;
  if (!st || st === 'niet-geconfigureerd') {
    return { label: '', fout: '', inhoud: html`<h3 class="utrecht-heading-3">Zaken</h3><p class="omk-hint">Het zaaksysteem is niet aangesloten.</p>` };
  }
  if (st !== 'ok') {
    return { label: html`<span class="omk-badge omk-badge--fout">fout</span>`, fout: bronFout('Zaken', st),
      inhoud: html`<h3 class="utrecht-heading-3">Zaken</h3><p class="utrecht-paragraph">De zaken konden niet worden opgehaald; zie de melding boven de tabs.</p>` };
  }
  const zaken = kb.zaken || [];
  const open = zaken.filter((z) => z.open).length;
  const label = html`<span class="omk-badge${zaken.some(verstreken) ? ' omk-badge--let-op' : ''}">${open} lopend</span>`;
  if (!zaken.length) return { label, fout: '', inhoud: html`<h3 class="utrecht-heading-3">Zaken</h3><p class="utrecht-paragraph">Geen zaken bekend in het zaaksysteem.</p>` };
  return { label, fout: '', inhoud: html`<h3 class="utrecht-heading-3" id="zaken-kop">Zaken (${open} lopend, ${zaken.length - open} afgerond)</h3>
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
    </table>` };
}

/** Per source its status, one line under the tabs (a failure is also said above them). */
function bronnenRij(kb) {
  if (!kb) return '';
  const bronnen = Object.entries(kb.bronnen || {}).map(([b, st]) =>
    html`<li>${BRONNEN[b] || b}: <span class="omk-badge ${st === 'ok' ? 'omk-badge--ok' : st === 'niet-geconfigureerd' ? '' : 'omk-badge--fout'}">${BRONSTATUS[st] || st}</span>${(kb.fictieveBronnen || []).includes(b) ? html` <span class="omk-badge omk-badge--let-op">fictief</span>` : ''}</li>`);
  return html`<div class="omk-bronnenrij"><h3 class="utrecht-heading-4" id="bronnen-kop">Bronnen</h3><ul class="omk-inline-lijst omk-bronnen" aria-labelledby="bronnen-kop">${bronnen}</ul></div>`;
}

/** What only the integrated klantbeeld knows: signals, the person or the business, the
 * preferred channel. */
function klantbeeldExtra(kb, partij, adressen) {
  const signalen = (kb.signalen || []).map((x) => html`<li><span class="omk-badge omk-badge--fout">${SIGNAAL[x.soort] || x.soort}</span> ${x.omschrijving || ''}</li>`);
  const fictief = (kb.fictieveBronnen || []).map((b) => BRONNEN[b] || b);
  const organisatie = partij.soortPartij === 'organisatie';
  return html`${fictief.length ? html`<p class="omk-demo-bronnen" role="note"><strong>Demo:</strong> de gegevens uit ${fictief.join(' en ')} zijn verzonnen, geen echte gegevens.</p>` : ''}
    ${signalen.length ? html`<h3 class="utrecht-heading-3">Signalen</h3><ul class="omk-list">${signalen}</ul>` : ''}
    ${organisatie ? bedrijfBlok(kb, partij, adressen) : persoonBlok(kb, partij, adressen)}
`;
}
