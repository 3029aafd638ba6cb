// A municipality's website for the chat widget's browser tests: another origin serving pages
// that embed the widget with its one script tag (see web/widget/), and a status check for the
// API calls the tests make as the employee.
import http from 'node:http';
import assert from 'node:assert/strict';

/** A page of the website; `server` is where the widget's script and API live (null: no widget). */
export function widgetPage({ title, heading = 'Gemeente Voorbeeldstad', text, server }) {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${heading}</h1><p>${text}</p></main>
${server ? `<script src="${server}/kanalen/widget/omnikanaal-chat.js" data-omnikanaal="${server}" defer></script>` : ''}</body></html>`;
}

/** Serves page(url) (HTML, or null for 404) on a loopback port: {base, close()}. */
export async function startWebsite(page) {
  const site = http.createServer((req, res) => {
    const html = page(new URL(req.url, 'http://x'));
    if (html === null) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((ok) => site.listen(0, '127.0.0.1', ok));
  return { base: `http://127.0.0.1:${site.address().port}`, close: () => site.close() };
}

/** The JSON of an API answer, after checking its status. */
export async function ok(res, status = 201) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.json));
  return r.json;
}
