/** Case list pages: `limit` is 50 by default and at most MAX_PAGE (the API's schema and the query agree). */
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

/** The orders of a case list: newest report first (the default), oldest first, or soonest deadline first. */
export const CASE_SORTS = ['newest', 'oldest', 'deadline'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
