// The privacy officer's page (role beheerder): the export of everything about a person (AVG
// art. 15) shown readably and downloadable as JSON; AVG requests by deadline; destruction lists
// proposed and, by a second officer, approved or rejected. Every call is in the Logboek.
import { api, requireSession, showErrors, clearErrors, announce } from './app.js';
import { html, render } from './html.js';
import { AVG } from './paden.js';

const sessie = await requireSession(['beheerder']);

const SECTIES = {
  partijen: 'Partijen (klantregister)', 'partij-identificatoren': 'Identificatoren',
  digitaleadressen: 'E-mailadressen en telefoonnummers', rekeningnummers: 'Rekeningnummers',
  vertegenwoordigingen: 'Vertegenwoordigingen', 'categorie-relaties': 'Categorieën',
  betrokkenen: 'Betrokkenheid bij contacten', klantcontacten: 'Contacten met de gemeente',
  onderwerpobjecten: 'Onderwerpen van contacten', bijlagen: 'Bijlagen', actorklantcontacten: 'Medewerkers bij contacten',
  internetaken: 'Interne taken', contactverzoeken: 'Verzoeken om contact', gesprekken: 'Gesprekken (e-mail, chat, WhatsApp)',
  oproepen: 'Telefoongesprekken', baliebezoeken: 'Baliebezoeken',
};
const SOORT = { inzage: 'Inzage', rectificatie: 'Rectificatie', wissen: 'Wissen', beperking: 'Beperking', bezwaar: 'Bezwaar', overdracht: 'Overdracht' };
const datum = (s) => (s ? new Date(s).toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' }) : '');
const moment = (s) => (s ? new Date(s).toLocaleString('nl-NL', { dateStyle: 'medium', timeStyle: 'short' }) : '');

/** One object of the export as a short line: the fields a reader recognises. */
function regel(sectie, o) {
  switch (sectie) {
    case 'partijen': return [o.partijIdentificatie?.volledigeNaam || o.partijIdentificatie?.naam || '', o.soortPartij].filter(Boolean).join(' · ');
    case 'partij-identificatoren': return `${o.partijIdentificator?.codeSoortObjectId}: ${o.partijIdentificator?.objectId}`;
    case 'digitaleadressen': return `${o.soortDigitaalAdres}: ${o.adres}`;
    case 'rekeningnummers': return o.iban;
    case 'klantcontacten': return `${moment(o.plaatsgevondenOp)} · ${o.kanaal} · ${o.onderwerp}${o.vertrouwelijk ? ' · vertrouwelijk' : ''}`;
    case 'contactverzoeken': return `${moment(o.ontvangenOp)} · ${o.kanaal || ''} · ${o.onderwerp || ''} · ${o.status || ''}`;
    case 'gesprekken': return `${o.kanaal} · ${o.onderwerp || '(geen onderwerp)'} · ${(o.berichten || []).length} berichten`;
    case 'oproepen': return `${moment(o.aangebodenOp)} · ${o.telefoonnummer || ''}`;
    case 'baliebezoeken': return `${moment(o.aangemeldOp)} · ${o.reden || ''}`;
    case 'internetaken': return `${o.gevraagdeHandeling} · ${o.status}`;
    case 'onderwerpobjecten': return `${o.onderwerpobjectidentificator?.codeObjecttype}: ${o.onderwerpobjectidentificator?.objectId}`;
    case 'bijlagen': return `${o.bijlageidentificator?.codeObjecttype}: ${o.bijlageidentificator?.objectId}`;
    default: return o.uuid;
  }
}

function toonInzage(out) {
  const secties = Object.entries(SECTIES).map(([k, titel]) => [k, titel, out.gegevens[k] || []]);
  const totaal = secties.reduce((n, [, , l]) => n + l.length, 0);
  const blob = new Blob([JSON.stringify(out, null, 2)], { type: 'application/json' });
  const bestand = `inzage-${out.bsn}-${out.gemaaktOp.slice(0, 10)}.json`;
  render(document.getElementById('inzage'), html`
    <h3 class="utrecht-heading-3">Gegevens over BSN ${out.bsn}</h3>
    <p class="utrecht-paragraph">${out.partijen.length ? `${totaal} gegevens in ${secties.filter(([, , l]) => l.length).length} soorten, verzameld op ${moment(out.gemaaktOp)}.`
      : 'Het klantregister kent niemand met dit BSN.'}
      <a class="utrecht-link" id="inzage-download" download="${bestand}" href="${URL.createObjectURL(blob)}">Download als JSON</a></p>
    ${secties.filter(([, , l]) => l.length).map(([k, titel, l]) => html`<details class="omk-inzage-sectie">
      <summary>${titel} (${l.length})</summary>
      <ul class="omk-list">${l.map((o) => html`<li>${regel(k, o)}</li>`)}</ul></details>`)}
    ${out.gegevens.kanaalvoorkeuren ? html`<p class="utrecht-paragraph">Kanaalvoorkeur: ${out.gegevens.kanaalvoorkeuren.voorkeurskanaal}</p>` : ''}
    <details class="omk-inzage-sectie"><summary>Wie de gegevens verwerkte (${out.aantalVerwerkingen})</summary>
      <ul class="omk-list">${out.gegevens.verwerkingen.map((v) => html`<li>${moment(v.startTijd)} · ${v.rolOmschrijving || v.rol} · ${v.naam}</li>`)}</ul></details>
    <h3 class="utrecht-heading-3">Toelichting voor de betrokkene</h3>
    <dl class="omk-toelichting">
      <dt>Doelen</dt><dd>${out.toelichting.doelen.map((d) => d.omschrijving).join('; ') || 'Geen verwerkingen vastgelegd.'}</dd>
      <dt>Soorten gegevens</dt><dd>${out.toelichting.categorieen}</dd>
      <dt>Ontvangers</dt><dd>${out.toelichting.ontvangers}</dd>
      <dt>Bewaartermijn</dt><dd>${out.toelichting.bewaartermijn}</dd>
      <dt>Rechten</dt><dd>${out.toelichting.rechten}</dd>
      <dt>Klacht</dt><dd>${out.toelichting.klacht}</dd>
      <dt>Bron</dt><dd>${out.toelichting.bron}</dd>
    </dl>`);
  document.getElementById('inzage').focus?.();
}

document.getElementById('inzage-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  clearErrors(form);
  render(document.getElementById('inzage'), html`<p class="utrecht-paragraph">Gegevens verzamelen…</p>`);
  try {
    toonInzage(await api('POST', `${AVG}/inzage`, { bsn: form.bsn.value.trim() }));
    announce('De gegevens zijn verzameld.');
  } catch (err) {
    render(document.getElementById('inzage'), html``);
    showErrors(form, err);
  }
});

