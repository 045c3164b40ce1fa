/** Case list pages: `limit` is 50 by default and at most MAX_PAGE (the API's schema and the query agree). */
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;
