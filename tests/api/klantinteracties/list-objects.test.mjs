// A list page shows each object exactly as its GET does, byte for byte and in the same key order.
// Pages of flat resources (klantcontacten, internetaken …) are written straight to text, not
// built as a tree like GET: this holds the two paths to the same output for every kind of
// value (null, booleans, times, stored JSON, references, relations with and without rows,
// embedded objects), and for a resource with gegevensgroepen (partijen), which takes the tree.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, create, expectStatus, klantcontactBody, persoonBody,
} from '../lib/harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const actorBody = (naam) => ({ naam, soortActor: 'medewerker', indicatieActief: true,
  actoridentificator: { objectId: naam, codeObjecttype: 'mdw', codeRegister: 'obj', codeSoortObjectId: 'idf' } });

/* Every object on the page of `listPath` is the same text as its GET body. */
async function pageMatchesGets(resource, listPath, atLeast) {
  const page = expectStatus(await srv.req('GET', listPath), 200);
  assert.ok(page.results.length >= atLeast, `${listPath} has at least ${atLeast} objects`);
  for (const item of page.results) {
    const one = await srv.req('GET', `/${resource}/${item.uuid}`);
    expectStatus(one, 200);
    assert.equal(JSON.stringify(JSON.parse(one.text)), one.text, 'the GET body is compact JSON');
    assert.equal(JSON.stringify(item), one.text, `${resource} ${item.uuid}: list item and GET are the same text`);
  }
  return page;
}

describe('list items are their GET bodies', () => {
  before(async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    const kc = await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'lijst vol', nummer: '0000000042',
      referentienummer: null, metadata: { bron: 'test', 'met "aanhalingstekens"': 'a\\b\n' }, vertrouwelijk: true }));
    await create(srv, 'klantcontacten', klantcontactBody({ onderwerp: 'lijst leeg', indicatieContactGelukt: null }));
    await create(srv, 'betrokkenen', { hadKlantcontact: { uuid: kc.uuid }, wasPartij: { uuid: partij.uuid }, rol: 'klant', initiator: true });
    const actor = await create(srv, 'actoren', actorBody('lijst-actor'));
    await create(srv, 'actorklantcontacten', { actor: { uuid: actor.uuid }, klantcontact: { uuid: kc.uuid } });
    await create(srv, 'onderwerpobjecten', { klantcontact: { uuid: kc.uuid },
      onderwerpobjectidentificator: { objectId: 'zaak-lijst', codeObjecttype: 'zgw-Zaak', codeRegister: 'openzaak', codeSoortObjectId: 'uuid' } });
    await create(srv, 'internetaken', { gevraagdeHandeling: 'Terugbellen "graag"', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'te_verwerken' });
    await create(srv, 'internetaken', { gevraagdeHandeling: 'Mailen', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: actor.uuid }], status: 'verwerkt' });
  });

  it('klantcontacten with and without relations, stored JSON with escapes, nulls and times', async () => {
    const page = await pageMatchesGets('klantcontacten', '/klantcontacten?onderwerp=lijst', 2);
    const full = page.results.find((r) => r.onderwerp === 'lijst vol');
    assert.equal(full.hadBetrokkenen.length, 1);
    assert.equal(full.hadBetrokkenActoren.length, 1, 'the embedded actor is on the page');
    assert.equal(full.hadBetrokkenActoren[0].naam, 'lijst-actor');
    assert.equal(full.leiddeTotInterneTaken.length, 2);
    assert.deepEqual(full.metadata, { bron: 'test', 'met "aanhalingstekens"': 'a\\b\n' });
  });

  it('interne taken (references, to-many links, times) and partijen (gegevensgroepen)', async () => {
    await pageMatchesGets('internetaken', '/internetaken', 2);
    await create(srv, 'partijen', persoonBody());
    await pageMatchesGets('partijen', '/partijen', 2);
  });
});
