// The manager's start page until the KPI dashboard exists: the figures there are today — contacts
// per kanaal and contactverzoeken by state (counts only, /kanalen/api/v1/statistieken), the
// service norms and the kennisbank's use and content gaps. No personal data.
import { api, requireSession } from './app.js';
import { html, render } from './html.js';
import { KANALEN, KENNISBANK } from './paden.js';

const NAAM = { telefoon: 'Telefoon', 'e-mail': 'E-mail', balie: 'Balie', website: 'Website', chat: 'Chat', whatsapp: 'WhatsApp', 'social media': 'Social media', post: 'Post' };
const getal = (n) => new Intl.NumberFormat('nl-NL').format(n);
const fout = html`<p class="utrecht-paragraph">Deze cijfers konden niet worden geladen. Probeer het later opnieuw.</p>`;

await requireSession(['manager']);

async function cijfers() {
  let s, normen;
  try {
    [s, normen] = await Promise.all([api('GET', `${KANALEN}/statistieken`), api('GET', `${KANALEN}/servicenormen?pageSize=100`)]);
  } catch {
    render(document.getElementById('contacten'), fout);
    render(document.getElementById('verzoeken'), fout);
    return;
  }
  const per = Object.entries(s.klantcontacten.perKanaal);
  render(document.getElementById('contacten'), s.klantcontacten.totaal ? html`
    <p class="utrecht-paragraph">${getal(s.klantcontacten.totaal)} klantcontacten geregistreerd, alle kanalen samen.</p>
    <table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Klantcontacten per kanaal</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row">
        <th class="utrecht-table__header-cell" scope="col">Kanaal</th>
        <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">Contacten</th>
        <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">Aandeel</th></tr></thead>
      <tbody class="utrecht-table__body">${per.map(([k, n]) => html`<tr class="utrecht-table__row">
        <td class="utrecht-table__cell" data-label="Kanaal">${NAAM[k] || k}</td>
        <td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-label="Contacten">${getal(n)}</td>
        <td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-label="Aandeel">${Math.round((100 * n) / s.klantcontacten.totaal)}%</td></tr>`)}</tbody></table>`
    : html`<p class="utrecht-paragraph">Er zijn nog geen klantcontacten geregistreerd.</p>`);
  const v = s.contactverzoeken;
  const norm = (k) => normen.results.find((x) => x.kanaal === k && !x.product);
  render(document.getElementById('verzoeken'), html`<ul class="omk-cijfers">
      <li><strong>${getal(v.open)}</strong> open</li>
      <li><strong>${getal(v.teLaat)}</strong> over de servicenorm</li>
      <li><strong>${getal(v.afgehandeld)}</strong> afgehandeld</li></ul>
    <p class="utrecht-paragraph">Servicenormen: ${Object.keys(NAAM).filter(norm).map((k) => {
      const n = norm(k).werkdagen;
      return `${NAAM[k]} ${n} ${n === 1 ? 'werkdag' : 'werkdagen'}`;
    }).join(', ')}.</p>`);
}

async function kennisbank() {
  let r;
  try {
    r = await api('GET', `${KENNISBANK}/rapport`);
  } catch {
    render(document.getElementById('kennisbank'), fout);
    return;
  }
  const gaten = r.zoekvragenZonderResultaat || [];
  const gebruikt = r.meestGebruikt || [];
  render(document.getElementById('kennisbank'), html`<ul class="omk-cijfers">
      <li><strong>${getal(gebruikt.length)}</strong> artikelen gebruikt bij een contact</li>
      <li><strong>${getal((r.nooitGebruikt || []).length)}</strong> artikelen nooit gebruikt</li>
      <li><strong>${getal(gaten.reduce((t, g) => t + (g.aantal || 0), 0))}</strong> zoekvragen zonder resultaat</li></ul>`);
}

await Promise.all([cijfers(), kennisbank()]);
