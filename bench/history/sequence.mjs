// The KISS history sequence for one klant (behaviour §10): the klant's betrokkenen, then each
// klantcontact with its onderwerpobjecten. Runs it for `klanten` different partijen, one after
// another, and prints latency percentiles (ms) as JSON: per whole sequence and per request kind.
const [,, base, token, partijen, klanten] = process.argv;
const api = `${base}/klantinteracties/api/v1`;
const h = { Authorization: `Token ${token}` };
const pct = (a, p) => a.length ? a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))] : 0;
const seq = [], list = [], detail = [];
let contacts = 0, errors = 0;
for (let k = 0; k < +klanten; k++) {
  const n = Math.floor((k * 7919) % +partijen);
  const url = `${api}/partijen/${n.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const t0 = performance.now();
  const r = await fetch(`${api}/betrokkenen?wasPartij__url=${encodeURIComponent(url)}&pageSize=100`, { headers: h });
  const b = await r.json();
  list.push(performance.now() - t0);
  if (r.status !== 200) { errors++; continue; }
  for (const betr of b.results) {
    const t1 = performance.now();
    const d = await fetch(`${api}/klantcontacten/${betr.hadKlantcontact.uuid}?expand=gingOverOnderwerpobjecten`, { headers: h });
    await d.arrayBuffer();
    detail.push(performance.now() - t1);
    if (d.status !== 200) errors++;
    contacts++;
  }
  seq.push(performance.now() - t0);
}
console.log(JSON.stringify({ klanten: +klanten, contacts, errors,
  seq_p50: pct(seq, 0.5), seq_p99: pct(seq, 0.99), list_p50: pct(list, 0.5), list_p99: pct(list, 0.99),
  detail_p50: pct(detail, 0.5), detail_p99: pct(detail, 0.99) }));
