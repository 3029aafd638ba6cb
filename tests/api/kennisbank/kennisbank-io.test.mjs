// `omnikanaal kennisbank import|export`: CSV and JSON, one transaction, line numbers for bad
// rows, --skip-bad, and a round trip through export and import.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../lib/harness.mjs';

const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8' });

describe('kennisbank import and export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omk-kbio-'));
  const db = join(dir, 'kb.db');
  const csv = join(dir, 'artikelen.csv');
  writeFileSync(csv, [
    'titel,vragen,laag,status,kortAntwoord,product,synoniemen,kanalen',
    'Hondenbelasting,"Moet ik betalen voor mijn hond?|Hoeveel kost het?",gemeentelijk,gepubliceerd,"U betaalt per hond, ""per jaar"".",Belastingen,hond,telefoon|chat',
    '"Meerregelige titel',
    'gaat door",,generiek,concept,Kort,Test,,',
    'Fout artikel,,landelijk,concept,x,y,,',
    '',
  ].join('\n'));

  it('a bad row fails the whole import with its line number; nothing is imported', () => {
    const r = run('kennisbank', 'import', csv, '--db', db);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /regel 5: laag: "landelijk" is een ongeldige keuze\./);
    const out = run('kennisbank', 'export', '--db', db);
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), []);
  });

  it('--skip-bad imports the good rows (quotes, embedded newlines and lists intact)', () => {
    const r = run('kennisbank', 'import', csv, '--skip-bad', '--db', db);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /2 artikelen geimporteerd, 1 overgeslagen/);
    const arts = JSON.parse(run('kennisbank', 'export', '--db', db).stdout);
    assert.equal(arts.length, 2);
    const hond = arts.find((a) => a.titel === 'Hondenbelasting');
    assert.deepEqual(hond.vragen, ['Moet ik betalen voor mijn hond?', 'Hoeveel kost het?']);
    assert.equal(hond.kortAntwoord, 'U betaalt per hond, "per jaar".');
    assert.deepEqual(hond.synoniemen, ['hond']);
    assert.deepEqual(hond.kanalen, ['telefoon', 'chat']);
    assert.ok(arts.some((a) => a.titel === 'Meerregelige titel\ngaat door'));
  });

  it('export → import into an empty database gives the same articles (JSON and CSV)', () => {
    for (const format of ['json', 'csv']) {
      const file = join(dir, `export.${format}`);
      const out = run('kennisbank', 'export', '--format', format, '--db', db);
      assert.equal(out.status, 0, out.stderr);
      writeFileSync(file, out.stdout);
      const db2 = join(dir, `copy-${format}.db`);
      const r = run('kennisbank', 'import', file, '--db', db2);
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      const a = JSON.parse(run('kennisbank', 'export', '--db', db).stdout).map((x) => [x.titel, x.kortAntwoord, x.vragen, x.kanalen]);
      const b = JSON.parse(run('kennisbank', 'export', '--db', db2).stdout).map((x) => [x.titel, x.kortAntwoord, x.vragen, x.kanalen]);
      assert.deepEqual(b, a, format);
    }
  });

  it('a broken JSON file is refused with its line', () => {
    const file = join(dir, 'kapot.json');
    writeFileSync(file, '[\n{"titel": "A",\n');
    const r = run('kennisbank', 'import', file, '--db', join(dir, 'x.db'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /regel \d+:/);
    rmSync(dir, { recursive: true, force: true });
  });
});
