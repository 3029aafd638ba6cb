// Back office: open contactverzoeken (earliest deadline first, overdue flagged), filtered by
// assignee; open one to see the resident's context, record what was done, close it.
import { api, requireSession, datum, naamVan, showErrors, clearErrors, announce, ApiError } from './app.js';
import { html, render } from './html.js';
import { KANALEN, KLANTINTERACTIES } from './paden.js';

const TE_LAAT = html` <span class="omk-badge omk-badge--fout">Te laat</span>`;
let huidig = null;
let verzoeken = [];

await requireSession(['backoffice']);
await vulToegewezen();
document.getElementById('filter-form').addEventListener('submit', (ev) => { ev.preventDefault(); laadLijst(); });
document.getElementById('afhandel-form').addEventListener('submit', afhandelen);
await laadLijst();

function dag(d) {
  return new Date(d + 'T12:00:00').toLocaleDateString('nl-NL', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

async function vulToegewezen() {
  const r = await api('GET', `${KLANTINTERACTIES}/actoren?pageSize=100`);
  const sel = document.getElementById('toegewezen');
  for (const a of r.results) {
    const soort = a.soortActor === 'medewerker' ? 'medewerker' : 'afdeling';
    sel.append(new Option(`${a.naam} (${soort})`, `${soort}=${a.naam}`));
  }
}

async function laadLijst() {
  const f = document.getElementById('filter-form');
  const q = new URLSearchParams({ status: 'open', pageSize: '100' });
  const t = f.elements.toegewezen.value;
  if (t) { const i = t.indexOf('='); q.set(t.slice(0, i), t.slice(i + 1)); }
  if (f.elements['alleen-te-laat'].value) q.set('teLaat', 'true');
  const status = document.getElementById('lijst-status');
  const r = await api('GET', `${KANALEN}/contactverzoeken?${q}`);
  verzoeken = r.results;
  status.textContent = `${r.count} open ${r.count === 1 ? 'contactverzoek' : 'contactverzoeken'}${r.count > r.results.length ? `, de eerste ${r.results.length} getoond` : ''}.`;
  render(document.getElementById('lijst'), verzoeken.map((v, i) => html`<tr class="utrecht-table__row">
    <td class="utrecht-table__cell">${dag(v.deadline)}${v.teLaat ? TE_LAAT : ''}</td>
    <td class="utrecht-table__cell">${v.onderwerp}<br><span class="omk-hint">${v.gevraagdeHandeling}</span></td>
    <td class="utrecht-table__cell">${v.toegewezenAan.naam}</td>
    <td class="utrecht-table__cell"><button type="button" class="utrecht-button utrecht-button--secondary-action" data-open="${i}">Open<span class="omk-visually-hidden"> ${v.onderwerp}</span></button></td>
  </tr>`));
  document.querySelectorAll('[data-open]').forEach((b) => b.addEventListener('click', () => open(verzoeken[Number(b.dataset.open)])));
}

async function open(v) {
  huidig = v;
  const sectie = document.getElementById('detail');
  sectie.hidden = false;
  clearErrors(document.getElementById('afhandel-form'));
  document.getElementById('afhandel-form').reset();
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
        html`<li>${datum(k.plaatsgevondenOp)} · ${k.kanaal} · ${k.onderwerp}</li>`)}</ul>`;
    } catch { klant = '(klant niet te laden)'; }
  }
  const c = v.contactgegevens || {};
  document.getElementById('detail-kop').textContent = `Contactverzoek: ${v.onderwerp}`;
  render(document.getElementById('detail-inhoud'), html`<dl class="omk-dl">
      <dt>Klant</dt><dd>${klant || c.naam || 'onbekend'}</dd>
      <dt>Gevraagde handeling</dt><dd>${v.gevraagdeHandeling}</dd>
      <dt>Toelichting</dt><dd>${v.toelichting || '—'}</dd>
      <dt>Kanaal</dt><dd>${v.kanaal}</dd>
      <dt>Ontvangen</dt><dd>${datum(v.ontvangenOp)}</dd>
      <dt>Deadline</dt><dd>${dag(v.deadline)}${v.teLaat ? TE_LAAT : ''} (servicenorm ${v.servicenorm.werkdagen} werkdagen)</dd>
      <dt>Contactgegevens</dt><dd>${[c.telefoonnummer, c.email].filter(Boolean).join(', ') || '—'}</dd>
    </dl>${historie}`);
  document.getElementById('detail-kop').focus();
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
  const body = { resultaat: f.elements.resultaat.value.trim(), contactGelukt: f.elements.gelukt.checked };
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
