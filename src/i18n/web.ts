import type { Label } from './case-labels.ts';

/** Served at `/` when the resident site has not been built (npm start builds it; docs/web.md). */
export const WEB_NOT_BUILT: Label = {
  zh: '居民端网站尚未构建：请运行 npm run build:web 后刷新。接口仍可使用：/docs',
  en: 'The resident site has not been built: run npm run build:web, then reload. The API works: /docs',
};
