import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { attachToCase } from '../../src/cases/attach-to-case.ts';
import { DiskBlobStorage } from '../../src/attachments/disk-storage.ts';
import { pruneUnclaimedAttachments } from '../../src/attachments/prune-attachments.ts';
import { uploadAttachment } from '../../src/attachments/upload-attachment.ts';
import type { Actor } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { isDomainError } from '../../src/core/errors.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let store: TestStore;
let storage: DiskBlobStorage;
let jpeg: Buffer;

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
  storage = await DiskBlobStorage.open(join(store.dataDir, 'attachments'));
  jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
});
after(() => store.close());

const upload = (actor: Actor | null = null) =>
  uploadAttachment({ db: store.db, storage, clock, actor }, { data: jpeg });
const newCase = async () => (await makeCase({ db: store.db, keyring: store.keyring, clock })).id;
const claim = (caseId: string, refs: string[], actor: Actor | null = null) =>
  inTransaction(store.db, (tx) => attachToCase(tx, { caseId, refs, actor, at: clock.now() }));
const caseOf = async (id: string) =>
  (await store.db.selectFrom('attachments').select('case_id').where('id', '=', id).executeTakeFirstOrThrow())
    .case_id;

const notClaimable = (error: unknown) => isDomainError(error) && error.code === 'attachment.not_claimable';

test('a report claims its uploads by id or by URL; outside links stay links', async () => {
  const [a, b] = [await upload(), await upload()];
  const caseId = await newCase();
  const result = await claim(caseId, [
    a.id,
    `/api/v1/attachments/${b.id}`,
    'https://example.org/p.jpg',
    'old.jpg',
  ]);
  assert.deepEqual(result, { attachmentIds: [a.id, b.id], links: ['https://example.org/p.jpg', 'old.jpg'] });
  assert.equal(await caseOf(a.id), caseId);
  assert.equal(await caseOf(b.id), caseId);
  // Naming them again for the same case (a later step's evidence) is accepted.
  await claim(caseId, [a.id]);
});

test('an attachment belongs to one case: unknown or already claimed ids are refused and nothing is claimed', async () => {
  const [a, b] = [await upload(), await upload()];
  const first = await newCase();
  await claim(first, [a.id]);
  const second = await newCase();
  await assert.rejects(claim(second, [b.id, a.id]), notClaimable);
  assert.equal(await caseOf(b.id), null, 'the whole claim rolled back');
  await assert.rejects(claim(second, ['00000000-0000-4000-8000-000000000000']), notClaimable);
});

test('an upload by a signed-in user is claimed only by that user', async () => {
  const mine = await upload(ACTORS.urban);
  const caseId = await newCase();
  await assert.rejects(claim(caseId, [mine.id], ACTORS.market), notClaimable);
  await assert.rejects(claim(caseId, [mine.id], null), notClaimable);
  await claim(caseId, [mine.id], ACTORS.urban);
  assert.equal(await caseOf(mine.id), caseId);
});

test('a claim inside a transaction that fails is undone with it', async () => {
  const a = await upload();
  const caseId = await newCase();
  await assert.rejects(
    inTransaction(store.db, async (tx) => {
      await attachToCase(tx, { caseId, refs: [a.id], actor: null, at: clock.now() });
      throw new Error('the intake failed after claiming');
    }),
    /intake failed/,
  );
  assert.equal(await caseOf(a.id), null);
});

test('uploads nobody claimed within a day are removed with their files; claimed ones stay', async () => {
  const stale = await upload();
  const kept = await upload();
  await claim(await newCase(), [kept.id]);
  const unclaimed = await store.db
    .selectFrom('attachments')
    .select('id')
    .where('case_id', 'is', null)
    .execute();
  clock.advance(25 * 3600_000);
  const recent = await upload();
  const keys = await store.db
    .selectFrom('attachments')
    .select(['id', 'blob_key', 'thumbnail_key'])
    .where('id', '=', stale.id)
    .executeTakeFirstOrThrow();
  const { removed } = await pruneUnclaimedAttachments({ db: store.db, storage, clock });
  assert.equal(removed, unclaimed.length);
  const left = (await store.db.selectFrom('attachments').select('id').execute()).map((r) => r.id);
  assert.ok(!left.includes(stale.id));
  assert.ok(left.includes(kept.id) && left.includes(recent.id));
  assert.equal(await storage.get(keys.blob_key), null);
  assert.equal(await storage.get(keys.thumbnail_key!), null);
});
