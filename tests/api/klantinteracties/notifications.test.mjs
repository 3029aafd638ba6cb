// Notifications of register changes (kanalen partijen, klantcontacten, internetaken) as the
// reference sends them: delivered to a subscriber callback, retried when it fails, and kept
// in the outbox across a restart until delivered.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, create, expectStatus, klantcontactBody, persoonBody } from '../lib/harness.mjs';

/* A subscriber on loopback that records messages; `failNext` makes the next N calls 500. */
function subscriber() {
  const sub = { messages: [], calls: 0, failNext: 0, auth: [] };
  sub.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      sub.calls += 1;
      sub.auth.push(req.headers.authorization);
      if (sub.failNext > 0) {
        sub.failNext -= 1;
        res.statusCode = 500;
      } else {
        sub.messages.push(JSON.parse(body));
        res.statusCode = 204;
      }
      res.end();
    });
  });
  return new Promise((resolve) => sub.server.listen(0, '127.0.0.1', () => {
    sub.url = `http://127.0.0.1:${sub.server.address().port}/callback`;
    resolve(sub);
  }));
}

async function waitFor(pred, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pred();
}

let srv, sub;
before(async () => {
  sub = await subscriber();
  process.env.OMNIKANAAL_NOTIFY = sub.url;
  process.env.OMNIKANAAL_NOTIFY_AUTH = 'Token abonnee-geheim';
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
  sub?.server.close();
  delete process.env.OMNIKANAAL_NOTIFY;
  delete process.env.OMNIKANAAL_NOTIFY_AUTH;
});

describe('notifications', () => {
  it('create of a klantcontact → one message with kanaal, resource, actie, hoofdObject, resourceUrl', async () => {
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    assert.ok(await waitFor(() => sub.messages.some((m) => m.resourceUrl === kc.url)), 'message arrived');
    const m = sub.messages.find((x) => x.resourceUrl === kc.url);
    assert.equal(m.kanaal, 'klantcontacten');
    assert.equal(m.resource, 'klantcontact');
    assert.equal(m.actie, 'create');
    assert.equal(m.hoofdObject, kc.url);
    assert.match(m.aanmaakdatum, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.deepEqual(m.kenmerken, {});
    assert.equal(sub.auth.at(-1), 'Token abonnee-geheim');
  });

  it('PUT, PATCH and DELETE of a partij → update, partial_update, destroy', async () => {
    const p = await create(srv, 'partijen', persoonBody());
    expectStatus(await srv.req('PATCH', `/partijen/${p.uuid}`, { body: { interneNotitie: 'x' } }), 200);
    expectStatus(await srv.req('PUT', `/partijen/${p.uuid}`, { body: { soortPartij: 'persoon', indicatieActief: false } }), 200);
    assert.equal((await srv.req('DELETE', `/partijen/${p.uuid}`)).status, 204);
    assert.ok(await waitFor(() => sub.messages.filter((m) => m.resourceUrl === p.url).length === 4));
    const acties = sub.messages.filter((m) => m.resourceUrl === p.url).map((m) => m.actie);
    assert.deepEqual(acties.sort(), ['create', 'destroy', 'partial_update', 'update']);
    assert.ok(sub.messages.filter((m) => m.resourceUrl === p.url).every((m) => m.kanaal === 'partijen' && m.resource === 'partij'));
  });

  it('a failed request (400) sends nothing; resources without a kanaal send nothing', async () => {
    const before = sub.calls;
    const bad = await srv.req('POST', '/klantcontacten', { body: {} });
    assert.equal(bad.status, 400);
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    assert.ok(await waitFor(() => sub.messages.some((m) => m.resourceUrl === kc.url)));
    await create(srv, 'categorieen', { naam: 'geen notificatie' });
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(sub.calls, before + 1, 'only the klantcontact create was sent');
  });

  it('a subscriber answering 500 gets the message again until it accepts it', async () => {
    sub.failNext = 2;
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    const taak = await create(srv, 'internetaken', {
      gevraagdeHandeling: 'Terugbellen', aanleidinggevendKlantcontact: { uuid: kc.uuid },
      toegewezenAanActoren: [{ uuid: (await create(srv, 'actoren', { naam: 'Team Burgerzaken', soortActor: 'organisatorische_eenheid' })).uuid }],
      status: 'te_verwerken' });
    assert.ok(await waitFor(() => sub.messages.some((m) => m.resourceUrl === taak.url), 12000), 'retried until delivered');
    const m = sub.messages.find((x) => x.resourceUrl === taak.url);
    assert.equal(m.kanaal, 'internetaken');
    assert.equal(m.resource, 'internetaak');
    assert.equal(sub.failNext, 0, 'both failures were consumed by retries');
  });

  it('undelivered messages survive a restart and are delivered afterwards', async () => {
    sub.failNext = 1000;
    const kc = await create(srv, 'klantcontacten', klantcontactBody());
    await waitFor(() => sub.calls > 0 && sub.failNext < 1000);
    await srv.stop({ keepDir: true });
    sub.failNext = 0;
    await srv.restart();
    assert.ok(await waitFor(() => sub.messages.some((m) => m.resourceUrl.endsWith(kc.uuid)), 12000));
  });
});
