// Kennisbank editor: articles, the Markdown editor with every channel's rendition of the saved
// version, B1 readability, versions, publishing; the review queue, the content gaps and the
// municipality's synonym list.
import { api, requireSession, datum, showErrors, clearErrors, announce, ApiError } from './app.js';
import { html, raw, render } from './html.js';
import { KENNISBANK } from './paden.js';

const WEERGAVEKANALEN = [['web', 'Website'], ['chat', 'Chat'], ['telefoon', 'Telefoon (belscript)']];
let huidig = null;

await requireSession(['redacteur']);
const form = document.getElementById('artikel-form');
form.addEventListener('submit', (ev) => { ev.preventDefault(); opslaan(); });
document.getElementById('publiceer').addEventListener('click', () => { form.elements.status.value = 'gepubliceerd'; opslaan(); });
document.getElementById('nieuw').addEventListener('click', () => { kies(null); document.getElementById('titel').focus(); });
let wacht = null;
let beurt = 0; // the newest preview wins: a slow answer to an older one is dropped
for (const veld of ['kortAntwoord', 'antwoord']) {
  form.elements[veld].addEventListener('input', () => { clearTimeout(wacht); wacht = setTimeout(liveVoorbeeld, 400); });
}
const synoniemForm = document.getElementById('synoniem-form');
synoniemForm.addEventListener('submit', (ev) => { ev.preventDefault(); synoniemToevoegen(); });
// The article list: the first LIJST_MAX of those whose title matches the filter, so a long
// kennisbank (the demo has 178) does not put hundreds of buttons in the page's tab order.
const LIJST_MAX = 20;
let artikelen = [];
let alles = false;
document.getElementById('artikel-filter').addEventListener('input', () => { alles = false; toonLijst(); });
document.getElementById('artikelen-meer').addEventListener('click', () => { alles = true; toonLijst(); });

await Promise.all([lijst(), review(), gaten(), synoniemen()]);

async function lijst() {
  artikelen = (await api('GET', `${KENNISBANK}/artikelen?pageSize=500`)).results;
  toonLijst();
}

function toonLijst() {
  const f = document.getElementById('artikel-filter').value.trim().toLowerCase();
  const passend = artikelen.filter((a) => !f || a.titel.toLowerCase().includes(f));
  const getoond = alles ? passend : passend.slice(0, LIJST_MAX);
  render(document.getElementById('artikelen'), getoond.length ? getoond.map((a) => html`<li>
    <button type="button" class="utrecht-button utrecht-button--subtle" data-artikel="${a.uuid}">${a.titel}</button>
    <span class="omk-badge">${a.status}</span> <span class="omk-hint">versie ${a.versie}</span></li>`)
    : html`<li>Geen artikel met deze titel.</li>`);
  document.getElementById('artikelen-telling').textContent = getoond.length < passend.length
    ? `${getoond.length} van ${passend.length} artikelen getoond.` : `${passend.length} artikelen.`;
  const meer = document.getElementById('artikelen-meer');
  meer.hidden = getoond.length >= passend.length;
  meer.textContent = `Toon alle ${passend.length} artikelen`;
  document.querySelectorAll('[data-artikel]').forEach((b) => b.addEventListener('click',
    () => kies(artikelen.find((a) => a.uuid === b.dataset.artikel))));
}

async function review() {
  const r = await api('GET', `${KENNISBANK}/reviewwachtrij`);
  render(document.getElementById('review'), r.results.length
    ? r.results.map((a) => html`<li>${a.titel} <span class="omk-badge omk-badge--fout">review sinds ${a.reviewdatum}</span></li>`)
    : html`<li>Geen artikelen over hun reviewdatum.</li>`);
}

async function gaten() {
  const box = document.getElementById('gaten');
  let r;
  try {
    r = await api('GET', `${KENNISBANK}/rapport`);
  } catch {
    render(box, html`<p class="utrecht-paragraph">De zoekvragen konden niet worden geladen.</p>`);
    return;
  }
  const z = [...(r.zoekvragenZonderResultaat || [])].sort((a, b) => (b.aantal || 0) - (a.aantal || 0));
  render(box, z.length ? html`<table class="utrecht-table omk-tabel-kaarten">
    <caption class="omk-visually-hidden">Zoekvragen zonder resultaat, vaakst gezocht eerst</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th class="utrecht-table__header-cell" scope="col">Zoekvraag</th>
      <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">Aantal keer</th>
    </tr></thead>
    <tbody class="utrecht-table__body">${z.map((g) => html`<tr class="utrecht-table__row">
      <td class="utrecht-table__cell" data-label="Zoekvraag">${g.vraag}</td>
      <td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-label="Aantal keer">${g.aantal}</td></tr>`)}</tbody></table>`
    : html`<p class="utrecht-paragraph">Er zijn geen zoekvragen zonder resultaat.</p>`);
}

