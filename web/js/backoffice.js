// Back office: contactverzoeken — open ones (earliest deadline first, overdue flagged) or the
// history of closed ones, filtered by assignee. Open one to see the resident's context and the
// call-back number and availability from the hand-over; take it in hand, record a contact
// attempt that did not reach the resident (the request stays open), forward it, or close it.
import { api, requireSession, datum, naamVan, showErrors, clearErrors, announce, ApiError } from './app.js';
import { html, render } from './html.js';
import { KANALEN, KLANTINTERACTIES } from './paden.js';

const TE_LAAT = html` <span class="omk-badge omk-badge--fout">Te laat</span>`;
let huidig = null;
let verzoeken = [];
let sessie = null;

sessie = await requireSession(['backoffice']);
await vulToegewezen();
document.getElementById('filter-form').addEventListener('submit', (ev) => { ev.preventDefault(); laadLijst(); });
document.getElementById('afhandel-form').addEventListener('submit', afhandelen);
document.getElementById('niet-bereikt').addEventListener('click', nietBereikt);
document.getElementById('doorstuur-form').addEventListener('submit', doorsturen);
await laadLijst();

function dag(d) {
  return new Date(d + 'T12:00:00').toLocaleDateString('nl-NL', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

const werkdagen = (n) => `${n} ${n === 1 ? 'werkdag' : 'werkdagen'}`;

/** Where the request stands, in words (and whether that is a warning). */
function stand(v) {
  if (v.status === 'afgehandeld') return html`<span class="omk-badge omk-badge--ok">Afgehandeld</span>`;
  const n = (v.pogingen || []).length;
  if (n) return html`<span class="omk-badge omk-badge--let-op">Niet bereikt (${n}×)</span>`;
  if (v.inBehandeling) return html`<span class="omk-badge">In behandeling: ${v.inBehandeling.door}</span>`;
  return html`<span class="omk-badge">Nieuw</span>`;
}

async function vulToegewezen() {
  const r = await api('GET', `${KLANTINTERACTIES}/actoren?pageSize=100`);
  const sel = document.getElementById('toegewezen');
  const namen = [];
  for (const a of r.results) {
    const soort = a.soortActor === 'medewerker' ? 'medewerker' : 'afdeling';
    sel.append(new Option(`${a.naam} (${soort})`, `${soort}=${a.naam}`));
    namen.push(a.naam);
  }
  render(document.getElementById('bekende-namen'), [...new Set(namen)].map((n) => html`<option value="${n}"></option>`));
}

function telefoon(c) {
  if (!c.telefoonnummer) return '—';
  return html`<a class="utrecht-link" href="tel:${c.telefoonnummer.replace(/[^+\d]/g, '')}">${c.telefoonnummer}</a>`;
}

async function laadLijst() {
  const f = document.getElementById('filter-form');
  const weergave = f.elements.weergave.value;
  const historie = weergave === 'afgehandeld';
  const q = new URLSearchParams({ status: historie ? 'afgehandeld' : 'open', pageSize: '100' });
  const t = f.elements.toegewezen.value;
  if (t) { const i = t.indexOf('='); q.set(t.slice(0, i), t.slice(i + 1)); }
  if (weergave === 'te-laat') q.set('teLaat', 'true');
  const status = document.getElementById('lijst-status');
  document.getElementById('lijst-kop').textContent = historie ? 'Afgehandelde contactverzoeken' : 'Open contactverzoeken';
  let r;
  try {
    r = await api('GET', `${KANALEN}/contactverzoeken?${q}`);
  } catch (e) {
    verzoeken = [];
    status.textContent = '';
    render(document.getElementById('lijst'), html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content">
      <p class="utrecht-paragraph">De contactverzoeken konden niet worden geladen (${e.message}). Probeer het later opnieuw.</p></div></div>`);
    return;
  }
  verzoeken = r.results;
  const woord = r.count === 1 ? 'contactverzoek' : 'contactverzoeken';
  status.textContent = `${r.count} ${historie ? 'afgehandelde' : 'open'} ${woord}${r.count > r.results.length ? `, de eerste ${r.results.length} getoond` : ''}.`;
  if (!verzoeken.length) {
    render(document.getElementById('lijst'), html`<p class="utrecht-paragraph">${historie ? 'Er zijn geen afgehandelde contactverzoeken voor deze keuze.' : 'Er zijn geen open contactverzoeken voor deze keuze.'}</p>`);
    return;
  }
  const knop = (v, i) => html`<button type="button" class="utrecht-button utrecht-button--secondary-action omk-knop-nowrap" data-open="${i}">Open<span class="omk-visually-hidden"> ${v.onderwerp}</span></button>`;
  render(document.getElementById('lijst'), historie ? html`<table class="utrecht-table omk-tabel-kaarten">
    <caption class="omk-visually-hidden">Afgehandelde contactverzoeken, laatst afgehandeld eerst</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th class="utrecht-table__header-cell" scope="col">Afgehandeld</th>
      <th class="utrecht-table__header-cell" scope="col">Onderwerp</th>
      <th class="utrecht-table__header-cell" scope="col">Resultaat</th>
      <th class="utrecht-table__header-cell" scope="col">Door</th>
      <th class="utrecht-table__header-cell" scope="col"><span class="omk-visually-hidden">Actie</span></th>
    </tr></thead>
    <tbody class="utrecht-table__body">${verzoeken.map((v, i) => html`<tr class="utrecht-table__row">
      <td class="utrecht-table__cell" data-label="Afgehandeld">${datum(v.afgehandeldOp)}</td>
      <td class="utrecht-table__cell" data-label="Onderwerp">${v.onderwerp}</td>
      <td class="utrecht-table__cell" data-label="Resultaat">${v.afhandeling ? v.afhandeling.resultaat : ''}${v.afhandeling && v.afhandeling.contactGelukt === false ? html` <span class="omk-badge">geen contact</span>` : ''}</td>
      <td class="utrecht-table__cell" data-label="Door">${v.afhandeling ? v.afhandeling.door : ''}</td>
      <td class="utrecht-table__cell">${knop(v, i)}</td></tr>`)}</tbody></table>`
    : html`<table class="utrecht-table omk-tabel-kaarten">
    <caption class="omk-visually-hidden">Open contactverzoeken, vroegste uiterlijke datum eerst</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th class="utrecht-table__header-cell" scope="col">Uiterlijk</th>
      <th class="utrecht-table__header-cell" scope="col">Onderwerp</th>
      <th class="utrecht-table__header-cell" scope="col">Terugbellen</th>
      <th class="utrecht-table__header-cell" scope="col">Stand</th>
      <th class="utrecht-table__header-cell" scope="col">Toegewezen aan</th>
      <th class="utrecht-table__header-cell" scope="col"><span class="omk-visually-hidden">Actie</span></th>
    </tr></thead>
    <tbody class="utrecht-table__body">${verzoeken.map((v, i) => {
      const c = v.contactgegevens || {};
      return html`<tr class="utrecht-table__row">
      <td class="utrecht-table__cell" data-label="Uiterlijk">${dag(v.deadline)}${v.teLaat ? TE_LAAT : ''}</td>
      <td class="utrecht-table__cell" data-label="Onderwerp">${v.onderwerp}<br><span class="omk-hint">${v.gevraagdeHandeling}</span></td>
      <td class="utrecht-table__cell" data-label="Terugbellen">${telefoon(c)}${c.bereikbaarheid ? html`<br><span class="omk-hint">${c.bereikbaarheid}</span>` : ''}</td>
      <td class="utrecht-table__cell" data-label="Stand">${stand(v)}</td>
      <td class="utrecht-table__cell" data-label="Toegewezen aan">${v.toegewezenAan.naam}</td>
      <td class="utrecht-table__cell">${knop(v, i)}</td></tr>`;
    })}</tbody></table>`);
  document.querySelectorAll('[data-open]').forEach((b) => b.addEventListener('click', () => open(verzoeken[Number(b.dataset.open)])));
}

async function open(v, { focus = true } = {}) {
  huidig = v;
  const sectie = document.getElementById('detail');
  sectie.hidden = false;
  for (const id of ['afhandel-form', 'doorstuur-form']) {
    clearErrors(document.getElementById(id));
    document.getElementById(id).reset();
  }
  document.getElementById('acties').hidden = v.status !== 'open';
  let klant = '';
  let historie = null;
  if (v.partij) {
    try {
      const [p, kc] = await Promise.all([
        api('GET', `${KLANTINTERACTIES}/partijen/${v.partij.uuid}`),
        api('GET', `${KLANTINTERACTIES}/klantcontacten?hadBetrokkene__wasPartij__uuid=${v.partij.uuid}&pageSize=5`),
      ]);
      klant = naamVan(p);
      historie = html`<h3 class="utrecht-heading-3">Laatste contacten van deze klant</h3><ul class="omk-list">${kc.results.map((k) =>
        html`<li>${datum(k.plaatsgevondenOp)} · ${k.kanaal} · ${k.onderwerp}${k.indicatieContactGelukt === false ? ' (niet bereikt)' : ''}</li>`)}</ul>`;
    } catch { klant = '(klant niet te laden)'; }
  }
  const c = v.contactgegevens || {};
  const pogingen = v.pogingen || [];
  const mijn = v.inBehandeling && sessie && v.inBehandeling.door === sessie.gebruikersnaam;
  document.getElementById('detail-kop').textContent = `Contactverzoek: ${v.onderwerp}`;
  render(document.getElementById('detail-inhoud'), html`<p class="utrecht-paragraph">Stand: ${stand(v)}
      ${v.status === 'open' && !mijn ? html` <button type="button" class="utrecht-button utrecht-button--secondary-action" id="oppakken">In behandeling nemen</button>` : ''}</p>
    <dl class="omk-dl">
      <dt>Klant</dt><dd>${klant || c.naam || 'onbekend'}</dd>
      <dt>Terugbelnummer</dt><dd>${telefoon(c)}</dd>
      <dt>Bereikbaar</dt><dd>${c.bereikbaarheid || 'niet opgegeven'}</dd>
      <dt>E-mail</dt><dd>${c.email || '—'}</dd>
      <dt>Gevraagde handeling</dt><dd>${v.gevraagdeHandeling}</dd>
      <dt>Toelichting</dt><dd>${v.toelichting || '—'}</dd>
      <dt>Kanaal</dt><dd>${v.kanaal}</dd>
      <dt>Ontvangen</dt><dd>${datum(v.ontvangenOp)}</dd>
      <dt>Uiterlijk</dt><dd>${dag(v.deadline)}${v.teLaat ? TE_LAAT : ''} (servicenorm ${werkdagen(v.servicenorm.werkdagen)})</dd>
      <dt>Toegewezen aan</dt><dd>${v.toegewezenAan.naam} (${v.toegewezenAan.soort})</dd>
      ${v.afhandeling ? html`<dt>Afgehandeld</dt><dd>${datum(v.afgehandeldOp)} door ${v.afhandeling.door}: ${v.afhandeling.resultaat}</dd>` : ''}
    </dl>
    ${pogingen.length ? html`<h3 class="utrecht-heading-3">Contactpogingen</h3><ol class="omk-list">${pogingen.map((p) =>
      html`<li>${datum(p.tijdstip)} · ${p.kanaal} · niet bereikt${p.toelichting ? ` · ${p.toelichting}` : ''} <span class="omk-hint">(${p.door})</span></li>`)}</ol>` : ''}
    ${historie}`);
  const oppak = document.getElementById('oppakken');
  if (oppak) oppak.addEventListener('click', oppakken);
  if (focus) document.getElementById('detail-kop').focus();
}

/** Re-reads the open request after a change, shows it and refreshes the list. */
async function ververs(uuid, melding) {
  const v = await api('GET', `${KANALEN}/contactverzoeken/${uuid}`);
  await laadLijst();
  await open(v, { focus: false });
  announce(melding);
  document.getElementById('detail-kop').focus();
}

async function oppakken() {
  try {
    await api('POST', `${KANALEN}/contactverzoeken/${huidig.uuid}/oppakken`);
  } catch (e) {
    showErrors(document.getElementById('afhandel-form'), e);
    return;
  }
  await ververs(huidig.uuid, `U heeft "${huidig.onderwerp}" in behandeling genomen.`);
}

async function nietBereikt() {
  const f = document.getElementById('afhandel-form');
  clearErrors(f);
  if (!huidig) return;
  const body = { kanaal: f.elements.kanaal.value || 'telefoon' };
  if (f.elements.resultaat.value.trim()) body.toelichting = f.elements.resultaat.value.trim();
  try {
    await api('POST', `${KANALEN}/contactverzoeken/${huidig.uuid}/pogingen`, body);
  } catch (e) {
    showErrors(f, e.problem && e.problem.invalidParams
      ? new ApiError(e.status, { ...e.problem, invalidParams: e.problem.invalidParams.map((p) => (p.name === 'toelichting' ? { ...p, name: 'resultaat' } : p)) })
      : e);
    return;
  }
  await ververs(huidig.uuid, `Contactpoging vastgelegd: "${huidig.onderwerp}" blijft open.`);
}

async function afhandelen(ev) {
  ev.preventDefault();
  const f = ev.target;
  clearErrors(f);
  if (!huidig) return;
  if (!f.elements.resultaat.value.trim()) {
    showErrors(f, new ApiError(400, { invalidParams: [{ name: 'resultaat', reason: 'Beschrijf wat er is gedaan.' }] }));
    return;
  }
  const body = { resultaat: f.elements.resultaat.value.trim(), contactGelukt: Boolean(f.elements.kanaal.value) };
  if (f.elements.kanaal.value) body.kanaal = f.elements.kanaal.value;
  try {
    await api('POST', `${KANALEN}/contactverzoeken/${huidig.uuid}/afhandelen`, body);
  } catch (e) {
    showErrors(f, e);
    return;
  }
  document.getElementById('detail').hidden = true;
  announce(`Contactverzoek "${huidig.onderwerp}" is afgehandeld.`);
  huidig = null;
  await laadLijst();
  const status = document.getElementById('lijst-status');
  status.textContent = `Afgehandeld. ${status.textContent}`;
  document.getElementById('lijst-kop').setAttribute('tabindex', '-1');
  document.getElementById('lijst-kop').focus();
}

async function doorsturen(ev) {
  ev.preventDefault();
  const f = ev.target;
  clearErrors(f);
  if (!huidig) return;
  const naam = f.elements.naam.value.trim();
  if (!naam) {
    showErrors(f, new ApiError(400, { invalidParams: [{ name: 'toegewezenAan.naam', reason: 'Vul in naar welke afdeling, medewerker of groep het verzoek gaat.' }] }));
    return;
  }
  try {
    await api('POST', `${KANALEN}/contactverzoeken/${huidig.uuid}/toewijzen`, { toegewezenAan: { soort: f.elements.soort.value, naam } });
  } catch (e) {
    showErrors(f, e);
    return;
  }
  const onderwerp = huidig.onderwerp;
  document.getElementById('detail').hidden = true;
  huidig = null;
  await laadLijst();
  announce(`"${onderwerp}" is doorgestuurd naar ${naam}.`);
  const status = document.getElementById('lijst-status');
  status.textContent = `Doorgestuurd naar ${naam}. ${status.textContent}`;
  document.getElementById('lijst-kop').setAttribute('tabindex', '-1');
  document.getElementById('lijst-kop').focus();
}
