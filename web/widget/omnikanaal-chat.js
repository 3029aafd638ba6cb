// Omnikanaal chat widget: one script tag on the municipal website.
//   <script src="https://omnikanaal.gemeente.nl/kanalen/widget/omnikanaal-chat.js" defer
//           data-omnikanaal="https://omnikanaal.gemeente.nl" data-titel="Chat met de gemeente"></script>
// Adds a "Chat" button; the panel talks to /kanalen/api/v1/chat (POST for messages, Server-Sent
// Events for the answers). A chat goes on across the pages of the website (its session is kept
// in sessionStorage): each page shows the conversation so far and who helps, the panel open if
// it was; so does a reconnect. Keyboard: the button opens and focuses the message field, Escape
// closes and returns focus; new messages are announced (aria-live). Styling follows NL Design
// System tokens (--utrecht-*) when the page defines them, with plain fallbacks.
(() => {
  const me = document.currentScript;
  const base = (me && me.dataset.omnikanaal) || new URL(me ? me.src : location.href).origin;
  const api = `${base}/kanalen/api/v1/chat`;
  const title = (me && me.dataset.titel) || 'Chat met de gemeente';
  const privacyUrl = me && me.dataset.privacy; // the municipality's privacy statement, if given
  const POLL_MS = 15000; // while waiting: how often the place in the queue is asked again
  const KEY = 'omnikanaal-chat';
  const OPEN = 'omnikanaal-chat-open'; // the panel was open: open it again on the next page

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
  .okc-welkom{padding:.6rem .9rem 0;margin:0;font-size:.95rem}
  .okc-privacy{padding:.2rem .9rem .4rem;margin:0;font-size:.8rem;color:#4b4b4b}
  .okc-privacy a{color:inherit}
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
    // What the resident reads first: what this is, and what happens to what they write.
    const welkom = el('p', { className: 'okc-welkom',
      textContent: 'Welkom! Stel hier uw vraag aan de gemeente. Een medewerker helpt u zo snel mogelijk.' });
    const privacy = el('p', { className: 'okc-privacy',
      textContent: 'De gemeente bewaart dit gesprek om uw vraag te beantwoorden. Noem geen BSN of andere gevoelige gegevens als dat niet nodig is. ' });
    if (privacyUrl && /^https?:/.test(privacyUrl)) {
      privacy.append(el('a', { href: privacyUrl, target: '_blank', rel: 'noopener', textContent: 'Zo gaan wij om met uw gegevens' }));
    }
    const paneel = el('section', { id: 'okc-paneel', className: 'okc-paneel', hidden: true },
      el('div', { className: 'okc-kop' }, el('h2', { textContent: title }), sluit), welkom, privacy, log, form);
    paneel.setAttribute('aria-label', title);
    document.body.append(knop, paneel);

    let sessie = null;
    let events = null;
    let helper = '';      // the medewerker last announced ("… helpt u nu.")
    let queued = null;    // the "U staat in de wachtrij." line on this page, its place updated
    let poll = null;      // while waiting: asks for the place in the queue again
    let loading = 0;      // conversation loads in flight; live events wait for them (order)
    let held = [];        // live events that came during a load
    const shown = new Map(); // bericht uuid → its line
    const line = (text, cls) => {
      const li = el('li', { className: cls || '', textContent: text });
      log.append(li);
      log.scrollTop = log.scrollHeight;
      return li;
    };
    const show = (b) => {
      if (b && !shown.has(b.uuid)) shown.set(b.uuid, line(b.tekst, b.richting === 'uit' ? 'okc-uit' : ''));
    };
    /* The conversation as the server has it, oldest first: a message not shown yet goes before
     * the next one that is (it was missed while newer ones came), else at the end. */
    const showAll = (list) => {
      list.forEach((b, i) => {
        if (shown.has(b.uuid)) return;
        const next = list.slice(i + 1).find((n) => shown.has(n.uuid));
        if (!next) return show(b);
        const li = el('li', { className: b.richting === 'uit' ? 'okc-uit' : '', textContent: b.tekst });
        shown.get(next.uuid).before(li);
        shown.set(b.uuid, li);
      });
      log.scrollTop = log.scrollHeight;
    };
    const live = (handle) => (e) => {
      const data = JSON.parse(e.data);
      if (loading) held.push(() => handle(data)); else handle(data);
    };

    function forget() {
      if (poll) clearInterval(poll);
      poll = null;
      if (events) events.close();
      events = null;
      sessie = null;
      sessionStorage.removeItem(KEY);
    }

    function listen() {
      if (events || !sessie) return;
      const es = new EventSource(`${api}/sessies/${sessie.sessie}/gebeurtenissen?sessie=${encodeURIComponent(sessie.geheim)}`);
      events = es;
      // Each (re)connection: load the conversation so far (another page of the website starts
      // with an empty panel; a reconnect may have missed things), then who helps. The panel's
      // data-verbonden says when that is done (and when the connection is lost).
      es.addEventListener('verbonden', (e) => {
        bijwerken(JSON.parse(e.data)).catch(() => {}).finally(() => {
          if (events === es) paneel.dataset.verbonden = 'ja';
        });
      });
      es.addEventListener('bericht', live(show));
      es.addEventListener('status', live(status));
      // Missed messages the server no longer keeps: load the conversation so far.
      es.addEventListener('verouderd', () => { bijwerken().catch(() => {}); });
      es.addEventListener('error', () => {
        paneel.dataset.verbonden = 'nee';
        // Refused for good (not a network blip, which EventSource retries itself): the chat
        // may be gone; bijwerken forgets it then, else listen again a little later.
        if (es.readyState !== EventSource.CLOSED || events !== es) return;
        events = null;
        bijwerken().catch(() => {}).finally(() => setTimeout(listen, 10000));
      });
    }

    function status(s) {
      if (!sessie || !s) return;
      if (s.status === 'in_gesprek' && s.medewerker && s.medewerker !== helper) {
        helper = s.medewerker;
        if (poll) clearInterval(poll);
        poll = null;
        line(`${helper} helpt u nu.`, 'okc-info');
      } else if (s.status === 'wachtend' && !helper) {
        const tekst = 'U staat in de wachtrij. Een medewerker komt zo bij u.'
          + (s.positie ? (s.positie === 1 ? ' U bent de volgende.' : ` Er ${s.positie === 2 ? 'is' : 'zijn'} nog ${s.positie - 1} ${s.positie === 2 ? 'persoon' : 'personen'} voor u.`) : '');
        if (!queued) queued = line(tekst, 'okc-info');
        else if (s.positie) queued.textContent = tekst;
        if (!poll) poll = setInterval(() => { if (sessie && !helper) bijwerken().catch(() => {}); }, POLL_MS);
      } else if (s.status === 'beeindigd') {
        line('Het gesprek is beëindigd. Bedankt!', 'okc-info');
        forget();
      }
    }

    /* Loads the conversation and shows what is not shown yet, then the status (the server's, or
     * `hello`, the stream's `verbonden`, when the load fails); live events wait meanwhile. */
    async function bijwerken(hello) {
      if (!sessie) return;
      const s = sessie;
      loading++;
      // Loading (the earlier messages all at once): screen readers wait instead of reading
      // them all out as news.
      log.setAttribute('aria-busy', 'true');
      let state = hello;
      try {
        const r = await fetch(`${api}/sessies/${s.sessie}/berichten`, { headers: { 'X-Chat-Sessie': s.geheim } });
        if (r.status === 404 && sessie === s) {
          line('Dit gesprek is er niet meer. U kunt een nieuw gesprek beginnen.', 'okc-info');
          forget();
        }
        if (r.ok && sessie === s) {
          const g = await r.json();
          showAll(g.berichten || []);
          state = g;
        }
      } finally {
        loading--;
        if (!loading) log.removeAttribute('aria-busy');
        if (sessie === s) status(state);
        if (!loading) {
          const run = held;
          held = [];
          for (const f of run) f();
        }
      }
    }

    /* The server says why it refused in Dutch (the queue is full, too many chats or messages
     * from this address): the resident reads that, not a guess. */
    async function refusal(r, fallback) {
      const p = await r.json().catch(() => null);
      const uitleg = p && typeof p.detail === 'string' ? p.detail : fallback;
      return Object.assign(new Error(uitleg), { uitleg });
    }

    async function ensureSession() {
      if (sessie) return sessie;
      const saved = sessionStorage.getItem(KEY);
      if (saved) sessie = JSON.parse(saved);
      if (!sessie) {
        const r = await fetch(`${api}/sessies`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ onderwerp: document.title.slice(0, 200) }) });
        if (!r.ok) throw await refusal(r, 'De chat is nu niet beschikbaar.');
        sessie = await r.json();
        sessionStorage.setItem(KEY, JSON.stringify(sessie));
        status({ status: 'wachtend' });
      }
      listen();
      return sessie;
    }

    const open = (yes, focus = true) => {
      paneel.hidden = !yes;
      knop.setAttribute('aria-expanded', String(yes));
      if (yes) sessionStorage.setItem(OPEN, '1'); else sessionStorage.removeItem(OPEN);
      if (focus) (yes ? input : knop).focus();
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
        if (r.status === 429) throw await refusal(r, '');
        if (!r.ok) throw new Error();
        show(await r.json());
        input.value = '';
      } catch (err) {
        line(err && err.uitleg ? `Uw bericht is niet verstuurd. ${err.uitleg}`
          : 'Uw bericht is niet verstuurd. Probeer het opnieuw.', 'okc-info');
      }
    });
    // A chat going on (the resident came from another page of the website): show it again, the
    // panel open as it was, without taking the focus from the page.
    if (sessionStorage.getItem(KEY)) {
      if (sessionStorage.getItem(OPEN)) open(true, false);
      ensureSession().catch(forget);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
