// Mijn Voorbeeldstad: the resident's own contacts, requests and their status, conversations,
// digital addresses, channel preference and consent, and who viewed their data (Logboek
// Dataverwerkingen, when the server offers it). Only /mijn/api/v1 answers a resident.
import { api, requireSession, datum, showErrors, clearErrors, ApiError } from './app.js';
import { html, render } from './html.js';
import { MIJN, KLANTBEELD } from './paden.js';

const sessie = await requireSession(['inwoner', 'ondernemer'], { inwoner: true });

/** Loads one part of the page; a part the session may not see (a level of assurance too low
 * for it) says why in its own place, the other parts still load. */
async function deel(id, laden) {
  try {
    await laden();
  } catch (e) {
    const el = document.getElementById(id);
    if (!el) return;
    render(el, e instanceof ApiError && e.status === 403 && e.problem.detail
      ? html`<div class="utrecht-alert utrecht-alert--warning"><div class="utrecht-alert__content"><p class="utrecht-paragraph">${e.problem.detail}</p></div></div>`
      : html`<p class="utrecht-paragraph">Dit deel kon niet worden geladen. Probeer het later opnieuw.</p>`);
  }
}

const STATUS = { te_verwerken: 'In behandeling', verwerkt: 'Afgehandeld' };
const DAG = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });
const dag = (s) => (s ? DAG.format(new Date(s.length === 10 ? `${s}T12:00:00` : s)) : '');

/** Where a request stands, in words for the resident: a failed call is never "Afgehandeld". */
function stand(v) {
  const laatste = v.pogingen.length ? v.pogingen[v.pogingen.length - 1] : null;
  switch (v.stand) {
    case 'afgehandeld':
      return [html`<span class="omk-badge omk-badge--ok">Afgehandeld</span>`,
        `Afgehandeld op ${dag(v.afgehandeldOp)}${v.contactGelukt ? '. Wij hebben contact met u gehad.' : '.'}`];
    case 'niet-bereikt':
      return [html`<span class="omk-badge omk-badge--let-op">Wij konden u niet bereiken</span>`,
        `Wij hebben op ${datum(laatste.tijdstip)} geprobeerd u te ${laatste.kanaal === 'telefoon' ? 'bellen' : 'bereiken'}, maar kregen geen contact. Wij proberen het opnieuw, uiterlijk ${dag(v.uiterlijk)}.`];
    case 'in-behandeling':
      return [html`<span class="omk-badge">In behandeling</span>`, `Een medewerker werkt aan uw verzoek. U hoort uiterlijk ${dag(v.uiterlijk)} van ons.`];
    default:
      return [html`<span class="omk-badge">Ontvangen</span>`, `Wij hebben uw verzoek ontvangen. U hoort uiterlijk ${dag(v.uiterlijk)} van ons.`];
  }
}

async function verzoeken() {
  const box = document.getElementById('verzoeken');
  let r, taken;
  try {
    [r, taken] = await Promise.all([api('GET', `${MIJN}/verzoeken?pageSize=50`), api('GET', `${MIJN}/contactverzoeken?pageSize=50`)]);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) throw e; /* deel() says why */
    render(box, html`<p class="utrecht-paragraph">Uw verzoeken konden niet worden geladen. Probeer het later opnieuw.</p>`);
    return;
  }
  // Requests registered straight in the register (e.g. by another system) have no back-office
  // progress: they are shown with the register's own status.
  const bekend = new Set(r.results.map((v) => v.internetaak));
  const overig = taken.results.filter((t) => !bekend.has(t.uuid));
  const open = r.results.filter((v) => v.stand !== 'afgehandeld').length + overig.filter((t) => t.status === 'te_verwerken').length;
  const totaal = r.results.length + overig.length;
  render(box, totaal ? html`
    <p class="utrecht-paragraph">${open} open, ${totaal - open} afgehandeld.</p>
    <ul class="omk-list">${r.results.map((v) => {
      const [badge, uitleg] = stand(v);
      return html`<li><strong>${v.gevraagdeHandeling}</strong>: ${v.onderwerp} ${badge}<br>
      <span class="omk-hint">Aangevraagd ${datum(v.ontvangenOp)}</span><br>${uitleg}</li>`;
    })}${overig.map((t) => html`<li><strong>${t.gevraagdeHandeling}</strong>
      <span class="omk-badge ${t.status === 'verwerkt' ? 'omk-badge--ok' : ''}">${STATUS[t.status] || t.status}</span><br>
      <span class="omk-hint">Aangevraagd ${datum(t.toegewezenOp)}${t.afgehandeldOp ? ` · afgehandeld ${datum(t.afgehandeldOp)}` : ''}</span></li>`)}</ul>`
    : html`<p class="utrecht-paragraph">U heeft geen verzoeken.</p>`);
}

