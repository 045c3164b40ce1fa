/**
 * Texts of the console's overview pages, Chinese first; the English side's type makes a missing or
 * extra key a compile error. Merged into the console's catalogue by index.tsx.
 */
export const overviewZh = {
  'overview.title': '总览',
};

export const overviewEn: Record<keyof typeof overviewZh, string> = {
  'overview.title': 'Overview',
};
