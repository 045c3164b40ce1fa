/** One line of `npm run bench`, in the shape of docs/CONTRACT.md (bench/results/latest.json). */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline_name: string | null;
  baseline_value: number | null;
  ratio: number | null;
  better: 'higher' | 'lower';
  /** Why a row or its baseline is missing or what it was measured with; printed, not in the contract. */
  note?: string;
}

export interface BenchOptions {
  quick: boolean;
  /** PostgreSQL to measure baselines against (PostGIS where the extension is installed); none skips them. */
  databaseUrl: string | undefined;
}

export function row(
  name: string,
  value: number,
  unit: string,
  better: 'higher' | 'lower',
  baseline?: { name: string; value: number } | null,
  note?: string,
): BenchRow {
  return {
    name,
    value: round(value),
    unit,
    baseline_name: baseline?.name ?? null,
    baseline_value: baseline ? round(baseline.value) : null,
    ratio: baseline && baseline.value !== 0 ? round(value / baseline.value) : null,
    better,
    ...(note ? { note } : {}),
  };
}

/** Whole numbers from 100 up; four significant digits below, so that small ratios stay visible. */
function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(4));
}