async function verzoeken() {
  const box = document.getElementById('verzoeken');
  let r;
  try {
    r = await api('GET', `${AVG}/verzoeken?status=open`);
  } catch {
    render(box, html`<p class="utrecht-paragraph omk-error">De verzoeken konden niet worden geladen.</p>`);
    return;
  }
  const over = (v) => (v.teLaat ? `${-v.dagenOver} dagen te laat` : `${v.dagenOver} dagen`);
  const actie = (v) => {
    if (v.soort === 'rectificatie') {
      const n = v.uitvoering?.rectificaties?.length || 0;
      return html`${n ? `${n} × gewijzigd. ` : ''}<button type="button" class="utrecht-button utrecht-button--secondary-action" data-rectificeren="${v.uuid}" data-bsn="${v.bsn}">Rectificatie voorbereiden</button>`;
    }
    if (v.soort !== 'wissen') return '';
    if (v.uitvoering) return html`Gewist op ${moment(v.uitvoering.op)}: ${v.uitvoering.gewist.map((g) => `${g.aantal} × ${g.soort}`).join(', ') || 'niets'}.`;
    return html`<button type="button" class="utrecht-button utrecht-button--secondary-action" data-wissen="${v.uuid}">Wissen voorbereiden</button>`;
  };
  render(box, r.results.length ? html`<table class="utrecht-table omk-tabel-kaarten"><caption class="omk-visually-hidden">Open AVG-verzoeken, de dringendste eerst</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Soort</th><th class="utrecht-table__header-cell" scope="col">BSN</th><th class="utrecht-table__header-cell" scope="col">Ontvangen</th><th class="utrecht-table__header-cell" scope="col">Uiterlijk</th><th class="utrecht-table__header-cell" scope="col">Resterend</th><th class="utrecht-table__header-cell" scope="col">Uitvoering</th></tr></thead>
    <tbody class="utrecht-table__body">${r.results.map((v) => html`<tr class="utrecht-table__row${v.teLaat ? ' omk-te-laat' : ''}">
      <td class="utrecht-table__cell" data-label="Soort">${SOORT[v.soort] || v.soort}${v.verlengd ? ' (verlengd)' : ''}</td>
      <td class="utrecht-table__cell" data-label="BSN">${v.bsn}</td>
      <td class="utrecht-table__cell" data-label="Ontvangen">${datum(v.ontvangenOp)}</td>
      <td class="utrecht-table__cell" data-label="Uiterlijk">${datum(v.termijn)}</td>
      <td class="utrecht-table__cell" data-label="Resterend">${v.teLaat ? html`<strong>${over(v)}</strong>` : over(v)}</td>
      <td class="utrecht-table__cell" data-label="Uitvoering">${actie(v)}</td></tr>`)}</tbody></table>`
    : html`<p class="utrecht-paragraph">Er staan geen AVG-verzoeken open.</p>`);
}

