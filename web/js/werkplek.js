// KCC-werkplek: find a resident or business, see the klantbeeld, register a contactmoment with
// one or more questions (kennisbank articles used per question), hand over as a contactverzoek.
// The half-typed contactmoment is kept in localStorage, so it survives a reload or a new login.
import { api, requireSession, esc, datum, naamVan, showErrors, clearErrors, announce, ApiError } from './app.js';
import { startChatInbox } from './chat-inbox.js';

const KI = '/klantinteracties/api/v1';
const KB = '/kennisbank/api/v1';
const CONCEPT = 'omk-werkplek-concept';
const RESULTATEN = [
  ['zelfstandig afgehandeld', 'Zelfstandig afgehandeld'],
  ['doorverbonden', 'Doorverbonden'],
  ['contactverzoek', 'Contactverzoek'],
  ['terugbelverzoek', 'Terugbelverzoek'],
];

const KAN = '/kanalen/api/v1';
const state = { partij: null, vragen: [], actoren: [], normen: [] };

const sessie = await requireSession(['kcm']);
/** The purpose this session acts under (doelbinding; chosen with PATCH /auth/api/v1/sessie). */
const doel = () => (sessie.verwerkingsactiviteit && sessie.verwerkingsactiviteit.id) || 'klantvraag-beantwoorden';
await laadActoren();
herstelConcept();
koppelFormulieren();
await startChatInbox(sessie.gebruikersnaam, () => (state.partij ? state.partij.uuid : null), schermpop);

/** An incoming call offered to this medewerker: search the caller's number at once. */
function schermpop(pop) {
  if (!pop.telefoonnummer) return;
  const form = document.getElementById('zoek-form');
  form.elements.zoekop.value = 'telefoonnummer';
  form.elements.zoekterm.value = pop.telefoonnummer;
  announce(`Inkomend gesprek van ${pop.telefoonnummer}.`);
  form.requestSubmit();
}

// ---------------------------------------------------------------- zoeken en klantbeeld

/** "06 12 34 56 78", "+31 6-1234 5678", "0031612345678" → "0612345678". */
export function normaliseerTelefoon(s) {
  let t = s.replace(/[\s\-().]/g, '');
  if (t.startsWith('+31')) t = '0' + t.slice(3);
  else if (t.startsWith('0031')) t = '0' + t.slice(4);
  return t;
}

let klantbeeldApi = null;

/** Whether this server offers the integrated klantbeeld API (it lands separately). */
async function heeftKlantbeeld() {
  if (klantbeeldApi === null) {
    const r = await fetch('/klantbeeld/api/v1/openapi.json', { headers: { Accept: 'application/json' } });
    klantbeeldApi = r.ok;
  }
  return klantbeeldApi;
}

async function zoekPartijen(zoekop, term) {
  // The integrated klantbeeld API, when this server has it; else the register itself.
  if (await heeftKlantbeeld()) {
    try {
      const kb = await api('POST', '/klantbeeld/api/v1/_zoek', { [zoekop]: term, verwerkingsactiviteit: doel() });
      if (kb && kb.partij) return [{ ...kb.partij, _klantbeeld: kb }];
      if (kb && Array.isArray(kb.kandidaten)) return kb.kandidaten.map((k) => ({ uuid: k.uuid, nummer: k.nummer, soortPartij: k.soort, _naam: k.naam }));
      return [];
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return [];
      throw e;
    }
  }
  if (zoekop === 'naam') return []; // only the klantbeeld API searches by name
  if (zoekop === 'bsn' || zoekop === 'kvkNummer') {
    const r = await api('GET', `${KI}/partijen?partijIdentificator__objectId=${encodeURIComponent(term)}&pageSize=10`);
    return r.results;
  }
  const soort = zoekop === 'email' ? 'email' : 'telefoonnummer';
  const r = await api('GET', `${KI}/digitaleadressen?adres=${encodeURIComponent(term)}&soortDigitaalAdres=${soort}&pageSize=10`);
  const uuids = [...new Set(r.results.map((d) => d.verstrektDoorPartij && d.verstrektDoorPartij.uuid).filter(Boolean))];
  return Promise.all(uuids.map((u) => api('GET', `${KI}/partijen/${u}`)));
}

