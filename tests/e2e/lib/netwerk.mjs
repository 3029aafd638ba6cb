// A network between the browser and the server that a test can break: a TCP proxy on a free
// loopback port that forwards to the server until cut() — then every open connection is dropped
// (as in a Wi-Fi blip) and new ones are held, unanswered, until restore() forwards them. It also
// watches what the server sends, so a test can tell which SSE events reached the browser.
import net from 'node:net';

/** Starts a proxy to `target` (an http://host:port base). Returns {base, cut, restore, events,
 * stop}: `base` is what the browser should use instead of `target`. */
export async function startNetwerk(target) {
  const { hostname, port } = new URL(target);
  const open = new Set();
  let held = [];
  let broken = false;
  const events = [];
  const waiters = new Set();
  /** Collects the `event:` lines of one connection's answers (an unfinished last line is kept
   * for the next chunk, up to a bound: only event lines matter and they are short). */
  const watcher = () => {
    let carry = '';
    return (chunk) => {
      const lines = (carry + chunk.toString('latin1')).split('\n');
      carry = lines.pop().slice(-256);
      for (const line of lines) if (line.startsWith('event: ')) events.push(line.slice(7).trim());
      for (const w of waiters) w();
    };
  };
  const forward = (client) => {
    const server = net.connect(Number(port), hostname);
    open.add(client);
    open.add(server);
    const drop = () => { client.destroy(); server.destroy(); open.delete(client); open.delete(server); };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
    server.on('data', watcher());
    client.pipe(server);
    server.pipe(client);
    client.resume();
  };
  const proxy = net.createServer({ pauseOnConnect: true }, (client) => {
    if (broken) {
      client.on('error', () => {});
      held.push(client);
    } else {
      forward(client);
    }
  });
  await new Promise((ok, fail) => { proxy.once('error', fail); proxy.listen(0, '127.0.0.1', ok); });
  return {
    base: `http://127.0.0.1:${proxy.address().port}`,
    /** Drops every connection through the proxy and holds new ones until restore(). */
    cut() {
      broken = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    /** Forwards the held connections and every new one again. */
    restore() {
      broken = false;
      const waiting = held.filter((c) => !c.destroyed);
      held = [];
      for (const c of waiting) forward(c);
    },
    /** The names of the SSE events the server sent through the proxy so far, in order. */
    events: () => [...events],
    /** Resolves once the server has sent an event named `name` (at index `from` or later). */
    waitForEvent(name, from = 0, ms = 20000) {
      return new Promise((ok, fail) => {
        const check = () => {
          if (events.indexOf(name, from) < 0) return;
          waiters.delete(check);
          clearTimeout(timer);
          ok();
        };
        const timer = setTimeout(() => { waiters.delete(check); fail(new Error(`no ${name} event: ${events}`)); }, ms);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      for (const s of [...open, ...held]) s.destroy();
      await new Promise((ok) => proxy.close(ok));
    },
  };
}