const KANAALNAAM = { telefoon: 'Telefoon', 'e-mail': 'E-mail', balie: 'Balie', chat: 'Chat', whatsapp: 'WhatsApp', website: 'Website', post: 'Post', 'social media': 'Social media' };

async function contacten(pad = `${MIJN}/klantcontacten`) {
  const r = await api('GET', `${pad}?pageSize=25`);
  render(document.getElementById('contacten'), r.results.length ? html`
    <table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Uw laatste contacten met de gemeente</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Datum</th><th class="utrecht-table__header-cell" scope="col">Kanaal</th><th class="utrecht-table__header-cell" scope="col">Onderwerp</th></tr></thead>
    <tbody class="utrecht-table__body">${r.results.map((k) => html`<tr class="utrecht-table__row"><td class="utrecht-table__cell" data-label="Datum">${datum(k.plaatsgevondenOp)}</td><td class="utrecht-table__cell" data-label="Kanaal">${KANAALNAAM[k.kanaal] || k.kanaal}</td><td class="utrecht-table__cell" data-label="Onderwerp">${k.onderwerp}${k.indicatieContactGelukt === false ? html` <span class="omk-badge">niet bereikt</span>` : ''}</td></tr>`)}</tbody></table>
    <p class="omk-hint">${r.count} contacten in totaal.</p>`
    : html`<p class="utrecht-paragraph">Er zijn geen contacten geregistreerd.</p>`);
}

const KANAAL = { 'e-mail': 'E-mail', chat: 'Chat', whatsapp: 'WhatsApp', website: 'Website' };

// The conversations (e-mail, chat, WhatsApp, …) with every message both ways, newest first.
async function gesprekken() {
  const r = await api('GET', `${MIJN}/gesprekken?pageSize=20`);
  render(document.getElementById('gesprekken'), r.results.length
    ? r.results.map((g) => html`<details class="omk-gesprek"><summary>${KANAAL[g.kanaal] || g.kanaal}: ${g.onderwerp || '(geen onderwerp)'}
        <span class="omk-hint">· ${datum(g.laatsteBerichtOp)} · ${g.status === 'open' ? 'lopend' : 'afgesloten'}</span></summary>
        <ol class="omk-list">${g.berichten.map((b) => html`<li><strong>${b.richting === 'in' ? 'U' : 'Gemeente'}</strong>
          <span class="omk-hint">${datum(b.tijdstip)}</span><br>${b.tekst}</li>`)}</ol></details>`)
    : html`<p class="utrecht-paragraph">U heeft nog geen gesprekken met de gemeente gevoerd via e-mail, chat of WhatsApp.</p>`);
}

async function adressen() {
  const r = await api('GET', `${MIJN}/digitaleadressen?pageSize=50`);
  render(document.getElementById('adressen'), r.results.length
    ? html`<ul class="omk-list">${r.results.map((d) => html`<li>${d.soortDigitaalAdres}: ${d.adres}${d.isStandaardAdres ? html` <span class="omk-badge">standaard</span>` : ''}</li>`)}</ul>`
    : html`<p class="utrecht-paragraph">De gemeente heeft geen digitale adressen van u.</p>`);
}

