// A small Server-Sent Events client for tests: opens the stream with fetch, parses events
// ({event, id, data (parsed JSON when possible)}) into `events`, and waits for them.
export async function openEvents(url, { token, headers = {} } = {}) {
  const ctrl = new AbortController();
  const h = { Accept: 'text/event-stream', ...headers };
  if (token) h.Authorization = `Token ${token}`;
  const res = await fetch(url, { headers: h, signal: ctrl.signal });
  const es = { status: res.status, headers: res.headers, events: [], closed: false, text: '',
    close: () => ctrl.abort() };
  if (res.status !== 200) {
    es.text = await res.text();
    es.closed = true;
    return es;
  }
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  es.done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = { event: 'message', id: null, data: '' };
          const data = [];
          let comment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            comment = false;
            const c = line.indexOf(':');
            const k = c < 0 ? line : line.slice(0, c);
            const v = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
            if (k === 'event') ev.event = v;
            else if (k === 'id') ev.id = v;
            else if (k === 'data') data.push(v);
          }
          if (comment) continue;
          ev.raw = data.join('\n');
          try { ev.data = JSON.parse(ev.raw); } catch { ev.data = ev.raw; }
          ev.at = performance.now();
          es.events.push(ev);
          for (const w of es.waiters) w();
        }
      }
    } catch { /* aborted */ }
    es.closed = true;
    for (const w of es.waiters) w();
  })();
  es.waiters = new Set();
  /** Resolves with the first event matching pred (or null after ms). */
  es.next = (pred, ms = 8000) => new Promise((resolve) => {
    const check = () => {
      const e = es.events.find(pred);
      if (e || es.closed) { es.waiters.delete(check); clearTimeout(t); resolve(e || null); }
    };
    const t = setTimeout(() => { es.waiters.delete(check); resolve(es.events.find(pred) || null); }, ms);
    es.waiters.add(check);
    check();
  });
  es.close = () => { ctrl.abort(); };
  return es;
}
