// Methods on every route (issue 14), walked from the route table that `omnikanaal toegang`
// prints: HEAD answers every GET route as its GET does — same status, same headers, no body —
// except an event stream (405: it would hold a subscription open); any other method a path does
// not have answers 405 with an Allow header naming exactly the methods it has.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, request, header, assertProblem, BIN } from '../lib/harness.mjs';

const { routes } = JSON.parse(execFileSync(BIN, ['toegang'], { encoding: 'utf8' }));
const UUID = '7d3c6a43-46f0-4a8e-9a7b-2f1d3c4b5a69';
/** A concrete path for a pattern: a uuid nobody has, a word for other parameters. */
const pathOf = (pattern) => pattern.replace(/\{uuid\}/g, UUID).replace(/\{[^}]+\}/g, 'x');

/** The routes that answer each path of the table (a parameter matches any one segment, so
 * `/contactverzoeken/_escaleer` is also answered by `/contactverzoeken/{uuid}`'s GET). */
const reOf = (pattern) => new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
  .replace(/\{[^}]+\}/g, '[^/]+')}$`);
const patterns = routes.map((r) => ({ ...r, re: reOf(r.pattern) }));
const byPath = new Map();
for (const r of routes) {
  const p = pathOf(r.pattern);
  if (!byPath.has(p)) byPath.set(p, patterns.filter((q) => q.re.test(p)));
}

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const call = (method, path) => request(method, srv.base + path, {
  headers: { Authorization: `Token ${srv.token}`, Accept: 'application/json' } });

describe('HEAD on every GET route', () => {
  const gets = routes.filter((r) => r.method === 'GET');
  it(`the table has GET routes to walk (${gets.length})`, () => assert.ok(gets.length > 50));

  it('answers like GET without a body; an event stream refuses it with Allow', async () => {
    const wrong = [];
    for (const r of gets) {
      const path = pathOf(r.pattern);
      const head = await call('HEAD', path);
      if (r.stroom) {
        if (head.status !== 405 || !(header(head, 'allow') || '').includes('GET'))
          wrong.push(`${path}: HEAD of a stream → ${head.status} Allow ${header(head, 'allow')}`);
        continue;
      }
      const get = await call('GET', path);
      if (head.status !== get.status) wrong.push(`${path}: HEAD ${head.status}, GET ${get.status}`);
      if (head.text !== '') wrong.push(`${path}: HEAD has a body (${head.text.length} bytes)`);
      if (header(head, 'content-type') !== header(get, 'content-type'))
        wrong.push(`${path}: HEAD type ${header(head, 'content-type')}, GET ${header(get, 'content-type')}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('HEAD / answers as GET / does (the entry redirects)', async () => {
    const res = await request('HEAD', `${srv.base}/`, { redirect: 'manual' });
    const get = await request('GET', `${srv.base}/`, { redirect: 'manual' });
    assert.equal(res.status, get.status);
    assert.notEqual(res.status, 405);
  });
});

describe('405 with Allow on every known path', () => {
  const OTHER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  it('a method the path lacks → 405 problem, Allow naming exactly its methods', async () => {
    const wrong = [];
    let tried = 0;
    for (const [path, rs] of byPath) {
      const has = new Set(rs.map((r) => r.method));
      if (rs.some((r) => r.method === 'GET' && !r.stroom)) has.add('HEAD');
      const missing = OTHER.find((m) => !has.has(m));
      if (!missing) continue;
      tried++;
      const res = await call(missing, path);
      if (res.status !== 405) {
        wrong.push(`${missing} ${path} → ${res.status}`);
        continue;
      }
      const allow = new Set((header(res, 'allow') || '').split(',').map((s) => s.trim()).filter(Boolean));
      if ([...has].sort().join() !== [...allow].sort().join())
        wrong.push(`${missing} ${path}: Allow ${[...allow]} but the table has ${[...has]}`);
    }
    assert.ok(tried > 50, `paths tried: ${tried}`);
    assert.deepEqual(wrong, []);
  });

  it('the 405 is a problem+json naming the method', async () => {
    const res = await call('DELETE', '/klantinteracties/api/v1/partijen');
    assertProblem(res, 405, 'method_not_allowed');
    assert.match(res.json.detail, /DELETE/);
  });
});
