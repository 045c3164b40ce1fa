import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import { areaBox, areaProblem, type Area } from '../core/mail/area.ts';
import type { Label } from '../core/mail/content.ts';
import { levelNumber } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import { askByMail } from './double-opt-in.ts';
import { accountRow, requireAddress, type FollowDeps } from './subscriptions.ts';

export interface AreaInput {
  /** Ask by e-mail (double opt-in); without it, the signed-in account subscribes. */
  email?: string | undefined;
  /** A region code (county, township or community, any accepted form) … */
  region?: string | undefined;
  /** … or a circle: its centre and radius in metres. */
  center?: { lon: number; lat: number } | undefined;
  radius_m?: number | undefined;
  digest?: boolean | undefined;
}

export interface AreaSubscriptionView {
  id: string;
  region: { code: string; name: string; level: string } | null;
  circle: { lon: number; lat: number; radius_m: number } | null;
  digest: boolean;
  active: boolean;
}

async function readArea(
  db: DbOrTx,
  input: AreaInput,
): Promise<{ area: Area; label: Label; name: string | null }> {
  const hasRegion = input.region !== undefined;
  const hasCircle = input.center !== undefined || input.radius_m !== undefined;
  if (hasRegion === hasCircle) {
    throw new DomainError('mail.invalid_area', { rule: 'region, or center and radius_m' });
  }
  let area: Area;
  let label: Label;
  let name: string | null = null;
  if (input.region !== undefined) {
    const region = await getRegion(db, input.region);
    area = { kind: 'region', code: region.code, level: region.level };
    name = region.name;
    label = { zh: region.name, en: region.name };
  } else {
    if (!input.center || input.radius_m === undefined) {
      throw new DomainError('mail.invalid_area', { rule: 'center and radius_m together' });
    }
    const { lon, lat } = input.center;
    area = { kind: 'circle', center: { lon, lat }, radius_m: input.radius_m };
    const at = `(${lon.toFixed(5)}, ${lat.toFixed(5)})`;
    label = { zh: `${at} 周边 ${input.radius_m} 米`, en: `${input.radius_m} m around ${at}` };
  }
  const problem = areaProblem(area);
  if (problem) throw new DomainError('mail.invalid_area', { rule: problem });
  return { area, label, name };
}

function areaColumns(area: Area) {
  const box = areaBox(area);
  return area.kind === 'region'
    ? { region_code: area.code, region_level: levelNumber(area.level), lon: null, lat: null, radius_m: null }
    : {
        region_code: null,
        region_level: null,
        lon: area.center.lon,
        lat: area.center.lat,
        radius_m: area.radius_m,
        ...box,
      };
}

/**
 * Subscribes to new cases in an area. A signed-in account subscribes at once; an address asks
 * and gets a confirmation mail (double opt-in), with the same answer whether it already had
 * this subscription or not.
 */
export async function subscribeArea(
  deps: FollowDeps,
  actor: Actor | null,
  input: AreaInput,
): Promise<AreaSubscriptionView | { requested: true }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const digest = input.digest ? 1 : 0;
  if (input.email === undefined) {
    if (!actor) throw new DomainError('auth.required');
    const { area, name } = await readArea(deps.store.db, input);
    const row = { ...accountRow(actor.user_id, digest, at), ...areaColumns(area) };
    await deps.store.db.insertInto('area_subscriptions').values(row).execute();
    return viewOf(row.id, area, name, digest === 1, true);
  }
  const address = requireAddress(input.email);
  return askByMail(deps, address, async (tx) => {
    const { area, label } = await readArea(tx, input);
    const columns = areaColumns(area);
    return {
      kind: 'area',
      find(db, email) {
        const query = db
          .selectFrom('area_subscriptions')
          .select(['id', 'status', 'nonce', 'requested_at'])
          .where('email', '=', email);
        return (
          columns.region_code !== null
            ? query.where('region_code', '=', columns.region_code)
            : query
                .where('lon', '=', columns.lon!)
                .where('lat', '=', columns.lat!)
                .where('radius_m', '=', columns.radius_m!)
        ).executeTakeFirst();
      },
      columns,
      digest: digest === 1,
      content: { template: 'area_confirm', area: label },
    };
  });
}

export function viewOf(
  id: string,
  area: Area,
  name: string | null,
  digest: boolean,
  active: boolean,
): AreaSubscriptionView {
  return {
    id,
    region: area.kind === 'region' ? { code: area.code, name: name ?? area.code, level: area.level } : null,
    circle: area.kind === 'circle' ? { ...area.center, radius_m: area.radius_m } : null,
    digest,
    active,
  };
}
