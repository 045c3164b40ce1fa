import type { Actor } from '../core/access/roles.ts';
import { isDomainError } from '../core/errors.ts';
import { NOT_FIXED_REASON } from '../i18n/case-labels.ts';
import { actOnCase, type WorkflowDeps } from './act-on-case.ts';
import { caseOfReporterKey } from '../personal/reporter-key.ts';

export interface VerdictInput {
  reporter_key: string;
  fixed: boolean;
  /** 1–5; the workflow's `rate` step checks it. */
  rating: number;
  comment?: string | undefined;
}

export interface Verdict {
  id: string;
  reference: string;
  stage: string;
  /** Not fixed and still within the reopen window: the case went back to registration. */
  reopened: boolean;
}

/** The event's actor: like the sweeper's `system`, a fixed id that names no account. */
const KEY_HOLDER = { user_id: 'reporter-key', username: 'reporter' } as const;

/**
 * The reporter's verdict on a closed case, proven by the key intake gave them (no account):
 * the workflow's `rate` step, then — when not fixed — its `reopen` step while the reopen window
 * allows, both through act-on-case as the reporter, so every rule, event and count applies.
 * Outside the window the case stays `closed_unfixed`, an honest state of its own.
 *
 * ```ts
 * await giveVerdict(deps, '330106-20260302-00017', { reporter_key, fixed: false, rating: 2 });
 * // → { stage: 'registered', reopened: true, … }
 * ```
 */
export async function giveVerdict(
  deps: WorkflowDeps,
  reference: string,
  input: VerdictInput,
): Promise<Verdict> {
  const row = await caseOfReporterKey(deps.store.db, reference, input.reporter_key);
  const actor: Actor = {
    ...KEY_HOLDER,
    roles: ['resident'],
    scope: { code: row.region_code, level: 'community' },
    department_id: null,
    reporter_of: row.id,
  };
  const comment = input.comment?.trim() || undefined;
  const rated = await actOnCase(deps, actor, row.id, {
    action: 'rate',
    expected_version: row.version,
    rating: input.rating,
    fixed: input.fixed,
    ...(comment ? { reason: comment } : {}),
  });
  if (input.fixed) return { id: row.id, reference: row.reference, stage: rated.stage, reopened: false };
  try {
    const reopened = await actOnCase(deps, actor, row.id, {
      action: 'reopen',
      expected_version: rated.version,
      reason: comment ?? `${NOT_FIXED_REASON.zh} / ${NOT_FIXED_REASON.en}`,
    });
    return { id: row.id, reference: row.reference, stage: reopened.stage, reopened: true };
  } catch (error) {
    if (isDomainError(error) && error.details.rule === 'reopen_window') {
      return { id: row.id, reference: row.reference, stage: rated.stage, reopened: false };
    }
    throw error;
  }
}
