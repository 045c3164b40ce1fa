import { normalizeAddress } from '../core/mail/address.ts';
import { AREA_LEVELS, coveringRegionCodes, isInArea, levelOfNumber, type Area } from '../core/mail/area.ts';
import type { Label } from '../core/mail/content.ts';
import { arg, prepared } from '../db/prepared.ts';
import type { DbOrTx } from '../db/schema.ts';
import { deliverEvent, type Delivery } from '../mail/enqueue.ts';

export interface NewCaseFacts {
  id: string;
  reference: string;
  region_code: string;
  lon: number | null;
  lat: number | null;
  category_code: string | null;
  reporter_email: string | null;
  reported_at: string;
}

/**
 * Active area subscriptions that cover a new case: candidates by region (the case's region and
 * its ancestors) or by the stored box of a circle, then the exact test (subtree, great-circle
 * distance) in core.
 */
/** The most codes coveringRegionCodes gives (county, township, community: AREA_LEVELS). */
const AREA_SLOTS = AREA_LEVELS.length;

// Serves: area_subscriptions_region_idx, area_subscriptions_box_idx. Run by every intake.
const coveringQuery = prepared((db) =>
  db
    .selectFrom('area_subscriptions')
    .leftJoin('users', 'users.id', 'area_subscriptions.user_id')
    .select([
      'area_subscriptions.id',
      'area_subscriptions.email',
      'area_subscriptions.digest',
      'area_subscriptions.region_code',
      'area_subscriptions.region_level',
      'area_subscriptions.lon',
      'area_subscriptions.lat',
      'area_subscriptions.radius_m',
      'users.email as account_email',
    ])
    .where('area_subscriptions.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb(
          'area_subscriptions.region_code',
          'in',
          Array.from({ length: AREA_SLOTS }, (_, k) => arg<string>(k)),
        ),
        eb.and([
          eb('area_subscriptions.min_lat', '<=', arg<number>(AREA_SLOTS)),
          eb('area_subscriptions.max_lat', '>=', arg<number>(AREA_SLOTS)),
          eb('area_subscriptions.min_lon', '<=', arg<number>(AREA_SLOTS + 1)),
          eb('area_subscriptions.max_lon', '>=', arg<number>(AREA_SLOTS + 1)),
        ]),
      ]),
    )
    .orderBy('area_subscriptions.created_at'),
);

async function coveringSubscriptions(db: DbOrTx, facts: NewCaseFacts): Promise<Delivery[]> {
  const { lon, lat } = facts;
  const point = lon !== null && lat !== null ? { lon, lat } : null;
  // Always AREA_SLOTS codes (repeated when fewer), so that one compiled statement serves all.
  const codes = coveringRegionCodes(facts.region_code);
  const slots = Array.from({ length: AREA_SLOTS }, (_, k) => codes[Math.min(k, codes.length - 1)]);
  // Without a point, a box no point can fall in (latitude above 90) finds no circle.
  const { rows } = await coveringQuery(db, [...slots, point?.lat ?? 91, point?.lon ?? 181]);
  const reporter = facts.reporter_email ? normalizeAddress(facts.reporter_email) : null;
  return rows.flatMap((r) => {
    const area: Area =
      r.region_code !== null
        ? { kind: 'region', code: r.region_code, level: levelOfNumber(r.region_level ?? 5) }
        : { kind: 'circle', center: { lon: r.lon!, lat: r.lat! }, radius_m: r.radius_m! };
    const address = r.email ?? r.account_email;
    // The reporter knows of their own case already.
    if (!address || address === reporter || !isInArea(area, { region_code: facts.region_code, point }))
      return [];
    return [{ address, digest: r.digest === 1, from: { k: 'area' as const, id: r.id } }];
  });
}

/** The names a new-case alert shows: the case's region (deepest level) and its category. */
async function labels(db: DbOrTx, facts: NewCaseFacts): Promise<{ region: Label; category: Label | null }> {
  const region = await db
    .selectFrom('regions')
    .select('name')
    .where('code', '=', facts.region_code)
    .orderBy('level', 'desc')
    .executeTakeFirst();
  const category = facts.category_code
    ? await db
        .selectFrom('categories')
        .select(['name', 'name_en'])
        .where('code', '=', facts.category_code)
        .executeTakeFirst()
    : undefined;
  return {
    region: { zh: region?.name ?? facts.region_code, en: region?.name ?? facts.region_code },
    category: category ? { zh: category.name, en: category.name_en || category.name } : null,
  };
}

/** Mails (or digest lines) for a new case to everyone whose area holds it; returns how many. */
export async function alertAreas(tx: DbOrTx, facts: NewCaseFacts): Promise<number> {
  const deliveries = await coveringSubscriptions(tx, facts);
  if (deliveries.length === 0) return 0;
  const { region, category } = await labels(tx, facts);
  return deliverEvent(
    tx,
    deliveries,
    { template: 'area_new_case', reference: facts.reference, region, category, at: facts.reported_at },
    { audience: 'resident', case_id: facts.id, reference: facts.reference },
    facts.reported_at,
  );
}
