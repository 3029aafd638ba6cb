// The werkvoorraad in the KCC-werkplek: every inbound item that needs an answer (e-mail,
// WhatsApp, other channels, chats waiting, post, contactverzoeken) as one list with filters
// (kanaal, team, status, mine), earliest deadline first and paged, kept current by the agent's
// event stream (`werkvoorraad` events). An item opens beside the list: its thread, internal
// notes, the claim (one employee at a time: the server says who has it), the answer through the
// item's own channel (the kennisbank's short answer as a start; in WhatsApp, outside the 24-hour
// window, only an approved template — the form says so), a note, and closing with the result.
// "Werkvoorraad" in the contact bar switches between the werkvoorraad and the contacts.
import { api, announce, showErrors, clearErrors, ApiError, datum } from './app.js';
import { html, render } from './html.js';
import { KANALEN, KENNISBANK } from './paden.js';
import { staat } from './werkplek/staat.js';

const PAGINA = 20;
const STATUS = { nieuw: 'Nieuw', in_behandeling: 'In behandeling', beantwoord: 'Beantwoord', afgehandeld: 'Afgehandeld' };
const KANAAL = { 'e-mail': 'E-mail', whatsapp: 'WhatsApp', chat: 'Chat', 'social media': 'Social media', post: 'Post',
  telefoon: 'Telefoon', website: 'Website', balie: 'Balie' };
const DAG = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' });
const dag = (d) => (d ? DAG.format(new Date(`${d}T12:00:00Z`)) : '');

const wv = { ik: null, pagina: 1, open: null, item: null, herlaad: null, levend: null, sjablonen: null };

const $ = (id) => document.getElementById(id);
const kanaalNaam = (k) => KANAAL[k] || k;
const inwoner = (it) => (it.partij ? (it.naam || 'Bekende inwoner') : `${it.naam || it.adres || 'Afzender'} (onbekend)`);

/** Wires the werkvoorraad for employee `ik` (after the chat inbox opened the event stream); its
 * list loads when it is first shown. */
export async function startWerkvoorraad(ik) {
  wv.ik = ik;
  $('wv-schakel').addEventListener('click', () => toon($('werkvoorraad').hidden));
  const filters = $('wv-filters');
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); wv.pagina = 1; laad(); });
  filters.addEventListener('change', () => { wv.pagina = 1; laad(); });
  $('wv-team').addEventListener('input', () => { clearTimeout(wv.typen); wv.typen = setTimeout(() => { wv.pagina = 1; laad(); }, 400); });
  // The page's one event stream (opened by werkplek/chat.js): a second would double the
  // connections and the replays.
  const stream = staat.stroom;
  stream.addEventListener('werkvoorraad', (ev) => bijgewerkt(JSON.parse(ev.data)));
  stream.addEventListener('verouderd', () => bijgewerkt({}));
  if (new URLSearchParams(location.search).get('werkvoorraad') === '1') await toon(true);
}

/** Shows (true) or hides the werkvoorraad; the contact panes make room for it. */
async function toon(aan) {
  $('werkvoorraad').hidden = !aan;
  $('wv-schakel').setAttribute('aria-expanded', String(aan));
  $('inhoud').classList.toggle('omk-werkplek--werkvoorraad', aan);
  if (aan) {
    await laad();
    $('wv-kop').focus();
  }
}

/** A change announced on the stream: the list (and the open item) again, at most every 300 ms. */
function bijgewerkt(ev) {
  if ($('werkvoorraad').hidden) return;
  clearTimeout(wv.herlaad);
  wv.herlaad = setTimeout(async () => {
    await laad();
    if (wv.open && (!ev.item || ev.item === wv.open)) await openItem(wv.open, { focus: false });
  }, 300);
}

function query() {
  const f = $('wv-filters').elements;
  const q = new URLSearchParams({ status: f.status.value, page: String(wv.pagina), pageSize: String(PAGINA) });
  if (f.kanaal.value) q.set('kanaal', f.kanaal.value);
  if (f.team.value.trim()) q.set('team', f.team.value.trim());
  if (f.mijn.checked) q.set('mijn', 'true');
  return q;
}

