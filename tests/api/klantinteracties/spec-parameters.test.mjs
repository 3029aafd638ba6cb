// Every query parameter the official OpenAPI file declares for a list operation is accepted
// (never "unknown-parameters"), answers 200 with a well-formed page, and nothing else is
// accepted. Driven by the embedded copy of the spec, so a new spec parameter fails here.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startServer } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const spec = JSON.parse(readFileSync(join(here, '../../../src/api/klantinteracties/openapi.json'), 'utf8'));

/* A value of the right type for a parameter schema. */
function sample(p) {
  const s = p.schema || {};
  if (s.type === 'boolean') return 'true';
  if (s.type === 'integer' || s.type === 'number') return '1';
  if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (s.format === 'uri') return 'http://example.nl/x/00000000-0000-4000-8000-000000000000';
  if (s.format === 'date') return '2026-01-01';
  if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (s.enum) return s.enum[0];
  if (s.type === 'array') return s.items?.enum ? s.items.enum[0] : 'x';
  return 'x';
}

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

describe('list parameters of the official spec', () => {
  for (const [path, ops] of Object.entries(spec.paths)) {
    const get = ops.get;
    if (!get || path.includes('{')) continue;
    const params = (get.parameters || []).filter((p) => p.in === 'query' && !['page', 'pageSize', 'expand'].includes(p.name));
    it(`${path}: all ${params.length} declared filters are accepted`, async () => {
      for (const p of params) {
        const res = await srv.req('GET', `${path}?${encodeURIComponent(p.name)}=${encodeURIComponent(sample(p))}`);
        assert.equal(res.status, 200, `${path}?${p.name}: ${res.text.slice(0, 300)}`);
        assert.equal(typeof res.json.count, 'number');
        assert.ok(Array.isArray(res.json.results));
      }
    });
  }
  it('a parameter the spec does not declare is refused', async () => {
    const res = await srv.req('GET', '/klantcontacten?kanaal__icontains=x');
    assert.equal(res.status, 400);
    assert.equal(res.json.invalidParams[0].code, 'unknown-parameters');
  });
});
