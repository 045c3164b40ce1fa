import type { Generated } from 'kysely';

/** Table types of migration 0008-cases (src/db/schema.ts puts them into `Database`). */
export interface CaseTable {
  id: string;
  reference: string;
  channel: string;
  category_code: string | null;
  title: string;
  description: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  grid_code: string | null;
  region_code: string;
  county_code: string;
  stage: string;
  stage_before_park: string | null;
  version: number;
  /** The reporter's name, phone and e-mail are in personal_data, sealed (migration 0028). */
  reporter_user_id: string | null;
  /** SHA-256 (hex) of the key given to a reporter who was not signed in (migration 0015). */
  reporter_key_hash: string | null;
  anonymous: number;
  idempotency_key: string | null;
  merged_into: string | null;
  owner_department_id: string | null;
  responsibility_list_id: string | null;
  responsibility_version: number | null;
  responsibility_entry_id: string | null;
  /** JSON: the per-stage limits of the entry that routed the case. */
  limits: string | null;
  dispatch_overridden: number;
  return_count: number;
  rework_count: number;
  extension_count: number;
  escalation_level: number;
  stage_started_at: string;
  stage_deadline: string | null;
  next_check_at: string | null;
  notices_sent: number;
  paused_ms: number;
  /** Working time (in the stage's clock) the current stage stood parked (migration 0017). */
  clock_paused_ms: number;
  handling_deadline: string | null;
  reported_at: string;
  registered_at: string | null;
  dispatched_at: string | null;
  accepted_at: string | null;
  feedback_at: string | null;
  closed_at: string | null;
  rating: number | null;
  rated_fixed: number | null;
  rated_at: string | null;
  updated_at: string;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: string;
  version: number;
  at: string;
  actor_user_id: string | null;
  actor_username: string;
  actor_role: string;
  action: string;
  from_stage: string | null;
  to_stage: string;
  reason: string | null;
  /** JSON: what the action carried (evidence, the chosen owner, the rating …). */
  payload: string;
}

export interface CaseTaskTable {
  id: Generated<number>;
  case_id: string;
  department_id: string;
  role: 'lead' | 'co' | 'summoned';
  status: 'awaiting_report_in' | 'open' | 'done' | 'escalated';
  report_in_deadline: string | null;
  deadline: string | null;
  reported_in_at: string | null;
  done_at: string | null;
  feedback: string | null;
  created_at: string;
}

export interface ReferenceSequenceTable {
  county_code: string;
  day: string;
  last: number;
}

/** Columns of migration 0009-case-workflow (declaration merging keeps 0008's list untouched). */
export interface CaseTable {
  /** When the case was parked (挂账); null while it is not. */
  parked_at: string | null;
  /** JSON `{ days, reason, requested_by }` of an extension request waiting for approval. */
  pending_extension: string | null;
}

/** Columns of migration 0027-audit-chains: the case row keeps the head of its event chain. */
export interface CaseTable {
  /** The hash of the case's last event, moved with `version` by every step (docs/audit.md). */
  last_event_hash: string | null;
}

/** Columns of migration 0027-audit-chains: each event is chained to the one before it. */
export interface CaseEventTable {
  /** The hash of the case's previous event; null for the report (version 1). */
  prev_hash: string | null;
  /** SHA-256 over prev_hash and the event's columns (src/core/audit/hashes.ts). */
  hash: string | null;
}

export interface CaseNoticeTable {
  case_id: string;
  stage: string;
  stage_started_at: string;
  /** Percent of the stage's limit: 50, 80 or 100. */
  threshold: number;
  stage_deadline: string;
  at: string;
}
