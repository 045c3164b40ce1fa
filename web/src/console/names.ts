import { useEffect, useState } from 'react';
import { codePrefix, type RegionLevel } from '../../../src/core/regions/codes.ts';
import { api, type Category, type Department } from './api.ts';

/** Department and category names of a region, fetched once per page load and shared by all views. */
export interface Names {
  department(id: string | null): string;
  category(code: string | null): { zh: string; en: string } | null;
  departments: Department[];
}

const cache = new Map<string, Promise<{ departments: Department[]; categories: Category[] }>>();

function load(region: string) {
  let pending = cache.get(region);
  if (!pending) {
    pending = Promise.all([
      api.departments(region).then((r) => r.items),
      api.categories(region).then(
        (r) => r.items,
        () => [] as Category[], // a scope above a county has no single taxonomy: codes are shown
      ),
    ]).then(([departments, categories]) => ({ departments, categories }));
    pending.catch(() => cache.delete(region));
    cache.set(region, pending);
  }
  return pending;
}

/**
 * The region whose departments and taxonomy a user works with: their own scope, or for a township
 * or community the county's, where the departments that handle its cases sit.
 */
export function namesRegion(scope: { code: string; level: RegionLevel }): string {
  return scope.level === 'township' || scope.level === 'community'
    ? codePrefix(scope.code, 'county').padEnd(12, '0')
    : scope.code;
}

export function useNames(scope: { code: string; level: RegionLevel }): Names {
  const region = namesRegion(scope);
  const [data, setData] = useState<{ departments: Department[]; categories: Category[] }>({
    departments: [],
    categories: [],
  });
  useEffect(() => {
    let live = true;
    load(region)
      .then((d) => live && setData(d))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [region]);
  return {
    departments: data.departments,
    department: (id) => (id === null ? '' : (data.departments.find((d) => d.id === id)?.name ?? id)),
    category: (code) => {
      if (code === null) return null;
      const c = data.categories.find((x) => x.code === code);
      return c ? { zh: c.name, en: c.name_en || c.name } : { zh: code, en: code };
    },
  };
}
