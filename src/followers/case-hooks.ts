import type { CaseEventDraft, CaseChanges, TaskChange } from '../core/workflow/case-snapshot.ts';
import { normalizeAddress } from '../core/mail/address.ts';
import { actionLabel, stageLabel } from '../i18n/case-labels.ts';
import type { DbOrTx } from '../db/schema.ts';
import { deliverEvent } from '../mail/enqueue.ts';
import { noticeAssignment, noticeSupervision, noticeWhistle } from '../mail/staff-notices.ts';
import { alertAreas, type NewCaseFacts } from './area-alerts.ts';
import { followerDeliveries } from './deliveries.ts';
import { copyFollowers } from './merge-followers.ts';
import { newId } from './subscriptions.ts';

/**
 * Intake's share of mail, in the intake transaction (src/cases/report-case.ts calls it with the
 * new case row, just before appending the `report` event):
 * - the reporter follows their own case: by the address they gave (confirmed, since they gave it
 *   themselves) and, signed in, by their account;
 * - everyone whose area holds the new case gets an alert (or a digest line).
 */
export async function afterCaseReported(
  tx: DbOrTx,
  row: NewCaseFacts & { reporter_user_id: string | null },
): Promise<void> {
  const at = row.reported_at;
  const address = row.reporter_email ? normalizeAddress(row.reporter_email) : null;
  const follows = [
    ...(address ? [{ user_id: null, email: address }] : []),
    ...(row.reporter_user_id ? [{ user_id: row.reporter_user_id, email: null }] : []),
  ];
  if (follows.length > 0) {
    await tx
      .insertInto('case_followers')
      .values(
        follows.map((f) => ({
          id: newId(),
          case_id: row.id,
          ...f,
          status: 'active' as const,
          digest: 0,
          nonce: null,
          requested_at: at,
          created_at: at,
          confirmed_at: at,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await alertAreas(tx, row);
}

/** What act-on-case knows after a step: the row before it, and the step's outcome. */
export interface ActedFacts {
  row: { id: string; reference: string; county_code: string; owner_department_id: string | null };
  event: CaseEventDraft;
  changes: CaseChanges;
  tasks: readonly TaskChange[];
}

/**
 * A workflow step's share of mail, in the step's transaction, after its event is appended:
 * - a stage change → one mail (or digest line) to each follower;
 * - merge → the duplicate's followers follow the original too;
 * - dispatch / arbitrate → the assigned units; whistle → the summoned units; supervise → the owner.
 */
export async function afterCaseActed(tx: DbOrTx, facts: ActedFacts): Promise<void> {
  const { row, event, changes } = facts;
  const c = { case_id: row.id, reference: row.reference, at: event.at };
  if (event.from_stage !== event.to_stage) {
    await deliverEvent(
      tx,
      await followerDeliveries(tx, row.id),
      {
        template: 'case_status',
        reference: row.reference,
        from: stageLabel(event.from_stage),
        to: stageLabel(event.to_stage),
        action: actionLabel(event.action),
        at: event.at,
      },
      { audience: 'resident', case_id: row.id, reference: row.reference },
      event.at,
    );
  }
  if (event.action === 'merge' && changes.merged_into) {
    await copyFollowers(tx, row.id, changes.merged_into, event.at);
  }
  const created = facts.tasks.flatMap((t) => (t.kind === 'create' ? [t] : []));
  const assigned = created.flatMap((t) =>
    t.role === 'summoned'
      ? []
      : [
          {
            department_id: t.department_id,
            role: t.role,
            deadline: t.deadline ?? changes.handling_deadline ?? null,
          },
        ],
  );
  if (assigned.length > 0) await noticeAssignment(tx, c, assigned);
  const summoned = created.filter((t) => t.role === 'summoned');
  if (summoned.length > 0) await noticeWhistle(tx, c, summoned);
  if (event.action === 'supervise') {
    await noticeSupervision(tx, {
      ...c,
      owner_department_id: changes.owner_department_id ?? row.owner_department_id,
      county_code: row.county_code,
      reason: event.reason,
    });
  }
}