async function laad() {
  let r;
  try {
    r = await api('GET', `${KANALEN}/werkvoorraad?${query()}`);
  } catch (e) {
    $('wv-status').textContent = `De werkvoorraad kon niet worden geladen: ${e.message}`;
    return;
  }
  const rijKnop = document.activeElement?.dataset?.item;
  $('wv-schakel').textContent = `Werkvoorraad (${r.count})`;
  $('wv-status').textContent = r.count ? `${r.count} item${r.count === 1 ? '' : 's'}, vroegste deadline eerst.` : 'Geen items met deze filters.';
  render($('wv-rijen'), r.results.map((it) => html`<tr class="utrecht-table__row${it.teLaat ? ' omk-te-laat' : ''}${it.uuid === wv.open ? ' omk-wv-gekozen' : ''}">
    <td class="utrecht-table__cell" data-label="Onderwerp">
      <button type="button" class="omk-wv-open" data-item="${it.uuid}"${it.uuid === wv.open ? html` aria-current="true"` : ''}>${it.onderwerp || '(geen onderwerp)'}</button>
      <span class="omk-wv-preview">${it.laatsteBericht.richting === 'uit' ? 'Wij: ' : ''}${it.laatsteBericht.tekst}</span>
    </td>
    <td class="utrecht-table__cell omk-nowrap" data-label="Kanaal">${kanaalNaam(it.kanaal)}</td>
    <td class="utrecht-table__cell" data-label="Inwoner">${inwoner(it)}</td>
    <td class="utrecht-table__cell omk-nowrap" data-label="Deadline">${dag(it.deadline)}${it.teLaat ? html` <span class="omk-badge omk-badge--fout">te laat</span>` : ''}</td>
    <td class="utrecht-table__cell" data-label="Status">${STATUS[it.status] || it.status}${it.geclaimd ? html`<br><span class="omk-hint">${it.geclaimd.door === wv.ik ? 'door u' : `door ${it.geclaimd.door}`}</span>` : ''}${it.team ? html`<br><span class="omk-hint">team ${it.team}</span>` : ''}</td>
  </tr>`));
  $('wv-rijen').querySelectorAll('[data-item]').forEach((b) => {
    b.addEventListener('click', () => openItem(b.dataset.item));
    if (b.dataset.item === rijKnop) b.focus(); /* a redraw keeps the keyboard where it was */
  });
  const knoppen = [];
  if (r.previous) knoppen.push(html`<button type="button" class="utrecht-button utrecht-button--secondary-action" data-pagina="-1">Vorige pagina</button>`);
  if (r.next) knoppen.push(html`<button type="button" class="utrecht-button utrecht-button--secondary-action" data-pagina="1">Volgende pagina</button>`);
  if (knoppen.length) knoppen.unshift(html`<p class="omk-hint">Pagina ${wv.pagina} van ${Math.max(1, Math.ceil(r.count / PAGINA))}</p>`);
  render($('wv-paginas'), knoppen);
  $('wv-paginas').querySelectorAll('[data-pagina]').forEach((b) => b.addEventListener('click', async () => {
    wv.pagina += Number(b.dataset.pagina);
    await laad();
    $('wv-kop').focus();
  }));
}

/** Opens item `uuid` beside the list: the thread, notes and what the employee can do. */
async function openItem(uuid, { focus = true } = {}) {
  let it;
  try {
    it = await api('GET', `${KANALEN}/werkvoorraad/${uuid}`);
  } catch (e) {
    announce(`Het item kon niet worden geopend: ${e.message}`);
    return;
  }
  wv.open = uuid;
  wv.item = it;
  $('wv-rijen').querySelectorAll('[data-item]').forEach((b) => {
    if (b.dataset.item === uuid) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  });
  if (it.whatsappVenster && !it.whatsappVenster.open && it.geclaimd?.door === wv.ik && !wv.sjablonen) {
    wv.sjablonen = (await api('GET', `${KANALEN}/whatsappsjablonen?goedgekeurd=true&pageSize=100`)).results;
  }
  tekenItem(it);
  houdLevend(it);
  if (focus) $('wv-item-kop').focus();
}

/** While the employee holds the open item, the claim is renewed every 4 minutes. */
function houdLevend(it) {
  clearInterval(wv.levend);
  if (it.geclaimd?.door !== wv.ik || it.status === 'afgehandeld') return;
  wv.levend = setInterval(() => {
    if (wv.open === it.uuid) api('POST', `${KANALEN}/werkvoorraad/${it.uuid}/claimen`).catch(() => {});
  }, 240000);
}

