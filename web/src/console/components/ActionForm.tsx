import { useState, type FormEvent } from 'react';
import { TRANSITIONS, type ActionName } from '../../../../src/core/workflow/transitions.ts';
import { actionLabel } from '../../../../src/i18n/case-labels.ts';
import { ApiError, api, labelOf, type ActionBody, type CaseDetail, type Label, type Upload } from '../api.ts';
import { OFFLINE, useI18n } from '../i18n/index.tsx';
import type { Names } from '../names.ts';
import { PhotoInput } from './PhotoInput.tsx';

/** Fields an action may take besides those the transition table requires (src/api/cases.ts). */
const OPTIONAL: Partial<Record<ActionName, readonly string[]>> = {
  dispatch: ['department_id', 'reason'],
  arbitrate: ['department_id'],
  whistle: ['report_in_hours'],
  rate: ['fixed'],
};

export interface Refusal {
  label: Label;
  /** 409: someone else acted first; reloading shows what changed. */
  conflict: boolean;
}

/**
 * The form one action needs, from the transition table's `requires` (the same data the server
 * checks): a reason, evidence photos, the departments to whistle, the extension's days, the
 * original of a merge, the department of an arbitration. Sent with the case's version as
 * `expected_version`; the server decides, and its refusal is shown as it says it.
 */
export function ActionForm({
  detail,
  action,
  names,
  onDone,
  onCancel,
  onReload,
}: {
  detail: CaseDetail;
  action: ActionName;
  names: Names;
  onDone(next: CaseDetail): void;
  onCancel(): void;
  /** After a conflict: fetch the case again, which shows what the other person did. */
  onReload(): void;
}) {
  const { t, pick } = useI18n();
  const needs = new Set<string>([...TRANSITIONS[action].requires, ...(OPTIONAL[action] ?? [])]);
  const required = new Set<string>(TRANSITIONS[action].requires);
  if (action === 'arbitrate') required.add('department_id');
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const body: ActionBody = { action, expected_version: detail.version };
    if (text('reason')) body.reason = text('reason');
    if (text('note')) body.note = text('note');
    if (needs.has('evidence')) {
      const evidence = [
        ...photos.map((p) => p.url),
        ...(text('evidence_text') ? [text('evidence_text')] : []),
      ];
      if (evidence.length > 0) body.evidence = evidence;
    }
    if (text('department_id')) body.department_id = text('department_id');
    const departments = form.getAll('departments').map(String);
    if (departments.length > 0) body.departments = departments;
    if (text('report_in_hours')) body.report_in_hours = Number(text('report_in_hours'));
    if (text('days')) body.days = Number(text('days'));
    if (text('merged_into')) body.merged_into = text('merged_into');
    if (text('rating')) body.rating = Number(text('rating'));
    if (needs.has('fixed')) body.fixed = form.get('fixed') === 'on';
    setBusy(true);
    setRefusal(null);
    try {
      onDone(await api.act(detail.id, body));
    } catch (e) {
      setRefusal({ label: labelOf(e, OFFLINE), conflict: e instanceof ApiError && e.status === 409 });
    } finally {
      setBusy(false);
    }
  };

  const star = (name: string) => (required.has(name) ? ' *' : '');
  return (
    <form
      className="card action-form"
      onSubmit={submit}
      data-action={action}
      aria-label={pick(actionLabel(action))}
    >
      <h3>{pick(actionLabel(action))}</h3>
      {needs.has('department_id') && (
        <label>
          {t(action === 'dispatch' ? 'act.department.override' : 'act.department')}
          {star('department_id')}
          <select name="department_id" required={required.has('department_id')} defaultValue="">
            <option value="">{action === 'dispatch' ? t('act.department.listed') : t('act.choose')}</option>
            {names.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {needs.has('departments') && (
        <fieldset>
          <legend>{t('act.departments')} *</legend>
          <div className="checks">
            {names.departments
              .filter((d) => d.id !== detail.owner_department_id)
              .map((d) => (
                <label key={d.id} className="check">
                  <input type="checkbox" name="departments" value={d.id} /> {d.name}
                </label>
              ))}
          </div>
        </fieldset>
      )}
      {needs.has('report_in_hours') && (
        <label>
          {t('act.report_in_hours')}
          <input name="report_in_hours" type="number" min={1} max={72} step={1} />
        </label>
      )}
      {needs.has('merged_into') && (
        <label>
          {t('act.merged_into')} *
          <input name="merged_into" required />
        </label>
      )}
      {needs.has('days') && (
        <label>
          {t('act.days')} *
          <input name="days" type="number" min={1} max={365} step={1} required />
        </label>
      )}
      {needs.has('rating') && (
        <label>
          {t('act.rating')} *
          <input name="rating" type="number" min={1} max={5} step={1} required />
        </label>
      )}
      {needs.has('fixed') && (
        <label className="check">
          <input type="checkbox" name="fixed" defaultChecked /> {t('act.fixed')}
        </label>
      )}
      {needs.has('evidence') && (
        <fieldset>
          <legend>{t('act.evidence')} *</legend>
          <PhotoInput value={photos} onChange={setPhotos} />
          <label>
            {t('act.evidence_text')}
            <input name="evidence_text" />
          </label>
        </fieldset>
      )}
      {needs.has('reason') && (
        <label>
          {t(required.has('reason') ? 'act.reason' : 'act.reason.override')}
          {star('reason')}
          <textarea name="reason" required={required.has('reason')} rows={3} maxLength={2000} />
        </label>
      )}
      <label>
        {t('act.note')}
        <input name="note" maxLength={2000} />
      </label>
      {refusal && (
        <div
          className="error"
          role="alert"
          data-testid="refusal"
          data-conflict={refusal.conflict ? 'true' : 'false'}
        >
          <p>{refusal.conflict ? t('act.conflict') : pick(refusal.label)}</p>
          {refusal.conflict && (
            <button type="button" onClick={onReload} data-testid="reload">
              {t('act.reload')}
            </button>
          )}
        </div>
      )}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy} data-testid="act-submit">
          {busy ? t('act.sending') : t('act.submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('act.cancel')}
        </button>
      </div>
    </form>
  );
}
