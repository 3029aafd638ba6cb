// A tiny SMTP server on loopback for tests: accepts every message and records
// {from, to, data, auth} (data with dot-stuffing undone). Enough of RFC 5321 for libcurl's
// client: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; with `requireAuth` it offers AUTH
// PLAIN (RFC 4954), refuses MAIL before a successful AUTH, and records the user.
import net from 'node:net';

export function smtpSink({ requireAuth = null } = {}) {
  const sink = { messages: [], url: null, logins: [] };
  sink.server = net.createServer((sock) => {
    let buf = '';
    let inData = false;
    let authed = !requireAuth, awaitingPlain = false;
    const plain = (b64) => {
      const [, user, pass] = Buffer.from(b64, 'base64').toString('utf8').split('\0');
      const ok = user === requireAuth.user && pass === requireAuth.password;
      sink.logins.push({ user, ok });
      authed = ok;
      reply(ok ? '235 2.7.0 Authentication successful' : '535 5.7.8 Authentication failed');
    };
    let cur = { from: null, to: [], data: '' };
    const reply = (line) => sock.write(line + '\r\n');
    reply('220 sink.test ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = buf.slice(0, end + 2);
          buf = buf.slice(end + 5);
          cur.data = Buffer.from(raw.replace(/^\.\./gm, '.'), 'latin1').toString('utf8');
          sink.messages.push(cur);
          cur = { from: null, to: [], data: '' };
          inData = false;
          reply('250 OK queued');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (awaitingPlain) { awaitingPlain = false; plain(line.trim()); continue; }
        if (verb === 'EHLO' && requireAuth) { reply('250-sink.test'); reply('250 AUTH PLAIN'); }
        else if (verb === 'EHLO' || verb === 'HELO') reply('250 sink.test');
        else if (verb === 'AUTH' && requireAuth && /^AUTH PLAIN/i.test(line)) {
          const initial = line.split(' ')[2];
          if (initial) plain(initial); else { awaitingPlain = true; reply('334 '); }
        }
        else if (verb === 'MAIL' && !authed) reply('530 5.7.0 Authentication required');
        else if (verb === 'MAIL') { cur.from = /<(.*)>/.exec(line)?.[1] ?? ''; reply('250 OK'); }
        else if (verb === 'RCPT') { cur.to.push(/<(.*)>/.exec(line)?.[1] ?? ''); reply('250 OK'); }
        else if (verb === 'DATA') { inData = true; reply('354 End data with <CR><LF>.<CR><LF>'); }
        else if (verb === 'RSET') { cur = { from: null, to: [], data: '' }; reply('250 OK'); }
        else if (verb === 'NOOP') reply('250 OK');
        else if (verb === 'QUIT') { reply('221 Bye'); sock.end(); return; }
        else reply('502 Command not implemented');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => sink.server.listen(0, '127.0.0.1', () => {
    sink.url = `smtp://127.0.0.1:${sink.server.address().port}`;
    resolve(sink);
  }));
}

/** Waits until pred() is true (polling), at most ms milliseconds. */
export async function waitFor(pred, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pred();
}
