// The kennisbank beside the contactmoment: results while typing, the short answer to copy, the
// answer as the chosen kanaal gets it, and "Gebruikt bij vraag N" to record an article with a
// question of the contactmoment.
import { api, announce, ApiError } from '../app.js';
import { html, render } from '../html.js';
import { KENNISBANK } from '../paden.js';
import { staat } from './staat.js';

let kbTimer = null;
let kbVolg = 0;
let kbResultaten = [];
let opGebruik = () => {};

async function kbZoek() {
  const q = document.getElementById('kb-q').value.trim();
  const status = document.getElementById('kb-status');
  const lijst = document.getElementById('kb-resultaten');
  const volg = ++kbVolg;
  if (q.length < 2) {
    lijst.replaceChildren();
    status.textContent = '';
    return;
  }
  const kanaal = document.getElementById('kanaal').value;
  try {
    const r = await api('POST', `${KENNISBANK}/_zoek`, { q, pageSize: 5 });
    if (volg !== kbVolg) return;
    kbResultaten = r.results;
    status.textContent = r.count ? `${r.count} ${r.count === 1 ? 'artikel' : 'artikelen'} gevonden` : 'Geen artikelen gevonden';
    render(lijst, r.results.map((a, i) => html`<li>
      <h3 class="utrecht-heading-4">${a.titel}</h3>
      <p class="utrecht-paragraph" id="kb-kort-${i}">${a.kortAntwoord}</p>
      <details><summary>Antwoord voor kanaal ${kanaal}</summary><div class="omk-preview" data-weergave="${i}">Laden…</div></details>
      <div class="omk-actions">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" data-kopieer="${i}">Kopieer kort antwoord<span class="omk-visually-hidden"> van ${a.titel}</span></button>
        <span data-gebruik="${i}"></span>
      </div></li>`));
    lijst.querySelectorAll('[data-kopieer]').forEach((b) => b.addEventListener('click', async () => {
      const a = kbResultaten[Number(b.dataset.kopieer)];
      try { await navigator.clipboard.writeText(a.kortAntwoord); announce('Kort antwoord gekopieerd.'); } catch { announce('Kopiëren lukte niet; selecteer de tekst zelf.'); }
    }));
    lijst.querySelectorAll('details').forEach((d, i) => d.addEventListener('toggle', async () => {
      if (!d.open) return;
      const box = d.querySelector('[data-weergave]');
      try {
        const w = await api('GET', `${KENNISBANK}/artikelen/${kbResultaten[i].uuid}/weergave/${encodeURIComponent(document.getElementById('kanaal').value === 'telefoon' ? 'telefoon' : document.getElementById('kanaal').value === 'chat' ? 'chat' : 'web')}`);
        box.textContent = w.formaat === 'text/html' ? new DOMParser().parseFromString(w.inhoud, 'text/html').body.textContent : w.inhoud;
      } catch { box.textContent = 'Kon het antwoord niet laden.'; }
    }));
    werkKnoppenBij();
  } catch (e) {
    if (volg === kbVolg) status.textContent = e instanceof ApiError && e.problem.invalidParams ? e.problem.invalidParams[0].reason : 'Zoeken lukte niet.';
  }
}

/** One "Gebruikt bij vraag N" button per question under every result (the contactmoment calls
 * this whenever its number of questions may have changed). */
export function werkKnoppenBij() {
  document.querySelectorAll('[data-gebruik]').forEach((slot) => {
    const i = Number(slot.dataset.gebruik);
    const a = kbResultaten[i];
    if (!a) return;
    render(slot, staat.vragen.map((_, v) => html`${v ? ' ' : ''}<button type="button" class="utrecht-button utrecht-button--secondary-action" data-bij="${i}:${v}">Gebruikt bij vraag ${v + 1}<span class="omk-visually-hidden">: ${a.titel}</span></button>`));
    slot.querySelectorAll('[data-bij]').forEach((b) => b.addEventListener('click', () => {
      const [ai, vi] = b.dataset.bij.split(':').map(Number);
      const art = kbResultaten[ai];
      opGebruik(vi, art);
      announce(`${art.titel} toegevoegd aan vraag ${vi + 1}.`);
      b.focus?.();
      const nieuw = document.querySelector(`[data-bij="${ai}:${vi}"]`);
      if (nieuw) nieuw.focus();
    }));
  });
}

/** Search as you type; `gebruikt(vi, artikel)` records an article with question `vi`. */
export function koppelKennisbank(gebruikt) {
  opGebruik = gebruikt;
  document.getElementById('kb-form').addEventListener('submit', (ev) => { ev.preventDefault(); kbZoek(); });
  document.getElementById('kb-q').addEventListener('input', () => {
    clearTimeout(kbTimer);
    kbTimer = setTimeout(kbZoek, 250);
  });
}