async function voorkeuren() {
  const v = await api('GET', `${MIJN}/voorkeuren`);
  const f = document.getElementById('voorkeur-form');
  f.elements.voorkeurskanaal.value = v.voorkeurskanaal;
  f.elements.toestemmingDigitaal.checked = v.toestemmingDigitaal;
  f.elements.toestemmingOnderzoek.checked = v.toestemmingOnderzoek;
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(f);
    try {
      await api('PUT', `${MIJN}/voorkeuren`, {
        voorkeurskanaal: f.elements.voorkeurskanaal.value,
        toestemmingDigitaal: f.elements.toestemmingDigitaal.checked,
        toestemmingOnderzoek: f.elements.toestemmingOnderzoek.checked,
      });
      document.getElementById('voorkeur-status').textContent = 'Uw voorkeuren zijn opgeslagen.';
    } catch (e) {
      showErrors(f, e);
    }
  });
}

const DOELEN = {
  'klantvraag-beantwoorden': 'Uw vraag beantwoorden',
  'contactverzoek-afhandelen': 'Uw contactverzoek afhandelen',
  'wettelijke-taak-uitvoeren': 'Een wettelijke taak uitvoeren',
  'klantgegevens-beheren': 'Uw klantgegevens beheren',
  'mijn-gegevens-inzien': 'U bekeek zelf uw gegevens',
};

async function inzage() {
  const box = document.getElementById('inzage');
  let r;
  try {
    r = await api('GET', `${KLANTBEELD}/verwerkingen?pageSize=100`);
  } catch (e) {
    render(box, e instanceof ApiError && e.status === 404
      ? html`<p class="utrecht-paragraph">Het overzicht van wie uw gegevens bekeek is op deze server nog niet beschikbaar.</p>`
      : html`<p class="utrecht-paragraph">Het overzicht kon niet worden geladen.</p>`);
    return;
  }
  // One line per processing by the municipality: the sources a klantbeeld asked (BRP, Zaken,
  // KvK) belong to the klantbeeld's own line. Their own reads in Mijn are counted, not listed.
  const all = r.results || [];
  const BRONNEN = new Set(['brp', 'zaken', 'kvk']);
  const rows = all.filter((v) => v.rol !== 'inwoner' && !(BRONNEN.has(v.bron) && v.parentSpanId));
  const eigen = all.filter((v) => v.rol === 'inwoner');
  const zelf = eigen.length
    ? html`<p class="omk-hint">U bekeek uw eigen gegevens hier ${new Set(eigen.map((v) => v.traceId)).size} keer, het laatst op ${datum(eigen[0].startTijd)}.</p>`
    : '';
  render(box, rows.length ? html`<table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Wie uw gegevens bekeek en waarom</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Wanneer</th><th class="utrecht-table__header-cell" scope="col">Wie</th><th class="utrecht-table__header-cell" scope="col">Wat</th><th class="utrecht-table__header-cell" scope="col">Waarom</th></tr></thead>
    <tbody class="utrecht-table__body">${rows.map((v) => html`<tr class="utrecht-table__row"><td class="utrecht-table__cell" data-label="Wanneer">${datum(v.startTijd)}</td>
      <td class="utrecht-table__cell" data-label="Wie">${v.rolOmschrijving || v.rol || ''}</td>
      <td class="utrecht-table__cell" data-label="Wat">${v.naam || ''}</td>
      <td class="utrecht-table__cell" data-label="Waarom">${DOELEN[v.verwerkingsactiviteit] || v.verwerkingsactiviteit || ''}</td></tr>`)}</tbody></table>${zelf}`
    : html`<p class="utrecht-paragraph">Niemand van de gemeente heeft uw gegevens bekeken.</p>${zelf}`);
}

/** Mijn for a business logged in with eHerkenning: its contacts and open questions, found by
 * its KvK-nummer. */
