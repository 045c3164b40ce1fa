/** Case list pages: `limit` is 50 by default and at most MAX_PAGE (the API's schema and the query agree). */
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

/**
 * A case list counts its matches exactly up to this many and then says "more than" (`total_exact:
 * false`): counting every one of 60,000 matches of a common word cost ten times the page itself
 * (bench/worklist.ts), and nobody pages through a thousand cases; the indicators count the rest.
 */
export const COUNT_UP_TO = 1000;

/** The orders of a case list: newest report first (the default), oldest first, or soonest deadline first. */
export const CASE_SORTS = ['newest', 'oldest', 'deadline'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
