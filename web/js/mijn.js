// Mijn Voorbeeldstad: the resident's own contacts, requests and their status, conversations,
// digital addresses, channel preference and consent, and who viewed their data (Logboek
// Dataverwerkingen, when the server offers it). Only /mijn/api/v1 answers a resident.
import { api, requireSession, esc, datum, showErrors, clearErrors, ApiError } from './app.js';

const MIJN = '/mijn/api/v1';
await requireSession(['inwoner'], { inwoner: true });

const STATUS = { te_verwerken: 'In behandeling', verwerkt: 'Afgehandeld' };

async function verzoeken() {
  const r = await api('GET', `${MIJN}/contactverzoeken?pageSize=50`);
  const open = r.results.filter((t) => t.status === 'te_verwerken').length;
  document.getElementById('verzoeken').innerHTML = r.results.length ? `
    <p class="utrecht-paragraph">${open} open, ${r.results.length - open} afgehandeld${r.count > r.results.length ? ` (de laatste ${r.results.length} van ${r.count})` : ''}.</p>
    <ul class="omk-list">${r.results.map((t) => `<li><strong>${esc(t.gevraagdeHandeling)}</strong>
      <span class="omk-badge ${t.status === 'verwerkt' ? 'omk-badge--ok' : ''}">${esc(STATUS[t.status] || t.status)}</span><br>
      <span class="omk-hint">Aangevraagd ${datum(t.toegewezenOp)}${t.afgehandeldOp ? ` · afgehandeld ${datum(t.afgehandeldOp)}` : ''}</span></li>`).join('')}</ul>`
    : '<p class="utrecht-paragraph">U heeft geen verzoeken.</p>';
}

async function contacten() {
  const r = await api('GET', `${MIJN}/klantcontacten?pageSize=25`);
  document.getElementById('contacten').innerHTML = r.results.length ? `
    <table class="utrecht-table"><caption class="omk-visually-hidden">Uw laatste contacten met de gemeente</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Datum</th><th class="utrecht-table__header-cell" scope="col">Kanaal</th><th class="utrecht-table__header-cell" scope="col">Onderwerp</th></tr></thead>
    <tbody class="utrecht-table__body">${r.results.map((k) => `<tr class="utrecht-table__row"><td class="utrecht-table__cell">${datum(k.plaatsgevondenOp)}</td><td class="utrecht-table__cell">${esc(k.kanaal)}</td><td class="utrecht-table__cell">${esc(k.onderwerp)}</td></tr>`).join('')}</tbody></table>
    <p class="omk-hint">${r.count} contacten in totaal.</p>`
    : '<p class="utrecht-paragraph">Er zijn geen contacten geregistreerd.</p>';
}

const KANAAL = { 'e-mail': 'E-mail', chat: 'Chat', whatsapp: 'WhatsApp', website: 'Website' };

// The conversations (e-mail, chat, WhatsApp, …) with every message both ways, newest first.
async function gesprekken() {
  const r = await api('GET', `${MIJN}/gesprekken?pageSize=20`);
  document.getElementById('gesprekken').innerHTML = r.results.length
    ? r.results.map((g) => `<details class="omk-gesprek"><summary>${esc(KANAAL[g.kanaal] || g.kanaal)}: ${esc(g.onderwerp || '(geen onderwerp)')}
        <span class="omk-hint">· ${datum(g.laatsteBerichtOp)} · ${g.status === 'open' ? 'lopend' : 'afgesloten'}</span></summary>
        <ol class="omk-list">${g.berichten.map((b) => `<li><strong>${b.richting === 'in' ? 'U' : 'Gemeente'}</strong>
          <span class="omk-hint">${datum(b.tijdstip)}</span><br>${esc(b.tekst)}</li>`).join('')}</ol></details>`).join('')
    : '<p class="utrecht-paragraph">U heeft nog geen gesprekken met de gemeente gevoerd via e-mail, chat of WhatsApp.</p>';
}

async function adressen() {
  const r = await api('GET', `${MIJN}/digitaleadressen?pageSize=50`);
  document.getElementById('adressen').innerHTML = r.results.length
    ? `<ul class="omk-list">${r.results.map((d) => `<li>${esc(d.soortDigitaalAdres)}: ${esc(d.adres)}${d.isStandaardAdres ? ' <span class="omk-badge">standaard</span>' : ''}</li>`).join('')}</ul>`
    : '<p class="utrecht-paragraph">De gemeente heeft geen digitale adressen van u.</p>';
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
    r = await api('GET', '/klantbeeld/api/v1/verwerkingen?pageSize=100');
  } catch (e) {
    box.innerHTML = e instanceof ApiError && e.status === 404
      ? '<p class="utrecht-paragraph">Het overzicht van wie uw gegevens bekeek is op deze server nog niet beschikbaar.</p>'
      : '<p class="utrecht-paragraph">Het overzicht kon niet worden geladen.</p>';
    return;
  }
  // One line per processing by the municipality: the sources a klantbeeld asked (BRP, Zaken,
  // KvK) belong to the klantbeeld's own line. Their own reads in Mijn are counted, not listed.
  const all = r.results || [];
  const BRONNEN = new Set(['brp', 'zaken', 'kvk']);
  const rows = all.filter((v) => v.rol !== 'inwoner' && !(BRONNEN.has(v.bron) && v.parentSpanId));
  const eigen = all.filter((v) => v.rol === 'inwoner');
  const zelf = eigen.length
    ? `<p class="omk-hint">U bekeek uw eigen gegevens hier ${new Set(eigen.map((v) => v.traceId)).size} keer, het laatst op ${datum(eigen[0].startTijd)}.</p>`
    : '';
  box.innerHTML = rows.length ? `<table class="utrecht-table"><caption class="omk-visually-hidden">Wie uw gegevens bekeek en waarom</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Wanneer</th><th class="utrecht-table__header-cell" scope="col">Wie</th><th class="utrecht-table__header-cell" scope="col">Wat</th><th class="utrecht-table__header-cell" scope="col">Waarom</th></tr></thead>
    <tbody class="utrecht-table__body">${rows.map((v) => `<tr class="utrecht-table__row"><td class="utrecht-table__cell">${datum(v.startTijd)}</td>
      <td class="utrecht-table__cell">${esc(v.rolOmschrijving || v.rol || '')}</td>
      <td class="utrecht-table__cell">${esc(v.naam || '')}</td>
      <td class="utrecht-table__cell">${esc(DOELEN[v.verwerkingsactiviteit] || v.verwerkingsactiviteit || '')}</td></tr>`).join('')}</tbody></table>${zelf}`
    : `<p class="utrecht-paragraph">Niemand van de gemeente heeft uw gegevens bekeken.</p>${zelf}`;
}

await Promise.all([verzoeken(), contacten(), gesprekken(), adressen(), voorkeuren(), inzage()]);
