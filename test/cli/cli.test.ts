import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

// The CLI runs as `npx shanzhi` would: bin/shanzhi.js in a child process, on its own embedded store.
let dir: string;
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/shanzhi.js', ...args], {
    env: { ...process.env, SHANZHI_DATA_DIR: dir, DATABASE_URL: '' },
    encoding: 'utf8',
  });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'shanzhi-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('every command answers --help with its usage and exit code 0', () => {
  const top = run('--help');
  assert.equal(top.status, 0);
  for (const command of [
    'db migrate',
    'regions import',
    'grids import',
    'grids export',
    'grids assign-worker',
    'responsibility export',
    'responsibility import',
    'sweep',
  ]) {
    assert.ok(top.stdout.includes(`shanzhi ${command}`), command);
    const res = run(...command.split(' '), '--help');
    assert.equal(res.status, 0, command);
    assert.match(res.stdout, new RegExp(`^shanzhi ${command}`));
  }
});

test('the sweeper runs once from the command line and says what it did', () => {
  const res = run('sweep');
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /checked \d+ stages: \d+ notices, \d+ escalated/);
});

test('an unknown command exits non-zero', () => {
  assert.notEqual(run('frobnicate').status, 0);
});

test('regions import, grids import and export work from the command line', () => {
  assert.equal(run('db', 'migrate').status, 0);
  const imported = run('regions', 'import', '--province', '33');
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stderr, /inserted \d+/);
  const again = run('regions', 'import', '--province', '33');
  assert.match(again.stderr, /inserted 0, updated 0/);

  const file = join(dir, 'grids.geojson');
  const ring = [
    [120, 30],
    [120.01, 30],
    [120.01, 30.01],
    [120, 30.01],
    [120, 30],
  ];
  const feature = (code: string, coordinates: unknown) => ({
    type: 'Feature',
    properties: { code, name: '网格', community_code: '330106002051' },
    geometry: { type: 'Polygon', coordinates },
  });
  writeFileSync(
    file,
    JSON.stringify({ type: 'FeatureCollection', features: [feature('33010600205101', [ring])] }),
  );
  const ok = run('grids', 'import', file);
  assert.equal(ok.status, 0, ok.stderr);

  const bad = join(dir, 'bad.geojson');
  writeFileSync(
    bad,
    JSON.stringify({ type: 'FeatureCollection', features: [feature('33010600205102', [ring.slice(0, 4)])] }),
  );
  const rejected = run('grids', 'import', bad);
  assert.equal(rejected.status, 1);
  assert.match(rejected.stderr, /feature 0 \(33010600205102\): unclosed_ring/);
  assert.match(rejected.stderr.trim().split('\n').at(-1)!, /^shanzhi: 网格导入被拒绝.*Grid import rejected/);

  const out = join(dir, 'out.geojson');
  assert.equal(run('grids', 'export', '--within', '330106', '--out', out).status, 0);
  const exported = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(
    exported.features.map((f: { properties: { code: string } }) => f.properties.code),
    ['33010600205101'],
  );
});
