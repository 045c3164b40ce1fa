import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { recordAudit } from '../accounts/record-audit.ts';
import { caseOfReporterKey } from './reporter-key.ts';
import type { Store } from '../db/database.ts';
import { readTimestamp } from '../db/dialect.ts';
import { inTransaction } from '../db/transaction.ts';
import { readReporters, type Reporter } from './reporter-data.ts';

type Deps = { store: Pick<Store, 'db' | 'keyring'>; clock: Clock };

export interface ReportedCaseData {
  id: string;
  reference: string;
  title: string;
  description: string;
  address: string | null;
  status: string;
  reported_at: string;
  reporter: Reporter | null;
}

/**
 * Everything the platform holds about a signed-in person, opened for them alone (docs/personal-
 * data.md): their account, the cases they reported with the data they gave, and what they follow.
 * The export is itself recorded in the chained audit log.
 */
export async function exportMyData(deps: Deps, actor: Actor) {
  const { db, keyring } = deps.store;
  const account = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'email', 'created_at'])
    .where('id', '=', actor.user_id)
    .executeTakeFirst();
  if (!account) throw new DomainError('auth.required', {});
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'reference', 'title', 'description', 'address', 'stage', 'reported_at'])
    .where('reporter_user_id', '=', actor.user_id)
    .orderBy('reported_at')
    .execute();
  const reporters = await readReporters(
    db,
    keyring,
    cases.map((c) => c.id),
  );
  const follows = await db
    .selectFrom('case_followers')
    .innerJoin('cases', 'cases.id', 'case_followers.case_id')
    .select(['cases.reference', 'case_followers.status', 'case_followers.created_at'])
    .where('case_followers.user_id', '=', actor.user_id)
    .execute();
  const areas = await db
    .selectFrom('area_subscriptions')
    .select(['id', 'region_code', 'lon', 'lat', 'radius_m', 'status', 'created_at'])
    .where('user_id', '=', actor.user_id)
    .execute();
  const now = deps.clock.now();
  await inTransaction(db, (tx) =>
    recordAudit(tx, {
      actor,
      action: 'personal_data.export',
      target_type: 'user',
      target_id: actor.user_id,
      details: { cases: cases.length },
      at: now,
    }),
  );
  return {
    exported_at: now.toISOString(),
    account: {
      username: account.username,
      display_name: account.display_name,
      email: account.email,
      created_at: readTimestamp(account.created_at),
    },
    cases: cases.map((c): ReportedCaseData => ({
      id: c.id,
      reference: c.reference,
      title: c.title,
      description: c.description,
      address: c.address,
      status: c.stage,
      reported_at: readTimestamp(c.reported_at),
      reporter: reporters.get(c.id) ?? null,
    })),
    follows: follows.map((f) => ({
      reference: f.reference,
      status: f.status,
      since: readTimestamp(f.created_at),
    })),
    areas: areas.map((a) => ({
      region_code: a.region_code,
      circle:
        a.lon === null || a.lat === null
          ? null
          : { lon: Number(a.lon), lat: Number(a.lat), radius_m: Number(a.radius_m) },
      status: a.status,
      since: readTimestamp(a.created_at),
    })),
  };
}

/** What a reporter without an account gave with one case, opened for the holder of its key. */
export async function exportReportData(
  deps: Deps,
  reference: string,
  key: string,
): Promise<ReportedCaseData> {
  const row = await caseOfReporterKey(deps.store.db, reference, key);
  const reporter = (await readReporters(deps.store.db, deps.store.keyring, [row.id])).get(row.id) ?? null;
  await inTransaction(deps.store.db, (tx) =>
    recordAudit(tx, {
      actor: { user_id: null, username: 'reporter' },
      action: 'personal_data.export',
      target_type: 'case',
      target_id: row.id,
      at: deps.clock.now(),
    }),
  );
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    address: row.address,
    status: row.stage,
    reported_at: readTimestamp(row.reported_at),
    reporter,
  };
}
