// Omnikanaal chat widget: one script tag on the municipal website.
//   <script src="https://omnikanaal.gemeente.nl/kanalen/widget/omnikanaal-chat.js" defer
//           data-omnikanaal="https://omnikanaal.gemeente.nl" data-titel="Chat met de gemeente"></script>
// Adds a "Chat" button; the panel talks to /kanalen/api/v1/chat (POST for messages, Server-Sent
// Events for the answers). Keyboard: the button opens and focuses the message field, Escape
// closes and returns focus; new messages are announced (aria-live). Styling follows NL Design
// System tokens (--utrecht-*) when the page defines them, with plain fallbacks.
(() => {
  const me = document.currentScript;
  const base = (me && me.dataset.omnikanaal) || new URL(me ? me.src : location.href).origin;
  const api = `${base}/kanalen/api/v1/chat`;
  const title = (me && me.dataset.titel) || 'Chat met de gemeente';
  const KEY = 'omnikanaal-chat';

  const css = `
  .okc-knop,.okc-paneel button{font:inherit;font-family:var(--utrecht-button-font-family,"Fira Sans",sans-serif);
    background:var(--utrecht-button-primary-action-background-color,#01689b);color:var(--utrecht-button-primary-action-color,#fff);
    border:0;border-radius:var(--utrecht-button-border-radius,4px);padding:.6em 1.1em;cursor:pointer}
  .okc-knop{position:fixed;right:1.5rem;bottom:1.5rem;z-index:2147483000}
  .okc-knop:focus-visible,.okc-paneel :focus-visible{outline:3px solid var(--utrecht-focus-outline-color,#ffbf47);outline-offset:2px}
  .okc-paneel{position:fixed;right:1.5rem;bottom:5rem;width:min(24rem,calc(100vw - 3rem));max-height:70vh;display:flex;
    flex-direction:column;background:#fff;color:#1a1a1a;border:1px solid #8a8a8a;border-radius:6px;z-index:2147483000;
    font-family:var(--utrecht-document-font-family,"Fira Sans",sans-serif);box-shadow:0 4px 16px rgba(0,0,0,.2)}
  .okc-paneel[hidden]{display:none}
  .okc-kop{display:flex;justify-content:space-between;align-items:center;padding:.6rem .9rem;border-bottom:1px solid #ddd}
  .okc-kop h2{font-size:1.1rem;margin:0}
  .okc-log{flex:1;overflow:auto;padding:.6rem .9rem;margin:0;list-style:none}
  .okc-log li{margin:.35rem 0;padding:.45rem .6rem;border-radius:6px;background:#f3f3f3;max-width:85%}
  .okc-log li.okc-uit{background:#e5f0f7;margin-left:auto}
  .okc-log li.okc-info{background:none;font-style:italic;max-width:none}
  .okc-form{display:flex;gap:.5rem;padding:.6rem .9rem;border-top:1px solid #ddd}
  .okc-form input{flex:1;font:inherit;padding:.5rem;border:1px solid #555;border-radius:4px}
  .okc-verborgen{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}`;

  const el = (tag, props = {}, ...kids) => {
    const e = Object.assign(document.createElement(tag), props);
    for (const k of kids) e.append(k);
    return e;
  };

  function mount() {
    document.head.append(el('style', { textContent: css }));
    const knop = el('button', { className: 'okc-knop', type: 'button', textContent: 'Chat' });
    knop.setAttribute('aria-expanded', 'false');
    knop.setAttribute('aria-controls', 'okc-paneel');
    const log = el('ol', { className: 'okc-log' });
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', 'Berichten');
    const input = el('input', { id: 'okc-invoer', type: 'text', autocomplete: 'off', maxLength: 4000 });
    const label = el('label', { htmlFor: 'okc-invoer', className: 'okc-verborgen', textContent: 'Uw bericht' });
    const send = el('button', { type: 'submit', textContent: 'Verstuur' });
    const form = el('form', { className: 'okc-form' }, label, input, send);
    const sluit = el('button', { type: 'button', textContent: 'Sluiten' });
    const paneel = el('section', { id: 'okc-paneel', className: 'okc-paneel', hidden: true },
      el('div', { className: 'okc-kop' }, el('h2', { textContent: title }), sluit), log, form);
    paneel.setAttribute('aria-label', title);
    document.body.append(knop, paneel);

    let sessie = null;
    let events = null;
    const seen = new Set();
    const line = (text, cls) => { log.append(el('li', { className: cls || '', textContent: text })); log.scrollTop = log.scrollHeight; };
    const show = (b) => {
      if (seen.has(b.uuid)) return;
      seen.add(b.uuid);
      line(b.tekst, b.richting === 'uit' ? 'okc-uit' : '');
    };

    function listen() {
      if (events || !sessie) return;
      events = new EventSource(`${api}/sessies/${sessie.sessie}/gebeurtenissen?sessie=${encodeURIComponent(sessie.geheim)}`);
      events.addEventListener('bericht', (e) => show(JSON.parse(e.data)));
      events.addEventListener('status', (e) => status(JSON.parse(e.data)));
      // Missed messages the server no longer keeps: load the conversation so far.
      events.addEventListener('verouderd', () => { bijwerken().catch(() => {}); });
    }

    function status(s) {
      if (s.status === 'in_gesprek' && s.medewerker) line(`${s.medewerker} helpt u nu.`, 'okc-info');
      if (s.status === 'beeindigd' && sessie) {
        line('Het gesprek is beëindigd. Bedankt!', 'okc-info');
        if (events) events.close();
        events = null;
        sessie = null;
        sessionStorage.removeItem(KEY);
      }
    }

    async function bijwerken() {
      if (!sessie) return;
      const r = await fetch(`${api}/sessies/${sessie.sessie}/berichten`, { headers: { 'X-Chat-Sessie': sessie.geheim } });
      if (!r.ok) return;
      const g = await r.json();
      for (const b of g.berichten) show(b);
      if (g.status === 'beeindigd') status(g);
    }

    async function ensureSession() {
      if (sessie) return sessie;
      const saved = sessionStorage.getItem(KEY);
      if (saved) sessie = JSON.parse(saved);
      if (!sessie) {
        const r = await fetch(`${api}/sessies`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ onderwerp: document.title.slice(0, 200) }) });
        if (!r.ok) throw new Error('chat niet beschikbaar');
        sessie = await r.json();
        sessionStorage.setItem(KEY, JSON.stringify(sessie));
        line('U staat in de wachtrij. Een medewerker komt zo bij u.', 'okc-info');
      }
      listen();
      return sessie;
    }

    const open = (yes) => {
      paneel.hidden = !yes;
      knop.setAttribute('aria-expanded', String(yes));
      if (yes) input.focus(); else knop.focus();
    };
    knop.addEventListener('click', () => open(paneel.hidden));
    sluit.addEventListener('click', () => open(false));
    paneel.addEventListener('keydown', (e) => { if (e.key === 'Escape') open(false); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const tekst = input.value.trim();
      if (!tekst) return;
      try {
        const s = await ensureSession();
        const r = await fetch(`${api}/sessies/${s.sessie}/berichten`, { method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Chat-Sessie': s.geheim }, body: JSON.stringify({ tekst }) });
        if (!r.ok) throw new Error();
        show(await r.json());
        input.value = '';
      } catch {
        line('Uw bericht is niet verstuurd. Probeer het opnieuw.', 'okc-info');
      }
    });
    if (sessionStorage.getItem(KEY)) ensureSession().catch(() => sessionStorage.removeItem(KEY));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
