import { DEPARTMENT_TYPES } from '../../../../../src/core/organisation/department-types.ts';
import { REGION_LEVELS } from '../../../../../src/core/regions/codes.ts';
import {
  ESCALATION_TARGETS,
  LIMIT_UNITS,
  LIMITED_STAGES,
} from '../../../../../src/core/responsibility/entries.ts';
import {
  DEPARTMENT_TYPE_LABELS,
  ESCALATION_LABELS,
  LIMIT_UNIT_LABELS,
  LIMITED_STAGE_LABELS,
  REGION_LEVEL_LABELS,
} from '../../../../../src/i18n/responsibility-labels.ts';
import { useI18n } from '../../i18n/index.tsx';
import { handlerLabel, limitLabel, type RuleNames } from './labels.ts';
import { handlersText, parseHandlers, type Handler } from './responsibility-model.ts';
import type { Department, Entry, Problem } from './rules-api.ts';
import { ProblemList } from './ProblemList.tsx';

export const ENTRY_COLUMNS = 9;

interface Props {
  entry: Entry;
  index: number;
  names: RuleNames;
  departments: readonly Department[];
  problems: readonly Problem[];
  editable: boolean;
  open: boolean;
  onToggle(): void;
  onChange(entry: Entry): void;
  onRemove(): void;
}

/** One entry of the list: a row of the table, and below it its form while it is being edited. */
export function EntryRow(props: Props) {
  const { t, pick } = useI18n();
  const { entry: e, index, names, problems } = props;
  const problemId = `entry-${index}-problems`;
  const invalid = problems.length > 0;
  return (
    <>
      <tr
        data-testid={`entry-${index}`}
        data-entry-id={e.id}
        className={invalid ? 'invalid' : undefined}
        aria-describedby={invalid ? problemId : undefined}
      >
        <td translate="no">{e.id}</td>
        <td>
          <code translate="no">{e.category_code || '—'}</code>{' '}
          <span translate="no">{names.category(e.category_code)}</span>
        </td>
        <td translate="no">{e.scope_region_code ?? t('rules.resp.whole_region')}</td>
        <td translate="no">{handlerLabel(e.lead, names, pick)}</td>
        <td translate="no">{e.co_handlers.map((h) => handlerLabel(h, names, pick)).join('、') || '—'}</td>
        <td translate="no">
          {e.legal_basis.law} {e.legal_basis.article}
        </td>
        <td>{limitLabel(e.limits.handling, pick)}</td>
        <td>{ESCALATION_LABELS[e.escalation] ? pick(ESCALATION_LABELS[e.escalation]) : e.escalation}</td>
        <td className="row-actions">
          {props.editable && (
            <>
              <button
                type="button"
                onClick={props.onToggle}
                aria-expanded={props.open}
                aria-controls={`entry-${index}-form`}
                data-testid={`edit-entry-${index}`}
              >
                {props.open ? t('rules.resp.close_row') : t('rules.resp.edit_row')}
                <span className="sr-only"> {e.id}</span>
              </button>
              <button type="button" onClick={props.onRemove} data-testid={`remove-entry-${index}`}>
                {t('rules.resp.remove_row')}
                <span className="sr-only"> {e.id}</span>
              </button>
            </>
          )}
        </td>
      </tr>
      {invalid && (
        <tr className="row-problems">
          <td colSpan={ENTRY_COLUMNS} id={problemId} data-testid={`entry-${index}-problems`}>
            <ProblemList problems={problems} />
          </td>
        </tr>
      )}
      {props.open && props.editable && (
        <tr className="row-form">
          <td colSpan={ENTRY_COLUMNS} id={`entry-${index}-form`}>
            <EntryForm {...props} />
          </td>
        </tr>
      )}
    </>
  );
}

