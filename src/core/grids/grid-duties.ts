/** Kinds of grid worker (网格员): 专职 full-time, 兼职 part-time, 专业 specialist. */
export const GRID_DUTIES = ['full_time', 'part_time', 'specialist'] as const;
export type GridDuty = (typeof GRID_DUTIES)[number];
