/**
 * The county this site serves: categories visible there, its grids on the map, and the region of
 * an address given without a point. Set VITE_SHANZHI_REGION at build time for another county.
 */
export const SITE_REGION: string = import.meta.env.VITE_SHANZHI_REGION ?? '330106';

/** Where the map opens before the grids arrive: 杭州市西湖区. */
export const MAP_START = { lon: 120.125, lat: 30.275, zoom: 11.5 };

/** What intake accepts (src/core/workflow/intake.ts INTAKE_LIMITS). */
export const LIMITS = { title: 120, description: 4000, address: 500, photos: 9 };
