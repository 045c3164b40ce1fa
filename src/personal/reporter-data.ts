import { normalizePhone } from '../core/personal/phone.ts';
import type { Keyring } from '../db/keyring.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { PersonalDataTable } from '../db/schema-personal.ts';

/** A case's reporter as they gave themselves, opened (docs/personal-data.md). */
export interface Reporter {
  name: string | null;
  phone: string | null;
  email: string | null;
}

export const NO_REPORTER: Reporter = { name: null, phone: null, email: null };

/** The sealed row of a case's reporter, or null when they gave nothing. */
export function sealReporter(
  keyring: Keyring,
  caseId: string,
  reporter: Reporter,
  at: string,
): PersonalDataTable | null {
  const { name, phone, email } = reporter;
  if (!name && !phone && !email) return null;
  const normalized = phone ? normalizePhone(phone) : null;
  return {
    owner_kind: 'case',
    owner_id: caseId,
    role: 'reporter',
    name: name ? keyring.seal(name) : null,
    phone: phone ? keyring.seal(phone) : null,
    email: email ? keyring.seal(email) : null,
    id_number: null,
    address: null,
    phone_hash: normalized ? keyring.hash('phone', normalized) : null,
    key_id: keyring.current,
    created_at: at,
    updated_at: at,
    erased_at: null,
  };
}

const open = (keyring: Keyring, value: string | null) => (value === null ? null : keyring.open(value));

/** The reporters of the given cases, opened; a case without one (anonymous, erased) is absent. */
export async function readReporters(
  db: DbOrTx,
  keyring: Keyring,
  caseIds: readonly string[],
): Promise<Map<string, Reporter>> {
  const found = new Map<string, Reporter>();
  if (caseIds.length === 0) return found;
  const rows = await db
    .selectFrom('personal_data')
    .select(['owner_id', 'name', 'phone', 'email'])
    .where('owner_kind', '=', 'case')
    .where('role', '=', 'reporter')
    .where('owner_id', 'in', [...caseIds])
    .where('erased_at', 'is', null)
    .execute();
  for (const r of rows)
    found.set(r.owner_id, {
      name: open(keyring, r.name),
      phone: open(keyring, r.phone),
      email: open(keyring, r.email),
    });
  return found;
}

/** The keyed hash a staff search by phone number looks for (null: not a phone number). */
export function phoneLookup(keyring: Keyring, input: string): string | null {
  const normalized = normalizePhone(input);
  return normalized ? keyring.hash('phone', normalized) : null;
}
