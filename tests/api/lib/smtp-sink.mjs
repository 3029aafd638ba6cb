// A tiny SMTP server on loopback for tests: accepts every message and records
// {from, to, data} (data with dot-stuffing undone). Enough of RFC 5321 for libcurl's client:
// EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
import net from 'node:net';

export function smtpSink() {
  const sink = { messages: [], url: null };
  sink.server = net.createServer((sock) => {
    let buf = '';
    let inData = false;
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
        if (verb === 'EHLO' || verb === 'HELO') reply('250 sink.test');
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
