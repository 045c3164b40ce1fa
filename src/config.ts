/** Configuration from the environment; every variable is listed in README.md. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Seed the demo province on an empty database. */
  demo: boolean;
  demoPassword: string;
  logLevel: string;
  minFreeMb: number;
  /** Duplicate suggestions at intake: open cases of the same category this near … */
  duplicateMeters: number;
  /** … reported within this many hours. */
  duplicateHours: number;
  /** The sweeper runs every this many seconds in the server (0: never; `shanzhi sweep` runs it once). */
  sweepSeconds: number;
  /** How long past a deadline before a case climbs to the next command centre. */
  overdueHours: number;
  /** About how many cases the demo's year of history holds (0: none). */
  demoCases: number;
  /** Largest attachment upload, in MB (SHANZHI_ATTACHMENT_MAX_MB). */
  attachmentMaxMb: number;
  /** Where the daily audit anchors are appended outside the database (docs/audit.md); null: nowhere. */
  auditAnchorFile: string | null;
  /** Personal-data sealing keys, `id=base64,…`, the first current (docs/personal-data.md); null: the data directory's file. */
  personalKeys: string | null;
  /** The index key of the keyed phone hashes (base64, 32 bytes); needed with personalKeys. */
  personalIndexKey: string | null;
  /** Requests per minute of one signed-in account to /api, /open311 and /mail (0: no limit). */
  rateLimitPerMinute: number;
  /** Requests per minute from one address without a session there (0: no limit). */
  rateLimitAddressPerMinute: number;
  /** Fastify's trustProxy: the client address from X-Forwarded-For behind this many proxies or these addresses. */
  trustProxy: boolean | number | string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env.PORT, 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.SHANZHI_DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    demo: env.SHANZHI_DEMO !== '0',
    demoPassword: env.SHANZHI_DEMO_PASSWORD ?? 'demo',
    logLevel: env.SHANZHI_LOG_LEVEL ?? 'info',
    minFreeMb: integer(env.SHANZHI_MIN_FREE_MB, 64),
    duplicateMeters: positive(env.SHANZHI_DUPLICATE_METERS, 50),
    duplicateHours: positive(env.SHANZHI_DUPLICATE_HOURS, 24),
    sweepSeconds: positive(env.SHANZHI_SWEEP_SECONDS, 60),
    overdueHours: positive(env.SHANZHI_OVERDUE_HOURS, 24),
    demoCases: integer(env.SHANZHI_DEMO_CASES, 20_000),
    attachmentMaxMb: positive(env.SHANZHI_ATTACHMENT_MAX_MB, 10),
    auditAnchorFile: env.SHANZHI_AUDIT_ANCHOR_FILE || null,
    personalKeys: env.SHANZHI_PERSONAL_KEYS || null,
    personalIndexKey: env.SHANZHI_PERSONAL_INDEX_KEY || null,
    rateLimitPerMinute: integer(env.SHANZHI_RATE_LIMIT_PER_MINUTE, 600),
    rateLimitAddressPerMinute: integer(env.SHANZHI_RATE_LIMIT_ADDRESS_PER_MINUTE, 1200),
    trustProxy: trustProxy(env.SHANZHI_TRUST_PROXY),
  };
}

function integer(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n)) throw new Error(`expected an integer, got "${value}"`);
  return n;
}

function positive(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a number ≥ 0, got "${value}"`);
  return n;
}

/** `true`: trust every proxy; a number: that many hops; else a comma-separated list of addresses or CIDRs. */
function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
