// The shared page frame: every web/*.html page is exactly what scripts/webframe.mjs writes around
// its content (run `make web` after changing the frame or a page's marker).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEB, framed, pages } from '../../scripts/webframe.mjs';

describe('page frame', () => {
  it('finds the pages', () => {
    assert.ok(pages().includes('werkplek.html') && pages().includes('toegankelijkheid.html'));
  });

  for (const f of pages()) {
    it(`${f} has the current frame (else: make web)`, () => {
      const text = readFileSync(join(WEB, f), 'utf8');
      assert.equal(text, framed(f, text), `${f} is not current: run make web`);
    });
  }

  it('marks the current page in the menu and leaves the others', () => {
    const page = '<!-- page title="T" menu="medewerker" -->\n<main id="inhoud"></main>\n<!-- end of page -->\n';
    const out = framed('backoffice.html', page);
    assert.match(out, /<a href="\/backoffice" aria-current="page">Backoffice<\/a>/);
    assert.match(out, /<a href="\/werkplek">Werkplek<\/a>/);
    assert.match(out, /<title>T — Omnikanaal<\/title>/);
    assert.doesNotMatch(out, /<script/);
    assert.equal(framed('backoffice.html', out), out, 'framing is idempotent');
  });

  it('refuses a page without markers, an unknown menu or attribute', () => {
    assert.throws(() => framed('x.html', '<main></main>'), /markers/);
    assert.throws(() => framed('x.html', '<!-- page title="T" menu="geen" -->\n<!-- end of page -->\n'), /unknown menu/);
    assert.throws(() => framed('x.html', '<!-- page title="T" style="x" -->\n<!-- end of page -->\n'), /unknown page attribute/);
  });
});
