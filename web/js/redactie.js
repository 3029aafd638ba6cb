// Kennisbank editor: articles, the Markdown editor with every channel's rendition of the saved
// version, B1 readability, versions, publishing; the review queue and the content gaps.
import { api, requireSession, esc, datum, showErrors, clearErrors, announce } from './app.js';

const KB = '/kennisbank/api/v1';
const KANALEN = [['web', 'Website'], ['chat', 'Chat'], ['telefoon', 'Telefoon (belscript)']];
let huidig = null;

await requireSession(['redacteur']);
const form = document.getElementById('artikel-form');
form.addEventListener('submit', (ev) => { ev.preventDefault(); opslaan(); });
document.getElementById('publiceer').addEventListener('click', () => { form.elements.status.value = 'gepubliceerd'; opslaan(); });
document.getElementById('nieuw').addEventListener('click', () => { kies(null); document.getElementById('titel').focus(); });
await Promise.all([lijst(), review(), gaten()]);

async function lijst() {
  const r = await api('GET', `${KB}/artikelen?pageSize=200`);
  document.getElementById('artikelen').innerHTML = r.results.map((a, i) => `<li>
    <button type="button" class="utrecht-button utrecht-button--subtle" data-artikel="${i}">${esc(a.titel)}</button>
    <span class="omk-badge">${esc(a.status)}</span> <span class="omk-hint">versie ${esc(a.versie)}</span></li>`).join('');
  document.querySelectorAll('[data-artikel]').forEach((b) => b.addEventListener('click', () => kies(r.results[Number(b.dataset.artikel)])));
}

async function review() {
  const r = await api('GET', `${KB}/reviewwachtrij`);
  document.getElementById('review').innerHTML = r.results.length
    ? r.results.map((a) => `<li>${esc(a.titel)} <span class="omk-badge omk-badge--fout">review sinds ${esc(a.reviewdatum)}</span></li>`).join('')
    : '<li>Geen artikelen over hun reviewdatum.</li>';
}

async function gaten() {
  const r = await api('GET', `${KB}/rapport`);
  const z = r.zoekvragenZonderResultaat || [];
  document.getElementById('gaten').innerHTML = z.length
    ? z.map((g) => `<li>${esc(g.q ?? g.zoekvraag ?? g.tekst ?? JSON.stringify(g))}${g.aantal ? ` <span class="omk-badge">${esc(g.aantal)}×</span>` : ''}</li>`).join('')
    : '<li>Geen.</li>';
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

/** Keeps only harmless markup of a server rendition (no scripts, handlers or frames). */
function veiligeHtml(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, style, iframe, object, embed, link, meta, form').forEach((n) => n.remove());
  doc.querySelectorAll('*').forEach((el) => {
    for (const at of [...el.attributes]) if (/^on|^style$|^src$|^srcdoc$/i.test(at.name) || /^\s*javascript:/i.test(at.value)) el.removeAttribute(at.name);
  });
  // Headings inside the preview sit below the preview's own heading level.
  doc.querySelectorAll('h1, h2, h3').forEach((h) => { const n = doc.createElement('h4'); n.innerHTML = h.innerHTML; h.replaceWith(n); });
  return doc.body.innerHTML;
}

async function voorbeeld(a) {
  const box = document.getElementById('voorbeeld');
  box.hidden = false;
  const l = a.leesbaarheid || {};
  document.getElementById('leesbaarheid').innerHTML = `Leesbaarheid: <strong>${esc(l.niveau || 'onbekend')}</strong>${l.fleschDouma !== undefined ? ` (Flesch-Douma ${esc(l.fleschDouma)})` : ''}. Versie ${esc(a.versie)}, status ${esc(a.status)}.`;
  const weergaven = await Promise.all(KANALEN.map(([k]) => api('GET', `${KB}/artikelen/${a.uuid}/weergave/${k}`).catch(() => null)));
  document.getElementById('weergaven').innerHTML = KANALEN.map(([k, naam], i) => {
    const w = weergaven[i];
    const inhoud = !w ? '<p class="utrecht-paragraph">Niet beschikbaar voor dit kanaal.</p>'
      : w.formaat === 'text/html' ? veiligeHtml(w.inhoud) : `<p class="utrecht-paragraph">${esc(w.inhoud)}</p>`;
    return `<h3 class="utrecht-heading-3">${esc(naam)}</h3><div class="omk-preview omk-preview--html" data-kanaal="${k}">${inhoud}</div>`;
  }).join('');
  try {
    const v = await api('GET', `${KB}/artikelen/${a.uuid}/versies?pageSize=20`);
    document.getElementById('versies').innerHTML = v.results.map((x) => `<li>Versie ${esc(x.versie)} · ${datum(x.gewijzigdOp)} · ${esc(x.gewijzigdDoor)}${x.gewijzigdeVelden && x.gewijzigdeVelden.length ? ` · gewijzigd: ${esc(x.gewijzigdeVelden.join(', '))}` : ''}</li>`).join('');
  } catch { document.getElementById('versies').innerHTML = '<li>Versies konden niet worden geladen.</li>'; }
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
    const a = huidig ? await api('PATCH', `${KB}/artikelen/${huidig.uuid}`, body) : await api('POST', `${KB}/artikelen`, body);
    huidig = a;
    document.getElementById('editor-kop').textContent = `Artikel bewerken: ${a.titel}`;
    document.getElementById('opslaan-status').textContent = `Opgeslagen als versie ${a.versie} (${a.status}).`;
    announce(`Artikel opgeslagen als versie ${a.versie}.`);
    await Promise.all([voorbeeld(a), lijst(), review()]);
  } catch (e) {
    showErrors(form, e);
  }
}