function valideerZoekterm(zoekop, term) {
  if (!term) return 'Vul een zoekterm in.';
  if (zoekop === 'bsn' && !/^\d{9}$/.test(term)) return 'Een BSN heeft 9 cijfers.';
  if (zoekop === 'kvkNummer' && !/^\d{8}$/.test(term)) return 'Een KvK-nummer heeft 8 cijfers.';
  if (zoekop === 'telefoonnummer' && !/^\+?\d{6,15}$/.test(term)) return 'Vul een telefoonnummer in, bijvoorbeeld 06 12 34 56 78.';
  if (zoekop === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(term)) return 'Vul een e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.';
  if (zoekop === 'naam' && term.length < 2) return 'Vul minstens twee letters van de naam in.';
  return null;
}

async function zoek(ev) {
  ev.preventDefault();
  const form = ev.target;
  clearErrors(form);
  const zoekop = form.elements.zoekop.value;
  let term = form.elements.zoekterm.value.trim();
  if (zoekop === 'telefoonnummer') term = normaliseerTelefoon(term);
  if (zoekop === 'bsn' || zoekop === 'kvkNummer') term = term.replace(/\s/g, '');
  const fout = valideerZoekterm(zoekop, term);
  if (fout) {
    showErrors(form, new ApiError(400, { invalidParams: [{ name: 'zoekterm', reason: fout }] }));
    return;
  }
  const uit = document.getElementById('zoekresultaten');
  uit.textContent = 'Zoeken…';
  let partijen;
  try {
    partijen = await zoekPartijen(zoekop, term);
  } catch (e) {
    uit.textContent = '';
    showErrors(form, e);
    return;
  }
  if (!partijen.length) {
    uit.innerHTML = '<p class="utrecht-paragraph">Geen klant gevonden.</p>';
    return;
  }
  uit.innerHTML = `<p class="utrecht-paragraph">${partijen.length === 1 ? '1 klant' : `${partijen.length} klanten`} gevonden.</p>
    <ul class="omk-list">${partijen.map((p, i) => `<li><button type="button" class="utrecht-button utrecht-button--subtle" data-kies="${i}">
      ${esc(p._naam || naamVan(p))}${p.nummer ? ` (klantnummer ${esc(p.nummer)})` : ''}</button></li>`).join('')}</ul>`;
  uit.querySelectorAll('[data-kies]').forEach((b) => b.addEventListener('click', () => toonKlantbeeld(partijen[Number(b.dataset.kies)])));
  if (partijen.length === 1) toonKlantbeeld(partijen[0]);
}

