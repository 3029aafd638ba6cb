// A JSON body with a key twice in one object (at the top or nested in objects and arrays) is
// refused on every API with a 400 parse error whose invalidParams entry names the key (as a
// dotted path, as field errors are named) with a Dutch reason; nothing is written. Without
// this check jansson kept the last value, so a client could not tell which value counted.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertProblem, count, persoonBody, klantcontactBody, create } from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const reason = (key) => `Dubbele sleutel "${key}" in de JSON-body.`;

/** POSTs `text` as-is as application/json to `path` (relative to the server unless api). */
function postRaw(path, text, { base = false, method = 'POST' } = {}) {
  return srv.req(method, path, { raw: true, base, body: text, headers: { 'Content-Type': 'application/json' } });
}

/** A 400 parse error with exactly one invalidParams entry: name, code duplicate_key, reason. */
function assertDuplicate(res, name, key) {
  assertProblem(res, 400, 'parse_error');
  assert.deepEqual(res.json.invalidParams, [{ name, code: 'duplicate_key', reason: reason(key) }], res.text);
  assert.match(res.json.detail, new RegExp(reason(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
}

describe('duplicate keys in a JSON body', () => {
  it('top level: POST /klantcontacten with "onderwerp" twice → 400 naming onderwerp; nothing created', async () => {
    const before = await count(srv, '/klantcontacten');
    const res = await postRaw('/klantcontacten', '{"kanaal":"telefoon","onderwerp":"Eerste","taal":"nld",'
      + '"vertrouwelijk":false,"onderwerp":"Tweede"}');
    assertDuplicate(res, 'onderwerp', 'onderwerp');
    assert.equal(await count(srv, '/klantcontacten'), before);
  });

  it('nested object: partijIdentificatie.contactnaam.voornaam twice → named by its path', async () => {
    const before = await count(srv, '/partijen');
    const body = JSON.stringify(persoonBody()).replace('"voornaam":"Jan"', '"voornaam":"Jan", "voornaam" : "Piet"');
    assertDuplicate(await postRaw('/partijen', body), 'partijIdentificatie.contactnaam.voornaam', 'voornaam');
    assert.equal(await count(srv, '/partijen'), before);
  });

  it('inside an array: the element index is part of the path', async () => {
    const body = '{"soortPartij":"persoon","indicatieActief":true,"voorkeurstaal":"nld",'
      + '"partijIdentificatie":{"contactnaam":{"voornaam":"Jan","achternaam":"Berg"}},'
      + '"partijIdentificatoren":[{"partijIdentificator":{"objectId":"999990019"}},'
      + '{"partijIdentificator":{"codeSoortObjectId":"bsn","objectId":"999990019","objectId":"999990020"}}]}';
    assertDuplicate(await postRaw('/partijen', body), 'partijIdentificatoren.1.partijIdentificator.objectId', 'objectId');
  });

  it('a key written with an escape is the same key ("\\u0071" is "q"), on another API too', async () => {
    const res = await postRaw('/kennisbank/api/v1/_zoek', '{"q":"paspoort","\\u0071":"rijbewijs"}', { base: true });
    assertDuplicate(res, 'q', 'q');
    const utf8 = await postRaw('/kennisbank/api/v1/_zoek', '{"q":"paspoort","straatnaam":{"één":1,"één":2}}', { base: true });
    assertDuplicate(utf8, 'straatnaam.één', 'één');
  });

  it('PATCH of an existing object with a duplicate key changes nothing', async () => {
    const p = await create(srv, 'partijen', persoonBody({ interneNotitie: 'oud' }));
    const res = await postRaw(`/partijen/${p.uuid}`, '{"interneNotitie":"nieuw","interneNotitie":"nieuwer"}', { method: 'PATCH' });
    assertDuplicate(res, 'interneNotitie', 'interneNotitie');
    assert.equal((await srv.req('GET', `/partijen/${p.uuid}`)).json.interneNotitie, 'oud');
  });

  it('the same key in two different objects is fine', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ metadata: { kanaal: 'formulier', onderwerp: 'x' } }));
    assert.equal(kc.kanaal, 'telefoon');
    assert.equal(kc.metadata.kanaal, 'formulier');
  });
});
