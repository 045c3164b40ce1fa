import { DomainError } from '../errors.ts';
import type { ActionInput } from './case-snapshot.ts';
import type { Stage } from './stages.ts';
import type { ActionName, RequiredField } from './transitions.ts';

/** Refuses the step: the stage, the actor's part or a rule of the action does not allow it. */
export function refuse(action: ActionName, stage: Stage, extra: Record<string, unknown> = {}): never {
  throw new DomainError('case.invalid_transition', { action, stage, ...extra });
}

/** Throws the missing-input code when the action's required field is absent or out of range. */
export function checkRequired(input: ActionInput, field: RequiredField): void {
  const { action } = input;
  switch (field) {
    case 'reason':
      if (!input.reason?.trim()) throw new DomainError('case.reason_required', { action });
      return;
    case 'evidence':
      if (!input.evidence?.some((e) => e.trim()) && !input.note?.trim())
        throw new DomainError('case.evidence_required', { action });
      return;
    case 'rating':
      if (input.rating === undefined || input.fixed === undefined)
        throw new DomainError('case.field_required', { action, field: 'rating, fixed' });
      if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
        throw new DomainError('case.invalid_rating', { rating: input.rating });
      return;
    case 'departments':
      if (!input.departments?.length) throw new DomainError('case.field_required', { action, field });
      return;
    case 'merged_into':
      if (!input.merged_into) throw new DomainError('case.field_required', { action, field });
      return;
    case 'days':
      if (!input.days || input.days <= 0) throw new DomainError('case.field_required', { action, field });
      return;
  }
}
