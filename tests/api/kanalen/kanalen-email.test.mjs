// The e-mail channel: `omnikanaal mail-ingest` (one RFC 5322 message on stdin) stores a
// multipart message with an attachment as a klantcontact with a bijlage, matched to the partij
// by e-mail address, threaded by Message-ID/In-Reply-To/References; the werkplek replies over
// SMTP (a loopback sink here) in the same thread. Malformed messages never crash anything.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, create, expectStatus, assertProblem, assertInvalidParam, persoonBody, BIN } from '../lib/harness.mjs';
import { smtpSink } from '../lib/smtp-sink.mjs';

const K = '/kanalen/api/v1';

function ingest(srv, message, args = []) {
  const env = { ...process.env };
  delete env.OMNIKANAAL_DB;
  const r = spawnSync(BIN, ['mail-ingest', '--db', srv.dbPath, ...args], { input: message, env, timeout: 30000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString().trim(), stderr: r.stderr.toString() };
}

const crlf = (s) => s.replace(/\r?\n/g, '\r\n');

function multipart({ id, from = '"Anna Bakker" <Anna.Bakker@Example.org>', subject = 'Vraag over afvalpas', irt, refs }) {
  return Buffer.from(crlf(`From: ${from}
To: info@gemeente.test
Subject: ${subject}
Date: Mon, 30 Nov 2026 10:00:00 +0100
Message-ID: <${id}>
${irt ? `In-Reply-To: <${irt}>\n` : ''}${refs ? `References: ${refs}\n` : ''}MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="grens"

--grens
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Goedemorgen, mijn afvalpas is kwijt. Kunt u een nieuwe sturen? Caf=E9 de Hoek.
--alt
Content-Type: text/html; charset=utf-8

<p>Goedemorgen, <b>mijn afvalpas</b> is kwijt.</p>
--alt--
--grens
Content-Type: application/pdf; name="aangifte.pdf"
Content-Disposition: attachment; filename="aangifte.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKT21uaWthbmFhbAo=
--grens--
`), 'latin1');
}

let srv, sink;
before(async () => {
  sink = await smtpSink();
  srv = await startServer({ args: ['--smtp', sink.url, '--mail-from', 'info@gemeente.test'] });
});
after(async () => {
  await srv?.stop();
  sink?.server.close();
});

describe('e-mail in', () => {
  it('a multipart message with an attachment becomes a klantcontact with a bijlage, matched to the partij', async () => {
    const partij = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: partij.uuid }, adres: 'anna.bakker@example.org',
      soortDigitaalAdres: 'email', omschrijving: 'privé' });
    const r = ingest(srv, multipart({ id: 'eerste@example.org' }));
    assert.equal(r.status, 0, r.stderr);
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${r.stdout}?expand=hadBetrokkenen`), 200);
    assert.equal(kc.kanaal, 'e-mail');
    assert.equal(kc.onderwerp, 'Vraag over afvalpas');
    assert.equal(kc.inhoud, 'Goedemorgen, mijn afvalpas is kwijt. Kunt u een nieuwe sturen? Café de Hoek.');
    assert.equal(kc.plaatsgevondenOp, '2026-11-30T09:00:00Z');
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij.uuid, partij.uuid);
    assert.equal(kc.omvatteBijlagen.length, 1);
    const bijlage = expectStatus(await srv.req('GET', `/bijlagen/${kc.omvatteBijlagen[0].uuid}`), 200);
    assert.equal(bijlage.bijlageidentificator.codeObjecttype, 'bestand');
    const file = await srv.req('GET', `${K}/bestanden/${bijlage.bijlageidentificator.objectId}`, { base: true });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.match(file.headers.get('content-disposition'), /filename="aangifte.pdf"/);
    const bytes = Buffer.from(await (await fetch(`${srv.base}${K}/bestanden/${bijlage.bijlageidentificator.objectId}`,
      { headers: { Authorization: `Token ${srv.token}` } })).arrayBuffer());
    assert.deepEqual(bytes, Buffer.from('JVBERi0xLjQKJcfsj6IKT21uaWthbmFhbAo=', 'base64'));
    // Delivered twice (MTA retry): stored once.
    const again = ingest(srv, multipart({ id: 'eerste@example.org' }));
    assert.equal(again.status, 0);
    assert.equal(again.stdout, r.stdout);
    assert.equal((await srv.req('GET', `/klantcontacten?kanaal=e-mail`)).json.count, 1);
  });

  it('a list count includes what mail-ingest (another process) stored, without a write by the server', async () => {
    const count = async () => expectStatus(await srv.req('GET', '/klantcontacten?onderwerp=Tellen'), 200).count;
    const before = await count();
    assert.equal(await count(), before); // asked twice: the count is cached now
    const r = ingest(srv, multipart({ id: 'tellen@example.org', subject: 'Tellen' }));
    assert.equal(r.status, 0, r.stderr);
    // The server notices another process's commit within about a second.
    let now = before;
    for (let i = 0; i < 50 && now === before; i++) {
      await new Promise((done) => setTimeout(done, 100));
      now = await count();
    }
    assert.equal(now, before + 1);
  });

  it('a reply from the werkplek goes out over SMTP in the same thread, and the answer to it joins the conversation', async () => {
    const first = ingest(srv, multipart({ id: 'draad-1@example.org', subject: 'Parkeervergunning' }));
    assert.equal(first.status, 0, first.stderr);
    const list = expectStatus(await srv.req('GET', `${K}/gesprekken?kanaal=e-mail`, { base: true }), 200);
    const g = list.results.find((x) => x.onderwerp === 'Parkeervergunning');
    assert.ok(g, JSON.stringify(list.results));
    assert.equal(g.adres, 'anna.bakker@example.org');
    const sent = expectStatus(await srv.req('POST', `${K}/gesprekken/${g.uuid}/berichten`, { base: true,
      body: { tekst: 'Beste mevrouw Bakker,\n\nU kunt de vergunning online aanvragen.\n.\nMet vriendelijke groet' } }), 201);
    assert.equal(sent.richting, 'uit');
    assert.equal(sent.status, 'verzonden');
    const mail = sink.messages.at(-1);
    assert.deepEqual(mail.to, ['anna.bakker@example.org']);
    assert.equal(mail.from, 'info@gemeente.test');
    assert.match(mail.data, /^Subject: Re: Parkeervergunning\r$/m);
    assert.match(mail.data, /^In-Reply-To: <draad-1@example\.org>\r$/m);
    assert.match(mail.data, /^References: <draad-1@example\.org>\r$/m);
    assert.match(mail.data, /\r\n\.\r\nMet vriendelijke groet/);
    const ourId = /^Message-ID: <([^>]+)>\r$/m.exec(mail.data)[1];
    assert.equal(sent.messageId, ourId);
    // The register's klantcontact now carries the answer as its reactie.
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${first.stdout}`), 200);
    assert.match(kc.reactie, /online aanvragen/);
    // The resident answers our reply: same conversation, a new klantcontact.
    const answer = ingest(srv, multipart({ id: 'draad-2@example.org', subject: 'Re: Parkeervergunning', irt: ourId,
      refs: `<draad-1@example.org> <${ourId}>` }));
    assert.equal(answer.status, 0, answer.stderr);
    assert.notEqual(answer.stdout, first.stdout);
    const conv = expectStatus(await srv.req('GET', `${K}/gesprekken/${g.uuid}`, { base: true }), 200);
    assert.deepEqual(conv.berichten.map((b) => b.richting), ['in', 'uit', 'in']);
    assert.equal(conv.berichten[2].klantcontact.uuid, answer.stdout);
    // Only References (no In-Reply-To) is enough too.
    const third = ingest(srv, multipart({ id: 'draad-3@example.org', subject: 'nog iets', refs: `<draad-1@example.org>` }));
    const conv2 = expectStatus(await srv.req('GET', `${K}/gesprekken/${g.uuid}`, { base: true }), 200);
    assert.equal(conv2.berichten.length, 4);
    assert.equal(conv2.berichten[3].klantcontact.uuid, third.stdout);
    assertInvalidParam(await srv.req('POST', `${K}/gesprekken/${g.uuid}/berichten`, { base: true, body: {} }), 'tekst', 'required');
  });

  it('a reply from someone who is no party of the thread starts its own conversation', async () => {
    // Carla's conversation; Carla has a second known address, Bob is another resident.
    const carla = await create(srv, 'partijen', persoonBody());
    for (const adres of ['carla@example.org', 'carla@werk.example']) {
      await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: carla.uuid }, adres, soortDigitaalAdres: 'email' });
    }
    const bob = await create(srv, 'partijen', persoonBody());
    await create(srv, 'digitaleadressen', { verstrektDoorPartij: { uuid: bob.uuid }, adres: 'bob@example.net', soortDigitaalAdres: 'email' });
    const first = ingest(srv, multipart({ id: 'vreemd-1@example.org', from: 'carla@example.org', subject: 'Bijstand' }));
    assert.equal(first.status, 0, first.stderr);
    const gesprekOf = async (kc) => {
      const list = expectStatus(await srv.req('GET', `${K}/gesprekken?kanaal=e-mail&pageSize=500`, { base: true }), 200);
      return list.results.find((g) => g.berichten.some((b) => b.klantcontact?.uuid === kc));
    };
    const g = await gesprekOf(first.stdout);
    assert.equal(g.partij.uuid, carla.uuid);
    const reply = (id, from, args) => {
      const r = ingest(srv, multipart({ id, from, subject: 'Re: Bijstand', irt: 'vreemd-1@example.org',
        refs: '<vreemd-1@example.org>' }), args);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    // A stranger: a conversation of its own, matched to no partij; Carla's thread is unchanged.
    const stranger = reply('vreemd-2@evil.example', 'Mallory <mallory@evil.example>');
    const sg = await gesprekOf(stranger);
    assert.notEqual(sg.uuid, g.uuid);
    assert.equal(sg.partij, null);
    assert.equal(sg.adres, 'mallory@evil.example');
    const kc = expectStatus(await srv.req('GET', `/klantcontacten/${stranger}?expand=hadBetrokkenen`), 200);
    assert.equal(kc._expand.hadBetrokkenen[0].wasPartij, null);
    assert.equal(expectStatus(await srv.req('GET', `${K}/gesprekken/${g.uuid}`, { base: true }), 200).berichten.length, 1);
    // Another resident: their own conversation, matched to their own partij.
    const other = await gesprekOf(reply('vreemd-3@example.net', 'bob@example.net'));
    assert.notEqual(other.uuid, g.uuid);
    assert.equal(other.partij.uuid, bob.uuid);
    // Parties join: Carla from her other known address, and the municipality (the --mail-from
    // domain, given to mail-ingest).
    assert.equal((await gesprekOf(reply('vreemd-4@werk.example', 'Carla <Carla@Werk.Example>'))).uuid, g.uuid);
    assert.equal((await gesprekOf(reply('vreemd-5@gemeente.test', 'collega@gemeente.test',
      ['--mail-from', 'info@gemeente.test']))).uuid, g.uuid);
    // Without --mail-from the municipality's domain is not known: the colleague is a stranger.
    assert.notEqual((await gesprekOf(reply('vreemd-6@gemeente.test', 'collega@gemeente.test'))).uuid, g.uuid);
    const conv = expectStatus(await srv.req('GET', `${K}/gesprekken/${g.uuid}`, { base: true }), 200);
    assert.equal(conv.berichten.length, 3);
  });

  it('malformed messages are refused or stored safely; the server keeps serving', async () => {
    const huge = 'X-Lang: ' + 'a'.repeat(2 * 1024 * 1024) + '\r\n';
    const cases = [
      // broken MIME: the boundary never closes, a part without headers
      crlf('From: a@example.org\nSubject: kapot\nMessage-ID: <k1@x>\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhalf'),
      // huge header
      huge + crlf('From: b@example.org\nSubject: groot\nMessage-ID: <k2@x>\n\nhallo'),
      // unknown charset, 8-bit bytes and a NUL in the body, invalid UTF-8 in the subject
      Buffer.concat([Buffer.from(crlf('From: c@example.org\nSubject: ') ), Buffer.from([0xff, 0xfe, 0x41]),
        Buffer.from(crlf('\nMessage-ID: <k3@x>\nContent-Type: text/plain; charset=x-onbekend\n\nca\u00e9 ')), Buffer.from([0x00, 0xe9, 0x0a])]),
      // base64 attachment that is not base64, a filename with quotes and newlines
      crlf('From: d@example.org\nSubject: bijlage\nMessage-ID: <k4@x>\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="a\\"b.txt"\nContent-Transfer-Encoding: base64\n\n!!!@@@###\n--q--\n'),
    ];
    for (const [i, c] of cases.entries()) {
      const r = ingest(srv, c);
      assert.equal(r.signal, null, `case ${i} crashed: ${r.stderr}`);
      assert.ok(r.status === 0 || r.status === 1, `case ${i}: exit ${r.status} ${r.stderr}`);
      if (r.status === 0) {
        const kc = expectStatus(await srv.req('GET', `/klantcontacten/${r.stdout}`), 200);
        assert.equal(kc.kanaal, 'e-mail');
      } else {
        assert.match(r.stderr, /^omnikanaal: mail-ingest: /);
      }
    }
    const noSender = ingest(srv, crlf('Subject: anoniem\n\nhallo'));
    assert.equal(noSender.status, 1);
    assert.match(noSender.stderr, /geen afzender/);
    const notMail = ingest(srv, Buffer.from([0, 1, 2, 3]));
    assert.equal(notMail.status, 1);
    expectStatus(await srv.req('GET', '/healthz', { base: true }), 200);
    assertProblem(await srv.req('GET', `${K}/bestanden/00000000-0000-4000-8000-000000000000`, { base: true }), 404);
  });
});

