import { useState } from 'react';
import { ApiError, labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { rulesApi } from './rules-api.ts';

interface Props {
  region: string;
  /** The version shown: its number, or 'draft'. */
  version: number | 'draft' | null;
  /** Importing writes into the region's draft: only where the user may edit. */
  editable: boolean;
  onImported(): void;
}

interface RowError {
  row: number;
  reason: string;
}

/** CSV and JSON files of a list (docs/responsibility.md): export the version shown, import into the draft. */
export function ListFiles({ region, version, editable, onImported }: Props) {
  const { t, pick } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const importFile = async (file: File) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const format = /\.json$/i.test(file.name) || file.type.includes('json') ? 'json' : 'csv';
      const answer = await rulesApi.importList(region, format, await file.text());
      setDone(t('rules.files.imported', { entries: answer.entries, duties: answer.township_duties }));
      onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const rows: RowError[] =
    error instanceof ApiError && Array.isArray(error.details.errors)
      ? (error.details.errors as RowError[])
      : [];
  return (
    <section className="card files" aria-labelledby="files-title">
      <h2 id="files-title">{t('rules.files.title')}</h2>
      {version !== null && (
        <p className="buttons">
          <a
            className="button"
            href={rulesApi.exportUrl(region, 'csv', version)}
            download
            data-testid="export-csv"
          >
            {t('rules.files.export_csv')}
          </a>
          <a className="button" href={rulesApi.exportUrl(region, 'json', version)} download>
            {t('rules.files.export_json')}
          </a>
        </p>
      )}
      {editable && (
        <label>
          {t('rules.files.import')}
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            disabled={busy}
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
          <span className="small muted">{t('rules.files.import_hint')}</span>
        </label>
      )}
      {busy && <p role="status">{t('loading')}</p>}
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {error !== null && (
        <div role="alert" className="error" data-testid="import-errors">
          <p>{pick(labelOf(error, OFFLINE))}</p>
          {rows.length > 0 && (
            <ul>
              {rows.map((r, i) => (
                <li key={i}>
                  {t('rules.files.line', { line: r.row })}
                  {t('rules.colon')}
                  <span lang="en">{r.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
