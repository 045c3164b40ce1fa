import { randomUUID } from 'node:crypto';
import { newCaseRow } from '../../src/cases/case-rows.ts';
import { eventRow } from '../../src/cases/step-rows.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { DbOrTx } from '../../src/db/schema.ts';
import type { Keyring } from '../../src/db/keyring.ts';
import { sealReporter } from '../../src/personal/reporter-data.ts';

const REPORTER = { name: '张三丰', phone: '13800138000', email: null };

let sequence = 0;

/**
 * Inserts a case in stage 'reported' with its first event, as intake would (until the intake
 * use case replaces this in tests). The registration clock runs from the report: 2 work hours.
 */
export async function makeCase(
  deps: { db: DbOrTx; clock: Clock; keyring: Keyring },
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
  // The report event as intake writes it (chained: src/core/audit), by a resident named 'test'.
  const first = eventRow(
    id,
    { user_id: fields.reporter_user_id ?? null, username: 'test' },
    {
      version: 1,
      at: now,
      action: 'report',
      actor_role: 'resident',
      from_stage: null,
      to_stage: 'reported',
      reason: null,
      payload: {},
    },
    null,
  );
  await deps.db
    .insertInto('cases')
    .values(
      newCaseRow({
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
        reporter_user_id: fields.reporter_user_id ?? null,
        anonymous: 0,
        stage_started_at: now,
        stage_deadline: fields.stage_deadline ?? null,
        reported_at: now,
        updated_at: now,
        last_event_hash: first.hash,
      }),
    )
    .execute();
  await deps.db.insertInto('case_events').values(first).execute();
  // The reporter's data sealed as intake seals it.
  const personal = sealReporter(deps.keyring, id, REPORTER, now);
  if (personal) await deps.db.insertInto('personal_data').values(personal).execute();
  return { id, version: 1 };
}
