import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import { checkTownshipLead, resolveOwner, type Resolution } from '../core/responsibility/resolve.ts';
import type { Routing } from '../core/workflow/apply.ts';
import type { ActionInput } from '../core/workflow/case-snapshot.ts';
import { CENTRE_ROLES } from '../core/workflow/transitions.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import type { LoadedRules } from '../responsibility/rules-cache.ts';
import type { CaseRow } from './case-rows.ts';

const isCentre = (actor: Actor) => actor.roles.some((r) => (CENTRE_ROLES as readonly string[]).includes(r));

/** What the published responsibility list says about this case; null without a category or an entry. */
export async function resolveForCase(
  db: DbOrTx,
  loaded: LoadedRules,
  row: Pick<CaseRow, 'category_code' | 'region_code'>,
): Promise<Resolution | null> {
  if (!row.category_code) return null;
  const chain = loaded.chainOf(row.category_code);
  if (chain.length === 0) return null;
  const region = await getRegion(db, row.region_code);
  const steps = [...region.path, region].map((r) => ({ code: r.code, level: r.level }));
  return resolveOwner(loaded.rules, chain, steps);
}

/**
 * The owner of a dispatch or an arbitration: the lead the responsibility list resolves, or the
 * department the dispatcher names instead (an override: it needs a reason and is counted). A
 * township office may lead only its basic duties (乡镇履职事项清单) unless a centre overrides.
 */
export async function routeCase(
  deps: { db: DbOrTx; loaded: LoadedRules },
  row: CaseRow,
  actor: Actor,
  input: ActionInput,
): Promise<Routing> {
  const { loaded } = deps;
  const resolution = await resolveForCase(deps.db, loaded, row);
  const listed = resolution?.lead.department?.id ?? null;
  const chosen = input.department_id ?? listed;
  if (!chosen) {
    throw new DomainError('responsibility.unowned', {
      category: row.category_code ?? '-',
      region: row.region_code,
    });
  }
  const department = loaded.rules.departmentsById.get(chosen);
  if (!department) throw new DomainError('department.not_found', { id: chosen });
  const reason = input.reason?.trim() ?? '';
  if (department.type === 'township_office' && row.category_code) {
    checkTownshipLead(loaded.rules, department.region_code, loaded.chainOf(row.category_code), {
      by_command_centre: isCentre(actor),
      reason,
    });
  }
  const coHandlers = (resolution?.co_handlers ?? [])
    .map((h) => h.department?.id)
    .filter((id): id is string => id !== undefined && id !== chosen);
  return {
    department_id: chosen,
    overridden: chosen !== listed,
    list: resolution ? { id: resolution.list.id, version: resolution.list.version } : null,
    entry_id: resolution?.entry.id ?? null,
    limits: resolution?.entry.limits ?? null,
    co_handlers: coHandlers,
  };
}
