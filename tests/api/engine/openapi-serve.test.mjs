// Every API publishes its contract (issue 14; ADR /core/publish-openapi): <base>/openapi.json
// and <base>/openapi.yaml, without authentication, the YAML the same document as the JSON, the
// document the one in the repository, its info.version the version the API answers in its
// API-Version header.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { startServer, request, header, assertProblem, BIN } from '../lib/harness.mjs';

const SRC = new URL('../../../src/api/', import.meta.url);
/** Each API base and its document in the repository. */
const DOCS = {
  '/klantinteracties/api/v1': 'klantinteracties/openapi.json',
  '/kanalen/api/v1': 'kanalen/openapi.json',
  '/klantbeeld/api/v1': 'klantbeeld/openapi.json',
  '/kennisbank/api/v1': 'kennisbank/openapi.json',
  '/mijn/api/v1': 'mijn/openapi.json',
  '/werkplek/api/v1': 'werkplek/openapi.json',
  '/auth/api/v1': 'engine/openapi-auth.json',
  '/avg/api/v1': 'avg/openapi.json',
  '/sturing/api/v1': 'sturing/openapi.json',
};

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

describe('every API serves its OpenAPI document', () => {
  it('every API base in the route table has a document here', () => {
    const { routes } = JSON.parse(execFileSync(BIN, ['toegang'], { encoding: 'utf8' }));
    const bases = new Set(routes.map((r) => r.api).filter(Boolean));
    assert.deepEqual([...bases].sort(), Object.keys(DOCS).sort());
  });

  for (const [base, file] of Object.entries(DOCS)) {
    it(`${base}: openapi.json and openapi.yaml, public, the same document as ${file}`, async () => {
      const json = await request('GET', `${srv.base}${base}/openapi.json`);
      assert.equal(json.status, 200, json.text.slice(0, 200));
      assert.match(header(json, 'content-type') || '', /^application\/json/);
      assert.deepEqual(json.json, JSON.parse(readFileSync(new URL(file, SRC), 'utf8')));
      assert.equal(header(json, 'access-control-allow-origin'), '*', 'open CORS for the contract');
      assert.equal(json.json.info.version, header(json, 'api-version'), 'info.version = API-Version');
      const yaml = await request('GET', `${srv.base}${base}/openapi.yaml`);
      assert.equal(yaml.status, 200);
      assert.match(header(yaml, 'content-type') || '', /^application\/yaml/);
      assert.deepEqual(load(yaml.text), json.json, 'the YAML is the same document');
      assertProblem(await request('GET', `${srv.base}${base}/openapi.json?x=1`), 400);
    });
  }
});