function EntryForm({ entry: e, index, departments, onChange }: Props) {
  const { t, pick } = useI18n();
  const set = (patch: Partial<Entry>) => onChange({ ...e, ...patch });
  const field = (name: string) => `entry-${index}-${name}`;
  const lead = e.lead;
  const unit = 'department_id' in lead ? lead.department_id : null;
  const kind = 'department_id' in lead ? null : lead;
  const setLead = (next: Handler) => set({ lead: next });
  return (
    <fieldset className="entry-form" data-testid={`entry-form-${index}`}>
      <legend>{t('rules.resp.editing', { id: e.id })}</legend>
      <label>
        {t('rules.resp.col.id')}
        <input name={field('id')} value={e.id} onChange={(x) => set({ id: x.target.value })} />
      </label>
      <label>
        {t('rules.resp.col.category')}
        <input
          name={field('category')}
          list="rules-categories"
          value={e.category_code}
          onChange={(x) => set({ category_code: x.target.value.trim().toUpperCase() })}
        />
      </label>
      <label>
        {t('rules.resp.col.scope')}
        <input
          name={field('scope')}
          value={e.scope_region_code ?? ''}
          placeholder={t('rules.resp.whole_region')}
          onChange={(x) => set({ scope_region_code: x.target.value.trim() || null })}
        />
      </label>
      <label>
        {t('rules.resp.lead_kind')}
        <select
          name={field('lead-kind')}
          value={kind?.type ?? ''}
          onChange={(x) =>
            setLead(
              x.target.value
                ? {
                    type: x.target.value as (typeof DEPARTMENT_TYPES)[number],
                    level: kind?.level ?? 'county',
                  }
                : { department_id: departments[0]?.id ?? '' },
            )
          }
        >
          {DEPARTMENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {pick(DEPARTMENT_TYPE_LABELS[type])}
            </option>
          ))}
          <option value="">{t('rules.resp.lead_unit')}</option>
        </select>
      </label>
      {unit !== null || !kind ? (
        <label>
          {t('rules.resp.lead_unit')}
          <select
            name={field('lead-unit')}
            value={unit ?? ''}
            onChange={(x) => setLead({ department_id: x.target.value })}
          >
            {departments.map((d) => (
              <option key={d.id} value={d.id} translate="no">
                {d.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          {t('rules.resp.lead_level')}
          <select
            name={field('lead-level')}
            value={kind.level}
            onChange={(x) =>
              setLead({ type: kind.type, level: x.target.value as (typeof REGION_LEVELS)[number] })
            }
          >
            {REGION_LEVELS.map((level) => (
              <option key={level} value={level}>
                {pick(REGION_LEVEL_LABELS[level])}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="wide">
        {t('rules.resp.col.co')}
        <input
          name={field('co')}
          defaultValue={handlersText(e.co_handlers)}
          aria-describedby={field('co-hint')}
          onBlur={(x) => set({ co_handlers: parseHandlers(x.target.value) })}
        />
        <span className="small muted" id={field('co-hint')}>
          {t('rules.resp.co_hint')}
        </span>
      </label>
      <label>
        {t('rules.resp.law')}
        <input
          name={field('law')}
          value={e.legal_basis.law}
          onChange={(x) => set({ legal_basis: { ...e.legal_basis, law: x.target.value } })}
        />
      </label>
      <label>
        {t('rules.resp.article')}
        <input
          name={field('article')}
          value={e.legal_basis.article}
          onChange={(x) => set({ legal_basis: { ...e.legal_basis, article: x.target.value } })}
        />
      </label>
      <label className="wide">
        {t('rules.resp.text')}
        <textarea
          name={field('text')}
          translate="no"
          rows={2}
          value={e.legal_basis.text}
          onChange={(x) => set({ legal_basis: { ...e.legal_basis, text: x.target.value } })}
        />
      </label>
      {LIMITED_STAGES.map((stage) => (
        <fieldset key={stage} className="limit">
          <legend>{pick(LIMITED_STAGE_LABELS[stage])}</legend>
          <label>
            {t('rules.resp.amount')}
            <input
              type="number"
              min="0"
              step="any"
              name={field(`${stage}-amount`)}
              value={e.limits[stage].amount}
              onChange={(x) =>
                set({
                  limits: { ...e.limits, [stage]: { ...e.limits[stage], amount: Number(x.target.value) } },
                })
              }
            />
          </label>
          <label>
            {t('rules.resp.unit')}
            <select
              name={field(`${stage}-unit`)}
              value={e.limits[stage].unit}
              onChange={(x) =>
                set({
                  limits: {
                    ...e.limits,
                    [stage]: { ...e.limits[stage], unit: x.target.value as (typeof LIMIT_UNITS)[number] },
                  },
                })
              }
            >
              {LIMIT_UNITS.map((unit) => (
                <option key={unit} value={unit}>
                  {pick(LIMIT_UNIT_LABELS[unit])}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
      ))}
      <label>
        {t('rules.resp.col.escalation')}
        <select
          name={field('escalation')}
          value={e.escalation}
          onChange={(x) => set({ escalation: x.target.value as (typeof ESCALATION_TARGETS)[number] })}
        >
          {ESCALATION_TARGETS.map((target) => (
            <option key={target} value={target}>
              {pick(ESCALATION_LABELS[target])}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
