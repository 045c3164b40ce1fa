import { decide } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import { boxAround, haversineMeters } from '../core/geo/distance.ts';
import { FINAL_STAGES } from '../core/workflow/stages.ts';
import { readTimestamp } from '../db/dialect.ts';
import { arg, prepared } from '../db/prepared.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { GridLocator } from '../grids/grid-locator.ts';

/** How near in space and time an open case of the same category must be to be offered as the original. */
export interface DuplicateSettings {
  meters: number;
  hours: number;
}

export const DEFAULT_DUPLICATE_SETTINGS: DuplicateSettings = { meters: 50, hours: 24 };

type CandidateRow = {
  id: string;
  reference: string;
  lon: number | null;
  lat: number | null;
  reported_at: unknown;
};
const candidateQueries = new Map<
  string,
  (db: DbOrTx, args: readonly unknown[]) => Promise<{ rows: CandidateRow[] }>
>();

/**
 * Open cases of a category in some grids within a window: one compiled statement per number of
 * grids (a report's circle meets one to a few), run by every intake. Arguments: category, from,
 * to, the case to leave out (or null), then the grids.
 */
function candidatesQuery(grids: number, excluding: boolean) {
  const key = `${grids}:${excluding}`;
  let run = candidateQueries.get(key);
  if (!run) {
    run = prepared((db) => {
      // Uses cases_duplicates_idx (category_code, grid_code, reported_at).
      let query = db
        .selectFrom('cases')
        .select(['id', 'reference', 'lon', 'lat', 'reported_at'])
        .where('category_code', '=', arg<string>(0))
        .where(
          'grid_code',
          'in',
          Array.from({ length: grids }, (_, i) => arg<string>(4 + i)),
        )
        .where('reported_at', '>=', arg<string>(1))
        .where('reported_at', '<=', arg<string>(2))
        .where('stage', 'not in', FINAL_STAGES);
      if (excluding) query = query.where('id', '!=', arg<string>(3));
      return query;
    });
    candidateQueries.set(key, run);
  }
  return run;
}

/** At most this many suggestions, nearest first. */
const MAX_SUGGESTIONS = 10;

export interface DuplicateSuggestion {
  id: string;
  reference: string;
  distance_m: number;
  reported_at: string;
}

export interface DuplicateProbe {
  category_code: string | null;
  point: { lon: number; lat: number } | null;
  /** When the report came in: cases reported within the window around it are candidates. */
  at: Date;
  /** The case itself, when suggesting for a case already stored. */
  exclude_id?: string;
}

/**
 * Open cases (any stage but the final ones) of the same category within `meters` of the point,
 * reported within `hours` of `at`, nearest first. A report without a category or a point has no
 * suggestions: only a located, categorised report can be compared.
 */
export async function suggestDuplicates(
  deps: { db: DbOrTx; locator: GridLocator; settings?: DuplicateSettings | undefined },
  probe: DuplicateProbe,
): Promise<DuplicateSuggestion[]> {
  const { meters, hours } = deps.settings ?? DEFAULT_DUPLICATE_SETTINGS;
  const { point, category_code: category } = probe;
  if (!point || !category || meters <= 0 || hours <= 0) return [];
  // Cases carry the grid their point fell in: the grids whose box meets the circle hold them all.
  const grids = (await deps.locator.current()).candidates(boxAround(point, meters));
  if (grids.length === 0) return [];
  const windowMs = hours * 3_600_000;
  const from = new Date(probe.at.getTime() - windowMs).toISOString();
  const to = new Date(probe.at.getTime() + windowMs).toISOString();
  const exclude = probe.exclude_id ?? null;
  const { rows } = await candidatesQuery(grids.length, exclude !== null)(deps.db, [
    category,
    from,
    to,
    exclude,
    ...grids,
  ]);
  return rows
    .flatMap((r) => {
      if (r.lon === null || r.lat === null) return [];
      const distance = haversineMeters(point, { lon: Number(r.lon), lat: Number(r.lat) });
      if (distance > meters) return [];
      return [
        {
          id: r.id,
          reference: r.reference,
          distance_m: Math.round(distance * 10) / 10,
          reported_at: readTimestamp(r.reported_at),
        },
      ];
    })
    .sort((a, b) => a.distance_m - b.distance_m || a.reported_at.localeCompare(b.reported_at))
    .slice(0, MAX_SUGGESTIONS);
}

/** Suggestions for a stored case, for staff who may read it (case.read in its region). */
export async function listDuplicatesOf(
  deps: { db: DbOrTx; locator: GridLocator; actor: Actor; settings?: DuplicateSettings | undefined },
  caseId: string,
): Promise<DuplicateSuggestion[]> {
  const found = await deps.db
    .selectFrom('cases')
    .select(['id', 'category_code', 'lon', 'lat', 'reported_at', 'region_code', 'owner_department_id'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  // A case the actor may not read is answered as one that does not exist (get-case.ts).
  if (
    !found ||
    !decide(deps.actor, 'case.read', {
      region_code: found.region_code,
      department_id: found.owner_department_id,
    }).allowed
  ) {
    throw new DomainError('case.not_found', { id: caseId });
  }
  return suggestDuplicates(deps, {
    category_code: found.category_code,
    point:
      found.lon === null || found.lat === null ? null : { lon: Number(found.lon), lat: Number(found.lat) },
    at: new Date(readTimestamp(found.reported_at)),
    exclude_id: found.id,
  });
}
