import { createHmac, randomBytes } from 'node:crypto';
import type { Sign } from '../core/mail/tokens.ts';
import type { DbOrTx } from '../db/schema.ts';

const KEY = 'mail_link_secret';

/**
 * The key that signs mail links, kept in `meta` so that every server on one database signs and
 * checks alike, and generated on first use. Two servers generating at once: the first insert wins
 * and both read the winner.
 */
export async function linkSecret(db: DbOrTx): Promise<string> {
  const existing = await db.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirst();
  if (existing) return existing.value;
  await db
    .insertInto('meta')
    .values({ key: KEY, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirstOrThrow();
  return row.value;
}

/** HMAC-SHA256 of a link's claims, base64url. */
export function makeSigner(secret: string): Sign {
  return (data) => createHmac('sha256', secret).update(data).digest('base64url');
}

export async function linkSigner(db: DbOrTx): Promise<Sign> {
  return makeSigner(await linkSecret(db));
}
