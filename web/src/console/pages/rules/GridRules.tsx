import { Fragment, useEffect, useState } from 'react';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { GridImport } from './GridImport.tsx';
import { GridWorkers } from './GridWorkers.tsx';
import { RegionPicker, useAllowed, useRuleRegion } from './RegionPicker.tsx';
import { rulesApi, type GridCollection, type GridDetail } from './rules-api.ts';

/**
 * 网格 of a region and the grid workers of each (docs/grids.md), and the GeoJSON import for those
 * who may edit grids; they also put workers on a grid and end their assignments.
 */
export default function GridRules({ params }: { params: URLSearchParams }) {
  const { t, pick } = useI18n();
  const { region, error: regionError, inScope } = useRuleRegion(params);
  const canImport = useAllowed('grid.edit', inScope);
  const [stamp, setStamp] = useState(0);
  const [grids, setGrids] = useState<GridCollection['features'] | null>(null);
  const [open, setOpen] = useState<GridDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const code = region?.code;

  useEffect(() => {
    if (!code) return;
    let live = true;
    setGrids(null);
    setOpen(null);
    rulesApi
      .grids(code)
      .then((r) => live && setGrids(r.features))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [code, stamp]);

  const show = (gridCode: string) => {
    if (open?.code === gridCode) return setOpen(null);
    rulesApi.grid(gridCode).then(setOpen).catch(setError);
  };

  if (regionError) return <p className="error">{pick(labelOf(regionError, OFFLINE))}</p>;
  if (!region) return <p role="status">{t('loading')}</p>;
  return (
    <section aria-labelledby="grids-title" data-testid="grids">
      <h1 id="grids-title">{t('rules.section.grids')}</h1>
      <RegionPicker region={region} />
      <p className="muted">
        {!canImport && <span className="badge">{t('rules.read_only')}</span>} {t('rules.grids.cli')}
      </p>
      {canImport && <GridImport onImported={() => setStamp((n) => n + 1)} />}
      <p>
        <a
          className="button"
          href={`/api/v1/grids?within=${region.code}`}
          download={`grids-${region.code}.geojson`}
        >
          {t('rules.grids.export')}
        </a>
      </p>
      {error !== null && (
        <p role="alert" className="error">
          {pick(labelOf(error, OFFLINE))}
        </p>
      )}
      {!grids ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t('rules.grids.count', { count: grids.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rules.grids.code')}</th>
                <th scope="col">{t('rules.tax.name')}</th>
                <th scope="col">{t('rules.grids.community')}</th>
                <th scope="col">{t('rules.grids.workers')}</th>
              </tr>
            </thead>
            <tbody>
              {grids.map((g) => (
                <Fragment key={g.properties.code}>
                  <tr>
                    <td translate="no">{g.properties.code}</td>
                    <td translate="no">
                      {g.properties.name}{' '}
                      {g.properties.synthetic && <span className="badge">{t('rules.grids.synthetic')}</span>}
                    </td>
                    <td translate="no">{g.properties.community_code}</td>
                    <td>
                      <button
                        type="button"
                        aria-expanded={open?.code === g.properties.code}
                        onClick={() => show(g.properties.code)}
                      >
                        {t('rules.grids.show_workers')}
                        <span className="sr-only" translate="no">
                          {' '}
                          {g.properties.code}
                        </span>
                      </button>
                    </td>
                  </tr>
                  {open?.code === g.properties.code && (
                    <tr className="row-form">
                      <td colSpan={4}>
                        <GridWorkers
                          grid={open}
                          editable={canImport}
                          onChanged={() => void rulesApi.grid(open.code).then(setOpen).catch(setError)}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
