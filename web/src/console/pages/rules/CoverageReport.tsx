import { useEffect, useState } from 'react';
import { DEPARTMENT_TYPE_LABELS } from '../../../../../src/i18n/responsibility-labels.ts';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import type { RuleNames } from './labels.ts';
import { rulesApi, type Coverage } from './rules-api.ts';

const SHOWN = 200;

/**
 * 权责空白与交叉: the server resolves every leaf category for the region and its children by the
 * published lists; shown on demand (a county's report resolves a few thousand pairs).
 */
export function CoverageReport({
  region,
  names,
  stamp,
}: {
  region: string;
  names: RuleNames;
  stamp: number;
}) {
  const { t, pick } = useI18n();
  const [open, setOpen] = useState(false);
  const [report, setReport] = useState<Coverage | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    setReport(null);
    setError(null);
    rulesApi
      .coverage(region)
      .then((r) => live && setReport(r))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [open, region, stamp]);
  const category = (code: string) => (
    <>
      <code translate="no">{code}</code> <span translate="no">{names.category(code)}</span>
    </>
  );
  return (
    <section className="card" aria-labelledby="coverage-title" data-testid="coverage">
      <h2 id="coverage-title">{t('rules.coverage.title')}</h2>
      <p className="muted small">{t('rules.coverage.hint')}</p>
      {!open && (
        <button type="button" onClick={() => setOpen(true)} data-testid="coverage-run">
          {t('rules.coverage.run')}
        </button>
      )}
      {open && !report && !error && <p role="status">{t('loading')}</p>}
      {error !== null && <p className="error">{pick(labelOf(error, OFFLINE))}</p>}
      {report && (
        <>
          <p role="status" data-testid="coverage-summary">
            {t('rules.coverage.summary', {
              checked: report.checked,
              gaps: report.gaps.length,
              overlaps: report.overlaps.length,
            })}
          </p>
          {report.gaps.length > 0 && (
            <table>
              <caption>{t('rules.coverage.gaps')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rules.resp.col.category')}</th>
                  <th scope="col">{t('rules.coverage.region')}</th>
                  <th scope="col">{t('rules.coverage.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.gaps.slice(0, SHOWN).map((g) => (
                  <tr key={`${g.category}@${g.region}`}>
                    <td>{category(g.category)}</td>
                    <td translate="no">{g.region}</td>
                    <td>
                      {g.reason === 'no_entry'
                        ? t('rules.coverage.no_entry')
                        : t('rules.coverage.no_unit', {
                            type:
                              g.lead_type && g.lead_type in DEPARTMENT_TYPE_LABELS
                                ? pick(
                                    DEPARTMENT_TYPE_LABELS[
                                      g.lead_type as keyof typeof DEPARTMENT_TYPE_LABELS
                                    ],
                                  )
                                : (g.lead_type ?? '—'),
                          })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.gaps.length > SHOWN && (
            <p className="muted">{t('rules.coverage.more', { count: report.gaps.length - SHOWN })}</p>
          )}
          {report.overlaps.length > 0 && (
            <table>
              <caption>{t('rules.coverage.overlaps')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rules.resp.col.category')}</th>
                  <th scope="col">{t('rules.coverage.region')}</th>
                  <th scope="col">{t('rules.coverage.entries')}</th>
                </tr>
              </thead>
              <tbody>
                {report.overlaps.slice(0, SHOWN).map((o) => (
                  <tr key={`${o.category}@${o.region}`}>
                    <td>{category(o.category)}</td>
                    <td translate="no">{o.region}</td>
                    <td translate="no">{o.entries.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