/** A message next to what it is about, visible (and read out): after a stale tab's action too. */
function melding(id, tekst, fout = false) {
  const el = document.getElementById(id);
  el.textContent = tekst;
  el.classList.toggle('omk-error', fout);
}

const WAAROM_NIET = (err) => (err.status === 409 || err.status === 404
  ? `${err.message} Het overzicht is bijgewerkt (misschien gebeurde het al in een ander venster of door een collega).`
  : err.message);

// Erasure on request (art. 17): a preview of every record with whether it may go and why not,
// then a confirmation. The server judges again when confirming; a second confirmation is refused.
async function wissenVoorbereiden(uuid) {
  const box = document.getElementById('wissen');
  melding('wissen-melding', '');
  let out;
  try {
    out = await api('POST', `${AVG}/verzoeken/${uuid}/_wissen`, {});
  } catch (err) {
    render(box, html``);
    melding('wissen-melding', WAAROM_NIET(err), true);
    await verzoeken();
    return;
  }
  render(box, html`<h3 class="utrecht-heading-3" tabindex="-1" id="wissen-kop">Wissen voor BSN ${out.verzoek.bsn}</h3>
    <p class="utrecht-paragraph">${out.teWissen} gegevens mogen worden gewist; ${out.behouden} blijven, met de reden.</p>
    <ul class="omk-list">${out.items.map((i) => html`<li><strong>${i.wissen ? 'Wissen' : 'Blijft'}</strong> · ${i.soort}${i.datum ? ` van ${datum(i.datum)}` : ''}: ${i.reden}</li>`)}</ul>
    <button type="button" class="utrecht-button utrecht-button--primary-action" data-bevestig="${uuid}" ${out.teWissen ? '' : 'disabled'}>Bevestigen: ${out.teWissen} gegevens wissen</button>`);
  document.getElementById('wissen-kop').focus();
}

document.getElementById('verzoeken').addEventListener('click', (e) => {
  const knop = e.target.closest('button[data-wissen]');
  if (knop) wissenVoorbereiden(knop.dataset.wissen);
  const rect = e.target.closest('button[data-rectificeren]');
  if (rect) rectificatieFormulier(rect.dataset.rectificeren, rect.dataset.bsn);
});

