/**
 * Texts of the console's grid pages, Chinese first; the English side's type makes a missing or
 * extra key a compile error. Merged into the console's catalogue by index.tsx.
 */
export const gridZh = {
  'grid.title': '网格',
};

export const gridEn: Record<keyof typeof gridZh, string> = {
  'grid.title': 'My grid',
};