async function bedrijf() {
  render(document.getElementById('inhoud'), html`<h1 class="utrecht-heading-1">Mijn Voorbeeldstad voor uw bedrijf</h1>
    <p class="utrecht-paragraph" id="bedrijf-wie">U bent met eHerkenning ingelogd voor het bedrijf met KvK-nummer <strong>${sessie.kvkNummer}</strong>${sessie.vestigingsnummer ? ` (vestigingsnummer ${sessie.vestigingsnummer})` : ''}.</p>
    <section class="omk-panel" aria-labelledby="contacten-kop"><h2 class="utrecht-heading-2" id="contacten-kop">Contacten van uw bedrijf</h2><div id="contacten">Laden…</div></section>
    <section class="omk-panel" aria-labelledby="vragen-kop"><h2 class="utrecht-heading-2" id="vragen-kop">Open vragen van uw bedrijf</h2><div id="vragen">Laden…</div></section>`);
  await Promise.all([deel('contacten', () => contacten(`${MIJN}/bedrijf/klantcontacten`)), deel('vragen', async () => {
    const r = await api('GET', `${MIJN}/bedrijf/contactverzoeken?pageSize=50`);
    render(document.getElementById('vragen'), r.results.length
      ? html`<ul class="omk-list">${r.results.map((t) => html`<li><strong>${t.gevraagdeHandeling}</strong>
        <span class="omk-badge ${t.status === 'verwerkt' ? 'omk-badge--ok' : ''}">${STATUS[t.status] || t.status}</span><br>
        <span class="omk-hint">Aangevraagd ${datum(t.toegewezenOp)}</span></li>`)}</ul>`
      : html`<p class="utrecht-paragraph">Uw bedrijf heeft geen open vragen bij de gemeente.</p>`);
  })]);
}

const SECTIES = [['klantcontacten', 'Contacten'], ['verzoeken', 'Verzoeken'], ['contactverzoeken', 'Contactverzoeken'],
  ['gesprekken', 'Gesprekken'], ['digitaleadressen', 'Digitale adressen'], ['verwerkingen', 'Verwerkingen van uw gegevens']];

// Everything Mijn shows in one file (AVG art. 15 and 20): what it holds, readably, and a link to
// save it. Fetching it is in the Logboek as the resident's own read.
function download() {
  const knop = document.getElementById('download-knop');
  const box = document.getElementById('download');
  knop.addEventListener('click', async () => {
    knop.disabled = true;
    let g;
    try {
      g = await api('GET', `${MIJN}/gegevens`);
    } catch {
      render(box, html`<p class="utrecht-paragraph">Uw gegevens konden niet worden opgehaald. Probeer het later opnieuw.</p>`);
      knop.disabled = false;
      return;
    }
    const url = URL.createObjectURL(new Blob([JSON.stringify(g, null, 2)], { type: 'application/json' }));
    render(box, html`<p class="utrecht-paragraph">Opgehaald op ${datum(g.opgesteldOp)}. Het bestand bevat:</p>
      <ul class="omk-list" id="download-inhoud">${SECTIES.map(([k, naam]) => html`<li>${naam}: ${g.gegevens[k].aantal}</li>`)}
        <li>Uw voorkeuren en toestemmingen</li></ul>
      <p class="utrecht-paragraph">${g.toelichting.weggelaten}</p>
      <p class="utrecht-paragraph">${g.toelichting.rechten}</p>
      <p class="utrecht-paragraph"><a class="utrecht-link" id="download-link" href="${url}" download="mijn-gegevens.json">Download mijn-gegevens.json</a></p>`);
    knop.disabled = false;
  });
}

if (sessie.rol === 'ondernemer') {
  await bedrijf();
} else {
  document.getElementById('machtiging').hidden = !sessie.machtiging;
  download();
  await Promise.all([deel('verzoeken', verzoeken), deel('contacten', () => contacten()), deel('gesprekken', gesprekken),
    deel('adressen', adressen), deel('voorkeur-form', voorkeuren), deel('inzage', inzage)]);
}
