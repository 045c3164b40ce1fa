import { useI18n } from '../../i18n/index.tsx';
import { ENTRY_COLUMNS, EntryRow } from './EntryRow.tsx';
import type { RuleNames } from './labels.ts';
import { blankEntry } from './responsibility-model.ts';
import type { Department, Entry, Problem } from './rules-api.ts';

const COLUMNS = [
  'id',
  'category',
  'scope',
  'lead',
  'co',
  'basis',
  'handling',
  'escalation',
  'actions',
] as const;

interface Props {
  entries: readonly Entry[];
  names: RuleNames;
  departments: readonly Department[];
  problems: Map<number, Problem[]>;
  editable: boolean;
  /** The row whose form is open. */
  open: number | null;
  onOpen(row: number | null): void;
  /** `removed`: a row went, so the server's row numbers no longer match. */
  onChange(entries: Entry[], removed: boolean): void;
}

/** The entries of a list, one row each; an editable draft opens a row's form beneath it. */
export function EntriesTable({
  entries,
  names,
  departments,
  problems,
  editable,
  open,
  onOpen,
  onChange,
}: Props) {
  const { t } = useI18n();
  return (
    <>
      <table data-testid="entries">
        <caption>{t('rules.resp.entries', { count: entries.length })}</caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col">
                {t(`rules.resp.col.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <EntryRow
              key={i}
              entry={e}
              index={i}
              names={names}
              departments={departments}
              problems={problems.get(i) ?? []}
              editable={editable}
              open={open === i}
              onToggle={() => onOpen(open === i ? null : i)}
              onChange={(next) =>
                onChange(
                  entries.map((x, j) => (j === i ? next : x)),
                  false,
                )
              }
              onRemove={() => {
                onOpen(null);
                onChange(
                  entries.filter((_, j) => j !== i),
                  true,
                );
              }}
            />
          ))}
          {entries.length === 0 && (
            <tr>
              <td colSpan={ENTRY_COLUMNS}>{t('rules.resp.empty')}</td>
            </tr>
          )}
        </tbody>
      </table>
      {editable && (
        <button
          type="button"
          data-testid="add-entry"
          onClick={() => {
            onChange([...entries, blankEntry(entries)], false);
            onOpen(entries.length);
          }}
        >
          {t('rules.resp.add_row')}
        </button>
      )}
    </>
  );
}
