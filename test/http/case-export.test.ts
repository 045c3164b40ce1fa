import { maskName, maskPhone } from '../../src/core/access/masking.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { exportCases } from '../../src/cases/export-cases.ts';
import { authenticate } from '../../src/accounts/authenticate.ts';
import { DomainError } from '../../src/core/errors.ts';
import { Scenario, type Json } from '../helpers/scenario.ts';

let s: Scenario;
before(async () => {
  s = await Scenario.start();
  s.at('2026-03-02 09:00');
  await s.report({ title: '路灯不亮', reporter: { name: '王小明', phone: '13912345678' } });
  const b = await s.report({ title: '井盖缺失' });
  await s.report({ title: '噪音扰民' });
  await s.act('county.center', b.id, { action: 'register' });
});
after(() => s.close());

async function download(username: string, query = '') {
  return s.t.app.inject({ url: `/api/v1/cases/export.xlsx${query}`, headers: await s.headers(username) });
}

async function sheets(body: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const [cases, filters] = book.worksheets;
  const rows = (sheet: ExcelJS.Worksheet) =>
    sheet
      .getSheetValues()
      .filter((r): r is ExcelJS.CellValue[] => Array.isArray(r))
      .map((r) => r.slice(1));
  return { cases: rows(cases!), filters: rows(filters!) };
}

async function listed(username: string, query: string): Promise<Json[]> {
  const res = await s.t.app.inject({
    url: `/api/v1/cases?limit=200&${query}`,
    headers: await s.headers(username),
  });
  return res.json().items as Json[];
}

test('the export is the worklist: same cases, same order, bilingual headers, and the filters it was made with', async () => {
  const res = await download('county.center', '?region=330106&status=reported');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(
    res.headers['content-type'],
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  assert.match(
    String(res.headers['content-disposition']),
    /^attachment; filename="shanzhi-cases-2026-03-02\.xlsx"$/,
  );
  const { cases, filters } = await sheets(res.rawPayload);
  const [header, ...rows] = cases;
  assert.equal(header![0], '事件编号 Reference');
  assert.ok(header!.includes('阶段 Stage'));
  const expected = await listed('county.center', 'region=330106&status=reported');
  assert.equal(expected.length, 2);
  assert.deepEqual(
    rows.map((r) => r[0]),
    expected.map((c) => c.reference),
  );
  assert.ok(rows.every((r) => r[2] === '已上报 Reported'));
  const asText = filters.map((r) => r.join('=')).join('\n');
  assert.match(asText, /region=330106/);
  assert.match(asText, /status=reported/);
  assert.match(asText, /事件数 Cases=2/);
  assert.match(asText, /导出人 Exported by=county\.center/);
});

test('the file masks the reporter for every reader, also for those the list shows them to', async () => {
  for (const username of ['county.center', 'grid.worker']) {
    const res = await download(username);
    assert.equal(res.statusCode, 200, res.body);
    const { cases } = await sheets(res.rawPayload);
    const header = cases[0]!;
    const name = header.indexOf('报告人 Reporter');
    const phone = header.indexOf('联系电话 Phone');
    const byRef = new Map(cases.slice(1).map((r) => [r[0], r]));
    for (const c of await listed(username, '')) {
      const row = byRef.get(c.reference)!;
      assert.equal(
        row[name] ?? null,
        c.reporter.name && maskName(c.reporter.name),
        `${username}: ${c.reference}`,
      );
      assert.equal(
        row[phone] ?? null,
        c.reporter.phone && maskPhone(c.reporter.phone),
        `${username}: ${c.reference}`,
      );
      if (c.reporter.phone) assert.match(String(row[phone]), /^\d{3}\*{4}\d{4}$/);
    }
  }
});

test('an export over the limit is refused with the limit, rather than cut short', async () => {
  const actor = await authenticate(
    { db: s.t.store.db, clock: s.clock },
    (await s.headers('county.center')).authorization.slice('Bearer '.length),
  );
  const deps = { db: s.t.store.db, traits: s.t.store.traits, keyring: s.t.store.keyring, clock: s.clock };
  await assert.rejects(
    exportCases(deps, actor, {}, 2),
    (e: unknown) => e instanceof DomainError && e.code === 'export.too_large' && e.details.max === 2,
  );
  assert.equal((await exportCases(deps, actor, {}, 3)).cases, 3);
});

test('the export needs a signed-in user and answers a bad filter with 400', async () => {
  assert.equal((await s.t.app.inject({ url: '/api/v1/cases/export.xlsx' })).statusCode, 401);
  const bad = await download('county.center', '?status=nonsense');
  assert.equal(bad.statusCode, 400, bad.body);
  assert.equal(bad.json().error.code, 'request.invalid');
});
