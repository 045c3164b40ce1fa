import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { DiskBlobStorage } from '../../src/attachments/disk-storage.ts';
import { uploadAttachment } from '../../src/attachments/upload-attachment.ts';
import { verifyAudit } from '../../src/audit/verify-audit.ts';
import { readReporters } from '../../src/personal/reporter-data.ts';
import { findPgTool } from '../../src/backup/pg-tools.ts';
import { attachToCase } from '../../src/cases/attach-to-case.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openStore, type Store } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps } from '../../src/http/deps.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

// The backup runs as `npx shanzhi backup` would, in a process of its own, while this one keeps
// writing cases and uploads to the same store, as a server would.
const postgres = process.env.DATABASE_URL;
const skip: false | string =
  postgres && !findPgTool('pg_dump')
    ? 'PostgreSQL backup needs pg_dump, pg_restore and psql (Debian: apt-get install postgresql-client)'
    : false;

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let store: TestStore;
let storage: DiskBlobStorage;
let work: string;
/** The restore targets this file made: data directories and, on PostgreSQL, databases. */
const databases: string[] = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'shanzhi-backup-'));
  store = await makeTestStore();
  await seedXihu(store, clock);
  storage = await DiskBlobStorage.open(join(store.dataDir, 'attachments'));
  // Photos with thumbnails, one claimed by a case, one not yet.
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#884422' } })
    .jpeg()
    .toBuffer();
  const photo = await uploadAttachment({ db: store.db, storage, clock, actor: null }, { data: jpeg });
  await uploadAttachment({ db: store.db, storage, clock, actor: null }, { data: jpeg });
  const first = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await inTransaction(store.db, (tx) =>
    attachToCase(tx, { caseId: first.id, refs: [photo.id], actor: null, at: clock.now() }),
  );
  for (let i = 0; i < 20; i += 1) await makeCase({ db: store.db, keyring: store.keyring, clock });
});

after(async () => {
  await store.close();
  if (postgres) {
    const admin = openStore({ databaseUrl: postgres, dataDir: work });
    for (const name of databases) await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(admin.db);
    await admin.close();
  }
  rmSync(work, { recursive: true, force: true });
});

/** The source store's connection string as a separate process reaches it: its schema in `options`. */
function sourceUrl(): string {
  if (!postgres) return '';
  const url = new URL(postgres);
  url.searchParams.set('options', `-c search_path=${store.schema}`);
  return url.toString();
}

/** A fresh restore target: an empty data directory, and on PostgreSQL a new database and schema. */
async function newTarget(): Promise<{ dataDir: string; url: string; schema: string | undefined }> {
  const dataDir = join(work, `restored-${Math.random().toString(36).slice(2, 8)}`);
  if (!postgres) return { dataDir, url: '', schema: undefined };
  const name = `shanzhi_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = openStore({ databaseUrl: postgres, dataDir: work });
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin.db);
  await admin.close();
  databases.push(name);
  const url = new URL(postgres);
  url.pathname = `/${name}`;
  // Another name than the source's schema: the restore renames the dump's schema to it.
  const schema = `restored_${Math.random().toString(36).slice(2, 8)}`;
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { dataDir, url: url.toString(), schema };
}

const cli = (args: string[], env: { dataDir: string; url: string }) =>
  spawnSync(process.execPath, ['bin/shanzhi.js', ...args], {
    env: { ...process.env, SHANZHI_DATA_DIR: env.dataDir, DATABASE_URL: env.url },
    encoding: 'utf8',
  });

/** One write of the loop, in commit order. */
type Write = { table: 'cases' | 'attachments'; id: string; at: number };

/** Writes cases and staff uploads (PDFs, each different) one after another until stopped. */
function keepWriting(): { writes: Write[]; stop(): Promise<void> } {
  const writes: Write[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const c = await inTransaction(store.db, (tx) => makeCase({ db: tx, keyring: store.keyring, clock }));
      writes.push({ table: 'cases', id: c.id, at: Date.now() });
      const pdf = Buffer.from(`%PDF-1.4\n% upload ${i} ${'x'.repeat(i % 50)}\n%%EOF\n`);
      const a = await uploadAttachment({ db: store.db, storage, clock, actor: ACTORS.county }, { data: pdf });
      writes.push({ table: 'attachments', id: a.id, at: Date.now() });
    }
  })();
  return {
    writes,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Every table's rows, each as JSON, sorted; SQLite's FTS index and bookkeeping tables aside. */
async function tables(s: Store): Promise<Map<string, string[]>> {
  const names =
    s.traits.name === 'sqlite'
      ? (
          await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'
            AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'cases_fts%' ORDER BY name`.execute(s.db)
        ).rows
      : (
          await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
            s.db,
          )
        ).rows;
  const result = new Map<string, string[]>();
  for (const { name } of names) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(s.db)).rows;
    result.set(name, rows.map((row) => JSON.stringify(row)).sort());
  }
  return result;
}

