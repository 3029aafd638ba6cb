// The ceiling for the SSE fan-out benchmark: a bare Node.js HTTP server with the same shape
// (GET /stream?topic=T opens an event stream; POST /publish?topic=T with a body writes one
// event to every stream of that topic, or of every topic starting with prefix=P) and nothing
// else: no storage, no auth, no validation. Prints its port on stdout.
import http from 'node:http';

const streams = new Map();
let seq = 0;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (req.method === 'GET' && url.pathname === '/stream') {
    const topic = url.searchParams.get('topic');
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write('event: verbonden\ndata: {}\n\n');
    if (!streams.has(topic)) streams.set(topic, new Set());
    streams.get(topic).add(res);
    req.on('close', () => streams.get(topic).delete(res));
    return;
  }
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const topic = url.searchParams.get('topic');
    const prefix = url.searchParams.get('prefix');
    const ev = `event: bericht\nid: ${++seq}\ndata: ${body}\n\n`;
    for (const [t, set] of streams) {
      if (t === topic || (prefix && t.startsWith(prefix))) for (const r of set) r.write(ev);
    }
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
