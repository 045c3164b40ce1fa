import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/core/clock.ts';
import type { DbOrTx } from '../../src/db/schema.ts';

let sequence = 0;

/**
 * Inserts a case in stage 'reported' with its first event, as intake would (until the intake
 * use case replaces this in tests). The registration clock runs from the report: 2 work hours.
 */
export async function makeCase(
  deps: { db: DbOrTx; clock: Clock },
  fields: {
    category_code?: string | null;
    region_code?: string;
    reporter_user_id?: string | null;
    stage_deadline?: string | null;
  } = {},
): Promise<{ id: string; version: number }> {
  const id = randomUUID();
  const now = deps.clock.now().toISOString();
  const region = fields.region_code ?? '330106002051';
  sequence += 1;
  await deps.db
    .insertInto('cases')
    .values({
      id,
      reference: `${region.slice(0, 6)}-T-${String(sequence).padStart(5, '0')}-${id.slice(0, 4)}`,
      channel: 'web',
      category_code: fields.category_code === undefined ? 'SJ0102' : fields.category_code,
      title: '垃圾堆放',
      description: '小区门口垃圾堆放多日',
      address: null,
      lon: null,
      lat: null,
      grid_code: null,
      region_code: region,
      county_code: `${region.slice(0, 6)}000000`,
      stage: 'reported',
      stage_before_park: null,
      version: 1,
      reporter_name: '张三丰',
      reporter_phone: '13800138000',
      reporter_email: null,
      reporter_user_id: fields.reporter_user_id ?? null,
      anonymous: 0,
      idempotency_key: null,
      merged_into: null,
      owner_department_id: null,
      responsibility_list_id: null,
      responsibility_version: null,
      responsibility_entry_id: null,
      limits: null,
      dispatch_overridden: 0,
      return_count: 0,
      rework_count: 0,
      extension_count: 0,
      escalation_level: 0,
      stage_started_at: now,
      stage_deadline: fields.stage_deadline ?? null,
      next_check_at: null,
      notices_sent: 0,
      paused_ms: 0,
      handling_deadline: null,
      reported_at: now,
      registered_at: null,
      dispatched_at: null,
      accepted_at: null,
      feedback_at: null,
      closed_at: null,
      rating: null,
      rated_fixed: null,
      rated_at: null,
      updated_at: now,
      parked_at: null,
      pending_extension: null,
    })
    .execute();
  await deps.db
    .insertInto('case_events')
    .values({
      case_id: id,
      version: 1,
      at: now,
      actor_user_id: fields.reporter_user_id ?? null,
      actor_username: 'test',
      actor_role: 'resident',
      action: 'report',
      from_stage: null,
      to_stage: 'reported',
      reason: null,
      payload: '{}',
    })
    .execute();
  return { id, version: 1 };
}
