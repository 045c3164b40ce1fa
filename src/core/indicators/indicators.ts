/**
 * Performance indicators over case facts: the GB/T 30428.4 / CJ/T 292 rates of digital urban
 * management and the three rates of the 12345 hotline (接诉即办 三率). docs/indicators.md states
 * every definition in words; this file is the one place that computes them.
 *
 * Two steps, so that pre-aggregation can never disagree with a recomputation:
 * `countCase` turns one case into additive base counts (0/1 flags and one duration), and
 * `ratesFromCounts` turns summed counts into rates. `computeIndicators` is both over a list.
 */

/** The columns of a case the indicators read (timestamps as ISO 8601 strings in UTC). */
export interface CaseFacts {
  stage: string;
  reported_at: string;
  registered_at: string | null;
  dispatched_at: string | null;
  accepted_at: string | null;
  feedback_at: string | null;
  closed_at: string | null;
  handling_deadline: string | null;
  return_count: number;
  rework_count: number;
  dispatch_overridden: number;
  rating: number | null;
  rated_fixed: number | null;
}

/** The columns to select for CaseFacts, for every query that loads them. */
export const CASE_FACT_COLUMNS = [
  'stage',
  'reported_at',
  'registered_at',
  'dispatched_at',
  'accepted_at',
  'feedback_at',
  'closed_at',
  'handling_deadline',
  'return_count',
  'rework_count',
  'dispatch_overridden',
  'rating',
  'rated_fixed',
] as const satisfies ReadonlyArray<keyof CaseFacts>;

/**
 * The base counts, each a number of cases except `handling_ms` (a sum of durations). They add up
 * across cases, days, regions and departments, which is what makes pre-aggregation exact.
 */
export const COUNT_KEYS = [
  'cases', // 上报数: every case reported in the period
  'intake_decided', // 受理判定数: registered or voided (merged duplicates and undecided reports left out)
  'registered', // 立案数
  'dispatched', // 派遣数
  'dispatched_accurately', // 准确派遣数: never returned, never re-routed by hand
  'should_handle', // 应处置数: dispatched, unless parked, voided or merged before feedback
  'handled', // 处置数: dispatched and fed back
  'handled_on_time', // 按期处置数: fed back by the handling deadline
  'should_close', // 应结案数: registered, unless parked, voided or merged before closure
  'closed', // 结案数: closed, fixed or not
  'closed_on_time', // 按期结案数: closed, and its handling was on time
  'reworked', // 返工数: handled cases sent back at least once after a failed check
  'handling_ms', // 处置用时合计: Σ (feedback_at − dispatched_at) over handled cases
  'responded_in_time', // 按时响应数: accepted within RESPONSE_LIMIT_MS of dispatch
  'verdict', // 有解决评价数: the resident said whether it is fixed, or the case closed unfixed
  'resolved', // 已解决数: the resident said fixed, and the case is not closed_unfixed
  'rated', // 有满意度评价数
  'satisfied', // 满意数: rating ≥ SATISFIED_RATING
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];
export type Counts = Record<CountKey, number>;

/**
 * 响应时限: the cases table records no response deadline of its own, so the platform uses one
 * limit for every case (接诉即办 practice: the handling unit contacts the resident within a day).
 */
export const RESPONSE_LIMIT_MS = 24 * 3600 * 1000;
/** Ratings are 1–5; 4 (基本满意) and 5 (满意) count as satisfied, as the 12345 callbacks do. */
export const SATISFIED_RATING = 4;
/** Below this many cases in its denominator a rate is shown but marked not meaningful. */
export const DEFAULT_MIN_SAMPLE = 30;

const NOT_PENDING: readonly string[] = ['parked', 'voided', 'merged'];
const CLOSED: readonly string[] = ['closed', 'closed_unfixed'];

const ms = (iso: string): number => Date.parse(iso);

const ZERO = (() => {
  const zero = {} as Counts;
  for (const k of COUNT_KEYS) zero[k] = 0;
  return zero;
})();

/** Every count at 0 (a copy of one template: V8 clones it fast, unlike Object.fromEntries). */
export function zeroCounts(): Counts {
  return { ...ZERO };
}

