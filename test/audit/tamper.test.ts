import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { anchorAudit } from '../../src/audit/anchor-audit.ts';
import { verifyAudit } from '../../src/audit/verify-audit.ts';
import { appendCaseNote } from '../../src/cases/append-case-note.ts';
import { hashCaseEvent } from '../../src/core/audit/hashes.ts';
import type { AuditIssue } from '../../src/core/audit/issues.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { readJson, readTimestamp } from '../../src/db/dialect.ts';
import { sha256 } from '../../src/db/sha256.ts';
import { describeIssue } from '../../src/i18n/audit.ts';
import { Scenario } from '../helpers/scenario.ts';

let s: Scenario;
let dir: string;
/** Cases of the scenario, each with several steps: one per kind of tampering. */
const ids: Record<'edited' | 'removed' | 'forged' | 'swapped' | 'rewritten' | 'untouched', string> = {
  edited: '',
  removed: '',
  forged: '',
  swapped: '',
  rewritten: '',
  untouched: '',
};

const db = () => s.t.store.db;
const verify = (caseId?: string) =>
  verifyAudit({ db: db() }, { caseId, anchorFile: join(dir, 'anchors.jsonl') });
const only = (issues: AuditIssue[], caseId: string) => issues.filter((i) => i.case_id === caseId);

async function event(caseId: string, version: number) {
  return db()
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shanzhi-audit-'));
  s = await Scenario.start();
  for (const key of Object.keys(ids) as Array<keyof typeof ids>) {
    s.at('2026-03-02 09:00');
    const { id } = await s.report();
    ids[key] = id;
    await s.act('county.center', id, { action: 'register' });
    await s.handleToClosure(id, {
      dispatch: '2026-03-02 09:30',
      feedback: '2026-03-02 11:00',
      close: '2026-03-02 14:00',
    });
  }
  // A timeline note (an Open311 update, the sweeper's unanswered whistle) chains too.
  await s.t.store.write((tx) =>
    appendCaseNote({ tx, traits: s.t.store.traits, clock: s.clock }, ids.untouched, {
      actor: { user_id: null, username: 'open311:test', role: 'open311' },
      text: '外部系统更新',
      payload: { update_id: 'u-1', status: 'closed' },
    }),
  );
  // Anchor 2 March (China time): the anchor's clock is a day later.
  const anchored = await anchorAudit(
    { store: s.t.store, clock: fixedClock('2026-03-03T09:00:00+08:00') },
    { file: join(dir, 'anchors.jsonl') },
  );
  assert.deepEqual(
    anchored.anchored.map((a) => a.period),
    ['2026-03-02'],
  );
});
after(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an untouched database verifies clean: every case, the audit_log and the anchors', async () => {
  const report = await verify();
  assert.deepEqual(report.issues.map(describeIssue), []);
  assert.equal(report.cases, 6);
  assert.equal(report.events, 6 * 8 + 1);
  assert.ok(report.audit_rows > 0, 'the sign-ins of the scenario are in the audit_log');
  assert.equal(report.anchors, 1);
  const anchor = await db().selectFrom('audit_anchors').selectAll().executeTakeFirstOrThrow();
  assert.equal(anchor.cases, 6);
});

test('a second anchoring run finds nothing to anchor', async () => {
  const again = await anchorAudit({ store: s.t.store, clock: fixedClock('2026-03-03T09:00:00+08:00') });
  assert.deepEqual(again.anchored, []);
});

test('an event whose payload was edited is named by its case and version', async () => {
  const id = ids.edited;
  const original = await event(id, 8);
  await db()
    .updateTable('case_events')
    .set({ payload: JSON.stringify({ rating: 1, fixed: false }) })
    .where('id', '=', original.id)
    .execute();
  const issues = only((await verify()).issues, id);
  assert.deepEqual(
    issues.map((i) => [i.kind, i.version]),
    [['event.changed', 8]],
  );
  assert.match(describeIssue(issues[0]!), new RegExp(`${id} version 8`));
  assert.equal((await verify(id)).issues.length, 1, '--case checks that case alone');
});

test('a removed event is named as the missing version', async () => {
  const id = ids.removed;
  await db().deleteFrom('case_events').where('case_id', '=', id).where('version', '=', 4).execute();
  const issues = only((await verify()).issues, id);
  assert.deepEqual(
    issues.map((i) => [i.kind, i.version, i.to_version]),
    [['event.missing', 4, 4]],
  );
});

