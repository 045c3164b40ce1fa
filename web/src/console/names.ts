import { useEffect, useState } from 'react';
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

export function useNames(region: string): Names {
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
