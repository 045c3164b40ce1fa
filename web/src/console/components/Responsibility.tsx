import type { HandlerRef } from '../../../../src/core/responsibility/entries.ts';
import { LIMITED_STAGES } from '../../../../src/core/responsibility/entries.ts';
import {
  DEPARTMENT_TYPE_LABELS,
  ESCALATION_LABELS,
  LIMIT_UNIT_LABELS,
  LIMITED_STAGE_LABELS,
  REGION_LEVEL_LABELS,
} from '../../../../src/i18n/responsibility-labels.ts';
import type { CaseDetail } from '../api.ts';
import { useI18n, type ConsoleKey } from '../i18n/index.tsx';
import type { Names } from '../names.ts';

/**
 * The responsibility decision of a case: its owner, the list and version it was routed by, the
 * entry's lead and co-handlers, legal basis, time limit of every stage and escalation target, and
 * the departments' tasks.
 */
export function Responsibility({ detail, names }: { detail: CaseDetail; names: Names }) {
  const { t, pick, time } = useI18n();
  const entry = detail.responsibility.entry;
  const handler = (ref: HandlerRef): string =>
    ref.department_id !== undefined
      ? names.department(ref.department_id)
      : `${pick(REGION_LEVEL_LABELS[ref.level])}${pick(DEPARTMENT_TYPE_LABELS[ref.type])}`;
  return (
    <section className="card" aria-labelledby="resp-title">
      <h2 id="resp-title">{t('case.responsibility')}</h2>
      <dl>
        <dt>{t('case.owner')}</dt>
        <dd data-testid="owner" translate="no">
          {names.department(detail.owner_department_id) || t('case.none')}
        </dd>
        <dt>{t('case.list')}</dt>
        <dd>
          {detail.responsibility.list_id
            ? `${detail.responsibility.list_id} v${detail.responsibility.version ?? '-'}`
            : t('case.none')}
        </dd>
        <dt>{t('case.entry')}</dt>
        <dd>{detail.responsibility.entry_id ?? t('case.none')}</dd>
        {detail.responsibility.dispatch_overridden && (
          <>
            <dt>{t('case.override')}</dt>
            <dd>{t('case.override.yes')}</dd>
          </>
        )}
        {entry && (
          <>
            <dt>{t('case.entry.lead')}</dt>
            <dd data-testid="entry-lead" translate="no">
              {handler(entry.lead)}
            </dd>
            <dt>{t('case.entry.co')}</dt>
            <dd translate="no">
              {entry.co_handlers.length > 0 ? entry.co_handlers.map(handler).join('、') : t('case.none')}
            </dd>
            <dt>{t('case.entry.basis')}</dt>
            <dd data-testid="entry-basis">
              <span translate="no">
                {entry.legal_basis.law} {entry.legal_basis.article}
              </span>
              {entry.legal_basis.text && (
                <q className="basis" translate="no">
                  {entry.legal_basis.text}
                </q>
              )}
            </dd>
            <dt>{t('case.entry.limits')}</dt>
            <dd>
              <ul className="limits" data-testid="entry-limits">
                {LIMITED_STAGES.map((stage) => (
                  <li key={stage}>
                    {pick(LIMITED_STAGE_LABELS[stage])}: {entry.limits[stage].amount}{' '}
                    {pick(LIMIT_UNIT_LABELS[entry.limits[stage].unit])}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{t('case.entry.escalation')}</dt>
            <dd>{pick(ESCALATION_LABELS[entry.escalation])}</dd>
          </>
        )}
      </dl>
      {detail.assignees.length > 0 && (
        <table className="tasks" data-testid="tasks">
          <caption>{t('case.tasks')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('case.task.department')}</th>
              <th scope="col">{t('case.task.role')}</th>
              <th scope="col">{t('case.task.status')}</th>
              <th scope="col">{t('case.task.deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.assignees.map((task) => (
              <tr key={task.id} data-status={task.status}>
                <td translate="no">{names.department(task.department_id)}</td>
                <td>{t(`task.role.${task.role}` as ConsoleKey)}</td>
                <td>{t(`task.status.${task.status}` as ConsoleKey)}</td>
                <td>
                  {task.report_in_deadline && task.status === 'awaiting_report_in'
                    ? `${t('case.task.report_in')} ${time(task.report_in_deadline)}`
                    : task.deadline
                      ? time(task.deadline)
                      : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
