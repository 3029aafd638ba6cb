// Rules of web/js that a reviewer should not have to remember: markup only through html.js
// (escaped by default), every raw(…) reviewed and listed here, API paths only in paden.js.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '../../web');

function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []);
}

const JS = modules(join(WEB, 'js'));
const ALL = [...JS, ...modules(join(WEB, 'widget'))];
const name = (f) => relative(WEB, f);
/** The code without its comments (enough for these rules: no '/*' or '//' inside strings here). */
const code = (f) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** Every raw(…) outside html.js, with why it is safe. A new one needs a review and a line here. */
const RAW = {
  'js/redactie.js': [1, "the server's rendition of the article's Markdown (md4c without raw HTML), "
    + 'passed through veiligeHtml(), which drops scripts, frames, forms, event handlers, style and javascript: URLs'],
};

describe('web/js rules', () => {
  it('sees the modules', () => {
    assert.ok(JS.some((f) => name(f) === 'js/werkplek/zoeken.js'), JS.map(name).join(' '));
  });

  it('writes markup only through render() in html.js', () => {
    const bad = ALL.filter((f) => name(f) !== 'js/html.js')
      .filter((f) => /\.(?:innerHTML|outerHTML)\s*[+]?=(?!=)|insertAdjacentHTML|document\.write/.test(code(f)));
    assert.deepEqual(bad.map(name), [], 'use render(el, html`…`) from html.js');
  });

  it('escapes nowhere by hand (html`…` does it)', () => {
    const bad = JS.filter((f) => name(f) !== 'js/html.js' && /\besc\(/.test(code(f)));
    assert.deepEqual(bad.map(name), []);
  });

  it('has raw(…) only where reviewed', () => {
    const found = {};
    for (const f of JS) {
      if (name(f) === 'js/html.js') continue;
      const n = (code(f).match(/\braw\(/g) || []).length;
      if (n) found[name(f)] = n;
    }
    const want = Object.fromEntries(Object.entries(RAW).map(([f, [n]]) => [f, n]));
    assert.deepEqual(found, want, 'a new raw(…) must be reviewed and listed in RAW with its reason');
  });

  it('declares API paths only in paden.js', () => {
    const bad = JS.filter((f) => name(f) !== 'js/paden.js' && /\/[a-z]+\/api\/v\d/.test(code(f)));
    assert.deepEqual(bad.map(name), [], 'import the base path from paden.js');
  });
});
