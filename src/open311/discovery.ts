import { bilingual, OPEN311_TEXTS } from '../i18n/open311.ts';

/** When this server's Open311 interface last changed in a way clients may notice. */
export const OPEN311_CHANGESET = '2026-03-01T00:00:00Z';

/**
 * GET discovery: this server's two endpoints, production and the test endpoint (a sandbox whose
 * requests are checked like production's, never handled, and deleted after a day), both in both
 * formats, as the spec's own example lists them. API keys are issued by administrators
 * (`POST /api/v1/open311/keys`), which `key_service` says; the same key serves both endpoints.
 */
export function discovery(urls: { production: string; test: string }) {
  const endpoint = (url: string, type: 'production' | 'test') => ({
    specification: 'http://wiki.open311.org/GeoReport_v2',
    url,
    changeset: OPEN311_CHANGESET,
    type,
    formats: ['text/xml', 'application/json'],
  });
  return {
    changeset: OPEN311_CHANGESET,
    contact: bilingual(OPEN311_TEXTS.discoveryContact),
    key_service: bilingual(OPEN311_TEXTS.keyService),
    endpoints: [endpoint(urls.production, 'production'), endpoint(urls.test, 'test')],
  };
}
