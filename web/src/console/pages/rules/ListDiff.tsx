import { useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import type { RuleNames } from './labels.ts';
import { isEmptyDiff, type EntryField, type ListDiff } from './responsibility-model.ts';
import type { Duty, Entry } from './rules-api.ts';

const FIELD_KEYS: Record<EntryField, ConsoleKey> = {
  category_code: 'rules.resp.col.category',
  scope_region_code: 'rules.resp.col.scope',
  lead: 'rules.resp.col.lead',
  co_handlers: 'rules.resp.col.co',
  legal_basis: 'rules.resp.col.basis',
  limits: 'rules.resp.col.limits',
  escalation: 'rules.resp.col.escalation',
};

/** What publishing the draft would change against the published version (or against nothing). */
export function ListDiffView({
  diff,
  version,
  names,
}: {
  diff: ListDiff;
  version: number | null;
  names: RuleNames;
}) {
  const { t } = useI18n();
  const entry = (e: Entry) => (
    <>
      <code translate="no">{e.id}</code>{' '}
      <span translate="no">{names.category(e.category_code) || e.category_code}</span>
    </>
  );
  const duty = (d: Duty) => (
    <span translate="no">
      {d.township_code} · {names.category(d.category_code) || d.category_code}
    </span>
  );
  return (
    <section className="card diff" aria-labelledby="diff-title" data-testid="diff">
      <h2 id="diff-title">
        {version === null ? t('rules.diff.title_first') : t('rules.diff.title', { version })}
      </h2>
      {isEmptyDiff(diff) && <p>{t('rules.diff.none')}</p>}
      {diff.added.length > 0 && (
        <>
          <h3>{t('rules.diff.added', { count: diff.added.length })}</h3>
          <ul data-testid="diff-added">
            {diff.added.map((e) => (
              <li key={e.id}>{entry(e)}</li>
            ))}
          </ul>
        </>
      )}
      {diff.removed.length > 0 && (
        <>
          <h3>{t('rules.diff.removed', { count: diff.removed.length })}</h3>
          <ul data-testid="diff-removed">
            {diff.removed.map((e) => (
              <li key={e.id}>{entry(e)}</li>
            ))}
          </ul>
        </>
      )}
      {diff.changed.length > 0 && (
        <>
          <h3>{t('rules.diff.changed', { count: diff.changed.length })}</h3>
          <ul data-testid="diff-changed">
            {diff.changed.map((c) => (
              <li key={c.after.id}>
                {entry(c.after)}
                {t('rules.colon')}
                {c.fields.map((f) => t(FIELD_KEYS[f])).join(t('rules.list_sep'))}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.dutiesAdded.length + diff.dutiesRemoved.length + diff.dutiesChanged.length > 0 && (
        <>
          <h3>{t('rules.diff.duties')}</h3>
          <ul data-testid="diff-duties">
            {diff.dutiesAdded.map((d) => (
              <li key={`+${d.township_code}${d.category_code}`}>
                {t('rules.diff.duty_added')} {duty(d)}
              </li>
            ))}
            {diff.dutiesRemoved.map((d) => (
              <li key={`-${d.township_code}${d.category_code}`}>
                {t('rules.diff.duty_removed')} {duty(d)}
              </li>
            ))}
            {diff.dutiesChanged.map((c) => (
              <li key={`~${c.after.township_code}${c.after.category_code}`}>
                {t('rules.diff.duty_changed')} {duty(c.after)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