function kies(a) {
  huidig = a;
  clearErrors(form);
  form.reset();
  document.getElementById('opslaan-status').textContent = '';
  document.getElementById('editor-kop').textContent = a ? `Artikel bewerken: ${a.titel}` : 'Nieuw artikel';
  if (a) {
    for (const k of ['titel', 'kortAntwoord', 'antwoord', 'product', 'laag', 'doelgroep', 'status']) form.elements[k].value = a[k] ?? '';
    form.elements.vragen.value = (a.vragen || []).join('\n');
    form.elements.reviewdatum.value = a.reviewdatum || '';
    voorbeeld(a);
    document.getElementById('editor-kop').focus();
  } else {
    document.getElementById('voorbeeld').hidden = true;
  }
}

/** Keeps only harmless markup of a server rendition (no scripts, handlers or frames). The
 * server renders the Markdown with md4c without raw HTML (MD_FLAG_NOHTML); this is the second
 * line, and the reason its result may go through raw(). */
function veiligeHtml(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, style, iframe, object, embed, link, meta, form').forEach((n) => n.remove());
  doc.querySelectorAll('*').forEach((el) => {
    for (const at of [...el.attributes]) if (/^on|^style$|^src$|^srcdoc$/i.test(at.name) || /^\s*javascript:/i.test(at.value)) el.removeAttribute(at.name);
  });
  // Headings inside the preview sit below the preview's own heading level.
  doc.querySelectorAll('h1, h2, h3').forEach((h) => { const n = doc.createElement('h4'); n.append(...h.childNodes); h.replaceWith(n); });
  return doc.body.innerHTML;
}

/** The B1 verdict with what to change: the sentences over the limit, as the API flags them. */
function leesbaarheid(l, wat) {
  const lang = l.langeZinnen || [];
  return html`<p class="utrecht-paragraph">Leesbaarheid ${wat}: <strong>${l.niveau || 'onbekend'}</strong>${l.fleschDouma !== undefined ? ` (Flesch-Douma ${l.fleschDouma}, ${l.zinnen} ${l.zinnen === 1 ? 'zin' : 'zinnen'}, koppen en opsommingen niet meegeteld)` : ''}.</p>
    ${lang.length ? html`<p class="utrecht-paragraph">${l.aantalLangeZinnen === 1 ? 'Deze zin is' : `Deze ${l.aantalLangeZinnen} zinnen zijn`} langer dan ${l.maxWoordenPerZin || 20} woorden; maak ${l.aantalLangeZinnen === 1 ? 'hem' : 'ze'} korter:</p>
      <ul class="omk-list">${lang.map((z) => html`<li class="omk-lange-zin">${z}</li>`)}</ul>` : ''}`;
}

function weergaveHtml(weergaven) {
  return WEERGAVEKANALEN.map(([k, naam], i) => {
    const w = weergaven[i];
    const inhoud = !w ? html`<p class="utrecht-paragraph">Niet beschikbaar voor dit kanaal.</p>`
      : w.formaat === 'text/html' ? raw(veiligeHtml(w.inhoud)) : html`<p class="utrecht-paragraph">${w.inhoud}</p>`;
    return html`<h3 class="utrecht-heading-3">${naam}</h3><div class="omk-preview omk-preview--html" data-kanaal="${k}">${inhoud}</div>`;
  });
}

/** While typing: every channel's rendition of the draft and its readability, nothing saved. */
async function liveVoorbeeld() {
  const status = document.getElementById('voorbeeld-status');
  if (!huidig) {
    document.getElementById('opslaan-status').textContent = 'Sla het artikel eerst op als concept; daarna ziet u tijdens het typen hoe elk kanaal het toont.';
    return;
  }
  const concept = { kortAntwoord: form.elements.kortAntwoord.value, antwoord: form.elements.antwoord.value };
  const mijn = ++beurt;
  const weergaven = await Promise.all(WEERGAVEKANALEN.map(([k]) =>
    api('POST', `${KENNISBANK}/artikelen/${huidig.uuid}/weergave/${k}`, { concept }).catch(() => null)));
  if (mijn !== beurt) return;
  document.getElementById('voorbeeld').hidden = false;
  document.getElementById('voorbeeld-kop').textContent = 'Voorbeeld van uw tekst (nog niet opgeslagen)';
  const l = (weergaven.find((w) => w && w.leesbaarheid) || {}).leesbaarheid;
  render(document.getElementById('leesbaarheid'), l ? leesbaarheid(l, 'van uw tekst') : html``);
  render(document.getElementById('weergaven'), weergaveHtml(weergaven));
  status.textContent = 'Voorbeeld bijgewerkt.';
}

