import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../../src/db/database.ts';

// The CLI runs as `npx shanzhi` would, on its own embedded store, acting as the system.
let dir: string;
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/shanzhi.js', ...args], {
    env: { ...process.env, SHANZHI_DATA_DIR: dir, DATABASE_URL: '' },
    encoding: 'utf8',
  });

async function auditRows(action: string) {
  const store = openStore({ dataDir: dir });
  try {
    return await store.db
      .selectFrom('audit_log')
      .select(['actor_username', 'actor_user_id', 'target_id'])
      .where('action', '=', action)
      .execute();
  } finally {
    await store.close();
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'shanzhi-admin-cli-'));
  const regions = run('regions', 'import', '--province', '33');
  assert.equal(regions.status, 0, regions.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the taxonomy and calendar commands answer --help with their usage', () => {
  const top = run('--help');
  for (const command of ['taxonomy import', 'taxonomy export', 'calendar load-year']) {
    assert.ok(top.stdout.includes(`shanzhi ${command}`), command);
    const res = run(...command.split(' '), '--help');
    assert.equal(res.status, 0, command);
    assert.match(res.stdout, new RegExp(`^shanzhi ${command}`));
  }
});

test('taxonomy import writes a CSV as the region, audited as the system, and export gives it back', async () => {
  const file = join(dir, 'names.csv');
  writeFileSync(file, '一级分类,二级分类\n城乡建设,安全生产\n城乡建设,物业管理\n');
  const imported = run('taxonomy', 'import', file, '--region', '33');
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stderr, /2 rows \(names\): inserted 3, updated 0, unchanged 0/);
  const [row] = await auditRows('category.import');
  assert.equal(row?.actor_username, 'system');
  assert.equal(row?.actor_user_id, null);
  assert.equal(row?.target_id, '330000000000');

  const out = join(dir, 'taxonomy.json');
  const exported = run('taxonomy', 'export', '--region', '330106', '--format', 'json', '--out', out);
  assert.equal(exported.status, 0, exported.stderr);
  const names = JSON.parse(readFileSync(out, 'utf8')).categories.map((c: { name: string }) => c.name);
  assert.deepEqual(names, ['城乡建设', '安全生产', '物业管理']);

  const csv = run('taxonomy', 'export', '--region', '33');
  assert.equal(csv.status, 0, csv.stderr);
  assert.match(csv.stdout, /^code,parent_code,name,/);
});

test('a rejected taxonomy file exits 1, lists its bad rows and writes nothing', async () => {
  const file = join(dir, 'bad.csv');
  writeFileSync(file, '一级分类,二级分类\n,空的上级\n');
  const res = run('taxonomy', 'import', file, '--region', '33');
  assert.equal(res.status, 1);
  assert.match(res.stderr, /row 2: column 一级分类 is empty/);
  assert.equal((await auditRows('category.import')).length, 1);
});

test('calendar load-year loads a year from a JSON file, audited as the system; a bad year exits 1', async () => {
  const file = join(dir, '2027.json');
  const year = { year: 2027, notice: '测试通知', holidays: { 元旦: ['2027-01-01'] }, makeupDays: [] };
  writeFileSync(file, JSON.stringify(year));
  const res = run('calendar', 'load-year', file);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /2027 loaded: 1 holidays, 0 make-up working days/);
  const [row] = await auditRows('calendar.load_year');
  assert.equal(row?.actor_username, 'system');

  writeFileSync(file, JSON.stringify({ ...year, year: 2028 }));
  const bad = run('calendar', 'load-year', file);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /2027-01-01 is not in 2028/);
  assert.equal((await auditRows('calendar.load_year')).length, 1);
});