async function toonKlantbeeld(partij) {
  state.partij = { uuid: partij.uuid, nummer: partij.nummer, soortPartij: partij.soortPartij, partijIdentificatie: partij.partijIdentificatie };
  if (partij._klantbeeld === undefined && partij._naam !== undefined && await heeftKlantbeeld()) {
    try {
      const kb = await api('POST', '/klantbeeld/api/v1/_zoek', { partij: partij.uuid, verwerkingsactiviteit: doel() });
      partij = { ...partij, _klantbeeld: kb };
    } catch { /* the register's own view below still works */ }
  }
  bewaarConcept();
  const sectie = document.getElementById('klantbeeld');
  const inhoud = document.getElementById('klantbeeld-inhoud');
  sectie.hidden = false;
  inhoud.textContent = 'Klantbeeld laden…';
  const [volledig, contacten] = await Promise.all([
    api('GET', `${KI}/partijen/${partij.uuid}?expand=digitaleAdressen`),
    api('GET', `${KI}/klantcontacten?hadBetrokkene__wasPartij__uuid=${partij.uuid}&pageSize=15&expand=leiddeTotInterneTaken`),
  ]);
  const adressen = (volledig._expand && volledig._expand.digitaleAdressen) || [];
  const kb = partij._klantbeeld || null;
  const ids = (volledig.partijIdentificatoren || []).length;
  const taken = [];
  for (const kc of contacten.results) {
    for (const t of (kc._expand && kc._expand.leiddeTotInterneTaken) || []) if (t.status === 'te_verwerken') taken.push({ ...t, kc });
  }
  document.getElementById('klantbeeld-kop').textContent = `Klantbeeld: ${naamVan(volledig)}`;
  inhoud.innerHTML = `${kb ? klantbeeldExtra(kb) : ''}
    <dl class="omk-dl">
      <dt>Soort</dt><dd>${esc(volledig.soortPartij)}</dd>
      <dt>Klantnummer</dt><dd>${esc(volledig.nummer || '—')}</dd>
      <dt>Identificatoren</dt><dd>${ids}</dd>
    </dl>
    <h3 class="utrecht-heading-3">Digitale adressen</h3>
    ${adressen.length ? `<ul class="omk-list">${adressen.map((d) => `<li>${esc(d.soortDigitaalAdres)}: ${esc(d.adres)}${d.isStandaardAdres ? ' <span class="omk-badge">voorkeur</span>' : ''}</li>`).join('')}</ul>` : '<p class="utrecht-paragraph">Geen.</p>'}
    <h3 class="utrecht-heading-3">Open contactverzoeken (${taken.length})</h3>
    ${taken.length ? `<ul class="omk-list">${taken.map((t) => `<li>${esc(t.gevraagdeHandeling)} <span class="omk-badge">sinds ${datum(t.toegewezenOp)}</span></li>`).join('')}</ul>` : '<p class="utrecht-paragraph">Geen.</p>'}
    <h3 class="utrecht-heading-3">Contacthistorie (alle kanalen, ${contacten.count})</h3>
    <table class="utrecht-table"><caption class="omk-visually-hidden">Laatste contacten van deze klant</caption>
      <thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">Datum</th><th class="utrecht-table__header-cell" scope="col">Kanaal</th><th class="utrecht-table__header-cell" scope="col">Onderwerp</th></tr></thead>
      <tbody class="utrecht-table__body">${contacten.results.map((kc) => `<tr class="utrecht-table__row"><td class="utrecht-table__cell">${datum(kc.plaatsgevondenOp)}</td><td class="utrecht-table__cell">${esc(kc.kanaal)}</td><td class="utrecht-table__cell">${esc(kc.onderwerp)}</td></tr>`).join('')}</tbody>
    </table>`;
  document.getElementById('klantbeeld-kop').focus();
  announce(`Klantbeeld van ${naamVan(volledig)} geladen.`);
}

const BRONNEN = { register: 'Klantregister', brp: 'BRP', zaken: 'Zaken', kvk: 'KvK' };
const BRONSTATUS = { ok: 'beschikbaar', timeout: 'reageert niet (time-out)', error: 'fout', 'niet-geconfigureerd': 'niet aangesloten' };

/** What only the integrated klantbeeld knows: per-source status, signals, person, zaken. */
function klantbeeldExtra(kb) {
  const bronnen = Object.entries(kb.bronnen || {}).map(([b, st]) =>
    `<li>${esc(BRONNEN[b] || b)}: <span class="omk-badge ${st === 'ok' ? 'omk-badge--ok' : st === 'niet-geconfigureerd' ? '' : 'omk-badge--fout'}">${esc(BRONSTATUS[st] || st)}</span></li>`).join('');
  const signalen = (kb.signalen || []).map((x) => `<li><span class="omk-badge omk-badge--fout">${esc(x.soort)}</span> ${esc(x.omschrijving || '')}</li>`).join('');
  const zaken = (kb.zaken || []).map((z) => `<li>${esc(z.omschrijving || z.identificatie || '')}${z.status ? ` <span class="omk-badge">${esc(z.status.statustoelichting || z.status.omschrijving || z.status.statustype?.omschrijving || '')}</span>` : ''}</li>`).join('');
  const p = kb.persoon || null;
  return `<h3 class="utrecht-heading-3">Bronnen</h3><ul class="omk-list omk-bronnen">${bronnen}</ul>
    ${signalen ? `<h3 class="utrecht-heading-3">Signalen</h3><ul class="omk-list">${signalen}</ul>` : ''}
    ${p ? `<h3 class="utrecht-heading-3">Persoon (BRP)</h3><p class="utrecht-paragraph">${esc(p.naam?.volledigeNaam || p.volledigeNaam || '')}${p.geboorte?.datum?.langFormaat ? `, geboren ${esc(p.geboorte.datum.langFormaat)}` : ''}</p>` : ''}
    ${kb.bronnen && kb.bronnen.zaken && kb.bronnen.zaken !== 'niet-geconfigureerd' ? `<h3 class="utrecht-heading-3">Zaken</h3>${zaken ? `<ul class="omk-list">${zaken}</ul>` : '<p class="utrecht-paragraph">Geen lopende zaken.</p>'}` : ''}`;
}