async function voorbeeld(a) {
  const box = document.getElementById('voorbeeld');
  box.hidden = false;
  document.getElementById('voorbeeld-kop').textContent = 'Zo ziet elk kanaal het opgeslagen artikel';
  render(document.getElementById('leesbaarheid'), html`${leesbaarheid(a.leesbaarheid || {}, 'van de opgeslagen versie')}<p class="utrecht-paragraph">Versie ${a.versie}, status ${a.status}.</p>`);
  const mijn = ++beurt;
  const weergaven = await Promise.all(WEERGAVEKANALEN.map(([k]) => api('GET', `${KENNISBANK}/artikelen/${a.uuid}/weergave/${k}`).catch(() => null)));
  if (mijn !== beurt) return;
  render(document.getElementById('weergaven'), weergaveHtml(weergaven));
  try {
    const v = await api('GET', `${KENNISBANK}/artikelen/${a.uuid}/versies?pageSize=20`);
    render(document.getElementById('versies'), v.results.map((x) => html`<li>Versie ${x.versie} · ${datum(x.gewijzigdOp)} · ${x.gewijzigdDoor}${x.gewijzigdeVelden && x.gewijzigdeVelden.length ? ` · gewijzigd: ${x.gewijzigdeVelden.join(', ')}` : ''}</li>`));
  } catch { render(document.getElementById('versies'), html`<li>Versies konden niet worden geladen.</li>`); }
}

async function opslaan() {
  clearTimeout(wacht);
  beurt++;
  clearErrors(form);
  const f = form.elements;
  const body = {
    titel: f.titel.value.trim(), vragen: f.vragen.value.split('\n').map((s) => s.trim()).filter(Boolean),
    kortAntwoord: f.kortAntwoord.value.trim(), antwoord: f.antwoord.value, product: f.product.value.trim(),
    laag: f.laag.value, doelgroep: f.doelgroep.value, status: f.status.value,
    reviewdatum: f.reviewdatum.value || null,
  };
  try {
    const a = huidig ? await api('PATCH', `${KENNISBANK}/artikelen/${huidig.uuid}`, body) : await api('POST', `${KENNISBANK}/artikelen`, body);
    huidig = a;
    document.getElementById('editor-kop').textContent = `Artikel bewerken: ${a.titel}`;
    document.getElementById('opslaan-status').textContent = `Opgeslagen als versie ${a.versie} (${a.status}).`;
    announce(`Artikel opgeslagen als versie ${a.versie}.`);
    await Promise.all([voorbeeld(a), lijst(), review()]);
  } catch (e) {
    showErrors(form, e);
  }
}

/** The municipality-wide synonym groups, each with a button that removes it. */
async function synoniemen() {
  const box = document.getElementById('synoniemen');
  let r;
  try {
    r = await api('GET', `${KENNISBANK}/synoniemen`);
  } catch {
    render(box, html`<li>De synoniemen konden niet worden geladen.</li>`);
    return;
  }
  render(box, r.results.length ? r.results.map((g, i) => html`<li>${g.termen.join(', ')}
    <button type="button" class="utrecht-button utrecht-button--subtle" data-synoniem="${i}"
      aria-label="${`Groep ${g.termen.join(', ')} verwijderen`}">Verwijderen</button></li>`)
    : html`<li>Nog geen synoniemen.</li>`);
  box.querySelectorAll('[data-synoniem]').forEach((b) => b.addEventListener('click', () => synoniemVerwijderen(r.results[Number(b.dataset.synoniem)])));
}

async function synoniemToevoegen() {
  clearErrors(synoniemForm);
  const status = document.getElementById('synoniem-status');
  const termen = synoniemForm.elements.termen.value.split(',').map((t) => t.trim()).filter(Boolean);
  try {
    const g = await api('POST', `${KENNISBANK}/synoniemen`, { termen });
    synoniemForm.reset();
    status.textContent = `Groep toegevoegd: ${g.termen.join(', ')}.`;
    announce(status.textContent);
    await synoniemen();
  } catch (e) {
    // A bad term is named by its place ("termen.2"): shown at the one field, with the term.
    const params = (e.problem && e.problem.invalidParams) || [];
    const opVeld = params.map((p) => {
      const m = /^termen\.(\d+)$/.exec(p.name);
      return m ? { ...p, name: 'termen', reason: `${termen[Number(m[1])] ?? ''}: ${p.reason}` } : p;
    });
    const samen = opVeld.filter((p) => p.name === 'termen').map((p) => p.reason).join(' ');
    const rest = opVeld.filter((p) => p.name !== 'termen');
    const problem = e.problem ? { ...e.problem, invalidParams: samen ? [{ name: 'termen', reason: samen }, ...rest] : rest } : e.problem;
    showErrors(synoniemForm, e instanceof ApiError ? new ApiError(e.status, problem) : e);
  }
}

async function synoniemVerwijderen(g) {
  const status = document.getElementById('synoniem-status');
  try {
    await api('DELETE', `${KENNISBANK}/synoniemen/${g.uuid}`);
    status.textContent = `Groep verwijderd: ${g.termen.join(', ')}.`;
  } catch {
    status.textContent = 'De groep kon niet worden verwijderd. Probeer het opnieuw.';
  }
  announce(status.textContent);
  await synoniemen();
}
