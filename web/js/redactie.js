// Kennisbank editor: articles, the Markdown editor with every channel's rendition of the saved
// version, B1 readability, versions, publishing; the review queue and the content gaps.
import { api, requireSession, datum, showErrors, clearErrors, announce } from './app.js';
import { html, raw, render } from './html.js';
import { KENNISBANK } from './paden.js';

const WEERGAVEKANALEN = [['web', 'Website'], ['chat', 'Chat'], ['telefoon', 'Telefoon (belscript)']];
let huidig = null;

await requireSession(['redacteur']);
const form = document.getElementById('artikel-form');
form.addEventListener('submit', (ev) => { ev.preventDefault(); opslaan(); });
document.getElementById('publiceer').addEventListener('click', () => { form.elements.status.value = 'gepubliceerd'; opslaan(); });
document.getElementById('nieuw').addEventListener('click', () => { kies(null); document.getElementById('titel').focus(); });
await Promise.all([lijst(), review(), gaten()]);

async function lijst() {
  const r = await api('GET', `${KENNISBANK}/artikelen?pageSize=200`);
  render(document.getElementById('artikelen'), r.results.map((a, i) => html`<li>
    <button type="button" class="utrecht-button utrecht-button--subtle" data-artikel="${i}">${a.titel}</button>
    <span class="omk-badge">${a.status}</span> <span class="omk-hint">versie ${a.versie}</span></li>`));
  document.querySelectorAll('[data-artikel]').forEach((b) => b.addEventListener('click', () => kies(r.results[Number(b.dataset.artikel)])));
}

async function review() {
  const r = await api('GET', `${KENNISBANK}/reviewwachtrij`);
  render(document.getElementById('review'), r.results.length
    ? r.results.map((a) => html`<li>${a.titel} <span class="omk-badge omk-badge--fout">review sinds ${a.reviewdatum}</span></li>`)
    : html`<li>Geen artikelen over hun reviewdatum.</li>`);
}

async function gaten() {
  const r = await api('GET', `${KENNISBANK}/rapport`);
  const z = r.zoekvragenZonderResultaat || [];
  render(document.getElementById('gaten'), z.length
    ? z.map((g) => html`<li>${g.q ?? g.zoekvraag ?? g.tekst ?? JSON.stringify(g)}${g.aantal ? html` <span class="omk-badge">${g.aantal}×</span>` : ''}</li>`)
    : html`<li>Geen.</li>`);
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

async function voorbeeld(a) {
  const box = document.getElementById('voorbeeld');
  box.hidden = false;
  const l = a.leesbaarheid || {};
  render(document.getElementById('leesbaarheid'), html`Leesbaarheid: <strong>${l.niveau || 'onbekend'}</strong>${l.fleschDouma !== undefined ? ` (Flesch-Douma ${l.fleschDouma})` : ''}. Versie ${a.versie}, status ${a.status}.`);
  const weergaven = await Promise.all(WEERGAVEKANALEN.map(([k]) => api('GET', `${KENNISBANK}/artikelen/${a.uuid}/weergave/${k}`).catch(() => null)));
  render(document.getElementById('weergaven'), WEERGAVEKANALEN.map(([k, naam], i) => {
    const w = weergaven[i];
    const inhoud = !w ? html`<p class="utrecht-paragraph">Niet beschikbaar voor dit kanaal.</p>`
      : w.formaat === 'text/html' ? raw(veiligeHtml(w.inhoud)) : html`<p class="utrecht-paragraph">${w.inhoud}</p>`;
    return html`<h3 class="utrecht-heading-3">${naam}</h3><div class="omk-preview omk-preview--html" data-kanaal="${k}">${inhoud}</div>`;
  }));
  try {
    const v = await api('GET', `${KENNISBANK}/artikelen/${a.uuid}/versies?pageSize=20`);
    render(document.getElementById('versies'), v.results.map((x) => html`<li>Versie ${x.versie} · ${datum(x.gewijzigdOp)} · ${x.gewijzigdDoor}${x.gewijzigdeVelden && x.gewijzigdeVelden.length ? ` · gewijzigd: ${x.gewijzigdeVelden.join(', ')}` : ''}</li>`));
  } catch { render(document.getElementById('versies'), html`<li>Versies konden niet worden geladen.</li>`); }
}

async function opslaan() {
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
