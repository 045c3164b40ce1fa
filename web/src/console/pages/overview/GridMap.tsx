import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature, FeatureCollection } from 'geojson';
import maplibregl, { type GeoJSONSource, type Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { overviewApi, type GridCollection, type OverviewData } from './overview-api.ts';

/**
 * No tile server, no glyphs, no sprites: a background and this server's GeoJSON only, so the map
 * works inside a closed network. Grid names are in the tables; the map carries no text.
 */
const STYLE = {
  version: 8 as const,
  sources: {},
  layers: [{ id: 'background', type: 'background' as const, paint: { 'background-color': '#eef1f4' } }],
};

/** From this zoom on, the open cases are drawn as points (a few streets across). */
export const POINTS_ZOOM = 14;

/** Grid fill by state, the legend's colours: overdue, open, cases all closed, no case. */
export const MAP_COLOURS = { overdue: '#c0392b', open: '#e8a33d', closed: '#7fb48f', none: '#dde3e9' };

function boundsOf(features: Feature[]): [[number, number], [number, number]] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [lon, lat] = c as [number, number];
      w = Math.min(w, lon);
      e = Math.max(e, lon);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of features) if ('coordinates' in f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(w)
    ? [
        [w, s],
        [e, n],
      ]
    : null;
}

/**
 * The region's grids coloured by their open and overdue cases; from POINTS_ZOOM on, the open cases
 * as points (overdue ones red). A click on a grid drills into it.
 */
export function GridMap({
  data,
  within,
  query,
  onGrid,
}: {
  data: OverviewData;
  /** The region whose grids to draw (the community when a grid is chosen). */
  within: string;
  /** The filters of the case points: region, period and grid of the overview. */
  query: Record<string, string | undefined>;
  onGrid(code: string): void;
}) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | null>(null);
  const pick = useRef(onGrid);
  pick.current = onGrid;
  const framed = useRef<string | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  const [grids, setGrids] = useState<GridCollection | null>(null);
  const [zoomed, setZoomed] = useState(false);
  const queryKey = JSON.stringify(query);

  useEffect(() => {
    let live = true;
    overviewApi
      .grids(within)
      .then((g) => live && setGrids(g))
      .catch(() => live && setGrids(null));
    return () => {
      live = false;
    };
  }, [within]);

  useEffect(() => {
    if (!box.current) return;
    let m: MapLibreMap;
    try {
      m = new maplibregl.Map({
        container: box.current,
        style: STYLE,
        center: [120.13, 30.27],
        zoom: 11,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
      });
    } catch {
      setFailed(true); // no WebGL: the tables carry the same numbers
      return;
    }
    m.touchZoomRotate.disableRotation();
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    m.on('load', () => {
      const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
      m.addSource('grids', { type: 'geojson', data: empty });
      m.addSource('cases', { type: 'geojson', data: empty });
      m.addLayer({
        id: 'grids-fill',
        type: 'fill',
        source: 'grids',
        paint: {
          'fill-color': [
            'match',
            ['get', 'state'],
            'overdue',
            MAP_COLOURS.overdue,
            'open',
            MAP_COLOURS.open,
            'closed',
            MAP_COLOURS.closed,
            MAP_COLOURS.none,
          ],
          'fill-opacity': ['case', ['boolean', ['get', 'chosen'], false], 0.9, 0.65],
        },
      });
      m.addLayer({
        id: 'grids-line',
        type: 'line',
        source: 'grids',
        paint: {
          'line-color': ['case', ['boolean', ['get', 'chosen'], false], '#1b1f24', '#7d8792'],
          'line-width': ['case', ['boolean', ['get', 'chosen'], false], 2.5, 0.5],
        },
      });
      m.addLayer({
        id: 'cases',
        type: 'circle',
        source: 'cases',
        minzoom: POINTS_ZOOM,
        paint: {
          'circle-radius': 5,
          'circle-color': ['case', ['boolean', ['get', 'overdue'], false], '#a4161a', '#0b5cad'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      });
      m.on('click', 'grids-fill', (e) => {
        const code = e.features?.[0]?.properties?.code;
        if (typeof code === 'string') pick.current(code);
      });
      m.on('mouseenter', 'grids-fill', () => (m.getCanvas().style.cursor = 'pointer'));
      m.on('mouseleave', 'grids-fill', () => (m.getCanvas().style.cursor = ''));
      m.on('zoomend', () => setZoomed(m.getZoom() >= POINTS_ZOOM));
      setReady(true);
    });
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  const coloured = useMemo<FeatureCollection | null>(() => {
    if (!grids) return null;
    const byCode = new Map(data.grids.map((g) => [g.code, g]));
    return {
      type: 'FeatureCollection',
      features: grids.features.map((f) => {
        const counts = byCode.get(f.properties.code);
        const state = !counts ? 'none' : counts.overdue > 0 ? 'overdue' : counts.open > 0 ? 'open' : 'closed';
        return {
          ...f,
          properties: { ...f.properties, state, chosen: f.properties.code === data.grid?.code },
        } as Feature;
      }),
    };
  }, [grids, data]);

  useEffect(() => {
    const m = map.current;
    if (!ready || !m || !coloured) return;
    (m.getSource('grids') as GeoJSONSource | undefined)?.setData(coloured);
    const focus = data.grid
      ? coloured.features.filter((f) => f.properties?.code === data.grid?.code)
      : coloured.features;
    // Framed when the place changes, not when a refresh recolours it: the user's zoom stays.
    const place = `${within}|${data.grid?.code ?? ''}|${coloured.features.length}`;
    const bounds = framed.current === place ? null : boundsOf(focus);
    if (bounds) m.fitBounds(bounds, { padding: 16, animate: false, maxZoom: 16 });
    framed.current = place;
    setZoomed(m.getZoom() >= POINTS_ZOOM);
  }, [ready, coloured, data.grid, within]);

  // The points only when they can be seen: a county's open cases are not fetched at county zoom.
  useEffect(() => {
    const m = map.current;
    if (!ready || !m || !zoomed) return;
    let live = true;
    overviewApi
      .cases({ ...(JSON.parse(queryKey) as Record<string, string>), measure: 'open', limit: '1000' })
      .then((list) => {
        if (!live) return;
        const points: FeatureCollection = {
          type: 'FeatureCollection',
          features: list.items
            .filter((c) => c.lon !== null && c.lat !== null)
            .map((c) => ({
              type: 'Feature',
              properties: { id: c.id, overdue: c.overdue },
              geometry: { type: 'Point', coordinates: [c.lon!, c.lat!] },
            })),
        };
        (m.getSource('cases') as GeoJSONSource | undefined)?.setData(points);
        m.getCanvas().dataset.points = String(points.features.length);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ready, zoomed, queryKey, data.as_of]);

  return (
    <div className="ov-map-wrap">
      {failed ? (
        <p className="ov-muted">{t('overview.map.unavailable')}</p>
      ) : (
        <div
          ref={box}
          className="ov-map"
          data-testid="overview-map"
          data-ready={ready && coloured ? 'true' : 'false'}
        />
      )}
      <ul className="ov-legend" aria-label={t('overview.map.legend')}>
        {(['overdue', 'open', 'closed', 'none'] as const).map((k) => (
          <li key={k}>
            <span className="ov-swatch" style={{ background: MAP_COLOURS[k] }} aria-hidden="true" />
            {t(`overview.map.${k}`)}
          </li>
        ))}
        <li>{t('overview.map.points', { zoom: POINTS_ZOOM })}</li>
      </ul>
    </div>
  );
}