// ---------------------------------------------------------------- contactmoment

async function laadActoren() {
  try {
    const r = await api('GET', `${KI}/actoren?pageSize=100`);
    state.actoren = r.results.filter((a) => a.indicatieActief !== false);
  } catch { state.actoren = []; }
  try {
    state.normen = (await api('GET', `${KAN}/servicenormen?pageSize=100`)).results;
  } catch { state.normen = []; }
  const sel = document.getElementById('cv-actor');
  sel.innerHTML = '<option value="">Kies een afdeling of medewerker</option>' + state.actoren.map((a) => {
    const soort = a.soortActor === 'medewerker' ? 'medewerker' : 'afdeling';
    return `<option value="${esc(soort)}|${esc(a.naam)}">${esc(a.naam)} (${soort})</option>`;
  }).join('');
}

/** The service norm for a kanaal (no product chosen): werkdagen and omschrijving. */
function normVoor(kanaal) {
  return state.normen.find((n) => n.kanaal === kanaal && !n.product) || state.normen.find((n) => !n.kanaal && !n.product) || null;
}

function nieuweVraag() {
  return { onderwerp: '', inhoud: '', reactie: '', resultaat: 'zelfstandig afgehandeld', artikelen: [] };
}

function renderVragen() {
  const box = document.getElementById('vragen');
  box.innerHTML = state.vragen.map((v, i) => `
    <fieldset class="omk-vraag" data-vraag="${i}">
      <legend>Vraag ${i + 1}</legend>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-onderwerp">Onderwerp</label>
        <input class="utrecht-textbox utrecht-textbox--html-input" id="v${i}-onderwerp" data-veld="v${i}.onderwerp" data-i="${i}" data-k="onderwerp" maxlength="200" value="${esc(v.onderwerp)}">
      </div>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-inhoud">Vraag van de klant</label>
        <textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="v${i}-inhoud" data-veld="v${i}.inhoud" data-i="${i}" data-k="inhoud" rows="2" maxlength="1000">${esc(v.inhoud)}</textarea>
      </div>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-reactie">Gegeven antwoord</label>
        <textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="v${i}-reactie" data-veld="v${i}.reactie" data-i="${i}" data-k="reactie" rows="2" maxlength="4000">${esc(v.reactie)}</textarea>
      </div>
      <div class="omk-field">
        <label class="utrecht-form-label" for="v${i}-resultaat">Resultaat</label>
        <select class="utrecht-select utrecht-select--html-select" id="v${i}-resultaat" data-i="${i}" data-k="resultaat">
          ${RESULTATEN.map(([val, txt]) => `<option value="${val}"${v.resultaat === val ? ' selected' : ''}>${txt}</option>`).join('')}
        </select>
      </div>
      <h3 class="utrecht-heading-4">Gebruikte kennisartikelen</h3>
      ${v.artikelen.length ? `<ul class="omk-list">${v.artikelen.map((a, j) => `<li><span class="omk-artikel">${esc(a.titel)}</span>
        <button type="button" class="utrecht-button utrecht-button--subtle" data-verwijder="${i}:${j}">Verwijder<span class="omk-visually-hidden"> ${esc(a.titel)} bij vraag ${i + 1}</span></button></li>`).join('')}</ul>`
        : '<p class="omk-hint">Nog geen. Kies "Gebruikt bij vraag" in de kennisbank.</p>'}
      ${state.vragen.length > 1 ? `<button type="button" class="utrecht-button utrecht-button--secondary-action" data-weg="${i}">Vraag ${i + 1} weghalen</button>` : ''}
    </fieldset>`).join('');
  box.querySelectorAll('[data-k]').forEach((el) => el.addEventListener('input', () => {
    state.vragen[Number(el.dataset.i)][el.dataset.k] = el.value;
    if (el.dataset.k === 'resultaat') toonContactverzoek();
    bewaarConcept();
  }));
  box.querySelectorAll('[data-verwijder]').forEach((b) => b.addEventListener('click', () => {
    const [i, j] = b.dataset.verwijder.split(':').map(Number);
    state.vragen[i].artikelen.splice(j, 1);
    renderVragen();
    bewaarConcept();
    document.getElementById(`v${i}-resultaat`).focus();
  }));
  box.querySelectorAll('[data-weg]').forEach((b) => b.addEventListener('click', () => {
    state.vragen.splice(Number(b.dataset.weg), 1);
    renderVragen();
    bewaarConcept();
    document.getElementById('vraag-toevoegen').focus();
  }));
  toonContactverzoek();
  renderKbKnoppen();
}

