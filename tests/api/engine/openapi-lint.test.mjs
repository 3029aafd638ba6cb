// Every OpenAPI document we serve is linted with Spectral (@stoplight/spectral-cli, pinned in
// tests/package.json) against tests/openapi/adr.spectral.yaml: spectral:oas (valid OpenAPI 3)
// plus our own rules for the NL API Design Rules that a program can check, each named after its
// ADR rule id (issue 14). Any error fails. The official Klantinteracties document is not ours:
// it is held to spectral:oas alone, where only the errors listed in KI_REFERENCE_ERRORS (the
// reference's own) are allowed. A deliberately wrong document (tests/openapi/fixtures/) proves
// that the lint rejects what it should, rule by rule.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, resolve, relative, join } from 'node:path';
import { APIS } from '../lib/spec-validator.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const TESTS = resolve(HERE, '../..');
const ROOT = resolve(TESTS, '..');
const SPECTRAL = resolve(TESTS, 'node_modules/.bin/spectral');
const ADR = resolve(TESTS, 'openapi/adr.spectral.yaml');
const OAS = resolve(TESTS, 'openapi/oas.spectral.yaml');
const FIXTURE = resolve(TESTS, 'openapi/fixtures/adr-fout.openapi.json');
const KI = resolve(ROOT, 'src/api/klantinteracties/openapi.json');

// spectral:oas errors of the official Klantinteracties document (the reference's own; we serve
// it unchanged). "code path" per line; empty when the reference has none.
const KI_REFERENCE_ERRORS = [];

/** Runs spectral on `file` (a path or a list) with `ruleset`; resolves the list of its results. */
function lint(file, ruleset) {
  const files = Array.isArray(file) ? file : [file];
  if (!existsSync(SPECTRAL)) throw new Error(`spectral not found at ${SPECTRAL}: run scripts/bootstrap (cd tests && npm ci)`);
  return new Promise((ok, fail) => {
    execFile(SPECTRAL, ['lint', ...files, '--ruleset', ruleset, '--format', 'json', '--quiet', '--fail-severity', 'error'],
      { cwd: TESTS, maxBuffer: 64 << 20, timeout: 120000 }, (err, stdout, stderr) => {
        const text = String(stdout).trim();
        const start = text.indexOf('[');
        if (start < 0) { fail(new Error(`spectral gave no JSON for ${file}: ${stderr || err}`)); return; }
        try { ok(JSON.parse(text.slice(start, text.lastIndexOf(']') + 1))); } catch (e) { fail(new Error(`spectral output for ${file}: ${e.message}\n${text.slice(0, 500)}`)); }
      });
  });
}
const errors = (results) => results.filter((r) => r.severity === 0);
const show = (file, rs) => rs.map((r) => `${relative(ROOT, file)}:${r.range.start.line + 1} ${r.code} ${r.path.join('/')}: ${r.message}`).join('\n');

describe('OpenAPI lint (Spectral, NL API Design Rules)', () => {
  // One spectral run for all our documents (its start-up is most of the cost); each document
  // is then judged on its own results.
  let ours;
  before(async () => {
    ours = await lint(APIS.map((a) => a.file), ADR);
  });

  for (const api of APIS) {
    it(`${relative(ROOT, api.file)} has no lint errors`, () => {
      const doc = JSON.parse(readFileSync(api.file, 'utf8'));
      assert.equal(doc.servers[0].url, api.base, 'servers[0] is the API base, relative');
      const errs = errors(ours).filter((r) => resolve(TESTS, r.source) === api.file);
      assert.deepEqual(errs.map((r) => r.code), [], show(api.file, errs));
    });
  }

  it('spectral ran on every document', () => {
    assert.ok(Array.isArray(ours));
    const unknown = errors(ours).filter((r) => !APIS.some((a) => a.file === resolve(TESTS, r.source)));
    assert.deepEqual(unknown.map((r) => `${r.source} ${r.code}`), []);
  });

  it('every route of the route table is an operation of its document', async () => {
    const { execFileSync } = await import('node:child_process');
    const bin = process.env.OMNIKANAAL_BIN || resolve(ROOT, 'build/omnikanaal');
    const routes = JSON.parse(execFileSync(bin, ['toegang', '--format', 'json'], { encoding: 'utf8' })).routes;
    const missing = [];
    // Every API the server has (but the official Klantinteracties one) has a document here.
    const bases = new Set(routes.map((r) => r.api).filter((b) => b && b !== '/klantinteracties/api/v1'));
    for (const b of bases) if (!APIS.some((a) => a.base === b)) missing.push(`${b} (no document in APIS)`);
    for (const api of APIS) {
      const doc = JSON.parse(readFileSync(api.file, 'utf8'));
      // Path parameters may be named as the document likes ({soort} for the route's {uuid}).
      const shape = (p) => p.replace(/\{[^}]+\}/g, '{}');
      const paths = new Map(Object.entries(doc.paths).map(([p, item]) => [shape(p), item]));
      for (const r of routes.filter((x) => x.api === api.base && x.method !== 'OPTIONS')) {
        const item = paths.get(shape(r.pattern.slice(api.base.length)));
        if (!item || !item[r.method.toLowerCase()]) missing.push(`${r.method} ${r.pattern}`);
      }
    }
    assert.deepEqual(missing, [], 'routes without an operation in their document');
  });

  it('the official Klantinteracties document has only the reference\'s own spectral:oas errors', async () => {
    const errs = errors(await lint(KI, OAS)).map((r) => `${r.code} ${r.path.join('/')}`);
    assert.deepEqual(errs.sort(), [...KI_REFERENCE_ERRORS].sort());
  });

  it('rejects one of our documents after a small breaking change', async () => {
    const doc = JSON.parse(readFileSync(APIS.find((a) => a.base === '/mijn/api/v1').file, 'utf8'));
    doc.components.schemas.Problem.required = doc.components.schemas.Problem.required.filter((k) => k !== 'detail');
    delete doc.paths['/profiel'].get.responses['200'].headers;
    doc.paths['/profiel'].get.parameters = [{ name: 'bsn', in: 'query', schema: { type: 'string' } }];
    const dir = mkdtempSync(join(tmpdir(), 'omk-lint-'));
    const file = join(dir, 'mijn.openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    try {
      const codes = new Set(errors(await lint(file, ADR)).map((r) => r.code));
      for (const rule of ['/core/error-handling/problem-details', '/core/version-header', '/core/transport/no-sensitive-uris', '/core/error-handling/invalid-input']) {
        assert.ok(codes.has(rule), `expected ${rule} (got: ${[...codes].join(', ')})`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a document that breaks the rules (so the lint can fail)', async () => {
    const codes = new Set(errors(await lint(FIXTURE, ADR)).map((r) => r.code));
    for (const rule of ['/core/publish-openapi', '/core/uri-version', '/core/no-trailing-slash',
      '/core/path-segments-kebab-case', '/core/query-keys-camel-case', '/core/http-methods',
      '/core/error-handling/problem-details', '/core/error-handling/invalid-input',
      '/core/version-header', '/core/date-time/format', '/core/semver', '/core/doc-openapi-contact',
      'omk/properties-lower-camel-case', 'omk/schemas-upper-camel-case',
      '/core/transport/no-sensitive-uris']) {
      assert.ok(codes.has(rule), `the wrong fixture should break ${rule} (got: ${[...codes].join(', ')})`);
    }
  });
});
