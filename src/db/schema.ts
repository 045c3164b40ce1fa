import type { Generated, Kysely, Transaction } from 'kysely';
import type { AuditLogTable, SessionTable, UserTable } from './schema-accounts.ts';
import type { CalendarWorkPeriodTable, CalendarYearTable } from './schema-calendar.ts';
import type {
  CaseEventTable,
  CaseNoticeTable,
  CaseTable,
  CaseTaskTable,
  ReferenceSequenceTable,
} from './schema-cases.ts';
import type { CaseCountDeltasTable, CaseDailyCountsTable } from './schema-indicators.ts';
import type {
  AreaSubscriptionTable,
  CaseFollowerTable,
  MailDigestItemTable,
  OutboxTable,
} from './schema-mail.ts';
import type { AttachmentTable } from './schema-attachments.ts';
import type { AuditAnchorTable, AuditHeadTable } from './schema-audit.ts';
import type { PersonalDataTable, PersonalKeyTable } from './schema-personal.ts';
import type {
  Open311ApiKeyTable,
  Open311AttributeTable,
  Open311SubmissionTable,
  Open311SandboxRequestTable,
  Open311UpdateTable,
} from './schema-open311.ts';

/** Table types as Kysely sees them. Timestamps are ISO 8601 strings in UTC at this boundary. */
export interface RegionTable {
  code: string;
  level: number;
  name: string;
  parent_code: string | null;
}

export interface GridTable {
  code: string;
  name: string;
  community_code: string;
  community_level: Generated<number>;
  /** GeoJSON Polygon or MultiPolygon, as JSON text. */
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  /** 1 where the geometry was generated (the demo), not surveyed. */
  synthetic: number;
  created_at: string;
  updated_at: string;
}

export interface GridWorkerAssignmentTable {
  id: Generated<number>;
  grid_code: string;
  /** Stable reference to the person; becomes a user id once accounts exist. */
  worker_ref: string;
  worker_name: string;
  duty: string;
  assigned_at: string;
  ended_at: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface DepartmentTable {
  id: string;
  name: string;
  type: string;
  region_code: string;
  region_level: number;
  created_at: string;
}

export interface ResponsibilityListTable {
  id: string;
  region_code: string;
  region_level: number;
  version: number | null;
  status: 'draft' | 'published' | 'superseded';
  title: string;
  created_at: string;
  created_by: string;
  published_at: string | null;
  published_by: string | null;
}

export interface ResponsibilityEntryTable {
  list_id: string;
  id: string;
  category_code: string;
  scope_region_code: string | null;
  lead: string;
  co_handlers: string;
  legal_basis: string;
  limits: string;
  escalation: string;
}

export interface TownshipDutyTable {
  list_id: string;
  township_code: string;
  category_code: string;
  duty: string;
}

/** A category of the taxonomy (事项分类); see src/db/migrations/0003-taxonomy.ts. */
export interface CategoryTable {
  code: string;
  parent_code: string | null;
  name: string;
  name_en: string;
  depth: number;
  leaf: number;
  kind: string;
  region_code: string;
  region_level: number;
  sort: number;
  created_at: string;
}

export interface Database {
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  regions: RegionTable;
  grids: GridTable;
  grid_worker_assignments: GridWorkerAssignmentTable;
  categories: CategoryTable;
  meta: MetaTable;
  departments: DepartmentTable;
  responsibility_lists: ResponsibilityListTable;
  responsibility_entries: ResponsibilityEntryTable;
  township_duties: TownshipDutyTable;
  calendar_years: CalendarYearTable;
  calendar_work_periods: CalendarWorkPeriodTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  case_tasks: CaseTaskTable;
  reference_sequences: ReferenceSequenceTable;
  case_notices: CaseNoticeTable;
  case_daily_counts: CaseDailyCountsTable;
  case_count_deltas: CaseCountDeltasTable;
  case_followers: CaseFollowerTable;
  area_subscriptions: AreaSubscriptionTable;
  outbox: OutboxTable;
  mail_digest_items: MailDigestItemTable;
  attachments: AttachmentTable;
  open311_api_keys: Open311ApiKeyTable;
  open311_attributes: Open311AttributeTable;
  open311_submissions: Open311SubmissionTable;
  open311_updates: Open311UpdateTable;
  open311_sandbox_requests: Open311SandboxRequestTable;
  audit_heads: AuditHeadTable;
  audit_anchors: AuditAnchorTable;
  personal_data: PersonalDataTable;
  personal_keys: PersonalKeyTable;
}

export type Db = Kysely<Database>;
/** A connection or an open transaction: use cases accept either. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;
