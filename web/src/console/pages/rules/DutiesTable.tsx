import { TOWNSHIP_DUTIES } from '../../../../../src/core/responsibility/entries.ts';
import { useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import type { RuleNames } from './labels.ts';
import { ProblemList } from './ProblemList.tsx';
import type { Duty, Problem, RegionItem } from './rules-api.ts';

const DUTY_KEYS: Record<Duty['duty'], ConsoleKey> = {
  basic: 'rules.duty.basic',
  assisting: 'rules.duty.assisting',
  returned: 'rules.duty.returned',
};

interface Props {
  duties: readonly Duty[];
  townships: readonly RegionItem[];
  names: RuleNames;
  problems: Map<number, Problem[]>;
  editable: boolean;
  onChange(duties: Duty[]): void;
}

/** 乡镇履职事项清单: per township and category, basic, assisting or returned; edited in place. */
export function DutiesTable({ duties, townships, names, problems, editable, onChange }: Props) {
  const { t } = useI18n();
  const townshipName = new Map(townships.map((r) => [r.code, r.name]));
  const set = (i: number, patch: Partial<Duty>) =>
    onChange(duties.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const add = () =>
    onChange([...duties, { township_code: townships[0]?.code ?? '', category_code: '', duty: 'basic' }]);
  const invalidCount = [...problems.keys()].length;
  return (
    <details className="duties" open={invalidCount > 0 || undefined}>
      <summary>
        {t('rules.duty.title', { count: duties.length })}
        {invalidCount > 0 && (
          <span className="badge warn">{t('rules.resp.invalid_rows', { count: invalidCount })}</span>
        )}
      </summary>
      <table data-testid="duties">
        <thead>
          <tr>
            <th scope="col">{t('rules.duty.township')}</th>
            <th scope="col">{t('rules.resp.col.category')}</th>
            <th scope="col">{t('rules.duty.duty')}</th>
            {editable && <th scope="col">{t('rules.resp.col.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {duties.map((d, i) => {
            const rowProblems = problems.get(i) ?? [];
            const label = `${townshipName.get(d.township_code) ?? d.township_code} ${d.category_code}`;
            return (
              <tr key={i} className={rowProblems.length ? 'invalid' : undefined} data-testid={`duty-${i}`}>
                <td>
                  {editable && townships.length > 0 ? (
                    <select
                      aria-label={`${t('rules.duty.township')} ${i + 1}`}
                      value={d.township_code}
                      onChange={(x) => set(i, { township_code: x.target.value })}
                    >
                      {!townshipName.has(d.township_code) && (
                        <option value={d.township_code}>{d.township_code}</option>
                      )}
                      {townships.map((r) => (
                        <option key={r.code} value={r.code} translate="no">
                          {r.name}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span translate="no">{townshipName.get(d.township_code) ?? d.township_code}</span>
                  )}
                </td>
                <td>
                  {editable ? (
                    <input
                      aria-label={`${t('rules.resp.col.category')} ${i + 1}`}
                      list="rules-categories"
                      size={10}
                      value={d.category_code}
                      onChange={(x) => set(i, { category_code: x.target.value.trim().toUpperCase() })}
                    />
                  ) : (
                    <code translate="no">{d.category_code}</code>
                  )}{' '}
                  <span translate="no">{names.category(d.category_code)}</span>
                  {rowProblems.length > 0 && <ProblemList problems={rowProblems} />}
                </td>
                <td>
                  {editable ? (
                    <select
                      aria-label={`${t('rules.duty.duty')} ${i + 1}`}
                      value={d.duty}
                      onChange={(x) => set(i, { duty: x.target.value as Duty['duty'] })}
                    >
                      {TOWNSHIP_DUTIES.map((duty) => (
                        <option key={duty} value={duty}>
                          {t(DUTY_KEYS[duty])}
                        </option>
                      ))}
                    </select>
                  ) : (
                    t(DUTY_KEYS[d.duty])
                  )}
                </td>
                {editable && (
                  <td>
                    <button type="button" onClick={() => onChange(duties.filter((_, j) => j !== i))}>
                      {t('rules.resp.remove_row')}
                      <span className="sr-only" translate="no">
                        {' '}
                        {label}
                      </span>
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {editable && (
        <button type="button" onClick={add}>
          {t('rules.duty.add')}
        </button>
      )}
    </details>
  );
}
