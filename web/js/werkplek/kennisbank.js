// The kennisbank beside the contactmoment: results while typing, the short answer to copy, the
// whole article behind "Lees het hele artikel" (the server's web rendition, copied element by
// element through an allowlist, so no markup of the article's reaches the page unchecked), and
// "Gebruikt bij vraag N" to record an article with a question of the contactmoment.
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
  try {
    const r = await api('POST', `${KENNISBANK}/_zoek`, { q, pageSize: 5 });
    if (volg !== kbVolg) return;
    kbResultaten = r.results;
    const mee = q === meegezocht ? ' bij het onderwerp' : '';
    status.textContent = r.count ? `${r.count} ${r.count === 1 ? 'artikel' : 'artikelen'} gevonden${mee}` : `Geen artikelen gevonden${mee}`;
    render(lijst, r.results.map((a, i) => html`<li>
      <h3 class="utrecht-heading-3" id="kb-titel-${i}">${a.titel}</h3>
      <p class="utrecht-paragraph" id="kb-kort-${i}">${a.kortAntwoord}</p>
      <details class="omk-kb-artikel"><summary>Lees het hele artikel<span class="omk-visually-hidden">: ${a.titel}</span></summary><div class="omk-artikeltekst" data-weergave="${i}" aria-labelledby="kb-titel-${i}" role="region">Laden…</div></details>
      <div class="omk-actions">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" data-kopieer="${i}">Kopieer kort antwoord<span class="omk-visually-hidden"> van ${a.titel}</span></button>
        <span data-gebruik="${i}"></span>
      </div></li>`));
    lijst.querySelectorAll('[data-kopieer]').forEach((b) => b.addEventListener('click', async () => {
      const a = kbResultaten[Number(b.dataset.kopieer)];
      try { await navigator.clipboard.writeText(a.kortAntwoord); announce('Kort antwoord gekopieerd.'); } catch { announce('Kopiëren lukte niet; selecteer de tekst zelf.'); }
    }));
    lijst.querySelectorAll('details').forEach((d, i) => d.addEventListener('toggle', () => {
      if (d.open && !d.dataset.geladen) toonArtikel(d, kbResultaten[i]);
    }));
    werkKnoppenBij();
  } catch (e) {
    if (volg === kbVolg) status.textContent = e instanceof ApiError && e.problem.invalidParams ? e.problem.invalidParams[0].reason : 'Zoeken lukte niet.';
  }
}

/** Elements an article's text may have, and what each becomes (headings sit below the
 * article's own title); every other element gives only its text, and these give nothing. */
const TOEGESTAAN = {
  P: 'p', UL: 'ul', OL: 'ol', LI: 'li', STRONG: 'strong', B: 'strong', EM: 'em', I: 'em', CODE: 'code',
  PRE: 'pre', BR: 'br', HR: 'hr', BLOCKQUOTE: 'blockquote', A: 'a', H1: 'h4', H2: 'h4', H3: 'h5',
  H4: 'h5', H5: 'h5', H6: 'h5', TABLE: 'table', THEAD: 'thead', TBODY: 'tbody', TR: 'tr', TH: 'th', TD: 'td',
};
const WEG = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'FORM']);

/** Copies `bron`'s children into `doel` as new elements of the allowlist, with no attribute but
 * a link's http(s) or same-site href: the article's HTML is read, never inserted. */
function kopieer(bron, doel) {
  for (const n of bron.childNodes) {
    if (n.nodeType === Node.TEXT_NODE) {
      doel.append(n.textContent);
    } else if (n.nodeType === Node.ELEMENT_NODE && !WEG.has(n.tagName.toUpperCase())) {
      const naam = TOEGESTAAN[n.tagName.toUpperCase()];
      if (!naam) {
        kopieer(n, doel);
        continue;
      }
      const el = document.createElement(naam);
      if (naam === 'a') {
        const href = n.getAttribute('href') || '';
        if (/^https?:\/\//i.test(href) || /^\/(?!\/)/.test(href)) {
          el.href = href;
          el.className = 'utrecht-link';
          el.target = '_blank';
          el.rel = 'noopener noreferrer';
        }
      }
      kopieer(n, el);
      doel.append(el);
    }
  }
}

/** The whole article in its disclosure: the web rendition (structured); an article not meant
 * for the web gives its Markdown text as it is. */
async function toonArtikel(details, artikel) {
  const box = details.querySelector('[data-weergave]');
  try {
    let inhoud;
    try {
      const w = await api('GET', `${KENNISBANK}/artikelen/${artikel.uuid}/weergave/web`);
      inhoud = document.createDocumentFragment();
      kopieer(new DOMParser().parseFromString(w.inhoud, 'text/html').body, inhoud);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      const a = await api('GET', `${KENNISBANK}/artikelen/${artikel.uuid}`);
      inhoud = Object.assign(document.createElement('p'), { className: 'omk-preview', textContent: a.antwoord || a.kortAntwoord || '' });
    }
    box.replaceChildren(inhoud);
    details.dataset.geladen = 'ja';
  } catch {
    box.textContent = 'Het artikel kon niet worden geladen. Sluit en open het opnieuw om het nog eens te proberen.';
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
      const leeg = !staat.vragen[vi].reactie.trim();
      opGebruik(vi, art);
      announce(`${art.titel} toegevoegd aan vraag ${vi + 1}.${leeg && art.kortAntwoord ? ' Het korte antwoord staat bij Gegeven antwoord.' : ''}`);
      b.focus?.();
      const nieuw = document.querySelector(`[data-bij="${ai}:${vi}"]`);
      if (nieuw) nieuw.focus();
    }));
  });
}

let meegezocht = null;

/** Searches along with the subject the employee types in the contactmoment, so the pane is
 * not empty while the form is filled — only while the search field is empty or still holds
 * what was searched this way (a search of their own is never overwritten). */
export function zoekMee(onderwerp) {
  const veld = document.getElementById('kb-q');
  const t = onderwerp.trim();
  if ((veld.value.trim() && veld.value !== meegezocht) || t.length < 3) return;
  meegezocht = t;
  veld.value = t;
  clearTimeout(kbTimer);
  kbTimer = setTimeout(kbZoek, 600);
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
