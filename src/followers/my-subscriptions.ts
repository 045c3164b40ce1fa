import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import { levelOfNumber, type Area } from '../core/mail/area.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { FollowDeps } from './subscriptions.ts';
import { viewOf, type AreaSubscriptionView } from './subscribe-area.ts';

export interface MySubscriptions {
  cases: Array<{ case_id: string; reference: string; digest: boolean; since: string }>;
  areas: AreaSubscriptionView[];
}

/** What a signed-in account follows: its cases and its areas. */
export async function listMySubscriptions(deps: FollowDeps, actor: Actor): Promise<MySubscriptions> {
  const { db } = deps.store;
  const cases = await db
    .selectFrom('case_followers')
    .innerJoin('cases', 'cases.id', 'case_followers.case_id')
    .select(['cases.id', 'cases.reference', 'case_followers.digest', 'case_followers.created_at'])
    .where('case_followers.user_id', '=', actor.user_id)
    .orderBy('case_followers.created_at', 'desc')
    .execute();
  const areas = await db
    .selectFrom('area_subscriptions')
    .leftJoin('regions', (j) =>
      j
        .onRef('regions.code', '=', 'area_subscriptions.region_code')
        .onRef('regions.level', '=', 'area_subscriptions.region_level'),
    )
    .select([
      'area_subscriptions.id',
      'area_subscriptions.region_code',
      'area_subscriptions.region_level',
      'area_subscriptions.lon',
      'area_subscriptions.lat',
      'area_subscriptions.radius_m',
      'area_subscriptions.digest',
      'regions.name',
    ])
    .where('area_subscriptions.user_id', '=', actor.user_id)
    .orderBy('area_subscriptions.created_at', 'desc')
    .execute();
  return {
    cases: cases.map((c) => ({
      case_id: c.id,
      reference: c.reference,
      digest: c.digest === 1,
      since: readTimestamp(c.created_at),
    })),
    areas: areas.map((a) => {
      const area: Area =
        a.region_code !== null
          ? { kind: 'region', code: a.region_code, level: levelOfNumber(a.region_level ?? 5) }
          : { kind: 'circle', center: { lon: a.lon!, lat: a.lat! }, radius_m: a.radius_m! };
      return viewOf(a.id, area, a.name, a.digest === 1, true);
    }),
  };
}

/** A signed-in account ends one of its area subscriptions. */
export async function removeAreaSubscription(deps: FollowDeps, actor: Actor, id: string): Promise<void> {
  const result = await deps.store.db
    .deleteFrom('area_subscriptions')
    .where('id', '=', id)
    .where('user_id', '=', actor.user_id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new DomainError('subscription.not_found', { id });
}
