import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import type { WorkCalendar } from '../core/calendar/work-calendar.ts';
import { CLOCK_OF, DEFAULT_LIMITS, type StageLimits } from '../core/workflow/clocks.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { planSweep } from '../core/workflow/sweep.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import { forUpdate, readJson, readTimestamp } from '../db/dialect.ts';
import { stepCase, type WorkflowDeps } from './act-on-case.ts';
import { appendCaseNote } from './append-case-note.ts';
import { noticeDeadlines } from '../mail/staff-notices.ts';

export interface SweepOptions {
  /** How long past a deadline before the case goes up a command-centre level (default one day). */
  overdueMs?: number;
  /** Cases read per query. */
  batchSize?: number;
}

export interface SweepReport {
  checked: number;
  notices: number;
  escalated: number;
  /** Whistled departments that did not report in on time; each escalates its case once. */
  unanswered_whistles: number;
  /** Cases another sweeper or a handler changed first; the next sweep sees them again. */
  skipped: number;
}

/** The sweeper acts as the province's command centre, and its events say so. */
function systemActor(countyCode: string): Actor {
  return {
    user_id: 'system',
    username: 'system',
    roles: ['province_centre'],
    scope: { code: `${countyCode.slice(0, 2)}0000000000`, level: 'province' },
    department_id: null,
  };
}

/**
 * Finds stages whose next check is due (an indexed query on next_check_at), issues the 50/80/100 %
 * notices once each, and escalates overdue cases to the next command centre. Idempotent and safe
 * to run twice at once: notices are keyed, clock updates are conditional on the row being as read,
 * and escalation goes through the workflow's version check. Nothing lives in memory between runs.
 */
export async function sweepCases(deps: WorkflowDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const { store, clock } = deps;
  const overdueMs = options.overdueMs ?? 86_400_000;
  const batchSize = options.batchSize ?? 500;
  const now = clock.now();
  const nowIso = now.toISOString();
  const calendars = new Map<string, WorkCalendar>();
  const seen = new Set<string>();
  const report: SweepReport = { checked: 0, notices: 0, escalated: 0, unanswered_whistles: 0, skipped: 0 };
  for (;;) {
    // Serves: cases_next_check_idx. Final and parked stages carry no next_check_at.
    const rows = await store.db
      .selectFrom('cases')
      .select([
        'id',
        'version',
        'stage',
        'county_code',
        'limits',
        'stage_started_at',
        'stage_deadline',
        'next_check_at',
        'notices_sent',
        'escalation_level',
        'clock_paused_ms',
      ])
      .where('next_check_at', '<=', nowIso)
      .orderBy('next_check_at')
      .limit(batchSize)
      .execute();
    const fresh = rows.filter((r) => !seen.has(r.id));
    if (fresh.length === 0) break;
    for (const row of fresh) {
      seen.add(row.id);
      report.checked += 1;
      const clockOf = CLOCK_OF[row.stage as Stage];
      const limits = row.limits ? readJson<StageLimits>(row.limits) : DEFAULT_LIMITS;
      let calendar = calendars.get(row.county_code);
      if (!calendar) {
        calendar = (await getCalendar(store.db, row.county_code)).calendar;
        calendars.set(row.county_code, calendar);
      }
      const plan =
        clockOf && row.stage_deadline
          ? planSweep(calendar, {
              stage_started_at: readTimestamp(row.stage_started_at),
              stage_deadline: readTimestamp(row.stage_deadline),
              notices_sent: row.notices_sent,
              escalation_level: row.escalation_level,
              limit: limits[clockOf],
              paused_ms: Number(row.clock_paused_ms),
              now,
              overdueMs,
            })
          : { notices: [], notices_sent: row.notices_sent, escalate: false, next_check_at: null };
      const recorded = await store.write(async (tx) => {
        const updated = await tx
          .updateTable('cases')
          .set({ notices_sent: plan.notices_sent, next_check_at: plan.next_check_at })
          .where('id', '=', row.id)
          .where('version', '=', row.version)
          .where('notices_sent', '=', row.notices_sent)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return false;
        if (plan.notices.length > 0) {
          await tx
            .insertInto('case_notices')
            .values(
              plan.notices.map((t) => ({
                case_id: row.id,
                stage: row.stage,
                stage_started_at: readTimestamp(row.stage_started_at),
                threshold: Math.round(t * 100),
                stage_deadline: readTimestamp(row.stage_deadline!),
                at: nowIso,
              })),
            )
            .onConflict((oc) => oc.columns(['case_id', 'stage_started_at', 'threshold']).doNothing())
            .execute();
          // Mail hook (docs/mail.md): the notices' mails, in the transaction that won the update above.
          await noticeDeadlines(tx, {
            case_id: row.id,
            stage: row.stage,
            thresholds: plan.notices.map((t) => Math.round(t * 100)),
            stage_deadline: readTimestamp(row.stage_deadline!),
            at: nowIso,
          });
        }
        return true;
      });
      if (!recorded) {
        report.skipped += 1;
        continue;
      }
      report.notices += plan.notices.length;
      if (plan.escalate) await escalate(deps, row, plan.next_check_at, report);
    }
    if (rows.length < batchSize) break;
  }
  await sweepWhistles(deps, nowIso, report);
  return report;
}

