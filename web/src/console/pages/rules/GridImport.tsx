import { useState } from 'react';
import { ApiError, NetworkError, labelOf, type Label } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { csrfHeaders } from '../../api.ts';

interface GridProblem {
  index: number;
  code: string | null;
  reason: string;
  detail: string;
}

interface Imported {
  inserted: number;
  replaced: number;
}

/**
 * Sends a GeoJSON file to POST /api/v1/grids/import as it is (the file itself is the body), by
 * XMLHttpRequest because fetch reports no upload progress: a county's grids run to megabytes.
 */
function upload(
  file: File,
  replace: boolean,
  headers: Record<string, string>,
  onProgress: (share: number) => void,
) {
  return new Promise<Imported>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/grids/import${replace ? '?replace=true' : ''}`);
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new NetworkError('upload failed'));
    xhr.onload = () => {
      let body: {
        error?: { code: string; message: string; message_en: string; details?: Record<string, unknown> };
      } & Partial<Imported> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON: the status says enough
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as Imported);
      if (xhr.status >= 502 && xhr.status <= 504) return reject(new NetworkError(String(xhr.status)));
      const e = body.error;
      const label: Label = e
        ? { zh: e.message, en: e.message_en }
        : { zh: xhr.statusText, en: xhr.statusText };
      reject(new ApiError(xhr.status, e?.code ?? `http.${xhr.status}`, label, e?.details ?? {}));
    };
    xhr.send(file);
  });
}

/** Grid import: all or nothing (docs/grids.md); every bad feature listed with its index and reason. */
export function GridImport({ onImported }: { onImported(): void }) {
  const { t, pick } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [share, setShare] = useState<number | null>(null);
  const [result, setResult] = useState<Imported | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    setShare(0);
    try {
      setResult(await upload(file, replace, csrfHeaders(), setShare));
      onImported();
    } catch (e) {
      setError(e);
    } finally {
      setShare(null);
    }
  };
  const problems: GridProblem[] =
    error instanceof ApiError && Array.isArray(error.details.problems)
      ? (error.details.problems as GridProblem[])
      : [];
  return (
    <section className="card" aria-labelledby="grid-import-title" data-testid="grid-import">
      <h2 id="grid-import-title">{t('rules.grids.import')}</h2>
      <p className="muted small">{t('rules.grids.import_hint')}</p>
      <div className="form-row">
        <label>
          {t('rules.grids.file')}
          <input
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
            data-testid="grid-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
          {t('rules.grids.replace')}
        </label>
        <button
          type="button"
          className="primary"
          disabled={!file || share !== null}
          onClick={() => void send()}
        >
          {t('rules.grids.send')}
        </button>
      </div>
      {share !== null && (
        <p role="status">
          <progress
            max={1}
            value={share < 1 ? share : undefined}
            aria-label={t('rules.grids.progress')}
            data-testid="grid-progress"
          />{' '}
          {share < 1
            ? t('rules.grids.uploading', { percent: Math.round(share * 100) })
            : t('rules.grids.checking')}
        </p>
      )}
      {result && (
        <p role="status" className="ok" data-testid="grid-imported">
          {t('rules.grids.imported', { inserted: result.inserted, replaced: result.replaced })}
        </p>
      )}
      {error !== null && (
        <div role="alert" className="error" data-testid="grid-errors">
          <p>{pick(labelOf(error, OFFLINE))}</p>
          {problems.length > 0 && (
            <table>
              <caption>{t('rules.grids.problems')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rules.grids.feature')}</th>
                  <th scope="col">{t('rules.grids.code')}</th>
                  <th scope="col">{t('rules.coverage.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.index < 0 ? t('rules.grids.whole_file') : p.index}</td>
                    <td translate="no">{p.code ?? '—'}</td>
                    <td>
                      <code>{p.reason}</code> <span lang="en">{p.detail}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
