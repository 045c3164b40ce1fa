import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { newCaseRow } from '../../src/cases/case-rows.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { DomainError } from '../../src/core/errors.ts';
import { openStore } from '../../src/db/database.ts';
import { addFileKey, keyringFromText } from '../../src/db/keyring.ts';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.ts';
import { checkKeys } from '../../src/personal/check-keys.ts';
import { phoneLookup, readReporters } from '../../src/personal/reporter-data.ts';
import { rotateKeys } from '../../src/personal/rotate-keys.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

/** The keys that seal personal data: values, the start-up check, rotation while writes go on, migration 0028. */
const clock = fixedClock('2026-03-02T09:00:00+08:00');
const AT = clock.now().toISOString();
let store: TestStore;

before(async () => {
  store = await makeTestStore();
});
after(() => store.close());

const key = () => randomBytes(32).toString('base64');
const refused = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

test('a sealed value opens only under its own key, and any change to it is refused', () => {
  const ring = keyringFromText(`k2=${key()},k1=${key()}`, key());
  const sealed = ring.seal('张三丰');
  assert.match(sealed, /^pd1\.k2\./);
  assert.notEqual(ring.seal('张三丰'), sealed, 'a fresh nonce each time');
  assert.equal(ring.open(sealed), '张三丰');
  const parts = sealed.split('.');
  const body = Buffer.from(parts[4]!, 'base64url');
  body[0]! ^= 1;
  assert.throws(
    () => ring.open([...parts.slice(0, 4), body.toString('base64url')].join('.')),
    refused('personal.unreadable'),
  );
  const other = keyringFromText(`k2=${key()}`, key());
  assert.throws(() => other.open(sealed), refused('personal.unreadable'));
  assert.throws(() => keyringFromText(`k9=${key()}`, key()).open(sealed), refused('personal.key_missing'));
  assert.throws(() => keyringFromText('k1=short', key()), refused('personal.keys_invalid'));
  assert.throws(() => keyringFromText('', key()), refused('personal.keys_invalid'));
});

test('the start-up check tells a wrong key and a missing key from a new one', async () => {
  const s = await makeTestStore();
  try {
    const k1 = key();
    const index = key();
    const first = { db: s.db, keyring: keyringFromText(`k1=${k1}`, index) };
    await checkKeys(first, AT);
    await makeCase({ db: s.db, keyring: first.keyring, clock });
    await checkKeys(first, AT); // the same keys again: fine
    await assert.rejects(
      checkKeys({ db: s.db, keyring: keyringFromText(`k1=${key()}`, index) }, AT),
      refused('personal.key_mismatch'),
    );
    await assert.rejects(
      checkKeys({ db: s.db, keyring: keyringFromText(`k2=${key()}`, index) }, AT),
      refused('personal.key_missing'),
    );
    await checkKeys({ db: s.db, keyring: keyringFromText(`k2=${key()},k1=${k1}`, index) }, AT);
  } finally {
    await s.close();
  }
});

test('rotation re-seals every value under the new key while writes go on, and phone look-ups keep working', async () => {
  for (let i = 0; i < 120; i += 1) await makeCase({ db: store.db, keyring: store.keyring, clock });
  let writing = true;
  const written: string[] = [];
  const writer = (async () => {
    while (writing) {
      written.push((await makeCase({ db: store.db, keyring: store.keyring, clock })).id);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const report = await rotateKeys(
    { store, clock },
    { batch: 25, settleMs: 1200, addKey: () => addFileKey(store.dataDir) },
  );
  writing = false;
  await writer;
  assert.equal(report.key_id, 'k2');
  assert.ok(report.resealed >= 120, String(report.resealed));
  assert.ok(written.length > 0, 'writes went on during the rotation');
  // Writes after the last batch may still carry k1 only if a writer missed the new key: none did.
  const keys = await store.db.selectFrom('personal_data').select(['key_id']).groupBy('key_id').execute();
  assert.deepEqual(
    keys.map((k) => k.key_id),
    ['k2'],
  );
  const all = await store.db.selectFrom('personal_data').select(['owner_id', 'name', 'phone']).execute();
  for (const row of all) assert.ok(row.name!.startsWith('pd1.k2.') && row.phone!.startsWith('pd1.k2.'));
  const opened = await readReporters(
    store.db,
    store.keyring,
    all.map((r) => r.owner_id),
  );
  assert.equal(opened.size, all.length);
  for (const r of opened.values()) assert.deepEqual([r.name, r.phone], ['张三丰', '13800138000']);
  const hash = phoneLookup(store.keyring, '+86 138 0013 8000');
  const found = await store.db
    .selectFrom('personal_data')
    .select('owner_id')
    .where('phone_hash', '=', hash)
    .execute();
  assert.equal(found.length, all.length);
});

test('migration 0028 seals the reporters a store held in the clear and drops those columns', async () => {
  const s = await makeTestStore({ migrate: false });
  try {
    await migrateTo(s, '0027-audit-chains');
    const id = randomUUID();
    const row = newCaseRow({
      id,
      reference: '330106-20260302-00001',
      channel: 'hotline',
      category_code: null,
      title: '噪音',
      description: '夜间施工噪音',
      address: null,
      lon: null,
      lat: null,
      grid_code: null,
      region_code: '330106002051',
      county_code: '330106000000',
      reporter_user_id: null,
      anonymous: 0,
      stage_started_at: AT,
      stage_deadline: null,
      reported_at: AT,
      updated_at: AT,
      last_event_hash: null,
    });
    await s.db.insertInto('cases').values(row).execute();
    await sql`UPDATE cases SET reporter_name = ${'上官燕'}, reporter_phone = ${'139-1234-5678'}, reporter_email = ${'sg@example.org'} WHERE id = ${id}`.execute(
      s.db,
    );
    assert.deepEqual((await migrateToLatest(s)).applied.slice(0, 1), ['0028-personal-data']);
    const opened = (await readReporters(s.db, s.keyring, [id])).get(id);
    assert.deepEqual(opened, { name: '上官燕', phone: '139-1234-5678', email: 'sg@example.org' });
    const hash = phoneLookup(s.keyring, '13912345678');
    const byPhone = await s.db
      .selectFrom('personal_data')
      .select('owner_id')
      .where('phone_hash', '=', hash)
      .execute();
    assert.deepEqual(byPhone, [{ owner_id: id }]);
    await assert.rejects(sql`SELECT reporter_name FROM cases`.execute(s.db), 'the plaintext column is gone');
  } finally {
    await s.close();
  }
});

test('npx shanzhi keys rotate re-seals the data directory’s store under a new key', async (t) => {
  if (process.env.DATABASE_URL)
    return t.skip('the command line on the embedded store (rotation itself runs on both above)');
  const dataDir = mkdtempSync(join(tmpdir(), 'shanzhi-keys-'));
  try {
    const s = openStore({ dataDir });
    await migrateToLatest(s);
    const { id } = await makeCase({ db: s.db, keyring: s.keyring, clock });
    await s.close();
    const run = spawnSync(process.execPath, ['bin/shanzhi.js', 'keys', 'rotate'], {
      env: { ...process.env, SHANZHI_DATA_DIR: dataDir, DATABASE_URL: '' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /密钥 k2.*重新加密 1 条/);
    const after = openStore({ dataDir });
    try {
      const row = await after.db.selectFrom('personal_data').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.key_id, 'k2');
      assert.equal((await readReporters(after.db, after.keyring, [id])).get(id)?.name, '张三丰');
    } finally {
      await after.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
