/** Factories for grid features: only what a rule needs, the rest defaulted. */
export type Ring = Array<[number, number]>;

export function square(lon: number, lat: number, size = 0.01): Ring {
  return [
    [lon, lat],
    [lon + size, lat],
    [lon + size, lat + size],
    [lon, lat + size],
    [lon, lat],
  ];
}

export interface FeatureOverrides {
  code?: unknown;
  name?: unknown;
  community_code?: unknown;
  geometry?: unknown;
}

export function gridFeature(community: string, seq: number, ring: Ring, overrides: FeatureOverrides = {}) {
  return {
    type: 'Feature',
    properties: {
      code: overrides.code ?? `${community}${String(seq).padStart(2, '0')}`,
      name: overrides.name ?? `测试第${seq}网格`,
      community_code: overrides.community_code ?? community,
    },
    geometry: overrides.geometry ?? { type: 'Polygon', coordinates: [ring] },
  };
}

export function collection(...features: Array<ReturnType<typeof gridFeature> | Record<string, unknown>>) {
  return { type: 'FeatureCollection', features };
}