function draad(it) {
  return html`<ol class="omk-list omk-chatberichten omk-wv-draad" aria-labelledby="wv-draad-kop">${it.draad.map((b) => html`<li class="${b.richting === 'uit' ? 'omk-bericht omk-bericht--uit' : 'omk-bericht'}">
      <strong>${b.richting === 'uit' ? (b.afzender || 'Gemeente') : (b.afzender || 'Inwoner')}</strong>
      <span class="omk-hint">${datum(b.tijdstip)}</span>${b.status && b.status.startsWith('mislukt') ? html` <span class="omk-badge omk-badge--fout">${b.status}</span>` : ''}
      <span class="omk-wv-tekst">${b.tekst}</span></li>`)}</ol>`;
}

// What the employee is typing survives a redraw of the same item (a stream event while they
// type), and so does the focus.
const VELDEN = ['wv-tekst', 'wv-notitie-tekst', 'wv-resultaat', 'wv-parameters', 'wv-kb-q', 'wv-sjabloon'];

function tekenItem(it) {
  const zelfde = wv.getekend === it.uuid;
  const bewaard = zelfde ? VELDEN.map((id) => [id, $(id)?.value]) : [];
  const actief = zelfde && $('wv-item').contains(document.activeElement) ? document.activeElement.id : null;
  tekenItemOpnieuw(it);
  for (const [id, v] of bewaard) if (v !== undefined && $(id)) $(id).value = v;
  if (actief && $(actief)) $(actief).focus();
  wv.getekend = it.uuid;
}

