import type { Insertable } from 'kysely';
import type { CaseTable } from '../../src/db/schema-cases.ts';
import type { DbOrTx } from '../../src/db/schema.ts';

/** mulberry32: a small seeded PRNG, so that a failing case set can be rebuilt from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CasePlace {
  county_code: string;
  region_code: string;
  grid_code: string | null;
}

export interface SyntheticOptions {
  count: number;
  seed: number;
  places: CasePlace[];
  departments: Array<string | null>;
  /** Reports fall uniformly in [from, to) (ISO instants). */
  from: string;
  to: string;
  idPrefix?: string;
}

const HOUR = 3600 * 1000;

// How far along the closed loop each stage is: 0 reported … 5 closed.
const PROGRESS: Record<string, number> = {
  reported: 0,
  verifying: 0,
  registered: 1,
  dispatched: 2,
  arbitration: 2,
  handling: 3,
  awaiting_verification: 4,
  verified: 4,
  closed: 5,
  closed_unfixed: 5,
};
const STAGE_POOL = [
  ...Object.keys(PROGRESS),
  'closed',
  'closed',
  'closed',
  'closed_unfixed',
  'handling',
  'parked',
  'voided',
  'merged',
];

/**
 * Cases as the workflow would leave them, in every stage, with timestamps consistent with the
 * stage, some late, some returned or reworked, some rated: enough variety for every indicator.
 */
export function syntheticCases(o: SyntheticOptions): Array<Insertable<CaseTable>> {
  const rnd = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.parse(o.from);
  const width = Date.parse(o.to) - start;
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: Array<Insertable<CaseTable>> = [];
  for (let i = 0; i < o.count; i++) {
    const place = pick(o.places);
    const stage = pick(STAGE_POOL);
    const progress =
      stage === 'parked'
        ? 1 + Math.floor(rnd() * 3)
        : stage === 'voided'
          ? Math.floor(rnd() * 3)
          : stage === 'merged'
            ? 0
            : PROGRESS[stage]!;
    const reported = start + Math.floor(rnd() * width);
    const registered = progress >= 1 ? reported + rnd() * 4 * HOUR : null;
    const dispatched = progress >= 2 && registered ? registered + rnd() * 2 * HOUR : null;
    const accepted = progress >= 3 && dispatched ? dispatched + rnd() * 48 * HOUR : null;
    const feedback = progress >= 4 && accepted ? accepted + rnd() * 96 * HOUR : null;
    const closed = progress >= 5 && feedback ? feedback + rnd() * 24 * HOUR : null;
    const deadline = dispatched && rnd() > 0.05 ? dispatched + (24 + rnd() * 72) * HOUR : null;
    const rated = progress >= 5 && rnd() < 0.7;
    const id = `${o.idPrefix ?? 'c'}-${o.seed}-${i}`;
    out.push({
      id,
      reference: id,
      channel: pick(['web', 'hotline', 'patrol'] as const),
      category_code: null,
      title: 'synthetic',
      description: 'synthetic case',
      grid_code: place.grid_code,
      region_code: place.region_code,
      county_code: place.county_code,
      stage,
      version: 1,
      anonymous: 0,
      owner_department_id: dispatched ? pick(o.departments) : null,
      dispatch_overridden: dispatched && rnd() < 0.1 ? 1 : 0,
      return_count: dispatched && rnd() < 0.15 ? 1 + Math.floor(rnd() * 2) : 0,
      rework_count: feedback && rnd() < 0.2 ? 1 : 0,
      extension_count: 0,
      escalation_level: 0,
      stage_started_at: iso(reported),
      notices_sent: 0,
      paused_ms: 0,
      clock_paused_ms: 0,
      handling_deadline: deadline ? iso(deadline) : null,
      reported_at: iso(reported),
      registered_at: registered ? iso(registered) : null,
      dispatched_at: dispatched ? iso(dispatched) : null,
      accepted_at: accepted ? iso(accepted) : null,
      feedback_at: feedback ? iso(feedback) : null,
      closed_at: closed ? iso(closed) : null,
      rating: rated && rnd() < 0.9 ? 1 + Math.floor(rnd() * 5) : null,
      rated_fixed: rated && rnd() < 0.8 ? (rnd() < 0.75 ? 1 : 0) : null,
      rated_at: rated ? iso((closed ?? reported) + HOUR) : null,
      updated_at: iso(reported),
    });
  }
  return out;
}

export async function insertCases(db: DbOrTx, rows: Array<Insertable<CaseTable>>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('cases')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}
