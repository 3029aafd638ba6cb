// The manager's dashboard: the KPIs of a period from /sturing/api/v1/kpis (each with its
// definition), charts of contacts per kanaal and of first contact resolution over time (uPlot,
// each with the same figures as a table below it), CSV downloads of every table, the SMART
// goals with their progress, the trend monitor (/trends) with the onderwerpen rising today, the
// channel mix per klantgroep (/kanaalmix), the channel-shift what-if (/kanaalverschuiving), and
// today's counts (/kanalen/api/v1/statistieken). Filters live in the address bar, so a reload or
// a shared link shows the same figures. No personal data.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { api, requireSession, showErrors, clearErrors, announce } from './app.js';
import { html, render } from './html.js';
import { KANALEN, KENNISBANK, STURING } from './paden.js';

const NAAM = { telefoon: 'Telefoon', 'e-mail': 'E-mail', balie: 'Balie', website: 'Website', chat: 'Chat', whatsapp: 'WhatsApp', 'social media': 'Social media', post: 'Post' };
const NIVEAU = { strategisch: 'Strategisch', tactisch: 'Tactisch', operationeel: 'Operationeel' };
const STATUS = { loopt: 'Loopt', behaald: 'Behaald', 'niet-behaald': 'Niet behaald', 'geen-meting': 'Nog geen meting' };
const getal = (n, d = 0) => new Intl.NumberFormat('nl-NL', { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(n);
const fout = html`<p class="utrecht-paragraph">Deze cijfers konden niet worden geladen. Probeer het later opnieuw.</p>`;
/* Colours with enough contrast on white, and a dash pattern each, so a line is told apart
 * without seeing colour. */
const LIJNEN = [['#01689b', []], ['#a90061', [8, 4]], ['#275937', [2, 3]], ['#94710a', [12, 4, 2, 4]],
  ['#42145f', [4, 4]], ['#8f2a00', [1, 5]], ['#1a1a1a', [10, 2]], ['#39870c', [6, 2, 2, 2]]];

/** A KPI value with its unit, as a person reads it. */
function waarde(v, eenheid) {
  if (v === null || v === undefined) return '—';
  if (eenheid === 'procent') return `${getal(v, 1)}%`;
  if (eenheid === 'euro') return new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(v);
  if (eenheid === 'seconden') return `${getal(v, 1)} s`;
  if (eenheid === 'werkdagen') return `${getal(v, 1)} werkdagen`;
  if (eenheid === 'minuten') return `${getal(v, 1)} min`;
  return getal(v);
}

const vandaag = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
function dagenTerug(dag, n) {
  const d = new Date(`${dag}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** The filters from the address bar, with defaults: the last 30 days, per day. */
function filters() {
  const q = new URLSearchParams(location.search);
  const tot = q.get('tot') || vandaag();
  return { van: q.get('van') || dagenTerug(tot, 29), tot, periode: q.get('periode') || 'dag',
    kanaal: q.get('kanaal') || '', afdeling: q.get('afdeling') || '' };
}

function query(f, extra) {
  const q = new URLSearchParams({ van: f.van, tot: f.tot, ...extra });
  if (f.kanaal) q.set('kanaal', f.kanaal);
  if (f.afdeling) q.set('afdeling', f.afdeling);
  return q.toString();
}

const csvLink = (q, wat) => html`<p class="utrecht-paragraph"><a class="utrecht-link" href="${STURING}/kpis?${q}&formaat=csv" download>Download ${wat} als CSV</a></p>`;

function kpiTabel(res, f, q) {
  return html`<p class="utrecht-paragraph">Van ${f.van} tot en met ${f.tot}${f.kanaal ? `, kanaal ${NAAM[f.kanaal] || f.kanaal}` : ''}${f.afdeling ? `, afdeling ${f.afdeling}` : ''}.</p>
    ${res.achterstand ? html`<p class="utrecht-paragraph">${getal(res.achterstand)} recente wijzigingen zijn nog niet verwerkt; de cijfers lopen enkele seconden achter.</p>` : ''}
    <table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Kengetallen met hun definitie</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row">
        <th class="utrecht-table__header-cell" scope="col">Kengetal</th>
        <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">Waarde</th>
        <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">Teller / noemer</th>
        <th class="utrecht-table__header-cell" scope="col">Hoe berekend</th></tr></thead>
      <tbody class="utrecht-table__body">${res.resultaten.map((k) => {
        const g = k.groepen[0] || { waarde: null, teller: 0, noemer: null };
        return html`<tr class="utrecht-table__row" data-kpi="${k.kpi}">
          <th class="utrecht-table__cell" scope="row" data-label="Kengetal">${k.naam}</th>
          <td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-label="Waarde">${waarde(g.waarde, k.eenheid)}</td>
          <td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-label="Teller / noemer">${g.noemer === null ? getal(g.teller, 2) : `${getal(g.teller, 2)} / ${getal(g.noemer)}`}</td>
          <td class="utrecht-table__cell omk-definitie" data-label="Hoe berekend">${k.definitie} (${k.formule})</td></tr>`;
      })}</tbody></table>${csvLink(q, 'de kengetallen')}`;
}

/** Periods as columns, series as rows: the chart's data and the table's. */
function reeksen(groepen, periode, reeksVan) {
  const perioden = [...new Set(groepen.map((g) => g.sleutel[periode]))].sort();
  const namen = [...new Set(groepen.map(reeksVan))].sort();
  const waarden = Object.fromEntries(namen.map((n) => [n, perioden.map(() => null)]));
  for (const g of groepen) waarden[reeksVan(g)][perioden.indexOf(g.sleutel[periode])] = g.waarde;
  return { perioden, namen, waarden };
}

function grafiek(el, titel, { perioden, namen, waarden }, label, eenheid) {
  const breedte = Math.max(320, Math.min(el.clientWidth || 800, 1100));
  const opts = {
    title: titel, width: breedte, height: 280,
    scales: { x: { time: false } },
    axes: [{ space: 90, incrs: [1, 2, 3, 4, 6, 7, 12, 14, 28, 30, 60, 90, 180, 365], values: (u, ticks) => ticks.map((t) => perioden[t] ?? '') }, { values: (u, ticks) => ticks.map((t) => waarde(t, eenheid)) }],
    series: [{ label: 'Periode', value: (u, v) => perioden[v] ?? '' },
      ...namen.map((n, i) => ({ label: label(n), stroke: LIJNEN[i % LIJNEN.length][0], dash: LIJNEN[i % LIJNEN.length][1], width: 2,
        points: { show: true }, value: (u, v) => waarde(v, eenheid) }))],
  };
  const plot = new uPlot(opts, [perioden.map((_, i) => i), ...namen.map((n) => waarden[n])], el);
  plot.root.setAttribute('role', 'img');
  plot.root.setAttribute('aria-label', `${titel}; dezelfde cijfers staan in de tabel hieronder.`);
}

function reeksTabel(caption, { perioden, namen, waarden }, label, eenheid) {
  return html`<div class="omk-scroll" tabindex="0" role="region" aria-label="${caption} (tabel)"><table class="utrecht-table"><caption class="utrecht-table__caption">${caption}</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Periode</th>
      ${namen.map((n) => html`<th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">${label(n)}</th>`)}</tr></thead>
    <tbody class="utrecht-table__body">${perioden.map((p, i) => html`<tr class="utrecht-table__row">
      <th class="utrecht-table__cell" scope="row">${p}</th>
      ${namen.map((n) => html`<td class="utrecht-table__cell utrecht-table__cell--numeric-column">${waarde(waarden[n][i], eenheid)}</td>`)}</tr>`)}</tbody></table></div>`;
}

async function grafiekSectie(id, titel, q, reeksVan, label, eenheid, wat) {
  const el = document.getElementById(id);
  let res;
  try {
    res = await api('GET', `${STURING}/kpis?${q}`);
  } catch {
    render(el, fout);
    return;
  }
  const groepen = (res.resultaten || [res]).flatMap((k) => k.groepen.map((g) => ({ ...g, kpi: k.naam })));
  if (!groepen.length) {
    render(el, html`<p class="utrecht-paragraph">Geen gegevens in deze periode.</p>${csvLink(q, wat)}`);
    return;
  }
  const periode = filters().periode;
  const data = reeksen(groepen, periode, reeksVan);
  render(el, html`<div class="omk-grafiek"></div>${reeksTabel(titel, data, label, eenheid)}${csvLink(q, wat)}`);
  grafiek(el.querySelector('.omk-grafiek'), titel, data, label, eenheid);
}

async function kengetallen(f) {
  const q = query(f, {});
  try {
    const res = await api('GET', `${STURING}/kpis?${q}`);
    render(document.getElementById('kpis'), kpiTabel(res, f, q));
  } catch (e) {
    render(document.getElementById('kpis'), fout);
    if (e.status === 400) showErrors(document.getElementById('filters'), e);
  }
}

async function doelen() {
  const el = document.getElementById('doelen');
  let res;
  try {
    res = await api('GET', `${STURING}/doelen?pageSize=100`);
  } catch {
    render(el, fout);
    return;
  }
  if (!res.results.length) {
    render(el, html`<p class="utrecht-paragraph">Er zijn nog geen doelen vastgelegd.</p>`);
    return;
  }
  render(el, html`<table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Doelen met hun voortgang</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th class="utrecht-table__header-cell" scope="col">Doel</th><th class="utrecht-table__header-cell" scope="col">Niveau</th>
      <th class="utrecht-table__header-cell" scope="col">Eigenaar</th><th class="utrecht-table__header-cell" scope="col">Kengetal</th>
      <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">Nulmeting → streefwaarde</th>
      <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">Nu</th>
      <th class="utrecht-table__header-cell" scope="col">Deadline</th><th class="utrecht-table__header-cell" scope="col">Status</th></tr></thead>
    <tbody class="utrecht-table__body">${res.results.map((d) => html`<tr class="utrecht-table__row">
      <th class="utrecht-table__cell" scope="row" data-label="Doel">${d.titel}</th>
      <td class="utrecht-table__cell" data-label="Niveau">${NIVEAU[d.niveau] || d.niveau}</td>
      <td class="utrecht-table__cell" data-label="Eigenaar">${d.eigenaar}</td>
      <td class="utrecht-table__cell" data-label="Kengetal">${d.kpi}</td>
      <td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-label="Nulmeting → streefwaarde">${getal(d.nulmeting)} → ${getal(d.streefwaarde)}</td>
      <td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-label="Nu">${d.voortgang.huidigeWaarde === null ? '—' : getal(d.voortgang.huidigeWaarde, 1)}</td>
      <td class="utrecht-table__cell" data-label="Deadline">${d.deadline}</td>
      <td class="utrecht-table__cell" data-label="Status">${STATUS[d.voortgang.status] || d.voortgang.status}${d.voortgang.procentVanDoel === null ? '' : ` (${getal(d.voortgang.procentVanDoel)}% van de weg)`}</td></tr>`)}</tbody></table>`);
}

const PERIODE = { dag: 'dag', week: 'week', maand: 'maand' };
const SIGNAAL = { stijging: 'Stijgt', daling: 'Daalt', geen: 'Geen signaal', 'onvoldoende-gegevens': 'Te weinig gegevens' };
const KLANTGROEP = { persoon: 'Inwoners', organisatie: 'Organisaties', contactpersoon: 'Contactpersonen', onbekend: 'Onbekend' };

/** A CSV download of a table built here (RFC 4180, comma-separated), as a data: link. */
function csvVan(bestand, wat, kop, rijen) {
  const veld = (v) => { const t = String(v ?? ''); return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t; };
  const tekst = [kop, ...rijen].map((r) => r.map(veld).join(',')).join('\r\n') + '\r\n';
  return html`<p class="utrecht-paragraph"><a class="utrecht-link" href="data:text/csv;charset=utf-8,${encodeURIComponent(tekst)}" download="${bestand}">Download ${wat} als CSV</a></p>`;
}

const cel = (label, inhoud, numeriek) => html`<td class="utrecht-table__cell${numeriek ? ' utrecht-table__cell--numeric-column' : ''}" data-label="${label}">${inhoud}</td>`;
const kopcel = (t, numeriek) => html`<th class="utrecht-table__header-cell${numeriek ? ' utrecht-table__header-cell--numeric-column' : ''}" scope="col">${t}</th>`;

/** A difference with its sign: +2, −1,5%, 0. */
function verschil(v, eenheid) {
  if (v === null || v === undefined) return '—';
  if (Math.abs(v) < 0.005) return waarde(0, eenheid);
  return `${v > 0 ? '+' : '−'}${waarde(Math.abs(v), eenheid)}`;
}

async function trends(f) {
  const el = document.getElementById('trends');
  const q = new URLSearchParams({ periode: f.periode, perioden: '8', onderwerpen: 'nee' });
  if (f.kanaal) q.set('kanaal', f.kanaal);
  if (f.afdeling) q.set('afdeling', f.afdeling);
  let t;
  try {
    t = await api('GET', `${STURING}/trends?${q}`);
  } catch {
    render(el, fout);
    return;
  }
  const laatste = (r) => r.reeks[r.reeks.length - 1];
  const rijen = t.resultaten.map((r) => [r.naam, laatste(r).periode, laatste(r).waarde, r.trend.gemiddelde, r.trend.afwijking, SIGNAAL[r.trend.signaal]]);
  render(el, html`<p class="utrecht-paragraph">Per ${PERIODE[t.periode]}: de laatste volledige ${PERIODE[t.periode]} (tot en met ${t.tot}) tegen de perioden ervoor. ${t.regel}</p>
    <div class="omk-scroll" tabindex="0" role="region" aria-label="Trends per kengetal (tabel)"><table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Trends per kengetal</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row">${kopcel('Kengetal')}${kopcel('Laatste periode')}${kopcel('Waarde', true)}${kopcel('Gemiddelde ervoor', true)}${kopcel('Verschil', true)}${kopcel('Signaal')}</tr></thead>
      <tbody class="utrecht-table__body">${t.resultaten.map((r) => html`<tr class="utrecht-table__row" data-kpi="${r.kpi}">
        <th class="utrecht-table__cell" scope="row" data-label="Kengetal">${r.naam}</th>
        ${cel('Laatste periode', laatste(r).periode)}${cel('Waarde', waarde(laatste(r).waarde, r.eenheid), true)}
        ${cel('Gemiddelde ervoor', waarde(r.trend.gemiddelde, r.eenheid), true)}
        ${cel('Verschil', verschil(r.trend.afwijking, r.eenheid), true)}
        ${cel('Signaal', r.trend.signaal === 'stijging' || r.trend.signaal === 'daling' ? html`<strong>${SIGNAAL[r.trend.signaal]}</strong>` : SIGNAAL[r.trend.signaal])}</tr>`)}</tbody></table></div>
    ${csvVan('trends.csv', 'de trends', ['kengetal', 'periode', 'waarde', 'gemiddelde', 'verschil', 'signaal'], rijen)}`);
}

async function stijgend() {
  const el = document.getElementById('stijgend');
  let t;
  try {
    t = await api('GET', `${STURING}/trends?kpi=contacten&periode=dag&perioden=8&tot=${vandaag()}`);
  } catch {
    render(el, fout);
    return;
  }
  const o = t.stijgendeOnderwerpen;
  const z = t.stijgendeZoekvragen || [];
  const zoek = z.length ? html`<table class="utrecht-table omk-tabel-kaarten"><caption class="utrecht-table__caption">Stijgende zoekvragen in de kennisbank vandaag</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row">${kopcel('Zoekvraag')}${kopcel('Vandaag', true)}${kopcel('Gemiddelde ervoor', true)}</tr></thead>
      <tbody class="utrecht-table__body">${z.map((x) => html`<tr class="utrecht-table__row">
        <th class="utrecht-table__cell" scope="row" data-label="Zoekvraag">${x.zoekvraag}</th>
        ${cel('Vandaag', getal(x.laatste), true)}${cel('Gemiddelde ervoor', getal(x.trend.gemiddelde, 1), true)}</tr>`)}</tbody></table>
    ${csvVan('stijgende-zoekvragen.csv', 'de stijgende zoekvragen', ['zoekvraag', 'vandaag', 'gemiddelde'], z.map((x) => [x.zoekvraag, x.laatste, x.trend.gemiddelde]))}`
    : html`<p class="utrecht-paragraph">Geen zoekvraag in de kennisbank stijgt vandaag opvallend.</p>`;
  render(el, o.length ? html`<p class="utrecht-paragraph">Onderwerpen met vandaag duidelijk meer contacten dan gemiddeld op de vier dagen ervoor, over alle kanalen.
      Staat het antwoord goed in de kennisbank? <a class="utrecht-link" href="/redactie">Schrijf of werk het artikel bij in de kennisbank-redactie</a>.</p>
    <table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Stijgende onderwerpen vandaag</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row">${kopcel('Onderwerp')}${kopcel('Vandaag', true)}${kopcel('Gemiddelde ervoor', true)}</tr></thead>
      <tbody class="utrecht-table__body">${o.map((x) => html`<tr class="utrecht-table__row">
        <th class="utrecht-table__cell" scope="row" data-label="Onderwerp">${x.onderwerp}</th>
        ${cel('Vandaag', getal(x.laatste), true)}${cel('Gemiddelde ervoor', getal(x.trend.gemiddelde, 1), true)}</tr>`)}</tbody></table>
    ${csvVan('stijgende-onderwerpen.csv', 'de stijgende onderwerpen', ['onderwerp', 'vandaag', 'gemiddelde'], o.map((x) => [x.onderwerp, x.laatste, x.trend.gemiddelde]))}${zoek}`
    : html`<p class="utrecht-paragraph">Vandaag stijgt geen onderwerp opvallend. ${t.regel}</p>${zoek}`);
}

const KOERS = { investeren: 'investeren', ondersteunen: 'ondersteunen', reduceren: 'reduceren' };
/** A kanaal's share, and under it its target and course when set: "38,8%" "(25%, reduceren)". */
function mixCel(k) {
  if (!k) return '—';
  const nu = `${getal(k.aandeel, 1)}%`;
  return k.gewenstAandeel === null || k.gewenstAandeel === undefined ? nu
    : html`${nu}<br><span class="omk-definitie">(${getal(k.gewenstAandeel)}%, ${KOERS[k.koers] || k.koers})</span>`;
}

async function kanaalmix(f) {
  const el = document.getElementById('kanaalmix');
  const q = new URLSearchParams({ van: f.van, tot: f.tot });
  if (f.kanaal) q.set('kanaal', f.kanaal);
  let m;
  try {
    m = await api('GET', `${STURING}/kanaalmix?${q}`);
  } catch {
    render(el, fout);
    return;
  }
  if (!m.groepen.length) {
    render(el, html`<p class="utrecht-paragraph">Geen contacten in deze periode.</p>`);
    return;
  }
  const kanalen = [...new Set(m.groepen.flatMap((g) => g.kanalen.map((k) => k.kanaal)))].sort();
  const van = (g, k) => g.kanalen.find((x) => x.kanaal === k);
  const naam = (g) => KLANTGROEP[g.sleutel.klantgroep] || g.sleutel.klantgroep;
  render(el, html`<p class="utrecht-paragraph">Van ${m.van} tot en met ${m.tot}: per klantgroep het aandeel van elk kanaal in de contacten. ${m.klantgroep}</p>
    <div class="omk-scroll" tabindex="0" role="region" aria-label="Kanaalmix per klantgroep (tabel)"><table class="utrecht-table omk-breed"><caption class="omk-visually-hidden">Kanaalmix per klantgroep</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row">${kopcel('Klantgroep')}${kopcel('Contacten', true)}${kanalen.map((k) => kopcel(NAAM[k] || k, true))}</tr></thead>
      <tbody class="utrecht-table__body">${m.groepen.map((g) => html`<tr class="utrecht-table__row">
        <th class="utrecht-table__cell" scope="row">${naam(g)}</th>${cel('Contacten', getal(g.contacten), true)}
        ${kanalen.map((k) => cel(NAAM[k] || k, mixCel(van(g, k)), true))}</tr>`)}</tbody></table></div>
    <p class="utrecht-paragraph">Tussen haakjes het gewenste aandeel en de koers uit de kanaalstrategie, waar die is vastgelegd.</p>
    ${csvVan('kanaalmix.csv', 'de kanaalmix', ['klantgroep', 'kanaal', 'contacten', 'aandeel', 'gewenstAandeel', 'koers'],
      m.groepen.flatMap((g) => g.kanalen.map((k) => [g.sleutel.klantgroep, k.kanaal, k.contacten, k.aandeel, k.gewenstAandeel, k.koers])))}`);
}

const euro = (v) => new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(v);

document.getElementById('wat-als').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  const f = filters();
  const q = new URLSearchParams({ van: f.van, tot: f.tot, vanKanaal: form.elements.vanKanaal.value,
    naarKanaal: form.elements.naarKanaal.value, percentage: form.elements.percentage.value });
  const onderwerp = form.elements.onderwerp.value.trim().toLowerCase();
  if (onderwerp) q.set('onderwerp', onderwerp);
  const el = document.getElementById('wat-als-uitkomst');
  clearErrors(form);
  let w;
  try {
    w = await api('GET', `${STURING}/kanaalverschuiving?${q}`);
  } catch (e) {
    render(el, html``);
    if (e.status === 400) showErrors(form, e);
    else render(el, fout);
    return;
  }
  const van = NAAM[w.vanKanaal] || w.vanKanaal, naar = NAAM[w.naarKanaal] || w.naarKanaal;
  render(el, html`<p class="utrecht-paragraph" id="wat-als-tekst">Van ${w.van} tot en met ${w.tot} waren er ${getal(w.contacten)} contacten via ${van}${w.onderwerp ? ` over ${w.onderwerp}` : ''}.
    Verschuift ${getal(w.percentage)}%, dan gaan er ${getal(w.verschoven)} naar ${naar} en komt bij ${van} die capaciteit vrij.
    ${w.verschil === null ? `De kosten zijn niet te berekenen: er is geen tarief voor ${w.ontbrekendeTarieven.map((k) => NAAM[k] || k).join(' en ')}.`
      : `Kosten nu ${euro(w.kostenVoor)}, daarna ${euro(w.kostenNa)}: ${w.verschil <= 0 ? `${euro(-w.verschil)} minder` : `${euro(w.verschil)} meer`} (tarief ${van} ${euro(w.tariefVan)}, ${naar} ${euro(w.tariefNaar)} per contact).`}</p>`);
  announce('De kanaalverschuiving is uitgerekend.');
});

async function dashboard() {
  const f = filters();
  const form = document.getElementById('filters');
  for (const k of ['van', 'tot', 'periode', 'kanaal', 'afdeling']) form.elements[k].value = f[k];
  clearErrors(form);
  await Promise.all([
    kengetallen(f),
    grafiekSectie('grafiek-contacten', 'Klantcontacten per kanaal en periode', query(f, { kpi: 'contacten', groepeerOp: `${f.periode},kanaal` }),
      (g) => g.sleutel.kanaal, (n) => NAAM[n] || n, 'aantal', 'contacten per kanaal'),
    grafiekSectie('grafiek-fcr', 'In één keer goed en herhaalcontact (%)', query(f, { kpi: 'fcr,herhaalcontact', groepeerOp: f.periode }),
      (g) => g.kpi, (n) => n, 'procent', 'eerste-contactoplossing en herhaalcontact'),
    doelen(), trends(f), stijgend(), kanaalmix(f),
  ]);
}

document.getElementById('filters').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  const q = new URLSearchParams();
  for (const k of ['van', 'tot', 'periode', 'kanaal', 'afdeling']) if (form.elements[k].value) q.set(k, form.elements[k].value);
  history.pushState(null, '', `${location.pathname}?${q}`);
  await dashboard();
  announce('De cijfers zijn bijgewerkt.');
});
window.addEventListener('popstate', () => { dashboard(); });

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

await Promise.all([dashboard(), cijfers(), kennisbank()]);