/** The base counts one case contributes. */
export function countCase(c: CaseFacts): Counts {
  const registered = c.registered_at !== null;
  const dispatched = c.dispatched_at !== null;
  // Fed back after a dispatch; a grid worker's on-the-spot fix (no dispatch) is outside these rates.
  const handled = dispatched && c.feedback_at !== null;
  // A missing deadline cannot show the handling was on time, so it is not counted as on time.
  const onTime = handled && c.handling_deadline !== null && ms(c.feedback_at!) <= ms(c.handling_deadline);
  const closed = registered && CLOSED.includes(c.stage);
  const unfixed = c.stage === 'closed_unfixed';
  const accepted = dispatched && c.accepted_at !== null;
  const b = (v: boolean): number => (v ? 1 : 0);
  return {
    cases: 1,
    intake_decided: b(registered || c.stage === 'voided'),
    registered: b(registered),
    dispatched: b(dispatched),
    dispatched_accurately: b(dispatched && c.return_count === 0 && c.dispatch_overridden === 0),
    should_handle: b(dispatched && (handled || !NOT_PENDING.includes(c.stage))),
    handled: b(handled),
    handled_on_time: b(onTime),
    should_close: b(registered && (closed || !NOT_PENDING.includes(c.stage))),
    closed: b(closed),
    closed_on_time: b(closed && onTime),
    reworked: b(handled && c.rework_count > 0),
    handling_ms: handled ? Math.max(0, ms(c.feedback_at!) - ms(c.dispatched_at!)) : 0,
    responded_in_time: b(accepted && ms(c.accepted_at!) - ms(c.dispatched_at!) <= RESPONSE_LIMIT_MS),
    // 结案未解决 is the resident's "not fixed": it is a verdict, and never a resolution.
    verdict: b(c.rated_fixed !== null || unfixed),
    resolved: b(c.rated_fixed === 1 && !unfixed),
    rated: b(c.rating !== null),
    satisfied: b(c.rating !== null && c.rating >= SATISFIED_RATING),
  };
}

/** Adds `more` into `into` (mutates and returns `into`). */
export function addCounts(into: Counts, more: Counts): Counts {
  for (const k of COUNT_KEYS) into[k] += more[k];
  return into;
}

export function sumCounts(facts: Iterable<CaseFacts>): Counts {
  const total = zeroCounts();
  for (const f of facts) addCounts(total, countCase(f));
  return total;
}

export const INDICATORS = {
  registration_rate: { zh: '立案率', numerator: 'registered', denominator: 'intake_decided' },
  dispatch_accuracy: { zh: '派遣准确率', numerator: 'dispatched_accurately', denominator: 'dispatched' },
  handling_rate: { zh: '处置率', numerator: 'handled', denominator: 'should_handle' },
  on_time_handling_rate: { zh: '按期处置率', numerator: 'handled_on_time', denominator: 'should_handle' },
  closure_rate: { zh: '结案率', numerator: 'closed', denominator: 'should_close' },
  on_time_closure_rate: { zh: '按期结案率', numerator: 'closed_on_time', denominator: 'should_close' },
  rework_rate: { zh: '返工率', numerator: 'reworked', denominator: 'handled' },
  avg_handling_hours: { zh: '平均处置时长', numerator: 'handling_ms', denominator: 'handled' },
  response_rate: { zh: '响应率', numerator: 'responded_in_time', denominator: 'dispatched' },
  resolution_rate: { zh: '解决率', numerator: 'resolved', denominator: 'verdict' },
  satisfaction_rate: { zh: '满意率', numerator: 'satisfied', denominator: 'rated' },
} as const satisfies Record<string, { zh: string; numerator: CountKey; denominator: CountKey }>;
export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];

export interface IndicatorValue {
  /** A share in [0, 1] (hours for avg_handling_hours); null when the denominator is 0. */
  value: number | null;
  /** The base count above the line (for avg_handling_hours: total handling hours). */
  numerator: number;
  denominator: number;
  numerator_key: CountKey;
  denominator_key: CountKey;
  /** False below the minimum sample: shown, but not to be compared or ranked. */
  meaningful: boolean;
  /** The section of docs/indicators.md that defines it. */
  formula_key: IndicatorKey;
}

export type Indicators = Record<IndicatorKey, IndicatorValue>;

export interface IndicatorOptions {
  minSample?: number;
}

const HOUR_MS = 3600 * 1000;

/** Rates from summed base counts. */
export function ratesFromCounts(counts: Counts, options: IndicatorOptions = {}): Indicators {
  const minSample = options.minSample ?? DEFAULT_MIN_SAMPLE;
  const out = {} as Indicators;
  for (const key of INDICATOR_KEYS) {
    const { numerator: nk, denominator: dk } = INDICATORS[key];
    const hours = key === 'avg_handling_hours';
    const numerator = hours ? counts[nk] / HOUR_MS : counts[nk];
    const denominator = counts[dk];
    out[key] = {
      value: denominator === 0 ? null : numerator / denominator,
      numerator,
      denominator,
      numerator_key: nk,
      denominator_key: dk,
      meaningful: denominator >= minSample,
      formula_key: key,
    };
  }
  return out;
}

/**
 * Every indicator over a set of cases, each with the counts behind it.
 *
 * ```ts
 * computeIndicators(facts, { minSample: 30 }).closure_rate
 * // → { value: 0.93, numerator: 911, denominator: 972, meaningful: true, … }
 * ```
 */
export function computeIndicators(facts: Iterable<CaseFacts>, options: IndicatorOptions = {}): Indicators {
  return ratesFromCounts(sumCounts(facts), options);
}
