import type { FeatureCollection } from 'geojson';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { MAP_START, SITE_REGION } from '../config.ts';
import { useI18n } from '../i18n/index.tsx';
import type { Point } from '../storage.ts';
import { SvgMap } from './SvgMap.tsx';

type MapLibre = typeof import('maplibre-gl');

/**
 * A style with no tiles, glyphs or sprites: nothing to fetch from a tile server, so the map works
 * offline and inside a closed network. The grids drawn on it come from this server's API.
 */
const BLANK_STYLE = {
  version: 8 as const,
  sources: {},
  layers: [{ id: 'background', type: 'background' as const, paint: { 'background-color': '#f3efe6' } }],
};

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function boundsOf(grids: FeatureCollection): [[number, number], [number, number]] | null {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [lon, lat] = c as [number, number];
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of grids.features)
    if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(minLon)
    ? [
        [minLon, minLat],
        [maxLon, maxLat],
      ]
    : null;
}

/** The county's grids as GeoJSON from the API, fetched once per page load. */
let gridsPromise: Promise<FeatureCollection | null> | null = null;
function loadGrids(): Promise<FeatureCollection | null> {
  gridsPromise ??= api.grids(SITE_REGION).catch(() => {
    gridsPromise = null; // offline: try again next time the map is shown
    return null;
  });
  return gridsPromise;
}

/** Tap to pin the place; MapLibre when the browser has WebGL, a plain SVG drawing otherwise. */
export function MapPicker({ point, onPick }: { point: Point | null; onPick(p: Point): void }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<import('maplibre-gl').Map | null>(null);
  const marker = useRef<import('maplibre-gl').Marker | null>(null);
  const lib = useRef<MapLibre | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [grids, setGrids] = useState<FeatureCollection | null>(null);
  const [mode, setMode] = useState<'loading' | 'webgl' | 'svg'>('loading');

  useEffect(() => {
    let alive = true;
    void loadGrids().then((g) => alive && setGrids(g));
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    let alive = true;
    import('maplibre-gl')
      .then((maplibre) => {
        if (!alive || !container.current) return;
        lib.current = maplibre;
        try {
          const m = new maplibre.Map({
            container: container.current,
            style: BLANK_STYLE,
            center: [MAP_START.lon, MAP_START.lat],
            zoom: MAP_START.zoom,
            attributionControl: false,
            dragRotate: false,
            pitchWithRotate: false,
          });
          m.touchZoomRotate.disableRotation();
          m.on('click', (e) => pick.current({ lon: round6(e.lngLat.lng), lat: round6(e.lngLat.lat) }));
          m.on('load', () => {
            m.addSource('grids', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
            m.addLayer({
              id: 'grids-fill',
              type: 'fill',
              source: 'grids',
              paint: { 'fill-color': '#d9cfb8', 'fill-opacity': 0.35 },
            });
            m.addLayer({
              id: 'grids-line',
              type: 'line',
              source: 'grids',
              paint: { 'line-color': '#9c8f74', 'line-width': 0.6 },
            });
            m.getCanvas().dataset.ready = 'true';
            setMode('webgl');
          });
          map.current = m;
        } catch {
          setMode('svg'); // no WebGL: the SVG drawing takes over
        }
      })
      .catch(() => alive && setMode('svg'));
    return () => {
      alive = false;
      map.current?.remove();
      map.current = null;
    };
  }, []);

  // Grids onto the map once both are there; frame them unless a point is already pinned. Runs only
  // when the grids or the map arrive, not when the point moves.
  useEffect(() => {
    const m = map.current;
    if (mode !== 'webgl' || !m || !grids) return;
    const source = m.getSource('grids') as import('maplibre-gl').GeoJSONSource | undefined;
    source?.setData(grids);
    const bounds = boundsOf(grids);
    if (bounds && !point) m.fitBounds(bounds, { padding: 10, animate: false });
  }, [mode, grids]);

  // The pin follows the point (a tap, "use my location", or a restored draft).
  useEffect(() => {
    const m = map.current;
    const maplibre = lib.current;
    if (mode !== 'webgl' || !m || !maplibre) return;
    if (!point) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    marker.current ??= new maplibre.Marker({ color: '#b7312c' }).setLngLat([point.lon, point.lat]).addTo(m);
    marker.current.setLngLat([point.lon, point.lat]);
    if (!m.getBounds().contains([point.lon, point.lat]))
      m.easeTo({ center: [point.lon, point.lat], zoom: 15 });
  }, [mode, point]);

  return (
    <div className="map-wrap">
      {mode === 'svg' ? (
        <SvgMap grids={grids} point={point} onPick={onPick} />
      ) : (
        <div ref={container} className="map" data-testid="map" data-mode={mode} />
      )}
      <p className="muted small">
        {point
          ? `${t('report.map.pinned')}: ${point.lon.toFixed(5)}, ${point.lat.toFixed(5)}`
          : t('report.map.hint')}
      </p>
    </div>
  );
}
