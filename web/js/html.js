// The one way the web UI writes markup. html`…` escapes every interpolated value, so text from
// the API can never become markup; raw(…) marks a string as reviewed HTML and is the only way
// past the escaping (every use is listed, with its reason, in tests/web/regels.test.mjs);
// render(el, html`…`) puts the result into an element and is the only innerHTML in web/js.

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

/** Markup that is safe to insert: made by html`…`, or reviewed and marked with raw(). */
class Html {
  constructor(s) { this.s = s; }
  toString() { return this.s; }
}

/** Reviewed HTML, inserted as is. Never for text that reached us from a user or an API
 * without being made safe first. */
export function raw(s) { return new Html(String(s ?? '')); }

const URL_ATTR = /\s(?:href|src|action|formaction)\s*=\s*["']$/i;

function part(v, before) {
  if (v instanceof Html) return v.s;
  if (Array.isArray(v)) return v.map((x) => part(x, '')).join('');
  if (v === null || v === undefined || v === false) return '';
  const s = String(v);
  // A URL attribute that starts with a value of ours: no javascript:, data: or vbscript: URLs.
  if (URL_ATTR.test(before) && /^\s*(?:javascript|data|vbscript):/i.test(s)) return 'about:invalid';
  return esc(s);
}

/** Tagged template: html`<p>${tekst}</p>`. Values are escaped; html`…` and raw(…) values and
 * arrays of them are inserted as markup; null, undefined and false insert nothing. A value in an
 * unquoted attribute or in an event-handler attribute is refused: escaping cannot make those safe. */
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    const before = strings[i];
    if (/=\s*$/.test(before)) throw new Error(`html\`\`: quote the attribute before value ${i + 1}: …${before.slice(-30)}`);
    if (/\son[a-z]+\s*=\s*["'][^"']*$/i.test(before)) throw new Error(`html\`\`: no values in event-handler attributes: …${before.slice(-30)}`);
    out += part(v, before) + strings[i + 1];
  });
  return new Html(out);
}

/** Replaces the content of `el` with markup made by html`…`, or a list of such (whose plain
 * strings are escaped). A plain string is refused: it may be text that is not yet escaped. */
export function render(el, markup) {
  if (!(markup instanceof Html) && !Array.isArray(markup)) throw new TypeError('render() takes html`…` or a list, not a string');
  el.innerHTML = part(markup, '');
}