// Rectification on request (art. 16): the record's URL (from the inzage above), a field and
// its new value; a preview with the value as it is, then a confirmation. The register's own
// rules check the value.
function rectificatieFormulier(uuid, bsn) {
  melding('wissen-melding', '');
  render(document.getElementById('wissen'), html`<form id="rect-form" novalidate data-verzoek="${uuid}">
    <div class="omk-summary" tabindex="-1" hidden></div>
    <h3 class="utrecht-heading-3" tabindex="-1" id="rect-kop">Rectificatie voor BSN ${bsn}</h3>
    <div class="omk-field"><label class="utrecht-form-label" for="rect-object">URL van het gegeven (uit de inzage)</label>
      <input class="utrecht-textbox" id="rect-object" name="object" autocomplete="off"></div>
    <div class="omk-field"><label class="utrecht-form-label" for="rect-veld">Veld</label>
      <input class="utrecht-textbox omk-kort" id="rect-veld" name="veld" autocomplete="off"></div>
    <div class="omk-field"><label class="utrecht-form-label" for="rect-waarde">Nieuwe waarde</label>
      <input class="utrecht-textbox" id="rect-waarde" name="waarde" autocomplete="off" data-veld="wijzigingen"></div>
    <button type="submit" class="utrecht-button utrecht-button--secondary-action">Voorbeeld tonen</button>
    <div id="rect-voorbeeld"></div></form>`);
  document.getElementById('rect-kop').focus();
}

async function rectificeer(form, bevestigen) {
  clearErrors(form);
  const veld = form.veld.value.trim();
  form.waarde.dataset.veld = `wijzigingen.${veld}`;
  try {
    const out = await api('POST', `${AVG}/verzoeken/${form.dataset.verzoek}/_rectificeren`,
      { object: form.object.value.trim(), wijzigingen: { [veld]: form.waarde.value }, bevestigen });
    if (bevestigen) {
      render(document.getElementById('wissen'), html``);
      melding('wissen-melding', `Gewijzigd: ${veld} is nu "${out.na[veld]}". Het verzoek legt het vast.`);
      await verzoeken();
      return;
    }
    const nu = out.voor[veld];
    render(document.getElementById('rect-voorbeeld'), html`<p class="utrecht-paragraph">Nu is ${veld}: ${nu === undefined ? '(geen waarde)' : JSON.stringify(nu)}.
      Wordt: ${JSON.stringify(form.waarde.value)}.</p>
      <button type="button" class="utrecht-button utrecht-button--primary-action" id="rect-bevestig">Bevestigen: wijzigen</button>`);
  } catch (err) {
    if (err.status === 409) {
      render(document.getElementById('wissen'), html``);
      melding('wissen-melding', WAAROM_NIET(err), true);
      await verzoeken();
    } else {
      showErrors(form, err);
    }
  }
}

document.getElementById('wissen').addEventListener('submit', (e) => {
  if (e.target.id !== 'rect-form') return;
  e.preventDefault();
  rectificeer(e.target, false);
});

document.getElementById('wissen').addEventListener('click', (e) => {
  if (e.target.id === 'rect-bevestig') rectificeer(document.getElementById('rect-form'), true);
});

document.getElementById('wissen').addEventListener('click', async (e) => {
  const knop = e.target.closest('button[data-bevestig]');
  if (!knop) return;
  knop.disabled = true;
  try {
    const out = await api('POST', `${AVG}/verzoeken/${knop.dataset.bevestig}/_wissen`, { bevestigen: true });
    const gewist = out.verzoek.uitvoering.gewist.map((g) => `${g.aantal} × ${g.soort}`).join(', ') || 'niets';
    render(document.getElementById('wissen'), html``);
    melding('wissen-melding', `Gewist: ${gewist}. ${out.behouden} gegevens blijven; de redenen staan bij het verzoek. Leg nu het besluit vast.`);
  } catch (err) {
    render(document.getElementById('wissen'), html``);
    melding('wissen-melding', WAAROM_NIET(err), true);
  }
  await verzoeken();
});

document.getElementById('verzoek-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  clearErrors(form);
  const body = { soort: form.soort.value, bsn: form.bsn.value.trim() };
  if (form.ontvangenOp.value) body.ontvangenOp = `${form.ontvangenOp.value}T09:00:00Z`;
  try {
    const v = await api('POST', `${AVG}/verzoeken`, body);
    form.reset();
    announce(`Verzoek geregistreerd; uiterlijk ${datum(v.termijn)} beantwoorden.`);
    await verzoeken();
  } catch (err) {
    showErrors(form, err);
  }
});