function heeftVerzoek() {
  return state.vragen.some((v) => v.resultaat === 'contactverzoek' || v.resultaat === 'terugbelverzoek');
}

function toonContactverzoek() {
  const box = document.getElementById('contactverzoek');
  box.hidden = !heeftVerzoek();
  werkPreviewBij();
}

function werkPreviewBij() {
  const f = document.getElementById('contact-form');
  const [, naam] = (f.elements['cv-actor'].value || '|').split('|');
  const handeling = f.elements['cv-handeling'].value || '(gevraagde handeling)';
  const norm = normVoor(f.elements.kanaal.value);
  const termijn = norm ? `${norm.werkdagen} ${norm.werkdagen === 1 ? 'werkdag' : 'werkdagen'}` : 'de afgesproken termijn';
  document.getElementById('cv-norm').textContent = norm ? `${norm.omschrijving || termijn} (kanaal ${f.elements.kanaal.value})` : 'Geen servicenorm gevonden; de algemene termijn geldt.';
  document.getElementById('cv-preview').textContent =
    `Uw verzoek: ${handeling}\nStatus: in behandeling${naam ? ` bij ${naam}` : ''}\nU hoort binnen ${termijn} van ons.`;
}

function bewaarConcept() {
  const f = document.getElementById('contact-form');
  const concept = {
    partij: state.partij, vragen: state.vragen, kanaal: f.elements.kanaal.value,
    cv: { actor: f.elements['cv-actor'].value,
      handeling: f.elements['cv-handeling'].value, toelichting: f.elements['cv-toelichting'].value },
  };
  localStorage.setItem(CONCEPT, JSON.stringify(concept));
}

function herstelConcept() {
  let c = null;
  try { c = JSON.parse(localStorage.getItem(CONCEPT) || 'null'); } catch { c = null; }
  const f = document.getElementById('contact-form');
  state.vragen = c && Array.isArray(c.vragen) && c.vragen.length ? c.vragen : [nieuweVraag()];
  if (c) {
    f.elements.kanaal.value = c.kanaal || 'telefoon';
    f.elements['cv-actor'].value = c.cv?.actor || '';
    f.elements['cv-handeling'].value = c.cv?.handeling || '';
    f.elements['cv-toelichting'].value = c.cv?.toelichting || '';
    const heeftTekst = state.vragen.some((v) => v.onderwerp || v.inhoud || v.reactie);
    if (heeftTekst) document.getElementById('concept-status').textContent = 'Uw niet-geregistreerde contactmoment is teruggezet.';
  }
  renderVragen();
  if (c && c.partij) toonKlantbeeld(c.partij).catch(() => {});
}

function valideerContact(f) {
  const fouten = [];
  if (!state.partij) fouten.push({ name: 'zoekterm', reason: 'Zoek eerst de klant op.' });
  state.vragen.forEach((v, i) => {
    if (!v.onderwerp.trim()) fouten.push({ name: `v${i}.onderwerp`, reason: `Vul het onderwerp van vraag ${i + 1} in.` });
  });
  if (heeftVerzoek()) {
    if (!f.elements['cv-actor'].value) fouten.push({ name: 'toegewezenAan', reason: 'Kies aan wie het contactverzoek gaat.' });
    if (!f.elements['cv-handeling'].value.trim()) fouten.push({ name: 'gevraagdeHandeling', reason: 'Vul in wat de collega moet doen.' });
  }
  return fouten;
}

