import { recordAudit } from '../accounts/record-audit.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { normalizeAddress } from '../core/mail/address.ts';
import type { Store } from '../db/database.ts';
import type { DbOrTx } from '../db/schema.ts';
import { caseOfReporterKey } from './reporter-key.ts';
import { readReporters } from './reporter-data.ts';

type Deps = { store: Pick<Store, 'db' | 'keyring' | 'write'>; clock: Clock };

export interface Erasure {
  /** Cases whose reporter data was erased; the cases themselves stay, with their events and figures. */
  erased_cases: number;
  /** Whether the account was erased too (signed-in erasure). */
  account_erased: boolean;
}

/** The shown name of an erased account: it keeps its id (the event log names it), nothing else. */
const ERASED_NAME = '已注销 / Erased';

/**
 * Erases what a reporter gave with these cases: every sealed value and the phone hash (the row
 * stays, marked erased, so a rotation or an export knows it), and the follows by the e-mail they
 * gave. The cases, their events and every count derived from them stay as they were.
 */
async function eraseReporters(tx: DbOrTx, deps: Deps, caseIds: string[], at: string): Promise<number> {
  if (caseIds.length === 0) return 0;
  const reporters = await readReporters(tx, deps.store.keyring, caseIds);
  for (const [caseId, reporter] of reporters) {
    const address = reporter.email && normalizeAddress(reporter.email);
    if (address)
      await tx
        .deleteFrom('case_followers')
        .where('case_id', '=', caseId)
        .where('email', '=', address)
        .execute();
  }
  if (reporters.size === 0) return 0;
  await tx
    .updateTable('personal_data')
    .set({
      name: null,
      phone: null,
      email: null,
      id_number: null,
      address: null,
      phone_hash: null,
      erased_at: at,
      updated_at: at,
    })
    .where('owner_kind', '=', 'case')
    .where('role', '=', 'reporter')
    .where('owner_id', 'in', [...reporters.keys()])
    .where('erased_at', 'is', null)
    .execute();
  return reporters.size;
}

/**
 * A resident's request to be forgotten (docs/personal-data.md): the data they gave with every case
 * they reported, the link from those cases to their account, their follows and area alerts, and
 * the account's name and e-mail; the account is disabled and its sessions end. Staff accounts are
 * an administrator's to manage, not erasable this way. Recorded in the chained audit log.
 */
export async function eraseMyData(deps: Deps, actor: Actor): Promise<Erasure> {
  if (actor.roles.some((r) => r !== 'resident'))
    throw new DomainError('access.role_forbidden', {
      action: 'personal_data.erase',
      roles: actor.roles.join(','),
    });
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.write(async (tx) => {
    const cases = await tx
      .selectFrom('cases')
      .select('id')
      .where('reporter_user_id', '=', actor.user_id)
      .execute();
    const erased = await eraseReporters(
      tx,
      deps,
      cases.map((c) => c.id),
      at,
    );
    await tx
      .updateTable('cases')
      .set({ reporter_user_id: null })
      .where('reporter_user_id', '=', actor.user_id)
      .execute();
    await tx.deleteFrom('case_followers').where('user_id', '=', actor.user_id).execute();
    await tx.deleteFrom('area_subscriptions').where('user_id', '=', actor.user_id).execute();
    await tx
      .updateTable('users')
      .set({
        username: `erased-${actor.user_id}`,
        display_name: ERASED_NAME,
        email: null,
        disabled: 1,
        updated_at: at,
      })
      .where('id', '=', actor.user_id)
      .execute();
    await tx
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('user_id', '=', actor.user_id)
      .where('revoked_at', 'is', null)
      .execute();
    await recordAudit(tx, {
      actor,
      action: 'personal_data.erase',
      target_type: 'user',
      target_id: actor.user_id,
      details: { cases: cases.length, reporter_data: erased },
      at: now,
    });
    return { erased_cases: erased, account_erased: true };
  });
}

/** The same for one case reported without an account, by the holder of its reporter key. */
export async function eraseReportData(deps: Deps, reference: string, key: string): Promise<Erasure> {
  const row = await caseOfReporterKey(deps.store.db, reference, key);
  const now = deps.clock.now();
  return deps.store.write(async (tx) => {
    const erased = await eraseReporters(tx, deps, [row.id], now.toISOString());
    await recordAudit(tx, {
      actor: { user_id: null, username: 'reporter' },
      action: 'personal_data.erase',
      target_type: 'case',
      target_id: row.id,
      details: { reporter_data: erased },
      at: now,
    });
    return { erased_cases: erased, account_erased: false };
  });
}
