// A throwaway PostgreSQL cluster for the tests of the PostgreSQL backend (issue 20), from
// Debian's binaries (/usr/lib/postgresql/15/bin, or OMK_PG_BIN): initdb into a temporary
// directory, the server listening only on a unix socket in that directory (no TCP port, no
// clash with anything else), fsync off (the tests check answers, not power loss), stopped and
// removed at the end. initdb refuses to run as root: as root the cluster belongs to the user
// `postgres` (Debian's package creates it) or else `nobody`, and runs through runuser.
//
// With OMK_TEST_DB=postgresql the harness (harness.mjs) gives every server a database of its own
// in such a cluster: the one named by OMK_TEST_PG_HOST (a socket directory; OMK_TEST_PG_PORT,
// OMK_TEST_PG_USER), which tests/api/lib/pg-run.mjs starts once for a whole run, or else one
// this process starts on first use and stops when it exits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chownSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_BIN = process.env.OMK_PG_BIN || '/usr/lib/postgresql/15/bin';
const PORT = 54329; // only names the socket file: the server listens on no TCP port
const USER = 'test';

function idOf(name) {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { name, uid, gid };
  } catch {
    return null;
  }
}

/** Runs a PostgreSQL program, as the cluster's owner when we are root; bounded in time. */
function pgRun(owner, prog, args, timeoutMs) {
  const bin = join(PG_BIN, prog);
  const [cmd, argv] = owner ? ['runuser', ['-u', owner.name, '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Starts a cluster. Returns {host, port, user, dir, createDatabase(name) → url, stop()}.
 * Throws with PostgreSQL's log when the server does not come up within `timeoutMs`.
 */
export function startCluster({ timeoutMs = 120000 } = {}) {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL's binaries are not in ${PG_BIN} (scripts/bootstrap installs postgresql-15; or set OMK_PG_BIN)`);
  }
  const owner = process.getuid && process.getuid() === 0 ? (idOf('postgres') || idOf('nobody')) : null;
  const dir = mkdtempSync(join(tmpdir(), 'omk-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const log = join(dir, 'postgresql.log');
  const cluster = { host: dir, port: PORT, user: USER, dir, stopped: false };
  try {
    pgRun(owner, 'initdb', ['-D', data, '-U', USER, '--auth=trust', '--encoding=UTF8',
      '--locale=C.UTF-8', '-T', 'dutch', '--no-sync'], timeoutMs);
    pgRun(owner, 'pg_ctl', ['-D', data, '-l', log, '-w', '-t', String(Math.ceil(timeoutMs / 1000)),
      '-o', `-c listen_addresses='' -c unix_socket_directories=${dir} -p ${PORT} -c fsync=off`
        + ' -c full_page_writes=off -c max_connections=300', 'start'], timeoutMs);
  } catch (e) {
    let tail = '';
    try { tail = execFileSync('tail', ['-n', '40', log], { encoding: 'utf8' }); } catch { /* no log */ }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${e.stderr || e.message}\n${tail}`);
  }
  cluster.stop = () => {
    if (cluster.stopped) return;
    cluster.stopped = true;
    try {
      pgRun(owner, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop'], 70000);
    } finally {
      if (!process.env.OMK_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
    }
  };
  cluster.createDatabase = (name) => createDatabase(cluster, name);
  /** Stops the server (fast: sessions are cut) and starts it again on the same socket. */
  cluster.restart = () => {
    pgRun(owner, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], 70000);
    pgRun(owner, 'pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o',
      `-c listen_addresses='' -c unix_socket_directories=${dir} -p ${PORT} -c fsync=off`
        + ' -c full_page_writes=off -c max_connections=300', 'start'], 70000);
  };
  return cluster;
}

/** The libpq URL of database `name` in the cluster at {host, port, user}. */
export function pgUrl({ host, port, user }, name) {
  return `postgresql:///${name}?host=${encodeURIComponent(host)}&port=${port}&user=${user}`;
}

/** Creates database `name` (C collation: text sorts by byte, as SQLite) and returns its URL. */
export function createDatabase(cluster, name) {
  execFileSync(join(PG_BIN, 'createdb'), ['-h', cluster.host, '-p', String(cluster.port),
    '-U', cluster.user, '-T', 'template0', '-E', 'UTF8', '--lc-collate=C', '--lc-ctype=C.UTF-8', name],
  { timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
  return pgUrl(cluster, name);
}

/** A copy of the database at `url` (no one may be connected to it) named `name`; its URL. */
export function pgCopyDatabase(url, name) {
  const u = new URL(url);
  const cluster = { host: u.searchParams.get('host'), port: Number(u.searchParams.get('port')),
    user: u.searchParams.get('user') };
  const from = u.pathname.replace(/^\//, '');
  execFileSync(join(PG_BIN, 'createdb'), ['-h', cluster.host, '-p', String(cluster.port),
    '-U', cluster.user, '-T', from, name], { timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
  return pgUrl(cluster, name);
}

let own = null; // the cluster this process started (no OMK_TEST_PG_HOST)
let seq = 0;

/** A new, empty database for one server: in the run's cluster, or in this process's own. */
export function pgDatabase() {
  let cluster;
  if (process.env.OMK_TEST_PG_HOST) {
    cluster = { host: process.env.OMK_TEST_PG_HOST, port: Number(process.env.OMK_TEST_PG_PORT || PORT),
      user: process.env.OMK_TEST_PG_USER || USER };
  } else {
    if (!own) {
      own = startCluster();
      process.on('exit', () => own.stop());
    }
    cluster = own;
  }
  seq += 1;
  return createDatabase(cluster, `omk_${process.pid}_${seq}`);
}

/** True when the tests run on PostgreSQL (OMK_TEST_DB=postgresql). */
export const ON_PG = /^postgres(ql)?$/i.test(process.env.OMK_TEST_DB || '');
