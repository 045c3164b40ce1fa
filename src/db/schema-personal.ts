/** Table types of migration 0028-personal-data (src/db/schema.ts puts them into `Database`). */

/**
 * One person's personal data about one record (a case's reporter), apart from the record's
 * facts: every value sealed (AES-256-GCM, src/personal/keyring.ts), the phone also as a keyed
 * hash for look-ups. Erased rows keep their key and `erased_at`, with every value null.
 */
export interface PersonalDataTable {
  /** What the person is attached to: 'case'. */
  owner_kind: string;
  owner_id: string;
  /** Their part in it: 'reporter'. */
  role: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  id_number: string | null;
  address: string | null;
  /** HMAC-SHA256 (hex) of the normalized phone under the index key. */
  phone_hash: string | null;
  /** The key every value of the row is sealed under (rotation finds old rows by it). */
  key_id: string;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
}

/** The sealing keys the data has been sealed under, by a digest (never the key itself). */
export interface PersonalKeyTable {
  id: string;
  fingerprint: string;
  first_used_at: string;
}