describe('e-mail out through a mail server that requires SMTP AUTH', () => {
  const creds = { user: 'omnikanaal', password: 'geheim-wachtwoord' };
  let authSink, good, bad;
  before(async () => {
    authSink = await smtpSink({ requireAuth: creds });
    const args = ['--smtp', authSink.url, '--mail-from', 'info@gemeente.test', '--smtp-user', creds.user];
    good = await startServer({ args, env: { OMNIKANAAL_SMTP_PASSWORD: creds.password } });
    bad = await startServer({ args, env: { OMNIKANAAL_SMTP_PASSWORD: 'fout' } });
  });
  after(async () => {
    await good?.stop();
    await bad?.stop();
    authSink?.server.close();
  });

  const replyVia = async (server, id) => {
    const r = ingest(server, multipart({ id, subject: `Afvalpas ${id}` }));
    assert.equal(r.status, 0, r.stderr);
    const list = expectStatus(await server.req('GET', `${K}/gesprekken?kanaal=e-mail`, { base: true }), 200);
    const g = list.results.find((x) => x.onderwerp === `Afvalpas ${id}`);
    return server.req('POST', `${K}/gesprekken/${g.uuid}/berichten`, { base: true, body: { tekst: 'Wij sturen een nieuwe pas.' } });
  };

  it('logs in with the user and the password from the environment, then sends', async () => {
    const sent = expectStatus(await replyVia(good, 'auth-ok@example.org'), 201);
    assert.equal(sent.status, 'verzonden');
    assert.deepEqual(authSink.logins, [{ user: 'omnikanaal', ok: true }]);
    assert.equal(authSink.messages.length, 1);
    assert.deepEqual(authSink.messages[0].to, ['anna.bakker@example.org']);
  });

  it('a wrong password: the server refuses the login, nothing is sent, the reply is kept as not sent', async () => {
    assertProblem(await replyVia(bad, 'auth-fout@example.org'), 503, 'verzenden_mislukt');
    assert.equal(authSink.logins.at(-1).ok, false);
    assert.equal(authSink.messages.length, 1);
  });

  it('a password is never sent unencrypted over the network: serve refuses to start', () => {
    const env = { ...process.env, OMNIKANAAL_SMTP_PASSWORD: 'p' };
    delete env.OMNIKANAAL_DB;
    const r = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', `${good.dbPath}-refuse.db`,
      '--smtp', 'smtp://mail.example.org:25', '--smtp-user', 'x'], { env, timeout: 15000 });
    assert.equal(r.status, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), /--smtp: the SMTP password would cross the network unencrypted/);
  });
});
