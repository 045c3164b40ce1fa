/**
 * Texts of the console's rules pages, Chinese first; the English side's type makes a missing or
 * extra key a compile error. Merged into the console's catalogue by index.tsx.
 */
export const rulesZh = {
  'rules.title': '规则配置',
};

export const rulesEn: Record<keyof typeof rulesZh, string> = {
  'rules.title': 'Rules',
};
