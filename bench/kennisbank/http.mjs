// Kennisbank benchmark, end to end: POST /kennisbank/api/v1/_zoek for every query, one at a
// time over a keep-alive connection, as a KCC employee (only published, valid articles).
// Usage: node http.mjs BASE_URL TOKEN QUERIES [REPS]; prints latency percentiles in µs.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [base, token, file, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 1);
const queries = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((q) => q + ' ');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL('/kennisbank/api/v1/_zoek', base);

function zoek(q) {
  const body = JSON.stringify({ q });
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: `Token ${token}` },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${q}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString()).count);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const q of queries) await zoek(q); // warm-up
const lat = [];
let hits = 0;
for (let r = 0; r < reps; r++) {
  for (const q of queries) {
    const t0 = process.hrtime.bigint();
    hits += await zoek(q);
    lat.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}
lat.sort((a, b) => a - b);
const at = (p) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))];
const mean = lat.reduce((a, b) => a + b, 0) / lat.length;
console.log(`queries ${lat.length}\np50_us ${at(0.5).toFixed(0)}\np90_us ${at(0.9).toFixed(0)}\np99_us ${at(0.99).toFixed(0)}\nmax_us ${lat[lat.length - 1].toFixed(0)}\nmean_us ${mean.toFixed(0)}\nmean_hits ${(hits / lat.length).toFixed(1)}`);
agent.destroy();
