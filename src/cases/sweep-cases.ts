import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import type { WorkCalendar } from '../core/calendar/work-calendar.ts';
import { CLOCK_OF, DEFAULT_LIMITS, type StageLimits } from '../core/workflow/clocks.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { planSweep } from '../core/workflow/sweep.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import { readJson, readTimestamp } from '../db/dialect.ts';
import { actOnCase, type WorkflowDeps } from './act-on-case.ts';

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
  const report: SweepReport = { checked: 0, notices: 0, escalated: 0, skipped: 0 };
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
              now,
              overdueMs,
            })
          : { notices: [], notices_sent: row.notices_sent, escalate: false, next_check_at: null };
      const recorded = await store.db.transaction().execute(async (tx) => {
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
  return report;
}

async function escalate(
  deps: WorkflowDeps,
  row: { id: string; version: number; county_code: string },
  nextCheckAt: string | null,
  report: SweepReport,
): Promise<void> {
  try {
    const done = await actOnCase(deps, systemActor(row.county_code), row.id, {
      action: 'escalate',
      expected_version: row.version,
      reason: '超期未办结，自动提级 / Overdue: escalated automatically',
    });
    // The escalation keeps the stage and its clock; the sweeper's plan says when to look again.
    await deps.store.db
      .updateTable('cases')
      .set({ next_check_at: nextCheckAt })
      .where('id', '=', row.id)
      .where('version', '=', done.version)
      .execute();
    report.escalated += 1;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'case.version_conflict') report.skipped += 1;
    else throw error;
  }
}