test('a forged event appended to a case is named, even with a hash computed as the system would', async () => {
  const id = ids.forged;
  const last = await event(id, 8);
  const forged = {
    case_id: id,
    version: 9,
    at: readTimestamp(last.at),
    actor_user_id: null,
    actor_username: 'county.center',
    actor_role: 'county_centre',
    action: 'reopen',
    from_stage: 'closed',
    to_stage: 'registered',
    reason: '伪造',
    payload: {},
  };
  await db()
    .insertInto('case_events')
    .values({
      ...forged,
      payload: '{}',
      prev_hash: last.hash,
      hash: hashCaseEvent(sha256, last.hash, forged),
    })
    .execute();
  const issues = only((await verify()).issues, id);
  assert.deepEqual(
    issues.map((i) => [i.kind, i.version]),
    [['event.extra', 9]],
  );
});

test('two events whose versions were swapped are both named, with the version each was written as', async () => {
  const id = ids.swapped;
  const [a, b] = [await event(id, 5), await event(id, 6)];
  // Through a free version: (case_id, version) is unique.
  await db().updateTable('case_events').set({ version: -1 }).where('id', '=', a.id).execute();
  await db().updateTable('case_events').set({ version: 5 }).where('id', '=', b.id).execute();
  await db().updateTable('case_events').set({ version: 6 }).where('id', '=', a.id).execute();
  const issues = only((await verify()).issues, id);
  assert.deepEqual(
    issues.map((i) => [i.kind, i.version, i.expected]),
    [
      ['event.moved', 5, 6],
      ['event.moved', 6, 5],
    ],
  );
});

test('a case whose chain was rewritten with valid hashes is caught by the anchor of its day', async () => {
  const id = ids.rewritten;
  const events = await db()
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', id)
    .orderBy('version')
    .execute();
  let prev: string | null = null;
  for (const e of events) {
    const payload = e.version === 8 ? { rating: 5, fixed: true, note: '改写' } : readJson(e.payload);
    const hash = hashCaseEvent(sha256, prev, { ...e, at: readTimestamp(e.at), payload });
    await db()
      .updateTable('case_events')
      .set({ payload: JSON.stringify(payload), prev_hash: prev, hash })
      .where('id', '=', e.id)
      .execute();
    prev = hash;
  }
  await db().updateTable('cases').set({ last_event_hash: prev }).where('id', '=', id).execute();
  const report = await verify();
  assert.deepEqual(only(report.issues, id), [], 'the chain itself is consistent again');
  const anchors = report.issues.filter((i) => i.kind.startsWith('anchor.'));
  assert.deepEqual(
    anchors.map((i) => [i.kind, i.period]),
    [['anchor.events', '2026-03-02']],
  );
});

test('an edited audit_log row is named by its id, and so is the row after a removed one', async () => {
  const rows = await db().selectFrom('audit_log').selectAll().orderBy('id').execute();
  assert.ok(rows.length >= 3);
  const [edited, removed, next] = [rows[0]!, rows[1]!, rows[2]!];
  await db()
    .updateTable('audit_log')
    .set({ actor_username: 'someone.else' })
    .where('id', '=', edited.id)
    .execute();
  await db().deleteFrom('audit_log').where('id', '=', removed.id).execute();
  const issues = (await verify()).issues.filter((i) => i.kind.startsWith('audit.'));
  assert.deepEqual(
    issues.map((i) => [i.kind, i.row_id]),
    [
      ['audit.changed', Number(edited.id)],
      ['audit.link', Number(next.id)],
    ],
  );
});

test('an anchor changed in the database or missing from the anchor file is named by its period', async () => {
  const file = join(dir, 'anchors.jsonl');
  const [line] = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(JSON.parse(line!).period, '2026-03-02');
  writeFileSync(file, `${JSON.stringify({ ...JSON.parse(line!), digest: '0'.repeat(64) })}\n`);
  const issues = (await verify()).issues.filter((i) => i.kind === 'anchor.file');
  assert.deepEqual(
    issues.map((i) => i.period),
    ['2026-03-02'],
  );
  await db().updateTable('audit_anchors').set({ cases: 7 }).where('period', '=', '2026-03-02').execute();
  const changed = (await verify()).issues.filter((i) => i.kind === 'anchor.changed');
  assert.deepEqual(
    changed.map((i) => i.period),
    ['2026-03-02'],
  );
});
