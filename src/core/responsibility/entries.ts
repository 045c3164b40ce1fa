import type { DepartmentType } from '../organisation/department-types.ts';
import type { RegionLevel } from '../regions/codes.ts';

/** The stages of a case that carry a time limit in a responsibility entry (GB/T 30428 §1.5). */
export const LIMITED_STAGES = ['registration', 'dispatch', 'handling', 'verification'] as const;
export type LimitedStage = (typeof LIMITED_STAGES)[number];

/** Time-limit units; the calendar turns them into deadlines. */
export const LIMIT_UNITS = ['work_hours', 'urgent_hours', 'work_days', 'natural_days'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];

export interface TimeLimit {
  amount: number;
  unit: LimitUnit;
}

/** Who handles: a kind of department found at a level of the case's region chain, or one named unit. */
export type HandlerRef =
  | { type: DepartmentType; level: RegionLevel; department_id?: undefined }
  | { department_id: string; type?: undefined; level?: undefined };

export interface LegalBasis {
  law: string;
  article: string;
  text: string;
}

/** Where escalation of an overdue or disputed case goes. */
export const ESCALATION_TARGETS = [
  'parent_command_centre',
  'county_command_centre',
  'city_command_centre',
] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** One line of a responsibility list (权责清单). */
export interface ResponsibilityEntry {
  id: string;
  category_code: string;
  /** The subtree the entry applies to; null means the whole region of its list. */
  scope_region_code: string | null;
  lead: HandlerRef;
  co_handlers: HandlerRef[];
  legal_basis: LegalBasis;
  limits: Record<LimitedStage, TimeLimit>;
  escalation: EscalationTarget;
}

/** 乡镇履职事项清单: how a township stands towards one category. */
export const TOWNSHIP_DUTIES = ['basic', 'assisting', 'returned'] as const;
export type TownshipDutyKind = (typeof TOWNSHIP_DUTIES)[number];

export interface TownshipDuty {
  township_code: string;
  category_code: string;
  duty: TownshipDutyKind;
}

/** A published (or draft) list: one region's entries and township duties at one version. */
export interface ResponsibilityList {
  id: string;
  region_code: string;
  region_level: RegionLevel;
  version: number;
  entries: ResponsibilityEntry[];
  township_duties: TownshipDuty[];
}

export interface Department {
  id: string;
  name: string;
  type: DepartmentType;
  region_code: string;
  region_level: RegionLevel;
}
