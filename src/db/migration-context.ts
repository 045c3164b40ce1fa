import type { Keyring } from './keyring.ts';

/** What a migration step may need beyond the database: the keys that seal personal data (0028). */
export interface MigrationContext {
  keyring: Keyring;
}
