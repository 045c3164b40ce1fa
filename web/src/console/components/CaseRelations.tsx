import type { FeatureCollection } from 'geojson';
import { useEffect, useState } from 'react';
import { SvgMap } from '../../components/SvgMap.tsx';
import { follow } from '../../router.ts';
import { api, type CaseDetail } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { casePath } from '../routes.ts';

type Duplicate = Awaited<ReturnType<typeof api.duplicates>>['duplicates'][number];

/**
 * Where the case is and what it is related to: the reported point on its community's grids (drawn
 * offline as SVG, no tile server), the duplicates merged into it, and open cases of the same
 * category nearby that may be the same problem (GET /api/v1/cases/{id}/duplicates).
 */
export function CaseRelations({ detail }: { detail: CaseDetail }) {
  const { t, time } = useI18n();
  const [grids, setGrids] = useState<FeatureCollection | null>(null);
  const [duplicates, setDuplicates] = useState<Duplicate[]>([]);
  const { id, region, location } = detail;
  useEffect(() => {
    let live = true;
    if (location) {
      api
        .grids(region)
        .then((g) => live && setGrids(g as FeatureCollection))
        .catch(() => undefined);
    }
    api
      .duplicates(id)
      .then((d) => live && setDuplicates(d.duplicates))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id, region, location]);

  return (
    <section className="card relations" aria-labelledby="where-title">
      <h2 id="where-title">{t('case.where')}</h2>
      {location ? (
        <figure className="case-map">
          <SvgMap grids={grids} point={location} />
          <figcaption>
            {t('case.where.point', { lon: location.lon.toFixed(5), lat: location.lat.toFixed(5) })}
          </figcaption>
        </figure>
      ) : (
        <p>{t('case.where.none')}</p>
      )}
      {detail.merged_from.length > 0 && (
        <>
          <h3>{t('case.merged_from')}</h3>
          <ul data-testid="merged-from">
            {detail.merged_from.map((m) => (
              <li key={m.id}>
                <a href={casePath(m.id)} onClick={follow}>
                  {m.reference}
                </a>{' '}
                <span translate="no">{m.title}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {duplicates.length > 0 && (
        <>
          <h3>{t('case.duplicates')}</h3>
          <ul data-testid="duplicates">
            {duplicates.map((d) => (
              <li key={d.id}>
                <a href={casePath(d.id)} onClick={follow}>
                  {d.reference}
                </a>{' '}
                {t('case.duplicates.distance', { m: Math.round(d.distance_m) })} · {time(d.reported_at)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