function tekenItemOpnieuw(it) {
  const mijn = it.geclaimd?.door === wv.ik;
  const open = it.status !== 'afgehandeld';
  const kanAntwoorden = mijn && open && it.soort === 'gesprek' && it.kanaal !== 'chat';
  const venster = it.whatsappVenster;
  const dicht = venster && !venster.open;
  render($('wv-item'), html`
    <h2 class="utrecht-heading-2" id="wv-item-kop" tabindex="-1">${it.onderwerp || '(geen onderwerp)'}</h2>
    <dl class="omk-dl">
      <dt>Kanaal</dt><dd>${kanaalNaam(it.kanaal)}</dd>
      <dt>Inwoner</dt><dd>${inwoner(it)}${it.adres ? html` <span class="omk-hint">${it.adres}</span>` : ''}</dd>
      <dt>Deadline</dt><dd>${dag(it.deadline)} (${it.servicenorm.werkdagen} werkdagen)${it.teLaat ? html` <span class="omk-badge omk-badge--fout">te laat</span>` : ''}</dd>
      <dt>Status</dt><dd>${STATUS[it.status] || it.status}${it.resultaat ? `: ${it.resultaat}` : ''}</dd>
      <dt>Team</dt><dd>${it.team || 'Geen team'}</dd>
      <dt>Geclaimd</dt><dd>${it.geclaimd ? (mijn ? 'Door u' : `Door ${it.geclaimd.door}`) : 'Door niemand'}</dd>
    </dl>
    <div id="wv-melding" role="alert">${wv.melding && wv.melding.item === it.uuid ? html`<div class="utrecht-alert utrecht-alert--error"><div class="utrecht-alert__content"><p class="utrecht-paragraph">${wv.melding.tekst}</p></div></div>` : ''}</div>
    ${open ? html`<div class="omk-actions">${mijn
      ? html`<button type="button" class="utrecht-button utrecht-button--secondary-action" id="wv-vrijgeven">Vrijgeven</button>`
      : it.geclaimd ? '' : html`<button type="button" class="utrecht-button utrecht-button--primary-action" id="wv-claimen">Claimen</button>`}</div>` : ''}
    ${it.kanaal === 'chat' && open ? html`<p class="omk-hint">Een chat beantwoordt u in het chatvenster: na het claimen staat hij bij uw actieve contacten en wachtende chats.</p>` : ''}
    <h3 class="utrecht-heading-3" id="wv-draad-kop">Draad</h3>
    ${draad(it)}
    ${kanAntwoorden ? html`<form id="wv-antwoord" novalidate>
      <div class="omk-summary"></div>
      <h3 class="utrecht-heading-3">Antwoorden via ${kanaalNaam(it.kanaal)}</h3>
      ${dicht ? html`<div class="utrecht-alert utrecht-alert--warning" id="wv-venster"><div class="utrecht-alert__content">
          <p class="utrecht-paragraph">Het 24-uursvenster van WhatsApp is gesloten${venster.sluitOp ? ` sinds ${datum(venster.sluitOp)}` : ''}. U kunt alleen een goedgekeurd sjabloon sturen; vrije tekst mag pas weer als de inwoner reageert.</p></div></div>
        <div class="omk-field omk-field--select">
          <label class="utrecht-form-label" for="wv-sjabloon">Sjabloon</label>
          <select class="utrecht-select utrecht-select--html-select" id="wv-sjabloon" name="sjabloon.naam" data-veld="sjabloon.naam">
            ${(wv.sjablonen || []).map((s) => html`<option value="${s.naam}">${s.naam}: ${s.tekst}</option>`)}
          </select>
        </div>
        <div class="omk-field">
          <label class="utrecht-form-label" for="wv-parameters">Waarden voor het sjabloon</label>
          <p class="omk-hint" id="wv-parameters-hint">Eén waarde per regel, in de volgorde {{1}}, {{2}}, …</p>
          <textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="wv-parameters" name="parameters" data-veld="sjabloon.parameters" rows="2" aria-describedby="wv-parameters-hint"></textarea>
        </div>`
      : html`<div class="omk-field">
          <label class="utrecht-form-label" for="wv-tekst">Uw antwoord</label>
          ${venster ? html`<p class="omk-hint" id="wv-venster-hint">Vrije tekst kan tot ${datum(venster.sluitOp)} (24 uur na het laatste bericht van de inwoner).</p>` : ''}
          <textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="wv-tekst" name="tekst" data-veld="tekst" rows="5"${venster ? html` aria-describedby="wv-venster-hint"` : ''}></textarea>
        </div>
        <div class="omk-row omk-wv-kb">
          <div class="omk-field omk-field--groei">
            <label class="utrecht-form-label" for="wv-kb-q">Kort antwoord uit de kennisbank</label>
            <input class="utrecht-textbox utrecht-textbox--html-input" type="search" id="wv-kb-q" autocomplete="off" value="${it.onderwerp || ''}">
          </div>
          <div class="omk-field omk-field--knop"><button type="button" class="utrecht-button utrecht-button--secondary-action" id="wv-kb-zoek">Zoek kort antwoord</button></div>
        </div>
        <ul class="omk-list omk-wv-kb-resultaten" id="wv-kb-resultaten" aria-live="polite"></ul>`}
      <div class="omk-actions"><button type="submit" class="utrecht-button utrecht-button--primary-action">${dicht ? 'Sjabloon versturen' : 'Antwoord versturen'}</button></div>
    </form>` : ''}
    <h3 class="utrecht-heading-3" id="wv-notities-kop">Interne notities</h3>
    ${it.notities.length ? html`<ul class="omk-list" aria-labelledby="wv-notities-kop">${it.notities.map((n) => html`<li><strong>${n.door}</strong> <span class="omk-hint">${datum(n.tijdstip)}</span>: ${n.tekst}</li>`)}</ul>`
      : html`<p class="omk-hint">Nog geen notities.</p>`}
    ${open ? html`<form id="wv-notitie" novalidate>
      <div class="omk-summary"></div>
      <div class="omk-field">
        <label class="utrecht-form-label" for="wv-notitie-tekst">Interne notitie (de inwoner ziet die niet)</label>
        <textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="wv-notitie-tekst" name="tekst" data-veld="tekst" rows="2"></textarea>
      </div>
      <div class="omk-actions"><button type="submit" class="utrecht-button utrecht-button--secondary-action">Notitie opslaan</button></div>
    </form>` : ''}
    ${open && mijn && it.kanaal !== 'chat' ? html`<form id="wv-afsluiten" novalidate>
      <div class="omk-summary"></div>
      <h3 class="utrecht-heading-3">Afsluiten</h3>
      <div class="omk-field">
        <label class="utrecht-form-label" for="wv-resultaat">Resultaat</label>
        <input class="utrecht-textbox utrecht-textbox--html-input" id="wv-resultaat" name="resultaat" data-veld="resultaat" maxlength="1000">
      </div>
      ${it.soort === 'contactverzoek' ? html`<div class="omk-field">
        <input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="wv-gelukt" name="contactGelukt" checked>
        <label class="utrecht-form-label utrecht-form-label--checkbox" for="wv-gelukt">Inwoner bereikt</label>
      </div>` : ''}
      <div class="omk-actions"><button type="submit" class="utrecht-button utrecht-button--secondary-action">Item afsluiten</button></div>
    </form>` : ''}`);
  koppelItem(it);
}