async function termijnen() {
  try {
    const r = await api('GET', `${AVG}/bewaartermijnen`);
    render(document.getElementById('termijnen'), html`<ul class="omk-list">${r.results.map((t) =>
      html`<li>${t.soort}: ${t.termijnMaanden} maanden <span class="omk-hint">(${t.grond})</span></li>`)}</ul>`);
  } catch {
    render(document.getElementById('termijnen'), html`<p class="utrecht-paragraph omk-error">De bewaartermijnen konden niet worden geladen.</p>`);
  }
}

async function lijsten() {
  const box = document.getElementById('lijsten');
  let r;
  try {
    r = await api('GET', `${AVG}/vernietigingslijsten`);
  } catch {
    render(box, html`<p class="utrecht-paragraph omk-error">De vernietigingslijsten konden niet worden geladen.</p>`);
    return;
  }
  // The Logboek is one item: its records up to a point.
  const telling = (l) => Object.entries(l.items.reduce((m, i) => ({ ...m, [i.soort]: (m[i.soort] || 0) + (i.soort === 'logboek' ? i.aantal : 1) }), {}))
    .map(([s, n]) => `${n} × ${s}`).join(', ') || 'niets';
  const ik = sessie.gebruikersnaam;
  // A list the schedule proposed needs two officers: the first approval destroys nothing.
  const knoppen = (l) => {
    if (l.opgesteldDoor === ik || l.voorbeoordeeldDoor === ik)
      return html`<span class="omk-hint">Een andere functioneel beheerder keurt deze lijst goed.</span>`;
    const eerste = l.opgesteldDoor === 'planning' && !l.voorbeoordeeldDoor;
    return html`<button type="button" class="utrecht-button utrecht-button--primary-action" data-actie="_goedkeuren">${eerste ? 'Goedkeuren (eerste van twee)' : 'Goedkeuren en vernietigen'}</button>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" data-actie="_afwijzen">Afwijzen</button>`;
  };
  render(box, r.results.length ? html`<ul class="omk-list">${r.results.map((l) => html`<li class="omk-lijst" data-lijst="${l.uuid}">
      <strong>${moment(l.aangemaaktOp)}</strong>, voorgesteld door ${l.opgesteldDoor === 'planning' ? 'de planning' : l.opgesteldDoor}: ${l.status}.
      ${l.voorbeoordeeldDoor && l.status === 'voorgesteld' ? html`Eerste goedkeuring door ${l.voorbeoordeeldDoor}.` : ''}
      ${l.status === 'voorgesteld' ? html`Te vernietigen: ${telling(l)}. ${knoppen(l)}` : ''}
      ${l.verklaring ? html`Verklaring van vernietiging: ${l.verklaring.perSoort.map((s) => `${s.aantal} × ${s.soort}`).join(', ') || 'niets'}, goedgekeurd door ${l.verklaring.goedgekeurdDoor}.` : ''}
    </li>`)}</ul>` : html`<p class="utrecht-paragraph">Nog geen vernietigingslijsten.</p>`);
}

document.getElementById('lijsten').addEventListener('click', async (e) => {
  const knop = e.target.closest('button[data-actie]');
  if (!knop) return;
  const uuid = knop.closest('[data-lijst]').dataset.lijst;
  for (const b of knop.closest('[data-lijst]').querySelectorAll('button')) b.disabled = true;
  try {
    const l = await api('POST', `${AVG}/vernietigingslijsten/${uuid}/${knop.dataset.actie}`);
    melding('lijsten-melding', l.status === 'vernietigd' ? 'De gegevens zijn vernietigd; de verklaring is bewaard.'
      : l.status === 'afgewezen' ? 'De lijst is afgewezen.'
        : 'Uw goedkeuring is vastgelegd; een tweede functioneel beheerder voert de vernietiging uit.');
  } catch (err) {
    melding('lijsten-melding', WAAROM_NIET(err), true);
  }
  await lijsten();
});

document.getElementById('lijst-voorstellen').addEventListener('click', async (e) => {
  const knop = e.currentTarget;
  knop.disabled = true;
  try {
    await api('POST', `${AVG}/vernietigingslijsten`);
    melding('lijsten-melding', 'Vernietigingslijst voorgesteld.');
  } catch (err) {
    melding('lijsten-melding', err.message, true);
  }
  knop.disabled = false;
  await lijsten();
});

await Promise.all([verzoeken(), termijnen(), lijsten()]);