/**
 * 吹哨 unanswered: a summoned department past its report-in deadline. In one transaction the task
 * is marked escalated (the department may still report in, late) and the case climbs a level, its
 * escalate event naming the departments; a case that cannot climb (already at the province) gets a
 * note event instead, so that the marking is never without its event. A crash never escalates
 * twice or loses the escalation.
 */
async function sweepWhistles(deps: WorkflowDeps, nowIso: string, report: SweepReport): Promise<void> {
  const { store } = deps;
  // Serves: case_tasks_report_in_idx (status, report_in_deadline).
  const late = await store.db
    .selectFrom('case_tasks')
    .innerJoin('cases', 'cases.id', 'case_tasks.case_id')
    .select([
      'case_tasks.id as task_id',
      'case_tasks.department_id',
      'cases.id as case_id',
      'cases.county_code',
    ])
    .where('case_tasks.status', '=', 'awaiting_report_in')
    // Late once the deadline has passed: reporting in at the deadline itself is on time, as
    // report_in records it (src/core/workflow/effects-routing.ts).
    .where('case_tasks.report_in_deadline', '<', nowIso)
    .execute();
  if (late.length === 0) return;
  // Read before the transactions: on SQLite a transaction holds the only connection.
  const loaded = await deps.rules.current();
  const byCase = new Map<string, typeof late>();
  for (const task of late) byCase.set(task.case_id, [...(byCase.get(task.case_id) ?? []), task]);
  for (const [caseId, tasks] of byCase) {
    const deltas = await store.write(async (tx) => {
      const marked = await tx
        .updateTable('case_tasks')
        .set({ status: 'escalated' })
        .where(
          'id',
          'in',
          tasks.map((t) => t.task_id),
        )
        .where('status', '=', 'awaiting_report_in')
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return 0;
      report.unanswered_whistles += Number(marked.numUpdatedRows);
      // Locked (PostgreSQL) so that a handler's step in another process cannot move the version
      // between this read and the escalation, which would roll the marking back for this sweep.
      const { version } = await forUpdate(
        store.traits,
        tx.selectFrom('cases').select('version').where('id', '=', caseId),
      ).executeTakeFirstOrThrow();
      const departments = tasks.map((t) => t.department_id);
      const reason = `吹哨未按时报到：${departments.join(', ')} / Whistle unanswered in time by ${departments.join(', ')}`;
      const actor = systemActor(tasks[0]!.county_code);
      try {
        const done = await stepCase(
          { tx, traits: store.traits, clock: deps.clock, loaded, reopenWindowMs: deps.reopenWindowMs },
          actor,
          caseId,
          { action: 'escalate', expected_version: version, reason },
          { unanswered: departments },
        );
        report.escalated += 1;
        return done.deltas;
      } catch (error) {
        // Already at the province, or closed meanwhile: the tasks stay marked, and a note says so.
        if (!(error instanceof DomainError && error.code === 'case.invalid_transition')) throw error;
        await appendCaseNote({ tx, traits: store.traits, clock: deps.clock }, caseId, {
          actor: { user_id: actor.user_id, username: actor.username, role: actor.roles[0]! },
          text: reason,
          payload: { unanswered: departments, not_escalated: error.details.rule ?? error.details.stage },
        });
        return 0;
      }
    });
    deps.counts?.appended(deltas);
  }
}

/** The escalation and the sweeper's next look at the case, in one transaction. */
async function escalate(
  deps: WorkflowDeps,
  row: { id: string; version: number; county_code: string },
  nextCheckAt: string | null,
  report: SweepReport,
): Promise<void> {
  const { store } = deps;
  const loaded = await deps.rules.current();
  try {
    const deltas = await store.write(async (tx) => {
      const done = await stepCase(
        { tx, traits: store.traits, clock: deps.clock, loaded, reopenWindowMs: deps.reopenWindowMs },
        systemActor(row.county_code),
        row.id,
        {
          action: 'escalate',
          expected_version: row.version,
          reason: '超期未办结，自动提级 / Overdue: escalated automatically',
        },
      );
      // The escalation keeps the stage and its clock; the sweeper's plan says when to look again.
      await tx
        .updateTable('cases')
        .set({ next_check_at: nextCheckAt })
        .where('id', '=', row.id)
        .where('version', '=', done.version)
        .execute();
      return done.deltas;
    });
    deps.counts?.appended(deltas);
    report.escalated += 1;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'case.version_conflict') report.skipped += 1;
    else throw error;
  }
}