async function registreer(ev) {
  ev.preventDefault();
  const f = ev.target;
  clearErrors(f);
  const fouten = valideerContact(f);
  if (fouten.length) {
    showErrors(f, new ApiError(400, { invalidParams: fouten }));
    return;
  }
  const knop = f.querySelector('button[type="submit"]');
  knop.disabled = true;
  const gesprek = crypto.randomUUID();
  const gemaakt = [];
  try {
    for (const [i, v] of state.vragen.entries()) {
      let r;
      try {
        r = await api('POST', `${KI}/maak-klantcontact`, {
          klantcontact: {
            kanaal: f.elements.kanaal.value, onderwerp: v.onderwerp.trim(), inhoud: v.inhoud, reactie: v.reactie,
            taal: 'nld', vertrouwelijk: false, indicatieContactGelukt: true,
            metadata: { resultaat: v.resultaat, gesprek, vraag: String(i + 1) },
          },
          betrokkene: { wasPartij: { uuid: state.partij.uuid }, rol: 'klant', initiator: true },
        });
      } catch (e) {
        if (e.problem && e.problem.invalidParams) {
          e.problem.invalidParams = e.problem.invalidParams.map((p) => ({ ...p, name: p.name.replace(/^klantcontact\./, `v${i}.`) }));
        }
        throw e;
      }
      const kc = r.klantcontact;
      gemaakt.push(kc);
      for (const a of v.artikelen) {
        await api('POST', `${KB}/gebruik`, { artikel: { uuid: a.uuid }, klantcontact: { uuid: kc.uuid } });
      }
    }
    let verzoek = null;
    if (heeftVerzoek()) {
      const i = state.vragen.findIndex((v) => v.resultaat === 'contactverzoek' || v.resultaat === 'terugbelverzoek');
      const [soort, naam] = f.elements['cv-actor'].value.split('|');
      verzoek = await api('POST', `${KAN}/contactverzoeken`, {
        kanaal: f.elements.kanaal.value,
        onderwerp: state.vragen[i].onderwerp.trim(),
        toelichting: f.elements['cv-toelichting'].value.slice(0, 1000),
        gevraagdeHandeling: f.elements['cv-handeling'].value.trim(),
        partij: { uuid: state.partij.uuid },
        klantcontact: { uuid: gemaakt[i].uuid },
        toegewezenAan: { soort, naam },
      });
    }
    localStorage.removeItem(CONCEPT);
    const uit = document.getElementById('contact-resultaat');
    uit.innerHTML = `<div class="utrecht-alert utrecht-alert--ok" role="status"><div class="utrecht-alert__content">
      <h3 class="utrecht-heading-3" tabindex="-1" id="geregistreerd">Contactmoment geregistreerd</h3>
      <p class="utrecht-paragraph">${gemaakt.length} ${gemaakt.length === 1 ? 'vraag' : 'vragen'} vastgelegd${verzoek ? `; contactverzoek voor ${esc(verzoek.toegewezenAan.naam)} aangemaakt, uiterlijk af op ${esc(new Date(verzoek.deadline + 'T12:00:00').toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' }))}` : ''}.</p></div></div>`;
    state.vragen = [nieuweVraag()];
    f.elements['cv-handeling'].value = '';
    f.elements['cv-toelichting'].value = '';
    f.elements['cv-actor'].value = '';
    renderVragen();
    document.getElementById('geregistreerd').focus();
    if (state.partij) toonKlantbeeld(state.partij).then(() => document.getElementById('geregistreerd').focus()).catch(() => {});
  } catch (e) {
    showErrors(f, e);
  } finally {
    knop.disabled = false;
  }
}

// ---------------------------------------------------------------- kennisbank

let kbTimer = null;
let kbVolg = 0;
let kbResultaten = [];

async function kbZoek() {
  const q = document.getElementById('kb-q').value.trim();
  const status = document.getElementById('kb-status');
  const lijst = document.getElementById('kb-resultaten');
  const volg = ++kbVolg;
  if (q.length < 2) {
    lijst.innerHTML = '';
    status.textContent = '';
    return;
  }
  const kanaal = document.getElementById('kanaal').value;
  try {
    const r = await api('POST', `${KB}/_zoek`, { q, pageSize: 5 });
    if (volg !== kbVolg) return;
    kbResultaten = r.results;
    status.textContent = r.count ? `${r.count} ${r.count === 1 ? 'artikel' : 'artikelen'} gevonden` : 'Geen artikelen gevonden';
    lijst.innerHTML = r.results.map((a, i) => `<li>
      <h3 class="utrecht-heading-4">${esc(a.titel)}</h3>
      <p class="utrecht-paragraph" id="kb-kort-${i}">${esc(a.kortAntwoord)}</p>
      <details><summary>Antwoord voor kanaal ${esc(kanaal)}</summary><div class="omk-preview" data-weergave="${i}">Laden…</div></details>
      <div class="omk-actions">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" data-kopieer="${i}">Kopieer kort antwoord<span class="omk-visually-hidden"> van ${esc(a.titel)}</span></button>
        <span data-gebruik="${i}"></span>
      </div></li>`).join('');
    lijst.querySelectorAll('[data-kopieer]').forEach((b) => b.addEventListener('click', async () => {
      const a = kbResultaten[Number(b.dataset.kopieer)];
      try { await navigator.clipboard.writeText(a.kortAntwoord); announce('Kort antwoord gekopieerd.'); } catch { announce('Kopiëren lukte niet; selecteer de tekst zelf.'); }
    }));
    lijst.querySelectorAll('details').forEach((d, i) => d.addEventListener('toggle', async () => {
      if (!d.open) return;
      const box = d.querySelector('[data-weergave]');
      try {
        const w = await api('GET', `${KB}/artikelen/${kbResultaten[i].uuid}/weergave/${encodeURIComponent(document.getElementById('kanaal').value === 'telefoon' ? 'telefoon' : document.getElementById('kanaal').value === 'chat' ? 'chat' : 'web')}`);
        box.textContent = w.formaat === 'text/html' ? new DOMParser().parseFromString(w.inhoud, 'text/html').body.textContent : w.inhoud;
      } catch { box.textContent = 'Kon het antwoord niet laden.'; }
    }));
    renderKbKnoppen();
  } catch (e) {
    if (volg === kbVolg) status.textContent = e instanceof ApiError && e.problem.invalidParams ? e.problem.invalidParams[0].reason : 'Zoeken lukte niet.';
  }
}

function renderKbKnoppen() {
  document.querySelectorAll('[data-gebruik]').forEach((slot) => {
    const i = Number(slot.dataset.gebruik);
    const a = kbResultaten[i];
    if (!a) return;
    slot.innerHTML = state.vragen.map((_, v) => `<button type="button" class="utrecht-button utrecht-button--secondary-action" data-bij="${i}:${v}">Gebruikt bij vraag ${v + 1}<span class="omk-visually-hidden">: ${esc(a.titel)}</span></button>`).join(' ');
    slot.querySelectorAll('[data-bij]').forEach((b) => b.addEventListener('click', () => {
      const [ai, vi] = b.dataset.bij.split(':').map(Number);
      const art = kbResultaten[ai];
      if (!state.vragen[vi].artikelen.some((x) => x.uuid === art.uuid)) state.vragen[vi].artikelen.push({ uuid: art.uuid, titel: art.titel });
      renderVragen();
      bewaarConcept();
      announce(`${art.titel} toegevoegd aan vraag ${vi + 1}.`);
      b.focus?.();
      const nieuw = document.querySelector(`[data-bij="${ai}:${vi}"]`);
      if (nieuw) nieuw.focus();
    }));
  });
}

function koppelFormulieren() {
  document.getElementById('zoek-form').addEventListener('submit', zoek);
  const f = document.getElementById('contact-form');
  f.addEventListener('submit', registreer);
  for (const n of ['kanaal', 'cv-actor', 'cv-handeling', 'cv-toelichting']) {
    f.elements[n].addEventListener('input', () => { werkPreviewBij(); bewaarConcept(); });
    f.elements[n].addEventListener('change', () => { werkPreviewBij(); bewaarConcept(); });
  }
  document.getElementById('vraag-toevoegen').addEventListener('click', () => {
    state.vragen.push(nieuweVraag());
    renderVragen();
    bewaarConcept();
    document.getElementById(`v${state.vragen.length - 1}-onderwerp`).focus();
  });
  document.getElementById('kb-form').addEventListener('submit', (ev) => { ev.preventDefault(); kbZoek(); });
  document.getElementById('kb-q').addEventListener('input', () => {
    clearTimeout(kbTimer);
    kbTimer = setTimeout(kbZoek, 250);
  });
}
