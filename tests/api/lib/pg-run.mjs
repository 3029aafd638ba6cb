// Runs API test files on PostgreSQL: starts one throwaway cluster (lib/pg.mjs), runs
// `node --test` on the given files or folders with OMK_TEST_DB=postgresql and the cluster in
// OMK_TEST_PG_*, stops the cluster, and exits with the tests' status. `make check-pg` uses it.
//   node tests/api/lib/pg-run.mjs [--concurrency N] <files or folders>…
import { spawnSync } from 'node:child_process';
import { startCluster } from './pg.mjs';

const args = process.argv.slice(2);
let concurrency = '2';
const i = args.indexOf('--concurrency');
if (i >= 0) {
  concurrency = args[i + 1];
  args.splice(i, 2);
}
if (args.length === 0) {
  console.error('usage: node tests/api/lib/pg-run.mjs [--concurrency N] <test files or folders>');
  process.exit(2);
}
const cluster = startCluster();
let status = 1;
try {
  const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...args], {
    stdio: 'inherit',
    env: { ...process.env, OMK_TEST_DB: 'postgresql', OMK_TEST_PG_HOST: cluster.host,
      OMK_TEST_PG_PORT: String(cluster.port), OMK_TEST_PG_USER: cluster.user },
  });
  status = r.status ?? 1;
} finally {
  cluster.stop();
}
process.exit(status);