/** Runs a change; on success reloads the item and the list. A refusal without a form (a claim
 * someone else won) stays above the item, also when the stream redraws it, until the next
 * change. */
async function wijzig(pad, body, geslaagd, form) {
  wv.melding = null;
  try {
    if (form) clearErrors(form);
    await api('POST', `${KANALEN}/werkvoorraad/${wv.open}/${pad}`, body);
    if (form) form.reset(); /* sent: not kept as a draft */
    announce(geslaagd);
    await openItem(wv.open, { focus: false });
    await laad();
    return true;
  } catch (e) {
    if (form && e instanceof ApiError && e.status === 400) showErrors(form, e);
    else if (form) showErrors(form, e, 'Dat lukte niet');
    else {
      wv.melding = { item: wv.open, tekst: e.message };
      await openItem(wv.open, { focus: false });
      $('wv-melding').focus?.();
      announce(e.message);
    }
    return false;
  }
}

function koppelItem(it) {
  $('wv-claimen')?.addEventListener('click', async () => {
    if (await wijzig('claimen', undefined, 'U heeft het item geclaimd.')) ($('wv-tekst') || $('wv-sjabloon') || $('wv-notitie-tekst'))?.focus();
  });
  $('wv-vrijgeven')?.addEventListener('click', async () => {
    if (await wijzig('vrijgeven', undefined, 'Het item is vrijgegeven.')) $('wv-item-kop').focus();
  });
  $('wv-kb-zoek')?.addEventListener('click', zoekKortAntwoord);
  $('wv-kb-q')?.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); zoekKortAntwoord(); } });
  $('wv-antwoord')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    let body;
    if (form.elements['sjabloon.naam']) {
      const parameters = form.elements.parameters.value.split('\n').map((s) => s.trim()).filter(Boolean);
      body = { sjabloon: { naam: form.elements['sjabloon.naam'].value, parameters } };
    } else {
      const tekst = form.elements.tekst.value.trim();
      if (!tekst) {
        showErrors(form, new ApiError(400, { invalidParams: [{ name: 'tekst', reason: 'Typ eerst een antwoord.' }] }));
        return;
      }
      body = { tekst };
    }
    if (await wijzig('antwoorden', body, `Antwoord verstuurd via ${kanaalNaam(it.kanaal)}.`, form)) $('wv-draad-kop').focus();
  });
  $('wv-notitie')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const tekst = ev.target.elements.tekst.value.trim();
    if (!tekst) {
      showErrors(ev.target, new ApiError(400, { invalidParams: [{ name: 'tekst', reason: 'Typ eerst een notitie.' }] }));
      return;
    }
    if (await wijzig('notities', { tekst }, 'Notitie opgeslagen.', ev.target)) $('wv-notities-kop').focus();
  });
  $('wv-afsluiten')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const body = { resultaat: f.resultaat.value.trim() };
    if (f.contactGelukt) body.contactGelukt = f.contactGelukt.checked;
    if (await wijzig('afsluiten', body, 'Het item is afgesloten.', ev.target)) $('wv-item-kop').focus();
  });
}

/** The kennisbank's short answers for the question; "Gebruik als antwoord" puts one in the box. */
async function zoekKortAntwoord() {
  const q = $('wv-kb-q').value.trim();
  const lijst = $('wv-kb-resultaten');
  if (!q) return;
  let r;
  try {
    r = await api('POST', `${KENNISBANK}/_zoek`, { q, pageSize: 3 });
  } catch (e) {
    render(lijst, html`<li>De kennisbank gaf geen antwoord: ${e.message}</li>`);
    return;
  }
  const met = (r.results || []).filter((a) => a.kortAntwoord);
  render(lijst, met.length ? met.map((a, i) => html`<li>
      <strong>${a.titel}</strong>
      <p class="utrecht-paragraph" id="wv-kort-${i}">${a.kortAntwoord}</p>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" data-kort="${i}" aria-describedby="wv-kort-${i}">Gebruik als antwoord</button>
    </li>`) : html`<li>Geen kort antwoord gevonden.</li>`);
  lijst.querySelectorAll('[data-kort]').forEach((b) => b.addEventListener('click', () => {
    const t = $('wv-tekst');
    t.value = met[Number(b.dataset.kort)].kortAntwoord;
    t.focus();
    announce('Het korte antwoord staat in het antwoordveld; pas het aan waar nodig.');
  }));
}
