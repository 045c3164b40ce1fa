import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../core/errors.ts';

/**
 * The keys that seal residents' personal data at rest (docs/personal-data.md): AES-256-GCM, a
 * fresh 12-byte nonce per value, and the key's id in every sealed value, so that a value sealed
 * under an older key still opens after a rotation. A separate index key makes the keyed hashes
 * (HMAC-SHA256) that let staff find a case by phone number without opening every row; it is not
 * rotated with the sealing keys, since every hash would change with it.
 *
 * Sealed text: `pd1.<key id>.<nonce>.<tag>.<ciphertext>` (base64url parts).
 */
export interface Keyring {
  /** The id new values are sealed under. */
  readonly current: string;
  /** Every id this ring can open. */
  ids(): string[];
  seal(plain: string): string;
  open(sealed: string): string;
  /** The key id a sealed value names, without opening it. */
  keyOf(sealed: string): string;
  /** HMAC-SHA256 (hex) of a normalized value under the index key, for equality look-ups. */
  hash(kind: string, normalized: string): string;
  /** A fixed digest of one key, stored beside the data to tell a wrong key from a missing one. */
  fingerprint(id: string): string;
  /** Re-reads the ring's source when it can change under a running server (the file); else a no-op. */
  refresh(): void;
  /** The data directory's key file this ring lives in; null when the keys come from configuration. */
  readonly file: string | null;
}

interface RingData {
  current: string;
  keys: Map<string, Buffer>;
  index: Buffer;
}

const PREFIX = 'pd1';
const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

/** The file the embedded setup keeps its generated ring in (mode 0600), inside the data directory. */
export const KEY_FILE = 'personal-keys.json';

function refuse(reason: string): DomainError {
  return new DomainError('personal.keys_invalid', { reason });
}

function keyBytes(id: string, text: string): Buffer {
  if (!KEY_ID.test(id)) throw refuse(`key id ${JSON.stringify(id)}: 1–16 letters, digits, - or _`);
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw refuse(`key ${id}: 32 bytes in base64 expected, got ${key.length}`);
  return key;
}

/**
 * `stale` says when the source may have changed (checked before sealing anew). The source is read
 * at first use, so that a store which never seals (a restore) leaves no key file behind.
 */
function ringOf(data: () => RingData, file: string | null, stale: () => boolean = () => false): Keyring {
  let loaded: RingData | null = null;
  const fresh = () => {
    if (loaded === null || stale()) loaded = data();
    return loaded;
  };
  const keyFor = (id: string): Buffer => {
    let key = fresh().keys.get(id);
    if (!key) {
      loaded = data(); // a key added by a rotation in another process
      key = loaded.keys.get(id);
    }
    if (!key) throw new DomainError('personal.key_missing', { key_id: id });
    return key;
  };
  return {
    get current() {
      return fresh().current;
    },
    ids: () => [...fresh().keys.keys()],
    seal(plain) {
      const { current } = fresh();
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(current), nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [nonce, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return [PREFIX, current, ...parts].join('.');
    },
    open(sealed) {
      const [prefix, id, nonce, tag, body] = sealed.split('.');
      if (prefix !== PREFIX || id === undefined || body === undefined)
        throw new DomainError('personal.unreadable', { reason: 'not a sealed value' });
      const decipher = createDecipheriv('aes-256-gcm', keyFor(id), Buffer.from(nonce!, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new DomainError('personal.unreadable', { reason: `value under key ${id} fails its check` });
      }
    },
    keyOf: (sealed) => sealed.split('.')[1] ?? '',
    hash: (kind, normalized) =>
      createHmac('sha256', fresh().index).update(`${kind}\u0000${normalized}`).digest('hex'),
    fingerprint: (id) =>
      createHmac('sha256', keyFor(id)).update('shanzhi personal-data key check').digest('hex').slice(0, 32),
    refresh() {
      loaded = data();
    },
    file,
  };
}

/**
 * A ring from configuration: `SHANZHI_PERSONAL_KEYS` as `id=base64,id=base64` (the first seals new
 * values, the others still open old ones) and `SHANZHI_PERSONAL_INDEX_KEY` (base64, 32 bytes).
 */
export function keyringFromText(keys: string, index: string): Keyring {
  const entries = keys
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=');
      if (at <= 0) throw refuse('SHANZHI_PERSONAL_KEYS: id=base64 pairs separated by commas');
      const id = part.slice(0, at);
      return [id, keyBytes(id, part.slice(at + 1))] as const;
    });
  if (entries.length === 0) throw refuse('SHANZHI_PERSONAL_KEYS is empty');
  const data: RingData = { current: entries[0]![0], keys: new Map(entries), index: keyBytes('index', index) };
  return ringOf(() => data, null);
}

interface KeyFile {
  format: 1;
  current: string;
  keys: Record<string, string>;
  index: string;
}

function readKeyFile(file: string): RingData {
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  } catch (error) {
    throw refuse(`${file}: ${(error as Error).message}`);
  }
  const keys = new Map(
    Object.entries(parsed.keys ?? {}).map(([id, text]) => [id, keyBytes(id, text)] as const),
  );
  if (!keys.has(parsed.current)) throw refuse(`${file}: the current key ${parsed.current} is not in it`);
  return { current: parsed.current, keys, index: keyBytes('index', parsed.index) };
}

function writeKeyFile(file: string, data: KeyFile): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

const newKey = () => randomBytes(32).toString('base64');

/**
 * The zero-setup ring: `personal-keys.json` in the data directory, made on first use. A running
 * server notices a key a rotation added (by the file's change time) before sealing anew.
 */
export function fileKeyring(dataDir: string): Keyring {
  const file = join(dataDir, KEY_FILE);
  let seen = 0;
  let checked = Date.now();
  return ringOf(
    () => {
      if (!existsSync(file)) {
        mkdirSync(dataDir, { recursive: true });
        writeKeyFile(file, { format: 1, current: 'k1', keys: { k1: newKey() }, index: newKey() });
      }
      seen = statSync(file).mtimeMs;
      return readKeyFile(file);
    },
    file,
    // At most once a second: a rotation waits longer than that before re-sealing (rotate-keys.ts).
    () => {
      if (Date.now() - checked < 1000) return false;
      checked = Date.now();
      return statSync(file).mtimeMs !== seen;
    },
  );
}

/** Adds a new sealing key to the data directory's ring and makes it current; returns its id. */
export function addFileKey(dataDir: string): string {
  const file = join(dataDir, KEY_FILE);
  const data = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  let n = Object.keys(data.keys).length + 1;
  while (`k${n}` in data.keys) n += 1;
  const id = `k${n}`;
  writeKeyFile(file, { ...data, current: id, keys: { ...data.keys, [id]: newKey() } });
  return id;
}

/** The ring a server or the command line uses: configured keys when given, else the data directory's file. */
export function openKeyring(options: {
  keys: string | null;
  index: string | null;
  dataDir: string;
}): Keyring {
  if (options.keys === null) return fileKeyring(options.dataDir);
  if (options.index === null) throw refuse('SHANZHI_PERSONAL_INDEX_KEY is needed with SHANZHI_PERSONAL_KEYS');
  return keyringFromText(options.keys, options.index);
}
