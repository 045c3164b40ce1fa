import { useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import { fieldOf } from './responsibility-model.ts';
import type { Problem } from './rules-api.ts';

const FIELD_KEYS: Record<string, ConsoleKey> = {
  '': 'rules.field.row',
  id: 'rules.resp.col.id',
  category_code: 'rules.resp.col.category',
  scope_region_code: 'rules.resp.col.scope',
  lead: 'rules.resp.col.lead',
  co_handlers: 'rules.resp.col.co',
  legal_basis: 'rules.resp.col.basis',
  limits: 'rules.resp.col.limits',
  escalation: 'rules.resp.col.escalation',
  township_code: 'rules.duty.township',
  duty: 'rules.duty.duty',
};

/**
 * The server's problems with one row: the field in the user's language, the server's reason as
 * it says it (the validator's reasons are English only; marked so for screen readers).
 */
export function ProblemList({ problems }: { problems: readonly Problem[] }) {
  const { t } = useI18n();
  return (
    <ul className="problems error" role="list">
      {problems.map((p, i) => {
        const key = FIELD_KEYS[fieldOf(p.at)];
        return (
          <li key={i}>
            <strong>{key ? t(key) : p.at}</strong>
            {t('rules.colon')}
            <span lang="en">{p.reason}</span>
          </li>
        );
      })}
    </ul>
  );
}
