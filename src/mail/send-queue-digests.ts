import { sql } from 'kysely';
import type { Actor, Role } from '../core/access/roles.ts';
import { nextDigestAt } from '../core/mail/schedule.ts';
import { subtreeRange } from '../core/regions/codes.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { toActor } from '../accounts/users.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { stageLabel } from '../i18n/case-labels.ts';
import { enqueueMail } from './enqueue.ts';
import type { DigestDeps } from './send-digests.ts';

/** The stages in which a case waits for someone of each role, in their region. */
const WAITING_IN_SCOPE: Partial<Record<Role, readonly Stage[]>> = {
  county_centre: ['reported', 'verifying', 'registered', 'arbitration', 'verified'],
  city_centre: ['arbitration'],
  province_centre: ['arbitration'],
  township_handler: ['reported', 'verifying', 'registered', 'awaiting_verification', 'verified'],
  community_handler: ['reported', 'verifying', 'awaiting_verification'],
  grid_worker: ['verifying', 'awaiting_verification'],
};
/** The stages in which a case waits for the department that owns it. */
const WAITING_FOR_OWNER: readonly Stage[] = ['dispatched', 'handling'];
/** Cases listed in one digest; the counts cover them all. */
const LISTED = 20;

function queueFilter(actor: Actor) {
  const scoped = [...new Set(actor.roles.flatMap((r) => WAITING_IN_SCOPE[r] ?? []))];
  const { low, high } = subtreeRange(actor.scope.code, actor.scope.level);
  return { scoped, low, high, department: actor.department_id };
}

/** One staff member's queue: how many cases wait for them, how many are overdue, the most urgent. */
async function readQueue(db: DbOrTx, actor: Actor, now: string) {
  const f = queueFilter(actor);
  if (f.scoped.length === 0 && !f.department) return null;
  const base = db
    .selectFrom('cases')
    .where((eb) =>
      eb.or([
        ...(f.scoped.length > 0
          ? [
              eb.and([
                eb('region_code', '>=', f.low),
                eb('region_code', '<=', f.high),
                eb('stage', 'in', f.scoped),
              ]),
            ]
          : []),
        ...(f.department
          ? [
              eb.and([
                eb('owner_department_id', '=', f.department),
                eb('stage', 'in', [...WAITING_FOR_OWNER]),
              ]),
            ]
          : []),
      ]),
    );
  const counts = await base
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(sql`CASE WHEN stage_deadline < ${now} THEN 1 ELSE 0 END`).as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  const rows = await base
    .select(['reference', 'stage', 'stage_deadline'])
    .orderBy(sql`CASE WHEN stage_deadline IS NULL THEN 1 ELSE 0 END`)
    .orderBy('stage_deadline')
    .limit(LISTED)
    .execute();
  return {
    total: Number(counts.total),
    overdue: Number(counts.overdue ?? 0),
    cases: rows.map((r) => {
      const deadline = r.stage_deadline === null ? null : readTimestamp(r.stage_deadline);
      return {
        reference: r.reference,
        stage: stageLabel(r.stage),
        deadline,
        overdue: deadline !== null && deadline < now,
      };
    }),
  };
}

/**
 * The staff's daily queue digest: every account whose `queue_digest_at` (the swept timer) is due
 * gets its queue, and the timer moves to the next day in the same transaction, conditional on the
 * value read, so two digest jobs never send one account two digests. An empty queue sends nothing.
 */
export async function sendQueueDigests(
  deps: DigestDeps,
  options: { batchSize?: number } = {},
): Promise<{ digests: number }> {
  const { db } = deps.store;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const next = nextDigestAt(now).toISOString();
  let digests = 0;
  for (;;) {
    // Serves: users_queue_digest_idx.
    const due = await db
      .selectFrom('users')
      .selectAll()
      .where('queue_digest_at', '<=', nowIso)
      .orderBy('queue_digest_at')
      .limit(options.batchSize ?? 200)
      .execute();
    if (due.length === 0) break;
    for (const user of due) {
      await db.transaction().execute(async (tx) => {
        const claimed = await tx
          .updateTable('users')
          .set({ queue_digest_at: next })
          .where('id', '=', user.id)
          .where('queue_digest_at', '=', readTimestamp(user.queue_digest_at))
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1 || !user.email || user.disabled) return;
        const queue = await readQueue(tx, toActor(user), nowIso);
        if (!queue || queue.total === 0) return;
        await enqueueMail(
          tx,
          { to: user.email, content: { template: 'staff_queue_digest', ...queue } },
          nowIso,
        );
        digests += 1;
      });
    }
  }
  return { digests };
}
