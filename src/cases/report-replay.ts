import { randomBytes } from 'node:crypto';
import type { Channel, Stage } from '../core/workflow/stages.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { hashReporterKey } from '../personal/reporter-key.ts';
import { getRegion } from '../regions/find-regions.ts';
import type { ReportDeps, ReportedCase } from './report-input.ts';
import { suggestDuplicates } from './suggest-duplicates.ts';

/** Idempotent intake: finding the case a key created, and answering a retry with it. */

/** A fresh reporter key: handed out once; only its hash (personal/reporter-key.ts) is kept. */
export function newReporterKey(): string {
  return randomBytes(24).toString('base64url');
}

interface StoredCase {
  id: string;
  reference: string;
  stage: string;
  version: number;
  channel: string;
  category_code: string | null;
  grid_code: string | null;
  region_code: string;
  lon: number | null;
  lat: number | null;
  reported_at: unknown;
  reporter_key_hash: string | null;
}

export async function findByKey(db: DbOrTx, key: string): Promise<StoredCase | undefined> {
  // Uses the unique index on cases.idempotency_key.
  return db
    .selectFrom('cases')
    .select([
      'id',
      'reference',
      'stage',
      'version',
      'channel',
      'category_code',
      'grid_code',
      'region_code',
      'lon',
      'lat',
      'reported_at',
      'reporter_key_hash',
    ])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** The case an earlier submission with the same key created, as it stands now. */
export async function replay(deps: ReportDeps, stored: StoredCase): Promise<ReportedCase> {
  const { db } = deps.store;
  const grid = stored.grid_code
    ? await db
        .selectFrom('grids')
        .select(['code', 'name'])
        .where('code', '=', stored.grid_code)
        .executeTakeFirst()
    : undefined;
  const reportedAt = readTimestamp(stored.reported_at);
  // Only the submitter holds the idempotency key; their first answer may have been lost with
  // its reporter key, so an anonymous retry gets a fresh key and the old one stops working.
  let reporterKey: string | null = null;
  if (deps.actor === null && stored.reporter_key_hash !== null) {
    reporterKey = newReporterKey();
    await db
      .updateTable('cases')
      .set({ reporter_key_hash: hashReporterKey(reporterKey) })
      .where('id', '=', stored.id)
      .execute();
  }
  const point =
    stored.lon === null || stored.lat === null ? null : { lon: Number(stored.lon), lat: Number(stored.lat) };
  return {
    id: stored.id,
    reference: stored.reference,
    stage: stored.stage as Stage,
    version: Number(stored.version),
    channel: stored.channel as Channel,
    category_code: stored.category_code,
    grid: grid ?? null,
    region: await getRegion(db, stored.region_code),
    reported_at: reportedAt,
    duplicates: await suggestDuplicates(
      { db, locator: deps.locator, settings: deps.duplicates },
      { category_code: stored.category_code, point, at: new Date(reportedAt), exclude_id: stored.id },
    ),
    created: false,
    ...(reporterKey ? { reporter_key: reporterKey } : {}),
  };
}
