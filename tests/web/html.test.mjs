// The web UI's rendering helper (web/js/html.js): every interpolated value is escaped unless it
// is html`…` or raw(…); values where escaping is not enough are refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { html, raw, render, esc } from '../../web/js/html.js';

const s = (h) => String(h);

describe('html`…`', () => {
  it('escapes a script tag in text', () => {
    assert.equal(s(html`<p>${'<script>alert(1)</script>'}</p>`), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('escapes quotes, so a value cannot leave its attribute', () => {
    const v = '" onmouseover="alert(1)';
    assert.equal(s(html`<a title="${v}">x</a>`), '<a title="&quot; onmouseover=&quot;alert(1)">x</a>');
    assert.equal(s(html`<a title='${"' autofocus onfocus='x"}'>x</a>`), "<a title='&#39; autofocus onfocus=&#39;x'>x</a>");
  });

  it('escapes ampersands, so entities in data stay text', () => {
    assert.equal(s(html`${'&lt;b&gt; & co'}`), '&amp;lt;b&amp;gt; &amp; co');
    assert.equal(esc('a&b<c>"d\'e'), 'a&amp;b&lt;c&gt;&quot;d&#39;e');
  });

  it('inserts nested html`…` and lists of it as markup, and escapes plain strings in lists', () => {
    const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
    assert.equal(s(html`<ul>${items}</ul>`), '<ul><li>a&lt;b</li><li>c</li></ul>');
    assert.equal(s(html`${['<i>', html`<i>`]}`), '&lt;i&gt;<i>');
  });

  it('inserts nothing for null, undefined and false; numbers and zero as text', () => {
    assert.equal(s(html`[${null}${undefined}${false}]`), '[]');
    assert.equal(s(html`${0} ${12.5}`), '0 12.5');
  });

  it('lets raw(…) through unchanged', () => {
    assert.equal(s(html`<div>${raw('<h4>Kop</h4><p>a &amp; b</p>')}</div>`), '<div><h4>Kop</h4><p>a &amp; b</p></div>');
  });

  it('refuses a value in an unquoted attribute', () => {
    assert.throws(() => html`<a title=${'x onclick=alert(1)'}>`, /quote the attribute/);
  });

  it('refuses a value in an event-handler attribute', () => {
    assert.throws(() => html`<button onclick="go(${'1'})">`, /event-handler/);
  });

  it('turns a javascript:, data: or vbscript: URL at the start of a link into about:invalid', () => {
    assert.equal(s(html`<a href="${'javascript:alert(1)'}">`), '<a href="about:invalid">');
    assert.equal(s(html`<a href="${' JavaScript:alert(1)'}">`), '<a href="about:invalid">');
    assert.equal(s(html`<img src="${'data:text/html,x'}">`), '<img src="about:invalid">');
    assert.equal(s(html`<a href="${'/werkplek?q=a&b'}">`), '<a href="/werkplek?q=a&amp;b">');
    assert.equal(s(html`<a href="#${'javascript:x'}">`), '<a href="#javascript:x">');
  });
});

describe('render(el, …)', () => {
  it('sets the markup of html`…` or of a list', () => {
    const el = { innerHTML: '' };
    render(el, html`<b>${'<i>'}</b>`);
    assert.equal(el.innerHTML, '<b>&lt;i&gt;</b>');
    render(el, [html`<li>1</li>`, '<li>2</li>']);
    assert.equal(el.innerHTML, '<li>1</li>&lt;li&gt;2&lt;/li&gt;');
  });

  it('refuses a plain string, which may not be escaped', () => {
    const el = { innerHTML: 'voor' };
    assert.throws(() => render(el, '<img src=x onerror=alert(1)>'), TypeError);
    assert.equal(el.innerHTML, 'voor');
  });
});
