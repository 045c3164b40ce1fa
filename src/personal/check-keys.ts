import { DomainError } from '../core/errors.ts';
import type { Store } from '../db/database.ts';

/**
 * Before a server serves: the keys it holds are the keys the data was sealed with. Every key the
 * store has seen is registered in personal_keys by a digest (never the key); a key of the ring
 * with another digest is the wrong key (`personal.key_mismatch`), a registered key still in use
 * that the ring lacks is missing (`personal.key_missing`: e.g. a second server started without
 * the first one's key file). The ring's keys not yet registered are added.
 */
export async function checkKeys(store: Pick<Store, 'db' | 'keyring'>, at: string): Promise<void> {
  const { db, keyring } = store;
  const registered = await db.selectFrom('personal_keys').selectAll().execute();
  const held = new Set(keyring.ids());
  for (const key of registered) {
    if (held.has(key.id)) {
      if (keyring.fingerprint(key.id) !== key.fingerprint)
        throw new DomainError('personal.key_mismatch', { key_id: key.id });
      continue;
    }
    const used = await db
      .selectFrom('personal_data')
      .select('key_id')
      .where('key_id', '=', key.id)
      .limit(1)
      .executeTakeFirst();
    if (used) throw new DomainError('personal.key_missing', { key_id: key.id });
  }
  const known = new Set(registered.map((k) => k.id));
  const fresh = [...held].filter((id) => !known.has(id));
  if (fresh.length > 0)
    await db
      .insertInto('personal_keys')
      .values(fresh.map((id) => ({ id, fingerprint: keyring.fingerprint(id), first_used_at: at })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
}