/** Rows written by the loop carry its case or attachment ids in these columns. */
const OWNED_BY: Record<string, { column: string; table: Write['table'] }> = {
  cases: { column: 'id', table: 'cases' },
  case_events: { column: 'case_id', table: 'cases' },
  case_search_keys: { column: 'case_id', table: 'cases' },
  personal_data: { column: 'owner_id', table: 'cases' },
  attachments: { column: 'id', table: 'attachments' },
};

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((key) => !key.startsWith('.tmp/'))
    .sort();
}

let archive: string;
let snapshotWrites = 0;
/** The source's tables as of the snapshot, as the first test found them. */
let snapshotTables: Map<string, string[]>;

test(
  'a backup taken while writes go on restores into an empty store exactly as of its snapshot',
  { skip },
  async () => {
    archive = join(work, 'backup.tar');
    const writer = keepWriting();
    const started = Date.now();
    const child = spawn(process.execPath, ['bin/shanzhi.js', 'backup', archive], {
      env: { ...process.env, SHANZHI_DATA_DIR: store.dataDir, DATABASE_URL: sourceUrl() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const ended = Date.now();
    await writer.stop();
    assert.equal(code, 0, stderr);
    assert.match(stderr, /备份已写入/);
    const during = writer.writes.filter((w) => w.at > started && w.at < ended).length;
    assert.ok(during > 0, 'the loop committed writes while the backup ran');

    const target = await newTarget();
    const restored = cli(['restore', archive], target);
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stderr, /已从 .* 的备份恢复到/);

    const copy = openStore({
      databaseUrl: target.url || undefined,
      dataDir: target.dataDir,
      ...(target.schema ? { searchPath: target.schema } : {}),
    });
    try {
      // The snapshot holds the loop's writes up to some point and none after it.
      const present = new Set(
        [
          ...(await copy.db.selectFrom('cases').select('id').execute()),
          ...(await copy.db.selectFrom('attachments').select('id').execute()),
        ].map((r) => r.id),
      );
      const cut = writer.writes.findIndex((w) => !present.has(w.id));
      const kept = cut === -1 ? writer.writes : writer.writes.slice(0, cut);
      const later = new Set(writer.writes.slice(kept.length).map((w) => w.id));
      assert.ok(
        writer.writes.slice(kept.length).every((w) => !present.has(w.id)),
        'no write after the first missing one is in the snapshot',
      );
      snapshotWrites = kept.length;

      // Every table of the copy equals the source's as of the snapshot: the source less the later writes.
      const source = await tables(store);
      const restoredTables = await tables(copy);
      assert.deepEqual([...restoredTables.keys()], [...source.keys()]);
      snapshotTables = new Map();
      for (const [name, rows] of source) {
        const owner = OWNED_BY[name];
        const expected = owner
          ? rows.filter(
              (row) => !later.has(String((JSON.parse(row) as Record<string, unknown>)[owner.column])),
            )
          : rows;
        snapshotTables.set(name, expected);
        assert.equal(restoredTables.get(name)!.length, expected.length, `${name}: row count`);
        assert.deepEqual(restoredTables.get(name), expected, `${name}: rows`);
      }

      // Every file a restored row names, byte for byte, and no other file.
      const rows = await copy.db.selectFrom('attachments').select(['blob_key', 'thumbnail_key']).execute();
      const keys = rows.flatMap((r) => [r.blob_key, ...(r.thumbnail_key ? [r.thumbnail_key] : [])]).sort();
      assert.ok(
        keys.some((k) => k.endsWith('.thumb.webp')),
        'thumbnails are among the files',
      );
      assert.deepEqual(filesUnder(join(target.dataDir, 'attachments')), keys);
      for (const key of keys) {
        assert.ok(
          readFileSync(join(target.dataDir, 'attachments', key)).equals(
            readFileSync(join(store.dataDir, 'attachments', key)),
          ),
          key,
        );
      }

      // The hash chains verify as they did in the source, and the sealed personal data opens with the
      // restored data directory's keys (the archive carries the key file of a zero-setup store).
      const verified = await verifyAudit({ db: copy.db });
      assert.deepEqual(verified.issues, []);
      assert.ok(verified.events >= snapshotWrites / 2, 'the restored events were verified');
      const restoredIds = (await copy.db.selectFrom('personal_data').select('owner_id').execute()).map(
        (r) => r.owner_id,
      );
      assert.ok(restoredIds.length > 0);
      const opened = await readReporters(copy.db, copy.keyring, restoredIds);
      assert.equal(opened.size, restoredIds.length);
      for (const reporter of opened.values()) assert.equal(reporter.phone, '13800138000');

      // The restored store migrates (nothing left to do) and the app starts on it.
      assert.deepEqual((await migrateToLatest(copy)).applied, []);
      const app = await buildApp(makeAppDeps(copy, clock, 0), { logLevel: 'silent' });
      try {
        assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
      } finally {
        await app.close();
      }
    } finally {
      await copy.close();
    }
    process.stderr.write(
      `backup: ${writer.writes.length} writes during the test, ${during} while the backup ran, ${snapshotWrites} in the snapshot; ${statSync(archive).size} bytes\n`,
    );
  },
);

test('an archive with one byte changed anywhere is refused and nothing is restored', { skip }, async () => {
  assert.ok(archive, 'the backup test ran first');
  const size = statSync(archive).size;
  // A header field, the manifest's text, the database's bytes, the padding after the manifest, the last block.
  const manifestSize = Number.parseInt(readFileSync(archive).subarray(124, 135).toString('ascii'), 8);
  const offsets = [100, 520, 1024 + 700, 512 + manifestSize + 1, size - 1];
  for (const offset of offsets) {
    const damaged = join(work, `damaged-${offset}.tar`);
    copyFileSync(archive, damaged);
    const bytes = readFileSync(damaged);
    bytes[offset] = bytes[offset]! ^ 0x20;
    writeFileSync(damaged, bytes);
    const target = await newTarget();
    const res = cli(['restore', damaged], target);
    assert.equal(res.status, 1, `byte ${offset}: ${res.stderr}`);
    assert.match(res.stderr, /备份文件 .* 无效或已损坏.*\[backup\.archive_invalid\]/, `byte ${offset}`);
    assert.equal(existsSync(target.dataDir), false, `byte ${offset}: the data directory is not left behind`);
    if (target.url) {
      const copy = openStore({ databaseUrl: target.url, dataDir: work });
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*) AS n FROM pg_namespace WHERE nspname = ${target.schema!}`.execute(copy.db);
      await copy.close();
      assert.equal(rows[0]!.n, 0, `byte ${offset}: no schema was created`);
    }
  }
});

test(
  'a restore onto a data directory or a schema that is not empty is refused, and leaves it as it was',
  { skip },
  async () => {
    assert.ok(archive, 'the backup test ran first');
    const before = filesUnder(join(store.dataDir, 'attachments'));
    const onSource = cli(['restore', archive], { dataDir: store.dataDir, url: sourceUrl() });
    assert.equal(onSource.status, 1);
    assert.match(onSource.stderr, /恢复目标 .* 不是空的.*\[backup\.target_not_empty\]/);
    assert.deepEqual(filesUnder(join(store.dataDir, 'attachments')), before);
    if (postgres) {
      // An empty data directory but the source's own schema, full of tables.
      const dataDir = join(work, 'empty-dir-full-schema');
      const res = cli(['restore', archive], { dataDir, url: sourceUrl() });
      assert.equal(res.status, 1);
      assert.match(res.stderr, new RegExp(`schema ${store.schema}.*\\[backup\\.target_not_empty\\]`));
      assert.equal(existsSync(dataDir), false);
    }
  },
);

test('a backup never replaces an existing file', { skip }, () => {
  assert.ok(archive, 'the backup test ran first');
  const before = readFileSync(archive);
  const res = cli(['backup', archive], { dataDir: store.dataDir, url: sourceUrl() });
  assert.equal(res.status, 1);
  assert.match(res.stderr, /\[backup\.file_exists\]/);
  assert.ok(readFileSync(archive).equals(before));
});

test(
  'on PostgreSQL, a restore into an existing empty schema of the backup’s own name keeps that schema',
  { skip: skip || (postgres ? false : 'PostgreSQL only (run through scripts/with-postgres.sh)') },
  async () => {
    assert.ok(snapshotTables, 'the backup test ran first');
    const target = await newTarget();
    const url = new URL(target.url);
    url.searchParams.set('options', `-c search_path=${store.schema}`);
    const made = openStore({ databaseUrl: target.url, dataDir: work });
    await sql`CREATE SCHEMA ${sql.id(store.schema!)}`.execute(made.db);
    await made.close();
    const res = cli(['restore', archive], { dataDir: target.dataDir, url: url.toString() });
    assert.equal(res.status, 0, res.stderr);
    const copy = openStore({
      databaseUrl: url.toString(),
      dataDir: target.dataDir,
      searchPath: store.schema!,
    });
    try {
      assert.deepEqual(await tables(copy), snapshotTables);
      assert.deepEqual((await migrateToLatest(copy)).applied, []);
    } finally {
      await copy.close();
    }
  },
);
